"""Money conversations at the console: contributions, loans, repayments, expenses, balances, corrections, rules.

Choices are answered by their number, as people type them: in a read-back 1 saves, 2 cancels, 3 changes the date.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from handlers.i18n import money
from handlers.parsing import MAX_AMOUNT
from storage import loans, money_rules
from storage.models import (
    ACTIVITY_FUND,
    CAPITAL,
    DONATION,
    EXPENSE,
    INCOME_FUND,
    MONTHLY_FEE,
    REPAYMENT,
    Club,
    ClubRules,
    LoanInstalment,
    User,
)
from tests.money_support import (
    SECRETARY,
    TREASURER,
    VICE_CHAIR,
    all_loans,
    club_with_members,
    entries,
    join_board,
    member_named,
)

SAVE, CANCEL, ANOTHER_DATE = "1", "2", "3"
INCOME, ACTIVITY = "1", "2"  # the fund question
KIND_CAPITAL, KIND_MONTHLY_FEE = "1", "2"
NEXT_MEMBER, DONE = "1", "2"
SMALL_TRADE = "3"


@pytest.fixture
def chair(person, db):
    return club_with_members(person, db)


@pytest.fixture
def treasurer(chair, person):
    return join_board(chair, person, TREASURER, "2", "Trần Thị Thu")


def fund_the_club(chair, amount: str = "10tr") -> None:
    chair.says_all(f"/donggop Trần Văn Bình {amount}", INCOME, KIND_CAPITAL, SAVE, DONE)


def set_rule(db, **values) -> None:
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        chair = s.get(User, club.created_by)
        for field, value in values.items():
            money_rules.change_rule(s, club.id, field, value, chair)


# --- contributions -------------------------------------------------------------------------------------


def test_treasurer_records_a_contribution_step_by_step_and_sees_the_fund_grow(treasurer, db):
    assert "?" in treasurer.says("/donggop")
    treasurer.says("nguyen thi lan")  # no accents: still Nguyễn Thị Lan
    treasurer.says(INCOME)
    treasurer.says(KIND_CAPITAL)
    read_back = treasurer.says("500k")
    assert "Nguyễn Thị Lan" in read_back and money(500_000) in read_back and "23/11/2026" in read_back
    assert entries(db) == []  # nothing before the yes
    saved = treasurer.says(SAVE)
    assert money(500_000) in saved
    [entry] = entries(db)
    lan = member_named(db, "Nguyễn Thị Lan")
    assert (entry.fund, entry.kind, entry.amount, entry.member_id) == (INCOME_FUND, CAPITAL, 500_000, lan.id)
    assert entry.entry_date == date(2026, 11, 23) and entry.source is None
    with db.transaction() as s:
        assert s.get(User, entry.created_by).display_name == "Trần Thị Thu"


def test_a_meetings_collections_go_name_amount_save_one_member_after_another(chair, db):
    chair.says_all("/donggop Nguyễn Thị Lan 20k hoạt động", KIND_MONTHLY_FEE, SAVE)
    chair.says(NEXT_MEMBER)
    read_back = chair.says("Trần Văn Bình 20k")  # fund, kind and date are kept: straight to the read-back
    assert "Trần Văn Bình" in read_back and money(20_000) in read_back
    chair.says(SAVE)
    chair.says_all("Lê Thị Hoa 20.000", SAVE)  # the next name typed at once, without pressing 'Next member'
    chair.says(DONE)
    saved = entries(db)
    assert [(e.fund, e.kind, e.amount) for e in saved] == [(ACTIVITY_FUND, MONTHLY_FEE, 20_000)] * 3
    assert len({e.member_id for e in saved}) == 3


def test_an_ambiguous_name_gets_a_choice_never_a_guess(chair, db):
    choice = chair.says("/donggop Lan 50k")
    assert "Nguyễn Thị Lan" in choice and "Phạm Thị Lan" in choice
    assert entries(db) == []
    read_back = chair.says_all("2", INCOME, KIND_CAPITAL)  # 2: Phạm Thị Lan, in name order after Nguyễn
    assert "Phạm Thị Lan" in read_back and money(50_000) in read_back
    chair.says(SAVE)
    assert entries(db)[0].member_id == member_named(db, "Phạm Thị Lan").id


def test_money_from_outside_the_club_is_recorded_as_a_donation(chair, db):
    offer = chair.says("/donggop Quỹ chăm sóc người cao tuổi xã 20tr")
    assert "Quỹ chăm sóc người cao tuổi xã" in offer
    read_back = chair.says_all("1", INCOME)  # 1: from outside the club; no kind question: it is a donation
    assert money(20_000_000) in read_back
    chair.says(SAVE)
    [entry] = entries(db)
    assert (entry.kind, entry.source, entry.member_id, entry.amount) == (
        DONATION,
        "Quỹ chăm sóc người cao tuổi xã",
        None,
        20_000_000,
    )


def test_a_club_with_a_default_fund_is_not_asked_which_fund(chair, db):
    set_rule(db, default_fund=ACTIVITY_FUND, monthly_fee=20_000)
    question = chair.says("/donggop Lê Thị Hoa")
    assert "1." in question and money(20_000) not in question  # straight to the kind
    fee_offer = chair.says(KIND_MONTHLY_FEE)
    assert money(20_000) in fee_offer  # the club's monthly fee, one tap away
    chair.says_all("1", SAVE)
    [entry] = entries(db)
    assert (entry.fund, entry.kind, entry.amount) == (ACTIVITY_FUND, MONTHLY_FEE, 20_000)


def test_a_contribution_can_be_dated_another_day_but_not_in_the_future(chair, db):
    chair.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, ANOTHER_DATE)
    future = chair.says("30/11/2026")
    assert "30/11/2026" in future and entries(db) == []
    read_back = chair.says("15/11/2026")
    assert "15/11/2026" in read_back
    chair.says(SAVE)
    assert entries(db)[0].entry_date == date(2026, 11, 15)


def test_declining_the_read_back_saves_nothing(chair, db):
    chair.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, CANCEL)
    assert entries(db) == []


@pytest.mark.parametrize("typed", ["0", "-500000", "1000000000000000", "abc", "5,5,5", "5a00k", "50 ngàn rưỡi"])
def test_an_amount_that_cannot_be_used_is_asked_again_and_nothing_is_saved(chair, db, typed):
    question = chair.says_all("/donggop Lê Thị Hoa", INCOME, KIND_CAPITAL).split("\n\n\n")[-1].strip()
    answer = chair.says(typed).strip()
    problem = answer.removesuffix(question).strip()
    assert answer.endswith(question) and problem  # what was wrong, then the same question again
    assert any(hint in problem for hint in ("500k", "1tr5", "1.500.000", money(MAX_AMOUNT)))
    assert entries(db) == []
    assert money(50_000) in chair.says("50k")  # and the conversation goes on
    chair.says(SAVE)
    assert [e.amount for e in entries(db)] == [50_000]


def test_a_bad_amount_on_one_line_is_explained_and_the_name_asked_again(chair, db):
    answer = chair.says("/trano Nguyễn Thị Lan 5,5,5")
    assert "5,5,5" in answer and "1tr5" in answer
    assert entries(db) == []


# --- loans ---------------------------------------------------------------------------------------------


def test_treasurer_lends_and_reads_the_monthly_schedule_before_saving(chair, treasurer, db):
    set_rule(db, loan_rate_bp=100)
    fund_the_club(chair)
    read_back = treasurer.says_all("/vay Nguyễn Thị Lan 3tr 12", SMALL_TRADE)
    assert "Nguyễn Thị Lan" in read_back and money(3_000_000) in read_back
    assert f"23/12/2026: {money(280_000)}" in read_back  # 250.000 principal + 1 % of 3tr
    assert f"23/11/2027: {money(252_500)}" in read_back
    saved = treasurer.says(SAVE)
    assert money(280_000) in saved and money(7_000_000) in saved  # first repayment; cash left
    [loan] = all_loans(db)
    assert (loan.principal, loan.term_months, loan.purpose, loan.monthly_rate_bp) == (3_000_000, 12, "trade", 100)
    with db.transaction() as s:
        assert len(s.exec(select(LoanInstalment).where(LoanInstalment.loan_id == loan.id)).all()) == 12
    assert entries(db)[-1].amount == -3_000_000


def test_a_loan_larger_than_the_income_funds_cash_is_refused_saying_the_cash(chair, db):
    fund_the_club(chair, "2tr")
    refused = chair.says("/vay Nguyễn Thị Lan 3tr 12")
    assert money(2_000_000) in refused
    assert all_loans(db) == []
    read_back = chair.says_all("2tr", SMALL_TRADE)  # the term typed with it is kept
    assert money(2_000_000) in read_back and "12" in read_back
    chair.says(SAVE)
    assert [loan.principal for loan in all_loans(db)] == [2_000_000]


def test_a_loan_longer_than_the_rules_allow_is_refused(chair, db):
    fund_the_club(chair)
    refused = chair.says("/vay Nguyễn Thị Lan 3tr 24")
    assert "12" in refused and "/quyche" in refused
    assert all_loans(db) == []
    chair.says_all("12", SMALL_TRADE, SAVE)
    assert [loan.term_months for loan in all_loans(db)] == [12]


def test_a_loan_above_the_largest_the_rules_allow_is_refused(chair, db):
    fund_the_club(chair)
    refused = chair.says_all("/vay Nguyễn Thị Lan", "6tr")
    assert money(5_000_000) in refused
    assert all_loans(db) == []


@pytest.mark.parametrize("role", [VICE_CHAIR, SECRETARY])
def test_only_the_chair_and_the_treasurer_may_lend(chair, person, db, role):
    fund_the_club(chair)
    other = join_board(chair, person, role, "3", "Lê Văn Cường")
    refused = other.says("/vay Nguyễn Thị Lan 3tr 12")
    assert "/vay" in refused
    other.says(SMALL_TRADE)
    assert all_loans(db) == []


def test_a_member_with_an_overdue_loan_cannot_borrow_again(chair, db, clock):
    clock.now -= timedelta(days=100)  # 15/08/2026
    chair.says_all("/donggop Trần Văn Bình 10tr", INCOME, KIND_CAPITAL, SAVE, DONE)
    chair.says_all("/vay Nguyễn Thị Lan 1tr2 12", SMALL_TRADE, SAVE)
    clock.now += timedelta(days=100)
    refused = chair.says("/vay Nguyễn Thị Lan 1tr 12")
    assert money(300_000) in refused and "15/09/2026" in refused  # three instalments of 100.000, since 15 Sept
    assert len(all_loans(db)) == 1


# --- repayments ----------------------------------------------------------------------------------------


def lend(chair, amount: str = "2tr", name: str = "Nguyễn Thị Lan") -> None:
    chair.says_all(f"/vay {name} {amount} 12", SMALL_TRADE, SAVE)


def test_treasurer_records_a_repayment_and_sees_what_is_still_owed(chair, treasurer, db):
    fund_the_club(chair)
    lend(chair)
    read_back = treasurer.says("/trano Nguyễn Thị Lan 500k")
    assert "Nguyễn Thị Lan" in read_back and money(500_000) in read_back and money(1_500_000) in read_back
    saved = treasurer.says(SAVE)
    assert money(1_500_000) in saved
    # Instalments of 167.000 ₫: 500k covers two and all but 1.000 ₫ of the third, due 23/02/2027.
    assert f"{money(1_000)}, ngày 23/02/2027" in saved
    repayment = entries(db)[-1]
    assert (repayment.kind, repayment.amount, repayment.interest) == (REPAYMENT, 500_000, 0)


def test_a_repayment_pays_the_fee_due_before_the_principal(chair, db, clock):
    set_rule(db, loan_rate_bp=100)
    clock.now -= timedelta(days=31)  # lent on 23/10
    fund_the_club(chair)
    lend(chair, "3tr")
    clock.now += timedelta(days=31)
    read_back = chair.says("/trano Nguyễn Thị Lan 500k")
    assert money(30_000) in read_back and money(470_000) in read_back
    chair.says(SAVE)
    assert entries(db)[-1].interest == 30_000


def test_paying_more_than_is_owed_is_refused_with_the_exact_amount_owed(chair, db):
    fund_the_club(chair)
    lend(chair)
    refused = chair.says("/trano Nguyễn Thị Lan 3tr")
    assert money(2_000_000) in refused
    assert entries(db)[-1].kind != REPAYMENT
    chair.says_all("2tr", SAVE)
    assert "#" in chair.says("/saoke Nguyễn Thị Lan")
    with db.transaction() as s:
        assert loans.open_loans(s, 1, member_named(db, "Nguyễn Thị Lan").id, date(2026, 11, 23)) == []


def test_a_repayment_for_someone_with_no_loan_says_so(chair, db):
    fund_the_club(chair)
    answer = chair.says("/trano Trần Văn Bình 500k")
    assert "Trần Văn Bình" in answer
    assert [e.kind for e in entries(db)] == [CAPITAL]


def test_a_member_with_two_loans_chooses_which_one_is_repaid(chair, db):
    set_rule(db, lend_when_overdue=True)
    fund_the_club(chair)
    lend(chair, "1tr")
    lend(chair, "2tr")
    choice = chair.says("/trano Nguyễn Thị Lan")
    assert money(1_000_000) in choice and money(2_000_000) in choice
    chair.says_all("2", "300k", SAVE)
    second = all_loans(db)[1]
    assert entries(db)[-1].loan_id == second.id


def test_what_is_due_now_is_one_tap(chair, db, clock):
    clock.now -= timedelta(days=62)  # lent on 22/09: October and November instalments are due
    fund_the_club(chair)
    lend(chair, "1tr2")
    clock.now += timedelta(days=62)
    offer = chair.says("/trano Nguyễn Thị Lan")
    assert money(200_000) in offer
    chair.says_all("1", SAVE)
    assert entries(db)[-1].amount == 200_000


def test_the_vice_chair_may_record_repayments(chair, person, db):
    fund_the_club(chair)
    lend(chair)
    vice = join_board(chair, person, VICE_CHAIR, "3", "Lê Văn Cường")
    vice.says_all("/trano Nguyễn Thị Lan 100k", SAVE)
    assert entries(db)[-1].amount == 100_000


# --- expenses ------------------------------------------------------------------------------------------


def test_an_expense_larger_than_the_activity_fund_is_refused(chair, db):
    chair.says_all("/donggop Lê Thị Hoa 300k", ACTIVITY, KIND_MONTHLY_FEE, SAVE, DONE)
    refused = chair.says("/chi 500k văn nghệ")
    assert money(300_000) in refused
    read_back = chair.says("200k")  # what it was for was already said
    assert "văn nghệ" in read_back and money(200_000) in read_back
    chair.says(SAVE)
    expense = entries(db)[-1]
    assert (expense.kind, expense.amount, expense.note) == (EXPENSE, -200_000, "văn nghệ")


def test_an_expense_step_by_step(chair, db):
    chair.says_all("/donggop Lê Thị Hoa 300k", ACTIVITY, KIND_MONTHLY_FEE, SAVE, DONE)
    assert money(300_000) in chair.says("/chi")
    chair.says("150k")
    read_back = chair.says("Thăm hỏi hội viên ốm")
    assert "Thăm hỏi hội viên ốm" in read_back
    saved = chair.says(SAVE)
    assert money(150_000) in saved


# --- balances, statements, what is due ----------------------------------------------------------------


def test_the_funds_show_cash_loans_and_capital(chair, db):
    set_rule(db, loan_rate_bp=100)
    fund_the_club(chair)
    chair.says_all("/donggop Lê Thị Hoa 300k", ACTIVITY, KIND_MONTHLY_FEE, SAVE, DONE)
    lend(chair, "3tr")
    funds = chair.says("/quy")
    assert money(7_000_000) in funds  # cash on hand
    assert money(3_000_000) in funds  # out on loan
    assert money(10_000_000) in funds  # the whole income fund, and its capital
    assert money(300_000) in funds


def test_a_district_reviewer_can_look_at_the_funds_but_not_record(chair, person, db):
    reviewer = join_board(chair, person, "5", "4", "Hội NCT huyện")
    assert money(0) in reviewer.says("/quy")
    reviewer.says("3")
    assert "/donggop" in reviewer.says("/donggop Lê Thị Hoa 50k")
    assert entries(db) == []


def test_a_statement_shows_contributions_loans_and_corrections(chair, db):
    chair.says_all("/donggop Nguyễn Thị Lan 5tr", INCOME, KIND_CAPITAL, SAVE, DONE)
    chair.says_all("/donggop Nguyễn Thị Lan 50k", INCOME, KIND_CAPITAL, SAVE, DONE)
    chair.says_all("/hoantac", "1", "ghi trùng", SAVE)
    lend(chair)
    statement = chair.says_all("/quy", "1", "nguyen thi lan")
    assert money(5_000_000) in statement  # contributed, net of the reversed 50k
    assert money(50_000) in statement and "#2" in statement and "ghi trùng" in statement
    assert money(2_000_000) in statement and "23/12/2026" in statement  # the loan, and its next repayment


def test_the_due_list_shows_who_is_late_and_who_pays_this_month(chair, db, clock):
    clock.now -= timedelta(days=92)  # 23/08/2026
    fund_the_club(chair)
    lend(chair, "1tr2", "Nguyễn Thị Lan")
    clock.now += timedelta(days=92)
    chair.says_all("/vay Trần Văn Bình 1tr2 12", SMALL_TRADE, ANOTHER_DATE, "28/10/2026", SAVE)
    due = chair.says("/denhan")
    lan, binh = due.index("Nguyễn Thị Lan"), due.index("Trần Văn Bình")
    assert lan < binh  # the late one first
    assert money(200_000) in due and "61" in due  # September's and October's, 61 days after 23/09
    assert "23/11/2026" in due and "28/11/2026" in due  # November's, due today for Lan and on the 28th for Bình
    assert money(400_000) in due  # to collect in all


# --- corrections ---------------------------------------------------------------------------------------


def test_treasurer_undoes_their_own_last_entry_of_the_day(chair, person, db):
    vice = join_board(chair, person, VICE_CHAIR, "3", "Lê Văn Cường")
    vice.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, SAVE, DONE)
    offer = vice.says("/hoantac")
    assert money(50_000) in offer and "Lê Thị Hoa" in offer
    vice.says_all("1", SAVE)  # 1: typing mistake
    original, reversal = entries(db)
    assert (reversal.amount, reversal.reverses_entry_id) == (-50_000, original.id)
    assert original.amount == 50_000 and reversal.reason
    assert "1." not in vice.says("/hoantac")  # nothing left to undo today: nothing offered
    assert len(entries(db)) == 2


def test_yesterdays_entry_is_not_undone_by_its_author(chair, person, db, clock):
    vice = join_board(chair, person, VICE_CHAIR, "3", "Lê Văn Cường")
    vice.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, SAVE, DONE)
    clock.now += timedelta(days=1)
    assert "1." not in vice.says("/hoantac")
    assert "1." not in vice.says("/hoantac 1")
    assert len(entries(db)) == 1


def test_the_chair_reverses_any_entry_with_a_reason(chair, person, db):
    vice = join_board(chair, person, VICE_CHAIR, "3", "Lê Văn Cường")
    vice.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, SAVE, DONE)
    choice = chair.says("/hoantac")
    assert "#1" in choice
    read_back = chair.says_all("1", "ghi nhầm người")
    assert "ghi nhầm người" in read_back and money(50_000) in read_back
    chair.says(SAVE)
    reversal = entries(db)[-1]
    assert reversal.reason == "ghi nhầm người"
    with db.transaction() as s:
        assert s.get(User, reversal.created_by).display_name == "Nguyễn Văn An"


def test_a_loan_with_repayments_is_not_reversed_before_them(chair, db):
    fund_the_club(chair)
    lend(chair)
    chair.says_all("/trano Nguyễn Thị Lan 100k", SAVE, DONE)
    payout = next(e for e in entries(db) if e.loan_id and e.amount < 0)
    refused = chair.says(f"/hoantac {payout.id}")
    assert "1." not in refused  # no reason asked: the flow stops there
    assert len(entries(db)) == 3


# --- the club's rules and the board's group chat -------------------------------------------------------


def test_the_chair_sets_the_club_rules(chair, treasurer, db):
    assert "/quyche" in treasurer.says("/quyche")
    chair.says_all("/quyche", "2")  # the loan fee
    assert "0,5" in chair.says("abc")  # how to type it
    read_back = chair.says("0,5")
    assert "0,5" in read_back or "0.5" in read_back
    chair.says(SAVE)
    chair.says_all("/quyche", "4", "18", SAVE)  # the longest loan
    with db.transaction() as s:
        rules = s.exec(select(ClubRules)).one()
    assert (rules.loan_rate_bp, rules.max_term_months) == (50, 18)


def test_an_illegal_rate_is_refused(chair, db):
    chair.says_all("/quyche", "2")
    answer = chair.says("3")
    assert "20 %" in answer
    chair.says("/huy")
    with db.transaction() as s:
        assert s.exec(select(ClubRules)).first() is None


def test_every_entry_is_announced_in_the_linked_board_group(chair, person, db):
    with db.transaction() as s:  # /nhom links a group from inside it, on Telegram (test_money_telegram)
        club = s.exec(select(Club)).one()
        money_rules.link_board_chat(s, club.id, "console", "-1001", s.get(User, club.created_by))
    saved = chair.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, SAVE)
    announcement = saved.split("-1001]")[1]
    assert "Lê Thị Hoa" in announcement and money(50_000) in announcement and "Nguyễn Văn An" in announcement
    in_group = person("1", "Nguyễn Văn An", chat_id="-1001")
    in_group_saved = in_group.says_all("/donggop Lê Thị Hoa 20k", INCOME, KIND_CAPITAL, SAVE)
    assert "-1001]" not in in_group_saved  # typed in the group: it is seen there already
    chair.says_all(DONE, "/nhom", "1")  # stop announcing
    assert "-1001" not in chair.says_all("/donggop Lê Thị Hoa 10k", INCOME, KIND_CAPITAL, SAVE)
