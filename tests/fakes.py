"""Test doubles for the outside world: a fake Bot API transport and people who chat through it.

`FakeBotApi` is a `telegram.request.BaseRequest`: python-telegram-bot's own `Application` runs
unchanged on top of it, and every Bot API call it makes is recorded and answered with Telegram-shaped
JSON. `TelegramUser` plays one person: it builds real `Update`s and reads what the bot sent back.
"""

from __future__ import annotations

import io
import itertools
import json
import time
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 999, "is_bot": True, "first_name": "Club bot", "username": "ClubTestBot"}


@dataclass
class Call:
    method: str
    params: dict
    message_id: int | None = None  # of the message sent or edited


class FakeBotApi(BaseRequest):
    def __init__(self):
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}  # file_id -> content, for documents users send
        self._message_ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url, method, request_data: RequestData | None = None, **_timeouts):
        if "/file/bot" in url:  # a file download
            return 200, self.files[url.rsplit("/", 1)[-1]]
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        result = self._result(api_method, params)
        self.calls.append(Call(api_method, params, result.get("message_id") if isinstance(result, dict) else None))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, method: str, params: dict):
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup"):
            chat_id = params.get("chat_id", 0)
            message = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"},
                "from": BOT_USER,
                "text": params.get("text") or params.get("caption") or "",
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "getFile":
            file_id = params["file_id"]
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}",
            }
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook…

    def sent(self, chat_id=None) -> list[Call]:
        """Messages and documents the bot sent, optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.method in ("sendMessage", "sendDocument", "sendPhoto")
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]


_update_ids = itertools.count(1)


@dataclass
class TelegramUser:
    """One person chatting with the bot, in a private chat unless a group chat id is given."""

    app: Application
    api: FakeBotApi
    user_id: int
    first_name: str
    last_name: str = ""
    chat_id: int | None = None
    last_replies: list[Call] = field(default_factory=list)

    @property
    def chat(self) -> dict:
        chat_id = self.chat_id or self.user_id
        return {
            "id": chat_id,
            "type": "private" if chat_id > 0 else "group",
            **({"first_name": self.first_name} if chat_id > 0 else {"title": "Ban chủ nhiệm"}),
        }

    @property
    def sender(self) -> dict:
        return {"id": self.user_id, "is_bot": False, "first_name": self.first_name, "last_name": self.last_name}

    async def _process(self, payload: dict, update_id: int | None = None) -> str:
        before = len(self.api.calls)
        update = Update.de_json({"update_id": update_id or next(_update_ids), **payload}, self.app.bot)
        await self.app.process_update(update)
        self.last_replies = [
            c for c in self.api.calls[before:] if c.method in ("sendMessage", "sendDocument", "sendPhoto")
        ]
        return self.text

    @property
    def text(self) -> str:
        return "\n\n".join(c.params.get("text") or c.params.get("caption") or "" for c in self.last_replies)

    def _message(self, **content) -> dict:
        return {
            "message": {
                "message_id": next(_update_ids),
                "date": int(time.time()),
                "chat": self.chat,
                "from": self.sender,
                **content,
            }
        }

    async def says(self, text: str, update_id: int | None = None) -> str:
        return await self._process(self._message(text=text), update_id)

    async def sends_sticker(self) -> str:
        sticker = {
            "file_id": "st1",
            "file_unique_id": "st1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return await self._process(self._message(sticker=sticker))

    async def sends_document(self, filename: str, content: bytes) -> str:
        file_id = f"doc{len(self.api.files) + 1}"
        self.api.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": filename, "file_size": len(content)}
        return await self._process(self._message(document=document))

    async def sends_photo(self, file_id: str = "photo1") -> str:
        """A photo as Telegram delivers it: several sizes of the same picture, the largest last."""
        sizes = [
            {
                "file_id": f"{file_id}-{width}",
                "file_unique_id": f"{file_id}-{width}",
                "width": width,
                "height": width * 3 // 4,
            }
            for width in (90, 320, 1280)
        ]
        return await self._process(self._message(photo=sizes))

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of the buttons under the last message the bot sent."""
        for call in reversed(self.last_replies):
            markup = call.params.get("reply_markup")
            if markup:
                markup = json.loads(markup) if isinstance(markup, str) else markup
                return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]
        return []

    async def presses(self, label: str, update_id: int | None = None) -> str:
        """Press the button whose label contains `label`."""
        matching = [value for text, value in self.buttons() if label in text]
        assert matching, f"no button {label!r} among {self.buttons()}"
        return await self.presses_data(matching[0], update_id)

    async def presses_data(self, data: str, update_id: int | None = None) -> str:
        """Press a button by its value, under the last message the bot sent with buttons, as Telegram sends it:
        with that message's text and buttons."""
        message = {"message_id": 1, "date": int(time.time()), "chat": self.chat, "from": BOT_USER, "text": "?"}
        for call in reversed(self.last_replies):
            if call.params.get("reply_markup"):
                markup = call.params["reply_markup"]
                message |= {
                    "message_id": call.message_id,
                    "text": call.params.get("text") or "",
                    "reply_markup": json.loads(markup) if isinstance(markup, str) else markup,
                }
                break
        query = {
            "id": str(next(_update_ids)),
            "from": self.sender,
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
        return await self._process({"callback_query": query}, update_id)


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
