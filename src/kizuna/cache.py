"""The persistent cache of parsed notes in `.kizuna/cache.pickle` (DESIGN §8).

`load_notes(vault)` returns what `Vault.read_note` would return for every note,
re-reading only files whose size, mtime or ctime changed since the cache was
written. The cache is a pure speed-up and is never trusted: a file that is
missing, truncated, corrupt, from another kizuna (parser source), or made
under another `kizuna.toml` is ignored and rebuilt; failing to write it is
silent. It is unpickled with only kizuna's model classes and `date` allowed,
so a cache file planted in a shared vault cannot run code.
"""

from __future__ import annotations

import gc
import hashlib
import io
import operator
import os
import pickle
import struct
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

import yaml

from . import model
from .model import Note
from .vault import Vault
from .write import atomic_write

CACHE_FILE = "cache.pickle"
FORMAT = 1  # bump when the file layout changes
MAGIC = b"kizuna cache\n"
_FRAME = struct.Struct("<QI")  # payload length, CRC-32 of the payload

# A file changed again within this window can keep its size and (coarse) mtime,
# so notes this fresh are read but not cached: the next load reads them again.
RACY_NS = 2_000_000_000

# The code whose output the cache stores: any change to it (a new kizuna
# version, or a local edit) invalidates the cache. Hashing the sources costs
# well under a millisecond; importlib.metadata.version() costs 50 ms.
_SOURCES = ("model.py", "parse.py", "yamlfm.py", "config.py", "vault.py", "cache.py")

_MODEL_CLASSES: tuple[type, ...] = (
    model.Note, model.Contact, model.Interaction, model.Promise, model.JournalMention,
    model.Problem, model.PartialDate, model.Duration,
)
_ALLOWED = {("kizuna.model", cls.__name__) for cls in (*_MODEL_CLASSES, model.Depth)}
_ALLOWED.add(("datetime", "date"))

Entry = tuple[int, int, int, Note]  # size, mtime_ns, ctime_ns, note


def cache_path(vault: Vault) -> Path:
    return vault.state_dir / CACHE_FILE


def load_notes(vault: Vault, *, progress: IO[str] | None = None,
               progress_after: float = 1.0) -> list[Note]:
    """Every note of the vault, parsed: from the cache where the file is unchanged.

    `progress`: where to show a status line while reading takes longer than
    `progress_after` seconds (default stderr; only if it is a terminal).
    """
    gc_was_enabled = gc.isenabled()
    # Loading builds hundreds of thousands of small acyclic objects: cyclic GC
    # passes over them find nothing and cost a tenth of the load.
    gc.disable()
    try:
        return _load(vault, sys.stderr if progress is None else progress, progress_after)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(vault: Vault, stream: IO[str], progress_after: float) -> list[Note]:
    header = _header(vault)
    cached = read_cache(cache_path(vault), header)
    now = time.time_ns()
    keys: dict[str, tuple[int, int, int] | None] = {}
    misses: list[str] = []
    root = str(vault.root) + os.sep
    for rel in vault.note_paths():
        try:
            st = os.stat(root + rel)
            key: tuple[int, int, int] | None = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            key = None  # read_note reports it
        keys[rel] = key
        hit = cached.get(rel)
        if key is None or hit is None or hit[:3] != key:
            misses.append(rel)
    fresh: dict[str, Note] = {}
    progress = Progress(len(misses), stream, progress_after)
    for number, rel in enumerate(misses):
        fresh[rel] = vault.read_note(rel)
        progress.tick(number)
    progress.done()
    notes: list[Note] = []
    entries: dict[str, Entry] = {}
    for rel, key in keys.items():
        note = fresh[rel] if rel in fresh else cached[rel][3]
        notes.append(note)
        if key is not None and now - key[1] > RACY_NS and now - key[2] > RACY_NS:
            entries[rel] = (*key, note)
    if fresh or len(entries) != len(cached):
        write_cache(cache_path(vault), header, entries)
    return notes


