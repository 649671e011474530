"""Front matter (DESIGN §3.1): strings in, contacts out."""

from __future__ import annotations

from datetime import date

import pytest

from kizuna.config import Config, parse_config
from kizuna.model import Depth, Duration, PartialDate
from kizuna.parse import fold, fold_tag, plain, wikilinks

FULL = """\
---
name: Aiko Tanaka
aliases: [Aiko, 田中 愛子]
reading: たなか あいこ
tier: key
cadence: {talk: 2m}
status: active
snooze_until: 2026-12-31
company: Example Corp
title: Head of Learning
industry: education
location: Tokyo
circles: [ex-colleagues, ai-education-study-group]
tags: [person]
met: 2024-05-12
met_context: AI × Education study group
introduced_by: "[[Kenji Sato]]"
interests: [ai, education, running]
needs: [data engineers]
offers: [edtech investors]
email: aiko@example.com
phone: "+81 90 1234 5678"
links: {linkedin: "https://linkedin.example/aiko"}
birthday: 1990-04-01
dates: {joined Example Corp: 2023-04-01}
last_contact: 2025-02-01
follow_up: 2026-12-01
uid: urn:uuid:1234
---
"""


def test_every_field_of_the_design_example_is_read(parse):
    note = parse(FULL)
    c = note.contact
    assert note.problems == ()
    assert c.name == "Aiko Tanaka"
    assert c.aliases == ("Aiko", "田中 愛子")
    assert c.reading == "たなか あいこ"
    assert c.sort_name == "たなか あいこ"
    assert c.tier == "key"
    assert c.cadence == {Depth.TALK: Duration(2, "m")}
    assert c.status == "active"
    assert c.snooze_until == date(2026, 12, 31)
    assert (c.company, c.title, c.industry, c.location) == (
        "Example Corp", "Head of Learning", "education", "Tokyo")
    assert c.circles == ("ex-colleagues", "ai-education-study-group")
    assert c.tags == ("person",)
    assert c.met == date(2024, 5, 12)
    assert c.met_context == "AI × Education study group"
    assert c.introduced_by == "Kenji Sato"
    assert c.interests == ("ai", "education", "running")
    assert c.needs == ("data engineers",)
    assert c.offers == ("edtech investors",)
    assert c.emails == ("aiko@example.com",)
    assert c.phones == ("+81 90 1234 5678",)
    assert c.links == (("linkedin", "https://linkedin.example/aiko"),)
    assert c.birthday == PartialDate(4, 1, 1990)
    assert c.dates == (("joined Example Corp", PartialDate(4, 1, 2023)),)
    assert c.last_contact == date(2025, 2, 1)
    assert c.follow_up == date(2026, 12, 1)
    assert c.uid == "urn:uuid:1234"
    assert c.extra == {}
    assert c.has_reach


def test_a_file_without_front_matter_is_a_contact_named_after_its_file(parse):
    c = parse("Just some notes about her.\n", path="people/work/田中 健二.md").contact
    assert c.name == "田中 健二"
    assert c.stem == "田中 健二"
    assert c.path == "people/work/田中 健二.md"
    assert c.tier is None and c.cadence == {} and c.status == "active"


def test_an_empty_front_matter_is_fine(parse):
    note = parse("---\n---\nbody\n", path="people/Sam.md")
    assert note.contact.name == "Sam"
    assert note.problems == ()


