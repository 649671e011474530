"""Side-by-side benchmark of kizuna against the floor and its peers; writes BENCHMARKS.md.

    python bench/run.py --sizes 1000,10000 [--repeat 3] [--peer-timeout 900]

For each size it generates (once) a synthetic vault with bench/generate.py and
runs every row as a fresh subprocess on the same files, repeating the rows in
turn (so a busy machine slows all rows alike) and keeping the median. Each
child's wall time, CPU time (user + system) and peak resident memory come from
os.wait4. Rows:

- floor: read every note's bytes;
- peer: python-frontmatter, a bare `frontmatter.load` loop (the reference: ratios are to it);
- peer: obsidiantools `Vault(...).connect()`, once per size, where it finishes in time;
- kizuna: the index load and `check`, cold (no cache) and warm (cache present), and
  `build` cold and warm and `due` warm once those commands exist.

The table goes between the markers in BENCHMARKS.md; the text around them is kept.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

TODAY = "2026-11-23"
BEGIN = "<!-- bench:begin (written by bench/run.py; edit outside the markers) -->"
END = "<!-- bench:end -->"

# --- the children: each is a whole process, like a user's command ----------------------

CHILDREN = {
    "floor": """
import sys
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, "rb") as f:
        f.read()
""",
    "frontmatter": """
import sys
import frontmatter
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    frontmatter.load(path)
""",
    "obsidiantools": """
import sys
from pathlib import Path
import obsidiantools.api as otools
otools.Vault(Path(sys.argv[2])).connect()
""",
    "load": """
