"""The index: resolving names, attributing interactions and promises (DESIGN §3, §6.2)."""

from __future__ import annotations

from datetime import date

from kizuna.config import Config
from kizuna.index import Index
from kizuna.model import Depth
from kizuna.parse import parse_note


def index_of(files: dict[str, str], config: Config | None = None) -> Index:
    config = config or Config()
    notes = [parse_note(path, text.encode(), config, in_people=path.startswith("people/"))
             for path, text in files.items()]
    return Index(notes, config)


PEOPLE = {
    "people/Aiko Tanaka.md": "---\naliases: [Aiko, 田中 愛子]\nemail: a@x\n---\n",
    "people/work/Kenji Sato.md": "---\nname: Kenji Sato\naliases: Ken\nemail: k@x\n---\n",
    "people/Old Boss.md": "---\nname: Takeshi Mori\nreading: もり たけし\nemail: t@x\n---\n",
}


def names(found):
    return [c.name for c in found]


def test_resolution_by_name_alias_stem_and_path():
    index = index_of(PEOPLE)
    for target in ("Aiko Tanaka", "aiko", "田中 愛子", "people/Aiko Tanaka",
                   "people/Aiko Tanaka.md",
                   "AIKO TANAKA"):
        assert index.resolve(target).name == "Aiko Tanaka", target
    assert index.resolve("Old Boss").name == "Takeshi Mori"  # by file stem, as Obsidian links
    assert index.resolve("takeshi mori").name == "Takeshi Mori"
    assert index.resolve("people/work/Kenji Sato").name == "Kenji Sato"
    assert index.resolve("Nobody") is None


def test_resolution_is_width_and_case_insensitive():
    index = index_of(PEOPLE)
    assert index.resolve("ＡＩＫＯ").name == "Aiko Tanaka"
    assert index.resolve("ｋｅｎ").name == "Kenji Sato"
    assert names(index.find("ＡＩＫＯ")) == ["Aiko Tanaka"]


def test_two_notes_claiming_one_name_both_stay_and_it_resolves_to_neither():
    index = index_of({**PEOPLE,
                      "people/Ken Ito.md": "---\naliases:\n  - ken\nemail: i@x\n---\n"})
    assert index.resolve("Ken") is None
    assert index.resolve("Ken Ito").name == "Ken Ito"
    assert index.resolve("Kenji Sato").name == "Kenji Sato"
    assert len(index.contacts) == 4
    duplicates = [p for p in index.problems if "also claimed" in p.message]
    assert [(p.path, p.line, p.severity) for p in duplicates] == [
        ("people/Ken Ito.md", 2, "error"), ("people/work/Kenji Sato.md", 3, "error")]
    assert "alias 'ken'" in duplicates[0].message and "people/work/Kenji Sato.md" in (
        duplicates[0].message)
    assert names(index.find("ken")) == ["Ken Ito", "Kenji Sato"]  # ambiguous: both candidates


def test_duplicate_names_from_file_names_point_at_no_line():
    index = index_of({"people/a/Sam.md": "---\nemail: a@x\n---\n",
                      "people/b/Sam.md": "---\nemail: b@x\n---\n",
                      "people/c.md": "---\nname: SAM\nemail: c@x\n---\n"})
    duplicates = sorted((p.path, p.line) for p in index.problems if "also claimed" in p.message)
    assert duplicates == [("people/a/Sam.md", None), ("people/b/Sam.md", None), ("people/c.md", 2)]
    assert index.resolve("sam") is None
    assert index.resolve("people/a/Sam").path == "people/a/Sam.md"
    assert "(from the file name)" in next(p.message for p in index.problems
                                          if p.path == "people/a/Sam.md")


def test_find_uses_a_unique_prefix():
    index = index_of(PEOPLE)
    assert names(index.find("aik")) == ["Aiko Tanaka"]
    assert names(index.find("田中")) == ["Aiko Tanaka"]
    assert names(index.find("old")) == ["Takeshi Mori"]  # the stem counts
    assert names(index.find("ta")) == ["Takeshi Mori"]  # a prefix of the whole name
    assert names(index.find("k")) == ["Kenji Sato"]
    assert names(index.find("")) == []
    assert index.find("zz") == [] and index.find("") == []


def test_find_falls_back_to_a_prefix_of_any_word_of_a_name():
    index = index_of(PEOPLE)
    assert names(index.find("tanak")) == ["Aiko Tanaka"]  # no name starts with it; a word does
    assert names(index.find("sat")) == ["Kenji Sato"]


