"""`python -m bot …` for the tests: the same `main` the command runs, in this process.

A new interpreter costs about a second of imports on this machine, so the command-line tests call `main` with
the environment, working folder and output streams a process would have, and get what `subprocess.run`
gives. A few tests still start the real process (the settings errors, the console, the served bot), so the
entry point itself stays checked.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from bot.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
# Set in the developer's shell, they would make `python -m bot` serve instead of answering the command.
TOKENS = ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN")


@contextlib.contextmanager
def environment(values: Mapping[str, str], drop: tuple[str, ...] = TOKENS) -> Iterator[None]:
    saved = dict(os.environ)
    for name in drop:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(database_url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` on that database, run in `cwd` (the checkout by default)."""
    return run_main(args, {"DATABASE_URL": database_url}, cwd)


def run_main(args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    with environment(env), contextlib.chdir(cwd or ROOT):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse refusing the arguments
                code = stop.code if isinstance(stop.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "bot", *args], code, out.getvalue(), err.getvalue())