import sys
from datetime import date
from kizuna.app import App
App(sys.argv[2], date(2026, 11, 23)).index
""",
}


@dataclass
class Row:
    label: str
    argv: Callable[[Path, Path], list[str]]  # (vault, file list) -> command
    kind: str  # floor | peer | kizuna
    prepare: Callable[[Path], None] = lambda vault: None
    repeat_once: bool = False
    # A warm run: first the vault settles (no file changed within kizuna's two-second
    # window) and the command runs once untimed, so that nothing changed since it last ran.
    settle: bool = False
    env: dict[str, str] = field(default_factory=dict)  # added to the environment
    ok_exits: tuple[int, ...] = (0,)  # exit codes of a run that did its work
    times: list[tuple[float, float, int]] = field(default_factory=list)  # wall, cpu, rss KiB
    failure: str | None = None


def _python(child: str) -> Callable[[Path, Path], list[str]]:
    return lambda vault, files: [sys.executable, "-c", CHILDREN[child], str(files), str(vault)]


def _kizuna(*args: str) -> Callable[[Path, Path], list[str]]:
    kizuna = str(Path(sys.executable).parent / "kizuna")
    return lambda vault, files: [kizuna, "--vault", str(vault), "--today", TODAY, *args]


def _forget_cache(vault: Path) -> None:
    shutil.rmtree(vault / ".kizuna", ignore_errors=True)


def _forget_everything(vault: Path) -> None:
    _forget_cache(vault)
    shutil.rmtree(vault / "Kizuna", ignore_errors=True)


def _just_edited(vault: Path) -> None:
    """As if one contact's note had just been saved: its mtime and ctime now, so the next
    run reads it again and trusts neither its cached entry nor any record of the vault."""
    note = min((vault / "people").rglob("*.md"))
    os.utime(note)


def _kizuna_commands() -> set[str]:
    from kizuna import cli

    return set(cli.COMMANDS)


SETTLE_SECONDS = 2.1  # kizuna.cache.RACY_NS: files changed more recently are read again

# `check` and `build` exit 1 when the vault has problems (the generated ones do).
PROBLEMS_FOUND = (0, 1)


def make_rows(peer_timeout: float) -> list[Row]:
    rows = [
        Row("floor: read every file's bytes", _python("floor"), "floor"),
        Row("python-frontmatter: bare `frontmatter.load` loop", _python("frontmatter"), "peer"),
        Row("obsidiantools: `Vault.connect()` (once)", _python("obsidiantools"), "peer",
            repeat_once=True),
        Row("kizuna index load, cold (no cache)", _python("load"), "kizuna", _forget_cache),
        Row("kizuna index load, warm (cache)", _python("load"), "kizuna", settle=True),
        Row("kizuna `check`, cold", _kizuna("check"), "kizuna", _forget_cache,
            ok_exits=PROBLEMS_FOUND),
        Row("kizuna `check`, warm", _kizuna("check"), "kizuna", ok_exits=PROBLEMS_FOUND,
            settle=True),
    ]
    commands = _kizuna_commands()
    if "build" in commands:
        rows += [
            Row("kizuna `build`, cold (no cache, no notes)", _kizuna("build"), "kizuna",
                _forget_everything, ok_exits=PROBLEMS_FOUND),
            # The same, parsing in this one process: what the row above gains from the
            # machine's other cores (worker processes, `KIZUNA_JOBS`).
            Row("kizuna `build`, cold, one process (`KIZUNA_JOBS=1`)", _kizuna("build"),
                "kizuna", _forget_everything, env={"KIZUNA_JOBS": "1"}, ok_exits=PROBLEMS_FOUND),
            Row("kizuna `build`, warm", _kizuna("build"), "kizuna", ok_exits=PROBLEMS_FOUND,
                settle=True),
            Row("kizuna `build`, warm, one note just saved", _kizuna("build"), "kizuna",
                _just_edited, ok_exits=PROBLEMS_FOUND),
        ]
    if "due" in commands:
        rows += [Row("kizuna `due`, warm", _kizuna("due"), "kizuna", settle=True),
                 Row("kizuna `due`, warm, one note just saved", _kizuna("due"), "kizuna",
                     _just_edited)]
    return rows


# Peak RSS as wait4 reports it includes what the process that spawned the child had
# mapped (Linux carries the parent's high-water mark through vfork and exec). So a
# tiny measurer process spawns each child, not this one with kizuna imported.
MEASURER = """
import os, sys, time
errors, argv = sys.argv[1], sys.argv[2:]
actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
           (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
           (os.POSIX_SPAWN_OPEN, 2, errors, os.O_WRONLY | os.O_TRUNC, 0)]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measure(argv: list[str], timeout: float, extra_env: dict[str, str] | None = None,
            ok_exits: tuple[int, ...] = (0,)) -> tuple[float, float, int] | str:
    """(wall s, cpu s, peak RSS KiB) of one child process, or why it failed.

    `ok_exits`: the exit codes of a run that did its work (kizuna's `check` and
    `build` exit 1 on a vault with problems; a Python child exits 1 on an ImportError).

    CPU time and peak RSS include the child's own worker processes (wait4 counts the
    descendants the child has waited for).
    """
    with tempfile.NamedTemporaryFile(prefix="kizuna-bench-", suffix=".err") as errors:
        env = dict(os.environ, PYTHONHASHSEED="0", **(extra_env or {}))
        # As a user's Python does: bytecode written once and reused (kizuna_baseline's
        # runs write it), not every module compiled again in every timed run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        measurer = subprocess.Popen([sys.executable, "-S", "-c", MEASURER, errors.name, *argv],
                                    stdout=subprocess.PIPE, env=env, start_new_session=True)
        try:
            output, _ = measurer.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(measurer.pid, signal.SIGKILL)
            measurer.communicate()
            return f"did not finish in {timeout:.0f} s"
        wall, cpu, rss, code = output.split()
        if int(code) not in ok_exits:
            lines = Path(errors.name).read_text("utf-8", "replace").strip().splitlines()
            return f"exit {code}: {lines[-1] if lines else 'no message'}"
    return float(wall), float(cpu), int(rss)


@dataclass
class Result:
    contacts: int
    notes: int
    megabytes: float
    rows: list[Row]
    baseline_rss: int  # KiB of the largest kizuna row on an empty vault
    repeat: int


def kizuna_baseline(rows: list[Row], timeout: float) -> int:
    """Peak RSS (KiB) of the kizuna rows on an empty vault: what is not per contact.

    Running them also compiles kizuna's bytecode before anything is timed.
    """
    with tempfile.TemporaryDirectory(prefix="kizuna-bench-") as folder:
        empty = Path(folder)
        (empty / "kizuna.toml").write_text("", encoding="utf-8")
        (empty / "people").mkdir()
        peaks = [measure(row.argv(empty, empty / "none"), timeout, row.env, row.ok_exits)
                 for row in rows if row.kind == "kizuna"]
    return max((got[2] for got in peaks if not isinstance(got, str)), default=0)


