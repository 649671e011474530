"""The generated notes (DESIGN §5): golden files of the sample vault in both languages, and
the rules every note follows (marker, sections, links, tables, charts, overrides).

Refresh the golden files, after checking the change is wanted, with
`KIZUNA_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py`; they never refresh on their own.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLE_VAULT, TODAY, MakeVault

from kizuna.build import build_notes, parse_reading_list
from kizuna.cli import cli
from kizuna.index import Index
from kizuna.model import Duration
from kizuna.render import cell, every, file_name, one_line, sentence, span
from kizuna.vault import Vault
from kizuna.write import MARKER

EXPECTED = Path(__file__).parent / "expected"
UPDATE = os.environ.get("KIZUNA_UPDATE_GOLDEN") == "1"
Run = Callable[..., Result]

SECTIONS = {
    "en": ("To reach out.md", ["Reply first", "Promises", "Reach out", "Coming up", "Revive"]),
    "ja": ("連絡リスト.md", ["まず返信", "約束", "連絡する", "もうすぐ", "再会"]),
}
FILES = {
    "en": ["Dashboard.md", "Dormant ties.md", "Introductions.md", "Promises.md",
           "Self introduction.md", "To reach out.md", "Upcoming dates.md"],
    "ja": ["ダッシュボード.md", "休眠中のつながり.md", "紹介.md", "約束.md", "自己紹介.md",
           "近い予定日.md", "連絡リスト.md"],
}


def copy_sample(dest: Path, language: str = "en") -> Path:
    shutil.copytree(SAMPLE_VAULT, dest, ignore=shutil.ignore_patterns("Kizuna", ".kizuna"))
    if language != "en":
        toml = dest / "kizuna.toml"
        toml.write_text(f'language = "{language}"\n' + toml.read_text(encoding="utf-8"),
                        encoding="utf-8")
    return dest


@pytest.fixture(scope="module", params=["en", "ja"])
def sample_notes(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """The sample vault built on the demo date: language -> {file name: text}."""
    language: str = request.param
    vault = copy_sample(tmp_path_factory.mktemp(language) / "sample", language)
    result = CliRunner().invoke(cli, ["--vault", str(vault), "--today", TODAY.isoformat(),
                                      "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = vault / "Kizuna"
    return language, {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.md"))}


def test_every_note_of_the_sample_vault_matches_its_golden_file(
        sample_notes: tuple[str, dict[str, str]]) -> None:
    language, notes = sample_notes
    folder = EXPECTED / language
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in set(p.name for p in folder.glob("*.md")) - set(notes):
            (folder / stale).unlink()
        for name, text in notes.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
        warnings.warn(f"golden files refreshed in {folder}", stacklevel=1)
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    assert sorted(notes) == sorted(expected) == sorted(FILES[language])
    for name, text in notes.items():
        assert text == expected[name], (
            f"{language}/{name} differs from its golden file; if the change is wanted, refresh "
            "with KIZUNA_UPDATE_GOLDEN=1")


def test_every_note_starts_with_the_marker_and_uses_level_2_sections(
        sample_notes: tuple[str, dict[str, str]]) -> None:
    _, notes = sample_notes
    for name, text in notes.items():
        assert text.splitlines()[0] == MARKER, name
        headings = re.findall(r"^(#+) ", text, re.MULTILINE)
        assert headings[0] == "#" and set(headings[1:]) == {"##"}, name
        assert "\n\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n"), name


def test_the_reach_out_note_has_the_sections_in_order(
        sample_notes: tuple[str, dict[str, str]]) -> None:
    language, notes = sample_notes
    name, sections = SECTIONS[language]
    assert re.findall(r"^## (.+)$", notes[name], re.MULTILINE) == sections


def test_reach_out_entries_read_like_advice(sample_notes: tuple[str, dict[str, str]]) -> None:
    language, notes = sample_notes
    text = notes[SECTIONS[language][0]]
    reach_out = text.split("\n## ")[3]
    entries = re.split(r"^\d+\. ", reach_out, flags=re.MULTILINE)[1:]
    assert len(entries) >= 5
    labels = {"en": ("**Why now:**", "**Last time:**", "**Idea:**"),
              "ja": ("**いま連絡する理由:**", "**前回の話:**", "**アイデア:**")}[language]
    for entry in entries:
        assert entry.startswith("**[["), entry  # who: a wikilink to their note
        assert labels[0] in entry and labels[2] in entry, entry
    assert sum(labels[1] in e for e in entries) >= len(entries) - 1
    # the last conversation is quoted with wikilinks as plain names
    for line in re.findall(re.escape(labels[1]) + r".*", reach_out):
        assert "[[" not in line, line


def test_the_dashboard_has_mermaid_charts_and_lists_problems(
        sample_notes: tuple[str, dict[str, str]]) -> None:
    language, notes = sample_notes
    text = notes[file_name("dashboard", language)]
    charts = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    kinds = [c.split()[0] for c in charts]
    assert kinds == ["pie", "xychart-beta"]
    xy = charts[1]
    months = re.search(r"x-axis \[(.*)\]", xy).group(1).split(", ")  # type: ignore[union-attr]
    assert len(months) == 12 and months[-1] == '"2026-11"'
    for bars in re.findall(r"bar \[(.*)\]", xy):
        assert len(bars.split(", ")) == 12
    assert "Haruto Ishikawa.md" in text.split("\n## ")[-1]  # the one warning, under Problems


# --- rules of the notes, on small vaults -----------------------------------------------------


def test_links_use_the_display_name_and_table_cells_escape_the_pipe(
        make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({
        "people/Old Boss.md": "---\nname: Takeshi Mori\nbirthday: 12-01\n---\n",
        "people/a/Sam.md": "---\nbirthday: 12-02\n---\n",
        "people/b/Sam.md": "---\nname: Sam B\n---\n",
    })
    assert run(vault, "build").exit_code == 0
    dates = (vault / "Kizuna" / "Upcoming dates.md").read_text(encoding="utf-8")
    assert "| [[Old Boss\\|Takeshi Mori]] |" in dates
    assert "| [[people/a/Sam\\|Sam]] |" in dates  # by path: the stem alone is ambiguous


def test_a_template_override_in_the_vault_wins_and_changes_are_picked_up(
        make_vault: MakeVault) -> None:
    root = make_vault({"people/A.md": "", ".kizuna/templates/promises.md": "# Mine {{ today }}\n"})
    vault = Vault.open(root)
    index = Index(vault.read_all(), vault.config)
    build_notes(vault, index, TODAY)
    promises = root / "Kizuna" / "Promises.md"
    assert promises.read_text(encoding="utf-8") == f"{MARKER}\n# Mine 2026-11-23\n"
    (root / ".kizuna/templates/promises.md").write_text("# Changed\n", encoding="utf-8")
    result = build_notes(vault, index, TODAY)
    assert result.written == ["Kizuna/Promises.md"]
    assert promises.read_text(encoding="utf-8") == f"{MARKER}\n# Changed\n"
    (root / ".kizuna/templates/dormant-ties.md").write_text("# New override\n", encoding="utf-8")
    result = build_notes(vault, index, TODAY)
    assert result.written == ["Kizuna/Dormant ties.md"]


def test_runs_of_blank_lines_a_template_leaves_are_one_blank_line(
        make_vault: MakeVault) -> None:
    override = "\n\n\n# A\n\n\nB\n\n\n\nC\n\n\n\n\n\n\n\nD\n\nE\n  \n\n\nF\n\n\n\n"
    root = make_vault({"people/A.md": "", ".kizuna/templates/promises.md": override})
    vault = Vault.open(root)
    build_notes(vault, Index(vault.read_all(), vault.config), TODAY)
    assert (root / "Kizuna" / "Promises.md").read_text(encoding="utf-8") == (
        f"{MARKER}\n# A\n\nB\n\nC\n\nD\n\nE\n  \n\nF\n")


def test_a_broken_template_is_a_problem_not_a_crash(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({"people/A.md": "", ".kizuna/templates/promises.md": "{% if %}\n"})
    result = run(vault, "build")
    assert result.exit_code == 1
    assert "Kizuna/Promises.md: error: template promises.md line 1" in result.output
    assert (vault / "Kizuna" / "To reach out.md").exists()
    assert not (vault / "Kizuna" / "Promises.md").exists()


def test_self_introduction_only_when_me_md_exists(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({"people/A.md": "---\ninterests: [AI]\n---\n"})
    run(vault, "build")
    assert not (vault / "Kizuna" / "Self introduction.md").exists()
    (vault / "me.md").write_text("---\nname: Me\npitch: I help.\ninterests: [ai]\n---\n",
                                 encoding="utf-8")
    run(vault, "build")
    text = (vault / "Kizuna" / "Self introduction.md").read_text(encoding="utf-8")
    assert "I am Me." in text and "I help." in text and "- [[A]]: AI" in text
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == [
        "What I do now", "Why I am here", "What I want to take on next", "Pitch",
        "People who share your interests"]


def test_the_idea_can_be_a_reading_list_item(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({
        "people/A.md": "---\ninterests: [ai]\n---\n## Log\n- 2025-01-01 call: [[B]] says hi\n",
        "people/B.md": "",
        "reading-list.md": "- [Adaptive learning](https://example.org/a) #ai\n",
    })
    run(vault, "build")
    text = (vault / "Kizuna" / "To reach out.md").read_text(encoding="utf-8")
    assert ("**Idea:** Share [Adaptive learning](https://example.org/a): it matches their "
            "interest in ai.") in text
    assert "“B says hi”" in text


def test_reading_list_items_need_a_tag_and_a_link_or_title() -> None:
    text = ("# Reading\n"
            "- [Adaptive learning at scale](https://example.org/a) #ai #education\n"
            "- \"The Outstanding Middle Manager\" (book) #management\n"
            "- https://example.org/bare #ai\n"
            "- [[Some Note]] #notes\n"
            "- untagged item\n"
            "```\n- [In code](https://x) #ai\n```\n"
            "- [x] Read already #done\n")
    items = [(i.title, i.url, i.tags, i.line) for i in parse_reading_list(text)]
    assert items == [
        ("Adaptive learning at scale", "https://example.org/a", ("ai", "education"), 2),
        ("The Outstanding Middle Manager", None, ("management",), 3),
        ("https://example.org/bare", "https://example.org/bare", ("ai",), 4),
        ("Some Note", None, ("notes",), 5),
        ("Read already", None, ("done",), 10),
    ]


@pytest.mark.parametrize(("days", "en", "ja"), [
    (0, "0 days", "0日"), (1, "1 day", "1日"), (13, "13 days", "13日"), (14, "2 weeks", "2週間"),
    (60, "8 weeks", "8週間"), (61, "2 months", "2か月"), (349, "11 months", "11か月"),
    (355, "1 year", "1年"), (365, "1 year", "1年"), (430, "1 year 2 months", "1年2か月"),
    (-20, "2 weeks", "2週間"),
])
def test_spans_read_as_a_person_would_say_them(days: int, en: str, ja: str) -> None:
    assert (span(days), span(days, "ja")) == (en, ja)


def test_small_wording_helpers() -> None:
    assert every(Duration(1, "m")) == "every month"
    assert every(Duration(3, "m")) == "every 3 months"
    assert every(Duration(2, "w"), "ja") == "2週間ごと"
    assert cell("a | b\nc") == "a \\| b c"
    assert sentence("Done") == "Done." and sentence("Done!") == "Done!"
    assert sentence("やる", "ja") == "やる。"


def test_one_line_joins_every_kind_of_whitespace_and_shows_links_as_their_text() -> None:
    assert one_line("  met [[Aiko Tanaka|Aiko]]\tand\r\n [[Ken]] \u3000at\u00a0lunch\x1f ") == (
        "met Aiko and Ken at lunch")
    assert one_line(None) == "" and one_line(" \n ") == ""
    assert one_line("a " * 150) == "a " * 99 + "a…"
    assert one_line("word " * 10, 12) == "word word w…"


def test_note_text_is_shown_as_written_never_as_template(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({
        "people/A | B.md": "---\nbirthday: 11-30\n---\n"
                           "## Log\n- 2025-01-01 call: {{ today }} {% if x %} a|b `code`\n",
    })
    assert run(vault, "build").exit_code == 0
    reach = (vault / "Kizuna" / "To reach out.md").read_text(encoding="utf-8")
    assert "“{{ today }} {% if x %} a|b `code`”" in reach
    dates = (vault / "Kizuna" / "Upcoming dates.md").read_text(encoding="utf-8")
    assert "| [[A \\| B]] |" in dates


def test_the_readme_quotes_the_real_reach_out_note() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    quoted = readme.split("this is its top, as kizuna writes it:\n\n```markdown\n", 1)[1]
    quoted = quoted.split("\n```\n", 1)[0]
    golden = (Path(__file__).parent / "expected" / "en" / "To reach out.md").read_text("utf-8")
    assert len(quoted) > 500 and golden.startswith(quoted + "\n")
