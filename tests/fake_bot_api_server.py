"""A small Bot API server on loopback, for running the real `python -m bot` process against.

It speaks enough of Telegram's HTTP protocol (JSON shapes, dates in seconds) for python-telegram-bot:
getMe, getUpdates (long polling), sendMessage, editMessageText, editMessageReplyMarkup,
answerCallbackQuery, sendDocument, sendPhoto, setMyCommands, setWebhook, deleteWebhook, getFile. The test
plays the users: it queues their messages and button presses (handed over by getUpdates, or POSTed to the
bot's webhook with `deliver`, or one at a time, to one process or several, with `post_update`), and
waits for what the bot sends back.

Faults are injected per method: `fail_next` answers the next calls with an error status (429 with retry_after,
500, 502…) or late (past the client's timeout), `hold_next` keeps a call waiting until `release`; `attempts`
keeps the time of every call, to check the pauses between retries.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http import HTTPStatus

import aiohttp
from aiohttp import web

BOT = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Club bot",
    "username": "ClubE2EBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Sent:
    method: str
    params: dict
    message: dict


@dataclass
class Fault:
    """How one call is answered instead of normally."""

    status: int = 500
    retry_after: int | None = None  # sent with a 429, as Telegram does
    delay: float = 0.0  # seconds before answering; longer than the client's read timeout makes it time out
    delivered: bool = False  # a late answer to a call that was carried out (the message did arrive)
    held: bool = False  # waits for `release()`, then fails: the call never reached Telegram


@dataclass
class FakeBotApiServer:
    updates: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    webhook: dict | None = None  # the parameters of the last setWebhook

    def __post_init__(self):
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(5000)
        self._new_update = asyncio.Event()
        self._new_sent = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._since = 0  # replies are looked for among messages sent after the last user action
        self.port = 0
        self.attempts: list[tuple[str, float]] = []  # (method, monotonic time it arrived), failed calls too
        self._faults: dict[str, list[Fault]] = defaultdict(list)
        self._holding = asyncio.Event()
        self._released = asyncio.Event()
        self._stopping = False
        self._stopped = asyncio.Event()

    # --- the server -------------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        # A long poll in hand would hold the clean-up for its whole wait: it is answered (empty) at once.
        # So is a late answer being held back: the client that waited for it has given up long ago.
        self._stopping = True
        self._new_update.set()
        self._stopped.set()
        if self._runner:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        self.calls.append(method)
        self.attempts.append((method, time.monotonic()))
        fault = self._faults[method].pop(0) if self._faults[method] else None
        if fault is not None and not fault.delivered:
            return await self._fail(fault)
        if method == "getUpdates":
            result = await self._get_updates(int(params.get("offset", 0)), float(params.get("timeout", 0)))
        else:
            result = self._answer(method, params)
        if fault is not None:
            await self._pause(fault.delay)
        return web.json_response({"ok": True, "result": result})

    async def _fail(self, fault: Fault) -> web.Response:
        if fault.held:
            self._holding.set()
            await self._released.wait()
        await self._pause(fault.delay)
        body = {"ok": False, "error_code": fault.status, "description": HTTPStatus(fault.status).phrase}
        if fault.retry_after is not None:
            body["parameters"] = {"retry_after": fault.retry_after}
        return web.json_response(body, status=fault.status)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopped.wait(), seconds)
        except TimeoutError:
            pass

    async def _get_updates(self, offset: int, timeout: float) -> list[dict]:
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout and not self._stopping:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), min(timeout, 2))
            except TimeoutError:
                pass
        return list(self.updates)

    def _answer(self, method: str, params: dict):
        if method == "getMe":
            return BOT
        if method == "setWebhook":
            self.webhook = params
            return True
        if method in ("sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params.get("chat_id", 0))
            markup = params.get("reply_markup")
            message = {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT,
                "text": params.get("text") or params.get("caption") or "",
            }
            if markup:
                message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
            self.sent.append(Sent(method, params, message))
            self._new_sent.set()
            return message
        return True

    # --- faults -----------------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        times: int = 1,
        status: int = 500,
        retry_after: int | None = None,
        delay: float = 0.0,
        delivered: bool = False,
    ) -> None:
        self._faults[method] += [Fault(status, retry_after, delay, delivered) for _ in range(times)]

    def hold_next(self, method: str) -> None:
        self._released.clear()
        self._holding.clear()
        self._faults[method].append(Fault(status=502, held=True))

    async def until_holding(self, timeout: float = 20) -> None:
        """Wait until a held call has arrived."""
        await asyncio.wait_for(self._holding.wait(), timeout)

    def release(self) -> None:
        self._released.set()

    def attempt_times(self, method: str) -> list[float]:
        return [at for called, at in self.attempts if called == method]

    # --- the users ----------------------------------------------------------------------------------------

    def _queue(self, update: dict) -> None:
        self._since = len(self.sent)
        self.updates.append({"update_id": next(self._ids), **update})
        self._new_update.set()

    def deliver_last_again(self) -> None:
        """Queue the last update a second time, same update_id: Telegram delivering it twice."""
        self.updates.append(dict(self.updates[-1]))
        self._new_update.set()

    def user_says(self, user_id: int, name: str, text: str) -> None:
        person = {"id": user_id, "is_bot": False, "first_name": name}
        self._queue(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private", "first_name": name},
                    "from": person,
                    "text": text,
                }
            }
        )

    def user_sends_unreadable(self, user_id: int, name: str, text: str) -> int:
        """A message as Telegram once sent one, without `date`, which python-telegram-bot cannot read; its id."""
        self.user_says(user_id, name, text)
        del self.updates[-1]["message"]["date"]
        return self.updates[-1]["update_id"]

    def user_presses(self, user_id: int, name: str, label: str) -> None:
        message = self.last_to(user_id)
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row if label in b["text"]]
        assert buttons, f"no button {label!r} in the bot's last message"
        self._queue(
            {
                "callback_query": {
                    "id": str(next(self._ids)),
                    "chat_instance": "e2e",
                    "from": {"id": user_id, "is_bot": False, "first_name": name},
                    "message": message,
                    "data": buttons[0]["callback_data"],
                }
            }
        )

    async def deliver(self, url: str, secret: str | None) -> list[int]:
        """POST the queued updates to a webhook as Telegram does, one at a time; the HTTP statuses answered."""
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        statuses = []
        async with aiohttp.ClientSession() as session:
            for update in self.updates:
                async with session.post(url, json=update, headers=headers) as response:
                    statuses.append(response.status)
        self.updates = []
        return statuses

    def take_update(self) -> dict:
        """The update just queued (user_says, user_presses), off the queue: the test delivers it itself."""
        return self.updates.pop()

    async def post_update(self, url: str, secret: str | None, update: dict) -> int:
        """POST one update to a webhook as Telegram does; the HTTP status answered (the bot answers once it
        has handled the update, so by then its replies have been sent)."""
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with aiohttp.ClientSession() as session, session.post(url, json=update, headers=headers) as response:
            return response.status

    def messages_to(self, chat_id: int) -> list[dict]:
        """Every message the bot sent to `chat_id` (edits of earlier messages not counted), oldest first."""
        return [s.message for s in self.sent if s.method == "sendMessage" and s.message["chat"]["id"] == chat_id]

    def last_to(self, chat_id: int) -> dict:
        return [s.message for s in self.sent if s.message["chat"]["id"] == chat_id][-1]

    async def reply_containing(self, chat_id: int, text: str, timeout: float = 20) -> str:
        """Wait until the bot sends `chat_id` a message containing `text`; return that message's text."""
        deadline = time.monotonic() + timeout
        seen = self._since
        while True:
            for sent in self.sent[seen:]:
                if sent.message["chat"]["id"] == chat_id and text in sent.message["text"]:
                    return sent.message["text"]
            seen = len(self.sent)
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"the bot did not send {text!r} to {chat_id} within {timeout} s"
            self._new_sent.clear()
            try:
                await asyncio.wait_for(self._new_sent.wait(), remaining)
            except TimeoutError:
                pass
