"""Two kizuna source trees side by side on one vault, taking turns: a before and after.

    git worktree add /tmp/before 27219da
    python bench/compare.py bench/vaults/10000 /tmp/before/src src --runs 4

Per run and tree, in turns: a cold `build` (no cache, no notes), then a warm
`due` twice and a warm `build`. Each tree imports from its own `src` through
PYTHONPATH, with this Python (so with this environment's dependencies), and
works on its own copy of the vault: the cache is tied to the code that wrote
it. Prints the medians as a Markdown table, the second tree against the first.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import PROBLEMS_FOUND, TODAY, _forget_everything, measure

COMMANDS = (("cold `build`", "build", True), ("warm `due`", "due", False),
            ("warm `due` again", "due", False), ("warm `build`", "build", False))
KIZUNA = "import sys\nfrom kizuna.cli import main\nsys.argv[0] = 'kizuna'\nmain()"
# Files changed this recently are read but not cached (kizuna.cache.RACY_NS): the copies
# must be older than that before the first cold build, or the warm runs are not warm.
RACY_SECONDS = 2.1


def run_tree(tree: Path, vault: Path, command: str) -> tuple[float, float]:
    """(wall s, CPU s) of one kizuna command run from the source tree `tree`."""
    got = measure([sys.executable, "-c", KIZUNA, "--vault", str(vault), "--today", TODAY,
                   command], timeout=1800, extra_env={"PYTHONPATH": str(tree.resolve())},
                  ok_exits=PROBLEMS_FOUND)
    if isinstance(got, str):
        raise SystemExit(f"{tree}: kizuna {command}: {got}")
    return got[0], got[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path, help="a vault, e.g. from bench/generate.py")
    parser.add_argument("trees", type=Path, nargs=2, metavar="SRC",
                        help="the `src` folders of the two kizuna checkouts, before and after")
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args(argv)
    before, after = args.trees
    times: dict[tuple[str, Path], list[tuple[float, float]]] = {
        (name, tree): [] for name, _, _ in COMMANDS for tree in args.trees}
    with tempfile.TemporaryDirectory(prefix="kizuna-compare-") as scratch:
        copies = {}
        for number, tree in enumerate(args.trees):
            copies[tree] = Path(scratch) / str(number)
            shutil.copytree(args.vault, copies[tree], symlinks=True,
                            ignore=shutil.ignore_patterns(".kizuna", "Kizuna"))
        time.sleep(RACY_SECONDS)
        for _ in range(args.runs):
            for tree in args.trees:
                for name, command, cold in COMMANDS:
                    if cold:
                        _forget_everything(copies[tree])
                    times[name, tree].append(run_tree(tree, copies[tree], command))

    def median(name: str, tree: Path, column: int) -> float:
        return statistics.median(sample[column] for sample in times[name, tree])

    given = sys.argv[1:] if argv is None else argv
    print(f"`python bench/compare.py {' '.join(given)}`: medians of {args.runs} runs\n")
    print("| command | before wall s | after wall s | after / before | before CPU s "
          "| after CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, _, _ in COMMANDS:
        old, new = median(name, before, 0), median(name, after, 0)
        print(f"| {name} | {old:.3f} | {new:.3f} | {new / old:.2f} | "
              f"{median(name, before, 1):.3f} | {median(name, after, 1):.3f} |")


if __name__ == "__main__":
    main()
