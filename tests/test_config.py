"""kizuna.toml (DESIGN §4): every default, and a bad value is one line naming its key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kizuna.config import DEFAULT_KINDS, Config, ConfigError, load_config, parse_config
from kizuna.model import Contact, Depth, Duration
from kizuna.resources import shipped_text


def test_no_file_means_every_default(tmp_path: Path):
    config = load_config(tmp_path)
    assert config == parse_config({})
    assert config.language == "en"
    assert config.people == ("people",)
    assert config.output == "Kizuna"
    assert config.default_tier == "network"
    assert config.limit == 25
    assert config.lookahead == Duration(7, "d")
    assert config.dormant_after == Duration(1, "y")
    assert config.log_headings == ("Log", "Interactions", "History", "ログ", "履歴", "やりとり")
    assert config.ignore == ("**/Templates/**", "**/templates/**")
    assert config.person_tags == ("person", "people", "contact")
    assert config.kinds == DEFAULT_KINDS
    assert [(t.name, t.cadence, t.budget) for t in config.tiers] == [
        ("inner", {Depth.TALK: Duration(2, "w"), Depth.MEET: Duration(1, "m")}, 5),
        ("key", {Depth.TOUCH: Duration(1, "m"), Depth.TALK: Duration(3, "m"),
                 Depth.MEET: Duration(6, "m")}, 15),
        ("network", {Depth.TALK: Duration(6, "m")}, 50),
        ("acquaintance", {Depth.TALK: Duration(1, "y")}, None),
    ]
    assert config.goals == ()


def test_the_default_kind_map_of_the_design():
    touch = {"like", "comment", "react", "reaction", "いいね", "コメント"}
    talk = {"email", "mail", "message", "dm", "text", "call", "phone", "video", "chat", "share",
            "letter", "card", "note", "intro", "メール", "電話", "連絡", "紹介"}
    meet = {"meet", "meeting", "coffee", "lunch", "dinner", "drinks", "breakfast", "meetup",
            "event", "visit", "conference", "party",
            "会食", "食事", "ランチ", "飲み", "面談", "訪問"}
    assert {k for k, d in DEFAULT_KINDS.items() if d == Depth.TOUCH} == touch
    assert {k for k, d in DEFAULT_KINDS.items() if d == Depth.TALK} == talk
    assert {k for k, d in DEFAULT_KINDS.items() if d == Depth.MEET} == meet
    assert Config().depth_of("Unknown-Kind") == Depth.TALK


def test_the_shipped_kizuna_toml_reads_as_the_defaults_and_every_line_uncommented_too():
    text = shipped_text("kizuna.toml")
    assert parse_config(tomllib.loads(text)) == Config()
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and ("=" in line or line.startswith("# [")) else ""
        for line in text.splitlines())
    config = parse_config(tomllib.loads(uncommented))
    assert config.tiers == Config().tiers
    assert config.depth_of("hike") == Depth.MEET and config.depth_of("retweet") == Depth.TOUCH
    assert [g.name for g in config.goals] == ["Meet new people in AI"]


def test_every_setting_can_be_changed(tmp_path: Path):
    (tmp_path / "kizuna.toml").write_text("""
language = "ja"
people = ["people", "clients/"]
output = "Generated/Kizuna"
default_tier = "none"
limit = 10
lookahead = "2w"
dormant_after = "18m"
log_headings = ["Timeline"]
ignore = ["Archive/**"]
person_tags = "crm"

[kinds]
meet = ["hike", "Climb"]
touch = "retweet"
boardgames = "meet"

[tiers.close]
talk = "1m"
meet = "none"
budget = 3

[tiers.everyone]
talk = 90

[[goals]]
name = "Meet new people in AI"
metric = "new"
circle = "ai"
target = 3
per = "quarter"

