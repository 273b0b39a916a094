"""The Telegram channel: python-telegram-bot in front of the conversation core.

Every update becomes an `Incoming`; the dispatcher's replies go back as messages with inline buttons.
The handlers are registered in one ordered list in `build_application`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets

from aiohttp import web
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, MessageLimit
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest

from bot.channels import error_text, split_text
from bot.config import Settings
from bot.i18n import language
from bot.webhooks import Webhooks
from handlers.core import Document, Incoming, Reply
from handlers.dispatcher import Dispatcher
from handlers.members.xlsx import MAX_FILE_BYTES
from handlers.registry import COMMANDS, cancel_description

log = logging.getLogger(__name__)
CHANNEL = "telegram"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Kinds of message the bot cannot read, named so the core can say so.
UNSUPPORTED = ("sticker", "voice", "video", "video_note", "animation", "audio", "location",
               "contact", "poll", "dice", "venue", "story")


def file_base_url(api_base_url: str) -> str:
    """'https://api.telegram.org/bot' -> 'https://api.telegram.org/file/bot' (also for a self-hosted server)."""
    root = api_base_url[: -len("/bot")] if api_base_url.endswith("/bot") else api_base_url.rstrip("/")
    return f"{root}/file/bot"


def build_application(settings: Settings, dispatcher: Dispatcher, request: BaseRequest | None = None,
                      reminders: bool = False) -> Application:
    builder = (Application.builder()
               .token(settings.telegram_token)
               .base_url(settings.telegram_api_base_url)
               .base_file_url(file_base_url(settings.telegram_api_base_url))
               .rate_limiter(AIORateLimiter(max_retries=3))
               .post_init(set_command_menu))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if reminders:  # Telegram alone: the reminder job starts and stops with the Application
        builder = builder.post_init(menu_and_reminders).post_shutdown(stop_reminders)
    application = builder.build()
    application.bot_data["dispatcher"] = dispatcher
    application.add_handlers([
        CallbackQueryHandler(on_button),
        MessageHandler(filters.UpdateType.MESSAGE, on_message),
    ])
    application.add_error_handler(on_error)
    return application


def run_polling(settings: Settings, dispatcher: Dispatcher) -> None:
    log.info("Serving Telegram by long polling")
    application = build_application(settings, dispatcher, reminders=True)
    application.run_polling(allowed_updates=ALLOWED_UPDATES)


def add_webhook(application: Application, webhooks: Webhooks, settings: Settings) -> None:
    """Take updates at POST /telegram on the shared server, and tell Telegram that URL once it listens.

    The Application must be initialized and started; its updater is not used.
    """
    # Telegram sends back whatever secret we set; a random one per run does when none is configured.
    secret = settings.webhook_secret or secrets.token_urlsafe(32)

    async def on_delivery(request: web.Request) -> web.Response:
        sent = request.headers.get(SECRET_HEADER)
        if sent is None or not hmac.compare_digest(sent.encode(), secret.encode()):
            return web.Response(status=403)
        try:
            payload = await request.json()
        except ValueError:
            return web.Response(status=400)
        try:
            update = Update.de_json(payload, application.bot) if isinstance(payload, dict) else None
        except (KeyError, TypeError, AttributeError, ValueError):  # what python-telegram-bot raises on bad shapes
            update = None
        if update is None:
            return web.Response(status=400)
        # Handled before answering: if the process dies meanwhile, Telegram delivers the update again
        # (the dispatcher drops an update it has already processed).
        await application.process_update(update)
        return web.Response()

    async def register() -> None:
        await application.bot.set_webhook(settings.webhook_url.rstrip("/") + WEBHOOK_PATH, secret_token=secret,
                                          allowed_updates=ALLOWED_UPDATES)
        log.info("Serving Telegram by webhook")

    webhooks.add(WEBHOOK_PATH, on_delivery, register)


async def set_command_menu(application: Application) -> None:
    """The '/' menu in Telegram: Vietnamese by default, English for clients set to English."""
    for code in ("vi", "en"):
        with language(code):
            commands = [BotCommand(c.names[0], c.description()[:256]) for c in COMMANDS]
            commands.append(BotCommand("huy", cancel_description()))
        await application.bot.set_my_commands(commands, language_code=None if code == "vi" else code)


async def menu_and_reminders(application: Application) -> None:
    from bot.reminders import start_with_application

    await set_command_menu(application)
    await start_with_application(application)


async def stop_reminders(application: Application) -> None:
    from bot.reminders import stop_with_application

    await stop_with_application(application)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    incoming = _incoming(update, context, text=message.text or message.caption)
    if message.document is not None:
        incoming.document = await _download(message)
    elif message.photo:
        incoming.photo = message.photo[-1].file_id  # the largest size; kept by reference, never downloaded
    else:
        incoming.unsupported = next((kind for kind in UNSUPPORTED if getattr(message, kind, None)), None)
    await _answer(context, incoming, message)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    if (query.data or "").startswith("/"):  # a button that runs a command, e.g. "Open the report" in a reminder
        incoming = _incoming(update, context, text=query.data)
    else:
        incoming = _incoming(update, context, choice=query.data)
    if isinstance(query.message, Message):
        await _mark_chosen(query.message, query.data)
    await _answer(context, incoming, query.message if isinstance(query.message, Message) else None)


def _incoming(update: Update, context: ContextTypes.DEFAULT_TYPE, **content) -> Incoming:
    chat, user = update.effective_chat, update.effective_user
    return Incoming(channel=CHANNEL, chat_id=str(chat.id), user_id=str(user.id), user_name=user.full_name,
                    update_key=str(update.update_id), is_group=chat.type != ChatType.PRIVATE,
                    start_link=f"https://t.me/{context.bot.username}?start={{code}}", **content)


async def _download(message: Message) -> Document:
    document = message.document
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        return Document(document.file_name or "file", b"")  # the core says how large a file may be
    telegram_file = await document.get_file()
    return Document(document.file_name or "file", bytes(await telegram_file.download_as_bytearray()))


async def _mark_chosen(message: Message, value: str) -> None:
    """Take the buttons off the question and show what was picked, so a second tap does nothing."""
    labels = [button.text for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
              for button in row if button.callback_data == value]
    try:
        if labels and message.text:
            await message.edit_text(f"{message.text}\n\n→ {labels[0]}")
        else:
            await message.edit_reply_markup(None)
    except TelegramError:
        log.debug("Could not edit the question message", exc_info=True)


async def _answer(context: ContextTypes.DEFAULT_TYPE, incoming: Incoming, message: Message | None) -> None:
    dispatcher: Dispatcher = context.bot_data["dispatcher"]
    # The core talks to the database synchronously; a thread keeps the event loop free meanwhile.
    replies = await asyncio.to_thread(dispatcher.handle, incoming)
    reply_to = message.message_id if incoming.is_group and message is not None else None
    for reply in replies:
        if reply.chat_id is None:
            await send_reply(context, int(incoming.chat_id), reply, reply_to)
        else:
            await send_reply(context, int(reply.chat_id), reply, None)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(c.label, callback_data=c.value)] for c in reply.choices])


async def send_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, reply_to: int | None) -> None:
    if reply.document is not None:
        await context.bot.send_document(chat_id, reply.document.content, filename=reply.document.filename,
                                        caption=reply.text[:MessageLimit.CAPTION_LENGTH] or None)
        return
    pieces = split_text(reply.text, MessageLimit.MAX_TEXT_LENGTH)
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        await context.bot.send_message(chat_id, piece, reply_markup=keyboard(reply) if last else None,
                                       reply_to_message_id=reply_to if number == 0 else None)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The update itself is not logged: it holds names and amounts.
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, error_text(context.error))
    except TelegramError:
        log.warning("Could not tell the user about the error in update %s", update_id)
