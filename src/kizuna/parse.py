"""Text in, a Note and its problems out. Pure: no files, no clock.

`parse_note` never raises on any input: every fault becomes a Problem.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
LIST_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
TASK = re.compile(r"^[ \t]*[-*+][ \t]+\[(.)\][ \t]+(.*)$")
# A link without its embed mark: a pattern that starts with a literal is searched for
# that literal at C speed, one that starts with `!?` is tried at every character
# (`wikilinks` at 1 µs a line instead of 2.4).
_LINK = re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
WIKILINK = re.compile(r"(!?)" + _LINK.pattern)
INLINE_CODE = re.compile(r"(`+)[^`].*?\1|`+")
INLINE_FIELD_LINE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?([^\s:\[\]()`][^:\[\]()`]*?)::[ \t]*(.*?)[ \t]*$"
)
INLINE_FIELD_BRACKET = re.compile(r"[\[(]([^\[\]():]+?)::[ \t]*([^\[\]()]*?)[\])]")
PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|<%[^\n]*?%>")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
DATED_ITEM = re.compile(r"^(?:\[\[)?\d{4}-\d{2}-\d{2}(?:\]\])?(?:[:：]|[ \t]|$)")

# DATE [DIRECTION] [KIND:] [TEXT]  (DESIGN §3.2). A full-width colon `：` is
# what a Japanese keyboard types, so it counts as a colon (no space needed).
LOG_ENTRY = re.compile(
    r"^(?:\[\[(?P<ldate>\d{4}-\d{2}-\d{2})\]\]|(?P<date>\d{4}-\d{2}-\d{2}))"
    r"(?::(?:[ \t]+|$)|：[ \t]*|[ \t]+|$)"
    r"(?:\d{1,2}:\d{2}(?:[ \t]+|$))?"  # a time of day, allowed and ignored
    r"(?:(?P<dir><-|←|->|→)(?:[ \t]+|$))?"
    r"(?:(?P<kind>[\w-]+)(?::(?:[ \t]+|$)|：[ \t]*))?"
    r"(?P<text>.*)$"
)
# A whole log line: the list marker, then an entry. One match per line on the hot path.
LOG_LINE = re.compile(r"^[ \t]*[-*+][ \t]+" + LOG_ENTRY.pattern[1:])
KIND_PREFIX = re.compile(r"^(?P<kind>[\w-]+)(?::(?:[ \t]+|$)|：)")
HASHTAG = re.compile(r"(?:^|\s)#([\w/-]+)")
DUE = re.compile(
    r"📅\s*(\d{4}-\d{2}-\d{2})|[\[(]due::\s*(\d{4}-\d{2}-\d{2})[\])]|\bdue:(\d{4}-\d{2}-\d{2})"
)
DONE = re.compile(r"✅\s*(\d{4}-\d{2}-\d{2})|[\[(]completion::\s*(\d{4}-\d{2}-\d{2})[\])]")
_DATE_MARKERS = re.compile(rf"[ \t]*(?:{DUE.pattern}|{DONE.pattern})[ \t]*")


def fold(text: str) -> str:
    """How names, aliases, stems and tags are compared: NFKC, then case folding."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def fold_tag(text: str) -> str:
    """Tags also ignore `-`, `_`, space and a leading `#`."""
    return re.sub(r"[-_\s]+", "", fold(text).lstrip("#"))


def wikilinks(text: str, *, embeds: bool = False) -> list[tuple[str, str]]:
    """(target, display) of every wikilink; embeds (`![[…]]`) only when asked."""
    found: list[tuple[str, str]] = []
    if "[[" not in text:
        return found
    for match in _LINK.finditer(text):
        start = match.start()
        if not embeds and start and text[start - 1] == "!":
            continue  # a match ends with `]]`, so that `!` is no earlier link's
        target, display = match.groups()
        target = target.strip()
        if target:
            found.append((target, (display or target).strip()))
    return found


def plain(text: str) -> str:
    """Wikilinks shown as their display text."""
    return WIKILINK.sub(lambda m: (m.group(3) or m.group(2)).strip(), text)


def decode(raw: bytes) -> str:
    """UTF-8 with an optional BOM; raises UnicodeDecodeError otherwise."""
    return raw.decode("utf-8-sig")


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


