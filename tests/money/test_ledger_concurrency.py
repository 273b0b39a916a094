"""Two treasurers at the same moment, on PostgreSQL with two real sessions: the second waits for the first's
lock and then sees what it wrote, so a loan never goes below zero and cash is never spent twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text

from storage import ledger, loans, money_reports, money_rules
from storage.ledger import MoneyError, NotEnoughCash, Overpayment
from storage.models import ACTIVITY_FUND
from tests.conftest import fresh_postgres
from tests.money_support import TODAY, Books, open_books

LOCK_WAIT = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


@pytest.fixture
def postgres(postgres_url):
    database = fresh_postgres(postgres_url)
    yield database
    database.dispose()


def books_with_rules(database) -> Books:
    """A club whose rules row exists already, as it does once a rule was set: then only the row lock, not
    the insert of the row, makes the second treasurer wait."""
    books = open_books(database)
    with database.transaction() as s:
        money_rules.lock_books(s, books.club_id)
    return books


def someone_waits_for_a_lock(books: Books, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    # Autocommit: within one transaction PostgreSQL would keep showing its first snapshot of the activity.
    with books.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while time.monotonic() < deadline:
            if connection.execute(LOCK_WAIT).scalar():
                return True
            time.sleep(0.02)
    return False


def race(books: Books, write: Callable) -> tuple[list, bool]:
    """Run `write(session)` in two sessions. The first holds its transaction open until PostgreSQL shows the
    second waiting for a lock; returns each outcome (the entry, or the refusal) and whether the second waited."""
    first_wrote, release = threading.Event(), threading.Event()
    outcomes: list = [None, None]

    def run(index: int) -> None:
        try:
            with books.db.transaction() as session:
                outcomes[index] = write(session)
                if index == 0:
                    first_wrote.set()
                    release.wait(10)
        except MoneyError as refused:
            outcomes[index] = refused

    first = threading.Thread(target=run, args=(0,))
    first.start()
    assert first_wrote.wait(10)
    second = threading.Thread(target=run, args=(1,))
    second.start()
    second_waited = someone_waits_for_a_lock(books)  # blocked on the lock the first still holds
    release.set()
    first.join(10)
    second.join(10)
    return outcomes, second_waited


def test_two_treasurers_repaying_the_same_loan_at_once_cannot_push_it_below_zero(postgres):
    books = open_books(postgres)
    books.contribute(5_000_000)
    loan = books.lend(2_000_000)

    def pay_1tr5(session):
        return loans.repay(
            session, books.club_id, loan_id=loan.id, amount=1_500_000, on=TODAY, by=books.user, today=TODAY
        )

    (saved, refused), second_waited = race(books, pay_1tr5)
    assert second_waited
    assert saved.amount == 1_500_000
    assert isinstance(refused, Overpayment) and refused.position.owed == 500_000
    with postgres.transaction() as s:
        assert money_reports.outstanding(s, books.club_id, TODAY) == 500_000


def test_two_expenses_at_once_cannot_spend_the_same_cash(postgres):
    books = books_with_rules(postgres)
    books.contribute(300_000, fund=ACTIVITY_FUND)

    def spend_200k(session):
        return ledger.spend(
            session, books.club_id, amount=200_000, purpose="văn nghệ", on=TODAY, by=books.user, today=TODAY
        )

    (saved, refused), second_waited = race(books, spend_200k)
    assert second_waited and saved.amount == -200_000
    assert isinstance(refused, NotEnoughCash) and refused.available == 100_000
    with postgres.transaction() as s:
        assert ledger.cash(s, books.club_id, ACTIVITY_FUND) == 100_000


def test_two_loans_at_once_cannot_lend_the_same_cash(postgres):
    books = books_with_rules(postgres)
    books.contribute(4_000_000)

    def lend_3tr(session):
        member = books.member_ids[0 if not lent else 1]
        lent.append(member)
        return loans.lend(
            session,
            books.club_id,
            member_id=member,
            amount=3_000_000,
            term_months=12,
            purpose="trade",
            on=TODAY,
            by=books.user,
            today=TODAY,
        )

    lent: list[int] = []
    (saved, refused), second_waited = race(books, lend_3tr)
    assert second_waited and saved.principal == 3_000_000
    assert isinstance(refused, NotEnoughCash) and refused.available == 1_000_000
