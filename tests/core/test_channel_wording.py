"""One wording per channel: a text that points to a choice says "Bấm «Bỏ qua»" where choices are buttons
(Telegram) and "Gõ 2" where they are a numbered list (Zalo, console), the channel choosing, not the text.

Every flow a chair can start is walked on each channel as in test_every_flow, and everything the bot says on
the way is read as the person reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest
from sqlmodel import select

from handlers.core import Choice, naming_choices, press, skip_choice
from storage.models import ChannelAccount, Conversation
from tests.core.test_every_flow import CHAIR_KEY, MOST_ANSWERS, answer_for, club_with_a_borrower, walked_commands
from tests.zalo_support import zalo, zalo_server  # noqa: F401  (fixtures)

Says = Callable[[str], Awaitable[str]]
ZALO_CHAIR, TELEGRAM_CHAIR = "zu-chair", 7001


def the_chair_also_on(db, channel: str, external_id: str) -> None:
    """The chair of the walked club, with an account on `channel` too."""
    with db.transaction() as s:
        chair_id = s.exec(
            select(ChannelAccount.user_id).where(
                ChannelAccount.channel == "console", ChannelAccount.external_id == CHAIR_KEY
            )
        ).one()
        s.add(ChannelAccount(channel=channel, external_id=external_id, user_id=chair_id))


def where(db, channel: str, key: str) -> tuple[str | None, str | None, dict]:
    with db.transaction() as s:
        convo = s.exec(
            select(Conversation).where(Conversation.channel == channel, Conversation.user_key == key)
        ).first()
        return (convo.flow, convo.step, convo.data) if convo else (None, None, {})


async def walk(command: str, db, channel: str, key: str, says: Says) -> list[str]:
    """Everything said while answering /command's questions, one by one, until the flow ends."""
    said = [await says(f"/{command}")]
    asked: list[str] = []
    for _answer in range(MOST_ANSWERS):
        flow, step, data = where(db, channel, key)
        if flow is None or step is None:
            break
        asked.append(step)
        said.append(await says(answer_for(flow, step, data, asked.count(step) - 1)))
    return said


def not_offered(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "not offered" in r.getMessage()]


@pytest.mark.parametrize("command", walked_commands())
async def test_on_zalo_and_the_console_no_flow_says_press(command, db, person, zalo, caplog):  # noqa: F811
    club_with_a_borrower(db)
    the_chair_also_on(db, "zalo", ZALO_CHAIR)
    on_zalo = zalo(ZALO_CHAIR, "Nguyễn Văn An")
    chair = person(CHAIR_KEY, "Nguyễn Văn An")

    async def on_console(text: str) -> str:
        return chair.says(text)

    for channel, key, says in (("console", CHAIR_KEY, on_console), ("zalo", ZALO_CHAIR, on_zalo.says)):
        for message in await walk(command, db, channel, key, says):
            assert "bấm" not in message.lower(), (channel, message)
            assert "\x02" not in message and "\x03" not in message, (channel, message)
    assert not not_offered(caplog)


@pytest.mark.parametrize("command", walked_commands())
async def test_on_telegram_the_flows_name_their_buttons(command, db, telegram, caplog):
    club_with_a_borrower(db)
    the_chair_also_on(db, "telegram", str(TELEGRAM_CHAIR))
    chair = telegram(TELEGRAM_CHAIR)
    said = await walk(command, db, "telegram", str(TELEGRAM_CHAIR), chair.says)
    assert not any("\x02" in message for message in said)
    assert not not_offered(caplog)


async def test_telegram_says_press_and_the_button_zalo_says_type_and_its_number(db, person, telegram, zalo):  # noqa: F811
    club_with_a_borrower(db)
    the_chair_also_on(db, "telegram", str(TELEGRAM_CHAIR))
    the_chair_also_on(db, "zalo", ZALO_CHAIR)
    on_telegram, on_zalo = telegram(TELEGRAM_CHAIR), zalo(ZALO_CHAIR, "Nguyễn Văn An")
    for says in (on_telegram.says, on_zalo.says):
        await says("/thanhvien")
        await says("Thêm một thành viên")
        for answer in ("Trần Thị Hoa", "1950", "Nữ", "2019", "1", "Không", "Không"):
            asked = await says(answer)
    telegram_asked = on_telegram.text
    assert "Số điện thoại? Bấm «Bỏ qua» nếu không có." in telegram_asked, telegram_asked
    assert ("Bỏ qua", "skip") in on_telegram.buttons()
    assert "Số điện thoại? Gõ 1 nếu không có.\n  1. Bỏ qua" in asked, asked


def test_a_choice_named_mid_sentence_is_lowercase_and_one_not_offered_is_named_by_its_words(caplog):
    skip, done = skip_choice(), Choice("done", "Xong")
    text = f"Đánh dấu xong thì {press(done)}. {press(skip)} nếu không có."
    on_telegram = "Đánh dấu xong thì bấm «Xong». Bấm «Bỏ qua» nếu không có."
    assert naming_choices(text, [done, skip], buttons=True) == on_telegram
    assert naming_choices(text, [done, skip], buttons=False) == "Đánh dấu xong thì gõ 1. Gõ 2 nếu không có."
    with caplog.at_level(logging.WARNING):
        assert naming_choices(text, [done], buttons=False) == "Đánh dấu xong thì gõ 1. Gõ «Bỏ qua» nếu không có."
    assert not_offered(caplog) == ["A text names the choice 'skip', which is not offered"]
