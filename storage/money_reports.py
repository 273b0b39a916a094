"""Figures of the two funds as of a day or over a period, for /quy and the semi-annual reports.

Each figure is one SQL aggregate over the ledger (and the loan schedules for arrears): nothing here loads
the entries into Python. Every figure is net of reversals, since a reversal carries the negated amounts.
A reversal is dated the day it was made, so a figure as of an earlier day still counts the entry it
reverses: a report already sent stays as it was sent, and the correction shows in the next period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func
from sqlmodel import Session, select

from storage.ledger import total
from storage.models import (
    ACTIVITY_FUND,
    CONTRIBUTION_KINDS,
    EXPENSE,
    FUNDS,
    INCOME_FUND,
    LOAN,
    OPENING,
    REPAYMENT,
    LedgerEntry,
    Loan,
    LoanInstalment,
)


def _club_entries(club_id: int, end: date, start: date | None = None):
    conditions = [LedgerEntry.club_id == club_id, LedgerEntry.entry_date <= end]
    if start is not None:
        conditions.append(LedgerEntry.entry_date >= start)
    return conditions


def fund_balances(session: Session, club_id: int, as_of: date) -> dict[str, int]:
    """Cash on hand in each fund at the end of `as_of`."""
    rows = dict(
        session.exec(
            select(LedgerEntry.fund, total(LedgerEntry.amount))
            .where(*_club_entries(club_id, as_of))
            .group_by(LedgerEntry.fund)
        ).all()
    )
    return {fund: rows.get(fund, 0) for fund in FUNDS}


def totals_by_kind(session: Session, club_id: int, end: date, start: date | None = None) -> dict[tuple[str, str], int]:
    """Net signed amount per (fund, kind) of the entries dated from `start` (or the beginning) to `end`."""
    rows = session.exec(
        select(LedgerEntry.fund, LedgerEntry.kind, total(LedgerEntry.amount))
        .where(*_club_entries(club_id, end, start))
        .group_by(LedgerEntry.fund, LedgerEntry.kind)
    )
    return {(fund, kind): amount for fund, kind, amount in rows}


def interest_received(session: Session, club_id: int, end: date, start: date | None = None) -> int:
    """Fees/interest paid on loans in the period; they stay in the income fund."""
    return session.exec(select(total(LedgerEntry.interest)).where(*_club_entries(club_id, end, start))).one()


def _principal_left():
    """Per entry, how much it adds to the principal owed: a payout adds, the principal part of a repayment
    takes away (a reversal does the opposite)."""
    return -(LedgerEntry.amount - LedgerEntry.interest)


def outstanding(session: Session, club_id: int, as_of: date) -> int:
    """Loan principal still owed to the income fund at the end of `as_of`."""
    return session.exec(
        select(total(_principal_left())).where(*_club_entries(club_id, as_of), LedgerEntry.kind.in_((LOAN, REPAYMENT)))
    ).one()


def _loans_owing(club_id: int, as_of: date):
    """Per loan owing principal at the end of `as_of`: its member, the principal left and the amount paid."""
    return (
        select(
            LedgerEntry.loan_id.label("loan_id"),
            LedgerEntry.member_id.label("member_id"),
            func.sum(_principal_left()).label("left"),
            func.sum(case((LedgerEntry.kind == REPAYMENT, LedgerEntry.amount), else_=0)).label("paid"),
        )
        .where(*_club_entries(club_id, as_of), LedgerEntry.kind.in_((LOAN, REPAYMENT)))
        .group_by(LedgerEntry.loan_id, LedgerEntry.member_id)
        .having(func.sum(_principal_left()) > 0)
        .subquery()
    )


def borrowers_owing(session: Session, club_id: int, as_of: date) -> int:
    """Members who owe principal on a loan at the end of `as_of`."""
    owing = _loans_owing(club_id, as_of)
    return session.exec(select(func.count(func.distinct(owing.c.member_id)))).one()


def borrowers(session: Session, club_id: int, end: date, start: date | None = None) -> int:
    """Members who were paid a loan in the period (by default: ever, up to `end`), cancelled loans aside."""
    paid_out = (
        select(LedgerEntry.loan_id)
        .where(*_club_entries(club_id, end), LedgerEntry.kind == LOAN)
        .group_by(LedgerEntry.loan_id)
        .having(func.sum(LedgerEntry.amount) < 0)
    )
    query = select(func.count(func.distinct(Loan.member_id))).where(Loan.id.in_(paid_out), Loan.disbursed_on <= end)
    if start is not None:
        query = query.where(Loan.disbursed_on >= start)
    return session.exec(query).one()


@dataclass(frozen=True)
class Overdue:
    amount: int  # instalments (principal and fee) fallen due before the day and not paid
    loans: int
    borrowers: int


def overdue(session: Session, club_id: int, as_of: date) -> Overdue:
    """Arrears at the end of `as_of`: per loan still owing, what its schedule asked before that day minus
    everything paid on it by then (see storage.schedule)."""
    owing = _loans_owing(club_id, as_of)
    scheduled = (
        select(
            LoanInstalment.loan_id.label("loan_id"),
            func.sum(LoanInstalment.principal + LoanInstalment.interest).label("due"),
        )
        .join(Loan, Loan.id == LoanInstalment.loan_id)
        .where(Loan.club_id == club_id, LoanInstalment.due_on < as_of)
        .group_by(LoanInstalment.loan_id)
        .subquery()
    )
    arrears = scheduled.c.due - owing.c.paid
    amount, loans, members = session.exec(
        select(total(arrears), func.count(), func.count(func.distinct(owing.c.member_id)))
        .select_from(owing.join(scheduled, scheduled.c.loan_id == owing.c.loan_id))
        .where(arrears > 0)
    ).one()
    return Overdue(amount, loans, members)


@dataclass(frozen=True)
class FundsSummary:
    """Both funds at the end of a day, as /quy shows them."""

    income_cash: int
    loans_outstanding: int
    borrowers_owing: int
    capital: int  # contributed to the income fund, by members and from outside
    interest: int  # fees/interest received on loans
    activity_cash: int
    activity_in: int
    activity_spent: int
    # brought in when the club's books moved to the bot (OPENING entries, storage.history), per fund
    income_opening: int = 0
    activity_opening: int = 0

    @property
    def income_total(self) -> int:
        """The income fund's whole capital: cash on hand and money out on loan."""
        return self.income_cash + self.loans_outstanding


