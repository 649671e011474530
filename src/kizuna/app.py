"""What every command shares: the vault, its settings, the index, and "today"."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

import click

from .config import ConfigError
from .index import Index
from .model import Contact
from .vault import Vault, VaultNotFound, find_vault

if TYPE_CHECKING:
    from .cache import NoteKeys


class KizunaError(click.ClickException):
    """An expected failure: one line on stderr, exit 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"kizuna: {self.format_message()}", err=True)


class KizunaUsageError(KizunaError):
    """The command cannot start as given: exit 2."""

    exit_code = 2


class App:
    """Lazily opened state for one command run."""

    def __init__(self, vault: str | None, today: date, debug: bool = False) -> None:
        self._vault_arg = vault
        self.today = today
        self.debug = debug

    @cached_property
    def vault(self) -> Vault:
        try:
            return Vault.open(find_vault(self._vault_arg))
        except VaultNotFound as exc:
            raise KizunaUsageError(str(exc)) from None
        except ConfigError as exc:
            raise KizunaError(str(exc)) from None

    @cached_property
    def index(self) -> Index:
        from .cache import load_index

        # In a command, the cache may be written by another process while this one
        # works: the command waits for it at its end (click closes the root context).
        context = click.get_current_context(silent=True)
        return load_index(self.vault, found=self.note_keys, defer=None if context is None
                          else context.find_root().call_on_close)

    @cached_property
    def note_keys(self) -> NoteKeys:
        """The notes' sizes and times, found once per command (the index's load and the
        records of `stamp` both use them)."""
        from .cache import note_keys

        return note_keys(self.vault)

    def person(self, name: str) -> Contact:
        """The one contact NAME means, or an error listing the candidates."""
        found = self.index.find(name)
        if len(found) == 1:
            return found[0]
        if not found:
            close = self.index.suggest(name)
            hint = f"; did you mean: {', '.join(c.name for c in close)}?" if close else ""
            raise KizunaError(f"no contact named {name!r}{hint}")
        names = ", ".join(f"{c.name} ({c.path})" for c in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise KizunaError(f"{name!r} is ambiguous: {names}{more}")


def count(n: int, noun: str) -> str:
    """`1 error`, `2 errors`: the summary lines' counts."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


pass_app = click.make_pass_decorator(App)
