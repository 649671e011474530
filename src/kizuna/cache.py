"""The persistent cache of parsed notes in `.kizuna/cache.pickle` (DESIGN §8).

`load_notes(vault)` returns what `Vault.read_note` would return for every note,
re-reading only files whose size, mtime or ctime changed since the cache was
written. The cache is a pure speed-up and is never trusted: a file that is
missing, truncated, corrupt, from another kizuna (parser source), or made
under another `kizuna.toml` is ignored and rebuilt; failing to write it is
silent. It is unpickled with only kizuna's model classes and `date` allowed,
so a cache file planted in a shared vault cannot run code.

When many files must be read, worker processes read chunks of them (`parallel`)
and send each chunk back pickled as the file stores it: the file holds the
header, then chunks of entries each pickled on its own, then the index tables.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import operator
import os
import pickle
import stat
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, make_dataclass
from datetime import date
from itertools import chain, compress, cycle, islice, repeat, starmap
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar, cast

from . import model, parallel
from .config import Config
from .index import Index
from .model import Note, Problem
from .vault import Vault
from .write import atomic_write

CACHE_FILE = "cache.pickle"
FORMAT = 3  # bump when the file layout changes
MAGIC = b"kizuna cache\n"
_FRAME = struct.Struct("<QI")  # payload length, CRC-32 of the payload

# A file changed again within this window can keep its size and (coarse) mtime,
# so notes this fresh are read but not cached: the next load reads them again.
RACY_NS = 2_000_000_000

# A vault this small loads in a few milliseconds: a cache would only be clutter.
MIN_NOTES = 100

# Cache misses are read by worker processes too (`parallel`), one share each, when
# there are at least two shares of this many. Per note at 10k contacts (CPU): reading
# and parsing 335 µs, flattening and pickling 62 µs, unpickling and unflattening 27 µs;
# forking and collecting a worker: 1-2 ms CPU, 5-9 ms wall. So a note a worker reads
# saves ~370 µs of wall time where a CPU is free, and costs 27 µs more CPU in all
# where none is: from 1,000 misses on, 0.2 s saved or more, against 0.03 s.
MIN_CHUNK = 500

# The code whose output the cache stores: any change to it (a new kizuna
# version, or a local edit) invalidates the cache. Hashing the sources costs
# well under a millisecond; importlib.metadata.version() costs 50 ms.
_SOURCES = ("model.py", "parse.py", "yamlfm.py", "config.py", "vault.py", "index.py", "cache.py")

_MODEL_CLASSES: tuple[type, ...] = (
    model.Note, model.Contact, model.Interaction, model.Promise, model.JournalMention,
    model.Problem, model.PartialDate, model.Duration,
)
_ALLOWED = {("kizuna.model", cls.__name__) for cls in (*_MODEL_CLASSES, model.Depth)}
_ALLOWED.add(("datetime", "date"))


def cache_path(vault: Vault) -> Path:
    return vault.state_dir / CACHE_FILE


def load_index(vault: Vault, *, defer: Defer | None = None,
               found: NoteKeys | None = None) -> Index:
    """The vault's index, its notes read through the cache.

    When every note came from the cache and the file list is the one it was made
    for, the index's derived tables come from the cache too (`Index.restored`).

    `defer`: how the caller runs a function once its work is done (click's
    `call_on_close`). Given it, and a CPU to spare, a forked process writes the
    cache while this one goes on to use the index; `defer` gets the wait for it.
    `found`: the notes' keys, when the caller took them already (`note_keys`).
    """
    background = defer is not None and parallel.jobs() > 1
    with _no_gc():
        loaded = _load(vault, sys.stderr, 1.0, prepickle=not background, found=found)
        if loaded.tables is not None:
            try:
                return Index.restored(loaded.notes, vault.config, loaded.tables)
            except Exception:  # tables that do not fit: derive, and store them anew
                loaded.tables = None
        index = _patched(loaded, vault.config) or Index(loaded.notes, vault.config)
        loaded.save(index if loaded.complete else None, defer if background else None)
        return index


# Changing more than this share of the notes, deriving the index anew costs less.
PATCH_AT_MOST = 0.1


def _patched(loaded: _Loaded, config: Config) -> Index | None:
    """The cached index with what changed since applied to it (`Index.apply`, as
    `kizuna watch` does after each save: milliseconds where deriving the index of 10,000
    contacts anew takes half a second), or None if the cache holds no index to patch."""
    if loaded.before is None:
        return None
    tables, cached = loaded.before
    now = {note.path: note for note in loaded.notes}
    was = {note.path: note for note in cached}
    # A note read from the cache is the cached object itself: the others are changes.
    changed = [note for note in loaded.notes if was.get(note.path) is not note]
    removed = was.keys() - now.keys()
    if len(changed) + len(removed) > PATCH_AT_MOST * len(now):
        return None
    try:
        index = Index.restored(cached, config, tables)
    except Exception:  # tables that do not fit: derive
        return None
    index.apply(changed, removed)
    index.notes = now  # the same notes, in the walk's order as a fresh index has them
    return index


Defer = Callable[[Callable[[], None]], Any]


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Loading builds hundreds of thousands of small acyclic objects: cyclic GC
    passes over them find nothing and cost a tenth of the load.

    Afterwards they are frozen (moved out of the collector's sight): otherwise the
    first collection after re-enabling it walks them all, another tenth. They live
    as long as the command, and refcounting still frees them when dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_notes(vault: Vault, *, progress: IO[str] | None = None,
               progress_after: float = 1.0) -> list[Note]:
    """Every note of the vault, parsed: from the cache where the file is unchanged.

    `progress`: where to show a status line while reading takes longer than
    `progress_after` seconds (default stderr; only if it is a terminal).
    """
    with _no_gc():
        loaded = _load(vault, sys.stderr if progress is None else progress, progress_after)
        loaded.save()
        return loaded.notes


@dataclass
class _Loaded:
    """The notes of one load, and what the cache should hold after it."""

    notes: list[Note]
    tables: Any  # the cached index tables, usable with these notes; else None
    complete: bool  # the entries to cache are exactly the notes: tables of them may be cached
    changed: bool  # the entries to cache differ from the cache file's
    small: bool  # too few notes to be worth a cache
    path: Path
    header: tuple[Any, ...]
    entries: Entries  # to pickle, unless already in `pickled`
    pickled: list[bytes]  # chunks of entries already pickled (see _read_misses)
    body: list[bytes] | None  # the header and entries pickled, if done already
    # The cached tables and the notes they are of, when some notes changed since.
    before: tuple[Any, list[Note]] | None = None

    def save(self, index: Index | None = None, defer: Defer | None = None) -> None:
        """Rewrite the cache if what it should hold changed: the notes, and the tables
        of `index` (an index of exactly `notes`, or None).

        With `defer`, a forked process writes it (see `load_index`); should that fail,
        the wait writes it here.
        """
        if self.small or not (self.changed or (index is not None and self.tables is None)):
            return

        def write() -> None:
            body = self.body
            if body is None:
                body = _body(self.header, self.entries, self.pickled)
            _write(self.path, body, None if index is None else index.tables())

        if defer is None:
            write()
            return

        def write_there(_: None) -> bytes:
            write()
            return b""  # its exit code tells whether it wrote

        saver = parallel.Workers(write_there, [None])

        def wait() -> None:
            with saver:
                if next(saver.results()) is None:  # it failed, or could not start
                    write()

        defer(wait)


def _load(vault: Vault, stream: IO[str], progress_after: float, *,
          prepickle: bool = True, found: NoteKeys | None = None) -> _Loaded:
    """`prepickle`: pickle the cache entries now if the cache is to be rewritten (when
    this process will write it: a forked one pickles them at no cost to this one).
    `found`: the notes' keys, if this command has them already."""
    header = _header(vault)
    cached, tables = _read(cache_path(vault), header)
    notes: dict[str, Note | None] = {}
    keys: dict[str, Key] = {}
    misses: list[str] = []
    found = note_keys(vault) if found is None else found
    folder_problems = found.folder_problems
    for rel, key in found.keys.items():
        if key is None:
            notes[rel] = None  # read_note reports it
            misses.append(rel)
            continue
        hit = cached.get(rel)
        notes[rel] = hit[1] if hit is not None and hit[0] == key else None
        if notes[rel] is None:
            misses.append(rel)
        if found.trusted(key):
            keys[rel] = key
    progress = Progress(len(misses), stream, progress_after)
    pickled, held = _read_misses(vault, misses, keys, notes, progress, prepickle)
    progress.done()
    read = cast(dict[str, Note], notes)  # every miss is read now
    # Rewrite only when what the cache should hold changed: a file kizuna cannot stat
    # (a dangling link) is read every time and must not cost a rewrite every time.
    changed = len(keys) != len(cached) or any(rel in keys for rel in misses)
    complete = len(keys) == len(read) and not folder_problems
    # As Vault.read_all: a note-less entry for each folder the walk could not follow.
    every = [*read.values(), *(Note(p.path, problems=(p,)) for p in folder_problems)]
    usable = not misses and len(cached) == len(read) and not folder_problems
    # Tables of other notes (some changed since): an index to apply the changes to.
    before = None if usable or tables is None or folder_problems else (
        tables, [note for _, note in cached.values()])
    tables = tables if usable else None
    entries: Entries = {rel: (keys[rel], read[rel]) for rel in keys if rel not in held}
    body = None
    small = len(read) < MIN_NOTES
    if prepickle and not small and (changed or (complete and tables is None)):
        # Pickled now, before the index exists: the pickler's memo is as big as the notes.
        body = _body(header, entries, pickled)
    return _Loaded(every, tables, complete, changed, small, cache_path(vault), header, entries,
                   pickled, body, before)