def test_an_exact_match_beats_a_longer_prefix_match():
    index = index_of({"people/Ken.md": "email: a@x\n", "people/Kenji.md": "email:: b@x\n"})
    assert names(index.find("ken")) == ["Ken"]
    assert "Ken" in names(index.suggest("kenn"))


def test_suggest_offers_close_names_and_word_prefixes():
    index = index_of(PEOPLE)
    assert "Aiko Tanaka" in names(index.suggest("Aiko Tanka"))
    assert names(index.suggest("Aiko Tanka")).count("Aiko Tanaka") == 1  # once, not per alias
    assert index.suggest("qqqqqq") == []


def test_contacts_are_sorted_by_reading_or_name():
    index = index_of(PEOPLE)
    assert names(index.contacts) == ["Aiko Tanaka", "Kenji Sato", "Takeshi Mori"]


def test_link_uses_the_stem_the_display_name_and_the_path_when_the_stem_is_ambiguous():
    index = index_of({**PEOPLE, "people/x/Aiko Tanaka.md": "---\nname: Aiko T\n---\n"})
    boss = index.resolve("Old Boss")
    assert index.link(boss) == "[[Old Boss|Takeshi Mori]]"
    assert index.link(index.resolve("Kenji Sato")) == "[[Kenji Sato]]"
    second = index.contact("people/x/Aiko Tanaka.md")
    assert index.link(second) == "[[people/x/Aiko Tanaka|Aiko T]]"


def test_a_log_entry_counts_for_every_linked_contact():
    index = index_of({**PEOPLE, "people/Aiko Tanaka.md": (
        "---\nemail: a@x\n---\n## Log\n"
        "- 2026-06-14 lunch: with [[Kenji Sato]] and [[Old Boss|Takeshi]] and [[Aiko Tanaka]]\n"
        "- 2026-06-01 call: alone\n")})
    aiko, ken, boss = (index.resolve(n) for n in ("Aiko Tanaka", "Ken", "Old Boss"))
    assert [(i.date, i.kind) for i in index.interactions(aiko)] == [
        (date(2026, 6, 1), "call"), (date(2026, 6, 14), "lunch")]
    for other in (ken, boss):
        (shared,) = index.interactions(other)
        assert (shared.date, shared.depth, shared.source) == (
            date(2026, 6, 14), Depth.MEET, "people/Aiko Tanaka.md")


def test_interactions_are_in_one_total_order_whatever_the_notes_say_first():
    # Ties on the date broken by depth, then source note, then line; `last_contact` (no
    # line) sorts as line 0. Contacts with and without it are ordered alike.
    log = ("## Log\n- 2026-03-01 call: [[B]]\n- 2026-03-01 like: [[B]]\n"
           "- 2026-03-01 call: again [[B]]\n- 2026-01-01 lunch: [[B]]\n")
    files = {"people/A.md": log, "people/B.md": "---\nlast_contact: 2026-03-01\n---\n" + log,
             "people/C.md": "## Log\n- 2026-03-01 call: [[B]] and [[A]]\n"}
    index = index_of(files)
    for name, expected in {
        "A": [("A", 5), ("A", 3), ("A", 2), ("A", 4), ("C", 2)],
        "B": [("A", 5), ("B", 8), ("A", 3), ("B", 6), ("A", 2), ("A", 4), ("B", None),
              ("B", 5), ("B", 7), ("C", 2)],
    }.items():
        got = [(i.source.removeprefix("people/").removesuffix(".md"), i.line)
               for i in index.interactions(index.resolve(name))]
        assert got == expected, name
    assert index_of(dict(reversed(files.items()))).interactions(index.resolve("B")) == (
        index.interactions(index.resolve("B")))


def test_last_contact_counts_as_an_outbound_talk():
    index = index_of({"people/A.md": "---\nlast_contact: 2025-02-01\n---\n## Log\n"
                                     "- 2024-01-01 like: a post\n"})
    a = index.resolve("A")
    last_talk = index.last(a, Depth.TALK)
    assert (last_talk.date, last_talk.kind, last_talk.inbound) == (date(2025, 2, 1), "last_contact",
                                                                  False)
    assert index.last(a, Depth.MEET) is None
    assert index.last(a).date == date(2025, 2, 1)


def test_last_of_a_depth_counts_deeper_interactions_too():
    index = index_of({"people/A.md": "## Log\n- 2026-01-01 lunch: x\n- 2026-03-01 like: y\n"
                                     "- 2026-02-01 <- email: z\n"})
    a = index.resolve("A")
    assert index.last(a, Depth.TOUCH).date == date(2026, 3, 1)
    assert index.last(a, Depth.TALK).date == date(2026, 2, 1)
    assert index.last(a, Depth.MEET).date == date(2026, 1, 1)


