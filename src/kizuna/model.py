"""The vault's data as plain frozen values: no I/O, no clock.

Everything here is picklable (the cache in `.kizuna/` stores parsed notes) and
small (`__slots__`), since a vault may hold 100,000 contacts.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any, Literal


class Depth(IntEnum):
    """How deep an interaction goes; a deeper one also counts for shallower cadences."""

    TOUCH = 1  # a like or a comment
    TALK = 2  # a real exchange: message, email, call, shared article
    MEET = 3  # in person

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Depth:
        return cls[text.strip().upper()]


Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the vault: which file, which line, how bad, and what."""

    path: str  # relative to the vault root, with forward slashes
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Duration:
    """`Nd`, `Nw`, `Nm` or `Ny`; months and years are calendar arithmetic."""

    count: int
    unit: Literal["d", "w", "m", "y"]

    @classmethod
    def parse(cls, text: object) -> Duration:
        """Parse a duration; raises ValueError with a readable message."""
        if isinstance(text, bool):
            raise ValueError(f"not a duration: {text!r}")
        match = _DURATION.match(str(text))
        if not match:
            raise ValueError(f"not a duration: {text!r} (use e.g. 10d, 2w, 3m, 1y)")
        unit = (match.group(2) or "d").lower()
        return cls(int(match.group(1)), unit)  # type: ignore[arg-type]

    def after(self, start: date) -> date:
        """The date this long after `start` (2026-08-31 + 1m is 2026-09-30)."""
        if self.unit == "d":
            return date.fromordinal(start.toordinal() + self.count)
        if self.unit == "w":
            return date.fromordinal(start.toordinal() + 7 * self.count)
        months = self.count if self.unit == "m" else 12 * self.count
        return add_months(start, months)

    def before(self, end: date) -> date:
        """The date this long before `end`."""
        if self.unit in ("d", "w"):
            days = self.count * (7 if self.unit == "w" else 1)
            return date.fromordinal(end.toordinal() - days)
        months = self.count if self.unit == "m" else 12 * self.count
        return add_months(end, -months)

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


def add_months(start: date, months: int) -> date:
    """Calendar month arithmetic, clamping to the month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date whose year may be unknown, like a birthday written `04-01`."""

    month: int
    day: int
    year: int | None = None

    def next_on_or_after(self, today: date) -> date:
        """The next anniversary on or after `today` (29 February falls on the 28th)."""
        for year in (today.year, today.year + 1):
            last_day = calendar.monthrange(year, self.month)[1]
            candidate = date(year, self.month, min(self.day, last_day))
            if candidate >= today:
                return candidate
        raise AssertionError("unreachable: next year is always on or after today")

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


# Not frozen, though treated as a value (hashable, never changed after parsing): a
# vault holds hundreds of thousands of log entries, and a frozen dataclass's __init__
# (object.__setattr__ per field) costs five times a plain one on that hot path.
@dataclass(slots=True, unsafe_hash=True)
class Interaction:
    """One logged contact: a log entry, a journal mention, or `last_contact`."""

    date: date
    kind: str
    depth: Depth
    inbound: bool
    text: str
    source: str  # the vault-relative path of the note it was written in
    line: int | None
    links: tuple[str, ...] = ()  # wikilink targets in the text, as written


@dataclass(frozen=True, slots=True)
class Promise:
    """A task line: a commitment to a contact."""

    text: str
    status: Literal["open", "done"]
    due: date | None
    done_on: date | None
    source: str
    line: int
    links: tuple[str, ...] = ()  # wikilink targets, as written

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True, slots=True)
class JournalMention:
    """A wikilink in a journal note: an interaction with whoever it resolves to."""

    target: str
    kind: str
    depth: Depth
    line: int
    text: str


Status = Literal["active", "paused", "archived"]

# A contact's cadence override: depth -> duration, or -> None to drop that
# depth ("talk: none"). Depths it does not name keep the tier's cadence.
Cadence = dict[Depth, Duration | None]


@dataclass(frozen=True, slots=True)
class Contact:
    """A person, as their note describes them."""

    path: str
    name: str
    aliases: tuple[str, ...] = ()
    reading: str | None = None
    tier: str | None = None
    cadence: Cadence | None = field(default_factory=dict)  # None: opted out ("none")
    status: Status = "active"
    snooze_until: date | None = None
    company: str | None = None
    title: str | None = None
    industry: str | None = None
    location: str | None = None
    circles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    met: date | None = None
    met_context: str | None = None
    introduced_by: str | None = None
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (label, url); label "" for a bare list item
    birthday: PartialDate | None = None
    dates: tuple[tuple[str, PartialDate], ...] = ()
    last_contact: date | None = None
    follow_up: date | None = None
    uid: str | None = None
    ignore_journal: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, for templates
    log: tuple[Interaction, ...] = ()  # the note's own log entries
    promises: tuple[Promise, ...] = ()  # the note's own task lines
    lines: dict[str, int] = field(default_factory=dict)  # field ("name", "aliases"…) -> line

    @property
    def stem(self) -> str:
        """The file name without `.md`: what an Obsidian `[[link]]` names."""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    @property
    def sort_name(self) -> str:
        return (self.reading or self.name).casefold()

    @property
    def has_reach(self) -> bool:
        """Whether there is any way to contact them."""
        return bool(self.emails or self.phones or self.links)


@dataclass(frozen=True, slots=True)
class Note:
    """What one file of the vault yields: a contact, or journal mentions and promises."""

    path: str
    contact: Contact | None = None
    journal_date: date | None = None
    mentions: tuple[JournalMention, ...] = ()
    promises: tuple[Promise, ...] = ()  # task lines in a non-contact note that link someone
    problems: tuple[Problem, ...] = ()
