from __future__ import annotations

import click

from ..app import App, count, pass_app


@click.command()
@pass_app
def build(app: App) -> None:
    """Index the vault and write the generated notes; print a summary and the problems."""
    from ..build import build_notes

    result = build_notes(app.vault, app.index, app.today)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    errors = result.errors
    click.echo(
        f"{count(result.contacts, 'contact')}, {len(result.written)} of "
        f"{count(result.notes, 'note')} written, {count(len(result.problems), 'problem')} "
        f"({count(errors, 'error')}), {result.ms:.0f} ms"
    )
    if errors:
        raise SystemExit(1)

