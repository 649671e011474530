"""The note cache in .kizuna/: a pure speed-up, never trusted, never a crash."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeVault, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna import cache
from kizuna.cache import Progress, cache_path, load_notes, read_cache
from kizuna.index import Index
from kizuna.model import Note
from kizuna.vault import Vault

AIKO = """---
name: Aiko Tanaka
aliases: [Aiko, 田中 愛子]
tier: key
email: aiko@example.com
---
## Log
- 2026-11-20 coffee: Her pilot went live; she needs data engineers.
- 2026-11-18 <- email: Asked about [[Kenji Sato]].
- [ ] Send her the paper 📅 2026-11-27
"""
KENJI = "---\nname: Kenji Sato\nphone: '0123456'\n---\n## Log\n- 2026-01-02 call: New year.\n"
FILES: dict[str, str | bytes] = {
    "people/Aiko Tanaka.md": AIKO,
    "people/work/Kenji Sato.md": KENJI,
    "people/Broken.md": "---\nname: [unclosed\n---\n",
    "people/Latin1.md": b"---\nname: Andr\xe9\n---\n",
    "Daily/2026-11-20.md": "- lunch: with [[Aiko]] #lunch\n- [ ] call [[Kenji Sato]]\n",
}


@pytest.fixture(autouse=True)
def cache_small_fresh_vaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test vaults are small and seconds old: cache them anyway (two tests check the guards)."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))
    monkeypatch.setattr(cache, "MIN_NOTES", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths Vault.read_note really parses, in order (it still does the work)."""
    seen: list[str] = []
    real = Vault.read_note

    def spy(self: Vault, rel: str) -> Note:
        seen.append(rel)
        return real(self, rel)

    monkeypatch.setattr(Vault, "read_note", spy)
    return seen


def cold(root: Path) -> list[Note]:
    return Vault.open(root).read_all()


def load(root: Path) -> list[Note]:
    return load_notes(Vault.open(root), progress=io.StringIO())


def test_a_warm_load_reads_nothing_and_equals_a_cold_one(
        make_vault: MakeVault, reads: list[str]) -> None:
    root = make_vault(FILES)
    first = load(root)
    assert sorted(reads) == sorted(p for p in FILES)
    reads.clear()
    second = load(root)
    assert reads == []
    assert second == first == cold(root)
    config = Vault.open(root).config
    warm, fresh = Index(second, config), Index(cold(root), config)
    assert warm.contacts == fresh.contacts and warm.problems == fresh.problems
    assert [c.name for c in warm.contacts] == ["Aiko Tanaka", "Kenji Sato"]


def test_an_edit_that_changes_the_size_is_read_again(
        make_vault: MakeVault, reads: list[str]) -> None:
    root = make_vault(FILES)
    load(root)
    reads.clear()
    (root / "people/Aiko Tanaka.md").write_text(AIKO.replace("tier: key", "tier: inner"),
                                                encoding="utf-8")
    notes = load(root)
    assert reads == ["people/Aiko Tanaka.md"]
    assert notes == cold(root)
    aiko = next(n.contact for n in notes if n.path == "people/Aiko Tanaka.md")
    assert aiko is not None and aiko.tier == "inner"


def test_an_edit_that_keeps_the_size_but_changes_the_mtime_is_read_again(
        make_vault: MakeVault, reads: list[str]) -> None:
    root = make_vault(FILES)
    path = root / "people/work/Kenji Sato.md"
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    load(root)
    reads.clear()
    path.write_text(KENJI.replace("New year", "New,year"), encoding="utf-8")
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_001_000_000_000))
    notes = load(root)
    assert reads == ["people/work/Kenji Sato.md"]
    kenji = next(n.contact for n in notes if n.path == "people/work/Kenji Sato.md")
    assert kenji is not None and kenji.log[0].text == "New,year."


def test_a_deleted_file_disappears_from_the_notes_and_the_cache(make_vault: MakeVault) -> None:
    root = make_vault(FILES)
    load(root)
    (root / "people/work/Kenji Sato.md").unlink()
    notes = load(root)
    assert "people/work/Kenji Sato.md" not in [n.path for n in notes]
    assert notes == cold(root)
    vault = Vault.open(root)
    assert "people/work/Kenji Sato.md" not in read_cache(cache_path(vault), cache._header(vault))


def test_a_new_file_is_read_and_added(make_vault: MakeVault, reads: list[str]) -> None:
    root = make_vault(FILES)
    load(root)
    reads.clear()
    make_vault({"people/Mia Chen.md": "---\nname: Mia Chen\n---\n"})
    notes = load(root)
    assert reads == ["people/Mia Chen.md"]
    assert notes == cold(root)


