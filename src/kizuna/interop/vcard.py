"""vCard 2.1, 3.0 and 4.0 in (as phones, Google, iCloud and Outlook write them), 4.0 out.

vobject parses and writes every card. Before it sees a file, a small pre-pass
(`_cards`) works around what vobject gets wrong on real exports; it uses
vobject's content-line parser, and re-emits each line for `vobject.readOne`:

- Encodings. A file is decoded as UTF-8 (with or without a BOM), else UTF-16
  with a BOM, else CP932, the Windows superset of Shift_JIS that Japanese
  feature phones and old Android write under the label `SHIFT_JIS`. vobject
  would decode a quoted-printable value with the CHARSET parameter as
  written, so `SHIFT_JIS` text with a CP932 character (①, ㈱) raises and ends
  the whole file. The pre-pass decodes quoted-printable values itself (with
  vobject's soft line break joining), maps Shift_JIS labels to CP932, and
  passes the decoded text on with the ENCODING and CHARSET parameters dropped.
- One card per call. vobject stops at the first bad line of a stream; each
  card is parsed on its own, so a malformed card is reported by its number
  and first line and the others still import.
- Binary data. PHOTO, LOGO, KEY and SOUND (except SOUND;X-IRMC-N, a reading)
  are dropped before parsing: kizuna never writes them into YAML, and 2.1
  base64 data is often wrapped without the leading space vobject expects.

What the cards map to (import):
FN (else N) → name; other FN/N alternatives (ALTID) and NICKNAME → aliases;
X-PHONETIC-LAST-NAME/-FIRST-NAME/-MIDDLE-NAME, SOUND;X-IRMC-N, phonetic
alternatives (a PHONETIC parameter, or LANGUAGE ja-Hira/ja-Kana/ja-Hrkt),
N;SORT-AS and SORT-STRING (first found wins) → reading; EMAIL, TEL (preferred
first) → email, phone; ORG (first unit) → company; TITLE (else ROLE) → title;
ADR (locality, region, country) → location; BDAY (`--0401`, `1990-04-01`,
Apple's X-APPLE-OMIT-YEAR) → birthday; ANNIVERSARY and Apple's labelled
X-ABDATE → dates; CATEGORIES (without Google's system
groups) → tags; URL and X-SOCIALPROFILE (labelled by X-ABLabel or TYPE) →
links; UID → uid; NOTE → the note's body; X-KIZUNA-TIER, X-KIZUNA-CADENCE →
tier, cadence. Export writes the same properties back as vCard 4.0.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..index import Index
from ..model import Contact, PartialDate
from ..parse import _split
from .common import (
    Person,
    Record,
    Unusable,
    decode_text,
    full_name,
    full_width_kana,
    is_cjk,
    one_line,
    partial_date,
    reading_text,
    unique,
)

PRODID = "-//kizuna//kizuna export//EN"
BINARY = {"PHOTO", "LOGO", "KEY", "SOUND"}
SHIFT_JIS_LABELS = {"shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "ms_kanji",
                    "csshiftjis", "ms932", "cp932"}
SYSTEM_CATEGORIES = {"mycontacts", "starred", "other contacts"}  # Google's, not the user's
PHONETIC_LANGUAGE = re.compile(r"-(hira|kana|hrkt)\b", re.IGNORECASE)
APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
NOT_A_LABEL = {"pref", "internet", "x-internet", "voice", "other"}


class NotVCard(ValueError):
    """The file holds no vCard at all."""


# --- decoding -------------------------------------------------------------------------


def decode_bytes(raw: bytes) -> str:
    """UTF-8 (BOM optional), UTF-16 with a BOM, else CP932 (what `SHIFT_JIS` phones mean)."""
    return decode_text(raw, ("cp932",))


def _codec(charset: str | None) -> str:
    label = (charset or "utf-8").strip().strip('"').casefold()
    return "cp932" if label in SHIFT_JIS_LABELS else label


def _decode_qp(value: str, charset: str | None) -> str:
    data = quopri.decodestring(value.encode("latin-1", errors="replace"))
    for codec in (_codec(charset), "utf-8", "cp932"):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _param_text(params: list[list[str]]) -> str:
    import vobject.base

    out = []
    for param in params:
        name, values = param[0].upper(), [v for v in param[1:] if '"' not in v]
        if len(param) == 1:
            out.append(name)
        elif values:
            out.append(f"{name}={','.join(vobject.base.dquoteEscape(v) for v in values)}")
    return "".join(f";{p}" for p in out)


def _logical_lines(text: str) -> Iterator[tuple[str, int]]:
    """Unfolded lines with their first line number (1-based).

    A line starting with a space or tab continues the previous one (2.1, 3.0
    and 4.0 folding); a quoted-printable line ending in `=` continues on the
    next line whatever it starts with (2.1 soft line breaks). vobject's own
    unfolding does the same but numbers lines off by one after a blank line.
    """
    current: list[str] = []
    start = 0
    soft_break = False
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if soft_break:
            current[-1] = current[-1][:-1]  # the `=` of the soft break
            current.append(line)
        elif line[:1] in (" ", "\t") and current:
            current.append(line[1:])
        else:
            if current:
                yield "".join(current), start
            current, start = ([line], number) if line.strip() else ([], number)
        joined = current[-1] if current else ""
        soft_break = bool(joined.endswith("=") and current
                          and "QUOTED-PRINTABLE" in current[0].upper().split(":", 1)[0])
    if current:
        yield "".join(current), start


def _cards(text: str) -> Iterator[tuple[int, int, list[str] | str]]:
    """(card number, first line, normalized lines or the reason it is malformed)."""
    import vobject.base

    number = 0
    start = 0
    lines: list[str] | None = None
    error: str | None = None
    skipping = False  # inside binary data whose continuation lines are not indented
    for line, lineno in _logical_lines(text):
        try:
            name, params, value, group = vobject.base.parseLine(line, lineno)
        except vobject.base.ParseError:
            if lines is not None and not skipping and error is None:
                error = f"line {lineno}: cannot parse {one_line(line)[:60]!r}"
            continue
        name = name.upper()
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if lines is not None:
                yield number, start, f"no END:VCARD before line {lineno}"
            number += 1
            start, lines, error, skipping = lineno, [], None, False
            continue
        if lines is None:
            continue  # text outside any card
        if name == "END" and value.strip().upper() == "VCARD":
            yield number, start, error if error is not None else lines
            lines, error = None, None
            continue
        names = {p[0].upper() for p in params}
        skipping = False
        if name in BINARY and "X-IRMC-N" not in names:
            skipping = True
            continue
        encodings = {v.upper() for p in params if p[0].upper() == "ENCODING" for v in p[1:]}
        if "QUOTED-PRINTABLE" in encodings | names:
            charset = next((p[1] for p in params if p[0].upper() == "CHARSET" and len(p) > 1),
                           None)
            value = _decode_qp(value, charset)
            value = re.sub(r"\r\n|\r|\n", r"\\n", value)
            params = [p for p in params if p[0].upper() not in ("ENCODING", "CHARSET",
                                                                 "QUOTED-PRINTABLE")]
        elif {"B", "BASE64"} & (encodings | names):
            skipping = True
            continue
        else:
            params = [p for p in params if p[0].upper() != "CHARSET"]
        prefix = f"{group}." if group else ""
        lines.append(f"{prefix}{name}{_param_text(params)}:{value}")
    if lines is not None:
        yield number, start, "no END:VCARD at the end of the file"


def count_cards(text: str) -> int:
    return len(re.findall(r"^BEGIN:VCARD\s*$", text, re.IGNORECASE | re.MULTILINE))


def read_vcards(raw: bytes) -> tuple[int, Iterator[Record]]:
    """(how many cards, the records they make); NotVCard if there is none."""
    text = decode_bytes(raw)
    total = count_cards(text)
    if not total:
        raise NotVCard("no vCard in this file (no BEGIN:VCARD line)")
    return total, _records(text)


def _records(text: str) -> Iterator[Record]:
    import vobject

    for number, start, lines in _cards(text):
        position = f"card {number} (line {start})"
        if isinstance(lines, str):
            yield Unusable(position, lines)
            continue
        source = "BEGIN:VCARD\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VCARD\r\n"
        try:
            card = vobject.readOne(source)
        except Exception as exc:  # vobject raises many kinds; any of them means a bad card
            yield Unusable(position, f"not a valid vCard: {one_line(exc)[:120]}")
            continue
        kind = one_line(getattr(card, "kind", None) and card.kind.value).casefold()
        if kind in ("group", "location"):
            yield Unusable(position, f"a {kind} card (KIND:{kind}), not a person")
            continue
        try:
            yield person_from_card(card, position)
        except _NoName:
            yield Unusable(position, "no name (no FN or N)")


# --- card → person --------------------------------------------------------------------


class _NoName(Exception):
    pass


def _params(line: Any) -> dict[str, list[str]]:
    """Parameters by upper-case name; bare 2.1 parameters (`TEL;CELL`) count as TYPE."""
    params: dict[str, list[str]] = {}
    for key, values in line.params.items():
        for value in values:
            params.setdefault(key.upper(), []).extend(v.strip() for v in str(value).split(","))
    for bare in line.singletonparams:
        params.setdefault("TYPE", []).append(bare)
    return params


def _types(line: Any) -> list[str]:
    return [t.casefold() for t in _params(line).get("TYPE", []) if t]


def _text(line: Any) -> str:
    value = line.value
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    return str(value) if value is not None else ""


def _lines(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name.lower(), []))


def _preferred_first(lines: list[Any]) -> list[Any]:
    def rank(line: Any) -> int:
        params = _params(line)
        if "pref" in _types(line):
            return 0
        pref = params.get("PREF", [])
        return int(pref[0]) if pref and pref[0].isdigit() else 101

    return sorted(lines, key=rank)  # stable: file order among equals


def _is_phonetic(line: Any) -> bool:
    params = _params(line)
    language = " ".join(params.get("LANGUAGE", []))
    return "PHONETIC" in params or bool(PHONETIC_LANGUAGE.search(language))


def _name_parts(line: Any) -> tuple[str, str, str, str, str]:
    """(given, middle, family, prefix, suffix) of an N line."""
    value = line.value
    if isinstance(value, str):
        parts = [*value.split(";"), "", "", "", "", ""]
        return parts[1], parts[2], parts[0], parts[3], parts[4]

    def text(part: Any) -> str:
        return " ".join(part) if isinstance(part, list) else str(part or "")

    return (text(value.given), text(value.additional), text(value.family), text(value.prefix),
            text(value.suffix))


def _label(card: Any, line: Any) -> str:
    """A URL's label: its group's X-ABLabel (Apple), else its TYPE."""
    if line.group:
        for other in _lines(card, "X-ABLABEL"):
            if other.group and other.group.casefold() == line.group.casefold():
                text = one_line(other.value)
                match = APPLE_LABEL.match(text)
                return match.group(1).casefold() if match else text
    types = [t for t in _params(line).get("TYPE", []) if t and t.casefold() not in NOT_A_LABEL]
    return types[0] if types else ""


def person_from_card(card: Any, position: str) -> Person:
    """The Person a parsed vobject card describes; _NoName if it names nobody."""
    person = Person(position)
    fns = [line for line in _lines(card, "FN") if one_line(line.value)]
    ns = [line for line in _lines(card, "N") if one_line(" ".join(_name_parts(line)))]
    plain_fns = [line for line in fns if not _is_phonetic(line)]
    plain_ns = [line for line in ns if not _is_phonetic(line)]
    names = [one_line(line.value) for line in plain_fns]
    names += [full_name(*_name_parts(line)) for line in plain_ns]
    names = unique(names, key=lambda n: re.sub(r"\s+", "", n.casefold()))
    if not names:
        raise _NoName
    person.name = names[0]
    nicknames = [one_line(n) for line in _lines(card, "NICKNAME") for n in [_text(line)]]
    person.aliases = [a for a in unique([*names[1:], *nicknames]) if a != person.name]
    person.reading = _reading(card, fns, ns)

    emails = _preferred_first(_lines(card, "EMAIL"))
    person.emails = unique(one_line(_text(e)).removeprefix("mailto:") for e in emails)
    phones = _preferred_first(_lines(card, "TEL"))
    person.phones = unique(one_line(_text(p)).removeprefix("tel:") for p in phones)
    for org in _lines(card, "ORG"):
        units = org.value if isinstance(org.value, list) else [org.value]
        company = one_line(next((u for u in units if one_line(u)), ""))
        if company:
            person.company = company
            break
    person.title = next((one_line(_text(t)) for t in _lines(card, "TITLE") if _text(t).strip()),
                        None) or next((one_line(_text(r)) for r in _lines(card, "ROLE")
                                       if _text(r).strip()), None)
    for adr in _lines(card, "ADR"):
        value = adr.value
        parts = [getattr(value, k, "") for k in ("city", "region", "country")]
        location = ", ".join(one_line(p) for p in parts if one_line(p))
        if location:
            person.location = location
            break
    for bday in _lines(card, "BDAY"):
        omit = "X-APPLE-OMIT-YEAR" in _params(bday)
        person.birthday = partial_date(_text(bday), omit_year=omit)
        if person.birthday is None and _text(bday).strip():
            person.warnings.append(f"birthday {one_line(_text(bday))!r} is not a date; left out")
        break
    for line in [*_lines(card, "ANNIVERSARY"), *_lines(card, "X-ANNIVERSARY"),
                 *_lines(card, "X-ABDATE")]:
        label = "anniversary" if "ANNIVERSARY" in line.name else _label(card, line) or "date"
        omit = "X-APPLE-OMIT-YEAR" in _params(line)
        when = partial_date(_text(line), omit_year=omit)
        if when is None:
            person.warnings.append(f"{label} {one_line(_text(line))!r} is not a date; left out")
        elif label not in dict(person.dates):
            person.dates.append((label, when))
    tags = [str(t) for line in _lines(card, "CATEGORIES")
            for t in (line.value if isinstance(line.value, list) else [line.value])]
    ours = any(PRODID in str(p.value) for p in _lines(card, "PRODID"))
    person.tags = [t for t in unique(tags) if ours or t.casefold() not in SYSTEM_CATEGORIES]
    links = []
    for line in [*_lines(card, "URL"), *_lines(card, "X-SOCIALPROFILE")]:
        # Google escapes the colons of URLs (`https\://`); vobject leaves URLs as written.
        url = re.sub(r"\\([:;,])", r"\1", one_line(_text(line)))
        if url:
            links.append((_label(card, line), url))
    person.links = list(dict.fromkeys(links))
    person.uid = next((one_line(u.value) for u in _lines(card, "UID") if one_line(u.value)), None)
    notes = [str(n.value).strip() for n in _lines(card, "NOTE") if str(n.value).strip()]
    person.note = "\n\n".join(n.replace("\r\n", "\n").replace("\r", "\n") for n in notes)
    person.tier = next((one_line(t.value) for t in _lines(card, "X-KIZUNA-TIER")
                        if one_line(t.value)), None)
    for line in _lines(card, "X-KIZUNA-CADENCE"):
        person.cadence = parse_cadence(one_line(line.value))
    return person


def _reading(card: Any, fns: list[Any], ns: list[Any]) -> str | None:
    def first(name: str) -> str:
        return next((one_line(_text(x)) for x in _lines(card, name) if one_line(_text(x))), "")

    reading = reading_text(first("X-PHONETIC-LAST-NAME"), first("X-PHONETIC-FIRST-NAME"),
                           first("X-PHONETIC-MIDDLE-NAME"))
    if reading:
        return reading
    for sound in _lines(card, "SOUND"):
        if "X-IRMC-N" in _params(sound) or "x-irmc-n" in _types(sound):
            parts = [*str(sound.value).split(";"), ""]
            reading = full_width_kana(reading_text(parts[0], parts[1], *parts[2:3]))
            if reading:
                return reading
    for line in ns:
        if _is_phonetic(line):
            given, middle, family, _, _ = _name_parts(line)
            reading = reading_text(family, given, middle)
            if reading:
                return reading
    for line in fns:
        if _is_phonetic(line):
            return reading_text(one_line(line.value))
    for line in ns:
        sort_as = _params(line).get("SORT-AS", [])
        if any(s.strip() for s in sort_as):
            return reading_text(*sort_as)
    return reading_text(first("SORT-STRING"))


def parse_cadence(text: str) -> str | dict[str, str] | None:
    """`X-KIZUNA-CADENCE` (`none`, or `talk=2m meet=6m`) as front matter."""
    if not text:
        return None
    if text.casefold() == "none":
        return "none"
    found: dict[str, str] = {}
    for item in text.split():
        depth, _, spec = item.partition("=")
        if depth and spec:
            found[depth.casefold()] = spec
    return found or None


# --- export ---------------------------------------------------------------------------


def cadence_text(contact: Contact) -> str | None:
    if contact.cadence is None:
        return "none"
    if not contact.cadence:
        return None
    return " ".join(f"{d.label}={v or 'none'}" for d, v in sorted(contact.cadence.items(),
                                                                 key=lambda kv: kv[0]))


def note_body(vault_root: Path, contact: Contact) -> str:
    """The free text of a contact note: its body up to the first heading (the log, …)."""
    try:
        text = (vault_root / contact.path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    doc = _split(text)
    body = []
    for line in doc.lines[doc.body_start:]:
        if re.match(r"^#{1,6}\s", line):
            break
        body.append(line)
    return "\n".join(body).strip()


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) for N, guessed from FN: CJK names are family-first."""
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    if is_cjk(name):
        return parts[0], " ".join(parts[1:])
    return parts[-1], " ".join(parts[:-1])


