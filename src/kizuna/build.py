"""load → index → schedule → render → write: the generated notes of one vault."""

from __future__ import annotations

import contextlib
import gc
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .index import Index
from .model import Contact, Problem
from .parse import FENCE, HASHTAG, LIST_ITEM, TASK, decode, parse_note
from .render import NOTES, FragmentTexts, Renderer, file_name, fragments_extension
from .schedule import ContactMemo, ReadingItem, Schedule
from .stamp import template_overrides
from .vault import PROFILE_NOTE, READING_LIST_NOTE, STATE_DIR, Vault
from .write import NotGenerated, atomic_write, write_generated

if TYPE_CHECKING:
    import jinja2


@dataclass
class BuildResult:
    written: list[str] = field(default_factory=list)  # vault-relative paths actually rewritten
    notes: int = 0  # notes considered
    problems: list[Problem] = field(default_factory=list)  # the vault's, and refusals to write
    ms: float = 0.0
    contacts: int = 0
    schedule: Schedule | None = None  # what the notes were made with, for more from it

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


# --- me.md and reading-list.md -----------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """`me.md`: your own profile, read with the contact parser (its keys as a contact's)."""

    me: Contact
    extra: dict[str, Any]  # pitch, strengths, working_on, want_next… by folded key


def read_profile(vault: Vault) -> tuple[Profile | None, list[Problem]]:
    try:
        raw = (vault.root / PROFILE_NOTE).read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [Problem(PROFILE_NOTE, None, "error", f"cannot read: {exc.strerror}")]
    note = parse_note(PROFILE_NOTE, raw, vault.config, in_people=True)
    if note.contact is None:
        return None, list(note.problems)
    extra = {re.sub(r"[-_\s]+", "_", str(k).casefold()): v for k, v in note.contact.extra.items()}
    return Profile(note.contact, extra), list(note.problems)


_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_WIKI = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
_URL = re.compile(r"https?://\S+")
_QUOTED = re.compile(r"[\"“「『]([^\"”」』]+)[\"”」』]")


def parse_reading_list(text: str) -> list[ReadingItem]:
    """List items with at least one #tag, each with a link or a title (DESIGN §5.6)."""
    items = []
    in_fence = False
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        task = TASK.match(line)
        item = LIST_ITEM.match(line)
        if in_fence or not item:
            continue
        content = task.group(2) if task else item.group(1)
        tags = tuple(dict.fromkeys(HASHTAG.findall(content)))
        if not tags:
            continue
        rest = HASHTAG.sub(" ", content).strip()
        url = None
        if md := _MD_LINK.search(rest):
            title, url = md.group(1).strip(), md.group(2)
        elif wiki := _WIKI.search(rest):
            title = (wiki.group(2) or wiki.group(1)).strip()
        elif bare := _URL.search(rest):
            url = bare.group(0)
            title = _URL.sub("", rest).strip(" -–—:") or url
        elif quoted := _QUOTED.search(rest):
            title = quoted.group(1).strip()
        else:
            title = rest
        title = re.sub(r"\s+", " ", title).strip()
        if title or url:
            items.append(ReadingItem(title or url or "", url, tags, number))
    return items


def read_reading_list(vault: Vault) -> tuple[list[ReadingItem], list[Problem]]:
    try:
        raw = (vault.root / READING_LIST_NOTE).read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [Problem(READING_LIST_NOTE, None, "error", f"cannot read: {exc.strerror}")]
    try:
        return parse_reading_list(decode(raw)), []
    except UnicodeDecodeError as exc:
        return [], [Problem(READING_LIST_NOTE, None, "error",
                            f"not UTF-8 text (byte {exc.start}); save it as UTF-8")]


# --- templates ----------------------------------------------------------------------------

TEMPLATE_CACHE = "cache-templates"  # compiled templates, under .kizuna/


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache:
    """Compiled templates kept in .kizuna/, so a cold `build` need not compile them again.

    jinja2 checks each entry against its template's source, so an edited
    template is compiled afresh; a cache that cannot be read or written is skipped.
    """
    import io

    import jinja2

    class Cache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                with open(folder / f"{bucket.key}.cache", "rb") as f:
                    bucket.load_bytecode(f)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = io.BytesIO()
            bucket.write_bytecode(data)
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                atomic_write(folder / f"{bucket.key}.cache", data.getvalue())

    return Cache()


_ENV: dict[tuple[str, str], tuple[object, jinja2.Environment]] = {}


def environment(root: Path, language: str) -> jinja2.Environment:
    """The jinja2 environment, made anew whenever `.kizuna/templates/` changes.

    jinja2 itself reloads a template whose file changed; a new override file
    (or one removed) changes which file a name means, so that makes a new one.
    """
    from .templating import environment as make

    state = template_overrides(root)
    key = (str(root), language)
    cached = _ENV.get(key)
    if cached is None or cached[0] != state:
        _ENV.clear()  # one vault at a time: no need to keep older ones
        env = make(root, language)
        env.add_extension(fragments_extension())
        env.bytecode_cache = _bytecode_cache(root / STATE_DIR / TEMPLATE_CACHE)
        cached = _ENV[key] = (state, env)
    return cached[1]


