"""/moi and /bancn as declared flows: back shows the answer given, "Sửa" at the read-back changes one answer,
a command in the middle asks before dropping them, and /menu offers to go on with them."""

from __future__ import annotations

from sqlmodel import select

from storage.models import SECRETARY, TREASURER, VICE_CHAIR, BoardSeat, Invite
from tests.board.test_board import join
from tests.conftest import register_club


def invites(db) -> list[str]:
    with db.transaction() as session:
        return [invite.role for invite in session.exec(select(Invite))]


def test_back_from_the_invite_read_back_shows_the_role_picked_and_the_new_one_is_saved(person, db):
    chair = person()
    register_club(chair)
    read_back = chair.says_all("/moi", "Thủ quỹ")
    assert "Mã mời dùng một lần cho vai trò Thủ quỹ" in read_back and "Tạo mã?" in read_back
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: Thủ quỹ" in again and "Bạn muốn mời người giữ vai trò nào?" in again
    assert "vai trò Phó chủ nhiệm" in chair.says("Phó chủ nhiệm")
    assert "/start " in chair.says("Đồng ý, tạo mã")
    assert invites(db) == [VICE_CHAIR]


def test_changing_the_role_at_the_invite_read_back(person, db):
    chair = person()
    register_club(chair)
    chair.says_all("/moi", "Thủ quỹ")
    which = chair.says("Sửa một câu trả lời")
    assert "Vai trò: Thủ quỹ" in which
    chair.says("Vai trò: Thủ quỹ")
    assert "vai trò Thư ký" in chair.says("Thư ký")
    chair.says("1")
    assert invites(db) == [SECRETARY]


def test_the_menu_offers_to_go_on_with_the_invite_first(person, db):
    chair = person()
    register_club(chair)
    chair.says_all("/moi", "Thủ quỹ")
    menu = chair.says("/menu")
    first_choice = next(line for line in menu.splitlines() if line.strip().startswith("1."))
    assert "Tiếp tục: Mời người vào Ban chủ nhiệm" in first_choice
    assert "vai trò Thủ quỹ" in chair.says("1")
    chair.says("1")
    assert invites(db) == [TREASURER]


def test_changing_the_new_role_at_the_board_read_back_keeps_the_person(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    join(person, chair, "2", "2", "Trần Thị Bình")  # treasurer
    chair.says_all("/bancn", "Trần Thị Bình", "Đổi vai trò")
    assert "Thủ quỹ đổi thành Phó chủ nhiệm" in chair.says("Phó chủ nhiệm")
    chair.says("Sửa một câu trả lời")
    chair.says("Vai trò mới: Phó chủ nhiệm")
    assert "Thủ quỹ đổi thành Thư ký" in chair.says("Thư ký")
    assert "Trần Thị Bình nay là Thư ký" in chair.says("1")
    with db.transaction() as session:
        roles = {seat.user_id: seat.role for seat in session.exec(select(BoardSeat).where(BoardSeat.active))}
    assert roles == {1: "chair", 2: SECRETARY}


def test_a_command_at_the_board_read_back_asks_before_dropping_the_new_role(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    join(person, chair, "2", "2", "Trần Thị Bình")  # treasurer
    chair.says_all("/bancn", "Trần Thị Bình", "Đổi vai trò", "Phó chủ nhiệm")
    asked = chair.says("/moi")
    assert "Bạn đang làm dở: Ban chủ nhiệm và vai trò" in asked and "Bỏ việc đó và làm /moi" in asked
    assert "Bạn muốn mời người giữ vai trò nào?" in chair.says("2")
    with db.transaction() as session:
        assert session.exec(select(BoardSeat.role).where(BoardSeat.user_id == 2)).one() == TREASURER
