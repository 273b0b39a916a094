"""Property-based: whatever treasurers try, in any order and on any dates, the books stay whole.

For each club, net of reversals:
- income-fund cash + principal outstanding = capital contributed + fees received;
- activity-fund cash = money in − expenses;
- no fund's cash is below zero at the end of any day, and no loan owes less than nothing or more than it lent;
- the report's SQL aggregates agree with each loan's own position, and with a model the test keeps of every
  entry the books accepted.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from storage import corrections, ledger, loans, money_reports, money_rules
from storage.ledger import MoneyError
from storage.models import ACTIVITY_FUND, CAPITAL, EXPENSE, FUNDS, INCOME_FUND, LOAN, REPAYMENT, LedgerEntry, Loan
from tests.money_support import TODAY, Books, open_books

FIRST_DAY = date(2026, 1, 1)
days = st.integers(0, (TODAY - FIRST_DAY).days).map(lambda n: FIRST_DAY + timedelta(days=n))
amounts = st.integers(1, 60).map(lambda n: n * 100_000)
loan_amounts = st.integers(1, 50).map(lambda n: n * 100_000)  # up to the default largest loan, 5tr
starting_capital = st.integers(0, 300).map(lambda n: n * 100_000)

contribution = st.tuples(st.just("contribute"), st.sampled_from(FUNDS), amounts, st.integers(0, 2), days)
loan = st.tuples(st.just("lend"), loan_amounts, st.integers(1, 13), st.integers(0, 2), days)
repayment = st.tuples(st.just("repay"), st.integers(0, 9), st.one_of(amounts, st.just("all")), days)
expense = st.tuples(st.just("spend"), amounts, days)
reversal = st.tuples(st.just("reverse"), st.one_of(st.integers(0, 2), st.integers(0, 40)))  # mostly a recent one
operations = st.lists(
    st.one_of(contribution, loan, loan, repayment, repayment, repayment, expense, reversal), min_size=1, max_size=25
)

clubs_made = itertools.count(1)
FIGURES = ("income_cash", "loans_outstanding", "capital", "interest", "activity_cash", "activity_in", "activity_spent")


class Model:
    """What the accepted entries should add up to, kept by the test on its own, entry by entry."""

    def __init__(self) -> None:
        self.effects: dict[int, Counter] = {}
        self.loans: list[Loan] = []

    def add(self, entry: LedgerEntry) -> None:
        amount, interest = entry.amount, entry.interest
        if entry.reverses_entry_id is not None:  # a correction, or the first half of a repayment split again
            effect = Counter({key: -value for key, value in self.effects[entry.reverses_entry_id].items()})
        elif entry.kind == LOAN:
            effect = Counter(income_cash=amount, loans_outstanding=-amount)
        elif entry.kind == REPAYMENT:
            effect = Counter(income_cash=amount, interest=interest, loans_outstanding=-(amount - interest))
        elif entry.kind == EXPENSE:
            effect = Counter(activity_cash=amount, activity_spent=-amount)
        elif entry.fund == INCOME_FUND:
            effect = Counter(income_cash=amount, capital=amount)
        else:
            effect = Counter(activity_cash=amount, activity_in=amount)
        self.effects[entry.id] = effect

    def figures(self) -> dict[str, int]:
        total = Counter()
        for effect in self.effects.values():
            total.update(effect)  # update, not +: a Counter sum would drop figures below zero
        return {key: total[key] for key in FIGURES}


def payout_of(session, loan: Loan) -> LedgerEntry:
    return session.exec(select(LedgerEntry).where(LedgerEntry.loan_id == loan.id, LedgerEntry.kind == LOAN)).one()


def apply(books: Books, operation: tuple, model: Model) -> None:
    """Try one thing a treasurer might do; the books may refuse it (MoneyError), writing nothing."""
    kind, *args = operation
    with books.db.transaction() as s:
        common = {"by": books.user, "today": TODAY}
        if kind == "contribute":
            fund, amount, member, on = args
            entry = ledger.contribute(
                s,
                books.club_id,
                fund=fund,
                kind=CAPITAL,
                amount=amount,
                on=on,
                member_id=books.member_ids[member],
                **common,
            )
        elif kind == "lend":
            amount, months, member, on = args
            loan = loans.lend(
                s,
                books.club_id,
                member_id=books.member_ids[member],
                amount=amount,
                term_months=months,
                purpose="crops",
                on=on,
                **common,
            )
            model.loans.append(loan)
            entry = payout_of(s, loan)
        elif kind == "repay":
            index, amount, on = args
            if not model.loans:
                return
            chosen = model.loans[index % len(model.loans)]
            on = max(on, chosen.disbursed_on)
            if amount == "all":
                amount = loans.loan_position(s, chosen, on).owed
                if amount == 0:
                    return
            entry = loans.repay(s, books.club_id, loan_id=chosen.id, amount=amount, on=on, **common)
        elif kind == "spend":
            amount, on = args
            entry = ledger.spend(s, books.club_id, amount=amount, purpose="văn nghệ", on=on, **common)
        else:
            if not model.effects:
                return
            target = list(model.effects)[-1 - args[0] % len(model.effects)]
            entry = corrections.reverse(s, books.club_id, target, reason="nhầm", **common)
        model.add(entry)
        for written in entries_after(s, books.club_id, entry.id):  # repayments the books split again
            model.add(written)


def entries_after(session, club_id: int, entry_id: int) -> list[LedgerEntry]:
    return list(
        session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.club_id == club_id, LedgerEntry.id > entry_id)
            .order_by(LedgerEntry.id)
        )
    )


def assert_books_whole(books: Books, model: Model, as_of: date) -> None:
    with books.db.transaction() as s:
        figures = money_reports.summary(s, books.club_id, as_of)
        assert figures.income_cash + figures.loans_outstanding == figures.capital + figures.interest
        assert figures.activity_cash == figures.activity_in - figures.activity_spent
        for fund in FUNDS:
            assert ledger.lowest_cash_since(s, books.club_id, fund, FIRST_DAY - timedelta(days=1)) >= 0
        for made in model.loans:
            money = loans.loan_money(s, made.id)
            assert 0 <= money.paid_out - money.principal_paid <= made.principal and money.interest_paid >= 0
        overdue = money_reports.overdue(s, books.club_id, TODAY)
        assert overdue.amount == sum(line.position.overdue for line in loans.due_list(s, books.club_id, TODAY))
        today = money_reports.summary(s, books.club_id, TODAY)
    assert {key: getattr(today, key) for key in FIGURES} == model.figures()
    assert all(type(getattr(today, key)) is int for key in FIGURES)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capital=st.tuples(starting_capital, starting_capital),
    steps=operations,
    rate=st.integers(0, 166),
    lend_when_overdue=st.booleans(),
    as_of=days,
)
def test_whatever_is_tried_the_books_stay_whole(any_db, capital, steps, rate, lend_when_overdue, as_of):
    books = open_books(any_db, people=3, name=f"CLB {next(clubs_made)}")
    model = Model()
    for fund, amount in zip(FUNDS, capital):
        if amount:
            model.add(books.contribute(amount, fund=fund, on=FIRST_DAY))
    with any_db.transaction() as s:
        money_rules.change_rule(s, books.club_id, "loan_rate_bp", rate, books.user)
        money_rules.change_rule(s, books.club_id, "lend_when_overdue", lend_when_overdue, books.user)
    for step in steps:
        try:
            apply(books, step, model)
        except MoneyError:
            pass  # refused; had anything been written, the model would disagree with the books below
    assert_books_whole(books, model, as_of)


def test_a_reversed_expense_is_neither_spent_nor_missing_from_the_activity_fund(any_db):
    books = open_books(any_db)
    books.contribute(500_000, fund=ACTIVITY_FUND)
    with any_db.transaction() as s:
        spent = ledger.spend(s, books.club_id, amount=200_000, purpose="thăm ốm", on=TODAY, by=books.user, today=TODAY)
    with any_db.transaction() as s:
        corrections.reverse(s, books.club_id, spent.id, reason="nhầm", by=books.user, today=TODAY)
        figures = money_reports.summary(s, books.club_id, TODAY)
        balances = money_reports.fund_balances(s, books.club_id, TODAY)
    assert (figures.activity_in, figures.activity_spent, figures.activity_cash) == (500_000, 0, 500_000)
    assert balances == {INCOME_FUND: 0, ACTIVITY_FUND: 500_000}
