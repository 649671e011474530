"""Writing the generated notes, and the `build` and `due` commands (DESIGN §5, §6.1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO, SAMPLE_VAULT, TODAY, MakeVault, snapshot

from kizuna.write import MARKER, NotGenerated, write_generated

Run = Callable[..., Result]

A_VAULT = {
    "people/Aiko Tanaka.md": (
        "---\ntier: key\nemail: aiko@example.com\ninterests: [ai]\nneeds: [data engineers]\n---\n"
        "## Log\n- 2026-05-01 coffee: Her pilot went live with [[Kenji Sato]].\n"
        "- 2026-11-18 <- email: Asked about a UX researcher.\n"
        "## Promises\n- [ ] Send the paper 📅 2026-11-20\n"
    ),
    "people/Kenji Sato.md": "---\nemail: k@example.com\noffers: [data engineers]\n---\n",
}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


# --- writing ----------------------------------------------------------------------------------


def test_a_second_build_changes_no_file(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(A_VAULT)
    first = run(vault, "build")
    assert first.exit_code == 0, first.output
    assert "2 contacts, 6 of 6 notes written, 0 problems (0 errors)" in first.output
    out = vault / "Kizuna"
    before = mtimes(out)
    time.sleep(0.01)
    second = run(vault, "build")
    assert "2 contacts, 0 of 6 notes written" in second.output
    assert mtimes(out) == before
    assert sorted(before) == ["Dashboard.md", "Dormant ties.md", "Introductions.md",
                              "Promises.md", "To reach out.md", "Upcoming dates.md"]


def test_only_the_notes_whose_content_changed_are_rewritten(make_vault: MakeVault,
                                                          run: Run) -> None:
    vault = make_vault(A_VAULT)
    run(vault, "build")
    before = mtimes(vault / "Kizuna")
    note = vault / "people" / "Aiko Tanaka.md"
    note.write_text(note.read_text(encoding="utf-8").replace("[ ] Send", "[x] Send"),
                    encoding="utf-8")
    result = run(vault, "build")
    assert "2 contacts, 3 of 6 notes written" in result.output  # reach out, promises, dashboard
    changed = {n for n, t in mtimes(vault / "Kizuna").items() if t != before[n]}
    assert changed == {"To reach out.md", "Promises.md", "Dashboard.md"}


def test_a_file_without_the_marker_is_refused_and_left_untouched(make_vault: MakeVault,
                                                                run: Run) -> None:
    vault = make_vault({**A_VAULT, "Kizuna/Promises.md": "# My own promises list\n- keep\n"})
    before = snapshot(vault)
    result = run(vault, "build")
    assert result.exit_code == 1
    assert ("Kizuna/Promises.md:1: error: not overwritten: it does not start with kizuna's "
            "marker line") in result.output
    assert "5 of 6 notes written, 1 problem (1 error)" in result.output
    after = snapshot(vault)
    assert after["Kizuna/Promises.md"] == before["Kizuna/Promises.md"]
    assert {k: v for k, v in after.items() if k in before} == before
    dashboard = (vault / "Kizuna" / "Dashboard.md").read_text(encoding="utf-8")
    assert "`Kizuna/Promises.md` line 1: error: not overwritten" in dashboard


def test_an_empty_file_is_replaced_and_a_marked_one_rewritten(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert write_generated(empty, f"{MARKER}\nnew\n") is True
    marked = tmp_path / "marked.md"
    marked.write_bytes(f"\ufeff{MARKER}\r\nold\r\n".encode())  # a BOM and CRLF from an editor
    assert write_generated(marked, f"{MARKER}\nnew\n") is True
    assert marked.read_text(encoding="utf-8") == f"{MARKER}\nnew\n"
    assert write_generated(marked, f"{MARKER}\nnew\n") is False
    foreign = tmp_path / "foreign.md"
    foreign.write_bytes(b"notes\n" + MARKER.encode())  # the marker, but not first
    with pytest.raises(NotGenerated):
        write_generated(foreign, f"{MARKER}\nnew\n")
    assert foreign.read_bytes() == b"notes\n" + MARKER.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.md", "foreign.md", "marked.md"]


def test_a_note_is_replaced_atomically_without_leftovers(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault(A_VAULT)
    run(vault, "build")
    reach = vault / "Kizuna" / "To reach out.md"
    inode = reach.stat().st_ino
    (vault / "people" / "Olga.md").write_text("", encoding="utf-8")
    run(vault, "build")
    assert reach.stat().st_ino != inode  # a new file renamed into place, not rewritten in place
    assert "[[Olga]]" in reach.read_text(encoding="utf-8")
    assert not [p for p in (vault / "Kizuna").iterdir() if p.name.startswith(".")]


def test_build_writes_the_notes_whatever_the_problems(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({**A_VAULT, "people/Broken.md": "---\nname: [unclosed\n---\n"})
    result = run(vault, "build")
    assert result.exit_code == 1
    assert "people/Broken.md:" in result.output
    assert "error: front matter is not valid YAML" in result.output
    assert len(list((vault / "Kizuna").glob("*.md"))) == 6


def test_warnings_alone_exit_0(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({"people/Nobody.md": ""})
    result = run(vault, "build")
    assert result.exit_code == 0
    assert "people/Nobody.md: warning: no way to reach them" in result.output


def test_an_output_folder_outside_the_vault_is_refused(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({**A_VAULT, "kizuna.toml": 'output = "../elsewhere"\n'})
    result = run(vault, "build")
    assert result.exit_code == 1
    assert "not a folder inside the vault" in result.output
    assert not (vault.parent / "elsewhere").exists()


def test_the_japanese_set_uses_japanese_file_names(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({**A_VAULT, "kizuna.toml": 'language = "ja"\noutput = "絆"\n'})
    assert run(vault, "build").exit_code == 0
    assert sorted(p.name for p in (vault / "絆").iterdir()) == sorted(
        ["ダッシュボード.md", "休眠中のつながり.md", "紹介.md", "約束.md", "近い予定日.md",
         "連絡リスト.md"])


# --- due ------------------------------------------------------------------------------------


def test_due_prints_a_readable_ranked_table(run: Run) -> None:
    result = run(SAMPLE_VAULT, "due", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["#", "Name", "Tier", "Why", "now", "Last", "conversation"]
    assert lines[1].split()[:3] == ["1", "Emma", "Clarke"]
    assert "meet 4 weeks overdue" in lines[1]
    assert lines[-1] == "… and 10 more (--limit N to see them)"


def test_due_into_a_pipe_keeps_each_person_on_one_line(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = run(SAMPLE_VAULT, "due").output.splitlines()
    assert "talk 1 year 2 months overdue" in lines[3]  # wider than 80 columns in all
    assert max(map(len, lines[:-1])) > 80
    assert [line.split()[0] for line in lines[1:-1]] == [str(n) for n in range(1, len(lines) - 1)]
    monkeypatch.setenv("COLUMNS", "60")  # a width asked for is kept
    assert max(map(len, run(SAMPLE_VAULT, "due").output.splitlines())) <= 60


def test_due_json_is_the_documented_shape(run: Run) -> None:
    result = run(SAMPLE_VAULT, "due", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"version", "today", "total", "due"}
    assert (data["version"], data["today"], data["total"]) == (1, "2026-11-23", 13)
    first = data["due"][0]
    assert set(first) == {"rank", "name", "path", "tier", "reason", "depth", "due_on",
                          "days_overdue", "ratio", "score", "due_depths", "follow_up",
                          "last_conversation"}
    assert (first["rank"], first["name"], first["tier"], first["reason"], first["depth"]) == (
        1, "Emma Clarke", "inner", "overdue", "meet")
    assert set(first["last_conversation"]) == {"date", "kind", "inbound", "text"}
    scores = [(-d["score"], d["rank"]) for d in data["due"]]
    assert scores == sorted(scores)
    assert [d["reason"] for d in data["due"]].count("nothing logged yet") == 1


def test_due_with_nobody_due_says_so(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({"people/A.md": "## Log\n- 2026-11-20 call: fine\n"})
    result = run(vault, "due")
    assert result.exit_code == 0
    assert result.output == "Nobody is due: every relationship is on cadence.\n"
    assert json.loads(run(vault, "due", "--json").stdout)["due"] == []


def test_due_and_check_do_not_import_jinja2_and_check_not_rich(make_vault: MakeVault) -> None:
    vault = make_vault(A_VAULT)
    code = ("import sys\nfrom kizuna.cli import main\n"
            "try:\n    main(['--vault', sys.argv[1], '--today', '2026-11-23', sys.argv[2]])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('jinja2', 'rich') if m in sys.modules))")
    for command, expected in (("check", "[]"), ("due", "['rich']")):
        out = subprocess.run([sys.executable, "-c", code, str(vault), command],
                             capture_output=True, text=True, check=True).stdout
        assert out.splitlines()[-1] == expected, command


# --- editable install and installed wheel ------------------------------------------------------


def test_templates_come_from_the_source_tree_in_an_editable_install(tmp_path: Path) -> None:
    from kizuna.resources import shipped_templates

    assert shipped_templates().resolve() == (REPO / "templates").resolve()
    vault = tmp_path / "sample"
    shutil.copytree(SAMPLE_VAULT, vault, ignore=shutil.ignore_patterns("Kizuna", ".kizuna"))
    kizuna = Path(sys.executable).parent / "kizuna"
    built = subprocess.run([kizuna, "--vault", str(vault), "--today", TODAY.isoformat(), "build"],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    golden = Path(__file__).parent / "expected" / "en" / "To reach out.md"
    assert (vault / "Kizuna" / "To reach out.md").read_bytes() == golden.read_bytes()



def test_templates_ship_in_the_wheel(tmp_path: Path) -> None:
    """Build a wheel, install it in a fresh venv, and build the sample vault with it (~15 s)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for folder in ("src", "templates"):
        shutil.copytree(REPO / folder, source / folder,
                        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(source)], check=True, capture_output=True)
    (wheel,) = wheels.glob("kizuna-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    # The dependencies come from this environment; its editable kizuna does not (a path
    # listed in a .pth file is not scanned for further .pth files).
    here = subprocess.run([sys.executable, "-c", "import jinja2, os; "
                           "print(os.path.dirname(os.path.dirname(jinja2.__file__)))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "dependencies.pth").write_text(here + "\n", encoding="utf-8")
    where = subprocess.run([python, "-c", "import kizuna.templates as t; print(t.__file__)"],
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(site), where
    vault = tmp_path / "sample"
    shutil.copytree(SAMPLE_VAULT, vault, ignore=shutil.ignore_patterns("Kizuna", ".kizuna"))
    env = {**os.environ, "KIZUNA_TODAY": TODAY.isoformat()}
    env.pop("KIZUNA_VAULT", None)
    built = subprocess.run([venv / "bin" / "kizuna", "--vault", str(vault), "build"],
                           capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stderr
    assert "24 contacts, 7 of 7 notes written" in built.stdout
    golden = Path(__file__).parent / "expected" / "en" / "To reach out.md"
    assert (vault / "Kizuna" / "To reach out.md").read_bytes() == golden.read_bytes()


def test_due_speaks_the_vault_language(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({"kizuna.toml": 'language = "ja"\n',
                        "people/A.md": "## Log\n- 2025-01-01 ランチ: 久しぶり\n"})
    lines = run(vault, "due").output.splitlines()
    assert lines[0].split() == ["#", "名前", "ティア", "いま連絡する理由", "前回の話"]
    assert lines[1].split() == ["1", "A", "network", "やりとり:", "1年5か月過ぎ",
                                "2025-01-01", "ランチ"]
