"""Settings, read once from the environment (see README, "Configuration")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_ZALO_API = "https://bot-api.zaloplatforms.com/bot"
# Far above anyone typing or pressing buttons, far below a script: 200 messages in 6 s are answered once.
DEFAULT_BURST_MESSAGES = 20


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

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        return cls(
            database_url=env.get("DATABASE_URL") or default_sqlite_url(),
            timezone=env.get("BOT_TIMEZONE") or "Asia/Ho_Chi_Minh",
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API,
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            port=int(env.get("PORT") or 8080),
            zalo_token=env.get("ZALO_BOT_TOKEN") or None,
            zalo_api_base_url=env.get("ZALO_API_BASE_URL") or DEFAULT_ZALO_API,
            invite_valid_days=int(env.get("INVITE_VALID_DAYS") or 7),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            burst_messages=int(env.get("BURST_MESSAGES") or DEFAULT_BURST_MESSAGES) or None,
            backoff_scale=float(env.get("BACKOFF_SCALE") or 1),
        )


def default_sqlite_url() -> str:
    data_dir = Path("data")
    data_dir.mkdir(exist_ok=True)
    return f"sqlite:///{data_dir / 'clubbot.sqlite3'}"