def run_size(contacts: int, vaults: Path, repeat: int, peer_timeout: float,
             timeout: float, peers: bool) -> Result:
    vault = generate(vaults / str(contacts), contacts)
    generated = ("Kizuna", ".kizuna")
    notes = sorted(p for p in vault.rglob("*.md") if p.relative_to(vault).parts[0] not in generated)
    files = vaults / f"{contacts}.files"
    files.write_text("\n".join(str(p) for p in notes) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in notes) / 1e6
    rows = make_rows(peer_timeout)
    if not peers:
        for row in rows:
            if row.label.startswith("obsidiantools"):
                row.failure = "not run at this size (see the smaller sizes: linear, and slow)"
    measure(rows[0].argv(vault, files), timeout)  # warm the OS file cache
    baseline = kizuna_baseline(rows, timeout)
    for rep in range(repeat):
        for row in rows:
            if row.failure or (row.repeat_once and row.times):
                continue
            row.prepare(vault)
            if row.settle:
                time.sleep(SETTLE_SECONDS)
                measure(row.argv(vault, files), timeout, row.env, row.ok_exits)
            got = measure(row.argv(vault, files), peer_timeout if row.kind == "peer" else timeout,
                          row.env, row.ok_exits)
            if isinstance(got, str):
                row.failure = got
            else:
                row.times.append(got)
            print(f"{contacts:>7} rep {rep + 1}: {row.label}: {got}", file=sys.stderr)
    return Result(contacts, len(notes), size, rows, baseline, repeat)


# --- the report --------------------------------------------------------------------------


def _median(row: Row, index: int) -> float:
    return statistics.median(t[index] for t in row.times)


def _find(result: Result, prefix: str) -> Row | None:
    for row in result.rows:
        if row.label.startswith(prefix) and row.times:
            return row
    return None