@pytest.mark.parametrize(("key", "field", "value", "expected"), [
    ("lastContact", "last_contact", "2025-02-01", date(2025, 2, 1)),
    ("last_contacted", "last_contact", "2025-02-01", date(2025, 2, 1)),
    ("last_chat", "last_contact", "2025-02-01", date(2025, 2, 1)),
    ("prm-last-contacted", "last_contact", "2025-02-01", date(2025, 2, 1)),
    ("contactFrequency", "cadence", "3m", {Depth.TALK: Duration(3, "m")}),
    ("prm-cadence", "cadence", "30", {Depth.TALK: Duration(30, "d")}),
    ("prm-tier", "tier", "inner", "inner"),
    ("prm-birthday", "birthday", "1985-07-09", PartialDate(7, 9, 1985)),
    ("prm-snooze-until", "snooze_until", "2027-01-01", date(2027, 1, 1)),
    ("next_follow_up", "follow_up", "2026-12-01", date(2026, 12, 1)),
    ("follow_up_date", "follow_up", "2026-12-01", date(2026, 12, 1)),
    ("e-mail", "emails", "a@example.com", ("a@example.com",)),
    ("E-mail", "emails", "a@example.com", ("a@example.com",)),
    ("mail", "emails", "a@example.com", ("a@example.com",)),
    ("Phone Number", "phones", "090-1234", ("090-1234",)),
    ("phone number", "phones", "090-1234", ("090-1234",)),
    ("mobile", "phones", "090-1234", ("090-1234",)),
    ("tel", "phones", "090-1234", ("090-1234",)),
    ("position", "title", "CTO", "CTO"),
    ("role", "title", "CTO", "CTO"),
    ("job title", "title", "CTO", "CTO"),
    ("Job_Title", "title", "CTO", "CTO"),
    ("organization", "company", "Acme", "Acme"),
    ("org", "company", "Acme", "Acme"),
    ("Birthday", "birthday", "--04-01", PartialDate(4, 1)),
    ("COMPANY", "company", "Acme", "Acme"),
    ("Met Context", "met_context", "a party", "a party"),
    ("snooze-until", "snooze_until", "2027-01-01", date(2027, 1, 1)),
    ("Introduced By", "introduced_by", "Kenji", "Kenji"),
])
def test_other_tools_keys_and_spellings_are_read_as_ours(parse, key, field, value, expected):
    note = parse(f"---\n{key}: {value}\n---\n")
    assert note.problems == ()
    assert getattr(note.contact, field) == expected
    assert note.contact.extra == {}


def test_prm_paused_pauses_an_active_contact_but_not_an_archived_one(parse):
    assert parse("---\nprm-paused: true\n---\n").contact.status == "paused"
    assert parse("---\nprm-paused: false\n---\n").contact.status == "active"
    assert parse("---\nprm-paused: true\nstatus: archived\n---\n").contact.status == "archived"


def test_our_own_key_wins_over_another_tools_alias_of_it(parse):
    c = parse("---\nlast_contacted: 2020-01-01\nlast_contact: 2025-02-01\n---\n").contact
    assert c.last_contact == date(2025, 2, 1)
    c = parse("---\nlast_contact: 2025-02-01\nlast_contacted: 2020-01-01\n---\n").contact
    assert c.last_contact == date(2025, 2, 1)


@pytest.mark.parametrize("field", ["aliases", "circles", "interests", "needs", "offers",
                                   "email", "phone", "tags"])
def test_list_fields_accept_a_single_scalar(parse, field):
    c = parse(f"---\n{field}: one\n---\n").contact
    attribute = {"email": "emails", "phone": "phones"}.get(field, field)
    assert getattr(c, attribute) == ("one",)


def test_legacy_comma_separated_lists_are_split(parse):
    c = parse("---\naliases: Aiko, 愛子\ntags: person, work\ncircles: alumni, study group\n"
              "---\n").contact
    assert c.aliases == ("Aiko", "愛子")
    assert c.tags == ("person", "work")
    assert c.circles == ("alumni", "study group")


def test_email_and_phone_accept_lists(parse):
    c = parse("---\nemail: [a@example.com, b@example.com]\nphone:\n  - '0123'\n  - 0456\n"
              "---\n").contact
    assert c.emails == ("a@example.com", "b@example.com")
    assert c.phones == ("0123", "0456")


@pytest.mark.parametrize(("written", "expected"), [
    ("1990-04-01", PartialDate(4, 1, 1990)),
    ('"1990-04-01"', PartialDate(4, 1, 1990)),
    ("04-01", PartialDate(4, 1)),
    ("--04-01", PartialDate(4, 1)),
    ("XXXX-04-01", PartialDate(4, 1)),
    ("xxxx-12-31", PartialDate(12, 31)),
    ("02-29", PartialDate(2, 29)),
    ("0000-04-01", PartialDate(4, 1)),
])
def test_the_four_birthday_forms(parse, written, expected):
    note = parse(f"---\nbirthday: {written}\n---\n")
    assert note.problems == ()
    assert note.contact.birthday == expected


