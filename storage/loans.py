"""Loans from the income fund: lending under the club's rules, repayments, and where each loan stands.

The schedule arithmetic is in storage.schedule; this module reads and writes the rows it works on.
A repayment locks its loan row first, so two treasurers paying the same loan at once are served one after
the other and the second sees what the first paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from storage.clubs import audit
from storage.dates import check_entry_date
from storage.db import run
from storage.ledger import (
    STANDING_ENTRIES,
    HasOverdueLoan,
    LoanTooLarge,
    NoOpenLoan,
    Overpayment,
    TermTooLong,
    record,
    require_cash,
    total,
)
from storage.models import INCOME_FUND, LOAN, REPAYMENT, ClubRules, LedgerEntry, Loan, LoanInstalment, Member, User
from storage.money_rules import lock_books
from storage.schedule import Instalment, LoanPosition, allocate, instalment_schedule, position
from storage.submissions import correction_day


@dataclass(frozen=True)
class LoanMoney:
    """What has moved on a loan, net of reversals."""

    paid_out: int  # 0 once the payout itself was reversed: the loan was cancelled
    principal_paid: int
    interest_paid: int


# The statements below run on every step of a repayment: built once, with bound parameters.
_IS_PAYOUT = LedgerEntry.kind == LOAN
_MONEY_ON_LOANS = (
    select(
        LedgerEntry.loan_id,
        total(case((_IS_PAYOUT, -LedgerEntry.amount), else_=0)),
        total(case((_IS_PAYOUT, 0), else_=LedgerEntry.amount - LedgerEntry.interest)),
        total(LedgerEntry.interest),
    )
    .where(LedgerEntry.loan_id.in_(bindparam("loan_ids", expanding=True)), LedgerEntry.kind.in_((LOAN, REPAYMENT)))
    .group_by(LedgerEntry.loan_id)
)
# The instalments' columns, not objects: a schedule is read for every repayment typed, read back and saved.
_SCHEDULE = (
    select(LoanInstalment.number, LoanInstalment.due_on, LoanInstalment.principal, LoanInstalment.interest)
    .where(LoanInstalment.loan_id == bindparam("loan_id"))
    .order_by(LoanInstalment.number)
)
_MEMBER_LOANS = (
    select(Loan)
    .where(Loan.club_id == bindparam("club_id"), Loan.member_id == bindparam("member_id"))
    .order_by(Loan.disbursed_on, Loan.id)
)


def _money_on_loans(session: Session, loan_ids: list[int]) -> dict[int, LoanMoney]:
    rows = run(session, _MONEY_ON_LOANS, {"loan_ids": loan_ids})
    return {loan_id: LoanMoney(*figures) for loan_id, *figures in rows}


def loan_money(session: Session, loan_id: int) -> LoanMoney:
    return _money_on_loans(session, [loan_id]).get(loan_id, LoanMoney(0, 0, 0))


def schedule_of(session: Session, loan_id: int) -> list[Instalment]:
    return [Instalment(*row) for row in run(session, _SCHEDULE, {"loan_id": loan_id})]


def _position(session: Session, loan: Loan, money: LoanMoney, on: date) -> LoanPosition:
    if money.paid_out - money.principal_paid <= 0:  # cancelled or repaid: nothing is owed
        return position([], 0, 0, on)
    return position(schedule_of(session, loan.id), money.principal_paid, money.interest_paid, on)


def loan_position(session: Session, loan: Loan, on: date) -> LoanPosition:
    return _position(session, loan, loan_money(session, loan.id), on)


def member_loans(session: Session, club_id: int, member_id: int, on: date) -> list[tuple[Loan, LoanPosition]]:
    """Every loan the member took that was not cancelled, oldest first, with where it stands on `on`."""
    loans = list(session.scalars(_MEMBER_LOANS, {"club_id": club_id, "member_id": member_id}))
    money = _money_on_loans(session, [loan.id for loan in loans])
    return [
        (loan, _position(session, loan, money[loan.id], on))
        for loan in loans
        if loan.id in money and money[loan.id].paid_out > 0
    ]


def open_loans(session: Session, club_id: int, member_id: int, on: date) -> list[tuple[Loan, LoanPosition]]:
    return [(loan, pos) for loan, pos in member_loans(session, club_id, member_id, on) if not pos.closed]


def get_loan(session: Session, club_id: int, loan_id: int) -> Loan | None:
    loan = session.get(Loan, loan_id)
    return loan if loan is not None and loan.club_id == club_id else None


def lock_loan(session: Session, loan_id: int) -> Loan:
    """The loan row, locked (SELECT ... FOR UPDATE) until the transaction ends."""
    return session.exec(
        select(Loan).where(Loan.id == loan_id).with_for_update().execution_options(populate_existing=True)
    ).one()


# --- lending ----------------------------------------------------------------------------------------------


def check_borrower(session: Session, club_id: int, member_id: int, rules: ClubRules, on: date) -> None:
    """Refuse a member with an overdue loan, unless the club's rules let them borrow again."""
    if rules.lend_when_overdue:
        return
    for _loan, pos in open_loans(session, club_id, member_id, on):
        if pos.overdue > 0:
            raise HasOverdueLoan(pos.overdue, pos.overdue_since)


