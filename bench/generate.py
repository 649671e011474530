"""Deterministic synthetic vaults for the benchmark: N contacts, a tenth as many journal notes.

    python bench/generate.py 10000 bench/vaults/10000

The same N and seed always give the same bytes. Contacts have realistic front
matter (English and Japanese names, readings, tiers, circles, interests,
emails, phones, links, birthdays), 5–30 log lines each (some inbound, some
linking another contact), and some promises; journal notes under Daily/ mention
a few contacts each. A vault already generated with the same parameters is kept.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 1  # bump when the output changes, so old vaults are regenerated
STAMP = ".generated"
TODAY = date(2026, 11, 23)

EN_FIRST = ["Aiko", "Ben", "Chloe", "Daniel", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas",
            "Kate", "Liam", "Maya", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Sam", "Tara",
            "Umar", "Vera", "Will", "Xin", "Yusuf", "Zoe", "Alex", "Bianca", "Carlos", "Dana"]
EN_LAST = ["Smith", "Garcia", "Müller", "Novak", "Okafor", "Silva", "Kim", "Nguyen", "Rossi",
           "Dubois", "Larsen", "Cohen", "Patel", "Ivanova", "Brown", "Schmidt", "O'Neil", "Costa",
           "Fischer", "Haddad", "Jensen", "Kowalski", "Lopez", "Martin", "Sato", "Wilson"]
JA_FAMILY = [("田中", "たなか", "Tanaka"), ("佐藤", "さとう", "Sato"), ("鈴木", "すずき", "Suzuki"),
             ("高橋", "たかはし", "Takahashi"), ("伊藤", "いとう", "Ito"),
             ("渡辺", "わたなべ", "Watanabe"), ("山本", "やまもと", "Yamamoto"),
             ("中村", "なかむら", "Nakamura"), ("小林", "こばやし", "Kobayashi"),
             ("加藤", "かとう", "Kato"), ("吉田", "よしだ", "Yoshida"),
             ("山田", "やまだ", "Yamada"),
             ("森", "もり", "Mori"), ("石川", "いしかわ", "Ishikawa"), ("前田", "まえだ", "Maeda")]
JA_GIVEN = [("愛子", "あいこ", "Aiko"), ("健二", "けんじ", "Kenji"), ("翔太", "しょうた", "Shota"),
            ("美咲", "みさき", "Misaki"), ("大輔", "だいすけ", "Daisuke"), ("陽菜", "ひな", "Hina"),
            ("拓也", "たくや", "Takuya"), ("由美", "ゆみ", "Yumi"), ("直樹", "なおき", "Naoki"),
            ("さくら", "さくら", "Sakura"), ("蓮", "れん", "Ren"), ("葵", "あおい", "Aoi"),
            ("剛", "たけし", "Takeshi"), ("恵", "めぐみ", "Megumi"), ("誠", "まこと", "Makoto")]
COMPANIES = ["Example Corp", "Acme Inc", "株式会社サンプル", "Globex", "Initech", "Umbrella Labs",
             "Hooli", "Soylent", "Stark Industries", "合同会社みらい", "Wayne Enterprises",
             "Vandelay"]
TITLES = ["Engineer", "Head of Learning", "CTO", "Product Manager", "Designer", "Researcher",
          "Founder", "エンジニア", "部長", "Data Scientist", "Consultant", "Investor", "Teacher"]
INDUSTRIES = ["education", "software", "finance", "healthcare", "media", "manufacturing",
              "retail", "research", "government", "non-profit"]
LOCATIONS = ["Tokyo", "Osaka", "Berlin", "London", "New York", "São Paulo", "Singapore",
             "Kyoto", "Paris", "Toronto", "Fukuoka", "Sydney"]
CIRCLES = ["ex-colleagues", "ai-education-study-group", "university", "running-club", "clients",
           "conference-speakers", "neighbours", "open-source", "勉強会", "founders"]
TOPICS = ["ai", "education", "running", "data", "design", "management", "climate", "music",
          "cooking", "photography", "python", "rust", "finance", "hiring", "startups", "books"]
TIERS = ["inner"] * 1 + ["key"] * 4 + ["network"] * 10 + ["acquaintance"] * 5 + [None] * 5
KINDS = ["email", "message", "call", "coffee", "lunch", "like", "comment", "share", "meetup",
         "dinner", "video", "dm", "メール", "ランチ", "飲み", "intro", "card", "conference"]
SENTENCES = [
    "Talked about the AI tutoring pilot; it went live last month.",
    "She is looking for data engineers for the new team.",
    "Asked whether I know a good UX researcher.",
    "Sent the article on adaptive learning at scale https://example.org/a",
    "Caught up on the move to the new office and the kids' school.",
    "新しいプロジェクトについて話した。来月また会う予定。",
    "Congratulated them on the promotion.",
    "Shared notes from the study group and the slides.",
    "He mentioned wanting to run the Tokyo marathon next year.",
    "転職の相談。来年の春に決める予定とのこと。",
    "Discussed hiring plans and a possible collaboration.",
    "Recommended the book on middle management.",
]


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


class _Names:
    """Unique display names: English or Japanese, numbered when a combination repeats."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: dict[str, int] = {}
        self.claimed: set[str] = set()  # names and aliases taken, so none is ambiguous

    def next(self) -> tuple[str, str | None, list[str]]:
        """(name, reading, aliases)."""
        rng = self.rng
        if rng.random() < 0.35:
            family, given = rng.choice(JA_FAMILY), rng.choice(JA_GIVEN)
            name, reading = f"{family[0]} {given[0]}", f"{family[1]} {given[1]}"
            aliases = [f"{given[2]} {family[2]}"]
        else:
            initial = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.5 else ""
            name, reading = f"{rng.choice(EN_FIRST)}{initial} {rng.choice(EN_LAST)}", None
            aliases = [name.split()[0]] if rng.random() < 0.3 else []
        count = self.seen.get(name, 0) + 1
        self.seen[name] = count
        if count > 1:
            name = f"{name} {count}"
        while name.casefold() in self.claimed:
            name += "+"
        aliases = [a for a in aliases if a.casefold() not in self.claimed]
        self.claimed.update(n.casefold() for n in (name, *aliases))
        return name, reading, aliases


