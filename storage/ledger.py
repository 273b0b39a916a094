"""The append-only ledger of the two funds: money in and out, cash on hand, and the entries people look at.

Entries are only ever added. Cash is the sum of the signed amounts (see `LedgerEntry`); a correction is a
reversal entry (storage.corrections), so every figure here is net of reversals by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, bindparam, cast, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from storage.clubs import audit
from storage.dates import check_entry_date
from storage.db import run
from storage.models import ACTIVITY_FUND, DONATION, EXPENSE, LedgerEntry, User
from storage.money_rules import lock_books
from storage.schedule import LoanPosition


class MoneyError(Exception):
    """An entry that would break a rule of the books. Nothing was written; the handler explains why."""


@dataclass
class NotEnoughCash(MoneyError):
    fund: str
    available: int


@dataclass
class Overpayment(MoneyError):
    position: LoanPosition


class NoOpenLoan(MoneyError):
    pass


@dataclass
class LoanTooLarge(MoneyError):
    limit: int


@dataclass
class TermTooLong(MoneyError):
    limit: int


@dataclass
class HasOverdueLoan(MoneyError):
    overdue: int
    since: date


@dataclass
class CannotReverse(MoneyError):
    why: str  # one of the REVERSE_* reasons in storage.corrections
    stands_as: int | None = None  # a repayment split again: the entry that stands for it now


def total(expression):
    """SUM as an integer on every database (PostgreSQL sums BIGINT into NUMERIC), 0 when there are no rows."""
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


# Built once: the cash is read back after every saved contribution and checked before every loan and expense.
_CASH = select(total(LedgerEntry.amount)).where(
    LedgerEntry.club_id == bindparam("club_id"), LedgerEntry.fund == bindparam("fund")
)
_CASH_AS_OF = _CASH.where(LedgerEntry.entry_date <= bindparam("as_of"))


def cash(session: Session, club_id: int, fund: str, as_of: date | None = None) -> int:
    """Cash on hand in `fund` at the end of `as_of` (by default: everything recorded)."""
    statement, values = (_CASH, {}) if as_of is None else (_CASH_AS_OF, {"as_of": as_of})
    return run(session, statement, {"club_id": club_id, "fund": fund, **values}).scalar_one()


_DAILY_RUNNING_CASH = (
    select(
        LedgerEntry.entry_date.label("day"),
        func.sum(func.sum(LedgerEntry.amount)).over(order_by=LedgerEntry.entry_date).label("running"),
    )
    .where(LedgerEntry.club_id == bindparam("club_id"), LedgerEntry.fund == bindparam("fund"))
    .group_by(LedgerEntry.entry_date)
    .subquery()
)
_LOWEST_CASH_AFTER = select(cast(func.min(_DAILY_RUNNING_CASH.c.running), BigInteger)).where(
    _DAILY_RUNNING_CASH.c.day > bindparam("day")
)


def lowest_cash_since(session: Session, club_id: int, fund: str, day: date) -> int:
    """The least cash `fund` held at the end of any day from `day` on: what may still leave the fund on
    `day` without any day's balance, then or later, going below zero."""
    later_low = run(session, _LOWEST_CASH_AFTER, {"club_id": club_id, "fund": fund, "day": day}).scalar_one()
    on_the_day = cash(session, club_id, fund, as_of=day)
    return on_the_day if later_low is None else min(on_the_day, later_low)


def require_cash(session: Session, club_id: int, fund: str, amount: int, day: date) -> None:
    available = lowest_cash_since(session, club_id, fund, day)
    if amount > available:
        raise NotEnoughCash(fund, max(available, 0))


def record(session: Session, entry: LedgerEntry) -> LedgerEntry:
    session.add(entry)
    session.flush()
    audit(session, entry.club_id, entry.created_by, "create", "ledger_entry", entry.id, kind=entry.kind)
    return entry


