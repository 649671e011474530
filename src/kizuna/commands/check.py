"""`kizuna check`: the vault's problems, for people and for pre-commit hooks."""

from __future__ import annotations

import json

import click

from ..app import App, count, pass_app
from ..serialize import problem_json


@click.command()
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@pass_app
def check(app: App, strict: bool, as_json: bool) -> None:
    """List the vault's problems; exit 1 on errors (fits a pre-commit hook)."""
    problems = app.index.problems
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        click.echo(json.dumps({"contacts": len(app.index.contacts), "errors": errors,
                               "warnings": warnings,
                               "problems": [problem_json(p) for p in problems]},
                              ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        contacts = len(app.index.contacts)
        click.echo(f"{count(contacts, 'contact')}, {count(errors, 'error')}, "
                   f"{count(warnings, 'warning')}", err=bool(problems))
    if errors or (strict and warnings):
        raise SystemExit(1)