@dataclass
class _Context:
    path: str
    config: Config
    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line, "error", message))

    def warning(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line, "warning", message))


# Front matter after loading: folded key -> (key as written, value, 1-based line).
_Meta = dict[str, tuple[str, Any, int | None]]


def parse_note(path: str, raw: bytes, config: Config, *, in_people: bool = False) -> Note:
    """Parse one file of the vault. `in_people`: it sits in a people folder."""
    ctx = _Context(path, config)
    if len(raw) > MAX_FILE_BYTES:
        ctx.error(f"file is over the 1 MiB limit ({len(raw) / 1048576:.1f} MiB); not read")
        return Note(path, problems=tuple(ctx.problems))
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        ctx.error(f"not UTF-8 text (byte {exc.start}); save it as UTF-8", line)
        return Note(path, problems=tuple(ctx.problems))
    try:
        return _parse_text(path, text, ctx, in_people)
    except RecursionError:  # belt and braces: nothing a user writes may crash kizuna
        ctx.error("note is nested too deeply to read")
        return Note(path, problems=tuple(ctx.problems))


def _parse_text(path: str, text: str, ctx: _Context, in_people: bool) -> Note:
    doc = _split(text)
    # Placeholders are found on the raw text: `{{date}}` is a YAML flow mapping,
    # so YAML would report something baffling instead.
    placeholder = _placeholder_line(doc) if doc.has_front_matter else None
    if in_people and placeholder:
        return _unfilled(ctx, placeholder)
    meta = _load_front_matter(doc, ctx, placeholder)
    if meta is None:
        return Note(path, problems=tuple(ctx.problems))
    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    if in_people or _marked_as_person(meta, ctx.config):
        if placeholder:
            return _unfilled(ctx, placeholder)
        if not doc.has_front_matter and doc.lines[0].rstrip() == "---":
            ctx.error("front matter is never closed by a `---` line; its fields are not read", 1)
        body = _scan(doc, ctx, contact=True, journal=False)
        contact = _contact(stem, meta, body, ctx)
        return Note(path, contact=contact, problems=tuple(ctx.problems))
    journal_date = _journal_date(stem, meta)
    body = _scan(doc, ctx, contact=False, journal=journal_date is not None)
    mentions = body.mentions
    if journal_date is not None:
        mentions = _front_matter_mentions(meta) + mentions
    promises = tuple(p for p in body.promises if p.links)
    return Note(path, journal_date=journal_date, mentions=tuple(mentions), promises=promises,
                problems=tuple(ctx.problems))


def _unfilled(ctx: _Context, line: int) -> Note:
    ctx.error("unfilled template placeholder in the front matter ({{…}} or <% … %>): fill it "
              "in, or keep templates in a Templates folder; the note is not read", line)
    return Note(ctx.path, problems=tuple(ctx.problems))


def _placeholder_line(doc: _Doc) -> int | None:
    for i in range(doc.fm_start, doc.fm_end):
        if ("{{" in doc.lines[i] or "<%" in doc.lines[i]) and PLACEHOLDER.search(doc.lines[i]):
            return i + 1
    return None


def _load_front_matter(doc: _Doc, ctx: _Context, placeholder: int | None) -> _Meta | None:
    """The front matter by folded key; None when it does not load (the note is left out)."""
    if not doc.has_front_matter:
        return {}
    # Imported here: PyYAML, python-frontmatter and yamlfm's patterns cost 40 ms to
    # import, which a command answered from the cache (no note parsed) never pays.
    import yaml

    from . import yamlfm

    hint = " (an unfilled template placeholder?)" if placeholder else ""
    try:
        loaded = yamlfm.load_mapping(doc.front_matter)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = doc.fm_start + mark.line + 1 if mark else None
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        ctx.error(f"front matter is not valid YAML: {reason}{hint}", line)
        return None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # TooManyNodes (an alias bomb), TooDeep, and YAML errors without a position
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        ctx.error(f"front matter does not load: {message}{hint}", doc.fm_start)
        return None
    if loaded.not_mapping:
        ctx.error(f"front matter must be keys with values, not {loaded.not_mapping}",
                  doc.fm_start + loaded.not_mapping_line + 1)
        return None
    for key, line in loaded.bad_keys:
        ctx.error(f"front matter key `{key}` is not text; it is ignored (quote it)",
                  doc.fm_start + line + 1)
    meta: _Meta = {}
    for key, value in loaded.data.items():
        line = loaded.key_lines.get(key)
        meta.setdefault(_key(key), (key, value, None if line is None else doc.fm_start + line + 1))
    return meta


