from __future__ import annotations

from datetime import date

import click

from .. import edit
from ..app import App, KizunaUsageError, pass_app
from ..cli import _parse_today as parse_date
from ..parse import KIND_PREFIX
from ._capture import rewrite_note


@click.command()
@click.argument("name")
@click.argument("text", nargs=-1, required=True)
@click.option("--kind", "-k", help="What it was: coffee, email, call, like… "
              "(default: a leading `KIND:` in TEXT, else note).")
@click.option("--date", "-d", "when", callback=parse_date, metavar="DATE",
              help="When it happened (default: today).")
@click.option("--inbound", is_flag=True, help="They reached out to me (written `<-`).")
@pass_app
def log(app: App, name: str, text: tuple[str, ...], kind: str | None, when: date | None,
        inbound: bool) -> None:
    """Log an interaction at the top of NAME's log.

    TEXT is the rest of the line: `kizuna log Aiko coffee: her pilot went live`.
    A `## Log` section is added at the end of the note if it has none.
    """
    if kind is not None and not KIND_PREFIX.fullmatch(f"{kind}:"):
        raise KizunaUsageError(f"--kind {kind!r}: one word (letters, digits, - or _)")
    contact = app.person(name)
    entry = edit.log_entry(when or app.today, " ".join(text), kind, inbound)
    rewrite_note(app, contact.path, lambda raw: edit.add_log_entry(raw, entry, app.vault.config))
    click.echo(f"{contact.path}: - {entry}")
