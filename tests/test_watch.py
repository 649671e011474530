"""`kizuna watch`: the real watcher (inotify and polling) on real files in tmp_path.

The rebuild is injected: a real callable that writes a summary note into the
output folder (atomically, only when it changes, as the real build does) and
records what the index held at each call. Tests wait on that record with a
timeout; the only fixed waits are where the assertion is "nothing happens".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeVault, snapshot

from kizuna import watch as watch_module
from kizuna.index import Index
from kizuna.model import Problem
from kizuna.vault import Vault
from kizuna.watch import Batch, LiveIndex, Report, Watcher, classify, is_temporary
from kizuna.write import atomic_write

# watchdog's notice that a new folder was filled before its watch was set up (no event lost)
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

TIMEOUT = 10.0  # generous: a loaded CI machine; a passing run takes a fraction of it
POLL = 0.1  # polling observer's scan interval in these tests

AIKO = """---
company: Example Corp
email: aiko@example.com
---
## Log
- 2026-11-20 coffee: Her AI tutoring pilot went live.
"""


def aiko(company: str) -> str:
    return AIKO.replace("Example Corp", company)


@dataclass
class Outcome:
    written: list[str]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Seen:
    """What the index held when the rebuild ran: name -> company."""

    people: dict[str, str | None]
    problems: tuple[str, ...]


class Builds:
    """The injected rebuild: writes Kizuna/People.md when its content changes, and records."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.reports: list[Report] = []
        self.errors: list[str] = []
        self.cond = threading.Condition()
        self.fail_with: Exception | None = None
        self.during: Callable[[], None] | None = None  # runs inside the next rebuild

    def __call__(self, vault: Vault, index: Index) -> Outcome:
        if self.during is not None:
            during, self.during = self.during, None
            during()
        if self.fail_with is not None:
            error, self.fail_with = self.fail_with, None
            raise error
        people = {c.name: c.company for c in index.contacts}
        text = "".join(f"- {name}: {company}\n" for name, company in sorted(people.items()))
        out = vault.output_dir / "People.md"
        written = []
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(exist_ok=True)
            atomic_write(out, text.encode())
            written.append(str(out))
        with self.cond:
            self.seen.append(Seen(people, tuple(str(p) for p in index.problems)))
        return Outcome(written)

    def report(self, report: Report) -> None:
        with self.cond:
            self.reports.append(report)
            self.cond.notify_all()

    def error(self, message: str) -> None:
        with self.cond:
            self.errors.append(message)
            self.cond.notify_all()

    def wait(self, predicate: Callable[[], bool], what: str) -> None:
        """Wait until predicate() holds, re-checking on every report; fail after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    last = self.seen[-1] if self.seen else None
                    pytest.fail(f"timed out waiting for {what}; last rebuild saw {last}")
                self.cond.wait(min(left, 0.05))

    def wait_people(self, predicate: Callable[[dict[str, str | None]], bool], what: str) -> None:
        self.wait(lambda: bool(self.seen) and predicate(self.seen[-1].people), what)

    @property
    def count(self) -> int:
        with self.cond:
            return len(self.reports)


@contextmanager
def watching(root: Path, poll: bool, **options: Any) -> Iterator[tuple[Watcher, Builds]]:
    """The real watcher on `root`, built once, running on a thread until the block ends."""
    vault = Vault.open(root)
    builds = Builds()
    live = LiveIndex(vault)
    watcher = Watcher(live, builds, builds.report, poll=poll, poll_interval=POLL,
                      on_error=builds.error, **options)
    watcher.start()
    live.index = Index(vault.read_all(), vault.config)
    watcher.build([])
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        yield watcher, builds
    finally:
        watcher.close()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the watch loop did not stop"


OBSERVERS = [pytest.param(False, id="native"), pytest.param(True, id="poll")]


@pytest.fixture(params=OBSERVERS)
def poll(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"people/Aiko Tanaka.md": AIKO})


# --- editor save styles ----------------------------------------------------------------------


def save_in_place(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:  # truncate, then write: nano, VS Code, Obsidian
        f.write(text)


def save_vim_backupcopy_no(path: Path, text: str) -> None:
    probe = path.parent / "4913"  # vim checks it may create files in the folder
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)  # the original becomes the backup...
    path.write_text(text, encoding="utf-8")  # ...and the note is written anew
    backup.unlink()


def save_temp_then_rename(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # VS Code, atomicwrites, kizuna
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def save_jetbrains(path: Path, text: str) -> None:
    temp = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temp.write_text(text, encoding="utf-8")
    os.rename(path, old)
    os.rename(temp, path)
    old.unlink()


def save_delete_then_create(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text, encoding="utf-8")


SAVES = [save_in_place, save_vim_backupcopy_no, save_temp_then_rename, save_jetbrains,
         save_delete_then_create]


@pytest.mark.parametrize("save", SAVES, ids=lambda f: f.__name__.removeprefix("save_"))
def test_every_editor_save_style_reaches_the_notes(vault: Path, poll: bool,
                                                   save: Callable[[Path, str], None]) -> None:
    with watching(vault, poll) as (_, builds):
        save(vault / "people/Aiko Tanaka.md", aiko("Globex"))
        builds.wait_people(lambda p: p == {"Aiko Tanaka": "Globex"}, "the new company")
        assert (vault / "Kizuna/People.md").read_text() == "- Aiko Tanaka: Globex\n"
        # Never a rebuild that lost her in the middle of the save.
        assert all("Aiko Tanaka" in seen.people for seen in builds.seen)
        assert builds.reports[-1].changes == [("people/Aiko Tanaka.md", "modified")]


def test_obsidian_new_note_is_created_then_renamed_then_written(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        untitled = vault / "people/Untitled.md"
        untitled.write_text("", encoding="utf-8")
        os.rename(untitled, vault / "people/Kenji Sato.md")
        save_in_place(vault / "people/Kenji Sato.md", "---\ncompany: Initech\n---\n")
        builds.wait_people(lambda p: p.get("Kenji Sato") == "Initech", "Kenji")
        assert "Untitled" not in builds.seen[-1].people
        assert (vault / "Kizuna/People.md").read_text() == (
            "- Aiko Tanaka: Example Corp\n- Kenji Sato: Initech\n"
        )


def test_a_new_person_appears_and_a_deleted_one_disappears(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        (vault / "people/work").mkdir()
        (vault / "people/work/田中 健二.md").write_text("---\ncompany: 株式会社サンプル\n---\n")
        builds.wait_people(lambda p: p.get("田中 健二") == "株式会社サンプル", "the new person")
        assert builds.reports[-1].changes == [("people/work/田中 健二.md", "created")]
        (vault / "people/Aiko Tanaka.md").unlink()
        builds.wait_people(lambda p: "Aiko Tanaka" not in p, "Aiko to disappear")
        assert builds.seen[-1].people == {"田中 健二": "株式会社サンプル"}
        assert builds.reports[-1].changes == [("people/Aiko Tanaka.md", "deleted")]


def test_a_renamed_folder_moves_its_people(make_vault: MakeVault, poll: bool) -> None:
    root = make_vault({"people/work/Ben.md": "---\ncompany: Hooli\n---\n",
                       "people/work/Chloe.md": "---\ncompany: Globex\n---\n"})
    with watching(root, poll) as (watcher, builds):
        os.rename(root / "people/work", root / "people/ex-work")
        builds.wait(lambda: sorted(watcher.live.index.notes) == [
            "people/ex-work/Ben.md", "people/ex-work/Chloe.md"], "the moved paths")
        assert builds.seen[-1].people == {"Ben": "Hooli", "Chloe": "Globex"}
        os.rename(root / "people/ex-work", root / "Templates")  # ignored by default
        builds.wait_people(lambda p: p == {}, "the people under Templates/ to go")


# --- debounce ----------------------------------------------------------------------------------


def test_a_burst_of_fifty_writes_rebuilds_once(vault: Path, poll: bool) -> None:
    path = vault / "people/Aiko Tanaka.md"
    with watching(vault, poll) as (watcher, builds):
        for i in range(50):
            save_in_place(path, aiko(f"Company {i}"))
            time.sleep(0.002)  # a burst, not one write: each event restarts the quiet period
        builds.wait_people(lambda p: p == {"Aiko Tanaka": "Company 49"}, "the last write")
        quiet = time.monotonic() + 3 * watcher.debounce
        builds.wait(lambda: time.monotonic() > quiet, "a few quiet periods")
        assert builds.count == 2  # the first build, then one rebuild for the burst
        assert [seen.people for seen in builds.seen[1:]] == [{"Aiko Tanaka": "Company 49"}]


def test_a_steady_stream_still_rebuilds_within_the_cap(vault: Path) -> None:
    path = vault / "people/Aiko Tanaka.md"
    with watching(vault, False, debounce=0.2, cap=0.5) as (_, builds):
        started = time.monotonic()
        i = 0
        while builds.count < 2:  # never quiet for 0.2 s: only the cap can end a batch
            assert time.monotonic() - started < TIMEOUT, "no rebuild during the stream"
            save_in_place(path, aiko(f"Company {i}"))
            i += 1
            time.sleep(0.05)
        assert time.monotonic() - started < 0.5 + 1.0  # the cap, and slack for a slow machine
        assert builds.seen[-1].people["Aiko Tanaka"] != "Example Corp"


def test_a_new_day_rebuilds_without_any_change(vault: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_module, "seconds_to_midnight", lambda: 0.3)
    with watching(vault, False, daily=True) as (_, builds):
        builds.wait(lambda: builds.count >= 2, "the rebuild at midnight")
        assert builds.reports[1].changes == [("a new day", "began")]
        assert builds.reports[1].line().split(" ", 1)[1].startswith("a new day began: ")


def test_an_idle_watcher_writes_nothing(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        before = snapshot(vault)
        for rel in ("people/Aiko Tanaka.md", "kizuna.toml"):
            (vault / rel).read_bytes()  # reading must not count as a change
        time.sleep(1.0)  # the assertion is that nothing happens in this second
        assert builds.count == 1
        assert snapshot(vault) == before


def test_ignored_paths_never_trigger_a_rebuild(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        files = {
            "people/.Aiko Tanaka.md.swp": "swap", "people/Aiko Tanaka.md~": "backup",
            "people/.#Aiko Tanaka.md": "lock", "people/4913": "", "people/x.md.tmp": "t",
            ".kizuna/cache/notes.pickle": "cache", ".git/HEAD": "ref: refs/heads/main",
            ".obsidian/workspace.json": "{}", "Kizuna/Stray.md": "generated",
            "Templates/Person.md": "---\nname: {{title}}\n---\n", "people/_draft.md": "draft",
            "people/photo.jpg": "jpeg",
        }
        for rel, text in files.items():
            (vault / rel).parent.mkdir(parents=True, exist_ok=True)
            (vault / rel).write_text(text)
        save_in_place(vault / "people/Aiko Tanaka.md", aiko("Globex"))
        builds.wait_people(lambda p: p == {"Aiko Tanaka": "Globex"}, "the real change")
        assert builds.count == 2
        assert builds.reports[-1].changes == [("people/Aiko Tanaka.md", "modified")]


# --- bad input ----------------------------------------------------------------------------------


def test_a_bad_file_is_reported_and_the_watch_goes_on(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        save_in_place(vault / "people/Aiko Tanaka.md", "---\ncompany: [unclosed\n---\n")
        # Kept for one more quiet period in case it was half-written, then reported.
        builds.wait(lambda: any("Aiko Tanaka.md" in p and "error" in p
                                for p in (builds.seen[-1].problems if builds.seen else ())),
                    "the problem to surface")
        assert any(p.path == "people/Aiko Tanaka.md" and p.severity == "error"
                   for p in builds.reports[-1].problems)
        (vault / "people/Ben.md").write_text("---\ncompany: Hooli\n---\n")
        builds.wait_people(lambda p: p.get("Ben") == "Hooli", "the next good change")
        save_in_place(vault / "people/Aiko Tanaka.md", aiko("Fixed Corp"))
        builds.wait_people(lambda p: p.get("Aiko Tanaka") == "Fixed Corp", "the fix")
        assert not any("Aiko Tanaka.md" in p and "error" in p for p in builds.seen[-1].problems)


CORPUS = Path(__file__).parent / "corpus"


def test_the_watch_survives_the_bad_input_corpus_and_ends_where_a_fresh_read_would(
    vault: Path,
) -> None:
    with watching(vault, False) as (watcher, builds):
        for source in sorted(CORPUS.rglob("*.md")):
            target = vault / source.relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        people = vault / "people"
        (people / "big.md").write_bytes(b"---\nname: Big\n---\n" + b"x" * (2 * 1024 * 1024))
        (people / "deep.md").write_text("---\nname: Deep\nx: " + "[" * 100_000 + "\n---\n")
        os.symlink("cycle-b.md", people / "cycle-a.md")
        os.symlink("cycle-a.md", people / "cycle-b.md")
        os.symlink("missing.md", people / "dangling.md")
        os.mkfifo(people / "pipe.md")
        fresh = Index(Vault.open(vault).read_all(), watcher.live.vault.config)
        expected = sorted(map(str, fresh.problems))
        assert len(expected) > 20
        builds.wait(lambda: sorted(map(str, watcher.live.index.problems)) == expected,
                    "the same problems as a fresh read")
        assert watcher.live.index.notes == fresh.notes
        save_in_place(vault / "people/Aiko Tanaka.md", aiko("Still Watching"))
        builds.wait_people(lambda p: p.get("Aiko Tanaka") == "Still Watching", "a good change")
        assert builds.errors == []


def test_a_failed_rebuild_is_reported_and_the_next_change_rebuilds(vault: Path) -> None:
    with watching(vault, False) as (_, builds):
        builds.fail_with = RuntimeError("template 'To reach out.md' line 3: unexpected '}'")
        save_in_place(vault / "people/Aiko Tanaka.md", aiko("Globex"))
        builds.wait(lambda: builds.reports[-1].error is not None, "the failure")
        line = builds.reports[-1].line()
        assert "rebuild failed, kept the previous notes" in line and "unexpected '}'" in line
        assert (vault / "Kizuna/People.md").read_text() == "- Aiko Tanaka: Example Corp\n"
        save_in_place(vault / "people/Aiko Tanaka.md", aiko("Hooli"))
        builds.wait_people(lambda p: p == {"Aiko Tanaka": "Hooli"}, "the next rebuild")
        assert (vault / "Kizuna/People.md").read_text() == "- Aiko Tanaka: Hooli\n"


def test_a_file_deleted_during_a_rebuild_is_dropped_next(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        builds.during = lambda: (vault / "people/Aiko Tanaka.md").unlink()
        (vault / "people/Ben.md").write_text("---\ncompany: Hooli\n---\n")
        builds.wait_people(lambda p: p == {"Ben": "Hooli"}, "Aiko to be dropped")
        assert builds.errors == []


def test_a_settings_change_reads_everything_again(make_vault: MakeVault, poll: bool) -> None:
    root = make_vault({"people/Aiko.md": "", "contacts/Ben.md": ""})
    with watching(root, poll) as (watcher, builds):
        assert builds.seen[-1].people == {"Aiko": None}
        (root / "kizuna.toml").write_text('people = "contacts"\n')
        builds.wait_people(lambda p: p == {"Ben": None}, "the new people folder")
        assert builds.reports[-1].changes == [("kizuna.toml", "changed")]
        assert watcher.live.vault.config.people == ("contacts",)
        (root / "kizuna.toml").write_text("people = 3\n")  # bad: the old settings stay
        builds.wait(lambda: bool(builds.errors), "the settings error")
        assert "kizuna.toml" in builds.errors[-1] and "keeping the previous" in builds.errors[-1]
        (root / "contacts/Chloe.md").write_text("")
        builds.wait_people(lambda p: p == {"Ben": None, "Chloe": None}, "Chloe")


def test_a_template_or_profile_change_rebuilds(vault: Path, poll: bool) -> None:
    with watching(vault, poll) as (_, builds):
        (vault / ".kizuna/templates").mkdir(parents=True)
        (vault / ".kizuna/templates/To reach out.md").write_text("{{ x }}")
        builds.wait(lambda: builds.count >= 2, "a rebuild for the template")
        assert builds.reports[-1].changes == [(".kizuna/templates/To reach out.md", "changed")]
        (vault / "me.md").write_text("---\nname: Me\n---\n")
        builds.wait(lambda: builds.count >= 3, "a rebuild for the profile")
        assert builds.reports[-1].changes == [("me.md", "changed")]
        assert "Me" not in builds.seen[-1].people  # the profile is not a contact


# --- the index kept in step, without a watcher: deterministic ---------------------------------


def live_index(root: Path) -> LiveIndex:
    vault = Vault.open(root)
    return LiveIndex(vault, Index(vault.read_all(), vault.config))


def test_a_half_written_file_keeps_its_previous_entry_until_it_reads_cleanly(
    vault: Path,
) -> None:
    live = live_index(vault)
    path = vault / "people/Aiko Tanaka.md"
    for partial in ("", AIKO[:12]):  # empty; cut inside the front matter
        path.write_text(partial)
        refresh = live.refresh(Batch(notes={"people/Aiko Tanaka.md"}))
        assert refresh.changes == [] and refresh.retry == {"people/Aiko Tanaka.md"}
        assert live.index.contacts[0].company == "Example Corp"
    path.write_text(aiko("Globex"))
    refresh = live.refresh(Batch(notes={"people/Aiko Tanaka.md"}))
    assert refresh.changes == [("people/Aiko Tanaka.md", "modified")] and not refresh.retry
    assert live.index.contacts[0].company == "Globex"


def test_a_bad_file_that_stays_bad_is_read_on_the_second_look(vault: Path) -> None:
    live = live_index(vault)
    (vault / "people/Aiko Tanaka.md").write_text("---\ncompany: [unclosed\n---\n")
    first = live.refresh(Batch(notes={"people/Aiko Tanaka.md"}))
    assert first.retry and "Aiko Tanaka" in [c.name for c in live.index.contacts]
    second = live.refresh(Batch(notes=first.retry))
    assert second.changes == [("people/Aiko Tanaka.md", "modified")] and not second.retry
    assert live.index.contacts == []
    assert any(p.path == "people/Aiko Tanaka.md" and p.severity == "error"
               for p in live.index.problems)


def test_a_link_to_nowhere_is_indexed_as_a_problem_and_dropped_when_removed(vault: Path) -> None:
    live = live_index(vault)
    os.symlink("missing.md", vault / "people/dangling.md")
    refresh = live.refresh(Batch(notes={"people/dangling.md"}))
    assert refresh.changes == [("people/dangling.md", "created")]
    assert [p.message for p in live.index.problems if p.path == "people/dangling.md"] == [
        p.message for p in Vault.open(vault).read_note("people/dangling.md").problems]
    (vault / "people/dangling.md").unlink()
    assert live.refresh(Batch(notes={"people/dangling.md"})).changes == [
        ("people/dangling.md", "deleted")]
    assert "people/dangling.md" not in live.index.notes


def test_an_unchanged_file_is_not_read_again(vault: Path) -> None:
    live = live_index(vault)
    batch = Batch(notes={"people/Aiko Tanaka.md"})
    assert live.refresh(batch).changes == []  # same content as the first build read
    (vault / "people/Aiko Tanaka.md").write_text(AIKO)  # saved again, same bytes
    assert live.refresh(batch).changes == []
    (vault / "people/Aiko Tanaka.md").write_text(aiko("Globex"))
    assert live.refresh(batch).changes == [("people/Aiko Tanaka.md", "modified")]


def test_a_changed_file_updates_only_its_entry(make_vault: MakeVault) -> None:
    root = make_vault({f"people/P{i}.md": f"---\ncompany: C{i}\n---\n" for i in range(20)})
    live = live_index(root)
    before = dict(live.index.notes)
    (root / "people/P7.md").write_text("---\ncompany: Changed\n---\n")
    live.refresh(Batch(notes={"people/P7.md"}))
    after = live.index.notes
    assert [p for p in after if after[p] is not before[p]] == ["people/P7.md"]
    assert after["people/P7.md"].contact is not None
    assert after["people/P7.md"].contact.company == "Changed"


# --- which paths count ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["4913", "a.md~", ".a.md.swp", ".a.md.swx", ".#a.md", "x.tmp",
                                  ".kizuna-abc123.tmp"])
def test_editor_and_kizuna_temporaries_are_temporary(name: str) -> None:
    assert is_temporary(name)


@pytest.mark.parametrize("name", ["Aiko.md", "4913.md", "tmp.md", "swp.md"])
def test_notes_are_not_temporary(name: str) -> None:
    assert not is_temporary(name)


def test_classify_sorts_paths_into_notes_inputs_and_ignored(vault: Path) -> None:
    v = Vault.open(vault)
    assert classify(v, "people/A.md", is_directory=False) == ("notes", "people/A.md")
    daily = "Daily/2026-11-20.md"
    assert classify(v, daily, is_directory=False) == ("notes", daily)
    assert classify(v, "kizuna.toml", is_directory=False) == ("inputs", "kizuna.toml")
    assert classify(v, "me.md", is_directory=False) == ("inputs", "me.md")
    assert classify(v, ".kizuna/templates/a.md", is_directory=False) == (
        "inputs", ".kizuna/templates/a.md")
    assert classify(v, "people/work", is_directory=True) == ("folders", "people/work")
    for ignored in ("Kizuna/To reach out.md", ".kizuna/cache.pickle", ".git/index", "people/a.txt",
                    "people/.a.md", "Templates/Person.md", "../outside.md", "sub/me.md~"):
        assert classify(v, ignored, is_directory=False) is None, ignored
    for folder in (".git/objects", "Kizuna", ".obsidian"):
        assert classify(v, folder, is_directory=True) is None, folder


def test_watchdog_is_imported_only_when_watching_starts() -> None:
    code = ("import sys, kizuna.cli, kizuna.watch; kizuna.cli.cli.get_command(None, 'watch'); "
            "print('watchdog' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
