"""`kizuna init`: a new vault with every setting written out, commented."""

from __future__ import annotations

from pathlib import Path

import click

from ..app import KizunaError
from ..config import CONFIG_FILE
from ..resources import shipped_text
from ..write import create_exclusive

EXAMPLE = "Aiko Tanaka.md"


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(path: Path) -> None:
    """Make a vault: kizuna.toml with every default, people/, one example contact."""
    if (path / CONFIG_FILE).exists():
        raise KizunaError(f"{path / CONFIG_FILE} exists already: this is a vault; nothing changed")
    people = path / "people"
    try:
        people.mkdir(parents=True, exist_ok=True)
        example = not any(people.iterdir())  # an existing people folder keeps what it has
        if example:
            create_exclusive(people / EXAMPLE, shipped_text("example-contact.md").encode())
        # the marker of a vault goes last: a failed init leaves no half-made vault behind
        create_exclusive(path / CONFIG_FILE, shipped_text("kizuna.toml").encode())
    except OSError as exc:
        raise KizunaError(f"cannot make a vault in {path}: {exc.strerror or exc}") from None
    made = f"{CONFIG_FILE}, people/" + (", and an example contact" if example else "")
    click.echo(f"Made a vault in {path}: {made}.")
    click.echo("Next: add people with `kizuna add NAME`, then `kizuna build`.")
