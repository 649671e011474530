"""The `kizuna` command: a click group whose commands load lazily.

Each command lives in its own module under `kizuna.commands` and is imported
only when it runs, so `kizuna check` never pays for vobject or watchdog.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading
from datetime import date

import click

# command name -> "module:attribute" under kizuna.commands
COMMANDS = {
    "init": "init:init",
    "check": "check:check",
    "list": "listing:list_",
    "show": "show:show",
    "build": "build:build",
    "due": "due:due",
    "add": "add:add",
    "log": "log:log",
    "promise": "promise:promise",
    "done": "done:done",
    "history": "history:history",
    "watch": "watch:watch",
    "import": "importing:import_",
    "export": "exporting:export",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f"kizuna.commands.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


@click.group(cls=LazyGroup)
@click.option("--vault", type=click.Path(file_okay=False), help="The vault folder (default: "
              "$KIZUNA_VAULT, else the nearest folder holding kizuna.toml).")
@click.option("--today", callback=_parse_today, envvar="KIZUNA_TODAY", metavar="DATE",
              help="Treat DATE (YYYY-MM-DD) as today.")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
@click.version_option(package_name="kizuna")
@click.pass_context
def cli(ctx: click.Context, vault: str | None, today: date | None, debug: bool) -> None:
    """kizuna (絆): a plain-text personal CRM. Who to reach out to, and why."""
    from .app import App

    ctx.obj = App(vault, today or date.today(), debug)


def main(argv: list[str] | None = None) -> None:
    """Entry point: one clear line on stderr for any error, never a traceback (unless --debug).

    As the console script (no `argv`) it ends the process as soon as the command is done;
    called with `argv` it raises SystemExit as click does.
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="kizuna")
    except SystemExit as done:
        if argv is None:
            _exit_now(done)
        raise
    except Exception as exc:
        if "--debug" in args or os.environ.get("KIZUNA_DEBUG"):
            raise
        click.echo(f"kizuna: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for the traceback)", err=True)
        sys.exit(1)


def _exit_now(done: SystemExit) -> None:
    """Exit with `done`'s code without freeing the vault's objects one by one.

    At exit the interpreter would free the index, hundreds of thousands of objects:
    0.12 s of a 10,000-contact `due`. What it does first is done here: the exit
    handlers run, then the output is flushed. If a flush fails (a closed pipe) or a
    thread still runs, the interpreter exits as usual, reporting it as usual.
    """
    code = done.code
    if not (code is None or type(code) is int) or threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        return
    os._exit(code or 0)