@functools.lru_cache(maxsize=4096)
def _key(key: str) -> str:
    """Keys match ignoring case and treating `-`, `_` and space alike."""
    return re.sub(r"[-_\s]+", "", key.casefold())


def _meta_value(meta: _Meta, key: str) -> Any:
    return meta[key][1] if key in meta else None


def _marked_as_person(meta: _Meta, config: Config) -> bool:
    kind = _meta_value(meta, "type")
    if isinstance(kind, str) and kind.strip().casefold() in ("person", "contact"):
        return True
    wanted = [t.casefold().lstrip("#") for t in config.person_tags]
    for tag in _split_list(_meta_value(meta, "tags"), tags=True):
        if not isinstance(tag, str):
            continue
        tag = tag.strip().lstrip("#").casefold()
        if any(tag == t or tag.startswith(t + "/") for t in wanted):
            return True
    return False


def _journal_date(stem: str, meta: _Meta) -> date | None:
    match = DATE_PREFIX.match(stem)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    value = _meta_value(meta, "date")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and DATE_PREFIX.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _front_matter_mentions(meta: _Meta) -> list[JournalMention]:
    """Links in a journal note's front matter (`attendees: ["[[Sam]]"]`) are mentions too."""
    found = []
    for folded, (_key_text, value, line) in meta.items():
        if folded in ("date", "tags", "aliases"):
            continue
        stack, texts = [value], []
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, list):
                if len(item) == 1 and isinstance(item[0], list) and len(item[0]) == 1:
                    texts.append(f"[[{item[0][0]}]]")  # an unquoted [[link]] loads as [[…]]
                else:
                    stack.extend(reversed(item))
        for text in texts:
            for target, _ in wikilinks(text):
                found.append(JournalMention(target, "note", Depth.TALK, line or 1, plain(text)))
    return found


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _split_list(value: Any, *, tags: bool = False) -> list[Any]:
    """A list, or a scalar read the way Obsidian reads a legacy `tags: a, b` value."""
    if isinstance(value, str) and not (value.startswith("[[") and value.endswith("]]")):
        parts = re.split(r"[,\s]+" if tags else r",", value)
        return [p.strip() for p in parts if p.strip()]
    return _as_list(value)


# --- the contact ------------------------------------------------------------------

# Other tools' keys, folded, read as ours (DESIGN §3.1).
KEY_ALIASES = {
    "lastcontacted": "lastcontact", "lastchat": "lastcontact", "prmlastcontacted": "lastcontact",
    "contactfrequency": "cadence", "prmcadence": "cadence", "prmtier": "tier",
    "prmbirthday": "birthday", "prmsnoozeuntil": "snoozeuntil", "prmpaused": "prmpaused",
    "nextfollowup": "followup", "followupdate": "followup",
    "mail": "email", "emails": "email", "phonenumber": "phone", "mobile": "phone", "tel": "phone",
    "phones": "phone", "position": "title", "role": "title", "jobtitle": "title",
    "organization": "company", "organisation": "company", "org": "company", "alias": "aliases",
}
KNOWN_KEYS = {
    "name", "aliases", "reading", "tier", "cadence", "status", "snoozeuntil", "company", "title",
    "industry", "location", "circles", "tags", "met", "metcontext", "introducedby", "interests",
    "needs", "offers", "email", "phone", "links", "birthday", "dates", "lastcontact", "followup",
    "uid", "ignorejournal", "prmpaused", "type",
}
LIST_FIELDS = {"aliases", "circles", "tags", "interests", "needs", "offers", "email", "phone",
               "links"}

# Our field -> (key as written, value, line)
_Fields = dict[str, tuple[str, Any, int | None]]


