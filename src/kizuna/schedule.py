"""Who is due, who is coming up, who is owed a reply, which ties are dormant (DESIGN §4).

Pure: the index, the settings and `today` go in, small frozen values come out.
Nothing here reads a file or the clock.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from .config import Config, Goal
from .index import Index
from .model import Contact, Depth, Duration, Interaction, PartialDate, Promise
from .parse import fold, fold_tag, plain

# The reasons a contact is due, exactly as DESIGN §4.3 words them; templates translate them.
OVERDUE = "overdue"
NOTHING_LOGGED = "nothing logged yet"
FOLLOW_UP = "follow-up you set"

_DEPTHS = tuple(Depth)  # touch, talk, meet: index i holds depth i + 1
LAST_CONTACT_KIND = "last_contact"  # the synthetic interaction Index makes of `last_contact`
DATES_IN_REACH_OUT = 14  # birthdays and dates shown under "Coming up"
UPCOMING_DAYS = 60  # the "Upcoming dates" note
KEPT_DAYS = 30  # kept promises shown on the promises note
REVIVE = 5  # dormant ties on the reach-out note
HELPERS_PER_NEED = 3  # introductions per need: a short list to act on, not every match
ANNIVERSARY_DAYS = 60  # an anniversary of meeting is a hook when it is this close


# --- values ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DepthState:
    """One depth of one contact's cadence: when it was last met, when it falls due."""

    depth: Depth
    every: Duration
    last: date | None  # the latest interaction of this depth or deeper
    since: date | None  # where the clock runs from: `last`, else `met`, else the first interaction
    due: date  # `since + every`; today when there is nothing to count from
    ratio: float  # (today − since) / (due − since); 1 when nothing is logged
    days_overdue: int  # today − due: negative while it is still ahead

    @property
    def is_due(self) -> bool:
        return self.days_overdue >= 0


@dataclass(frozen=True, slots=True)
class CadenceState:
    """A contact's whole cadence as of today, for `show` and the rankings."""

    contact: Contact
    tier: str | None
    depths: tuple[DepthState, ...]  # every depth with a cadence, shallow to deep
    follow_up: date | None  # a follow-up date not yet met by an interaction on or after it
    paused_by: str | None  # why they are never due: archived, paused, snoozed, opted out, no tier
    due_on: date | None  # the earliest due date over depths and the follow-up
    is_due: bool
    ratio: float  # the largest ratio over the due depths (at least 1 for a follow-up)
    reason: str | None  # FOLLOW_UP, NOTHING_LOGGED or OVERDUE when due

    @property
    def tracked(self) -> bool:
        """Whether any reminder can come from this contact at all."""
        return self.paused_by is None and (bool(self.depths) or self.follow_up is not None)


@dataclass(frozen=True, slots=True)
class DueContact:
    """One entry of "Reach out": who, why now, by how much."""

    contact: Contact
    tier: str | None
    reason: str  # FOLLOW_UP, NOTHING_LOGGED or OVERDUE
    depth: Depth | None  # the deepest due depth (it covers the rest); None for a follow-up
    # alone or when nothing is logged yet
    due_on: date  # that depth's due date (or the follow-up date)
    days_overdue: int
    ratio: float  # the largest over the due depths
    score: float  # ratio × tier weight
    due_depths: tuple[DepthState, ...]  # every depth that is due, deepest first
    follow_up: date | None


@dataclass(frozen=True, slots=True)
class ComingUp:
    """Not due yet, but within the look-ahead."""

    contact: Contact
    tier: str | None
    reason: str  # OVERDUE (a depth falls due) or FOLLOW_UP
    depth: Depth | None
    due_on: date
    days: int  # days from today


@dataclass(frozen=True, slots=True)
class ReplyOwed:
    """They reached out and I have not answered since (DESIGN §3.2)."""

    contact: Contact
    oldest: Interaction  # the oldest unanswered inbound entry
    unanswered: int  # how many inbound entries wait
    days: int  # since the oldest


PromiseBucket = Literal["overdue", "soon", "later", "undated", "kept"]


