"""Property-based: a club that brings in its books as of a day reports, from then on, exactly what a club that
typed the same history on the bot entry by entry reports.

One club types its history: members joining over the years, their capital, fees into the activity fund, loans
paid out with each instalment repaid on its day. The other brings in, as of the records' start, what that
history comes to: the members with their join dates and capital, each fund's cash, each running loan with the
principal still owed. Both then record the same half-year on the bot. Their reports for that half-year are the
same figure for figure, but for the club's own name, code and records' start.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from storage import clubs, history, ledger, loans, members, money_rules, reports, users
from storage.clubs import NewClub
from storage.db import Database
from storage.history import BroughtMember, MovingIn, RunningLoan
from storage.members import NewMember
from storage.models import ACTIVITY_FUND, CAPITAL, FEMALE, INCOME_FUND, MONTHLY_FEE, LedgerEntry, Loan, User
from storage.periods import period
from storage.schedule import add_months

START = date(2025, 11, 30)
FOUNDED = date(2019, 4, 8)
TODAY = date(2026, 11, 23)
AFTER = period("2026-H1")
clubs_made = itertools.count(1)

join_days = st.integers(0, (date(2024, 5, 31) - FOUNDED).days).map(lambda n: FOUNDED + timedelta(days=n))
member_ = st.tuples(join_days, st.integers(15, 40).map(lambda n: n * 100_000), st.integers(0, 6))  # capital, fees
# A loan still running on the start: paid out 1 to 11 months before it, over a term that ends after it.
loan_ = st.tuples(
    st.integers(0, 9),  # borrower (modulo the members)
    st.integers(5, 15).map(lambda n: n * 100_000),
    st.integers(1, 11),  # months before the start it was paid out
    st.integers(1, 12),  # months of term beyond those
    st.sampled_from([0, 50, 100, 150]),
)
histories = st.tuples(st.lists(member_, min_size=3, max_size=6), st.lists(loan_, max_size=3))


def new_club(db: Database, name: str) -> tuple[int, User]:
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", f"chair-{name}", "Nguyễn Văn An")
        club = clubs.create_club(
            s, chair, NewClub(name, "Liên Trì", "Bình Hiệp", "Bình Sơn", "Quảng Ngãi", 15, None, FOUNDED)
        )
        assert club.id is not None
        return club.id, chair


def people(history_: tuple) -> list[NewMember]:
    return [
        NewMember(f"Thành Viên {chr(65 + n)}", 1950 + n, FEMALE, joined_on=joined)
        for n, (joined, _capital, _fees) in enumerate(history_[0])
    ]


def loans_of(history_: tuple) -> list[tuple[int, int, date, int, int]]:
    """(member index, amount, paid out on, months, rate): paid out after everyone joined, running at the start."""
    count = len(history_[0])
    return [
        (who % count, amount, add_months(START, -before).replace(day=10), before + beyond, rate)
        for who, amount, before, beyond, rate in history_[1]
    ]


def typed_on_the_bot(db: Database, history_: tuple) -> int:
    """The history entered entry by entry, as the board would have done had the bot been there."""
    club_id, chair = new_club(db, f"CLB gõ {next(clubs_made)}")
    with db.transaction() as s:
        ids = [members.add(s, club_id, m, chair, TODAY).id for m in people(history_)]
        for member_id, (joined, capital, fees) in zip(ids, history_[0]):
            ledger.contribute(s, club_id, fund=INCOME_FUND, kind=CAPITAL, amount=capital, on=joined, by=chair,
                              today=TODAY, member_id=member_id)  # fmt: skip
            for month in range(fees):
                ledger.contribute(s, club_id, fund=ACTIVITY_FUND, kind=MONTHLY_FEE, amount=10_000,
                                  on=add_months(joined, month), by=chair, today=TODAY, member_id=member_id)  # fmt: skip
        for who, amount, paid_out, months, rate in loans_of(history_):
            money_rules.change_rule(s, club_id, "loan_rate_bp", rate, chair)
            money_rules.change_rule(s, club_id, "max_term_months", 24, chair)
            loan = loans.lend(s, club_id, member_id=ids[who], amount=amount, term_months=months, purpose="trade",
                              on=paid_out, by=chair, today=TODAY)  # fmt: skip
            for instalment in loans.schedule_of(s, loan.id):
                if instalment.due_on <= START:
                    loans.repay(s, club_id, loan_id=loan.id, amount=instalment.total, on=instalment.due_on, by=chair,
                                today=TODAY)  # fmt: skip
    return club_id


def brought_in(db: Database, history_: tuple, typed_club: int) -> int:
    """What the typed history comes to on the start, brought in at once."""
    club_id, chair = new_club(db, f"CLB chuyển {next(clubs_made)}")
    with db.transaction() as s:
        typed_loans = s.exec(select(Loan).where(Loan.club_id == typed_club).order_by(Loan.id)).all()
        running = []
        for (who, amount, paid_out, months, rate), typed_loan in zip(loans_of(history_), typed_loans, strict=True):
            schedule = loans.schedule_of(s, typed_loan.id)
            repaid = sum(i.principal for i in schedule if i.due_on <= START)
            running.append(
                RunningLoan(people(history_)[who].full_name, amount, paid_out, months, rate, amount - repaid)
            )
        books = MovingIn(
            records_start=START,
            members=tuple(
                BroughtMember(m, capital=capital) for m, (_joined, capital, _fees) in zip(people(history_), history_[0])
            ),
            income_cash=ledger.cash(s, typed_club, INCOME_FUND, as_of=START),
            activity_cash=ledger.cash(s, typed_club, ACTIVITY_FUND, as_of=START),
            loans=tuple(running),
        )
        history.save(s, club_id, books, chair, TODAY)
    return club_id


def the_same_half_year(db: Database, club_id: int) -> None:
    """After the start, on both: a repayment of each loan's next instalment, a fee, a new loan, an expense."""
    with db.transaction() as s:
        chair = s.get(User, clubs.get(s, club_id).created_by)
        first = s.exec(select(LedgerEntry.member_id).where(LedgerEntry.club_id == club_id,
                                                           LedgerEntry.member_id.is_not(None))).first()  # fmt: skip
        for loan in s.exec(select(Loan).where(Loan.club_id == club_id).order_by(Loan.id)):
            pos = loans.loan_position(s, loan, date(2026, 1, 20))
            loans.repay(s, club_id, loan_id=loan.id, amount=pos.next_due_amount, on=date(2026, 1, 20), by=chair,
                        today=TODAY)  # fmt: skip
        ledger.contribute(s, club_id, fund=ACTIVITY_FUND, kind=MONTHLY_FEE, amount=20_000, on=date(2026, 2, 15),
                          by=chair, today=TODAY, member_id=first)  # fmt: skip
        ledger.spend(s, club_id, amount=10_000, purpose="Văn nghệ", on=date(2026, 3, 1), by=chair, today=TODAY)


def figures(db: Database, club_id: int) -> dict:
    with db.transaction() as s:
        report = json.loads(reports.to_json(reports.club_report(s, club_id, AFTER)))
    del report["club"]
    return report


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history_=histories)
def test_books_brought_in_report_as_the_same_history_typed_entry_by_entry(any_db, history_):
    db = any_db
    typed = typed_on_the_bot(db, history_)
    moved = brought_in(db, history_, typed)
    for club_id in (typed, moved):
        the_same_half_year(db, club_id)
    assert figures(db, moved) == figures(db, typed)
