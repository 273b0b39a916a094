"""The sums the reports read (LedgerMonth, LoanBalance, BorrowerBalance), kept by triggers, on SQLite and
PostgreSQL: they always equal the ledger added up afresh, reversals included; the database refuses to change
or delete an entry; and a report for a past period stays as it was whatever is entered after it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from storage import corrections, loans, reports, submissions
from storage.models import ACTIVITY_FUND, LOAN, REPAYMENT, BorrowerBalance, LedgerEntry, LedgerMonth, LoanBalance
from storage.periods import period
from tests.money_support import TODAY, open_books


def reverse(books, entry: LedgerEntry) -> LedgerEntry:
    with books.db.transaction() as s:
        return corrections.reverse(s, books.club_id, entry.id, reason="nhầm", by=books.user, today=TODAY)


def month_sums_kept(db) -> dict:
    with db.transaction() as s:
        return {
            (m.club_id, m.fund, m.kind, m.month): (m.amount, m.interest, m.outside)
            for m in s.exec(select(LedgerMonth))
            if (m.amount, m.interest, m.outside) != (0, 0, 0)
        }


def month_sums_of_the_ledger(db) -> dict:
    sums: dict = {}
    with db.transaction() as s:
        for e in s.exec(select(LedgerEntry)):
            key = (e.club_id, e.fund, e.kind, e.entry_date.replace(day=1))
            amount, interest, outside = sums.get(key, (0, 0, 0))
            sums[key] = (amount + e.amount, interest + e.interest, outside + (e.amount if e.source else 0))
    return {key: figures for key, figures in sums.items() if figures != (0, 0, 0)}


def loan_sums_kept(db) -> dict:
    with db.transaction() as s:
        return {b.loan_id: (b.lent, b.owed, b.repaid) for b in s.exec(select(LoanBalance))}


def loan_sums_of_the_ledger(db) -> dict:
    sums: dict = {}
    with db.transaction() as s:
        for e in s.exec(select(LedgerEntry).where(LedgerEntry.kind.in_((LOAN, REPAYMENT)))):
            lent, owed, repaid = sums.get(e.loan_id, (0, 0, 0))
            sums[e.loan_id] = (
                lent + (e.amount if e.kind == LOAN else 0),
                owed + e.interest - e.amount,
                repaid + (e.amount if e.kind == REPAYMENT else 0),
            )
    return sums


def borrower_sums_kept(db) -> dict:
    with db.transaction() as s:
        return {b.member_id: b.lent for b in s.exec(select(BorrowerBalance))}


def borrower_sums_of_the_ledger(db) -> dict:
    sums: dict = {}
    with db.transaction() as s:
        for e in s.exec(select(LedgerEntry).where(LedgerEntry.kind == LOAN)):
            sums[e.member_id] = sums.get(e.member_id, 0) + e.amount
    return sums


def test_the_sums_equal_the_ledger_after_loans_repayments_and_reversals(any_db):
    books = open_books(any_db, people=2)
    books.contribute(9_000_000, on=date(2026, 1, 10))
    fee = books.contribute(300_000, fund=ACTIVITY_FUND, on=date(2026, 1, 31), member=1)
    kept = books.lend(2_000_000, months=4, on=date(2026, 2, 15))
    books.repay(kept, 520_000, on=date(2026, 3, 15))
    last = books.repay(kept, 515_000, on=date(2026, 4, 15))
    withdrawn = books.lend(1_000_000, months=2, on=date(2026, 3, 1), member=1)
    reverse(books, last)
    reverse(books, fee)
    with any_db.transaction() as s:
        paid_out = s.exec(select(LedgerEntry).where(LedgerEntry.loan_id == withdrawn.id)).one()
    reverse(books, paid_out)

    assert month_sums_kept(any_db) == month_sums_of_the_ledger(any_db)
    assert loan_sums_kept(any_db) == loan_sums_of_the_ledger(any_db)
    assert loan_sums_kept(any_db)[withdrawn.id] == (0, 0, 0)  # paid out, then reversed: never lent
    assert borrower_sums_kept(any_db) == borrower_sums_of_the_ledger(any_db)
    assert borrower_sums_kept(any_db)[withdrawn.member_id] == 0  # their only loan reversed: never borrowed


def test_the_database_refuses_to_change_or_delete_an_entry(any_db):
    books = open_books(any_db)
    entry = books.contribute(1_000_000, on=date(2026, 1, 10))

    for change in (
        update(LedgerEntry).where(LedgerEntry.id == entry.id).values(amount=2_000_000),
        delete(LedgerEntry).where(LedgerEntry.id == entry.id),
    ):
        with pytest.raises(DBAPIError, match="append-only"), any_db.transaction() as s:
            s.execute(change)

    assert month_sums_kept(any_db) == {(books.club_id, "income", "capital", date(2026, 1, 1)): (1_000_000, 0, 0)}


def test_a_past_report_stays_as_it_was_after_later_repayments_and_reversals(any_db):
    books = open_books(any_db)
    books.contribute(5_000_000, on=date(2025, 12, 1))
    loan = books.lend(1_200_000, months=3, on=date(2026, 1, 5))  # nothing repaid by the end of May
    h1, h2 = period("2026-H1"), period("2026-H2")

    def loans_in(p):
        with any_db.transaction() as s:
            return reports.club_report(s, books.club_id, p).loans

    before = loans_in(h1)
    with any_db.transaction() as s:  # handed in: corrections of its entries are dated the day they are made
        submissions.mark_submitted(s, books.club_id, h1.code, books.user)
    late = books.repay(loan, 600_000, on=date(2026, 7, 10))
    repaid_in_h2 = loans_in(h2)
    reverse(books, late)

    assert (before.open_loans, before.outstanding, before.overdue_loans, before.at_risk_30) == (
        1,
        1_200_000,
        1,
        1_200_000,
    )
    assert loans_in(h1) == before
    assert repaid_in_h2.open_loans == 1 and repaid_in_h2.outstanding == 1_200_000 - (600_000 - late.interest)
    assert repaid_in_h2.overdue_amount == before.overdue_amount - 600_000  # every instalment was due by May
    assert loans_in(h2).outstanding == 1_200_000  # the repayment reversed, on its own day in July

    with any_db.transaction() as s:
        paid_out = s.exec(select(LedgerEntry).where(LedgerEntry.loan_id == loan.id, LedgerEntry.kind == LOAN)).one()
    reverse(books, paid_out)  # the loan itself withdrawn on 23 November: it stood all through the first half
    assert (loans_in(h1).ever_borrowed, loans_in(h1).loans_in_period) == (1, 1)
    assert (loans_in(h2).ever_borrowed, loans_in(h2).open_loans) == (0, 0)
    books.lend(500_000, months=2, on=date(2026, 8, 1), member=1)  # the other member's first loan, after June
    assert loans_in(h1).ever_borrowed == 1
    assert (loans_in(h2).ever_borrowed, loans_in(h2).open_loans) == (1, 1)


def test_a_loan_repaid_in_full_after_the_period_was_owing_in_it(any_db):
    books = open_books(any_db)
    books.contribute(5_000_000, on=date(2025, 12, 1))
    loan = books.lend(1_000_000, months=2, on=date(2026, 3, 5))
    h1 = period("2026-H1")
    with any_db.transaction() as s:
        before = reports.club_report(s, books.club_id, h1).loans
        owed = loans.loan_position(s, loan, date(2026, 7, 1)).owed

    books.repay(loan, owed, on=date(2026, 7, 1))

    with any_db.transaction() as s:
        assert reports.club_report(s, books.club_id, h1).loans == before
        assert reports.club_report(s, books.club_id, period("2026-H2")).loans.open_loans == 0
    assert (before.open_loans, before.borrowers, before.outstanding) == (1, 1, 1_000_000)