@dataclass(frozen=True, slots=True)
class PromiseItem:
    promise: Promise
    contacts: tuple[Contact, ...]  # whom it was made to
    bucket: PromiseBucket
    days: int | None  # due − today (negative: overdue); for kept ones, today − done date


@dataclass(frozen=True, slots=True)
class Promises:
    overdue: tuple[PromiseItem, ...]
    soon: tuple[PromiseItem, ...]  # due today up to the end of the look-ahead
    later: tuple[PromiseItem, ...]
    undated: tuple[PromiseItem, ...]
    kept: tuple[PromiseItem, ...]  # done in the last 30 days

    @property
    def open(self) -> tuple[PromiseItem, ...]:
        return self.overdue + self.soon + self.later + self.undated


@dataclass(frozen=True, slots=True)
class Hook:
    """A reason to get back in touch with a dormant tie."""

    kind: Literal["anniversary", "interest", "news"]
    on: date | None = None  # anniversary: its next date; news: the entry's date
    years: int | None = None  # anniversary: how many years it will be
    interests: tuple[str, ...] = ()  # interest: the shared ones, as they wrote them
    text: str = ""  # news: the last log text
    kind_of_news: str = ""  # news: the entry's kind


@dataclass(frozen=True, slots=True)
class DormantTie:
    contact: Contact
    tier: str | None
    last: Interaction
    days: int  # since the last interaction
    score: int  # past depth: meet 3, talk 2, touch 1, summed
    interactions: int
    meets: int
    hooks: tuple[Hook, ...]


@dataclass(frozen=True, slots=True)
class TierSummary:
    """People per tier against its budget, and how many are on cadence."""

    name: str
    people: int  # not archived
    budget: int | None
    tracked: int  # with a cadence, not paused or snoozed
    overdue: int

    @property
    def over(self) -> int:
        """How many past the budget (0 when within it or without one)."""
        return max(0, self.people - self.budget) if self.budget is not None else 0

    @property
    def on_cadence_percent(self) -> int | None:
        if not self.tracked:
            return None
        return round(100 * (self.tracked - self.overdue) / self.tracked)


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: Goal
    start: date
    end: date  # inclusive
    value: int  # people, interactions, or a percentage for on_cadence
    target: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.value / self.target)) if self.target else 100

    @property
    def met(self) -> bool:
        return self.value >= self.target

    def bar(self, width: int = 10) -> str:
        filled = min(width, round(width * self.value / self.target)) if self.target else width
        return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True, slots=True)
class DateItem:
    """A birthday or a date from `dates` in the coming days."""

    contact: Contact
    label: str  # "birthday" or the `dates` key
    on: date
    days: int
    years: int | None  # the age or anniversary count, when the year is known


@dataclass(frozen=True, slots=True)
class ReadingItem:
    """One line of reading-list.md: something worth sharing."""

    title: str
    url: str | None
    tags: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Introduction:
    """`needs` of one contact meet `offers` of another (or mine, when `offers` is None)."""

    seeker: Contact
    helper: Contact | None  # None: you could help them yourself (from me.md)
    tags: tuple[str, ...]  # the matching needs, as the seeker wrote them


@dataclass(frozen=True, slots=True)
class Idea:
    """One concrete thing to do for a due contact."""

    kind: Literal["first", "follow_up", "like", "message", "meet", "reading", "introduce", "help"]
    reading: ReadingItem | None = None
    introduction: Introduction | None = None
    topic: str = ""  # message: what they talked about last, plain text
    tags: tuple[str, ...] = ()  # reading: the item's tags that match their interests


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    touch: int
    talk: int
    meet: int

    @property
    def total(self) -> int:
        return self.touch + self.talk + self.meet


# --- helpers ----------------------------------------------------------------------------


def days_between(start: date, end: date) -> int:
    return end.toordinal() - start.toordinal()


def effective_tier(contact: Contact, config: Config) -> str | None:
    """The contact's tier as the settings name it, else `default_tier` (None when "none")."""
    name = contact.tier or config.default_tier
    tier = config.tier(name)
    return tier.name if tier is not None else name


