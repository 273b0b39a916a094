"""Reminders end to end: two schedulers at once, the dry-run CLI, /nhacnho, and Telegram's blocked users."""

from __future__ import annotations

import asyncio
import json
import threading

from sqlmodel import select

from bot.reminders import ReminderService, TelegramSender
from storage.models import BLOCKED, CHAIR, SENT, VICE_CHAIR, Club, DeadlineRecipient, ReminderPreference, User
from tests.cli_support import run_cli
from tests.conftest import register_club
from tests.money_support import TREASURER as TREASURER_CHOICE
from tests.money_support import join_board
from tests.reminder_support import FakeSender, at, make_club, rows


def test_two_schedulers_at_once_send_each_reminder_once(any_db):
    """Two processes' worth of schedulers, each in its own thread with its own loop, racing on one wave."""
    for n in range(12):
        make_club(any_db, name=f"CLB {n}")
    senders = [FakeSender(), FakeSender()]
    start = threading.Barrier(2)

    def run(sender):
        service = ReminderService(any_db, "Asia/Ho_Chi_Minh", {"telegram": sender})
        start.wait()
        asyncio.run(service.run_once(at(2025, 5, 29, 9)))

    threads = [threading.Thread(target=run, args=(sender,)) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    chats = [chat for sender in senders for chat, _text, _choices in sender.sent]
    assert len(chats) == 24 and len(set(chats)) == 24  # chair and vice-chair of 12 clubs, each once
    assert len(rows(any_db)) == 24 and all(r.status == SENT for r in rows(any_db))


def test_dry_run_prints_who_would_get_what_and_sends_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    from storage.db import Database

    db = Database(url)
    db.migrate()
    club = make_club(db, name="CLB thôn Liên Trì")
    with db.transaction() as s:
        chair_name = s.get(User, club.people[CHAIR]).display_name
        vice_name = s.get(User, club.people[VICE_CHAIR]).display_name
    result = run_cli(url, "remind", "--dry-run", "--date", "2025-05-29")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "\tdeadline\t" in line]
    assert len(lines) == 2
    assert all(line.startswith("2025-05-29 08:00") and "2025-H1 +7d" in line and club.code in line for line in lines)
    assert any(chair_name in line for line in lines) and any(vice_name in line for line in lines)
    assert "2 reminder(s)" in result.stdout
    assert "nobody on its board" not in result.stdout and "Ban chủ nhiệm" not in result.stdout
    assert rows(db) == []  # nothing recorded
    db.dispose()


