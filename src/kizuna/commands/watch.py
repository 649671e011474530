from __future__ import annotations

import signal
import warnings
from datetime import date

import click

from ..app import App, KizunaError, pass_app


@click.command()
@click.option("--poll", is_flag=True,
              help="Scan the folder for changes instead of OS events (network and synced folders).")
@click.option("--debounce", type=click.IntRange(min=0, max=60_000), default=100, show_default=True,
              metavar="MS", help="Quiet period after the last change before a rebuild.")
@pass_app
def watch(app: App, poll: bool, debounce: int) -> None:
    """Build the notes, then rebuild them on every change until Ctrl-C."""
    from ..build import build_notes
    from ..index import Index
    from ..vault import Vault
    from ..watch import BuildOutcome, LiveIndex, Report, Watcher

    # Without --today, "today" moves on while the watch runs past midnight.
    fixed_today: date | None = click.get_current_context().find_root().params.get("today")

    def rebuild(vault: Vault, index: Index) -> BuildOutcome:
        return build_notes(vault, index, fixed_today or date.today())

    def show(report: Report) -> None:
        click.echo(report.line())
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)

    def warn(message: str) -> None:
        click.echo(f"kizuna: {message}", err=True)

    # watchdog warns on stderr when a new folder is filled before its watch is set up;
    # the events are not lost (it scans the new folder), so the warning is only noise.
    warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning)
    # `kill`, a service manager or `docker stop` end the watch the way Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    vault = app.vault
    live = LiveIndex(vault)
    watcher = Watcher(live, rebuild, show, debounce=debounce / 1000, poll=poll,
                      on_error=warn, daily=fixed_today is None)
    try:
        try:
            watcher.start()  # before reading, so that no change made meanwhile is missed
        except OSError as exc:  # e.g. the inotify watch limit
            hint = " (try --poll)" if not poll else ""
            raise KizunaError(f"cannot watch {vault.root}: {exc}{hint}") from None
        live.index = app.index
        watcher.build([])
        click.echo(f"watching {vault.root} (Ctrl-C to stop)", err=True)
        watcher.run()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        watcher.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
