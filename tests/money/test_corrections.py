"""Corrections that keep the reports right, on SQLite and PostgreSQL: a reversal takes effect on the date of the
entry it undoes (today, when that period's report was already submitted), and a loan's repayments are split
again between fee and principal when one before them is reversed or a payment is back-dated before them.

The conversations run at the console as in test_money_flows; the property test builds books through storage.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from handlers.i18n import money
from storage import clubs, corrections, ledger, loans, money_rules, submissions
from storage.ledger import MoneyError
from storage.models import ACTIVITY_FUND, INCOME_FUND, REPAYMENT, Club, User
from storage.periods import period
from storage.reports import club_report, club_reports
from tests.money_support import VICE_CHAIR, Books, all_loans, club_with_members, entries, join_board, open_books

SAVE, ANOTHER_DATE, DONE = "1", "3", "2"
INCOME, KIND_CAPITAL, SMALL_TRADE = "1", "1", "3"
TYPING_MISTAKE = "1"
DECEMBER_6 = datetime(2026, 12, 6, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PERIODS = ("2026-H1", "2026-H2", "2026", "2027-H1")
SECTIONS = ("funds", "loans", "members")


@pytest.fixture
def db(any_db):
    """The console conversations of this module on both databases."""
    return any_db


@pytest.fixture
def chair(person, db):
    return club_with_members(person, db)


def the_club(db) -> tuple[int, User]:
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        return club.id, s.get(User, club.created_by)


def reports(db, club_id: int | None = None, codes=PERIODS) -> dict[str, dict[str, Any]]:
    """The funds, loans and members sections of the club's reports, by period."""
    club_id = club_id or the_club(db)[0]
    with db.transaction() as s:
        found = {code: club_report(s, club_id, period(code)) for code in codes}
    return {code: {name: getattr(r, name) for name in SECTIONS} for code, r in found.items()}


def mark_submitted(db, code: str) -> None:
    club_id, chair = the_club(db)
    with db.transaction() as s:
        submissions.mark_submitted(s, club_id, code, chair)


def set_fee(db, rate_bp: int) -> None:
    club_id, chair = the_club(db)
    with db.transaction() as s:
        money_rules.change_rule(s, club_id, "loan_rate_bp", rate_bp, chair)


def contribute(chair, name: str, amount: str, on: str) -> None:
    chair.says_all(f"/donggop {name} {amount}", INCOME, KIND_CAPITAL, ANOTHER_DATE, on, SAVE, DONE)


def lend(chair, amount: str, on: str) -> None:
    chair.says_all(f"/vay Nguyễn Thị Lan {amount} 12", SMALL_TRADE, ANOTHER_DATE, on, SAVE)


def repay(someone, amount: str, on: str) -> str:
    """The read-back of the repayment on that date; it is saved."""
    read_back = someone.says_all(f"/trano Nguyễn Thị Lan {amount}", ANOTHER_DATE, on)
    someone.says_all(SAVE, DONE)
    return read_back


def lans_loan_money(db) -> loans.LoanMoney:
    with db.transaction() as s:
        return loans.loan_money(s, all_loans(db)[0].id)


def standing_repayments(db) -> list[tuple[date, int, int]]:
    """(date, fee, principal) of each repayment on Lan's loan that stands, in the order they are paid."""
    with db.transaction() as s:
        return [
            (paid_on, e.interest, e.amount - e.interest)
            for e, paid_on in loans.standing_repayments(s, all_loans(db)[0].id)
        ]


# --- a reversal takes effect on the date of the entry it undoes ----------------------------------------


def test_a_reversal_counts_on_the_day_of_the_entry_so_the_half_years_read_as_if_it_was_never_made(chair, db, clock):
    contribute(chair, "Trần Văn Bình", "10tr", "01/06/2026")
    lend(chair, "2tr", "01/07/2026")
    without_the_mistakes = reports(db)
    repay(chair, "100k", "15/08/2026")
    contribute(chair, "Lê Thị Hoa", "500k", "20/10/2026")
    repayment, contribution = entries(db)[-2:]
    clock.now = DECEMBER_6

    read_back = chair.says_all(f"/hoantac {repayment.id}", TYPING_MISTAKE)
    assert "15/08/2026" in read_back and "như thể bút toán chưa từng được ghi" in read_back
    chair.says(SAVE)
    read_back = chair.says_all(f"/hoantac {contribution.id}", TYPING_MISTAKE)
    assert "20/10/2026" in read_back
    chair.says(SAVE)

    assert [e.entry_date for e in entries(db)[-2:]] == [date(2026, 8, 15), date(2026, 10, 20)]
    after = reports(db)
    assert after == without_the_mistakes
    next_half = after["2027-H1"]["funds"].income
    assert all(amount >= 0 for amount in next_half.money_in.values()) and next_half.repayments == 0
    assert next_half.opening == after["2026-H2"]["funds"].income.closing == 8_000_000


