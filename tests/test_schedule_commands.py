"""The schedule in other commands: `show` prints the cadence state, `list --due` filters."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import Result
from conftest import SAMPLE_VAULT, MakeVault

Run = Callable[..., Result]


def test_show_prints_each_depth_with_last_due_and_overdue(run: Run) -> None:
    result = run(SAMPLE_VAULT, "show", "Daniel Okafor")
    assert result.exit_code == 0
    cadence = result.output.split("\nCadence (key):\n")[1].splitlines()
    assert cadence[0] == "  due now: overdue"
    assert cadence[1].split() == ["touch", "every", "1m", "last", "2026-09-30", "due",
                                  "2026-10-30", "overdue", "by", "24", "days"]
    assert cadence[3].split()[-3:] == ["in", "146", "days"]


def test_show_json_has_the_cadence_state(run: Run) -> None:
    data = json.loads(run(SAMPLE_VAULT, "show", "Daniel Okafor", "--json").stdout)
    state = data["cadence_state"]
    assert (state["due"], state["reason"], state["not_tracked"]) == (True, "overdue", None)
    assert state["depths"]["talk"] == {"every": "3m", "last": "2026-08-20", "due": "2026-11-20",
                                       "days_overdue": 3}


def test_show_says_why_someone_is_never_due(make_vault: MakeVault, run: Run) -> None:
    vault = make_vault({"people/A.md": "---\nsnooze_until: 2026-12-01\n---\n"})
    assert "  never due: snoozed" in run(vault, "show", "A").output


def test_list_due_keeps_only_the_people_due(run: Run) -> None:
    due = json.loads(run(SAMPLE_VAULT, "due", "--json", "--limit", "100").stdout)["due"]
    listed = json.loads(run(SAMPLE_VAULT, "list", "--due", "--json").stdout)
    assert sorted(c["path"] for c in listed) == sorted(d["path"] for d in due)
    assert len(listed) == 13
