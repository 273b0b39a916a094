"""The main money flows through python-telegram-bot on the fake Bot API: buttons, the board's group chat,
a double tap on "save" and a redelivered update.

Buttons are pressed by their value (the callback data), which translations never change.
"""

from __future__ import annotations

import asyncio

import pytest

from handlers.i18n import money
from storage.models import ACTIVITY_FUND, INCOME_FUND, MONTHLY_FEE, REPAYMENT
from tests.conftest import REGISTRATION
from tests.money_support import add_members, all_loans, entries

GROUP = -1001


@pytest.fixture
async def chair(telegram, db):
    """The chair of a registered club with members, in a private chat with the bot."""
    user = telegram(101, "An", "Nguyễn Văn")
    for line in REGISTRATION[:-1]:
        await user.says(line)
    await user.presses_data("yes")
    add_members(db)
    return user


async def contribute(user, line: str, fund: str = INCOME_FUND, kind: str = "capital") -> str:
    await user.says(f"/donggop {line}")
    await user.presses_data(fund)
    await user.presses_data(kind)
    return await user.presses_data("yes")


async def test_a_contribution_by_buttons_is_read_back_then_saved(chair, db):
    await chair.says("/donggop nguyen thi lan 50k")
    assert [value for _label, value in chair.buttons()] == [INCOME_FUND, ACTIVITY_FUND]
    await chair.presses_data(ACTIVITY_FUND)
    read_back = await chair.presses_data(MONTHLY_FEE)
    assert "Nguyễn Thị Lan" in read_back and money(50_000) in read_back
    assert [value for _label, value in chair.buttons()] == [
        "yes",
        "no",
        "date",
        "_edit",
        "_back",
    ]  # "Sửa" from the engine
    saved = await chair.presses_data("yes")
    assert money(50_000) in saved
    assert [(e.fund, e.kind, e.amount) for e in entries(db)] == [(ACTIVITY_FUND, MONTHLY_FEE, 50_000)]


async def test_a_press_stops_the_spinner_while_the_dispatcher_works_and_the_next_question_waits_for_the_choice_shown(
    chair, dispatcher, monkeypatch
):
    """Telegram is slow to answer here: the dispatcher does not wait for the spinner to stop, and the next
    question waits until the spinner has stopped and the last question shows what was picked."""
    slow = {"answerCallbackQuery": asyncio.Event(), "editMessageText": asyncio.Event()}
    answer = chair.api.do_request
    sent_once_both_done = []

    async def slowly(url, method, request_data=None, **timeouts):
        called = url.rsplit("/", 1)[-1]
        if called == "sendMessage":
            sent_once_both_done.append(all(event.is_set() for event in slow.values()))
        answered = await answer(url, method, request_data, **timeouts)
        if (event := slow.get(called)) is not None:
            await asyncio.sleep(0.3)
            event.set()
        return answered

    spinner_stopped_when_handled = []
    handle = dispatcher.handle

    def watched(incoming):
        spinner_stopped_when_handled.append(slow["answerCallbackQuery"].is_set())
        return handle(incoming)

    monkeypatch.setattr(chair.api, "do_request", slowly)
    monkeypatch.setattr(dispatcher, "handle", watched)
    await chair.says("/donggop nguyen thi lan 50k")
    before = len(chair.api.calls)
    await chair.presses_data(INCOME_FUND)
    assert spinner_stopped_when_handled[-1] is False
    assert [call.method for call in chair.api.calls[before:]] == [
        "answerCallbackQuery",
        "editMessageText",
        "sendMessage",
    ]
    assert sent_once_both_done[-1] is True


async def test_xong_is_answered_under_the_question_it_was_pressed_on_without_a_new_message(chair, db):
    await contribute(chair, "Lê Thị Hoa 50k")
    question = chair.last_replies[-1]
    assert await chair.presses_data("done") == ""
    edit = chair.api.calls[-1]
    assert edit.method == "editMessageText" and edit.params["message_id"] == question.message_id
    assert edit.params["text"] == f"{question.params['text']}\n\n→ Xong\nXong. Gõ /menu để chọn việc tiếp theo."