def test_a_reversal_of_a_submitted_half_year_is_dated_today_and_says_which_report_it_corrects(chair, db, clock):
    contribute(chair, "Trần Văn Bình", "10tr", "01/06/2026")
    contribute(chair, "Lê Thị Hoa", "500k", "20/10/2026")
    mistake = entries(db)[-1]
    clock.now = DECEMBER_6
    mark_submitted(db, "2026-H2")
    as_submitted = reports(db, codes=("2026-H2",))

    read_back = chair.says_all(f"/hoantac {mistake.id}", TYPING_MISTAKE)
    assert "6 tháng cuối năm 2026" in read_back and "06/12/2026" in read_back
    saved = chair.says(SAVE)
    assert "6 tháng cuối năm 2026" in saved and "06/12/2026" in saved

    assert entries(db)[-1].entry_date == date(2026, 12, 6)
    assert reports(db, codes=("2026-H2",)) == as_submitted  # the report handed in stays true
    assert reports(db)["2027-H1"]["funds"].income.closing == 10_000_000


def test_a_reversal_within_a_submitted_year_is_dated_today(chair, db, clock):
    contribute(chair, "Lê Thị Hoa", "500k", "20/10/2026")
    clock.now = DECEMBER_6
    mark_submitted(db, "2026")
    read_back = chair.says_all(f"/hoantac {entries(db)[-1].id}", TYPING_MISTAKE)
    assert "năm 2026" in read_back and "6 tháng" not in read_back
    chair.says(SAVE)
    assert entries(db)[-1].entry_date == date(2026, 12, 6)


def test_a_reversal_is_refused_when_the_fund_was_short_without_the_money_on_any_day_since(chair, db):
    contribute(chair, "Trần Văn Bình", "1tr", "01/06/2026")
    contribute(chair, "Lê Thị Hoa", "2tr", "01/08/2026")
    lend(chair, "2tr5", "01/09/2026")  # without the 2tr, only 1tr on hand on 01/09
    contribute(chair, "Trần Văn Bình", "5tr", "01/11/2026")  # enough today, but not from 01/08 to 31/10
    refused = chair.says(f"/hoantac {entries(db)[1].id}")
    assert money(500_000) in refused
    assert len(entries(db)) == 4


# --- repayments split again ----------------------------------------------------------------------------


def test_reversing_a_repayment_splits_the_later_ones_again_and_the_statement_shows_it(chair, db):
    set_fee(db, 100)  # 1 % a month: 12.000 ₫ on 1.200.000 ₫ in the first month
    contribute(chair, "Trần Văn Bình", "10tr", "01/06/2026")
    lend(chair, "1tr2", "01/10/2026")
    first = repay(chair, "112k", "05/11/2026")
    assert money(12_000) in first and money(100_000) in first
    repay(chair, "50k", "10/11/2026")  # the fee of November is paid: all of it goes to the loan
    assert standing_repayments(db) == [(date(2026, 11, 5), 12_000, 100_000), (date(2026, 11, 10), 0, 50_000)]
    first_payment = next(e for e in entries(db) if e.kind == REPAYMENT)

    read_back = chair.says_all(f"/hoantac {first_payment.id}", TYPING_MISTAKE)
    assert "chia lại phí/gốc" in read_back
    assert f"10/11/2026: {money(50_000)}, nay là phí {money(12_000)} và gốc {money(38_000)}" in read_back
    assert "Số lần trả nợ sau đó được chia lại phí/gốc: 1" in chair.says(SAVE)

    assert standing_repayments(db) == [(date(2026, 11, 10), 12_000, 38_000)]
    refused = chair.says(f"/hoantac {first_payment.id + 1}")  # the number the older statements showed
    assert f"#{first_payment.id + 4}" in refused and "chia lại" in refused
    assert lans_loan_money(db) == loans.LoanMoney(paid_out=1_200_000, principal_paid=38_000, interest_paid=12_000)
    statement = chair.says("/saoke Nguyễn Thị Lan")
    assert f"chia lại phí/gốc cho #{first_payment.id + 1}: phí {money(12_000)}, gốc {money(38_000)}" in statement
    assert money(1_162_000) in statement  # the principal still owed


