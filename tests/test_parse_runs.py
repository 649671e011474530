"""The corners of the fast parse: log entries read in runs, links found by their `[[`,
front matter keys typed once per process (DESIGN §3.1–3.2)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizuna import yamlfm
from kizuna.config import Config
from kizuna.parse import LIST_ITEM, LOG_ENTRY, parse_log_entry, parse_note, wikilinks

# Lines a log section holds, entries or not; none is a fence or a heading that closes it.
LOG_SECTION_LINES = [
    "- 2026-01-01 call: a", "* 2026-01-02 <- Email: b [[Kenji Sato|Kenji]]", "+ 2026-01-03",
    "  - [[2026-01-04]]: coffee: c", "- 2026-01-05 ランチ：d", "- 2026-01-06 10:30 → meet: e",
    "- 2026-02-30 call: no such day", "- 2026-13-01 call: nor this", "\t- 2026-01-07\tcall:\tf",
    "- 2026-01-08 share: `[[in code]]` and ![[embed]] and [[Aiko#Work|A]]",
    "", "   ", "plain words", "- met her once", "- [ ] a promise 📅 2026-02-01",
    "- [x] kept [[Kenji Sato]]", "> - 2026-01-09 quoted", "email:: a@example.org",
    "- interests:: go", "### 2026", "#### Q1", "####### not a heading", "#hashtag",
    "- 2026-01-10x", "-2026-01-11 no space", "1. 2026-01-12 numbered",
]


def expected_log(lines: list[str], first: int) -> tuple[list[tuple], list[int]]:
    """The entries and the bad-date lines, one list item at a time (DESIGN §3.2)."""
    found, bad = [], []
    for number, line in enumerate(lines, start=first):
        item = LIST_ITEM.match(line)
        if item is None or LOG_ENTRY.match(item.group(1)) is None:
            continue
        entry = parse_log_entry(item.group(1), Config())
        if entry is None:
            bad.append(number)
        else:
            found.append((number, *entry))
    return found, bad


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LOG_SECTION_LINES), max_size=30),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_a_log_section_reads_every_entry_line_by_line(lines, newline, final_newline):
    text = newline.join(["---", "name: Aiko", "---", "## Log", *lines])
    raw = (text + (newline if final_newline else "")).encode()
    note = parse_note("people/Aiko.md", raw, Config(), in_people=True)
    found, bad = expected_log(lines, first=5)
    assert [(e.line, e.date, e.inbound, e.kind, e.text) for e in note.contact.log] == found
    errors = [p.line for p in note.problems if p.severity == "error"]
    assert errors == bad
    assert not [p for p in note.problems if p.severity == "warning"]


@pytest.mark.parametrize("level", range(1, 7))
def test_a_heading_of_the_log_level_or_higher_ends_a_run(parse, level):
    marks = "#" * level
    text = f"### Log\n- 2026-01-01 call: a\n{marks} Next\n- 2026-01-02 call: b\n"
    note = parse(text)
    assert [e.line for e in note.contact.log] == ([2] if level <= 3 else [2, 4])
    assert [p.line for p in note.problems] == ([4] if level <= 3 else [])


def test_the_line_after_a_run_is_read_as_what_it_is(parse):
    text = ("## Log\n- 2026-01-01 call: a\n- [ ] send the deck 📅 2026-02-01\n"
            "- 2026-01-02 call: b\ncompany:: Acme\n- 2026-01-03 call: c\n> - 2026-01-04 quoted\n"
            "```\n- 2026-01-05 call: in code\n```\n- 2026-01-06 call: d")
    note = parse(text)
    assert [e.text for e in note.contact.log] == ["a", "b", "c", "d"]
    assert [e.line for e in note.contact.log] == [2, 4, 6, 11]
    assert [p.text for p in note.contact.promises] == ["send the deck"]
    assert note.contact.company == "Acme" and note.contact.lines["company"] == 5


def test_a_bad_date_inside_a_run_is_an_error_and_the_run_goes_on(parse):
    note = parse("## Log\n- 2026-01-01 a\n- 2026-02-30 b\n- 2026-04-31 c\n- 2026-01-02 d\n")
    assert [e.text for e in note.contact.log] == ["a", "d"]
    assert [(p.line, p.message) for p in note.problems] == [
        (3, "2026-02-30 is not a date; the log entry is ignored"),
        (4, "2026-04-31 is not a date; the log entry is ignored")]


def test_kinds_fold_alike_in_every_note_and_a_japanese_colon_counts(parse):
    for written in ["Call", "CALL", "call"]:
        (entry,) = parse(f"## ログ\n- 2026-01-01 {written}: x\n").contact.log
        assert entry.kind == "call"
    (entry,) = parse("## 履歴\n- 2026-01-01 電話：折り返し\n").contact.log
    assert (entry.kind, entry.text) == ("電話", "折り返し")


def test_log_links_skip_code_and_embeds_and_keep_targets(parse):
    note = parse("## Log\n- 2026-01-01 call: [[A|a]] `[[B]]` ![[C]] [[D#x|d]] [[E]]![[F]]\n")
    assert note.contact.log[0].links == ("A", "D", "E")


@pytest.mark.parametrize(("text", "embeds", "expected"), [
    ("![[a]]", False, []),
    ("![[a]]", True, [("a", "a")]),
    ("!![[a]] [[b|B]]", False, [("b", "B")]),
    ("[[a]]![[b]]", True, [("a", "a"), ("b", "b")]),
    ("[[a]] wow!", False, [("a", "a")]),
    ("[[a]]![[b]]", False, [("a", "a")]),
    ("x![[a|A]][[b]]", False, [("b", "b")]),
    ("[[ a # h | A ]]", False, [("a", "A")]),
    ("[[]] [[|x]] [[ ]]", False, []),
])
def test_embeds_are_links_after_an_exclamation_mark(text, embeds, expected):
    assert wikilinks(text, embeds=embeds) == expected


def test_a_date_key_is_refused_every_time_and_text_keys_read_quoted_or_not():
    for _ in range(2):  # the second reading comes from the per-process key table
        assert yamlfm._simple_mapping("2026-02-30: x\nname: a") is None
        assert yamlfm._simple_mapping("'name': a").data == {"name": "a"}
        assert yamlfm._simple_mapping("name: a\n\"name\": b").data == {"name": "b"}
        assert yamlfm._simple_mapping("'2026-02-30': x").data == {"2026-02-30": "x"}


def test_comments_between_front_matter_lines_and_items_are_skipped():
    text = "# top\ntags:\n  - a\n  # between\n# at the key level\n  - b\nname: x\n"
    loaded = yamlfm._simple_mapping(text)
    assert loaded is not None and loaded == yamlfm.load_with_pyyaml(text)
    assert loaded.data == {"tags": ["a", "b"], "name": "x"}


def test_a_long_plain_value_that_fails_fails_fast():
    # One parse per text: a failing line backtracks in linear time, not exponential.
    for text in ["name: " + "a b " * 5000 + "c:", "k: [" + "a b " * 5000 + "c: ]"]:
        assert yamlfm._simple_mapping(text) is None


def test_a_contact_reads_the_same_from_every_line_ending(parse):
    text = ("---\nname: Aiko\ntags: [person]\naliases:\n  - A\n---\n# Aiko\n## Log\n"
            "- 2026-01-01 call: a\n- 2026-01-02 b\n## Notes\n- 2026-01-03 c\n")
    notes = [parse(text.replace("\n", ending)) for ending in ["\n", "\r\n", "\r"]]
    assert notes[0] == notes[1] == notes[2]
    assert [e.date for e in notes[0].contact.log] == [date(2026, 1, 1), date(2026, 1, 2)]


@pytest.mark.parametrize(("text", "fast"), [
    ("k: [a, b c , 'd, e', \"f\"]", True),
    ("k: [ a ]", True),
    ("k: []", True),
    ("k: [a,b]", True),
    ("k: [a, b,]", False),
    ("k: [a, [b]]", False),
    ("k: {a: b, 'c d': \"e, f\" , g: 2026-01-01}", True),
    ("k: {a: b,}", False),
    ("k: {a:b}", False),
])
def test_flow_lists_and_maps_read_as_pyyaml_reads_them(text, fast):
    loaded = yamlfm._simple_mapping(text)
    assert (loaded is not None) == fast
    if loaded is not None:
        assert loaded == yamlfm.load_with_pyyaml(text)
