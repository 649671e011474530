"""The command line as a whole: help for every command, and the installed entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kizuna import cli


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_command_has_help(name: str) -> None:
    command = cli.cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None and command.help, f"{name} is missing its help"


def test_installed_entry_point_runs_check_on_a_new_vault(tmp_path: Path) -> None:
    kizuna = Path(sys.executable).parent / "kizuna"
    made = subprocess.run([kizuna, "init", str(tmp_path / "v")], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([kizuna, "--vault", str(tmp_path / "v"), "check"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "1 contact, 0 errors" in checked.stdout


def test_no_vault_is_one_line_that_says_how_to_make_one(tmp_path: Path) -> None:
    kizuna = Path(sys.executable).parent / "kizuna"
    result = subprocess.run([kizuna, "check"], capture_output=True, text=True, cwd=tmp_path,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "kizuna init" in result.stderr and "Traceback" not in result.stderr


# --- the entry point ends the process as soon as the command is done ----------------------

DUE_VAULT = {f"people/Person {n:03d}.md": f"---\ntier: inner\n---\n## Log\n- 2025-0{1 + n % 9}-01 "
             f"call: talked about item {n}\n" for n in range(120)}


def entry(vault: Path, *args: str, prelude: str = "", **kwargs: object) -> subprocess.Popen[str]:
    """The entry point as the console script calls it (no argv), after `prelude`."""
    code = f"{prelude}\nimport sys\nfrom kizuna.cli import main\nsys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, "--vault", str(vault),
                             "--today", "2026-11-23", *args], text=True, **kwargs)


def test_the_entry_point_output_piped_to_a_file_is_complete(make_vault, run, tmp_path) -> None:
    vault = make_vault(DUE_VAULT)
    kizuna = Path(sys.executable).parent / "kizuna"
    for args in (["due", "--limit", "120"], ["due", "--json", "--limit", "120"], ["list"]):
        with open(tmp_path / "out.txt", "w") as out:
            done = subprocess.run([kizuna, "--vault", str(vault), "--today", "2026-11-23", *args],
                                  stdout=out, stderr=subprocess.PIPE, text=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "out.txt").read_text() == run(vault, *args).output


@pytest.mark.parametrize(("args", "code", "says"), [
    (["due"], 0, ""),
    (["show", "Nobody"], 1, "kizuna: no contact named 'Nobody'\n"),
    (["nosuch"], 2, "Error: No such command 'nosuch'."),
    (["due", "--limit", "0"], 2, "Error: Invalid value for '--limit'"),
])
def test_the_entry_point_keeps_the_exit_codes(make_vault, args, code, says) -> None:
    vault = make_vault(DUE_VAULT)
    kizuna = Path(sys.executable).parent / "kizuna"
    done = subprocess.run([kizuna, "--vault", str(vault), *args], capture_output=True, text=True)
    assert (done.returncode, says in done.stderr) == (code, True), done.stderr
    assert "Traceback" not in done.stderr


def test_a_closed_pipe_ends_the_entry_point_quietly_with_code_1(make_vault) -> None:
    vault = make_vault(DUE_VAULT)
    for args in (["due"], ["due", "--json"]):
        read, write = os.pipe()
        os.close(read)  # nobody reads: the first write fails
        process = entry(vault, *args, stdout=write, stderr=subprocess.PIPE)
        os.close(write)
        _, err = process.communicate()
        assert (process.returncode, err) == (1, "")


def test_the_entry_point_writes_the_cache_and_runs_the_exit_handlers(make_vault) -> None:
    vault = make_vault(DUE_VAULT)
    prelude = ("import atexit, kizuna.cache\nkizuna.cache.RACY_NS = -10**18\n"
               "atexit.register(print, 'exit handler ran')")
    process = entry(vault, "due", "--json", prelude=prelude, stdout=subprocess.PIPE)
    out, _ = process.communicate()
    assert process.returncode == 0
    assert out.endswith("}\nexit handler ran\n")
    assert (vault / ".kizuna" / "cache.pickle").stat().st_size > 0


def test_the_entry_point_waits_for_a_running_thread_as_the_interpreter_does(make_vault) -> None:
    vault = make_vault(DUE_VAULT)
    # The thread speaks once the main thread has ended: only if the process waits for it.
    prelude = ("import threading, time\ndef later():\n"
               "    while threading.main_thread().is_alive():\n"
               "        time.sleep(0.01)\n    print('thread done')\n"
               "threading.Thread(target=later).start()")
    process = entry(vault, "check", prelude=prelude, stdout=subprocess.PIPE)
    out, _ = process.communicate()
    assert process.returncode == 0
    assert out.endswith("thread done\n")

