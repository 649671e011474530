"""Shared fixtures: real vaults in tmp_path, a fixed today, and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kizuna.cli import cli
from kizuna.config import Config
from kizuna.model import Note
from kizuna.parse import parse_note

TODAY = date(2026, 11, 23)
REPO = Path(__file__).resolve().parent.parent
SAMPLE_VAULT = REPO / "sample-vault"

MakeVault = Callable[[dict[str, str | bytes]], Path]


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


@pytest.fixture
def make_vault(tmp_path: Path) -> MakeVault:
    """make_vault({"people/A.md": "..."}) -> a vault root with kizuna.toml (unless given)."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "vault"
        root.mkdir(exist_ok=True)
        if "kizuna.toml" not in files and not (root / "kizuna.toml").exists():
            (root / "kizuna.toml").write_text("", encoding="utf-8")
        write_files(root, files)
        return root

    return make


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes under root: to prove a command changed nothing it should not."""
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def run() -> Callable[..., Result]:
    """run(vault, "check", "--json") -> the click Result of the real CLI, with today fixed."""

    def invoke(vault: Path, *args: str, today: date = TODAY) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, ["--vault", str(vault), "--today", today.isoformat(), *args],
                             catch_exceptions=False)

    return invoke


ParseFn = Callable[..., Note]


@pytest.fixture
def parse() -> ParseFn:
    """parse(text, path="people/Aiko Tanaka.md", config=Config(), in_people=None) -> Note.

    `in_people` defaults to whether the path is under people/; text may be str or bytes.
    """

    def parse_text(text: str | bytes, path: str = "people/Aiko Tanaka.md",
                   config: Config | None = None, in_people: bool | None = None) -> Note:
        raw = text.encode("utf-8") if isinstance(text, str) else text
        inside = path.startswith("people/") if in_people is None else in_people
        return parse_note(path, raw, config or Config(), in_people=inside)

    return parse_text
