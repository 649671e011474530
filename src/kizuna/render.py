"""The generated notes as strings: a schedule in, Markdown out, through jinja2 templates.

Templates are looked up by name (`reach-out.md`, `dashboard.md`…) in the vault's
`.kizuna/templates/` first, then in the shipped set for the vault's language.
Everything a template needs is computed here, so templates only word and lay out.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain, compress
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from .index import Index
from .model import Contact, Depth, Duration, Interaction, Problem, Promise
from .parse import fold_tag, plain
from .schedule import (
    DATES_IN_REACH_OUT,
    REVIVE,
    DueContact,
    Idea,
    Schedule,
    between,
    effective_tier,
    period_of,
)
from .write import MARKER

if TYPE_CHECKING:
    import jinja2
    import jinja2.ext
    import jinja2.parser

# note -> (template, English file, Japanese file)
NOTES: dict[str, tuple[str, str, str]] = {
    "reach_out": ("reach-out.md", "To reach out.md", "連絡リスト.md"),
    "dashboard": ("dashboard.md", "Dashboard.md", "ダッシュボード.md"),
    "promises": ("promises.md", "Promises.md", "約束.md"),
    "dormant": ("dormant-ties.md", "Dormant ties.md", "休眠中のつながり.md"),
    "introductions": ("introductions.md", "Introductions.md", "紹介.md"),
    "dates": ("upcoming-dates.md", "Upcoming dates.md", "近い予定日.md"),
    "self_introduction": ("self-introduction.md", "Self introduction.md", "自己紹介.md"),
}


def file_name(note: str, language: str) -> str:
    """The generated note's file name in the vault's language."""
    _, english, japanese = NOTES[note]
    return japanese if language == "ja" else english


# --- wording helpers, per language -------------------------------------------------------

_EN_UNITS = {"d": ("day", "days"), "w": ("week", "weeks"), "m": ("month", "months"),
             "y": ("year", "years")}
_JA_UNITS = {"d": "日", "w": "週間", "m": "か月", "y": "年"}


def _amount(count: int, unit: str, language: str) -> str:
    if language == "ja":
        return f"{count}{_JA_UNITS[unit]}"
    one, many = _EN_UNITS[unit]
    return f"{count} {one if count == 1 else many}"


def span(days: int, language: str = "en") -> str:
    """A number of days as a person would say it: 5 days, 3 weeks, 4 months, 1 year 2 months."""
    days = abs(days)
    if days < 14:
        return _amount(days, "d", language)
    if days < 61:
        return _amount(days // 7, "w", language)
    if days < 350:
        return _amount(min(11, round(days / 30.44)), "m", language)
    years, rest = divmod(max(days, 365), 365)
    months = round(rest / 30.44)
    if months == 12:
        years, months = years + 1, 0
    text = _amount(years, "y", language)
    if months:
        text += ("" if language == "ja" else " ") + _amount(months, "m", language)
    return text


def every(duration: Duration, language: str = "en") -> str:
    """`3m` as "every 3 months" / "3か月ごと"."""
    amount = _amount(duration.count, duration.unit, language)
    if language == "ja":
        return f"{amount}ごと"
    if duration.count == 1:
        return {"d": "every day", "w": "every week", "m": "every month",
                "y": "every year"}[duration.unit]
    return f"every {amount}"


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell: `|` escaped, one line."""
    text = "" if value is None else str(value)
    return _LINE_BREAK.sub(" ", text).replace("|", "\\|")


def one_line(value: object, limit: int = 200) -> str:
    """Log text as one line, shortened past `limit` characters."""
    text = str(value or "")
    if "[[" in text:  # the only way a wikilink starts: most log text has none
        text = plain(text)
    # Whitespace runs as one space, ends stripped: str.split's whitespace is the
    # regex `\s` (Unicode), in C: 0.5 µs a call against 2.5 for re.sub(r"\s+", …).strip()
    # (one_line in all: 1.0 µs, was 4.4; 10,000 calls in a build at 10k contacts).
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sentence(value: object, language: str = "en") -> str:
    """Text ending in a full stop unless it ends in punctuation already."""
    text = str(value).strip()
    if not text or text[-1] in ".!?。！？…)）」』”\"'":
        return text
    return text + ("。" if language == "ja" else ".")


def mermaid_text(value: object) -> str:
    """A label safe inside a Mermaid double-quoted string."""
    return str(value).replace('"', "'").replace("\n", " ")


def _filters(index: Index, language: str) -> dict[str, Callable[..., Any]]:
    links: dict[str, str] = {}

    def link(contact: Contact) -> str:
        found = links.get(contact.path)
        if found is None:
            found = links[contact.path] = index.link(contact)
        return found

    return {
        "link": link,
        "cell": cell,
        "plain": plain,
        "one_line": one_line,
        "span": lambda days: span(days, language),
        "every": lambda d: every(d, language),
        "amount": lambda d: _amount(d.count, d.unit, language),
        "mermaid": mermaid_text,
        "tags": lambda items: ("、" if language == "ja" else ", ").join(str(i) for i in items),
        "sentence": lambda text: sentence(text, language),
    }


# --- text kept from one rebuild to the next ---------------------------------------------------

# The text of each entry (see fragments_extension): place -> id(item) -> (item, text).
FragmentTexts = dict[str, dict[int, tuple[object, str]]]


def _nones(values: list[Any]) -> Iterator[int]:
    """Where None is in the list, found by C scans (list.index) rather than a Python loop."""
    at = -1
    while True:
        try:
            at = values.index(None, at + 1)
        except ValueError:
            return
        yield at


def fragments_extension() -> type[jinja2.ext.Extension]:
    """`{% cached item %}…{% endcached %}` and `{% cachedfor x in items %}` (made lazily).

    The block's text is kept, per place in the templates, while `item` is the very same
    object: `kizuna watch` keeps a contact's schedule values (a DueContact, a DormantTie…)
    across rebuilds, so only the entries of touched contacts are rendered again. The
    block must depend on nothing but the item and what holds for the whole build (today,
    the settings, the links of the index); kizuna.build starts afresh otherwise.
    """
    from jinja2 import nodes
    from jinja2.ext import Extension

    class Fragments(Extension):
        tags = {"cached", "cachedfor"}  # noqa: RUF012 (jinja2 declares it an instance variable)

        def __init__(self, environment: jinja2.Environment) -> None:
            super().__init__(environment)
            # place -> id(item) -> (item, text). The item is held, so no other object
            # can have its id meanwhile: an entry found by id is the item's own.
            self.kept: FragmentTexts = {}
            self.made: FragmentTexts = {}
            self.keep = True

        def parse(self, parser: jinja2.parser.Parser) -> nodes.Node | list[nodes.Node]:
            token = next(parser.stream)
            place = nodes.Const(f"{parser.name}:{token.lineno}")
            if token.value == "cached":
                item = parser.parse_expression()
                body = parser.parse_statements(("name:endcached",), drop_needle=True)
                call = self.call_method("_fragment", [place, item])
                block = nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)
                return nodes.If(self.attr("keep"), [block], [],
                                copy.deepcopy(body)).set_lineno(token.lineno)
            # {% cachedfor x in items %}…{% else %}…{% endcachedfor %}: a for loop whose
            # entries are each a `cached` block, joined in Python (no jinja2 call per entry).
            target = parser.parse_assign_target(name_only=True)
            parser.stream.expect("name:in")
            items = parser.parse_expression()
            body = parser.parse_statements(("name:else", "name:endcachedfor"))
            otherwise: list[nodes.Node] = []
            if next(parser.stream).value == "else":
                otherwise = parser.parse_statements(("name:endcachedfor",), drop_needle=True)
            call = self.call_method("_fragments", [place, items])
            param = nodes.Name(target.name, "param")
            loop: nodes.Node = nodes.CallBlock(call, [param], [], body).set_lineno(token.lineno)
            if otherwise:
                loop = nodes.If(items, [loop], [], otherwise).set_lineno(token.lineno)
            # A one-shot build keeps nothing: there, a plain for loop is the quicker.
            plain = nodes.For(copy.deepcopy(target), copy.deepcopy(items), copy.deepcopy(body),
                              copy.deepcopy(otherwise), None, False).set_lineno(token.lineno)
            return nodes.If(self.attr("keep"), [loop], [], [plain]).set_lineno(token.lineno)

        def _fragment(self, place: str, item: object, caller: Callable[[], str]) -> str:
            if not self.keep:
                return caller()
            made = self.made.setdefault(place, {})
            key = id(item)
            found = made.get(key) or self.kept.get(place, {}).get(key)
            if found is None:
                found = (item, caller())
            made[key] = found
            return found[1]

        def _fragments(self, place: str, items: Iterable[object],
                       caller: Callable[[object], str]) -> str:
            if not self.keep:
                return "".join(map(caller, items))
            # Looked up and joined in C: a rebuild after a one-file edit finds all but a
            # few of the ~30,000 entries of a 10k vault: 8 ms a rebuild, 16 with a Python loop.
            made = self.made.setdefault(place, {})
            items = list(items)
            keys = list(map(id, items))
            found: list[Any] = list(map(self.kept.get(place, {}).get, keys))
            for at in _nones(found):
                item = items[at]
                found[at] = made.get(keys[at]) or (item, caller(item))
            made.update(zip(keys, found, strict=True))
            return "".join(map(itemgetter(1), found))

        def begin(self, kept: FragmentTexts, keep: bool = True) -> None:
            """Before a build: the text the previous build of the same watch made.

            Without `keep` (a one-shot build), every entry is rendered and nothing is kept.
            """
            self.kept, self.made, self.keep = kept, {}, keep

        def end(self) -> FragmentTexts:
            """After a build: what it made, for the next one (the extension keeps nothing)."""
            made, self.kept, self.made = self.made, {}, {}
            return made

    return Fragments


