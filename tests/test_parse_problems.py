"""Problems of §3.5 found while parsing one note, and a parser that never raises."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.config import Config

ALIAS_BOMB = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
) + "---\n"


def only(note):
    assert len(note.problems) == 1, note.problems
    return note.problems[0]


def test_non_utf8_is_an_error_with_the_line_of_the_bad_byte(parse):
    note = parse(b"---\nname: Jos\xe9\n---\n")
    problem = only(note)
    assert note.contact is None
    assert (problem.severity, problem.line) == ("error", 2)
    assert "not UTF-8" in problem.message


def test_yaml_that_does_not_parse_is_an_error_with_its_line(parse):
    note = parse("---\nname: Aiko\ntier: [key\nemail: a@b.c\n---\nbody\n")
    problem = only(note)
    assert note.contact is None
    assert problem.severity == "error" and problem.line in (3, 4, 5)
    assert "not valid YAML" in problem.message


def test_an_unclosed_front_matter_is_an_error_and_the_note_stays(parse):
    note = parse("---\nname: Aiko\nemail: a@b.c\n\nSome text.\n", path="people/Aiko T.md")
    problem = only(note)
    assert (problem.severity, problem.line) == ("error", 1) and "never closed" in problem.message
    assert note.contact.name == "Aiko T"


def test_yaml_indentation_error_line(parse):
    problem = only(parse("---\nname: Aiko\n  bad: indent\n---\n"))
    assert problem.line == 3


@pytest.mark.parametrize(("front", "what"), [
    ("- a\n- b", "a list"), ("just a sentence", "text"), ("2026-01-01", "date"),
    ("true", "bool"),
])
def test_front_matter_that_is_not_a_mapping_is_an_error(parse, front, what):
    note = parse(f"---\n{front}\n---\n")
    problem = only(note)
    assert note.contact is None
    assert problem.line == 2 and problem.message.endswith(f"not {what}")


@pytest.mark.parametrize("placeholder", ["{{date}}", "{{title}}", "<% tp.date.now() %>",
                                         '"{{date:YYYY-MM-DD}}"', "<%* tR += 'x' %>"])
def test_an_unfilled_placeholder_in_a_people_note_says_so(parse, placeholder):
    note = parse(f"---\nname: Someone\nmet: {placeholder}\n---\n")
    problem = only(note)
    assert note.contact is None
    assert (problem.severity, problem.line) == ("error", 3)
    assert "placeholder" in problem.message


def test_a_placeholder_is_found_before_yaml_sees_it(parse):
    # `{{date}}` is a YAML flow mapping with an unhashable key: YAML alone would baffle.
    problem = only(parse("---\ncreated: {{date}}\n---\n"))
    assert "placeholder" in problem.message and "YAML" not in problem.message


def test_a_placeholder_in_a_note_marked_as_a_person_outside_people(parse):
    note = parse('---\ntags: [person]\nname: "{{title}}"\n---\n', path="Areas/tpl.md")
    assert note.contact is None and "placeholder" in only(note).message


def test_a_broken_placeholder_note_outside_people_hints_at_it(parse):
    note = parse("---\ndate: {{date}}\n---\n", path="Meta/Daily template.md")
    problem = only(note)
    assert "YAML" in problem.message and "placeholder" in problem.message


def test_braces_in_a_people_note_body_are_just_text(parse):
    # a template is told by its front matter; a log may quote `{{ anything }}`
    note = parse("---\nname: Sam\n---\n## Log\n- 2026-01-01 call: {{ today }} <% x %>\n")
    assert note.problems == ()
    assert note.contact.log[0].text == "{{ today }} <% x %>"


@pytest.mark.parametrize(("key", "line"), [("true", 3), ("2026-01-01", 3), ("null", 3),
                                           ("[a, b]", 3), ("? {x: 1}\n", 3)])
def test_a_key_that_is_not_text_is_an_error_and_the_rest_is_kept(parse, key, line):
    text = f"---\nname: Aiko\n{key}: value\nemail: a@b.c\n---\n"
    if key.startswith("?"):
        text = "---\nname: Aiko\n? {x: 1}\n: value\nemail: a@b.c\n---\n"
    note = parse(text)
    problem = only(note)
    assert (problem.severity, problem.line) == ("error", line)
    assert "not text" in problem.message
    assert note.contact.name == "Aiko" and note.contact.emails == ("a@b.c",)


def test_a_file_over_one_mebibyte_is_an_error(parse):
    note = parse("---\nname: Big\n---\n" + "x" * (1024 * 1024))
    problem = only(note)
    assert note.contact is None and "1 MiB" in problem.message


def test_an_alias_bomb_is_an_error_not_a_hang(parse):
    started = time.perf_counter()
    note = parse(ALIAS_BOMB)
    assert time.perf_counter() - started < 2
    problem = only(note)
    assert note.contact is None and "alias bomb" in problem.message and problem.line == 1


def test_a_self_referencing_alias_is_an_error(parse):
    note = parse("---\na: &a [*a]\n---\n")
    assert note.contact is None and only(note).severity == "error"


@pytest.mark.parametrize("front", ["a: " + "[" * 200_000, "a: " + "[" * 100_000 + "]" * 100_000,
                                   "- " * 100_000 + "x", "? " * 100_000 + "x",
                                   "a: " + "{a: " * 50_000])
def test_deep_nesting_is_an_error_not_a_crash(parse, front):
    # libyaml overflows the C stack (a segfault) on these without our guard
    note = parse(f"---\n{front}\n---\n")
    assert note.contact is None and only(note).severity == "error"


def test_moderate_nesting_still_loads(parse):
    nested = "[" * 60 + "]" * 60 + ", " + "{a: " * 30 + "1" + "}" * 30
    blocks = "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "- - - x\n"
    note = parse(f"---\nthing: [{nested}]\ndeep:\n{blocks}email: a@b.c\n---\n")
    assert note.problems == () and note.contact.emails == ("a@b.c",)


@pytest.mark.parametrize("front", ["x: " + "[" * 150 + "]" * 150,
                                   "x:\n" + " " * 120 + "y: 1",
                                   "- " * 120 + "x"])
def test_nesting_past_one_hundred_levels_is_an_error(parse, front):
    note = parse(f"---\n{front}\n---\n")
    assert note.contact is None and "nests more than 100 levels" in only(note).message


def test_an_empty_people_note_is_a_contact_named_after_its_file(parse):
    note = parse(b"", path="people/Empty.md")
    assert note.contact.name == "Empty" and note.problems == ()


def test_problems_carry_the_vault_relative_path(parse):
    note = parse("---\nmet: soon\n---\n", path="people/sub/田中.md")
    assert only(note).path == "people/sub/田中.md"
    assert str(only(note)).startswith("people/sub/田中.md:2: error: met: ")


# --- never raises --------------------------------------------------------------------------

FRONTS = st.sampled_from(["", "---\n", "---\nname: x\n---\n", "\ufeff---\ntags: [person]\n",
                          "---\r\n", "---\n- a\n---\n", "---\ndate: 2026-01-01\n---\n"])
MARKDOWNISH = st.lists(
    st.sampled_from([*"-*+[]#:>`~!|{}%<()\n \t\r\\x0123456789aZ田←→\ufeff✅📅",
                     "[[", "]]", "::", "## Log\n", "- 2026-01-01 ", "- [ ] ", "- [x] ",
                     "&a ", "*a ", "{{", "}}", "```", "\n---\n", "<-", "coffee:", "#call"]),
    max_size=120,
).map("".join)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=st.text(max_size=300), in_people=st.booleans())
def test_parse_never_raises_on_arbitrary_text(parse, text, in_people):
    note = parse(text, path="people/x.md" if in_people else "notes/2026-01-01 x.md")
    assert note.path.endswith("x.md")


@SETTINGS
@given(front=FRONTS, body=MARKDOWNISH, in_people=st.booleans())
def test_parse_never_raises_on_markdown_like_text(parse, front, body, in_people):
    note = parse(front + body, path="people/x.md" if in_people else "Daily/2026-01-01.md")
    for problem in note.problems:
        assert problem.severity in ("error", "warning") and problem.message


@SETTINGS
@given(front=FRONTS, raw=st.binary(max_size=300))
def test_parse_never_raises_on_arbitrary_bytes(parse, front, raw):
    for in_people in (True, False):
        parse(front.encode() + raw, path="people/x.md", in_people=in_people)


@SETTINGS
@given(yaml_text=st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!?|>'\"#,\n 0129")),
                         max_size=120))
def test_parse_never_raises_on_arbitrary_front_matter(parse, yaml_text):
    parse(f"---\n{yaml_text}\n---\n## Log\n- 2026-01-01 call: x\n", config=Config())
