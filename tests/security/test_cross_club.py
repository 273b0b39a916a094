"""One club's data never reaches another club's people (issue 18, items 1-4), tried as an attacker would.

Two clubs: A (chair '1', Liên Trì) and B (chair '50', Phú Lộc). A person on both boards switches club or is
removed in the middle of a flow; a district reviewer serves both clubs; A's board has a group chat with a
guest in it and with a member of club B. Each test is the attack the README's "Personal data" section says
cannot succeed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.console import render
from handlers.core import Incoming
from storage.models import (
    BOARD_MEMBER,
    CHAIR,
    REVIEWER,
    TREASURER,
    BoardSeat,
    Club,
    Invite,
    LedgerEntry,
    LinkCode,
    Member,
)
from tests.conftest import REGISTRATION
from tests.security.test_security_matrix import invite, two_clubs  # noqa: F401 (a fixture)

CLUB_A, CLUB_B = REGISTRATION[1], "CLB Liên thế hệ thôn Phú Lộc"
SECRETS_OF_B = ("Hoàng Thị Xuyến", "Đinh Văn Khải", CLUB_B)
NEW_MEMBERS = "Lò Thị Mai, 1951, nữ, nghèo, DTTS\nCầm Văn Sơn, 1949, nam, cận nghèo"


@pytest.fixture
def db(any_db):
    """Every attack here on SQLite and on PostgreSQL."""
    return any_db


class GroupChat:
    """A group chat on the console channel, where each line comes from one of its people."""

    def __init__(self, dispatcher, chat_id: str = "-1001"):
        self.dispatcher, self.chat_id = dispatcher, chat_id

    def says(self, who, text: str) -> str:
        replies = self.dispatcher.handle(
            Incoming(
                channel="console",
                chat_id=self.chat_id,
                user_id=who.user_id,
                user_name=who.name,
                text=text,
                is_group=True,
            )
        )
        return "\n\n".join(render(reply) for reply in replies)


def join(who, code: str) -> None:
    assert "Mã CLB" in who.says_all(f"/start {code}", "1")


def counts(db, model) -> dict[str, int]:
    """How many rows of `model` each club has, by club name."""
    with db.transaction() as s:
        return {
            club.name: s.exec(select(func.count()).select_from(model).where(model.club_id == club.id)).one()
            for club in s.exec(select(Club))
        }


def active_seats(db) -> set[tuple[int, int, str]]:
    """(club, person, role) of every seat on a board."""
    with db.transaction() as s:
        return {(seat.club_id, seat.user_id, seat.role) for seat in s.exec(select(BoardSeat).where(BoardSeat.active))}


def on_both_boards(person, two_clubs, role: str = TREASURER):
    """Lê Thị Hoa, in `role` on both boards, working on club A in her private chat."""
    chair_a, chair_b = two_clubs
    hoa = person("7", "Lê Thị Hoa")
    join(hoa, invite(chair_a, role))
    join(hoa, invite(chair_b, role))
    assert CLUB_A in hoa.says_all("/clb", CLUB_A)
    return hoa


def fund_activities(who, member: str) -> None:
    """100k from `member` into the activity fund of the club `who` works on, so that an expense can be saved."""
    assert "Đã lưu" in who.says_all(f"/donggop {member} 100k hoạt động", "1", "1", "2")


def fund_both_clubs(hoa) -> None:
    fund_activities(hoa, "Nguyễn Thị Lan")
    hoa.says_all("/clb", CLUB_B)
    fund_activities(hoa, "Hoàng Thị Xuyến")
    hoa.says_all("/clb", CLUB_A)


# --- item 2: a flow belongs to the club it started in -----------------------------------------------------


def test_an_expense_read_back_in_club_a_is_not_saved_in_b_after_a_switch_on_another_chat(person, db, two_clubs):
    hoa = on_both_boards(person, two_clubs)
    fund_both_clubs(hoa)  # so that the expense could be saved in either club
    before = counts(db, LedgerEntry)
    readback = hoa.says("/chi 50k mua bút")
    assert "50.000" in readback
    # On her other chat (another app, say) she switches to club B, then comes back and presses "Lưu".
    person("7", "Lê Thị Hoa", chat_id="7-other").says_all("/clb", CLUB_B)
    reply = hoa.says("1")
    assert "Bạn đã chuyển sang CLB khác" in reply and CLUB_A in reply
    assert counts(db, LedgerEntry) == before
    # The flow is over: a second "yes" saves nothing either.
    hoa.says("1")
    assert counts(db, LedgerEntry) == before


def test_a_contribution_for_a_club_a_member_does_not_crash_or_save_after_a_switch(person, db, two_clubs):
    hoa = on_both_boards(person, two_clubs)
    before = counts(db, LedgerEntry)
    assert "khoản đóng góp gì" in hoa.says("/donggop Nguyễn Thị Lan 50k hoạt động")
    person("7", "Lê Thị Hoa", chat_id="7-other").says_all("/clb", CLUB_B)
    for answer in ("1", "1", "1"):  # whatever the next questions were, they are answered
        reply = hoa.says(answer)
        assert "lỗi" not in reply.lower()
    assert counts(db, LedgerEntry) == before


def test_the_next_member_of_a_contribution_round_in_club_a_is_not_taken_from_club_b(person, db, two_clubs):
    """ "Next member" starts the questions afresh; the round still belongs to club A."""
    hoa = on_both_boards(person, two_clubs)
    assert "Người tiếp theo" in hoa.says_all("/donggop Nguyễn Thị Lan 100k hoạt động", "1", "1")
    hoa.says("1")  # next member
    before = counts(db, LedgerEntry)
    person("7", "Lê Thị Hoa", chat_id="7-other").says_all("/clb", CLUB_B)
    reply = hoa.says("Hoàng Thị Xuyến 50k")  # a member of club B
    assert "Bạn đã chuyển sang CLB khác" in reply and "Hoàng Thị Xuyến" not in reply
    hoa.says_all("1", "1", "1")
    assert counts(db, LedgerEntry) == before


def test_a_member_paste_is_not_saved_anywhere_once_the_person_is_removed_from_that_board(person, db, two_clubs):
    chair_a, _chair_b = two_clubs
    hoa = on_both_boards(person, two_clubs)
    before = counts(db, Member)
    hoa.says_all("/thanhvien", "2")
    readback = hoa.says(NEW_MEMBERS)
    assert "Lò Thị Mai" in readback
    removed = chair_a.says_all("/huy", "/bancn", "Lê Thị Hoa", "2", "1")  # the chair of A removes her meanwhile
    assert "Lê Thị Hoa không còn trong Ban chủ nhiệm" in removed
    reply = hoa.says("1")
    assert f"Bạn không còn trong Ban chủ nhiệm {CLUB_A}" in reply
    assert counts(db, Member) == before  # not in A, and above all not in B (with poverty status and ethnicity)


def test_a_flow_started_in_club_a_still_saves_in_a_when_nothing_changed(person, db, two_clubs):
    hoa = on_both_boards(person, two_clubs)
    fund_activities(hoa, "Nguyễn Thị Lan")
    before = counts(db, LedgerEntry)
    hoa.says("/chi 50k mua bút")
    assert "Đã lưu" in hoa.says("1")
    assert counts(db, LedgerEntry) == {**before, CLUB_A: before[CLUB_A] + 1}


# --- item 1: link codes only for people whose every seat the chair chairs ---------------------------------


def test_a_chair_cannot_make_a_link_code_for_a_reviewer_shared_with_another_club(person, db, two_clubs):
    """Chair B making a code for the reviewer of A and B would hand A's members to whoever redeems it."""
    chair_a, chair_b = two_clubs
    reviewer = person("8", "Đỗ Văn Duyệt")
    join(reviewer, invite(chair_a, REVIEWER))
    join(reviewer, invite(chair_b, REVIEWER))
    only_b = person("60", "Vũ Thị Riêng")
    join(only_b, invite(chair_b, BOARD_MEMBER))
    chair_b.says("/lienket")
    pick = chair_b.says("2")  # a code for a board member
    assert "Vũ Thị Riêng" in pick and "Đỗ Văn Duyệt" not in pick
    chair_b.says("Đỗ Văn Duyệt")  # typed anyway
    with db.transaction() as s:
        assert s.exec(select(func.count()).select_from(LinkCode)).one() == 0
    # Chair B still makes one for someone who sits only in B, and the reviewer makes their own.
    assert "Vũ Thị Riêng" in chair_b.says("Vũ Thị Riêng")
    assert "Mã liên kết của bạn" in reviewer.says_all("/lienket", "1")


