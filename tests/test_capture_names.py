"""File names for new contacts: safe on every file system, true to the person's name."""

from __future__ import annotations

import pytest

from kizuna.newnote import MAX_NAME_BYTES, safe_filename


@pytest.mark.parametrize(("name", "stem"), [
    ("Aiko Tanaka", "Aiko Tanaka"),
    ("田中\u3000健二", "田中\u3000健二"),  # a full-width space is part of the name
    ("ｶﾀｶﾅ", "ｶﾀｶﾅ"),  # half-width kana are not folded: NFC, not NFKC
    ("Cafe\u0301", "Café"),  # composed (NFC), as macOS and Obsidian links expect
    ("a/b\\c:d*e?f\"g<h>i|j#k^l[m]n", "a b c d e f g h i j k l m n"),
    ("..", "Unnamed"),
    ("...hidden", "hidden"),
    ("trailing. ", "trailing"),
    ("\u202eevil\u202c", "evil"),  # bidi overrides would disguise the name
    ("👩\u200d💻 Dev", "👩\u200d💻 Dev"),  # a zero-width joiner is part of the emoji
    ("lpt1.notes", "lpt1_.notes"),
    ("nul", "nul_"),
    ("Console", "Console"),
])
def test_safe_filename(name: str, stem: str) -> None:
    assert safe_filename(name) == stem


def test_long_names_are_cut_on_a_character_boundary() -> None:
    stem = safe_filename("é" * 150)
    assert len(stem.encode("utf-8")) <= MAX_NAME_BYTES
    assert stem == "é" * (MAX_NAME_BYTES // 2)
