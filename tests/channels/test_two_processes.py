"""Two real `python -m bot` processes in webhook mode behind one URL, on one PostgreSQL database.

The fake Bot API server plays Telegram: it POSTs each update to one process or the other, sometimes the same
update to both at once (a redelivery), sometimes two taps of one button at once. Nothing is lost, nothing is
done twice, every update is answered once, and exactly one process, the scheduler leader, sends the reminders;
when it is killed the other takes over. Leader election is also checked directly, with two contenders.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from bot.reminders import LEADER_RETRY_SECONDS
from storage.leadership import leadership
from tests.channels.test_end_to_end import ROOT
from tests.channels.test_webhook import free_port
from tests.conftest import empty_postgres
from tests.fake_bot_api_server import FakeBotApiServer

SECRET = "two-processes-s3cret"
CHAIR = (111, "An")
LEADER = "This process is now the scheduler leader"
MEMBERS = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo\nLê Thị Cúc, 1990, nữ"
EARLIER_BUTTON = "Nút này thuộc câu hỏi trước"
A, B, BOTH = "A", "B", "AB"  # which process an update is POSTed to; BOTH: the same update to each, at once


def zone_where_it_is_afternoon() -> str:
    """A time zone where it is about 14:00 now: today's 08:00 reminders are due, and quiet hours are far."""
    now = datetime.now(UTC)
    hours = now.hour + now.minute / 60
    offset = min(range(-12, 15), key=lambda h: abs(hours + h - 14))
    return f"Etc/GMT{-offset:+d}"  # the Etc zones count the other way round: Etc/GMT-7 is UTC+7


@dataclass
class Bot:
    process: subprocess.Popen
    url: str
    log: Path

    def logged(self) -> str:
        return self.log.read_text()


@dataclass
class Deployment:
    server: FakeBotApiServer
    bots: dict[str, Bot]
    env: dict[str, str]
    delivered: set[int] = field(default_factory=set)  # update ids
    answers: int = 0  # messages the chair got in answer to an update

    async def deliver(self, update: dict, to: str) -> None:
        posts = [self.server.post_update(f"{self.bots[name].url}/telegram", SECRET, update) for name in to]
        assert await asyncio.gather(*posts) == [200] * len(to)
        self.delivered.add(update["update_id"])

    def answered_since(self, before: int) -> list[str]:
        answered = [m["text"] for m in self.server.messages_to(CHAIR[0])[before:]]
        self.answers += len(answered)
        return answered

    async def says(self, text_: str, to: str, *expected: str) -> list[str]:
        """The chair types `text_`; the update goes `to` one process or both. Each process answers only once
        it has handled the update, so when the POSTs return, every answer has been sent: exactly one
        answer per expected text, each containing it."""
        before = len(self.server.messages_to(CHAIR[0]))
        self.server.user_says(*CHAIR, text_)
        await self.deliver(self.server.take_update(), to)
        answered = self.answered_since(before)
        assert len(answered) == len(expected), (text_, answered)
        assert all(part in answer for part, answer in zip(expected, answered)), (text_, answered)
        return answered

    async def twice_at_once(self, act: Callable[[], None]) -> list[str]:
        """The chair does `act` twice (two updates), and the two reach the two processes at the same moment:
        what the chair was answered."""
        before = len(self.server.messages_to(CHAIR[0]))
        updates = []
        for _ in range(2):
            act()
            updates.append(self.server.take_update())
        await asyncio.gather(self.deliver(updates[0], A), self.deliver(updates[1], B))
        return self.answered_since(before)

    def query(self, sql: str, **params) -> list[tuple]:
        engine = create_engine(self.env["DATABASE_URL"])
        try:
            with engine.begin() as connection:
                result = connection.execute(text(sql), params)
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            engine.dispose()

    async def run(self, *args: str) -> str:
        """`python -m bot ARGS`, in a thread: the fake Bot API server in this event loop must answer it."""
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