async def test_xong_on_a_question_telegram_cannot_edit_is_answered_in_a_new_message(chair, db, monkeypatch):
    await contribute(chair, "Lê Thị Hoa 50k")
    answer = chair.api.do_request

    async def too_old_to_edit(url, method, request_data=None, **timeouts):
        if url.endswith("/editMessageText"):
            return 400, b'{"ok": false, "error_code": 400, "description": "Bad Request: message can\'t be edited"}'
        return await answer(url, method, request_data, **timeouts)

    monkeypatch.setattr(chair.api, "do_request", too_old_to_edit)
    assert await chair.presses_data("done") == "Xong. Gõ /menu để chọn việc tiếp theo."


async def test_a_double_tap_on_save_records_once(chair, db):
    await chair.says("/donggop Lê Thị Hoa 50k")
    await chair.presses_data(INCOME_FUND)
    await chair.presses_data("capital")
    await chair.presses_data("yes")
    await chair.presses_data("yes")  # the same button again, before the screen changed
    assert [value for _label, value in chair.buttons()] == ["next", "done"]  # still after the one save
    assert len(entries(db)) == 1


async def test_a_redelivered_update_records_once(chair, db):
    await chair.says("/donggop Lê Thị Hoa 50k")
    await chair.presses_data(INCOME_FUND)
    await chair.presses_data("capital")
    await chair.presses_data("yes", update_id=900_001)
    assert await chair.presses_data("yes", update_id=900_001) == ""  # Telegram sent it again: dropped
    assert len(entries(db)) == 1


async def test_next_member_by_button_keeps_fund_and_kind(chair, db):
    await contribute(chair, "Nguyễn Thị Lan 20k", ACTIVITY_FUND, MONTHLY_FEE)
    await chair.presses_data("next")
    read_back = await chair.says("Trần Văn Bình 20k")
    assert "Trần Văn Bình" in read_back
    await chair.presses_data("yes")
    await chair.presses_data("done")
    assert [(e.fund, e.kind) for e in entries(db)] == [(ACTIVITY_FUND, MONTHLY_FEE)] * 2


async def test_lend_then_repay_with_what_is_still_owed(chair, db):
    await contribute(chair, "Trần Văn Bình 10tr")
    await chair.says("/vay Nguyễn Thị Lan 2tr 12")
    read_back = await chair.presses_data("livestock")
    assert money(2_000_000) in read_back and "23/12/2026" in read_back
    await chair.presses_data("yes")
    [loan] = all_loans(db)
    read_back = await chair.says("/trano nguyen thi lan 500k")
    assert money(500_000) in read_back and money(1_500_000) in read_back
    await chair.presses_data("yes")
    repayment = entries(db)[-1]
    assert (repayment.kind, repayment.loan_id, repayment.amount) == (REPAYMENT, loan.id, 500_000)
    funds = await chair.says("/quy")
    assert money(8_500_000) in funds and money(1_500_000) in funds


async def test_a_secretary_cannot_lend(chair, telegram, db):
    await contribute(chair, "Trần Văn Bình 10tr")
    await chair.says("/moi")
    await chair.presses_data("secretary")
    invite = await chair.presses_data("yes")
    code = invite.split("/start ")[1].split()[0]
    secretary = telegram(202, "Cường", "Lê Văn")
    await secretary.says(f"/start {code}")
    await secretary.presses_data("yes")
    refused = await secretary.says("/vay Nguyễn Thị Lan 2tr 12")
    assert "/vay" in refused and secretary.buttons() == []
    assert all_loans(db) == []


async def test_the_chair_links_the_board_group_and_every_entry_is_announced_there(chair, telegram, db):
    in_group = telegram(101, "An", "Nguyễn Văn", chat_id=GROUP)
    question = await in_group.says("/nhom")
    assert "CLB Liên thế hệ tự giúp nhau thôn Liên Trì" in question
    await in_group.presses_data("yes")
    before = len(telegram.api.sent(GROUP))
    await contribute(chair, "Lê Thị Hoa 50k")
    announced = [call.params["text"] for call in telegram.api.sent(GROUP)[before:]]
    assert len(announced) == 1
    assert "Lê Thị Hoa" in announced[0] and money(50_000) in announced[0]
    await chair.presses_data("done")
    await chair.says("/hoantac")
    await chair.presses_data(str(entries(db)[0].id))
    await chair.presses_data("mistake")
    await chair.presses_data("yes")
    reversal = telegram.api.sent(GROUP)[-1].params["text"]
    assert f"#{entries(db)[0].id}" in reversal and money(50_000) in reversal
