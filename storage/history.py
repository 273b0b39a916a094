"""An existing club moves in: its members with their join dates and capital, its funds' cash and its running
loans, as of the day its books on the bot start (`Club.records_start`, always a month's last day).

What the board brings in is first planned (`plan`): every problem found, each with where it came from (the
sheet, row and column of a file, or a line typed in the chat), and what saving would do. Nothing is written
until the plan is clean; `save` then writes it all in the caller's one transaction.

How the books stay true:
- a fund's cash on the records' start is what the board gave: one opening entry (kind OPENING) per fund makes
  up the difference between that and what the ledger already holds up to that day (running loans' money,
  entries typed before), so importing the same figures twice writes nothing the second time;
- a member's capital paid in before is an opening entry of theirs in the income fund, again the difference
  from what is there; a club-wide total instead goes on one opening entry without a member;
- a running loan is a loan like any other: its schedule rebuilt from the amount, date, term and rate, its
  pay-out entry on the day it was paid out, and one repayment on the records' start for the principal repaid
  so far and the fees of the instalments due by then, so the instalments settled before are settled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage.members import NewMember

# Why a part of what was brought in cannot be saved; the handlers have the sentence for each (with `values`).
START_NOT_MONTH_END = "start_not_month_end"  # values: day, before (the month end before), after
START_IN_FUTURE = "start_in_future"  # values: day
START_BEFORE_FOUNDING = "start_before_founding"  # values: day, founded
START_ALREADY_SET = "start_already_set"  # values: day, records_start (the club's, which differs)
JOINED_BEFORE_FOUNDING = "joined_before_founding"  # values: day, founded
JOINED_IN_FUTURE = "joined_in_future"  # values: day
JOINED_AFTER_MONEY = "joined_after_money"  # values: day, first (the member's first money on the books)
DUPLICATE_MEMBER = "duplicate_member"  # values: name, birth_year, first (the `Where` of the first one)
NEGATIVE_AMOUNT = "negative_amount"  # values: amount
CAPITAL_TWICE = "capital_twice"  # values: total, members (per member and club-wide, and they differ)
UNKNOWN_BORROWER = "unknown_borrower"  # values: name
AMBIGUOUS_BORROWER = "ambiguous_borrower"  # values: name, candidates (list of "Name (year)")
LOAN_OWED_MORE = "loan_owed_more"  # values: owed, principal
LOAN_REPAID = "loan_repaid"  # values: owed (0 or less: nothing left to bring in)
LOAN_AFTER_START = "loan_after_start"  # values: day, records_start
LOAN_BEFORE_JOINED = "loan_before_joined"  # values: day, joined
LOAN_TERM_ENDED = "loan_term_ended"  # values: last_due, records_start (the schedule was over before the start)
LOAN_TERM_RANGE = "loan_term_range"  # values: months, most
LOAN_RATE_RANGE = "loan_rate_range"  # values: rate_bp, most


@dataclass(frozen=True)
class Where:
    """Where a line came from: a file's sheet, row and column, or (sheet None) the n-th line typed."""

    sheet: str | None
    row: int
    column: str | None = None


@dataclass(frozen=True)
class Problem:
    code: str
    where: Where | None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BroughtMember:
    """A member as the board's books have them; `member.joined_on` None means today, as for a new member."""

    member: NewMember
    capital: int | None = None  # capital paid in before the records' start; None: not given
    where: Where | None = None


@dataclass(frozen=True)
class RunningLoan:
    """A loan not yet repaid on the records' start."""

    borrower: str  # the name as written; matched like a name typed in the chat, among the members
    principal: int  # the amount first lent
    disbursed_on: date
    term_months: int
    rate_bp: int | None  # a month's fee in hundredths of a percent; None: the club's rate
    owed: int  # principal still owed on the records' start
    birth_year: int | None = None  # when given, tells apart two members of the same name
    where: Where | None = None


@dataclass(frozen=True)
class MovingIn:
    """Everything brought in at once, as of the end of `records_start`. A figure left None is not changed."""

    records_start: date
    members: tuple[BroughtMember, ...] = ()
    income_cash: int | None = None
    activity_cash: int | None = None
    capital_total: int | None = None  # the club-wide capital, when it is not given member by member
    loans: tuple[RunningLoan, ...] = ()


@dataclass
class Plan:
    """What saving `moving_in` would do, or why it cannot be saved (`problems`)."""

    moving_in: MovingIn
    problems: list[Problem] = field(default_factory=list)
    members_new: int = 0
    members_updated: int = 0  # already on the list (same name and birth year), with something changed
    members_same: int = 0  # already on the list as given
    loans_new: int = 0
    loans_known: int = 0  # already brought in (same borrower, date and amount): left as they are
    capital: int = 0  # the members' capital as of the start, given member by member or as a total
    outstanding: int = 0  # principal still owed on the running loans

    @property
    def clean(self) -> bool:
        return not self.problems


class NotClean(Exception):
    """`save` was given something with problems; nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan
