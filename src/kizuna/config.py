"""`kizuna.toml`: every setting with its default, validated into a Config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .model import Contact, Depth, Duration

CONFIG_FILE = "kizuna.toml"

# The built-in kind -> depth map (DESIGN §3.2). Any unknown kind is a talk.
DEFAULT_KINDS: dict[str, Depth] = {
    **dict.fromkeys(["like", "comment", "react", "reaction", "いいね", "コメント"], Depth.TOUCH),
    **dict.fromkeys(
        ["email", "mail", "message", "dm", "text", "call", "phone", "video", "chat", "share",
         "letter", "card", "note", "intro", "メール", "電話", "連絡", "紹介"],
        Depth.TALK,
    ),
    **dict.fromkeys(
        ["meet", "meeting", "coffee", "lunch", "dinner", "drinks", "breakfast", "meetup", "event",
         "visit", "conference", "party", "会食", "食事", "ランチ", "飲み", "面談", "訪問"],
        Depth.MEET,
    ),
}


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    cadence: dict[Depth, Duration]
    budget: int | None = None


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("inner", {Depth.TALK: Duration(2, "w"), Depth.MEET: Duration(1, "m")}, 5),
    Tier(
        "key",
        {Depth.TOUCH: Duration(1, "m"), Depth.TALK: Duration(3, "m"), Depth.MEET: Duration(6, "m")},
        15,
    ),
    Tier("network", {Depth.TALK: Duration(6, "m")}, 50),
    Tier("acquaintance", {Depth.TALK: Duration(1, "y")}),
)

_LOOKAHEAD = Duration(7, "d")
_DORMANT_AFTER = Duration(1, "y")

GoalMetric = Literal["new", "touch", "talk", "meet", "on_cadence"]
GoalPeriod = Literal["week", "month", "quarter", "year"]


@dataclass(frozen=True, slots=True)
class Goal:
    name: str
    metric: GoalMetric
    target: int
    per: GoalPeriod
    circle: str | None = None  # filter: a circle, tier or industry


@dataclass(frozen=True)
class Config:
    language: Literal["en", "ja"] = "en"
    people: tuple[str, ...] = ("people",)
    output: str = "Kizuna"
    default_tier: str | None = "network"  # None: only contacts given a tier are tracked
    limit: int = 25
    lookahead: Duration = _LOOKAHEAD
    dormant_after: Duration = _DORMANT_AFTER
    log_headings: tuple[str, ...] = ("Log", "Interactions", "History", "ログ", "履歴", "やりとり")
    promise_headings: tuple[str, ...] = ("Promises", "約束")
    ignore: tuple[str, ...] = ("**/Templates/**", "**/templates/**")
    person_tags: tuple[str, ...] = ("person", "people", "contact")
    kinds: dict[str, Depth] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    goals: tuple[Goal, ...] = ()

    def tier(self, name: str | None) -> Tier | None:
        """The tier of that name, ignoring case (`Key` is `key`)."""
        if name is None:
            return None
        wanted = name.strip().casefold()
        for tier in self.tiers:
            if tier.name.casefold() == wanted:
                return tier
        return None

    def tier_of(self, contact: Contact) -> Tier | None:
        """The contact's tier, else the default tier; None when untracked."""
        return self.tier(contact.tier or self.default_tier)

    def cadence_for(self, contact: Contact) -> dict[Depth, Duration]:
        """The tier's cadence with the contact's override applied; {} when opted out."""
        if contact.cadence is None:
            return {}
        tier = self.tier_of(contact)
        cadence: dict[Depth, Duration | None] = dict(tier.cadence) if tier else {}
        cadence.update(contact.cadence)
        return {depth: every for depth, every in sorted(cadence.items()) if every is not None}

    def tier_weight(self, name: str | None) -> int:
        """With N tiers the first weighs N and the last 1 (DESIGN §4.3)."""
        names = [t.name for t in self.tiers]
        return len(names) - names.index(name) if name in names else 1

    def depth_of(self, kind: str) -> Depth:
        return self.kinds.get(kind.casefold(), Depth.TALK)


class ConfigError(ValueError):
    """A bad value in kizuna.toml; the message names the key."""


def load_config(vault: Path) -> Config:
    """Read `kizuna.toml` at the vault root (missing file: all defaults)."""
    path = vault / CONFIG_FILE
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_FILE}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{CONFIG_FILE}: {exc}") from exc
    return parse_config(data)


