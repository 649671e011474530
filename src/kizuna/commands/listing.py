from __future__ import annotations

import json

import click

from ..app import App, pass_app
from ..parse import fold_tag
from ..serialize import contact_json


@click.command("list")
@click.option("--tier", help="Only this tier.")
@click.option("--circle", help="Only people in this circle.")
@click.option("--status", type=click.Choice(["active", "paused", "archived"]), help="Only this status.")
@click.option("--due", "due_only", is_flag=True, help="Only people due for contact now.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: App, tier: str | None, circle: str | None, status: str | None,
          as_json: bool, due_only: bool = False) -> None:
    """List people matching the filters; exit 1 if nobody matches."""
    index, config = app.index, app.vault.config
    people = index.contacts
    if tier:
        people = [c for c in people if (c.tier or config.default_tier) == tier]
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
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("Name", "Tier", "Company", "Circles", "Status", box=None, pad_edge=False)
        for c in people:
            table.add_row(c.name, c.tier or config.default_tier or "", c.company or "",
                          ", ".join(c.circles), c.status)
        Console(soft_wrap=True).print(table)
    if not people:
        raise SystemExit(1)
