"""`kizuna import linkedin`: Connections.csv, today's shape and the older one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from conftest import MakeVault, snapshot
from interop_helpers import FIXTURES, SEED, note_text, people, problems, run_import

from kizuna.interop.linkedin import connected_on

Run = Callable[..., Result]


def test_todays_export_with_its_preamble(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "linkedin", FIXTURES / "linkedin-connections.csv")
    assert new == {"people/Aiko Tanaka.md", "people/Kenji Sato.md",
                   "people/María José García 🚀.md", "people/Emma Brown, PhD.md"}
    found = people(vault)
    aiko = found["Aiko Tanaka"]
    assert (aiko.met, aiko.met_context) == (date(2024, 10, 9), "LinkedIn")
    assert aiko.emails == ("aiko@example.com",)
    assert aiko.links == (("linkedin", "https://www.linkedin.com/in/aikotanaka"),)
    assert (aiko.company, aiko.title) == ("Example Corp", "Head of Learning")
    text = note_text(vault, aiko)
    assert "met: 2024-10-09\n" in text and "met_context: LinkedIn\n" in text
    kenji = found["Kenji Sato"]  # "Kenji " and "Sato\t": stray tab and trailing space
    assert kenji.path == "people/Kenji Sato.md"
    assert (kenji.company, kenji.title) == ("Sample, Inc.", "VP, Engineering")  # quoted commas
    assert kenji.emails == ()  # hidden by the member: no email, not an empty one
    maria = found["María José García 🚀"]
    assert maria.company == "Startup 🚀"
    assert maria.title == "Founder & CEO | AI, EdTech"
    assert found["Emma Brown, PhD"].met == date(2021, 12, 31)
    assert "unusable: row 4 (line 8): no name" in result.output
    # a second "Kenji Sato" (another member, same name) is reported, not merged or created
    assert ("duplicate: Kenji Sato, row 6 (line 10): same name Kenji Sato as row 2 (line 6) "
            "in this file; skipped") in result.output
    assert "4 created, 1 skipped as existing, 1 skipped as unusable" in result.output
    assert problems(vault) == []


def test_older_export_without_preamble_or_url(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({**SEED, "people/Takeshi Mori.md": "---\ntier: key\n---\n## Log\n"})
    result, new = run_import(run, vault, "linkedin", FIXTURES / "linkedin-connections-2018.csv")
    assert new == {"people/Lisa Chen.md", "people/Tom O'Neil.md", "people/Yuki Ito.md"}
    assert "exists: Takeshi Mori, row 1 (line 2), is already people/Takeshi Mori.md" \
        in result.output
    found = people(vault)
    lisa = found["Lisa Chen"]
    assert lisa.emails == ()  # urn:li:member:… is a member id, not an e-mail
    assert lisa.met == date(2017, 12, 24)  # "12/24/17, 11:02 AM"
    assert lisa.title == "Senior Data Engineer, ML"
    assert found["Tom O'Neil"].met == date(2016, 3, 5)
    assert ("unusable: row 4 (line 5): 7 cells where the header has 6 (an unquoted comma?)"
            in result.output)
    yuki = found["Yuki Ito"]
    assert yuki.met is None and yuki.emails == ("yuki@example.jp",)
    assert "Connected On 'sometime last year' is not a date; left out" in result.output
    assert "3 created, 1 skipped as existing, 1 skipped as unusable" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("09 Oct 2024", date(2024, 10, 9)),
    ("1/8/18, 6:14 PM", date(2018, 1, 8)),
    ("12/24/2017", date(2017, 12, 24)),
    ("2024-10-09", date(2024, 10, 9)),
    ("Oct 9, 2024", date(2024, 10, 9)),
    ("2024年10月09日", date(2024, 10, 9)),
    ("31 Feb 2024", None),
    ("", None),
])
def test_connected_on_formats(text: str, expected: date | None) -> None:
    assert connected_on(text) == expected


def test_a_file_that_is_not_connections_csv_is_one_clear_error(make_vault: MakeVault, run: Run,
                                                                tmp_path: Path) -> None:
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "linkedin", FIXTURES / "google-new.csv", code=1)
    assert "not a LinkedIn Connections.csv export" in result.output
    assert new == set()


def test_dry_run_writes_nothing(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(SEED)
    before = snapshot(vault)
    result, new = run_import(run, vault, "linkedin", FIXTURES / "linkedin-connections.csv",
                             "--dry-run")
    assert new == set()
    assert "would create people/Aiko Tanaka.md from row 1 (line 5)" in result.output
    assert "dry run: 4 would be created" in result.output
    assert snapshot(vault) == before
