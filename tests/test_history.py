"""`history NAME`: the git log of one note, across a rename, in a real repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def plain_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git with no user or system config, and no repository above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "test@example.com")


def git(repo: Path, *args: str, when: str = "2026-01-01") -> str:
    env_date = f"{when}T12:00:00+00:00"
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True,
        env={**os.environ, "GIT_AUTHOR_DATE": env_date, "GIT_COMMITTER_DATE": env_date},
    )
    return result.stdout.strip()


def commit(repo: Path, message: str, when: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "--short", "HEAD")


def test_history_follows_a_rename_newest_first(tmp_path: Path, run: Run) -> None:
    repo = tmp_path / "repo"
    vault = repo / "my network"  # the vault is a folder inside the repository
    (vault / "people").mkdir(parents=True)
    (vault / "kizuna.toml").write_text("", encoding="utf-8")
    git(repo, "init", "-q")
    (vault / "people/Aiko.md").write_text("## Log\n", encoding="utf-8")
    first = commit(repo, "Add Aiko", "2026-01-05")
    (vault / "people/Bo.md").write_text("## Log\n", encoding="utf-8")
    commit(repo, "Add Bo", "2026-02-01")
    git(repo, "mv", "my network/people/Aiko.md", "my network/people/Aiko Tanaka.md")
    renamed = commit(repo, "Use her full name", "2026-03-01")
    assert run(vault, "log", "aiko", "coffee: pilot").exit_code == 0
    logged = commit(repo, "Log coffee with Aiko", "2026-04-02")

    result = run(vault, "history", "Aiko Tanaka")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"2026-04-02  {logged}  Log coffee with Aiko\n"
        f"2026-03-01  {renamed}  Use her full name\n"
        f"2026-01-05  {first}  Add Aiko  (as people/Aiko.md)\n"
    )


def test_a_note_never_committed_has_no_history(tmp_path: Path, run: Run) -> None:
    vault = tmp_path / "v"
    (vault / "people").mkdir(parents=True)
    (vault / "people/Bo.md").write_text("", encoding="utf-8")
    git(vault, "init", "-q")
    result = run(vault, "history", "Bo")
    assert (result.exit_code, result.output) == (0, "people/Bo.md: no commits yet\n")


def test_a_vault_outside_git_is_one_clear_line(tmp_path: Path, run: Run) -> None:
    vault = tmp_path / "v"
    (vault / "people").mkdir(parents=True)
    (vault / "people/Bo.md").write_text("", encoding="utf-8")
    result = run(vault, "history", "Bo")
    assert result.exit_code == 1
    assert result.output == (f"kizuna: {vault} is not in a git repository, so there is no "
                             "history (`git init` there and commit to keep one)\n")


def test_missing_git_is_one_clear_line(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault = tmp_path / "v"
    (vault / "people").mkdir(parents=True)
    (vault / "people/Bo.md").write_text("", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run(vault, "history", "Bo")
    assert result.exit_code == 1
    assert result.output == "kizuna: git is not installed; history reads the vault's git history\n"


def test_an_unknown_name_is_exit_1(tmp_path: Path, run: Run) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    result = run(vault, "history", "Nobody")
    assert (result.exit_code, result.output) == (1, "kizuna: no contact named 'Nobody'\n")
