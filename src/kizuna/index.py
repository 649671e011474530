"""The in-memory index: contacts by name, alias and link target, with everything
attributed to them (log entries, journal mentions, promises)."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar

from .config import Config
from .model import Contact, Depth, Interaction, Note, Problem, Promise
from .parse import fold


class Index:
    """All notes of a vault, and what they say about each contact.

    `notes` is the source of truth; everything else is derived from it, so
    an incremental update is `update(note)` or `remove(path)`.
    """

    def __init__(self, notes: Iterable[Note], config: Config) -> None:
        self.config = config
        self.notes: dict[str, Note] = {note.path: note for note in notes}
        self._derive()

    def update(self, note: Note) -> None:
        self.notes[note.path] = note
        self._derive()

    def remove(self, path: str) -> None:
        if self.notes.pop(path, None) is not None:
            self._derive()

    def apply(self, changed: Iterable[Note] = (), removed: Iterable[str] = ()) -> None:
        """Update and remove several notes at once (`kizuna watch`, after a burst of edits).

        While no contact appears, disappears or changes what it is known by, every
        link resolves as before: only what the touched notes say is attributed again.
        Otherwise everything is derived again. Either way the result is the same.
        """
        before: dict[str, Note | None] = {}
        for note in changed:
            before.setdefault(note.path, self.notes.get(note.path))
            self.notes[note.path] = note
        for path in removed:
            if path in self.notes:
                before.setdefault(path, self.notes.pop(path))
        if not before:
            return
        if all(_known_by(old) == _known_by(self.notes.get(path)) for path, old in before.items()):
            self._patch(before)
        else:
            self._derive()

    # --- the cache (kizuna.cache keeps the tables with the notes) -----------------

    def tables(self) -> tuple[Any, ...]:
        """The derived tables as paths, numbers and plain values, for `restored`.

        A log entry or promise is stored as its number in all logs (all promises)
        of the notes, taken in an order stored alongside; only what the index makes
        follows them: a contact's `last_contact` (stored as its path) and journal
        mentions (stored whole).
        """
        order = [contact.path for contact in self._sorted]
        owing = [path for path, note in self.notes.items() if _promises_of(note)]
        said_at = _numbered(self._contacts[path].log for path in order)
        owed_at = _numbered(_promises_of(self.notes[path]) for path in owing)
        made: list[Any] = []

        def said(path: str, item: Interaction) -> int:
            at = said_at.get(id(item))
            if at is None:
                contact = self._contacts[path]
                last = contact.last_contact and item == _last_contact(contact)
                made.append(path if last else item)
                at = len(said_at) + len(made) - 1
            return at

        interactions = {path: [said(path, item) for item in items]
                        for path, items in self._interactions.items()}
        promises = {path: [owed_at[id(item)] for item in items]
                    for path, items in self._promises.items()}
        return (order, owing, made, self._by_path, self._claims, self._stems, interactions,
                promises, self._problems)

    @classmethod
    def restored(cls, notes: Iterable[Note], config: Config, tables: tuple[Any, ...]) -> Index:
        """The index of `notes` from its `tables`, without deriving it again.

        Raises ValueError, LookupError or TypeError on tables that do not fit the notes.
        """
        index = cls.__new__(cls)
        index.config = config
        index.notes = {note.path: note for note in notes}
        order, owing, made, by_path, claims, stems, said, owed, problems = tables
        contacts = {n.path: n.contact for n in index.notes.values() if n.contact is not None}
        index._contacts = contacts
        index._sorted = [contacts[path] for path in order]
        if len(index._sorted) != len(contacts):
            raise ValueError("the sorted contacts do not match the notes")
        index._by_path, index._claims, index._stems = by_path, claims, stems
        logs: list[Any] = list(chain.from_iterable(contact.log for contact in index._sorted))
        for item in made:
            if type(item) is str:
                contact = contacts[item]
                if not contact.last_contact:
                    raise ValueError(f"{item}: no last_contact")
                item = _last_contact(contact)
            elif type(item) is not Interaction:
                raise TypeError(f"not an interaction: {item!r}")
            logs.append(item)
        all_promises = list(chain.from_iterable(_promises_of(index.notes[p]) for p in owing))
        # Every list built in C: these are a quarter of a million entries at 10k contacts.
        index._interactions = {path: list(map(logs.__getitem__, numbers))
                               for path, numbers in said.items()}
        index._promises = {path: list(map(all_promises.__getitem__, numbers))
                           for path, numbers in owed.items()}
        if not all(type(p) is Problem for p in problems):
            raise TypeError("not a list of problems")
        index._problems = problems
        return index

    # --- lookups -------------------------------------------------------------------

    @property
    def contacts(self) -> list[Contact]:
        """Every contact, by sort name."""
        return self._sorted

    def contact(self, path: str) -> Contact:
        return self._contacts[path]

    def resolve(self, target: str) -> Contact | None:
        """The contact a wikilink target or name means, or None.

        By path; then, unless two notes claim it as a name or alias (resolving
        to neither), by a unique file stem, as Obsidian resolves links; then
        by a unique name or alias.
        """
        key = fold(target.removesuffix(".md").strip("/"))
        if key in self._by_path:
            return self._contacts[self._by_path[key]]
        claimed = self._claims.get(key, ())
        if len(claimed) > 1:
            return None
        stems = self._stems.get(key, ())
        if len(stems) == 1:
            return self._contacts[stems[0]]
        return self._contacts[claimed[0]] if claimed else None

    def find(self, query: str) -> list[Contact]:
        """Contacts a command-line NAME may mean: exact matches, else those it is a prefix of.

        One result: found. Several: ambiguous. None: unknown (see `suggest`).
        """
        key = fold(query.removesuffix(".md").strip("/"))
        if not key:
            return []
        if key in self._by_path:
            return [self._contacts[self._by_path[key]]]
        exact = {*self._claims.get(key, ()), *self._stems.get(key, ())}
        if not exact:
            exact = {p for table in (self._claims, self._stems) for name, paths in table.items()
                     if name.startswith(key) for p in paths}
        if not exact:  # "Tanaka" finds "Kenji Tanaka": a prefix of any word of a name
            exact = {p for table in (self._claims, self._stems) for name, paths in table.items()
                     if any(word.startswith(key) for word in name.split()) for p in paths}
        return sorted((self._contacts[p] for p in exact), key=lambda c: (c.sort_name, c.path))

    def suggest(self, query: str, limit: int = 5) -> list[Contact]:
        """Contacts whose name or alias looks like a NAME that matched nobody."""
        import difflib

        key = fold(query)
        names = difflib.get_close_matches(key, list(self._claims), n=limit, cutoff=0.6)
        found = {p: None for name in names for p in self._claims[name]}
        words = {p: None for name, paths in self._claims.items() for p in paths
                 if any(word.startswith(key) for word in name.split())}
        return [self._contacts[p] for p in list(dict.fromkeys([*found, *words]))[:limit]]

    def link(self, contact: Contact) -> str:
        """An Obsidian wikilink to the contact: by stem, or by path where the stem is ambiguous."""
        stem = contact.stem
        target = stem if len(self._stems.get(fold(stem), ())) == 1 else contact.path[:-3]
        shown = contact.name
        return f"[[{target}]]" if shown == target else f"[[{target}|{shown}]]"

    def interactions(self, contact: Contact) -> list[Interaction]:
        """Everything that counts as contact with them, oldest first."""
        return self._interactions.get(contact.path, [])

    def promises(self, contact: Contact) -> list[Promise]:
        """Task lines that are commitments to them, in vault order."""
        return self._promises.get(contact.path, [])

    def last(self, contact: Contact, depth: Depth = Depth.TOUCH) -> Interaction | None:
        """The latest interaction of at least that depth, in either direction."""
        for item in reversed(self.interactions(contact)):
            if item.depth >= depth:
                return item
        return None

    @property
    def problems(self) -> list[Problem]:
        return self._problems

    # --- deriving --------------------------------------------------------------------

    def _derive(self) -> None:
        contacts = {n.path: n.contact for n in self.notes.values() if n.contact is not None}
        self._contacts = contacts
        self._sorted = sorted(contacts.values(), key=_sort_key)
        self._by_path = {fold(path[:-3]): path for path in contacts}
        claims: dict[str, list[str]] = defaultdict(list)
        stems: dict[str, list[str]] = defaultdict(list)
        for contact in self._sorted:
            for key in _claims_of(contact):
                claims[key].append(contact.path)
            stems[fold(contact.stem)].append(contact.path)
        self._claims, self._stems = dict(claims), dict(stems)
        self._attribute()
        problems = [p for note in self.notes.values() for p in note.problems]
        for contact in self._sorted:
            problems.extend(self._contact_problems(contact))
        self._problems = sorted(problems, key=_problem_key)

    def _contact_problems(self, contact: Contact) -> list[Problem]:
        """What the index finds wrong with one contact: names claimed twice, dangling links."""
        problems = []
        for key in _claims_of(contact):
            paths = self._claims[key]
            if len(paths) > 1:
                problems.append(_duplicate(contact, key, paths))
        if contact.introduced_by and self.resolve(contact.introduced_by) is None:
            problems.append(Problem(
                contact.path, contact.lines.get("introducedby"), "warning",
                f"introduced_by [[{contact.introduced_by}]] links to nobody in the vault",
            ))
        if not contact.has_reach and contact.status != "archived":
            problems.append(Problem(
                contact.path, None, "warning", "no way to reach them: no email, phone or link",
            ))
        return problems

    def _attribute(self) -> None:
        interactions: dict[str, list[Interaction]] = defaultdict(list)
        promises: dict[str, list[Promise]] = defaultdict(list)
        for note in self.notes.values():
            said, owed = self._contributions(note)
            for path, items in said:
                interactions[path].extend(items)
            for path, owed_to in owed:
                promises[path].extend(owed_to)
        # Total orders, so that the lists do not depend on the order notes were read in.
        for items in interactions.values():
            items.sort(key=_interaction_key)
        for owed_to in promises.values():
            owed_to.sort(key=_promise_key)
        self._interactions = dict(interactions)
        self._promises = dict(promises)

    def _contributions(
        self, note: Note,
    ) -> tuple[list[tuple[str, Sequence[Interaction]]], list[tuple[str, Sequence[Promise]]]]:
        """What one note says about whom: (contact path, interactions), (contact path, promises).

        A contact's own entries come as one group: most of the 200,000 entries of
        10,000 contacts are added to their lists by one `extend` each.
        """
        said: list[tuple[str, Sequence[Interaction]]] = []
        owed: list[tuple[str, Sequence[Promise]]] = []
        contact = note.contact
        if contact is not None:
            path = contact.path
            if contact.last_contact:
                said.append((path, (_last_contact(contact), *contact.log)))
            elif contact.log:
                said.append((path, contact.log))
            for entry in filter(_links_of, contact.log):  # most entries link nobody
                said.extend((other.path, (entry,)) for other in self._linked(entry.links, contact))
            if contact.promises:
                owed.append((path, contact.promises))
            return said, owed
        for promise in note.promises:
            owed.extend((other.path, (promise,)) for other in self._linked(promise.links, None))
        if note.journal_date is not None:
            deepest: dict[str, Interaction] = {}
            for mention in note.mentions:
                person = self.resolve(mention.target)
                if person is None or person.ignore_journal:
                    continue
                seen = deepest.get(person.path)
                if seen is None or mention.depth > seen.depth:
                    deepest[person.path] = Interaction(
                        note.journal_date, mention.kind, mention.depth, False, mention.text,
                        note.path, mention.line, (mention.target,),
                    )
            said.extend((path, (item,)) for path, item in deepest.items())
        return said, owed

    def _patch(self, before: dict[str, Note | None]) -> None:
        """Attribute again only what the touched notes said and say; links resolve as before."""
        for path in before:
            note = self.notes.get(path)
            if note is not None and note.contact is not None:
                # Same sort key as the entry it replaces: same place in the sorted list.
                at = bisect_left(self._sorted, _sort_key(note.contact), key=_sort_key)
                self._sorted[at] = self._contacts[path] = note.contact
        touched: set[str] = set()
        said_now: dict[str, list[Interaction]] = defaultdict(list)
        owed_now: dict[str, list[Promise]] = defaultdict(list)
        for path, old in before.items():
            note = self.notes.get(path)
            if old is not None:
                said, owed = self._contributions(old)
                touched.update(p for p, _ in said)
                touched.update(p for p, _ in owed)
            if note is not None:
                said, owed = self._contributions(note)
                touched.update(p for p, _ in said)
                touched.update(p for p, _ in owed)
                for contact_path, items in said:
                    said_now[contact_path].extend(items)
                for contact_path, owed_to in owed:
                    owed_now[contact_path].extend(owed_to)
        for contact_path in touched:
            _redo(self._interactions, contact_path, before, said_now, _interaction_key)
            _redo(self._promises, contact_path, before, owed_now, _promise_key)
        problems = [p for p in self._problems if p.path not in before]
        for path in before:
            note = self.notes.get(path)
            if note is not None:
                problems.extend(note.problems)
                if note.contact is not None:
                    problems.extend(self._contact_problems(note.contact))
        self._problems = sorted(problems, key=_problem_key)

    def _linked(self, targets: Iterable[str], besides: Contact | None) -> list[Contact]:
        found: dict[str, Contact] = {}
        for target in targets:
            other = self.resolve(target)
            if other is not None and other is not besides:
                found[other.path] = other
        return list(found.values())


_links_of = attrgetter("links")
_Item = TypeVar("_Item", Interaction, Promise)


def _redo(table: dict[str, list[_Item]], path: str, sources: Container[str],
          new: dict[str, list[_Item]], key: Callable[[_Item], Any]) -> None:
    """One contact's list without what `sources` said before, with what they say now."""
    items = [item for item in table.get(path, ()) if item.source not in sources]
    items.extend(new.get(path, ()))
    if items:
        table[path] = sorted(items, key=key)
    else:
        table.pop(path, None)