async def healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass  # not listening yet
            await asyncio.sleep(0.2)


async def until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        await asyncio.sleep(0.2)


@pytest.fixture
async def deployment(postgres_url, tmp_path):
    empty_postgres(postgres_url)  # no tables at all: both processes migrate it as they start, at once
    server = FakeBotApiServer()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:TWO",
        "TELEGRAM_API_BASE_URL": await server.start(),
        "DATABASE_URL": postgres_url,
        "BOT_TIMEZONE": zone_where_it_is_afternoon(),
        "LOG_LEVEL": "INFO",
        "WEBHOOK_URL": "https://clubbot.example.vn",
        "WEBHOOK_SECRET": SECRET,
    }
    env.pop("ZALO_BOT_TOKEN", None)
    bots = {}
    for name in (A, B):  # started together, so they also migrate the empty database together
        port, log = free_port(), tmp_path / f"bot-{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        bots[name] = Bot(process, f"http://127.0.0.1:{port}", log)
    try:
        for bot in bots.values():
            await healthy(bot.url, bot.process, bot.log)
        yield Deployment(server, bots, env)
    finally:
        for bot in bots.values():
            if bot.process.poll() is None:
                bot.process.terminate()
                await asyncio.to_thread(bot.process.wait, 30)  # the fake server, in this loop, answers its last calls
        await server.stop()


