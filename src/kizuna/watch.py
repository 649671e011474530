"""Keep a vault's index in step with its files and rebuild after each burst of changes.

The shape follows mkdocs' `serve` (DESIGN §7):

- `_Recorder` runs on watchdog's thread and only records which paths changed,
  under a `threading.Condition`;
- `Watcher.run` runs on the caller's thread: it waits for a quiet period (with a
  cap, so a steady stream still rebuilds), takes the batch, and rebuilds;
- `LiveIndex.refresh` checks each dirty path again on disk and updates the index
  in place: only changed files are read again.

The rebuild itself (scheduling, rendering, writing the notes) is injected as a
callable, so this module knows nothing of templates.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .config import CONFIG_FILE, ConfigError
from .index import Index
from .model import Note, Problem
from .parse import _split, decode
from .vault import PROFILE_NOTE, READING_LIST_NOTE, STATE_DIR, TEMPLATE_OVERRIDES, Vault

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

DEBOUNCE = 0.1  # seconds of quiet before a rebuild
CAP = 2.0  # the longest a steady stream of events delays a rebuild
POLL_INTERVAL = 1.0  # seconds between two scans with --poll
# The longest the main thread waits at a time. Ctrl-C interrupts a wait only when the
# kernel hands SIGINT to the main thread; when a watchdog thread gets it, an untimed
# wait never returns to run the handler (seen once in CI: `watch` ignored Ctrl-C).
SIGNAL_CHECK = 0.5
TEMPLATES = f"{STATE_DIR}/templates/"  # the only part of .kizuna/ that is an input


def is_temporary(name: str) -> bool:
    """Editor and kizuna scratch files: vim's `*.swp` and `4913` probe, `*~` backups,
    emacs' `.#*` locks, `*.tmp` (kizuna's own `.kizuna-*.tmp` among them)."""
    return (
        name == "4913"
        or name.startswith(".#")
        or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp"))
    )


class BuildOutcome(Protocol):
    """What the injected rebuild returns (kizuna.build.BuildResult fits)."""

    @property
    def written(self) -> Sequence[Any]: ...

    @property
    def problems(self) -> Sequence[Problem]: ...


Rebuild = Callable[[Vault, Index], BuildOutcome]


# --- what changed ---------------------------------------------------------------------


@dataclass
class Batch:
    """Vault-relative paths that may have changed since the last rebuild."""

    notes: set[str] = field(default_factory=set)
    # folders created, deleted or moved: every note under them may have changed
    folders: set[str] = field(default_factory=set)
    # read by the rebuild itself, not indexed: kizuna.toml, me.md, the reading list, templates
    inputs: set[str] = field(default_factory=set)
    new_day: bool = False  # nothing changed, but "today" did: the notes are due again

    def __bool__(self) -> bool:
        return bool(self.notes or self.folders or self.inputs)


def classify(vault: Vault, rel: str, *, is_directory: bool) -> tuple[str, str] | None:
    """Which part of a Batch a changed path belongs to, or None if kizuna does not read it."""
    name = rel.rsplit("/", 1)[-1]
    if not rel or rel.startswith("../") or rel == ".." or is_temporary(name):
        return None
    if is_directory:
        # A trailing "/" asks whether anything inside the folder is read.
        return None if vault.is_ignored(rel + "/") else ("folders", rel)
    if rel == CONFIG_FILE:
        return ("inputs", rel)
    if rel.startswith(TEMPLATES):
        return ("inputs", rel)
    if not rel.lower().endswith(".md") or vault.is_ignored(rel):
        return None
    if rel in (PROFILE_NOTE, READING_LIST_NOTE):
        return ("inputs", rel)
    return ("notes", rel)


class _Recorder:
    """The watchdog event handler: records dirty paths and wakes the rebuild loop; nothing else."""

    def __init__(self, live: LiveIndex) -> None:
        self._live = live
        self.cond = threading.Condition()
        self.batch = Batch()
        self.first = 0.0  # monotonic time of the batch's first event
        self.last = 0.0  # ... and of its latest
        self.stopping = False

    def dispatch(self, event: FileSystemEvent) -> None:
        # An odd path must never stop watchdog's thread: the event is dropped instead.
        with contextlib.suppress(Exception):
            self._record(event)

    def _record(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("created", "modified", "deleted", "moved", "closed"):
            return  # opened / closed_no_write: our own reads must not wake us
        if event.is_directory and event.event_type == "modified":
            return  # a file inside was added or removed: that file has its own event
        paths = [event.src_path]
        if event.event_type == "moved":
            paths.append(event.dest_path)  # an atomic save: the note arrives as the destination
        found = []
        for path in paths:
            rel = self._relative(os.fsdecode(path))
            if rel is not None:
                where = classify(self._live.vault, rel, is_directory=event.is_directory)
                if where is not None:
                    found.append(where)
        if found:
            self.mark(found)

    def mark(self, found: Sequence[tuple[str, str]]) -> None:
        with self.cond:
            now = time.monotonic()
            if not self.batch:
                self.first = now
            self.last = now
            for part, rel in found:
                getattr(self.batch, part).add(rel)
            self.cond.notify_all()

    def _relative(self, path: str) -> str | None:
        try:
            rel = os.path.relpath(path, self._live.vault.root)
        except ValueError:  # another drive, on Windows
            return None
        return None if rel == "." else rel.replace(os.sep, "/")


# --- the index, kept in step with the files ---------------------------------------------

Signature = tuple[int, int, int]  # size, mtime in ns, inode: a file changed if any of these did


def _signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _has_error(note: Note) -> bool:
    return any(p.severity == "error" for p in note.problems)


def _cut_in_front_matter(path: Path) -> bool:
    """The file opens a front matter it never closes: most likely caught mid-save."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # reading a FIFO would hang
        doc = _split(decode(path.read_bytes()))
    except (OSError, UnicodeDecodeError):
        return False
    return doc.lines[0].rstrip() == "---" and not doc.has_front_matter


