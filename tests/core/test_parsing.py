"""Reading what people type: amounts, dates, names, birth years, member lines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.i18n import money
from handlers.parsing import (
    MAX_AMOUNT,
    MIN_AMOUNT,
    InputError,
    parse_amount,
    parse_birth_year,
    parse_date,
    parse_member_line,
    parse_name,
    parse_phone,
)
from storage.names import fold

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("500000", 500_000),
        ("500.000", 500_000),
        ("500,000", 500_000),
        ("500k", 500_000),
        ("500K", 500_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("1tr5", 1_500_000),
        ("1,5 triệu", 1_500_000),
        ("1.5 triệu", 1_500_000),
        ("2 triệu", 2_000_000),
        ("2tr", 2_000_000),
        ("500.000đ", 500_000),
        ("500.000 ₫", 500_000),
        ("1.500.000 VND", 1_500_000),
        ("20,5 triệu", 20_500_000),
        ("3tr", 3_000_000),
        ("1tr25", 1_250_000),
        ("50k", 50_000),
        ("2 triệu đồng", 2_000_000),
        ("  1.500.000  ", 1_500_000),
    ],
)
def test_amounts_as_people_type_them(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        "0",
        "-500000",
        "10" + "0" * 15,
        "1" + "0" * 40,
        "9" * 30 + "k",
        "abc",
        "5,5,5",
        "5a00",
        "1.5",
        "500",
        "1tr5.000",
        "",
        "k",
        "1..000",
        "năm trăm nghìn",
    ],
)
def test_amounts_that_cannot_be_used_get_an_example(typed):
    with pytest.raises(InputError) as problem:
        parse_amount(typed)
    assert any(hint in str(problem.value) for hint in ("500k", "1tr5", "1.500.000", money(MAX_AMOUNT)))


@given(st.integers(min_value=MIN_AMOUNT, max_value=MAX_AMOUNT))
def test_an_amount_formatted_by_the_bot_reads_back_the_same(amount):
    assert parse_amount(money(amount)) == amount
    assert parse_amount(str(amount)) == amount


@given(st.text(max_size=60))
def test_any_text_is_either_an_amount_or_a_clear_refusal(text):
    try:
        amount = parse_amount(text)
    except InputError:
        return
    assert isinstance(amount, int) and MIN_AMOUNT <= amount <= MAX_AMOUNT


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("hôm nay", TODAY),
        ("hom qua", date(2026, 11, 22)),
        ("5/6", date(2026, 6, 5)),
        ("05/06/2025", date(2025, 6, 5)),
        ("5-6-25", date(2025, 6, 5)),
        ("31.12.2024", date(2024, 12, 31)),
    ],
)
def test_dates_day_first(typed, expected):
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["31/02/2025", "32/1", "mai", "2025-06-05x", "00/00/0000"])
def test_impossible_dates_are_refused(typed):
    with pytest.raises(InputError):
        parse_date(typed, TODAY)


def test_names_are_tidied_and_must_be_full_names():
    assert parse_name("  nguyễn   thị lan ") == "Nguyễn Thị Lan"
    for bad in ("Lan", "", "Nguyễn 123", "DROP TABLE member;", "😀 😀", "A" * 81 + " B"):
        with pytest.raises(InputError):
            parse_name(bad)


def test_birth_years_must_be_plausible():
    assert parse_birth_year("1952", TODAY) == 1952
    for bad in ("1850", "2030", "52", "năm 1952", "2015"):
        with pytest.raises(InputError):
            parse_birth_year(bad, TODAY)


def test_phone_numbers():
    assert parse_phone("0912 345 678") == "0912345678"
    assert parse_phone("+84912345678") == "0912345678"
    with pytest.raises(InputError):
        parse_phone("12345")


def test_a_member_line_with_every_optional_field():
    member = parse_member_line("Hờ A Dính, 1960, nam, nghèo, DTTS, khuyết tật, 0912345678", TODAY)
    assert (member.full_name, member.birth_year, member.sex, member.poverty) == ("Hờ A Dính", 1960, "male", "poor")
    assert member.ethnic_minority and member.disabled and member.phone == "0912345678"


def test_folding_removes_diacritics_and_invisible_characters():
    assert fold("Nguyễn Thị\u200b Lan") == "nguyen thi lan"
    assert fold("ĐỖ   Văn Đức") == "do van duc"
