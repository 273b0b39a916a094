"""Faults, with the real `python -m bot` process against the fake Bot API server, on SQLite and PostgreSQL.

- killed with SIGKILL in the middle of a flow, and in the middle of a confirmation (before and after its
  transaction committed): after a restart the person goes on where they were and gets the answer the killed
  process did not send, nothing is half-saved and nothing is saved twice;
- the same update delivered twice: one entry, one reply;
- Telegram answering 429, 500/502 or too late, on sendMessage and on getUpdates: retried with growing pauses,
  the reply arrives, polling recovers;
- the database refusing connections for a while: the person (on Telegram and on Zalo) is told to send the
  message again in a few minutes, the process keeps running, and afterwards the flow goes on.

The chair (Telegram user 111) registered their club before the bot starts; the test then types as they would.
Replies are recognised by names, amounts and entry numbers, which translations leave alone.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.channels import error_text
from bot.config import Settings
from bot.renderers import render
from handlers.core import Incoming
from handlers.dispatcher import Dispatcher
from handlers.i18n import language, money
from handlers.registry import COMMANDS
from storage import money_reports, reminders
from storage.db import Database
from storage.models import CAPITAL, INCOME_FUND, Club
from tests.conftest import BACKOFF_SCALE, POSTGRES_SERVER, REGISTRATION, fresh_postgres, sqlite_db
from tests.fake_bot_api_server import FakeBotApiServer
from tests.fake_zalo_api_server import FakeZaloApiServer, ZaloUser
from tests.money_support import add_members, entries
from tests.security.test_logs import refuse_inserts

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:FAULTS"
CHAIR = (111, "An")
CLIENT_READ_TIMEOUT = 2  # seconds (TELEGRAM_READ_TIMEOUT; 5 in production): every late answer is waited out
ONE_MILLION = money(1_000_000)


# --- the club, the process, the person -------------------------------------------------------------------------


def club_database(kind: str, request) -> Database:
    """A database with a registered club (its chair is Telegram user 111) and four members.

    The chair has turned their reminders off, so that whatever the date, what the bot sends them is its answers.
    """
    db = fresh_postgres(request.getfixturevalue("postgres_url")) if kind == "postgresql" else sqlite_db()
    dispatcher = Dispatcher(db, Settings(database_url=db.url, telegram_token=TOKEN), COMMANDS, render=render)
    for line in REGISTRATION:
        dispatcher.handle(
            Incoming(channel="telegram", chat_id=str(CHAIR[0]), user_id=str(CHAIR[0]), user_name=CHAIR[1], text=line)
        )
    add_members(db)
    with db.transaction() as s:
        chair = s.exec(select(Club.created_by)).one()
        for kind in reminders.PERSONAL_KINDS:
            reminders.set_kind(s, chair, kind, on=False)
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
def club_db(request) -> Iterator[Database]:
    db = club_database(request.param, request)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_club_db(request) -> Iterator[Database]:
    """Telegram's own failures do not depend on the database: SQLite only."""
    db = club_database("sqlite", request)
    yield db
    db.dispose()


@pytest.fixture
def postgres_club_db(request) -> Iterator[Database]:
    db = club_database("postgresql", request)
    yield db
    db.dispose()


class BotProcess:
    """`python -m bot` on the fake server(s) and the test's database; it can be killed and started again."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine loses power."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    async def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            # Waited for in a thread: the fake servers, in this event loop, must answer its last calls.
            await asyncio.to_thread(self.process.wait, 30)

    @property
    def running(self) -> bool:
        return self.process.poll() is None


@asynccontextmanager
async def bot_on(
    db: Database,
    tmp_path: Path,
    zalo: FakeZaloApiServer | None = None,
) -> AsyncIterator[tuple[FakeBotApiServer, BotProcess]]:
    server = FakeBotApiServer()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": await server.start(),
        "DATABASE_URL": db.url,
        "LOG_LEVEL": "INFO",
        "TELEGRAM_READ_TIMEOUT": str(CLIENT_READ_TIMEOUT),
    }
    env.pop("WEBHOOK_URL", None)
    if zalo is not None:
        env.update(ZALO_BOT_TOKEN=zalo.token, ZALO_API_BASE_URL=await zalo.start())
    bot = BotProcess(env, tmp_path / "bot.log")
    bot.start()
    try:
        yield server, bot
    finally:
        await bot.stop()
        await server.stop()
        if zalo is not None:
            await zalo.stop()


@pytest.fixture
async def bot(club_db, tmp_path):
    async with bot_on(club_db, tmp_path) as (server, process):
        yield server, process, club_db


@pytest.fixture
async def sqlite_bot(sqlite_club_db, tmp_path):
    async with bot_on(sqlite_club_db, tmp_path) as (server, process):
        yield server, process, sqlite_club_db


async def says(server: FakeBotApiServer, text: str, expect: str = "") -> str:
    """The chair types `text`; the bot's reply (the first one, or the one containing `expect`)."""
    server.user_says(*CHAIR, text)
    return await server.reply_containing(CHAIR[0], expect)


