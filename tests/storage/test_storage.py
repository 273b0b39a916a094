"""Storage on SQLite and on PostgreSQL: schema, invites, members, conversation locks under concurrency."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import InternalError
from sqlmodel import func, select

from bot.config import Settings
from bot.renderers import render
from handlers.core import Incoming
from handlers.dispatcher import Dispatcher
from handlers.registry import COMMANDS
from storage import clubs, conversations, members, processes, users
from storage.clubs import InviteStatus, NewClub
from storage.db import MIGRATIONS, SCHEMA_HEAD
from storage.members import NewMember
from storage.models import Club, utcnow
from tests.conftest import REGISTRATION, Clock, fresh_postgres

ROOT = Path(__file__).resolve().parents[2]
PLACE = NewClub(
    name="CLB thôn Liên Trì",
    village="Liên Trì",
    commune="Bình Hiệp",
    district="Bình Sơn",
    province="Quảng Ngãi",
    meeting_day=15,
)


def make_club(db):
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "1", "Nguyễn Văn An")
        club = clubs.create_club(s, chair, PLACE)
    return club, chair


def test_migrations_create_every_table(any_db):
    tables = set(inspect(any_db.engine).get_table_names())
    assert {
        "club",
        "user",
        "channelaccount",
        "boardseat",
        "invite",
        "member",
        "conversation",
        "processedupdate",
        "auditevent",
        "alembic_version",
    } <= tables
    any_db.migrate()  # running again changes nothing and does not fail


def test_start_up_knows_the_newest_migration(any_db):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [SCHEMA_HEAD]
    assert any_db.schema_revision() == SCHEMA_HEAD


def test_club_codes_are_unique_and_found_by_code(any_db):
    first, _ = make_club(any_db)
    second, _ = make_club(any_db)
    assert first.code != second.code
    with any_db.transaction() as s:
        assert clubs.by_code(s, first.code.lower()).id == first.id


def test_an_invite_can_be_used_by_one_person_only_even_at_the_same_moment(any_db):
    club, chair = make_club(any_db)
    with any_db.transaction() as s:
        code = clubs.create_invite(s, club, "treasurer", chair, valid_days=7).code
    barrier = threading.Barrier(2)
    results = []
    # PostgreSQL: both read the invite as valid before either uses it. SQLite takes the write lock at
    # BEGIN, so there the second transaction can only start after the first has ended.
    both_read_first = any_db.engine.dialect.name == "postgresql"

    def accept(user_id: str):
        if not both_read_first:
            barrier.wait(timeout=5)
        with any_db.transaction() as s:
            user = users.get_or_create(s, "console", user_id, f"User {user_id}")
            status, invite = clubs.check_invite(s, code)
            if both_read_first:
                barrier.wait(timeout=5)
            results.append(status is InviteStatus.VALID and clubs.accept_invite(s, invite, user))

    threads = [threading.Thread(target=accept, args=(uid,)) for uid in ("2", "3")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == [False, True]
    with any_db.transaction() as s:
        assert len(clubs.board(s, club.id)) == 2
        assert clubs.check_invite(s, code)[0] is InviteStatus.USED


def test_member_search_with_and_without_diacritics(any_db):
    club, chair = make_club(any_db)
    with any_db.transaction() as s:
        for name, year in (
            ("Nguyễn Thị Lan", 1952),
            ("Nguyễn Thị Lân", 1955),
            ("Trần Văn Lành", 1950),
            ("Lê Văn Nam", 1949),
        ):
            members.add(s, club.id, NewMember(full_name=name, birth_year=year, sex="female"), chair, date(2026, 1, 1))
    with any_db.transaction() as s:
        names = lambda query: [m.full_name for m in members.search(s, club.id, query)]  # noqa: E731
        assert names("nguyen thi lan") == ["Nguyễn Thị Lan", "Nguyễn Thị Lân"]
        assert names("Nguyễn Thị Lân") == ["Nguyễn Thị Lân"]
        assert names("lanh") == ["Trần Văn Lành"]
        assert names("ngu") == ["Nguyễn Thị Lan", "Nguyễn Thị Lân"]
        assert names("100%_") == []
        assert members.count(s, club.id) == 4


def test_an_update_id_is_recorded_once(any_db):
    with any_db.transaction() as s:
        assert conversations.mark_processed(s, "telegram", "42")
    with any_db.transaction() as s:
        assert not conversations.mark_processed(s, "telegram", "42")
        assert conversations.mark_processed(s, "zalo", "42")


def a_bot_process(db) -> subprocess.Popen:
    """Another process that has used the database and waits for its stdin to close; its name on the first line."""
    child = (
        "import sys; from storage.db import Database; from storage.processes import THIS_PROCESS; "
        "Database(sys.argv[1]).ping(); print(THIS_PROCESS, flush=True); sys.stdin.read()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", child, db.url], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def running(db, name: str) -> bool:
    with db.transaction() as s:
        return processes.is_running(s, name)


def has_ended(db, process: subprocess.Popen, name: str) -> bool:
    """Whether `process`, killed, is seen to have ended within 10 s (PostgreSQL ends its sessions once it sees
    their sockets close)."""
    process.kill()
    process.wait(timeout=15)
    deadline = time.monotonic() + 10
    while running(db, name) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not running(db, name)


def test_a_process_runs_until_it_ends(any_db):
    assert running(any_db, processes.THIS_PROCESS)
    other = a_bot_process(any_db)
    name = other.stdout.readline().strip()
    assert name != processes.THIS_PROCESS and running(any_db, name)
    assert has_ended(any_db, other, name)


def test_a_redelivery_gets_the_replies_only_if_the_process_to_send_them_died(any_db, monkeypatch):
    saved = [{"text": "Đã lưu: khoản #1", "choices": [["done", "Xong"]], "chat_id": None}]

    def replies_of(update_key: str, to_be_sent_by: str) -> list[dict]:
        with any_db.transaction() as s:
            monkeypatch.setattr(conversations, "THIS_PROCESS", to_be_sent_by)
            conversations.save(s, conversations.lock(s, "telegram", "7", "7"), {}, utcnow(), "42", saved)
        monkeypatch.undo()
        with any_db.transaction() as s:
            return conversations.take_unsent(s, conversations.lock(s, "telegram", "7", "7"), update_key)

    assert replies_of("42", processes.THIS_PROCESS) == []  # this process sent them, or is sending them
    other = a_bot_process(any_db)
    alive = other.stdout.readline().strip()
    assert replies_of("42", alive) == []  # another running process received the update too and answers it
    assert has_ended(any_db, other, alive)
    assert replies_of("41", alive) == []  # the replies kept answer another update
    assert replies_of("42", alive) == saved  # the process ended before it sent them
    with any_db.transaction() as s:  # taken: a further redelivery finds the process sending them running
        assert conversations.take_unsent(s, conversations.lock(s, "telegram", "7", "7"), "42") == []


def test_two_confirms_at_the_same_moment_save_one_club(any_db):
    """The conversation row is locked per chat: the second confirm sees the flow already finished."""
    settings = Settings(database_url=any_db.url)
    dispatcher = Dispatcher(any_db, settings, COMMANDS, clock=Clock(), render=render)

    def send(text: str, update: str | None = None):
        return dispatcher.handle(
            Incoming(channel="telegram", chat_id="5", user_id="5", user_name="An", text=text, update_key=update)
        )

    for text in REGISTRATION[:-1]:
        send(text)
    barrier = threading.Barrier(2)

    def confirm(update: str):
        barrier.wait(timeout=5)
        send("1", update)

    threads = [threading.Thread(target=confirm, args=(f"u{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with any_db.transaction() as s:
        assert s.exec(select(func.count()).select_from(Club)).one() == 1


def test_a_long_read_does_not_hold_up_the_bots_writes(any_db):
    """An operator's report reads in `reading()`: the bot writes meanwhile, and the report sees one snapshot."""
    make_club(any_db)
    with any_db.reading() as report:
        before = report.exec(select(func.count(Club.id))).one()
        with any_db.transaction() as bot:  # would wait for the busy timeout if the read held the write lock
            user = users.get_or_create(bot, "console", "later", "Người Sau")
            clubs.create_club(
                bot, user, NewClub(name="CLB Sau", village="x", commune="x", district="x", province="x", meeting_day=1)
            )
        assert report.exec(select(func.count(Club.id))).one() == before  # still the snapshot it began with
    with any_db.transaction() as s:
        assert s.exec(select(func.count(Club.id))).one() == before + 1


def test_reading_refuses_to_write_on_postgresql(postgres_url):
    db = fresh_postgres(postgres_url)
    with pytest.raises(InternalError), db.reading() as s:
        users.get_or_create(s, "console", "writer", "Người Ghi")
    db.dispose()
