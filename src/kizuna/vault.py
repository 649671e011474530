"""Finding the vault, listing the notes kizuna reads, and reading them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import CONFIG_FILE, Config, load_config
from .model import Note, Problem
from .parse import parse_note

STATE_DIR = ".kizuna"  # cache and template overrides
PROFILE_NOTE = "me.md"
READING_LIST_NOTE = "reading-list.md"


class VaultNotFound(Exception):
    """No vault at or above the working directory."""


def find_vault(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> Path:
    """`--vault`, else `$KIZUNA_VAULT`, else the nearest folder holding kizuna.toml."""
    given = explicit or os.environ.get("KIZUNA_VAULT")
    if given:
        root = Path(given).expanduser()
        if not root.is_dir():
            raise VaultNotFound(f"vault folder not found: {root}")
        return root.resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise VaultNotFound(
        f"no vault here: no {CONFIG_FILE} in {start} or above "
        "(make one with `kizuna init`, or pass --vault PATH)"
    )


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob (`**` is zero or more folders) as a regex on relative paths."""
    pattern = pattern.strip().lstrip("/")
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern  # a bare name matches at any depth, as in .gitignore
    if pattern.endswith("/"):
        pattern += "**"
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass
class Vault:
    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path) -> Vault:
        return cls(root, load_config(root))

    @cached_property
    def _ignore(self) -> list[re.Pattern[str]]:
        return [glob_to_regex(p) for p in self.config.ignore]

    @cached_property
    def _people(self) -> list[str]:
        return [p.strip("/") + "/" for p in self.config.people]

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.output

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def is_ignored(self, rel: str) -> bool:
        """Whether kizuna never reads this vault-relative path (DESIGN §2)."""
        parts = rel.split("/")
        if any(part.startswith((".", "_")) for part in parts if part != "\0"):
            return True
        if parts[0] == self.config.output.strip("/"):
            return True
        return any(p.match(rel) for p in self._ignore)

    def in_people(self, rel: str) -> bool:
        return any(rel.startswith(folder) for folder in self._people)

    def note_paths(self) -> list[str]:
        """Every Markdown note kizuna reads as input, sorted, relative with `/`."""
        found = []
        for folder, dirs, files in os.walk(self.root):
            rel_folder = os.path.relpath(folder, self.root).replace(os.sep, "/")
            prefix = "" if rel_folder == "." else rel_folder + "/"
            # "\0" cannot name a file: it asks whether anything inside the folder is read.
            dirs[:] = [d for d in dirs if not self.is_ignored(prefix + d + "/\0")]
            for name in files:
                rel = prefix + name
                if name.lower().endswith(".md") and not self.is_ignored(rel) and not (
                    prefix == "" and name in (PROFILE_NOTE, READING_LIST_NOTE)
                ):
                    found.append(rel)
        found.sort()
        return found

    def read_note(self, rel: str) -> Note:
        """Read and parse one note; an unreadable file is a problem, never an exception."""
        try:
            raw = (self.root / rel).read_bytes()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            return Note(rel, problems=(Problem(rel, None, "error", f"cannot read: {reason}"),))
        return parse_note(rel, raw, self.config, in_people=self.in_people(rel))

    def read_all(self) -> list[Note]:
        return [self.read_note(rel) for rel in self.note_paths()]
