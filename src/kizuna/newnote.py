"""New contact notes, for `add` and the importers: a safe file name and the contact template."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .templating import environment

if TYPE_CHECKING:
    import jinja2

MAX_NAME_BYTES = 200  # below every common file system's 255-byte limit, with room for " 2.md"
# Names Windows refuses for a file whatever its extension (`Con.md` too).
_RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10))}
_KEPT_FORMAT = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of emoji and of some scripts


def safe_filename(name: str) -> str:
    """A file stem from a person's name: no separators, no leading dot, no control characters.

    Japanese and other scripts stay as they are (NFC, full-width kept); only what file
    systems or Obsidian links cannot take is replaced, and the length is bounded in bytes.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if _unsafe(ch) else ch for ch in text)
    text = re.sub(r'[/\\:*?"<>|#^\[\]]', " ", text)
    text = re.sub(r" +", " ", text).strip().lstrip(". ")  # other spaces (全角) stay
    text = text.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    text = text.rstrip(". ")  # Windows drops trailing dots and spaces
    if text.split(".")[0].casefold() in _RESERVED:
        text = re.sub(r"^[^.]*", lambda m: m.group() + "_", text, count=1)
    return text or "Unnamed"


def _unsafe(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs") or (category == "Cf" and ch not in _KEPT_FORMAT)


@functools.lru_cache(maxsize=4)
def _contact_template(vault_root: Path, language: str) -> jinja2.Template:
    # Compiled once per run: an import of 10,000 cards would otherwise compile it 10,000 times.
    return environment(vault_root, language).get_template("contact.md")


def contact_text(vault_root: Path, fields: dict[str, Any], body: str = "",
                 language: str = "en") -> str:
    """A new contact note from the (overridable) contact template; empty fields are left out."""
    template = _contact_template(vault_root, language)
    return template.render(fields={k: v for k, v in fields.items() if v not in (None, "", [], {})},
                           body=body.strip())
