from __future__ import annotations

import time

import click

from ..app import App, count, pass_app


@click.command()
@pass_app
def build(app: App) -> None:
    """Index the vault and write the generated notes; print a summary and the problems."""
    from ..stamp import made_from, record_build, recorded_build
    from .due import keep_due_listing

    started = time.perf_counter()
    inputs = made_from(app.vault, app.today, app.note_keys)
    result = None if inputs is None else recorded_build(app.vault, inputs)
    if result is not None:  # nothing changed since the last build: its result stands
        result.ms = (time.perf_counter() - started) * 1000
    else:
        from ..build import build_notes

        result = build_notes(app.vault, app.index, app.today)
        if inputs is not None:
            record_build(app.vault, inputs, result)
            if result.schedule is not None:  # a `due` next finds its listing ready
                keep_due_listing(app, inputs, result.schedule)
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

