"""Webhook mode: the real `python -m bot` process receiving Telegram updates over HTTP at WEBHOOK_URL/telegram.

The fake Bot API server plays Telegram: it sees setWebhook, POSTs updates with (or without) the secret token,
and receives the answers; GET /healthz says whether the database answers.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time

import aiohttp
import pytest
from starlette.responses import Response

from bot.webhooks import Webhooks
from storage.db import Database
from tests.channels.test_end_to_end import ROOT
from tests.fake_bot_api_server import FakeBotApiServer

SECRET = "webhook-s3cret_for-tests"
CHAIR = (111, "An")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def bot_process(tmp_path):
    server, port = FakeBotApiServer(), free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:WEBHOOK",
        "TELEGRAM_API_BASE_URL": await server.start(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'webhook.sqlite3'}",
        "LOG_LEVEL": "INFO",
        "WEBHOOK_URL": url,
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
    }
    env.pop("ZALO_BOT_TOKEN", None)
    log = tmp_path / "bot.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while server.webhook is None:  # set once the web server listens
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        await asyncio.sleep(0.1)
    yield process, server, url, log
    if process.poll() is None:
        process.terminate()
        await asyncio.to_thread(process.wait, 15)  # the fake server, in this event loop, answers its last calls
    await server.stop()


async def test_telegram_updates_come_by_webhook_with_the_secret(bot_process):
    process, server, url, log = bot_process
    assert server.webhook["url"] == f"{url}/telegram" and server.webhook["secret_token"] == SECRET
    assert json.loads(server.webhook["allowed_updates"]) == ["message", "callback_query"]  # sent form-encoded
    assert "getUpdates" not in server.calls

    server.user_says(*CHAIR, "/start")
    refused = server.updates[0]
    assert await server.deliver(f"{url}/telegram", "wrong-secret") == [403]
    server.updates = [refused]
    assert await server.deliver(f"{url}/telegram", None) == [403]
    await asyncio.sleep(0.5)
    assert server.sent == []

    # The same update with the secret: it was not recorded as processed before, so it is answered now.
    server.updates = [refused]
    assert await server.deliver(f"{url}/telegram", SECRET) == [200]
    await server.reply_containing(CHAIR[0], "Tên CLB")
    server.user_says(*CHAIR, "CLB Liên thế hệ thôn Liên Trì")
    assert await server.deliver(f"{url}/telegram", SECRET) == [200]
    await server.reply_containing(CHAIR[0], "thôn")

    async with aiohttp.ClientSession() as session, session.get(f"{url}/healthz") as response:
        assert response.status == 200 and await response.json() == {"ok": True}

    process.terminate()
    assert process.wait(timeout=15) == 0
    logged = log.read_text()
    assert "Reminders scheduled" in logged  # the scheduler runs in webhook mode too
    assert "This process is now the scheduler leader" in logged  # alone on its SQLite file: it leads
    assert "deleteWebhook" not in server.calls  # the webhook stays registered across a restart
    assert SECRET not in logged and "123456:WEBHOOK" not in logged


async def test_health_is_503_when_the_database_cannot_be_reached(tmp_path):
    webhooks = Webhooks(Database(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.sqlite3'}"))
    async with webhooks.serving(0, host="127.0.0.1") as port, aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 503 and await response.json() == {"ok": False}


async def test_a_malformed_update_with_the_secret_is_refused_with_400(bot_process):
    _process, server, url, _log = bot_process
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as session:
        for body in ({}, [], {"message": {"text": "no update id"}}):
            async with session.post(f"{url}/telegram", json=body, headers=headers) as response:
                assert response.status == 400
        async with session.post(f"{url}/telegram", data=b"not json", headers=headers) as response:
            assert response.status == 400
    assert server.sent == []


async def test_an_update_the_library_cannot_read_is_acknowledged_so_telegram_does_not_hold_the_rest(bot_process):
    _process, server, url, log = bot_process
    poison = {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "chat": {"id": CHAIR[0], "type": "private"},
            "text": "Nguyễn Thị Poison 7.777.000",
        },
    }  # no `date`
    # Telegram sends a refused update again and again, and the ones behind it wait: it is taken with 200.
    assert await server.post_update(f"{url}/telegram", SECRET, poison) == 200
    server.user_says(*CHAIR, "/start")
    assert await server.deliver(f"{url}/telegram", SECRET) == [200]
    await server.reply_containing(CHAIR[0], "Tên CLB")
    logged = log.read_text()
    assert "Update 77 could not be read; skipped" in logged
    assert "Poison" not in logged and "7.777.000" not in logged


async def test_at_a_stop_the_request_in_hand_is_finished_first_then_the_port_closes(db):
    webhooks, arrived, handled = Webhooks(db), asyncio.Event(), []

    async def slow_delivery(_request):
        arrived.set()
        await asyncio.sleep(0.5)  # the update is still being handled when the stop comes
        handled.append(True)
        return Response("handled")

    async def register() -> None:
        pass

    webhooks.add("/slow", slow_delivery, register)
    async with aiohttp.ClientSession() as session:
        async with webhooks.serving(0, host="127.0.0.1") as port:
            delivery = asyncio.create_task(session.post(f"http://127.0.0.1:{port}/slow"))
            await arrived.wait()
        assert handled  # the stop waited for it: the channels behind it stop only after this
        response = await delivery
        assert response.status == 200 and await response.text() == "handled"
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"http://127.0.0.1:{port}/healthz")
