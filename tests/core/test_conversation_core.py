"""How any conversation behaves: cancel, help, bad content, restarts, redeliveries, group chats, buttons."""

from __future__ import annotations

from sqlmodel import func, select

from bot.renderers import render
from handlers.dispatcher import Dispatcher
from handlers.registry import COMMANDS
from storage.models import Club, Member
from tests.conftest import REGISTRATION, ConsolePerson, register_club


def count(db, table) -> int:
    with db.transaction() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def test_cancel_leaves_any_flow_and_saves_nothing(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:4])
    assert "Đã dừng" in chair.says("/huy")
    assert "Không có việc gì" in chair.says("/cancel")
    chair.says_all(*REGISTRATION[:-1])
    assert "Đã dừng" in chair.says("hủy")
    assert count(db, Club) == 0


def test_a_new_person_is_told_how_to_begin(person):
    assert "/start" in person().says("xin chào")


def test_help_lists_what_the_role_allows(person):
    stranger_help = person("9", "Người Lạ").says("/trogiup")
    assert "/start" in stranger_help and "/moi" not in stranger_help
    chair = person()
    register_club(chair)
    chair_help = chair.says("/help")
    assert "/moi" in chair_help and "/thanhvien" in chair_help and "Chủ nhiệm" in chair_help


def test_menu_choices_can_be_typed_as_numbers_or_words(person):
    chair = person()
    register_club(chair)
    menu = chair.says("/menu")
    number = next(line.split(".")[0].strip() for line in menu.splitlines() if "Thành viên" in line)
    assert "Thêm một thành viên" in chair.says(number)
    chair.says("/menu")
    assert "Thêm một thành viên" in chair.says("thanh vien: them, xem, tim, sua")


def test_unknown_commands_and_wrong_answers_get_a_way_forward(person):
    chair = person()
    assert "/trogiup" in chair.says("/khongco")
    chair.says_all(*REGISTRATION[:8])
    reply = chair.says("ngày rằm")
    assert "1 đến 28" in reply


def test_a_restart_in_the_middle_of_a_flow_loses_nothing(db, settings, clock):
    first = ConsolePerson(Dispatcher(db, settings, COMMANDS, clock=clock, render=render), "1", "Nguyễn Văn An")
    first.says_all(*REGISTRATION[:5])
    # A new process: a new dispatcher on the same database.
    second = ConsolePerson(Dispatcher(db, settings, COMMANDS, clock=clock, render=render), "1", "Nguyễn Văn An")
    reply = second.says_all(*REGISTRATION[5:])
    assert "Mã CLB" in reply
    assert count(db, Club) == 1


async def test_a_sticker_or_a_huge_message_mid_flow_is_answered_and_the_flow_goes_on(telegram, db):
    chair = telegram()
    await chair.says("/start")
    sticker_reply = await chair.sends_sticker()
    assert "chỉ đọc được chữ" in sticker_reply and "Tên CLB" in sticker_reply
    long_reply = await chair.says("A" * 4000)
    assert "quá dài" in long_reply
    assert "thôn" in await chair.says("CLB Liên thế hệ thôn Liên Trì")
    assert count(db, Club) == 0


async def test_a_redelivered_update_is_handled_once(telegram, db):
    chair = telegram()
    for text in REGISTRATION[:-1]:
        await chair.says(text)
    await chair.presses("Đồng ý", update_id=777_001)
    assert "Mã CLB" in chair.text
    assert await chair.presses_data("yes", update_id=777_001) == ""
    assert count(db, Club) == 1


async def test_a_double_tap_on_confirm_saves_once(telegram, db):
    chair = telegram()
    for text in REGISTRATION[:-1]:
        await chair.says(text)
    await chair.presses_data("yes")
    second = await chair.presses_data("yes")  # the club is saved; the one question left is how to call them
    assert "câu hỏi trước" in second and "gọi bạn là gì" in second
    assert count(db, Club) == 1


