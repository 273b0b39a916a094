"""The earliest date anything can be recorded on: dates that cannot be true are refused before they are written.

Self-help clubs did not exist before 1990, so nothing is dated before then (this also stops 01/01/0001). A
club's records start the day it was founded; money from or to a member starts the day they joined; a
repayment starts the day its loan was paid out. So a member leaves on or after joining, and a joining date
edited later comes no later than their first money or their leaving.

A club that moved its books in (`Club.records_start`) records money only after that day: what moved up to it
is already in the opening balances and running loans it brought in (storage.history). Members' joining dates,
meetings and activities keep the wider rules: a member joined years before the books moved in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from storage.db import run
from storage.models import Club, LedgerEntry, Loan, Member

FIRST_POSSIBLE_DATE = date(1990, 1, 1)

# Why a date is the earliest allowed, from the widest rule to the narrowest.
EVER, FOUNDED, RECORDS, JOINED, PAID_OUT = "ever", "founded", "records", "joined", "paid_out"
# Why a joining date can be no later: the member left, or money of theirs is recorded from that day.
LEFT, FIRST_MONEY = "left", "first_money"


@dataclass(frozen=True)
class Earliest:
    on: date
    because: str  # EVER, FOUNDED, RECORDS (money after the records start), JOINED or PAID_OUT


EVER_SINCE = Earliest(FIRST_POSSIBLE_DATE, EVER)


@dataclass(frozen=True)
class Latest:
    on: date
    because: str  # LEFT or FIRST_MONEY


class DateTooEarly(ValueError):
    """A date before the earliest allowed. Nothing was written; `earliest` says from when, and why."""

    def __init__(self, day: date, earliest: Earliest) -> None:
        super().__init__(f"{day.isoformat()} is before {earliest.on.isoformat()} ({earliest.because})")
        self.day, self.earliest = day, earliest


class JoinedTooLate(ValueError):
    """A joining date after the member left or after money of theirs was recorded. Nothing was written."""

    def __init__(self, day: date, latest: Latest) -> None:
        super().__init__(f"{day.isoformat()} is after {latest.on.isoformat()} ({latest.because})")
        self.day, self.latest = day, latest


# Checked before every write of money, a member, a meeting, and at every read-back of money: one statement for
# the club's dates, the member's joining and the loan's pay-out, without loading whole rows. A member or loan of
# another club, or none, reads as NULL; a loan's borrower is the member when a loan is given.
_LOAN_OF_CLUB = (Loan.id == bindparam("loan_id")) & (Loan.club_id == Club.id)
_BORROWER = select(Loan.member_id).where(_LOAN_OF_CLUB).correlate(Club).scalar_subquery()  # the outer query's club
_DATES = select(
    col(Club.founded_on),
    col(Club.records_start),
    select(Member.joined_on)
    .where(Member.id == func.coalesce(_BORROWER, bindparam("member_id")), Member.club_id == Club.id)
    .scalar_subquery(),
    select(Loan.disbursed_on).where(_LOAN_OF_CLUB).scalar_subquery(),
).where(Club.id == bindparam("club_id"))


def earliest_entry_date(
    session: Session, club_id: int, member_id: int | None = None, loan_id: int | None = None, *, money: bool = False
) -> Earliest:
    """The first day the club may record something on; with a member, money from or to them; with a loan,
    a payment on it; with `money` (a ledger entry), the day after the club's records start, if it has one.
    On a tie the narrower rule is named, as it is the one the person can act on."""
    limits = [EVER_SINCE]
    dates = run(session, _DATES, {"club_id": club_id, "member_id": member_id, "loan_id": loan_id}).one_or_none()
    founded_on, records_start, joined_on, paid_out_on = dates or (None, None, None, None)
    if founded_on is not None:
        limits.append(Earliest(founded_on, FOUNDED))
    if money and records_start is not None:
        limits.append(Earliest(records_start + timedelta(days=1), RECORDS))
    if joined_on is not None:
        limits.append(Earliest(joined_on, JOINED))
    if paid_out_on is not None:
        limits.append(Earliest(paid_out_on, PAID_OUT))
    return max(reversed(limits), key=lambda limit: limit.on)


def check_entry_date(
    session: Session,
    club_id: int,
    day: date,
    member_id: int | None = None,
    loan_id: int | None = None,
    *,
    money: bool = False,
) -> None:
    """Refuse `day` (DateTooEarly) when it comes before `earliest_entry_date`; `money` for a ledger entry."""
    earliest = earliest_entry_date(session, club_id, member_id, loan_id, money=money)
    if day < earliest.on:
        raise DateTooEarly(day, earliest)


def check_founding_date(founded_on: date | None) -> None:
    """A club founded from 1990 on (or with no founding date given)."""
    if founded_on is not None and founded_on < FIRST_POSSIBLE_DATE:
        raise DateTooEarly(founded_on, EVER_SINCE)


def latest_joining_date(session: Session, member: Member) -> Latest | None:
    """The last day `member` can have joined, so that no money of theirs and no leaving comes before it."""
    first_money = session.exec(select(func.min(LedgerEntry.entry_date)).where(LedgerEntry.member_id == member.id)).one()
    limits = [Latest(first_money, FIRST_MONEY)] if first_money is not None else []
    if member.left_on is not None:
        limits.append(Latest(member.left_on, LEFT))
    return min(limits, key=lambda limit: limit.on, default=None)


def check_joining_date(session: Session, member: Member, day: date) -> None:
    """A joining date from the club's earliest date to the member's first money and their leaving."""
    check_entry_date(session, member.club_id, day)
    latest = latest_joining_date(session, member)
    if latest is not None and day > latest.on:
        raise JoinedTooLate(day, latest)


def check_leaving_date(member: Member, day: date) -> None:
    """A member leaves on or after the day they joined."""
    if day < member.joined_on:
        raise DateTooEarly(day, Earliest(member.joined_on, JOINED))
