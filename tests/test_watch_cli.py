"""`kizuna watch` end to end: the real build, the real command, Ctrl-C."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import TODAY, MakeVault
from test_watch import AIKO, TIMEOUT, Builds, save_in_place

from kizuna.build import build_notes
from kizuna.index import Index
from kizuna.vault import Vault
from kizuna.watch import LiveIndex, Watcher

REACH_OUT = "Kizuna/To reach out.md"
BEN = ("---\nemail: ben@example.org\ntier: inner\n---\n"
       "## Log\n- 2025-01-10 coffee: Talked about running.\n")


class RealBuilds(Builds):
    """The recording rebuild of test_watch, around the real build_notes."""

    def __call__(self, vault: Vault, index: Index) -> object:  # type: ignore[override]
        result = build_notes(vault, index, TODAY)
        super().__call__(vault, index)  # records what the index held
        return result


def start(root: Path) -> tuple[Watcher, RealBuilds, threading.Thread]:
    vault = Vault.open(root)
    builds = RealBuilds()
    live = LiveIndex(vault)
    watcher = Watcher(live, builds, builds.report, on_error=builds.error)
    watcher.start()
    live.index = Index(vault.read_all(), vault.config)
    watcher.build([])
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    return watcher, builds, thread


def test_a_new_person_reaches_the_reach_out_note(make_vault: MakeVault) -> None:
    root = make_vault({"people/Aiko Tanaka.md": AIKO})
    watcher, builds, thread = start(root)
    try:
        assert "Ben Okafor" not in (root / REACH_OUT).read_text(encoding="utf-8")
        (root / "people/Ben Okafor.md").write_text(BEN, encoding="utf-8")
        builds.wait(lambda: "Ben Okafor" in (root / REACH_OUT).read_text(encoding="utf-8"),
                    "Ben in To reach out")
        assert builds.reports[-1].written >= 1
        (root / "people/Ben Okafor.md").unlink()
        builds.wait(lambda: "Ben Okafor" not in (root / REACH_OUT).read_text(encoding="utf-8"),
                    "Ben gone from To reach out")
    finally:
        watcher.close()
        thread.join(TIMEOUT)


def test_a_template_error_keeps_the_last_good_notes_and_is_reported(
    make_vault: MakeVault,
) -> None:
    root = make_vault({"people/Aiko Tanaka.md": AIKO, "people/Ben Okafor.md": BEN})
    watcher, builds, thread = start(root)
    try:
        good = (root / REACH_OUT).read_bytes()
        (root / ".kizuna/templates").mkdir(parents=True)
        (root / ".kizuna/templates/reach-out.md").write_text("{% if %}broken\n")
        builds.wait(lambda: any("reach-out.md" in p.message for p in builds.reports[-1].problems),
                    "the template problem")
        assert (root / REACH_OUT).read_bytes() == good
        assert "Ben Okafor" in good.decode()
        # Still watching: a change that would take Ben off the list...
        snoozed = BEN.replace("---\n## Log", "snooze_until: 2027-01-01\n---\n## Log")
        save_in_place(root / "people/Ben Okafor.md", snoozed)
        builds.wait(lambda: len(builds.reports) >= 3, "the next rebuild")
        assert (root / REACH_OUT).read_bytes() == good  # ...waits for a template that works
        (root / ".kizuna/templates/reach-out.md").unlink()
        builds.wait(lambda: "Ben Okafor" not in (root / REACH_OUT).read_text(encoding="utf-8"),
                    "the note rendered again")
        assert not any("template" in p.message for p in builds.reports[-1].problems)
    finally:
        watcher.close()
        thread.join(TIMEOUT)


def _kizuna() -> str:
    found = shutil.which("kizuna", path=str(Path(sys.executable).parent))
    assert found, "the kizuna entry point is not installed next to this python"
    return found


# A shell that starts a job in the background without job control (`cmd &` in a
# script, some CI runners) leaves SIGINT ignored, and exec keeps it so: Ctrl-C would
# never reach the watch. From a terminal it arrives at the default handler; start so.
RESET_SIGINT_AND_EXEC = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])
"""


def _as_from_a_terminal(argv: list[str]) -> list[str]:
    return [sys.executable, "-c", RESET_SIGINT_AND_EXEC, *argv]


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


def _expect(lines: queue.Queue[str], seen: list[str], predicate: object, what: str) -> str:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if predicate(line):  # type: ignore[operator]
            return line
    pytest.fail(f"timed out waiting for {what}; stdout so far: {seen}")


@pytest.mark.skipif(sys.platform == "win32", reason="signals to a child are POSIX")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_command_rebuilds_on_a_change_and_a_stop_exits_0(make_vault: MakeVault,
                                                             stop: signal.Signals) -> None:
    root = make_vault({"people/Aiko Tanaka.md": AIKO})
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "KIZUNA_DEBUG": ""}
    proc = subprocess.Popen(_as_from_a_terminal([_kizuna(), "--vault", str(root), "--today",
                                                 TODAY.isoformat(), "watch", "--debounce", "50"]),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        first = _expect(lines, seen, lambda line: "built:" in line, "the first build")
        assert "notes written in" in first
        (root / "people/Ben Okafor.md").write_text(BEN, encoding="utf-8")
        line = _expect(lines, seen, lambda line: "Ben Okafor.md" in line, "the rebuild line")
        assert "people/Ben Okafor.md created:" in line and " ms" in line
        assert "Ben Okafor" in (root / REACH_OUT).read_text(encoding="utf-8")
        proc.send_signal(stop)
        assert proc.wait(TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "stopped" in stderr


# SIGINT sent to one of the process's threads other than the main one: the kernel may
# hand Ctrl-C to any thread, and Python runs the handler only in the main thread.
CTRL_C_TO_ANOTHER_THREAD = """
import signal, sys, threading, time
from pathlib import Path
from kizuna.cli import main

signal.signal(signal.SIGINT, signal.default_int_handler)  # see RESET_SIGINT_AND_EXEC

def interrupt_from_this_thread():
    reach_out = Path(sys.argv[1]) / "Kizuna" / "To reach out.md"
    while not reach_out.exists():
        time.sleep(0.05)
    time.sleep(0.5)  # the watcher is idle now, waiting for an event
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)

threading.Thread(target=interrupt_from_this_thread, daemon=True).start()
main(["--vault", sys.argv[1], "--today", "2026-11-23", "watch"])
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_ctrl_c_delivered_to_another_thread_still_stops_the_watch(make_vault: MakeVault) -> None:
    root = make_vault({"people/Aiko Tanaka.md": AIKO})
    done = subprocess.run([sys.executable, "-c", CTRL_C_TO_ANOTHER_THREAD, str(root)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "stopped" in done.stderr
