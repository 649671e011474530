"""The documented, stable JSON shapes of `show --json`, `list --json` and `export json`.

Dates are ISO strings; missing values are null or empty lists, never absent
keys, so consumers can rely on every key being there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .index import Index
from .model import Contact, Interaction, Problem, Promise

JSON_VERSION = 1


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


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
    }
    if full:
        data["interactions"] = [interaction_json(i) for i in reversed(index.interactions(contact))]
        data["promises"] = [promise_json(p) for p in index.promises(contact)]
    return data