def parse_config(data: dict[str, Any]) -> Config:
    """Validate a loaded TOML mapping; every error names its key."""
    reader = _Reader(data)
    defaults = Config()
    language = reader.choice("language", ("en", "ja"), defaults.language)
    default_tier = reader.text("default_tier", "network")
    tiers = reader.tiers() or defaults.tiers
    tier_names = [t.name for t in tiers]
    if default_tier.lower() == "none":
        default_tier_value: str | None = None
    else:
        found = next((t for t in tiers if t.name.casefold() == default_tier.casefold()), None)
        if found is None:
            raise ConfigError(f"{CONFIG_FILE}: default_tier: unknown tier {default_tier!r} "
                              f"(tiers: {', '.join(tier_names)})")
        default_tier_value = found.name
    kinds = dict(DEFAULT_KINDS)
    for depth_name, names in reader.mapping("kinds").items():
        try:
            depth = Depth.parse(depth_name)
        except KeyError:
            # also accept the other way round: `hike = "meet"`
            if isinstance(names, str) and names.strip().upper() in Depth.__members__:
                kinds[depth_name.strip().casefold()] = Depth.parse(names)
                continue
            raise ConfigError(
                f"{CONFIG_FILE}: kinds.{depth_name}: not a depth (touch, talk or meet)"
            ) from None
        for kind in _text_list(names, f"kinds.{depth_name}"):
            kinds[kind.strip().casefold()] = depth
    unknown = set(data) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{CONFIG_FILE}: {sorted(unknown)[0]}: unknown setting")
    return Config(
        language=language,  # type: ignore[arg-type]
        people=tuple(reader.folders("people", list(defaults.people))),
        output=reader.folders("output", defaults.output, single=True)[0],
        default_tier=default_tier_value,
        limit=reader.positive_int("limit", defaults.limit),
        lookahead=reader.duration("lookahead", defaults.lookahead),
        dormant_after=reader.duration("dormant_after", defaults.dormant_after),
        log_headings=tuple(reader.text_list("log_headings", list(defaults.log_headings))),
        promise_headings=tuple(
            reader.text_list("promise_headings", list(defaults.promise_headings))
        ),
        ignore=tuple(reader.text_list("ignore", list(defaults.ignore))),
        person_tags=tuple(reader.text_list("person_tags", list(defaults.person_tags))),
        kinds=kinds,
        tiers=tiers,
        goals=reader.goals(tier_names),
    )


_KNOWN_KEYS = {
    "language", "people", "output", "default_tier", "limit", "lookahead", "dormant_after",
    "log_headings", "promise_headings", "ignore", "person_tags", "kinds", "tiers", "goals",
}


def _text_list(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    raise ConfigError(f"{CONFIG_FILE}: {key}: expected text or a list of text, got {value!r}")


class _Reader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def text(self, key: str, default: str) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{CONFIG_FILE}: {key}: expected text, got {value!r}")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise ConfigError(f"{CONFIG_FILE}: {key}: expected one of {', '.join(choices)}")
        return value

    def text_list(self, key: str, default: list[str]) -> list[str]:
        return _text_list(self.data.get(key, default), key)

    def folders(self, key: str, default: str | list[str], *, single: bool = False) -> list[str]:
        """Vault-relative folders, with `/` separators and no leading or trailing `/`."""
        value = self.data.get(key, default)
        if single and not isinstance(value, str):
            raise ConfigError(f"{CONFIG_FILE}: {key}: expected a folder name, got {value!r}")
        folders = []
        for folder in _text_list(value, key):
            clean = folder.replace("\\", "/").strip("/")
            if clean in ("", ".") and not single:
                clean = "."  # the whole vault holds people
            elif clean in ("", ".") or ".." in clean.split("/"):
                raise ConfigError(
                    f"{CONFIG_FILE}: {key}: {folder!r} is not a folder inside the vault"
                )
            folders.append(clean)
        return folders

    def positive_int(self, key: str, default: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{CONFIG_FILE}: {key}: expected a whole number above 0")
        return value

    def duration(self, key: str, default: Duration) -> Duration:
        if key not in self.data:
            return default
        try:
            return Duration.parse(self.data[key])
        except ValueError as exc:
            raise ConfigError(f"{CONFIG_FILE}: {key}: {exc}") from None

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{CONFIG_FILE}: {key}: expected a table")
        return value

    def tiers(self) -> tuple[Tier, ...]:
        tiers = []
        for name, spec in self.mapping("tiers").items():
            if not isinstance(spec, dict):
                raise ConfigError(f"{CONFIG_FILE}: tiers.{name}: expected a table")
            cadence: dict[Depth, Duration] = {}
            budget = None
            for key, value in spec.items():
                where = f"{CONFIG_FILE}: tiers.{name}.{key}"
                if key == "budget":
                    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                        raise ConfigError(f"{where}: expected a whole number")
                    budget = value
                    continue
                try:
                    depth = Depth.parse(key)
                except KeyError:
                    raise ConfigError(f"{where}: unknown key (touch, talk, meet, budget)") from None
                if str(value).strip().lower() == "none":
                    continue
                try:
                    cadence[depth] = Duration.parse(value)
                except ValueError as exc:
                    raise ConfigError(f"{where}: {exc}") from None
            tiers.append(Tier(name, cadence, budget))
        return tuple(tiers)

    def goals(self, tier_names: list[str]) -> tuple[Goal, ...]:
        raw = self.data.get("goals", [])
        if not isinstance(raw, list):
            raise ConfigError(f"{CONFIG_FILE}: goals: expected [[goals]] tables")
        goals = []
        for number, spec in enumerate(raw, 1):
            where = f"{CONFIG_FILE}: goals #{number}"
            if not isinstance(spec, dict):
                raise ConfigError(f"{where}: expected a table")
            metric = spec.get("metric")
            if metric not in ("new", "touch", "talk", "meet", "on_cadence"):
                raise ConfigError(f"{where}: metric: expected new, touch, talk, meet or on_cadence")
            per = spec.get("per", "month")
            if per not in ("week", "month", "quarter", "year"):
                raise ConfigError(f"{where}: per: expected week, month, quarter or year")
            target = spec.get("target")
            if isinstance(target, bool) or not isinstance(target, int) or target < 1:
                raise ConfigError(f"{where}: target: expected a whole number above 0")
            circle = spec.get("circle")
            if circle is not None and not isinstance(circle, str):
                raise ConfigError(f"{where}: circle: expected text")
            name = spec.get("name") or f"{metric} {target} per {per}"
            goals.append(Goal(str(name), metric, target, per, circle))
        return tuple(goals)
