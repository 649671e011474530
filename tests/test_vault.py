"""Finding the vault, the files kizuna reads, and reading them (DESIGN §2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kizuna.vault import Vault, VaultNotFound, find_vault, glob_to_regex


def test_an_explicit_vault_wins_over_the_environment_and_the_folder(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (b / "kizuna.toml").write_text("")
    monkeypatch.setenv("KIZUNA_VAULT", str(b))
    assert find_vault(a, cwd=b) == a.resolve()
    assert find_vault(None, cwd=a) == b.resolve()


def test_the_vault_is_the_nearest_folder_at_or_above_holding_kizuna_toml(tmp_path, monkeypatch):
    monkeypatch.delenv("KIZUNA_VAULT", raising=False)
    (tmp_path / "kizuna.toml").write_text("")
    deep = tmp_path / "people" / "work"
    deep.mkdir(parents=True)
    assert find_vault(None, cwd=deep) == tmp_path.resolve()
    assert find_vault(None, cwd=tmp_path) == tmp_path.resolve()
    inner = deep / "nested"
    inner.mkdir()
    (inner / "kizuna.toml").write_text("")
    assert find_vault(None, cwd=inner) == inner.resolve()


def test_no_vault_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.delenv("KIZUNA_VAULT", raising=False)
    with pytest.raises(VaultNotFound, match="kizuna init"):
        find_vault(None, cwd=tmp_path)
    with pytest.raises(VaultNotFound, match="not found"):
        find_vault(tmp_path / "missing", cwd=tmp_path)


@pytest.mark.parametrize(("pattern", "matches", "misses"), [
    ("**/Templates/**", ["Templates/a.md", "x/Templates/a.md", "x/y/Templates/z/a.md"],
     ["templates/a.md", "MyTemplates/a.md", "Templates.md"]),
    ("*.tmp.md", ["a.tmp.md", "x/y/a.tmp.md"], ["a.md", "tmp.md"]),
    ("Archive/**", ["Archive/a.md", "Archive/x/a.md"], ["x/Archive/a.md", "Archived/a.md"]),
    ("drafts/", ["drafts/a.md", "x/drafts/a.md"], ["drafts.md"]),
    ("/Inbox/*.md", ["Inbox/a.md"], ["Inbox/x/a.md", "x/Inbox/a.md"]),
    ("people/**/old-*.md", ["people/old-a.md", "people/x/y/old-b.md"], ["people/a.md"]),
    ("a?c.md", ["abc.md", "x/a1c.md"], ["a/c.md", "ac.md"]),
    ("a+b (1).md", ["a+b (1).md"], ["aab (1).md"]),
])
def test_ignore_globs_are_gitignore_style(pattern, matches, misses):
    regex = glob_to_regex(pattern)
    for path in matches:
        assert regex.match(path), (pattern, path)
    for path in misses:
        assert not regex.match(path), (pattern, path)


def test_several_ignore_globs_ignore_what_any_one_of_them_does(tmp_path):
    globs = ["**/Templates/**", "*.tmp.md", "Archive/**", "drafts/", "/Inbox/*.md", "a?c.md"]
    paths = ["Templates/a.md", "x/a.tmp.md", "Archive/x/a.md", "x/Archive/a.md", "x/drafts/a.md",
             "drafts.md", "Inbox/a.md", "x/Inbox/a.md", "abc.md", "a/c.md", "people/Aiko.md"]
    quoted = ", ".join(f'"{g}"' for g in globs)
    vault = make(tmp_path, [], f"ignore = [{quoted}]\n")
    for path in paths:
        assert vault.is_ignored(path) == any(glob_to_regex(g).match(path) for g in globs), path
    none = make(tmp_path, [], "ignore = []\n")
    assert not any(none.is_ignored(path) for path in paths)


def make(root: Path, files: list[str], config: str = "") -> Vault:
    (root / "kizuna.toml").write_text(config, encoding="utf-8")
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\nname: x\n---\n", encoding="utf-8")
    return Vault.open(root)


def test_note_paths_skip_templates_dot_and_underscore_names_the_output_and_state(tmp_path):
    vault = make(tmp_path, [
        "people/Aiko.md", "people/work/Ken.md", "people/Templates/Person.md",
        "templates/Daily.md", "Meta/Templates/x.md", "people/.hidden.md", "people/_draft.md",
        "_archive/Old.md", ".obsidian/x.md", ".kizuna/templates/contact.md", "Kizuna/Dashboard.md",
        "Daily/2026-11-20.md", "me.md", "reading-list.md", "sub/me.md", "people/notes.txt",
        "people/Upper.MD",
    ])
    assert vault.note_paths() == ["Daily/2026-11-20.md", "people/Aiko.md", "people/Upper.MD",
                                  "people/work/Ken.md", "sub/me.md"]


def test_the_output_folder_may_be_nested_and_is_never_read(tmp_path):
    vault = make(tmp_path, ["Gen/Kizuna/To reach out.md", "Gen/other.md", "Kizuna/x.md"],
                 'output = "Gen/Kizuna"\n')
    assert vault.note_paths() == ["Gen/other.md", "Kizuna/x.md"]
    assert vault.is_ignored("Gen/Kizuna/To reach out.md")
    assert not vault.is_ignored("Gen/Kizunaother.md")


def test_custom_ignore_globs_apply_to_every_file(tmp_path):
    vault = make(tmp_path, ["people/a.md", "people/archive/b.md", "Daily/2020-01-01.md"],
                 'ignore = ["people/archive/", "Daily/2020-*"]\n')
    assert vault.note_paths() == ["people/a.md"]


def test_people_folders_may_be_a_list(tmp_path):
    vault = make(tmp_path, ["people/a.md", "clients/b.md", "other/c.md", "peoplex/d.md"],
                 'people = ["people", "clients"]\n')
    assert [p for p in vault.note_paths() if vault.in_people(p)] == ["clients/b.md",
                                                                     "people/a.md"]
    assert [n.contact is not None for n in vault.read_all()] == [True, False, True, False]


def test_people_may_be_the_whole_vault(tmp_path):
    vault = make(tmp_path, ["a.md", "x/b.md"], 'people = "."\n')
    assert all(vault.in_people(p) for p in vault.note_paths())


def test_read_note_parses_with_the_people_folder_in_mind(tmp_path):
    vault = make(tmp_path, ["people/Aiko.md", "Projects/Aiko.md"])
    assert vault.read_note("people/Aiko.md").contact is not None
    assert vault.read_note("Projects/Aiko.md").contact is None


def test_an_unreadable_file_is_a_problem_not_an_exception(tmp_path):
    vault = make(tmp_path, [])
    (tmp_path / "people").mkdir()
    os.symlink("missing.md", tmp_path / "people" / "dangling.md")
    os.symlink("b.md", tmp_path / "people" / "a.md")
    os.symlink("a.md", tmp_path / "people" / "b.md")
    os.mkfifo(tmp_path / "people" / "pipe.md")  # reading it would hang
    notes = {n.path: n for n in vault.read_all()}
    assert sorted(notes) == ["people/a.md", "people/b.md", "people/dangling.md", "people/pipe.md"]
    for note in notes.values():
        (problem,) = note.problems
        assert note.contact is None and problem.severity == "error"
    assert "cannot read" in notes["people/dangling.md"].problems[0].message
    assert "not a regular file" in notes["people/pipe.md"].problems[0].message


def test_a_big_file_is_not_read_whole(tmp_path):
    vault = make(tmp_path, [])
    big = tmp_path / "people" / "big.md"
    big.parent.mkdir()
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    (problem,) = vault.read_note("people/big.md").problems
    assert "over the 1 MiB limit (50.0 MiB)" in problem.message


def test_symlinked_folders_are_followed_but_loops_are_not(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "Mei.md").write_text("---\nemail: m@x\n---\n")
    vault_root = tmp_path / "vault"
    vault_root.mkdir()
    vault = make(vault_root, ["people/Aiko.md"])
    os.symlink(shared, vault_root / "people" / "friends")
    os.symlink(vault_root / "people", vault_root / "people" / "loop")
    os.symlink(vault_root, vault_root / "people" / "root")
    os.symlink("..", shared / "up")  # above the vault, through the followed link: a loop
    notes = {n.path: n for n in vault.read_all()}
    assert notes["people/friends/Mei.md"].contact.emails == ("m@x",)
    loops = sorted(p for p, n in notes.items() if n.problems)
    assert "people/loop" in loops and "people/root" in loops
    assert all(notes[p].problems[0].severity == "warning" for p in loops)
    assert len(notes) < 50


def test_two_symlinks_pointing_at_each_other_terminate(tmp_path):
    vault = make(tmp_path, ["a/x.md", "b/y.md"])
    os.symlink(tmp_path / "b", tmp_path / "a" / "to-b")
    os.symlink(tmp_path / "a", tmp_path / "b" / "to-a")
    paths = vault.note_paths()
    assert "a/x.md" in paths and "b/y.md" in paths and len(paths) < 10
