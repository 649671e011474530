"""What the import and export tests share: the fixtures folder and reading a vault back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from kizuna.model import Contact
from kizuna.vault import Vault

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"


def people(root: Path) -> dict[str, Contact]:
    """Every contact of the vault at root, by name, read the way kizuna reads them."""
    contacts = [n.contact for n in Vault.open(root).read_all() if n.contact is not None]
    return {c.name: c for c in contacts}


def note_text(root: Path, contact: Contact) -> str:
    return (root / contact.path).read_text(encoding="utf-8")


def body(root: Path, contact: Contact) -> str:
    """The free text of a contact note: after the front matter, before the first heading."""
    text = note_text(root, contact)
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return ("\n" + text).split("\n## ", 1)[0].strip()


def problems(root: Path) -> list[str]:
    from kizuna.index import Index

    vault = Vault.open(root)
    return [str(p) for p in Index(vault.read_all(), vault.config).problems
            if p.severity == "error"]


# Files every import test starts from besides its own: they must come out byte-identical.
SEED = {
    "people/Someone Else.md": "---\nname: Someone Else\nemail: else@example.org\n---\r\nNotes.\n",
    "Daily/2026-11-20.md": "Lunch with [[Someone Else]].\n",
}


def run_import(run: Callable[..., Result], vault: Path, kind: str, file: Path, *args: str,
               code: int = 0) -> tuple[Result, set[str]]:
    """Import FILE; check every file that was there is byte-identical; return the new files."""
    from conftest import snapshot

    before = snapshot(vault)
    result = run(vault, "import", kind, str(file), *args)
    assert result.exit_code == code, result.output
    after = snapshot(vault)
    assert {name: after.get(name) for name in before} == before
    return result, set(after) - set(before)