# --- item 3: a linked group chat belongs to its club -------------------------------------------------------


def linked_group(dispatcher, chair_a) -> GroupChat:
    group = GroupChat(dispatcher)
    group.says(chair_a, "/nhom")
    assert CLUB_A in group.says(chair_a, "1")
    return group


def test_in_club_as_group_a_person_who_switched_to_club_b_still_acts_on_club_a(person, dispatcher, db, two_clubs):
    chair_a, chair_b = two_clubs
    group = linked_group(dispatcher, chair_a)
    join(chair_a, invite(chair_b, BOARD_MEMBER))  # chair A also serves B and now works on B in private
    menu = group.says(chair_a, "/thanhvien")
    assert CLUB_A in menu
    listed = group.says(chair_a, "4")  # the list
    funds = group.says(chair_a, "/quy")
    assert "Nguyễn Thị Lan" in listed and CLUB_A in funds
    for reply in (menu, listed, funds):
        assert not any(secret in reply for secret in SECRETS_OF_B), reply


def test_in_club_as_group_a_guest_and_club_bs_chair_are_refused(person, dispatcher, db, two_clubs):
    chair_a, chair_b = two_clubs
    group = linked_group(dispatcher, chair_a)
    guest = person("9", "Người Lạ")
    seats, invites = active_seats(db), counts(db, Invite)
    for who in (chair_b, guest):
        for command in ("/thanhvien", "/quy", "/baocao", "/nhom", "/moi", "/bancn", "/trogiup", "/start"):
            reply = group.says(who, command)
            assert not any(secret in reply for secret in SECRETS_OF_B), (command, reply)
            assert f"Nhóm chat này là của Ban chủ nhiệm {CLUB_A}" in reply, (command, reply)
            group.says(who, "1")  # an answer to a question that was not asked
    assert active_seats(db) == seats and counts(db, Invite) == invites
    # The board chat is still A's: chair B could not take it over with /nhom.
    assert CLUB_A in group.says(chair_a, "/quy")


