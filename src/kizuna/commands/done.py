from __future__ import annotations

import click

from .. import edit
from ..app import App, KizunaError, KizunaUsageError, pass_app
from ..model import Promise
from ..parse import fold, parse_note
from ._capture import rewrite_note

LISTED = 5  # promises named in an error


@click.command()
@click.argument("name")
@click.argument("text", nargs=-1, required=True)
@pass_app
def done(app: App, name: str, text: tuple[str, ...]) -> None:
    """Mark a promise to NAME kept: [x] and ✅ today.

    TEXT is any part of the promise, ignoring case. Task lines in other notes that
    link NAME count too; the one line is edited where it is written.
    """
    query = edit.one_line(" ".join(text))
    if not query:
        raise KizunaUsageError("TEXT is empty: give a word of the promise")
    contact = app.person(name)
    chosen = _one_match(query, [p for p in app.index.promises(contact) if p.is_open], contact.name)

    def change(raw: bytes) -> bytes:
        # The index read the file a moment ago; make sure that line is still this promise.
        note = parse_note(chosen.source, raw, app.vault.config,
                          in_people=app.vault.in_people(chosen.source))
        tasks = note.contact.promises if note.contact else note.promises
        if chosen not in tasks:
            raise edit.EditError("changed on disk since kizuna read it; nothing written "
                                 "(run the command again)")
        return edit.mark_done(raw, chosen.line, app.today)

    rewrite_note(app, chosen.source, change)
    click.echo(f"{chosen.source}:{chosen.line}: [x] {chosen.text} ✅ {app.today.isoformat()}")


def _one_match(query: str, promises: list[Promise], whose: str) -> Promise:
    """The open promise TEXT names: the only one containing it, or the only exact one."""
    key = fold(query)
    matches = [p for p in promises if key in fold(p.text)]
    exact = [p for p in matches if fold(p.text) == key]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    listed = matches or promises
    names = "; ".join(f"{p.text!r} ({p.source}:{p.line})" for p in listed[:LISTED])
    more = f" and {len(listed) - LISTED} more" if len(listed) > LISTED else ""
    if matches:
        raise KizunaError(f"{query!r} matches {len(matches)} open promises to {whose}: "
                          f"{names}{more}; say more of it")
    if not promises:
        raise KizunaError(f"no open promise to {whose}")
    raise KizunaError(f"no open promise to {whose} matches {query!r}; open: {names}{more}")
