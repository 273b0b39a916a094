"""The log holds no person's name and no amount, even when saving fails, on SQLite and PostgreSQL.

The database refuses to save a member and a contribution (a trigger, as a constraint or a full disk would),
and the report's .xlsx fails with an error quoting the club's name (as openpyxl's did for a control character,
which text entering the bot no longer carries); the chair is told something went wrong. The whole log, at DEBUG,
is then searched for every name and amount the chair typed or the failing statements carried: a database error
used to log its statement's parameters, and openpyxl's error the club's name.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.app import setup_logging
from bot.channels import error_text
from bot.config import Settings
from bot.renderers import render
from bot.telegram_channel import build_application
from handlers.dispatcher import Dispatcher
from handlers.i18n import language, money
from handlers.registry import COMMANDS
from storage.db import Database
from tests.conftest import REGISTRATION, Clock
from tests.fakes import FakeBotApi, TelegramUser
from tests.money_support import add_members

MEMBER = "Trần Văn Bình"  # on the club's list (money_support.MEMBERS)
NEW_MEMBER = "Hoàng Thị Mận"
CHAIR_FULL_NAME = "Nguyễn Văn Ánh"
CLUB_NAME = "CLB Hoa Sen Xứ Đoài"
AMOUNTS = (1_234_000, 987_000)


def people_and_amounts() -> list[str]:
    with language("vi"):
        shown = [money(amount) for amount in AMOUNTS]
    written = [f"{amount:,}" for amount in AMOUNTS] + [str(amount) for amount in AMOUNTS]
    return [MEMBER, NEW_MEMBER, CHAIR_FULL_NAME, "Hoa Sen Xứ Đoài", "Mận", "Bình", *shown, *written, "0987654321"]


def refuse_inserts(db: Database, *tables: str) -> None:
    """Every INSERT into these tables fails inside the database."""
    with db.engine.begin() as connection:
        if db.url.startswith("sqlite"):
            for table in tables:
                connection.exec_driver_sql(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"
            )
            for table in tables:
                connection.exec_driver_sql(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()"
                )


@pytest.fixture
def logging_as_the_bot_does(caplog):
    """The bot's logging set-up at LOG_LEVEL=DEBUG, every record captured; the loggers' levels put back after."""
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    setup_logging(Settings(database_url="", log_level="DEBUG"))
    caplog.set_level(logging.DEBUG)
    yield caplog
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
async def chair(any_db):
    settings = Settings(database_url=any_db.url, telegram_token="123:TEST")
    api = FakeBotApi()
    app = build_application(settings, Dispatcher(any_db, settings, COMMANDS, clock=Clock(), render=render), request=api)
    await app.initialize()
    chair = TelegramUser(app, api, 101, "Ánh", "Nguyễn Văn")
    for line in REGISTRATION:
        await chair.says(line)
    add_members(any_db)
    yield chair
    await app.shutdown()


def xlsx_quoting_the_club_name(report, **_options) -> bytes:
    raise ValueError(f"Cannot convert {report.club.name!r} to Excel")  # openpyxl's words for a bad cell


async def test_failed_saves_and_a_failed_xlsx_log_no_names_and_no_amounts(
    chair, any_db, logging_as_the_bot_does, monkeypatch
):
    caplog = logging_as_the_bot_does
    monkeypatch.setattr("bot.report_xlsx.club_xlsx", xlsx_quoting_the_club_name)
    with language("vi"):
        went_wrong = error_text(RuntimeError())
    refuse_inserts(any_db, "member", "ledgerentry")
    with any_db.transaction() as s:
        s.execute(text("UPDATE club SET name = :name"), {"name": CLUB_NAME})

    await chair.says(f"/donggop {MEMBER} 1234k")
    await chair.says("1")  # the income fund
    await chair.says("1")  # capital: the read-back
    assert await chair.says("1") == went_wrong  # save: the database refuses
    await chair.says("/thanhvien")
    await chair.says("2")  # drop the contribution the database refused
    await chair.says("2")  # a list of members
    await chair.says(f"{NEW_MEMBER}, 1950, nữ, nghèo, 0987654321\nLê Văn Tám, 1949, nam, 987k")
    assert await chair.says("1") == went_wrong
    await chair.says("/baocao 2026-H1")
    await chair.says("2")  # drop the member list the database refused
    await chair.says(CHAIR_FULL_NAME)
    assert await chair.says("1") == went_wrong  # the report's .xlsx fails, its error quoting the club's name

    logged = caplog.text + "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert [word for word in people_and_amounts() if word in logged] == []
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 3  # logged, with where it happened and what kind of error it was
    assert all("(message not logged)" in r.exc_text for r in errors)
