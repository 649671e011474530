"""A `build` or a `due` with nothing changed since the last one reuses its result and
writes nothing; any change to what it reads (or, for `build`, to what it wrote) does the
work again, with the same result as with nothing kept."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from conftest import SAMPLE_VAULT, TODAY, snapshot

from kizuna import build, cache, stamp
from kizuna.schedule import DueContact, Schedule

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def files_old_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """These seconds-old files count as settled, as a vault's files are (cache.RACY_NS)."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root, ignore=shutil.ignore_patterns("Kizuna", ".kizuna"))
    return root


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The vault of each real build (it still builds)."""
    seen: list[Path] = []
    real = build.build_notes

    def spy(vault: object, *args: object, **kwargs: object) -> build.BuildResult:
        seen.append(vault.root)  # type: ignore[attr-defined]
        return real(vault, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "build_notes", spy)
    return seen


def _summary(result: Result) -> tuple[int, str, str]:
    """The exit code, the problems, and the summary line without its milliseconds."""
    return result.exit_code, result.stderr, result.stdout.rsplit(", ", 1)[0]


def _written(result: Result) -> int:
    return int(result.stdout.split(", ")[1].split()[0])  # "24 contacts, 7 of 7 notes written"


def test_a_build_with_nothing_changed_reports_the_last_result_and_writes_nothing(
        vault: Path, run: Run, builds: list[Path]) -> None:
    first = run(vault, "build")
    assert _written(first) == 7 and first.stderr  # problems, which the record replays
    before = snapshot(vault)
    second = run(vault, "build")
    assert builds == [vault]
    assert snapshot(vault) == before
    assert _summary(second) == (first.exit_code, first.stderr, _summary(first)[2].replace(
        "7 of 7 notes written", "0 of 7 notes written"))


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with open(root / rel, "a", encoding="utf-8") as note:
            note.write(text)
    return change


def _write(rel: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return change


def _prepend(rel: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / rel).write_text(text + (root / rel).read_text(encoding="utf-8"), encoding="utf-8")
    return change


def _remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


CHANGES = {
    "a log line added": _append("people/Emma Clarke.md", "- 2026-11-22 call: The offsite plan.\n"),
    "a new contact": _write("people/New Person.md", "---\nname: New Person\ntier: inner\n---\n"),
    "a note deleted": _remove("people/Emma Clarke.md"),
    "a journal note": _write("Daily/2026-11-22.md", "- lunch with [[Emma Clarke]]\n"),
    "the settings": _prepend("kizuna.toml", "limit = 3\n"),
    "a template override": _write(".kizuna/templates/reach-out.md", "{{ 1 + 1 }} overridden\n"),
    "me.md": _append("me.md", "\nOne more line about me.\n"),
    "the reading list": _append("reading-list.md", "\n- [Another essay](https://example.com)\n"),
    "a generated note edited": _append("Kizuna/To reach out.md", "\nmy own line\n"),
    "a generated note deleted": _remove("Kizuna/Dashboard.md"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_to_what_a_build_reads_or_wrote_builds_again(
        vault: Path, run: Run, builds: list[Path], change: Callable[[Path], None]) -> None:
    run(vault, "build")
    change(vault)
    again = run(vault, "build")
    assert len(builds) == 2
    # and what it wrote is what a build without any record writes
    (vault / ".kizuna" / stamp.BUILD_RECORD).unlink()
    written = snapshot(vault)
    fresh = run(vault, "build")
    assert len(builds) == 3 and _written(fresh) == 0
    assert snapshot(vault) == {**written, ".kizuna/build.json": (
        vault / ".kizuna/build.json").read_bytes()}
    assert _summary(fresh)[:2] == _summary(again)[:2]  # the same problems


def test_another_day_builds_again(vault: Path, run: Run, builds: list[Path]) -> None:
    run(vault, "build")
    run(vault, "build", today=TODAY + timedelta(days=1))
    assert len(builds) == 2


def test_another_kizuna_builds_again(
        vault: Path, run: Run, builds: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    run(vault, "build")
    monkeypatch.setattr(stamp, "_code", lambda: b"kizuna of another version")
    run(vault, "build")
    assert len(builds) == 2


def test_files_changed_in_the_last_seconds_leave_no_record(
        vault: Path, run: Run, builds: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 2_000_000_000)  # the copies are seconds old
    run(vault, "build")
    run(vault, "build")
    assert len(builds) == 2
    assert not (vault / ".kizuna" / stamp.BUILD_RECORD).exists()


@pytest.mark.parametrize("record", [b"", b"{", b'{"format": 1}', b"[1, 2]",
                                    b'{"format": 1, "inputs": 3, "outputs": null}'])
def test_a_damaged_record_only_means_building(
        vault: Path, run: Run, builds: list[Path], record: bytes) -> None:
    first = run(vault, "build")
    (vault / ".kizuna" / stamp.BUILD_RECORD).write_bytes(record)
    again = run(vault, "build")
    assert len(builds) == 2
    assert _summary(again)[:2] == _summary(first)[:2]


# --- `due`: everyone due, kept for the next `due` -----------------------------------------


@pytest.fixture
def rankings(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The day of each time someone due is worked out (it still is)."""
    seen: list[date] = []
    real = Schedule.due

    def spy(self: Schedule, limit: int | None = None) -> list[DueContact]:
        seen.append(self.today)
        return real(self, limit)

    monkeypatch.setattr(Schedule, "due", spy)
    return seen