def _fields(meta: _Meta, body: _Body) -> _Fields:
    """Our field name -> (key as written, value, line): front matter, then inline fields."""
    fields: _Fields = {}
    for folded, entry in meta.items():
        ours = KEY_ALIASES.get(folded, folded)
        # The canonical key wins over another tool's alias of it.
        if ours not in fields or folded == ours:
            fields[ours] = entry
    inline: _Fields = {}
    for key, value, line in body.fields:
        folded = _key(key)
        ours = KEY_ALIASES.get(folded, folded)
        if ours in fields:
            continue  # the front matter wins a conflict
        typed = _inline_value(value)
        if ours in LIST_FIELDS:
            # Dataview reads `interests:: ai, running` as a list, and repeated keys add up.
            items = _split_list(typed, tags=ours == "tags")
            if ours in inline:
                first_key, earlier, first_line = inline[ours]
                inline[ours] = (first_key, earlier + items, first_line)
            else:
                inline[ours] = (key, items, line)
        else:
            inline.setdefault(ours, (key, typed, line))
    fields.update(inline)
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


def _contact(stem: str, meta: _Meta, body: _Body, ctx: _Context) -> Contact:
    fields = _fields(meta, body)
    get = _FieldReader(fields, ctx)
    name = get.text("name") or unicodedata.normalize("NFC", stem)
    status = (get.text("status") or "active").casefold()
    if status not in ("active", "paused", "archived"):
        get.bad("status", f"{status!r} is not active, paused or archived")
        status = "active"
    if get.flag("prmpaused") and status == "active":
        status = "paused"
    tier_text = get.text("tier")
    tier = None
    if tier_text is not None:
        found = ctx.config.tier(tier_text)
        if found is None:
            names = ", ".join(t.name for t in ctx.config.tiers)
            get.bad("tier", f"unknown tier {tier_text!r} (tiers: {names})")
        else:
            tier = found.name
    known = {name for name in fields if name in KNOWN_KEYS}
    return Contact(
        path=ctx.path,
        name=name,
        aliases=tuple(get.texts("aliases")),
        reading=get.text("reading"),
        tier=tier,
        cadence=get.cadence(),
        status=status,  # type: ignore[arg-type]
        snooze_until=get.date("snoozeuntil"),
        company=get.text("company"),
        title=get.text("title"),
        industry=get.text("industry"),
        location=get.text("location"),
        circles=tuple(get.texts("circles")),
        tags=tuple(t.lstrip("#") for t in get.texts("tags", tags=True)),
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
        log=tuple(body.log),
        promises=tuple(body.promises),
        lines={ours: line for ours, (_, _, line) in fields.items() if line},
    )


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # as Obsidian shows it
    return str(value)


