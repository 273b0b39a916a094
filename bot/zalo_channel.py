"""The Zalo channel: the Zalo Bot Platform's HTTP API (modelled on Telegram's) in front of the conversation core.

Zalo has no buttons, no message editing and no files. Choices go out as a numbered list, answered by number
or label as everywhere; replies longer than 2,000 characters are cut at line ends; a file is replaced by its
text and a note on where to get it. Messages come by long polling (`getUpdates` hands over one event per
call and has no offset) or, when WEBHOOK_URL is set, by a webhook that must carry our secret.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import Response

from bot import backoff
from bot.channels import error_text, split_text, unless_stopped
from bot.config import Settings
from bot.console import render
from bot.logs import keep_out_peoples_text
from bot.webhooks import Webhooks
from handlers.core import Incoming, Reply
from handlers.dispatcher import Dispatcher
from handlers.i18n import _

log = keep_out_peoples_text(logging.getLogger(__name__))

CHANNEL = "zalo"
MAX_TEXT = 2000  # Zalo's limit for one message
POLL_TIMEOUT = 30  # seconds getUpdates waits for a message
NOTHING_NEW = 408  # getUpdates' error code when no message came within the timeout
SECRET_HEADER = "X-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/zalo"
TEXT_EVENT = "message.text.received"


class ZaloApiError(Exception):
    def __init__(self, method: str, code: int | None, description: str | None):
        super().__init__(f"{method}: {code} {description or ''}".strip())
        self.code = code


class ZaloApi:
    """The Zalo Bot API methods the bot uses. Every URL holds the token, so URLs are never logged."""

    def __init__(self, token: str, base_url: str, poll_timeout: int = POLL_TIMEOUT):
        self._url = f"{base_url}{token}/"
        self.poll_timeout = poll_timeout
        # A long poll holds the read open for up to `poll_timeout` seconds.
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(10, read=poll_timeout + 10))

    async def call(self, method: str, **params: Any) -> Any:
        response = await self._client.post(self._url + method, json=params)
        try:
            body = response.json()
        except ValueError:
            raise ZaloApiError(method, response.status_code, "the answer is not JSON") from None
        if not isinstance(body, dict) or not body.get("ok"):
            body = body if isinstance(body, dict) else {}
            raise ZaloApiError(method, body.get("error_code") or response.status_code, body.get("description"))
        return body.get("result")

    async def get_updates(self) -> list[dict]:
        """The events that arrived (Zalo hands over one per call); [] when none came in `poll_timeout`."""
        try:
            result = await self.call("getUpdates", timeout=str(self.poll_timeout))
        except ZaloApiError as error:
            if error.code == NOTHING_NEW:
                return []
            raise
        if isinstance(result, list):
            return [event for event in result if isinstance(event, dict)]
        return [result] if isinstance(result, dict) and result else []

    async def send_message(self, chat_id: str, text: str) -> None:
        await self.call("sendMessage", chat_id=chat_id, text=text)

    async def close(self) -> None:
        await self._client.aclose()


def incoming_from(event: dict) -> Incoming | None:
    """The `Incoming` for a Zalo event; None for events that are not a person's message."""
    message = event.get("message") or {}
    sender, chat = message.get("from") or {}, message.get("chat") or {}
    if not (sender.get("id") and chat.get("id")) or sender.get("is_bot"):
        return None
    # "message.sticker.received" -> "sticker": anything but text is named, so the core can say it cannot read it.
    kind = str(event.get("event_name") or "").removeprefix("message.").removesuffix(".received") or "unsupported"
    is_text = event.get("event_name") == TEXT_EVENT
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat["id"]),
        user_id=str(sender["id"]),
        user_name=sender.get("display_name") or sender.get("first_name") or "",
        text=message.get("text") if is_text else None,
        unsupported=None if is_text else kind,
        update_key=str(message["message_id"]) if message.get("message_id") else None,
        is_group=chat.get("chat_type") == "GROUP",
    )


def message_id_of(event: dict) -> str | None:
    """The message id of an event that may be of any shape, for the log: the only part of it logged."""
    message = event.get("message")
    message_id = message.get("message_id") if isinstance(message, dict) else None
    return str(message_id)[:40] if isinstance(message_id, (str, int)) else None


def reply_text(reply: Reply) -> str:
    """The reply as Zalo shows it: choices numbered under the text, a file replaced by a note."""
    text = render(reply)
    for attached in (reply.document, reply.photo):
        if attached is not None:
            text += "\n\n" + _(
                "(Zalo cannot carry files. Get {filename} from the bot on Telegram, "
                "or with python -m bot on the command line.)"
            ).format(filename=attached.filename)
    return text


def describe(error: BaseException) -> str:
    """An error, for the log, without the request URL (it holds the token)."""
    return str(error) if isinstance(error, ZaloApiError) else type(error).__name__


