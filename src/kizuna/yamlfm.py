"""Front matter read the way Obsidian shows it.

PyYAML's YAML 1.1 defaults turn `phone: 0123456` into the octal 42798,
`+4915112345678` into an integer and `no` into False. Our loader keeps only
three implicit types: true/false, empty (null) and ISO dates `YYYY-MM-DD`;
everything else stays text exactly as written. It is a CSafeLoader subclass
(libyaml speed, no Python tags) handed to python-frontmatter's YAML handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

import yaml
from frontmatter.default_handlers import YAMLHandler

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 10_000  # an alias bomb expands past this; a real front matter never does
# libyaml's parser recurses once per nesting level and overflows the C stack (a
# segfault, not an exception) somewhere past 20,000 levels, and Python code that
# walks the values recurses too: no real front matter nests anywhere near this.
MAX_NESTING = 100

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ObsidianLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader whose only implicit types are bool, null and ISO date."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


ObsidianLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
ObsidianLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
ObsidianLoader.add_implicit_resolver("tag:yaml.org,2002:timestamp", _ISO_DATE, list("0123456789"))


def _construct_date(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> date | str:
    """An ISO date, or the text itself when it is not a real day (2026-02-30)."""
    text = loader.construct_scalar(node)
    assert isinstance(text, str)
    try:
        return date.fromisoformat(text) if _ISO_DATE.match(text) else text
    except ValueError:
        return text


def _construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # An explicitly tagged int or float (`!!int 3`) still reads as its text.
    return str(loader.construct_scalar(node))


ObsidianLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)
ObsidianLoader.add_constructor("tag:yaml.org,2002:int", _construct_text)
ObsidianLoader.add_constructor("tag:yaml.org,2002:float", _construct_text)


class ObsidianYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler with our loader."""

    def load(self, fm: str, **kwargs: object) -> Any:
        kwargs.setdefault("Loader", ObsidianLoader)
        return super().load(fm, **kwargs)


HANDLER = ObsidianYAMLHandler()


class TooManyNodes(ValueError):
    """The front matter expands past MAX_NODES values (an alias bomb)."""


def check_size(value: Any) -> None:
    """Walk the loaded value, counting nodes as aliases expand them.

    Loading an alias bomb is cheap (aliases share objects); walking it is not.
    Everything downstream walks, so we bound the walk once, here.
    """
    budget = MAX_NODES
    stack = [value]
    while stack:
        item = stack.pop()
        budget -= 1
        if budget < 0:
            raise TooManyNodes(f"front matter expands past {MAX_NODES:,} values (alias bomb?)")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


_TEXT_TAGS = frozenset({
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
})
_DEEP_BLOCK = re.compile(rf"^(?:[ \t]|[-?:][ \t]){{{MAX_NESTING}}}", re.MULTILINE)


class TooDeep(ValueError):
    """The front matter nests deeper than MAX_NESTING levels."""


def check_nesting(text: str) -> None:
    """Refuse front matter nested more than MAX_NESTING levels, cheaply.

    Block nesting needs a column per level (indentation or `- - -`), flow nesting
    a bracket per level; both are found by C-speed searches in ordinary notes.
    """
    if _DEEP_BLOCK.search(text):
        raise TooDeep(f"front matter nests more than {MAX_NESTING} levels deep")
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise TooDeep(f"front matter nests more than {MAX_NESTING} levels deep")
        elif char in "]}" and depth:
            depth -= 1