def contribute(
    session: Session,
    club_id: int,
    *,
    fund: str,
    kind: str,
    amount: int,
    on: date,
    by: User,
    today: date,
    member_id: int | None = None,
    source: str | None = None,
) -> LedgerEntry:
    """Money given to a fund by a member or, as a donation, by someone outside the club."""
    if amount <= 0 or (member_id is None) == (source is None):
        raise ValueError("a contribution needs a positive amount and either a member or an outside source")
    check_entry_date(session, club_id, on, member_id, money=True)
    return record(
        session,
        LedgerEntry(
            club_id=club_id,
            fund=fund,
            kind=DONATION if source else kind,
            amount=amount,
            member_id=member_id,
            source=source,
            entry_date=on,
            entered_on=today,
            created_by=by.id,
        ),
    )


def spend(session: Session, club_id: int, *, amount: int, purpose: str, on: date, by: User, today: date) -> LedgerEntry:
    """An expense from the activity fund; refused when the fund lacks the cash, on that day or since."""
    if amount <= 0:
        raise ValueError("an expense needs a positive amount")
    check_entry_date(session, club_id, on, money=True)
    lock_books(session, club_id)
    require_cash(session, club_id, ACTIVITY_FUND, amount, on)
    return record(
        session,
        LedgerEntry(
            club_id=club_id,
            fund=ACTIVITY_FUND,
            kind=EXPENSE,
            amount=-amount,
            note=purpose,
            entry_date=on,
            entered_on=today,
            created_by=by.id,
        ),
    )


# --- reading entries ---------------------------------------------------------------------------------------


def get_entry(session: Session, club_id: int, entry_id: int) -> LedgerEntry | None:
    """The entry, only if it belongs to this club (numbers are typed by people)."""
    entry = session.get(LedgerEntry, entry_id)
    return entry if entry is not None and entry.club_id == club_id else None


def reversal_of(session: Session, entry_id: int) -> LedgerEntry | None:
    return session.exec(select(LedgerEntry).where(LedgerEntry.reverses_entry_id == entry_id)).first()


_REVERSAL = aliased(LedgerEntry)
# Entries that stand: neither reversals nor reversed already (what may still be reversed; the repayments a loan
# counts, storage/loans.py).
STANDING_ENTRIES = (
    select(LedgerEntry)
    .outerjoin(_REVERSAL, _REVERSAL.reverses_entry_id == LedgerEntry.id)
    .where(LedgerEntry.reverses_entry_id.is_(None), _REVERSAL.id.is_(None))
)


def last_own_entry(session: Session, club_id: int, user_id: int, today: date) -> LedgerEntry | None:
    """The person's latest entry typed in today that still stands: what /hoantac undoes. Never a repayment the
    bot wrote again with a new split on their behalf (storage.loans.resplit_repayments): they did not type it."""
    return session.exec(
        STANDING_ENTRIES.where(
            LedgerEntry.club_id == club_id,
            LedgerEntry.created_by == user_id,
            LedgerEntry.entered_on == today,
            LedgerEntry.reallocates_entry_id.is_(None),
        ).order_by(LedgerEntry.id.desc())
    ).first()


def recent_entries(session: Session, club_id: int, limit: int = 8) -> list[LedgerEntry]:
    """The club's latest entries that still stand, newest first."""
    return list(
        session.exec(
            STANDING_ENTRIES.where(LedgerEntry.club_id == club_id).order_by(LedgerEntry.id.desc()).limit(limit)
        )
    )


def member_entries(session: Session, club_id: int, member_id: int, limit: int = 100) -> list[LedgerEntry]:
    """A member's entries and their reversals, oldest first (the latest `limit` of them)."""
    newest = list(
        session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.club_id == club_id, LedgerEntry.member_id == member_id)
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
        )
    )
    return newest[::-1]


def member_totals(session: Session, club_id: int, member_id: int) -> dict[tuple[str, str], int]:
    """Net amount per (fund, kind) for one member, reversals included."""
    rows = session.exec(
        select(LedgerEntry.fund, LedgerEntry.kind, total(LedgerEntry.amount))
        .where(LedgerEntry.club_id == club_id, LedgerEntry.member_id == member_id)
        .group_by(LedgerEntry.fund, LedgerEntry.kind)
    )
    return {(fund, kind): amount for fund, kind, amount in rows if amount}
