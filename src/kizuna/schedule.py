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
from itertools import chain, compress, repeat
from operator import and_, is_not, or_
from typing import Any, Literal, cast

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
CHANGED_FEW = 64  # a ranking with at most this many entries changed is patched, not sorted


# --- values ---------------------------------------------------------------------------


# Not frozen, though values like the rest (hashable, never changed once made): one of
# each is made per contact and depth at every schedule, and a frozen dataclass's
# __init__ costs 1.2 µs against 0.25 (7 fields), a tenth of `due` at 10,000 contacts.
@dataclass(slots=True, unsafe_hash=True)
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


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see DepthState
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


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see DepthState
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
PROMISE_BUCKETS: tuple[PromiseBucket, ...] = ("overdue", "soon", "later", "undated", "kept")


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


def _latest_per_depth(interactions: Sequence[Interaction],
                      deepest: Depth = Depth.MEET) -> dict[Depth, date]:
    """For each depth down to `deepest`, the date of the latest interaction of that depth
    or deeper.

    One pass from the newest (the index keeps interactions by date), stopping at the
    first one as deep as `deepest`: with a talk cadence alone, usually the newest.
    """
    latest: dict[Depth, date] = {}
    deepest_seen = 0
    for item in reversed(interactions):
        if item.depth > deepest_seen:
            for depth in _DEPTHS[deepest_seen:item.depth]:
                latest[depth] = item.date
            deepest_seen = item.depth
            if deepest_seen >= deepest:
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


# --- per-contact values kept between schedules ----------------------------------------------

_MISSING: Any = object()
_NO_VALUES: dict[str, Any] = {}  # the rows of a one-shot memo: read by nothing


class ContactMemo:
    """Per-contact values of one schedule that the next schedule of the same index reuses.

    `kizuna watch` keeps one across rebuilds. An entry holds while the index hands
    out the very same Contact and the very same interaction and promise lists
    (Index.apply replaces exactly what an edit touched), and while the settings,
    today, the profile and the reading list are the same: then every value derived
    from that contact alone is the same too. A fresh memo computes everything.
    """

    def __init__(self, incremental: bool = True) -> None:
        """`incremental`: the memo outlives the schedule (a one-shot build keeps no books)."""
        self.incremental = incremental
        self._key: tuple[object, ...] | None = None
        self._config: Config | None = None
        self._entries: dict[str, tuple[Contact, list[Interaction], list[Promise],
                                       dict[str, Any]]] = {}
        self.shared: dict[str, Any] = {}  # whole-vault values with their own checks
        # Schedule.each's lists, by name: (generation, one value per row)
        self.lists: dict[str, tuple[int, list[Any]]] = {}
        self.generation = 0  # one per `rows`, that is one per schedule
        self.changed: list[int] | None = None  # rows emptied since the last generation
        # The last `rows`: the index's list, a copy of it as it was, the lists, the values.
        self._order: list[Contact] | None = None
        self._contacts: list[Contact] = []
        self._said: list[list[Interaction]] = []
        self._owed: list[list[Promise]] = []
        self._values: list[dict[str, Any]] = []

    def bind(self, schedule: Schedule) -> None:
        """Start a schedule: forget everything if what every value depends on changed."""
        key = (schedule.today, schedule.me, schedule.reading)
        if schedule.config is not self._config or key != self._key:
            self._config, self._key = schedule.config, key
            self._entries.clear()
            self.shared.clear()
            self.lists.clear()
            self._order = None

    def rows(self, index: Index) -> list[tuple[Contact, dict[str, Any]]]:
        """Every contact (in the index's order) with its values, those of edited ones emptied."""
        contacts = index.contacts
        self.generation += 1
        if not self.incremental:  # nothing to check against, nothing to keep (or to write)
            return list(zip(contacts, repeat(_NO_VALUES)))
        # The per-row checks run as C loops (map, compress): they are most of a rebuild.
        said = list(map(index.interactions, contacts))
        owed = list(map(index.promises, contacts))
        # Index.apply patches its sorted list in place: every other row kept its place.
        if contacts is self._order and len(contacts) == len(self._contacts):
            changed = self._changed_rows(contacts, said, owed)
            values = self._values[:]
            for at in changed:
                contact = contacts[at]
                values[at] = {}
                self._entries[contact.path] = (contact, said[at], owed[at], values[at])
            self.changed = changed
        else:
            values = self._values_by_path(contacts, said, owed)
            self.changed = None
        self._order, self._contacts, self._said, self._owed = contacts, contacts[:], said, owed
        self._values = values
        return list(zip(contacts, values, strict=True))

    def _changed_rows(self, contacts: list[Contact], said: list[list[Interaction]],
                      owed: list[list[Promise]]) -> list[int]:
        """Rows whose contact or lists are not the very ones of last time (empty ones alike)."""
        rows = range(len(contacts))
        found = set(compress(rows, map(is_not, contacts, self._contacts)))
        for now, before in ((said, self._said), (owed, self._owed)):
            # A new empty list for a contact with none is no change.
            differs = map(is_not, now, before)
            filled = map(or_, map(bool, now), map(bool, before))
            found.update(compress(rows, map(and_, differs, filled)))
        return sorted(found)

    def _values_by_path(self, contacts: list[Contact], said: list[list[Interaction]],
                        owed: list[list[Promise]]) -> list[dict[str, Any]]:
        entries = self._entries
        values = []
        for contact, items, promises in zip(contacts, said, owed, strict=True):
            entry = entries.get(contact.path)
            if (entry is None or entry[0] is not contact or not _same(entry[1], items)
                    or not _same(entry[2], promises)):
                entry = entries[contact.path] = (contact, items, promises, {})
            values.append(entry[3])
        if len(entries) > len(values):  # contacts gone: drop what they left behind
            for path in entries.keys() - {c.path for c in contacts}:
                del entries[path]
        return values


