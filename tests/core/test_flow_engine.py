"""What the conversation engine gives every flow: declared steps, back, change an answer at the read-back, and
nothing lost when another command comes in the middle."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.core import Ctx
from handlers.flow import Flow, FlowError, Step
from handlers.registry import COMMANDS
from storage.models import Club, LedgerEntry
from tests.conftest import REGISTRATION, register_club


def declared_flows() -> list[Flow]:
    return [command.flow for command in COMMANDS if command.flow.steps]


def test_every_declared_flow_reaches_all_its_steps_and_moves_only_to_steps_it_has():
    assert declared_flows(), "no flow is declared yet"
    for flow in declared_flows():
        assert flow.dangling() == [], flow.name
        assert flow.unreachable() == [], flow.name


def test_a_step_declared_twice_is_an_error_when_the_flow_is_made():
    def nothing(ctx: Ctx, value: object) -> None:
        pass

    step = Step("amount", lambda ctx: "How much?", lambda ctx, ans: ans.text, nothing)
    with pytest.raises(FlowError):
        Flow("twice", start=lambda ctx, args: None, steps=[step, step])


def test_back_asks_the_previous_question_again_with_the_answer_given_there(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:5])  # up to the former district
    again = chair.says("quay lai")
    assert "Bạn đã trả lời: Bình Sơn" in again and "xã, phường hay đặc khu nào của Quảng Ngãi" in again
    chair.says("Trường Giang")
    chair.says_all(*REGISTRATION[5:])
    with db.transaction() as session:
        club = session.exec(select(Club)).one()
    # "quay lai" was not kept as a place; the commune typed after going back was, by its official name.
    assert (club.commune, club.commune_code, club.province) == ("Xã Trường Giang", "21196", "Quảng Ngãi")


def test_back_at_the_first_question_says_there_is_none_and_asks_it_again(person):
    chair = person()
    reply = chair.says_all("/start", "lùi")
    assert "câu hỏi đầu tiên" in reply and "Tên CLB là gì?" in reply


def test_changing_one_answer_at_the_read_back_keeps_the_others(person, db):
    chair = person()
    read_back = chair.says_all(*REGISTRATION[:-1])
    assert "Sửa một câu trả lời" in read_back
    which = chair.says("Sửa một câu trả lời")
    assert "Tỉnh/thành phố: Quảng Ngãi" in which and "Tên CLB: CLB Liên thế hệ" in which
    assert "thành phố" in chair.says("Tỉnh/thành phố: Quảng Ngãi")
    merged = chair.says("Quảng Nam")  # joined to Đà Nẵng in 2025: not a province any more
    assert 'Không tìm thấy tỉnh/thành phố nào tên "Quảng Nam"' in merged and "1. Quảng Ngãi" in merged
    # A new province forgets the commune, which is asked again in it; the other answers stand.
    assert "xã, phường hay đặc khu nào của Thành phố Đà Nẵng" in chair.says("tp da nang")
    read_back = chair.says("hai chau")
    assert "phường Hải Châu, thành phố Đà Nẵng" in read_back
    assert "58/QĐ-UBND" in read_back and "ngày 15" in read_back
    assert "Mã CLB" in chair.says("1")
    with db.transaction() as session:
        club = session.exec(select(Club)).one()
    assert (club.province, club.commune, club.district, club.meeting_day) == (
        "Thành phố Đà Nẵng",
        "Phường Hải Châu",
        "Bình Sơn",
        15,
    )
    assert (club.province_code, club.commune_code) == ("48", "20242")


def test_changing_the_decision_to_none_drops_its_date(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:-1])
    chair.says("Sửa một câu trả lời")
    chair.says("Quyết định thành lập: 58/QĐ-UBND")
    read_back = chair.says("Bỏ qua")
    assert "08/04/2019" not in read_back
    chair.says("1")
    with db.transaction() as session:
        club = session.exec(select(Club)).one()
    assert club.founding_decision is None and club.founded_on is None


def chair_with_a_member(person):
    chair = person()
    register_club(chair)
    chair.says_all("/thanhvien", "1", "Nguyễn Thị Lan, 1952, nữ", "1", "/huy")
    return chair


def test_back_never_leads_behind_a_saved_entry(person, db):
    chair = chair_with_a_member(person)
    chair.says_all("/donggop Lan 50k", "1", "1")  # the fund, the kind
    assert "Đã lưu" in chair.says("1")
    reply = chair.says("quay lại")
    assert "câu hỏi đầu tiên" in reply and "Người tiếp theo" in reply
    with db.transaction() as session:
        assert len(session.exec(select(LedgerEntry)).all()) == 1


def test_a_command_mid_flow_asks_before_dropping_the_answers(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:6])
    asked = chair.says("/thanhvien")
    assert "Bạn đang làm dở: Đăng ký CLB" in asked and "Tiếp tục" in asked
    assert "Số quyết định thành lập CLB" in chair.says("1")
    chair.says_all(*REGISTRATION[6:])
    with db.transaction() as session:
        assert session.exec(select(Club)).one().province == "Quảng Ngãi"


def test_dropping_the_flow_runs_the_new_command(person, db):
    chair = chair_with_a_member(person)
    chair.says_all("/donggop Lan", "1")  # the fund
    asked = chair.says("/chi")
    assert "Bạn đang làm dở: Ghi khoản đóng góp vào quỹ" in asked and "Bỏ việc đó và làm /chi" in asked
    assert "Đã chi bao nhiêu từ quỹ hoạt động?" in chair.says("2")
    with db.transaction() as session:
        assert session.exec(select(LedgerEntry)).all() == []


def test_a_read_only_command_mid_flow_answers_then_the_flow_goes_on(person, db):
    chair = chair_with_a_member(person)
    chair.says_all("/donggop Lan", "1")  # the fund
    assert "Quỹ tăng thu nhập" in chair.says("/quy")
    back = chair.says("Đóng")
    assert "Quay lại việc đang làm dở: Ghi khoản đóng góp vào quỹ" in back and "khoản đóng góp gì?" in back
    chair.says_all("1", "50k", "1")  # the kind, the amount, save
    with db.transaction() as session:
        assert [e.amount for e in session.exec(select(LedgerEntry))] == [50_000]


def test_the_menu_offers_to_go_on_with_the_unfinished_flow_first(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:6])
    menu = chair.says("/menu")
    first_choice = next(line for line in menu.splitlines() if line.strip().startswith("1."))
    assert "Tiếp tục" in first_choice
    assert "quyết định" in chair.says("1").lower()
    chair.says_all(*REGISTRATION[6:])
    with db.transaction() as session:
        assert session.exec(select(Club)).one().province == "Quảng Ngãi"


async def test_telegram_shows_a_back_button_that_goes_back(telegram):
    chair = telegram()
    await chair.says("/start")
    await chair.says("CLB Liên thế hệ tự giúp nhau thôn Liên Trì")
    assert "_back" in [value for _label, value in chair.buttons()]
    again = await chair.presses_data("_back")
    assert "Bạn đã trả lời: CLB Liên thế hệ tự giúp nhau thôn Liên Trì" in again


def test_a_command_while_a_flow_is_set_aside_asks_about_that_flow(person, db):
    chair = chair_with_a_member(person)
    chair.says_all("/donggop Lan", "1")  # the fund: the kind is asked next
    chair.says("/quy")  # the contribution is set aside while the funds are shown
    asked = chair.says("/chi")
    assert "Bạn đang làm dở: Ghi khoản đóng góp vào quỹ" in asked
    assert "khoản đóng góp gì?" in chair.says("1")
    chair.says_all("1", "50k", "1")  # the kind, the amount, save
    with db.transaction() as session:
        assert [e.amount for e in session.exec(select(LedgerEntry))] == [50_000]
