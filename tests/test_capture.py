"""add, log, promise and done through the real CLI: exact bytes of the one note they
edit, every other file byte-identical, errors as one line with the right exit code."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import MakeVault, snapshot

from kizuna import edit
from kizuna.vault import Vault

Run = Callable[..., Result]

AIKO = """\
---
name: Aiko Tanaka
aliases: [Aiko]   # from the study group
tier: key
email: aiko@example.com
---
Notes.

## Log
- 2026-01-15 coffee: pilot went live
- 2025-11-02 <- email: asked about UX

## Promises
- [ ] Send Aiko the paper 📅 2026-11-27
- [ ] Read her paper
"""
# A BOM, CRLF, trailing spaces, no log, no promises, no final newline.
KENJI = "\ufeff---\r\nname: 田中 健二\r\nemail: k@x.jp\r\n---\r\nMet at the study group.  ".encode()
FILES: dict[str, str | bytes] = {
    "kizuna.toml": "# my settings\nlimit = 10\n",
    "people/Aiko Tanaka.md": AIKO,
    "people/work/田中 健二.md": KENJI,
    "people/Akira Sato.md": "---\nemail: a@x.jp\n---\n",
    "Daily/2026-11-20.md": "- [ ] Send [[Aiko Tanaka]] the deck\n- coffee with [[Akira Sato]]\n",
    "reading-list.md": "- [A paper](https://example.org) #ai\n",
}


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(FILES)


def changes(root: Path, before: dict[str, bytes]) -> dict[str, bytes]:
    """The files whose bytes differ from the snapshot (new files included)."""
    after = snapshot(root)
    assert set(before) <= set(after), "a file was deleted"
    return {rel: data for rel, data in after.items() if before.get(rel) != data}


def read(root: Path, rel: str) -> str:
    return (root / rel).read_bytes().decode("utf-8")


# --- log --------------------------------------------------------------------------


def test_log_adds_one_line_at_the_top_of_the_log(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    result = run(vault, "log", "aiko", "--kind", "lunch", "talked", "about", "[[Akira Sato]]")
    assert result.exit_code == 0, result.output
    line = "- 2026-11-23 lunch: talked about [[Akira Sato]]\n"
    expected = AIKO.replace("## Log\n", "## Log\n" + line)
    assert changes(vault, before) == {"people/Aiko Tanaka.md": expected.encode()}
    assert result.output == f"people/Aiko Tanaka.md: {line}"


def test_log_keeps_bom_crlf_and_missing_final_newline(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    result = run(vault, "log", "田中", "--inbound", "--date", "2026-11-20", "mail:", "会いたい")
    assert result.exit_code == 0, result.output
    expected = KENJI + "\r\n\r\n## Log\r\n- 2026-11-20 <- mail: 会いたい".encode()
    assert changes(vault, before) == {"people/work/田中 健二.md": expected}


def test_log_is_read_back_as_an_interaction(vault: Path, run: Run) -> None:
    assert run(vault, "log", "Akira", "-k", "call", "about the offsite").exit_code == 0
    contact = Vault.open(vault).read_note("people/Akira Sato.md").contact
    assert contact is not None
    assert [(i.date.isoformat(), i.kind, i.inbound, i.text) for i in contact.log] == \
        [("2026-11-23", "call", False, "about the offsite")]


def test_name_resolution_is_case_and_width_blind(vault: Path, run: Run) -> None:
    assert run(vault, "log", "ＡＩＫＯ tanaka", "hi").exit_code == 0
    assert "- 2026-11-23 hi\n" in read(vault, "people/Aiko Tanaka.md")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["log", "Nobody", "hi"], 1, "no contact named 'Nobody'"),
    (["log", "A", "hi"], 1, "ambiguous: Aiko Tanaka (people/Aiko Tanaka.md), Akira Sato"),
    (["log", "Aiko", "--kind", "two words", "hi"], 2, "--kind 'two words'"),
    (["log", "Aiko", "--date", "2026-02-30", "hi"], 2, "not a date"),
    (["log", "Aiko"], 2, "Missing argument"),
    (["promise", "Aiko", " \n "], 2, "TEXT is empty"),
    (["promise", "Aiko", "x", "--due", "soon"], 2, "not a date"),
    (["done", "Aiko", "nothing like it"], 1, "no open promise to Aiko Tanaka matches"),
    (["done", "Akira", "x"], 1, "no open promise to Akira Sato"),
    (["done", "Aiko", "paper"], 1, "'paper' matches 2 open promises to Aiko Tanaka"),
    (["add", "Aiko", "--tier", "vip"], 2, "--tier 'vip': not a tier (tiers: inner, key"),
])
def test_errors_are_one_line_and_write_nothing(
    vault: Path, run: Run, args: list[str], code: int, message: str,
) -> None:
    before = snapshot(vault)
    result = run(vault, *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert changes(vault, before) == {}


# --- promise ----------------------------------------------------------------------


def test_promise_goes_last_under_promises(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    result = run(vault, "promise", "Aiko", "intro", "to", "[[Akira Sato]]", "--due", "2026-12-01")
    assert result.exit_code == 0, result.output
    expected = AIKO + "- [ ] intro to [[Akira Sato]] 📅 2026-12-01\n"
    assert changes(vault, before) == {"people/Aiko Tanaka.md": expected.encode()}


def test_promise_makes_the_section_when_missing(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    assert run(vault, "promise", "田中 健二", "紹介する").exit_code == 0
    expected = KENJI + "\r\n\r\n## Promises\r\n- [ ] 紹介する".encode()
    assert changes(vault, before) == {"people/work/田中 健二.md": expected}
    contact = Vault.open(vault).read_note("people/work/田中 健二.md").contact
    assert contact is not None
    assert [(p.text, p.status) for p in contact.promises] == [("紹介する", "open")]


# --- done -------------------------------------------------------------------------


def test_done_flips_the_one_mark_and_dates_it(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    result = run(vault, "done", "Aiko", "HER PAPER")
    assert result.exit_code == 0, result.output
    expected = AIKO.replace("- [ ] Read her paper", "- [x] Read her paper ✅ 2026-11-23")
    assert changes(vault, before) == {"people/Aiko Tanaka.md": expected.encode()}
    assert result.output == "people/Aiko Tanaka.md:15: [x] Read her paper ✅ 2026-11-23\n"


def test_done_edits_a_promise_written_in_another_note(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    assert run(vault, "done", "Aiko", "deck").exit_code == 0
    expected = FILES["Daily/2026-11-20.md"].replace(  # type: ignore[union-attr]
        "- [ ] Send [[Aiko Tanaka]] the deck", "- [x] Send [[Aiko Tanaka]] the deck ✅ 2026-11-23")
    assert changes(vault, before) == {"Daily/2026-11-20.md": expected.encode()}


def test_done_prefers_the_one_exact_match(make_vault: MakeVault, run: Run) -> None:
    root = make_vault({"people/Bo.md": "- [ ] Call back\n- [ ] call\n"})
    assert run(root, "done", "Bo", "Call").exit_code == 0
    assert read(root, "people/Bo.md") == "- [ ] Call back\n- [x] call ✅ 2026-11-23\n"


def test_done_lists_the_candidates_when_ambiguous(vault: Path, run: Run) -> None:
    result = run(vault, "done", "Aiko", "paper")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "'Send Aiko the paper' (people/Aiko Tanaka.md:14)" in result.output
    assert "'Read her paper' (people/Aiko Tanaka.md:15)" in result.output


# --- add --------------------------------------------------------------------------


def test_add_writes_a_note_from_the_contact_template(vault: Path, run: Run) -> None:
    before = snapshot(vault)
    result = run(vault, "add", "Mia", "Chen", "--tier", "key", "-c", "ai", "-c", "running club",
                 "--email", "mia@example.com", "--met", "2026-11-02", "--met-context", "PyCon")
    assert result.exit_code == 0, result.output
    assert result.output == "Added Mia Chen: people/Mia Chen.md\n"
    assert changes(vault, before) == {"people/Mia Chen.md": (
        b"---\ntier: key\ncircles: [ai, running club]\nemail: mia@example.com\nmet: 2026-11-02\n"
        b"met_context: PyCon\n---\n\n## Log\n")}
    contact = Vault.open(vault).read_note("people/Mia Chen.md").contact
    assert contact is not None
    assert (contact.name, contact.tier, contact.circles, contact.met_context) == \
        ("Mia Chen", "key", ("ai", "running club"), "PyCon")


def test_add_then_log_fills_the_template_log(vault: Path, run: Run) -> None:
    assert run(vault, "add", "Mia Chen").exit_code == 0
    assert run(vault, "log", "mia", "coffee: first chat").exit_code == 0
    assert read(vault, "people/Mia Chen.md") == "## Log\n- 2026-11-23 coffee: first chat\n"


def test_add_keeps_japanese_names_as_they_are(vault: Path, run: Run) -> None:
    result = run(vault, "add", "佐藤\u3000美咲")
    assert result.exit_code == 0, result.output
    assert (vault / "people" / "佐藤\u3000美咲.md").is_file()


@pytest.mark.parametrize(("name", "stem"), [
    ("../../etc/passwd", "etc passwd"),
    (".hidden", "hidden"),
    ("a\x00b\x1bc\td", "a b c d"),
    ("Dr. Who?", "Dr. Who"),
    ("Con", "Con_"),
    ("x" * 300, "x" * 200),
    ("名" * 100, "名" * 66),  # 3 bytes each: within 200 bytes
])
def test_add_makes_file_names_safe(vault: Path, run: Run, name: str, stem: str) -> None:
    before = snapshot(vault)
    result = run(vault, "add", name)
    assert result.exit_code == 0, result.output
    (rel,) = changes(vault, before)
    assert rel == f"people/{stem}.md"
    contact = Vault.open(vault).read_note(rel).contact
    assert contact is not None
    assert contact.name == edit.one_line(name)  # the name as given, kept in `name:`


@pytest.mark.parametrize("name", ["aiko tanaka", "ＡＩＫＯ", "Aiko", "akira sato", "田中　健二"])
def test_add_refuses_a_name_or_alias_that_exists(vault: Path, run: Run, name: str) -> None:
    before = snapshot(vault)
    result = run(vault, "add", name)
    assert result.exit_code == 1
    assert "is already in the vault" in result.output
    assert changes(vault, before) == {}


def test_add_refuses_an_existing_file(make_vault: MakeVault, run: Run) -> None:
    root = make_vault({"people/Bo.md": "---\n: [unreadable\n---\n"})  # a file, but no contact
    before = snapshot(root)
    result = run(root, "add", "Bo")
    assert result.exit_code == 1
    assert "people/Bo.md exists already; nothing written" in result.output
    assert changes(root, before) == {}


def test_add_uses_the_vaults_template(vault: Path, run: Run) -> None:
    (vault / ".kizuna/templates").mkdir(parents=True)
    (vault / ".kizuna/templates/contact.md").write_text(
        "---\n{% for k, v in fields.items() %}{{ k }}: {{ v | yaml }}\n{% endfor %}type: person\n"
        "---\n# {{ fields.get('name', '') }}\n\n## Interactions\n", encoding="utf-8")
    assert run(vault, "add", "Mo/Ali", "--email", "m@x.io").exit_code == 0
    assert read(vault, "people/Mo Ali.md") == \
        "---\nname: Mo/Ali\nemail: m@x.io\ntype: person\n---\n# Mo/Ali\n\n## Interactions\n"


def test_add_refuses_a_template_that_makes_an_unreadable_note(vault: Path, run: Run) -> None:
    (vault / ".kizuna/templates").mkdir(parents=True)
    (vault / ".kizuna/templates/contact.md").write_text("---\nname: [oops\n---\n", encoding="utf-8")
    before = snapshot(vault)
    result = run(vault, "add", "Mia")
    assert result.exit_code == 1
    assert "the contact template made a note kizuna cannot read" in result.output
    assert changes(vault, before) == {}


# --- safety -----------------------------------------------------------------------


@pytest.mark.parametrize(("args", "function"), [
    (["log", "Aiko", "hi"], "add_log_entry"),
    (["promise", "Aiko", "x"], "add_promise"),
    (["done", "Aiko", "read her"], "mark_done"),
])
def test_a_note_saved_meanwhile_is_not_overwritten(
    vault: Path, run: Run, monkeypatch: pytest.MonkeyPatch, args: list[str], function: str,
) -> None:
    """An editor saves the note while kizuna computes its edit: kizuna writes nothing."""
    note = vault / "people/Aiko Tanaka.md"
    theirs = AIKO.replace("Notes.", "Notes, saved in the editor.").encode()
    original = getattr(edit, function)

    def edit_while_someone_saves(raw: bytes, *rest: object) -> bytes:
        note.write_bytes(theirs)
        return original(raw, *rest)  # type: ignore[no-any-return]

    monkeypatch.setattr(edit, function, edit_while_someone_saves)
    before = snapshot(vault)
    result = run(vault, *args)
    assert result.exit_code == 1
    assert result.output == ("kizuna: people/Aiko Tanaka.md changed on disk while kizuna was "
                             "editing it; nothing written (run the command again)\n")
    assert changes(vault, before) == {"people/Aiko Tanaka.md": theirs}


def test_an_edit_replaces_the_file_atomically_and_keeps_its_mode(vault: Path, run: Run) -> None:
    note = vault / "people/Aiko Tanaka.md"
    note.chmod(0o640)
    inode = note.stat().st_ino
    before = snapshot(vault)
    assert run(vault, "log", "Aiko", "hi").exit_code == 0
    assert note.stat().st_ino != inode  # a new file renamed over the old: never half-written
    assert note.stat().st_mode & 0o777 == 0o640
    assert set(changes(vault, before)) == {"people/Aiko Tanaka.md"}  # no temporary file left


def test_an_edit_writes_through_a_symlink(make_vault: MakeVault, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "Bo.md"
    target.parent.mkdir()
    target.write_text("## Log\n", encoding="utf-8")
    root = make_vault({})
    (root / "people").mkdir()
    os.symlink(target, root / "people/Bo.md")
    assert run(root, "log", "Bo", "hi").exit_code == 0
    assert (root / "people/Bo.md").is_symlink()
    assert target.read_text(encoding="utf-8") == "## Log\n- 2026-11-23 hi\n"


def test_add_makes_a_file_others_can_read_as_usual(vault: Path, run: Run) -> None:
    mask = os.umask(0o022)
    try:
        assert run(vault, "add", "Mia").exit_code == 0
    finally:
        os.umask(mask)
    assert (vault / "people/Mia.md").stat().st_mode & 0o777 == 0o644
