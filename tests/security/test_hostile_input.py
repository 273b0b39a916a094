"""A corpus of bad inputs fed to the first question of every flow: each gets an answer in Vietnamese, no
traceback, and the club's data does not change.

The chair of a club with two members starts each command of the registry, then sends one bad input at the
first question (console driver). Stickers, photos and documents where text is expected go through the real
Telegram pipeline on the fake Bot API.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import SQLModel

from bot.channels import error_text
from handlers.i18n import language
from handlers.registry import COMMANDS
from tests.conftest import REGISTRATION, register_club

# The bookkeeping of the conversation itself: where each person is, which updates were seen, the audit trail.
# Every other table is the club's data (and the people's accounts and settings) and must stay as it was.
# The limits' counts (a wrong code, a chat's messages) are kept for refusals too: they are what limits them.
BOOKKEEPING = {"conversation", "processedupdate", "auditevent", "alembic_version", "wrongcode", "chatburst"}
BOOKKEEPING |= {"commanduse"}  # how often each person starts each command, for their /menu

MEMBERS = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo, DTTS"

CORPUS = {
    "empty": "",
    "whitespace": "   \t  ",
    "newlines": "\n\n\n",
    "4096 characters": "a" * 4096,
    "4096 Vietnamese characters": "ệ" * 4096,
    "5000 characters": "Lan " * 1250,
    "emoji": "😀🔥💰👵🏽",
    "emoji family (joined)": "👨‍👩‍👧‍👦",
    "RTL text": "مرحبا بالعالم שלום",
    "RTL override": "\u202eLan 500k\u202c",
    "zero-width": "\u200b\u200c\u200d\ufeff",
    "zero-width inside a word": "L\u200ba\u200bn",
    "SQL drop": "'; DROP TABLE member; --",
    "SQL or": "' OR '1'='1",
    "SQL union": "1 UNION SELECT * FROM user --",
    "HTML": "<b>x</b><script>alert(1)</script>",
    "format string": "{0} {name} %s %d {__class__}",
    "huge number": str(10**30),
    "huge money": "1000000000000000000000000000000đ",
    "minus one": "-1",
    "zero": "0",
    "float": "1e309",
    "nan": "NaN",
    "date 31/02": "31/02/2025",
    "date zero": "00/00/0000",
    "year 9999": "9999",
    "date far": "31/12/9999",
    "date ISO garbage": "2025-13-45",
    "control chars": "\x00\x01\x07\x1b[31m",
    "slash alone": "/",
    "unknown command": "/xoa_het",
    "lone surrogate-like": "\ud7ff\ue000",
}

VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.IGNORECASE)
TRACEBACK = ("Traceback", "Error:", "Exception", 'File "', "sqlalchemy", "psycopg", "sqlite3")


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table but the bookkeeping ones, as the database driver gives them (read without the
    ORM: this runs twice or more in each of these tests)."""
    with db.engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.exec_driver_sql(f'SELECT * FROM "{name}"')), key=repr)
            for name in SQLModel.metadata.tables
            if name not in BOOKKEEPING
        }


def assert_good_answer(reply: str, what: str) -> None:
    assert reply.strip(), f"{what}: no answer"
    assert VIETNAMESE.search(reply), f"{what}: not Vietnamese: {reply[:300]!r}"
    for marker in TRACEBACK:
        assert marker not in reply, f"{what}: {marker!r} in {reply[:300]!r}"


def paste_members(chair) -> None:
    chair.says_all("/thanhvien", "2")
    chair.says(MEMBERS)
    chair.says("1")


@pytest.fixture
def chair(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    paste_members(chair)
    chair.says("/huy")
    return chair


def first_question(chair, name: str) -> str:
    chair.says("/huy")
    return chair.says(f"/{name}")


@pytest.mark.parametrize("command", [c.names[0] for c in COMMANDS])
def test_every_flow_answers_bad_input_at_its_first_question_in_vietnamese(chair, db, command):
    before = snapshot(db)
    opening = first_question(chair, command)
    assert_good_answer(opening, f"/{command}")
    for label, bad in CORPUS.items():
        first_question(chair, command)
        reply = chair.says(bad)
        what = f"/{command} then {label}"
        assert_good_answer(reply, what)
        assert snapshot(db) == before, f"{what}: the database changed"
    chair.says("/huy")
    assert snapshot(db) == before


def test_a_new_person_registering_a_club_gets_bad_input_answered(person, db):
    """/start as someone with no club: the first question is the club's name, free text."""
    newcomer = person("7", "Lê Văn Mới")
    newcomer.says("/huy")
    before = snapshot(db)
    for label, bad in CORPUS.items():
        newcomer.says("/huy")
        newcomer.says("/start")
        reply = newcomer.says(bad)
        assert_good_answer(reply, f"/start then {label}")
        assert snapshot(db) == before, f"/start then {label}: the database changed"
    newcomer.says("/huy")


@pytest.mark.parametrize("label", ["start", "vay", "donggop", "trano", "chi", "hop", "thanhvien"])
def test_commands_with_bad_arguments_are_answered_and_save_nothing(chair, db, label):
    """The quick forms (/trano Lan 500k…) take their answers on the command line: feed the corpus there too."""
    before = snapshot(db)
    for name, bad in CORPUS.items():
        if "\n" in bad or not bad.strip():
            continue
        chair.says("/huy")
        reply = chair.says(f"/{label} {bad}")
        assert_good_answer(reply, f"/{label} {name}")
        assert snapshot(db) == before, f"/{label} {name}: the database changed"
    chair.says("/huy")


# --- wrong kinds of message, through Telegram -----------------------------------------------------------


async def telegram_chair(telegram):
    user = telegram(301, "An", "Nguyễn Văn")
    for line in REGISTRATION:
        await user.says(line)
    assert "Mã CLB" in user.text
    await user.says("/thanhvien")
    await user.says("2")
    await user.says(MEMBERS)
    await user.says("1")
    await user.says("/huy")
    return user


async def test_stickers_photos_and_documents_where_text_is_expected(telegram, db):
    user = await telegram_chair(telegram)
    before = snapshot(db)
    with language("vi"):
        with_errors = error_text(RuntimeError("x"))
    for command in COMMANDS:
        name = command.names[0]
        kinds = {
            "sticker": user.sends_sticker,
            "photo": user.sends_photo,
            "document": lambda: user.sends_document("danh sach.xlsx", b"not really a spreadsheet"),
            "empty document": lambda: user.sends_document("rong.txt", b""),
        }
        for kind, send in kinds.items():
            await user.says("/huy")
            await user.says(f"/{name}")
            reply = await send()
            what = f"/{name} then a {kind}"
            assert_good_answer(reply, what)
            assert with_errors not in reply, f"{what}: the bot hit an error"
            assert snapshot(db) == before, f"{what}: the database changed"
    await user.says("/huy")
    # Replies go out as plain text: user text is never read as Telegram HTML or Markdown.
    assert not [c for c in telegram.api.calls if c.params.get("parse_mode")]
