"""Corrections: a reversal entry cancels an entry, saying who made it and why. Nothing is ever deleted.

A reversal takes effect on the date of the entry it cancels, so that the report of that period reads as if the
mistake had never been entered; when that report was already submitted, it takes effect today instead and
corrects the period being reported now (storage.submissions.correction_day). Reversing a repayment re-splits
the loan's later repayments (storage.loans.resplit_repayments).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from storage.ledger import CannotReverse, get_entry, record, require_cash, reversal_of
from storage.loans import (
    REALLOCATED,
    Resplit,
    get_loan,
    loan_money,
    lock_loan,
    planned_resplits,
    resplit_repayments,
    standing_entry_of,
)
from storage.models import LOAN, REPAYMENT, LedgerEntry, User
from storage.money_rules import lock_books
from storage.submissions import correction_day, submitted_period_of

REVERSE_A_REVERSAL = "reversal"  # a reversal is not undone; the entry is typed in again instead
ALREADY_REVERSED = "already"
SPLIT_AGAIN = "split_again"  # a repayment written again with a new split: the new entry is the one to reverse
LOAN_HAS_REPAYMENTS = "repaid"  # reverse the repayments first, so the loan never owes less than nothing
NOT_FOUND = "not_found"


@dataclass(frozen=True)
class ReversalPlan:
    """What reversing an entry will do, for the read-back and the answer once saved."""

    day: date  # the date the reversal takes effect
    submitted: str | None  # the submitted period it corrects from today on, when the entry's period was handed in
    resplits: list[Resplit]  # the loan's repayments that will be split again


def check_reversible(session: Session, club_id: int, entry: LedgerEntry, today: date) -> None:
    """Raise CannotReverse or NotEnoughCash when reversing `entry` would break the books."""
    if entry.reverses_entry_id is not None:
        raise CannotReverse(REVERSE_A_REVERSAL)
    reversal = reversal_of(session, entry.id)
    if reversal is not None and reversal.reason == REALLOCATED:
        standing = standing_entry_of(session, entry)  # none once the payment itself was reversed
        raise CannotReverse(SPLIT_AGAIN, standing.id) if standing else CannotReverse(ALREADY_REVERSED)
    if reversal is not None:
        raise CannotReverse(ALREADY_REVERSED)
    if entry.kind == LOAN:
        money = loan_money(session, entry.loan_id)
        if money.principal_paid or money.interest_paid:
            raise CannotReverse(LOAN_HAS_REPAYMENTS)
    if entry.amount > 0:  # the money it brought in leaves the fund again, on the reversal's date
        require_cash(
            session, club_id, entry.fund, entry.amount, correction_day(session, club_id, entry.entry_date, today)
        )


def plan_reversal(session: Session, club_id: int, entry: LedgerEntry, today: date) -> ReversalPlan:
    """Check that `entry` may be reversed, and say when the reversal takes effect and what it re-splits."""
    check_reversible(session, club_id, entry, today)
    resplits = []
    if entry.kind == REPAYMENT:
        resplits = planned_resplits(session, get_loan(session, club_id, entry.loan_id), leaving_out=entry.id)
    submitted = submitted_period_of(session, club_id, entry.entry_date)
    return ReversalPlan(today if submitted else entry.entry_date, submitted, resplits)


def reverse(session: Session, club_id: int, entry_id: int, *, reason: str, by: User, today: date) -> LedgerEntry:
    """Add the entry that cancels `entry_id`, with the reason, and re-split the loan's repayments it changes.
    The original stays as it was."""
    lock_books(session, club_id)
    entry = get_entry(session, club_id, entry_id)
    if entry is None:
        raise CannotReverse(NOT_FOUND)
    if entry.loan_id is not None:
        lock_loan(session, entry.loan_id)
    plan = plan_reversal(session, club_id, entry, today)
    reversal = record(
        session,
        LedgerEntry(
            club_id=club_id,
            fund=entry.fund,
            kind=entry.kind,
            amount=-entry.amount,
            interest=-entry.interest,
            member_id=entry.member_id,
            source=entry.source,
            loan_id=entry.loan_id,
            note=entry.note,
            entry_date=plan.day,
            entered_on=today,
            created_by=by.id,
            reverses_entry_id=entry.id,
            reason=reason,
        ),
    )
    if entry.kind == REPAYMENT:
        resplit_repayments(session, get_loan(session, club_id, entry.loan_id), by=by, today=today)
    return reversal
