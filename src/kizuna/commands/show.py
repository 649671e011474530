"""`kizuna show NAME`: one person at a glance."""

from __future__ import annotations

import json

import click

from ..app import App, pass_app
from ..model import Contact
from ..serialize import contact_json

RECENT = 10  # interactions shown in the terminal


@click.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def show(app: App, name: str, as_json: bool) -> None:
    """One person: facts, last interactions, promises."""
    contact = app.person(name)
    index = app.index
    if as_json:
        data = {**contact_json(contact, index), "cadence_state": _cadence_state_json(app, contact)}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{contact.name}  ({contact.path})")
    for label, value in _facts(contact, app.vault.config.default_tier):
        click.echo(f"  {label + ':':<14}{value}")
    interactions = index.interactions(contact)
    click.echo(f"\nLast interactions ({len(interactions)} in all):")
    for item in list(reversed(interactions))[:RECENT]:
        arrow = "<-" if item.inbound else "->"
        text = f": {item.text}" if item.text else ""
        click.echo(f"  {item.date} {arrow} {item.kind} ({item.depth.label}){text}")
    if not interactions:
        click.echo("  nothing logged yet")
    open_promises = [p for p in index.promises(contact) if p.is_open]
    if open_promises:
        click.echo("\nOpen promises:")
        for promise in open_promises:
            due = f"  (due {promise.due})" if promise.due else ""
            click.echo(f"  [ ] {promise.text}{due}")
    _echo_cadence_state(app, contact)


def _facts(contact: Contact, default_tier: str | None) -> list[tuple[str, str]]:
    facts = [
        ("tier", contact.tier or f"{default_tier or 'none'} (default)"),
        ("status", contact.status),
        ("aliases", ", ".join(contact.aliases)),
        ("company", " / ".join(x for x in (contact.title, contact.company) if x)),
        ("location", contact.location or ""),
        ("circles", ", ".join(contact.circles)),
        ("met", " ".join(str(x) for x in (contact.met, contact.met_context) if x)),
        ("interests", ", ".join(contact.interests)),
        ("needs", ", ".join(contact.needs)),
        ("offers", ", ".join(contact.offers)),
        ("email", ", ".join(contact.emails)),
        ("phone", ", ".join(contact.phones)),
        ("links", ", ".join(url for _, url in contact.links)),
        ("birthday", str(contact.birthday) if contact.birthday else ""),
        ("follow-up", str(contact.follow_up) if contact.follow_up else ""),
        ("snoozed until", str(contact.snooze_until) if contact.snooze_until else ""),
    ]
    return [(label, value) for label, value in facts if value]


def _cadence_state_json(app: App, contact: Contact) -> dict[str, object]:
    """Per depth: last, due date, days overdue (negative: days left); DESIGN §4.3."""
    from ..schedule import Schedule

    state = Schedule(app.index, app.vault.config, app.today).state(contact)
    return {
        "due": state.is_due,
        "reason": state.reason,
        "not_tracked": state.paused_by,
        "follow_up": state.follow_up.isoformat() if state.follow_up else None,
        "depths": {d.depth.label: {"every": str(d.every),
                                   "last": d.last.isoformat() if d.last else None,
                                   "due": d.due.isoformat(), "days_overdue": d.days_overdue}
                   for d in state.depths},
    }


def _echo_cadence_state(app: App, contact: Contact) -> None:
    from ..schedule import Schedule

    state = Schedule(app.index, app.vault.config, app.today).state(contact)
    click.echo(f"\nCadence ({state.tier or 'no tier'}):")
    if state.paused_by:
        click.echo(f"  never due: {state.paused_by}")
    elif state.is_due:
        click.echo(f"  due now: {state.reason}")
    for d in state.depths:
        days = d.days_overdue
        when = (f"overdue by {days} days" if days > 0 else "due today" if days == 0
                else f"due in {-days} days")
        click.echo(f"  {d.depth.label:<6} every {d.every!s:<4} last {d.last or 'never'!s:<10}  "
                   f"due {d.due}  {when}")
    if state.follow_up:
        click.echo(f"  follow-up {state.follow_up}")
    if not state.depths and not state.follow_up:
        click.echo("  no cadence")
