"""The body of a note: the log (§3.2), promises (§3.3), journal notes (§3.4), person marks."""

from __future__ import annotations

from datetime import date

import pytest

from kizuna.config import parse_config
from kizuna.model import Depth
from kizuna.parse import parse_log_entry

LOG = """\
---
name: Aiko Tanaka
---
Intro text.

## Log
- 2026-11-20 coffee: Her AI tutoring pilot went live; she needs data engineers.
- 2026-11-18 <- email: Asked whether I know a UX researcher.
- 2026-09-02 share: Sent "Adaptive learning at scale" https://example.org/a
- 2026-06-14 meetup: Met at the study group, with [[Kenji Sato]].
- [[2026-03-01]]: Congratulated her on the new role.
"""


def entries(note):
    return [(e.date, e.inbound, e.kind, e.depth, e.text, e.line) for e in note.contact.log]


def test_the_design_log_example(parse):
    note = parse(LOG)
    assert note.problems == ()
    assert entries(note) == [
        (date(2026, 11, 20), False, "coffee", Depth.MEET,
         "Her AI tutoring pilot went live; she needs data engineers.", 7),
        (date(2026, 11, 18), True, "email", Depth.TALK,
         "Asked whether I know a UX researcher.", 8),
        (date(2026, 9, 2), False, "share", Depth.TALK,
         'Sent "Adaptive learning at scale" https://example.org/a', 9),
        (date(2026, 6, 14), False, "meetup", Depth.MEET,
         "Met at the study group, with [[Kenji Sato]].", 10),
        (date(2026, 3, 1), False, "note", Depth.TALK, "Congratulated her on the new role.", 11),
    ]
    assert note.contact.log[3].links == ("Kenji Sato",)
    assert all(e.source == "people/Aiko Tanaka.md" for e in note.contact.log)


@pytest.mark.parametrize(("content", "expected"), [
    ("2026-03-01 text", (date(2026, 3, 1), False, "note", "text")),
    ("2026-03-01: text", (date(2026, 3, 1), False, "note", "text")),
    ("[[2026-03-01]] text", (date(2026, 3, 1), False, "note", "text")),
    ("[[2026-03-01]]: call: text", (date(2026, 3, 1), False, "call", "text")),
    ("2026-03-01 <- call: text", (date(2026, 3, 1), True, "call", "text")),
    ("2026-03-01 ← call: text", (date(2026, 3, 1), True, "call", "text")),
    ("2026-03-01 -> call: text", (date(2026, 3, 1), False, "call", "text")),
    ("2026-03-01 → call: text", (date(2026, 3, 1), False, "call", "text")),
    ("2026-03-01 <- text only", (date(2026, 3, 1), True, "note", "text only")),
    ("2026-03-01 Coffee: Text", (date(2026, 3, 1), False, "coffee", "Text")),
    ("2026-03-01 会食: 新しい仕事の話", (date(2026, 3, 1), False, "会食", "新しい仕事の話")),
    ("2026-03-01 会食：新しい仕事の話", (date(2026, 3, 1), False, "会食", "新しい仕事の話")),
    ("2026-03-01 video-call: x", (date(2026, 3, 1), False, "video-call", "x")),
    ("2026-03-01 1on1: x", (date(2026, 3, 1), False, "1on1", "x")),
    ("2026-03-01 follow_up: x", (date(2026, 3, 1), False, "follow_up", "x")),
    ("2026-03-01 call:", (date(2026, 3, 1), False, "call", "")),
    ("2026-03-01", (date(2026, 3, 1), False, "note", "")),
    ("2026-03-01 https://example.org/a", (date(2026, 3, 1), False, "note",
                                          "https://example.org/a")),
    ("2026-03-01 Note to self: x", (date(2026, 3, 1), False, "note", "Note to self: x")),
    ("2026-03-01 email: re: the paper", (date(2026, 3, 1), False, "email", "re: the paper")),
    ("2026-03-01 14:30 <- call: x", (date(2026, 3, 1), True, "call", "x")),
    ("2026-03-01 9:05 coffee: x", (date(2026, 3, 1), False, "coffee", "x")),
])
def test_the_entry_grammar(content, expected):
    assert parse_log_entry(content, parse_config({})) == expected