def test_journal_mentions_are_interactions_one_per_contact_per_note_the_deepest():
    index = index_of({
        **PEOPLE,
        "Daily/2026-11-20.md": "Thought of [[Aiko]].\n- coffee: [[Aiko Tanaka]] again\n"
                               "- [x] called [[Ken]]\n- [ ] reach out to [[Old Boss]]\n"
                               "[[Nobody]] too\n",
        "Daily/2026-11-21.md": "- like: [[Aiko]]\n",
    })
    aiko = index.resolve("Aiko")
    assert [(i.date, i.kind, i.depth, i.source, i.line) for i in index.interactions(aiko)] == [
        (date(2026, 11, 20), "coffee", Depth.MEET, "Daily/2026-11-20.md", 2),
        (date(2026, 11, 21), "like", Depth.TOUCH, "Daily/2026-11-21.md", 1),
    ]
    assert [i.kind for i in index.interactions(index.resolve("Ken"))] == ["note"]
    assert index.interactions(index.resolve("Old Boss")) == []


def test_ignore_journal_keeps_journal_mentions_out():
    index = index_of({"people/A.md": "---\nignore_journal: true\n---\n## Log\n- 2026-01-01 x\n",
                      "Daily/2026-11-20.md": "[[A]]\n"})
    assert [i.source for i in index.interactions(index.resolve("A"))] == ["people/A.md"]


def test_promises_in_a_contact_note_are_only_to_that_contact():
    index = index_of({**PEOPLE, "people/Aiko Tanaka.md": (
        "---\nemail: a@x\n---\n- [ ] Introduce her to [[Kenji Sato]]\n")})
    assert [p.text for p in index.promises(index.resolve("Aiko Tanaka"))] == [
        "Introduce her to [[Kenji Sato]]"]
    assert index.promises(index.resolve("Ken")) == []


def test_promises_in_other_notes_go_to_every_linked_contact():
    index = index_of({**PEOPLE, "Projects/Plan.md": (
        "- [ ] Send [[Aiko Tanaka]] and [[Ken]] the deck 📅 2026-11-27\n- [ ] [[Nobody]] x\n"
        "- [x] Thank [[Old Boss]] ✅ 2026-11-01\n")})
    for name in ("Aiko", "Ken"):
        (promise,) = index.promises(index.resolve(name))
        assert promise.due == date(2026, 11, 27) and promise.source == "Projects/Plan.md"
    (done,) = index.promises(index.resolve("Old Boss"))
    assert done.status == "done" and done.done_on == date(2026, 11, 1)


def test_introduced_by_must_link_somebody():
    index = index_of({**PEOPLE,
                      "people/Mei.md": "---\nemail: m@x\nintroduced_by: '[[Kenji Sato]]'\n---\n",
                      "people/Sora.md": "---\nemail: s@x\n\nintroduced_by: '[[Nobody]]'\n---\n"})
    warnings = [(p.path, p.line, p.severity) for p in index.problems]
    assert warnings == [("people/Sora.md", 4, "warning")]
    assert "Nobody" in index.problems[0].message


def test_a_contact_with_no_way_to_reach_them_is_a_warning_unless_archived():
    index = index_of({"people/A.md": "---\nname: A\n---\n",
                      "people/B.md": "---\nstatus: archived\n---\n",
                      "people/C.md": "---\nlinks: [https://c.example]\n---\n",
                      "people/D.md": "phone:: 0123\n"})
    assert [(p.path, p.severity, p.message) for p in index.problems] == [
        ("people/A.md", "warning", "no way to reach them: no email, phone or link")]


def test_update_and_remove_rederive_everything():
    index = index_of(PEOPLE)
    note = parse_note("people/Mei.md", b"---\naliases: [Ken]\nemail: m@x\n---\n", Config(),
                      in_people=True)
    index.update(note)
    assert index.resolve("Ken") is None and len(index.contacts) == 4
    index.remove("people/Mei.md")
    assert index.resolve("Ken").name == "Kenji Sato" and len(index.contacts) == 3
    index.remove("people/never-there.md")
    assert len(index.contacts) == 3


def test_problems_of_every_note_are_collected_sorted():
    index = index_of({"people/B.md": "---\nmet: x\nemail: e\n---\n",
                      "people/A.md": "---\nemail: e\ntier: gold\n---\n",
                      "notes/x.md": "---\n- list\n---\n"})
    assert [(p.path, p.line) for p in index.problems] == [
        ("notes/x.md", 2), ("people/A.md", 3), ("people/B.md", 2)]