def _outputs(vault: Path, run: Run, *args: str) -> tuple[str, str]:
    return run(vault, "due", *args).stdout, run(vault, "due", "--json", *args).stdout


def test_due_with_nothing_changed_prints_the_kept_listing(
        vault: Path, run: Run, rankings: list[date]) -> None:
    first = _outputs(vault, run)
    assert len(rankings) == 1  # the --json run found it kept
    before = snapshot(vault)
    assert _outputs(vault, run) == first and len(rankings) == 1
    table, listing = _outputs(vault, run, "--limit", "2")
    more = "… and 11 more (--limit N to see them)"
    assert [line.split() for line in table.splitlines()] == [
        line.split() for line in [*first[0].splitlines()[:3], more]]
    assert json.loads(listing) == {**json.loads(first[1]), "due": json.loads(first[1])["due"][:2]}
    assert snapshot(vault) == before and len(rankings) == 1
    assert "Emma Clarke" in first[0] and json.loads(first[1])["total"] == 13


DUE_CHANGES = {name: CHANGES[name] for name in (
    "a log line added", "a new contact", "a note deleted", "a journal note", "the settings")}


@pytest.mark.parametrize("change", DUE_CHANGES.values(), ids=DUE_CHANGES.keys())
def test_any_change_to_what_due_reads_works_it_out_again(
        vault: Path, run: Run, rankings: list[date], change: Callable[[Path], None]) -> None:
    _outputs(vault, run)
    change(vault)
    after = _outputs(vault, run)
    assert len(rankings) == 2
    (vault / ".kizuna" / stamp.DUE_RECORD).unlink()
    assert _outputs(vault, run) == after  # as worked out with nothing kept


def test_due_on_another_day_works_it_out_again(
        vault: Path, run: Run, rankings: list[date]) -> None:
    run(vault, "due")
    later = TODAY + timedelta(days=30)
    listing = json.loads(run(vault, "due", "--json", today=later).stdout)
    assert rankings == [TODAY, later] and listing["today"] == later.isoformat()


@pytest.mark.parametrize("damage", [
    lambda data: b"not json",
    lambda data: data.replace(b'"overdue"', b'"bored"'),
    lambda data: data.replace(b'"rank": 1', b'"rank": "one"'),
    lambda data: data.replace(b'"total": 13', b'"total": null'),
    lambda data: data.replace(b'"last_conversation": {', b'"last_conversation": [{', 1),
    lambda data: data.replace(b'"listing"', b'"listings"'),
])
def test_a_damaged_due_record_is_worked_out_again(
        vault: Path, run: Run, rankings: list[date], damage: Callable[[bytes], bytes]) -> None:
    first = _outputs(vault, run)
    record = vault / ".kizuna" / stamp.DUE_RECORD
    record.write_bytes(damage(record.read_bytes()))
    assert run(vault, "due").stdout == first[0]
    assert len(rankings) == 2


def test_a_build_keeps_the_due_listing_for_the_next_due(
        vault: Path, run: Run, rankings: list[date]) -> None:
    run(vault, "build")
    rankings.clear()
    kept = _outputs(vault, run)
    assert rankings == []
    (vault / ".kizuna" / stamp.DUE_RECORD).unlink()
    assert _outputs(vault, run) == kept  # as `due` works it out itself
    assert rankings == [TODAY]
