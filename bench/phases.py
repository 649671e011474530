"""Where the CPU time of a cold `build` and of a warm `due` goes, phase by phase.

    python bench/phases.py bench/vaults/10000

Runs the phases in this process, timing each with time.process_time (no profiler
overhead), and prints two Markdown tables. The cold build deletes the vault's
cache and generated notes first; the warm due runs after it, with the cache present.
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)


def cold_build(root: Path) -> dict[str, float]:
    from kizuna import cache
    from kizuna.build import build_notes
    from kizuna.index import Index
    from kizuna.vault import Vault

    shutil.rmtree(root / ".kizuna", ignore_errors=True)
    shutil.rmtree(root / "Kizuna", ignore_errors=True)
    vault = Vault.open(root)
    spent = {"read and parse the notes": 0.0, "write the cache": 0.0}
    read_note, write_cache = Vault.read_note, cache.write_cache

    def timed_read(self: Vault, rel: str):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return read_note(self, rel)
        finally:
            spent["read and parse the notes"] += time.process_time() - started

    def timed_write(*args):  # type: ignore[no-untyped-def]
        started = time.process_time()
        write_cache(*args)
        spent["write the cache"] += time.process_time() - started

    Vault.read_note = timed_read  # type: ignore[method-assign]
    cache.write_cache = timed_write
    try:
        started = time.process_time()
        notes = cache.load_notes(vault)
        loading = time.process_time() - started
    finally:
        Vault.read_note, cache.write_cache = read_note, write_cache  # type: ignore[method-assign]
    phases = {"walk, stat, cache bookkeeping": loading - sum(spent.values()), **spent}
    started = time.process_time()
    with cache._no_gc():
        index = Index(notes, vault.config)
    phases["derive the index"] = time.process_time() - started
    started = time.process_time()
    build_notes(vault, index, TODAY)
    phases["build: schedule, render, write notes"] = time.process_time() - started
    return phases


def warm_due(root: Path) -> dict[str, float]:
    from kizuna import cache
    from kizuna.index import Index
    from kizuna.schedule import Schedule
    from kizuna.vault import Vault

    vault = Vault.open(root)
    spent = {"cache file: read, check, unpickle, rebuild the objects": 0.0}
    read_cache = cache.read_cache

    def timed_read(*args):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return read_cache(*args)
        finally:
            spent["cache file: read, check, unpickle, rebuild the objects"] += (
                time.process_time() - started)

    cache.read_cache = timed_read
    try:
        started = time.process_time()
        notes = cache.load_notes(vault)
        loading = time.process_time() - started
    finally:
        cache.read_cache = read_cache
    phases = {"walk, stat": loading - sum(spent.values()), **spent}
    started = time.process_time()
    with cache._no_gc():
        index = Index(notes, vault.config)
    phases["derive the index"] = time.process_time() - started
    started = time.process_time()
    Schedule(index, vault.config, TODAY).due()
    phases["schedule: who is due"] = time.process_time() - started
    return phases


def table(title: str, phases: dict[str, float]) -> str:
    total = sum(phases.values())
    rows = [f"| {title} | CPU s | share |", "| --- | ---: | ---: |"]
    rows += [f"| {name} | {spent:.2f} | {spent / total:.0%} |" for name, spent in phases.items()]
    rows.append(f"| total | {total:.2f} | |")
    return "\n".join(rows)


def main() -> None:
    root = Path(sys.argv[1])
    started = time.process_time()
    # the modules a build or a due imports, timed once
    import kizuna.build
    import kizuna.cli
    import kizuna.commands.due  # noqa: F401

    imports = time.process_time() - started
    print(table("cold `build`", {"imports": imports, **cold_build(root)}))
    print()
    print(table("warm `due`", {"imports": imports, **warm_due(root)}))


if __name__ == "__main__":
    main()
