"""`kizuna export json`: the whole index in the documented shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import SAMPLE_VAULT, MakeVault, snapshot

Run = Callable[..., Result]

CONTACT_KEYS = {
    "path", "name", "aliases", "reading", "tier", "cadence", "status", "snooze_until", "company",
    "title", "industry", "location", "circles", "tags", "met", "met_context", "introduced_by",
    "interests", "needs", "offers", "email", "phone", "links", "birthday", "dates",
    "last_contact", "follow_up", "uid", "extra", "effective_cadence", "last", "interactions",
    "promises",
}


def test_json_has_every_contact_with_every_key(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({
        "people/Aiko.md": "---\ntier: key\nbirthday: --04-01\nemail: a@example.com\n---\n"
                          "## Log\n- 2026-11-20 coffee: talked about [[Ken]].\n"
                          "- [ ] Send her the paper 📅 2026-11-27\n",
        "people/Ken.md": "---\nbirthday: 2026-13-01\n---\n",  # a bad date: a problem
        "Daily/2026-11-21.md": "Called [[Ken]].\n",
    })
    before = snapshot(vault)
    result = run(vault, "export", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {"kizuna_json", "today", "contacts", "problems"}
    assert (data["kizuna_json"], data["today"]) == (1, "2026-11-23")
    assert [c["name"] for c in data["contacts"]] == ["Aiko", "Ken"]
    for contact in data["contacts"]:
        assert set(contact) == CONTACT_KEYS
    aiko, ken = data["contacts"]
    assert aiko["birthday"] == "--04-01" and aiko["email"] == ["a@example.com"]
    assert aiko["promises"][0]["due"] == "2026-11-27"
    assert [i["kind"] for i in ken["interactions"]] == ["note", "coffee"]  # newest first
    assert any("birthday" in p["message"] and p["path"] == "people/Ken.md"
               for p in data["problems"])
    assert snapshot(vault) == before


def test_json_to_a_file_matches_stdout(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "index.json"
    assert run(SAMPLE_VAULT, "export", "json", "-o", str(out)).exit_code == 0
    printed = run(SAMPLE_VAULT, "export", "json").output
    assert out.read_text(encoding="utf-8") == printed
    assert len(json.loads(printed)["contacts"]) >= 20


def test_exports_do_not_import_heavy_modules_before_they_run() -> None:
    import subprocess
    import sys

    code = ("import sys; from kizuna.cli import cli; cli.get_command(None, 'export'); "
            "cli.get_command(None, 'import'); "
            "print(sorted(m for m in ('vobject', 'icalendar', 'rich') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
