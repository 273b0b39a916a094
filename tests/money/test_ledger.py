"""The ledger through storage, on SQLite and PostgreSQL: money in and out, loans, corrections, report figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from storage import corrections, ledger, loans, money_reports, money_rules
from storage.ledger import CannotReverse, HasOverdueLoan, LoanTooLarge, NotEnoughCash, Overpayment, TermTooLong
from storage.models import ACTIVITY_FUND, INCOME_FUND, LedgerEntry, Loan, LoanInstalment
from tests.money_support import TODAY, Books, open_books


def set_rule(books: Books, field: str, value) -> None:
    with books.db.transaction() as s:
        money_rules.change_rule(s, books.club_id, field, value, books.user)


def reverse(books: Books, entry_id: int, today: date = TODAY) -> LedgerEntry:
    with books.db.transaction() as s:
        return corrections.reverse(s, books.club_id, entry_id, reason="typing mistake", by=books.user, today=today)


def count(books: Books, table) -> int:
    with books.db.transaction() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def test_contributions_fill_each_fund_and_the_figures_are_whole_dong(any_db):
    books = open_books(any_db)
    books.contribute(5_000_000)
    books.contribute(200_000, fund=ACTIVITY_FUND, member=1)
    with any_db.transaction() as s:
        balances = money_reports.fund_balances(s, books.club_id, TODAY)
        assert balances == {INCOME_FUND: 5_000_000, ACTIVITY_FUND: 200_000}
        assert all(type(v) is int for v in balances.values())  # PostgreSQL sums BIGINT into NUMERIC
        assert type(ledger.cash(s, books.club_id, INCOME_FUND)) is int


def test_a_loan_larger_than_the_cash_on_hand_is_refused_and_nothing_is_written(any_db):
    books = open_books(any_db)
    books.contribute(2_000_000)
    with pytest.raises(NotEnoughCash) as refused:
        books.lend(3_000_000)
    assert refused.value.available == 2_000_000
    assert count(books, Loan) == 0 and count(books, LoanInstalment) == 0 and count(books, LedgerEntry) == 1


def test_cash_lent_later_cannot_be_lent_again_by_back_dating(any_db):
    books = open_books(any_db)
    books.contribute(5_000_000, on=date(2026, 11, 1))
    books.lend(3_000_000, on=date(2026, 11, 20))
    with pytest.raises(NotEnoughCash) as refused:
        books.lend(3_000_000, on=date(2026, 11, 10), member=1)  # 5tr on hand on the 10th, but 3tr left on the 20th
    assert refused.value.available == 2_000_000
    books.lend(2_000_000, on=date(2026, 11, 10), member=1)
    with any_db.transaction() as s:
        assert ledger.lowest_cash_since(s, books.club_id, INCOME_FUND, date(2026, 11, 1)) == 0


def test_the_club_rules_limit_amount_and_term(any_db):
    books = open_books(any_db)
    books.contribute(20_000_000)
    with pytest.raises(LoanTooLarge) as too_large:
        books.lend(6_000_000)
    assert too_large.value.limit == 5_000_000
    with pytest.raises(TermTooLong) as too_long:
        books.lend(3_000_000, months=18)
    assert too_long.value.limit == 12
    set_rule(books, "max_loan", 10_000_000)
    set_rule(books, "max_term_months", 24)
    assert books.lend(6_000_000, months=18).term_months == 18


def test_a_member_with_an_overdue_loan_borrows_again_only_if_the_rules_allow(any_db):
    books = open_books(any_db)
    books.contribute(10_000_000, on=date(2026, 1, 1))
    books.lend(1_200_000, months=12, on=date(2026, 6, 1))  # due from 1 July; nothing paid
    with pytest.raises(HasOverdueLoan) as refused:
        books.lend(1_000_000)
    assert refused.value.since == date(2026, 7, 1) and refused.value.overdue == 500_000  # five months of 100k
    books.lend(1_000_000, member=1)  # someone else may
    set_rule(books, "lend_when_overdue", True)
    books.lend(1_000_000)
    assert count(books, Loan) == 3


def test_a_repayment_pays_the_fee_due_first_then_the_principal(any_db):
    books = open_books(any_db)
    set_rule(books, "loan_rate_bp", 100)
    books.contribute(5_000_000, on=date(2026, 9, 1))
    loan = books.lend(3_000_000, on=date(2026, 10, 23))
    payment = books.repay(loan, 500_000)  # 23/11: the first instalment's fee, 30.000, is due
    assert (payment.amount, payment.interest) == (500_000, 30_000)
    with any_db.transaction() as s:
        pos = loans.loan_position(s, loan, TODAY)
        assert pos.principal_left == 2_530_000 and pos.interest_due == 0
        assert money_reports.outstanding(s, books.club_id, TODAY) == 2_530_000
        assert money_reports.interest_received(s, books.club_id, TODAY) == 30_000
        assert ledger.cash(s, books.club_id, INCOME_FUND) == 5_000_000 - 3_000_000 + 500_000


def test_more_than_is_owed_is_refused_with_the_exact_amount_owed(any_db):
    books = open_books(any_db)
    books.contribute(5_000_000)
    loan = books.lend(2_000_000)
    books.repay(loan, 500_000)
    with pytest.raises(Overpayment) as refused:
        books.repay(loan, 1_600_000)
    assert refused.value.position.owed == 1_500_000
    books.repay(loan, 1_500_000)
    with pytest.raises(loans.NoOpenLoan):
        books.repay(loan, 1_000)


def test_an_expense_larger_than_the_activity_fund_is_refused(any_db):
    books = open_books(any_db)
    books.contribute(300_000, fund=ACTIVITY_FUND)
    books.contribute(9_000_000)  # the income fund's cash is not the activity fund's
    with any_db.transaction() as s, pytest.raises(NotEnoughCash) as refused:
        ledger.spend(s, books.club_id, amount=400_000, purpose="văn nghệ", on=TODAY, by=books.user, today=TODAY)
    assert (refused.value.fund, refused.value.available) == (ACTIVITY_FUND, 300_000)
    with any_db.transaction() as s:
        ledger.spend(s, books.club_id, amount=300_000, purpose="văn nghệ", on=TODAY, by=books.user, today=TODAY)
        assert ledger.cash(s, books.club_id, ACTIVITY_FUND) == 0


def test_a_reversal_adds_an_entry_and_every_figure_is_net_of_it(any_db):
    books = open_books(any_db)
    wrong = books.contribute(500_000)
    books.contribute(50_000)
    reversal = reverse(books, wrong.id)
    assert (reversal.amount, reversal.reverses_entry_id, reversal.reason) == (-500_000, wrong.id, "typing mistake")
    with any_db.transaction() as s:
        assert s.get(LedgerEntry, wrong.id).amount == 500_000  # the original is untouched
        assert ledger.cash(s, books.club_id, INCOME_FUND) == 50_000
        assert money_reports.summary(s, books.club_id, TODAY).capital == 50_000
        assert [e.id for e in ledger.recent_entries(s, books.club_id)] == [wrong.id + 1]


def test_an_entry_is_reversed_once_and_a_reversal_is_never_reversed(any_db):
    books = open_books(any_db)
    entry = books.contribute(500_000)
    reversal = reverse(books, entry.id)
    for entry_id, why in (
        (entry.id, corrections.ALREADY_REVERSED),
        (reversal.id, corrections.REVERSE_A_REVERSAL),
        (9999, corrections.NOT_FOUND),
    ):
        with pytest.raises(CannotReverse) as refused:
            reverse(books, entry_id)
        assert refused.value.why == why
    assert count(books, LedgerEntry) == 2


def test_a_loan_is_reversed_only_after_its_repayments(any_db):
    books = open_books(any_db)
    books.contribute(5_000_000)
    loan = books.lend(3_000_000)
    payout = entries_of(books, loan)[0]
    payment = books.repay(loan, 250_000)
    with pytest.raises(CannotReverse) as refused:
        reverse(books, payout.id)
    assert refused.value.why == corrections.LOAN_HAS_REPAYMENTS
    reverse(books, payment.id)
    reverse(books, payout.id)
    with any_db.transaction() as s:
        assert money_reports.outstanding(s, books.club_id, TODAY) == 0
        assert ledger.cash(s, books.club_id, INCOME_FUND) == 5_000_000
        assert loans.open_loans(s, books.club_id, books.member_ids[0], TODAY) == []
        assert money_reports.borrowers(s, books.club_id, TODAY) == 0  # a cancelled loan is no loan


def test_reversing_a_repayment_puts_back_its_fee_and_its_principal(any_db):
    books = open_books(any_db)
    set_rule(books, "loan_rate_bp", 100)
    books.contribute(5_000_000, on=date(2026, 9, 1))
    loan = books.lend(3_000_000, on=date(2026, 10, 23))
    payment = books.repay(loan, 500_000)
    reversal = reverse(books, payment.id)
    assert (reversal.amount, reversal.interest) == (-500_000, -30_000)
    with any_db.transaction() as s:
        assert money_reports.interest_received(s, books.club_id, TODAY) == 0
        assert money_reports.outstanding(s, books.club_id, TODAY) == 3_000_000
        assert loans.loan_position(s, loan, TODAY).interest_due == 30_000


def test_money_already_lent_out_cannot_be_taken_back_by_a_reversal(any_db):
    books = open_books(any_db)
    contribution = books.contribute(3_000_000)
    books.lend(3_000_000)
    with pytest.raises(NotEnoughCash):
        reverse(books, contribution.id)


def entries_of(books: Books, loan: Loan) -> list[LedgerEntry]:
    with books.db.transaction() as s:
        return list(s.exec(select(LedgerEntry).where(LedgerEntry.loan_id == loan.id).order_by(LedgerEntry.id)))


def test_undo_finds_the_persons_own_latest_entry_typed_in_today(any_db):
    books = open_books(any_db)
    first = books.contribute(100_000)
    second = books.contribute(200_000)
    with any_db.transaction() as s:
        assert ledger.last_own_entry(s, books.club_id, books.user.id, TODAY).id == second.id
        assert ledger.last_own_entry(s, books.club_id, books.user.id, date(2026, 11, 24)) is None
    reverse(books, second.id)
    with any_db.transaction() as s:
        assert ledger.last_own_entry(s, books.club_id, books.user.id, TODAY).id == first.id


def test_report_figures_as_of_a_day_match_each_loans_own_position(any_db):
    books = open_books(any_db, people=3)
    set_rule(books, "loan_rate_bp", 50)
    books.contribute(10_000_000, on=date(2026, 1, 5))
    books.contribute(600_000, fund=ACTIVITY_FUND, on=date(2026, 1, 5), member=1)
    paid_up = books.lend(1_200_000, months=6, on=date(2026, 2, 1), member=0)
    late = books.lend(2_400_000, months=12, on=date(2026, 3, 1), member=1)
    books.lend(1_000_000, months=10, on=date(2026, 10, 1), member=2)
    for month in range(3, 9):  # six instalments, paid on their day
        with any_db.transaction() as s:
            pos = loans.loan_position(s, paid_up, date(2026, month, 1))
        books.repay(paid_up, pos.next_due_amount, on=date(2026, month, 1))
    books.repay(late, 212_000, on=date(2026, 4, 1))  # 200.000 + 12.000 fee, then nothing more
    with any_db.transaction() as s:
        june = money_reports.overdue(s, books.club_id, date(2026, 6, 30))
        now = money_reports.overdue(s, books.club_id, TODAY)
        positions = [pos for line in loans.due_list(s, books.club_id, TODAY) for pos in [line.position]]
        assert money_reports.outstanding(s, books.club_id, date(2026, 3, 15)) == 1_200_000 - 200_000 + 2_400_000
        assert money_reports.outstanding(s, books.club_id, TODAY) == 2_200_000 + 1_000_000
        assert money_reports.borrowers(s, books.club_id, TODAY) == 3
        assert money_reports.borrowers(s, books.club_id, TODAY, start=date(2026, 6, 1)) == 1
        assert money_reports.borrowers_owing(s, books.club_id, TODAY) == 2
        assert money_reports.fund_balances(s, books.club_id, date(2026, 1, 31)) == {
            INCOME_FUND: 10_000_000,
            ACTIVITY_FUND: 600_000,
        }
    assert (june.loans, june.borrowers) == (1, 1) and june.amount == 211_000 + 210_000  # May and June for `late`
    assert now.loans == 2 and now.amount == sum(p.overdue for p in positions)
