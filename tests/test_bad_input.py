"""The bad-input corpus (tests/corpus/) as one vault: `check` lists every case, never crashes.

What cannot be committed (a 2 MiB file, symlinks, a FIFO, a 100,000-level nesting)
is made here, next to a copy of the corpus.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"

# path -> [(line, severity, part of the message)]: every problem check must report.
EXPECTED: dict[str, list[tuple[int | None, str, str]]] = {
    "notes/broken-front-matter.md": [(3, "error", "front matter is not valid YAML")],
    "people/alias-bomb.md": [(1, "error", "alias bomb")],
    "people/bad-date.md": [(4, "error", "met: 'last spring' is not a date")],
    "people/bad-duration.md": [(4, "error", "cadence: not a duration")],
    "people/bad-log-date.md": [(6, "error", "2026-02-30 is not a date")],
    "people/bad-status.md": [(4, "error", "status: 'retired' is not active, paused or archived")],
    "people/bad-tier.md": [(4, "error", "tier: unknown tier 'platinum'")],
    "people/dated-outside-log.md": [(6, "warning", "dated list item outside a log section")],
    "people/duplicate-a.md": [(2, "error", "name 'Sam Example' is also claimed by "
                                           "people/duplicate-b.md")],
    "people/duplicate-b.md": [(3, "error", "alias 'Sam Example' is also claimed by "
                                           "people/duplicate-a.md")],
    "people/empty.md": [(None, "warning", "no way to reach them")],
    "people/introduced-by-nobody.md": [(4, "warning", "introduced_by [[Nobody Atall]] links to "
                                                      "nobody")],
    "people/key-not-text.md": [(3, "error", "front matter key `true` is not text")],
    "people/no-way-to-reach.md": [(None, "warning", "no way to reach them")],
    "people/non-utf8.md": [(2, "error", "not UTF-8")],
    "people/placeholder-mustache.md": [(3, "error", "unfilled template placeholder")],
    "people/placeholder-templater.md": [(2, "error", "unfilled template placeholder")],
    "people/yaml-error.md": [(4, "error", "front matter is not valid YAML")],
    "people/yaml-list.md": [(2, "error", "not a list")],
    "people/田中.md": [(3, "error", "birthday: '四月一日' is not a date")],
    # made by the fixture
    "people/big.md": [(None, "error", "over the 1 MiB limit (2.0 MiB)")],
    "people/deep.md": [(1, "error", "nests more than 100 levels")],
    "people/cycle-a.md": [(None, "error", "cannot read")],
    "people/cycle-b.md": [(None, "error", "cannot read")],
    "people/dangling.md": [(None, "error", "cannot read")],
    "people/pipe.md": [(None, "error", "not a regular file")],
    "people/loop": [(None, "warning", "symbolic link loops back")],
}
# Read without a problem: BOM + CRLF, and the two duplicates' readable neighbours.
FINE_CONTACTS = {"Bom Crlf", "Introduced", "Unreachable", "Dated Outside", "Bad Date",
                 "Bad Duration", "Bad Tier", "Bad Status", "Bad Log Date", "Key Not Text",
                 "Sam Example", "duplicate-b", "empty", "田中"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    people = root / "people"
    (people / "big.md").write_bytes(b"---\nname: Big\n---\n" + b"x" * (2 * 1024 * 1024))
    (people / "deep.md").write_text("---\nname: Deep\nx: " + "[" * 100_000 + "\n---\n",
                                    encoding="utf-8")
    os.symlink("cycle-b.md", people / "cycle-a.md")
    os.symlink("cycle-a.md", people / "cycle-b.md")
    os.symlink("missing.md", people / "dangling.md")
    os.symlink(people, people / "loop")
    os.mkfifo(people / "pipe.md")
    return root


def reported(output: str) -> dict[str, list[tuple[int | None, str, str]]]:
    problems = json.loads(output)["problems"]
    found: dict[str, list[tuple[int | None, str, str]]] = {}
    for p in problems:
        found.setdefault(p["path"], []).append((p["line"], p["severity"], p["message"]))
    return found


def test_check_lists_every_case_with_its_file_and_line(corpus, run):
    result = run(corpus, "check", "--json")
    assert result.exit_code == 1
    found = reported(result.stdout)
    assert sorted(found) == sorted(EXPECTED)
    for path, expected in EXPECTED.items():
        got = found[path]
        assert len(got) == len(expected), (path, got)
        for (line, severity, fragment), (got_line, got_severity, message) in zip(
                expected, got, strict=True):
            assert (got_line, got_severity) == (line, severity), (path, message)
            assert fragment in message, (path, message)
    data = json.loads(result.stdout)
    assert data["errors"] == sum(s == "error" for e in EXPECTED.values() for _, s, _ in e)
    assert data["warnings"] == sum(s == "warning" for e in EXPECTED.values() for _, s, _ in e)


def test_the_rest_of_the_vault_is_still_built(corpus, run):
    listed = json.loads(run(corpus, "list", "--json").stdout)
    assert {c["name"] for c in listed} == FINE_CONTACTS
    bom = next(c for c in listed if c["name"] == "Bom Crlf")
    assert bom["email"] == ["bom@example.com"]
    shown = json.loads(run(corpus, "show", "Bom Crlf", "--json").stdout)
    assert [(i["date"], i["kind"]) for i in shown["interactions"]] == [("2026-01-01", "call")]


def test_check_text_output_names_file_and_line(corpus, run):
    result = run(corpus, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "people/田中.md:3: error: birthday: '四月一日' is not a date (use YYYY-MM-DD, MM-DD or "\
           "--MM-DD); the field is ignored" in lines
    assert "people/big.md: error: file is over the 1 MiB limit (2.0 MiB); not read" in lines
    total = sum(len(v) for v in EXPECTED.values())
    assert len([line for line in lines if ": error: " in line or ": warning: " in line]) == total
    assert lines[-1].endswith("errors, 5 warnings")


def test_templates_in_an_ignored_folder_are_not_reported(corpus, run):
    assert "people/Templates/Contact.md" not in run(corpus, "check").output


def test_check_through_the_entry_point_never_shows_a_traceback(corpus):
    kizuna = Path(sys.executable).parent / "kizuna"
    for args in (["check"], ["check", "--json"], ["check", "--strict"], ["list"],
                 ["show", "Sam Example"], ["show", "empty"]):
        done = subprocess.run([kizuna, "--vault", str(corpus), "--today", "2026-11-23", *args],
                              capture_output=True, text=True, timeout=60)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, args
        assert done.returncode in (0, 1), (args, done.stderr)
    done = subprocess.run([kizuna, "--vault", str(corpus), "check"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1


def test_strict_counts_warnings_only_vault(tmp_path, run):
    root = tmp_path / "warnings"
    (root / "people").mkdir(parents=True)
    (root / "kizuna.toml").write_text("")
    for name in ("dated-outside-log.md", "introduced-by-nobody.md", "no-way-to-reach.md"):
        shutil.copy(CORPUS / "people" / name, root / "people" / name)
    assert run(root, "check").exit_code == 0
    strict = run(root, "check", "--strict", "--json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["warnings"] == 3