[[goals]]
metric = "on_cadence"
target = 80
""", encoding="utf-8")
    config = load_config(tmp_path)
    assert config.language == "ja"
    assert config.people == ("people", "clients")
    assert config.output == "Generated/Kizuna"
    assert config.default_tier is None
    assert config.limit == 10
    assert config.lookahead == Duration(2, "w")
    assert config.dormant_after == Duration(18, "m")
    assert config.log_headings == ("Timeline",)
    assert config.ignore == ("Archive/**",)
    assert config.person_tags == ("crm",)
    assert config.depth_of("climb") == Depth.MEET
    assert config.depth_of("boardgames") == Depth.MEET
    assert config.depth_of("retweet") == Depth.TOUCH
    assert config.depth_of("coffee") == Depth.MEET  # the built-in map stays
    assert [(t.name, t.cadence, t.budget) for t in config.tiers] == [
        ("close", {Depth.TALK: Duration(1, "m")}, 3),
        ("everyone", {Depth.TALK: Duration(90, "d")}, None),
    ]
    assert config.tier_weight("close") == 2 and config.tier_weight("everyone") == 1
    first, second = config.goals
    assert (first.name, first.metric, first.circle, first.target, first.per) == (
        "Meet new people in AI", "new", "ai", 3, "quarter")
    assert (second.metric, second.target, second.per, second.circle) == (
        "on_cadence", 80, "month", None)


def test_defining_any_tier_replaces_the_default_set():
    config = parse_config({"tiers": {"vip": {"meet": "3m"}}, "default_tier": "vip"})
    assert [t.name for t in config.tiers] == ["vip"]
    assert config.tier("key") is None and config.tier("VIP").name == "vip"


def test_tier_weights_follow_the_order():
    config = Config()
    assert [config.tier_weight(t.name) for t in config.tiers] == [4, 3, 2, 1]
    assert config.tier_weight(None) == 1


def test_cadence_for_a_contact_applies_the_override_to_the_tier():
    config = Config()
    key = Contact("people/a.md", "A", tier="key", cadence={Depth.TALK: Duration(2, "m"),
                                                          Depth.MEET: None})
    assert config.cadence_for(key) == {Depth.TOUCH: Duration(1, "m"), Depth.TALK: Duration(2, "m")}
    assert config.cadence_for(Contact("people/b.md", "B")) == {Depth.TALK: Duration(6, "m")}
    assert config.cadence_for(Contact("people/c.md", "C", cadence=None)) == {}
    untracked = parse_config({"default_tier": "none"})
    assert untracked.cadence_for(Contact("people/d.md", "D")) == {}


@pytest.mark.parametrize(("toml", "key"), [
    ('language = "fr"', "language"),
    ("limit = 0", "limit"),
    ('limit = "ten"', "limit"),
    ("limit = true", "limit"),
    ('lookahead = "soon"', "lookahead"),
    ('dormant_after = "1 year"', "dormant_after"),
    ("people = 3", "people"),
    ('people = ["../elsewhere"]', "people"),
    ("output = [\"a\", \"b\"]", "output"),
    ('output = ""', "output"),
    ('default_tier = "gold"', "default_tier"),
    ("log_headings = [1, 2]", "log_headings"),
    ('ignore = [""]', "ignore"),
    ("person_tags = {}", "person_tags"),
    ('kinds = "meet"', "kinds"),
    ('[kinds]\nhug = ["x"]', "kinds.hug"),
    ('[tiers.key]\ntalk = "often"', "tiers.key.talk"),
    ('[tiers.key]\nhug = "1m"', "tiers.key.hug"),
    ("[tiers.key]\nbudget = -1", "tiers.key.budget"),
    ('tiers = "key"', "tiers"),
    ('[[goals]]\nmetric = "fun"\ntarget = 1', "goals #1: metric"),
    ('[[goals]]\nmetric = "new"\ntarget = 0', "goals #1: target"),
    ('[[goals]]\nmetric = "new"\ntarget = 1\nper = "day"', "goals #1: per"),
    ('[[goals]]\nmetric = "new"\ntarget = 1\ncircle = 3', "goals #1: circle"),
    ('goals = "many"', "goals"),
    ('lookahaed = "7d"', "lookahaed"),
])
def test_a_bad_value_is_a_one_line_error_naming_the_key(tmp_path: Path, toml, key):
    (tmp_path / "kizuna.toml").write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"kizuna.toml: {key}")
    assert "\n" not in message


def test_toml_syntax_errors_name_the_line(tmp_path: Path):
    (tmp_path / "kizuna.toml").write_text('limit = 3\nlookahead = "7d\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kizuna.toml: .*line 2"):
        load_config(tmp_path)


def test_a_bom_in_kizuna_toml_is_fine(tmp_path: Path):
    (tmp_path / "kizuna.toml").write_bytes(b'\xef\xbb\xbflimit = 3\n')
    assert load_config(tmp_path).limit == 3


def test_a_non_utf8_kizuna_toml_is_an_error(tmp_path: Path):
    (tmp_path / "kizuna.toml").write_bytes(b'output = "K\xe9"\n')
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)
