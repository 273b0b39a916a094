"""Loan arithmetic as plain functions: the instalment schedule, what a loan owes on a day, how a payment splits.

All amounts are integer dong. A monthly rate is in basis points (hundredths of a percent): 50 is 0.5 % a month.

The rules, as a club's treasurer would explain them:
- the principal is repaid in equal monthly parts, rounded up to whole thousands of dong, the last part taking
  what is left; instalment k falls due k months after the loan was paid out;
- the fee (interest) of each month is the rate times the principal the schedule still has out that month,
  fixed when the loan is made;
- the fee of every instalment falling due by the end of the current month is due now; a payment goes first to
  the fee due, then to the principal; once the principal is repaid the loan is closed and no more fee is due;
- an instalment is covered once everything paid on the loan reaches the schedule's running total up to it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

BASIS_POINTS = 10_000
ROUND_TO = 1_000


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    principal: int
    interest: int

    @property
    def total(self) -> int:
        return self.principal + self.interest


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31/01 + 1 -> 28/02)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def monthly_interest(balance: int, rate_bp: int) -> int:
    """The fee on `balance` for one month, rounded half up to a whole dong."""
    return (balance * rate_bp + BASIS_POINTS // 2) // BASIS_POINTS


def instalment_schedule(principal: int, term_months: int, rate_bp: int, paid_out_on: date) -> list[Instalment]:
    if principal <= 0 or term_months <= 0 or rate_bp < 0:
        raise ValueError("a loan needs a positive principal and term and a rate of at least 0")
    part = -(-principal // term_months)  # ceiling division: no float near money
    part = -(-part // ROUND_TO) * ROUND_TO
    schedule, balance = [], principal
    for number in range(1, term_months + 1):
        repaid = balance if number == term_months else min(part, balance)
        schedule.append(Instalment(number, add_months(paid_out_on, number), repaid, monthly_interest(balance, rate_bp)))
        balance -= repaid
    return schedule


def split_payment(amount: int, interest_due: int) -> tuple[int, int]:
    """(fee/interest part, principal part) of a payment: the fee due is paid first."""
    interest = min(amount, max(interest_due, 0))
    return interest, amount - interest


@dataclass(frozen=True)
class LoanPosition:
    """Where a loan stands on a day."""

    principal_left: int
    interest_due: int  # fee due by the end of this month and not yet paid
    overdue: int  # scheduled before the day and not yet paid
    overdue_since: date | None  # due date of the oldest instalment not covered
    due_this_month: int  # falling due from the day to the end of its month, beyond what is overdue
    due_this_month_on: date | None  # the due date of that instalment
    next_due_on: date | None  # the first instalment not yet covered
    next_due_amount: int  # what is still to pay on that instalment

    @property
    def owed(self) -> int:
        """The most a payment today may be: the principal left and the fee due."""
        return self.principal_left + self.interest_due

    @property
    def closed(self) -> bool:
        return self.principal_left <= 0


def position(schedule: list[Instalment], principal_paid: int, interest_paid: int, on: date) -> LoanPosition:
    principal_left = sum(i.principal for i in schedule) - principal_paid
    if principal_left <= 0:
        return LoanPosition(0, 0, 0, None, 0, None, None, 0)
    paid = principal_paid + interest_paid
    month_end = end_of_month(on)
    interest_due = max(0, sum(i.interest for i in schedule if i.due_on <= month_end) - interest_paid)
    scheduled_before = sum(i.total for i in schedule if i.due_on < on)
    scheduled_by_month_end = sum(i.total for i in schedule if i.due_on <= month_end)
    overdue = max(0, scheduled_before - paid)
    uncovered = _uncovered(schedule, paid)
    next_due = uncovered[0] if uncovered else None
    this_month = [i for i, _left in uncovered if on <= i.due_on <= month_end]
    return LoanPosition(
        principal_left=principal_left,
        interest_due=interest_due,
        overdue=overdue,
        overdue_since=next_due[0].due_on if overdue else None,
        due_this_month=max(0, scheduled_by_month_end - max(paid, scheduled_before)),
        due_this_month_on=this_month[0].due_on if this_month else None,
        next_due_on=next_due[0].due_on if next_due else None,
        next_due_amount=next_due[1] if next_due else 0,
    )


def _uncovered(schedule: list[Instalment], paid: int) -> list[tuple[Instalment, int]]:
    """The instalments that what was paid does not cover yet, each with what is still to pay on it."""
    uncovered, running = [], 0
    for instalment in schedule:
        running += instalment.total
        if running > paid:
            uncovered.append((instalment, min(instalment.total, running - paid)))
    return uncovered


def allocate(schedule: list[Instalment], payments: list[tuple[date, int]]) -> list[tuple[int, int]]:
    """The (fee, principal) of each payment, paid in the order given: each pays the fee due on its day, given
    the payments before it, first, then the principal. A payment after the principal is repaid is all principal:
    more than the loan, which the caller refuses."""
    splits, principal_paid, interest_paid = [], 0, 0
    for day, amount in payments:
        due = position(schedule, principal_paid, interest_paid, day).interest_due
        interest, principal = split_payment(amount, due)
        splits.append((interest, principal))
        principal_paid, interest_paid = principal_paid + principal, interest_paid + interest
    return splits
