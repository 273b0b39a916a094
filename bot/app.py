"""The composition root: settings, database, dispatcher with every command, and the channels."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.config import Settings
from handlers.dispatcher import Dispatcher
from handlers.registry import COMMANDS
from storage import conversations
from storage.db import Database
from storage.models import utcnow

PROCESSED_UPDATES_KEPT = timedelta(days=7)


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Telegram's URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def build_dispatcher(settings: Settings, migrate: bool = True) -> Dispatcher:
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    with db.transaction() as session:
        conversations.forget_processed_before(session, utcnow() - PROCESSED_UPDATES_KEPT)
    return Dispatcher(db, settings, COMMANDS)