async def at_the_read_back(server: FakeBotApiServer) -> None:
    """The chair has chosen the member, the amount, the fund and the kind; the bot asks "Save?"."""
    await says(server, "/donggop Trần Văn Bình 1tr")
    await says(server, "1")  # the income fund
    await says(server, "1", ONE_MILLION)  # capital: the read-back, with its save button


def texts_to_chair(server: FakeBotApiServer, since: int, containing: str) -> list[str]:
    return [
        s.message["text"]
        for s in server.sent[since:]
        if s.method == "sendMessage" and s.message["chat"]["id"] == CHAIR[0] and containing in s.message["text"]
    ]


def last_update_id(server: FakeBotApiServer) -> int:
    return server.updates[-1]["update_id"]


def confirmed(server: FakeBotApiServer, update_id: int) -> bool:
    """The bot asked for updates after this one, which tells Telegram it arrived (the fake then forgets it)."""
    return all(update["update_id"] != update_id for update in server.updates)


async def eventually(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.05)


def saved_contributions(db: Database) -> list[tuple[str, str, int]]:
    return [(e.fund, e.kind, e.amount) for e in entries(db)]


def assert_books_whole(db: Database) -> None:
    """The ledger's invariants (see test_ledger_invariants): nothing half-written shows up in the sums."""
    with db.transaction() as s:
        club_id = s.exec(select(Club.id)).one()
        figures = money_reports.summary(s, club_id, date.today())
    assert figures.income_cash + figures.loans_outstanding == figures.capital + figures.interest
    assert figures.activity_cash == figures.activity_in - figures.activity_spent


@contextmanager
def writes_blocked(db: Database) -> Iterator[None]:
    """Hold a lock that the bot's next transaction waits for at its first write (recording the update id)."""
    if db.url.startswith("sqlite"):
        connection = sqlite3.connect(make_url(db.url).database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")  # the one write lock of the file
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
    else:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("LOCK TABLE processedupdate IN EXCLUSIVE MODE")  # reads pass, writes wait
            try:
                yield
            finally:
                connection.rollback()


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:])]


# --- killed -------------------------------------------------------------------------------------------------


async def test_killed_in_the_middle_of_a_flow_the_person_goes_on_where_they_were(bot):
    server, process, db = bot
    await at_the_read_back(server)

    process.kill()
    assert saved_contributions(db) == []  # nothing is saved before the yes
    process.start()

    server.user_presses(*CHAIR, "Đồng ý")  # the button under the read-back sent before the crash
    await server.reply_containing(CHAIR[0], "#1")
    assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]
    assert_books_whole(db)


async def test_killed_while_the_yes_waits_for_the_database_it_is_handled_after_the_restart(bot):
    server, process, db = bot
    await at_the_read_back(server)

    with writes_blocked(db):
        answered = server.calls.count("answerCallbackQuery")
        server.user_presses(*CHAIR, "Đồng ý")
        press = last_update_id(server)
        # The button's spinner is stopped while the dispatcher runs; its transaction waits.
        await eventually(lambda: server.calls.count("answerCallbackQuery") > answered)
        await asyncio.sleep(1)
        process.kill()
    assert saved_contributions(db) == []  # the transaction died with the process
    assert not confirmed(server, press)  # so Telegram still holds the press, and hands it over again

    since = len(server.sent)
    process.start()
    await server.reply_containing(CHAIR[0], "#1")  # the person gets the answer to the press after all
    assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]
    await eventually(lambda: confirmed(server, press))
    assert len(texts_to_chair(server, since, "#1")) == 1
    assert_books_whole(db)


