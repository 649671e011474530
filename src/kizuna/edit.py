"""The byte-preserving edits behind `log`, `promise` and `done`. Pure: bytes in, bytes out.

An edit adds whole lines or flips one task mark. Every other byte of the note stays as
it was: the BOM, the front matter as written, comments, trailing whitespace, each line's
own ending (added lines take the file's usual one), and a missing final newline.

Where things go (DESIGN §6.2):

- a log entry: just above the first entry of the first log section, with that entry's
  list marker and indent, so the log stays newest first; in a log section with no
  entry yet, after its last line of content.
- a promise: after the last line of content of the first Promises section, so the
  list reads in the order promises were made.
- a missing section (`## Log`, `## Promises`, or the first configured heading) is added
  at the end of the note, after a blank line. A note that ends inside an unclosed code
  fence gets it just above that fence, since nothing after the fence can be read.

Sections are found exactly as `kizuna.parse` reads them (same regexes, same code-fence
rule), so an added line always parses back as one more log entry or promise.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .config import Config
from .parse import FENCE, HEADING, LIST_ITEM, TASK, body_lines, decode, fold, parse_log_entry

BOM = b"\xef\xbb\xbf"
_EOL = re.compile(r"(\r\n|\r|\n)")  # the line breaks parse.py splits on, nothing else
_MARKER = re.compile(r"^([ \t]*[-*+])[ \t]+")
_BREAKING = ("Cc", "Cs", "Zl", "Zp")  # controls, lone surrogates, line and paragraph breaks
_DONE_AT = re.compile(r"(?:[ \t]+\^[A-Za-z0-9-]+)?[ \t]*$")  # an Obsidian block id stays last


class EditError(ValueError):
    """The note cannot take this edit; the message says why, in one line."""


def one_line(text: str) -> str:
    """User text as one line: each run of control characters and line breaks becomes a space.

    Other spacing stays as typed (a full-width space in a Japanese name is kept).
    """
    text = "".join("\n" if unicodedata.category(ch) in _BREAKING else ch for ch in text)
    return re.sub(r" *\n[\n ]*", " ", text).strip()


def log_entry(when: date, text: str, kind: str | None = None, inbound: bool = False) -> str:
    """A log entry after its list marker: `DATE [<- ][KIND: ]TEXT`.

    Without a kind the text is written as given, so the log grammar reads a leading
    `coffee:` in it as the kind, just as it would in a line typed into the note.
    """
    parts = [when.isoformat()]
    if inbound:
        parts.append("<-")
    if kind:
        parts.append(f"{kind}:")
    text = one_line(text)
    if text:
        parts.append(text)
    return " ".join(parts)


def promise_task(text: str, due: date | None = None) -> str:
    """An open task after its list marker: `[ ] TEXT 📅 DUE`."""
    task = f"[ ] {one_line(text)}"
    return f"{task} 📅 {due.isoformat()}" if due else task


def add_log_entry(raw: bytes, entry: str, config: Config) -> bytes:
    """The note with `entry` (from `log_entry`) at the top of its log section."""

    def place(note: _Lines, first: int, end: int) -> tuple[int, str]:
        for i in range(first + 1, end):
            if note.is_log_entry(i, config):
                return i, _marker(note.lines[i])  # above the newest entry, in its style
        return note.after_content(first, end), "-"

    return _add_line(raw, entry, config.log_headings, config, place)


def add_promise(raw: bytes, task: str, config: Config) -> bytes:
    """The note with `task` (from `promise_task`) last in its Promises section."""

    def place(note: _Lines, first: int, end: int) -> tuple[int, str]:
        tasks = [i for i in range(first + 1, end) if note.is_task(i)]
        return note.after_content(first, end), _marker(note.lines[tasks[0]]) if tasks else "-"

    return _add_line(raw, task, config.promise_headings, config, place)


def _add_line(raw: bytes, content: str, headings: Sequence[str], config: Config,
              place: Callable[[_Lines, int, int], tuple[int, str]]) -> bytes:
    """Add a list item in the first section with one of the headings, where `place` says
    (index, marker), or in a new section at the end of the note."""
    note = _Lines.read(raw)
    section = note.section(headings)
    if section is None:
        return note.with_section(_new_heading(headings, config), f"- {content}")
    at, marker = place(note, *section)
    note.insert(at, f"{marker} {content}")
    return note.to_bytes()


def _marker(line: str) -> str:
    """A list item's indent and marker (`  *`), to write a sibling the same way."""
    match = _MARKER.match(line)
    return match.group(1) if match else "-"


def mark_done(raw: bytes, line: int, today: date) -> bytes:
    """The note with the open task on (1-based) `line` marked `[x]` and dated `✅ today`."""
    note = _Lines.read(raw)
    i = line - 1
    task = TASK.match(note.lines[i]) if note.is_task(i) else None
    if task is None or task.group(1) not in (" ", "/"):
        raise EditError(f"line {line} is not an open task")
    text = note.lines[i]
    text = text[: task.start(1)] + "x" + text[task.end(1) :]
    at = _DONE_AT.search(text).start()  # type: ignore[union-attr]  # it matches the empty end
    note.lines[i] = f"{text[:at]} ✅ {today.isoformat()}{text[at:]}"
    return note.to_bytes()


