"""The loan arithmetic on its own: the schedule, how a payment splits, where a loan stands on a day."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from storage.schedule import add_months, instalment_schedule, monthly_interest, position, split_payment

PAID_OUT = date(2026, 1, 15)


def test_three_million_over_twelve_months_at_one_percent_on_the_balance():
    schedule = instalment_schedule(3_000_000, 12, 100, PAID_OUT)
    assert [i.principal for i in schedule] == [250_000] * 12
    assert [i.interest for i in schedule[:3]] == [30_000, 27_500, 25_000]
    assert schedule[-1].interest == 2_500
    assert schedule[0].due_on == date(2026, 2, 15) and schedule[-1].due_on == date(2027, 1, 15)


def test_parts_are_whole_thousands_and_the_last_takes_the_rest():
    schedule = instalment_schedule(1_000_000, 7, 0, PAID_OUT)
    assert [i.principal for i in schedule] == [143_000] * 6 + [142_000]


def test_a_loan_paid_out_on_the_31st_falls_due_on_the_last_day_of_shorter_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_a_fee_is_rounded_half_up_to_the_dong():
    assert monthly_interest(2_750_001, 50) == 13_750
    assert monthly_interest(1_001, 50) == 5  # 5.005 đồng
    assert monthly_interest(999, 50) == 5  # 4.995 đồng


def test_a_payment_goes_to_the_fee_due_first():
    assert split_payment(500_000, 30_000) == (30_000, 470_000)
    assert split_payment(20_000, 30_000) == (20_000, 0)
    assert split_payment(500_000, 0) == (0, 500_000)


def test_on_the_first_due_date_the_first_instalment_is_due_and_nothing_is_overdue():
    schedule = instalment_schedule(3_000_000, 12, 100, PAID_OUT)
    pos = position(schedule, 0, 0, date(2026, 2, 15))
    assert (pos.principal_left, pos.interest_due, pos.overdue) == (3_000_000, 30_000, 0)
    assert pos.owed == 3_030_000
    assert (pos.due_this_month, pos.due_this_month_on) == (280_000, date(2026, 2, 15))
    assert (pos.next_due_on, pos.next_due_amount) == (date(2026, 2, 15), 280_000)


def test_a_missed_instalment_is_overdue_from_its_date():
    schedule = instalment_schedule(3_000_000, 12, 100, PAID_OUT)
    pos = position(schedule, 250_000, 30_000, date(2026, 4, 10))  # paid February only
    assert pos.overdue == 277_500  # March: 250.000 + 27.500
    assert (pos.overdue_since, pos.next_due_on) == (date(2026, 3, 15), date(2026, 3, 15))
    assert (pos.due_this_month, pos.due_this_month_on) == (275_000, date(2026, 4, 15))
    assert pos.interest_due == 27_500 + 25_000  # March's fee and April's, due by the end of April
    later = position(schedule, 250_000, 30_000, date(2026, 4, 20))
    assert later.overdue == 277_500 + 275_000 and later.due_this_month == 0


def test_paying_ahead_covers_the_next_instalments():
    schedule = instalment_schedule(3_000_000, 12, 0, PAID_OUT)
    pos = position(schedule, 1_000_000, 0, date(2026, 3, 1))
    assert pos.overdue == 0 and pos.due_this_month == 0
    assert (pos.next_due_on, pos.next_due_amount) == (date(2026, 6, 15), 250_000)


def test_a_repaid_loan_owes_nothing_more():
    schedule = instalment_schedule(3_000_000, 12, 100, PAID_OUT)
    pos = position(schedule, 3_000_000, 30_000, date(2027, 6, 1))
    assert pos.closed and pos.owed == 0 and pos.overdue == 0 and pos.next_due_on is None


@given(
    principal=st.integers(1_000, 1_000_000_000),
    months=st.integers(1, 60),
    rate=st.integers(0, 166),
    day=st.dates(date(2000, 1, 1), date(2090, 12, 31)),
)
def test_a_schedule_repays_exactly_the_principal_with_no_negative_part(principal, months, rate, day):
    schedule = instalment_schedule(principal, months, rate, day)
    assert len(schedule) == months
    assert sum(i.principal for i in schedule) == principal
    assert all(i.principal >= 0 and i.interest >= 0 for i in schedule)
    assert all(isinstance(i.principal, int) and isinstance(i.interest, int) for i in schedule)
    assert [i.due_on for i in schedule] == sorted(i.due_on for i in schedule)
    balances = [principal - sum(i.principal for i in schedule[:k]) for k in range(months)]
    assert [i.interest for i in schedule] == [monthly_interest(b, rate) for b in balances]


@given(
    principal=st.integers(1_000, 100_000_000),
    months=st.integers(1, 24),
    rate=st.integers(0, 166),
    payments=st.lists(st.integers(1, 50_000_000), max_size=8),
    days_later=st.integers(0, 800),
)
def test_payments_never_take_a_loan_below_zero_and_the_fee_never_beyond_the_schedule(
    principal, months, rate, payments, days_later
):
    schedule = instalment_schedule(principal, months, rate, PAID_OUT)
    principal_paid = interest_paid = 0
    on = date.fromordinal(PAID_OUT.toordinal() + days_later)
    for amount in payments:
        pos = position(schedule, principal_paid, interest_paid, on)
        if pos.closed or amount > pos.owed:
            continue  # storage refuses these
        interest, principal_part = split_payment(amount, pos.interest_due)
        interest_paid += interest
        principal_paid += principal_part
        assert 0 <= principal_paid <= principal
        assert interest_paid <= sum(i.interest for i in schedule)
    pos = position(schedule, principal_paid, interest_paid, on)
    assert pos.principal_left == principal - principal_paid
    assert 0 <= pos.overdue + pos.due_this_month <= pos.owed or pos.closed
