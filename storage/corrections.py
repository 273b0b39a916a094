"""Corrections: a reversal entry cancels an entry, saying who made it and why. Nothing is ever deleted."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from storage.ledger import CannotReverse, get_entry, record, require_cash, reversal_of
from storage.loans import lock_loan, loan_money
from storage.models import LOAN, LedgerEntry, User
from storage.money_rules import lock_books

REVERSE_A_REVERSAL = "reversal"  # a reversal is not undone; the entry is typed in again instead
ALREADY_REVERSED = "already"
LOAN_HAS_REPAYMENTS = "repaid"  # reverse the repayments first, so the loan never owes less than nothing
NOT_FOUND = "not_found"


def check_reversible(session: Session, club_id: int, entry: LedgerEntry, today: date) -> None:
    """Raise CannotReverse or NotEnoughCash when reversing `entry` today would break the books."""
    if entry.reverses_entry_id is not None:
        raise CannotReverse(REVERSE_A_REVERSAL)
    if reversal_of(session, entry.id) is not None:
        raise CannotReverse(ALREADY_REVERSED)
    if entry.kind == LOAN:
        money = loan_money(session, entry.loan_id)
        if money.principal_paid or money.interest_paid:
            raise CannotReverse(LOAN_HAS_REPAYMENTS)
    if entry.amount > 0:  # the money it brought in leaves the fund again
        require_cash(session, club_id, entry.fund, entry.amount, today)


def reverse(session: Session, club_id: int, entry_id: int, *, reason: str, by: User, today: date) -> LedgerEntry:
    """Add the entry that cancels `entry_id`, dated today, with the reason. The original stays as it was."""
    lock_books(session, club_id)
    entry = get_entry(session, club_id, entry_id)
    if entry is None:
        raise CannotReverse(NOT_FOUND)
    if entry.loan_id is not None:
        lock_loan(session, entry.loan_id)
    check_reversible(session, club_id, entry, today)
    return record(session, LedgerEntry(
        club_id=club_id, fund=entry.fund, kind=entry.kind, amount=-entry.amount, interest=-entry.interest,
        member_id=entry.member_id, source=entry.source, loan_id=entry.loan_id, note=entry.note,
        entry_date=today, entered_on=today, created_by=by.id, reverses_entry_id=entry.id, reason=reason))