def check_term(rules: ClubRules, term_months: int) -> None:
    if term_months > rules.max_term_months:
        raise TermTooLong(rules.max_term_months)


def check_amount(session: Session, club_id: int, rules: ClubRules, amount: int, on: date) -> None:
    if rules.max_loan and amount > rules.max_loan:
        raise LoanTooLarge(rules.max_loan)
    require_cash(session, club_id, INCOME_FUND, amount, on)


def lend(
    session: Session,
    club_id: int,
    *,
    member_id: int,
    amount: int,
    term_months: int,
    purpose: str,
    on: date,
    by: User,
    today: date,
) -> Loan:
    """Pay a loan out of the income fund, with its schedule, if the club's rules and cash allow it."""
    check_entry_date(session, club_id, on, member_id, money=True)
    rules = lock_books(session, club_id)
    check_borrower(session, club_id, member_id, rules, on)
    check_term(rules, term_months)
    check_amount(session, club_id, rules, amount, on)
    loan = Loan(
        club_id=club_id,
        member_id=member_id,
        principal=amount,
        term_months=term_months,
        monthly_rate_bp=rules.loan_rate_bp,
        purpose=purpose,
        disbursed_on=on,
        created_by=by.id,
    )
    session.add(loan)
    session.flush()
    write_schedule(session, loan, instalment_schedule(amount, term_months, rules.loan_rate_bp, on))
    record(
        session,
        LedgerEntry(
            club_id=club_id,
            fund=INCOME_FUND,
            kind=LOAN,
            amount=-amount,
            member_id=member_id,
            loan_id=loan.id,
            entry_date=on,
            entered_on=today,
            created_by=by.id,
        ),
    )
    audit(session, club_id, by.id, "create", "loan", loan.id)
    return loan


def write_schedule(session: Session, loan: Loan, schedule: list[Instalment]) -> None:
    """The loan's instalments, fixed from now on (a later change of the club's rules leaves them alone)."""
    session.add_all(
        LoanInstalment(loan_id=loan.id, number=i.number, due_on=i.due_on, principal=i.principal, interest=i.interest)
        for i in schedule
    )


# --- repaying ---------------------------------------------------------------------------------------------


def repay(session: Session, club_id: int, *, loan_id: int, amount: int, on: date, by: User, today: date) -> LedgerEntry:
    """A payment on a loan: to the fee due first, then the principal. Never more than is owed."""
    if amount <= 0:
        raise ValueError("a repayment needs a positive amount")
    check_entry_date(session, club_id, on, loan_id=loan_id, money=True)
    loan = lock_loan(session, loan_id)
    if loan.club_id != club_id:
        raise ValueError("a repayment belongs to a loan of the same club")
    pos = loan_position(session, loan, on)
    if pos.closed:
        raise NoOpenLoan()
    if amount > pos.owed:
        raise Overpayment(pos)
    interest, _principal = new_payment_split(session, loan, amount, on)
    entry = record(
        session,
        LedgerEntry(
            club_id=club_id,
            fund=INCOME_FUND,
            kind=REPAYMENT,
            amount=amount,
            interest=interest,
            member_id=loan.member_id,
            loan_id=loan.id,
            entry_date=on,
            entered_on=today,
            created_by=by.id,
        ),
    )
    resplit_repayments(session, loan, by=by, today=today)  # a back-dated payment changes the later ones' split
    return entry


# --- re-splitting repayments ------------------------------------------------------------------------------
# A payment's fee/principal split depends on the payments before it. When one of them is reversed, or a
# payment is back-dated before others, the loan's standing payments are paid again in order, as if the books
# had always been so, and each payment whose split changes is written again: a reversal of it and a new entry
# with the same amount, date and the new split, pointing at the payment's first entry (its root).

REALLOCATED = "reallocated"  # the reason of the reversal half of a re-split, put in words by the handlers


@dataclass(frozen=True)
class Resplit:
    """A standing repayment entry whose split changes, and its new split."""

    entry: LedgerEntry
    paid_on: date  # the day the money came in: the date of the payment's root entry
    interest: int
    principal: int


_ROOT = aliased(LedgerEntry)
# Run two or three times by every repayment: built once (an alias made per call costs more than the query).
_STANDING_REPAYMENTS = (
    STANDING_ENTRIES.add_columns(_ROOT.entry_date)
    .join(_ROOT, _ROOT.id == func.coalesce(LedgerEntry.reallocates_entry_id, LedgerEntry.id))
    .where(LedgerEntry.loan_id == bindparam("loan_id"), LedgerEntry.kind == REPAYMENT)
    .order_by(_ROOT.entry_date, _ROOT.id)
)


