"""A cold load shared with worker processes gives exactly what a load in one process does."""

from __future__ import annotations

import io
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import test_cache
from click.testing import Result
from conftest import MakeVault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cache import MORE, _Terminal, cold, fresh_index, index_of, load

from kizuna import cache, parallel
from kizuna.cache import cache_path, load_notes
from kizuna.model import Note
from kizuna.vault import Vault

CHUNK = 8  # the smallest chunk a worker gets here: vaults of a few dozen notes go parallel


def _contact(number: int) -> str:
    return (f"---\nname: Person {number}\ntier: {('key', 'inner', 'outer')[number % 3]}\n"
            f"email: p{number}@example.com\n---\n## Log\n"
            f"- 2026-11-{1 + number % 28:02d} call: About [[Person {number + 1}]].\n"
            f"- 2026-10-02 <- email: Thanks.\n- [ ] Send the slides 📅 2026-12-01\n")


VAULT: dict[str, str | bytes] = {
    **MORE,  # problems, journal notes, a note that is not UTF-8
    **{f"people/p/Person {n}.md": _contact(n) for n in range(60)},
    **{f"Daily/2026-09-{n:02d}.md": f"- lunch with [[Person {n}]]\n" for n in range(1, 29)},
    "people/Bad date.md": "---\nname: Bad Date\n---\n## Log\n- 2026-02-30 call: No such day.\n",
}


@pytest.fixture(autouse=True)
def parallel_small_fresh_vaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache these small, seconds-old vaults, and read them with two workers."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))
    monkeypatch.setattr(cache, "MIN_NOTES", 0)
    monkeypatch.setattr(cache, "MIN_CHUNK", CHUNK)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "3")


@pytest.fixture
def root(make_vault: MakeVault) -> Path:
    """VAULT, with files no one can read: a dangling link and a FIFO."""
    root = make_vault(VAULT)
    (root / "people/Gone.md").symlink_to(root / "people/nowhere.md")
    os.mkfifo(root / "people/Pipe.md")
    return root


# The paths this process parses (each worker records its own reads in its own memory).
reads = test_cache.reads


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the workers started (it still forks)."""
    started: list[int] = []
    real = os.fork

    def spy() -> int:
        pid = real()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", spy)
    return started


def sequential(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Note]:
    with monkeypatch.context() as m:
        m.setenv(parallel.JOBS_VARIABLE, "1")
        return load_notes(Vault.open(root), progress=io.StringIO())


def test_a_parallel_load_equals_a_sequential_one(
        root: Path, reads: list[str], forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    notes = load(root)
    assert len(forks) == 2  # two workers, and this process reads a share too
    paths = [note.path for note in notes]
    assert 0 < len(reads) < len(paths) - 2 * CHUNK
    assert notes == cold(root)
    cache_path(Vault.open(root)).unlink()
    assert notes == sequential(root, monkeypatch)
    assert "people/Pipe.md" in paths and "people/Gone.md" in paths and "people/Latin1.md" in paths
    assert any(note.problems for note in notes)


def test_a_parallel_index_equals_a_fresh_one(root: Path, forks: list[int]) -> None:
    index = index_of(root)
    assert len(forks) == 2
    assert vars(index) == vars(fresh_index(root))
    assert index.find("Person 7")[0].emails == ("p7@example.com",)


def test_the_cache_a_parallel_load_writes_makes_the_next_load_warm(
        root: Path, reads: list[str], forks: list[int]) -> None:
    first = index_of(root)
    reads.clear()
    forks.clear()
    warm = index_of(root)
    assert forks == []
    assert reads == ["people/Gone.md", "people/Pipe.md"]  # never cached: they cannot be read
    assert vars(warm) == vars(first) == vars(fresh_index(root))
    assert load(root) == cold(root)


def test_notes_too_fresh_to_trust_are_read_again_whoever_read_them(
        root: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 2_000_000_000)
    now = time.time_ns()
    monkeypatch.setattr(time, "time_ns", lambda: now + 10**10)  # every file is 10 s old...
    people = sorted(rel for rel in VAULT if rel.startswith("people/p/"))
    fresh = people[::3]  # ...but these, in this process's share and in the workers'
    for rel in fresh:
        os.utime(root / rel, ns=(now + 10**10, now + 10**10))
    first = load(root)
    reads.clear()
    again = sequential(root, monkeypatch)  # all read here, to be seen
    assert sorted(reads) == sorted({*fresh, "people/Gone.md", "people/Pipe.md"})
    assert again == first == cold(root)


def _raise(*args: object) -> bytes:
    raise RuntimeError("a worker's bug")


def _exit(*args: object) -> bytes:
    os._exit(3)


def _killed(*args: object) -> bytes:
    os.kill(os.getpid(), signal.SIGKILL)
    return b""


def _garbage(*args: object) -> bytes:
    return b"\x80\x05 not a pickle"


def _other_notes(vault: Vault, keys: dict[str, cache.Key], chunk: list[str]) -> bytes:
    return cache._chunk({rel: (keys.get(rel), vault.read_note(rel)) for rel in chunk[1:]})


def _forbidden(*args: object) -> bytes:
    return pickle.dumps(os.getcwd)


@pytest.mark.parametrize("work", [_raise, _exit, _killed, _garbage, _other_notes, _forbidden])
def test_a_failed_worker_is_replaced_by_this_process(
        root: Path, reads: list[str], forks: list[int], monkeypatch: pytest.MonkeyPatch,
        work: Callable[..., bytes]) -> None:
    monkeypatch.setattr(cache, "_pickled_chunk", work)
    notes = load(root)
    assert len(forks) == 2
    assert sorted(reads) == sorted(note.path for note in notes)  # every note read here
    assert notes == cold(root)
    reads.clear()
    assert load(root) == notes and reads == ["people/Gone.md", "people/Pipe.md"]


def test_one_failed_worker_costs_only_its_chunk(
        root: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache._pickled_chunk

    def first_fails(vault: Vault, keys: dict[str, cache.Key], chunk: list[str]) -> bytes:
        if "people/p/Person 59.md" in chunk:  # one of the two workers
            os._exit(1)
        return real(vault, keys, chunk)

    monkeypatch.setattr(cache, "_pickled_chunk", first_fails)
    notes = load(root)
    assert len(notes) / 2 < len(reads) < len(notes)  # its share, and one worker's of three
    assert "people/p/Person 59.md" in reads
    assert notes == cold(root)


def test_no_worker_can_be_started_and_this_process_reads_everything(
        root: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    notes = load(root)
    assert sorted(reads) == sorted(note.path for note in notes)
    assert notes == cold(root)


@pytest.fixture
def another_thread() -> Iterator[None]:
    """A thread running, as watchdog's are under `kizuna watch`."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.mark.usefixtures("another_thread")
