"""A small Zalo Bot API server on loopback, for the Zalo channel and the real `python -m bot` process.

It speaks the Zalo Bot Platform's HTTP protocol as the bot uses it: `/bot<TOKEN>/<method>` by GET or POST
with query, form or JSON parameters; answers `{ok, result}` or `{ok: false, error_code, description}`;
`getUpdates` hands over ONE event per call (there is no offset) and answers 408 when none came within its
`timeout`; ids are strings and dates milliseconds; `sendMessage` refuses more than 2,000 characters.

The test plays the users: it queues their events and reads what the bot sent back. Because the bot
polls again only after it has answered an event, "the bot asked for more and nothing is queued" means
it has finished with everything it was given (`handled`).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

TOKEN = "1459232241454765289:zalo-test-token"
BOT = {"id": "1459232241454765289", "account_name": "bot.ClubTest", "account_type": "BASIC", "can_join_groups": True}
MAX_TEXT = 2000
# Ways getUpdates can fail, for `fail_next`.
SERVER_ERROR, NOT_JSON, DROPPED = "server_error", "not_json", "dropped"


@dataclass
class Sent:
    chat_id: str
    text: str


@dataclass
class FakeZaloApiServer:
    token: str = TOKEN
    events: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # sendMessage calls answered with an error
    calls: list[str] = field(default_factory=list)
    webhook: dict | None = None  # the url and secret_token of setWebhook

    def __post_init__(self):
        self._message_ids = itertools.count(0x5A10000000)
        self._failures: list[str] = []
        self._changed = asyncio.Condition()
        self._polls_since_handed = 1  # getUpdates calls since the last event was handed over
        self._runner: web.AppRunner | None = None

    # --- the server -------------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        # A long poll the bot gave up on (at shutdown) ends here too, instead of holding up `stop`.
        self._runner = web.AppRunner(app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{self._runner.addresses[0][1]}/bot"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        self.calls.append(method)
        if method == "getUpdates":
            return await self._get_updates(request, float(params.get("timeout") or 30))
        if method == "sendMessage":
            return self._send_message(params)
        results = {
            "getMe": BOT,
            "deleteWebhook": {"url": "", "updated_at": self._now()},
            "getWebhookInfo": {"url": (self.webhook or {}).get("url", ""), "updated_at": self._now()},
            "sendChatAction": True,
        }
        if method == "setWebhook":
            self.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token")}
            results[method] = {"url": params.get("url"), "updated_at": self._now()}
        if method not in results:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.json_response({"ok": True, "result": results[method]})

    @staticmethod
    def _now() -> int:
        return int(time.time() * 1000)

    async def _get_updates(self, request: web.Request, timeout: float) -> web.StreamResponse:
        async with self._changed:
            self._polls_since_handed += 1
            self._changed.notify_all()
        if self._failures:
            return self._fail(request, self._failures.pop(0))
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: self.events), min(timeout, 2))
            except TimeoutError:
                return web.json_response({"ok": False, "error_code": 408, "description": "Request timeout"})
            event = self.events.pop(0)
            self._polls_since_handed = 0
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": event})

    def _fail(self, request: web.Request, how: str) -> web.StreamResponse:
        if how == DROPPED:
            request.transport.close()  # the connection goes away without an answer
        if how == NOT_JSON:
            return web.Response(status=502, text="<html>Bad Gateway</html>", content_type="text/html")
        return web.json_response({"ok": False, "error_code": 500, "description": "Internal error"}, status=500)

    def _send_message(self, params: dict) -> web.Response:
        text = str(params.get("text") or "")
        if not params.get("chat_id") or not 1 <= len(text) <= MAX_TEXT:
            self.refused.append(params)
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: text length"})
        self.sent.append(Sent(str(params["chat_id"]), text))
        return web.json_response(
            {"ok": True, "result": {"message_id": f"{next(self._message_ids):020x}", "date": self._now()}}
        )

    # --- the test's side -----------------------------------------------------------------------------------

    def fail_next(self, *ways: str) -> None:
        """Make the next getUpdates calls fail, one way each."""
        self._failures.extend(ways)

    async def queue(self, event: dict) -> None:
        async with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    async def handled(self, timeout: float = 20) -> None:
        """Wait until the bot has taken every queued event and come back for more."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: not self.events and self._polls_since_handed > 0), timeout
            )

    def new_message_id(self) -> str:
        return f"{next(self._message_ids):020x}"

    def sent_to(self, chat_id: str, since: int = 0) -> list[str]:
        return [s.text for s in self.sent[since:] if s.chat_id == chat_id]

    async def deliver(self, url: str, event: dict, secret: str | None) -> int:
        """POST an event to a webhook as Zalo does; the HTTP status it answered."""
        headers = {} if secret is None else {"X-Bot-Api-Secret-Token": secret}
        async with aiohttp.ClientSession() as session:
            async with session.post(url, json={"ok": True, "result": event}, headers=headers) as response:
                return response.status


@dataclass
class ZaloUser:
    """One person writing to the bot on Zalo, in a private chat unless a group chat id is given."""

    server: FakeZaloApiServer
    user_id: str
    name: str
    group_id: str | None = None
    last_replies: list[str] = field(default_factory=list)

    @property
    def chat_id(self) -> str:
        return self.group_id or self.user_id

    def event(self, kind: str = "text", text: str | None = None, message_id: str | None = None) -> dict:
        message = {
            "from": {"id": self.user_id, "display_name": self.name, "is_bot": False},
            "chat": {"id": self.chat_id, "chat_type": "GROUP" if self.group_id else "PRIVATE"},
            "message_id": message_id or self.server.new_message_id(),
            "date": int(time.time() * 1000),
        }
        if kind == "text":
            message["text"] = text
        elif kind == "sticker":
            message.update(sticker="0e078a2fb66a5f34067b", url="https://zalo-api.zadn.vn/sticker.png")
        elif kind == "image":
            message.update(photo_url="https://photo.zdn.vn/p.jpg", caption=text or "")
        return {"event_name": f"message.{kind}.received", "message": message}

    async def sends(self, event: dict) -> str:
        """Queue the event, wait until the bot is done with it; what it answered in this chat."""
        since = len(self.server.sent)
        await self.server.queue(event)
        await self.server.handled()
        self.last_replies = self.server.sent_to(self.chat_id, since)
        return "\n\n".join(self.last_replies)

    async def says(self, text: str, message_id: str | None = None) -> str:
        return await self.sends(self.event("text", text, message_id))

    async def says_all(self, *lines: str) -> str:
        return "\n\n".join([await self.says(line) for line in lines])
