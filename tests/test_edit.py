"""The pure edits behind log, promise and done: exact bytes for known notes."""

from __future__ import annotations

from datetime import date

import pytest

from kizuna import edit
from kizuna.config import Config
from kizuna.edit import EditError, add_log_entry, add_promise, log_entry, mark_done, promise_task
from kizuna.parse import parse_note

DAY = date(2026, 11, 23)
CONFIG = Config()
ENTRY = log_entry(DAY, "talked", "coffee")  # "2026-11-23 coffee: talked"
TASK = promise_task("send it", date(2026, 12, 1))  # "[ ] send it 📅 2026-12-01"


def test_log_entry_grammar() -> None:
    assert log_entry(DAY, "hi") == "2026-11-23 hi"
    assert log_entry(DAY, "asked\r\n about  it\n", "email", inbound=True) == \
        "2026-11-23 <- email: asked about  it"
    assert log_entry(DAY, "", "like") == "2026-11-23 like:"


def test_promise_task_grammar() -> None:
    assert promise_task("send\tthe\x00paper") == "[ ] send the paper"
    assert TASK == "[ ] send it 📅 2026-12-01"


@pytest.mark.parametrize(("before", "after"), [
    # an entry goes above the first one, in the note's own line endings
    (b"## Log\r\n- 2026-01-01 x\r\n", b"## Log\r\n<E>\r\n- 2026-01-01 x\r\n"),
    # with that entry's marker and indent
    (b"## Log\n  * 2026-01-01 x", b"## Log\n  * 2026-11-23 coffee: talked\n  * 2026-01-01 x"),
    # a log with no entry yet: after its last line of content, before the blank line
    (b"## Log\nintro  \n\n## Next\n", b"## Log\nintro  \n<E>\n\n## Next\n"),
    # the first log heading counts, matched ignoring case, at any level
    (b"# P\n### history\n\n## Log\n", b"# P\n### history\n<E>\n\n## Log\n"),
    # no log: a new section at the end, no final newline added where there was none
    (b"---\nname: A  # kept\n---\nhi", b"---\nname: A  # kept\n---\nhi\n\n## Log\n<E>"),
    (b"\xef\xbb\xbfhi\r\n", b"\xef\xbb\xbfhi\r\n\r\n## Log\r\n<E>\r\n"),
    (b"", b"## Log\n<E>\n"),
    # a Log heading inside a code fence is not a log
    (b"```\n## Log\n```\n", b"```\n## Log\n```\n\n## Log\n<E>\n"),
    # a note ending in an open fence: the section goes above it (nothing after it is read)
    (b"a\n```\ncode\n", b"a\n\n## Log\n<E>\n```\ncode\n"),
    # an entry inside a fence in the log is not the first entry
    (b"## Log\n```\n- 2026-01-01 x\n```\n", b"## Log\n```\n- 2026-01-01 x\n```\n<E>\n"),
])
def test_log_inserts_exactly_one_line(before: bytes, after: bytes) -> None:
    """<E> stands for the added line."""
    assert add_log_entry(before, ENTRY, CONFIG) == after.replace(b"<E>", b"- " + ENTRY.encode())


@pytest.mark.parametrize(("before", "after"), [
    (b"## Promises\n* [ ] a\n  - detail\n\n## Log\n",
     "## Promises\n* [ ] a\n  - detail\n* [ ] send it 📅 2026-12-01\n\n## Log\n".encode()),
    (b"## Log\r\n- 2026-01-01 x",
     "## Log\r\n- 2026-01-01 x\r\n\r\n## Promises\r\n- [ ] send it 📅 2026-12-01".encode()),
    (b"## \xe7\xb4\x84\xe6\x9d\x9f\n", "## 約束\n- [ ] send it 📅 2026-12-01\n".encode()),
])
def test_promise_goes_last_in_its_section(before: bytes, after: bytes) -> None:
    assert add_promise(before, TASK, CONFIG) == after


def test_a_japanese_vault_gets_japanese_headings() -> None:
    config = Config(language="ja")
    assert add_log_entry(b"", ENTRY, config).decode().startswith("## ログ\n")
    assert add_promise(b"", TASK, config).decode().startswith("## 約束\n")


def test_configured_headings_are_used() -> None:
    config = Config(log_headings=("Timeline",), promise_headings=("Owed",))
    assert add_log_entry(b"## timeline\n", ENTRY, config) == \
        b"## timeline\n- 2026-11-23 coffee: talked\n"
    assert add_promise(b"x", TASK, config).decode().endswith("## Owed\n- [ ] send it 📅 2026-12-01")


def test_mark_done_flips_the_mark_and_dates_it() -> None:
    before = "a\r\n- [ ] send 📅 2026-12-01  \r\n- [/] b ^blk1\r\n".encode()
    assert mark_done(before, 2, DAY) == \
        "a\r\n- [x] send 📅 2026-12-01 ✅ 2026-11-23  \r\n- [/] b ^blk1\r\n".encode()
    assert mark_done(before, 3, DAY) == \
        "a\r\n- [ ] send 📅 2026-12-01  \r\n- [x] b ✅ 2026-11-23 ^blk1\r\n".encode()


@pytest.mark.parametrize(("raw", "line"), [
    (b"- [x] kept\n", 1),  # already done
    (b"- 2026-01-01 x\n", 1),  # not a task
    (b"```\n- [ ] code\n```\n", 2),  # inside a fence
    (b"---\nx: - [ ] y\n---\n", 2),  # front matter
    (b"- [ ] a\n", 5),  # no such line
])
def test_mark_done_refuses_anything_but_an_open_task(raw: bytes, line: int) -> None:
    with pytest.raises(EditError):
        mark_done(raw, line, DAY)


def test_a_note_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(EditError, match="not UTF-8"):
        add_log_entry(b"\xff\xfe## Log\n", ENTRY, CONFIG)


def test_the_added_entry_parses_as_written() -> None:
    raw = add_log_entry(b"## Log\n", log_entry(DAY, "x [[Bo]]", "lunch", inbound=True), CONFIG)
    note = parse_note("people/A.md", raw, CONFIG, in_people=True)
    assert note.contact is not None
    (item,) = note.contact.log
    assert (item.date, item.kind, item.inbound, item.text, item.links) == \
        (DAY, "lunch", True, "x [[Bo]]", ("Bo",))


def test_without_a_kind_the_text_may_name_it() -> None:
    raw = add_log_entry(b"", log_entry(DAY, "call: about the job"), CONFIG)
    note = parse_note("people/A.md", raw, CONFIG, in_people=True)
    assert note.contact is not None
    assert [(i.kind, i.text) for i in note.contact.log] == [("call", "about the job")]


def test_one_line_keeps_other_spacing() -> None:
    assert edit.one_line(" 田中\u3000健二\u2028\x85x ") == "田中\u3000健二 x"


@pytest.mark.parametrize("raw", [
    b"## Log\n\r\n\r\r\r0\r\n\n",  # mostly lone CRs, then a LF: a CR ending would merge into CRLF
    b"a\r\r\r\n## Log\r\r- 2026-01-01 x\n",
    b"text\r",  # a new section's blank line after a lone CR
])
def test_mixed_line_endings_never_merge_two_lines_into_one(raw: bytes) -> None:
    config = Config()
    after = add_log_entry(raw, "- 2026-11-23 call: hi", config)
    old_lines = raw.decode().splitlines()
    new_lines = after.decode().splitlines()
    assert len(new_lines) == len(old_lines) + 1 + (0 if b"## Log" in raw else 2)
    assert [line for line in new_lines if line in old_lines] == old_lines
