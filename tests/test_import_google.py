"""`kizuna import google`: Google Contacts CSV, both header generations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import MakeVault
from interop_helpers import FIXTURES, SEED, body, note_text, people, problems, run_import

from kizuna.model import PartialDate

Run = Callable[..., Result]


def test_todays_header_with_bom_phonetic_names_labels_and_multi_values(make_vault: MakeVault,
                                                                       run: Run) -> None:
    assert (FIXTURES / "google-new.csv").read_bytes().startswith(b"\xef\xbb\xbfFirst Name,")
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "google", FIXTURES / "google-new.csv")
    assert new == {"people/田中 愛子.md", "people/Emma Brown.md", "people/José Luis Martínez.md"}
    found = people(vault)
    aiko = found["田中 愛子"]  # First 愛子 + Last 田中: a Japanese name is family first
    assert aiko.reading == "たなか あいこ"
    assert aiko.aliases == ("Ai",)
    # "* Work" is the primary e-mail; "a ::: b" is two values in one cell
    assert aiko.emails == ("aiko@example.com", "aiko.home@example.net", "aiko.old@example.net")
    assert aiko.circles == ("AI study group",)  # not "* myContacts" or "* starred"
    assert aiko.location == "Shibuya-ku, Tokyo, Japan"
    assert aiko.birthday == PartialDate(4, 1, 1990)
    assert aiko.dates == (("anniversary", PartialDate(6, 1, 2015)),)
    assert sorted(aiko.links) == [("blog", "https://aiko.example.com/blog"),
                                  ("profile", "https://www.linkedin.com/in/aikotanaka")]
    assert body(vault, aiko) == ('Met at the "AI × Education" study group.\n'
                                 "Hiring data engineers, in Tokyo.\n\nAsk about the pilot.")
    assert "googleusercontent" not in note_text(vault, aiko)  # the Photo column is skipped
    emma = found["Emma Brown"]
    assert emma.birthday == PartialDate(12, 24, None)  # "--12-24"
    assert emma.circles == ("Ex-colleagues",)
    jose = found["José Luis Martínez"]
    assert jose.company == "Compañía, S.A."
    assert ("unusable: row 4 (line 10): no name (only an organization: Only A Company Ltd)"
            in result.output)
    assert "3 created, 0 skipped as existing, 1 skipped as unusable" in result.output
    assert problems(vault) == []


def test_older_header_yomi_group_membership_and_types(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "google", FIXTURES / "google-old.csv")
    assert new == {"people/田中 愛子.md", "people/Kenji Sato.md"}
    found = people(vault)
    aiko = found["田中 愛子"]
    assert aiko.reading == "たなか あいこ"  # Yomi Name
    assert aiko.emails[0] == "aiko@example.com"  # "* Work" in E-mail 2 is the primary one
    assert aiko.circles == ("AI study group",)
    assert (aiko.company, aiko.title) == ("Example Corp", "Head of Learning")
    assert body(vault, aiko) == "Met at the AI study group.\nNeeds data engineers, urgently."
    kenji = found["Kenji Sato"]
    assert kenji.reading == "さとう けんじ"  # Family Name Yomi + Given Name Yomi
    assert kenji.birthday == PartialDate(4, 1, None)
    assert kenji.phones == ("+81 3-0000-2222", "+81 3-0000-3333")
    assert kenji.emails == ("kenji@example.org",)  # not the duplicate row's address
    assert "unusable: row 3 (line 7): no name" in result.output
    assert "duplicate: Kenji Sato, row 4 (line 8): same name Kenji Sato as row 2" \
        in result.output


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_bom_or_not_and_utf16_read_the_same(make_vault: MakeVault, run: Run, tmp_path: Path,
                                            encoding: str) -> None:
    text = (FIXTURES / "google-old.csv").read_text(encoding="utf-8-sig")
    file = tmp_path / "contacts.csv"
    file.write_bytes(text.encode(encoding))
    vault = make_vault(SEED)
    _, new = run_import(run, vault, "google", file)
    assert new == {"people/田中 愛子.md", "people/Kenji Sato.md"}
    assert people(vault)["田中 愛子"].reading == "たなか あいこ"


def test_existing_people_stay_byte_identical(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({
        "people/Emma.md": "---\nemail: [emma.brown@example.co.uk]\n---\n\n## Log\n"
                          "- 2026-01-01 coffee: hi\n",
        "contacts/jose.md": "---\ntags: [person]\naliases: [José Luis Martínez]\n---\n",
    })
    result, new = run_import(run, vault, "google", FIXTURES / "google-new.csv")
    assert "exists: Emma Brown, row 2 (line 8), is already people/Emma.md" in result.output
    assert "exists: José Luis Martínez, row 3 (line 9), is already contacts/jose.md" \
        in result.output
    assert new == {"people/田中 愛子.md"}
    assert people(vault)["田中 愛子"].met is None


def test_a_linkedin_file_is_not_a_google_csv(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "google", FIXTURES / "linkedin-connections.csv", code=1)
    assert new == set()
    assert "not a Google Contacts CSV export" in result.output
