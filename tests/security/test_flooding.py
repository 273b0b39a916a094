"""Flooding, on SQLite and PostgreSQL: guessing invite and link codes, and bursts of messages.

- A person may type at most 5 wrong invite or link codes in an hour; the next code, right or wrong, is
  answered with when they may try again ("thử lại sau … phút", the real minutes), and nothing is saved.
- A chat sending more than its burst limit is answered once and the rest of the burst is dropped unread;
  other chats are answered as usual, and after the burst the chat goes on where it was.

The test moves the dispatcher's clock; nothing waits.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import func, select

from bot.config import Settings
from bot.renderers import render
from handlers.accounts import texts as account_texts
from handlers.dispatcher import Dispatcher, too_fast
from handlers.i18n import language
from handlers.onboarding import texts
from handlers.registry import COMMANDS
from storage.accounts import LinkStatus
from storage.clubs import InviteStatus
from storage.limits import BURST_WINDOW, WRONG_CODE_WINDOW, WRONG_CODES_PER_HOUR
from storage.models import BoardSeat
from tests.conftest import REGISTRATION, Clock, ConsolePerson, register_club

BURST = 20  # Settings.from_env's default


def dispatcher_on(db, clock: Clock, burst_messages: int | None = None) -> Dispatcher:
    settings = Settings(database_url=db.url, burst_messages=burst_messages)
    return Dispatcher(db, settings, COMMANDS, clock=clock, render=render)


def invite_code(chair: ConsolePerson) -> str:
    return chair.says_all("/moi", "2", "1").split("/start ")[1].split()[0]  # a treasurer's invite


def seats(db) -> int:
    with db.transaction() as s:
        return s.exec(select(func.count()).select_from(BoardSeat)).one()


def test_after_5_wrong_codes_in_an_hour_even_the_right_one_waits_and_says_how_long(any_db, clock):
    dispatcher = dispatcher_on(any_db, clock)
    chair = ConsolePerson(dispatcher, "1", "Nguyễn Văn An")
    register_club(chair)
    code = invite_code(chair)
    guesser = ConsolePerson(dispatcher, "66", "Kẻ Đoán Mã")

    for attempt in range(5):
        assert texts.invite_problem(InviteStatus.UNKNOWN) in guesser.says(f"/start WRONG{attempt}")
        clock.now += timedelta(minutes=5)  # the fifth at 20 minutes past
    # 25 minutes after the first wrong code: 35 more until it is an hour old.
    refusal = guesser.says(f"/start {code}").strip()
    assert refusal == texts.too_many_wrong_codes(minutes=35) and "thử lại sau 35 phút" in refusal
    assert guesser.says("/lienket ABCDEF").strip() == texts.too_many_wrong_codes(minutes=35)  # the same limit
    assert seats(any_db) == 1  # the chair's only

    # Someone else is not held up by it.
    newcomer = ConsolePerson(dispatcher, "77", "Lê Thị Hằng")
    assert texts.invite_problem(InviteStatus.UNKNOWN) in newcomer.says("/start WRONG")

    clock.now += timedelta(minutes=35)  # the first wrong code is an hour old: one more try
    assert "/start" not in guesser.says(f"/start {code}")  # the invite's question, not a refusal
    guesser.says("1")  # join
    assert seats(any_db) == 2


def test_wrong_link_codes_count_too(any_db, clock):
    dispatcher = dispatcher_on(any_db, clock)
    guesser = ConsolePerson(dispatcher, "66", "Kẻ Đoán Mã")
    for attempt in range(3):
        assert account_texts.code_problem(LinkStatus.UNKNOWN) in guesser.says(f"/lienket WRONG{attempt}")
    for attempt in range(2):
        assert texts.invite_problem(InviteStatus.UNKNOWN) in guesser.says(f"/start WRONG{attempt}")
    assert guesser.says("/lienket WRONG9").strip() == texts.too_many_wrong_codes(minutes=60)


def test_a_burst_is_answered_once_and_dropped_and_other_chats_go_on(any_db, clock):
    dispatcher = dispatcher_on(any_db, clock, burst_messages=BURST)
    flooder = ConsolePerson(dispatcher, "66", "Kẻ Gửi Dồn")
    neighbour = ConsolePerson(dispatcher, "77", "Lê Thị Hằng")
    flooder.says_all(*REGISTRATION[:3])  # registering a club: asked for the province
    assert str(texts.PLACE_NAME_PROBLEM) in flooder.says("1")  # not a place name: asked again

    answers = [flooder.send("1") for _ in range(200)]  # 200 messages in no time
    assert [len(a) for a in answers[: BURST - 4]] == [1] * (BURST - 4)  # within the limit: answered as usual
    notice = answers[BURST - 4]
    assert [reply.text for reply in notice] == [too_fast()]  # one sentence saying to wait
    assert answers[BURST - 3 :] == [[]] * (200 - BURST + 3)  # the rest: no answer at all
    assert "/start" in neighbour.says("xin chào")  # another chat, at the same moment: answered

    clock.now += BURST_WINDOW
    assert texts.ask_commune("Quảng Ngãi") in flooder.says(REGISTRATION[3])  # the flow goes on where it was


def test_two_processes_count_the_same_burst(any_db, clock):
    first, second = dispatcher_on(any_db, clock, BURST), dispatcher_on(any_db, clock, BURST)
    in_first, in_second = ConsolePerson(first, "66", "Kẻ Gửi Dồn"), ConsolePerson(second, "66", "Kẻ Gửi Dồn")
    answered = [in_first.send("xin chào") for _ in range(BURST // 2)]
    answered += [in_second.send("xin chào") for _ in range(BURST // 2)]
    assert all(answered)
    assert len(in_second.send("xin chào")) == 1 and in_first.send("xin chào") == []


def test_the_readme_states_the_limits_the_bot_keeps():
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    with language("vi"):
        assert texts.too_many_wrong_codes(minutes=999).replace("999", "N") in readme
        assert too_fast() in readme
    assert "types 5 invite or link codes that match nothing within an hour" in readme
    assert WRONG_CODES_PER_HOUR == 5 and timedelta(hours=1) == WRONG_CODE_WINDOW
    assert Settings.from_env({}).burst_messages == 20 and timedelta(seconds=10) == BURST_WINDOW
    assert "more than `BURST_MESSAGES` (20) messages within 10 s gets one answer" in readme
