"""The Telegram channel: python-telegram-bot in front of the conversation core.

Every update becomes an `Incoming`; the dispatcher's replies go back as messages with inline buttons.
The handlers are registered in one ordered list in `build_application`. Updates come by long polling
(`polling`, which tells Telegram an update arrived only once it has been handled) or by webhook.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from telegram import BotCommand, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest

from bot import backoff
from bot.channels import error_text, split_text, unless_stopped
from bot.config import Settings
from bot.logs import keep_out_peoples_text
from bot.webhooks import Webhooks
from handlers.core import MAX_FILE_BYTES, Document, Incoming, Reply
from handlers.dispatcher import BACK, Dispatcher, back_label
from handlers.i18n import ARROW, language
from handlers.registry import COMMANDS, cancel_description

log = keep_out_peoples_text(logging.getLogger(__name__))
CHANNEL = "telegram"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Kinds of message the bot cannot read, named so the core can say so.
UNSUPPORTED = (
    "sticker",
    "voice",
    "video",
    "video_note",
    "animation",
    "audio",
    "location",
    "contact",
    "poll",
    "dice",
    "venue",
    "story",
)
POLL_TIMEOUT = 30  # seconds one getUpdates waits for news
POLL_READ_SLACK = 5  # seconds, on top of POLL_TIMEOUT, before a getUpdates that does not answer times out
POLL_RETRY_DELAY, POLL_MAX_RETRY_DELAY = 1.0, 60.0  # after a failed getUpdates: 1, 2, 4 … 60 s
# A reply that fails on the way (5xx, timeout, connection) is sent again after 0.5, 1, 2 and 4 s, then given up.
# 429 is not among these: AIORateLimiter waits the retry_after Telegram asks for and tries again itself.
SEND_ATTEMPTS, SEND_RETRY_DELAY = 5, 0.5
T = TypeVar("T")


def file_base_url(api_base_url: str) -> str:
    """'https://api.telegram.org/bot' -> 'https://api.telegram.org/file/bot' (also for a self-hosted server)."""
    root = api_base_url[: -len("/bot")] if api_base_url.endswith("/bot") else api_base_url.rstrip("/")
    return f"{root}/file/bot"


def build_application(
    settings: Settings,
    dispatcher: Dispatcher,
    request: BaseRequest | None = None,
    rate_limiter: AIORateLimiter | None = None,
) -> Application:
    builder = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        # Telegram's flood limits (30 messages a second, 20 a minute per group); a 429 is waited out and tried
        # again 3 times.
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        .updater(None)  # `polling` below fetches the updates
        .post_init(set_command_menu)
    )
    if request is None:
        builder = builder.read_timeout(settings.telegram_read_timeout)
    else:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    application.bot_data["dispatcher"] = dispatcher
    application.add_handlers(
        [
            CallbackQueryHandler(on_button),
            MessageHandler(filters.UpdateType.MESSAGE, on_message),
        ]
    )
    application.add_error_handler(on_error)
    return application


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[None]:
    """Long polling while inside; at the end, the update in hand is finished and answered first."""
    try:
        await application.bot.delete_webhook()  # getUpdates gets nothing while a webhook is set
    except TelegramError as error:
        log.warning("Could not remove the Telegram webhook (%s); polling anyway", type(error).__name__)
    stop = asyncio.Event()
    task = asyncio.create_task(poll(application, stop))
    log.info("Serving Telegram by long polling")
    try:
        yield
    finally:
        stop.set()
        await task


async def poll(application: Application, stop: asyncio.Event) -> None:
    """Fetch and handle updates until `stop` is set, telling Telegram an update arrived only once it is handled.

    python-telegram-bot's own Updater asks for the next offset (which is what tells Telegram the previous
    updates arrived) as soon as it has queued them, so a crash while handling would lose them. Here the next
    getUpdates goes out after the batch was handled: after a crash Telegram hands the unfinished updates over
    again, and the dispatcher skips those whose transaction had committed. Failures are retried, ever more slowly.
    """
    offset, failures = None, 0
    while not stop.is_set():
        try:
            batch = await unless_stopped(_fetch(application, offset, POLL_TIMEOUT), stop)
        except Exception as error:  # noqa: BLE001  (polling must outlive any one failure)
            failures += 1
            delay = backoff.pause(min(POLL_MAX_RETRY_DELAY, POLL_RETRY_DELAY * 2 ** (failures - 1)))
            if isinstance(error, RetryAfter):  # read as AIORateLimiter does: the public attribute warns in v22
                delay = max(delay, error._retry_after.total_seconds())  # noqa: SLF001
            log.warning("Telegram getUpdates failed (%s); trying again in %.0f s", type(error).__name__, delay)
            await unless_stopped(asyncio.sleep(delay), stop)
            continue
        failures = 0
        # One at a time, in the order they came: a person's answers must not overtake each other.
        for update_id, update in batch or ():
            if stop.is_set():
                break  # not handled, not confirmed: Telegram hands it over again after the restart
            if update is None:
                log.warning("Update %s could not be read; skipped", update_id)
            else:
                try:
                    await application.process_update(update)
                except Exception:  # noqa: BLE001  (handler errors reach on_error; this is anything else)
                    log.exception("Update %s could not be handled; going on with the next", update_id)
            offset = update_id + 1
    if offset is not None:
        await _confirm(application, offset)


async def _fetch(application: Application, offset: int | None, timeout: int) -> list[tuple[int, Update | None]]:
    """getUpdates, each update read on its own: (update id, the Update, or None when it cannot be read).

    `Bot.get_updates` reads the whole batch at once, so one update it cannot read (one without `date` was seen)
    failed every call and nobody was answered again; it also logs the batch, names and amounts included, at
    CRITICAL. Updates without a numeric id are left out: the next id confirms them anyway.
    """
    raw = await application.bot._post(  # noqa: SLF001  (the raw answer, before python-telegram-bot reads it)
        "getUpdates",
        {"offset": offset, "timeout": timeout, "allowed_updates": ALLOWED_UPDATES},
        read_timeout=timeout + POLL_READ_SLACK,
    )
    batch = []
    for data in raw if isinstance(raw, list) else ():
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            batch.append((update_id, read_update(data, application.bot)))
    return batch


def read_update(data: object, bot) -> Update | None:
    """The Update in `data`; None when python-telegram-bot cannot read it (a missing or malformed field)."""
    try:
        return Update.de_json(data, bot) if isinstance(data, dict) else None
    except (KeyError, TypeError, AttributeError, ValueError):  # what python-telegram-bot raises on bad shapes
        return None


async def _confirm(application: Application, offset: int) -> None:
    """Tell Telegram the handled updates arrived, so a restart does not fetch them again (they would be skipped)."""
    try:
        await _fetch(application, offset, 0)
    except TelegramError as error:
        log.warning(
            "Could not confirm the last updates (%s); they will be fetched again and skipped", type(error).__name__
        )


def add_webhook(application: Application, webhooks: Webhooks, settings: Settings) -> None:
    """Take updates at POST /telegram on the shared server, and tell Telegram that URL once it listens.

    The Application must be initialized and started; its updater is not used.
    """
    # Telegram sends back whatever secret we set; a random one per run does when none is configured.
    secret = settings.webhook_secret or secrets.token_urlsafe(32)

    async def on_delivery(request: Request) -> Response:
        # Checked on every request: only Telegram knows the secret, so nobody else can speak for a user.
        sent = request.headers.get(SECRET_HEADER)
        if sent is None or not hmac.compare_digest(sent.encode(), secret.encode()):
            return Response(status_code=403)
        try:
            payload = await request.json()
        except ValueError:  # not JSON, or not UTF-8
            return Response(status_code=400)
        update_id = payload.get("update_id") if isinstance(payload, dict) else None
        if not isinstance(update_id, int):
            return Response(status_code=400)  # not an update at all
        update = read_update(payload, application.bot)
        if update is None:
            # Acknowledged, or Telegram would send it again and again, holding back the updates behind it.
            log.warning("Update %s could not be read; skipped", update_id)
            return Response()
        # Handled before answering: if the process dies meanwhile, Telegram delivers the update again
        # (the dispatcher drops an update it has already processed).
        await application.process_update(update)
        return Response()

    async def register() -> None:
        await application.bot.set_webhook(
            settings.webhook_url.rstrip("/") + WEBHOOK_PATH, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info("Serving Telegram by webhook")

    webhooks.add(WEBHOOK_PATH, on_delivery, register)


async def set_command_menu(application: Application) -> None:
    """The '/' menu in Telegram: Vietnamese by default, English for clients set to English."""
    for code in ("vi", "en"):
        with language(code):
            commands = [BotCommand(c.names[0], c.description()[:256]) for c in COMMANDS]
            commands.append(BotCommand("huy", cancel_description()))
        await application.bot.set_my_commands(commands, language_code=None if code == "vi" else code)


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
    if (query.data or "").startswith("/"):  # a button that runs a command, e.g. "Open the report" in a reminder
        incoming = _incoming(update, context, text=query.data)
    else:
        incoming = _incoming(update, context, choice=query.data)
    message = query.message if isinstance(query.message, Message) else None
    # A round trip to Telegram that the answer does not need: made while the dispatcher works, not before.
    stopping_spinner = asyncio.create_task(_stop_spinner(query))
    await _answer(context, incoming, message, pressed=query.data or "", after=stopping_spinner)


async def _stop_spinner(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError:
        log.debug("Could not answer the callback query", exc_info=True)


def _incoming(update: Update, context: ContextTypes.DEFAULT_TYPE, **content) -> Incoming:
    chat, user = update.effective_chat, update.effective_user
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat.id),
        user_id=str(user.id),
        user_name=user.full_name,
        update_key=str(update.update_id),
        is_group=chat.type != ChatType.PRIVATE,
        start_link=f"https://t.me/{context.bot.username}?start={{code}}",
        buttons=True,
        **content,
    )


async def _download(message: Message) -> Document:
    document = message.document
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        return Document(document.file_name or "file", b"")  # the core says how large a file may be
    telegram_file = await document.get_file()
    return Document(document.file_name or "file", bytes(await telegram_file.download_as_bytearray()))


async def _mark_chosen(message: Message, value: str, replies: list[Reply]) -> list[Reply]:
    """Take the buttons off the question and show what was picked, so a second tap does nothing; a flow's
    last word goes under it (`Reply.ends_flow`), rather than in a message of its own. The replies left to send."""
    labels = [
        button.text
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        for button in row
        if button.callback_data == value
    ]
    marked = f"{message.text}\n\n{ARROW} {labels[0]}" if labels and message.text else None
    last_word = replies[0].text if replies and replies[0].ends_flow and replies[0].chat_id is None else ""
    folded = bool(marked and last_word and len(marked) + 1 + len(last_word) <= MessageLimit.MAX_TEXT_LENGTH)
    try:
        if marked:
            await message.edit_text(f"{marked}\n{last_word}" if folded else marked)
        else:
            await message.edit_reply_markup(None)
    except TelegramError:
        log.debug("Could not edit the question message", exc_info=True)
        return replies  # the last word is sent after all
    return replies[1:] if folded else replies


async def _answer(
    context: ContextTypes.DEFAULT_TYPE,
    incoming: Incoming,
    message: Message | None,
    pressed: str | None = None,
    after: asyncio.Task | None = None,
) -> None:
    """Hand `incoming` to the dispatcher and send its replies; for a button `pressed` on `message`, once that
    question shows the choice (`_mark_chosen`) and `after` is done, so that the next question never comes
    before the buttons of the last one are gone."""
    dispatcher: Dispatcher = context.bot_data["dispatcher"]
    # The core talks to the database synchronously; a thread keeps the event loop free meanwhile.
    try:
        replies = await asyncio.to_thread(dispatcher.handle, incoming)
        if pressed is not None and message is not None:
            replies = await _mark_chosen(message, pressed, replies)
    finally:
        if after is not None:
            await after
    reply_to = message.message_id if incoming.is_group and message is not None else None
    for reply in replies:
        if reply.chat_id is None:
            await send_reply(context, int(incoming.chat_id), reply, reply_to)
        else:
            await send_reply(context, int(reply.chat_id), reply, None)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(c.label, callback_data=c.value)] for c in reply.choices]
    if reply.back:
        rows.append([InlineKeyboardButton(back_label(), callback_data=BACK)])
    return InlineKeyboardMarkup(rows) if rows else None


async def send_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, reply_to: int | None) -> None:
    bot = context.bot
    if reply.document is not None:
        await with_retries(
            lambda: bot.send_document(
                chat_id,
                reply.document.content,
                filename=reply.document.filename,
                caption=reply.text[: MessageLimit.CAPTION_LENGTH] or None,
            )
        )
        return
    if reply.photo is not None:  # shown inline on the phone, where a document would wait to be downloaded
        await with_retries(
            lambda: bot.send_photo(
                chat_id,
                reply.photo.content,
                filename=reply.photo.filename,
                caption=reply.text[: MessageLimit.CAPTION_LENGTH] or None,
            )
        )
        return
    pieces = split_text(reply.text, MessageLimit.MAX_TEXT_LENGTH)
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        await with_retries(
            partial(
                bot.send_message,
                chat_id,
                piece,
                reply_markup=keyboard(reply) if last else None,
                reply_to_message_id=reply_to if number == 0 else None,
            )
        )


async def with_retries(send: Callable[[], Awaitable[T]]) -> T:
    """`send()`, tried again with growing pauses while Telegram fails on the way (5xx, timeout, no connection).

    A timeout can come after Telegram delivered the message, and then the person gets it twice. We accept that:
    the answer was written after the transaction committed, so a copy repeats words, never a write, while a lost
    "saved" answer could make the person enter the same money again.
    """
    delay = backoff.pause(SEND_RETRY_DELAY)
    for _attempt in range(SEND_ATTEMPTS - 1):
        try:
            return await send()
        except BadRequest:
            raise  # Telegram refused the message itself: sending it again changes nothing
        except NetworkError as error:
            log.warning("Sending failed (%s); trying again in %.1f s", type(error).__name__, delay)
            await asyncio.sleep(delay)
            delay *= 2
    return await send()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The update itself is not logged: it holds names and amounts.
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await with_retries(lambda: context.bot.send_message(update.effective_chat.id, error_text(context.error)))
    except TelegramError:
        log.warning("Could not tell the user about the error in update %s", update_id)