async def test_two_webhook_processes_share_one_conversation_and_one_scheduler(deployment):
    d = deployment
    # A new person's first message, sent twice (two updates) and reaching both processes at once: each is
    # answered, and the person is created once.
    answered = await d.twice_at_once(lambda: d.server.user_says(*CHAIR, "/start"))
    assert len(answered) == 4 and sum("Tên CLB" in answer for answer in answered) == 2, answered
    assert d.query("SELECT count(*) FROM channelaccount") == [(1,)]
    # Registration, each answer at one process or the other, some at both.
    for (answer, expect), to in zip(
        (
            ("CLB Liên thế hệ thôn Liên Trì", "thôn"),
            ("Liên Trì", "tỉnh"),
            ("Quảng Ngãi", "xã, phường"),
            ("Bình Sơn", "Huyện cũ"),
            ("Bình Sơn", "quyết định"),
            ("58/QĐ-UBND", "ký ngày"),
            ("08/04/2019", "ngày nào trong tháng"),
            ("15", "Lưu?"),
            ("1", ("Mã CLB", "gọi bạn là gì")),  # saved, then the one question of how to call the chair
        ),
        (B, BOTH, A, B, BOTH, A, B, A, BOTH),
    ):
        await d.says(answer, to, *((expect,) if isinstance(expect, str) else expect))

    await d.says("/thanhvien", B, "0 thành viên")
    await d.says("2", A, "mỗi người một dòng")
    await d.says(MEMBERS, BOTH, "Sẽ thêm 3 người")
    await d.says("1", B, "CLB hiện có 3 thành viên")

    await d.says("/donggop Trần Văn Bình 10tr", A, "Vào quỹ nào?")
    await d.says("1", B, "khoản đóng góp gì")  # the income fund
    await d.says("1", BOTH, "10.000.000 ₫")  # capital: the read-back
    # The chair taps "save" twice, and the two taps reach the two processes at the same moment.
    answered = await d.twice_at_once(lambda: d.server.user_presses(*CHAIR, "Đồng ý"))
    # Whichever came first saved; the other came too late, and the question now asked is put again.
    answered = sorted(answered, key=lambda answer: answer.startswith(EARLIER_BUTTON))
    assert len(answered) == 2 and answered[0].startswith("Đã lưu: khoản #1"), answered
    assert answered[1].startswith(EARLIER_BUTTON) and "Người tiếp theo?" in answered[1], answered
    await d.says("2", B, "Xong")  # done

    await d.says("/donggop Lê Thị Cúc 50k hoạt động", BOTH, "khoản đóng góp gì")
    await d.says("2", A, "50.000 ₫")  # monthly fee: the read-back
    await d.says("1", B, "Đã lưu: khoản #2")
    await d.says("2", BOTH, "Xong")
    funds = (await d.says("/quy", A, "10.000.000 ₫"))[0]
    assert "50.000 ₫" in funds

    assert d.query(
        "SELECT l.fund, l.kind, l.amount, m.full_name FROM ledgerentry l JOIN member m "
        "ON m.id = l.member_id ORDER BY l.id"
    ) == [("income", "capital", 10_000_000, "Trần Văn Bình"), ("activity", "monthly_fee", 50_000, "Lê Thị Cúc")]
    assert d.query("SELECT count(*) FROM member") == [(3,)] and d.query("SELECT count(*) FROM club") == [(1,)]
    assert d.query("SELECT count(*) FROM processedupdate") == [(len(d.delivered),)]

    # One scheduler leader, the whole time.
    leaders = [name for name, bot in d.bots.items() if LEADER in bot.logged()]
    assert len(leaders) == 1 and all(bot.logged().count(LEADER) <= 1 for bot in d.bots.values())
    survivor_name = B if leaders == [A] else A
    leader, survivor = d.bots[leaders[0]], d.bots[survivor_name]

    # A meeting tomorrow: the board is reminded today, from the club's hour (08:00) on.
    tomorrow = (datetime.now(ZoneInfo(d.env["BOT_TIMEZONE"])) + timedelta(days=1)).day
    d.query("UPDATE club SET meeting_day = :day", day=tomorrow)
    preview = await d.run("remind", "--dry-run")
    due = int(re.search(r"(\d+) reminder\(s\) would be sent", preview).group(1))
    assert "\tmeeting\t" in preview and due == preview.count("-> An")  # the chair is the whole board

    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait(timeout=15)
    await until(lambda: LEADER in survivor.logged(), LEADER_RETRY_SECONDS + 30, "the takeover")

    # The new leader catches up at once: every reminder due goes out, once.
    def reminders() -> int:  # messages the chair got that answered no update
        return len(d.server.messages_to(CHAIR[0])) - d.answers

    await until(
        lambda: d.query("SELECT count(*) FROM sentreminder WHERE status = 'sent'") == [(due,)],
        60,
        "sending the reminders",
    )
    assert reminders() == due
    assert (await d.run("remind", "--send")).startswith("claimed 0, sent 0")  # nothing left to claim: not twice
    assert reminders() == due and d.query("SELECT count(*) FROM sentreminder") == [(due,)]

    await d.says("/quy", survivor_name, "10.000.000 ₫")  # and it goes on answering
    for bot in (leader, survivor):
        logged = bot.logged()
        assert "Trần Văn Bình" not in logged and "10.000.000" not in logged and "123456:TWO" not in logged


# --- leader election, directly ----------------------------------------------------------------------------------


def eventually(check, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def contenders(url: str):
    return leadership(url, "clubbot.test-election"), leadership(url, "clubbot.test-election")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_one_contender_leads_until_it_lets_go(backend, tmp_path, request):
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else f"sqlite:///{tmp_path / 'x.db'}"
    first, second = contenders(url)
    try:
        assert first.hold() and not second.hold()
        assert first.hold() and not second.hold()  # still the leader when asked again
        first.release()
        assert second.hold() and not first.hold()
    finally:
        first.release()
        second.release()


def test_when_the_leaders_connection_dies_the_other_takes_over(postgres_url):
    first, second = contenders(postgres_url)
    try:
        assert first.hold() and not second.hold()
        engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:  # the leader's session ends, as when its process is killed
            killed = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            ).all()
        engine.dispose()
        assert killed == [(True,)]
        assert eventually(second.hold)  # once the server has ended that session; a standby keeps trying
        assert not first.hold() and not first.hold()  # it finds out, and does not get the lead back
    finally:
        first.release()
        second.release()