async def test_forged_button_data_is_refused(telegram, db):
    chair = telegram()
    for text in REGISTRATION[:-1]:
        await chair.says(text)
    reply = await chair.presses_data("member:1;DROP TABLE club")
    assert "câu hỏi trước" in reply and "Lưu?" in reply
    assert count(db, Club) == 0


async def test_the_telegram_menu_shows_vietnamese_descriptions(telegram):
    await telegram.app.post_init(telegram.app)
    menus = [c.params for c in telegram.api.calls if c.method == "setMyCommands"]
    vietnamese = next(m for m in menus if "language_code" not in m)
    descriptions = {c["command"]: c["description"] for c in _json(vietnamese["commands"])}
    assert descriptions["huy"] == "Dừng việc đang làm"
    assert "Thành viên" in descriptions["thanhvien"]


def _json(value):
    import json

    return json.loads(value) if isinstance(value, str) else value


async def test_two_board_members_keep_their_own_flows_in_the_group_chat(telegram, db):
    chair_private = telegram(201, "An")
    for text in REGISTRATION:
        await chair_private.says(text)
    for text in ("/moi", "3", "1"):
        await chair_private.says(text)
    code = chair_private.text.split("/start ")[1].split()[0]
    secretary_private = telegram(202, "Bình", "Trần Thị")
    await secretary_private.says(f"/start {code}")
    await secretary_private.presses("Đồng ý")

    group = -1001
    chair = telegram(201, "An", chat_id=group)
    secretary = telegram(202, "Bình", "Trần Thị", chat_id=group)
    await chair.says("/thanhvien")
    await secretary.says("/thanhvien")
    await chair.presses("Dán danh sách")
    await secretary.presses("Thêm một thành viên")
    assert "Năm sinh" in await secretary.says("Lê Thị Cúc")
    assert "Sẽ thêm 1" in await chair.says("Nguyễn Thị Lan, 1952, nữ")
    await chair.presses("Đồng ý")
    assert count(db, Member) == 1
    # The bot answers in the group, replying to each person's own message.
    assert chair.last_replies and all(c.params.get("reply_parameters") for c in chair.last_replies)


async def test_people_can_switch_to_english(telegram):
    user = telegram()
    await user.says("/ngonngu")
    assert "English" in await user.presses("English")
    assert "Type /start" in await user.says("hello")


async def test_an_unexpected_error_is_logged_and_the_user_told_in_vietnamese(telegram, db, monkeypatch, caplog):
    chair = telegram()
    for text in REGISTRATION[:-1]:
        await chair.says(text)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("storage.clubs.create_club", broken)
    reply = await chair.presses("Đồng ý")
    assert "Xin lỗi, có lỗi xảy ra nên chưa lưu gì" in reply
    assert "disk on fire" in caplog.text and "Quảng Ngãi" not in caplog.text
    assert count(db, Club) == 0
    monkeypatch.undo()
    # Nothing was half-done: the question is still open, and answering it now works.
    assert "Mã CLB" in await chair.presses_data("yes")


async def test_when_the_database_is_unreachable_the_user_is_asked_to_retry(settings, clock):
    from bot.telegram_channel import build_application
    from storage.db import Database
    from tests.fakes import FakeBotApi, TelegramUser

    unreachable = Database("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    api = FakeBotApi()
    app = build_application(
        settings, Dispatcher(unreachable, settings, COMMANDS, clock=clock, render=render), request=api
    )
    await app.initialize()
    try:
        reply = await TelegramUser(app, api, 5, "An").says("/start")
    finally:
        await app.shutdown()
    assert "không kết nối được cơ sở dữ liệu" in reply


def test_a_flow_left_for_a_day_is_closed_not_resumed(person, clock, db):
    from datetime import timedelta

    chair = person()
    chair.says_all(*REGISTRATION[:-1])
    clock.now += timedelta(hours=25)
    assert "đã được đóng lại" in chair.says("1")
    assert count(db, Club) == 0
    assert "Tên CLB" in chair.says("/start")