@dataclass
class Refresh:
    """What one refresh found: the changes it applied, and the paths to look at again."""

    changes: list[tuple[str, str]] = field(default_factory=list)  # (path, created|modified|...)
    retry: set[str] = field(default_factory=set)  # half-written: look again after a quiet period
    errors: list[str] = field(default_factory=list)  # e.g. a bad kizuna.toml, kept the old one

    @property
    def rebuild(self) -> bool:
        return bool(self.changes)


class LiveIndex:
    """The vault and its index, updated in place from the paths a batch names."""

    def __init__(self, vault: Vault, index: Index | None = None) -> None:
        self.vault = vault
        self.index = index if index is not None else Index([], vault.config)
        # The signature each note had when we last read it. A path missing here (read by
        # the first build, never since) is read again on its first event.
        self._seen: dict[str, Signature] = {}
        # Half-written files whose old entry we kept: their signature when we saw them bad.
        self._suspect: dict[str, Signature] = {}

    def refresh(self, batch: Batch) -> Refresh:
        result = Refresh()
        if CONFIG_FILE in batch.inputs:
            self._reload(result)
            if not result.errors:
                return result  # everything was read again
        paths = set(batch.notes)
        if batch.folders:
            on_disk = self.vault.note_paths()
            for folder in batch.folders:
                prefix = folder + "/"
                # (the index may also hold a folder's problems, under the folder's path: not notes)
                paths.update(p for p in self.index.notes
                             if p.startswith(prefix) and p.lower().endswith(".md"))
                paths.update(p for p in on_disk if p.startswith(prefix))
        changed, removed = self._recheck(sorted(paths), result)
        if changed or removed:
            self.index.apply(changed, removed)
        result.changes.extend(
            (rel, "changed") for rel in sorted(batch.inputs) if rel != CONFIG_FILE
        )
        return result

    def _recheck(self, paths: list[str], result: Refresh) -> tuple[list[Note], list[str]]:
        changed: list[Note] = []
        removed: list[str] = []
        for rel in paths:
            old = self.index.notes.get(rel)
            full = self.vault.root / rel
            sig = _signature(full)
            if sig is None and os.path.lexists(full):
                sig = (-1, 0, 0)  # a link to nowhere, or a loop: read it for its problem
            if sig is None or self.vault.is_ignored(rel):
                self._forget(rel)
                if old is not None:
                    removed.append(rel)
                    result.changes.append((rel, "deleted"))
                continue
            if sig == self._seen.get(rel) and rel not in self._suspect:
                continue  # an event, but the same bytes as last time
            note = self.vault.read_note(rel)
            if _has_error(note) and not os.path.lexists(full):
                # deleted between the check and the read: its own event follows
                self._forget(rel)
                if old is not None:
                    removed.append(rel)
                    result.changes.append((rel, "deleted"))
                continue
            half_written = (
                old is not None
                and not _has_error(old)
                and (sig[0] == 0 or _has_error(note) or _cut_in_front_matter(full))
            )
            if half_written and self._suspect.get(rel) != sig:
                # Maybe caught mid-save: keep the old entry, look once more after a quiet
                # period; if the file still reads the same then, its problem is real.
                self._suspect[rel] = sig
                result.retry.add(rel)
                continue
            self._suspect.pop(rel, None)
            self._seen[rel] = sig
            if note == old:
                continue  # saved without a change that matters
            changed.append(note)
            result.changes.append((rel, "modified" if old is not None else "created"))
        return changed, removed

    def _forget(self, rel: str) -> None:
        self._seen.pop(rel, None)
        self._suspect.pop(rel, None)

    def _reload(self, result: Refresh) -> None:
        """kizuna.toml changed: settings affect parsing, so read everything again."""
        try:
            vault = Vault.open(self.vault.root)
        except (ConfigError, OSError) as exc:
            result.errors.append(f"{CONFIG_FILE}: {exc}; keeping the previous settings")
            return
        self.vault = vault
        self._seen.clear()
        self._suspect.clear()
        # Through the cache, as the first load was: new settings invalidate it, so every
        # note is parsed again, and the next `kizuna` command starts warm.
        from .cache import load_index

        self.index = load_index(vault)
        result.changes.append((CONFIG_FILE, "changed"))


