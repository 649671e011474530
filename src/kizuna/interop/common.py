"""The import pipeline every format shares: records in, new contact notes out.

Each reader (vcard, linkedin, google) turns a file into `Person` records (or
`Unusable` ones, with their position and why). `plan` decides what happens to
each, without writing: created, skipped because that person is already in the
vault (same uid, same email, or same name/alias/file name after NFKC and case
folding), skipped as a duplicate of an earlier record of the same file, or
skipped as unusable. `write_note` writes a new note with `create_exclusive`,
so an existing file is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..index import Index
from ..model import Contact, PartialDate
from ..newnote import contact_text, safe_filename
from ..parse import fold
from ..write import create_exclusive

MAX_SUFFIX = 1000  # " 2" … " 999": more same-named files than anyone has
PROGRESS_MIN = 200  # records before a progress bar is worth showing


@dataclass
class Person:
    """One importable record, in kizuna's terms."""

    position: str  # "card 3 (line 12)", "row 5 (line 7)": where it is in the file
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    reading: str | None = None
    tier: str | None = None
    cadence: str | dict[str, str] | None = None
    company: str | None = None
    title: str | None = None
    location: str | None = None
    circles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    met: date | None = None
    met_context: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url); label may be ""
    birthday: PartialDate | None = None
    dates: list[tuple[str, PartialDate]] = field(default_factory=list)  # (label, date)
    uid: str | None = None
    note: str = ""  # free text: the new note's body
    warnings: list[str] = field(default_factory=list)  # fields left out, and why

    def fields(self) -> dict[str, Any]:
        """The front matter, in the order a person reads it."""
        links: Any = None
        if self.links:
            labels = [label for label, _ in self.links]
            # The `yaml` filter sorts mapping keys: a mapping only when that keeps the order.
            if all(labels) and labels == sorted(set(labels)):
                links = dict(self.links)
            else:
                links = [{label: url} if label else url for label, url in self.links]
        dates = {label: _date_value(when) for label, when in self.dates} or None
        return {
            "name": self.name,
            "aliases": self.aliases or None,
            "reading": self.reading,
            "tier": self.tier,
            "cadence": self.cadence,
            "company": self.company,
            "title": self.title,
            "location": self.location,
            "circles": self.circles or None,
            "tags": self.tags or None,
            "met": self.met,
            "met_context": self.met_context,
            "email": _one_or_list(self.emails),
            "phone": _one_or_list(self.phones),
            "links": links,
            "birthday": _date_value(self.birthday),
            "dates": dates,
            "uid": self.uid,
        }


@dataclass(frozen=True)
class Unusable:
    """A record that cannot become a contact: where it is and why."""

    position: str
    reason: str


Record = Person | Unusable
Action = Literal["create", "exists", "duplicate", "unusable"]


@dataclass
class Outcome:
    """What importing one record does (or would do, in a dry run)."""

    action: Action
    position: str
    person: Person | None = None
    path: str | None = None  # vault-relative: the new note, or the existing person's note
    reason: str = ""

    def line(self, dry_run: bool) -> str:
        """One line for the terminal."""
        if self.action == "create":
            assert self.person is not None
            verb = "would create" if dry_run else "created"
            notes = "".join(f"; {w}" for w in self.person.warnings)
            return f"{verb} {self.path} from {self.position}{notes}"
        if self.action == "unusable":
            return f"unusable: {self.position}: {self.reason}"
        assert self.person is not None
        if self.action == "exists":
            return (f"exists: {self.person.name}, {self.position}, is already {self.path} "
                    f"({self.reason}); left untouched")
        return f"duplicate: {self.person.name}, {self.position}: {self.reason}"


@dataclass
class Summary:
    created: int = 0
    existing: int = 0  # in the vault already, or earlier in the same file
    unusable: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome.action == "create":
            self.created += 1
        elif outcome.action == "unusable":
            self.unusable += 1
        else:
            self.existing += 1

    def line(self, dry_run: bool) -> str:
        verb = "would be created" if dry_run else "created"
        text = (f"{self.created} {verb}, {self.existing} skipped as existing, "
                f"{self.unusable} skipped as unusable")
        return f"dry run: {text}; nothing written" if dry_run else text


# --- reading files --------------------------------------------------------------------