def _latest_per_depth(interactions: Sequence[Interaction]) -> dict[Depth, date]:
    """For each depth, the date of the latest interaction of that depth or deeper.

    One pass from the newest (the index keeps interactions by date), stopping at a meeting.
    """
    latest: dict[Depth, date] = {}
    deepest_seen = 0
    for item in reversed(interactions):
        if item.depth > deepest_seen:
            for depth in _DEPTHS[deepest_seen:item.depth]:
                latest[depth] = item.date
            deepest_seen = item.depth
            if deepest_seen == Depth.MEET:
                break
    return latest


def between(interactions: Sequence[Interaction], start: date, end: date) -> Sequence[Interaction]:
    """The interactions dated from `start` to `end` inclusive (the index keeps them by date)."""
    low = bisect.bisect_left(interactions, start, key=lambda i: i.date)
    high = bisect.bisect_right(interactions, end, lo=low, key=lambda i: i.date)
    return interactions[low:high]


def logged(interactions: Iterable[Interaction]) -> list[Interaction]:
    """Interactions that are real entries, without the one `last_contact` stands for."""
    return [i for i in interactions if i.kind != LAST_CONTACT_KIND or i.line is not None]


def period_of(today: date, per: str) -> tuple[date, date]:
    """The week (Monday first), month, quarter or year holding today, both ends inclusive."""
    if per == "week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    if per == "month":
        first_month = last_month = today.month
    elif per == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        last_month = first_month + 2
    else:
        first_month, last_month = 1, 12
    end_day = calendar.monthrange(today.year, last_month)[1]
    return date(today.year, first_month, 1), date(today.year, last_month, end_day)


def _next_anniversary(when: date, today: date) -> tuple[date, int]:
    nxt = PartialDate(when.month, when.day).next_on_or_after(today)
    return nxt, nxt.year - when.year


def _mentions(reading: ReadingItem, texts: Sequence[str]) -> bool:
    """Whether a reading item's link or title already appears in these log texts."""
    title = fold(reading.title)
    for text in texts:
        if reading.url and reading.url in text:
            return True
        if title and title in fold(text):
            return True
    return False


# --- the schedule ----------------------------------------------------------------------------