def _cache_bytes(root: Path) -> bytes:
    return cache_path(Vault.open(root)).read_bytes()


def _framed(payload: bytes) -> bytes:
    return cache.MAGIC + cache._FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def _other_version(good: bytes) -> bytes:
    header = (cache.FORMAT + 1, "another kizuna", "settings", (3, 11))
    return _framed(pickle.dumps(header) + pickle.dumps({}))


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda good: b"", id="empty"),
    pytest.param(lambda good: good[: len(good) // 2], id="truncated"),
    pytest.param(lambda good: good[:-1], id="last-byte-missing"),
    pytest.param(lambda good: good + b"\x00", id="trailing-garbage"),
    pytest.param(lambda good: os.urandom(4096), id="random-bytes"),
    pytest.param(lambda good: b"not a cache at all\n", id="text"),
    pytest.param(lambda good: good.replace(b"Aiko", b"Aika"), id="content-edited"),
    pytest.param(lambda good: _framed(pickle.dumps([1, 2])), id="bad-header"),
    pytest.param(lambda good: _framed(pickle.dumps(("not", "ours")) + pickle.dumps({})),
                 id="foreign-header"),
    pytest.param(_other_version, id="other-version"),
])
def test_a_spoilt_cache_is_ignored_and_rebuilt(
        make_vault: MakeVault, reads: list[str], spoil: Callable[[bytes], bytes]) -> None:
    root = make_vault(FILES)
    load(root)
    path = cache_path(Vault.open(root))
    path.write_bytes(spoil(path.read_bytes()))
    reads.clear()
    notes = load(root)
    assert sorted(reads) == sorted(FILES)
    assert notes == cold(root)
    reads.clear()
    assert load(root) == notes and reads == []  # rebuilt: the next load is warm


def test_a_cache_whose_entries_do_not_match_their_paths_is_ignored(
        make_vault: MakeVault, reads: list[str]) -> None:
    root = make_vault(FILES)
    notes = load(root)
    vault = Vault.open(root)
    entries = read_cache(cache_path(vault), cache._header(vault))
    values = list(entries.values())
    swapped = dict(zip(entries, values[1:] + values[:1], strict=True))  # each under another path
    cache.write_cache(cache_path(vault), cache._header(vault), swapped)
    reads.clear()
    assert load(root) == notes
    assert sorted(reads) == sorted(FILES)


class _Planted:
    """A pickle that would make a folder when loaded, if globals were not restricted."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.target),))


def test_a_planted_cache_cannot_run_code(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault(FILES)
    vault = Vault.open(root)
    target = tmp_path / "planted"
    cache_path(vault).parent.mkdir()
    planted = {"people/Aiko Tanaka.md": _Planted(target)}
    cache_path(vault).write_bytes(_framed(pickle.dumps(cache._header(vault))
                                          + pickle.dumps(planted)))
    assert load(root) == cold(root)
    assert not target.exists()


def test_a_changed_config_invalidates_the_cache(make_vault: MakeVault, reads: list[str]) -> None:
    root = make_vault(FILES)
    load(root)
    (root / "kizuna.toml").write_text('log_headings = ["Journal"]\n', encoding="utf-8")
    reads.clear()
    notes = load(root)
    assert sorted(reads) == sorted(FILES)
    assert notes == cold(root)
    aiko = next(n.contact for n in notes if n.path == "people/Aiko Tanaka.md")
    assert aiko is not None and aiko.log == ()


def test_the_cache_writes_only_inside_dot_kizuna(make_vault: MakeVault) -> None:
    root = make_vault(FILES)
    before = snapshot(root)
    load(root)
    (root / "people/Aiko Tanaka.md").write_text(AIKO + "\n", encoding="utf-8")
    before["people/Aiko Tanaka.md"] = (root / "people/Aiko Tanaka.md").read_bytes()
    load(root)
    after = snapshot(root)
    assert sorted(set(after) - set(before)) == [".kizuna/cache.pickle"]
    assert {k: v for k, v in after.items() if not k.startswith(".kizuna/")} == before


def test_an_unchanged_vault_with_a_dangling_link_does_not_rewrite_the_cache(
        make_vault: MakeVault) -> None:
    root = make_vault(FILES)
    (root / "people/Gone.md").symlink_to(root / "people/nowhere.md")
    notes = load(root)
    assert "people/Gone.md" in [n.path for n in notes] and notes == cold(root)
    path = cache_path(Vault.open(root))
    written = path.stat()
    assert load(root) == notes
    again = path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)


def test_a_vault_where_the_cache_cannot_be_written_still_loads(make_vault: MakeVault) -> None:
    root = make_vault(FILES)
    (root / ".kizuna").write_text("a file where the folder should be", encoding="utf-8")
    assert load(root) == cold(root)
    assert load(root) == cold(root)


def test_files_changed_in_the_last_seconds_are_not_cached(
        make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch, reads: list[str]) -> None:
    """A second edit within the clock's granularity could keep size and mtime: re-read them."""
    monkeypatch.setattr(cache, "RACY_NS", 2_000_000_000)
    root = make_vault(FILES)
    load(root)
    reads.clear()
    load(root)
    assert sorted(reads) == sorted(FILES)


