"""The real `python -m bot` process serving Zalo and Telegram at once, from one database, over HTTP.

A chair registers a club on Zalo by typing numbers, links their Telegram account with a code and finds
the same club there; SIGTERM stops both channels cleanly.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REGISTRATION
from tests.fake_bot_api_server import FakeBotApiServer
from tests.fake_zalo_api_server import FakeZaloApiServer, ZaloUser

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_TOKEN = "123456:E2E-ZALO"
CHAIR_ON_TELEGRAM = (111, "An")


@pytest.fixture
async def bot_process(tmp_path):
    telegram, zalo = FakeBotApiServer(), FakeZaloApiServer()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE_URL": await telegram.start(),
        "ZALO_BOT_TOKEN": zalo.token,
        "ZALO_API_BASE_URL": await zalo.start(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        "LOG_LEVEL": "INFO",
    }
    env.pop("WEBHOOK_URL", None)
    log = (tmp_path / "bot.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield process, telegram, zalo, tmp_path / "bot.log"
    if process.poll() is None:
        process.kill()
        process.wait(timeout=15)
    await telegram.stop()
    await zalo.stop()


async def test_one_process_serves_zalo_and_telegram_and_a_person_links_the_two(bot_process):
    process, telegram, zalo, log = bot_process
    chair = ZaloUser(zalo, "zu-an", "Nguyễn Văn An")
    registered = await chair.says_all(*REGISTRATION)
    club_code = registered.split("Mã CLB: ")[1].split()[0]
    await chair.says("/lienket")
    made = await chair.says("1")
    code = made.split("/lienket ")[1].split()[0]

    telegram.user_says(*CHAIR_ON_TELEGRAM, f"/lienket {code}")
    await telegram.reply_containing(CHAIR_ON_TELEGRAM[0], club_code)  # the read-back names the club
    telegram.user_says(*CHAIR_ON_TELEGRAM, "1")  # typed, as on Zalo: yes, link
    await telegram.reply_containing(CHAIR_ON_TELEGRAM[0], "/menu")
    telegram.user_says(*CHAIR_ON_TELEGRAM, "/trogiup")
    await telegram.reply_containing(CHAIR_ON_TELEGRAM[0], f"Mã CLB: {club_code}")
    # Zalo keeps working beside Telegram, and the link left the Zalo account as it was.
    assert f"Mã CLB: {club_code}" in await chair.says("/trogiup")
    assert "setMyCommands" in telegram.calls and "deleteWebhook" in zalo.calls

    process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(process.wait, 20) == 0
    logged = log.read_text()
    assert "Serving Zalo by long polling" in logged and "Serving Telegram by long polling" in logged
    assert "Traceback" not in logged
    # No tokens and no names in the INFO log.
    assert zalo.token not in logged and TELEGRAM_TOKEN not in logged and "Nguyễn Văn An" not in logged


def test_without_any_token_the_bot_says_how_to_get_one_for_telegram_or_zalo(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "@BotFather" in result.stderr and "ZALO_BOT_TOKEN=<token>" in result.stderr
    assert "python -m bot console" in result.stderr