@pytest.mark.parametrize("written", ["1990-02-30", "13-01", "April 1st", "--04", "1990"])
def test_a_bad_birthday_is_an_error_and_the_field_is_ignored(parse, written):
    note = parse(f"---\nname: Aiko\nbirthday: {written}\n---\n")
    assert note.contact is not None and note.contact.birthday is None
    (problem,) = note.problems
    assert problem.severity == "error" and problem.line == 3
    assert "birthday" in problem.message and "not a date" in problem.message


def test_dates_is_a_mapping_of_labels_to_dates_of_any_birthday_form(parse):
    c = parse("---\ndates:\n  joined Acme: 2023-04-01\n  wedding anniversary: --06-12\n"
              "---\n").contact
    assert c.dates == (("joined Acme", PartialDate(4, 1, 2023)),
                       ("wedding anniversary", PartialDate(6, 12)))
    c = parse("---\ndates:\n  - joined Acme: 2023-04-01\n---\n").contact
    assert c.dates == (("joined Acme", PartialDate(4, 1, 2023)),)


def test_a_bad_dates_entry_is_an_error(parse):
    note = parse("---\ndates: {joined: someday}\n---\n")
    assert note.contact.dates == ()
    assert [p.line for p in note.problems] == [2]


@pytest.mark.parametrize(("written", "expected"), [
    ('"2m"', {Depth.TALK: Duration(2, "m")}),
    ("2w", {Depth.TALK: Duration(2, "w")}),
    ("10d", {Depth.TALK: Duration(10, "d")}),
    ("1y", {Depth.TALK: Duration(1, "y")}),
    ("45", {Depth.TALK: Duration(45, "d")}),
    ("{talk: 2m}", {Depth.TALK: Duration(2, "m")}),
    ("{touch: 1M, Meet: 6m}", {Depth.TOUCH: Duration(1, "m"), Depth.MEET: Duration(6, "m")}),
    ("{talk: none}", {Depth.TALK: None}),
    ("none", None),
    ("None", None),
    ("", {}),
])
def test_cadence_forms(parse, written, expected):
    note = parse(f"---\ncadence: {written}\n---\n")
    assert note.problems == ()
    assert note.contact.cadence == expected


@pytest.mark.parametrize("written", ["often", "{talk: soon}", "{hug: 1m}", "2x", "-3d"])
def test_a_bad_cadence_is_an_error_and_the_tier_cadence_applies(parse, written):
    note = parse(f"---\ncadence: {written}\n---\n")
    assert note.contact.cadence == {}
    (problem,) = note.problems
    assert problem.severity == "error" and problem.line == 2 and "cadence" in problem.message


def test_durations_are_calendar_arithmetic():
    assert Duration.parse("1m").after(date(2026, 8, 31)) == date(2026, 9, 30)
    assert Duration.parse("1y").after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert Duration.parse("2w").after(date(2026, 12, 25)) == date(2027, 1, 8)
    assert Duration.parse("10").after(date(2026, 1, 1)) == date(2026, 1, 11)
    assert Duration.parse("3m").before(date(2026, 5, 31)) == date(2026, 2, 28)
    assert str(Duration.parse(" 3M ")) == "3m"
    for bad in ("", "m", "1.5m", "none", True, "3 months"):
        with pytest.raises(ValueError):
            Duration.parse(bad)


def test_a_quoted_wikilink_value_reads_as_its_display_text(parse):
    c = parse('---\ncompany: "[[Acme Inc]]"\ntitle: "[[CTO|Chief Technology Officer]]"\n'
              'circles: ["[[alumni]]", study]\nlocation: [[Osaka]]\n---\n').contact
    assert c.company == "Acme Inc"
    assert c.title == "Chief Technology Officer"
    assert c.circles == ("alumni", "study")
    assert c.location == "Osaka"


def test_introduced_by_keeps_the_link_target_quoted_or_not(parse):
    assert parse('---\nintroduced_by: "[[Kenji Sato|Ken]]"\n---\n').contact.introduced_by == (
        "Kenji Sato")
    assert parse("---\nintroduced_by: [[Kenji Sato]]\n---\n").contact.introduced_by == "Kenji Sato"
    assert parse("---\nintroduced_by: Kenji Sato\n---\n").contact.introduced_by == "Kenji Sato"