def test_dry_run_says_why_a_club_gets_no_reminder(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    from storage import clubs, users
    from storage.clubs import NewClub
    from storage.db import Database

    db = Database(url)
    db.migrate()
    with db.transaction() as s:  # a club registered on the console only
        chair = users.get_or_create(s, "console", "chair", "Nguyễn Văn An")
        club = clubs.create_club(s, chair, NewClub("CLB thôn Tân An", "Tân An", "Bình Sơn", "", "Quảng Ngãi", 15))
        code = club.code
    result = run_cli(url, "remind", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"{code} CLB thôn Tân An: chưa ai trong Ban chủ nhiệm dùng Telegram hoặc Zalo" in result.stdout
    db.dispose()


async def test_telegram_sender_marks_a_blocked_user_and_uses_the_rate_limited_bot(db, telegram):
    club = make_club(db)
    api = telegram.api

    original = api.do_request

    async def refusing(url, method, request_data=None, **timeouts):
        params = dict(request_data.parameters) if request_data else {}
        if url.endswith("/sendMessage") and str(params.get("chat_id")) == club.chats[VICE_CHAIR]:
            return 403, json.dumps(
                {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
            ).encode()
        return await original(url, method, request_data, **timeouts)

    api.do_request = refusing
    service = ReminderService(db, "Asia/Ho_Chi_Minh", {"telegram": TelegramSender(telegram.app.bot)})
    summary = await service.run_once(at(2025, 5, 29, 9))
    assert (summary.sent, summary.blocked) == (1, 1)
    status = {r.user_id: r.status for r in rows(db)}
    assert status == {club.people[CHAIR]: SENT, club.people[VICE_CHAIR]: BLOCKED}
    assert [c.params["chat_id"] for c in api.sent()] == [int(club.chats[CHAIR])]


async def test_report_button_runs_the_report_command(db, telegram, monkeypatch):
    monkeypatch.setattr("bot.reminders.report_command_exists", lambda: True)
    club = make_club(db)
    service = ReminderService(db, "Asia/Ho_Chi_Minh", {"telegram": TelegramSender(telegram.app.bot)})
    await service.run_once(at(2025, 5, 29, 9))
    message = [c for c in telegram.api.sent(club.chats[CHAIR])][0]
    markup = message.params["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    assert [b["callback_data"] for row in markup["inline_keyboard"] for b in row] == ["/baocao"]
    # Pressing it answers exactly as typing /baocao does (not "that button belongs to a conversation…").
    chair = telegram(int(club.chats[CHAIR]), "Chủ", "nhiệm")
    pressed = await chair.presses_data("/baocao")
    assert pressed and "ended" not in pressed
    assert pressed == await chair.says("/baocao")


def test_nhacnho_turns_a_kind_off_and_sets_the_hour(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    menu = chair.says("/nhacnho")
    assert "08:00" in menu and "ngày 15" in menu
    reply = chair.says("1")  # turn off the deadline reminders
    assert "TẮT" in reply
    chair.says("1")
    with db.transaction() as s:
        user = s.exec(select(User)).first()
        assert s.get(ReminderPreference, user.id).deadline is False
    chair.says("/nhacnho")
    chair.says("4")  # the time
    assert "từ 7 đến 20" in chair.says("22")  # quiet hours are refused
    assert "17:00" in chair.says("17h")
    chair.says("1")
    with db.transaction() as s:
        assert s.get(ReminderPreference, user.id).hour == 17


def test_nhacnho_chair_sets_the_meeting_day_and_deadline_recipients(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    join_board(chair, person, TREASURER_CHOICE, "2", "Trần Thị Bình")
    chair.says_all("/nhacnho", "5")  # the meeting day
    assert "ngày 20" in chair.says("20")
    chair.says("1")
    with db.transaction() as s:
        assert s.exec(select(Club)).one().meeting_day == 20
    chair.says("/nhacnho")
    question = chair.says("6")
    assert "Trần Thị Bình" in question
    assert "Trần Thị Bình" in chair.says("1")
    chair.says("1")
    with db.transaction() as s:
        assert [r.user_id for r in s.exec(select(DeadlineRecipient))] == [2]


def test_nhacnho_treasurer_cannot_change_club_settings(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    treasurer = join_board(chair, person, TREASURER_CHOICE, "2", "Trần Thị Bình")
    menu = treasurer.says("/nhacnho")
    assert "Đổi giờ nhắc" in menu
    assert "Đổi ngày sinh hoạt của CLB" not in menu and "Ai nhận nhắc hạn nộp" not in menu
    treasurer.says("5")  # "Close" for the treasurer: nothing else is offered
    with db.transaction() as s:
        assert s.exec(select(Club)).one().meeting_day == 15


async def test_the_scheduler_runs_the_job_in_the_event_loop(db):
    from bot.reminders import build_scheduler

    make_club(db)
    sender = FakeSender()
    service = ReminderService(db, "Asia/Ho_Chi_Minh", {"telegram": sender}, clock=lambda: at(2025, 5, 29, 9))
    scheduler = build_scheduler(service)
    scheduler.start()
    try:
        job = scheduler.get_job("reminders")
        assert job.trigger.interval.total_seconds() == 300 and str(scheduler.timezone) == "Asia/Ho_Chi_Minh"
        for _ in range(400):  # the first run starts at once; wait for its outcome, not for a time
            if len(rows(db)) == 2 and all(r.status == SENT for r in rows(db)):
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert len(sender.sent) == 2