def summary(session: Session, club_id: int, as_of: date) -> FundsSummary:
    # /quy is asked often: cash, capital, fees and loans outstanding all come from one grouped query (the
    # same sums as fund_balances, totals_by_kind, interest_received and outstanding above, added up here).
    rows = session.exec(
        select(LedgerEntry.fund, LedgerEntry.kind, total(LedgerEntry.amount), total(LedgerEntry.interest))
        .where(*_club_entries(club_id, as_of))
        .group_by(LedgerEntry.fund, LedgerEntry.kind)
    ).all()
    kinds = {(fund, kind): amount for fund, kind, amount, _interest in rows}
    cash = {fund: sum(amount for (of, _kind), amount in kinds.items() if of == fund) for fund in FUNDS}
    return FundsSummary(
        income_cash=cash[INCOME_FUND],
        loans_outstanding=sum(interest - amount for _fund, kind, amount, interest in rows if kind in (LOAN, REPAYMENT)),
        borrowers_owing=borrowers_owing(session, club_id, as_of),
        capital=sum(kinds.get((INCOME_FUND, kind), 0) for kind in CONTRIBUTION_KINDS),
        interest=sum(interest for *_key, _amount, interest in rows),
        activity_cash=cash[ACTIVITY_FUND],
        activity_in=sum(kinds.get((ACTIVITY_FUND, kind), 0) for kind in CONTRIBUTION_KINDS),
        activity_spent=-kinds.get((ACTIVITY_FUND, EXPENSE), 0),
        income_opening=kinds.get((INCOME_FUND, OPENING), 0),
        activity_opening=kinds.get((ACTIVITY_FUND, OPENING), 0),
    )


@dataclass(frozen=True)
class MemberContributions:
    """What one member gave, net of reversals, as their statement (/saoke) shows it."""

    by_fund: dict[str, int]  # per fund: contributions, and the capital they had paid in before the records start
    before_records: int  # of which brought in with the books (OPENING entries of theirs, storage.history)


def member_contributions(session: Session, club_id: int, member_id: int) -> MemberContributions:
    """A member's contributions to each fund, their capital paid in before the club's books on the bot included."""
    rows = session.exec(
        select(LedgerEntry.fund, LedgerEntry.kind, total(LedgerEntry.amount))
        .where(
            LedgerEntry.club_id == club_id,
            LedgerEntry.member_id == member_id,
            LedgerEntry.kind.in_((*CONTRIBUTION_KINDS, OPENING)),
        )
        .group_by(LedgerEntry.fund, LedgerEntry.kind)
    ).all()
    by_fund = {fund: sum(amount for of, _kind, amount in rows if of == fund) for fund in FUNDS}
    return MemberContributions(by_fund, sum(amount for _fund, kind, amount in rows if kind == OPENING))