class _FieldReader:
    """Typed access to a contact's fields; a bad value is a problem and reads as absent."""

    def __init__(self, fields: _Fields, ctx: _Context) -> None:
        self.fields = fields
        self.ctx = ctx

    def raw(self, name: str) -> Any:
        return self.fields[name][1] if name in self.fields else None

    def bad(self, name: str, message: str) -> None:
        key, _, line = self.fields[name]
        self.ctx.error(f"{key}: {message}; the field is ignored", line)

    def text(self, name: str) -> str | None:
        if name not in self.fields:
            return None
        value = self.fields[name][1]
        if type(value) is str and value[:2] != "[[":
            return value.strip() or None  # the common case, as below (a tenth of _contact)
        value = _unlink(value)
        if value is None or value == "":
            return None
        if isinstance(value, (dict, list)):
            self.bad(name, "expected text, not a list or mapping")
            return None
        return _as_text(value).strip() or None

    def texts(self, name: str, *, tags: bool = False) -> list[str]:
        values: list[str] = []
        if name not in self.fields:
            return values
        for item in _split_list(_unlink(self.fields[name][1]), tags=tags):
            if type(item) is not str or item[:2] == "[[":  # plain text needs none of this
                item = _unlink(item)
                if item is None or isinstance(item, (dict, list)):
                    continue
                item = _as_text(item)
            text = item.strip()
            if text:
                values.append(text)
        return values

    def flag(self, name: str) -> bool:
        value = self.raw(name)
        return value is True or (
            isinstance(value, str) and value.strip().casefold() in ("true", "yes")
        )

    def date(self, name: str) -> date | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str) and ISO_DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.bad(name, f"{_short(value)} is not a date (use YYYY-MM-DD)")
        return None

    def partial_date(self, name: str) -> PartialDate | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        parsed = parse_partial_date(value)
        if parsed is None:
            self.bad(name, f"{_short(value)} is not a date (use YYYY-MM-DD, MM-DD or --MM-DD)")
        return parsed

    def dates(self) -> tuple[tuple[str, PartialDate], ...]:
        value = self.raw("dates")
        if value is None:
            return ()
        items: list[tuple[Any, Any]] = []
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            items = [pair for v in value for pair in v.items()]  # `- joined: 2023-04-01`
        else:
            self.bad("dates", "expected a mapping of label: date")
            return ()
        found = []
        for label, when in items:
            parsed = parse_partial_date(when)
            if parsed is None:
                self.bad("dates", f"{label}: {_short(when)} is not a date")
            else:
                found.append((_as_text(label), parsed))
        return tuple(found)

    def links(self) -> tuple[tuple[str, str], ...]:
        value = self.raw("links")
        if isinstance(value, dict):
            return tuple((_as_text(k), _as_text(v).strip()) for k, v in value.items() if v)
        found: list[tuple[str, str]] = []
        for item in _as_list(value):
            if isinstance(item, dict):
                found.extend((_as_text(k), _as_text(v).strip()) for k, v in item.items() if v)
            elif item and not isinstance(item, list):
                text = _as_text(item).strip()
                md = re.match(r"^\[([^\]]*)\]\(([^)]+)\)$", text)
                found.append((md.group(1), md.group(2)) if md else ("", text))
        return tuple(found)

    def link_target(self, name: str) -> str | None:
        """A link's target (not its display text): who `introduced_by` names."""
        value = self.raw(name)
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
            if isinstance(value, list) and len(value) == 1:
                value = value[0]  # an unquoted [[link]] loads as [[…]]
        if value is None or isinstance(value, (dict, list)):
            return None
        links = wikilinks(_as_text(value))
        return links[0][0] if links else _as_text(value).strip() or None

    def cadence(self) -> Cadence | None:
        """The override: {} when there is none, None when it is `none` (opted out)."""
        value = self.raw("cadence")
        if value is None or value == "":
            return {}
        if isinstance(value, str) and value.strip().casefold() == "none":
            return None
        if not isinstance(value, dict):
            value = {"talk": value}  # "2m", or prm-cadence's days
        cadence: Cadence = {}
        for depth_name, spec in value.items():
            try:
                depth = Depth.parse(_as_text(depth_name))
            except KeyError:
                self.bad("cadence", f"{_short(depth_name)} is not a depth (touch, talk, meet)")
                return {}
            if spec is None or _as_text(spec).strip().casefold() == "none":
                cadence[depth] = None
                continue
            try:
                cadence[depth] = Duration.parse(spec)
            except ValueError as exc:
                self.bad("cadence", str(exc))
                return {}
        return cadence


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unlink(value: Any) -> Any:
    """A quoted wikilink value reads as its display text; an unquoted one loads as [[…]]."""
    if isinstance(value, str):
        if value.startswith("[[") and value.endswith("]]"):
            links = wikilinks(value)
            if len(links) == 1:
                return links[0][1]
        return value
    if (isinstance(value, list) and len(value) == 1 and isinstance(value[0], list)
            and len(value[0]) == 1):
        value = value[0][0]
    if isinstance(value, str) and value.startswith("[[") and value.endswith("]]"):
        links = wikilinks(value)
        if len(links) == 1:
            return links[0][1]
    return value


_PARTIAL = re.compile(r"^(?:(\d{4}|[Xx]{4})-|--)?(\d{1,2})-(\d{1,2})$")


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


@dataclass
class _Body:
    """What one pass over a note's body finds."""

    log: list[Interaction] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    fields: list[tuple[str, str, int]] = field(default_factory=list)  # Dataview inline fields
    mentions: list[JournalMention] = field(default_factory=list)


def _body_lines(doc: _Doc) -> Iterator[tuple[int, str, bool]]:
    """(1-based line number, line, in code) for every body line; fence lines are code.

    Every fence line opens or closes a block. CommonMark would let only the same
    marker close it, but `kizuna.edit` toggles on any fence line: the two must agree
    on where code is, or an edit could land where the parser does not see it.
    """
    in_fence = False
    for i in range(doc.body_start, len(doc.lines)):
        line = doc.lines[i]
        if ("`" in line or "~" in line) and FENCE.match(line):
            in_fence = not in_fence
            yield i + 1, line, True
        else:
            yield i + 1, line, in_fence


