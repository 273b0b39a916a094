"""The real `python -m bot` process, over HTTP, against a fake Bot API server on loopback.

A chair registers a club, invites a treasurer who joins with the code, and pastes three members.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_bot_api_server import FakeBotApiServer

ROOT = Path(__file__).resolve().parents[2]
CHAIR, TREASURER = (111, "An"), (222, "Bình")


@pytest.fixture
async def bot_process(tmp_path):
    server = FakeBotApiServer()
    base_url = await server.start()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:E2E",
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / "bot.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield server, env, tmp_path / "bot.log"
    process.terminate()
    # Waited for in a thread: the fake server, in this event loop, must answer the bot's last calls, or each
    # of them waits out the client's 5 s read timeout.
    await asyncio.to_thread(process.wait, 15)
    await server.stop()


async def conversation(server: FakeBotApiServer, who: tuple[int, str], text: str, expect: str) -> str:
    server.user_says(*who, text)
    return await server.reply_containing(who[0], expect)


async def test_register_invite_join_and_paste_members_over_http(bot_process):
    server, env, log = bot_process
    await conversation(server, CHAIR, "/start", "Tên CLB")
    for answer, expect in (
        ("CLB Liên thế hệ thôn Liên Trì", "thôn"),
        ("Liên Trì", "tỉnh"),
        ("Quảng Ngãi", "xã, phường"),
        ("Bình Sơn", "Huyện cũ"),
        ("Bình Sơn", "quyết định"),
        ("58/QĐ-UBND", "ký ngày"),
        ("08/04/2019", "ngày nào trong tháng"),
        ("15", "Lưu?"),
    ):
        await conversation(server, CHAIR, answer, expect)
    server.user_presses(*CHAIR, "Đồng ý")
    registered = await server.reply_containing(CHAIR[0], "Mã CLB")
    club_code = registered.split("Mã CLB: ")[1].split()[0]

    await conversation(server, CHAIR, "/moi", "vai trò nào")
    server.user_presses(*CHAIR, "Thủ quỹ")
    await server.reply_containing(CHAIR[0], "Mã mời dùng một lần")
    server.user_presses(*CHAIR, "Đồng ý")
    invite = await server.reply_containing(CHAIR[0], "/start ")
    code = invite.split("/start ")[1].split()[0]
    # Shown as ABCD-EFGH to be read out; in the link plain, as a deep link's payload allows.
    assert f"https://t.me/ClubE2EBot?start={code.replace('-', '')}" in invite

    await conversation(server, TREASURER, f"/start {code}", "Thủ quỹ")
    server.user_presses(*TREASURER, "Đồng ý")
    await server.reply_containing(TREASURER[0], club_code)

    await conversation(server, TREASURER, "/thanhvien", "Bạn muốn làm gì")
    server.user_presses(*TREASURER, "Dán danh sách")
    await server.reply_containing(TREASURER[0], "mỗi người một dòng")
    members = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo\nLê Thị Cúc, 1990, nữ"
    await conversation(server, TREASURER, members, "Sẽ thêm 3 người")
    server.user_presses(*TREASURER, "Đồng ý")
    await server.reply_containing(TREASURER[0], "CLB hiện có 3 thành viên")

    assert "setMyCommands" in server.calls
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "clubs"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert club_code in listed.stdout and "CLB Liên thế hệ thôn Liên Trì" in listed.stdout
    # Names and the bot token stay out of the INFO log.
    await asyncio.sleep(0)
    logged = log.read_text()
    assert "Nguyễn Thị Lan" not in logged and "123456:E2E" not in logged


def test_without_a_token_the_bot_says_how_to_get_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr  # a newcomer's first run: what to do next, and no error
    assert "@BotFather" in result.stderr and "python -m bot console" in result.stderr
    assert "Chưa đặt TELEGRAM_BOT_TOKEN" in result.stderr and "TELEGRAM_BOT_TOKEN is not set" in result.stderr