def decode_text(raw: bytes, legacy: tuple[str, ...]) -> str:
    """UTF-8 (BOM optional), UTF-16 with a BOM, else the first legacy codec that fits."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for codec in ("utf-8-sig", *legacy):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


# --- cleaning values ------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def one_line(text: object) -> str:
    """A value for a one-line field: control characters and runs of whitespace become one space."""
    if text is None:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in str(text))
    return _SPACE.sub(" ", cleaned).strip()


_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")


def reading_text(*parts: str | None) -> str | None:
    """A reading from its parts, one space between them."""
    return one_line(" ".join(p for p in parts if p)) or None


def full_width_kana(text: str | None) -> str | None:
    """Half-width ｶﾅ (as feature phones write readings) as カナ; nothing else changes."""
    if not text:
        return text
    return _HALF_WIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def is_cjk(text: str) -> bool:
    """Whether a name is written in Chinese, Japanese or Korean script (family name first)."""
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
        or "\uf900" <= ch <= "\ufaff" or "\uff66" <= ch <= "\uff9f"
        for ch in text
    )


def full_name(given: str = "", middle: str = "", family: str = "", prefix: str = "",
              suffix: str = "") -> str:
    """A display name from its parts: family name first for CJK names, last otherwise."""
    given, middle, family = one_line(given), one_line(middle), one_line(family)
    if is_cjk(family + given):
        parts = [family, given, middle]
    else:
        parts = [one_line(prefix), given, middle, family, one_line(suffix)]
    return " ".join(p for p in parts if p)


def unique(values: Iterable[str], key: Any = None) -> list[str]:
    """Non-empty values, first occurrence kept, compared by `key` (default: casefold)."""
    seen: set[str] = set()
    out = []
    for value in values:
        value = one_line(value)
        k = (key or str.casefold)(value)
        if value and k not in seen:
            seen.add(k)
            out.append(value)
    return out


_PARTIAL = re.compile(r"^(?:(\d{4})-?|--|-)?(\d{2})-?(\d{2})(?:T.*)?$")


def partial_date(text: str, *, omit_year: bool = False) -> PartialDate | None:
    """`1990-04-01`, `19900401`, `--0401`, `--04-01`, with a time part ignored; None otherwise."""
    match = _PARTIAL.match(text.strip())
    if not match:
        return None
    year = int(match.group(1)) if match.group(1) and not omit_year else None
    if year == 0:
        year = None
    month, day = int(match.group(2)), int(match.group(3))
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29 February is a birthday
    except ValueError:
        return None
    return PartialDate(month, day, year)


def _date_value(when: PartialDate | None) -> date | str | None:
    """A date YAML writes bare (`1990-04-01`), or `--04-01` without a year."""
    if when is None:
        return None
    return date(when.year, when.month, when.day) if when.year else str(when)


def _one_or_list(values: list[str]) -> str | list[str] | None:
    if not values:
        return None
    return values[0] if len(values) == 1 else list(values)


# --- deciding -------------------------------------------------------------------------


class _Known:
    """Who is already there, by uid, email and folded name/alias/file stem."""

    def __init__(self) -> None:
        self.uids: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def add(self, where: str, names: Iterable[str], emails: Iterable[str], uid: str | None) -> None:
        for name in names:
            self.names.setdefault(fold(name), where)
        for email in emails:
            self.emails.setdefault(email.strip().casefold(), where)
        if uid:
            self.uids.setdefault(uid.strip(), where)

    def add_contact(self, contact: Contact) -> None:
        self.add(contact.path, [contact.name, *contact.aliases, contact.stem], contact.emails,
                 contact.uid)

    def match(self, person: Person) -> tuple[str, str] | None:
        """(where, why) of the first known person this one is, else None."""
        if person.uid and person.uid.strip() in self.uids:
            return self.uids[person.uid.strip()], f"same uid {person.uid}"
        for email in person.emails:
            where = self.emails.get(email.strip().casefold())
            if where:
                return where, f"same email {email}"
        for name in [person.name, *person.aliases]:
            where = self.names.get(fold(name))
            if where:
                what = "name" if name == person.name else "alias"
                return where, f"same {what} {name}"
        return None


def plan(records: Iterable[Record], index: Index, people_dir: Path, vault_root: Path
         ) -> Iterator[Outcome]:
    """What importing each record does; nothing is written.

    New notes go to `people_dir` as `safe_filename(name).md`, with ` 2`, ` 3`…
    when that file exists or an earlier record of this import takes it.
    """
    known = _Known()
    for contact in index.contacts:
        known.add_contact(contact)
    in_file = _Known()
    taken: set[str] = set()  # folded file names this import will create
    for record in records:
        if isinstance(record, Unusable):
            yield Outcome("unusable", record.position, reason=record.reason)
            continue
        found = known.match(record)
        if found:
            yield Outcome("exists", record.position, record, found[0], found[1])
            continue
        found = in_file.match(record)
        if found:
            yield Outcome("duplicate", record.position, record, None,
                          f"{found[1]} as {found[0]} in this file; skipped")
            continue
        path = _free_path(people_dir, record.name, taken)
        rel = path.relative_to(vault_root).as_posix()
        in_file.add(record.position, [record.name, *record.aliases, path.stem], record.emails,
                    record.uid)
        yield Outcome("create", record.position, record, rel)


def _free_path(folder: Path, name: str, taken: set[str]) -> Path:
    stem = safe_filename(name)
    for n in range(1, MAX_SUFFIX):
        candidate = stem if n == 1 else f"{stem} {n}"
        path = folder / f"{candidate}.md"
        if fold(candidate) not in taken and not path.exists():
            taken.add(fold(candidate))
            return path
    raise FileExistsError(f"{folder / stem}.md and {MAX_SUFFIX} numbered variants exist")


def write_note(outcome: Outcome, vault_root: Path, language: str = "en") -> Outcome:
    """Create the outcome's note; if its file appeared meanwhile, the next free name."""
    assert outcome.person is not None and outcome.path is not None
    person = outcome.person
    text = contact_text(vault_root, person.fields(), person.note, language).encode("utf-8")
    path = vault_root / outcome.path
    for n in range(1, MAX_SUFFIX):
        target = path if n == 1 else path.with_name(f"{path.stem} {n}.md")
        try:
            create_exclusive(target, text)
        except FileExistsError:
            continue
        outcome.path = target.relative_to(vault_root).as_posix()
        return outcome
    raise FileExistsError(f"{path} and {MAX_SUFFIX} numbered variants exist")
