"""Front matter read the way Obsidian shows it.

PyYAML's YAML 1.1 defaults turn `phone: 0123456` into the octal 42798,
`+4915112345678` into an integer and `no` into False. Our loader keeps only
three implicit types: true/false, empty (null) and ISO dates `YYYY-MM-DD`;
everything else stays text exactly as written. It is a CSafeLoader subclass
(libyaml speed, no Python tags) handed to python-frontmatter's YAML handler.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 10_000  # an alias bomb expands past this; a real front matter never does

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ObsidianLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader whose only implicit types are bool, null and ISO date."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


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