def test_a_repayment_back_dated_before_a_later_one_splits_the_later_one_again(chair, person, db, clock):
    set_fee(db, 100)
    contribute(chair, "Trần Văn Bình", "10tr", "01/06/2026")
    lend(chair, "1tr2", "01/10/2026")
    clock.now = DECEMBER_6
    vice = join_board(chair, person, VICE_CHAIR, "3", "Lê Văn Cường")
    repay(vice, "50k", "02/12/2026")  # the fees of November and December are due: 23.000 ₫
    assert standing_repayments(db) == [(date(2026, 12, 2), 23_000, 27_000)]

    read_back = repay(vice, "112k", "05/11/2026")  # found later in the notebook
    assert money(12_000) in read_back and money(100_000) in read_back

    assert standing_repayments(db) == [(date(2026, 11, 5), 12_000, 100_000), (date(2026, 12, 2), 11_000, 39_000)]
    assert lans_loan_money(db).interest_paid == 23_000
    fees = {code: r["loans"].fees for code, r in reports(db, codes=("2026-H2", "2027-H1")).items()}
    assert fees == {"2026-H2": 12_000, "2027-H1": 11_000}
    offer = vice.says("/hoantac")  # their own last entry: the payment they typed, not the one split again
    assert money(112_000) in offer and "05/11/2026" in offer


def test_a_repayment_split_again_keeps_its_place_however_often_it_is_rewritten(any_db):
    books = open_books(any_db)
    with any_db.transaction() as s:
        money_rules.change_rule(s, books.club_id, "loan_rate_bp", 100, books.user)
    books.contribute(10_000_000, on=date(2026, 6, 1))
    loan = books.lend(1_200_000, on=date(2026, 10, 1))
    first = books.repay(loan, 112_000, on=date(2026, 11, 5))
    small = books.repay(loan, 5_000, on=date(2026, 11, 10))
    bigger = books.repay(loan, 30_000, on=date(2026, 11, 20))
    last = books.repay(loan, 10_000, on=date(2026, 11, 20))  # the same day, typed in after
    reverse(books, first.id)  # small pays 5.000 of the fee, bigger the other 7.000: both written again
    reverse(books, next(e.id for e, _on in paid(books, loan) if e.reallocates_entry_id == small.id))
    # bigger, written again twice and so with the highest number, is still paid before last
    assert [(on, e.amount, e.interest, e.reallocates_entry_id or e.id) for e, on in paid(books, loan)] == [
        (date(2026, 11, 20), 30_000, 12_000, bigger.id),
        (date(2026, 11, 20), 10_000, 0, last.id),
    ]


def reverse(books: Books, entry_id: int) -> None:
    with books.db.transaction() as s:
        corrections.reverse(s, books.club_id, entry_id, reason="nhầm", by=books.user, today=date(2026, 11, 23))


def paid(books: Books, loan) -> list:
    with books.db.transaction() as s:
        return loans.standing_repayments(s, loan.id)


# --- property: reversed entries leave the books as if they had never been entered ----------------------

FIRST_DAY = date(2026, 1, 1)
LAST_DAY = date(2026, 11, 30)
days = st.integers(0, (LAST_DAY - FIRST_DAY).days).map(lambda n: FIRST_DAY + timedelta(days=n))
early_days = st.integers(0, 119).map(lambda n: FIRST_DAY + timedelta(days=n))  # loans, January to April
later_days = st.integers(120, (LAST_DAY - FIRST_DAY).days).map(lambda n: FIRST_DAY + timedelta(days=n))  # fees due
amounts = st.integers(1, 20).map(lambda n: n * 50_000)
loan_amounts = st.integers(10, 50).map(lambda n: n * 100_000)  # up to the default largest loan, 5tr
payments = st.integers(1, 10).map(lambda n: n * 50_000)  # a fee and some principal, seldom the whole loan
a_loan = st.tuples(st.just("lend"), loan_amounts, st.integers(3, 12), st.integers(0, 1), early_days)
a_repayment = st.tuples(st.just("repay"), st.integers(0, 3), payments, later_days)
a_reversal = st.tuples(st.just("reverse"), st.integers(0, 30), st.booleans())  # True: of a repayment, if any
others = st.one_of(
    a_loan,
    st.tuples(st.just("spend"), amounts, days),
    st.tuples(st.just("contribute"), st.sampled_from((INCOME_FUND, ACTIVITY_FUND)), amounts, st.integers(0, 1), days),
)
# A loan first, then repayments, reversals and other entries in any order, and reversals at the end, when a
# repayment reversed has later ones to re-split.
steps = st.tuples(
    a_loan,
    st.lists(a_repayment, min_size=2, max_size=6),
    st.lists(a_reversal, max_size=2),
    st.lists(others, max_size=5),
    st.lists(a_reversal, min_size=1, max_size=2),
).flatmap(lambda parts: st.permutations(parts[1] + parts[2] + parts[3]).map(lambda rest: [parts[0], *rest, *parts[4]]))
clubs_made = itertools.count(1)
CUSHION = 100_000_000  # enough cash in both funds that no step is refused for cash in one book and not the other


