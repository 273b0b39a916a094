"""Settings, read once from the environment (see README, "Configuration")."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from handlers.i18n import _

DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_ZALO_API = "https://bot-api.zaloplatforms.com/bot"
# Far above anyone typing or pressing buttons, far below a script: 200 messages in 6 s are answered once.
DEFAULT_BURST_MESSAGES = 20
# What Telegram accepts as a webhook's secret_token: anything else and setWebhook fails at start-up.
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Long enough to recognise a mistyped value, short enough to keep each problem on one line.
SHOWN_VALUE = 40

T = TypeVar("T")


class SettingsError(Exception):
    """Settings the process cannot run with: one line for operators per bad variable."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    database_url: str
    timezone: str = "Asia/Ho_Chi_Minh"
    telegram_token: str | None = None
    telegram_api_base_url: str = DEFAULT_TELEGRAM_API
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8080
    zalo_token: str | None = None
    zalo_api_base_url: str = DEFAULT_ZALO_API
    invite_valid_days: int = 7
    log_level: str = "INFO"
    # At most this many messages per chat in limits.BURST_WINDOW; None: no limit, as for Settings built in code
    # (tests send faster than any person). The process reads BURST_MESSAGES (default 20; 0 turns it off).
    burst_messages: int | None = None
    # Multiplies every pause before trying again (bot/backoff.py); the process reads BACKOFF_SCALE (default 1).
    backoff_scale: float = 1.0
    # How long a Bot API call waits for Telegram's answer before it is tried again (python-telegram-bot's
    # default); the process reads TELEGRAM_READ_TIMEOUT. A slow rural connection may want more.
    telegram_read_timeout: float = 5.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """The settings in `env` (default: the process's environment); SettingsError lists every bad one."""
        env = dict(os.environ if env is None else env)
        problems: list[str] = []
        read = _Reader(env, problems)
        settings = cls(
            database_url=read("DATABASE_URL", _database_url, None) or default_sqlite_url(),
            timezone=read("BOT_TIMEZONE", _timezone, "Asia/Ho_Chi_Minh"),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API,
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=read("WEBHOOK_SECRET", _webhook_secret, None),
            port=read("PORT", _port, 8080),
            zalo_token=env.get("ZALO_BOT_TOKEN") or None,
            zalo_api_base_url=env.get("ZALO_API_BASE_URL") or DEFAULT_ZALO_API,
            invite_valid_days=read("INVITE_VALID_DAYS", _whole_from(1), 7),
            log_level=read("LOG_LEVEL", _log_level, "INFO"),
            burst_messages=read("BURST_MESSAGES", _whole_from(0), DEFAULT_BURST_MESSAGES) or None,
            backoff_scale=read("BACKOFF_SCALE", _scale, 1.0),
            telegram_read_timeout=read("TELEGRAM_READ_TIMEOUT", _scale, 5.0),
        )
        if problems:
            raise SettingsError(problems)
        return settings


class _Reader:
    """Reads one variable with its parser; an empty or missing one gives the default. A bad value is noted in
    `problems` (the parser's message, prefixed with the variable) and the default stands in, so every bad
    variable is reported at once rather than the first only."""

    def __init__(self, env: dict[str, str], problems: list[str]):
        self.env, self.problems = env, problems

    def __call__(self, name: str, parse: Callable[[str, str], T], default: T) -> T:
        raw = self.env.get(name) or ""
        if not raw:
            return default
        try:
            return parse(name, raw)
        except ValueError as problem:
            self.problems.append(str(problem))
            return default


def _shown(name: str, raw: str) -> str:
    """`NAME=value` as the operator typed it, cut short."""
    value = raw if len(raw) <= SHOWN_VALUE else raw[:SHOWN_VALUE] + "..."
    return f"{name}={value}"


def _whole_number(name: str, raw: str, least: int, most: int | None = None) -> int:
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is not None and number >= least and (most is None or number <= most):
        return number
    if most is None:
        raise ValueError(
            _("{setting}: expected a whole number, {least} or more.").format(setting=_shown(name, raw), least=least)
        )
    raise ValueError(
        _("{setting}: expected a whole number from {least} to {most}.").format(
            setting=_shown(name, raw), least=least, most=most
        )
    )


def _whole_from(least: int) -> Callable[[str, str], int]:
    return lambda name, raw: _whole_number(name, raw, least)


def _port(name: str, raw: str) -> int:
    return _whole_number(name, raw, 1, 65535)


def _webhook_secret(name: str, raw: str) -> str:
    if WEBHOOK_SECRET_PATTERN.fullmatch(raw):
        return raw
    # The value is a secret: never shown.
    raise ValueError(
        _("{name}: Telegram accepts 1 to 256 characters, each a letter A-Z or a-z, a digit, _ or -.").format(name=name)
    )


def _scale(name: str, raw: str) -> float:
    try:
        scale = float(raw)
    except ValueError:
        scale = -1.0
    if scale > 0:
        return scale
    raise ValueError(_("{setting}: expected a number above 0, such as 1 or 0.2.").format(setting=_shown(name, raw)))


def _log_level(name: str, raw: str) -> str:
    level = raw.upper()
    if level in logging.getLevelNamesMapping():
        return level
    raise ValueError(
        _("{setting}: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL.").format(setting=_shown(name, raw))
    )


def _timezone(name: str, raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("{setting}: not a time zone known here (such as Asia/Ho_Chi_Minh).").format(setting=_shown(name, raw))
        ) from None
    return raw


def _database_url(name: str, raw: str) -> str:
    try:
        make_url(raw).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        # The value may hold a password: never shown.
        raise ValueError(
            _(
                "{name}: SQLAlchemy cannot read it as a database URL "
                "(such as sqlite:///data/clubbot.sqlite3 or postgresql+psycopg://user@host/clubbot)."
            ).format(name=name)
        ) from None
    return raw


def default_sqlite_url() -> str:
    return f"sqlite:///{Path('data') / 'clubbot.sqlite3'}"