# --- what the notes show -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReachOutEntry:
    """One person under "Reach out", with everything a friend's advice would mention."""

    rank: int
    due: DueContact
    last: Interaction | None  # the last conversation (talk or meet)
    last_any: Interaction | None  # the latest interaction of any depth
    promises: tuple[Promise, ...]  # open promises to them
    idea: Idea

    @property
    def contact(self) -> Contact:
        return self.due.contact


@dataclass(frozen=True, slots=True)
class Count:
    name: str
    count: int


def _counts(values: Sequence[str]) -> list[Count]:
    return [Count(name, n) for name, n in sorted(Counter(values).items(),
                                                   key=lambda kv: (-kv[1], kv[0].casefold()))]


def reach_out_entries(schedule: Schedule, limit: int) -> list[ReachOutEntry]:
    entries = []
    for rank, item in enumerate(schedule.due(limit), 1):
        contact = item.contact
        interactions = schedule.index.interactions(contact)
        entries.append(ReachOutEntry(
            rank, item, schedule.last_conversation(contact),
            interactions[-1] if interactions else None,
            tuple(schedule.open_promises_to(contact)), schedule.idea(item),
        ))
    return entries


class Renderer:
    """Renders every note of one build from one schedule."""

    def __init__(self, env: jinja2.Environment, schedule: Schedule, *,
                 me: Contact | None = None, me_extra: dict[str, Any] | None = None) -> None:
        self.env = env
        self.schedule = schedule
        self.index = schedule.index
        self.config = schedule.config
        self.today = schedule.today
        self.me = me
        env.filters.update(_filters(self.index, self.config.language))

    def common(self) -> dict[str, Any]:
        return {
            "today": self.today,
            "language": self.config.language,
            "contacts": len(self.index.contacts),
            "config": self.config,
            "schedule": self.schedule,
            "index": self.index,
            "me": self.me,
            "Depth": Depth,
            "note_link": self.note_link,
        }

    def note_link(self, note: str) -> str:
        """A wikilink target to another generated note, by path: a vault may hold a note
        of the same name elsewhere."""
        stem = file_name(note, self.config.language)[:-3]
        return f"{self.config.output.strip('/')}/{stem}|{stem}"

    def render(self, note: str, **context: Any) -> str:
        """One note as text, starting with the marker line whatever the template says."""
        template = self.env.get_template(NOTES[note][0])
        text = template.render(**self.common(), **context)
        text = text.lstrip("\n")
        # Runs of blank lines left by templates' optional blocks, down to one: each
        # pass shortens every run of 3+ newlines until it is 2. str.replace, unlike a
        # regex, runs at memory speed: 45 ms less over the 2.3 MB of notes at 10k contacts.
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        if not text.startswith(MARKER):
            text = f"{MARKER}\n{text}"
        return text.rstrip() + "\n"

    # --- each note's context --------------------------------------------------------

    def reach_out(self) -> str:
        s = self.schedule
        promises = s.open_promises()
        dates = [d for d in s.upcoming_dates(DATES_IN_REACH_OUT)]
        return self.render(
            "reach_out",
            replies=s.replies_owed(),
            promises=promises.overdue + promises.soon,
            entries=reach_out_entries(s, self.config.limit),
            due_total=len(s.due()),
            coming=s.coming_up(),
            dates=dates,
            revive=s.dormant(REVIVE),
            dormant_total=len(s.dormant()),
            lookahead_end=self.config.lookahead.after(self.today),
        )

    def promises(self) -> str:
        return self.render("promises", promises=self.schedule.open_promises(),
                           lookahead_end=self.config.lookahead.after(self.today))

    def dormant(self) -> str:
        return self.render("dormant", ties=self.schedule.dormant())

    def introductions(self) -> str:
        intros = self.schedule.introductions()
        return self.render(
            "introductions",
            between=[i for i in intros if i.helper is not None],
            mine=[i for i in intros if i.helper is None],
            has_offers=bool(self.me and self.me.offers),
        )

    def dates(self) -> str:
        return self.render("dates", dates=self.schedule.upcoming_dates(),
                           until=self.today + timedelta(days=60))

    def self_introduction(self, extra: dict[str, Any]) -> str:
        assert self.me is not None
        mine = {fold_tag(t): t for t in self.me.interests}
        shared = []
        for contact in self.index.contacts:
            if contact.status == "archived":
                continue
            common = [t for t in contact.interests if fold_tag(t) in mine]
            if common:
                shared.append((contact, common))
        shared.sort(key=lambda cs: (-len(cs[1]), cs[0].sort_name, cs[0].path))

        def listed(key: str) -> list[str]:
            value = extra.get(key)
            if value is None or value == "":
                return []
            items = value if isinstance(value, list) else [value]
            return [str(v).strip() for v in items if v is not None and str(v).strip()]

        return self.render(
            "self_introduction",
            pitch=" ".join(listed("pitch")),
            strengths=listed("strengths"),
            working_on=listed("working_on"),
            want_next=listed("want_next"),
            shared=shared,
        )

    def dashboard(self, problems: Sequence[Problem]) -> str:
        s, index, today = self.schedule, self.index, self.today
        people = index.contacts
        quarter_start, _ = period_of(today, "quarter")
        year_start, _ = period_of(today, "year")

        def contact_facts(c: Contact) -> tuple[bool, bool, bool, bool, bool, bool]:
            """New this quarter, this year; in touch this year; no reach, nothing logged,
            no tier (the last three for contacts not archived)."""
            active = c.status != "archived"
            return (bool(c.met and quarter_start <= c.met <= today),
                    bool(c.met and year_start <= c.met <= today),
                    bool(between(index.interactions(c), year_start, today)),
                    active and not c.has_reach,
                    active and not index.interactions(c),
                    active and effective_tier(c, self.config) is None)

        # Values kept per contact (Schedule.each), picked out with C loops: the same
        # lists, in the same order, as a filter per list over every contact.
        facts = s.each("dashboard", contact_facts)
        new_quarter, new_year, in_touch, no_reach, nothing_logged = (
            list(compress(people, map(itemgetter(at), facts))) for at in range(5))
        untiered = sum(map(itemgetter(5), facts))
        statuses = Counter(map(attrgetter("status"), people))
        months = s.per_month(12)
        errors = sum(p.severity == "error" for p in problems)
        return self.render(
            "dashboard",
            tiers=s.budgets(),
            untiered=untiered,
            statuses=[Count(k, statuses[k]) for k in ("active", "paused", "archived")],
            months=months,
            chart_max=max([m.total for m in months] + [1]),
            new_quarter=new_quarter,
            new_year=new_year,
            quarter_start=quarter_start,
            year_start=year_start,
            in_touch=len(in_touch),
            circles=_counts(list(chain.from_iterable(map(attrgetter("circles"), in_touch)))),
            industries=_counts(list(filter(None, map(attrgetter("industry"), in_touch)))),
            goals=s.goals(),
            no_reach=no_reach,
            nothing_logged=nothing_logged,
            problems=list(problems),
            errors=errors,
            warnings=len(problems) - errors,
            due_total=len(s.due()),
            replies_total=len(s.replies_owed()),
            open_promises=len(s.open_promises().open),
            dormant_total=len(s.dormant()),
        )
