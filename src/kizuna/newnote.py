"""New contact notes, for `add` and the importers: a safe file name and the contact template."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from .templating import environment

MAX_NAME_BYTES = 200  # below every common file system's 255-byte limit, with room for " 2.md"


def safe_filename(name: str) -> str:
    """A file stem from a person's name: no separators, no leading dot, no control characters.

    Japanese and other scripts stay as they are; only what file systems or
    Obsidian links cannot take is replaced.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = re.sub(r'[/\\:*?"<>|#^\[\]]', " ", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(". ")
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    return text.rstrip() or "Unnamed"


def contact_text(vault_root: Path, fields: dict[str, Any], body: str = "") -> str:
    """A new contact note from the (overridable) contact template."""
    template = environment(vault_root).get_template("contact.md")
    return template.render(fields={k: v for k, v in fields.items() if v not in (None, "", [], {})},
                           body=body.strip())