def _header(vault: Vault) -> tuple[Any, ...]:
    """What a cache must have been made with to be used: format, code and settings."""
    code = hashlib.sha256()
    here = Path(__file__).parent
    for name in _SOURCES:
        try:
            code.update((here / name).read_bytes())
        except OSError:  # no sources (a frozen build): fall back to the version
            from importlib.metadata import version

            code.update(version("kizuna").encode())
    code.update(f"{yaml.__version__} {getattr(yaml, '__with_libyaml__', False)}".encode())
    settings = hashlib.sha256(repr(vault.config).encode()).hexdigest()
    return (FORMAT, code.hexdigest(), settings, sys.version_info[:2])


class _Unpickler(pickle.Unpickler):
    """Only kizuna's model classes and `date`: a planted cache file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def read_cache(path: Path, header: tuple[Any, ...]) -> dict[str, Entry]:
    """The cached entries, or {} for a missing, unreadable, corrupt or foreign cache."""
    try:
        data = path.read_bytes()
        if not data.startswith(MAGIC):
            return {}
        length, checksum = _FRAME.unpack_from(data, len(MAGIC))
        payload = memoryview(data)[len(MAGIC) + _FRAME.size:]
        if len(payload) != length or zlib.crc32(payload) != checksum:
            return {}  # truncated, or damaged: a flipped byte could change a name
        stream = io.BytesIO(payload)
        unpickler = _Unpickler(stream)
        if unpickler.load() != header:
            return {}
        entries = unpickler.load()
    except Exception:  # anything at all: the cache is never trusted and never a crash
        return {}
    return entries if _well_formed(entries) else {}


def _well_formed(entries: object) -> bool:
    if not isinstance(entries, dict):
        return False
    for rel, entry in entries.items():
        if not (isinstance(rel, str) and isinstance(entry, tuple) and len(entry) == 4
                and isinstance(entry[3], Note) and entry[3].path == rel
                and all(type(n) is int for n in entry[:3])):
            return False
    return True


def _reducers() -> dict[type, Callable[[Any], tuple[Any, ...]]]:
    """(class, field values): unpickling calls the constructor once, with no __setstate__.

    The dataclasses' own pickling goes through a Python __getstate__ and
    __setstate__ per object, about twice as slow both ways.
    """
    return {cls: _reducer(cls) for cls in _MODEL_CLASSES}


def _reducer(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def reduce(obj: Any) -> tuple[Any, ...]:
        return (cls, values(obj))

    return reduce


def write_cache(path: Path, header: tuple[Any, ...], entries: dict[str, Entry]) -> None:
    """Save the entries atomically; a vault we cannot write to simply has no cache."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _reducers()
    pickler.dump(header)
    pickler.dump(entries)
    payload = buffer.getbuffer()
    data = MAGIC + _FRAME.pack(len(payload), zlib.crc32(payload)) + payload
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, data)
    except OSError:
        pass


class Progress:
    """A status line on a terminal while reading takes longer than `after` seconds."""

    def __init__(self, total: int, stream: IO[str], after: float = 1.0) -> None:
        self.total = total
        self.stream = stream
        self.after = after
        self.started = time.monotonic()
        self.shown_at = 0.0
        try:
            self.enabled = total > 0 and stream.isatty()
        except (AttributeError, ValueError):  # no isatty, or a closed stream
            self.enabled = False

    def tick(self, number: int) -> None:
        """Note that `number` notes (counting from 0) are done; cheap when nothing shows."""
        if not self.enabled or number & 63:
            return
        now = time.monotonic()
        if now - self.started < self.after or now - self.shown_at < 0.1:
            return
        self.shown_at = now
        self.stream.write(f"\rkizuna: reading notes {number:,}/{self.total:,}")
        self.stream.flush()

    def done(self) -> None:
        if self.shown_at:
            self.stream.write("\r\x1b[K")  # clear the line: the command's output follows
            self.stream.flush()

