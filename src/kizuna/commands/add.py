from __future__ import annotations

from datetime import date
from typing import Any

import click

from ..app import App, KizunaError, KizunaUsageError, pass_app
from ..cli import _parse_today as parse_date
from ..edit import one_line
from ..parse import fold, parse_note


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--tier", "-t", help="One of the tiers in kizuna.toml.")
@click.option("--circle", "-c", "circles", multiple=True, help="A circle they belong to "
              "(repeat for more).")
@click.option("--email", "-e", help="Their email address.")
@click.option("--met", callback=parse_date, metavar="DATE", help="When you first met.")
@click.option("--met-context", metavar="TEXT", help="Where or how you met.")
@pass_app
def add(app: App, name: tuple[str, ...], tier: str | None, circles: tuple[str, ...],
        email: str | None, met: date | None, met_context: str | None) -> None:
    """Add a person: a new note from the contact template.

    The note goes in the (first) people folder, named after NAME made safe for a file
    name. Refuses a name or alias someone already has (ignoring case and width).
    """
    from ..newnote import safe_filename
    from ..write import create_exclusive

    full_name = one_line(" ".join(name))
    if not full_name:
        raise KizunaUsageError("NAME is empty")
    config = app.vault.config
    if tier is not None and config.tier(tier) is None:
        names = ", ".join(t.name for t in config.tiers)
        raise KizunaUsageError(f"--tier {tier!r}: not a tier (tiers: {names})")
    stem = safe_filename(full_name)
    keys = {fold(full_name), fold(stem)}
    for contact in app.index.contacts:
        if keys & {fold(contact.name), fold(contact.stem), *map(fold, contact.aliases)}:
            raise KizunaError(f"{full_name!r} is already in the vault: {contact.name} "
                              f"({contact.path}); nothing written")
    rel = f"{config.people[0].strip('/')}/{stem}.md"
    fields = {
        "name": full_name if full_name != stem else None,  # the file's name says it already
        "tier": tier,
        "circles": [one_line(c) for c in circles if one_line(c)],
        "email": one_line(email or ""),
        "met": met,
        "met_context": one_line(met_context or ""),
    }
    text = _render(app, fields)
    note = parse_note(rel, text.encode("utf-8"), config, in_people=True)
    if note.contact is None:
        reason = note.problems[0].message if note.problems else "it is not a contact"
        raise KizunaError(f"the contact template made a note kizuna cannot read ({reason}); "
                          "fix .kizuna/templates/contact.md; nothing written")
    path = app.vault.root / rel
    try:
        create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        raise KizunaError(f"{rel} exists already; nothing written") from None
    except OSError as exc:
        raise KizunaError(f"{rel}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"Added {note.contact.name}: {rel}")



def _render(app: App, fields: dict[str, Any]) -> str:
    import jinja2

    from ..newnote import contact_text

    try:
        return contact_text(app.vault.root, fields, language=app.vault.config.language)
    except jinja2.TemplateError as exc:
        raise KizunaError(f"contact template: {exc}") from None
