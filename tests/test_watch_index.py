"""Index.apply, the watcher's incremental update, always ends where a fresh index would."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kizuna.config import Config
from kizuna.index import Index
from kizuna.model import Note
from kizuna.parse import parse_note

NAMES = ["Aiko", "Ben", "Chloe", "Dan", "Eve"]
TARGETS = [*NAMES, "Al", "Nobody", "people/Ben"]
CONFIG = Config()


@st.composite
def contact_text(draw: st.DrawFn) -> str:
    fields = []
    if draw(st.booleans()):
        fields.append(f"name: {draw(st.sampled_from(NAMES))}")
    aliases = draw(st.lists(st.sampled_from(["Al", "Bo", *NAMES]), max_size=2))
    if aliases:
        fields.append(f"aliases: [{', '.join(aliases)}]")
    if draw(st.booleans()):
        fields.append("email: x@example.org")
    if draw(st.booleans()):
        fields.append(f"introduced_by: \"[[{draw(st.sampled_from(TARGETS))}]]\"")
    if draw(st.booleans()):
        fields.append("last_contact: 2026-03-01")
    if draw(st.booleans()):
        fields.append("ignore_journal: true")
    if draw(st.booleans()):
        fields.append("tier: bogus")  # a problem of the note itself
    log = draw(st.lists(st.tuples(st.integers(1, 3), st.sampled_from(["coffee", "like", "email"]),
                                  st.sampled_from(["", *TARGETS])), max_size=4))
    lines = [f"- 2026-0{m}-01 {kind}: talked" + (f" with [[{t}]]" if t else "")
             for m, kind, t in log]
    tasks = draw(st.lists(st.sampled_from(TARGETS), max_size=2))
    return ("---\n" + "\n".join(fields) + "\n---\n## Log\n" + "\n".join(lines) + "\n"
            + "".join(f"- [ ] Send [[{t}]] the paper 📅 2026-11-27\n" for t in tasks))


@st.composite
def other_text(draw: st.DrawFn) -> str:
    lines = [f"Met [[{t}]] #{kind}" for t, kind in draw(st.lists(
        st.tuples(st.sampled_from(TARGETS), st.sampled_from(["coffee", "call", "like"])),
        max_size=3))]
    lines += [f"- [ ] Ask [[{t}]] about it" for t in draw(st.lists(st.sampled_from(TARGETS),
                                                                   max_size=2))]
    return "\n".join(lines) + "\n"


PATHS = [*(f"people/{n}.md" for n in NAMES), "people/work/Ben.md", "Daily/2026-11-01.md",
         "Daily/2026-11-02.md", "Projects/Plan.md"]


def note_for(path: str, data: st.DataObject) -> Note:
    text = data.draw(contact_text() if path.startswith("people/") else other_text())
    return parse_note(path, text.encode(), CONFIG, in_people=path.startswith("people/"))


def same(index: Index, fresh: Index) -> None:
    assert index._contacts == fresh._contacts
    assert index._sorted == fresh._sorted
    assert index._claims == fresh._claims and index._stems == fresh._stems
    assert index._interactions == fresh._interactions
    assert index._promises == fresh._promises
    assert index.problems == fresh.problems


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_apply_ends_where_a_fresh_index_would(data: st.DataObject) -> None:
    start = data.draw(st.lists(st.sampled_from(PATHS), unique=True, min_size=1))
    index = Index([note_for(p, data) for p in start], CONFIG)
    for _ in range(data.draw(st.integers(1, 4))):
        touched = data.draw(st.lists(st.sampled_from(PATHS), unique=True, min_size=1, max_size=3))
        changed, removed = [], []
        for path in touched:
            if path in index.notes and data.draw(st.booleans()):
                removed.append(path)
            else:
                changed.append(note_for(path, data))
        index.apply(changed, removed)
        same(index, Index(list(index.notes.values()), CONFIG))


def test_editing_a_log_re_attributes_without_deriving_everything(tmp_path: Path) -> None:
    def note(path: str, text: str) -> Note:
        return parse_note(path, text.encode(), CONFIG, in_people=path.startswith("people/"))

    index = Index([note("people/Aiko.md", "## Log\n- 2026-01-01 coffee: with [[Ben]]\n"),
                   note("people/Ben.md", ""), note("Daily/2026-02-01.md", "Met [[Aiko]]\n")],
                  CONFIG)
    claims = index._claims
    index.apply([note("people/Aiko.md", "## Log\n- 2026-03-01 call: with [[Ben]]\n")])
    assert index._claims is claims  # the patch path: name tables untouched
    ben = index.contact("people/Ben.md")
    assert [i.kind for i in index.interactions(ben)] == ["call"]
    aiko = index.contact("people/Aiko.md")
    assert [i.kind for i in index.interactions(aiko)] == ["note", "call"]
    index.apply([note("people/Carl.md", "")])  # a new person: everything derived again
    assert index._claims is not claims and index.resolve("Carl") is not None