Key = tuple[int, int, int]  # size, mtime_ns, ctime_ns
# None: a note read but not to be trusted by the next load (too fresh, or not statable).
Entries = dict[str, tuple[Key | None, Note]]


class NoteKeys(NamedTuple):
    """The vault's notes as a walk and a stat of each found them."""

    keys: dict[str, Key | None]  # in the walk's order; None: not a file that can be read
    folder_problems: list[Problem]  # the folders the walk could not follow
    now: int  # time.time_ns() before the walk

    def trusted(self, key: Key) -> bool:
        """Whether a file with this key is old enough that its next change will show in
        its key (see RACY_NS)."""
        return self.now - key[1] > RACY_NS and self.now - key[2] > RACY_NS


def note_keys(vault: Vault) -> NoteKeys:
    """Every note's key (size, mtime, ctime), found now."""
    now = time.time_ns()
    root = str(vault.root) + os.sep
    paths, folder_problems = vault.walk()
    keys: dict[str, Key | None] = {}
    for rel in paths:
        try:
            st = os.stat(root + rel)
        except OSError:
            st = None
        keys[rel] = (None if st is None or not stat.S_ISREG(st.st_mode)
                     else (st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return NoteKeys(keys, folder_problems, now)


def _read_misses(vault: Vault, misses: list[str], keys: dict[str, Key],
                 notes: dict[str, Note | None], progress: Progress,
                 prepickle: bool) -> tuple[list[bytes], set[str]]:
    """Read the misses into `notes`, with worker processes when there are many.

    Returns chunks of cache entries already pickled, and the paths they hold.
    """
    jobs = min(parallel.jobs(), len(misses) // MIN_CHUNK)
    if jobs < 2:
        _read_here(vault, misses, notes, progress)
        return [], set()
    own, chunks = _shares(misses, jobs, 1.0 if prepickle else OWN_SHARE)
    given = {rel for chunk in chunks for rel in chunk}
    with parallel.Workers(functools.partial(_pickled_chunk, vault, keys), chunks) as running:
        progress.scale = len(misses) / max(len(own), 1)  # the workers advance about as fast
        _read_here(vault, own, notes, progress)
        pickled: list[bytes] = []
        held: set[str] = set()
        if prepickle:  # while the workers finish: the cache entries of every note but theirs
            mine: Entries = {rel: (key, cast(Note, notes[rel])) for rel, key in keys.items()
                             if rel not in given}
            pickled.append(_chunk(mine))
            held.update(mine)
        done = len(own)
        for chunk, data in zip(chunks, running.results(), strict=True):
            read = None if data is None else _unpickled_chunk(data, chunk, keys)
            if data is None or read is None:  # the worker failed: read its chunk here
                progress.scale = 1.0
                _read_here(vault, chunk, notes, progress, done)
            else:
                notes.update(read)
                pickled.append(data)
                held.update(chunk)
            done += len(chunk)
            progress.show(done)
    return pickled, held


# A worker reads and pickles its notes (at 10k contacts, 335 + 62 µs CPU a note), this
# process only reads them, when another process pickles them later (`prepickle` off):
# then its share is this much larger than a worker's, for all to finish together.
OWN_SHARE = 1.2


def _shares(misses: list[str], jobs: int, own_weight: float) -> tuple[list[str], list[list[str]]]:
    """This process's share of the misses (`own_weight` times a worker's), and the workers'.

    Every few notes to each, not runs of notes: journal notes (Daily/ comes first) read
    faster than contacts, and a share of them only would finish 10% early.
    """
    period = 100
    own_per_period = round(period * own_weight / (own_weight + jobs - 1))
    # evenly spread over the period: position i is this process's if a multiple is crossed
    pattern = [(i + 1) * own_per_period // period != i * own_per_period // period
               for i in range(period)]
    mine = list(islice(cycle(pattern), len(misses)))
    theirs = list(compress(misses, map(operator.not_, mine)))
    return list(compress(misses, mine)), [theirs[start::jobs - 1] for start in range(jobs - 1)]


def _read_here(vault: Vault, rels: list[str], notes: dict[str, Note | None],
               progress: Progress, start: int = 0) -> None:
    for number, rel in enumerate(rels, start):
        notes[rel] = vault.read_note(rel)
        progress.tick(number)


def _pickled_chunk(vault: Vault, keys: dict[str, Key], chunk: list[str]) -> bytes:
    """A worker's part: its notes read and pickled as a chunk of the cache file."""
    return _chunk({rel: (keys.get(rel), vault.read_note(rel)) for rel in chunk})


def _unpickled_chunk(data: bytes, chunk: list[str], keys: dict[str, Key]) -> dict[str, Note] | None:
    """The notes a worker sent for `chunk`, or None if they are not exactly those."""
    try:
        entries = _unflatten(*_Unpickler(io.BytesIO(data)).load())
    except Exception:  # cut short, or garbled: the chunk is read again
        return None
    if [(rel, key) for rel, (key, _) in entries.items()] != [(rel, keys.get(rel)) for rel in chunk]:
        return None
    return {rel: note for rel, (_, note) in entries.items()}


# --- the file's body -----------------------------------------------------------------
#
# Pickling and unpickling cost a Python call per model object, and contacts have
# a dozen log entries each. So the log entries of all contacts are stored as
# columns of plain values (one list per field, which the C pickler handles
# alone) and rebuilt with one constructor call per entry; equal dates are one
# object, which the pickler stores once and then by reference (many entries fall
# on the same day). The rest of a note goes through the reducers below.

_CONTACT_FIELDS = tuple(f.name for f in fields(model.Contact))
_CONTACT_HEAD = tuple(name for name in _CONTACT_FIELDS if name not in ("log", "promises"))
_contact_head = operator.attrgetter(*_CONTACT_HEAD)
_LOG_AT, _PROMISES_AT = _CONTACT_FIELDS.index("log"), _CONTACT_FIELDS.index("promises")
_INTERACTION = tuple(f.name for f in fields(model.Interaction))
_COLUMNS = tuple(name for name in _INTERACTION if name != "source")  # the source is the note
_interaction_columns = operator.attrgetter(*_INTERACTION)
_promise_row = operator.attrgetter(*(f.name for f in fields(model.Promise)))
_note_rest = operator.attrgetter("journal_date", "mentions", "promises", "problems")


def _flatten(entries: Entries) -> tuple[dict[str, tuple[Any, ...]], tuple[list[Any], ...]]:
    """(rel -> (key, flat note), log columns) for the pickler."""
    flat: dict[str, tuple[Any, ...]] = {}
    columns: tuple[list[Any], ...] = tuple([] for _ in _COLUMNS)
    days, kinds, depths, inbound, texts, lines, links = columns
    shared: dict[str, str] = {}
    share = _sharer(shared)
    shared_days: dict[date, date] = {}
    for rel, (key, note) in entries.items():
        contact = note.contact
        if contact is None:
            flat[rel] = (key, note.path, None, *_note_rest(note))
            continue
        log: list[Any] = []
        if contact.log:
            day, kind, depth, inward, text, source, line, link = zip(
                *map(_interaction_columns, contact.log), strict=True)
            if set(source) == {note.path} and set(map(type, day)) == {date}:
                days.extend(map(shared_days.setdefault, day, day))
                kinds.extend(map(shared.setdefault, kind, kind))
                depths.extend(depth)
                inbound.extend(inward)
                texts.extend(text)
                lines.extend(line)
                links.extend(map(share, link))
                log = [len(day)]
            else:  # not a log we can store as columns: keep the objects
                log = list(contact.log)
        head = (share(_contact_head(contact)), log,
                tuple(map(_promise_row, contact.promises)))
        flat[rel] = (key, note.path, head, *_note_rest(note))
    return flat, columns


def _sharer(shared: dict[str, str]) -> Callable[[Any], Any]:
    """A function giving `value` with equal strings in its tuples and dicts as one object.

    The pickler stores an object it has seen as a reference, which the unpickler
    resolves without building anything: the field names of every contact's `lines`,
    its tier, its circles' names, the targets of links are each built once.
    """
    def share(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return shared.setdefault(value, value)
        if kind is tuple:
            return tuple(map(share, value))
        if kind is dict:
            return {share(key): share(item) for key, item in value.items()}
        return value

    return share


T = TypeVar("T")


def _unfrozen(cls: type[T]) -> Callable[..., T]:
    """`cls(*values)` for a frozen dataclass, five times faster (10,000 contacts: 100 ->
    18 ms): its __init__ sets each field through object.__setattr__, a twin that is not
    frozen, with the same slots, sets them directly; the object then becomes a `cls`."""
    twin = make_dataclass(cls.__name__, [f.name for f in fields(cls)],  # type: ignore[arg-type]
                          slots=True)

    def new(*values: Any) -> T:
        made = twin(*values)
        made.__class__ = cls
        return cast(T, made)

    return new


_new_contact = _unfrozen(model.Contact)
_new_note = _unfrozen(model.Note)
_new_promise = _unfrozen(model.Promise)


def _unflatten(flat: dict[str, tuple[Any, ...]], columns: tuple[list[Any], ...]) -> Entries:
    days, kinds, depths, inbound, texts, lines, links = columns
    if len({len(column) for column in columns}) > 1:
        raise ValueError("columns of different lengths")
    sources = chain.from_iterable(
        repeat(entry[1], entry[2][1][0]) for entry in flat.values()
        if entry[2] is not None and entry[2][1] and type(entry[2][1][0]) is int)
    rows = iter(list(map(model.Interaction, days, kinds, depths, inbound, texts, sources,
                         lines, links)))
    entries: Entries = {}
    for rel, (key, path, head, *rest) in flat.items():
        contact = None
        if head is not None:
            values, log, own = head
            if log and type(log[0]) is int:
                log = tuple(islice(rows, log[0]))  # a tuple: tuple(log) below copies nothing
            if len(values) != len(_CONTACT_HEAD):
                raise ValueError("not a contact of this kizuna")
            # Positional arguments: a keyword dict per contact costs a tenth of the load.
            args = list(values)
            for at, value in sorted(((_LOG_AT, tuple(log)),
                                     (_PROMISES_AT, tuple(starmap(_new_promise, own))))):
                args.insert(at, value)
            contact = _new_contact(*args)
        if path != rel:
            raise ValueError(f"entry {rel!r} holds {path!r}")
        entries[rel] = (key, _new_note(path, contact, *rest))
    if next(rows, None) is not None:
        raise ValueError("log rows left over")
    return entries


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
    code.update(yaml_identity())
    settings = hashlib.sha256(repr(vault.config).encode()).hexdigest()
    return (FORMAT, code.hexdigest(), settings, sys.version_info[:2])


def yaml_identity() -> bytes:
    """The installed PyYAML (its version, and whether its libyaml extension is there),
    told from its files: importing it costs a warm load 20 ms, finding it 1 ms."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return b"no yaml"
    extension = [name for name in os.listdir(os.path.dirname(spec.origin))
                 if name.startswith("_yaml.")]  # CSafeLoader's libyaml binding
    with open(spec.origin, "rb") as init:  # holds __version__
        return init.read() + "\0".join(sorted(extension)).encode()


class _Unpickler(pickle.Unpickler):
    """Only kizuna's model classes and `date`: a planted cache file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def read_cache(path: Path, header: tuple[Any, ...]) -> Entries:
    """The cached entries, or {} for a missing, unreadable, corrupt or foreign cache."""
    return _read(path, header)[0]


def _read(path: Path, header: tuple[Any, ...]) -> tuple[Entries, Any]:
    """(the cached entries, the index tables or None); ({}, None) for a cache not to trust."""
    try:
        data = path.read_bytes()
        if not data.startswith(MAGIC):
            return {}, None
        length, checksum = _FRAME.unpack_from(data, len(MAGIC))
        payload = memoryview(data)[len(MAGIC) + _FRAME.size:]
        if len(payload) != length or zlib.crc32(payload) != checksum:
            return {}, None  # truncated, or damaged: a flipped byte could change a name
        stream = io.BytesIO(data)  # shares the bytes: no copy of a file of megabytes
        stream.seek(len(MAGIC) + _FRAME.size)
        unpickler = _Unpickler(stream)
        if unpickler.load() != header:
            return {}, None
        entries: Entries = {}
        for _ in range(unpickler.load()):  # the chunks: pickles of their own, see _body
            entries.update(_unflatten(*_Unpickler(stream).load()))
        tables = _Unpickler(stream).load()  # a pickle of its own: see _write
        trusted = {rel: entry for rel, entry in entries.items() if entry[0] is not None}
        return trusted, tables if type(tables) is tuple else None
    except Exception:  # anything at all: the cache is never trusted and never a crash
        return {}, None


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


def write_cache(path: Path, header: tuple[Any, ...], entries: Entries,
                tables: Any = None) -> None:
    """Save the entries, and the index tables of exactly those notes, atomically;
    a vault we cannot write to simply has no cache."""
    _write(path, _body(header, entries, []), tables)


def _pickler(buffer: io.BytesIO) -> pickle.Pickler:
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _reducers()
    return pickler


def _body(header: tuple[Any, ...], entries: Entries, pickled: list[bytes]) -> list[bytes]:
    """The first part of the file's payload: the header, the number of chunks, the
    chunks: `entries`, then those `pickled` already."""
    buffer = io.BytesIO()
    pickler = _pickler(buffer)
    pickler.dump(header)
    pickler.dump(1 + len(pickled))
    return [buffer.getvalue(), _chunk(entries), *pickled]


def _chunk(entries: Entries) -> bytes:
    """Entries as one chunk of the file: a pickle of its own (its own memo), which a
    worker process can make and this one write as it is."""
    buffer = io.BytesIO()
    _pickler(buffer).dump(_flatten(entries))
    return buffer.getvalue()


def _write(path: Path, body: list[bytes], tables: Any) -> None:
    """The file: frame, body, then the tables in a pickle of their own (its own memo,
    so that the body's need not be kept while the index is built)."""
    buffer = io.BytesIO()
    _pickler(buffer).dump(tables)
    parts = [*body, buffer.getvalue()]
    del buffer
    checksum = 0
    for part in parts:
        checksum = zlib.crc32(part, checksum)
    frame = MAGIC + _FRAME.pack(sum(map(len, parts)), checksum)
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, b"".join((frame, *parts)))
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
        self.scale = 1.0  # notes done in all, per note `tick` is told of
        try:
            self.enabled = total > 0 and stream.isatty()
        except (AttributeError, ValueError):  # no isatty, or a closed stream
            self.enabled = False

    def tick(self, number: int) -> None:
        """Note that `number` notes (counting from 0) are done; cheap when nothing shows."""
        if not self.enabled or number & 63:
            return
        self.show(round(number * self.scale))

    def show(self, number: int) -> None:
        """Show that `number` notes are done, unless it is too early or too soon again."""
        if not self.enabled:
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