@pytest.mark.parametrize("content", ["2026-3-1 call: x", "26-03-01 x", "2026-03-01x",
                                     "on 2026-03-01 we met", "[[2026-03-01 x", "2026-02-30 x"])
def test_what_is_not_an_entry(content):
    assert parse_log_entry(content, parse_config({})) is None


@pytest.mark.parametrize(("kind", "depth"), [
    ("like", Depth.TOUCH), ("comment", Depth.TOUCH), ("いいね", Depth.TOUCH),
    ("email", Depth.TALK), ("電話", Depth.TALK), ("intro", Depth.TALK), ("note", Depth.TALK),
    ("whatever", Depth.TALK),
    ("coffee", Depth.MEET), ("LUNCH", Depth.MEET), ("飲み", Depth.MEET), ("conference", Depth.MEET),
])
def test_depth_comes_from_the_kind(parse, kind, depth):
    (entry,) = parse(f"## Log\n- 2026-01-01 {kind}: x\n").contact.log
    assert entry.depth == depth


def test_config_kinds_extend_the_map(parse):
    config = parse_config({"kinds": {"meet": ["hike"], "touch": "retweet"}})
    log = parse("## Log\n- 2026-01-01 hike: x\n- 2026-01-02 retweet: y\n- 2026-01-03 coffee: z\n",
                config=config).contact.log
    assert [e.depth for e in log] == [Depth.MEET, Depth.TOUCH, Depth.MEET]


def test_list_markers_and_nesting(parse):
    text = "## Log\n* 2026-01-01 call: a\n+ 2026-01-02 call: b\n  - 2026-01-03 call: c\n"
    assert [e.text for e in parse(text).contact.log] == ["a", "b", "c"]


def test_sub_headings_stay_inside_the_log_and_a_same_level_heading_ends_it(parse):
    text = ("# Aiko\n## Log\n### 2026\n- 2026-01-01 call: in\n#### Q1\n- 2026-02-01 call: in too\n"
            "## Notes\n- 2026-03-01 call: out\n")
    note = parse(text)
    assert [e.text for e in note.contact.log] == ["in", "in too"]
    (warning,) = note.problems
    assert warning.severity == "warning" and warning.line == 8
    assert "outside a log" in warning.message


def test_a_higher_heading_ends_the_log(parse):
    text = "## Log\n- 2026-01-01 call: in\n# Elsewhere\n- 2026-03-01 call: out\n"
    assert [e.text for e in parse(text).contact.log] == ["in"]


@pytest.mark.parametrize("heading", ["# Log", "### log", "## Interactions", "## HISTORY",
                                     "## ログ", "## 履歴", "## やりとり", "## Log ##"])
def test_log_headings_match_ignoring_case_at_any_level(parse, heading):
    assert len(parse(f"{heading}\n- 2026-01-01 call: x\n").contact.log) == 1


def test_log_headings_are_configurable(parse):
    config = parse_config({"log_headings": ["Timeline"]})
    note = parse("## Timeline\n- 2026-01-01 call: x\n## Log\n- 2026-01-02 call: y\n", config=config)
    assert [e.text for e in note.contact.log] == ["x"]
    assert [p.line for p in note.problems] == [4]


def test_undated_items_in_the_log_are_skipped_silently(parse):
    note = parse("## Log\n- met her once\n- 2026-01-01 call: x\n")
    assert len(note.contact.log) == 1 and note.problems == ()


def test_an_impossible_date_in_the_log_is_an_error_on_its_line(parse):
    note = parse("## Log\n- 2026-02-30 call: x\n- 2026-03-01 call: y\n")
    assert [e.text for e in note.contact.log] == ["y"]
    (problem,) = note.problems
    assert (problem.severity, problem.line) == ("error", 2)
    assert "2026-02-30 is not a date" in problem.message


