"""`kizuna export json`: the whole index in one documented, stable shape.

```json
{
  "kizuna_json": 1,              // the shape's version; bumped only on a breaking change
  "today": "2026-11-23",         // the date the export was made for (--today)
  "contacts": [                   // every contact, by sort name (reading, else name)
    {
      "path": "people/Aiko Tanaka.md",   // relative to the vault, forward slashes
      "name": "Aiko Tanaka", "aliases": ["Aiko"], "reading": null,
      "tier": "key",                     // as written; null when the default tier applies
      "cadence": {"talk": "2m"},         // the note's own override; {} none; null: opted out
      "status": "active", "snooze_until": null,
      "company": "…", "title": "…", "industry": null, "location": null,
      "circles": [], "tags": [], "met": "2024-05-12", "met_context": "…",
      "introduced_by": null, "interests": [], "needs": [], "offers": [],
      "email": ["aiko@example.com"], "phone": [],
      "links": [{"label": "linkedin", "url": "https://…"}],
      "birthday": "1990-04-01",          // or "--04-01" without a year
      "dates": {"joined Example Corp": "2023-04-01"},
      "last_contact": null, "follow_up": null, "uid": null,
      "extra": {"any unknown key": "its value"},   // front matter keys kizuna does not know
      "effective_cadence": {"touch": "1m", "talk": "2m", "meet": "6m"},  // tier + override
      "last": {"touch": "2026-11-20", "talk": "2026-11-20", "meet": "2026-11-20"},
      "interactions": [                   // newest first, from every source
        {"date": "2026-11-20", "kind": "coffee", "depth": "meet", "inbound": false,
         "text": "…", "source": "people/Aiko Tanaka.md", "line": 12}
      ],
      "promises": [
        {"text": "…", "status": "open", "due": "2026-11-27", "done_on": null,
         "source": "people/Aiko Tanaka.md", "line": 20}
      ]
    }
  ],
  "problems": [{"path": "…", "line": 3, "severity": "error", "message": "…"}]
}
```

Every key is always present (null or empty when unknown). Each contact is
`kizuna.serialize.contact_json`, the same shape as `show --json`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..index import Index
from ..serialize import JSON_VERSION, contact_json, problem_json


def export_json(index: Index, today: date) -> str:
    data: dict[str, Any] = {
        "kizuna_json": JSON_VERSION,
        "today": today.isoformat(),
        "contacts": [contact_json(c, index) for c in index.contacts],
        "problems": [problem_json(p) for p in index.problems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
