"""The schedule (DESIGN §4): small in-memory vaults in, due lists out."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizuna.config import Config, parse_config
from kizuna.index import Index
from kizuna.model import Depth, Duration
from kizuna.parse import parse_note
from kizuna.schedule import (
    FOLLOW_UP,
    NOTHING_LOGGED,
    OVERDUE,
    ReadingItem,
    Schedule,
    period_of,
)

TODAY = date(2026, 11, 23)


def person(front: str = "", *log: str, body: str = "") -> str:
    """A contact note: front matter lines, then log entries."""
    text = f"---\n{front.strip()}\n---\n" if front.strip() else ""
    if log:
        text += "## Log\n" + "".join(f"- {entry}\n" for entry in log)
    return text + body


def index_of(files: dict[str, str], toml: str = "") -> Index:
    config = parse_config(tomllib.loads(toml))
    notes = [parse_note(path, text.encode(), config, in_people=path.startswith("people/"))
             for path, text in files.items()]
    return Index(notes, config)


def schedule_of(files: dict[str, str], toml: str = "", today: date = TODAY,
                **kw: object) -> Schedule:
    index = index_of(files, toml)
    return Schedule(index, index.config, today, **kw)  # type: ignore[arg-type]


def due_names(s: Schedule) -> list[str]:
    return [d.contact.name for d in s.due()]


def coming_names(s: Schedule) -> list[str]:
    return [c.contact.name for c in s.coming_up()]


# --- when someone is due (§4.3) ------------------------------------------------------------


def test_due_on_the_due_day_itself_and_not_the_day_before() -> None:
    files = {"people/A.md": person("tier: network", "2026-05-23 email: hello")}  # talk every 6m
    on_the_day = schedule_of(files)
    assert due_names(on_the_day) == ["A"]
    item = on_the_day.due()[0]
    assert (item.reason, item.depth, item.due_on, item.days_overdue) == (
        OVERDUE, Depth.TALK, date(2026, 11, 23), 0)
    assert item.ratio == pytest.approx(1.0)
    day_before = schedule_of(files, today=TODAY - timedelta(days=1))
    assert due_names(day_before) == []
    assert coming_names(day_before) == ["A"]


def test_calendar_months_clamp_to_the_month_end() -> None:
    files = {"people/A.md": person("cadence: {talk: 1m}", "2026-08-31 call: hi")}
    assert due_names(schedule_of(files, today=date(2026, 9, 29))) == []
    on = schedule_of(files, today=date(2026, 9, 30))
    assert due_names(on) == ["A"]
    assert on.due()[0].due_on == date(2026, 9, 30)


def test_a_year_cadence_from_the_29th_of_february() -> None:
    files = {"people/A.md": person("tier: acquaintance", "2024-02-29 call: leap day")}
    s = schedule_of(files, today=date(2025, 2, 28))
    assert s.due()[0].due_on == date(2025, 2, 28)


def test_a_meeting_satisfies_talk_and_touch() -> None:
    files = {"people/A.md": person("tier: key", "2026-11-01 coffee: catch-up",
                                   "2025-01-01 like: old post")}
    s = schedule_of(files)
    state = s.state(s.index.contacts[0])
    assert {d.depth: d.last for d in state.depths} == dict.fromkeys(Depth, date(2026, 11, 1))
    assert due_names(s) == []


def test_a_like_does_not_satisfy_a_talk() -> None:
    files = {"people/A.md": person("tier: network", "2026-11-20 like: post",
                                   "2026-01-10 email: hello")}
    s = schedule_of(files)
    assert due_names(s) == ["A"]
    assert s.due()[0].due_on == date(2026, 7, 10)


def test_inbound_entries_count_for_the_cadence() -> None:
    files = {"people/A.md": person("tier: network", "2026-11-01 <- email: they wrote")}
    assert due_names(schedule_of(files)) == []


def test_last_contact_counts_as_a_talk() -> None:
    files = {"people/A.md": person("tier: network\nlast_contact: 2026-10-01")}
    s = schedule_of(files)
    assert due_names(s) == []
    assert s.state(s.index.contacts[0]).depths[0].last == date(2026, 10, 1)


def test_a_depth_never_logged_starts_from_met() -> None:
    files = {"people/A.md": person("tier: key\nmet: 2026-06-01", "2026-11-10 like: post")}
    s = schedule_of(files)
    meet = {d.depth: d for d in s.state(s.index.contacts[0]).depths}[Depth.MEET]
    assert (meet.last, meet.since, meet.due) == (None, date(2026, 6, 1), date(2026, 12, 1))
    assert not meet.is_due
    talk = {d.depth: d for d in s.state(s.index.contacts[0]).depths}[Depth.TALK]
    assert talk.due == date(2026, 9, 1) and talk.is_due


def test_without_met_a_depth_starts_from_the_first_interaction() -> None:
    files = {"people/A.md": person("tier: network", "2026-11-10 like: a", "2026-04-01 like: b")}
    s = schedule_of(files)
    talk = s.state(s.index.contacts[0]).depths[0]
    assert (talk.since, talk.due) == (date(2026, 4, 1), date(2026, 10, 1))
    assert due_names(s) == ["A"]


def test_nothing_logged_is_due_now_with_ratio_one() -> None:
    s = schedule_of({"people/A.md": person("tier: network")})
    (item,) = s.due()
    assert (item.reason, item.ratio, item.days_overdue, item.depth) == (
        NOTHING_LOGGED, 1.0, 0, None)


def test_met_but_nothing_logged_waits_for_the_cadence() -> None:
    s = schedule_of({"people/A.md": person("tier: network\nmet: 2026-11-01")})
    assert due_names(s) == []


def test_follow_up_is_due_until_an_interaction_on_or_after_it() -> None:
    front = "tier: network\nfollow_up: 2026-11-20"
    due = schedule_of({"people/A.md": person(front, "2026-11-01 email: hi")})
    (item,) = due.due()
    assert (item.reason, item.depth, item.due_on, item.days_overdue) == (
        FOLLOW_UP, None, date(2026, 11, 20), 3)
    done = schedule_of({"people/A.md": person(front, "2026-11-20 call: done")})
    assert due_names(done) == []
    before = schedule_of({"people/A.md": person(front, "2026-11-01 email: hi")},
                         today=date(2026, 11, 15))
    assert due_names(before) == [] and coming_names(before) == ["A"]
    assert before.coming_up()[0].reason == FOLLOW_UP


def test_follow_up_applies_whatever_the_cadence() -> None:
    s = schedule_of({"people/A.md": person("cadence: none\nfollow_up: 2026-11-23",
                                           "2026-11-01 email: hi")})
    assert due_names(s) == ["A"]


def test_paused_archived_snoozed_and_opted_out_are_never_due() -> None:
    files = {
        "people/Paused.md": person("status: paused"),
        "people/Archived.md": person("status: archived\nfollow_up: 2026-11-01"),
        "people/Snoozed.md": person("snooze_until: 2026-11-24\nfollow_up: 2026-11-01"),
        "people/Out.md": person("cadence: none"),
        "people/Due.md": person(""),
    }
    assert due_names(schedule_of(files)) == ["Due"]


def test_snooze_ending_today_is_due_again() -> None:
    s = schedule_of({"people/A.md": person("snooze_until: 2026-11-23", "2025-01-01 email: x")})
    assert due_names(s) == ["A"]


def test_a_snoozed_contact_comes_up_when_the_snooze_ends() -> None:
    s = schedule_of({"people/A.md": person("snooze_until: 2026-11-26", "2025-01-01 email: x")})
    assert due_names(s) == []
    (item,) = s.coming_up()
    assert (item.due_on, item.days) == (date(2026, 11, 26), 3)


def test_default_tier_none_tracks_only_tiered_people() -> None:
    files = {"people/Tiered.md": person("tier: network"), "people/Plain.md": person(""),
             "people/Own.md": person("cadence: 1m")}
    s = schedule_of(files, 'default_tier = "none"')
    assert due_names(s) == ["Tiered", "Own"]  # network weighs 2, no tier 1
    assert s.state(s.index.resolve("Plain")).paused_by == "no tier"  # type: ignore[arg-type]


def test_contact_cadence_overrides_only_the_depths_it_names() -> None:
    files = {"people/A.md": person("tier: key\ncadence: {talk: 2m, meet: none}",
                                   "2026-10-01 email: hi")}
    s = schedule_of(files)
    state = s.state(s.index.contacts[0])
    assert {d.depth: str(d.every) for d in state.depths} == {Depth.TOUCH: "1m", Depth.TALK: "2m"}
    assert [d.due for d in state.depths] == [date(2026, 11, 1), date(2026, 12, 1)]
    assert due_names(s) == ["A"] and s.due()[0].depth == Depth.TOUCH


def test_a_bare_duration_cadence_is_a_talk_cadence() -> None:
    s = schedule_of({"people/A.md": person("tier: acquaintance\ncadence: 2w",
                                           "2026-11-08 call: hi")})
    assert [str(d.every) for d in s.state(s.index.contacts[0]).depths] == ["2w"]
    assert due_names(s) == ["A"]


def test_the_deepest_due_depth_leads_and_the_ratio_is_the_largest() -> None:
    # key: touch 1m, talk 3m, meet 6m; everything last on 2026-05-01
    s = schedule_of({"people/A.md": person("tier: key", "2026-05-01 lunch: hi")})
    (item,) = s.due()
    assert item.depth == Depth.MEET
    assert [d.depth for d in item.due_depths] == [Depth.MEET, Depth.TALK, Depth.TOUCH]
    touch_ratio = (TODAY - date(2026, 5, 1)).days / (date(2026, 6, 1) - date(2026, 5, 1)).days
    assert item.ratio == pytest.approx(touch_ratio)
    assert item.score == pytest.approx(touch_ratio * 3)  # key is the second of four tiers


def test_ranking_is_ratio_times_tier_weight_with_ties_by_sort_name() -> None:
    files = {  # tier a weighs 2, b weighs 1
        "people/Zed.md": person("tier: a", "2026-11-13 call: x"),  # 10 days, every 5d: ratio 2 × 2
        "people/Amy.md": person("tier: b", "2026-11-03 call: x"),  # 20 days, every 5d: 4 × 1
        "people/Bob.md": person("tier: b\nreading: aaa", "2026-11-03 call: x"),  # same, sorts first
        "people/Cat.md": person("tier: a", "2026-11-18 call: x"),  # ratio 1 × 2
    }
    toml = 'default_tier = "b"\n[tiers.a]\ntalk = "5d"\n[tiers.b]\ntalk = "5d"\n'
    s = schedule_of(files, toml)
    assert [(d.contact.name, d.score) for d in s.due()] == [
        ("Bob", 4.0), ("Amy", 4.0), ("Zed", 4.0), ("Cat", 2.0)]


def test_due_limit_keeps_the_ranking() -> None:
    files = {f"people/P{i}.md": person("", f"2025-0{i}-01 call: x") for i in range(1, 6)}
    s = schedule_of(files)
    assert [d.contact.name for d in s.due(2)] == ["P1", "P2"]


def test_coming_up_lookahead_is_inclusive() -> None:
    files = {"people/In.md": person("", "2026-05-30 call: x"),  # due 2026-11-30 = today + 7d
             "people/Out.md": person("", "2026-06-01 call: x")}  # due 2026-12-01
    s = schedule_of(files)
    assert coming_names(s) == ["In"]
    assert s.coming_up()[0].days == 7
    wider = schedule_of(files, 'lookahead = "2w"')
    assert coming_names(wider) == ["In", "Out"]


# --- replies owed (§3.2) ------------------------------------------------------------------------


def test_an_inbound_entry_answered_by_a_later_meeting_is_not_owed() -> None:
    files = {"people/A.md": person("", "2026-11-15 coffee: talked", "2026-11-10 <- email: q")}
    assert schedule_of(files).replies_owed() == []


def test_an_outbound_entry_the_same_day_answers() -> None:
    files = {"people/A.md": person("", "2026-11-10 like: x", "2026-11-10 <- email: q")}
    assert schedule_of(files).replies_owed() == []


def test_a_reply_owed_is_dated_by_the_oldest_unanswered_inbound() -> None:
    files = {
        "people/A.md": person("", "2026-11-20 <- dm: again?", "2026-11-12 <- email: first",
                              "2026-11-10 call: old", "2026-11-05 <- email: answered"),
        "people/B.md": person("status: paused\nsnooze_until: 2027-01-01", "2026-11-01 <- call: b"),
        "people/C.md": person("status: archived", "2026-11-01 <- call: c"),
    }
    owed = schedule_of(files).replies_owed()
    assert [(r.contact.name, r.oldest.text, r.unanswered, r.days) for r in owed] == [
        ("B", "b", 1, 22), ("A", "first", 2, 11)]


def test_a_journal_mention_answers_an_inbound_entry() -> None:
    files = {"people/A.md": person("", "2026-11-10 <- email: q"),
             "Daily/2026-11-12.md": "Called [[A]] back.\n"}
    assert schedule_of(files).replies_owed() == []


# --- promises (§3.3) ------------------------------------------------------------------------------


def test_promises_by_urgency() -> None:
    body = ("\n## Promises\n"
            "- [ ] overdue one 📅 2026-11-22\n"
            "- [ ] due today 📅 2026-11-23\n"
            "- [ ] at the end of the lookahead [due:: 2026-11-30]\n"
            "- [ ] later due:2026-12-01\n"
            "- [ ] no date\n"
            "- [x] kept lately ✅ 2026-10-24\n"
            "- [x] kept long ago ✅ 2026-10-23\n"
            "- [-] cancelled 📅 2026-11-01\n")
    files = {"people/A.md": person("", body=body),
             "notes/plan.md": "- [ ] Intro [[A]] to [[B]] 📅 2026-11-01\n",
             "people/B.md": person("")}
    p = schedule_of(files).open_promises()
    texts = {name: [i.promise.text for i in getattr(p, name)]
             for name in ("overdue", "soon", "later", "undated", "kept")}
    assert texts == {
        "overdue": ["Intro [[A]] to [[B]]", "overdue one"],
        "soon": ["due today", "at the end of the lookahead"],
        "later": ["later"],
        "undated": ["no date"],
        "kept": ["kept lately"],
    }
    shared = p.overdue[0]
    assert [c.name for c in shared.contacts] == ["A", "B"] and shared.days == -22


# --- dormant ties (§4.4) ---------------------------------------------------------------


def test_dormant_needs_a_year_of_silence_and_history_worth_reviving() -> None:
    three = ("2025-11-01 call: c", "2025-06-01 email: b", "2025-01-01 email: a")
    files = {
        "people/Three.md": person("", *three),
        "people/Met.md": person("", "2025-03-01 lunch: once"),
        "people/Key.md": person("tier: key", "2025-03-01 like: once"),
        "people/Two.md": person("", "2025-03-01 call: x", "2025-02-01 call: y"),
        "people/Recent.md": person("", "2025-11-24 call: c", *three[1:]),
        "people/Exactly.md": person("", "2025-11-23 call: c", *three[1:]),  # exactly a year
        "people/Paused.md": person("status: paused", *three),
        "people/Snoozed.md": person("snooze_until: 2026-12-01", *three),
        "people/Nothing.md": person("tier: key"),
    }
    s = schedule_of(files)
    assert [(t.contact.name, t.score) for t in s.dormant()] == [
        ("Three", 6), ("Met", 3), ("Key", 1)]


def test_dormant_is_ranked_by_past_depth_and_ties_by_name() -> None:
    files = {"people/B.md": person("", "2024-01-01 lunch: x", "2024-01-02 lunch: y"),
             "people/A.md": person("", "2024-01-01 call: x", "2024-01-02 call: y",
                                   "2024-01-03 call: z"),
             "people/C.md": person("", "2024-01-01 coffee: x", "2024-02-01 like: y",
                                   "2024-02-02 like: z")}
    assert [(t.contact.name, t.score) for t in schedule_of(files).dormant()] == [
        ("A", 6), ("B", 6), ("C", 5)]


def test_dormant_hooks_anniversary_shared_interest_and_last_news() -> None:
    files = {"people/A.md": person("met: 2019-12-01\ninterests: [AI, running]",
                                   "2024-03-01 lunch: Moving to Osaka.", "2023-01-01 call: x")}
    me = index_of({"people/me.md": person("interests: [ai, Education]")}).contacts[0]
    s = schedule_of(files, me=me)
    (tie,) = s.dormant()
    assert [h.kind for h in tie.hooks] == ["anniversary", "interest", "news"]
    anniversary, interest, news = tie.hooks
    assert (anniversary.on, anniversary.years) == (date(2026, 12, 1), 7)
    assert interest.interests == ("AI",)
    assert (news.on, news.text, news.kind_of_news) == (
        date(2024, 3, 1), "Moving to Osaka.", "lunch")
    far = schedule_of({"people/A.md": files["people/A.md"].replace("2019-12-01", "2019-06-01")})
    assert [h.kind for h in far.dormant()[0].hooks] == ["news"]  # anniversary too far off


# --- budgets and goals (§4.5, §4.6) ---------------------------------------------------------


def test_budgets_count_people_per_tier_without_archived() -> None:
    toml = ('default_tier = "rest"\n[tiers.inner]\ntalk = "1m"\nbudget = 1\n'
            '[tiers.rest]\ntalk = "1y"\n')
    files = {"people/A.md": person("tier: inner", "2026-11-01 call: x"),
             "people/B.md": person("tier: inner", "2026-01-01 call: x"),
             "people/C.md": person("tier: inner\nstatus: archived"),
             "people/D.md": person("tier: rest")}
    inner, rest = schedule_of(files, toml).budgets()
    assert (inner.name, inner.people, inner.budget, inner.over) == ("inner", 2, 1, 1)
    assert (inner.tracked, inner.overdue, inner.on_cadence_percent) == (2, 1, 50)
    assert (rest.people, rest.budget, rest.over) == (1, None, 0)


def test_periods_hold_today() -> None:
    assert period_of(TODAY, "week") == (date(2026, 11, 23), date(2026, 11, 29))  # a Monday
    assert period_of(date(2026, 11, 29), "week") == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_of(TODAY, "month") == (date(2026, 11, 1), date(2026, 11, 30))
    assert period_of(TODAY, "quarter") == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_of(date(2026, 2, 14), "quarter") == (date(2026, 1, 1), date(2026, 3, 31))
    assert period_of(TODAY, "year") == (date(2026, 1, 1), date(2026, 12, 31))


GOAL_FILES = {
    "people/A.md": person("met: 2026-11-23\ncircles: [ai]",
                          "2026-11-23 like: a", "2026-11-20 call: b", "2026-10-05 coffee: c"),
    "people/B.md": person("met: 2026-11-02\nindustry: Education",
                          "2026-11-02 lunch: with [[A]]", "2026-03-01 email: d"),
    "people/C.md": person("met: 2025-12-31\ntier: key", "2025-12-31 meet: e"),
}


@pytest.mark.parametrize(("metric", "per", "circle", "value"), [
    ("new", "week", None, 1), ("new", "month", None, 2), ("new", "quarter", None, 2),
    ("new", "year", None, 2), ("new", "year", "ai", 1), ("new", "year", "education", 1),
    ("touch", "week", None, 1), ("touch", "month", None, 3), ("touch", "quarter", None, 4),
    ("touch", "year", None, 5),
    ("talk", "month", None, 2), ("talk", "year", None, 4), ("talk", "year", "ai", 3),
    ("meet", "week", None, 0), ("meet", "month", None, 1), ("meet", "quarter", None, 2),
    ("meet", "year", None, 2), ("meet", "year", "key", 0),
])
def test_every_goal_metric_and_period(metric: str, per: str, circle: str | None,
                                      value: int) -> None:
    toml = f'[[goals]]\nmetric = "{metric}"\nper = "{per}"\ntarget = 4\n'
    if circle:
        toml += f'circle = "{circle}"\n'
    (progress,) = schedule_of(GOAL_FILES, toml).goals()
    assert progress.value == value
    assert progress.percent == min(100, round(100 * value / 4))
    assert len(progress.bar()) == 10 and progress.bar().count("█") == min(10, round(10 * value / 4))


def test_on_cadence_goal_is_the_share_not_overdue() -> None:
    toml = '[[goals]]\nmetric = "on_cadence"\ncircle = "network"\ntarget = 80\nper = "month"\n'
    files = {"people/A.md": person("", "2026-11-01 call: x"),
             "people/B.md": person("", "2026-11-01 call: x"),
             "people/C.md": person("", "2026-01-01 call: x"),
             "people/D.md": person("tier: key", "2020-01-01 call: x"),
             "people/E.md": person("status: paused", "2020-01-01 call: x")}
    (progress,) = schedule_of(files, toml).goals()
    assert (progress.value, progress.target, progress.met) == (67, 80, False)


# --- dates, reading, introductions, ideas ---------------------------------------------------


def test_upcoming_dates_include_yearless_birthdays_and_dates() -> None:
    files = {"people/A.md": person("birthday: 1990-11-23\ndates: {joined Acme: 2024-01-15}"),
             "people/B.md": person("birthday: 12-24"),
             "people/C.md": person("birthday: 1990-01-23"),
             "people/D.md": person("birthday: 1990-11-30\nstatus: archived")}
    items = schedule_of(files).upcoming_dates()
    assert [(d.contact.name, d.label, d.on, d.days, d.years) for d in items] == [
        ("A", "birthday", date(2026, 11, 23), 0, 36),
        ("B", "birthday", date(2026, 12, 24), 31, None),
        ("A", "joined Acme", date(2027, 1, 15), 53, 3),
    ]


def test_reading_items_match_interests_and_skip_what_was_shared() -> None:
    reading = [ReadingItem("Adaptive learning", "https://example.org/a", ("ai", "education"), 1),
               ReadingItem("Running far", None, ("Trail_Running",), 3)]
    files = {"people/A.md": person("interests: [education, trail-running]",
                                   "2026-01-01 share: Sent https://example.org/a"),
             "people/B.md": person("interests: [AI]"),
             "people/C.md": person("interests: [trail running]",
                                   "2026-01-01 share: sent her running far, loved it")}
    s = schedule_of(files, reading=reading)
    found = {c.name: [r.title for r in s.reading_for(c)] for c in s.index.contacts}
    assert found == {"A": ["Running far"], "B": ["Adaptive learning"], "C": []}


def test_introductions_match_needs_to_offers_loosely() -> None:
    files = {"people/Seeker.md": person("needs: [Data Engineers, ux_research]"),
             "people/Helper.md": person("offers: [data-engineers]"),
             "people/Gone.md": person("offers: [ux research]\nstatus: archived"),
             "people/Self.md": person("needs: [mentoring]\noffers: [mentoring]")}
    me = index_of({"people/me.md": person("offers: [ＵＸ Research]")}).contacts[0]
    intros = schedule_of(files, me=me).introductions()
    assert [(i.seeker.name, i.helper.name if i.helper else None, i.tags) for i in intros] == [
        ("Seeker", "Helper", ("Data Engineers",)), ("Seeker", None, ("ux_research",))]


def test_ideas_follow_the_due_depth_then_help_then_reading() -> None:
    files = {
        "people/Meet.md": person("tier: key", "2026-01-01 lunch: x"),
        "people/Touch.md": person("tier: key", "2026-10-01 lunch: x"),
        "people/Intro.md": person("needs: [design]", "2026-01-01 call: x"),
        "people/Designer.md": person("offers: [design]", "2026-11-01 call: x"),
        "people/Read.md": person("interests: [ai]", "2026-01-01 call: x"),
        "people/Plain.md": person("", "2026-01-01 call: about the move"),
        "people/New.md": person(""),
    }
    reading = [ReadingItem("AI now", None, ("ai",), 1)]
    s = schedule_of(files, reading=reading)
    ideas = {d.contact.name: s.idea(d) for d in s.due()}
    assert {name: idea.kind for name, idea in ideas.items()} == {
        "Meet": "meet", "Touch": "like", "Intro": "introduce", "Read": "reading",
        "Plain": "message", "New": "first"}
    assert ideas["Intro"].introduction.helper.name == "Designer"  # type: ignore[union-attr]
    assert ideas["Plain"].topic == "about the move"


# --- properties -------------------------------------------------------------------------------

KINDS = ["like", "email", "lunch"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 800), st.sampled_from(KINDS), st.booleans()),
                max_size=6),
       st.sampled_from(["inner", "key", "network", "acquaintance"]))
def test_due_exactly_when_some_depth_is_past_its_date(
        entries: list[tuple[int, str, bool]], tier: str) -> None:
    log = [f"{TODAY - timedelta(days=ago)} {'<- ' if inbound else ''}{kind}: x"
           for ago, kind, inbound in entries]
    s = schedule_of({"people/A.md": person(f"tier: {tier}", *log)})
    contact = s.index.contacts[0]
    config: Config = s.config
    tier_cadence = config.tier(tier).cadence  # type: ignore[union-attr]
    dates = {d: [TODAY - timedelta(days=ago) for ago, kind, _ in entries
                 if config.depth_of(kind) >= d] for d in Depth}
    first = min((TODAY - timedelta(days=ago) for ago, _, _ in entries), default=None)
    expected = False
    for depth, every in tier_cadence.items():
        since = max(dates[depth], default=first)
        expected |= since is None or Duration.after(every, since) <= TODAY
    assert (s.due() != []) == expected
    assert s.state(contact).is_due == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 900), st.sampled_from(["inner", "key", "network"])),
                min_size=1, max_size=8))
def test_the_ranking_is_sorted_by_score_then_name(people: list[tuple[int, str]]) -> None:
    files = {f"people/P{i}.md": person(f"tier: {tier}", f"{TODAY - timedelta(days=ago)} call: x")
             for i, (ago, tier) in enumerate(people)}
    ranked = schedule_of(files).due()
    keys = [(-d.score, d.contact.sort_name) for d in ranked]
    assert keys == sorted(keys)


def test_contacts_of_one_tier_share_its_cadence_but_keep_their_own() -> None:
    # One schedule finds a tier's cadence and due dates once for all its contacts: each
    # contact's state must be the one a schedule of that contact alone gives.
    fronts = ["tier: key", "tier: Key", "tier: key\ncadence: {meet: 2m}",
              "tier: key\ncadence: none", "tier: network", "", "tier: nobody",
              "cadence: {talk: 1m, touch: none}",
              "tier: key\nmet: 2025-01-31", "tier: inner\nfollow_up: 2026-11-01"]
    logs = [(), ("2026-01-31 coffee: x",), ("2026-01-31 coffee: x", "2026-10-31 like: y"),
            ("2025-11-23 email: x", "2026-09-23 lunch: y", "2026-11-20 call: z")]
    files = {f"people/P{i}-{j}.md": person(front, *log)
             for i, front in enumerate(fronts) for j, log in enumerate(logs)}
    together = schedule_of(files)
    for contact in together.index.contacts:
        alone = schedule_of({contact.path: files[contact.path]})
        assert together.state(contact) == alone.state(alone.index.contacts[0]), contact.path
    alone_due = [d for path in files for d in schedule_of({path: files[path]}).due()]
    assert sorted(map(repr, together.due())) == sorted(map(repr, alone_due))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 800), st.sampled_from(KINDS)), max_size=8),
       st.sampled_from(["inner", "key", "network"]))
def test_each_depth_counts_from_its_latest_interaction_as_deep(
        entries: list[tuple[int, str]], tier: str) -> None:
    log = [f"{TODAY - timedelta(days=ago)} {kind}: x" for ago, kind in entries]
    s = schedule_of({"people/A.md": person(f"tier: {tier}", *log)})
    state = s.state(s.index.contacts[0])
    cadence = s.config.tier(tier).cadence  # type: ignore[union-attr]
    assert [d.depth for d in state.depths] == sorted(cadence)
    for depth in state.depths:
        assert depth.last == max((TODAY - timedelta(days=ago) for ago, kind in entries
                                  if s.config.depth_of(kind) >= depth.depth), default=None)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.sampled_from(["d", "w", "m", "y"]),
       st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_the_last_start_a_cadence_is_over_from_is_exact(count: int, unit: str,
                                                        today: date) -> None:
    every = Duration(count, unit)  # type: ignore[arg-type]
    last = Schedule(index_of({}), Config(), today)._last_start(every)
    assert every.after(last) <= today < every.after(last + timedelta(days=1))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 900), st.sampled_from(KINDS)), max_size=5),
       st.sampled_from(["tier: key", "tier: network", "tier: inner", "tier: nobody", "",
                        "cadence: none", "cadence: {meet: 1m}", "cadence: {talk: 2w, meet: none}",
                        "status: paused", f"snooze_until: {TODAY + timedelta(days=3)}"]),
       st.one_of(st.none(), st.integers(-60, 60)), st.one_of(st.none(), st.integers(0, 900)),
       st.sampled_from(["", "default_tier = \"none\""]))
def test_who_is_due_is_who_the_state_finds_due(entries: list[tuple[int, str]], front: str,
                                              follow_up: int | None, met: int | None,
                                              toml: str) -> None:
    # Schedule.due skips the state of anyone it can tell is not due: never of anyone due.
    lines = [front]
    if follow_up is not None:
        lines.append(f"follow_up: {TODAY - timedelta(days=follow_up)}")
    if met is not None:
        lines.append(f"met: {TODAY - timedelta(days=met)}")
    log = [f"{TODAY - timedelta(days=ago)} {kind}: x" for ago, kind in entries]
    s = schedule_of({"people/A.md": person("\n".join(lines), *log)}, toml)
    contact = s.index.contacts[0]
    assert [d.contact for d in s.due()] == ([contact] if s.state(contact).is_due else [])