def test_log_entries_inside_code_fences_do_not_count(parse):
    text = ("## Log\n```\n- 2026-01-01 call: code\n```\n- 2026-01-02 x\n"
            "  ~~~python\n- 2026-01-03 x\n  ~~~\n- 2026-01-04 x\n")
    assert [e.date.day for e in parse(text).contact.log] == [2, 4]


def test_dated_items_outside_a_log_warn_with_their_line(parse):
    note = parse("---\nname: A\n---\n## Career\n- 2023-04-01 joined Acme\n- [[2024-01-01]] moved\n"
                 "- not dated\n")
    assert [(p.severity, p.line) for p in note.problems] == [("warning", 5), ("warning", 6)]
    assert note.contact.log == ()


# --- promises ----------------------------------------------------------------------------


def test_promises_with_every_due_syntax_and_done_dates(parse):
    text = ("---\nname: Aiko\n---\n## Promises\n"
            "- [ ] Send the paper 📅 2026-11-27\n"
            "- [ ] Intro to Ken [due:: 2026-12-01]\n"
            "- [ ] Call back due:2026-12-05\n"
            "- [x] Lend the book ✅ 2026-11-02\n"
            "- [-] Cancelled thing\n"
            "- [ ] No date\n"
            "- [/] Half done (due:: 2026-12-09)\n"
            "* [X] Done with completion [completion:: 2026-10-01]\n")
    promises = parse(text).contact.promises
    assert [(p.text, p.status, p.due, p.done_on, p.line) for p in promises] == [
        ("Send the paper", "open", date(2026, 11, 27), None, 5),
        ("Intro to Ken", "open", date(2026, 12, 1), None, 6),
        ("Call back", "open", date(2026, 12, 5), None, 7),
        ("Lend the book", "done", None, date(2026, 11, 2), 8),
        ("No date", "open", None, None, 10),
        ("Half done", "open", date(2026, 12, 9), None, 11),
        ("Done with completion", "done", None, date(2026, 10, 1), 12),
    ]
    assert promises[0].is_open and not promises[3].is_open


def test_task_lines_anywhere_in_a_contact_note_are_promises(parse):
    text = "- [ ] top\n## Log\n- [ ] in the log\n- 2026-01-01 call: x\n## Other\n- [ ] later\n"
    c = parse(text).contact
    assert [p.text for p in c.promises] == ["top", "in the log", "later"]
    assert len(c.log) == 1


def test_task_lines_in_other_notes_are_kept_only_when_they_link_someone(parse):
    text = ("# Project\n- [ ] Send [[Aiko Tanaka]] the paper 📅 2026-11-27\n- [ ] buy milk\n"
            "- [ ] ask [[Ken]] and [[Aiko Tanaka|Aiko]]\n- [ ] `[[Not a link]]` in code\n")
    note = parse(text, path="Projects/plan.md")
    assert note.contact is None
    assert [(p.text, p.links, p.line) for p in note.promises] == [
        ("Send [[Aiko Tanaka]] the paper", ("Aiko Tanaka",), 2),
        ("ask [[Ken]] and [[Aiko Tanaka|Aiko]]", ("Ken", "Aiko Tanaka"), 4),
    ]


# --- journal notes -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["Daily/2026-11-20.md", "2026-11-20 Offsite.md",
                                  "Daily/2026/11/2026-11-20.md", "Journal/2026-11-20-notes.md"])
def test_a_file_named_with_a_date_is_a_journal_note(parse, path):
    note = parse("Lunch with [[Aiko Tanaka]].\n", path=path)
    assert note.journal_date == date(2026, 11, 20)
    assert [(m.target, m.kind, m.line) for m in note.mentions] == [("Aiko Tanaka", "note", 1)]


