"""`kizuna due`: the reach-out list in the terminal.

`due --json` prints this stable shape (keys are only ever added; `version`
changes if one must change meaning)::

    {"version": 1, "today": "2026-11-23", "total": 13,      # total: everyone due
     "due": [{"rank": 1, "name": "Emma Clarke", "path": "people/Emma Clarke.md",
              "tier": "inner" | null,
              "reason": "overdue" | "nothing logged yet" | "follow-up you set",
              "depth": "touch" | "talk" | "meet" | null,      # the deepest due depth
              "due_on": "2026-10-26", "days_overdue": 28,
              "ratio": 1.933, "score": 7.733,                  # ratio × tier weight
              "due_depths": ["meet"],                          # deepest first
              "follow_up": "2026-11-16" | null,
              "last_conversation": {"date": "2026-11-14", "kind": "message",
                                    "inbound": false, "text": "…"} | null}]}
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..app import App, pass_app
from ..render import span
from ..schedule import DueContact, Schedule

JSON_VERSION = 1


def due_json(schedule: Schedule, items: list[DueContact], total: int) -> dict[str, Any]:
    """The stable shape of `due --json` (documented in the README)."""

    def entry(rank: int, item: DueContact) -> dict[str, Any]:
        last = schedule.last_conversation(item.contact)
        return {
            "rank": rank,
            "name": item.contact.name,
            "path": item.contact.path,
            "tier": item.tier,
            "reason": item.reason,
            "depth": item.depth.label if item.depth else None,
            "due_on": item.due_on.isoformat(),
            "days_overdue": item.days_overdue,
            "ratio": round(item.ratio, 3),
            "score": round(item.score, 3),
            "due_depths": [d.depth.label for d in item.due_depths],
            "follow_up": item.follow_up.isoformat() if item.follow_up else None,
            "last_conversation": None if last is None else {
                "date": last.date.isoformat(), "kind": last.kind, "inbound": last.inbound,
                "text": last.text,
            },
        }

    return {
        "version": JSON_VERSION,
        "today": schedule.today.isoformat(),
        "total": total,
        "due": [entry(rank, item) for rank, item in enumerate(items, 1)],
    }


@click.command()
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N people "
              "(default: the `limit` setting).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def due(app: App, limit: int | None, as_json: bool) -> None:
    """The reach-out list: who is due, ranked, and why."""
    from ..build import read_profile

    config = app.vault.config
    profile, _ = read_profile(app.vault)
    schedule = Schedule(app.index, config, app.today, me=profile.me if profile else None)
    everyone = schedule.due()
    items = everyone[: limit or config.limit]
    if as_json:
        click.echo(json.dumps(due_json(schedule, items, len(everyone)), ensure_ascii=False,
                              indent=2))
        return
    if not items:
        click.echo("Nobody is due: every relationship is on cadence.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("#", "Name", "Tier", "Why now", "Last conversation", box=None,
                  pad_edge=False, header_style="bold")
    for rank, item in enumerate(items, 1):
        last = schedule.last_conversation(item.contact)
        table.add_row(str(rank), item.contact.name, item.tier or "", _why(item),
                      f"{last.date} {last.kind}" if last else "")
    console = Console(soft_wrap=False)
    console.print(table)
    if len(everyone) > len(items):
        console.print(f"… and {len(everyone) - len(items)} more (--limit N to see them)")


def _why(item: DueContact) -> str:
    if item.reason != "overdue" or item.depth is None:
        return item.reason
    if item.days_overdue == 0:
        return f"{item.depth.label} due today"
    return f"{item.depth.label} {span(item.days_overdue)} overdue"