def test_unknown_keys_are_kept_in_extra_as_written(parse):
    note = parse("---\nname: A\nFavourite Food: ramen\nkids: [Mei, Sora]\nsince: 2020-01-01\n"
                 "---\n")
    assert note.problems == ()
    assert note.contact.extra == {"Favourite Food": "ramen", "kids": ["Mei", "Sora"],
                                  "since": date(2020, 1, 1)}


def test_links_accept_a_mapping_a_list_and_markdown_links(parse):
    c = parse("---\nlinks:\n  - https://a.example\n  - '[blog](https://b.example)'\n"
              "  - {github: https://c.example}\n---\n").contact
    assert c.links == (("", "https://a.example"), ("blog", "https://b.example"),
                       ("github", "https://c.example"))


def test_tier_is_one_of_the_configured_tiers_ignoring_case(parse):
    assert parse("---\ntier: Key\n---\n").contact.tier == "key"
    config = parse_config({"tiers": {"close": {"talk": "1m"}}, "default_tier": "close"})
    assert parse("---\ntier: close\n---\n", config=config).contact.tier == "close"
    note = parse("---\ntier: key\n---\n", config=config)
    assert note.contact.tier is None
    assert "unknown tier 'key'" in note.problems[0].message
    assert "close" in note.problems[0].message


@pytest.mark.parametrize(("field", "written"), [
    ("met", "last spring"), ("last_contact", "2025-13-01"), ("follow_up", "tomorrow"),
    ("snooze_until", "2026-1-1"), ("status", "busy"), ("tier", "vip"),
])
def test_a_lesser_error_keeps_the_note_and_ignores_that_one_field(parse, field, written):
    note = parse(f"---\nname: Aiko\ncompany: Acme\n{field}: {written}\n---\n")
    c = note.contact
    assert c is not None and c.name == "Aiko" and c.company == "Acme"
    (problem,) = note.problems
    assert problem.severity == "error" and problem.line == 4
    assert problem.message.startswith(f"{field}: ") and "ignored" in problem.message
    assert getattr(c, field) in (None, "active")


def test_status_values(parse):
    for status in ("active", "paused", "archived", "Paused"):
        assert parse(f"---\nstatus: {status}\n---\n").contact.status == status.lower()


def test_ignore_journal_flag(parse):
    assert parse("---\nignore_journal: true\n---\n").contact.ignore_journal
    assert not parse("---\nignore_journal: false\n---\n").contact.ignore_journal
    assert not parse("---\n---\n").contact.ignore_journal


def test_field_lines_point_at_their_keys(parse):
    c = parse("---\nname: Aiko\n\naliases:\n  - A\nemail: a@b.c\n---\nphone:: 0123\n").contact
    assert c.lines == {"name": 2, "aliases": 4, "email": 6, "phone": 8}


# --- the loader ----------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected"), [
    ("0123456", "0123456"),
    ("+4915112345678", "+4915112345678"),
    ("01234", "01234"),
    ("no", "no"),
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("1.50", "1.50"),
    ("1e3", "1e3"),
    ("0x1F", "0x1F"),
    ("12:30", "12:30"),
    ("1_000", "1_000"),
    (".inf", ".inf"),
    ("!!int 0123", "0123"),
    ("!!float 1.50", "1.50"),
    ("2026-11-20T10:00:00", "2026-11-20T10:00:00"),
    ("2026-02-30", "2026-02-30"),
    ("=", "="),
])
def test_values_stay_text_exactly_as_written(parse, written, expected):
    note = parse(f"---\nnote_value: {written}\n---\n")
    assert note.problems == ()
    assert note.contact.extra == {"note_value": expected}


@pytest.mark.parametrize(("written", "expected"), [
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
    ("", None), ("null", None), ("~", None),
    ("2026-11-20", date(2026, 11, 20)), ("'2026-11-20'", "2026-11-20"),
])
def test_only_booleans_null_and_iso_dates_are_typed(parse, written, expected):
    assert parse(f"---\nthing: {written}\n---\n").contact.extra == {"thing": expected}


def test_phone_zip_and_no_keep_their_leading_zeros_and_words(parse):
    c = parse("---\nphone: 0123456\nzip: 01234\nmobile: no\n---\n").contact
    assert c.phones == ("0123456",)
    assert c.extra == {"zip": "01234"}


