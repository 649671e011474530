"""Google Contacts CSV ("Google CSV"), in both header generations Google has exported.

The older header starts `Name,Given Name,Additional Name,Family Name,Yomi Name,
Given Name Yomi,…` and has `Group Membership` and `E-mail 1 - Type`; today's
starts `First Name,Middle Name,Last Name,Phonetic First Name,…` and has
`Labels` and `E-mail 1 - Label`. Both: a UTF-8 BOM or not, as many numbered
`E-mail N`/`Phone N`/`Website N`/`Address N` columns as the busiest contact
needs, several values in one cell joined by ` ::: `, a `* ` before the
primary value's label, multi-line quoted notes, and system labels
(`* myContacts`, `* starred`, `* Other Contacts`) that are not the user's
groups.

Name (else Given/Family or First/Last) → name; Yomi or Phonetic names →
reading; Nickname → aliases; e-mails and phones (primary first) → email,
phone; Organization name and title → company, title; address city, region
and country (else Location) → location; Birthday → birthday; user labels →
circles; websites → links; events (anniversary…) → dates; Notes → the note's body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .common import (
    Person,
    Record,
    Unusable,
    full_name,
    one_line,
    partial_date,
    reading_text,
    unique,
)
from .csvfile import Row, decode_csv, rows

MULTI = " ::: "
NUMBERED = re.compile(r"^(E-mail|Phone|Website|Address|Organization|Event) (\d+) - (.+)$")


def _is_header(cells: list[str]) -> bool:
    columns = set(cells)
    old = {"Given Name", "Family Name"} <= columns
    new = {"First Name", "Last Name"} <= columns and bool(
        columns & {"Labels", "Phonetic First Name", "E-mail 1 - Value", "Phone 1 - Value"})
    return old or new


def read_google(raw: bytes) -> tuple[int, Iterator[Record]]:
    """(how many rows, the records they make); NotThisFormat if it is not a Google CSV."""
    header, found = rows(decode_csv(raw), _is_header, "Google Contacts CSV")
    groups: dict[str, dict[int, dict[str, str]]] = {}
    for column in header:
        match = NUMBERED.match(column)
        if match:
            groups.setdefault(match.group(1), {}).setdefault(int(match.group(2)), {})[
                match.group(3)] = column
    return len(found), (_record(row, len(header), groups) for row in found)


def _split(cell: str) -> list[str]:
    return [v for v in (one_line(part) for part in cell.split(MULTI)) if v]


def _numbered(row: Row, groups: dict[str, dict[int, dict[str, str]]], kind: str
              ) -> list[tuple[str, str]]:
    """(label, value) of `kind`'s numbered columns: primary (`* `) first, then in order."""
    found: list[tuple[bool, str, str]] = []
    for number in sorted(groups.get(kind, {})):
        columns = groups[kind][number]
        label = one_line(row.get(columns.get("Label", columns.get("Type", ""))))
        primary = label.startswith("*")
        label = label.lstrip("* ").strip()
        for value in _split(row.get(columns.get("Value", ""))):
            found.append((primary, label, value))
    found.sort(key=lambda item: not item[0])
    return [(label, value) for _, label, value in found]


def _first(row: Row, *columns: str) -> str:
    for column in columns:
        values = _split(row.get(column))
        if values:
            return values[0]
    return ""


def _record(row: Row, width: int, groups: dict[str, dict[int, dict[str, str]]]) -> Record:
    if row.extra:
        return Unusable(row.position, f"{width + row.extra} cells where the header has {width} "
                                      "(an unquoted comma?)")
    name = one_line(row.get("Name")) or full_name(
        row.get("Given Name") or row.get("First Name"),
        row.get("Additional Name") or row.get("Middle Name"),
        row.get("Family Name") or row.get("Last Name"),
    )
    if not name:
        company = _first(row, "Organization Name", "Organization 1 - Name")
        return Unusable(row.position, f"no name (only an organization: {company})" if company
                        else "no name")
    person = Person(row.position, name=name)
    person.reading = reading_text(row.get("Yomi Name")) or reading_text(
        row.get("Family Name Yomi") or row.get("Phonetic Last Name"),
        row.get("Given Name Yomi") or row.get("Phonetic First Name"),
        row.get("Additional Name Yomi") or row.get("Phonetic Middle Name"),
    )
    person.aliases = [a for a in unique(_split(row.get("Nickname"))) if a != name]
    person.emails = unique(v for _, v in _numbered(row, groups, "E-mail"))
    person.phones = unique(v for _, v in _numbered(row, groups, "Phone"))
    person.company = _first(row, "Organization Name", "Organization 1 - Name") or None
    person.title = _first(row, "Organization Title", "Organization 1 - Title") or None
    for number in sorted(groups.get("Address", {})):
        columns = groups["Address"][number]
        parts = [_first(row, columns.get(k, "")) for k in ("City", "Region", "Country")]
        location = ", ".join(p for p in parts if p)
        if location:
            person.location = location
            break
    person.location = person.location or _first(row, "Location") or None
    birthday = one_line(row.get("Birthday"))
    if birthday:
        person.birthday = partial_date(birthday)
        if person.birthday is None:
            person.warnings.append(f"birthday {birthday!r} is not a date; left out")
    labels = _split(row.get("Labels") or row.get("Group Membership"))
    person.circles = unique(label for label in labels if not label.startswith("*"))
    seen: set[str] = set()
    for label, url in _numbered(row, groups, "Website"):
        if url not in seen:
            seen.add(url)
            person.links.append((label.casefold(), url))
    for label, value in _numbered(row, groups, "Event"):
        when = partial_date(value)
        label = label.casefold() or "date"
        if when is None:
            person.warnings.append(f"{label} {value!r} is not a date; left out")
        elif label not in dict(person.dates):
            person.dates.append((label, when))
    person.note = row.get("Notes").replace("\r\n", "\n").replace("\r", "\n").strip()
    return person