class ZaloChannel:
    def __init__(self, api: ZaloApi, dispatcher: Dispatcher, retry_delay: float = 1.0, max_retry_delay: float = 60.0):
        self.api = api
        self.dispatcher = dispatcher
        self.retry_delay, self.max_retry_delay = retry_delay, max_retry_delay

    async def handle_event(self, event: dict) -> None:
        try:
            incoming = incoming_from(event)
        except (AttributeError, TypeError, KeyError, ValueError):  # a field of the wrong shape
            # Skipped and, by returning, acknowledged: it would fail the same way every time it came again.
            log.warning("Zalo message %s could not be read; skipped", message_id_of(event))
            return
        if incoming is None:
            return
        try:
            # The core talks to the database synchronously; a thread keeps the event loop free meanwhile.
            replies = await asyncio.to_thread(self.dispatcher.handle, incoming)
        except Exception as error:  # noqa: BLE001  (the person is told; the message itself is not logged)
            log.error("Error while handling Zalo message %s", incoming.update_key, exc_info=error)
            replies = [Reply(error_text(error))]
        try:
            for reply in replies:
                await self.send_reply(reply.chat_id or incoming.chat_id, reply)
        except (httpx.HTTPError, ZaloApiError) as error:
            log.warning("Could not answer Zalo message %s: %s", incoming.update_key, describe(error))

    async def send_reply(self, chat_id: str, reply: Reply) -> None:
        for piece in split_text(reply_text(reply), MAX_TEXT):
            await self.api.send_message(chat_id, piece)

    # --- long polling -------------------------------------------------------------------------------------

    async def poll(self, stop: asyncio.Event) -> None:
        """Fetch and handle events until `stop` is set. Errors are logged and retried, ever more slowly."""
        failures = 0
        while not stop.is_set():
            try:
                events = await unless_stopped(self.api.get_updates(), stop)
            except Exception as error:  # noqa: BLE001  (polling must outlive any one failure)
                failures += 1
                delay = backoff.pause(min(self.max_retry_delay, self.retry_delay * 2 ** (failures - 1)))
                log.warning(
                    "Zalo getUpdates failed (%s); trying again in %.0f s",
                    describe(error),
                    delay,
                    exc_info=log.isEnabledFor(logging.DEBUG),
                )
                await unless_stopped(asyncio.sleep(delay), stop)
                continue
            failures = 0
            # One at a time, in the order they came: a person's answers must not overtake each other.
            for event in events or ():
                await self.handle_event(event)

    @asynccontextmanager
    async def polling(self) -> AsyncIterator[None]:
        try:
            await self.api.call("deleteWebhook")  # getUpdates gets nothing while a webhook is set
        except (httpx.HTTPError, ZaloApiError) as error:
            log.warning("Could not remove the Zalo webhook (%s); polling anyway", describe(error))
        stop = asyncio.Event()
        task = asyncio.create_task(self.poll(stop))
        log.info("Serving Zalo by long polling")
        try:
            yield
        finally:
            stop.set()  # a message being handled is finished and answered first
            await task

    # --- webhook ------------------------------------------------------------------------------------------

    async def accept_webhook(self, secret_sent: str | None, body: bytes, secret: str) -> int:
        """Handle one webhook delivery; the HTTP status to answer Zalo with."""
        if secret_sent is None or not hmac.compare_digest(secret_sent.encode(), secret.encode()):
            return 403
        try:
            payload = json.loads(body)
        except ValueError:
            return 400
        if not isinstance(payload, dict):
            return 400
        # Deliveries carry the event itself or, like getUpdates, wrapped in {"ok": …, "result": event}.
        await self.handle_event(payload["result"] if isinstance(payload.get("result"), dict) else payload)
        return 200

    def add_webhook(self, webhooks: Webhooks, settings: Settings) -> None:
        """Take deliveries at POST /zalo on the shared server, and tell Zalo that URL once it listens."""
        # Zalo sends back whatever secret we set; a random one per run does when none is configured.
        secret = settings.webhook_secret or secrets.token_urlsafe(32)

        async def on_delivery(request: Request) -> Response:
            return Response(
                status_code=await self.accept_webhook(request.headers.get(SECRET_HEADER), await request.body(), secret)
            )

        async def register() -> None:
            try:
                await self.api.call(
                    "setWebhook", url=settings.webhook_url.rstrip("/") + WEBHOOK_PATH, secret_token=secret
                )
                log.info("Serving Zalo by webhook")
            except (httpx.HTTPError, ZaloApiError) as error:
                log.error("Zalo did not accept the webhook (%s): no Zalo messages will arrive", describe(error))

        webhooks.add(WEBHOOK_PATH, on_delivery, register)


@asynccontextmanager
async def serving(
    settings: Settings, dispatcher: Dispatcher, webhooks: Webhooks | None = None
) -> AsyncIterator[ZaloChannel]:
    """The Zalo channel, receiving on `webhooks` in webhook mode (WEBHOOK_URL set), by long polling otherwise."""
    channel = ZaloChannel(ZaloApi(settings.zalo_token, settings.zalo_api_base_url), dispatcher)
    try:
        if webhooks is not None:
            channel.add_webhook(webhooks, settings)
            yield channel
        else:
            async with channel.polling():
                yield channel
    finally:
        await channel.api.close()
