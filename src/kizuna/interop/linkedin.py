"""LinkedIn's Connections.csv, in both shapes LinkedIn has exported.

Today's file starts with a preamble: a `Notes:` line, a quoted explanation
(about e-mail addresses that members hide) and a blank line, then the header
`First Name,Last Name,URL,Email Address,Company,Position,Connected On` with
dates like `09 Oct 2024`. The older file has no preamble and no URL column,
dates like `1/8/18, 6:14 PM` (US month/day/year), and sometimes a member id
`urn:li:member:…` in the e-mail column, which is not an e-mail.

First Name + Last Name → name; URL → links.linkedin; Email Address → email;
Company → company; Position → title; Connected On → met, with
`met_context: LinkedIn`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from .common import Person, Record, Unusable, full_name, one_line
from .csvfile import Row, decode_csv, rows

REQUIRED = ("First Name", "Last Name", "Connected On")
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%m/%d/%y",
                "%m/%d/%Y")
JAPANESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")


def _is_header(cells: list[str]) -> bool:
    return all(column in cells for column in REQUIRED)


def connected_on(text: str) -> date | None:
    """`09 Oct 2024`, `1/8/18, 6:14 PM`, `2024-10-09`…; None when it is none of these."""
    text = one_line(text)
    match = JAPANESE_DATE.match(text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    day_part = re.split(r",\s*\d{1,2}:\d{2}|\s+\d{1,2}:\d{2}", text)[0].strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(day_part, pattern).date()
        except ValueError:
            continue
    return None


def read_linkedin(raw: bytes) -> tuple[int, Iterator[Record]]:
    """(how many rows, the records they make); NotThisFormat if it is not Connections.csv."""
    header, found = rows(decode_csv(raw), _is_header, "LinkedIn Connections.csv")
    return len(found), (_record(row, len(header)) for row in found)


def _record(row: Row, width: int) -> Record:
    if row.extra:
        return Unusable(row.position, f"{width + row.extra} cells where the header has {width} "
                                      "(an unquoted comma?)")
    name = full_name(row.get("First Name"), "", row.get("Last Name"))
    if not name:
        return Unusable(row.position, "no name (LinkedIn leaves it empty for some members)")
    person = Person(row.position, name=name, met_context="LinkedIn")
    url = one_line(row.get("URL"))
    if url:
        person.links = [("linkedin", url)]
    email = one_line(row.get("Email Address"))
    if "@" in email and not email.startswith("urn:"):
        person.emails = [email]
    person.company = one_line(row.get("Company")) or None
    person.title = one_line(row.get("Position")) or None
    when = row.get("Connected On")
    if one_line(when):
        person.met = connected_on(when)
        if person.met is None:
            person.warnings.append(f"Connected On {one_line(when)!r} is not a date; left out")
    return person
