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
import os
from typing import Any

import click

from ..app import App, pass_app
from ..render import span
from ..schedule import OVERDUE, DueContact, Schedule

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


WORDS: dict[str, dict[str, Any]] = {
    "en": {"headers": ("#", "Name", "Tier", "Why now", "Last conversation"),
           "nobody": "Nobody is due: every relationship is on cadence.",
           "more": "… and {n} more (--limit N to see them)",
           "today": "{depth} due today", "overdue": "{depth} {span} overdue",
           "depths": {"touch": "touch", "talk": "talk", "meet": "meet"},
           "nothing logged yet": "nothing logged yet",
           "follow-up you set": "follow-up you set"},
    "ja": {"headers": ("#", "名前", "ティア", "いま連絡する理由", "前回の話"),
           "nobody": "連絡が必要な人はいません。どの関係も目安どおりです。",
           "more": "…ほか {n} 人(--limit N で表示)",
           "today": "{depth}: 今日が目安日", "overdue": "{depth}: {span}過ぎ",
           "depths": {"touch": "いいね・コメント", "talk": "やりとり", "meet": "対面"},
           "nothing logged yet": "まだ記録なし", "follow-up you set": "設定したフォローアップ"},
}


@click.command()
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N people "
              "(default: the `limit` setting).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def due(app: App, limit: int | None, as_json: bool) -> None:
    """The reach-out list: who is due, ranked, and why."""
    config = app.vault.config
    schedule = Schedule(app.index, config, app.today)
    everyone = schedule.due()
    items = everyone[: limit or config.limit]
    if as_json:
        click.echo(json.dumps(due_json(schedule, items, len(everyone)), ensure_ascii=False,
                              indent=2))
        return
    words = WORDS.get(config.language, WORDS["en"])
    if not items:
        click.echo(words["nobody"])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*words["headers"], box=None, pad_edge=False, header_style="bold")
    for rank, item in enumerate(items, 1):
        last = schedule.last_conversation(item.contact)
        table.add_row(str(rank), item.contact.name, item.tier or "",
                      _why(item, words, config.language),
                      f"{last.date} {last.kind}" if last else "")
    console = Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Into a pipe or a file: one line per person, however wide, for grep and less -S
        # (a terminal's width would be a guess: rich takes 80 columns).
        unbounded = console.options.update_width(10**6)
        console.width = console.measure(table, options=unbounded).maximum
    console.print(table)
    if len(everyone) > len(items):
        console.print(words["more"].format(n=len(everyone) - len(items)))


def _why(item: DueContact, words: dict[str, Any], language: str) -> str:
    if item.reason != OVERDUE or item.depth is None:
        return str(words[item.reason])
    depth = words["depths"][item.depth.label]
    if item.days_overdue == 0:
        return str(words["today"].format(depth=depth))
    return str(words["overdue"].format(depth=depth, span=span(item.days_overdue, language)))
