"""`kizuna import vcard|linkedin|google FILE`: new contact notes; existing people untouched."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import click

from ..app import App, KizunaError, pass_app
from ..interop.common import PROGRESS_MIN, Record, Summary, plan, write_note

T = TypeVar("T")
Reader = Callable[[bytes], tuple[int, Iterator[Record]]]


@click.group("import")
def import_() -> None:
    """Import contacts from vCard, LinkedIn or Google; people already in the vault are skipped."""


def _options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--dry-run", is_flag=True,
                           help="Show what would happen; write nothing.")(command)
    return click.argument("file", type=click.Path(exists=True, dir_okay=False,
                                                  path_type=Path))(command)


def _progress(items: Iterable[T], total: int) -> Iterator[T]:
    """A progress bar on stderr for a large file, when stderr is a terminal."""
    if total < PROGRESS_MIN or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("importing", total=total)
        for item in items:
            yield item
            bar.advance(task)


def run_import(app: App, file: Path, reader: Reader, dry_run: bool) -> None:
    """Read FILE with `reader`, then create, report and summarize."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise KizunaError(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        total, records = reader(raw)
    except ValueError as exc:
        raise KizunaError(f"{file}: {exc}") from None
    vault = app.vault
    people = vault.root / vault.config.people[0]
    summary = Summary()
    for outcome in _progress(plan(records, app.index, people, vault.root), total):
        if outcome.action == "create" and not dry_run:
            try:
                write_note(outcome, vault.root, vault.config.language)
            except OSError as exc:
                raise KizunaError(f"cannot write {outcome.path}: {exc.strerror or exc} "
                                  f"(stopped; {summary.line(False)})") from None
        summary.add(outcome)
        click.echo(outcome.line(dry_run))
    click.echo(summary.line(dry_run))
    if summary.unusable and not (summary.created or summary.existing):
        raise KizunaError(f"nothing in {file} could be imported")


@import_.command("vcard")
@_options
@pass_app
def vcard(app: App, file: Path, dry_run: bool) -> None:
    """vCard 2.1, 3.0 or 4.0 (.vcf) from a phone or an app.

    One or many cards, as phones, Google, iCloud and Outlook export them.
    """
    from ..interop.vcard import read_vcards

    run_import(app, file, read_vcards, dry_run)


@import_.command("linkedin")
@_options
@pass_app
def linkedin(app: App, file: Path, dry_run: bool) -> None:
    """LinkedIn's Connections.csv (met: the connection date).

    Today's export (with its "Notes:" preamble) and the older one.
    """
    from ..interop.linkedin import read_linkedin

    run_import(app, file, read_linkedin, dry_run)


@import_.command("google")
@_options
@pass_app
def google(app: App, file: Path, dry_run: bool) -> None:
    """Google Contacts CSV (old or new header).

    Names, readings, e-mails, phones, organization, birthday and notes; labels
    become circles (system labels such as "* myContacts" are left out).
    """
    from ..interop.google import read_google

    run_import(app, file, read_google, dry_run)