def test_a_quoted_date_is_a_date_too(parse):
    assert parse('---\nmet: "2024-05-12"\n---\n').contact.met == date(2024, 5, 12)


def test_a_bom_does_not_hide_the_front_matter(parse):
    note = parse(b"\xef\xbb\xbf---\nname: Aiko\ntier: key\n---\nbody\n")
    assert note.contact.name == "Aiko" and note.contact.tier == "key"
    assert note.problems == ()


def test_crlf_line_endings_are_fine(parse):
    text = "---\r\nname: Aiko\r\nemail: a@b.c\r\n---\r\n## Log\r\n- 2026-01-01 call: hi\r\n"
    note = parse(text)
    assert note.problems == ()
    assert note.contact.name == "Aiko" and note.contact.emails == ("a@b.c",)
    assert [(e.kind, e.text, e.line) for e in note.contact.log] == [("call", "hi", 6)]


def test_python_tags_are_refused_safely(parse):
    note = parse("---\nname: !!python/object/apply:os.system ['echo hi']\n---\n")
    assert note.contact is None
    assert note.problems[0].severity == "error"


# --- Dataview inline fields ------------------------------------------------------------


def test_dataview_inline_fields_count(parse):
    text = ("---\nname: Aiko\n---\nemail:: aiko@example.com\nShe is [tier:: key] and "
            "(company:: Acme).\n- interests:: ai, running\nmet:: 2024-05-12\n")
    note = parse(text)
    assert note.problems == ()
    c = note.contact
    assert c.emails == ("aiko@example.com",)
    assert c.tier == "key"
    assert c.company == "Acme"
    assert c.interests == ("ai", "running")
    assert c.met == date(2024, 5, 12)


def test_front_matter_wins_over_an_inline_field(parse):
    c = parse("---\ntier: inner\nemail: a@x.com\n---\ntier:: key\nemail:: b@x.com\n").contact
    assert c.tier == "inner" and c.emails == ("a@x.com",)


def test_inline_fields_do_not_count_on_task_lines_log_entries_or_in_code(parse):
    text = ("---\n---\n- [ ] ask about [tier:: inner]\n## Log\n"
            "- 2026-01-01 call: she said [company:: Wrong Corp]\n"
            "```\nemail:: code@example.com\n```\n"
            "`phone:: 000`\n")
    c = parse(text).contact
    assert c.tier is None and c.company is None and c.emails == () and c.phones == ()


def test_repeated_inline_list_fields_add_up(parse):
    c = parse("email:: a@x.com\nemail:: b@x.com\n").contact
    assert c.emails == ("a@x.com", "b@x.com")


def test_an_unknown_inline_field_is_kept_in_extra(parse):
    assert parse("hobby:: go\n").contact.extra == {"hobby": "go"}


def test_a_bad_inline_value_is_an_error_on_its_line(parse):
    note = parse("---\nname: A\n---\nsome text\nmet:: last year\n")
    assert [(p.line, p.severity) for p in note.problems] == [(5, "error")]


# --- helpers ---------------------------------------------------------------------------


def test_fold_is_nfkc_and_case_folding():
    assert fold("ＡＩＫＯ") == fold("aiko") == "aiko"
    assert fold("Straße") == fold("STRASSE")
    assert fold("ｶﾀｶﾅ") == "カタカナ"


def test_fold_tag_ignores_separators_and_hash():
    assert fold_tag("#AI-Education") == fold_tag("ai_education") == fold_tag("AI education")


def test_wikilinks_and_plain():
    text = "with [[Kenji Sato|Ken]], [[people/Aiko#Log|Aiko]] and ![[photo.png]] [[ ]]"
    assert wikilinks(text) == [("Kenji Sato", "Ken"), ("people/Aiko", "Aiko")]
    assert wikilinks(text, embeds=True)[-1] == ("photo.png", "photo.png")
    assert plain("lunch with [[Kenji Sato|Ken]] and [[Aiko]]") == "lunch with Ken and Aiko"


def test_default_config_is_used_when_none_given(parse):
    assert parse("---\ntier: network\n---\n", config=Config()).contact.tier == "network"
