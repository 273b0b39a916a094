"""Fixtures and helpers for the Zalo tests: the fake Zalo server, the channel polling it, people on Zalo."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.zalo_channel import ZaloApi, ZaloChannel
from storage.models import ChannelAccount
from tests.conftest import REGISTRATION
from tests.fake_zalo_api_server import FakeZaloApiServer, ZaloUser


@pytest.fixture
async def zalo_server():
    server = FakeZaloApiServer()
    server.base_url = await server.start()
    yield server
    await server.stop()


def zalo_channel(server: FakeZaloApiServer, dispatcher) -> ZaloChannel:
    """A channel for `server` that polls briefly and retries at once, to keep the tests fast."""
    return ZaloChannel(ZaloApi(server.token, server.base_url, poll_timeout=2), dispatcher, retry_delay=0.05)


@pytest.fixture
async def zalo(zalo_server, dispatcher):
    """The channel polling the fake server; zalo('z1', 'Name') makes a person who writes to it."""
    channel = zalo_channel(zalo_server, dispatcher)
    async with channel.polling():

        def make_user(user_id: str = "zu-an", name: str = "Nguyễn Văn An", group_id: str | None = None) -> ZaloUser:
            return ZaloUser(zalo_server, user_id, name, group_id)

        make_user.server = zalo_server
        yield make_user
    await channel.api.close()


async def register_on_zalo(user: ZaloUser) -> str:
    """Go through /start as a new chair on Zalo; returns the club code."""
    reply = await user.says_all(*REGISTRATION)
    return reply.split("Mã CLB: ")[1].split()[0]


def user_id_of(db, channel: str, external_id: str) -> int:
    """The User an account on a channel acts as."""
    with db.transaction() as s:
        return s.exec(
            select(ChannelAccount.user_id).where(
                ChannelAccount.channel == channel, ChannelAccount.external_id == external_id
            )
        ).one()
