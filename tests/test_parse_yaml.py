"""The front matter loader: the fast path for simple front matter reads what PyYAML reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kizuna import yamlfm
from kizuna.parse import _split

REPO = Path(__file__).resolve().parent.parent

COMMON_KEYS = ["name", "aliases", "Phone Number", "e-mail", "tags", "met", "a", "x y", "日本語"]
ODD_KEYS = ['"quoted key"', "'true'", "true", "null", "2026-01-01", "2026-02-30", "'2026-01-01'",
            '""', "~", "FALSE", "Null", "-k", "k:v", "k#", "[k]",
            "? k", "*a", "&a k", "k ", "Ｋ"]
KEYS = st.one_of(st.sampled_from(COMMON_KEYS), st.sampled_from(COMMON_KEYS),
                 st.sampled_from(COMMON_KEYS), st.sampled_from(ODD_KEYS))
COMMON_TOKENS = ["Aiko", "田中 愛子", "0123", "+49151", "no", "true", "null", "2026-11-20",
                 "2026-02-30", "a, b", "[a, b]", "[]", '"x y"', "'x, y'", "", "https://x.y/a#b",
                 '{linkedin: "https://x.example/in/a"}', "{a: b, c: 2026-01-01}", "{}",
                 "{true: x, 'k': [y]}", "{a: b,}", "{a:b}", "{ a : b }", "{a: https://x}"]
ODD_TOKENS = st.sampled_from([
    "Aiko", "田中 愛子", "0123", "+49151", "no", "yes", "on", "1.50", "true", "False", "null", "~",
    "2026-11-20", "2026-02-30", "2026-11-20T10:00", "https://x.example/a?b=c#d", "a: b", "a:b",
    "a #b", "a#b", "[[Acme]]", '"[[Acme|A]]"', "'it''s'", '"say \\"hi\\""', "'x, y'", '"x, y"',
    "{{date}}", "<% tp.date %>", "a, b", "[a, b]", "[a, [b]]", "[]", "[ a ,b, ]", "&x a", "*x",
    "!!int 3", "|", ">", "- a", "-1", "--04-01", "%x", "@x", "`x`", "a:", ":a", "?a", "",
    "x\ty", "x\u2028y", "\ufeffx", "x\x07", "'unclosed", '"tab\there"', "a  b", "Ｘ", "ｶﾀｶﾅ",
])
TOKENS = st.one_of(st.sampled_from(COMMON_TOKENS), st.sampled_from(COMMON_TOKENS), ODD_TOKENS)
INDENTS = st.sampled_from(["", " ", "  ", "    "])


@st.composite
def front_matters(draw, keys=KEYS, tokens=TOKENS) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        key = draw(keys)
        if draw(st.integers(0, 4)) == 0:  # a block list
            lines.append(f"{key}:")
            indent = draw(INDENTS)
            for _ in range(draw(st.integers(0, 3))):
                item_indent = indent if draw(st.integers(0, 5)) else draw(INDENTS)
                lines.append(f"{item_indent}- {draw(tokens)}")
        else:
            spaces = draw(st.sampled_from([" ", "  ", ""]))
            spaces = " " if draw(st.integers(0, 5)) else spaces
            ending = draw(st.sampled_from(["", "", "", " ", " # c"]))
            lines.append(f"{key}:{spaces}{draw(tokens)}{ending}")
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(["# comment", "", "  # indented", "   "])))
    return "\n".join(lines)


SIMPLE = front_matters(st.sampled_from(COMMON_KEYS), st.sampled_from(COMMON_TOKENS))


def slow(text: str) -> yamlfm.Loaded | str:
    try:
        return yamlfm.load_with_pyyaml(text)
    except (yaml.YAMLError, ValueError) as exc:
        return type(exc).__name__


@settings(max_examples=400, deadline=None)
@given(front_matters())
def test_the_fast_path_reads_what_pyyaml_reads(text):
    fast = yamlfm._simple_mapping(text)
    if fast is None:
        return  # PyYAML decides
    assert fast == slow(text), text


@settings(max_examples=300, deadline=None)
@given(SIMPLE)
def test_simple_front_matter_reads_alike_both_ways(text):
    fast = yamlfm._simple_mapping(text)
    assert fast is None or fast == slow(text), text


@pytest.mark.parametrize("text", [
    "name: Aiko\naliases: [Aiko, 田中 愛子]\nphone: 0123456\nzip: 01234\nok: no\nmet: 2024-05-12",
    "tags:\n  - person\n  - work\nemail:\n- a@x\n- b@x\nempty:\nafter: x",
    'introduced_by: "[[Kenji Sato]]"\ncompany: \'Acme, Inc.\'\nlinks: [https://a.example]',
    "# a comment\nname: x # not a comment? yes it is\n",
])
def test_common_front_matter_takes_the_fast_path_or_agrees(text):
    fast = yamlfm._simple_mapping(text)
    assert fast is None or fast == slow(text)


def test_typical_obsidian_front_matter_takes_the_fast_path():
    text = ("name: Aiko Tanaka\naliases:\n  - Aiko\n  - 田中 愛子\ntier: key\n"
            'phone: "+81 90 1234 5678"\ncircles: [ex-colleagues, study group]\nmet: 2024-05-12\n'
            "title: Head of Learning, Example Corp\nbirthday: 1990-04-01\n")
    assert yamlfm._simple_mapping(text) is not None


def test_every_front_matter_in_the_sample_vault_reads_alike_both_ways():
    checked = 0
    for path in sorted((REPO / "sample-vault").rglob("*.md")):
        doc = _split(path.read_text(encoding="utf-8-sig"))
        if not doc.has_front_matter:
            continue
        fast = yamlfm._simple_mapping(doc.front_matter)
        if fast is not None:
            assert fast == slow(doc.front_matter), path
            checked += 1
    assert checked >= 10