def _same(before: list[Any], now: list[Any]) -> bool:
    # The index hands out a new empty list for a contact without entries.
    return before is now or (not before and not now)


# --- the schedule ----------------------------------------------------------------------------

# A cadence as the schedule uses it: (depth, every, due date by start date), shallow to deep.
_Cadence = tuple[tuple[Depth, Duration, dict[date, date]], ...]


class Schedule:
    """Everything time-dependent about a vault, as of `today`.

    `me` is the profile from me.md (its interests and offers), `reading` the
    items of reading-list.md; both are optional. `memo` carries per-contact values
    over from an earlier schedule of the same index (see ContactMemo).
    """

    def __init__(self, index: Index, config: Config, today: date, *,
                 me: Contact | None = None, reading: Sequence[ReadingItem] = (),
                 memo: ContactMemo | None = None) -> None:
        self.index = index
        self.config = config
        self.today = today
        self.me = me
        self.reading = tuple(reading)
        # Without a memo nothing outlives this schedule: one that keeps no books.
        self.memo = memo if memo is not None else ContactMemo(incremental=False)
        self.memo.bind(self)
        self._plain: dict[str, dict[str, Any]] = {}  # a one-shot memo's values, by name

    @cached_property
    def _rows(self) -> list[tuple[Contact, dict[str, Any]]]:
        return self.memo.rows(self.index)

    def each(self, name: str, compute: Any) -> list[Any]:
        """`compute(contact)` for every contact in the index's order, from the memo if there.

        The list is shared: callers only read it. When the last schedule made it and the
        rows kept their places, only the rows emptied since are looked at.
        """
        rows, memo = self._rows, self.memo
        made, found = memo.lists.get(name, (0, None))
        if found is not None and made == memo.generation:
            return found
        if not memo.incremental:  # computed once per schedule, kept nowhere else
            found = list(map(compute, self.index.contacts))
            memo.lists[name] = (memo.generation, found)
            return found
        at_rows: Iterable[tuple[int, tuple[Contact, dict[str, Any]]]]
        if found is not None and made == memo.generation - 1 and memo.changed is not None:
            found = found[:]
            at_rows = ((at, rows[at]) for at in memo.changed)
        else:
            found = [None] * len(rows)
            at_rows = enumerate(rows)
        for at, (contact, values) in at_rows:
            value = values.get(name, _MISSING)
            if value is _MISSING:
                value = values[name] = compute(contact)
            found[at] = value
        memo.lists[name] = (memo.generation, found)
        return found

    def _ranked(self, name: str, items: list[Any], key: Any) -> list[Any]:
        """`sorted(items, key=key)` for a key that tells any two items apart.

        When few items differ from the last schedule's (by identity), its order is kept
        and only those are taken out or put in. The list is shared: callers only read it.
        """
        before = self.memo.shared.get(name)
        self.memo.shared[name] = (items, None)
        if before is not None and before[1] is not None:
            old_items, old_ranked = before
            old = {id(item) for item in old_items}
            gone = old - {id(item) for item in items}
            added = [item for item in items if id(item) not in old]
            if len(gone) + len(added) <= CHANGED_FEW:
                ranked = [i for i in old_ranked if id(i) not in gone] if gone else old_ranked[:]
                for item in added:
                    bisect.insort(ranked, item, key=key)
                self.memo.shared[name] = (items, ranked)
                return ranked
        ranked = sorted(items, key=key)
        self.memo.shared[name] = (items, ranked)
        return ranked

    def _one(self, contact: Contact, name: str, compute: Any) -> Any:
        if not self.memo.incremental:  # by path, for this schedule only
            found = self._plain.get(name)
            if found is None:
                found = self._plain[name] = {}
            value = found.get(contact.path, _MISSING)
            if value is _MISSING:
                value = found[contact.path] = compute(contact)
            return value
        self._rows  # noqa: B018 - the memo's entries as of this schedule
        entry = self.memo._entries.get(contact.path)
        if entry is None or entry[0] is not contact:
            return compute(contact)  # not in the index: nothing to keep it with
        values = entry[3]
        value = values.get(name, _MISSING)
        if value is _MISSING:
            value = values[name] = compute(contact)
        return value

    def release(self) -> None:
        """Drop this schedule's whole-vault lists (the memo keeps the per-contact values)."""
        for name in ("_rows", "_due", "_replies", "_promises", "_dormant",
                     "_introductions", "_intros_by_seeker", "_dates"):
            self.__dict__.pop(name, None)

    # --- one contact -----------------------------------------------------------------

    def state(self, contact: Contact) -> CadenceState:
        """The contact's cadence state as of today (cached)."""
        return cast(CadenceState, self._one(contact, "state", self._state))

    def _state(self, contact: Contact) -> CadenceState:
        today = self.today
        tier, cadence = self._tier_and_cadence(contact)
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
        depths = []
        if cadence:
            latest = _latest_per_depth(interactions, cadence[-1][0])
            now = self._today_number
            for depth, every, dues in cadence:
                last_date = latest.get(depth)
                since = last_date or start
                if since is None:
                    depths.append(DepthState(depth, every, None, None, today, 1.0, 0))
                    continue
                due = dues.get(since)
                if due is None:
                    due = dues[since] = every.after(since)
                # days_between inlined: this loop runs for every contact and depth
                begun, ends = since.toordinal(), due.toordinal()
                depths.append(DepthState(depth, every, last_date, since, due,
                                         (now - begun) / max(1, ends - begun), now - ends))
        follow_up = contact.follow_up
        if follow_up is not None and interactions and interactions[-1].date >= follow_up:
            follow_up = None  # met by an interaction on or after it
        dues_on = [d.due for d in depths] + ([follow_up] if follow_up else [])
        due_on = min(dues_on) if dues_on else None
        due_depths = [d for d in depths if d.is_due]
        follow_up_due = follow_up is not None and follow_up <= today
        is_due = paused_by in (None, "opted out", "no tier") and (
            (paused_by is None and bool(due_depths)) or follow_up_due
        )
        ratio = max([d.ratio for d in due_depths]) if due_depths and paused_by is None else 0.0
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

    @cached_property
    def _today_number(self) -> int:
        return self.today.toordinal()

    def _tier_and_cadence(self, contact: Contact) -> tuple[str | None, _Cadence]:
        """The contact's effective tier and cadence (shallow to deep), found once per tier
        for the contacts without a cadence of their own: most of them."""
        key = (contact.tier, contact.cadence is None)
        found = None if contact.cadence else self._tier_cadences.get(key)
        if found is None:
            # Each depth with the due dates found so far, by start date: a quarter as many
            # start dates as depths at 10,000 contacts, and Duration.after is 2 µs.
            found = (effective_tier(contact, self.config),
                     tuple((depth, every, {}) for depth, every
                           in self.config.cadence_for(contact).items()))
            if not contact.cadence:
                self._tier_cadences[key] = found
        return found

    @cached_property
    def _tier_cadences(self) -> dict[tuple[str | None, bool], tuple[str | None, _Cadence]]:
        return {}

    def last_conversation(self, contact: Contact) -> Interaction | None:
        """The latest talk-or-meet entry (not the bare `last_contact` date)."""
        return cast(Interaction | None,
                    self._one(contact, "last_conversation", self._last_conversation))

    def _last_conversation(self, contact: Contact) -> Interaction | None:
        for item in reversed(self.index.interactions(contact)):
            if item.depth >= Depth.TALK and logged([item]):
                return item
        return None

    def open_promises_to(self, contact: Contact) -> list[Promise]:
        return [p for p in self.index.promises(contact) if p.is_open]

    # --- who is due ---------------------------------------------------------------------

    @cached_property
    def _due(self) -> list[DueContact]:
        found = [d for d in self.each("due", self._due_of) if d is not None]
        return self._ranked("due", found, lambda d: (-d.score, d.contact.sort_name,
                                                     d.contact.path))

    def _due_of(self, contact: Contact) -> DueContact | None:
        if not self._may_be_due(contact):
            return None
        state = self.state(contact)
        if not state.is_due or state.reason is None:
            return None
        # The deepest due depth leads: doing it satisfies the shallower ones too
        # (state.depths go shallow to deep).
        due_depths = [d for d in reversed(state.depths) if d.is_due] if (
            state.paused_by is None) else []
        top = due_depths[0] if due_depths else None
        if top is None:
            assert state.follow_up is not None
            due_on, days = state.follow_up, days_between(state.follow_up, self.today)
        else:
            due_on, days = top.due, top.days_overdue
        weight = self._tier_weight(state.tier)
        # With nothing logged no depth is behind more than another: the relationship waits.
        depth = top.depth if top and state.reason != NOTHING_LOGGED else None
        return DueContact(
            contact, state.tier, state.reason, depth, due_on, days,
            state.ratio, state.ratio * weight, tuple(due_depths), state.follow_up,
        )

    def _may_be_due(self, contact: Contact) -> bool:
        """False for a contact `state` would find not due, told without making the state:
        the latest start of each depth against the last start date from which its
        cadence is over by today (most contacts are not due: 0.14 -> 0.11 s at 10,000)."""
        if contact.status != "active" or (
                contact.snooze_until is not None and contact.snooze_until > self.today):
            return False
        if contact.follow_up is not None and contact.follow_up <= self.today:
            return True
        _, cadence = self._tier_and_cadence(contact)
        if not cadence:  # opted out, or no tier
            return False
        interactions = self.index.interactions(contact)
        latest = _latest_per_depth(interactions, cadence[-1][0])
        start = contact.met or (interactions[0].date if interactions else None)
        for depth, every, _ in cadence:
            since = latest.get(depth) or start
            if since is None or since <= self._last_start(every):
                return True
        return False

    def _last_start(self, every: Duration) -> date:
        """The latest start date from which `every` is over by today (Duration.after only
        grows with its start)."""
        found = self._last_starts.get(every)
        if found is None:
            found = every.before(self.today)
            while every.after(found) > self.today:
                found -= timedelta(days=1)
            while every.after(found + timedelta(days=1)) <= self.today:
                found += timedelta(days=1)
            self._last_starts[every] = found
        return found

    @cached_property
    def _last_starts(self) -> dict[Duration, date]:
        return {}

    def _tier_weight(self, tier: str | None) -> int:
        weight = self._tier_weights.get(tier)
        if weight is None:
            weight = self._tier_weights[tier] = self.config.tier_weight(tier)
        return weight

    @cached_property
    def _tier_weights(self) -> dict[str | None, int]:
        return {}

    def due(self, limit: int | None = None) -> list[DueContact]:
        """Due contacts ranked by ratio × tier weight, ties by sort name (DESIGN §4.3)."""
        return self._due if limit is None else self._due[:limit]

    def coming_up(self) -> list[ComingUp]:
        """Not due, but a depth or a follow-up falls due within the look-ahead (inclusive)."""
        found = [c for c in self.each("coming", self._coming_of) if c is not None]
        return self._ranked("coming", found, lambda c: (c.due_on, c.contact.sort_name,
                                                        c.contact.path))

    def _coming_of(self, contact: Contact) -> ComingUp | None:
        state = self.state(contact)
        if state.is_due or state.paused_by not in (None, "snoozed", "opted out", "no tier"):
            return None
        candidates: list[tuple[date, Depth | None]] = []
        if state.paused_by in (None, "snoozed"):
            candidates += [(d.due, d.depth) for d in state.depths]
        if state.follow_up is not None:
            candidates.append((state.follow_up, None))
        if not candidates:
            return None
        when, depth = min(candidates, key=lambda c: (c[0], -(c[1] or 0)))
        if state.paused_by == "snoozed":
            assert contact.snooze_until is not None
            when = max(when, contact.snooze_until)  # nothing before the snooze ends
        if not self.today < when <= self.config.lookahead.after(self.today):
            return None
        return ComingUp(contact, state.tier, FOLLOW_UP if depth is None else OVERDUE,
                        depth, when, days_between(self.today, when))

    # --- replies and promises ----------------------------------------------------------

    def replies_owed(self) -> list[ReplyOwed]:
        """One per contact: inbound entries with no outbound one on the same day or later."""
        return self._replies

    @cached_property
    def _replies(self) -> list[ReplyOwed]:
        found = [r for r in self.each("reply", self._reply_of) if r is not None]
        return self._ranked("replies", found, lambda r: (r.oldest.date, r.contact.sort_name,
                                                         r.contact.path))

    def _reply_of(self, contact: Contact) -> ReplyOwed | None:
        if contact.status == "archived":
            return None
        # Newest first, up to the latest outbound entry: the inbound ones after it wait.
        waiting = []
        answered = None
        for item in reversed(self.index.interactions(contact)):
            if not item.inbound:
                answered = item.date
                break
            waiting.append(item)
        waiting = [i for i in waiting if answered is None or i.date > answered]
        if not waiting:
            return None
        oldest = min(waiting, key=lambda i: i.date)
        return ReplyOwed(contact, oldest, len(waiting), days_between(oldest.date, self.today))

    @cached_property
    def _promises(self) -> Promises:
        made = self._promises_made()
        # Made to the very same contacts as last time: the same item (its text is kept too).
        before = self.memo.shared.get("promise_items", {})
        now = {}
        buckets: dict[str, list[PromiseItem]] = {b: [] for b in PROMISE_BUCKETS}
        for key, (promise, contacts) in made.items():
            old = before.get(key)
            if old is not None and old[0] is promise and (old[1] is contacts or (
                    len(old[1]) == len(contacts)
                    and all(a is b for a, b in zip(old[1], contacts, strict=True)))):
                item = old[2]
            else:
                item = self._promise_item(promise, tuple(contacts))
            now[key] = (promise, contacts, item)
            if item is not None:
                buckets[item.bucket].append(item)
        self.memo.shared["promise_items"] = now

        def order(item: PromiseItem) -> tuple[int, str, str, int]:
            p = item.promise
            if item.bucket == "kept":
                when = -p.done_on.toordinal() if p.done_on else 0  # newest first
            else:
                when = p.due.toordinal() if p.due else 0
            first = item.contacts[0].sort_name if item.contacts else ""
            return (when, first, p.source, p.line)

        return Promises(*(tuple(self._ranked(f"promises:{b}", buckets[b], order))
                          for b in PROMISE_BUCKETS))

    def _promises_made(self) -> dict[tuple[str, int], tuple[Promise, list[Contact]]]:
        """Every promise by (source, line), with the contacts it was made to in index order.

        Patched at the rows that changed since the last build when the rows kept their
        places; `holders` tells which rows each promise is on.
        """
        rows, memo = self._rows, self.memo
        owed = self.each("owed", self.index.promises)
        before = memo.shared.get("promises_made")
        if before is not None and before[0] == memo.generation - 1 and memo.changed is not None:
            _, made, holders, owed_before = before
            made, holders = dict(made), dict(holders)
            affected: set[tuple[str, int]] = set()
            for at in memo.changed:
                for promise in owed_before[at]:
                    key = (promise.source, promise.line)
                    holders[key] = [h for h in holders[key] if h != at]
                    affected.add(key)
                for promise in owed[at]:
                    key = (promise.source, promise.line)
                    holders[key] = sorted({*holders.get(key, ()), at})
                    affected.add(key)
            for key in affected:
                if not holders[key]:
                    del holders[key]
                    made.pop(key, None)
                    continue
                first = holders[key][0]
                promise = next(p for p in owed[first] if (p.source, p.line) == key)
                made[key] = (promise, [rows[h][0] for h in holders[key]])
        else:
            made, holders = {}, {}
            for at, promises in enumerate(owed):
                for promise in promises:
                    key = (promise.source, promise.line)
                    found = made.get(key)
                    if found is None:
                        made[key] = (promise, [rows[at][0]])
                        holders[key] = [at]
                    else:
                        found[1].append(rows[at][0])
                        holders[key].append(at)
        memo.shared["promises_made"] = (memo.generation, made, holders, owed)
        return made

    def _promise_item(self, promise: Promise, people: tuple[Contact, ...]) -> PromiseItem | None:
        """Where a promise goes on the promises note, if anywhere."""
        bucket: PromiseBucket
        if promise.is_open:
            if promise.due is None:
                bucket, days = "undated", None
            else:
                days = days_between(self.today, promise.due)
                soon = promise.due <= self.config.lookahead.after(self.today)
                bucket = "overdue" if days < 0 else "soon" if soon else "later"
        elif (promise.done_on is not None
              and self.today - timedelta(days=KEPT_DAYS) <= promise.done_on <= self.today):
            bucket, days = "kept", days_between(promise.done_on, self.today)
        else:
            return None
        return PromiseItem(promise, people, bucket, days)

    def open_promises(self) -> Promises:
        """Promises by urgency: overdue, due soon (within the look-ahead), later, undated, kept."""
        return self._promises

    # --- dormant ties ----------------------------------------------------------------------

    @cached_property
    def _dormant(self) -> list[DormantTie]:
        found = [t for t in self.each("dormant", self._dormant_of) if t is not None]
        return self._ranked("dormant", found, lambda t: (-t.score, t.contact.sort_name,
                                                         t.contact.path))

    @cached_property
    def _key_rank(self) -> int | None:
        return self._tier_rank("key")

    @cached_property
    def _my_interests(self) -> set[str]:
        return {fold_tag(t) for t in self.me.interests} if self.me else set()

    def _dormant_of(self, contact: Contact) -> DormantTie | None:
        if contact.status != "active":
            return None
        if contact.snooze_until is not None and contact.snooze_until > self.today:
            return None
        interactions = self.index.interactions(contact)
        if not interactions:
            return None
        last = interactions[-1]  # the index keeps them by date
        if self.config.dormant_after.after(last.date) >= self.today:
            return None
        entries = logged(interactions)
        meets = sum(i.depth == Depth.MEET for i in entries)
        tier = effective_tier(contact, self.config)
        rank = self._tier_rank(tier)
        key_rank = self._key_rank
        worth = len(entries) >= 3 or meets > 0 or (
            key_rank is not None and rank is not None and rank <= key_rank)
        if not worth:
            return None
        hooks = []
        if contact.met is not None:
            on, years = _next_anniversary(contact.met, self.today)
            if days_between(self.today, on) <= ANNIVERSARY_DAYS and years > 0:
                hooks.append(Hook("anniversary", on=on, years=years))
        shared = tuple(t for t in contact.interests if fold_tag(t) in self._my_interests)
        if shared:
            hooks.append(Hook("interest", interests=shared))
        news = next((i for i in reversed(entries) if i.text.strip()), None)
        if news is not None:
            hooks.append(Hook("news", on=news.date, text=news.text, kind_of_news=news.kind))
        return DormantTie(contact, tier, last, days_between(last.date, self.today),
                          sum(int(i.depth) for i in entries), len(entries), meets, tuple(hooks))

    def dormant(self, limit: int | None = None) -> list[DormantTie]:
        """Dormant ties worth reviving, ranked by past depth (DESIGN §4.4)."""
        return self._dormant if limit is None else self._dormant[:limit]

    def _tier_rank(self, name: str | None) -> int | None:
        names = [t.name for t in self.config.tiers]
        return names.index(name) if name in names else None

    # --- tiers, goals --------------------------------------------------------------------

    def budgets(self) -> list[TierSummary]:
        """Every configured tier: people against budget, and how many are on cadence."""

        def counted(contact: Contact) -> tuple[tuple[str, str], ...]:
            state = self.state(contact)
            if state.tier is None or contact.status == "archived":
                return ()
            if state.paused_by is not None or not state.depths:
                return (("people", state.tier),)
            if not any(d.is_due for d in state.depths):
                return (("people", state.tier), ("tracked", state.tier))
            return (("people", state.tier), ("tracked", state.tier), ("overdue", state.tier))

        total = self._summed("budgets", counted)
        return [TierSummary(t.name, total[("people", t.name)], t.budget,
                            total[("tracked", t.name)], total[("overdue", t.name)])
                for t in self.config.tiers]

    def _summed(self, name: str, keys: Any) -> Counter[Any]:
        """How often each key occurs over every contact's `keys(contact)`.

        Patched at the rows that changed when the last schedule summed it.
        """
        memo = self.memo
        before = memo.lists.get(name)
        found = self.each(name, keys)
        kept = memo.shared.get(f"summed:{name}")
        if kept is not None and kept[0] == memo.generation:
            return kept[1]  # type: ignore[no-any-return]
        if (kept is not None and kept[0] == memo.generation - 1 and before is not None
                and before[0] == memo.generation - 1 and memo.changed is not None):
            total: Counter[Any] = kept[1].copy()
            for at in memo.changed:
                total.subtract(before[1][at])
                total.update(found[at])
        else:
            total = Counter(chain.from_iterable(found))
        memo.shared[f"summed:{name}"] = (memo.generation, total)
        return total

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
        if days > UPCOMING_DAYS:
            return self._dates_within(days)
        # Sorted stably, so a shorter span keeps the order the longer one has.
        return [d for d in self._dates if d.days <= days]

    @cached_property
    def _dates(self) -> list[DateItem]:
        found = [d for items in self.each("dates", self._dates_of) for d in items]
        # The path too: the order a full sort gives ties (the index's order, by path).
        return self._ranked("dates", found, lambda d: (d.on, d.contact.sort_name, d.label,
                                                       d.contact.path))

    def _dates_of(self, contact: Contact, days: int = UPCOMING_DAYS) -> list[DateItem]:
        if contact.status == "archived":
            return []
        until = self.today + timedelta(days=days)
        entries = [("birthday", contact.birthday)] if contact.birthday else []
        entries += list(contact.dates)
        found = []
        for label, when in entries:
            assert when is not None
            on = when.next_on_or_after(self.today)
            if on <= until:
                years = on.year - when.year if when.year is not None else None
                found.append(DateItem(contact, label, on, days_between(self.today, on),
                                      years if years is None or years >= 0 else None))
        return found

    def _dates_within(self, days: int) -> list[DateItem]:
        found = [d for contact in self.index.contacts for d in self._dates_of(contact, days)]
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
        # They depend on every contact's needs, offers, tier and name alone: while none of
        # these changed, the last list holds, with the edited contacts put in.
        def signature(c: Contact) -> tuple[object, ...]:
            return (c.path, c.status == "archived", c.needs, c.offers,
                    self.config.tier_weight(effective_tier(c, self.config)), c.sort_name)

        if not self.memo.incremental:
            return self._introductions_anew()
        signatures = self.each("intro_signature", signature)
        before = self.memo.shared.get("introductions")
        if before is not None and len(before[1]) == len(signatures) and all(
                a is b or a == b for a, b in zip(before[1], signatures, strict=True)):
            changed = self.memo.changed if before[0] == self.memo.generation - 1 else None
            if changed is None:
                found = [self._current(i) for i in before[2]]
            else:  # only the introductions of the contacts edited since are made anew
                paths = {self._rows[at][0].path for at in changed}
                found = [self._current(i) if i.seeker.path in paths
                         or (i.helper is not None and i.helper.path in paths) else i
                         for i in before[2]]
        else:
            found = self._introductions_anew()
        self.memo.shared["introductions"] = (self.memo.generation, signatures, found)
        return found

    def _current(self, intro: Introduction) -> Introduction:
        """The introduction with the index's current contacts: the same object if unchanged."""
        seeker = self.index.contact(intro.seeker.path)
        helper = intro.helper and self.index.contact(intro.helper.path)
        if seeker is intro.seeker and helper is intro.helper:
            return intro
        return Introduction(seeker, helper, intro.tags)

    def _introductions_anew(self) -> list[Introduction]:
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
        return self._intros_by_seeker.get(contact.path, [])

    @cached_property
    def _intros_by_seeker(self) -> dict[str, list[Introduction]]:
        found: dict[str, list[Introduction]] = defaultdict(list)
        for intro in self._introductions:
            found[intro.seeker.path].append(intro)
        return found

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

        def window(contact: Contact) -> Sequence[Interaction]:
            return between(self.index.interactions(contact), start, self.today)

        name = f"months:{start}"
        tally = self.memo.shared.get(name)
        if tally is None:
            tally = _Tally()
            if self.memo.incremental:  # else a one-shot tally: no need to keep it
                self.memo.shared[name] = tally
        tally.update(self._rows, self.each(name, window), keep=self.memo.incremental)
        return [MonthCount(f"{y:04d}-{m:02d}", tally.counts[(y, m, Depth.TOUCH)],
                           tally.counts[(y, m, Depth.TALK)], tally.counts[(y, m, Depth.MEET)])
                for y, m in keys]