def test_a_small_vault_gets_no_cache(
        make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MIN_NOTES", len(FILES) + 1)
    root = make_vault(FILES)
    before = snapshot(root)
    assert load(root) == cold(root)
    assert snapshot(root) == before
    monkeypatch.setattr(cache, "MIN_NOTES", len(FILES))
    load(root)
    assert cache_path(Vault.open(root)).is_file()


def test_the_cli_uses_the_cache_and_gives_the_same_answer(
        make_vault: MakeVault, run: Callable[..., object]) -> None:
    root = make_vault(FILES)
    first = run(root, "check", "--json")
    assert cache_path(Vault.open(root)).is_file()
    second = run(root, "check", "--json")
    assert first.output == second.output  # type: ignore[attr-defined]
    assert first.exit_code == second.exit_code == 1  # type: ignore[attr-defined]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_the_cache_file_never_crashes_or_misleads(
        make_vault: MakeVault, data: st.DataObject) -> None:
    root = make_vault(FILES)
    load(root)
    damage(cache_path(Vault.open(root)), data)
    assert load(root) == cold(root)


def damage(path: Path, data: st.DataObject, start: int = 0) -> None:
    """Change up to four bytes of the file from `start` on, and cut it somewhere after."""
    good = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(start, len(good) - 1))
        good[at] = data.draw(st.integers(0, 255))
    path.write_bytes(bytes(good[:data.draw(st.integers(start, len(good)))]))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_once_reading_is_slow_and_then_clears() -> None:
    terminal = _Terminal()
    progress = Progress(1000, terminal, after=0.0)
    for number in range(1000):
        progress.tick(number)
    progress.done()
    shown = terminal.getvalue()
    assert "\rkizuna: reading notes 0/1,000" in shown
    assert shown.endswith("\r\x1b[K")


def test_progress_prints_nothing_when_stderr_is_not_a_terminal(make_vault: MakeVault) -> None:
    piped = io.StringIO()
    progress = Progress(1000, piped, after=0.0)
    for number in range(1000):
        progress.tick(number)
    progress.done()
    assert piped.getvalue() == ""
    root = make_vault(FILES)
    load_notes(Vault.open(root), progress=piped, progress_after=0.0)
    assert piped.getvalue() == ""


def test_progress_waits_for_the_first_second(make_vault: MakeVault) -> None:
    terminal = _Terminal()
    root = make_vault(FILES)
    load_notes(Vault.open(root), progress=terminal)
    assert terminal.getvalue() == ""  # a quick cold load shows nothing
    cache_path(Vault.open(root)).unlink()
    load_notes(Vault.open(root), progress=terminal, progress_after=0.0)
    assert terminal.getvalue().startswith("\rkizuna: reading notes 0/5")
    terminal.truncate(0)
    terminal.seek(0)
    load_notes(Vault.open(root), progress=terminal, progress_after=0.0)
    assert terminal.getvalue() == ""  # warm: nothing to read, nothing to show


# --- the index's derived tables, cached with the notes ---------------------------------

MORE: dict[str, str | bytes] = {
    **FILES,
    "people/Mei Lin.md": "---\nname: Mei Lin\nemail: mei@example.com\nlast_contact: 2026-10-01\n"
                         "---\n## Log\n- 2026-11-01 call: About [[Aiko]] and [[Kenji Sato]].\n"
                         "- [ ] Intro her to [[Aiko]]\n",
    "Daily/2026-11-21.md": "- met [[Mei Lin]] and [[Nobody]]\n"
                           "- [x] thank [[Mei Lin]] ✅ 2026-11-22\n",
}


