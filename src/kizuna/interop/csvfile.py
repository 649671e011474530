"""CSV exports as rows with their positions: what the LinkedIn and Google readers share."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from .common import decode_text


class NotThisFormat(ValueError):
    """The file is not the CSV export this reader expects."""


@dataclass
class Row:
    number: int  # 1-based, counting data rows after the header
    line: int  # the file line the row starts on
    cells: dict[str, str]
    extra: int  # cells beyond the header's columns (an unquoted comma, usually)

    @property
    def position(self) -> str:
        return f"row {self.number} (line {self.line})"

    def get(self, column: str) -> str:
        return self.cells.get(column, "") or ""


def decode_csv(raw: bytes) -> str:
    """UTF-8 with or without a BOM (LinkedIn, Google today), UTF-16 (older Google CSV), else
    CP932 or CP1252 (a file re-saved by Excel in Japan or the West)."""
    return decode_text(raw, ("cp932", "cp1252"))


def rows(text: str, is_header: Callable[[list[str]], bool], what: str
         ) -> tuple[list[str], list[Row]]:
    """The header and data rows of a CSV whose header is the first row `is_header` accepts.

    Rows before the header (LinkedIn's "Notes:" preamble) are skipped; blank
    lines are skipped; a quoted cell may span lines, so each row's line comes
    from the reader's line count.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    for cells in reader:
        if is_header([c.strip() for c in cells]):
            header = [c.strip() for c in cells]
            break
    if header is None:
        raise NotThisFormat(f"not a {what} export: no header row with the expected columns")
    found: list[Row] = []
    line = reader.line_num + 1
    for cells in reader:
        if any(c.strip() for c in cells):
            extra = max(0, len(cells) - len(header))
            found.append(Row(len(found) + 1, line, dict(zip(header, cells, strict=False)), extra))
        line = reader.line_num + 1
    return header, found
