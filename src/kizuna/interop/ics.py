"""`kizuna export ics`: follow-ups, promises and birthdays for a calendar (RFC 5545, via icalendar).

- Every due and coming-up contact is a VTODO "Reach out to NAME", due on the
  date their cadence (or follow-up) falls due, with the reason and the last
  conversation in its description.
- Every open promise is a VTODO with its due date (none when undated); a
  promise kept in the last 30 days is the same VTODO marked COMPLETED, so a
  calendar that imported it open closes it.
- Every birthday (of a contact not archived) is a yearly all-day VEVENT. With
  the year known the series starts on the birth date; without it, in 2000 (a
  leap year, so 29 February works; it recurs on the last day of February).

UIDs are derived from what stays put: the contact's `uid`, else its note's
path, and for a promise its note, its text and its rank among identical
texts in that note. Exporting again gives the same UIDs, so a calendar that
re-imports the file updates its items instead of duplicating them. DTSTAMP
is `today` at midnight UTC, so two exports on the same day are identical.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..config import Config
from ..index import Index
from ..model import Contact, PartialDate, Promise
from ..parse import plain

PRODID = "-//kizuna//kizuna export//EN"
DOMAIN = "kizuna"
LEAP_YEAR = 2000  # the first year of a birthday series whose year is unknown

TEXT = {
    "en": {
        "calendar": "kizuna",
        "reach_out": "Reach out to {name}",
        "birthday": "{name}'s birthday",
        "promise": "Promise to {names}: {text}",
        "promise_anyone": "Promise: {text}",
        "depth_due": "{depth} due {when}",
        "last": "Last: {when} {kind}: {text}",
        "tier": "Tier: {tier}",
        "note": "Note: {path}",
    },
    "ja": {
        "calendar": "kizuna",
        "reach_out": "{name}さんに連絡",
        "birthday": "{name}さんの誕生日",
        "promise": "{names}さんとの約束: {text}",
        "promise_anyone": "約束: {text}",
        "depth_due": "{depth}: {when}",
        "last": "前回: {when} {kind}: {text}",
        "tier": "ティア: {tier}",
        "note": "ノート: {path}",
    },
}


def stable_uid(kind: str, *parts: str) -> str:
    """A UID that depends only on what it is for: the same input, the same UID."""
    digest = hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{kind}-{digest}@{DOMAIN}"


def contact_key(contact: Contact) -> str:
    return f"uid:{contact.uid}" if contact.uid else f"path:{contact.path}"


def export_ics(index: Index, config: Config, today: date) -> str:
    """The calendar as text: VTODOs for follow-ups and promises, yearly VEVENTs for birthdays."""
    from icalendar import Calendar

    from ..schedule import Schedule

    words = TEXT.get(config.language, TEXT["en"])
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    schedule = Schedule(index, config, today)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", words["calendar"])
    for item in schedule.due():
        calendar.add_component(_follow_up(schedule, item.contact, item.reason, item.depth,
                                          item.due_on, stamp, words))
    for soon in schedule.coming_up():
        calendar.add_component(_follow_up(schedule, soon.contact, soon.reason, soon.depth,
                                          soon.due_on, stamp, words))
    promises = schedule.open_promises()
    ranks = _promise_ranks(index)
    for promise_item in (*promises.open, *promises.kept):
        calendar.add_component(_promise(promise_item.promise, promise_item.contacts,
                                        ranks, stamp, words))
    for contact in index.contacts:
        if contact.birthday is not None and contact.status != "archived":
            calendar.add_component(_birthday(contact, contact.birthday, stamp, words))
    text: str = calendar.to_ical().decode("utf-8")
    return text


def _follow_up(schedule: Any, contact: Contact, reason: str, depth: Any, due_on: date,
               stamp: datetime, words: dict[str, str]) -> Any:
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", stable_uid("follow-up", contact_key(contact)))
    todo.add("dtstamp", stamp)
    todo.add("summary", words["reach_out"].format(name=contact.name))
    todo.add("due", due_on)
    todo.add("status", "NEEDS-ACTION")
    lines = [reason]
    if depth is not None:
        lines.append(words["depth_due"].format(depth=depth.label, when=due_on.isoformat()))
    tier = schedule.state(contact).tier
    if tier:
        lines.append(words["tier"].format(tier=tier))
    last = schedule.last_conversation(contact)
    if last is not None:
        lines.append(words["last"].format(when=last.date.isoformat(), kind=last.kind,
                                          text=plain(last.text)).rstrip(": "))
    lines.append(words["note"].format(path=contact.path))
    todo.add("description", "\n".join(lines))
    todo.add("categories", ["kizuna", "follow-up"])
    return todo


def _promise_ranks(index: Index) -> dict[tuple[str, int], int]:
    """Each promise's rank among promises with the same text in the same note."""
    seen: Counter[tuple[str, str]] = Counter()
    ranks: dict[tuple[str, int], int] = {}
    promises = {(p.source, p.line): p for c in index.contacts for p in index.promises(c)}
    for key in sorted(promises):
        promise = promises[key]
        ranks[key] = seen[(promise.source, promise.text)]
        seen[(promise.source, promise.text)] += 1
    return ranks


def _promise(promise: Promise, contacts: tuple[Contact, ...], ranks: dict[tuple[str, int], int],
             stamp: datetime, words: dict[str, str]) -> Any:
    from icalendar import Todo

    todo = Todo()
    rank = ranks.get((promise.source, promise.line), 0)
    todo.add("uid", stable_uid("promise", promise.source, promise.text, str(rank)))
    todo.add("dtstamp", stamp)
    text = plain(promise.text)
    names = ", ".join(c.name for c in contacts)
    summary = words["promise"] if names else words["promise_anyone"]
    todo.add("summary", summary.format(names=names, text=text))
    if promise.due is not None:
        todo.add("due", promise.due)
    if promise.is_open:
        todo.add("status", "NEEDS-ACTION")
    else:
        todo.add("status", "COMPLETED")
        if promise.done_on is not None:
            done = promise.done_on
            todo.add("completed", datetime(done.year, done.month, done.day, tzinfo=UTC))
    todo.add("description", words["note"].format(path=f"{promise.source}:{promise.line}"))
    todo.add("categories", ["kizuna", "promise"])
    return todo


def _birthday(contact: Contact, birthday: PartialDate, stamp: datetime,
              words: dict[str, str]) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", stable_uid("birthday", contact_key(contact)))
    event.add("dtstamp", stamp)
    event.add("summary", words["birthday"].format(name=contact.name))
    start = date(birthday.year or LEAP_YEAR, birthday.month, birthday.day)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(days=1))
    if (birthday.month, birthday.day) == (2, 29):
        # Not every year has a 29 February: the last day of February instead.
        event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
    else:
        event.add("rrule", {"freq": "yearly"})
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["kizuna", "birthday"])
    return event
