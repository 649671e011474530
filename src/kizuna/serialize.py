"""The documented, stable JSON shapes of `check --json`, `list --json`, `show --json`
(and `export json`, which builds on `contact_json`).

Dates are ISO strings; missing values are null or empty lists, never absent
keys, so consumers can rely on every key being there. New keys may be added;
existing ones keep their meaning (JSON_VERSION changes if one ever must).

`check --json`::

    {"contacts": 12, "errors": 1, "warnings": 2,
     "problems": [{"path": "people/A.md", "line": 3, "severity": "error",
                   "message": "met: 'soon' is not a date (use YYYY-MM-DD); the field is ignored"}]}

`list --json`: a list of contacts, `contact_json(full=False)`::

    [{"path": "people/Aiko Tanaka.md", "name": "Aiko Tanaka", "aliases": ["Aiko"],
      "reading": null, "tier": "key", "cadence": {"talk": "2m"} | {"talk": null} | {} | null,
      "status": "active", "snooze_until": null, "company": "Example Corp",
      "title": "Head of Learning", "industry": null, "location": "Tokyo",
      "circles": ["ex-colleagues"], "tags": ["person"], "met": "2024-05-12",
      "met_context": "…", "introduced_by": "Kenji Sato", "interests": ["ai"],
      "needs": [], "offers": [], "email": ["aiko@example.com"], "phone": [],
      "links": [{"label": "linkedin", "url": "https://…"}],
      "birthday": "1990-04-01" | "--04-01" | null, "dates": {"joined": "2023-04-01"},
      "last_contact": null, "follow_up": null, "uid": null,
      "extra": {"any unknown key": "its value, dates as ISO strings"}}]

`cadence` is the contact's own override: `{}` none (the tier's applies), a
depth mapped to null drops that depth, and null means `cadence: none`.

`show --json`: one contact, `contact_json(full=True)`: the keys above plus::

    "effective_cadence": {"touch": "1m", "talk": "2m", "meet": "6m"},
    "last": {"touch": "2026-11-20" | null, "talk": …, "meet": …},
    "interactions": [{"date": "2026-11-20", "kind": "coffee", "depth": "meet",
                      "inbound": false, "text": "…", "source": "people/Aiko Tanaka.md",
                      "line": 12}],          # newest first; line null for last_contact
    "promises": [{"text": "Send the paper", "status": "open" | "done",
                  "due": "2026-11-27" | null, "done_on": null, "source": "…", "line": 20}]

and `show` adds "cadence_state" from the schedule (see kizuna/commands/show.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .index import Index
from .model import Contact, Depth, Interaction, Problem, Promise

JSON_VERSION = 1


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def jsonable(value: Any) -> Any:
    """A front matter value as JSON: dates as ISO strings, anything odd as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return str(value)


def interaction_json(item: Interaction) -> dict[str, Any]:
    return {
        "date": item.date.isoformat(),
        "kind": item.kind,
        "depth": item.depth.label,
        "inbound": item.inbound,
        "text": item.text,
        "source": item.source,
        "line": item.line,
    }


def promise_json(item: Promise) -> dict[str, Any]:
    return {
        "text": item.text,
        "status": item.status,
        "due": _iso(item.due),
        "done_on": _iso(item.done_on),
        "source": item.source,
        "line": item.line,
    }


def problem_json(item: Problem) -> dict[str, Any]:
    return {"path": item.path, "line": item.line, "severity": item.severity,
            "message": item.message}


def contact_json(contact: Contact, index: Index, *, full: bool = True) -> dict[str, Any]:
    """One contact; `full` adds their interactions and promises."""
    cadence: dict[str, str | None] | None
    if contact.cadence is None:
        cadence = None
    else:
        cadence = {d.label: (str(v) if v else None) for d, v in contact.cadence.items()}
    data: dict[str, Any] = {
        "path": contact.path,
        "name": contact.name,
        "aliases": list(contact.aliases),
        "reading": contact.reading,
        "tier": contact.tier,
        "cadence": cadence,
        "status": contact.status,
        "snooze_until": _iso(contact.snooze_until),
        "company": contact.company,
        "title": contact.title,
        "industry": contact.industry,
        "location": contact.location,
        "circles": list(contact.circles),
        "tags": list(contact.tags),
        "met": _iso(contact.met),
        "met_context": contact.met_context,
        "introduced_by": contact.introduced_by,
        "interests": list(contact.interests),
        "needs": list(contact.needs),
        "offers": list(contact.offers),
        "email": list(contact.emails),
        "phone": list(contact.phones),
        "links": [{"label": label, "url": url} for label, url in contact.links],
        "birthday": str(contact.birthday) if contact.birthday else None,
        "dates": {label: str(when) for label, when in contact.dates},
        "last_contact": _iso(contact.last_contact),
        "follow_up": _iso(contact.follow_up),
        "uid": contact.uid,
        "extra": {str(key): jsonable(value) for key, value in contact.extra.items()},
    }
    if full:
        effective = index.config.cadence_for(contact)
        data["effective_cadence"] = {d.label: str(v) for d, v in effective.items()}
        last = {depth: index.last(contact, depth) for depth in Depth}
        data["last"] = {d.label: _iso(item.date if item else None) for d, item in last.items()}
        data["interactions"] = [interaction_json(i) for i in reversed(index.interactions(contact))]
        data["promises"] = [promise_json(p) for p in index.promises(contact)]
    return data
