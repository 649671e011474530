"""What a command made from the vault as it is: with nothing changed, `build` and `due` reuse it.

`made_from` digests everything they read: every note's size, mtime and ctime;
`kizuna.toml`, `me.md` and the reading list likewise; the settings, today,
kizuna's code and templates, the template overrides. A build records that
digest in `.kizuna/build.json` with its summary and a digest of what the
output folder then held; the next build compares both before it loads
anything: equal, it reports the recorded summary and writes nothing; any note
edited, added or removed, a generated note changed or deleted, another day or
another kizuna, and it builds. `due` keeps everyone due in `.kizuna/due.json`
the same way (`read_record`, `write_record`). A file changed in the last two
seconds can keep its size and mtime (`cache.RACY_NS`): then there is no
digest, nothing is reused or recorded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import NoteKeys, yaml_identity
from .config import CONFIG_FILE
from .model import Problem
from .resources import shipped_templates
from .vault import PROFILE_NOTE, READING_LIST_NOTE, STATE_DIR, TEMPLATE_OVERRIDES, Vault
from .write import atomic_write

if TYPE_CHECKING:
    from .build import BuildResult

BUILD_RECORD = "build.json"  # under .kizuna/: the last build, as made from the vault
DUE_RECORD = "due.json"  # under .kizuna/: everyone due, as made from the vault
FORMAT = 1


def made_from(vault: Vault, today: date, found: NoteKeys) -> str | None:
    """A digest of everything a build reads (the notes: as `found`), or None when a file
    is too fresh to tell."""
    digest = hashlib.sha256()
    for rel, key in found.keys.items():
        if key is not None and not found.trusted(key):
            return None
        digest.update(f"{rel}\0{key}\n".encode())
    for problem in found.folder_problems:
        digest.update(f"{problem}\n".encode())
    for name in (CONFIG_FILE, PROFILE_NOTE, READING_LIST_NOTE):
        try:
            st = os.stat(vault.root / name)
        except FileNotFoundError:
            digest.update(f"{name}\0none\n".encode())
            continue
        except OSError:  # read_profile reports it, every time
            return None
        key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if not found.trusted(key):
            return None
        digest.update(f"{name}\0{key}\n".encode())
    digest.update(f"{vault.config!r}\0{today.isoformat()}\n".encode())
    digest.update(template_overrides(vault.root).encode())
    digest.update(_code())
    return digest.hexdigest()


def template_overrides(root: Path) -> str:
    """The override files in `.kizuna/templates/` as (name, mtime, size), "" for none."""
    try:
        entries = [(e.name, e.stat()) for e in os.scandir(root / STATE_DIR / TEMPLATE_OVERRIDES)]
        return repr(sorted((name, st.st_mtime_ns, st.st_size) for name, st in entries))
    except OSError:
        return ""


def _code() -> bytes:
    """kizuna's sources and shipped templates, and jinja2's and PyYAML's identities."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for folder, pattern in ((package, "*.py"), (shipped_templates(), "*.md")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    digest.update(yaml_identity())
    spec = importlib.util.find_spec("jinja2")  # its __init__ holds __version__
    if spec is not None and spec.origin is not None:
        digest.update(Path(spec.origin).read_bytes())
    return digest.digest()


def _output_digest(vault: Vault) -> str:
    """A digest of the files in the output folder: names and bytes."""
    digest = hashlib.sha256()
    folder = vault.root / vault.config.output
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        names = []
    for name in names:
        try:
            data = (folder / name).read_bytes()
        except OSError:  # a folder, or unreadable: its name still counts
            data = b"\0unreadable"
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def read_record(vault: Vault, name: str, inputs: str) -> dict[str, Any] | None:
    """What `write_record` kept in `.kizuna/NAME`, if it was made from `inputs`."""
    try:
        data = json.loads((vault.state_dir / name).read_bytes())
    except (OSError, ValueError):  # none yet, or damaged
        return None
    if type(data) is not dict or (data.get("format"), data.get("inputs")) != (FORMAT, inputs):
        return None
    return data


def write_record(vault: Vault, name: str, inputs: str, data: dict[str, Any]) -> None:
    """Keep `data` in `.kizuna/NAME` as made from `inputs`; a vault we cannot write to
    simply has no record."""
    try:
        vault.state_dir.mkdir(exist_ok=True)
        atomic_write(vault.state_dir / name, json.dumps(
            {"format": FORMAT, "inputs": inputs, **data}, ensure_ascii=False).encode())
    except OSError:
        pass


def recorded_build(vault: Vault, inputs: str) -> BuildResult | None:
    """The last build's result, if it was made from `inputs` and its notes are as it left them."""
    from .build import BuildResult

    data = read_record(vault, BUILD_RECORD, inputs)
    try:
        if data is None or data["outputs"] != _output_digest(vault):
            return None
        return BuildResult(notes=int(data["notes"]), contacts=int(data["contacts"]),
                           problems=[Problem(str(path), None if line is None else int(line),
                                             "error" if severity == "error" else "warning",
                                             str(message))
                                     for path, line, severity, message in data["problems"]])
    except (ValueError, KeyError, TypeError):  # not ours to trust: build
        return None


def record_build(vault: Vault, inputs: str, result: BuildResult) -> None:
    """Remember that `result` was built from `inputs`, and what the output folder holds now."""
    write_record(vault, BUILD_RECORD, inputs, {
        "outputs": _output_digest(vault), "notes": result.notes, "contacts": result.contacts,
        "problems": [[p.path, p.line, p.severity, p.message] for p in result.problems]})
