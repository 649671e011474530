"""Edit-to-notes latency of `kizuna watch` on a large synthetic vault (DESIGN §8).

    python bench/watch_latency.py                      # 10,000 contacts, 50 edits
    python bench/watch_latency.py --contacts 1000 --edits 20 --poll
    python bench/watch_latency.py --profile watch.prof  # cProfile of the rebuilds

Generates the vault (with bench/generate.py when it is there, else a small
generator of its own), starts the real watcher in-process, makes one-file edits
one at a time (a log line appended in place, as an editor saves), and waits for
each rebuild. Reported per edit:

- latency: from the end of the quiet period to the notes written (the target,
  ≤ 100 ms at 10,000 contacts; the debounce itself is excluded);
- of which build: the time inside `build_notes` (schedule, render, write);
- of which refresh: the rest (re-checking the file, re-reading it, the index update);
- wall: from the write to the notes written, debounce and OS event delivery included.
"""

from __future__ import annotations

import argparse
import cProfile
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
TODAY = date(2026, 11, 23)


def generate_vault(root: Path, contacts: int) -> str:
    """The perf helper's deterministic generator if present; else a minimal one. Returns which."""
    try:
        from generate import generate  # type: ignore[import-not-found]
    except ImportError:
        _minimal_vault(root, contacts)
        return "bench/watch_latency.py's minimal generator"
    generate(root, contacts)
    return "bench/generate.py"


def _minimal_vault(root: Path, contacts: int) -> None:
    """Contacts with front matter and a 10-line log, a tenth as many journal notes."""
    if (root / "kizuna.toml").exists() and len(list((root / "people").iterdir())) == contacts:
        return
    rng = random.Random(1)
    (root / "people").mkdir(parents=True, exist_ok=True)
    (root / "Daily").mkdir(exist_ok=True)
    (root / "kizuna.toml").write_text("", encoding="utf-8")
    kinds = ["email", "coffee", "call", "like", "lunch", "message"]
    tiers = ["inner", "key", "network", "network", "acquaintance"]
    for i in range(contacts):
        log = "".join(
            f"- 20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"{rng.choice(kinds)}: Talked about item {rng.randint(1, 999)}"
            f"{f' with [[Person {rng.randrange(contacts):05d}]]' if rng.random() < 0.2 else ''}.\n"
            for _ in range(10)
        )
        (root / f"people/Person {i:05d}.md").write_text(
            f"---\ntier: {rng.choice(tiers)}\nemail: p{i}@example.org\n"
            f"interests: [ai, topic{i % 40}]\nmet: 2020-01-{1 + i % 28:02d}\n---\n## Log\n{log}",
            encoding="utf-8",
        )
    for d in range(contacts // 10):
        (root / f"Daily/2026-{1 + d % 12:02d}-{1 + d % 28:02d} {d}.md").write_text(
            f"Met [[Person {rng.randrange(contacts):05d}]] #coffee\n", encoding="utf-8"
        )


def pick_contacts(root: Path, count: int) -> list[Path]:
    people = sorted((root / "people").rglob("*.md"))
    step = max(1, len(people) // count)
    return people[::step][:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--vault", type=Path, help="where to generate the vault (default: "
                        "bench/vaults/watch-N, kept between runs)")
    parser.add_argument("--poll", action="store_true", help="use the polling observer")
    parser.add_argument("--debounce", type=int, default=100, metavar="MS")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="write a cProfile of the watch loop (the rebuilds) to FILE")
    args = parser.parse_args(argv)

    from kizuna.index import Index
    from kizuna.vault import Vault
    from kizuna.watch import LiveIndex, Report, Watcher

    try:
        from kizuna.build import build_notes
    except ImportError:  # before the notes are built by kizuna.build: the index only
        build_notes = None

    root = args.vault or HERE / "vaults" / f"watch-{args.contacts}"
    if args.vault is None and not root.parent.exists():
        root = Path(tempfile.mkdtemp(prefix="kizuna-watch-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    made_by = generate_vault(root, args.contacts)
    print(f"vault: {root} ({args.contacts} contacts, by {made_by}) "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    vault = Vault.open(root)
    t0 = time.perf_counter()
    index = Index(vault.read_all(), vault.config)
    print(f"first read: {len(index.contacts)} contacts in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)

    build_ms: list[float] = []

    def rebuild(vault: Vault, index: Index) -> Any:
        started = time.perf_counter()
        try:
            if build_notes is None:
                return _IndexOnly()
            return build_notes(vault, index, TODAY)
        finally:
            build_ms.append((time.perf_counter() - started) * 1000)

    reports: list[Report] = []
    cond = threading.Condition()

    def report(item: Report) -> None:
        with cond:
            reports.append(item)
            cond.notify_all()

    live = LiveIndex(vault, index)
    watcher = Watcher(live, rebuild, report, debounce=args.debounce / 1000, poll=args.poll,
                      on_error=lambda message: print(f"error: {message}", file=sys.stderr))
    watcher.start()
    first = watcher.build([])
    print(f"first build: {first.ms:.0f} ms, {first.written} notes written", file=sys.stderr)

    profiler = cProfile.Profile() if args.profile else None

    def loop() -> None:
        if profiler is not None:
            profiler.enable()
        try:
            watcher.run()
        finally:
            if profiler is not None:
                profiler.disable()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()

    latency, build, wall = [], [], []
    try:
        for n, path in enumerate(pick_contacts(root, args.edits)):
            rel = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            with cond:
                before = len(reports)
                builds_before = len(build_ms)
            written_at = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:  # in place, as most editors save
                f.write(text.rstrip("\n") + f"\n- 2026-11-2{n % 3} call: benchmark edit {n}\n")
            mine = wait_for_report(reports, cond, before, rel)
            wall.append((time.perf_counter() - written_at) * 1000)
            latency.append(mine.ms)
            build.append(sum(build_ms[builds_before:]))
            if mine.error:
                print(f"rebuild error: {mine.error}", file=sys.stderr)
    finally:
        watcher.close()
        thread.join(10)

    refresh = [t - b for t, b in zip(latency, build, strict=True)]
    observer = "polling" if args.poll else "native"
    kind = "build_notes" if build_notes is not None else "index only (kizuna.build not found)"
    print(f"\nwatch latency, {len(index.contacts)} contacts, {len(latency)} one-file edits, "
          f"{observer} observer, debounce {args.debounce} ms, rebuild: {kind}")
    print(f"{'':28} {'median':>8} {'p95':>8}")
    for label, values in [
        ("latency (debounce excluded)", latency),
        ("  of which build", build),
        ("  of which refresh + index", refresh),
        ("wall (write to notes)", wall),
    ]:
        print(f"{label:28} {statistics.median(values):6.0f}ms {percentile(values, 0.95):6.0f}ms")
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(f"profile: {args.profile} (python -m pstats {args.profile})", file=sys.stderr)


@dataclass
class _IndexOnly:
    written: list[str] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)


def wait_for_report(reports: list[Any], cond: threading.Condition, start: int, rel: str) -> Any:
    """The first report from `start` on whose changes name `rel`."""
    def mine() -> Any:
        return next((r for r in reports[start:] if rel in dict(r.changes)), None)

    with cond:
        if not cond.wait_for(lambda: mine() is not None, timeout=120):
            raise SystemExit(f"no rebuild for {rel} within 120 s")
        return mine()


if __name__ == "__main__":
    main()
