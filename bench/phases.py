"""Where the CPU time of a cold `build` and of a warm `due` goes, phase by phase.

    python bench/phases.py bench/vaults/10000

Runs the phases in this process, timing each with time.process_time (no profiler
overhead), and prints three Markdown tables. The cold build deletes the vault's
cache and generated notes first; the warm due runs after it, with the cache present.
Not counted: starting the interpreter (about 20 ms) and ending it. The third table
sets kizuna's parser beside `frontmatter.load` on the same files, in turns.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)


def _timed(spent: dict[str, float], phase: str, function):  # type: ignore[no-untyped-def]
    """`function`, adding the CPU time of each call to spent[phase]."""
    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[phase] += time.process_time() - started
    return run


@contextlib.contextmanager
def _timing(spent: dict[str, float], *patches: tuple[object, str, str]):  # type: ignore[no-untyped-def]
    """While inside, each (owner, attribute, phase) adds its calls' CPU time to
    spent[phase]; the originals (a classmethod as such) are put back afterwards."""
    saved = [(owner, name, vars(owner)[name]) for owner, name, _ in patches]
    for owner, name, phase in patches:
        setattr(owner, name, _timed(spent, phase, getattr(owner, name)))
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def cold_build(root: Path) -> dict[str, float]:
    from kizuna import cache
    from kizuna.build import build_notes
    from kizuna.index import Index
    from kizuna.vault import Vault

    shutil.rmtree(root / ".kizuna", ignore_errors=True)
    shutil.rmtree(root / "Kizuna", ignore_errors=True)
    vault = Vault.open(root)
    parsing = "read and parse the notes (this process's share)"
    unpickling = "unpickle the notes the workers read"
    writing = "pickle this process's notes for the cache (the cache file: another process)"
    deriving = "derive the index (its tables for the cache: the other process)"
    spent = {parsing: 0.0, unpickling: 0.0, writing: 0.0, deriving: 0.0}
    waits: list[Callable[[], None]] = []
    with _timing(spent, (Vault, "read_note", parsing), (cache, "_unpickled_chunk", unpickling),
                 (cache, "_chunk", writing), (cache, "_write", writing),
                 (Index, "_derive", deriving), (Index, "tables", deriving)):
        started = time.process_time()
        index = cache.load_index(vault, defer=waits.append)  # as a command loads it
        loading = time.process_time() - started
    phases = {"walk, stat, cache bookkeeping": loading - sum(spent.values()), **spent}
    started = time.process_time()
    build_notes(vault, index, TODAY)
    phases["build: schedule, render, write notes"] = time.process_time() - started
    started = time.process_time()
    for wait in waits:
        wait()
    phases["wait for the process writing the cache"] = time.process_time() - started
    return phases


def warm_due(root: Path) -> dict[str, float]:
    import click

    from kizuna import cache
    from kizuna.app import App
    from kizuna.cli import cli
    from kizuna.commands.due import due
    from kizuna.index import Index
    from kizuna.schedule import Schedule
    from kizuna.vault import Vault

    vault = Vault.open(root)
    walking = "walk the folders"
    reading = "cache file: read, check, unpickle, rebuild the notes"
    restoring = "index: restore the cached tables (or derive them)"
    spent = {walking: 0.0, reading: 0.0, restoring: 0.0}
    with _timing(spent, (Vault, "walk", walking), (cache, "_read", reading),
                 (Index, "restored", restoring), (Index, "_derive", restoring)):
        started = time.process_time()
        index = cache.load_index(vault)
        loading = time.process_time() - started
    phases = {walking: spent[walking],
              "stat the notes, cache bookkeeping": loading - sum(spent.values()),
              reading: spent[reading], restoring: spent[restoring]}
    # The command itself on that index, its output thrown away: the schedule, then the table.
    app = App(str(root), TODAY)
    app.__dict__["index"] = index
    scheduling = "schedule: who is due"
    timed = {scheduling: 0.0}
    with (_timing(timed, (Schedule, "due", scheduling)), open(os.devnull, "w") as sink,
          contextlib.redirect_stdout(sink)):
        started = time.process_time()
        click.Context(cli, obj=app).invoke(due, limit=None, as_json=False)
        command = time.process_time() - started
    phases[scheduling] = timed[scheduling]
    phases["print the table (rich)"] = command - timed[scheduling]
    return phases


def per_note(root: Path, rounds: int = 3) -> str:
    """CPU µs per note: kizuna's parse (front matter, log, promises, links) and the bare
    `frontmatter.load` (front matter only), each file read from disk by each, in turns."""
    import gc

    import frontmatter

    from kizuna.vault import Vault

    vault = Vault.open(root)
    paths = vault.walk()[0]
    full = [str(root / rel) for rel in paths]
    best = {"kizuna `Vault.read_note`": float("inf"), "`frontmatter.load`": float("inf")}
    gc.disable()  # as in kizuna's load; the loop below keeps nothing either way
    for _ in range(rounds):
        started = time.process_time()
        for rel in paths:
            vault.read_note(rel)
        kizuna = time.process_time() - started
        started = time.process_time()
        for path in full:
            frontmatter.load(path)
        peer = time.process_time() - started
        best = dict(zip(best, map(min, best.values(), (kizuna, peer)), strict=True))
    gc.enable()
    reference = best["`frontmatter.load`"]
    rows = [f"| per note ({len(paths):,} notes, best of {rounds}) | CPU µs | × frontmatter |",
            "| --- | ---: | ---: |"]
    rows += [f"| {name} | {spent / len(paths) * 1e6:.0f} | {spent / reference:.2f} |"
             for name, spent in best.items()]
    return "\n".join(rows)


def table(title: str, phases: dict[str, float]) -> str:
    total = sum(phases.values())
    rows = [f"| {title} | CPU s | share |", "| --- | ---: | ---: |"]
    rows += [f"| {name} | {spent:.2f} | {spent / total:.0%} |" for name, spent in phases.items()]
    rows.append(f"| total | {total:.2f} | |")
    return "\n".join(rows)


def main() -> None:
    root = Path(sys.argv[1])
    # the modules a warm due imports, then those a build adds, timed once
    started = time.process_time()
    import rich.console
    import rich.table  # noqa: F401

    import kizuna.cache
    import kizuna.cli
    import kizuna.commands.due

    due_imports = time.process_time() - started
    import kizuna.build
    import kizuna.commands.build  # noqa: F401

    build_imports = time.process_time() - started
    print(table("cold `build`", {"imports": build_imports, **cold_build(root)}))
    print()
    print(table("warm `due`", {"imports": due_imports, **warm_due(root)}))
    print()
    print(per_note(root))


if __name__ == "__main__":
    main()