@pytest.fixture
def derives(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per full derivation of an index (it still does the work)."""
    seen: list[int] = []
    real = Index._derive

    def spy(self: Index) -> None:
        seen.append(len(self.notes))
        real(self)

    monkeypatch.setattr(Index, "_derive", spy)
    return seen


def index_of(root: Path) -> Index:
    return cache.load_index(Vault.open(root))


def fresh_index(root: Path) -> Index:
    vault = Vault.open(root)
    return Index(vault.read_all(), vault.config)


def test_a_warm_index_is_restored_without_deriving_and_equals_a_fresh_one(
        make_vault: MakeVault, reads: list[str], derives: list[int]) -> None:
    root = make_vault(MORE)
    first = index_of(root)
    assert derives == [len(MORE)]
    reads.clear()
    warm = index_of(root)
    assert reads == [] and derives == [len(MORE)]  # neither read nor derived again
    assert vars(warm) == vars(first) == vars(fresh_index(root))
    mei = warm.find("Mei Lin")[0]
    sources = [(item.kind, item.source) for item in warm.interactions(mei)]
    assert sources == [("last_contact", "people/Mei Lin.md"), ("call", "people/Mei Lin.md"),
                       ("note", "Daily/2026-11-21.md")]  # its own field, its log, a journal
    aiko = warm.find("Aiko")[0]  # an entry in another contact's log links her
    assert "people/Mei Lin.md" in [item.source for item in warm.interactions(aiko)]
    assert [p.source for p in warm.promises(mei)] == ["Daily/2026-11-21.md", "people/Mei Lin.md"]
    assert [p.source for p in warm.promises(aiko)] == ["people/Aiko Tanaka.md"]
    # shared, as in a derived index: a log entry is the one in its contact's note
    assert warm.interactions(mei)[1] is mei.log[0]


def test_after_an_edit_the_index_is_derived_again(
        make_vault: MakeVault, derives: list[int]) -> None:
    root = make_vault(MORE)
    index_of(root)
    (root / "people/Mei Lin.md").write_text(
        str(MORE["people/Mei Lin.md"]).replace("Mei Lin", "Mei Ling"), encoding="utf-8")
    derives.clear()
    edited = index_of(root)
    assert derives == [len(MORE)]
    assert vars(edited) == vars(fresh_index(root))
    assert [c.name for c in edited.contacts] == ["Aiko Tanaka", "Kenji Sato", "Mei Ling"]
    derives.clear()
    assert vars(index_of(root)) == vars(edited) and derives == []  # cached again


@pytest.mark.parametrize("change", ["add", "delete"])
def test_a_new_or_deleted_file_derives_the_index_again(
        make_vault: MakeVault, derives: list[int], change: str) -> None:
    root = make_vault(MORE)
    index_of(root)
    if change == "add":
        make_vault({"Daily/2026-11-22.md": "- lunch with [[Kenji Sato]]\n"})
    else:
        (root / "Daily/2026-11-21.md").unlink()
    derives.clear()
    warm = index_of(root)
    assert len(derives) == 1
    assert vars(warm) == vars(fresh_index(root))


def test_a_restored_index_applies_an_edit_as_a_fresh_one_does(make_vault: MakeVault) -> None:
    root = make_vault(MORE)
    index_of(root)
    warm = index_of(root)
    (root / "people/work/Kenji Sato.md").write_text(KENJI + "- 2026-11-22 email: Thanks.\n",
                                                    encoding="utf-8")
    warm.apply([Vault.open(root).read_note("people/work/Kenji Sato.md")],
               ["Daily/2026-11-21.md"])
    (root / "Daily/2026-11-21.md").unlink()
    assert vars(warm) == vars(fresh_index(root))


LARGER: dict[str, str | bytes] = {
    **MORE,
    **{f"people/p/Person {n}.md": f"---\nname: Person {n}\n---\n## Log\n"
       f"- 2026-10-{1 + n % 28:02d} call: About [[Person {n + 1}]] and [[Mei Lin]].\n"
       f"- [ ] Send the deck to [[Kenji Sato]]\n" for n in range(40)},
}

EDITS = {
    "a log line": lambda root: (root / "people/p/Person 3.md").open("a").write(
        "- 2026-11-20 meet: Lunch with [[Aiko]].\n"),
    "a new journal note": lambda root: (root / "Daily/2026-11-22.md").write_text(
        "- lunch with [[Person 7]] and [[Kenji Sato]]\n- [ ] intro [[Person 8]] to [[Mei Lin]]\n"),
    "a deleted note": lambda root: (root / "Daily/2026-11-21.md").unlink(),
    "a new contact": lambda root: (root / "people/p/Person 99.md").write_text(
        "---\nname: Person 99\naliases: [P99]\n---\n"),
    "a renamed contact": lambda root: (root / "people/p/Person 5.md").write_text(
        "---\nname: Person Five\n---\n"),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_few_changes_are_applied_to_the_cached_index_as_watch_does(
        make_vault: MakeVault, derives: list[int], edit: Callable[[Path], object]) -> None:
    root = make_vault(LARGER)
    index_of(root)
    edit(root)
    derives.clear()
    patched = index_of(root)
    known_by_changes = edit in (EDITS["a new contact"], EDITS["a renamed contact"])
    assert len(derives) == known_by_changes  # otherwise only the changed notes are attributed
    fresh = fresh_index(root)
    assert vars(patched) == vars(fresh)
    assert list(patched.notes) == list(fresh.notes)  # in the walk's order
    derives.clear()
    assert vars(index_of(root)) == vars(patched) and derives == []  # its tables cached


def test_cached_tables_that_do_not_fit_the_notes_are_derived_again(
        make_vault: MakeVault, derives: list[int]) -> None:
    root = make_vault(MORE)
    index_of(root)
    vault = Vault.open(root)
    entries = read_cache(cache_path(vault), cache._header(vault))
    tables = Index([Note("people/Ghost.md")], vault.config).tables()
    cache.write_cache(cache_path(vault), cache._header(vault), entries,
                      (["people/Ghost.md"], *tables[1:]))  # another vault's tables
    derives.clear()
    warm = index_of(root)
    assert len(derives) == 1
    assert vars(warm) == vars(fresh_index(root))
    derives.clear()
    index_of(root)
    assert derives == []  # stored anew


def test_the_walk_keeps_exactly_the_notes_is_ignored_keeps(make_vault: MakeVault) -> None:
    files = ["a.md", "B.MD", "me.md", "reading-list.md", "sub/me.md", "_draft.md",
             ".hidden.md", "sub/_x.md", "sub/.y.md", "_folder/a.md", ".obsidian/a.md",
             "Templates/t.md", "deep/Templates/t.md", "Kizuna/To reach out.md",
             "Kizuna.md", "people/skip.draft.md", "people/ok.md", "notes.txt", "x.md/y.md"]
    root = make_vault({"kizuna.toml": 'ignore = ["*.draft.md", "**/Templates/**"]\n',
                       **{rel: "- a note\n" for rel in files}})
    vault = Vault.open(root)
    kept = sorted(rel for rel in files if rel.lower().endswith(".md")
                  and not vault.is_ignored(rel) and rel not in ("me.md", "reading-list.md"))
    assert vault.note_paths() == kept
    assert kept == ["B.MD", "Kizuna.md", "a.md", "people/ok.md", "sub/me.md", "x.md/y.md"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_the_cached_tables_never_crashes_or_misleads(
        make_vault: MakeVault, data: st.DataObject) -> None:
    root = make_vault(MORE)
    index_of(root)
    path = cache_path(Vault.open(root))
    size = path.stat().st_size
    damage(path, data, data.draw(st.integers(size // 2, size - 1)))  # the tables sit at the end
    assert vars(index_of(root)) == vars(fresh_index(root))


def test_the_header_names_the_installed_pyyaml(
        make_vault: MakeVault, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    identity = cache.yaml_identity()
    assert f"__version__ = '{yaml.__version__}'".encode() in identity
    assert (b"_yaml." in identity) == yaml.__with_libyaml__
    root = make_vault(FILES)
    load(root)
    reads.clear()
    monkeypatch.setattr(cache, "yaml_identity", lambda: b"another PyYAML")
    load(root)  # a cache made with another PyYAML is not trusted
    assert sorted(reads) == sorted(FILES)


WARM_LOAD = """
import sys
from pathlib import Path
from kizuna import cache
from kizuna.vault import Vault
cache.RACY_NS, cache.MIN_NOTES = -(10**18), 0
cache.load_index(Vault.open(Path(sys.argv[1])))
print("yaml" in sys.modules, "kizuna.yamlfm" in sys.modules)
"""


def test_a_warm_load_imports_no_yaml(make_vault: MakeVault) -> None:
    """PyYAML and the front matter reader cost 40 ms to import: only parsing needs them."""
    root = make_vault(FILES)

    def imported() -> str:
        return subprocess.run([sys.executable, "-c", WARM_LOAD, str(root)], check=True,
                              capture_output=True, text=True).stdout.split()

    assert imported() == ["True", "True"]  # cold: every note parsed
    assert imported() == ["False", "False"]  # warm: every note from the cache
