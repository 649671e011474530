"""A build that reuses an earlier build's per-contact values writes what a fresh build writes."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import SAMPLE_VAULT, TODAY, snapshot

from kizuna.build import BuildState, build_notes
from kizuna.index import Index
from kizuna.render import FragmentTexts
from kizuna.vault import Vault
from kizuna.watch import Batch, LiveIndex

EDITS = 60


def _outputs(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(root).items() if k.startswith("Kizuna")}


def _edit(root: Path, rng: random.Random, n: int) -> tuple[str, str]:
    """One random edit of the kinds a user makes; returns (Batch field, vault-relative path)."""
    people = sorted(p.relative_to(root).as_posix() for p in (root / "people").rglob("*.md"))
    rel = rng.choice(people)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    kind = rng.randrange(9)
    day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 23):02d}"
    if kind == 0:  # a log line, sometimes inbound, sometimes linking someone else
        other = Path(rng.choice(people)).stem
        link = f" with [[{other}]]" if rng.random() < 0.5 else ""
        verb = rng.choice(["coffee", "call", "email from them", "like", "lunch"])
        path.write_text(text.rstrip("\n") + f"\n- {day} {verb}: edit {n}{link}\n", "utf-8")
    elif kind == 1:  # a promise made, or one kept
        if "- [ ]" in text and rng.random() < 0.5:
            path.write_text(text.replace("- [ ]", f"- [x] ✅ {day}", 1), "utf-8")
        else:
            path.write_text(text.rstrip("\n") + f"\n- [ ] send the deck 📅 {day}\n", "utf-8")
    elif kind == 2:  # front matter that moves them between lists
        key, value = rng.choice([("tier", "inner"), ("tier", "acquaintance"),
                                 ("status", "paused"), ("status", "archived"),
                                 ("snooze_until", "2026-12-20"), ("needs", "[hiring]"),
                                 ("offers", "[hiring, design]"), ("follow_up", day)])
        path.write_text(text.replace("---\n", f"---\n{key}: {value}\n", 1), "utf-8")
    elif kind == 3:  # a journal note mentioning someone
        rel = f"Daily/2026-11-{rng.randint(1, 23):02d}.md"
        (root / "Daily").mkdir(exist_ok=True)
        one, two = (Path(rng.choice(people)).stem for _ in range(2))
        with open(root / rel, "a", encoding="utf-8") as f:
            if rng.random() < 0.5:
                f.write(f"\nLunch with [[{one}]] #lunch\n")
            else:  # a promise to two people at once
                f.write(f"\n- [ ] intro [[{one}]] to [[{two}]] 📅 {day}\n")
    elif kind == 4:  # a new contact
        rel = f"people/New Person {n}.md"
        (root / rel).write_text(f"---\ntier: key\nemail: n{n}@example.org\nmet: {day}\n"
                                f"interests: [ai]\nneeds: [design]\n---\n", "utf-8")
    elif kind == 5:  # a contact deleted
        path.unlink()
    elif kind == 6:  # an alias other notes' links may now resolve to
        path.write_text(text.replace("---\n", f"---\naliases: [Pal {n}]\n", 1), "utf-8")
    elif kind == 7:  # me.md changed: the dormant hooks and the intros of mine follow
        me = root / "me.md"
        me.write_text(me.read_text("utf-8").replace("---\n", "---\noffers: [hiring]\n", 1),
                      "utf-8")
        return ("inputs", "me.md")
    else:  # a file rewritten with the same content
        path.write_text(text, "utf-8")
    return ("notes", rel)


def test_a_reused_build_state_writes_what_a_fresh_build_writes(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root)
    vault = Vault.open(root)
    live = LiveIndex(vault, Index(vault.read_all(), vault.config))
    state = BuildState()
    build_notes(vault, live.index, TODAY, state)
    rng = random.Random(5)
    for n in range(EDITS):
        where, rel = _edit(root, rng, n)
        batch = Batch()
        getattr(batch, where).add(rel)
        live.refresh(batch)
        build_notes(vault, live.index, TODAY, state)
        kept = _outputs(root)
        # The vault read from scratch and built with nothing kept has nothing to change.
        fresh = build_notes(vault, Index(vault.read_all(), vault.config), TODAY)
        assert fresh.written == [], f"after edit {n}"
        assert _outputs(root) == kept


def test_a_new_day_or_new_settings_reuse_nothing_stale(make_vault) -> None:  # type: ignore[no-untyped-def]
    root = make_vault({"people/Ann.md": "---\ntier: key\nemail: a@example.org\n---\n"
                                        "## Log\n- 2026-08-01 coffee: the pilot\n"})
    vault = Vault.open(root)
    index = Index(vault.read_all(), vault.config)
    state = BuildState()
    for today in (TODAY, TODAY.replace(day=24), TODAY.replace(year=2027)):
        build_notes(vault, index, today, state)
        kept = _outputs(root)
        build_notes(vault, index, today)
        assert _outputs(root) == kept
    settings = 'default_tier = "key"\n[tiers.key]\ntalk = "1y"\n'
    (root / "kizuna.toml").write_text(settings, "utf-8")
    vault = Vault.open(root)
    index = Index(vault.read_all(), vault.config)
    build_notes(vault, index, TODAY, state)
    kept = _outputs(root)
    build_notes(vault, index, TODAY)
    assert _outputs(root) == kept


def test_an_entry_kept_from_the_last_build_follows_a_link_that_changed(make_vault) -> None:  # type: ignore[no-untyped-def]
    # Ann's birthday entry is the same object after the edit (nothing about her changed),
    # but a second "Ann" makes her link a path: the kept text must not be reused.
    root = make_vault({"people/Ann.md": "---\nbirthday: 12-01\nemail: a@example.org\n---\n"})
    vault = Vault.open(root)
    live = LiveIndex(vault, Index(vault.read_all(), vault.config))
    state = BuildState()
    build_notes(vault, live.index, TODAY, state)
    dates = (root / "Kizuna/Upcoming dates.md").read_text("utf-8")
    assert "[[Ann]]" in dates
    (root / "people/work").mkdir()
    (root / "people/work/Ann.md").write_text("---\nemail: b@example.org\n---\n", "utf-8")
    live.refresh(Batch(notes={"people/work/Ann.md"}))
    build_notes(vault, live.index, TODAY, state)
    assert "[[people/Ann\\|Ann]]" in (root / "Kizuna/Upcoming dates.md").read_text("utf-8")
    assert build_notes(vault, Index(vault.read_all(), vault.config), TODAY).written == []


def test_a_rebuild_with_nothing_changed_renders_no_entry_again(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root)
    vault = Vault.open(root)
    index = Index(vault.read_all(), vault.config)
    state = BuildState()
    build_notes(vault, index, TODAY, state)
    before = _entries(state.fragments)
    assert len(before) > 10
    build_notes(vault, index, TODAY, state)
    after = _entries(state.fragments)
    assert after.keys() == before.keys()
    assert all(after[key] is before[key] for key in before)


def _entries(fragments: FragmentTexts) -> dict[tuple[str, int], tuple[object, str]]:
    """Every kept entry, by (place in the templates, id of its item)."""
    return {(place, key): entry for place, kept in fragments.items() for key, entry in kept.items()}