def test_with_other_threads_running_nothing_is_forked(root: Path, forks: list[int]) -> None:
    assert parallel.jobs() == 1
    assert vars(index_of(root)) == vars(fresh_index(root))
    assert forks == []


@pytest.mark.parametrize(("value", "jobs"), [("1", 1), ("4", 4), (" 2 ", 2)])
def test_kizuna_jobs_sets_the_number_of_processes(
        monkeypatch: pytest.MonkeyPatch, value: str, jobs: int) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, value)
    assert parallel.jobs() == jobs


@pytest.mark.parametrize("value", ["", "0", "-2", "many"])
def test_without_a_usable_kizuna_jobs_every_usable_cpu_counts(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, value)
    assert parallel.jobs() == len(os.sched_getaffinity(0))


def test_kizuna_jobs_1_reads_everything_in_this_process(
        root: Path, reads: list[str], forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    notes = sequential(root, monkeypatch)
    assert forks == [] and len(reads) == len(notes)


def test_too_few_misses_for_two_chunks_are_read_in_this_process(
        root: Path, reads: list[str], forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MIN_CHUNK", len(VAULT))
    assert load(root) == cold(root)
    assert forks == []


def test_a_parallel_read_shows_progress_on_a_terminal(root: Path, forks: list[int]) -> None:
    terminal = _Terminal()
    load_notes(Vault.open(root), progress=terminal, progress_after=0.0)
    assert len(forks) == 2
    shown = terminal.getvalue()
    assert shown.startswith(f"\rkizuna: reading notes 0/{len(VAULT) + 2}")
    assert shown.endswith("\r\x1b[K")


def test_progress_counts_the_notes_workers_read_as_this_process_reads_its_share() -> None:
    terminal = _Terminal()
    progress = cache.Progress(1000, terminal, after=0.0)
    progress.scale = 4.0  # this process reads a quarter
    progress.tick(64)
    time.sleep(0.15)  # the line changes at most ten times a second
    progress.show(1000)
    assert terminal.getvalue() == ("\rkizuna: reading notes 256/1,000"
                                   "\rkizuna: reading notes 1,000/1,000")


def test_leaving_early_kills_and_reaps_the_workers() -> None:
    def slow(seconds: float) -> bytes:
        time.sleep(seconds)
        return b"done"

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), parallel.Workers(slow, [60.0, 60.0]):
        raise KeyboardInterrupt
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no worker left, not even a zombie


def test_workers_give_their_results_in_order() -> None:
    with parallel.Workers(lambda n: str(n * n).encode(), [3, 1, 2]) as workers:
        assert list(workers.results()) == [b"9", b"1", b"4"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_a_cache_of_several_chunks_never_crashes_or_misleads(
        make_vault: MakeVault, data: st.DataObject) -> None:
    root = make_vault(VAULT)
    index_of(root)
    test_cache.damage(cache_path(Vault.open(root)), data)
    assert load(root) == cold(root)


# --- the cache written by a forked process while the command goes on -----------------


def _held(root: Path) -> tuple[cache.Entries, Any]:
    """What the vault's cache file holds: (entries, index tables)."""
    vault = Vault.open(root)
    return cache._read(cache_path(vault), cache._header(vault))


def _written_here(root: Path) -> tuple[cache.Entries, Any]:
    """What the cache holds once a load in this process alone wrote it."""
    cache_path(Vault.open(root)).unlink()
    index_of(root)
    return _held(root)


def test_a_command_has_the_cache_written_by_another_process_and_waits_for_it(
        make_vault: MakeVault, run: Callable[..., Result], reads: list[str],
        forks: list[int]) -> None:
    root = make_vault(VAULT)  # every file readable: the index tables are cached too
    first = run(root, "check", "--json")
    assert len(forks) == 3  # two readers, then the writer
    written = _held(root)  # there when the command returned
    reads.clear()
    forks.clear()
    second = run(root, "check", "--json")
    assert forks == [] and reads == []
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert written[0] and written[1] is not None and written == _written_here(root)


def test_when_the_writer_fails_the_command_writes_the_cache_itself(
        root: Path, run: Callable[..., Result], forks: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    command = os.getpid()
    real = cache._write

    def fails_elsewhere(*args: Any) -> None:
        if os.getpid() != command:
            os._exit(1)
        real(*args)

    monkeypatch.setattr(cache, "_write", fails_elsewhere)
    run(root, "check")
    assert len(forks) == 3
    written = _held(root)
    assert written[0] and written == _written_here(root)


def test_with_one_job_the_command_writes_the_cache_itself(
        root: Path, run: Callable[..., Result], forks: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    run(root, "check")
    assert forks == []
    written = _held(root)
    assert written[0] and written == _written_here(root)
