"""Each loan's schedule facts kept with its sums (LoanBalance.scheduled and last_due, migration 0010s), on
SQLite and PostgreSQL: they equal its instalments, whether made by the trigger as the loan is written or
computed afresh for an existing database; and the report's loan figures, which read the facts instead of
the instalments of loans past their term, equal the figures worked out from the instalment rows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import select

from storage import report_sums, reports
from storage.models import LOAN, REPAYMENT, LedgerEntry, LoanBalance, LoanInstalment
from storage.periods import period
from tests.money_support import open_books

H1 = period("2026-H1")  # 1 Dec 2025 – 31 May 2026: "at risk" means an instalment due before 1 May unpaid


def schedule_facts_kept(db) -> dict:
    with db.transaction() as s:
        return {b.loan_id: (b.scheduled, b.last_due) for b in s.exec(select(LoanBalance))}


def schedule_facts_of_the_instalments(db) -> dict:
    facts: dict = {}
    with db.transaction() as s:
        for i in s.exec(select(LoanInstalment)):
            scheduled, last_due = facts.get(i.loan_id, (0, i.due_on))
            facts[i.loan_id] = (scheduled + i.principal + i.interest, max(last_due, i.due_on))
    return facts


def loan_figures_from_the_instalments(db, as_of: date) -> dict:
    """The report's arrears figures the long way: every entry and every instalment of every loan."""
    risk_day = as_of - timedelta(days=reports.PAR_DAYS)
    with db.transaction() as s:
        entries = list(
            s.exec(select(LedgerEntry).where(LedgerEntry.kind.in_((LOAN, REPAYMENT)), LedgerEntry.entry_date <= as_of))
        )
        instalments = list(s.exec(select(LoanInstalment)))
    figures = dict(open_loans=0, overdue_amount=0, overdue_loans=0, at_risk_30=0)
    for loan_id in {e.loan_id for e in entries}:
        owed = sum(e.interest - e.amount for e in entries if e.loan_id == loan_id)
        repaid = sum(e.amount for e in entries if e.loan_id == loan_id and e.kind == REPAYMENT)
        due = sum(i.principal + i.interest for i in instalments if i.loan_id == loan_id and i.due_on < as_of)
        due_at_risk = sum(i.principal + i.interest for i in instalments if i.loan_id == loan_id and i.due_on < risk_day)
        if owed <= 0:
            continue
        figures["open_loans"] += 1
        if due > repaid:
            figures["overdue_amount"] += due - repaid
            figures["overdue_loans"] += 1
        if due_at_risk > repaid:
            figures["at_risk_30"] += owed
    return figures


def books_with_loans_in_and_past_their_term(db):
    books = open_books(db, people=4)
    books.contribute(20_000_000, on=date(2025, 11, 1))
    ended = books.lend(1_200_000, months=3, on=date(2025, 12, 1))  # last due 1 March: past its term by May
    books.repay(ended, 406_000, on=date(2026, 1, 1))
    ending = books.lend(1_000_000, months=2, on=date(2026, 3, 15), member=1)  # last due 15 May: in the month
    in_term = books.lend(2_400_000, months=6, on=date(2026, 3, 10), member=2)  # due 10 Apr … 10 Sep
    on_time = books.lend(900_000, months=3, on=date(2026, 4, 20), member=3)
    books.repay(on_time, 304_500, on=date(2026, 5, 20))
    return books, dict(ended=ended, ending=ending, in_term=in_term, on_time=on_time)


def test_each_loans_schedule_facts_equal_its_instalments(any_db):
    books, loans = books_with_loans_in_and_past_their_term(any_db)

    kept = schedule_facts_kept(any_db)

    assert kept == schedule_facts_of_the_instalments(any_db)
    assert kept[loans["ended"].id][1] < H1.end - timedelta(days=reports.PAR_DAYS)
    assert kept[loans["in_term"].id][1] == date(2026, 9, 10)  # in its term at the end of May


def test_an_existing_database_gets_the_same_facts_as_the_trigger_makes(any_db):
    books_with_loans_in_and_past_their_term(any_db)
    made_by_the_trigger = schedule_facts_kept(any_db)
    with any_db.transaction() as s:
        s.execute(update(LoanBalance).values(scheduled=0, last_due=None))

    with any_db.transaction() as s:
        report_sums.sum_existing_schedules(s.connection())

    assert schedule_facts_kept(any_db) == made_by_the_trigger


def test_the_reports_arrears_equal_those_worked_out_from_the_instalments(any_db):
    books, loans = books_with_loans_in_and_past_their_term(any_db)
    books.repay(loans["in_term"], 300_000, on=date(2026, 6, 12))  # after the period: must not count in H1

    with any_db.transaction() as s:
        # as the JSON has them, to compare with the figures worked out here
        figures = reports.club_report(s, books.club_id, H1).loans.as_json()
        later = reports.club_report(s, books.club_id, period("2026-H2")).loans.as_json()

    expected = loan_figures_from_the_instalments(any_db, H1.end)
    assert {name: figures[name] for name in expected} == expected
    assert expected["overdue_loans"] == 3  # the ended, the ending and the in-term loan; not the one paid on time
    assert expected["open_loans"] == 4
    expected_later = loan_figures_from_the_instalments(any_db, period("2026-H2").end)
    assert {name: later[name] for name in expected_later} == expected_later