def _promises_of(note: Note) -> tuple[Promise, ...]:
    """The task lines written in a note: a contact's own, or a journal's linking someone."""
    return note.contact.promises if note.contact is not None else note.promises


def _numbered(groups: Iterable[Iterable[object]]) -> dict[int, int]:
    """id(item) -> its number, counting through the groups in order."""
    return {id(item): at for at, item in enumerate(chain.from_iterable(groups))}


def _last_contact(contact: Contact) -> Interaction:
    """The interaction a contact's `last_contact` field (when set) stands for."""
    assert contact.last_contact is not None
    return Interaction(contact.last_contact, "last_contact", Depth.TALK, False, "", contact.path,
                       None)


def _claims_of(contact: Contact) -> list[str]:
    """The folded name and aliases a contact is known by, each once."""
    return [key for key in dict.fromkeys([fold(contact.name), *map(fold, contact.aliases)]) if key]


def _duplicate(contact: Contact, key: str, paths: list[str]) -> Problem:
    """Two notes claim one name: point at this note's name or alias line."""
    others = ", ".join(p for p in paths if p != contact.path)
    if fold(contact.name) == key:
        line = contact.lines.get("name")
        what = f"name {contact.name!r}" + ("" if line else " (from the file name)")
    else:
        alias = next(a for a in contact.aliases if fold(a) == key)
        what, line = f"alias {alias!r}", contact.lines.get("aliases")
    return Problem(contact.path, line, "error",
                   f"{what} is also claimed by {others}; it resolves to neither")


def _sort_key(contact: Contact) -> tuple[str, str]:
    return (contact.sort_name, contact.path)


def _interaction_key(item: Interaction) -> tuple[date, int, str, int]:
    return (item.date, item.depth, item.source, item.line or 0)



def _promise_key(promise: Promise) -> tuple[str, int]:
    return (promise.source, promise.line)


def _problem_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line or 0, problem.severity, problem.message)


def _known_by(note: Note | None) -> tuple[object, ...] | None:
    """What other notes' links and journal mentions depend on: unchanged, they resolve alike."""
    contact = note.contact if note is not None else None
    if contact is None:
        return None
    return (contact.name, contact.aliases, contact.sort_name, contact.ignore_journal)