def _new_heading(headings: Sequence[str], config: Config) -> str:
    """`## ` and the first configured heading (the first Japanese one in a Japanese vault)."""
    names = list(headings)
    if not names:
        raise EditError("no section headings are configured in kizuna.toml for this edit")
    if config.language == "ja":
        names = [n for n in names if not n.isascii()] or names
    return f"## {names[0]}"


@dataclass
class _Lines:
    """A note as parse.py numbers its lines, each with its own line ending kept."""

    bom: bool
    lines: list[str]  # as parse.py splits them: a final newline leaves a last "" line
    ends: list[str]  # each line's ending; "" for the last line
    fence_open_after: list[bool]  # whether a code fence is open after each line
    body_start: int  # index of the first body line (after the front matter)

    @classmethod
    def read(cls, raw: bytes) -> _Lines:
        try:
            text = decode(raw)
        except UnicodeDecodeError as exc:
            raise EditError(f"not UTF-8 text (byte {exc.start}); nothing changed") from None
        parts = _EOL.split(text)
        lines, ends = parts[0::2], [*parts[1::2], ""]
        fence_open_after = [False] * len(lines)
        body_start = len(lines)
        is_open = False
        for number, line, _ in body_lines(text):
            body_start = min(body_start, number - 1)
            if FENCE.match(line):
                is_open = not is_open
            fence_open_after[number - 1] = is_open
        return cls(raw.startswith(BOM), lines, ends, fence_open_after, body_start)

    def to_bytes(self) -> bytes:
        text = "".join(line + end for line, end in zip(self.lines, self.ends, strict=True))
        return (BOM if self.bom else b"") + text.encode("utf-8")

    @property
    def eol(self) -> str:
        """The file's usual line ending, for added lines."""
        counts = Counter(end for end in self.ends if end)
        return counts.most_common(1)[0][0] if counts else "\n"

    def _ending(self, i: int, line: str) -> str:
        """The ending for a line inserted before index i, never merging with its neighbours.

        In a file of mixed endings a lone CR next to a LF would read as one CRLF,
        swallowing a line; CRLF never merges with either neighbour.
        """
        end = self.eol
        following = self.lines[i][:1] or self.ends[i][:1] if i < len(self.lines) else ""
        if end == "\r" and following == "\n":
            return "\r\n"
        if end == "\n" and not line and i > 0 and self.ends[i - 1] == "\r":
            return "\r\n"
        return end

    def in_code(self, i: int) -> bool:
        """Whether line i is not read as Markdown: front matter, a fence or inside one."""
        if i < self.body_start:
            return True
        before = self.fence_open_after[i - 1] if i > self.body_start else False
        return before or bool(FENCE.match(self.lines[i]))

    def section(self, names: Iterable[str]) -> tuple[int, int] | None:
        """(heading index, end index) of the first section headed by one of the names."""
        wanted = {fold(name) for name in names}
        start, level = -1, 0
        for i in range(self.body_start, len(self.lines)):
            heading = HEADING.match(self.lines[i])
            if heading is None or self.in_code(i):
                continue
            if start < 0 and fold(heading.group(2)) in wanted:
                start, level = i, len(heading.group(1))
            elif start >= 0 and len(heading.group(1)) <= level:
                return start, i
        return (start, len(self.lines)) if start >= 0 else None

    def is_log_entry(self, i: int, config: Config) -> bool:
        item = LIST_ITEM.match(self.lines[i])
        return bool(item and not self.in_code(i) and not TASK.match(self.lines[i])
                    and parse_log_entry(item.group(1), config) is not None)

    def is_task(self, i: int) -> bool:
        return 0 <= i < len(self.lines) and not self.in_code(i) and bool(TASK.match(self.lines[i]))

    def after_content(self, first: int, end: int) -> int:
        """Where a line goes after a section's last non-blank line, outside any code fence."""
        for i in range(end - 1, first, -1):
            if self.lines[i].strip() and not self.fence_open_after[i]:
                return i + 1
        return first + 1

    def end_of_note(self) -> int:
        """Where a new section goes: the end, or just above a code fence left open there."""
        end = len(self.lines) - 1 if self.lines[-1] == "" else len(self.lines)
        while end > self.body_start and self.fence_open_after[end - 1]:
            end -= 1  # stops at the line that opened the fence
        return max(end, self.body_start)

    def insert(self, i: int, line: str) -> None:
        """Insert a line before index i; at the very end, the note keeps its last line ending."""
        if i == len(self.lines):
            self.ends[-1], end = self._ending(i, line), self.ends[-1]
            self.lines.append(line)
            self.ends.append(end)
        else:
            self.ends.insert(i, self._ending(i, line))
            self.lines.insert(i, line)
        self.fence_open_after.insert(i, self.fence_open_after[i - 1] if i else False)

    def with_section(self, heading: str, line: str) -> bytes:
        """The note with a new section (heading and one line) at the end."""
        at = self.end_of_note()
        new = [heading, line]
        if at > 0 and self.lines[at - 1].strip():
            new.insert(0, "")
        for offset, text in enumerate(new):
            self.insert(at + offset, text)
        return self.to_bytes()
