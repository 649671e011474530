"""`kizuna export vcard`: vCard 4.0 that kizuna (and other tools) read back without loss."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from conftest import MakeVault, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_helpers import FIXTURES, body, people, problems

from kizuna.interop.common import Outcome as _Outcome
from kizuna.interop.common import Person, write_note
from kizuna.model import Contact, PartialDate

Run = Callable[..., Result]

# The fields a vCard carries, as kizuna reads them back.
CARRIED = ("name", "aliases", "reading", "tier", "cadence", "company", "title", "location",
           "tags", "emails", "phones", "links", "birthday", "dates", "uid")

VAULT = {
    "kizuna.toml": "",
    "people/Aiko Tanaka.md": """---
name: Aiko Tanaka
aliases: [Aiko, 田中 愛子]
reading: たなか あいこ
tier: key
cadence: {talk: 2m, meet: none}
company: Example Corp; Learning
title: Head of Learning, Japan
location: Shibuya-ku, Tokyo
tags: [person, ai, "study group"]
circles: [ex-colleagues]
email: [aiko@example.com, aiko.home@example.net]
phone: ["+81 90 1234 5678", "03-1234-5678"]
links: {linkedin: "https://www.linkedin.com/in/aiko", GitHub: "https://github.com/aiko"}
birthday: --04-01
dates: {anniversary: 2015-06-01, joined Example Corp: 2023-04-01}
uid: urn:uuid:0b4a4c1e-3f1d-4c9e-9c8e-2d5f3b1a7e10
met: 2024-05-12
---
Met at the study group; she is hiring data engineers.
Backslash \\ and "quotes", commas, semicolons; all kept.

## Log
- 2026-11-20 coffee: the pilot went live.
""",
    "people/work/Kenji Sato.md": """---