def _date_text(when: PartialDate) -> str:
    """vCard 4.0 date: `1990-04-01`, or `--0401` without a year (RFC 6350 §4.3.1)."""
    if when.year:
        return f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
    return f"--{when.month:02d}{when.day:02d}"


def contact_card(contact: Contact, vault_root: Path) -> Any:
    """One contact as a vobject vCard 4.0 component."""
    import vobject

    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("prodid").value = PRODID
    card.add("fn").value = contact.name
    family, given = _split_name(contact.name)
    n = card.add("n")
    n.value = vobject.vcard.Name(family=family, given=given)
    if contact.reading:
        parts = contact.reading.replace(",", " ").split()
        n.params["SORT-AS"] = [",".join(parts)]
        if len(parts) == 2:
            # What iPhones and Google show as furigana; a reading is family name first.
            card.add("x-phonetic-last-name").value = parts[0]
            card.add("x-phonetic-first-name").value = parts[1]
    for alias in contact.aliases:
        card.add("nickname").value = alias
    for email in contact.emails:
        card.add("email").value = email
    for phone in contact.phones:
        card.add("tel").value = phone
    if contact.company:
        card.add("org").value = [contact.company]
    if contact.title:
        card.add("title").value = contact.title
    if contact.location:
        card.add("adr").value = vobject.vcard.Address(city=contact.location)
    if contact.birthday:
        card.add("bday").value = _date_text(contact.birthday)
    groups = 0
    for label, when in contact.dates:
        if label == "anniversary":
            card.add("anniversary").value = _date_text(when)
            continue
        groups += 1  # Apple's labelled dates: itemN.X-ABDATE with itemN.X-ABLabel
        card.add("x-abdate", group=f"item{groups}").value = _date_text(when)
        card.add("x-ablabel", group=f"item{groups}").value = label
    if contact.tags:
        card.add("categories").value = list(contact.tags)
    for label, url in contact.links:
        line = card.add("url")
        line.value = url
        if label:
            line.params["TYPE"] = [label.replace(",", " ").replace('"', "'")]
    if contact.uid:
        card.add("uid").value = contact.uid
    body = note_body(vault_root, contact)
    if body:
        card.add("note").value = body
    if contact.tier:
        card.add("x-kizuna-tier").value = contact.tier
    cadence = cadence_text(contact)
    if cadence:
        card.add("x-kizuna-cadence").value = cadence
    return card


def export_vcards(index: Index, vault_root: Path) -> str:
    """Every contact as vCard 4.0, one card each, in sort-name order."""
    return "".join(contact_card(c, vault_root).serialize() for c in index.contacts)