# --- item 4: invite codes only in private; a new chair cannot oust the one who invited them --------------


def test_invite_and_link_codes_are_not_made_in_a_group_chat(person, dispatcher, db, two_clubs):
    chair_a, _chair_b = two_clubs
    group = linked_group(dispatcher, chair_a)
    before = counts(db, Invite)
    reply = group.says(chair_a, "/moi")
    assert "nhắn riêng" in reply
    group.says(chair_a, "6")  # the chair role, as the attack picked it
    group.says(chair_a, "1")
    assert "nhắn riêng" in group.says(chair_a, "/lienket")
    assert counts(db, Invite) == before
    with db.transaction() as s:
        assert s.exec(select(func.count()).select_from(LinkCode)).one() == 0


def test_a_new_chair_cannot_remove_the_chair_who_invited_them_for_a_day(person, db, two_clubs):
    chair_a, _chair_b = two_clubs
    code = invite(chair_a, CHAIR)
    newcomer = person("66", "Kẻ Lạ Mặt")
    newcomer.says(f"/start {code}")
    # The founding chair hears of it at once, in their private chat.
    told = {reply.chat_id: reply.text for reply in newcomer.send("1")}
    assert "Kẻ Lạ Mặt vừa vào Ban chủ nhiệm" in told.get("1", ""), told
    seats = active_seats(db)
    for action in ("2", "1"):  # remove; change role
        reply = newcomer.says_all("/bancn", "Nguyễn Văn An", action)
        assert "chưa được một ngày" in reply, reply
        newcomer.says("/huy")
    assert active_seats(db) == seats
    assert "Nguyễn Văn An" in newcomer.says_all("/bancn", "Đóng")  # still on the board, still chair
    # A day later the board is theirs to arrange like any chair's.
    with db.transaction() as s:
        used = s.exec(select(Invite).where(Invite.role == CHAIR)).one()
        used.used_at -= timedelta(hours=25)
        s.add(used)
    assert "Nguyễn Văn An không còn trong Ban chủ nhiệm" in newcomer.says_all("/bancn", "Nguyễn Văn An", "2", "1")


def test_the_readme_states_these_guarantees():
    """What the tests above check is what README's "Personal data" section promises."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Personal data") : text.index("## Dành cho Ban chủ nhiệm")]
    for promise in (
        "A flow belongs to the club it started in",
        "Bạn không còn trong Ban chủ nhiệm CLB",
        "belongs to its club: every command there acts on that club",
        "are made only in a private chat",
        "whose every seat is in clubs that chair chairs",
        "for 24 hours the new chair\n  cannot remove the chair who invited them",
    ):
        assert promise in section, promise