def body_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(1-based line number, line, inside a code fence) for every body line of a decoded file.

    The lines the log and promise grammars read, numbered as `parse_note` numbers them;
    for `kizuna.edit`, which must find sections exactly where the parser does.
    """
    return _body_lines(_split(text))


@functools.lru_cache(maxsize=64)
def _folded(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(name) for name in names)


class _SectionTracker:
    """Tracks whether the current line is inside a section with one of the given headings."""

    def __init__(self, headings: tuple[str, ...]) -> None:
        self.names = _folded(headings)
        self.level = 0  # the open section's heading level; 0 when outside

    @property
    def inside(self) -> bool:
        return self.level > 0

    def feed(self, match: re.Match[str]) -> None:
        """Update with a heading."""
        level = len(match.group(1))
        if self.level and level <= self.level:
            self.level = 0
        if not self.level and fold(match.group(2)) in self.names:
            self.level = level


def _scan(doc: _Doc, ctx: _Context, *, contact: bool, journal: bool) -> _Body:
    """One pass over the body: log entries, tasks, inline fields, journal mentions.

    Walks the lines as `_body_lines` yields them, inlined, and hands each run of log
    lines to `_log_entries`: the 10,000 contact bodies of the 10k bench vault in 0.61 s
    CPU instead of 0.80.
    """
    body = _Body()
    config = ctx.config
    log = _SectionTracker(config.log_headings)
    log_heading = config.log_headings[0] if config.log_headings else "Log"
    lines = doc.lines
    in_fence = False
    number = doc.body_start  # the 1-based number of the line before `line`
    end = len(lines)
    while number < end:
        line = lines[number]
        number += 1
        if not line or line.isspace():
            continue
        if ("`" in line or "~" in line) and FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line[0] == "#":
            heading = HEADING.match(line)
            if heading:
                if contact:
                    log.feed(heading)
                continue
        if log.level:
            entry = LOG_LINE.match(line)
            if entry:
                number = _log_entries(body, entry, lines, number, ctx)
                continue  # a log entry holds no inline fields
        if ">" in line and line.lstrip().startswith(">"):
            continue  # a quote is someone else's words
        visible = INLINE_CODE.sub("", line) if "`" in line else line
        task = TASK.match(line) if "[" in line else None
        if task:
            promise = _promise(task.group(1), task.group(2), ctx.path, number)
            if promise is not None:
                body.promises.append(promise)
            if journal and task.group(1) in "xX" and "[[" in visible:
                _mention(body, task.group(2), visible, number, config)
            continue  # a task line is neither a log entry nor a field
        if contact:
            item = LIST_ITEM.match(line)
            if item and not log.level and DATED_ITEM.match(item.group(1)):
                ctx.warning("dated list item outside a log section is not counted; put it "
                            f"under a heading such as ## {log_heading}", number)
            if "::" in visible:
                _inline_fields(body, visible, number)
        elif journal and "[[" in visible:
            item = LIST_ITEM.match(line)
            _mention(body, item.group(1) if item else line.strip(), visible, number, config)
    return body


def _log_entries(body: _Body, first: re.Match[str], lines: list[str], number: int,
                 ctx: _Context) -> int:
    """Read the log entry `first` on line `number` and the entries on the lines after it;
    returns the number of the last line read.

    The hot path of a cold load: a vault has ten times more log lines than notes, and
    they come in runs. A line that matches LOG_LINE is neither blank, a fence nor a
    heading, so within a run `_scan`'s other checks cannot apply.
    """
    # Locals: an attribute or global lookup per entry is measurable here (an enum
    # member costs 0.1 µs).
    log, path, kinds, days, talk = body.log, ctx.path, ctx.config.kinds, _DAYS, Depth.TALK
    match_line, end = LOG_LINE.match, len(lines)
    match: re.Match[str] | None = first
    while match is not None:
        linked_date, raw_date, direction, kind, text = match.groups()
        raw_date = raw_date or linked_date
        when = days.get(raw_date) or _day(raw_date)
        if when is None:
            ctx.error(f"{raw_date} is not a date; the log entry is ignored", number)
        else:
            kind = _KINDS.get(kind) or _kind(kind) if kind else "note"
            text = text.strip()
            links: tuple[str, ...] = ()
            if "[[" in text:
                links = tuple(t for t, _ in wikilinks(INLINE_CODE.sub("", text) if "`" in text
                                                      else text))
            log.append(Interaction(when, kind, kinds.get(kind, talk), direction in ("<-", "←"),
                                   text, path, number, links))
        match = match_line(lines[number]) if number < end else None
        if match is not None:
            number += 1
    return number


def _kind(written: str) -> str:
    """A log kind as compared: folded and interned (a few kinds, 100,000 entries)."""
    kind = sys.intern(written.casefold())
    if len(_KINDS) < 10_000:
        _KINDS[written] = kind
    return kind


_KINDS: dict[str, str] = {}


def _day(text: str) -> date | None:
    """A log date, kept in _DAYS; None when it is no day (2026-02-30)."""
    try:
        when = date.fromisoformat(text)
    except ValueError:
        return None
    if len(_DAYS) < 100_000:
        _DAYS[text] = when
    return when


# Log dates parsed once per process: a vault has a few thousand days and a hundred
# thousand log entries, and one shared date object per day also keeps the index small.
_DAYS: dict[str, date] = {}


def parse_log_entry(content: str, config: Config) -> tuple[date, bool, str, str] | None:
    """(date, inbound, kind, text) of a list item's content, or None if it is not an entry."""
    match = LOG_ENTRY.match(content)
    return _entry(match) if match else None


