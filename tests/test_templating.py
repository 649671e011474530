"""The jinja2 helpers shared by the notes and the contact template."""

from __future__ import annotations

from datetime import date

from kizuna.config import Config
from kizuna.parse import parse_note
from kizuna.templating import yaml_value


def test_yaml_value_keeps_the_order_of_a_mapping() -> None:
    links = {"website": "https://a.example", "linkedin": "https://b.example"}
    assert yaml_value(links) == "{website: 'https://a.example', linkedin: 'https://b.example'}"


def test_yaml_values_read_back_unchanged_through_our_loader() -> None:
    fields = {"phone": "0123456", "zip": "01234", "answer": "no", "met": date(2024, 1, 2),
              "links": {"z": "https://z.example", "a": "https://a.example"}}
    text = "---\n" + "".join(f"{k}: {yaml_value(v)}\n" for k, v in fields.items()) + "---\n"
    contact = parse_note("people/X.md", text.encode(), Config(), in_people=True).contact
    assert contact is not None
    assert contact.phones == ("0123456",) and contact.met == date(2024, 1, 2)
    assert contact.links == (("z", "https://z.example"), ("a", "https://a.example"))
    assert contact.extra["zip"] == "01234" and contact.extra["answer"] == "no"
