"""`kizuna list`: people matching filters."""

from __future__ import annotations

import json
import unicodedata

import click

from ..app import App, pass_app
from ..parse import fold_tag
from ..serialize import contact_json


@click.command("list")
@click.option("--tier", help="Only this tier.")
@click.option("--circle", help="Only people in this circle.")
@click.option("--status", type=click.Choice(["active", "paused", "archived"]),
              help="Only this status.")
@click.option("--due", "due_only", is_flag=True, help="Only people due for contact now.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: App, tier: str | None, circle: str | None, status: str | None,
          as_json: bool, due_only: bool = False) -> None:
    """List people matching the filters; exit 1 if nobody matches."""
    index, config = app.index, app.vault.config
    people = index.contacts
    if tier:
        wanted_tier = tier.casefold()
        people = [c for c in people
                  if (c.tier or config.default_tier or "").casefold() == wanted_tier]
    if circle:
        wanted = fold_tag(circle)
        people = [c for c in people if wanted in {fold_tag(x) for x in c.circles}]
    if status:
        people = [c for c in people if c.status == status]
    if due_only:
        from ..schedule import Schedule

        due = {d.contact.path for d in Schedule(index, config, app.today).due()}
        people = [c for c in people if c.path in due]
    if as_json:
        click.echo(json.dumps([contact_json(c, index, full=False) for c in people],
                              ensure_ascii=False, indent=2))
    elif not people:
        click.echo("nobody matches", err=True)
    else:
        rows: list[tuple[str, ...]] = [("Name", "Tier", "Company", "Circles", "Status")]
        rows += [(c.name, c.tier or config.default_tier or "", c.company or "",
                  ", ".join(c.circles), c.status) for c in people]
        for line in table(rows):
            click.echo(line)
    if not people:
        raise SystemExit(1)


def width(text: str) -> int:
    """Columns a terminal gives the text: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as aligned columns, two spaces apart; never wrapped, so it pipes and greps well."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row))
            .rstrip() for row in rows]
