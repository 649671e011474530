"""The command line as a whole: help for every command, and the installed entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kizuna import cli


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_command_has_help(name: str) -> None:
    command = cli.cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None and command.help, f"{name} is missing its help"


def test_installed_entry_point_runs_check_on_a_new_vault(tmp_path: Path) -> None:
    kizuna = Path(sys.executable).parent / "kizuna"
    made = subprocess.run([kizuna, "init", str(tmp_path / "v")], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([kizuna, "--vault", str(tmp_path / "v"), "check"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "1 contact, 0 errors" in checked.stdout


def test_no_vault_is_one_line_that_says_how_to_make_one(tmp_path: Path) -> None:
    kizuna = Path(sys.executable).parent / "kizuna"
    result = subprocess.run([kizuna, "check"], capture_output=True, text=True, cwd=tmp_path,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "kizuna init" in result.stderr and "Traceback" not in result.stderr
