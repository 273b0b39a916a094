"""One-line entry over a table of real-world phrasings: /trano Nguyễn Thị Lan 500k, /donggop Lan 50.000,
/vay Lan 3tr 12. First how a line splits, then the same lines through the console down to the ledger."""

from __future__ import annotations

import pytest

from handlers.i18n import money
from handlers.parsing import MAX_AMOUNT, InputError, split_amount, split_fund, split_term
from storage.models import ACTIVITY_FUND, INCOME_FUND
from tests.money_support import all_loans, club_with_members, entries

PHRASINGS = [
    ("Nguyễn Thị Lan 500000", 500_000),
    ("Nguyễn Thị Lan 500.000", 500_000),
    ("Nguyễn Thị Lan 500,000", 500_000),
    ("Nguyễn Thị Lan 500k", 500_000),
    ("Nguyễn Thị Lan 500K", 500_000),
    ("Nguyễn Thị Lan 500 nghìn", 500_000),
    ("Nguyễn Thị Lan 500 ngàn", 500_000),
    ("Nguyễn Thị Lan 1tr5", 1_500_000),
    ("Nguyễn Thị Lan 1,5 triệu", 1_500_000),
    ("Nguyễn Thị Lan 2 triệu", 2_000_000),
    ("Nguyễn Thị Lan 2tr", 2_000_000),
    ("Nguyễn Thị Lan 500.000đ", 500_000),
    ("Nguyễn Thị Lan 500.000 ₫", 500_000),
    ("Nguyễn Thị Lan 1.500.000 VND", 1_500_000),
    ("Nguyễn Thị Lan 1 500 000 đồng", 1_500_000),
    ("nguyen thi lan 1tr5", 1_500_000),
    ("NGUYỄN THỊ LAN 300k", 300_000),
    ("500k Nguyễn Thị Lan", 500_000),
    ("  Nguyễn   Thị Lan   50k ", 50_000),
]


@pytest.mark.parametrize("line, amount", PHRASINGS)
def test_a_line_splits_into_the_name_and_the_amount(line, amount):
    name, read = split_amount(line)
    assert read == amount
    assert name.lower().replace("nguyen thi lan", "nguyễn thị lan") == "nguyễn thị lan"


@pytest.mark.parametrize(
    "line",
    [
        "Nguyễn Thị Lan 0",
        "Nguyễn Thị Lan -500k",
        "Nguyễn Thị Lan 1000000000000000",
        "Nguyễn Thị Lan 5,5,5",
        "Nguyễn Thị Lan 5a00k",
        "Nguyễn Thị Lan 500",
    ],
)
def test_a_line_with_an_amount_that_cannot_be_used_is_refused_with_an_example(line):
    with pytest.raises(InputError) as refused:
        split_amount(line)
    assert any(hint in str(refused.value) for hint in ("500k", "1tr5", "1.500.000", money(MAX_AMOUNT)))


def test_a_line_without_digits_is_only_a_name():
    assert split_amount("Nguyễn Thị Lan") == ("Nguyễn Thị Lan", None)


@pytest.mark.parametrize(
    "line, rest, months",
    [
        ("Lan 3tr 12", "Lan 3tr", 12),
        ("Lan 3 triệu 12 tháng", "Lan 3 triệu", 12),
        ("Lan 3tr 12th", "Lan 3tr", 12),
        ("Lan 3tr 1 năm", "Lan 3tr", 12),
        ("Lan 3.000.000 6", "Lan 3.000.000", 6),
        ("Lan 3tr", "Lan 3tr", None),
        ("Lan 3000000", "Lan 3000000", None),
        ("Lan 2 tr 6", "Lan 2 tr", 6),
    ],
)
def test_a_loan_line_ends_with_its_months(line, rest, months):
    assert split_term(line) == (rest, months)


@pytest.mark.parametrize(
    "line, fund",
    [
        ("Lan 50k hoạt động", ACTIVITY_FUND),
        ("Lan 50k quỹ hoạt động", ACTIVITY_FUND),
        ("Lan 50k hd", ACTIVITY_FUND),
        ("Lan 50k ttn", INCOME_FUND),
        ("Lan 50k quỹ tăng thu nhập", INCOME_FUND),
        ("Lan 50k", None),
    ],
)
def test_a_contribution_line_may_name_its_fund(line, fund):
    rest, named = split_fund(line)
    assert named == fund and rest.startswith("Lan 50k")


# --- the same lines, down to the ledger -----------------------------------------------------------------


@pytest.mark.parametrize("line, amount", PHRASINGS)
def test_a_repayment_typed_on_one_line_records_that_amount(person, db, line, amount):
    chair = club_with_members(person, db)
    chair.says_all("/donggop Trần Văn Bình 10tr", "1", "1", "1", "2")
    chair.says_all("/vay Nguyễn Thị Lan 5tr 10", "3", "1")
    read_back = chair.says(f"/trano {line}")
    assert money(amount) in read_back and money(5_000_000 - amount) in read_back
    chair.says("1")
    assert entries(db)[-1].amount == amount


@pytest.mark.parametrize(
    "line, amount, fund",
    [
        ("Lan 50.000 hoạt động", 50_000, ACTIVITY_FUND),
        ("nguyen thi lan 50k ttn", 50_000, INCOME_FUND),
        ("Trần Văn Bình 1,5 triệu quỹ tăng thu nhập", 1_500_000, INCOME_FUND),
        ("tran van binh 20 ngàn hd", 20_000, ACTIVITY_FUND),
    ],
)
def test_a_contribution_typed_on_one_line_asks_only_what_is_missing(person, db, line, amount, fund):
    chair = club_with_members(person, db)
    chair.says(f"/donggop {line}")
    if line.startswith("Lan"):
        chair.says("1")  # two Lans: Nguyễn Thị Lan is first
    read_back = chair.says("1")  # the kind; the fund was named
    assert money(amount) in read_back
    chair.says("1")
    [entry] = entries(db)
    assert (entry.amount, entry.fund) == (amount, fund)


@pytest.mark.parametrize(
    "line, principal, months",
    [
        ("Nguyễn Thị Lan 3tr 12", 3_000_000, 12),
        ("nguyen thi lan 3 triệu 12 tháng", 3_000_000, 12),
        ("Nguyễn Thị Lan 2.500.000 10", 2_500_000, 10),
        ("Nguyễn Thị Lan 1tr5 1 năm", 1_500_000, 12),
        ("Nguyễn Thị Lan 4tr 6th", 4_000_000, 6),
    ],
)
def test_a_loan_typed_on_one_line_asks_only_its_purpose(person, db, line, principal, months):
    chair = club_with_members(person, db)
    chair.says_all("/donggop Trần Văn Bình 10tr", "1", "1", "1", "2")
    chair.says(f"/vay {line}")
    read_back = chair.says("1")  # livestock
    assert money(principal) in read_back
    chair.says("1")
    [loan] = all_loans(db)
    assert (loan.principal, loan.term_months) == (principal, months)
