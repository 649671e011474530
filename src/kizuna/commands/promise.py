from __future__ import annotations

from datetime import date

import click

from .. import edit
from ..app import App, KizunaUsageError, pass_app
from ..cli import _parse_today as parse_date
from ._capture import rewrite_note


@click.command()
@click.argument("name")
@click.argument("text", nargs=-1, required=True)
@click.option("--due", callback=parse_date, metavar="DATE", help="Keep it by DATE (📅).")
@pass_app
def promise(app: App, name: str, text: tuple[str, ...], due: date | None) -> None:
    """Note a promise to NAME: an open task under Promises.

    TEXT is the rest of the line: `kizuna promise Aiko send the paper --due 2026-11-27`.
    A `## Promises` section is added at the end of the note if it has none.
    """
    if not edit.one_line(" ".join(text)):
        raise KizunaUsageError("TEXT is empty: say what you promised")
    task = edit.promise_task(" ".join(text), due)
    contact = app.person(name)
    rewrite_note(app, contact.path, lambda raw: edit.add_promise(raw, task, app.vault.config))
    click.echo(f"{contact.path}: - {task}")
