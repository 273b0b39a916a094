"""Shared fixtures: databases (SQLite by default, PostgreSQL for real), the dispatcher, and chat drivers.

PostgreSQL tests need the server at POSTGRES_TEST_URL (default: 127.0.0.1:5432, user postgres). Each test
run creates its own database there and drops it at the end, so runs side by side do not meet. When the
server is not reachable the tests fail, loudly: they never skip.
"""

from __future__ import annotations

import atexit
import functools
import io
import os
import secrets
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.exc import ProgrammingError
from telegram.ext import AIORateLimiter

import bot.console
from bot import backoff
from bot.config import Settings
from bot.console import Console
from bot.renderers import render
from bot.telegram_channel import build_application
from handlers.dispatcher import Dispatcher
from handlers.registry import COMMANDS
from storage.db import Database
from tests.fakes import FakeBotApi, TelegramUser
from tests.snapshot_support import built_once_described

# The tests' bot processes get messages far faster than people send them: no burst limit (Settings.burst_messages)
# unless a test sets one.
os.environ.setdefault("BURST_MESSAGES", "0")
# Their pauses before trying again are a fifth of production's (bot/backoff.py): the fault tests still see them
# grow, 0.2, 0.4, 0.8 s, without waiting whole seconds. The bot processes the tests start inherit it.
os.environ.setdefault("BACKOFF_SCALE", "0.2")
BACKOFF_SCALE = float(os.environ["BACKOFF_SCALE"])
backoff.set_scale(BACKOFF_SCALE)
# Where the machine sets PYTHONDONTWRITEBYTECODE, each bot process a test starts (about sixty in a run) would
# compile the bot's hundred modules again, a quarter of its start-up: the tests let Python keep what it compiled
# in __pycache__ (ignored by git), as it does by default.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
POSTGRES_SERVER = os.environ.get("POSTGRES_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TODAY = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: a worker per core and one more. The fault, webhook and end-to-end tests spend part of their time
    waiting for the bot processes they start and for Telegram's pauses, which leaves a core idle a fifth of the
    run; a third worker on two cores took 111-113 s where two took 117-120 (BENCHMARKS.md). At most 4 all the
    same (`--maxprocesses`): each worker holds its own PostgreSQL database and connections."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


@pytest.fixture(autouse=True, scope="session")
def console_files_out_of_the_repo():
    """The console saves the files it gets (reports, charts) in a folder of this worker's, not ./data/out in the
    repo, which tests running side by side would share; a test that reads them puts them under its tmp_path."""
    folder = Path(tempfile.mkdtemp(prefix="clubbot-out-"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.console, "OUTPUT_DIR", folder)
        yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test run's own on the PostgreSQL server."""
    name = f"clubbot_test_{os.getpid()}_{secrets.token_hex(3)}"
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def empty_postgres(url: str) -> None:
    """No tables at all: the `public` schema dropped and made again."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# What the migrated schema is made of (tables, columns, constraints, indexes, triggers, functions), to tell
# a schema a test changed (test_logs adds triggers, the migration tests stop half-way) from the migrated one.
_SCHEMA_SHAPE = text(
    """
    SELECT md5(concat_ws('|',
      (SELECT string_agg(c.relname::text || c.relkind::text, ',' ORDER BY c.relname) FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace),
      (SELECT string_agg(a.attrelid::regclass::text || '.' || a.attname::text
        || ':' || format_type(a.atttypid, a.atttypmod),
                         ',' ORDER BY 1) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped),
      (SELECT string_agg(pg_get_constraintdef(k.oid), ',' ORDER BY 1) FROM pg_constraint k
        WHERE k.connamespace = 'public'::regnamespace),
      (SELECT string_agg(t.tgname::text, ',' ORDER BY 1) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal),
      (SELECT string_agg(p.proname::text, ',' ORDER BY 1) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace)
    ))
    """
)
_migrated_shape: dict[str, str] = {}  # url -> the shape of its schema just after the migrations, in this worker


# Databases a fixture has finished with, handed to the next test that asks: the same engine for many tests, as
# the bot keeps one for many updates. SQLAlchemy compiles a statement once per engine (a report's statements
# take 45 ms): once per worker instead of once per test. Each test still gets its own rows (a copy of the
# migrated file, or the tables emptied) and new connections.
_finished: dict[str, list[Database]] = {}


def _reused(url: str | None = None) -> Database | None:
    """A database a fixture finished with: of `url` (PostgreSQL), or any of this worker's SQLite files."""
    spare = _finished.get(url or "sqlite", [])
    return spare.pop() if spare else None


def finished_with(database: Database) -> None:
    """`database` will not be used by its test again: its connections closed, kept for the next test, unless
    something of the test still holds a connection (then it might still write: the next test gets another)."""
    still_held = database.engine.pool.checkedout()
    database.dispose()
    if not still_held:
        _finished.setdefault(database.url if database.url.startswith("postgresql") else "sqlite", []).append(database)


def fresh_postgres(url: str) -> Database:
    """The migrated schema with no rows. Migrating takes about half a second, so it is done once per database
    and worker; later tests get the same tables emptied (ids from 1 again), unless the schema was changed."""
    database = _reused(url) or Database(url)
    with database.engine.begin() as connection:
        unchanged = url in _migrated_shape and connection.execute(_SCHEMA_SHAPE).scalar() == _migrated_shape[url]
        if unchanged:
            _empty_tables(connection, [t for t in inspect(connection).get_table_names() if t != "alembic_version"])
    if not unchanged:
        database.dispose()
        empty_postgres(url)
        database = Database(url)
        database.migrate()
        with database.engine.connect() as connection:
            _migrated_shape[url] = connection.execute(_SCHEMA_SHAPE).scalar()
    return database


def _empty_tables(connection, tables: list[str]) -> None:
    """Every row deleted and every id sequence back at 1. DELETE of a few rows takes about 20 ms where TRUNCATE
    takes 250: TRUNCATE makes new files for every table and index. The server's replica role keeps the triggers
    (the ledger's refusal to delete) and foreign keys from firing; a user who may not take it gets TRUNCATE."""
    try:
        with connection.begin_nested():
            connection.execute(text("SET LOCAL session_replication_role = replica"))
    except ProgrammingError:  # not a superuser
        quoted = ", ".join(f'"{table}"' for table in tables)
        connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        return
    # One round trip for all the tables (psycopg sends statements without parameters together).
    connection.exec_driver_sql("; ".join(f'DELETE FROM "{table}"' for table in tables))
    connection.execute(_IDS_FROM_ONE)


_IDS_FROM_ONE = text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request):
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "postgresql":
        database = fresh_postgres(request.getfixturevalue("postgres_url"))
    else:
        database = sqlite_db()
    yield database
    finished_with(database)


def sqlite_db() -> Database:
    """A migrated SQLite database of the test's own: a copy of one this worker migrated once, in a new file (a
    connection a test left open keeps the old one)."""
    database = _reused()
    if database is None:
        path = Path(tempfile.mkdtemp(prefix="clubbot-test-", dir=migrated_sqlite_file().parent)) / "club.sqlite3"
        database = Database(f"sqlite:///{path}")
    path = Path(database.engine.url.database or "")
    for leftover in path.parent.glob(f"{path.name}-*"):  # the journal of a connection left open
        leftover.unlink()
    shutil.copyfile(migrated_sqlite_file(), path.with_suffix(".copy"))
    path.with_suffix(".copy").replace(path)
    return database


@functools.cache
def migrated_sqlite_file() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="clubbot-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    database = Database(f"sqlite:///{folder / 'migrated.sqlite3'}")
    database.migrate()
    database.dispose()  # every connection closed: the file holds everything, no journal beside it
    return folder / "migrated.sqlite3"


@pytest.fixture
def db():
    database = sqlite_db()
    yield database
    finished_with(database)


@pytest.fixture
def settings(db) -> Settings:
    return Settings(database_url=db.url, telegram_token="123:TEST")


class Clock:
    """A clock the test can move."""

    def __init__(self, now: datetime = TODAY):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def dispatcher(db, settings, clock) -> Dispatcher:
    return Dispatcher(db, settings, COMMANDS, clock=clock, render=render)


class ConsolePerson(Console):
    """A person at the console; `says` returns everything the bot answered, as the terminal shows it."""

    def __init__(self, dispatcher: Dispatcher, user_id: str, name: str, chat_id: str | None = None):
        super().__init__(dispatcher, user_id, name, chat_id, out=io.StringIO())

    def says(self, text: str) -> str:
        self.out.seek(0)
        self.out.truncate()
        self.send(text)
        return self.out.getvalue()

    def says_all(self, *lines: str) -> str:
        return "\n".join(self.says(line) for line in lines)


@pytest.fixture
def person(dispatcher):
    """person('1', 'Nguyễn Văn An') -> a ConsolePerson."""
    return lambda user_id="1", name="Nguyễn Văn An", chat_id=None: ConsolePerson(dispatcher, user_id, name, chat_id)


@pytest.fixture
async def telegram(settings, dispatcher):
    """An initialised Application on the fake transport, and a way to make users who talk to it."""
    api = FakeBotApi()
    # The fake transport has no flood limits: a group conversation of 30 messages would otherwise wait out
    # Telegram's 20 a minute per group. The 429 handling is tested against the fake server (tests/channels).
    unlimited = AIORateLimiter(max_retries=3, overall_max_rate=0, group_max_rate=0)
    app = build_application(settings, dispatcher, request=api, rate_limiter=unlimited)
    await app.initialize()

    def make_user(
        user_id: int = 101, first_name: str = "An", last_name: str = "Nguyễn Văn", chat_id: int | None = None
    ) -> TelegramUser:
        return TelegramUser(app, api, user_id, first_name, last_name, chat_id)

    make_user.api = api
    make_user.app = app
    yield make_user
    await app.shutdown()


REGISTRATION = (
    "/start",
    "CLB Liên thế hệ tự giúp nhau thôn Liên Trì",
    "Liên Trì",
    "Quảng Ngãi",  # the province, then the commune in it (the 2025 map), then the former district
    "Bình Sơn",
    "Bình Sơn",
    "58/QĐ-UBND",
    "08/04/2019",
    "15",
    "1",
)


def at_the_console(person: ConsolePerson, *more) -> tuple[Database, tuple]:
    """What a club built at the console by `person` depends on (tests/snapshot_support.py): who, in which chat,
    when, with which settings, and `more` that the builder was given."""
    dispatcher = person.dispatcher
    settings = replace(dispatcher.settings, database_url="")  # each test's own file, and nothing to do with it
    return dispatcher.db, (person.user_id, person.name, person.chat_id, dispatcher.clock(), settings, *more)


@built_once_described(at_the_console)
def register_club(person: ConsolePerson) -> str:
    """Go through /start as a new chair; returns the club code."""
    reply = person.says_all(*REGISTRATION)
    return reply.split("Mã CLB: ")[1].split()[0]
