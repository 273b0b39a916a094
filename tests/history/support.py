"""A club's paper books, as a treasurer would type them into the template: 43 members who joined from 2019 to
2024 with 20.500.000 of capital, the funds' cash on 30/11/2025 and 6 running loans, written in the many ways
people write dates, amounts and rates."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from handlers.history.workbook import FUNDS_SHEET, LOANS_SHEET, MEMBERS_SHEET, template
from storage import clubs, users
from storage.clubs import NewClub
from storage.db import Database
from storage.models import User

START = date(2025, 11, 30)
FOUNDED = date(2019, 4, 8)
FIRST_DATA_ROW = 4  # under the header, the note and the example rows

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
GIVEN = [
    "Lan", "Hoa", "Mai", "Cúc", "Đào", "Hồng", "Nga", "Hương", "Thu", "Hạnh", "Liên", "Loan", "Xuân", "Yến",
    "Tâm", "Oanh", "Phượng", "Sen", "Thảo", "Vân", "Nhung", "Bích", "Diệp", "Gấm", "Huệ", "Kim", "Lụa", "Mận",
    "Ngọc", "Nhàn", "Quế", "Sương", "Tuyết", "Uyên", "Vy", "Bình", "Dũng", "Hùng", "Minh", "Nam", "Phúc", "Sơn",
    "Tùng",
]  # fmt: skip


def name_of(n: int) -> str:
    middle = "Văn" if n >= 35 else "Thị"
    return f"{FAMILIES[n % len(FAMILIES)]} {middle} {GIVEN[n]}"


def joined_cell(n: int):
    """The join date as written in row n: a year, a month, a date cell, a date in words (2019 to 2024)."""
    year = 2019 + n % 6
    forms = [
        f"{5 + n % 7:02d}/{year}" if year == 2019 else year,
        date(year, 1 + n % 12, 1 + n % 28) if year > 2019 else date(2019, 4, 8),
        f"ngày {1 + n % 28} tháng {6 + n % 6} năm {year}",
        f"tháng {6 + n % 6}/{year}",
    ]
    return forms[n % 4]


def joined_on(n: int) -> date:
    year = 2019 + n % 6
    return [
        date(year, 5 + n % 7, 1) if year == 2019 else date(year, 1, 1),
        date(year, 1 + n % 12, 1 + n % 28) if year > 2019 else date(2019, 4, 8),
        date(year, 6 + n % 6, 1 + n % 28),
        date(year, 6 + n % 6, 1),
    ][n % 4]


def capital_cell(n: int):
    """20 members with 300.000, 20 with 600.000, 2 with 1.250.000, the last with none: 20.500.000."""
    if n < 20:
        return [300_000, "300k", "300.000đ", "300.000"][n % 4]
    if n < 40:
        return [600_000, "600k", "0,6tr", "600.000 đồng"][n % 4]
    if n < 42:
        return ["1,25tr", 1_250_000][n % 2]
    return None


def capital(n: int) -> int | None:
    return 300_000 if n < 20 else 600_000 if n < 40 else 1_250_000 if n < 42 else None


def member_row(n: int) -> list:
    return [
        name_of(n),
        1940 + n,
        "nam" if n >= 35 else ["nữ", "Nữ", "NU"][n % 3],
        ["", "nghèo", "cận nghèo", "khá giả", "bình thường"][n % 5],
        ["", "có", "x", "không", "\N{CHECK MARK}"][n % 5],
        ["không", "", "", "có", ""][n % 5],
        [None, f"09123456{n:02d}", int(f"9123456{n:02d}")][n % 3],  # the last a number, its 0 lost
        joined_cell(n),
        capital_cell(n),
    ]


MEMBER_ROWS = [member_row(n) for n in range(43)]
FUND_ROW = ["ngày 30 tháng 11 năm 2025", "8.700.000đ", 1_250_000]
# Borrower, amount, paid out, months, rate, still owed: 12.300.000 owed in all.
LOAN_ROWS = [
    [name_of(0), 3_000_000, date(2025, 3, 15), 12, 1, 1_000_000],
    [name_of(5), "5tr", "01/06/2025", "12 tháng", "1%", "3.000.000"],
    [name_of(9), "2.000.000đ", "10-09-2025", 6, "0,8", "1,4tr"],
    [name_of(12), 4_000_000, "20.01.2025", "2 năm", 0.008, 2_400_000],  # 0.008 shown as 0,8 % (see filled())
    [name_of(20), "4tr", "ngày 5 tháng 8 năm 2025", 12, None, "3tr"],
    [name_of(36), 2_000_000, "2025-10-01", 10, "0,9%/tháng", 1_500_000],
]
RATES = [100, 100, 80, 80, None, 90]


def filled(
    members: list[list] | None = None,
    funds: list[list] | None = None,
    loans: list[list] | None = None,
    change=None,
) -> bytes:
    """The template filled under its example rows, as Excel would keep it; `change(book)` may alter it first."""
    book = load_workbook(io.BytesIO(template()))
    for title, rows in ((MEMBERS_SHEET, members), (FUNDS_SHEET, funds), (LOANS_SHEET, loans)):
        for offset, row in enumerate(rows or []):
            for column, value in enumerate(row, start=1):
                book[title].cell(row=FIRST_DATA_ROW + offset, column=column, value=value)
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(loans or [])):
        cell = book[LOANS_SHEET].cell(row=row, column=5)
        if isinstance(cell.value, float) and cell.value < 0.05:
            cell.number_format = "0.0%"
    if change is not None:
        change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def books() -> bytes:
    return filled(MEMBER_ROWS, [FUND_ROW], LOAN_ROWS)


def with_part(content: bytes, path: str, edit) -> bytes:
    """The same file with one part's XML changed by `edit(text) -> text`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, edit(data.decode()).encode() if name == path else data)
    return out.getvalue()


def sheet_path(content: bytes, title: str) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return book[title]._worksheet_path.lstrip("/")  # noqa: SLF001
    finally:
        book.close()


def keep_formula_value(content: bytes, title: str, value: str) -> bytes:
    """What Excel does on saving: every formula keeps its result next to it."""
    return with_part(
        content, sheet_path(content, title), lambda xml: re.sub(r"<v\s*/>|<v></v>", f"<v>{value}</v>", xml)
    )


def club_with_chair(db: Database) -> tuple[int, str, User]:
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-books", "Nguyễn Văn An")
        club = clubs.create_club(
            s, chair, NewClub("CLB thôn Liên Trì", "Liên Trì", "Bình Hiệp", "Bình Sơn", "Quảng Ngãi", 15, None, FOUNDED)
        )
        assert club.id is not None
        return club.id, club.code, chair


def as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
