"""What the conversation engine gives /thanhvien: back to the previous question, "Sửa một câu trả lời" at
each read-back (the other answers stand), and a command typed in the middle asks before answers are dropped."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Member
from tests.conftest import register_club

ADD, PASTE, LIST = "1", "2", "4"  # in the board's /thanhvien menu
CHANGE = "Sửa một câu trả lời"


def members_in(db) -> list[Member]:
    with db.transaction() as s:
        return list(s.exec(select(Member).order_by(Member.id)))


def chair_with_club(person):
    chair = person()
    register_club(chair)
    return chair


def with_lan_listed(person):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", PASTE, "Nguyễn Thị Lan, 1952, nữ, cận nghèo", "1")
    return chair


def test_back_from_the_sex_question_shows_the_year_given_and_the_year_typed_again_is_saved(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan", "1925")
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: 1925" in again and "Năm sinh của Nguyễn Thị Lan?" in again
    chair.says("1952")
    read_back = chair.says_all("nữ", "hôm nay", "cận nghèo", "không", "không", "bỏ qua")
    assert "Nguyễn Thị Lan, sinh năm 1952 (74 tuổi), nữ, cận nghèo" in read_back and CHANGE in read_back
    chair.says("1")
    [lan] = members_in(db)
    assert (lan.full_name, lan.birth_year, lan.sex, lan.poverty) == ("Nguyễn Thị Lan", 1952, "female", "near_poor")


def test_changing_the_year_at_the_read_back_keeps_the_other_answers(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan", "1925", "nữ", "2019", "cận nghèo", "có", "không", "0912345678")
    which = chair.says(CHANGE)
    assert "Năm sinh: 1925" in which and "Họ tên: Nguyễn Thị Lan" in which and "Số điện thoại: 0912345678" in which
    assert "Năm sinh của Nguyễn Thị Lan?" in chair.says("Năm sinh: 1925")
    read_back = chair.says("1952")
    assert "sinh năm 1952" in read_back and "cận nghèo, DTTS, 0912345678" in read_back
    assert "1 thành viên" in chair.says("1")
    [lan] = members_in(db)
    assert (lan.birth_year, lan.sex, lan.poverty, lan.phone) == (1952, "female", "near_poor", "0912345678")
    assert lan.ethnic_minority and not lan.disabled


def test_a_new_name_for_a_line_typed_whole_keeps_the_rest_of_the_line(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan, 1952, nữ, cận nghèo")
    chair.says_all(CHANGE, "Họ tên: Nguyễn Thị Lan, 1952, nữ, cận nghèo")
    read_back = chair.says("Nguyễn Thị Hoa")
    assert "Nguyễn Thị Hoa, sinh năm 1952 (74 tuổi), nữ, cận nghèo" in read_back
    chair.says("1")
    [hoa] = members_in(db)
    assert (hoa.full_name, hoa.birth_year, hoa.poverty) == ("Nguyễn Thị Hoa", 1952, "near_poor")


def test_a_pasted_list_changed_at_the_read_back_is_the_one_saved(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", PASTE, "Nguyễn Thị Lan, 1952, nữ")
    assert "Dán danh sách" in chair.says_all(CHANGE, "Danh sách: Nguyễn Thị Lan, 1952, nữ")
    read_back = chair.says("Trần Văn Bình, 1948, nam\nLê Thị Cúc, 1990, nữ")
    assert "Sẽ thêm 2 người" in read_back and "Nguyễn Thị Lan" not in read_back
    chair.says("1")
    assert [m.full_name for m in members_in(db)] == ["Trần Văn Bình", "Lê Thị Cúc"]


def test_another_field_picked_at_the_edit_read_back_asks_its_own_value(person, db):
    chair = with_lan_listed(person)
    chair.says_all("/thanhvien nguyen thi lan", "Sửa", "Năm sinh")
    assert "1952 đổi thành 1953" in chair.says("1953")
    which = chair.says(CHANGE)
    assert "Mục cần sửa: Năm sinh" in which and "Giá trị mới: 1953" in which
    chair.says("Mục cần sửa: Năm sinh")
    assert "Họ tên mới:" in chair.says("Họ tên")  # the year typed for the other field is not kept
    assert "Nguyễn Thị Lan: Họ tên Nguyễn Thị Lan đổi thành Nguyễn Thị Loan" in chair.says("Nguyễn Thị Loan")
    chair.says("1")
    [loan] = members_in(db)
    assert (loan.full_name, loan.birth_year) == ("Nguyễn Thị Loan", 1952)


def test_a_leaving_date_changed_at_the_read_back_is_the_one_saved(person, db):
    chair = with_lan_listed(person)
    chair.says_all("/thanhvien Lan", "Sửa", "Ngày vào CLB", "01/01/2026", "1")
    chair.says_all("/thanhvien Lan", "Ghi nhận đã rời CLB", "01/10/2026")
    assert "Ngày rời CLB: 01/10/2026" in chair.says(CHANGE)
    read_back = chair.says_all("Ngày rời CLB: 01/10/2026", "hôm nay")
    assert "23/11/2026" in read_back and "01/10/2026" not in read_back
    chair.says("1")
    assert members_in(db)[0].left_on.isoformat() == "2026-11-23"


def test_a_command_typed_while_adding_asks_before_dropping_the_answers(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan", "1952")
    asked = chair.says("/moi")
    assert "Bạn đang làm dở: Thành viên" in asked and "Bỏ việc đó và làm /moi" in asked
    assert "Nam hay nữ?" in chair.says("1")  # go on: the question on the table again
    chair.says("/moi")
    assert "Nam hay nữ?" not in chair.says("2")
    assert members_in(db) == []


def test_looking_through_the_list_is_not_work_a_command_would_drop(person):
    chair = with_lan_listed(person)
    chair.says_all("/thanhvien", LIST)
    assert "Bạn đang làm dở" not in chair.says("/moi")
    chair.says_all("/huy", "/thanhvien Nguyễn Thị Lan")
    assert "Bạn đang làm dở" not in chair.says("/moi")