# --- the loop ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One rebuild, as the console shows it."""

    at: datetime
    changes: list[tuple[str, str]]
    written: int
    ms: float  # from the end of the quiet period to the notes written
    problems: list[Problem]  # problems that were not there at the previous rebuild
    total_problems: int
    error: str | None = None  # the rebuild failed: the previous notes stay

    @property
    def what(self) -> str:
        if not self.changes:
            return "built"
        if len(self.changes) == 1:
            return " ".join(self.changes[0])
        return f"{len(self.changes)} files changed"

    def line(self) -> str:
        clock = self.at.strftime("%H:%M:%S")
        if self.error is not None:
            return f"{clock} {self.what}: rebuild failed, kept the previous notes: {self.error}"
        notes = "note" if self.written == 1 else "notes"
        count = self.total_problems
        problems = f" ({count} problem{'' if count == 1 else 's'})" if count else ""
        return f"{clock} {self.what}: {self.written} {notes} written in {self.ms:.0f} ms{problems}"


class Watcher:
    """Watch a vault and call `rebuild` after each burst of changes, until stopped."""

    def __init__(
        self,
        live: LiveIndex,
        rebuild: Rebuild,
        report: Callable[[Report], None],
        *,
        debounce: float = DEBOUNCE,
        cap: float = CAP,
        poll: bool = False,
        poll_interval: float = POLL_INTERVAL,
        on_error: Callable[[str], None] | None = None,
        daily: bool = False,
    ) -> None:
        """`daily`: also rebuild when the day changes (when "today" is the clock's, not fixed)."""
        self.live = live
        self._rebuild = rebuild
        self._report = report
        self._on_error = on_error or (lambda message: None)
        # A scan sees changes at most once per interval: to tell a pause from a gap between
        # two scans, a quiet period with --poll lasts one interval more.
        self.debounce = debounce + (poll_interval if poll else 0.0)
        self.cap = max(cap, self.debounce)
        self._poll = poll
        self._poll_interval = poll_interval
        self._recorder = _Recorder(live)
        self._observer: BaseObserver | None = None
        self._problems: set[Problem] = set()
        self._daily = daily

    # --- observer ---------------------------------------------------------------------

    def start(self) -> None:
        """Start watching; events from now on are recorded (start before the first build)."""
        from watchdog.events import (
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
            FileClosedEvent,
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
        )

        observer: BaseObserver
        if self._poll:
            from watchdog.observers.polling import PollingObserverVFS

            observer = PollingObserverVFS(os.stat, self._listdir,
                                          polling_interval=self._poll_interval)
        else:
            from watchdog.observers import Observer

            observer = Observer()
        wanted: list[type[FileSystemEvent]] = [
            FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
            DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
        ]
        observer.schedule(self._recorder, str(self.live.vault.root), recursive=True,  # type: ignore[arg-type]
                          event_filter=wanted)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def _listdir(self, path: str | None) -> Iterator[os.DirEntry[str]]:
        """What the polling observer scans: not .git, the output folder or kizuna's cache."""
        root = self.live.vault.root
        top = path is not None and Path(path) == root
        in_state = path is not None and Path(path) == root / STATE_DIR
        for entry in os.scandir(path):
            if entry.name.startswith(".") and not (top and entry.name == STATE_DIR):
                continue
            if top and entry.name == self.live.vault.config.output.strip("/"):
                continue
            if in_state and entry.name != TEMPLATE_OVERRIDES:
                continue
            yield entry

    def stop(self) -> None:
        """Make `run` return, from any thread."""
        with self._recorder.cond:
            self._recorder.stopping = True
            self._recorder.cond.notify_all()

    def close(self) -> None:
        """Stop watching, and give the objects `run` froze back to the garbage collector."""
        self.stop()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
        gc.unfreeze()

    # --- loop ---------------------------------------------------------------------------

    def run(self) -> None:
        """Rebuild after each quiet period until `stop`; a KeyboardInterrupt propagates."""
        _settle()
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            started = time.perf_counter()
            if batch.new_day:
                self.build([("a new day", "began")], started)
                continue
            try:
                refresh = self.live.refresh(batch)
            except Exception as exc:  # a bug must not end the watch: report, carry on
                self._on_error(f"could not read the changes: {type(exc).__name__}: {exc}")
                continue
            for message in refresh.errors:
                self._on_error(message)
            if refresh.retry:
                self._recorder.mark([("notes", rel) for rel in sorted(refresh.retry)])
            if refresh.rebuild:
                self.build(refresh.changes, started)
                if (CONFIG_FILE, "changed") in refresh.changes:
                    _settle()  # a whole new index

    def build(self, changes: list[tuple[str, str]], started: float | None = None) -> Report:
        """Rebuild the notes now and report it (the first build, and after each batch)."""
        started = time.perf_counter() if started is None else started
        try:
            outcome = self._rebuild(self.live.vault, self.live.index)
        except Exception as exc:  # e.g. a template error: the notes already written stay
            report = Report(datetime.now(), changes, 0, _ms(started), [],
                            len(self._problems), f"{type(exc).__name__}: {exc}")
        else:
            ms = _ms(started)  # the notes are on disk now; what follows is bookkeeping
            current = set(outcome.problems) | set(self.live.index.problems)
            new = sorted(current - self._problems, key=lambda p: (p.path, p.line or 0))
            self._problems = current
            report = Report(datetime.now(), changes, len(outcome.written), ms, new, len(current))
        self._report(report)
        return report

    def _next_batch(self) -> Batch | None:
        """Wait for events, then for a quiet period (at most `cap` after the first event)."""
        rec = self._recorder
        with rec.cond:
            if not self._wait_for_events():
                return Batch(new_day=True)
            while not rec.stopping:
                now = time.monotonic()
                deadline = min(rec.last + self.debounce, rec.first + self.cap)
                if now >= deadline:
                    break
                rec.cond.wait(deadline - now)
            if rec.stopping:
                return None
            batch, rec.batch = rec.batch, Batch()
            return batch

    def _wait_for_events(self) -> bool:
        """Wait for the first event (under the lock); False when the day changed first."""
        rec = self._recorder
        midnight = time.monotonic() + seconds_to_midnight() if self._daily else None
        while not rec.batch and not rec.stopping:
            if midnight is None:
                rec.cond.wait(SIGNAL_CHECK)
                continue
            left = midnight - time.monotonic()
            if left <= 0:
                return False
            rec.cond.wait(min(left, SIGNAL_CHECK))
        return True


def _settle() -> None:
    """Keep the garbage collector off the long-lived index.

    A full collection walks every object: at 10,000 contacts that is 0.1 s or more,
    and it would fall in some rebuild at random. The index and the notes are freed
    by reference counting (they hold no cycles), so they can leave the collector's
    sight once they are built; collecting first keeps any garbage out of that.
    """
    gc.collect()
    gc.freeze()


def seconds_to_midnight() -> float:
    """Until just after the next local midnight, when "today" changes."""
    now = datetime.now()
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    return (tomorrow - now).total_seconds() + 1.0


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
