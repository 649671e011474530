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
from datetime import date
from typing import Any, cast

import click

from ..app import App, pass_app
from ..model import Depth
from ..render import span
from ..schedule import FOLLOW_UP, NOTHING_LOGGED, OVERDUE, DueContact, Schedule

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
    everyone = everyone_due(app)
    shown = everyone["due"][: limit or config.limit]
    if as_json:
        click.echo(json.dumps({**everyone, "due": shown}, ensure_ascii=False, indent=2))
        return
    words = WORDS.get(config.language, WORDS["en"])
    if not shown:
        click.echo(words["nobody"])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*words["headers"], box=None, pad_edge=False, header_style="bold")
    for entry in shown:
        last = entry["last_conversation"]
        table.add_row(str(entry["rank"]), entry["name"], entry["tier"] or "",
                      _why(entry, words, config.language),
                      f"{last['date']} {last['kind']}" if last else "")
    console = Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Into a pipe or a file: one line per person, however wide, for grep and less -S
        # (a terminal's width would be a guess: rich takes 80 columns).
        unbounded = console.options.update_width(10**6)
        console.width = console.measure(table, options=unbounded).maximum
    console.print(table)
    if everyone["total"] > len(shown):
        console.print(words["more"].format(n=everyone["total"] - len(shown)))


def everyone_due(app: App) -> dict[str, Any]:
    """The `due --json` shape for everyone due: kept from the last `due` if nothing it
    reads changed since (`stamp`), else worked out and kept for the next."""
    from ..stamp import DUE_RECORD, made_from, read_record

    inputs = made_from(app.vault, app.today, app.note_keys)
    kept = None if inputs is None else read_record(app.vault, DUE_RECORD, inputs)
    if kept is not None and _is_listing(kept.get("listing"), app.today):
        return cast(dict[str, Any], kept["listing"])
    schedule = Schedule(app.index, app.vault.config, app.today)
    if inputs is None:
        ranked = schedule.due()
        return due_json(schedule, ranked, len(ranked))
    return keep_due_listing(app, inputs, schedule)


def keep_due_listing(app: App, inputs: str, schedule: Schedule) -> dict[str, Any]:
    """Everyone `schedule` finds due, kept for the next `due` as made from `inputs`."""
    from ..stamp import DUE_RECORD, write_record

    ranked = schedule.due()
    listing = due_json(schedule, ranked, len(ranked))
    write_record(app.vault, DUE_RECORD, inputs, {"listing": listing})
    return listing


_ENTRY_KEYS = {"rank", "name", "path", "tier", "reason", "depth", "due_on", "days_overdue",
               "ratio", "score", "due_depths", "follow_up", "last_conversation"}


def _is_listing(listing: Any, today: date) -> bool:
    """Whether a kept listing has the shape `due` prints from (a damaged record is worked
    out again, never trusted)."""
    def entry_ok(entry: Any) -> bool:
        last = entry["last_conversation"]
        return (set(entry) == _ENTRY_KEYS and type(entry["rank"]) is int
                and type(entry["name"]) is str and type(entry["tier"]) in (str, type(None))
                and entry["reason"] in (OVERDUE, NOTHING_LOGGED, FOLLOW_UP)
                and entry["depth"] in (None, *(d.label for d in Depth))
                and type(entry["days_overdue"]) is int
                and (last is None or (type(last["date"]) is str and type(last["kind"]) is str)))

    try:
        return (listing["version"] == JSON_VERSION and listing["today"] == today.isoformat()
                and type(listing["total"]) is int and type(listing["due"]) is list
                and all(map(entry_ok, listing["due"])))
    except (TypeError, KeyError):
        return False


def _why(entry: dict[str, Any], words: dict[str, Any], language: str) -> str:
    if entry["reason"] != OVERDUE or entry["depth"] is None:
        return str(words[entry["reason"]])
    depth = words["depths"][entry["depth"]]
    if entry["days_overdue"] == 0:
        return str(words["today"].format(depth=depth))
    return str(words["overdue"].format(depth=depth, span=span(entry["days_overdue"], language)))
