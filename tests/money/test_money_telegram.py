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


async def test_a_press_is_acknowledged_while_the_dispatcher_works_and_before_the_next_question(
    chair, dispatcher, monkeypatch
):
    """Telegram is slow to answer here: the dispatcher does not wait for the spinner to stop nor for the buttons
    to be taken off the question, and the next question waits for both."""
    acknowledged = {"answerCallbackQuery": asyncio.Event(), "editMessageReplyMarkup": asyncio.Event()}
    answer = chair.api.do_request

    async def slow(url, method, request_data=None, **timeouts):
        answered = await answer(url, method, request_data, **timeouts)
        if (event := acknowledged.get(url.rsplit("/", 1)[-1])) is not None:
            await asyncio.sleep(0.3)
            event.set()
        return answered

    handled_while_acknowledging = []
    handle = dispatcher.handle

    def watched(incoming):
        handled_while_acknowledging.append([not event.is_set() for event in acknowledged.values()])
        return handle(incoming)

    monkeypatch.setattr(chair.api, "do_request", slow)
    monkeypatch.setattr(dispatcher, "handle", watched)
    await chair.says("/donggop nguyen thi lan 50k")
    before = len(chair.api.calls)
    await chair.presses_data(INCOME_FUND)
    assert handled_while_acknowledging[-1] == [True, True]
    methods = [call.method for call in chair.api.calls[before:]]
    assert sorted(methods[:2]) == ["answerCallbackQuery", "editMessageReplyMarkup"] and methods[2:] == ["sendMessage"]


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