def _contact_note(rng: random.Random, name: str, reading: str | None, aliases: list[str],
                  others: list[str]) -> str:
    fm = [f"name: {name}"]
    if aliases:
        fm.append(f"aliases: {_yaml_list(aliases)}")
    if reading:
        fm.append(f"reading: {reading}")
    tier = rng.choice(TIERS)
    if tier:
        fm.append(f"tier: {tier}")
    if rng.random() < 0.1:
        fm.append(f"cadence: {{talk: {rng.choice(['2m', '3m', '1y'])}}}")
    if rng.random() < 0.05:
        fm.append(f"status: {rng.choice(['paused', 'archived'])}")
    fm.append(f"company: {rng.choice(COMPANIES)}")
    fm.append(f"title: {rng.choice(TITLES)}")
    fm.append(f"industry: {rng.choice(INDUSTRIES)}")
    fm.append(f"location: {rng.choice(LOCATIONS)}")
    fm.append(f"circles: {_yaml_list(rng.sample(CIRCLES, rng.randint(0, 3)))}")
    fm.append("tags: [person]")
    met = _date_between(rng, date(2010, 1, 1), date(2026, 6, 30))
    fm.append(f"met: {met.isoformat()}")
    fm.append(f"met_context: {rng.choice(CIRCLES)} meetup")
    if others and rng.random() < 0.3:
        fm.append(f'introduced_by: "[[{rng.choice(others)}]]"')
    fm.append(f"interests: {_yaml_list(rng.sample(TOPICS, rng.randint(1, 4)))}")
    if rng.random() < 0.3:
        fm.append(f"needs: {_yaml_list(rng.sample(TOPICS, 1))}")
    if rng.random() < 0.3:
        fm.append(f"offers: {_yaml_list(rng.sample(TOPICS, 1))}")
    slug = "".join(ch for ch in (aliases[0] if aliases else name).lower() if ch.isascii()
                   and ch.isalnum()) or "someone"
    if rng.random() < 0.9:
        fm.append(f"email: {slug}{rng.randrange(1000)}@example.com")
    if rng.random() < 0.6:
        fm.append(f'phone: "+81 90 {rng.randrange(10000):04d} {rng.randrange(10000):04d}"')
    if rng.random() < 0.5:
        fm.append(f'links: {{linkedin: "https://www.linkedin.com/in/{slug}{rng.randrange(999)}"}}')
    if rng.random() < 0.5:
        birthday = _date_between(rng, date(1960, 1, 1), date(2000, 12, 31))
        shown = birthday.isoformat() if rng.random() < 0.5 else birthday.strftime("%m-%d")
        fm.append(f"birthday: {shown}")
    if rng.random() < 0.1:
        follow_up = _date_between(rng, date(2026, 10, 1), date(2027, 3, 1))
        fm.append(f"follow_up: {follow_up.isoformat()}")
    fm.append(f"uid: urn:uuid:{rng.getrandbits(128):032x}")

    body = [f"# {name}", "", rng.choice(SENTENCES), "", "## Log"]
    entries = sorted((_date_between(rng, met, TODAY) for _ in range(rng.randint(5, 30))),
                     reverse=True)
    for when in entries:
        direction = "<- " if rng.random() < 0.1 else ""
        kind = f"{rng.choice(KINDS)}: " if rng.random() < 0.9 else ""
        text = rng.choice(SENTENCES)
        if others and rng.random() < 0.1:
            text += f" With [[{rng.choice(others)}]]."
        body.append(f"- {when.isoformat()} {direction}{kind}{text}")
    if rng.random() < 0.3:
        body += ["", "## Promises"]
        for _ in range(rng.randint(1, 3)):
            due = _date_between(rng, date(2026, 9, 1), date(2027, 2, 1))
            mark = "x" if rng.random() < 0.3 else " "
            body.append(f"- [{mark}] Send the paper on {rng.choice(TOPICS)} 📅 {due.isoformat()}")
    return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body) + "\n"


