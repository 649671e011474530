from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import click

from ..app import App, KizunaError, pass_app

# Each commit: a NUL, then date, hash and subject; --name-only then lists the note's path then.
_FORMAT = "%x00%ad%x09%h%x09%s"


@click.command()
@click.argument("name")
@pass_app
def history(app: App, name: str) -> None:
    """The git history of NAME's note, newest first, across renames."""
    contact = app.person(name)
    git = shutil.which("git")
    if git is None:
        raise KizunaError("git is not installed; history reads the vault's git history")
    root = app.vault.root
    top = _git(git, root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise KizunaError(f"{root} is not in a git repository, so there is no history "
                          "(`git init` there and commit to keep one)")
    if _git(git, root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        click.echo(f"{contact.path}: no commits yet")  # a repository with no commit at all
        return
    result = _git(git, root, "log", "--follow", "--date=short", f"--format={_FORMAT}",
                  "--name-only", "--", contact.path)
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["git log failed"])[-1]
        raise KizunaError(f"git: {message}")
    commits = [c for c in result.stdout.split("\0") if c.strip()]
    if not commits:
        click.echo(f"{contact.path}: no commits yet")
        return
    here = os.path.relpath(root, top.stdout.strip()).replace(os.sep, "/")
    prefix = "" if here == "." else here + "/"
    for commit in commits:
        header, *paths = commit.strip("\n").split("\n")
        when, short, subject = [*header.split("\t", 2), "", ""][:3]
        path = next((p for p in paths if p), "")
        path = path.removeprefix(prefix)
        renamed = f"  (as {path})" if path and path != contact.path else ""
        click.echo(f"{when}  {short}  {subject}{renamed}")


def _git(git: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C"}
    return subprocess.run(
        [git, "-c", "log.showSignature=false", "-c", "core.quotepath=off", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
        check=False,
    )