def test_a_date_in_front_matter_makes_a_journal_note(parse):
    note = parse("---\ndate: 2026-11-20\n---\nOffsite with [[Aiko]]\n", path="Meetings/offsite.md")
    assert note.journal_date == date(2026, 11, 20)
    assert [m.line for m in note.mentions] == [4]
    note = parse("---\ndate: 2026-11-20T10:00\n---\n[[Aiko]]\n", path="Meetings/offsite.md")
    assert note.journal_date == date(2026, 11, 20)


def test_other_notes_are_not_journal_notes(parse):
    note = parse("Met [[Aiko]] once.\n", path="Ideas/networking.md")
    assert note.journal_date is None and note.mentions == ()
    assert parse("[[Aiko]]\n", path="Daily/2026-13-45.md").journal_date is None


def test_journal_kinds_come_from_tags_and_prefixes(parse):
    text = ("- coffee: caught up with [[Aiko]]\n"
            "Long chat with [[Ken]] #call\n"
            "Saw [[Mei]] #coffee at the event\n"
            "Random: [[Sora]] mentioned\n"
            "- 会食: [[田中 健二]]と\n")
    note = parse(text, path="Daily/2026-11-20.md")
    assert [(m.target, m.kind, m.depth) for m in note.mentions] == [
        ("Aiko", "coffee", Depth.MEET), ("Ken", "call", Depth.TALK),
        ("Mei", "coffee", Depth.MEET), ("Sora", "note", Depth.TALK),
        ("田中 健二", "会食", Depth.MEET),
    ]
    assert note.mentions[0].text == "coffee: caught up with Aiko"


def test_journal_exclusions(parse):
    text = ("- [ ] reach out to [[Sam]]\n"
            "- [-] cancelled [[Sam]]\n"
            "> she said [[Sam]] would come\n"
            "```\n[[Sam]] in code\n```\n"
            "`[[Sam]]` inline code\n"
            "![[Sam]]\n"
            "- [x] called [[Ken]]\n")
    note = parse(text, path="Daily/2026-11-20.md")
    assert [(m.target, m.line) for m in note.mentions] == [("Ken", 9)]


def test_journal_front_matter_links_are_mentions(parse):
    note = parse('---\ndate: 2026-11-20\nattendees: ["[[Aiko]]", "[[Ken|Kenji]]"]\nwith: [[Mei]]\n'
                 "---\n", path="Meetings/standup.md")
    assert sorted((m.target, m.line) for m in note.mentions) == [
        ("Aiko", 3), ("Ken", 3), ("Mei", 4)]


def test_a_people_note_is_never_a_journal_note(parse):
    note = parse("[[Aiko]]\n", path="people/2026-11-20 Somebody.md")
    assert note.contact is not None and note.journal_date is None


# --- who is a person ---------------------------------------------------------------------


@pytest.mark.parametrize("front", ["tags: [person]", "tags: person", "tags: [work, people]",
                                   "tags: ['#contact']", "tags: [person/work]", "type: person",
                                   "type: Contact", "Tags: [Person]", "tags: work person"])
def test_a_note_marked_as_a_person_outside_the_people_folder_is_a_contact(parse, front):
    note = parse(f"---\n{front}\n---\n", path="Areas/Work/Sam Lee.md")
    assert note.contact is not None and note.contact.name == "Sam Lee"


@pytest.mark.parametrize("front", ["tags: [personal]", "tags: [persons]", "type: project",
                                   "tags: [work/person]", ""])
def test_other_notes_are_not_people(parse, front):
    assert parse(f"---\n{front}\n---\n", path="Areas/Sam Lee.md").contact is None


def test_person_tags_are_configurable(parse):
    config = parse_config({"person_tags": ["crm"]})
    assert parse("---\ntags: [crm/client]\n---\n", path="a/B.md", config=config).contact
    assert parse("---\ntags: [person]\n---\n", path="a/B.md", config=config).contact is None