# --- the build ------------------------------------------------------------------------------


def _output_dir(vault: Vault) -> Path | None:
    """The output folder, or None when the setting points outside the vault."""
    root = vault.root.resolve()
    out = (root / vault.config.output).resolve()
    return out if out != root and out.is_relative_to(root) else None


@dataclass
class BuildState:
    """What one build hands to the next: `kizuna watch` keeps one across its rebuilds.

    Per-contact values (cadence states, replies owed, dormant ties…) are reused for
    every contact an edit did not touch; a one-shot build starts from an empty one.
    """

    memo: ContactMemo = field(default_factory=ContactMemo)
    # The notes' text per entry (see render.fragments_extension), and what it holds for:
    # the templates, the index (and its links), the settings, today.
    fragments: FragmentTexts = field(default_factory=dict)
    fragments_for: tuple[object, ...] = ()


def build_notes(vault: Vault, index: Index, today: date,
                state: BuildState | None = None) -> BuildResult:
    """Render every generated note and write those whose content changed."""
    # The build makes many short-lived objects and almost no reference cycles, while a
    # large index keeps the collector walking every contact: pausing it saves about a
    # quarter of the time at 10,000 contacts. What little cycles jinja2 makes wait for later.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_notes(vault, index, today,
                            state or BuildState(ContactMemo(incremental=False)))
    finally:
        if collecting:
            gc.enable()


def _build_notes(vault: Vault, index: Index, today: date, state: BuildState) -> BuildResult:
    import jinja2

    started = time.perf_counter()
    result = BuildResult(contacts=len(index.contacts))
    profile, profile_problems = read_profile(vault)
    reading, reading_problems = read_reading_list(vault)
    problems = [*index.problems, *profile_problems, *reading_problems]
    out = _output_dir(vault)
    if out is None:
        problems.append(Problem("kizuna.toml", None, "error",
                                f"output = {vault.config.output!r} is not a folder inside the "
                                "vault; no notes written"))
        result.problems = problems
        result.ms = (time.perf_counter() - started) * 1000
        return result
    schedule = Schedule(index, vault.config, today, me=profile.me if profile else None,
                        reading=reading, memo=state.memo)
    language = vault.config.language
    env = environment(vault.root, language)
    fragments: Any = next(e for e in env.extensions.values() if hasattr(e, "begin"))
    # The same Index object with the same sorted list: Index.apply patched it, every link
    # reads as before.
    holds = (env, index, index.contacts, vault.config, today)
    if len(holds) != len(state.fragments_for) or any(
            a is not b for a, b in zip(holds, state.fragments_for, strict=True)):
        state.fragments = {}
    state.fragments_for = holds
    fragments.begin(state.fragments, keep=state.memo.incremental)
    renderer = Renderer(env, schedule, me=profile.me if profile else None)

    def emit(note: str, render: Any, *args: Any) -> None:
        rel_path = out / file_name(note, language)
        rel = rel_path.relative_to(vault.root.resolve()).as_posix()
        result.notes += 1
        try:
            text = render(*args)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or NOTES[note][0]
            line = getattr(exc, "lineno", None)
            problems.append(Problem(rel, None, "error",
                                    f"template {Path(where).name}"
                                    f"{f' line {line}' if line else ''}: {exc}; note not written"))
            return
        try:
            if write_generated(rel_path, text):
                result.written.append(rel)
        except NotGenerated:
            problems.append(Problem(rel, 1, "error",
                                    "not overwritten: it does not start with kizuna's marker line, "
                                    "so kizuna did not write it; move it away to let kizuna write "
                                    "its note here"))
        except OSError as exc:
            problems.append(Problem(rel, None, "error", f"cannot write: {exc.strerror or exc}"))

    emit("reach_out", renderer.reach_out)
    emit("promises", renderer.promises)
    emit("dormant", renderer.dormant)
    emit("introductions", renderer.introductions)
    emit("dates", renderer.dates)
    if profile is not None:
        emit("self_introduction", renderer.self_introduction, profile.extra)
    # Last, so that it lists every problem of this build, refusals to write included.
    emit("dashboard", renderer.dashboard, sorted(problems, key=_problem_order))
    if state.memo.incremental:
        # jinja2's contexts and macros hold reference cycles that reach the schedule:
        # without its whole-vault lists it stays small until the collector finds it.
        # (A one-shot build leaves them to the collector, as freeing them costs time.)
        schedule.release()
    state.fragments = fragments.end()
    result.schedule = schedule
    result.problems = sorted(problems, key=_problem_order)
    result.ms = (time.perf_counter() - started) * 1000
    return result


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line or 0, p.severity, p.message)
