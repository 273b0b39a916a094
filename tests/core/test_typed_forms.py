"""What people type on a phone, form by form, and what it must mean: yes and no, hours, days said in words,
and a contribution's kind said after its amount (issue 20, the first part)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from handlers.core import NO, YES, Choice, match_choice, yes_no, yes_or_no_choices
from handlers.money.loan import purpose_choices
from handlers.parsing import InputError, parse_date, parse_hour, period_in_words
from storage.models import CAPITAL, CROPS, INCOME_FUND, LIVESTOCK, Member, ReminderPreference
from tests.conftest import register_club
from tests.money_support import club_with_members, entries

MONDAY = date(2026, 11, 23)  # the tests' today


@pytest.mark.parametrize("typed", ["có", "ừ", "uh", "ờ", "ok", "oke", "okie", "được rồi", "vâng", "dạ", "đúng"])
def test_yes_as_people_type_it(typed):
    assert match_choice(typed, yes_or_no_choices("Có", "Không")) == YES
    assert match_choice(typed, yes_no()) == YES


@pytest.mark.parametrize("typed", ["không", "ko", "k", "hong", "hông", "không phải", "chưa"])
def test_no_as_people_type_it(typed):
    assert match_choice(typed, yes_or_no_choices("Có", "Không")) == NO
    assert match_choice(typed, yes_no()) == NO


@pytest.mark.parametrize(
    ("typed", "hour"),
    [
        ("8", 8),
        ("17:00", 17),
        ("18h", 18),
        ("8g", 8),
        ("6 giờ chiều", 18),
        ("6h chiều", 18),
        ("7 giờ sáng", 7),
        ("tám giờ", 8),
        ("trưa", 12),
        ("1 giờ trưa", 13),
        ("9 giờ tối", 21),
        ("8 pm", 20),
    ],
)
def test_an_hour_as_people_say_it(typed, hour):
    assert parse_hour(typed) == hour


@pytest.mark.parametrize("typed", ["8:30", "25", "sáng sớm", "abc"])
def test_an_hour_that_is_not_one_is_asked_again(typed):
    with pytest.raises(InputError, match="6 giờ chiều"):
        parse_hour(typed)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("hôm nay", MONDAY),
        ("hôm qua", date(2026, 11, 22)),
        ("hôm kia", date(2026, 11, 21)),
        ("thứ hai tuần trước", date(2026, 11, 16)),
        ("thứ 7 tuần trước", date(2026, 11, 21)),
        ("chủ nhật vừa rồi", date(2026, 11, 22)),
        ("thứ hai vừa rồi", date(2026, 11, 16)),
        ("CN vừa qua", date(2026, 11, 22)),
        ("5/6", date(2026, 6, 5)),
        ("05/06/25", date(2025, 6, 5)),
    ],
)
def test_a_day_said_in_words(typed, day):
    assert parse_date(typed, MONDAY) == day


@pytest.mark.parametrize("typed", ["thứ hai", "chủ nhật tuần sau nữa"])
def test_a_day_that_could_mean_two_is_asked_back_never_guessed(typed):
    with pytest.raises(InputError, match="thứ hai tuần trước"):
        parse_date(typed, MONDAY)


def test_the_reminder_hour_said_as_6_in_the_afternoon(person, db):
    chair = person()
    register_club(chair)
    assert "18:00" in chair.says_all("/nhacnho", "4", "6 giờ chiều")
    chair.says("1")
    with db.transaction() as s:
        assert s.exec(select(ReminderPreference)).one().hour == 18


def test_a_member_added_with_u_for_dtts(person, db):
    chair = person()
    register_club(chair)
    chair.says_all("/thanhvien", "Thêm một thành viên", "Hờ Thị Mai", "1960", "nữ", "Hôm nay")
    chair.says_all("nghèo", "ừ", "ko")
    chair.says_all("Bỏ qua", "Đồng ý, lưu")
    with db.transaction() as s:
        mai = s.exec(select(Member)).one()
        assert (mai.ethnic_minority, mai.disabled) == (True, False)


def test_a_contribution_with_its_kind_said_after_the_amount(person, db):
    chair = club_with_members(person, db)
    read_back = chair.says("/donggop Trần Văn Bình 1tr5 góp vốn")
    assert "1.500.000" in read_back
    chair.says("Đồng ý, lưu")
    [entry] = entries(db)
    assert (entry.amount, entry.kind, entry.fund) == (1_500_000, CAPITAL, INCOME_FUND)


def test_a_misspelt_name_offers_the_close_members_first_and_outside_as_one_choice_among_them(person, db):
    chair = club_with_members(person, db)
    asked = chair.says("/donggop Nguyen Thi Lna 50k")
    assert "Có phải" in asked
    assert asked.index("Nguyễn Thị Lan (1952)") < asked.index("Từ ngoài CLB")
    chair.says("Nguyễn Thị Lan (1952)")
    chair.says_all("1", "1", "Đồng ý, lưu")  # the fund, the kind, then save
    [entry] = entries(db)
    with db.transaction() as s:
        assert s.get(Member, entry.member_id).full_name == "Nguyễn Thị Lan" and entry.source is None


def test_a_misspelt_name_where_nobody_from_outside_can_pay_is_asked_too(person, db):
    chair = club_with_members(person, db)
    asked = chair.says("/trano Tran Van Binhh 100k")
    assert "Có phải" in asked and "Trần Văn Bình (1948)" in asked and "Từ ngoài CLB" not in asked


@pytest.mark.parametrize(
    ("typed", "picked"),
    [("tang thu nhap", "income"), ("quỹ hoạt động", "activity"), ("hoat dong", "activity"), ("1", "income")],
)
def test_a_part_of_a_choice_picks_it_when_it_names_only_one(typed, picked):
    funds = [Choice("income", "Quỹ tăng thu nhập"), Choice("activity", "Quỹ hoạt động")]
    assert match_choice(typed, funds) == picked


def test_a_part_shared_by_two_choices_picks_neither():
    assert match_choice("quy", [Choice("income", "Quỹ tăng thu nhập"), Choice("activity", "Quỹ hoạt động")]) is None


@pytest.mark.parametrize(("typed", "purpose"), [("nuôi heo", LIVESTOCK), ("nuôi lợn", LIVESTOCK), ("trồng lúa", CROPS)])
def test_a_loans_purpose_in_everyday_words(typed, purpose):
    assert match_choice(typed, purpose_choices()) == purpose


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("6 tháng đầu năm 2026", "2026-H1"),
        ("6 tháng cuối năm", "2026-H2"),
        ("cuối năm 2025", "2025-H2"),
        ("năm 2026", "2026"),
        ("năm ngoái", "2025"),
        ("kỳ này", "2026-H2"),
        ("kỳ trước", "2026-H1"),
    ],
)
def test_a_reporting_period_in_words(typed, code):
    assert period_in_words(typed, MONDAY) == code


def test_in_december_this_period_is_next_years_first_half():
    assert period_in_words("kỳ này", date(2026, 12, 10)) == "2027-H1"


def test_the_report_is_asked_for_in_words(person):
    chair = person()
    register_club(chair)
    assert "kỳ trước" in chair.says("/baocao xyz")  # the words are offered, not only the codes
    assert "Họ tên đầy đủ" in chair.says("/baocao 6 tháng đầu năm 2026")  # on to who signs it
    chair.says("Nguyễn Văn An")
    report = chair.says("Đồng ý, lưu")
    assert "01/12/2025" in report and "31/05/2026" in report


def test_a_too_small_amount_offers_the_guess_and_keeps_the_name(person, db):
    chair = club_with_members(person, db)
    asked = chair.says("/donggop Trần Văn Bình 50")
    assert "Có phải ý bạn là 50.000" in asked
    assert "Vào quỹ nào?" in chair.says("1")  # the guess, picked by its number: the name was kept
    read_back = chair.says_all("1", "1")  # the fund, the kind
    assert "50.000" in read_back and "Trần Văn Bình" in read_back
    chair.says("Đồng ý, lưu")
    [entry] = entries(db)
    assert entry.amount == 50_000