def standing_repayments(session: Session, loan_id: int) -> list[tuple[LedgerEntry, date]]:
    """The loan's repayment entries that stand (neither reversals nor reversed), each with the day its payment
    came in, in the order they are paid: by that day, then by the root entry, so that a payment keeps its place
    however often it is written again, even when a re-split was dated later (its period had been submitted)."""
    return [(entry, paid_on) for entry, paid_on in session.execute(_STANDING_REPAYMENTS, {"loan_id": loan_id})]


def standing_entry_of(session: Session, entry: LedgerEntry) -> LedgerEntry | None:
    """The entry that stands for the payment `entry` recorded, after it was split again (if it was)."""
    root = entry.reallocates_entry_id or entry.id
    return next(
        (
            standing
            for standing, _paid_on in standing_repayments(session, entry.loan_id)
            if (standing.reallocates_entry_id or standing.id) == root
        ),
        None,
    )


def _allocated(session: Session, loan: Loan, payments: list[tuple[date, int]]) -> list[tuple[int, int]]:
    """The (fee, principal) of each payment, paid in that order; Overpayment when they would pay more than the
    loan."""
    schedule = schedule_of(session, loan.id)
    splits = allocate(schedule, payments)
    if sum(principal for _interest, principal in splits) > sum(i.principal for i in schedule):
        raise Overpayment(loan_position(session, loan, payments[-1][0]))
    return splits


def new_payment_split(session: Session, loan: Loan, amount: int, on: date) -> tuple[int, int]:
    """(fee, principal) of a new payment on `on`, paid after every standing payment of that day or before, as
    the re-split will pay it, so that it is never written again at once. Overpayment when, back-dated, it would
    leave a later payment paying more than the loan."""
    standing = [(paid_on, entry.amount) for entry, paid_on in standing_repayments(session, loan.id)]
    place = sum(1 for paid_on, _amount in standing if paid_on <= on)
    return _allocated(session, loan, [*standing[:place], (on, amount), *standing[place:]])[place]


def planned_resplits(session: Session, loan: Loan, *, leaving_out: int | None = None) -> list[Resplit]:
    """The standing repayments whose split changes when they are paid again in order, without the entry
    `leaving_out` (one about to be reversed)."""
    payments = [(entry, paid_on) for entry, paid_on in standing_repayments(session, loan.id) if entry.id != leaving_out]
    splits = _allocated(session, loan, [(paid_on, entry.amount) for entry, paid_on in payments])
    return [
        Resplit(entry, paid_on, interest, principal)
        for (entry, paid_on), (interest, principal) in zip(payments, splits)
        if interest != entry.interest
    ]


def resplit_repayments(session: Session, loan: Loan, *, by: User, today: date) -> list[Resplit]:
    """Write again every standing repayment of the loan whose split has changed; returns them."""
    resplits = planned_resplits(session, loan)
    for change in resplits:
        old = change.entry
        day = correction_day(session, loan.club_id, change.paid_on, today)
        record(
            session,
            LedgerEntry(
                club_id=old.club_id,
                fund=old.fund,
                kind=REPAYMENT,
                amount=-old.amount,
                interest=-old.interest,
                member_id=old.member_id,
                loan_id=old.loan_id,
                entry_date=day,
                entered_on=today,
                created_by=by.id,
                reverses_entry_id=old.id,
                reason=REALLOCATED,
            ),
        )
        record(
            session,
            LedgerEntry(
                club_id=old.club_id,
                fund=old.fund,
                kind=REPAYMENT,
                amount=old.amount,
                interest=change.interest,
                member_id=old.member_id,
                loan_id=old.loan_id,
                entry_date=day,
                entered_on=today,
                created_by=by.id,
                reallocates_entry_id=old.reallocates_entry_id or old.id,
            ),
        )
    return resplits


# --- what is due ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueLine:
    member: Member
    loan: Loan
    position: LoanPosition


def due_list(session: Session, club_id: int, today: date) -> list[DueLine]:
    """Open loans with something overdue or falling due this month: the treasurer's list before a meeting.
    Most overdue first, then by due date."""
    loans = list(
        session.exec(select(Loan, Member).join(Member, Member.id == Loan.member_id).where(Loan.club_id == club_id))
    )
    money = _money_on_loans(session, [loan.id for loan, _member in loans])
    lines = []
    for loan, member in loans:
        if loan.id in money:
            pos = _position(session, loan, money[loan.id], today)
            if pos.overdue or pos.due_this_month:
                lines.append(DueLine(member, loan, pos))
    return sorted(
        lines,
        key=lambda line: (
            line.position.overdue_since or date.max,
            line.position.next_due_on or date.max,
            line.member.name_key,
        ),
    )
