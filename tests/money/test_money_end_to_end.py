"""The real `python -m bot` process over HTTP, against the fake Bot API server: a chair registers a club, adds
members, records a contribution, lends, takes a repayment, undoes it and checks /quy.

Choices are answered by typing their number, as on a phone without buttons; replies are recognised by the
names and amounts in them, which translations leave alone.
"""

from __future__ import annotations

from handlers.i18n import money
from tests.channels.test_end_to_end import bot_process  # noqa: F401  (the fixture: the bot process and the server)
from tests.conftest import REGISTRATION
from tests.fake_bot_api_server import FakeBotApiServer

CHAIR = (111, "An")
MEMBERS = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo\nLê Thị Cúc, 1990, nữ"
PASTE = "2"  # in the /thanhvien menu


async def says(server: FakeBotApiServer, text: str, expect: str = "") -> str:
    """Type `text` and wait for the bot's reply (the first one, or the one containing `expect`)."""
    server.user_says(*CHAIR, text)
    return await server.reply_containing(CHAIR[0], expect)


async def test_contribute_lend_repay_undo_and_check_the_funds_over_http(bot_process):  # noqa: F811
    server, _env, log = bot_process
    for answer in REGISTRATION[:-1]:
        await says(server, answer)
    await says(server, "1", "Mã CLB")
    await says(server, "/thanhvien")
    await says(server, PASTE)
    await says(server, MEMBERS, "Lê Thị Cúc")
    await says(server, "1")

    for typed, expect in (
        ("/donggop Trần Văn Bình 10tr", ""),
        ("1", ""),
        ("1", money(10_000_000)),
        ("1", money(10_000_000)),
    ):  # income fund, capital, save
        await says(server, typed, expect)
    await says(server, "2", "Xong")  # done
    await says(server, "/vay Nguyễn Thị Lan 2tr 12")
    await says(server, "3", money(2_000_000))  # small trade: the read-back
    await says(server, "1", money(8_000_000))  # saved: the cash left
    read_back = await says(server, "/trano nguyen thi lan 500k", money(1_500_000))
    assert "Nguyễn Thị Lan" in read_back
    await says(server, "1", money(1_500_000))
    await says(server, "2", "Xong")  # done

    await says(server, "/hoantac")
    latest = server.last_to(CHAIR[0])["reply_markup"]["inline_keyboard"][0][0]["text"]
    assert latest.startswith("#3") and money(500_000) in latest  # the repayment is the latest entry
    await says(server, "1", money(500_000))  # undo it
    await says(server, "1")  # reason: typing mistake
    await says(server, "1", "#4")  # saved: entry 4 reverses entry 3

    funds = await says(server, "/quy", money(8_000_000))
    assert money(2_000_000) in funds and money(10_000_000) in funds  # out on loan; the whole income fund
    logged = log.read_text()
    # No names, amounts or poverty status in the INFO log, and not the bot token either.
    assert "Nguyễn Thị Lan" not in logged and "Trần Văn Bình" not in logged and "500.000" not in logged
    assert "500000" not in logged and "nghèo" not in logged and "123456:E2E" not in logged
