"""The composition root: settings, database, dispatcher with every command, and the channels."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from bot import backoff
from bot.config import Settings
from bot.logs import WITHOUT_PEOPLES_TEXT
from bot.renderers import render
from handlers.dispatcher import Dispatcher
from handlers.registry import COMMANDS
from storage import conversations
from storage.db import Database
from storage.models import utcnow

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.webhooks import Webhooks

log = logging.getLogger(__name__)
PROCESSED_UPDATES_KEPT = timedelta(days=7)


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:  # the libraries' tracebacks too (python-telegram-bot, uvicorn)
        handler.addFilter(WITHOUT_PEOPLES_TEXT)
    # httpx logs every request URL at INFO, and Telegram's URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # python-telegram-bot logs every request with its parameters at DEBUG: the texts of every message sent.
    logging.getLogger("telegram").setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # uvicorn's start-up lines ("Press CTRL+C to quit") say nothing useful here, nor APScheduler's line for
    # every run of every job (leader election runs every few seconds); their warnings and errors still show.
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # The report's libraries speak at INFO of fonts and images: on the console those lines fell between the
    # bot's answers.
    for library in ("matplotlib", "PIL", "openpyxl"):
        logging.getLogger(library).setLevel(logging.WARNING)


def build_dispatcher(settings: Settings, migrate: bool = True) -> Dispatcher:
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    with db.transaction() as session:
        conversations.forget_processed_before(session, utcnow() - PROCESSED_UPDATES_KEPT)
    return Dispatcher(db, settings, COMMANDS, render=render)


def serve_channels(settings: Settings, dispatcher: Dispatcher) -> None:
    """Serve every channel that has a token, from this one process and database."""
    backoff.set_scale(settings.backoff_scale)
    asyncio.run(serve_together(settings, dispatcher))


async def serve_together(settings: Settings, dispatcher: Dispatcher) -> None:
    """Every channel with a token, side by side in one event loop until SIGINT or SIGTERM.

    With WEBHOOK_URL set, they all receive on one web server on PORT, which also answers GET /healthz.
    """
    from bot import zalo_channel
    from bot.webhooks import Webhooks

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    from bot import reminders

    webhooks = Webhooks(dispatcher.db) if settings.webhook_url else None
    async with AsyncExitStack() as channels:
        senders: dict[str, reminders.Sender] = {}
        if settings.telegram_token:
            application = await channels.enter_async_context(telegram_running(settings, dispatcher, webhooks))
            senders["telegram"] = reminders.TelegramSender(application.bot)
        if settings.zalo_token:
            zalo = await channels.enter_async_context(zalo_channel.serving(settings, dispatcher, webhooks))
            senders["zalo"] = reminders.ZaloSender(zalo)
        if webhooks is not None:
            # Entered after the channels, so at a stop it closes first and no update arrives at a stopped channel.
            await channels.enter_async_context(webhooks.serving(settings.port))
        await channels.enter_async_context(reminders.running(dispatcher.db, settings.timezone, senders))
        await stop.wait()
        log.info("Stopping")  # each channel finishes the message in hand; they stop in reverse order
    log.info("Stopped")


@asynccontextmanager
async def telegram_running(
    settings: Settings, dispatcher: Dispatcher, webhooks: Webhooks | None = None
) -> AsyncIterator[Application]:
    """python-telegram-bot's Application started step by step (what run_polling does), to share the loop.

    It receives on `webhooks` when given (the webhook is left registered at a stop: the next start sets it
    again, and Telegram keeps the updates meanwhile), by our own long polling otherwise (see `polling`).
    """
    from bot.telegram_channel import add_webhook, build_application, polling

    application = build_application(settings, dispatcher)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)  # the command menu, as run_polling would set it
    await application.start()
    try:
        if webhooks is not None:
            add_webhook(application, webhooks, settings)
            yield application
        else:
            async with polling(application):
                yield application
    finally:
        await application.stop()
        await application.shutdown()