def _entry(match: re.Match[str]) -> tuple[date, bool, str, str] | None:
    try:
        when = date.fromisoformat(match.group("date") or match.group("ldate"))
    except ValueError:
        return None
    kind = (match.group("kind") or "note").casefold()
    return when, match.group("dir") in ("<-", "←"), kind, match.group("text").strip()


def _inline_fields(body: _Body, line: str, number: int) -> None:
    """Dataview `key:: value` (the whole line) or `[key:: value]` / `(key:: value)`."""
    whole = INLINE_FIELD_LINE.match(line)
    if whole and not WIKILINK.search(whole.group(1)):
        key = whole.group(1).strip().strip("*_").strip()
        if key:
            body.fields.append((key, whole.group(2), number))
        return
    for match in INLINE_FIELD_BRACKET.finditer(line):
        body.fields.append((match.group(1).strip(), match.group(2), number))


def _promise(mark: str, text: str, source: str, number: int) -> Promise | None:
    """A task line as a promise; None for cancelled `[-]` and other marks."""
    if mark in (" ", "/"):
        status = "open"
    elif mark in ("x", "X"):
        status = "done"
    else:
        return None
    due = _first_date(DUE, text)
    done_on = _first_date(DONE, text)
    clean = _DATE_MARKERS.sub(" ", text).strip() if ("📅" in text or "✅" in text or "::" in text
                                                     or "due:" in text) else text.strip()
    visible = INLINE_CODE.sub("", text) if "`" in text else text
    links = tuple(target for target, _ in wikilinks(visible))
    return Promise(clean, status, due, done_on, source, number, links)  # type: ignore[arg-type]


def _first_date(pattern: re.Pattern[str], text: str) -> date | None:
    match = pattern.search(text)
    if not match:
        return None
    try:
        return date.fromisoformat(next(g for g in match.groups() if g))
    except ValueError:
        return None


def _mention(body: _Body, content: str, visible: str, number: int, config: Config) -> None:
    """Wikilinks on one journal line, with the kind the line gives (DESIGN §3.4)."""
    links = wikilinks(visible)  # embeds and links inside inline code do not count
    if not links:
        return
    kind = "note"
    prefix = KIND_PREFIX.match(content)
    if prefix and prefix.group("kind").casefold() in config.kinds:
        kind = prefix.group("kind").casefold()
    else:
        for tag in HASHTAG.findall(content):
            if tag.casefold() in config.kinds:
                kind = tag.casefold()
                break
    depth = config.depth_of(kind)
    text = plain(content).strip()
    for target, _ in links:
        body.mentions.append(JournalMention(target, kind, depth, number, text))