async def test_killed_after_the_save_committed_the_redelivered_yes_saves_nothing_twice_and_answers(bot):
    server, process, db = bot
    await at_the_read_back(server)

    server.hold_next("sendMessage")  # the "saved" answer never reaches Telegram
    since = len(server.sent)
    server.user_presses(*CHAIR, "Đồng ý")
    press = last_update_id(server)
    await server.until_holding()
    assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]  # committed before answering
    process.kill()
    server.release()
    assert not confirmed(server, press)
    assert texts_to_chair(server, since, "#1") == []

    process.start()
    # Fetched again: not handled twice, but the answer the killed process never sent goes out now.
    await server.reply_containing(CHAIR[0], "#1")
    await eventually(lambda: confirmed(server, press))
    assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]
    assert_books_whole(db)
    funds = await says(server, "/quy", ONE_MILLION)  # anything more about the press would come before this
    assert len(texts_to_chair(server, since, "#1")) == 1 and ONE_MILLION in funds


async def test_the_same_update_twice_saves_once_and_answers_once(bot):
    server, process, db = bot
    await at_the_read_back(server)

    since = len(server.sent)
    server.user_says(*CHAIR, "1")  # yes, typed
    server.deliver_last_again()  # Telegram hands the same update over twice
    answer = last_update_id(server)
    await server.reply_containing(CHAIR[0], "#1")
    await eventually(lambda: confirmed(server, answer))
    funds = await says(server, "/quy", ONE_MILLION)  # anything the second copy said would come before this

    assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]
    to_chair = [s.message["text"] for s in server.sent[since:] if s.method == "sendMessage"]
    assert to_chair == [to_chair[0], funds] and "#1" in to_chair[0]


# --- Telegram failing ---------------------------------------------------------------------------------------


async def test_replies_get_through_429_5xx_and_timeouts_once_each(sqlite_bot):
    server, process, db = sqlite_bot
    club = "Liên Trì"  # in the /quy answer

    server.fail_next("sendMessage", 2, status=429, retry_after=1)
    since = len(server.sent)
    await says(server, "/quy", club)
    assert len(texts_to_chair(server, since, club)) == 1
    assert all(gap >= 1 for gap in gaps(server.attempt_times("sendMessage")[-3:]))  # as long as Telegram asked

    server.fail_next("sendMessage", 1, status=500)
    server.fail_next("sendMessage", 1, status=502)
    since = len(server.sent)
    await says(server, "/quy", club)
    assert len(texts_to_chair(server, since, club)) == 1
    first, second = gaps(server.attempt_times("sendMessage")[-3:])
    assert 0.5 * BACKOFF_SCALE <= first < second  # the pause grows

    # Too late: the client gives up after its read timeout, the message had not gone out, the retry sends it.
    server.fail_next("sendMessage", 1, status=504, delay=CLIENT_READ_TIMEOUT + 2)
    since = len(server.sent)
    await says(server, "/quy", club)
    assert len(texts_to_chair(server, since, club)) == 1
    assert gaps(server.attempt_times("sendMessage")[-2:])[0] >= CLIENT_READ_TIMEOUT
    assert process.running


async def test_a_late_answer_after_delivery_repeats_the_words_never_the_write(sqlite_bot):
    server, process, db = sqlite_bot
    await at_the_read_back(server)

    # Telegram delivered the "saved" message but answered after the client's timeout: the retry sends it again.
    server.fail_next("sendMessage", 1, delay=CLIENT_READ_TIMEOUT + 2, delivered=True)
    since = len(server.sent)
    await says(server, "1", "#1")
    await eventually(lambda: len(texts_to_chair(server, since, "#1")) == 2)
    assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]


