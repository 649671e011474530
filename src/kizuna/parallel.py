"""Work shared with forked worker processes, where that is safe (DESIGN §8).

A cold load of a large vault spends most of its time parsing notes, one CPU
busy and the others idle. `Workers` forks one process per chunk of work; each
sends back its result as bytes through a pipe of its own and exits. A worker
that fails in any way (an exception, killed, a result cut short) gives None,
and the caller does that chunk itself: parallelism never changes a result.
The cache's writer is such a worker too, one that sends nothing back (`cache`).

Forking is safe only where the child starts as a copy of a single thread: on
Linux (fork is the norm there; macOS frameworks are not fork-safe) and when no
other thread runs (`kizuna watch` runs watchdog's), else everything runs in
this process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

JOBS_VARIABLE = "KIZUNA_JOBS"

T = TypeVar("T")


def jobs() -> int:
    """How many processes may share the work: KIZUNA_JOBS (a positive number: 1 turns
    workers off), else the CPUs this process may use; 1 wherever forking is not safe."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return 1
    wanted = os.environ.get(JOBS_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0))  # Linux has it: the CPUs this process may run on


class Workers(Generic[T]):
    """`work(chunk)` for each chunk, each in a forked process, started at once.

    Use as a context manager: leaving it early (an exception, Ctrl-C) kills and
    reaps the workers not yet collected.
    """

    def __init__(self, work: Callable[[T], bytes], chunks: Sequence[T]) -> None:
        self._pending: list[tuple[int, int] | None] = []  # (pid, read end), None: no worker
        try:
            for chunk in chunks:
                self._pending.append(self._fork(work, chunk))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Workers[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fork(self, work: Callable[[T], bytes], chunk: T) -> tuple[int, int] | None:
        try:
            read, write = os.pipe()
        except OSError:  # out of file descriptors: this chunk is done in this process
            return None
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: likewise
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the worker: never returns to the caller's code
            code = 1
            try:
                os.close(read)
                for worker in self._pending:
                    if worker is not None:
                        os.close(worker[1])
                with open(write, "wb") as out:
                    out.write(work(chunk))
                code = 0
            finally:
                os._exit(code)  # no atexit handlers, no flushing the parent's buffers twice
        # Closed at once, so that only the worker holds the write end: its exit, however
        # it happens, ends the pipe, and reading it never waits on a dead worker.
        os.close(write)
        return pid, read

    def results(self) -> Iterator[bytes | None]:
        """What each chunk's worker sent, in the chunks' order; None for a failed worker."""
        while self._pending:
            worker = self._pending.pop(0)
            yield None if worker is None else _collect(*worker)

    def close(self) -> None:
        while self._pending:
            worker = self._pending.pop()
            if worker is not None:
                _collect(*worker, kill=True)


def _collect(pid: int, read: int, *, kill: bool = False) -> bytes | None:
    """The worker's bytes, read to the end, if it then exited successfully; always reaped."""
    data: bytes | None = None
    try:
        with open(read, "rb") as pipe:
            if kill:
                os.kill(pid, signal.SIGKILL)
            data = pipe.read()
    except OSError:  # as good as a failed worker
        pass
    finally:
        _, status = os.waitpid(pid, 0)
    return data if os.waitstatus_to_exitcode(status) == 0 else None
