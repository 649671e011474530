"""Text in, a Note and its problems out. Pure: no files, no clock.

`parse_note` never raises on any input: every fault becomes a Problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from . import yamlfm
from .config import Config
from .model import (
    Cadence,
    Contact,
    Depth,
    Duration,
    Interaction,
    JournalMention,
    Note,
    PartialDate,
    Problem,
    Promise,
)

MAX_FILE_BYTES = 1024 * 1024

# --- markdown building blocks -------------------------------------------------------

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
LIST_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
TASK = re.compile(r"^[ \t]*[-*+][ \t]+\[(.)\][ \t]+(.*)$")
WIKILINK = re.compile(r"(!?)\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
INLINE_FIELD_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?([^\s:\[\]()`][^:\[\]()`]*?)::[ \t]*(.*?)[ \t]*$")
INLINE_FIELD_BRACKET = re.compile(r"[\[(]([^\[\]():]+?)::[ \t]*([^\[\]()]*?)[\])]")
PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|<%[^\n]*?%>")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")

# DATE [DIRECTION] [KIND:] [TEXT]  (DESIGN §3.2)
LOG_ENTRY = re.compile(
    r"^(?:\[\[(?P<ldate>\d{4}-\d{2}-\d{2})\]\]|(?P<date>\d{4}-\d{2}-\d{2}))"
    r":?(?:[ \t]+|$)"
    r"(?:(?P<dir><-|←|->|→)(?:[ \t]+|$))?"
    r"(?:(?P<kind>[\w-]+):(?:[ \t]+|$))?"
    r"(?P<text>.*)$"
)
KIND_PREFIX = re.compile(r"^(?P<kind>[\w-]+):(?:[ \t]+|$)")
HASHTAG = re.compile(r"(?:^|\s)#([\w/-]+)")
DUE = re.compile(r"📅\s*(\d{4}-\d{2}-\d{2})|\[due::\s*(\d{4}-\d{2}-\d{2})\]|\bdue:(\d{4}-\d{2}-\d{2})")
DONE = re.compile(r"✅\s*(\d{4}-\d{2}-\d{2})|\[completion::\s*(\d{4}-\d{2}-\d{2})\]")


def fold(text: str) -> str:
    """How names, aliases, stems and tags are compared: NFKC, then case folding."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def fold_tag(text: str) -> str:
    """Tags also ignore `-`, `_`, space and a leading `#`."""
    return re.sub(r"[-_\s]+", "", fold(text).lstrip("#"))


def wikilinks(text: str, *, embeds: bool = False) -> list[tuple[str, str]]:
    """(target, display) of every wikilink; embeds (`![[…]]`) only when asked."""
    found = []
    for match in WIKILINK.finditer(text):
        if match.group(1) and not embeds:
            continue
        target = match.group(2).strip()
        if target:
            found.append((target, (match.group(3) or target).strip()))
    return found


def plain(text: str) -> str:
    """Wikilinks shown as their display text."""
    return WIKILINK.sub(lambda m: (m.group(3) or m.group(2)).strip(), text)


# --- reading the file --------------------------------------------------------------


@dataclass
class _Doc:
    """A decoded file split into front matter and body lines (LF, no BOM)."""

    lines: list[str]  # the whole file
    fm_start: int = 0  # index of the first front matter line (after `---`)
    fm_end: int = 0  # index of the closing `---`; 0 when there is no front matter
    body_start: int = 0  # index of the first body line

    @property
    def has_front_matter(self) -> bool:
        return self.fm_end > 0

    @property
    def front_matter(self) -> str:
        return "\n".join(self.lines[self.fm_start : self.fm_end])


def _split(text: str) -> _Doc:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return _Doc(lines, 1, i, i + 1)
    return _Doc(lines)


def decode(raw: bytes) -> str:
    """UTF-8 with an optional BOM; raises UnicodeDecodeError otherwise."""
    return raw.decode("utf-8-sig")


@dataclass
class _Context:
    path: str
    config: Config
    problems: list[Problem] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)  # folded key -> 1-based line

    def error(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line, "error", message))

    def warning(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line, "warning", message))


