"""What the conversation engine gives the money flows: back to the previous question, "Sửa một câu trả lời" at
the read-back (the other answers stand), and a command typed mid-flow asks before dropping the answers.

Read-backs offer 1 save, 2 cancel, 3 another date, 4 change an answer (the rules' and the undo's: 3 change).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.i18n import money
from storage.models import ACTIVITY_FUND, CAPITAL, INCOME_FUND, ClubRules
from tests.money_support import all_loans, club_with_members, entries, member_named

SAVE, ANOTHER_DATE, CHANGE = "1", "3", "4"
INCOME, ACTIVITY = "1", "2"
KIND_CAPITAL = "1"
NEXT_MEMBER = "1"
SMALL_TRADE = "3"
ASKED_FIRST = "Bạn đang làm dở"


@pytest.fixture
def chair(person, db):
    return club_with_members(person, db)


def fund_both(chair) -> None:
    chair.says_all("/donggop Trần Văn Bình 10tr", INCOME, KIND_CAPITAL, SAVE, "2")
    chair.says_all("/donggop Trần Văn Bình 1tr", ACTIVITY, KIND_CAPITAL, SAVE, "2")


def lend(chair, name: str, amount: str = "2tr") -> None:
    chair.says_all(f"/vay {name} {amount} 12", SMALL_TRADE, SAVE)


# --- /donggop ------------------------------------------------------------------------------------------


def test_contribution_back_to_the_fund_shows_it_and_saves_the_new_one(chair, db):
    chair.says_all("/donggop", "Lê Thị Hoa", INCOME)
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: quỹ tăng thu nhập" in again
    chair.says_all(ACTIVITY, KIND_CAPITAL, "50k", SAVE)
    [entry] = entries(db)
    assert (entry.fund, entry.kind, entry.amount) == (ACTIVITY_FUND, CAPITAL, 50_000)
    assert entry.member_id == member_named(db, "Lê Thị Hoa").id


def test_contribution_change_the_amount_at_the_read_back_keeps_the_rest(chair, db):
    chair.says_all("/donggop", "Lê Thị Hoa", ACTIVITY, KIND_CAPITAL, "50k")
    which = chair.says(CHANGE)
    assert "Số tiền: 50k" in which and "Quỹ: quỹ hoạt động" in which and "Người đóng góp: Lê Thị Hoa" in which
    chair.says("Số tiền: 50k")
    read_back = chair.says("70k")
    assert money(70_000) in read_back and "Lê Thị Hoa" in read_back
    chair.says(SAVE)
    [entry] = entries(db)
    assert (entry.fund, entry.kind, entry.amount) == (ACTIVITY_FUND, CAPITAL, 70_000)


def test_contribution_change_the_member_keeps_the_fund_and_the_amount(chair, db):
    chair.says_all("/donggop", "Lê Thị Hoa", INCOME, KIND_CAPITAL, "50k", CHANGE, "Người đóng góp: Lê Thị Hoa")
    read_back = chair.says("Trần Văn Bình")
    assert "Trần Văn Bình" in read_back and money(50_000) in read_back
    chair.says(SAVE)
    [entry] = entries(db)
    assert (entry.member_id, entry.fund, entry.amount) == (member_named(db, "Trần Văn Bình").id, INCOME_FUND, 50_000)


def test_contribution_a_command_mid_flow_asks_first_and_going_on_saves(chair, db):
    chair.says_all("/donggop", "Lê Thị Hoa", INCOME)
    asked = chair.says("/vay")
    assert ASKED_FIRST in asked and "Bỏ việc đó và làm /vay" in asked
    assert "khoản đóng góp gì" in chair.says("1")
    chair.says_all(KIND_CAPITAL, "50k", SAVE)
    assert [e.amount for e in entries(db)] == [50_000]


def test_the_next_member_keeps_the_fund_the_kind_and_the_other_date(chair, db):
    chair.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, ANOTHER_DATE, "20/11/2026", SAVE)
    read_back = chair.says_all(NEXT_MEMBER, "Trần Văn Bình", "30k")
    assert "20/11/2026" in read_back and "quỹ tăng thu nhập" in read_back
    chair.says(SAVE)
    assert [(e.fund, e.kind, e.amount, e.entry_date.isoformat()) for e in entries(db)] == [
        (INCOME_FUND, CAPITAL, 50_000, "2026-11-20"),
        (INCOME_FUND, CAPITAL, 30_000, "2026-11-20"),
    ]


def test_read_only_commands_mid_contribution_answer_and_the_flow_goes_on(chair, db):
    chair.says_all("/donggop", "Lê Thị Hoa", INCOME)
    due = chair.says("/denhan")
    assert "Quay lại việc đang làm dở" in due and "khoản đóng góp gì" in due
    chair.says("/saoke")
    statement = chair.says("Lê Thị Hoa")
    assert "Lê Thị Hoa" in statement and "Quay lại việc đang làm dở" in statement
    chair.says_all(KIND_CAPITAL, "50k", SAVE)
    assert [e.amount for e in entries(db)] == [50_000]


# --- /vay ----------------------------------------------------------------------------------------------


def test_loan_back_to_the_amount_shows_it_and_saves_the_new_one(chair, db):
    fund_both(chair)
    chair.says_all("/vay Nguyễn Thị Lan", "2tr")
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: 2tr" in again
    chair.says_all("1tr", "12", SMALL_TRADE, SAVE)
    assert [(loan.principal, loan.term_months) for loan in all_loans(db)] == [(1_000_000, 12)]


def test_loan_change_the_months_at_the_read_back_keeps_the_amount(chair, db):
    fund_both(chair)
    chair.says_all("/vay Nguyễn Thị Lan", "2tr", "12", SMALL_TRADE, CHANGE, "Số tháng: 12")
    read_back = chair.says("6")
    assert money(2_000_000) in read_back and "6" in read_back
    chair.says(SAVE)
    assert [(loan.principal, loan.term_months, loan.purpose) for loan in all_loans(db)] == [(2_000_000, 6, "trade")]


def test_loan_a_new_amount_at_the_read_back_is_checked_against_the_cash(chair, db):
    fund_both(chair)
    chair.says_all("/vay Nguyễn Thị Lan", "2tr", "12", SMALL_TRADE, CHANGE, "Số tiền: 2tr")
    refused = chair.says("20tr")
    assert money(10_000_000) in refused and not all_loans(db)
    chair.says_all("3tr", SAVE)
    assert [loan.principal for loan in all_loans(db)] == [3_000_000]


def test_loan_a_command_mid_flow_asks_first_and_dropping_saves_nothing(chair, db):
    fund_both(chair)
    chair.says_all("/vay Nguyễn Thị Lan", "2tr")
    assert ASKED_FIRST in chair.says("/chi")
    assert "Đã chi bao nhiêu" in chair.says("2")
    assert all_loans(db) == []


# --- /trano --------------------------------------------------------------------------------------------


def test_repayment_back_to_the_amount_saves_the_new_one(chair, db):
    fund_both(chair)
    lend(chair, "Nguyễn Thị Lan")
    chair.says_all("/trano Nguyễn Thị Lan", "100k")
    assert "Bạn đã trả lời: 100k" in chair.says("quay lại")
    chair.says_all("150k", SAVE)
    assert entries(db)[-1].amount == 150_000


def test_repayment_another_payer_at_the_read_back_pays_their_loan(chair, db):
    fund_both(chair)
    lend(chair, "Nguyễn Thị Lan")
    lend(chair, "Trần Văn Bình", "1tr")
    chair.says_all("/trano", "Nguyễn Thị Lan", "100k", CHANGE, "Người trả: Nguyễn Thị Lan")
    read_back = chair.says("Trần Văn Bình")
    assert "Trần Văn Bình" in read_back and money(100_000) in read_back
    chair.says(SAVE)
    binh_loan = next(loan for loan in all_loans(db) if loan.principal == 1_000_000)
    assert (entries(db)[-1].loan_id, entries(db)[-1].amount) == (binh_loan.id, 100_000)


def test_repayment_a_command_mid_flow_asks_first(chair, db):
    fund_both(chair)
    lend(chair, "Nguyễn Thị Lan")
    chair.says_all("/trano", "Nguyễn Thị Lan")
    assert ASKED_FIRST in chair.says("/donggop")
    chair.says_all("1", "100k", SAVE)
    assert entries(db)[-1].amount == 100_000


# --- /chi ----------------------------------------------------------------------------------------------


def test_expense_back_to_the_amount_saves_the_new_one(chair, db):
    fund_both(chair)
    chair.says_all("/chi", "200k")
    assert "Bạn đã trả lời: 200k" in chair.says("quay lại")
    chair.says_all("100k", "văn nghệ", SAVE)
    assert (entries(db)[-1].amount, entries(db)[-1].note) == (-100_000, "văn nghệ")


def test_expense_change_what_it_was_for_keeps_the_amount(chair, db):
    fund_both(chair)
    chair.says_all("/chi", "100k", "văn nghệ", CHANGE, "Chi cho việc: văn nghệ")
    read_back = chair.says("thể thao")
    assert "thể thao" in read_back and money(100_000) in read_back
    chair.says(SAVE)
    assert (entries(db)[-1].amount, entries(db)[-1].note) == (-100_000, "thể thao")


def test_expense_a_command_mid_flow_asks_first(chair, db):
    fund_both(chair)
    chair.says_all("/chi", "100k")
    assert ASKED_FIRST in chair.says("/vay")
    chair.says_all("1", "văn nghệ", SAVE)
    assert entries(db)[-1].amount == -100_000


# --- /hoantac ------------------------------------------------------------------------------------------


def test_undo_back_to_the_entry_and_change_the_reason_at_the_read_back(chair, db):
    fund_both(chair)
    chair.says_all("/hoantac", "1")
    assert "Bạn đã trả lời" in chair.says("quay lại")
    chair.says_all("1", "nhập nhầm số", "3", "Lý do: nhập nhầm số")
    read_back = chair.says("ghi sai người")
    assert "ghi sai người" in read_back
    chair.says(SAVE)
    reversal = entries(db)[-1]
    assert (reversal.amount, reversal.reason) == (-1_000_000, "ghi sai người")


def test_undo_a_command_mid_flow_asks_first(chair, db):
    fund_both(chair)
    chair.says_all("/hoantac", "1")
    assert ASKED_FIRST in chair.says("/chi")
    chair.says("2")
    assert all(entry.reverses_entry_id is None for entry in entries(db))


# --- /quyche -------------------------------------------------------------------------------------------


def test_rules_back_to_the_rule_then_change_the_value_at_the_read_back(chair, db):
    chair.says_all("/quyche", "2")  # the loan fee
    assert "Bạn đã trả lời" in chair.says("quay lại")
    chair.says_all("4", "18", "3")  # the longest loan, then "change an answer"
    read_back = chair.says_all("Giá trị mới: 18", "15")
    assert "15" in read_back
    chair.says(SAVE)
    with db.transaction() as s:
        rules = s.exec(select(ClubRules)).one()
    assert (rules.max_term_months, rules.loan_rate_bp) == (15, ClubRules().loan_rate_bp)


def test_rules_a_command_mid_flow_asks_first(chair, db):
    chair.says_all("/quyche", "4", "18")
    assert ASKED_FIRST in chair.says("/chi")
    chair.says("2")
    with db.transaction() as s:
        assert s.exec(select(ClubRules)).first() is None
