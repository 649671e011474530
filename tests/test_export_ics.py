"""`kizuna export ics`: follow-ups and promises as to-dos, birthdays as yearly events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from click.testing import Result
from conftest import SAMPLE_VAULT, MakeVault, snapshot

Run = Callable[..., Result]

VAULT = {
    "people/Aiko Tanaka.md": """---
tier: key
birthday: --04-01
uid: urn:uuid:0b4a4c1e-3f1d-4c9e-9c8e-2d5f3b1a7e10
---
## Log
- 2026-04-01 lunch: talked about the [[Ken Ito|pilot]]; she needs data engineers.

## Promises
- [ ] Send her the adaptive learning paper 📅 2026-11-27
- [ ] Find a UX researcher for her
- [x] Introduce her to Ken ✅ 2026-11-20
- [x] An old favour ✅ 2025-01-01
""",
    "people/Ken Ito.md": """---
tier: acquaintance
follow_up: 2026-11-26
birthday: 1988-02-29
---
## Log
- 2026-10-01 email: sent the deck.
""",
    "people/Old Friend.md": "---\nstatus: archived\nbirthday: 1970-05-05\n---\n",
    "Daily/2026-11-10.md": "- [ ] Ask [[Ken Ito]] about the deck 📅 2026-11-30\n",
}


def export(run: Run, vault: Path, *args: str, today: date = date(2026, 11, 23)) -> str:
    result = run(vault, "export", "ics", *args, today=today)
    assert result.exit_code == 0, result.output
    return result.output


def components(text: str) -> dict[str, object]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    return {str(c["summary"]): c for c in calendar.walk() if c.name in ("VTODO", "VEVENT")}


def test_follow_ups_promises_and_birthdays_parse_with_icalendar(make_vault: MakeVault,
                                                                run: Run) -> None:
    vault = make_vault(VAULT)
    before = snapshot(vault)
    found = components(export(run, vault))
    assert set(found) == {
        "Reach out to Aiko Tanaka",  # key tier: a meet is due every 6 months
        "Reach out to Ken Ito",  # a follow-up in 3 days: coming up
        "Promise to Aiko Tanaka: Send her the adaptive learning paper",
        "Promise to Aiko Tanaka: Find a UX researcher for her",
        "Promise to Aiko Tanaka: Introduce her to Ken",  # kept this month: completed
        "Promise to Ken Ito: Ask Ken Ito about the deck",
        "Aiko Tanaka's birthday",
        "Ken Ito's birthday",
    }  # not the archived friend's birthday, not the promise kept last year
    aiko = found["Reach out to Aiko Tanaka"]
    assert aiko.name == "VTODO"
    assert aiko["due"].dt == date(2026, 10, 1)  # lunch on 2026-04-01 + 6 months
    assert "meet due 2026-10-01" in str(aiko["description"])
    assert "Last: 2026-04-01 lunch: talked about the pilot" in str(aiko["description"])
    assert found["Reach out to Ken Ito"]["due"].dt == date(2026, 11, 26)
    paper = found["Promise to Aiko Tanaka: Send her the adaptive learning paper"]
    assert paper["due"].dt == date(2026, 11, 27) and str(paper["status"]) == "NEEDS-ACTION"
    assert "due" not in found["Promise to Aiko Tanaka: Find a UX researcher for her"]
    kept = found["Promise to Aiko Tanaka: Introduce her to Ken"]
    assert str(kept["status"]) == "COMPLETED"
    assert kept["completed"].dt.date() == date(2026, 11, 20)
    birthday = found["Aiko Tanaka's birthday"]
    assert birthday.name == "VEVENT"
    assert birthday["dtstart"].dt == date(2000, 4, 1)  # no year: still yearly
    assert birthday["rrule"]["FREQ"] == ["YEARLY"]
    leap = found["Ken Ito's birthday"]
    assert leap["dtstart"].dt == date(1988, 2, 29)
    assert leap["rrule"]["BYMONTHDAY"] == [-1] and leap["rrule"]["BYMONTH"] == [2]
    assert snapshot(vault) == before


def test_the_calendar_parses_with_vobject_too(make_vault: MakeVault, run: Run) -> None:
    import vobject

    calendar = vobject.readOne(export(run, make_vault(VAULT)))
    todos = calendar.contents["vtodo"]
    events = calendar.contents["vevent"]
    assert len(todos) == 6 and len(events) == 2
    aiko = next(e for e in events if e.summary.value == "Aiko Tanaka's birthday")
    assert aiko.dtstart.value == date(2000, 4, 1)
    assert aiko.rrule.value == "FREQ=YEARLY"
    # vobject expands the rule: the next birthdays fall on 1 April every year
    after = list(aiko.getrruleset()).__getitem__(slice(26, 28))
    assert [d.date() for d in after] == [date(2026, 4, 1), date(2027, 4, 1)]
    ken = next(e for e in events if e.summary.value == "Ken Ito's birthday")
    assert [d.date() for d in list(ken.getrruleset())[38:40]] == [date(2026, 2, 28),
                                                                  date(2027, 2, 28)]
    paper = next(t for t in todos if "adaptive" in t.summary.value)
    assert paper.due.value == date(2026, 11, 27)


def test_uids_are_stable_across_exports_and_changes(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(VAULT)

    def uids(text: str) -> dict[str, str]:
        return {summary: str(c["uid"]) for summary, c in components(text).items()}

    first = export(run, vault)
    assert export(run, vault) == first  # the same day, the same bytes
    before = uids(first)
    assert len(set(before.values())) == len(before)  # every item its own UID
    # The next day, after editing the notes: lines move, a due date changes.
    path = vault / "people/Aiko Tanaka.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Log\n", "Words.\n\n## Log\n- 2026-06-01 coffee: hi\n"),
                    encoding="utf-8")
    later = export(run, vault, today=date(2026, 11, 24))
    after = uids(later)
    # meet is no longer due (2026-12-01); talk is, since 2026-09-01
    assert components(later)["Reach out to Aiko Tanaka"]["due"].dt == date(2026, 9, 1)
    for summary in ("Reach out to Aiko Tanaka", "Aiko Tanaka's birthday",
                    "Promise to Aiko Tanaka: Send her the adaptive learning paper",
                    "Promise to Ken Ito: Ask Ken Ito about the deck", "Ken Ito's birthday"):
        assert after[summary] == before[summary], summary


def test_a_contact_with_a_uid_keeps_its_uids_when_renamed(make_vault: MakeVault,
                                                          run: Run) -> None:
    vault = make_vault(VAULT)
    before = {s: str(c["uid"]) for s, c in components(export(run, vault)).items()}
    (vault / "people/Aiko Tanaka.md").rename(vault / "people/Aiko T.md")
    after = {s: str(c["uid"]) for s, c in components(export(run, vault)).items()}
    assert after["Aiko T's birthday"] == before["Aiko Tanaka's birthday"]


def test_ics_to_a_file_and_the_sample_vault(run: Run, tmp_path: Path) -> None:
    from icalendar import Calendar

    out = tmp_path / "kizuna.ics"
    result = run(SAMPLE_VAULT, "export", "ics", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    calendar = Calendar.from_ical(raw)
    todos = [c for c in calendar.walk() if c.name == "VTODO"]
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert todos and events
    assert all(isinstance(c["dtstamp"].dt, datetime) for c in todos + events)
    assert all("RRULE" in c for c in events)


def test_a_japanese_vault_gets_japanese_summaries(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({**VAULT, "kizuna.toml": 'language = "ja"\n'})
    found = components(export(run, vault))
    assert {"Aiko Tanakaさんに連絡", "Aiko Tanakaさんの誕生日",
            "Aiko Tanakaさんとの約束: Send her the adaptive learning paper"} <= set(found)
