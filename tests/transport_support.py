"""One person typing to the bot on any of its transports: the console, the fake Telegram and the fake Zalo, behind
the same `await says(text)`, so a conversation corpus runs on each (issue 20)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from bot.telegram_channel import build_application
from tests.conftest import REGISTRATION, ConsolePerson
from tests.fake_zalo_api_server import FakeZaloApiServer, ZaloUser
from tests.fakes import FakeBotApi, TelegramUser
from tests.zalo_support import zalo_channel

TRANSPORTS = ("console", "telegram", "zalo")


@dataclass
class Typist:
    """What the person reads back after each line they type: the text, and the choices as a numbered list
    (Telegram's buttons are listed after its text, as the person sees them under it)."""

    transport: str
    _says: Callable[[str], Awaitable[str]]

    async def says(self, text: str) -> str:
        return await self._says(text)

    async def says_all(self, *lines: str) -> str:
        return "\n".join([await self.says(line) for line in lines])

    async def registers(self) -> str:
        """/start as a new chair; returns the club code."""
        reply = await self.says_all(*REGISTRATION)
        return reply.split("Mã CLB: ")[1].split()[0]


def _on_console(dispatcher) -> Typist:
    person = ConsolePerson(dispatcher, "1", "Nguyễn Văn An")

    async def says(text: str) -> str:
        return person.says(text)

    return Typist("console", says)


def _on_telegram(user: TelegramUser) -> Typist:
    async def says(text: str) -> str:
        reply = await user.says(text)
        buttons = [f"  {number}. {label}" for number, (label, _data) in enumerate(user.buttons(), start=1)]
        return "\n".join([reply, *buttons])

    return Typist("telegram", says)


def _on_zalo(user: ZaloUser) -> Typist:
    return Typist("zalo", user.says)


@pytest.fixture(params=TRANSPORTS)
async def typist(request, settings, dispatcher) -> AsyncIterator[Typist]:
    """A chair-to-be, on each transport in turn."""
    if request.param == "console":
        yield _on_console(dispatcher)
    elif request.param == "telegram":
        api = FakeBotApi()
        app = build_application(settings, dispatcher, request=api)
        await app.initialize()
        yield _on_telegram(TelegramUser(app, api, 101, "An", "Nguyễn Văn"))
        await app.shutdown()
    else:
        server = FakeZaloApiServer()
        server.base_url = await server.start()
        channel = zalo_channel(server, dispatcher)
        async with channel.polling():
            yield _on_zalo(ZaloUser(server, "zu-an", "Nguyễn Văn An"))
        await channel.api.close()
        await server.stop()