def _journal_note(rng: random.Random, when: date, stems: list[str]) -> str:
    lines = [f"# {when.isoformat()}", ""]
    for _ in range(rng.randint(1, 6)):
        who = rng.choice(stems)
        style = rng.random()
        if style < 0.4:
            lines.append(f"- Coffee with [[{who}]] #coffee, {rng.choice(SENTENCES)}")
        elif style < 0.6:
            lines.append(f"call: [[{who}]] {rng.choice(SENTENCES)}")
        elif style < 0.8:
            due = when + timedelta(days=7)
            lines.append(f"- [ ] Send [[{who}]] the slides 📅 {due.isoformat()}")
        else:
            lines.append(f"Ran into [[{who}]] at the station.")
    return "\n".join(lines) + "\n"


def generate(root: Path, contacts: int, seed: int = 1) -> Path:
    """Write the vault under root (replacing it unless it already matches); return root."""
    stamp = f"kizuna-bench generator {GENERATOR_VERSION} contacts {contacts} seed {seed}\n"
    if (root / STAMP).is_file() and (root / STAMP).read_text() == stamp:
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(f"{seed}-{contacts}")
    names = _Names(rng)
    people = [names.next() for _ in range(contacts)]
    stems = [name for name, _, _ in people]
    folders = ["people", "people/work", "people/friends", "people/clients"]
    (root / "Daily").mkdir(parents=True)
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "kizuna.toml").write_text('language = "en"\n', encoding="utf-8")
    for i, (name, reading, aliases) in enumerate(people):
        others = stems[max(0, i - 50):i]  # earlier contacts, so links mostly resolve
        text = _contact_note(rng, name, reading, aliases, others)
        folder = folders[0] if rng.random() < 0.7 else rng.choice(folders[1:])
        (root / folder / f"{name}.md").write_text(text, encoding="utf-8")
    start = date(2024, 1, 1)
    for day in sorted(rng.sample(range((TODAY - start).days), min(contacts // 10, 1000))):
        when = start + timedelta(days=day)
        (root / "Daily" / f"{when.isoformat()}.md").write_text(
            _journal_note(rng, when, stems), encoding="utf-8")
    for i in range(max(0, contacts // 10 - 1000)):  # past 1000 days, one note per meeting
        when = start + timedelta(days=rng.randrange((TODAY - start).days))
        text = f"---\ndate: {when.isoformat()}\n---\n" + _journal_note(rng, when, stems)
        (root / "Meetings" / f"Meeting {i:05d}.md").parent.mkdir(exist_ok=True)
        (root / "Meetings" / f"Meeting {i:05d}.md").write_text(text, encoding="utf-8")
    (root / STAMP).write_text(stamp, encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contacts", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.root, args.contacts, args.seed)
    print(f"{args.root}: {args.contacts} contacts", file=sys.stderr)


if __name__ == "__main__":
    main()