email: kenji@example.org
birthday: 1985-12-24
cadence: none
links: ["https://kenji.example.org", {blog: "https://kenji.example.org/blog"}]
---
""",
    "people/Mika.md": "",
}


def fields(contact: Contact) -> dict[str, object]:
    return {name: getattr(contact, name) for name in CARRIED}


def test_round_trip_keeps_every_vcard_carried_field(make_vault: MakeVault, run: Run,
                                                    tmp_path: Path) -> None:
    source = make_vault(VAULT)
    out = tmp_path / "all.vcf"
    result = run(source, "export", "vcard", "-o", str(out))
    assert result.exit_code == 0, result.output
    target = tmp_path / "empty"
    target.mkdir()
    (target / "kizuna.toml").write_text("", encoding="utf-8")
    result = run(target, "import", "vcard", str(out))
    assert "3 created, 0 skipped as existing, 0 skipped as unusable" in result.output
    before, after = people(source), people(target)
    assert sorted(before) == sorted(after) == ["Aiko Tanaka", "Kenji Sato", "Mika"]
    for name in before:
        assert fields(after[name]) == fields(before[name]), name
    assert after["Aiko Tanaka"].cadence == before["Aiko Tanaka"].cadence != {}
    assert after["Kenji Sato"].cadence is None  # "none": opted out
    assert body(target, after["Aiko Tanaka"]) == (
        "Met at the study group; she is hiring data engineers.\n"
        'Backslash \\ and "quotes", commas, semicolons; all kept.')
    assert problems(target) == []


def test_export_is_vcard_40_one_card_per_contact_with_kizuna_properties(
        make_vault: MakeVault, run: Run) -> None:
    import vobject

    vault = make_vault(VAULT)
    before = snapshot(vault)
    result = run(vault, "export", "vcard")
    assert result.exit_code == 0
    cards = list(vobject.readComponents(result.output))
    assert len(cards) == 3
    assert {c.version.value for c in cards} == {"4.0"}
    aiko = next(c for c in cards if c.fn.value == "Aiko Tanaka")
    assert aiko.contents["x-kizuna-tier"][0].value == "key"
    assert aiko.contents["x-kizuna-cadence"][0].value == "talk=2m meet=none"
    assert aiko.bday.value == "--0401"
    assert aiko.n.value.family == "Tanaka" and aiko.n.value.given == "Aiko"
    assert aiko.n.params["SORT-AS"] == ["たなか,あいこ"]
    assert aiko.contents["x-phonetic-last-name"][0].value == "たなか"  # furigana on phones
    assert aiko.contents["x-phonetic-first-name"][0].value == "あいこ"
    assert aiko.prodid.value == "-//kizuna//kizuna export//EN"
    assert aiko.anniversary.value == "2015-06-01"
    assert "circles" not in result.output.casefold()  # not a vCard field
    assert "pilot went live" not in result.output  # the log is not the note
    assert snapshot(vault) == before


def test_export_to_a_file_anywhere_and_errors_in_one_line(make_vault: MakeVault, run: Run,
                                                          tmp_path: Path) -> None:
    vault = make_vault(VAULT)
    out = tmp_path / "elsewhere" / "contacts.vcf"
    result = run(vault, "export", "vcard", "-o", str(out))
    assert result.exit_code == 1 and "no folder" in result.output
    out.parent.mkdir()
    result = run(vault, "export", "vcard", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "wrote 3 contacts" in result.output


def test_fixtures_survive_import_export_import(make_vault: MakeVault, run: Run,
                                               tmp_path: Path) -> None:
    first = make_vault({})
    for name in ("vcard30-icloud.vcf", "vcard40.vcf", "vcard21-feature-phone-sjis.vcf"):
        run(first, "import", "vcard", str(FIXTURES / name))
    out = tmp_path / "again.vcf"
    run(first, "export", "vcard", "-o", str(out))
    second = tmp_path / "second"
    second.mkdir()
    (second / "kizuna.toml").write_text("", encoding="utf-8")
    run(second, "import", "vcard", str(out))
    a, b = people(first), people(second)
    assert sorted(a) == sorted(b)
    for name in a:
        assert fields(a[name]) == fields(b[name]), name
        assert body(first, a[name]) == body(second, b[name]), name


# --- property: any person kizuna writes comes back the same ---------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("C", "Z")).filter(
    lambda c: c not in '"'), min_size=1, max_size=12)
WORDS = st.lists(TEXT, min_size=1, max_size=3).map(" ".join)
LABEL = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True).filter(
    lambda s: s not in ("pref", "internet", "voice", "other", "anniversary", "date"))
DAY = st.dates(date(1900, 1, 1), date(2030, 12, 31))


@st.composite
def persons(draw: st.DrawFn) -> Person:
    name = draw(WORDS)
    aliases = draw(st.lists(WORDS, max_size=2, unique_by=str.casefold))
    birthday = draw(st.none() | DAY.map(lambda d: PartialDate(d.month, d.day, d.year))
                    | DAY.map(lambda d: PartialDate(d.month, d.day)))
    links = draw(st.lists(st.tuples(LABEL, st.from_regex(r"https://[a-z]{1,8}\.example/[a-z]*",
                                                           fullmatch=True)),
                          max_size=2, unique_by=lambda x: (x[0], x[1])))
    return Person(
        "generated", name=name,
        aliases=[a for a in aliases if a.casefold() != name.casefold()],
        reading=draw(st.none() | st.lists(TEXT.filter(lambda t: "," not in t), min_size=1,
                                          max_size=2).map(" ".join)),
        company=draw(st.none() | WORDS), title=draw(st.none() | WORDS),
        location=draw(st.none() | WORDS),
        tags=draw(st.lists(TEXT.filter(lambda t: "," not in t), max_size=2,
                           unique_by=str.casefold)),
        emails=draw(st.lists(st.from_regex(r"[a-z]{1,6}@[a-z]{1,6}\.example", fullmatch=True),
                             max_size=2, unique=True)),
        phones=draw(st.lists(st.from_regex(r"\+?[0-9]{1,4}( ?[0-9-]{1,5}){1,3}", fullmatch=True),
                             max_size=2, unique=True)),
        links=list(dict(links).items()) if len({lb for lb, _ in links}) == len(links) else [],
        birthday=birthday,
        uid=draw(st.none() | st.uuids().map(lambda u: f"urn:uuid:{u}")),
        note=draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                          max_size=40).map(lambda t: "\n".join(x.strip() for x in t.split("\n")
                                                               if x.strip() and
                                                               not x.lstrip().startswith("#")))),
    )


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=persons())
def test_property_any_written_person_round_trips(
        person: Person, tmp_path_factory: pytest.TempPathFactory) -> None:
    from kizuna.config import load_config
    from kizuna.index import Index
    from kizuna.interop.vcard import export_vcards, read_vcards
    from kizuna.vault import Vault

    root = tmp_path_factory.mktemp("prop")
    (root / "kizuna.toml").write_text("", encoding="utf-8")
    write_note(_Outcome("create", "generated", person, "people/p.md"), root)
    vault = Vault(root, load_config(root))
    index = Index(vault.read_all(), vault.config)
    [original] = index.contacts
    count, records = read_vcards(export_vcards(index, root).encode("utf-8"))
    [back] = list(records)
    assert count == 1
    assert isinstance(back, Person)
    assert back.name == original.name
    assert back.aliases == list(original.aliases)
    assert back.reading == original.reading
    assert (back.company, back.title, back.location) == (original.company, original.title,
                                                        original.location)
    assert back.tags == list(original.tags)
    assert (back.emails, back.phones) == (list(original.emails), list(original.phones))
    assert back.links == list(original.links)
    assert back.birthday == original.birthday
    assert back.uid == original.uid
    assert back.note == person.note.strip()


def test_installed_entry_point_imports_and_exports_through_real_pipes(tmp_path: Path) -> None:
    import subprocess
    import sys

    kizuna = Path(sys.executable).parent / "kizuna"
    vault = tmp_path / "v"
    assert subprocess.run([kizuna, "init", str(vault)], capture_output=True).returncode == 0
    made = subprocess.run([kizuna, "--vault", str(vault), "import", "vcard",
                           str(FIXTURES / "vcard21-feature-phone-sjis.vcf")],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "2 created" in made.stdout
    out = subprocess.run([kizuna, "--vault", str(vault), "export", "vcard"],
                         capture_output=True, env={"PATH": "/usr/bin:/bin", "LANG": "C"})
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")  # UTF-8 bytes whatever the locale says
    assert text.count("BEGIN:VCARD\r\n") == 3  # the example contact and the two imported
    assert "FN:田中 愛子\r\n" in text and "ORG:㈱サンプル教育\r\n" in text
