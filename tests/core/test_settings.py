"""Settings read from the environment: a bad value is one clear line for the operator, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_BURST_MESSAGES, Settings, SettingsError
from tests.cli_support import run_main

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"DATABASE_URL": "sqlite:///:memory:"}

# Each bad value, with the start of the line that names it. Secrets and URLs (which may hold a password)
# are named without their value.
BAD = {
    "PORT": ("abc", "PORT=abc:"),
    "WEBHOOK_SECRET": ("no spaces or dots.", "WEBHOOK_SECRET:"),
    "INVITE_VALID_DAYS": ("x", "INVITE_VALID_DAYS=x:"),
    "LOG_LEVEL": ("NOISY", "LOG_LEVEL=NOISY:"),
    "BOT_TIMEZONE": ("Mars/Olympus_Mons", "BOT_TIMEZONE=Mars/Olympus_Mons:"),
    "BURST_MESSAGES": ("-1", "BURST_MESSAGES=-1:"),
    "BACKOFF_SCALE": ("none", "BACKOFF_SCALE=none:"),
    "TELEGRAM_READ_TIMEOUT": ("0", "TELEGRAM_READ_TIMEOUT=0:"),
    "DATABASE_URL": ("postgresql+psycopg://clubbot:s3cret@db:notaport/clubbot", "DATABASE_URL:"),
}


def problems_of(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as bad:
        Settings.from_env(env)
    return bad.value.problems


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_value_is_one_line_naming_the_variable(name):
    value, start = BAD[name]
    [problem] = problems_of({**GOOD, name: value})
    assert problem.startswith(start) and "\n" not in problem


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "70000"),
        ("PORT", "0"),
        ("INVITE_VALID_DAYS", "0"),
        ("WEBHOOK_SECRET", "x" * 257),
        ("WEBHOOK_SECRET", "bí_mật"),
        ("BOT_TIMEZONE", "../../etc/passwd"),
        ("DATABASE_URL", "nosuchdb://host/x"),
    ],
)
def test_values_out_of_range_are_refused_too(name, value):
    [problem] = problems_of({**GOOD, name: value})
    assert problem.startswith(name)


def test_every_bad_variable_is_reported_not_only_the_first():
    problems = problems_of({name: value for name, (value, _start) in BAD.items()})
    assert sorted(p.split(":")[0].split("=")[0] for p in problems) == sorted(BAD)


def test_secrets_and_database_urls_are_never_echoed():
    problems = problems_of({"WEBHOOK_SECRET": "hunter2 hunter2", "DATABASE_URL": BAD["DATABASE_URL"][0]})
    assert not any("hunter2" in p or "s3cret" in p for p in problems)


def test_good_values_and_defaults_are_read():
    settings = Settings.from_env(
        {
            **GOOD,
            "PORT": "8443",
            "WEBHOOK_SECRET": "A-z_0" * 51,
            "INVITE_VALID_DAYS": "3",
            "LOG_LEVEL": "debug",
            "BOT_TIMEZONE": "Asia/Bangkok",
            "BURST_MESSAGES": "0",
            "TELEGRAM_READ_TIMEOUT": "12.5",
        }
    )
    assert settings.telegram_read_timeout == 12.5
    assert (settings.port, settings.invite_valid_days, settings.log_level) == (8443, 3, "DEBUG")
    assert (settings.timezone, settings.burst_messages, len(settings.webhook_secret or "")) == (
        "Asia/Bangkok",
        None,
        255,
    )
    defaults = Settings.from_env(GOOD)
    assert (defaults.port, defaults.invite_valid_days, defaults.log_level) == (8080, 7, "INFO")
    assert (defaults.timezone, defaults.burst_messages) == ("Asia/Ho_Chi_Minh", DEFAULT_BURST_MESSAGES)
    assert defaults.telegram_read_timeout == 5.0


ALL_BAD = {name: value for name, (value, _start) in BAD.items()}


def assert_one_line_per_bad_variable(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert sorted(line.split(":")[0].split("=")[0] for line in done.stderr.splitlines()) == sorted(BAD)


def test_the_process_prints_one_line_per_bad_variable_and_exits_2():
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env={**os.environ, **ALL_BAD},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert_one_line_per_bad_variable(done)


@pytest.mark.parametrize(
    "command",
    [
        ["serve"],
        ["migrate"],
        ["clubs"],
        ["remind", "--dry-run"],
        ["backup"],
        ["export", "--club", "X"],
        ["report", "--club", "X"],
        ["demo"],
        ["console"],
    ],
)
def test_every_command_prints_one_line_per_bad_variable_and_exits_2(command):
    assert_one_line_per_bad_variable(run_main(command, ALL_BAD))


def test_reading_the_settings_makes_no_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({}).database_url.endswith("data/clubbot.sqlite3")
    assert not (tmp_path / "data").exists()  # the tests leave nothing in the checkout
