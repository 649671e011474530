"""`kizuna export vcard|ics|json [-o FILE]`: the vault in other tools' formats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..app import App, KizunaError, pass_app
from ..write import atomic_write


@click.group()
def export() -> None:
    """Export contacts as vCard 4.0, follow-ups and birthdays as iCalendar, or the index as JSON."""


def _output(command: Callable[..., None]) -> Callable[..., None]:
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to this file (default: standard output).")(command)


def emit(data: str, output: Path | None) -> None:
    """To the file the user named (any folder: DESIGN §2), else to standard output."""
    raw = data.encode("utf-8")
    if output is None:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(data)
        else:
            stream.write(raw)
        sys.stdout.flush()
        return
    if output.is_dir():
        raise KizunaError(f"{output} is a folder; name a file")
    if not output.parent.is_dir():
        raise KizunaError(f"no folder {output.parent} to write {output.name} in")
    try:
        atomic_write(output, raw)
    except OSError as exc:
        raise KizunaError(f"cannot write {output}: {exc.strerror or exc}") from None


@export.command("vcard")
@_output
@pass_app
def vcard(app: App, output: Path | None) -> None:
    """All contacts as vCard 4.0.

    One card per contact; tier and cadence as X-KIZUNA-TIER and X-KIZUNA-CADENCE.
    Without -o, to standard output.
    """
    from ..interop.vcard import export_vcards

    emit(export_vcards(app.index, app.vault.root), output)
    if output is not None:
        click.echo(f"wrote {len(app.index.contacts)} contacts to {output}", err=True)


@export.command("ics")
@_output
@pass_app
def ics(app: App, output: Path | None) -> None:
    """Follow-ups, promises and birthdays as iCalendar.

    Due and coming-up follow-ups and open promises as to-dos with due dates,
    birthdays as yearly events; UIDs stay the same from one export to the next.
    """
    from ..interop.ics import export_ics

    emit(export_ics(app.index, app.vault.config, app.today), output)


@export.command("json")
@_output
@pass_app
def json(app: App, output: Path | None) -> None:
    """The whole index as JSON.

    Contacts with their interactions and promises, and the problems, in the
    shape documented in kizuna.interop.jsonexport.
    """
    from ..interop.jsonexport import export_json

    emit(export_json(app.index, app.today), output)