def _machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1048576:.0f} GiB"
    except OSError:
        pass
    return [
        f"- machine: {usable} CPUs (nproc), {cpu}, {memory} RAM, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"kizuna commit {commit or '?'}, run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- load average when the run ended: {load} (other work on the machine slows every "
        "row alike, since rows take turns; CPU time is less affected than wall time)",
    ]


def report(results: list[Result], command: str) -> str:
    out = [BEGIN, "", f"Command: `{command}`", "", *_machine(),
           "- each row is a fresh process, rows taking turns; the median of the runs "
           "(obsidiantools: 1 run); peak RSS from wait4", ""]
    for result in results:
        reference = _find(result, "python-frontmatter")
        out += [f"### {result.contacts:,} contacts ({result.notes:,} notes, "
                f"{result.megabytes:.1f} MB; median of {result.repeat})", "",
                "| what | wall s | CPU s | × frontmatter (wall) | × frontmatter (CPU) "
                "| peak RSS MiB | RSS KiB / contact | above empty vault, KiB / contact |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for row in result.rows:
            if not row.times:
                out.append(f"| {row.label} | {row.failure or 'not run'} | | | | | | |")
                continue
            wall, cpu, rss = _median(row, 0), _median(row, 1), _median(row, 2)
            ratio_wall = f"{wall / _median(reference, 0):.2f}" if reference else ""
            ratio_cpu = f"{cpu / _median(reference, 1):.2f}" if reference else ""
            above = (f"{(rss - result.baseline_rss) / result.contacts:.2f}"
                     if row.kind == "kizuna" else "")
            out.append(f"| {row.label} | {wall:.3f} | {cpu:.3f} | {ratio_wall} | {ratio_cpu} | "
                       f"{rss / 1024:.1f} | {rss / result.contacts:.2f} | {above} |")
        out += ["", f"kizuna on an empty vault peaks at {result.baseline_rss / 1024:.1f} MiB "
                "(the interpreter and the modules a command imports).", ""]
        out += _targets(result, reference)
    if len(results) > 1:
        out += _scaling(results)
    out += [END]
    return "\n".join(out) + "\n"


def _targets(result: Result, reference: Row | None) -> list[str]:
    cold = _find(result, "kizuna `build`, cold") or _find(result, "kizuna `check`, cold")
    # DESIGN §8's warm `due`/`build`: each warm row of them (with nothing changed, and
    # with a note just saved), else warm `check`
    warms = [row for row in result.rows if row.times and row.label.startswith(
        ("kizuna `due`, warm", "kizuna `build`, warm"))] or [
        row for row in [_find(result, "kizuna `check`, warm")] if row]
    lines = ["Targets (DESIGN §8):", ""]
    single = _find(result, "kizuna `build`, cold, one process")

    def name(row: Row) -> str:
        return row.label.split(",")[0].removeprefix("kizuna ")

    def check(goal: str, limit: float, form: str, of_single: str, cold: Row,
              value: Callable[[Row, int], float]) -> None:
        """A target's line in wall and in CPU time, with the one-process cold beside it."""
        for index, what in ((0, "wall"), (1, "CPU")):
            got = value(cold, index)
            also = (f" (in one process: {form.format(value(single, index))}{of_single})"
                    if single else "")
            lines.append(f"- {goal} ({what}): {form.format(got)} — "
                         f"{'met' if got <= limit else 'missed'}{also}")

    if cold and reference:
        check(f"cold ({name(cold)}) ≤ 1.3× the frontmatter loop", 1.3, "{:.2f}×", "", cold,
              lambda row, index: _median(row, index) / _median(reference, index))
    for warm in warms if cold else []:
        check(f"{warm.label.removeprefix('kizuna ')} ≤ 15% of cold", 0.15, "{:.0%}",
              " of the one-process cold", cold,
              lambda row, index, warm=warm: _median(warm, index) / _median(row, index))
    kizuna = [r for r in result.rows if r.kind == "kizuna" and r.times]
    if kizuna:
        worst = max(kizuna, key=lambda r: _median(r, 2))
        per = _median(worst, 2) / result.contacts
        above = (_median(worst, 2) - result.baseline_rss) / result.contacts
        lines.append(f"- memory ≤ 20 KiB per contact: {per:.1f} KiB at most ({worst.label}), "
                     f"{above:.1f} KiB above an empty vault — {'met' if per <= 20 else 'missed'}"
                     + ("" if per <= 20 or above > 20 else " (met above the fixed cost)"))
    return [*lines, ""]


def _scaling(results: list[Result]) -> list[str]:
    lines = ["### Scaling", "", "CPU seconds per 1,000 contacts (about linear when flat):", "",
             "| what | " + " | ".join(f"{r.contacts:,}" for r in results) + " |",
             "| --- |" + " ---: |" * len(results)]
    for index, row in enumerate(results[0].rows):
        cells = []
        for result in results:
            same = result.rows[index]
            cells.append(f"{_median(same, 1) / result.contacts * 1000:.3f}" if same.times else "")
        lines.append(f"| {row.label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def write_report(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        new = head + text.rstrip("\n") + tail
    else:
        new = "# Benchmarks\n\n" + text + old
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="contacts per vault, comma-separated (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row (default 3)")
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults",
                        help="where generated vaults live (default bench/vaults, git-ignored)")
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--peer-timeout", type=float, default=900,
                        help="seconds before a peer run counts as not finishing (default 900)")
    parser.add_argument("--peer-sizes", default="1000,10000",
                        help="sizes at which obsidiantools runs (default 1000,10000)")
    parser.add_argument("--large-repeat", type=int, default=1,
                        help="runs per row above 10,000 contacts (default 1)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds before any other run is abandoned (default 1800)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.vaults.mkdir(parents=True, exist_ok=True)
    peer_sizes = {int(s) for s in args.peer_sizes.split(",") if s.strip()}
    results = [run_size(n, args.vaults, args.repeat if n <= 10_000 else args.large_repeat,
                        args.peer_timeout, args.timeout, n in peer_sizes)
               for n in sizes]
    given = sys.argv[1:] if argv is None else argv
    command = "python bench/run.py " + " ".join(shlex.quote(a) for a in given)
    write_report(args.out, report(results, command.strip()))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
