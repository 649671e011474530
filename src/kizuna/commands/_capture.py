"""What the capture commands share: reading, editing and safely replacing one note."""

from __future__ import annotations

from collections.abc import Callable

from ..app import App, KizunaError
from ..edit import EditError
from ..write import atomic_write


def rewrite_note(app: App, rel: str, change: Callable[[bytes], bytes]) -> None:
    """Apply a pure edit to the note at vault-relative `rel`, atomically.

    The file is read, changed in memory, then read again right before the atomic
    replace: if it changed on disk meanwhile (an editor saved it), nothing is written.
    """
    path = app.vault.root / rel
    try:
        before = path.read_bytes()
    except OSError as exc:
        raise KizunaError(f"{rel}: cannot read: {exc.strerror or exc}") from None
    try:
        after = change(before)
    except EditError as exc:
        raise KizunaError(f"{rel}: {exc}") from None
    try:
        unchanged = path.read_bytes() == before
    except OSError:
        unchanged = False
    if not unchanged:
        raise KizunaError(f"{rel} changed on disk while kizuna was editing it; nothing written "
                          "(run the command again)")
    try:
        atomic_write(path, after)  # keeps the file's mode; writes through a symlink
    except OSError as exc:
        raise KizunaError(f"{rel}: cannot write: {exc.strerror or exc}") from None