class Schedule:
    """Everything time-dependent about a vault, as of `today`.

    `me` is the profile from me.md (its interests and offers), `reading` the
    items of reading-list.md; both are optional.
    """

    def __init__(self, index: Index, config: Config, today: date, *,
                 me: Contact | None = None, reading: Sequence[ReadingItem] = ()) -> None:
        self.index = index
        self.config = config
        self.today = today
        self.me = me
        self.reading = tuple(reading)
        self._states: dict[str, CadenceState] = {}

    # --- one contact -----------------------------------------------------------------

    def state(self, contact: Contact) -> CadenceState:
        """The contact's cadence state as of today (cached)."""
        found = self._states.get(contact.path)
        if found is None:
            found = self._states[contact.path] = self._state(contact)
        return found

    def _state(self, contact: Contact) -> CadenceState:
        today, config = self.today, self.config
        tier = effective_tier(contact, config)
        cadence = config.cadence_for(contact)
        interactions = self.index.interactions(contact)
        paused_by: str | None = None
        if contact.status != "active":
            paused_by = contact.status
        elif contact.snooze_until is not None and contact.snooze_until > today:
            paused_by = "snoozed"
        elif contact.cadence is None:
            paused_by = "opted out"
        elif not cadence and tier is None:
            paused_by = "no tier"
        start = contact.met or (interactions[0].date if interactions else None)
        latest = _latest_per_depth(interactions) if cadence else {}
        depths = []
        for depth, every in cadence.items():
            last_date = latest.get(depth)
            since = last_date or start
            if since is None:
                depths.append(DepthState(depth, every, None, None, today, 1.0, 0))
                continue
            due = every.after(since)
            ratio = days_between(since, today) / max(1, days_between(since, due))
            depths.append(DepthState(depth, every, last_date, since, due, ratio,
                                     days_between(due, today)))
        follow_up = contact.follow_up
        if follow_up is not None and interactions and interactions[-1].date >= follow_up:
            follow_up = None  # met by an interaction on or after it
        dues = [d.due for d in depths] + ([follow_up] if follow_up else [])
        due_on = min(dues) if dues else None
        due_depths = [d for d in depths if d.is_due]
        follow_up_due = follow_up is not None and follow_up <= today
        is_due = paused_by in (None, "opted out", "no tier") and (
            (paused_by is None and bool(due_depths)) or follow_up_due
        )
        ratio = max((d.ratio for d in due_depths), default=0.0) if paused_by is None else 0.0
        reason = None
        if is_due:
            if follow_up_due:
                reason, ratio = FOLLOW_UP, max(ratio, 1.0)
            elif start is None:
                reason = NOTHING_LOGGED
            else:
                reason = OVERDUE
        return CadenceState(contact, tier, tuple(depths), follow_up, paused_by, due_on, is_due,
                            ratio, reason)

    def last_conversation(self, contact: Contact) -> Interaction | None:
        """The latest talk-or-meet entry (not the bare `last_contact` date)."""
        for item in reversed(self.index.interactions(contact)):
            if item.depth >= Depth.TALK and logged([item]):
                return item
        return None

    def open_promises_to(self, contact: Contact) -> list[Promise]:
        return [p for p in self.index.promises(contact) if p.is_open]

    # --- who is due ---------------------------------------------------------------------

    @cached_property
    def _due(self) -> list[DueContact]:
        found = []
        for contact in self.index.contacts:
            state = self.state(contact)
            if not state.is_due or state.reason is None:
                continue
            # The deepest due depth leads: doing it satisfies the shallower ones too.
            due_depths = sorted((d for d in state.depths if d.is_due and state.paused_by is None),
                                key=lambda d: -d.depth)
            top = due_depths[0] if due_depths else None
            if top is None:
                assert state.follow_up is not None
                due_on, days = state.follow_up, days_between(state.follow_up, self.today)
            else:
                due_on, days = top.due, top.days_overdue
            weight = self.config.tier_weight(state.tier)
            # With nothing logged no depth is behind more than another: the relationship waits.
            depth = top.depth if top and state.reason != NOTHING_LOGGED else None
            found.append(DueContact(
                contact, state.tier, state.reason, depth, due_on, days,
                state.ratio, state.ratio * weight, tuple(due_depths), state.follow_up,
            ))
        found.sort(key=lambda d: (-d.score, d.contact.sort_name, d.contact.path))
        return found

    def due(self, limit: int | None = None) -> list[DueContact]:
        """Due contacts ranked by ratio × tier weight, ties by sort name (DESIGN §4.3)."""
        return self._due if limit is None else self._due[:limit]

    def coming_up(self) -> list[ComingUp]:
        """Not due, but a depth or a follow-up falls due within the look-ahead (inclusive)."""
        horizon = self.config.lookahead.after(self.today)
        found = []
        for contact in self.index.contacts:
            state = self.state(contact)
            if state.is_due or state.paused_by not in (None, "snoozed", "opted out", "no tier"):
                continue
            candidates: list[tuple[date, Depth | None]] = []
            if state.paused_by in (None, "snoozed"):
                candidates += [(d.due, d.depth) for d in state.depths]
            if state.follow_up is not None:
                candidates.append((state.follow_up, None))
            if not candidates:
                continue
            when, depth = min(candidates, key=lambda c: (c[0], -(c[1] or 0)))
            if state.paused_by == "snoozed":
                assert contact.snooze_until is not None
                when = max(when, contact.snooze_until)  # nothing before the snooze ends
            if self.today < when <= horizon:
                found.append(ComingUp(contact, state.tier, FOLLOW_UP if depth is None else OVERDUE,
                                      depth, when, days_between(self.today, when)))
        found.sort(key=lambda c: (c.due_on, c.contact.sort_name, c.contact.path))
        return found

    # --- replies and promises ----------------------------------------------------------

    def replies_owed(self) -> list[ReplyOwed]:
        """One per contact: inbound entries with no outbound one on the same day or later."""
        return self._replies

    @cached_property
    def _replies(self) -> list[ReplyOwed]:
        found = []
        for contact in self.index.contacts:
            if contact.status == "archived":
                continue
            # Newest first, up to the latest outbound entry: the inbound ones after it wait.
            waiting = []
            answered = None
            for item in reversed(self.index.interactions(contact)):
                if not item.inbound:
                    answered = item.date
                    break
                waiting.append(item)
            waiting = [i for i in waiting if answered is None or i.date > answered]
            if waiting:
                oldest = min(waiting, key=lambda i: i.date)
                found.append(ReplyOwed(contact, oldest, len(waiting),
                                       days_between(oldest.date, self.today)))
        found.sort(key=lambda r: (r.oldest.date, r.contact.sort_name, r.contact.path))
        return found

    @cached_property
    def _promises(self) -> Promises:
        made: dict[tuple[str, int], tuple[Promise, list[Contact]]] = {}
        for contact in self.index.contacts:
            for promise in self.index.promises(contact):
                key = (promise.source, promise.line)
                made.setdefault(key, (promise, []))[1].append(contact)
        horizon = self.config.lookahead.after(self.today)
        kept_since = self.today - timedelta(days=KEPT_DAYS)
        buckets: dict[str, list[PromiseItem]] = defaultdict(list)
        for promise, contacts in made.values():
            people = tuple(contacts)
            if promise.is_open:
                if promise.due is None:
                    bucket, days = "undated", None
                else:
                    days = days_between(self.today, promise.due)
                    soon = promise.due <= horizon
                    bucket = "overdue" if days < 0 else "soon" if soon else "later"
            elif promise.done_on is not None and kept_since <= promise.done_on <= self.today:
                bucket, days = "kept", days_between(promise.done_on, self.today)
            else:
                continue
            buckets[bucket].append(PromiseItem(promise, people, bucket, days))  # type: ignore[arg-type]

        def order(item: PromiseItem) -> tuple[int, str, str, int]:
            p = item.promise
            if item.bucket == "kept":
                when = -p.done_on.toordinal() if p.done_on else 0  # newest first
            else:
                when = p.due.toordinal() if p.due else 0
            first = item.contacts[0].sort_name if item.contacts else ""
            return (when, first, p.source, p.line)

        return Promises(*(tuple(sorted(buckets[b], key=order))
                          for b in ("overdue", "soon", "later", "undated", "kept")))

    def open_promises(self) -> Promises:
        """Promises by urgency: overdue, due soon (within the look-ahead), later, undated, kept."""
        return self._promises

    # --- dormant ties ----------------------------------------------------------------------

    @cached_property
    def _dormant(self) -> list[DormantTie]:
        key_rank = self._tier_rank("key")
        my_interests = {fold_tag(t) for t in self.me.interests} if self.me else set()
        found = []
        for contact in self.index.contacts:
            if contact.status != "active":
                continue
            if contact.snooze_until is not None and contact.snooze_until > self.today:
                continue
            interactions = self.index.interactions(contact)
            if not interactions:
                continue
            last = interactions[-1]  # the index keeps them by date
            if self.config.dormant_after.after(last.date) >= self.today:
                continue
            entries = logged(interactions)
            meets = sum(i.depth == Depth.MEET for i in entries)
            tier = effective_tier(contact, self.config)
            rank = self._tier_rank(tier)
            worth = len(entries) >= 3 or meets > 0 or (
                key_rank is not None and rank is not None and rank <= key_rank)
            if not worth:
                continue
            hooks = []
            if contact.met is not None:
                on, years = _next_anniversary(contact.met, self.today)
                if days_between(self.today, on) <= ANNIVERSARY_DAYS and years > 0:
                    hooks.append(Hook("anniversary", on=on, years=years))
            shared = tuple(t for t in contact.interests if fold_tag(t) in my_interests)
            if shared:
                hooks.append(Hook("interest", interests=shared))
            news = next((i for i in reversed(entries) if i.text.strip()), None)
            if news is not None:
                hooks.append(Hook("news", on=news.date, text=news.text, kind_of_news=news.kind))
            found.append(DormantTie(contact, tier, last, days_between(last.date, self.today),
                                    sum(int(i.depth) for i in entries), len(entries), meets,
                                    tuple(hooks)))
        found.sort(key=lambda t: (-t.score, t.contact.sort_name, t.contact.path))
        return found

    def dormant(self, limit: int | None = None) -> list[DormantTie]:
        """Dormant ties worth reviving, ranked by past depth (DESIGN §4.4)."""
        return self._dormant if limit is None else self._dormant[:limit]

    def _tier_rank(self, name: str | None) -> int | None:
        names = [t.name for t in self.config.tiers]
        return names.index(name) if name in names else None

    # --- tiers, goals --------------------------------------------------------------------

    def budgets(self) -> list[TierSummary]:
        """Every configured tier: people against budget, and how many are on cadence."""
        people: Counter[str] = Counter()
        tracked: Counter[str] = Counter()
        overdue: Counter[str] = Counter()
        for contact in self.index.contacts:
            if contact.status == "archived":
                continue
            state = self.state(contact)
            if state.tier is None:
                continue
            people[state.tier] += 1
            if state.paused_by is None and state.depths:
                tracked[state.tier] += 1
                overdue[state.tier] += any(d.is_due for d in state.depths)
        return [TierSummary(t.name, people[t.name], t.budget, tracked[t.name], overdue[t.name])
                for t in self.config.tiers]

    def matches_filter(self, contact: Contact, wanted: str | None) -> bool:
        """A goal's filter: a circle, a tier or an industry (tags compared loosely)."""
        if wanted is None:
            return True
        key = fold_tag(wanted)
        tier = effective_tier(contact, self.config)
        return (key in {fold_tag(c) for c in contact.circles}
                or (tier is not None and fold_tag(tier) == key)
                or (contact.industry is not None and fold_tag(contact.industry) == key))

    def goal(self, goal: Goal) -> GoalProgress:
        start, end = period_of(self.today, goal.per)
        people = [c for c in self.index.contacts if self.matches_filter(c, goal.circle)]
        if goal.metric == "new":
            value = sum(c.met is not None and start <= c.met <= end for c in people)
        elif goal.metric == "on_cadence":
            states = [self.state(c) for c in people if c.status != "archived"]
            tracked = [s for s in states if s.paused_by is None and s.depths]
            late = sum(any(d.is_due for d in s.depths) for s in tracked)
            value = round(100 * (len(tracked) - late) / len(tracked)) if tracked else 100
        else:
            least = Depth.parse(goal.metric)
            seen = set()
            for contact in people:
                for item in between(self.index.interactions(contact), start, end):
                    if item.depth >= least:
                        # a lunch with two people, logged once, is one interaction
                        seen.add((item.source, item.line, item.date, item.kind))
            value = len(seen)
        return GoalProgress(goal, start, end, value, goal.target)

    def goals(self) -> list[GoalProgress]:
        return [self.goal(g) for g in self.config.goals]

    # --- dates, matches, ideas -------------------------------------------------------------

    def upcoming_dates(self, days: int = UPCOMING_DAYS) -> list[DateItem]:
        """Birthdays and `dates` from today to `days` ahead (archived contacts left out)."""
        until = self.today + timedelta(days=days)
        found = []
        for contact in self.index.contacts:
            if contact.status == "archived":
                continue
            entries = [("birthday", contact.birthday)] if contact.birthday else []
            entries += list(contact.dates)
            for label, when in entries:
                assert when is not None
                on = when.next_on_or_after(self.today)
                if on <= until:
                    years = on.year - when.year if when.year is not None else None
                    found.append(DateItem(contact, label, on, days_between(self.today, on),
                                          years if years is None or years >= 0 else None))
        found.sort(key=lambda d: (d.on, d.contact.sort_name, d.label))
        return found

    def reading_for(self, contact: Contact) -> list[ReadingItem]:
        """Reading-list items sharing a tag with their interests, not already in their log."""
        interests = {fold_tag(t) for t in contact.interests}
        if not interests:
            return []
        texts = [i.text for i in self.index.interactions(contact)]
        return [r for r in self.reading
                if interests & {fold_tag(t) for t in r.tags} and not _mentions(r, texts)]

    @cached_property
    def _introductions(self) -> list[Introduction]:
        people = [c for c in self.index.contacts if c.status != "archived"]
        # Helpers you are closest to first (tier order), so each need lists the best few.
        ranked = sorted(people, key=lambda c: (-self.config.tier_weight(
            effective_tier(c, self.config)), c.sort_name, c.path))
        offered: dict[str, list[Contact]] = defaultdict(list)
        for contact in ranked:
            for tag in dict.fromkeys(fold_tag(o) for o in contact.offers):
                offered[tag].append(contact)
        mine = {fold_tag(o) for o in self.me.offers} if self.me else set()
        found = []
        for seeker in people:
            by_helper: dict[str, tuple[Contact, list[str]]] = {}
            for need in dict.fromkeys(seeker.needs):
                helpers = (h for h in offered.get(fold_tag(need), ()) if h.path != seeker.path)
                for helper in itertools.islice(helpers, HELPERS_PER_NEED):
                    by_helper.setdefault(helper.path, (helper, []))[1].append(need)
            found += [Introduction(seeker, helper, tuple(tags))
                      for helper, tags in by_helper.values()]
            mine_for_them = tuple(n for n in seeker.needs if fold_tag(n) in mine)
            if mine_for_them:
                found.append(Introduction(seeker, None, mine_for_them))
        return found

    def introductions(self) -> list[Introduction]:
        """Needs met by another contact's offers (the closest few per need), or by mine.

        By the seeker's sort name; a seeker's helpers in tier order, then by sort name.
        """
        return self._introductions

    def introductions_for(self, contact: Contact) -> list[Introduction]:
        return [i for i in self._introductions if i.seeker.path == contact.path]

    def idea(self, item: DueContact) -> Idea:
        """One concrete thing to do: the overdue depth's action, a thing to share, or an intro."""
        contact = item.contact
        if item.reason == NOTHING_LOGGED:
            return Idea("first")
        if item.reason == FOLLOW_UP and item.depth is None:
            return Idea("follow_up")
        if item.depth == Depth.MEET:
            return Idea("meet")
        if item.depth == Depth.TOUCH:
            return Idea("like")
        intros = self.introductions_for(contact)
        # another contact who offers what they need first; else my own help
        helping = next((i for i in intros if i.helper is not None), None)
        helping = helping or next(iter(intros), None)
        if helping is not None:
            return Idea("help" if helping.helper is None else "introduce", introduction=helping)
        reading = self.reading_for(contact)
        if reading:
            interests = {fold_tag(t) for t in contact.interests}
            shared = tuple(t for t in reading[0].tags if fold_tag(t) in interests)
            return Idea("reading", reading=reading[0], tags=shared)
        last = self.last_conversation(contact)
        return Idea("message", topic=plain(last.text) if last else "")

    # --- activity -------------------------------------------------------------------------

    def per_month(self, months: int = 12) -> list[MonthCount]:
        """Interactions per calendar month by depth, for the last `months` months to today.

        An interaction that counts for several people (a lunch with two) counts once.
        """
        keys = []
        year, month = self.today.year, self.today.month
        for _ in range(months):
            keys.append((year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        keys.reverse()
        start = date(keys[0][0], keys[0][1], 1)
        seen: set[tuple[str, int | None, date, str]] = set()
        counts: dict[tuple[int, int], Counter[Depth]] = {k: Counter() for k in keys}
        for contact in self.index.contacts:
            for item in between(self.index.interactions(contact), start, self.today):
                when = item.date
                key = (item.source, item.line, when, item.kind)
                if key not in seen:
                    seen.add(key)
                    counts[(when.year, when.month)][item.depth] += 1
        return [MonthCount(f"{y:04d}-{m:02d}", c[Depth.TOUCH], c[Depth.TALK], c[Depth.MEET])
                for (y, m), c in counts.items()]
