"""The readers never crash: any bytes give records (or one clear 'not this format' error)."""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from interop_helpers import FIXTURES

from kizuna.commands.importing import _progress
from kizuna.interop.common import Person, Unusable
from kizuna.interop.csvfile import NotThisFormat
from kizuna.interop.google import read_google
from kizuna.interop.linkedin import read_linkedin
from kizuna.interop.vcard import NotVCard, read_vcards

VCARD_LINES = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", "FN:Ann Lee",
    "N:Lee;Ann;;;", "N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=93c=92=86;=",
    "NOTE;ENCODING=QUOTED-PRINTABLE:a=", "=0D=0Ab", " folded", "EMAIL;TYPE=pref:a@b.example",
    "BDAY:--0229", "BDAY:1604-13-45", "PHOTO;ENCODING=b:AAAA", "item1.X-ABLabel:_$!<x>!$_",
    'N;SORT-AS="a,b":x;y', "TEL;VALUE=uri:tel:+1", "CATEGORIES:a,b\\,c", "garbage", "",
    "X-KIZUNA-CADENCE:talk=2m meet", "ADR:;;;Tokyo;;;", "URL:https\\://x.example",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(VCARD_LINES | st.text(max_size=30), max_size=30),
       st.sampled_from(["utf-8", "cp932", "utf-16"]))
def test_vcard_reader_never_raises(lines: list[str], codec: str) -> None:
    raw = "\r\n".join(lines).encode(codec, errors="replace")
    try:
        total, records = read_vcards(raw)
    except NotVCard:
        return
    found = list(records)
    assert all(isinstance(r, (Person, Unusable)) for r in found)
    assert all(r.name for r in found if isinstance(r, Person))
    assert len(found) <= total + 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_csv_readers_never_raise(tail: bytes) -> None:
    for fixture, reader in (("linkedin-connections.csv", read_linkedin),
                            ("google-new.csv", read_google)):
        header = (FIXTURES / fixture).read_bytes().split(b"\n")
        raw = b"\n".join(header[:5]) + b"\n" + tail
        try:
            _, records = reader(raw)
        except NotThisFormat:
            continue
        assert all(isinstance(r, (Person, Unusable)) for r in records)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_large_files_on_a_terminal(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(_progress(range(10), 10)) == list(range(10))
    assert terminal.getvalue() == ""  # small file: no bar
    assert list(_progress(range(500), 500)) == list(range(500))
    assert "importing" in terminal.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    assert list(_progress(range(500), 500)) == list(range(500))
    assert pipe.getvalue() == ""  # not a terminal: no bar
