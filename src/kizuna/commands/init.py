from __future__ import annotations

from pathlib import Path

import click

from ..app import KizunaError
from ..config import CONFIG_FILE
from ..resources import shipped_text


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(path: Path) -> None:
    """Make a vault: kizuna.toml with every default, people/, one example contact."""
    if (path / CONFIG_FILE).exists():
        raise KizunaError(f"{path / CONFIG_FILE} exists already: this is a vault; nothing changed")
    people = path / "people"
    example = people / "Aiko Tanaka.md"
    path.mkdir(parents=True, exist_ok=True)
    people.mkdir(exist_ok=True)
    if not example.exists():
        example.write_text(shipped_text("example-contact.md"), encoding="utf-8")
    (path / CONFIG_FILE).write_text(shipped_text("kizuna.toml"), encoding="utf-8")
    click.echo(f"Made a vault in {path}: {CONFIG_FILE}, people/, and an example contact.")
    click.echo("Next: add people with `kizuna add NAME`, then `kizuna build`.")