class _Tally:
    """Distinct interactions per month and depth over every contact's window, kept up to date.

    An interaction counted for several people (a lunch with two) is one: it is known by
    (source, line, date, kind), and its depth follows from its kind.
    """

    def __init__(self) -> None:
        self.counted: dict[str, Sequence[Interaction]] = {}  # contact path -> its window
        self.seen: Counter[tuple[str, int | None, date, str]] = Counter()
        self.counts: Counter[tuple[int, int, Depth]] = Counter()

    def update(self, rows: list[tuple[Contact, dict[str, Any]]],
               windows: list[Sequence[Interaction]], keep: bool = True) -> None:
        if not keep:  # count once, with no books for a later update
            seen: set[tuple[str, int | None, date, str]] = set()
            for items in windows:
                for item in items:
                    when = item.date
                    key = (item.source, item.line, when, item.kind)
                    if key not in seen:
                        seen.add(key)
                        self.counts[(when.year, when.month, item.depth)] += 1
            return
        counted = self.counted
        for (contact, _), items in zip(rows, windows, strict=True):
            before = counted.get(contact.path)
            if before is not items:
                if before is not None:
                    self._count(before, -1)
                self._count(items, 1)
                counted[contact.path] = items
        if len(counted) > len(rows):  # contacts gone
            for path in counted.keys() - {c.path for c, _ in rows}:
                self._count(counted.pop(path), -1)

    def _count(self, items: Sequence[Interaction], step: int) -> None:
        seen, counts = self.seen, self.counts
        for item in items:
            when = item.date
            key = (item.source, item.line, when, item.kind)
            seen[key] += step
            if seen[key] == (1 if step > 0 else 0):  # the first one, or the last one gone
                counts[(when.year, when.month, item.depth)] += step
            if not seen[key]:
                del seen[key]
