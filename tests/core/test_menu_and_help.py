"""/menu fits a phone's screen: at most eight choices, what the role does most first, "Thêm…" for the rest;
/trogiup lists the commands under headings."""

from __future__ import annotations

import re

import pytest

from handlers.registry import COMMANDS
from storage.models import CHAIR, SECRETARY, TREASURER
from tests.conftest import register_club
from tests.money_support import SECRETARY as SECRETARY_CHOICE
from tests.money_support import TREASURER as TREASURER_CHOICE
from tests.money_support import join_board

NUMBERED = re.compile(r"^\s+\d+\. (.+)$", re.MULTILINE)


def choices(reply: str) -> list[str]:
    return NUMBERED.findall(reply)


def board_member(person, role: str):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    if role == CHAIR:
        return chair
    number = {TREASURER: TREASURER_CHOICE, SECRETARY: SECRETARY_CHOICE}[role]
    return join_board(chair, person, number, "2", "Lê Thị Thu")


@pytest.mark.parametrize(
    ("role", "first"),
    [
        (CHAIR, "Thành viên: thêm, xem, tìm, sửa"),
        (TREASURER, "Ghi khoản đóng góp vào quỹ"),
        (SECRETARY, "Sinh hoạt và tám mảng hoạt động"),
    ],
)
def test_the_menu_shows_eight_choices_at_most_the_roles_own_first(person, role, first):
    someone = board_member(person, role)
    page = choices(someone.says("/menu"))
    assert len(page) <= 8 and page[0] == first and page[-1] == "Thêm…"
    rest = choices(someone.says("Thêm…"))
    assert not set(page) & set(rest)
    usable = {c.description() for c in COMMANDS if c.names[0] not in ("menu", "trogiup")}
    with_descriptions = set(page[:-1]) | set(rest)
    assert with_descriptions <= {str(d) for d in usable} | {"Thêm…"}


def test_help_lists_the_commands_under_headings(person):
    chair = board_member(person, CHAIR)
    text = chair.says("/trogiup")
    headings = [line for line in text.splitlines() if line.isupper()]
    assert headings == ["TIỀN", "THÀNH VIÊN", "SINH HOẠT VÀ HOẠT ĐỘNG", "BÁO CÁO", "CLB VÀ BAN CHỦ NHIỆM", "KHÁC"]
    assert text.index("/donggop") < text.index("THÀNH VIÊN") < text.index("/thanhvien")


@pytest.mark.parametrize(("command", "closing"), [("/thanhvien", "Xong"), ("/hop", "Xong"), ("/nhacnho", "Đóng")])
def test_pressing_xong_always_gets_an_answer(person, command, closing):
    chair = board_member(person, CHAIR)
    chair.says(command)
    assert "Xong. Gõ /menu" in chair.says(closing)


def test_a_member_already_on_the_list_ends_with_the_next_choices(person):
    chair = board_member(person, CHAIR)
    chair.says_all("/thanhvien", "Thêm một thành viên", "Nguyễn Thị Lan, 1952, nữ", "Đồng ý, lưu", "Thêm người nữa")
    again = chair.says("Nguyễn Thị Lan, 1952, nữ")
    assert "đã có trong danh sách" in again and choices(again) == ["Thêm người nữa", "Xong"]
    assert "Họ tên thành viên mới?" in chair.says("Thêm người nữa")


def test_the_menu_puts_what_the_person_uses_most_first(person):
    treasurer = board_member(person, TREASURER)
    spend = str(next(c.description() for c in COMMANDS if c.names[0] == "chi"))
    before = choices(treasurer.says("/menu"))
    assert before[0] == "Ghi khoản đóng góp vào quỹ" and before.index(spend) > 0
    for _time in range(5):
        treasurer.says("/chi")
    treasurer.says("/huy")
    page = choices(treasurer.says("/menu"))
    assert page[0] == spend and page[1] == "Ghi khoản đóng góp vào quỹ" and len(page) <= 8
    # Counted per person: the chair's menu keeps the chair's order.
    chair = person("1", "Nguyễn Văn An")
    assert choices(chair.says("/menu"))[0] == "Thành viên: thêm, xem, tìm, sửa"