class Replayed:
    """A club's books driven by the steps, remembering which of its entries each accepted step wrote."""

    def __init__(self, books: Books) -> None:
        self.books, self.loans, self.written = books, [], []  # written: (step, the entry it made)

    def run(self, step: tuple) -> int | None:
        """Apply one step; the id of the entry it made, or None when the books refused it."""
        kind, *args = step
        by, club_id = self.books.user, self.books.club_id
        try:
            with self.books.db.transaction() as s:
                if kind == "contribute":
                    fund, amount, member, on = args
                    return ledger.contribute(
                        s,
                        club_id,
                        fund=fund,
                        kind="capital",
                        amount=amount,
                        on=on,
                        by=by,
                        today=LAST_DAY,
                        member_id=self.books.member_ids[member],
                    ).id
                if kind == "spend":
                    amount, on = args
                    return ledger.spend(s, club_id, amount=amount, purpose="văn nghệ", on=on, by=by, today=LAST_DAY).id
                if kind == "lend":
                    amount, months, member, on = args
                    loan = loans.lend(
                        s,
                        club_id,
                        member_id=self.books.member_ids[member],
                        amount=amount,
                        term_months=months,
                        purpose="crops",
                        on=on,
                        by=by,
                        today=LAST_DAY,
                    )
                    self.loans.append(loan)
                    return max(e.id for e in ledger.member_entries(s, club_id, loan.member_id))
                if kind == "repay":
                    index, amount, on = args
                    loan = self.loans[index]
                    return loans.repay(
                        s, club_id, loan_id=loan.id, amount=amount, on=max(on, loan.disbursed_on), by=by, today=LAST_DAY
                    ).id
                (target,) = args
                return corrections.reverse(s, club_id, target, reason="nhầm", by=by, today=LAST_DAY).id
        except (MoneyError, IndexError):
            return None


def start_books(db, rate_bp: int) -> Books:
    books = open_books(db, name=f"CLB {next(clubs_made)}")
    with db.transaction() as s:
        money_rules.change_rule(s, books.club_id, "loan_rate_bp", rate_bp, books.user)
        money_rules.change_rule(s, books.club_id, "lend_when_overdue", True, books.user)
    books.contribute(CUSHION, on=FIRST_DAY - timedelta(days=1))
    books.contribute(CUSHION, fund=ACTIVITY_FUND, on=FIRST_DAY - timedelta(days=1))
    return books


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps, rate_bp=st.sampled_from((0, 100, 150)))
def test_reversed_entries_leave_every_report_as_if_they_had_never_been_entered(any_db, plan, rate_bp):
    with_mistakes = Replayed(start_books(any_db, rate_bp))
    made = {}  # the step's position -> the entry it made
    for position, step in enumerate(plan):
        if step[0] == "reverse" and made:  # one of the entries made so far, often a repayment
            repayments = [made[p] for p in made if plan[p][0] == "repay"]
            targets = repayments if step[2] and repayments else list(made.values())
            step = ("reverse", targets[step[1] % len(targets)])
        if step[0] == "repay" and with_mistakes.loans:
            step = ("repay", step[1] % len(with_mistakes.loans), *step[2:])
        entry_id = with_mistakes.run(step)
        if entry_id is not None:
            made[position] = entry_id
        plan[position] = step
    reversed_ids = {step[1] for position, step in enumerate(plan) if step[0] == "reverse" and position in made}
    kept = [position for position in made if plan[position][0] != "reverse" and made[position] not in reversed_ids]

    never_made = Replayed(start_books(any_db, rate_bp))
    loan_number = {}  # a loan's place among the loans of the first books -> its place in the second
    for position in kept:
        step = plan[position]
        if step[0] == "repay":
            step = ("repay", loan_number[step[1]], *step[2:])
        assert never_made.run(step) is not None, step
        if step[0] == "lend":
            loan_number[len([p for p in made if p <= position and plan[p][0] == "lend"]) - 1] = (
                len(never_made.loans) - 1
            )

    assert_same_reports(any_db, with_mistakes.books.club_id, never_made.books.club_id)


def assert_same_reports(db, club_id: int, other_id: int) -> None:
    """The funds, loans and members sections of the two clubs' reports, for every period, are equal (both
    clubs' reports computed together, by the same grouped queries)."""
    with db.transaction() as s:
        name, other_name = clubs.get(s, club_id).name, clubs.get(s, other_id).name
        for code in PERIODS:
            by_name = {r.club.name: r for r in club_reports(s, period(code), club_ids=[club_id, other_id])}
            for section in SECTIONS:
                assert getattr(by_name[name], section) == getattr(by_name[other_name], section), (code, section)