async def test_polling_recovers_from_failing_get_updates_and_loses_nothing(sqlite_bot):
    server, process, db = sqlite_bot
    await says(server, "/quy", "Liên Trì")  # the bot is up and polling

    before = len(server.attempt_times("getUpdates"))
    server.fail_next("getUpdates", 3, status=502)
    await eventually(lambda: len(server.attempt_times("getUpdates")) > before)  # the first failed
    server.user_says(*CHAIR, "/quy")  # waits at "Telegram" while polling fails
    await server.reply_containing(CHAIR[0], "Liên Trì")
    failed_and_recovered = server.attempt_times("getUpdates")[before : before + 4]
    first, second, third = gaps(failed_and_recovered)
    assert BACKOFF_SCALE <= first < second < third  # 1, 2, 4 s in production

    before = len(server.attempt_times("getUpdates"))
    server.fail_next("getUpdates", 1, status=429, retry_after=1)  # Telegram's pauses are whole seconds
    await eventually(lambda: len(server.attempt_times("getUpdates")) > before)
    server.user_says(*CHAIR, "/quy")
    await server.reply_containing(CHAIR[0], "Liên Trì")
    assert gaps(server.attempt_times("getUpdates")[before : before + 2])[0] >= 1  # Telegram's retry_after
    assert process.running


async def test_an_update_the_library_cannot_read_is_skipped_and_confirmed_and_the_next_is_answered(sqlite_bot):
    server, process, db = sqlite_bot
    await says(server, "/quy", "Liên Trì")  # the bot is up and polling

    poison = server.user_sends_unreadable(*CHAIR, "Nguyễn Thị Poison 7.777.000")  # no `date`
    server.user_says(*CHAIR, "/quy")  # in the same getUpdates batch, behind it
    await server.reply_containing(CHAIR[0], "Liên Trì")
    await eventually(lambda: confirmed(server, poison))
    server.user_says(*CHAIR, "/quy")  # and polling goes on
    await server.reply_containing(CHAIR[0], "Liên Trì")
    assert process.running

    logged = process.log.read_text()
    assert f"Update {poison} could not be read; skipped" in logged
    assert "Poison" not in logged and "7.777.000" not in logged  # its id only


async def test_a_save_the_database_refuses_leaves_no_name_or_amount_in_the_process_log(bot):
    server, process, db = bot
    await at_the_read_back(server)
    refuse_inserts(db, "ledgerentry")  # as a constraint or a full disk would
    assert "/huy" in await says(server, "1")  # "something went wrong": nothing was saved
    assert saved_contributions(db) == [] and process.running

    logged = process.log.read_text()
    assert "Error while handling update" in logged and "(message not logged)" in logged
    assert [word for word in ("Trần Văn Bình", "Bình", ONE_MILLION, "1000000", "1,000,000") if word in logged] == []


# --- the database away --------------------------------------------------------------------------------------


def database_error_text() -> str:
    with language("vi"):
        return error_text(OperationalError("SELECT 1", {}, Exception("connection refused")))


def end_connections(db: Database, *, refuse_new: bool) -> None:
    """As the server's superuser: close every connection to the club's database (as a restart of PostgreSQL
    does) and, with `refuse_new`, refuse new ones until `accept_connections`."""
    name = make_url(db.url).database
    db.dispose()  # the test's own
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if refuse_new:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    server.dispose()


def accept_connections(db: Database) -> None:
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{make_url(db.url).database}" ALLOW_CONNECTIONS true'))
    server.dispose()


async def test_while_the_database_is_away_people_are_asked_to_try_again_and_the_flow_survives(
    postgres_club_db, tmp_path
):
    db = postgres_club_db
    zalo = FakeZaloApiServer()
    async with bot_on(db, tmp_path, zalo) as (server, process):
        stranger_on_zalo = ZaloUser(zalo, "zu-binh", "Bình")
        await says(server, "/donggop Trần Văn Bình 1tr")  # asks which fund

        # PostgreSQL restarted: every pooled connection is dead, and the next message works all the same.
        end_connections(db, refuse_new=False)
        await says(server, "1")  # the income fund
        kinds = [b["callback_data"] for row in server.last_to(CHAIR[0])["reply_markup"]["inline_keyboard"] for b in row]
        assert CAPITAL in kinds

        end_connections(db, refuse_new=True)
        try:
            assert await says(server, "1") == database_error_text()  # capital, while the database is away
            assert await stranger_on_zalo.says("xin chào") == database_error_text()
            assert process.running
        finally:
            accept_connections(db)

        await says(server, "1", ONE_MILLION)  # capital again: the flow was where it was, and reads back
        await says(server, "1", "#1")
        assert saved_contributions(db) == [(INCOME_FUND, CAPITAL, 1_000_000)]
        assert await stranger_on_zalo.says("xin chào") != database_error_text()
        assert process.running
