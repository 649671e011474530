"""`kizuna import vcard`: vCard 2.1, 3.0 and 4.0 as phones, iCloud and Google write them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import MakeVault, snapshot
from interop_helpers import FIXTURES, SEED, body, note_text, people, problems, run_import

from kizuna.model import PartialDate

Run = Callable[..., Result]


def import_fixture(run: Run, vault: Path, name: str, *args: str) -> tuple[Result, set[str]]:
    return run_import(run, vault, "vcard", FIXTURES / name, *args)


def test_feature_phone_vcard_21_in_shift_jis_with_quoted_printable(make_vault: MakeVault,
                                                                   run: Run) -> None:
    raw = (FIXTURES / "vcard21-feature-phone-sjis.vcf").read_bytes()
    assert b"CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=93c=92=86" in raw
    raw.decode("cp932")  # the file really is Shift_JIS bytes, not UTF-8
    vault = make_vault(SEED)
    result, new = import_fixture(run, vault, "vcard21-feature-phone-sjis.vcf")
    assert new == {"people/田中 愛子.md", "people/佐藤 健二.md"}
    assert "2 created, 0 skipped as existing, 0 skipped as unusable" in result.output
    found = people(vault)
    aiko = found["田中 愛子"]
    assert aiko.path == "people/田中 愛子.md"
    assert aiko.reading == "タナカ アイコ"  # SOUND;X-IRMC-N, half-width kana made full-width
    assert aiko.company == "㈱サンプル教育"  # a CP932 character under the SHIFT_JIS label
    assert aiko.emails == ("aiko.tanaka@example.ne.jp",)
    assert aiko.phones == ("090-1234-5678", "03-1234-5678")
    assert aiko.birthday == PartialDate(4, 1, 1990)
    # NOTE spans soft line breaks and holds =0D=0A and Shift_JIS bytes 0x5C (表, ソ)
    assert body(vault, aiko) == ("勉強会で知り合った。データエンジニアを探している。\n"
                                 "表計算ソフトの話で盛り上がった（①②）。")
    text = note_text(vault, aiko)
    assert "PHOTO" not in text and "/9j/" not in text
    kenji = found["佐藤 健二"]  # raw Shift_JIS bytes, not quoted-printable
    assert (kenji.reading, kenji.title) == ("サトウ ケンジ", "部長")
    assert problems(vault) == []


def test_icloud_vcard_30_groups_phonetic_names_and_apple_birthday(make_vault: MakeVault,
                                                                  run: Run) -> None:
    vault = make_vault(SEED)
    _, new = import_fixture(run, vault, "vcard30-icloud.vcf")
    assert new == {"people/Aiko Tanaka.md", "people/山田 太郎.md"}
    aiko = people(vault)["Aiko Tanaka"]
    assert aiko.reading == "たなか あいこ"  # X-PHONETIC-LAST-NAME first, then FIRST
    assert aiko.aliases == ("Ai",)
    assert aiko.emails == ("aiko@example.com", "aiko.tanaka@corp.example.com")  # item1 is pref
    assert aiko.phones == ("+81 90-1234-5678", "+81 3-1234-5678")
    assert (aiko.company, aiko.title) == ("Example Corp", "Head of Learning")
    assert aiko.location == "Shibuya-ku, Tokyo, Japan"
    assert aiko.birthday == PartialDate(4, 1, None)  # X-APPLE-OMIT-YEAR=1604
    assert aiko.tags == ("study group", "ai")
    assert aiko.links == (("homepage", "https://aiko.example.com/"),
                          ("linkedin", "https://www.linkedin.com/in/aikotanaka"))
    assert aiko.uid == "6B29FC40-CA47-1067-B31D-00DD010662DA"
    # the folded NOTE, unescaped, is the body; the base64 PHOTO is nowhere
    assert body(vault, aiko) == (
        "Met at the AI × Education study group in Shibuya, May 2024. Her tutoring pilot goes "
        "live in autumn; she is hiring data engineers.\nLikes trail running.")
    text = note_text(vault, aiko)
    assert "AAECAwQF" not in text and "photo" not in text.casefold()
    yamada = people(vault)["山田 太郎"]
    assert yamada.reading == "ヤマダ タロウ"
    assert yamada.birthday == PartialDate(12, 24, 1985)


def test_google_vcard_30_sort_string_escaped_url_and_system_groups(make_vault: MakeVault,
                                                                   run: Run) -> None:
    vault = make_vault(SEED)
    _, new = import_fixture(run, vault, "vcard30-google.vcf")
    assert new == {"people/Kenji Sato.md", "people/Emma Brown.md"}
    kenji = people(vault)["Kenji Sato"]
    assert kenji.reading == "さとう けんじ"  # SORT-STRING
    assert kenji.birthday == PartialDate(4, 1, None)  # BDAY:--0401
    assert kenji.links == (("PROFILE", "https://github.com/kenjisato"),)  # `https\://`
    assert kenji.tags == ("AI study group",)  # not Google's myContacts
    assert kenji.emails == ("kenji@example.org", "kenji.sato@mail.example")
    assert body(vault, kenji) == "Organiser of the study group."
    emma = people(vault)["Emma Brown"]
    assert emma.tags == ()  # myContacts and starred are system groups
    assert emma.birthday == PartialDate(7, 15, 1992)


def test_vcard_40_altid_alternatives_sort_as_and_phonetic_script(make_vault: MakeVault,
                                                                 run: Run) -> None:
    vault = make_vault(SEED)
    _, new = import_fixture(run, vault, "vcard40.vcf")
    assert new == {"people/田中 愛子.md", "people/山田 花子.md"}
    found = people(vault)
    aiko = found["田中 愛子"]  # the first FN alternative is the name, the others aliases
    assert aiko.aliases == ("Aiko Tanaka",)
    assert aiko.reading == "たなか あいこ"  # N;SORT-AS="たなか,あいこ"
    assert aiko.birthday == PartialDate(4, 1, None)
    assert aiko.emails == ("aiko@example.com", "aiko.home@example.net")  # PREF=1 first
    assert aiko.phones == ("+81-90-1234-5678", "+81-3-1234-5678")  # tel: URIs
    assert aiko.uid == "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
    assert aiko.links == (("work", "https://corp.example.com/aiko"),)
    hanako = found["山田 花子"]
    assert hanako.reading == "やまだ はなこ"  # the N alternative with PHONETIC/SCRIPT=Hira
    assert hanako.aliases == ()
    assert hanako.birthday == PartialDate(2, 29, 1988)


def test_n_without_fn_fn_without_n_and_malformed_cards(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(SEED)
    result, new = import_fixture(run, vault, "vcard-edge-cases.vcf")
    assert new == {"people/Dr. John Quincy Smith Jr.md", "people/Mika.md", "people/Last One.md"}
    found = people(vault)
    assert set(found) == {"Someone Else", "Dr. John Quincy Smith Jr.", "Mika", "Last One"}
    assert found["Mika"].phones == ("+1 555 0100",)
    assert "unusable: card 3 (line 11): no name (no FN or N)" in result.output
    assert ("unusable: card 4 (line 16): line 19: cannot parse 'this line is not a property'"
            in result.output)
    assert "3 created, 0 skipped as existing, 2 skipped as unusable" in result.output
    assert found["Last One"].emails == ("last@example.com",)  # after the bad card, still read


def test_existing_people_are_reported_and_left_byte_identical(make_vault: MakeVault,
                                                              run: Run) -> None:
    vault = make_vault({
        # same email as card 1 of the iCloud file, under another name
        "people/Aiko.md": "---\nname: Aiko T.\nemail: AIKO@example.com\n---\nMy notes.\r\n",
        # same name as card 2, after NFKC folding (full-width space and letters)
        "people/work/yamada.md": "---\nname: 山田\u3000太郎\n---\n",
        "Daily/2026-11-20.md": "Lunch with [[Aiko]].\n",
    })
    result, new = import_fixture(run, vault, "vcard30-icloud.vcf")
    assert new == set()
    assert ("exists: Aiko Tanaka, card 1 (line 1), is already people/Aiko.md "
            "(same email aiko@example.com); left untouched") in result.output
    assert "exists: 山田 太郎, card 2 (line 46), is already people/work/yamada.md" in result.output
    assert "0 created, 2 skipped as existing, 0 skipped as unusable" in result.output


def test_same_uid_and_alias_count_as_existing(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({
        "people/Someone.md": "---\nuid: urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\n---\n",
        "people/Kenji.md": "---\naliases: [KENJI SATO]\n---\n",
    })
    result, new = import_fixture(run, vault, "vcard40.vcf")
    assert "is already people/Someone.md (same uid urn:uuid:f81d4fae" in result.output
    assert new == {"people/山田 花子.md"}
    result, new = import_fixture(run, vault, "vcard30-google.vcf")
    assert "Kenji Sato, card 1 (line 1), is already people/Kenji.md (same name Kenji Sato)" \
        in result.output
    assert new == {"people/Emma Brown.md"}


def test_importing_the_same_file_twice_creates_nothing_the_second_time(make_vault: MakeVault,
                                                                       run: Run) -> None:
    vault = make_vault(SEED)
    import_fixture(run, vault, "vcard30-icloud.vcf")
    result, new = import_fixture(run, vault, "vcard30-icloud.vcf")
    assert "0 created, 2 skipped as existing" in result.output
    assert new == set()


def test_dry_run_writes_nothing_and_says_what_would_happen(make_vault: MakeVault,
                                                           run: Run) -> None:
    vault = make_vault({"people/Emma Brown.md": "---\nemail: emma@elsewhere.example\n---\n"})
    before = snapshot(vault)
    result, new = import_fixture(run, vault, "vcard30-google.vcf", "--dry-run")
    assert new == set()
    assert "would create people/Kenji Sato.md from card 1 (line 1)" in result.output
    assert "is already people/Emma Brown.md (same name Emma Brown)" in result.output
    assert result.output.rstrip().endswith(
        "dry run: 1 would be created, 1 skipped as existing, 0 skipped as unusable; "
        "nothing written")
    assert snapshot(vault) == before


def test_duplicates_within_one_file_are_created_once(make_vault: MakeVault, run: Run,
                                                     tmp_path: Path) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nEND:VCARD\r\n"
    file = tmp_path / "dupes.vcf"
    file.write_text(card.format(name="Ann Lee", email="ann@example.com")
                    + card.format(name="Ann Lee (work)", email="ANN@example.com")
                    + card.format(name="ann lee", email="other@example.com"), encoding="utf-8")
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "vcard", file)
    assert new == {"people/Ann Lee.md"}
    assert ("duplicate: Ann Lee (work), card 2 (line 6): same email ANN@example.com as "
            "card 1 (line 1) in this file; skipped") in result.output
    assert "duplicate: ann lee, card 3 (line 11): same name ann lee as card 1" in result.output
    assert people(vault)["Ann Lee"].emails == ("ann@example.com",)


def test_a_file_name_taken_by_someone_else_gets_a_number(make_vault: MakeVault, run: Run,
                                                         tmp_path: Path) -> None:
    # "A/B" and "A B" differ as names but make the same safe file name
    file = tmp_path / "two.vcf"
    file.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann/Lee\nEND:VCARD\n"
                    "BEGIN:VCARD\nVERSION:3.0\nFN:Ann:Lee\nEND:VCARD\n", encoding="utf-8")
    vault = make_vault({"people/Ann Lee.md": "---\nname: Someone Else\n---\n"})
    _, new = run_import(run, vault, "vcard", file)
    assert new == {"people/Ann Lee 2.md", "people/Ann Lee 3.md"}
    found = people(vault)
    assert found["Ann/Lee"].path == "people/Ann Lee 2.md"
    assert found["Ann:Lee"].path == "people/Ann Lee 3.md"
    assert problems(vault) == []


def test_a_file_without_any_vcard_is_one_clear_error(make_vault: MakeVault, run: Run,
                                                     tmp_path: Path) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("First Name,Last Name\nAnn,Lee\n", encoding="utf-8")
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "vcard", file, code=1)
    assert new == set()
    assert result.output.count("\n") == 1
    assert "no vCard in this file" in result.output


def test_met_and_other_fields_survive_yaml_exactly(make_vault: MakeVault, run: Run,
                                                   tmp_path: Path) -> None:
    # values YAML 1.1 would turn into numbers, booleans or dates stay text
    file = tmp_path / "tricky.vcf"
    file.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:No\nTEL:0123456\nTEL:+4915112345678\n"
                    "ORG:2024-01-01\nTITLE:yes\nNOTE:---\\nnot front matter\nEND:VCARD\n",
                    encoding="utf-8")
    vault = make_vault(SEED)
    _, new = run_import(run, vault, "vcard", file)
    assert new == {"people/No.md"}
    person = people(vault)["No"]
    assert person.phones == ("0123456", "+4915112345678")
    assert (person.company, person.title) == ("2024-01-01", "yes")
    assert body(vault, person) == "---\nnot front matter"
    assert problems(vault) == []
    assert person.birthday is None


def test_group_cards_are_not_people_and_nothing_importable_exits_1(
        make_vault: MakeVault, run: Run, tmp_path: Path) -> None:
    file = tmp_path / "groups.vcf"
    file.write_text("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Study group\r\n"
                    "MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n",
                    encoding="utf-8")
    vault = make_vault(SEED)
    result, new = run_import(run, vault, "vcard", file, code=1)
    assert new == set()
    assert "unusable: card 1 (line 1): a group card (KIND:group), not a person" in result.output
    assert "unusable: card 2 (line 7): no name (no FN or N)" in result.output
    assert result.output.rstrip().endswith(f"kizuna: nothing in {file} could be imported")


def test_outlook_vcard_21_windows_1252_labels_and_pictures(make_vault: MakeVault,
                                                           run: Run) -> None:
    vault = make_vault(SEED)
    _, new = import_fixture(run, vault, "outlook-2.1.vcf")
    assert new == {"people/José Martínez.md"}
    jose = people(vault)["José Martínez"]  # CHARSET=Windows-1252 quoted-printable
    assert (jose.company, jose.title) == ("Contoso Ltd.", "Account Manager")
    assert jose.phones == ("+1 (425) 555-0100", "+1 (425) 555-0199")
    assert jose.emails == ("jose.martinez@contoso.example",)
    assert jose.location == "Redmond, WA, United States of America"
    assert body(vault, jose) == "Met at the Ignite booth.\nLikes “data” talks."
    assert "/9j/" not in note_text(vault, jose)  # PHOTO and X-MS-CARDPICTURE skipped
