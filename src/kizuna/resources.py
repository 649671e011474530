"""Files shipped with kizuna: the top-level templates/ folder, installed as kizuna.templates."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped_templates() -> Path:
    """The folder of shipped templates, from an editable install or a wheel alike."""
    return Path(str(files("kizuna.templates")))


def shipped_text(name: str) -> str:
    return (shipped_templates() / name).read_text(encoding="utf-8")