def parse_note(path: str, raw: bytes, config: Config, *, in_people: bool = False) -> Note:
    """Parse one file of the vault. `in_people`: it sits in a people folder."""
    ctx = _Context(path, config)
    if len(raw) > MAX_FILE_BYTES:
        ctx.error(f"file is {len(raw) / 1048576:.1f} MiB, over the 1 MiB limit; not read")
        return Note(path, problems=tuple(ctx.problems))
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        ctx.error(f"not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return Note(path, problems=tuple(ctx.problems))
    doc = _split(text)
    meta = _load_front_matter(doc, ctx)
    if meta is None:
        return Note(path, problems=tuple(ctx.problems))
    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    is_person = in_people or _marked_as_person(meta, config)
    if is_person:
        if doc.has_front_matter and PLACEHOLDER.search(doc.front_matter):
            line = next(i + 1 for i in range(doc.fm_start, doc.fm_end) if PLACEHOLDER.search(doc.lines[i]))
            ctx.error("unfilled template placeholder in the front matter; fill it in or move the "
                      "template under a Templates folder", line)
            return Note(path, problems=tuple(ctx.problems))
        return Note(path, contact=_contact(stem, meta, doc, ctx), problems=tuple(ctx.problems))
    journal_date = _journal_date(stem, meta)
    mentions = _journal_mentions(doc, config) if journal_date else ()
    promises = tuple(p for p in _promises(doc, ctx) if p.links)
    return Note(path, journal_date=journal_date, mentions=mentions, promises=promises,
                problems=tuple(ctx.problems))


def _load_front_matter(doc: _Doc, ctx: _Context) -> dict[str, Any] | None:
    """The front matter as a mapping of folded keys; None when it does not load."""
    if not doc.has_front_matter:
        return {}
    try:
        loaded = yamlfm.HANDLER.load(doc.front_matter)
        yamlfm.check_size(loaded)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = doc.fm_start + mark.line + 1 if mark else None
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        hint = " (unfilled template placeholder?)" if PLACEHOLDER.search(doc.front_matter) else ""
        ctx.error(f"front matter is not valid YAML: {reason}{hint}", line)
        return None
    except (yaml.YAMLError, yamlfm.TooManyNodes, RecursionError, ValueError) as exc:
        ctx.error(f"front matter does not load: {str(exc).splitlines()[0]}", doc.fm_start)
        return None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        kind = type(loaded).__name__.replace("str", "text").replace("list", "a list")
        ctx.error(f"front matter must be a mapping of keys to values, not {kind}", doc.fm_start)
        return None
    for i in range(doc.fm_start, doc.fm_end):
        match = re.match(r"^([^\s#:][^:]*?)\s*:", doc.lines[i])
        if match:
            ctx.key_lines.setdefault(_key(match.group(1).strip("'\"")), i + 1)
    meta: dict[str, Any] = {}
    for key, value in loaded.items():
        if not isinstance(key, str):
            ctx.error(f"front matter key {key!r} is not text; it is ignored", doc.fm_start)
            continue
        meta.setdefault(_key(key), (key, value))
    return meta


def _key(key: str) -> str:
    """Keys match ignoring case and treating `-`, `_` and space alike."""
    return re.sub(r"[-_\s]+", "", key.casefold())


def _marked_as_person(meta: dict[str, Any], config: Config) -> bool:
    kind = meta.get("type", (None, None))[1]
    if isinstance(kind, str) and kind.strip().casefold() in ("person", "contact"):
        return True
    wanted = [t.casefold() for t in config.person_tags]
    for tag in _as_list(meta.get("tags", (None, None))[1]):
        if not isinstance(tag, str):
            continue
        tag = tag.strip().lstrip("#").casefold()
        if any(tag == t or tag.startswith(t + "/") for t in wanted):
            return True
    return False


def _journal_date(stem: str, meta: dict[str, Any]) -> date | None:
    match = DATE_PREFIX.match(stem)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            return None
    value = meta.get("date", (None, None))[1]
    if isinstance(value, date):
        return value
    if isinstance(value, str) and DATE_PREFIX.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- the contact ------------------------------------------------------------------

# Other tools' keys, folded, read as ours (DESIGN §3.1).
KEY_ALIASES = {
    "lastcontacted": "lastcontact", "lastchat": "lastcontact", "prmlastcontacted": "lastcontact",
    "contactfrequency": "cadence", "prmcadence": "cadence", "prmtier": "tier",
    "prmbirthday": "birthday", "prmsnoozeuntil": "snoozeuntil", "prmpaused": "prmpaused",
    "nextfollowup": "followup", "followupdate": "followup",
    "mail": "email", "emails": "email", "phonenumber": "phone", "mobile": "phone", "tel": "phone",
    "phones": "phone", "position": "title", "role": "title", "jobtitle": "title",
    "organization": "company", "org": "company", "alias": "aliases",
}
KNOWN_KEYS = {
    "name", "aliases", "reading", "tier", "cadence", "status", "snoozeuntil", "company", "title",
    "industry", "location", "circles", "tags", "met", "metcontext", "introducedby", "interests",
    "needs", "offers", "email", "phone", "links", "birthday", "dates", "lastcontact", "followup",
    "uid", "ignorejournal", "prmpaused", "type",
}


def _fields(meta: dict[str, Any], doc: _Doc, ctx: _Context) -> dict[str, tuple[str, Any, int | None]]:
    """Our field name -> (key as written, value, line): front matter, then inline fields."""
    fields: dict[str, tuple[str, Any, int | None]] = {}
    for folded, (key, value) in meta.items():
        ours = KEY_ALIASES.get(folded, folded)
        # The canonical key wins over another tool's alias of it.
        if ours not in fields or folded == ours:
            fields[ours] = (key, value, ctx.key_lines.get(folded))
    for key, value, line in _inline_fields(doc, ctx.config):
        folded = _key(key)
        ours = KEY_ALIASES.get(folded, folded)
        fields.setdefault(ours, (key, _inline_value(value), line))
    return fields


def _inline_value(text: str) -> Any:
    text = text.strip()
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if text in ("true", "false"):
        return text == "true"
    return text or None


def _contact(stem: str, meta: dict[str, Any], doc: _Doc, ctx: _Context) -> Contact:
    fields = _fields(meta, doc, ctx)
    get = _FieldReader(fields, ctx)
    name = get.text("name") or unicodedata.normalize("NFC", stem)
    status = get.text("status") or "active"
    if status.casefold() not in ("active", "paused", "archived"):
        get.bad("status", f"status {status!r} is not active, paused or archived")
        status = "active"
    if get.flag("prmpaused"):
        status = "paused"
    tier = get.text("tier")
    if tier is not None and ctx.config.tier(tier) is None:
        names = ", ".join(t.name for t in ctx.config.tiers)
        get.bad("tier", f"unknown tier {tier!r} (tiers: {names})")
        tier = None
    log, promises = _sections(doc, ctx)
    known = {name for name in fields if name in KNOWN_KEYS}
    return Contact(
        path=ctx.path,
        name=name,
        aliases=tuple(get.texts("aliases")),
        reading=get.text("reading"),
        tier=tier,
        cadence=get.cadence(),
        status=status.casefold(),  # type: ignore[arg-type]
        snooze_until=get.date("snoozeuntil"),
        company=get.text("company"),
        title=get.text("title"),
        industry=get.text("industry"),
        location=get.text("location"),
        circles=tuple(get.texts("circles")),
        tags=tuple(t.lstrip("#") for t in get.texts("tags")),
        met=get.date("met"),
        met_context=get.text("metcontext"),
        introduced_by=get.link_target("introducedby"),
        interests=tuple(get.texts("interests")),
        needs=tuple(get.texts("needs")),
        offers=tuple(get.texts("offers")),
        emails=tuple(get.texts("email")),
        phones=tuple(get.texts("phone")),
        links=get.links(),
        birthday=get.partial_date("birthday"),
        dates=get.dates(),
        last_contact=get.date("lastcontact"),
        follow_up=get.date("followup"),
        uid=get.text("uid"),
        ignore_journal=get.flag("ignorejournal"),
        extra={key: value for ours, (key, value, _) in fields.items() if ours not in known},
        log=tuple(log),
        promises=tuple(promises),
    )


class _FieldReader:
    """Typed access to a contact's fields; a bad value is a problem and reads as absent."""

    def __init__(self, fields: dict[str, tuple[str, Any, int | None]], ctx: _Context) -> None:
        self.fields = fields
        self.ctx = ctx

    def raw(self, name: str) -> Any:
        return self.fields.get(name, ("", None, None))[1]

    def bad(self, name: str, message: str) -> None:
        key, _, line = self.fields[name]
        self.ctx.error(f"{key}: {message}; the field is ignored", line)

    def text(self, name: str) -> str | None:
        value = _unlink(self.raw(name))
        if value is None or value == "":
            return None
        if isinstance(value, (dict, list)):
            self.bad(name, "expected text")
            return None
        return str(value).strip() or None

    def texts(self, name: str) -> list[str]:
        values = []
        for item in _as_list(_unlink(self.raw(name))):
            item = _unlink(item)
            if item is None or isinstance(item, (dict, list)):
                continue
            text = str(item).strip()
            if text:
                values.append(text)
        return values

    def flag(self, name: str) -> bool:
        value = self.raw(name)
        return value is True or (isinstance(value, str) and value.strip().casefold() in ("true", "yes"))

    def date(self, name: str) -> date | None:
        value = self.raw(name)
        if value is None or value == "" or isinstance(value, date):
            return value or None
        if isinstance(value, str) and ISO_DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.bad(name, f"{value!r} is not a date (use YYYY-MM-DD)")
        return None

    def partial_date(self, name: str) -> PartialDate | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        parsed = parse_partial_date(value)
        if parsed is None:
            self.bad(name, f"{value!r} is not a date (use YYYY-MM-DD or MM-DD)")
        return parsed

    def dates(self) -> tuple[tuple[str, PartialDate], ...]:
        value = self.raw("dates")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.bad("dates", "expected a mapping of label: date")
            return ()
        found = []
        for label, when in value.items():
            parsed = parse_partial_date(when)
            if parsed is None:
                self.bad("dates", f"{label}: {when!r} is not a date")
            else:
                found.append((str(label), parsed))
        return tuple(found)

    def links(self) -> tuple[tuple[str, str], ...]:
        value = self.raw("links")
        if isinstance(value, dict):
            return tuple((str(k), str(v).strip()) for k, v in value.items() if v)
        found = []
        for item in _as_list(value):
            if isinstance(item, dict):
                found.extend((str(k), str(v).strip()) for k, v in item.items() if v)
            elif item:
                text = str(item).strip()
                md = re.match(r"^\[([^\]]*)\]\(([^)]+)\)$", text)
                found.append((md.group(1), md.group(2)) if md else ("", text))
        return tuple(found)

    def link_target(self, name: str) -> str | None:
        value = self.raw(name)
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            value = value[0][0] if value[0] else None  # an unquoted [[link]] loads as [[…]]
        if value is None or isinstance(value, (dict, list)):
            return None
        links = wikilinks(str(value))
        return links[0][0] if links else str(value).strip() or None

    def cadence(self) -> Cadence | None:
        value = self.raw("cadence")
        if value is None or value == "":
            return {}
        if isinstance(value, str) and value.strip().casefold() == "none":
            return None
        if not isinstance(value, dict):
            value = {"talk": value}
        cadence: Cadence = {}
        for depth_name, spec in value.items():
            try:
                depth = Depth.parse(str(depth_name))
            except KeyError:
                self.bad("cadence", f"{depth_name!r} is not a depth (touch, talk, meet)")
                continue
            if spec is None or str(spec).strip().casefold() == "none":
                cadence[depth] = None
                continue
            try:
                cadence[depth] = Duration.parse(spec)
            except ValueError as exc:
                self.bad("cadence", str(exc))
        return cadence


def _unlink(value: Any) -> Any:
    """A quoted wikilink value reads as its display text; an unquoted one loads as [[…]]."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
        value = value[0][0]
    if isinstance(value, str) and value.startswith("[[") and value.endswith("]]"):
        links = wikilinks(value)
        if len(links) == 1:
            return links[0][1]
    return value


_PARTIAL = re.compile(r"^(?:(\d{4}|XXXX|xxxx|-)-?)?-?(\d{1,2})-(\d{1,2})$")


def parse_partial_date(value: Any) -> PartialDate | None:
    """`1990-04-01`, `04-01`, `--04-01` or `XXXX-04-01`; None when it is none of these."""
    if isinstance(value, date):
        return PartialDate(value.month, value.day, value.year)
    if not isinstance(value, str):
        return None
    match = _PARTIAL.match(value.strip())
    if not match:
        return None
    year_text, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    year = int(year_text) if year_text and year_text.isdigit() and year_text != "0000" else None
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 02-29 is a fine birthday
    except ValueError:
        return None
    return PartialDate(month, day, year)


# --- the body ---------------------------------------------------------------------


def _body_lines(doc: _Doc) -> Iterator[tuple[int, str, bool]]:
    """(1-based line number, line, inside a code fence) for every body line."""
    in_fence = False
    for i in range(doc.body_start, len(doc.lines)):
        line = doc.lines[i]
        if FENCE.match(line):
            in_fence = not in_fence
            yield i + 1, line, True
            continue
        yield i + 1, line, in_fence


def body_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(1-based line number, line, inside a code fence) for every body line of a decoded file.

    The lines the log and promise grammars read, numbered as `parse_note` numbers them;
    for `kizuna.edit`, which must find sections exactly where the parser does.
    """
    return _body_lines(_split(text))


def _inline_fields(doc: _Doc, config: Config) -> Iterator[tuple[str, str, int]]:
    """Dataview `key:: value` fields, except on task lines and log entries."""
    log_levels = _SectionTracker(config.log_headings)
    for number, line, in_fence in _body_lines(doc):
        if in_fence or "::" not in line and not HEADING.match(line):
            continue
        if log_levels.feed(line) or TASK.match(line):
            continue
        if log_levels.inside and LIST_ITEM.match(line):
            continue
        whole = INLINE_FIELD_LINE.match(line)
        if whole and not WIKILINK.search(whole.group(1)):
            yield whole.group(1).strip(), whole.group(2), number
            continue
        for match in INLINE_FIELD_BRACKET.finditer(line):
            yield match.group(1).strip(), match.group(2), number


class _SectionTracker:
    """Tracks whether the current line is inside a section with one of the given headings."""

    def __init__(self, headings: tuple[str, ...]) -> None:
        self.names = {fold(h) for h in headings}
        self.level = 0  # the open section's heading level; 0 when outside

    @property
    def inside(self) -> bool:
        return self.level > 0

    def feed(self, line: str) -> bool:
        """Update with a line; True when the line is a heading."""
        match = HEADING.match(line)
        if not match:
            return False
        level = len(match.group(1))
        if self.level and level <= self.level:
            self.level = 0
        if not self.level and fold(match.group(2)) in self.names:
            self.level = level
        return True


def _sections(doc: _Doc, ctx: _Context) -> tuple[list[Interaction], list[Promise]]:
    """A contact note's log entries and task lines."""
    log: list[Interaction] = []
    tracker = _SectionTracker(ctx.config.log_headings)
    for number, line, in_fence in _body_lines(doc):
        if in_fence or tracker.feed(line):
            continue
        item = LIST_ITEM.match(line)
        if not item or TASK.match(line):
            continue
        content = item.group(1)
        if not tracker.inside:
            if DATE_PREFIX.match(content) or content.startswith("[[") and DATE_PREFIX.match(content[2:]):
                ctx.warning("dated list item outside a log section is not counted", number)
            continue
        entry = parse_log_entry(content, ctx.config)
        if entry is None:
            continue
        when, inbound, kind, text = entry
        log.append(Interaction(when, kind, ctx.config.depth_of(kind), inbound, text, ctx.path,
                               number, tuple(t for t, _ in wikilinks(text))))
    return log, _promises(doc, ctx)


def parse_log_entry(content: str, config: Config) -> tuple[date, bool, str, str] | None:
    """(date, inbound, kind, text) of a list item's content, or None if it is not an entry."""
    match = LOG_ENTRY.match(content)
    if not match:
        return None
    try:
        when = date.fromisoformat(match.group("date") or match.group("ldate"))
    except ValueError:
        return None
    kind = (match.group("kind") or "note").casefold()
    return when, match.group("dir") in ("<-", "←"), kind, match.group("text").strip()


def _promises(doc: _Doc, ctx: _Context) -> list[Promise]:
    promises = []
    for number, line, in_fence in _body_lines(doc):
        if in_fence:
            continue
        task = TASK.match(line)
        if not task:
            continue
        mark, text = task.group(1), task.group(2)
        if mark in (" ", "/"):
            status = "open"
        elif mark in ("x", "X"):
            status = "done"
        else:
            continue  # cancelled `[-]` and other marks
        due = _first_date(DUE, text)
        done_on = _first_date(DONE, text)
        clean = DONE.sub("", DUE.sub("", text)).strip()
        promises.append(Promise(clean, status, due, done_on, ctx.path, number,  # type: ignore[arg-type]
                                tuple(t for t, _ in wikilinks(text))))
    return promises


def _first_date(pattern: re.Pattern[str], text: str) -> date | None:
    match = pattern.search(text)
    if not match:
        return None
    try:
        return date.fromisoformat(next(g for g in match.groups() if g))
    except ValueError:
        return None


def _journal_mentions(doc: _Doc, config: Config) -> tuple[JournalMention, ...]:
    """Wikilinks in a journal note, each with the kind its line gives (DESIGN §3.4)."""
    mentions = []
    for number, line, in_fence in _body_lines(doc):
        if in_fence or "[[" not in line or line.lstrip().startswith(">"):
            continue
        task = TASK.match(line)
        if task and task.group(1) not in ("x", "X"):
            continue  # an open task is a plan, not an interaction
        content = task.group(2) if task else (LIST_ITEM.match(line) or re.match(r"^\s*(.*)$", line)).group(1)  # type: ignore[union-attr]
        kind = "note"
        prefix = KIND_PREFIX.match(content)
        if prefix and prefix.group("kind").casefold() in config.kinds:
            kind = prefix.group("kind").casefold()
        else:
            for tag in HASHTAG.findall(content):
                if tag.casefold() in config.kinds:
                    kind = tag.casefold()
                    break
        for target, _ in wikilinks(line):
            mentions.append(JournalMention(target, kind, config.depth_of(kind), number,
                                           plain(content).strip()))
    return tuple(mentions)
