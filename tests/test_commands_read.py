"""init, check, list and show through the real CLI, on real vault files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, snapshot

from kizuna.cli import cli

VAULT = {
    "people/Aiko Tanaka.md": """\
---
aliases: [Aiko, 田中 愛子]
tier: key
company: Example Corp
title: Head of Learning
circles: [ex-colleagues, AI-Education]
email: aiko@example.com
cadence: {talk: 2m}
---
## Log
- 2026-11-18 <- email: Asked whether I know a UX researcher.
- 2026-06-14 lunch: With [[Kenji Sato]].

## Promises
- [ ] Send the paper 📅 2026-11-27
- [x] Lend the book ✅ 2026-11-02
""",
    "people/work/Kenji Sato.md": "---\naliases: [Ken]\nemail: k@example.com\n"
                                 "circles: [alumni]\n---\n",
    "people/Old Boss.md": "---\nname: Takeshi Mori\nstatus: paused\nphone: '0123'\n"
                          "tier: inner\n---\n",
    "people/Ken Ito.md": "---\nemail: ito@example.com\ntier: acquaintance\n---\n",
    "Daily/2026-11-20.md": "- coffee: [[Ken]] and [[Aiko]]\n",
}


@pytest.fixture
def vault(make_vault):
    return make_vault(VAULT)


# --- init ------------------------------------------------------------------------------


def test_init_makes_a_vault_that_checks_clean(tmp_path, run):
    target = tmp_path / "new"
    result = CliRunner().invoke(cli, ["init", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (target / "kizuna.toml").read_text(encoding="utf-8").startswith("# kizuna settings")
    assert (target / "people" / "Aiko Tanaka.md").exists()
    checked = run(target, "check")
    assert checked.exit_code == 0 and "1 contact, 0 errors, 0 warnings" in checked.output


def test_init_refuses_an_existing_vault_and_changes_nothing(vault):
    before = snapshot(vault)
    result = CliRunner().invoke(cli, ["init", str(vault)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "exists already" in result.output and "nothing changed" in result.output
    assert snapshot(vault) == before


def test_init_keeps_an_existing_people_folder_as_it_is(tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "Mine.md").write_text("mine")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "people").iterdir()) == ["Mine.md"]
    assert "example contact" not in result.output


def test_init_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init"], catch_exceptions=False).exit_code == 0
    assert (tmp_path / "kizuna.toml").is_file()


# --- check -----------------------------------------------------------------------------


def test_check_a_clean_vault_exits_0(vault, run):
    result = run(vault, "check")
    assert result.exit_code == 0
    assert result.output == "4 contacts, 0 errors, 0 warnings\n"


def test_check_lists_problems_with_file_and_line_and_exits_1_on_errors(make_vault, run):
    root = make_vault({**VAULT, "people/Bad.md": "---\nemail: b@x\nmet: soon\n---\n",
                       "people/Quiet.md": "---\nname: Quiet\n---\n"})
    result = run(root, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "people/Bad.md:3: error: met: 'soon' is not a date (use YYYY-MM-DD); "\
        "the field is ignored" in lines
    assert "people/Quiet.md: warning: no way to reach them: no email, phone or link" in lines
    assert lines[-1] == "6 contacts, 1 error, 1 warning"


def test_check_exits_0_on_warnings_unless_strict(make_vault, run):
    root = make_vault({**VAULT, "people/Quiet.md": "---\nname: Quiet\n---\n"})
    assert run(root, "check").exit_code == 0
    assert run(root, "check", "--strict").exit_code == 1


def test_check_json_shape(make_vault, run):
    root = make_vault({**VAULT, "people/Bad.md": "---\nemail: b@x\ntier: gold\n---\n"})
    result = run(root, "check", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"contacts", "errors", "warnings", "problems"}
    assert (data["contacts"], data["errors"], data["warnings"]) == (5, 1, 0)
    (problem,) = data["problems"]
    assert set(problem) == {"path", "line", "severity", "message"}
    assert (problem["path"], problem["line"], problem["severity"]) == ("people/Bad.md", 3, "error")


def test_a_bad_config_is_one_line_naming_the_key(make_vault, run):
    root = make_vault({**VAULT, "kizuna.toml": "limit = 0\n"})
    result = run(root, "check")
    assert result.exit_code == 1
    assert result.output == "kizuna: kizuna.toml: limit: expected a whole number above 0\n"


# --- list ------------------------------------------------------------------------------


def listed(result):
    return [c["name"] for c in json.loads(result.stdout)]


def test_list_everyone_sorted(vault, run):
    result = run(vault, "list", "--json")
    assert result.exit_code == 0
    assert listed(result) == ["Aiko Tanaka", "Ken Ito", "Kenji Sato", "Takeshi Mori"]


def test_list_filters(vault, run):
    assert listed(run(vault, "list", "--tier", "key", "--json")) == ["Aiko Tanaka"]
    assert listed(run(vault, "list", "--tier", "network", "--json")) == ["Kenji Sato"]
    assert listed(run(vault, "list", "--circle", "ai_education", "--json")) == ["Aiko Tanaka"]
    assert listed(run(vault, "list", "--status", "paused", "--json")) == ["Takeshi Mori"]
    assert listed(run(vault, "list", "--tier", "KEY", "--circle", "ex-colleagues", "--json")) == [
        "Aiko Tanaka"]


def test_list_exits_1_when_nothing_matches(vault, run):
    result = run(vault, "list", "--circle", "nobody")
    assert result.exit_code == 1 and "nobody matches" in result.output
    result = run(vault, "list", "--status", "archived", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []


def test_list_table(vault, run):
    result = run(vault, "list")
    assert result.exit_code == 0
    rows = result.output.splitlines()
    assert rows[0].split() == ["Name", "Tier", "Company", "Circles", "Status"]
    assert "Aiko Tanaka" in rows[1] and "Example Corp" in rows[1] and "key" in rows[1]
    assert "network" in rows[3]  # Kenji has no tier: the default shows


def test_list_json_shape(vault, run):
    (aiko,) = json.loads(run(vault, "list", "--tier", "key", "--json").stdout)
    assert aiko["cadence"] == {"talk": "2m"}
    assert aiko["email"] == ["aiko@example.com"]
    assert aiko["extra"] == {}
    assert "interactions" not in aiko


def test_list_rejects_an_unknown_status_as_usage(vault, run):
    assert run(vault, "list", "--status", "gone").exit_code == 2


# --- show ------------------------------------------------------------------------------


def test_show_by_alias_prefix_and_width(vault, run):
    for name in ("Aiko", "aik", "ＡＩＫＯ", "田中 愛子", "people/Aiko Tanaka.md"):
        result = run(vault, "show", name)
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith("Aiko Tanaka  (people/Aiko Tanaka.md)\n")


def test_show_text(vault, run):
    out = run(vault, "show", "Aiko").output
    assert "  tier:         key\n" in out
    assert "  company:      Head of Learning / Example Corp\n" in out
    assert "Last interactions (3 in all):" in out
    assert "  2026-11-20 -> coffee (meet): coffee: Ken and Aiko\n" in out
    assert "  2026-11-18 <- email (talk): Asked whether I know a UX researcher.\n" in out
    assert "  [ ] Send the paper  (due 2026-11-27)\n" in out
    assert "Lend the book" not in out


def test_show_someone_with_nothing_logged(vault, run):
    out = run(vault, "show", "Ken Ito").output
    assert "nothing logged yet" in out


def test_show_unknown_exits_1_with_suggestions(vault, run):
    result = run(vault, "show", "Aiko Tanka")
    assert result.exit_code == 1
    assert result.output == "kizuna: no contact named 'Aiko Tanka'; did you mean: Aiko Tanaka?\n"
    result = run(vault, "show", "qqq")
    assert result.exit_code == 1 and result.output == "kizuna: no contact named 'qqq'\n"


def test_show_ambiguous_exits_1_listing_the_candidates(vault, run):
    result = run(vault, "show", "ke")
    assert result.exit_code == 1
    assert result.output == ("kizuna: 'ke' is ambiguous: Ken Ito (people/Ken Ito.md), "
                             "Kenji Sato (people/work/Kenji Sato.md)\n")
    assert run(vault, "show", "Ken").output.startswith("Kenji Sato")  # the exact alias wins


def test_show_json_shape(vault, run):
    data = json.loads(run(vault, "show", "Aiko", "--json").stdout)
    assert data["name"] == "Aiko Tanaka" and data["tier"] == "key"
    assert data["effective_cadence"] == {"touch": "1m", "talk": "2m", "meet": "6m"}
    assert data["last"] == {"touch": "2026-11-20", "talk": "2026-11-20", "meet": "2026-11-20"}
    assert [(i["date"], i["kind"], i["depth"], i["inbound"], i["source"], i["line"])
            for i in data["interactions"]] == [
        ("2026-11-20", "coffee", "meet", False, "Daily/2026-11-20.md", 1),
        ("2026-11-18", "email", "talk", True, "people/Aiko Tanaka.md", 11),
        ("2026-06-14", "lunch", "meet", False, "people/Aiko Tanaka.md", 12),
    ]
    assert data["promises"] == [
        {"text": "Send the paper", "status": "open", "due": "2026-11-27", "done_on": None,
         "source": "people/Aiko Tanaka.md", "line": 15},
        {"text": "Lend the book", "status": "done", "due": None, "done_on": "2026-11-02",
         "source": "people/Aiko Tanaka.md", "line": 16},
    ]


def test_show_json_makes_extra_values_json(make_vault, run):
    root = make_vault({"people/A.md": "---\nsince: 2020-01-01\nkids: [Mei]\nemail: a@x\n---\n"})
    data = json.loads(run(root, "show", "A", "--json").stdout)
    assert data["extra"] == {"since": "2020-01-01", "kids": ["Mei"]}


# --- every command leaves the vault as it was -------------------------------------------


@pytest.mark.parametrize("args", [
    ("check",), ("check", "--json"), ("check", "--strict"), ("list",), ("list", "--json"),
    ("list", "--circle", "none-such"), ("show", "Aiko"), ("show", "Aiko", "--json"),
    ("show", "nobody"), ("show", "ke"),
])
def test_no_command_changes_any_vault_file(vault, run, args):
    before = snapshot(vault)
    run(vault, *args)
    assert snapshot(vault) == before


# --- finding the vault -----------------------------------------------------------------


def test_the_vault_comes_from_the_environment_or_the_working_folder(vault, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("KIZUNA_VAULT", str(vault))
    assert runner.invoke(cli, ["list", "--json"]).exit_code == 0
    monkeypatch.delenv("KIZUNA_VAULT")
    monkeypatch.chdir(vault / "people" / "work")
    result = runner.invoke(cli, ["--today", TODAY.isoformat(), "show", "Ken Ito"])
    assert result.exit_code == 0 and result.output.startswith("Ken Ito")


def test_a_missing_vault_is_a_usage_error(tmp_path, run):
    result = run(tmp_path / "missing", "check")
    assert result.exit_code == 2
    assert result.output == f"kizuna: vault folder not found: {tmp_path / 'missing'}\n"


def test_a_bad_today_is_a_usage_error(vault):
    result = CliRunner().invoke(cli, ["--vault", str(vault), "--today", "someday", "check"])
    assert result.exit_code == 2 and "not a date" in result.output


def test_check_does_not_import_heavy_modules(vault):
    code = ("import sys; from kizuna.cli import main\n"
            "try:\n    main(['--vault', sys.argv[1], 'check'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('rich', 'vobject', 'icalendar', 'watchdog', 'jinja2') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code, str(vault)], capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[-1] == "HEAVY []"


def test_every_read_command_runs_through_the_installed_entry_point(vault):
    kizuna = Path(sys.executable).parent / "kizuna"
    for args in (["check"], ["list"], ["show", "Aiko"]):
        done = subprocess.run([kizuna, "--vault", str(vault), *args], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr


def test_list_table_aligns_japanese_names_by_display_width(make_vault, run):
    from kizuna.commands.listing import width

    root = make_vault({"people/田中 健二.md": "---\nemail: t@x\n---\n",
                       "people/Amy Long-Name.md": "---\nemail: a@x\n---\n"})
    rows = run(root, "list").output.splitlines()
    assert len(rows) == 3
    columns = {width(row[: row.index("network")]) for row in rows[1:]}
    assert len(columns) == 1  # "network" starts at the same column on both rows