@dataclass
class Loaded:
    """A front matter mapping with the line of each top-level key (0-based, in the text)."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    bad_keys: list[tuple[str, int]] = field(default_factory=list)  # non-text keys, as written
    not_mapping: str | None = None  # what it is instead ("a list", "text"), if not a mapping
    not_mapping_line: int = 0


def load_mapping(text: str) -> Loaded:
    """Load a front matter; raises yaml.YAMLError, TooDeep or TooManyNodes.

    Keys that are not text (`true:`, `2026-01-01:`, `[a, b]:`) are dropped and
    reported in `bad_keys`, so one odd key does not cost the whole note.
    """
    fast = _simple_mapping(text)
    return fast if fast is not None else load_with_pyyaml(text)


def load_with_pyyaml(text: str) -> Loaded:
    """`load_mapping` without the fast path: any YAML, through PyYAML."""
    check_nesting(text)
    loader = ObsidianLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Loaded()
        if not isinstance(node, yaml.MappingNode):
            data = loader.construct_document(node)
            if data is None:
                return Loaded()
            return Loaded(not_mapping=_describe(node, data), not_mapping_line=node.start_mark.line)
        result = Loaded()
        kept = []
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag in _TEXT_TAGS:
                result.key_lines.setdefault(key.value, key.start_mark.line)
                kept.append((key, value))
            else:
                start, end = key.start_mark.index, key.end_mark.index
                shown = text[start:end].strip() if 0 <= start < end else str(key.value)
                result.bad_keys.append((shown[:40], key.start_mark.line))
        node.value = kept
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    if "*" in text:  # without an alias nothing is shared, so nothing can blow up
        check_size(data)
    result.data = data
    return result


def _describe(node: yaml.Node, data: Any) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(data, str):
        return "text"
    return type(data).__name__


# --- the fast path ---------------------------------------------------------------------
#
# Most front matter is a column of `key: value`, `key: [a, b]` and `key:` with `- item`
# lines below, in plain or simply quoted words. PyYAML's constructor is Python code
# and costs more than everything else kizuna does with a note, so that shape is read
# here, to the very same values; anything else (and anything unsure) goes to PyYAML.

# What YAML's reader accepts at all (PyYAML's Reader.NON_PRINTABLE, negated); a BOM
# inside the text is left to PyYAML too.
_UNPRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
                          "\U00010000-\U0010ffff]")
# A plain scalar: no indicator first, no `: `, ` #` or tab, no `:` or space last; inside
# `[…]` (flow) no `,[]{}` either. Line breaks other than LF are left to PyYAML.
# Written as "run (one special character, run)*": a run is one C loop where an
# alternation per character was not (the line regex at half the cost), and each text
# has one parse, so a line that fails backtracks in linear time.
_FIRST = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`\x85\u2028\u2029]"
_PLAIN_BLOCK = rf"{_FIRST}[^:#\s]*(?:(?:[ ]|:(?=\S)|(?<=\S)#)[^:#\s]*)*(?<![\s:])"
_PLAIN_FLOW = (rf"{_FIRST}[^:#,\[\]{{}}\s]*"
               rf"(?:(?:[ ]|:(?=[^\s,\[\]{{}}])|(?<=\S)#)[^:#,\[\]{{}}\s]*)*(?<![\s:])")
_QUOTED = r"\"[^\"\\\s]*(?:[ ][^\"\\\s]*)*\"|'[^'\s]*(?:[ ][^'\s]*)*'"
_FLOW_SCALAR = rf"(?:{_PLAIN_FLOW}|{_QUOTED})"
_PAIR = rf"{_FLOW_SCALAR}[ ]*:[ ]+{_FLOW_SCALAR}"
# `key:`, `key: scalar`, `key: [a, b]` or `key: {a: b}`: groups key, scalar, list, pairs.
# A list is its first item, then `, item`s: the last item is matched once, not again
# after a failed `item,` (flow lines at half the cost).
_LINE = re.compile(rf"({_PLAIN_FLOW}|{_QUOTED}):(?:[ ]+(?:({_PLAIN_BLOCK}|{_QUOTED})|"
                   rf"\[[ ]*({_FLOW_SCALAR}(?:[ ]*,[ ]*{_FLOW_SCALAR})*)?[ ]*\]|"
                   rf"\{{[ ]*({_PAIR}(?:[ ]*,[ ]*{_PAIR})*)?[ ]*\}})?)?")
_FLOW_PAIR = re.compile(rf"[ ]*({_FLOW_SCALAR})[ ]*:[ ]+({_FLOW_SCALAR})[ ]*(?:,|$)")
_ITEM = re.compile(rf"[ ]*-[ ]+({_PLAIN_BLOCK}|{_QUOTED})?[ ]*")
_FLOW_ITEM = re.compile(rf"[ ]*({_FLOW_SCALAR})[ ]*(?:,|$)")
_ODD = re.compile("[\t\r\ufeff\x85\u2028\u2029]")
# The words the implicit resolvers above type (their regexes, spelt out).
_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(["true", "True", "TRUE"], True),
    **dict.fromkeys(["false", "False", "FALSE"], False),
    **dict.fromkeys(["~", "null", "Null", "NULL", ""], None),
}


def _scalar(token: str) -> Any:
    """A token as our loader types it: quoted is text; plain may be bool, null or a date."""
    first = token[:1]
    if first == '"' or first == "'":
        return token[1:-1]
    if token in _WORDS:
        return _WORDS[token]
    if first.isdigit() and len(token) == 10 and _ISO_DATE.match(token):
        try:
            return date.fromisoformat(token)
        except ValueError:
            return token
    return token


def _simple_mapping(text: str) -> Loaded | None:
    """The front matter if it has the simple shape, else None (PyYAML decides)."""
    if _UNPRINTABLE.search(text) or _ODD.search(text):
        return None
    result = Loaded()
    data, key_lines = result.data, result.key_lines
    open_key: str | None = None  # a `key:` with nothing after it, maybe a block list
    open_indent = -1  # the column of its items' `-`
    for number, line in enumerate(text.split("\n")):
        line = line.rstrip(" ")  # _ODD leaves no "\r"
        if not line:
            continue
        # A comment line matches neither _ITEM nor _LINE, so it is looked for only
        # when they fail: most front matter has none.
        if open_key is not None and (line[0] == " " or line[0] == "-"):
            item = _ITEM.fullmatch(line)
            if item is None:
                if line.lstrip(" ")[0] == "#":
                    continue
                return None
            if data[open_key] is None:
                data[open_key] = []
            elif not isinstance(data[open_key], list) or line.find("-") != open_indent:
                return None
            open_indent = line.find("-")
            data[open_key].append(None if item.group(1) is None else _scalar(item.group(1)))
            continue
        value = _LINE.fullmatch(line)
        if value is None:
            if line.lstrip(" ")[0] == "#":
                continue
            return None
        token, scalar, flow, pairs = value.groups()
        name = _KEYS.get(token) or _text_key(token)
        if name is None:
            return None  # not text (a date key, even 2026-02-30): PyYAML reports it
        key_lines.setdefault(name, number)
        open_key, open_indent = None, -1
        if scalar is not None:
            data[name] = _scalar(scalar)
        elif line[-1] == "]":
            data[name] = [] if flow is None else [_scalar(t) for t in _FLOW_ITEM.findall(flow)]
        elif line[-1] == "}":
            data[name] = {} if pairs is None else {
                _scalar(k): _scalar(v) for k, v in _FLOW_PAIR.findall(pairs)}
        else:
            data[name] = None
            open_key = name
    if not data:
        return None  # empty or only comments: PyYAML knows what that is
    return result


def _text_key(token: str) -> str | None:
    """A key token as text, or None when YAML reads it as something else."""
    typed = _scalar(token)
    if not isinstance(typed, str) or (typed is token and _ISO_DATE.match(token)):
        return None
    if len(_KEYS) < 10_000:
        _KEYS[token] = typed
    return typed


# Key tokens read once per process: a vault repeats a few dozen keys in every note.
_KEYS: dict[str, str] = {}
