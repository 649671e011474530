"""Finding the vault, listing the notes kizuna reads, and reading them."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import CONFIG_FILE, Config, load_config
from .model import Note, Problem
from .parse import MAX_FILE_BYTES, parse_note

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
STATE_DIR = ".kizuna"  # cache and template overrides
TEMPLATE_OVERRIDES = "templates"  # under STATE_DIR
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
    return re.compile("".join(out) + r"\Z", re.DOTALL)


@dataclass
class Vault:
    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path) -> Vault:
        return cls(root, load_config(root))

    @cached_property
    def _root_text(self) -> str:
        return os.fspath(self.root)

    @cached_property
    def _ignore(self) -> re.Pattern[str]:
        """Every `ignore` glob as one regex: one match per path, not one per glob (the
        walk matches each of 10,000 notes)."""
        either = "|".join(f"(?:{glob_to_regex(p).pattern})" for p in self.config.ignore)
        return re.compile(either or "(?!)", re.DOTALL)  # (?!) matches nothing

    @cached_property
    def _people(self) -> list[str]:
        return [folder + "/" for folder in self.config.people]

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.output

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def is_ignored(self, rel: str) -> bool:
        """Whether kizuna never reads this vault-relative path (DESIGN §2).

        A path ending in `/` is a folder: is nothing inside it read?
        """
        probe = rel + "\0" if rel.endswith("/") else rel  # "\0" names no file: "anything inside"
        if any(part.startswith((".", "_")) for part in rel.split("/") if part):
            return True
        if (probe + "/").startswith(self.config.output + "/"):
            return True
        return self._ignore.match(probe) is not None

    def in_people(self, rel: str) -> bool:
        """Whether the note sits in a people folder (every note there is a contact)."""
        return any(folder == "./" or rel.startswith(folder) for folder in self._people)

    def note_paths(self) -> list[str]:
        """Every Markdown note kizuna reads as input, sorted, relative with `/`."""
        return self.walk()[0]

    def walk(self) -> tuple[list[str], list[Problem]]:
        """The notes (as `note_paths`), and a warning for each symlinked folder not followed
        because it loops; `read_all` turns those into note-less entries of the index."""
        found: list[str] = []
        problems: list[Problem] = []
        # Symlinked folders are followed (people link shared folders into vaults),
        # but never into a folder already on the way down, nor above the vault: a loop.
        real_root = os.path.realpath(self.root)
        chains: dict[str, frozenset[str]] = {}
        for folder, dirs, files in os.walk(self.root, followlinks=True):
            rel_folder = os.path.relpath(folder, self.root).replace(os.sep, "/")
            prefix = "" if rel_folder == "." else rel_folder + "/"
            chain = chains.pop(rel_folder, frozenset({real_root}))
            kept = []
            for name in dirs:
                rel = prefix + name
                if self.is_ignored(rel + "/"):
                    continue
                full = os.path.join(folder, name)
                real = os.path.realpath(full)
                if os.path.islink(full) and (
                    real in chain or real_root.startswith(real.rstrip(os.sep) + os.sep)
                ):
                    problems.append(Problem(rel, None, "warning", "symbolic link loops back to "
                                            "a folder above it; not followed"))
                    continue
                chains[rel] = chain | {real}
                kept.append(name)
            dirs[:] = kept
            # As is_ignored(rel), knowing that this folder is not ignored: its parts were
            # checked on the way down, so only the file's own name and the globs remain.
            skip = (PROFILE_NOTE, READING_LIST_NOTE) if prefix == "" else ()
            output = self.config.output + "/"
            ignored = self._ignore.match
            for name in files:
                if not name.lower().endswith(".md") or name.startswith((".", "_")) or (
                        name in skip):
                    continue
                rel = prefix + name
                if not (rel + "/").startswith(output) and ignored(rel) is None:
                    found.append(rel)
        found.sort()
        problems.sort(key=lambda p: p.path)
        return found, problems

    def read_bytes(self, rel: str) -> bytes | Problem:
        """A note's bytes (at most one byte past the size limit), or why it cannot be read."""
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
            fd = os.open(os.path.join(self._root_text, rel), _READ_FLAGS)
        except OSError as exc:
            return Problem(rel, None, "error", f"cannot read: {exc.strerror or type(exc).__name__}")
        with os.fdopen(fd, "rb", buffering=0) as f:
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    # a FIFO would hang a reader; a device or socket is no note either
                    return Problem(rel, None, "error", "not a regular file; not read")
                if info.st_size > MAX_FILE_BYTES:
                    return Problem(rel, None, "error", f"file is over the 1 MiB limit "
                                   f"({info.st_size / 1048576:.1f} MiB); not read")
                return f.readall() if info.st_size < MAX_FILE_BYTES else f.read(MAX_FILE_BYTES + 1)
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                return Problem(rel, None, "error", f"cannot read: {reason}")

    def read_note(self, rel: str) -> Note:
        """Read and parse one note; an unreadable file is a problem, never an exception."""
        raw = self.read_bytes(rel)
        if isinstance(raw, Problem):
            return Note(rel, problems=(raw,))
        return parse_note(rel, raw, self.config, in_people=self.in_people(rel))

    def read_all(self) -> list[Note]:
        """Every note, plus a note-less entry for each folder the walk could not follow."""
        paths, problems = self.walk()
        notes = [self.read_note(rel) for rel in paths]
        notes.extend(Note(problem.path, problems=(problem,)) for problem in problems)
        return notes
