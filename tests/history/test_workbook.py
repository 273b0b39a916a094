"""A club's books in one .xlsx: the template, read back figure by figure, and every way a file can be wrong,
each named by sheet, row and column (handlers.history.workbook and texts)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from handlers.history import texts
from handlers.history import workbook as wb
from handlers.history.workbook import FUNDS_SHEET, LOANS_SHEET, MEMBERS_SHEET, read_workbook, template
from handlers.i18n import language, money
from storage import history
from storage.history import BroughtMember, MovingIn, Problem, Where
from storage.members import NewMember
from storage.models import FEMALE, MALE, NEAR_POOR, POOR
from tests.history.support import (
    FIRST_DATA_ROW,
    FUND_ROW,
    LOAN_ROWS,
    MEMBER_ROWS,
    RATES,
    START,
    books,
    capital,
    club_with_chair,
    filled,
    joined_on,
    keep_formula_value,
    name_of,
    sheet_path,
    with_part,
)

TODAY = date(2026, 11, 23)
MEMBER = ["Nguyễn Thị Lan", 1952, "nữ", "cận nghèo", "có", "", "0912345678", "05/2019", "1,5tr"]
LOAN = ["Nguyễn Thị Lan", "3tr", "15/03/2025", 12, 1, "1tr"]


def codes(reading) -> list[str]:
    return [p.code for p in reading.problems]


def only_problem(content: bytes) -> Problem:
    reading = read_workbook(content, TODAY)
    assert reading.moving_in is None
    assert len(reading.problems) == 1, reading.problems
    return reading.problems[0]


# --- the template ---------------------------------------------------------------------------------------------


def test_the_template_has_the_three_sheets_with_their_columns_a_note_and_an_example():
    book = load_workbook(io.BytesIO(template()))
    assert book.sheetnames == ["Thành viên", "Số dư quỹ", "Khoản vay đang có"]
    headers = {sheet.title: [cell.value for cell in sheet[1]] for sheet in book}
    assert headers == {
        "Thành viên": [
            "Họ tên",
            "Năm sinh",
            "Giới tính",
            "Hoàn cảnh",
            "DTTS",
            "Khuyết tật",
            "Số điện thoại",
            "Ngày vào CLB",
            "Vốn đã góp",
        ],
        "Số dư quỹ": ["Ngày", "Quỹ tăng thu nhập", "Quỹ hoạt động"],
        "Khoản vay đang có": ["Họ tên", "Số tiền vay", "Ngày vay", "Số tháng", "Lãi suất %/tháng", "Còn nợ gốc"],
    }
    members, funds, loans = book
    assert "năm (2019), tháng (03/2019) hoặc ngày (15/03/2019)" in members["H2"].value.lower()
    assert "ngày cuối tháng của số dư, ví dụ 30/11/2025" in funds["A2"].value.lower()
    assert "1,5tr" in members["I2"].value and "0,8" in loans["E2"].value
    assert members["A3"].value == loans["A3"].value == "Nguyễn Thị Mẫu"
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert all(cell.value for cell in sheet[2]), sheet.title  # a note for every column
        assert all((sheet.column_dimensions[cell.column_letter].width or 0) >= 9 for cell in sheet[1])
        assert sheet.max_row == 3
    assert members.column_dimensions["G"].number_format == "@"  # a phone typed in keeps its leading 0


def test_the_template_alone_holds_nothing_to_bring_in():
    assert only_problem(template()).code == wb.NOTHING_IN_FILE


# --- a club's books read back -------------------------------------------------------------------------------------


def test_a_real_clubs_books_are_read_back_figure_by_figure():
    reading = read_workbook(books(), TODAY)
    assert reading.problems == [] and reading.clean
    moving_in = reading.moving_in
    assert moving_in is not None
    assert moving_in.records_start == START and reading.start_given
    assert (moving_in.income_cash, moving_in.activity_cash, moving_in.capital_total) == (8_700_000, 1_250_000, None)
    assert len(moving_in.members) == reading.members == 43
    assert sum(m.capital or 0 for m in moving_in.members) == 20_500_000
    for n, brought in enumerate(moving_in.members):
        member = brought.member
        assert brought.where == Where(MEMBERS_SHEET, FIRST_DATA_ROW + n)
        assert (member.full_name, member.birth_year) == (name_of(n), 1940 + n)
        assert member.sex == (MALE if n >= 35 else FEMALE)
        assert member.poverty == [None, POOR, NEAR_POOR, "better_off", None][n % 5]
        assert member.ethnic_minority == (n % 5 in (1, 2, 4))
        assert member.disabled == (n % 5 == 3)
        assert member.phone == (None if n % 3 == 0 else f"09123456{n:02d}")
        assert member.joined_on == joined_on(n), n
        assert 2019 <= member.joined_on.year <= 2024
        assert brought.capital == capital(n)
    assert len(moving_in.loans) == reading.loans == 6
    assert sum(loan.owed for loan in moving_in.loans) == 12_300_000
    assert [loan.borrower for loan in moving_in.loans] == [row[0] for row in LOAN_ROWS]
    assert [loan.principal for loan in moving_in.loans] == [
        3_000_000,
        5_000_000,
        2_000_000,
        4_000_000,
        4_000_000,
        2_000_000,
    ]
    assert [loan.disbursed_on for loan in moving_in.loans] == [
        date(2025, 3, 15),
        date(2025, 6, 1),
        date(2025, 9, 10),
        date(2025, 1, 20),
        date(2025, 8, 5),
        date(2025, 10, 1),
    ]
    assert [loan.term_months for loan in moving_in.loans] == [12, 12, 6, 24, 12, 10]
    assert [loan.rate_bp for loan in moving_in.loans] == RATES
    assert [loan.owed for loan in moving_in.loans] == [1_000_000, 3_000_000, 1_400_000, 2_400_000, 3_000_000, 1_500_000]
    assert moving_in.loans[2].where == Where(LOANS_SHEET, FIRST_DATA_ROW + 2)


def test_the_books_planned_on_a_club_give_the_one_summary(db):
    club_id, _code, _chair = club_with_chair(db)
    reading = read_workbook(books(), TODAY)
    assert reading.moving_in is not None
    with db.transaction() as s:
        plan = history.plan(s, club_id, reading.moving_in, TODAY)
    assert plan.clean, [texts.problem(p) for p in plan.problems]
    said = texts.summary(reading, plan)
    assert said.splitlines()[0] == (
        f"43 thành viên (43 mới, 0 đã có), 2 quỹ, 6 khoản vay; vốn góp {money(20_500_000)}; "
        f"dư nợ (tiền vay còn nợ) {money(12_300_000)}"
    )
    assert "Số liệu tính đến hết ngày 30/11/2025." in said
    assert said.splitlines()[-1].startswith("Lưu sẽ ghi: thêm 43 thành viên mới, số dư 2 quỹ")
    assert "6 khoản vay đang có" in said and "lỗi" not in said
    assert len(said) < 400  # a phone's screen


def test_the_note_row_and_an_untouched_example_row_are_skipped_wherever_they_stand():
    def moved(book):  # the note and the example copied under the data too, as people paste rows about
        for sheet in book:
            for source, target in ((2, 6), (3, 7)):
                for cell in sheet[source]:
                    sheet.cell(row=target, column=cell.column, value=cell.value)

    reading = read_workbook(filled([MEMBER], [FUND_ROW], [LOAN], change=moved), TODAY)
    assert reading.problems == []
    assert [m.member.full_name for m in reading.moving_in.members] == ["Nguyễn Thị Lan"]
    assert len(reading.moving_in.loans) == 1


def test_a_changed_example_row_is_data():
    def changed(book):
        book[MEMBERS_SHEET]["B3"] = 1960

    reading = read_workbook(filled([MEMBER], change=changed), TODAY)
    assert [(m.member.full_name, m.member.birth_year) for m in reading.moving_in.members] == [
        ("Nguyễn Thị Mẫu", 1960),
        ("Nguyễn Thị Lan", 1952),
    ]


def test_sheets_and_columns_are_found_without_diacritics_or_case_and_in_any_order():
    def renamed(book):
        book[MEMBERS_SHEET].title = "THANH VIEN"
        book[FUNDS_SHEET].title = "so du quy"
        members = book["THANH VIEN"]
        for row in range(1, 5):  # the first two columns swapped, header, note, example and data
            members[f"A{row}"].value, members[f"B{row}"].value = members[f"B{row}"].value, members[f"A{row}"].value
        members["B1"] = "Họ và tên"  # and the name's header written otherwise

    reading = read_workbook(filled([MEMBER], change=renamed), TODAY)
    assert reading.problems == []
    brought = reading.moving_in.members[0]
    assert (brought.member.full_name, brought.member.birth_year) == ("Nguyễn Thị Lan", 1952)
    assert brought.where == Where("THANH VIEN", 4)


def test_without_a_date_the_balances_are_those_of_last_months_end_and_the_summary_says_so(db):
    club_id, _code, _chair = club_with_chair(db)
    reading = read_workbook(filled([MEMBER], [[None, "2tr", "500k"]]), TODAY)
    assert reading.problems == [] and not reading.start_given
    assert reading.moving_in.records_start == date(2026, 10, 31)
    assert (reading.moving_in.income_cash, reading.moving_in.activity_cash) == (2_000_000, 500_000)
    with db.transaction() as s:
        plan = history.plan(s, club_id, reading.moving_in, TODAY)
    assert "Trang Số dư quỹ không ghi ngày: lấy ngày cuối tháng trước." in texts.summary(reading, plan)


@pytest.mark.parametrize(
    "written",
    [
        "30/11/2025",
        "30-11-2025",
        "30.11.2025",
        "30 / 11 / 2025",
        "30/11/25",
        "ngày 30 tháng 11 năm 2025",
        "Ngày 30 tháng 11, năm 2025",
        "2025-11-30",
        START,
        45991,  # Excel's number for that day, in a cell not formatted as a date
    ],
)
def test_the_balances_day_is_read_in_every_common_form(written):
    reading = read_workbook(filled(funds=[[written, 0, "0đ"]]), TODAY)
    assert reading.problems == []
    assert reading.moving_in.records_start == START
    assert (reading.moving_in.income_cash, reading.moving_in.activity_cash) == (0, 0)  # an empty fund is a figure


@pytest.mark.parametrize(
    ("written", "amount"),
    [("1.500.000đ", 1_500_000), ("1,5tr", 1_500_000), ("500k", 500_000), (1_500_000, 1_500_000), ("1tr5", 1_500_000)],
)
def test_amounts_are_read_as_people_write_them(written, amount):
    row = [*MEMBER[:8], written]
    assert read_workbook(filled([row]), TODAY).moving_in.members[0].capital == amount


@pytest.mark.parametrize(
    ("minority", "disabled", "expected"),
    [("có", "không", (True, False)), ("x", "", (True, False)), ("\N{CHECK MARK}", "Có", (True, True)),
     ("không", "khuyết tật", (False, True)), (True, False, (True, False)), (1, 0, (True, False))],
)  # fmt: skip
def test_yes_and_no_columns_take_the_words_people_use(minority, disabled, expected):
    row = [*MEMBER[:4], minority, disabled, *MEMBER[6:]]
    member = read_workbook(filled([row]), TODAY).moving_in.members[0].member
    assert (member.ethnic_minority, member.disabled) == expected


def test_a_rate_is_percent_a_month_and_a_cell_formatted_as_percent_is_read_as_shown():
    def as_percent(book):
        book[LOANS_SHEET]["E5"].number_format = "0.00%"

    rates = [[*LOAN[:4], rate, LOAN[5]] for rate in (1, "1%", "0,8", 0.008, None, "1,2 %/tháng", 0.5)]
    reading = read_workbook(filled([MEMBER], loans=rates, change=as_percent), TODAY)
    assert [loan.rate_bp for loan in reading.moving_in.loans] == [100, 100, 80, 80, None, 120, 50]


def test_a_rate_above_the_law_is_refused_where_it_is():
    reading = read_workbook(filled([MEMBER], loans=[[*LOAN[:4], "3%", LOAN[5]]]), TODAY)
    assert reading.moving_in is None
    (found,) = reading.problems
    assert (found.code, found.where) == (wb.BAD_CELL, Where(LOANS_SHEET, 4, "Lãi suất %/tháng"))
    assert texts.problem(found).startswith('Trang Khoản vay đang có, dòng 4, cột Lãi suất %/tháng: "3%": ')


# --- files that cannot be read ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("Họ tên,Năm sinh,Giới tính\nNguyễn Thị Lan,1952,nữ\n".encode(), wb.NOT_XLSX),  # a .csv renamed
        (b"\xff\xd8\xff\xe0 a photo", wb.NOT_XLSX),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), wb.OLD_XLS),  # an Excel 97-2003 file
        (b"", wb.FILE_TOO_LARGE),  # not downloaded
        (b"PK" + bytes(1_100_000), wb.FILE_TOO_LARGE),
    ],
    ids=["csv", "photo", "xls", "empty", "too-large"],  # the contents would make test names of a megabyte
)
def test_a_file_that_is_no_xlsx_gets_one_sentence(content, code):
    found = only_problem(content)
    assert found.code == code and found.where is None
    sentence = texts.problem(found)
    assert sentence[:1].isupper() and "\n" not in sentence


def test_a_zip_that_is_no_workbook_is_not_an_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert only_problem(buffer.getvalue()).code == wb.NOT_XLSX


def test_missing_sheets_are_named_with_those_the_file_has():
    book = Workbook()
    book.active.title = "Sheet1"
    book.create_sheet("Thanh vien")
    buffer = io.BytesIO()
    book.save(buffer)
    found = only_problem(buffer.getvalue())
    assert found.code == wb.MISSING_SHEETS
    assert found.values == {"missing": [FUNDS_SHEET, LOANS_SHEET], "found": ["Sheet1", "Thanh vien"]}
    assert texts.problem(found) == (
        "Tệp không có trang tên Số dư quỹ, Khoản vay đang có. Tệp cần đủ ba trang của mẫu: Thành viên, Số dư quỹ, "
        "Khoản vay đang có (tệp đang có: Sheet1, Thanh vien)."
    )


def sheet_of_rows(content: bytes, title: str, rows: int) -> bytes:
    """The file with the sheet's data replaced by `rows` rows of one number, written as tersely as XML allows."""
    data = "<row><c><v>1</v></c></row>" * rows
    path = sheet_path(content, title)
    return with_part(
        content, path, lambda xml: xml.split("<sheetData")[0] + f"<sheetData>{data}</sheetData></worksheet>"
    )


def test_a_sheet_of_100000_rows_is_refused_before_openpyxl_opens_the_file(monkeypatch):
    content = sheet_of_rows(template(), LOANS_SHEET, 100_000)
    assert len(content) < 200_000  # small as sent; 2.6 MB of XML once unpacked

    def never(*_args, **_kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", never)
    found = only_problem(content)
    assert (found.code, found.values) == (wb.SHEET_TOO_LONG, {"sheet": LOANS_SHEET, "most": 1_000})
    assert texts.problem(found) == (
        "Trang Khoản vay đang có có hơn 1000 dòng. Hãy xóa các dòng trống hoặc thừa, hoặc chia thành nhiều tệp."
    )


def test_a_thousand_rows_are_read_and_one_more_is_refused():
    letters = ["".join(chr(ord("a") + int(digit)) for digit in f"{n:04d}") for n in range(1_001)]
    rows = [[f"Người Số {letter}", 1950, "nam"] for letter in letters]
    assert only_problem(filled(rows)).code == wb.SHEET_TOO_LONG
    assert read_workbook(filled(rows[:1_000]), TODAY).members == 1_000


def test_a_file_that_unpacks_too_large_is_refused():
    content = with_part(template(), "docProps/app.xml", lambda xml: xml + " " * 3_100_000)
    assert only_problem(content).code == wb.FILE_TOO_LARGE


def test_a_formula_without_a_value_is_named_by_its_cell_and_one_with_a_value_is_read():
    def formula(book):
        book[MEMBERS_SHEET]["I5"] = "=I4*2"

    content = filled([MEMBER, MEMBER[:1] + ["1953"] + MEMBER[2:8]], change=formula)
    reading = read_workbook(content, TODAY)
    assert reading.moving_in is None
    assert reading.problems == [
        Problem(wb.FORMULA_WITHOUT_VALUE, Where(MEMBERS_SHEET, 5, "Vốn đã góp"), {"cell": "I5"})
    ]
    assert texts.problem(reading.problems[0]).startswith("Trang Thành viên, dòng 5, cột Vốn đã góp: ô I5 có công thức")
    saved_by_excel = keep_formula_value(content, MEMBERS_SHEET, "3000000")
    reading = read_workbook(saved_by_excel, TODAY)
    assert reading.problems == []
    assert [m.capital for m in reading.moving_in.members] == [1_500_000, 3_000_000]


def test_merged_cells_below_the_header_are_named_by_their_range():
    def merged(book):
        book[LOANS_SHEET].merge_cells("B4:C5")

    reading = read_workbook(filled([MEMBER], loans=[LOAN, LOAN]), TODAY)
    assert reading.problems == []
    reading = read_workbook(filled([MEMBER], loans=[LOAN, LOAN], change=merged), TODAY)
    assert Problem(wb.MERGED_CELLS, Where(LOANS_SHEET, 4, "Số tiền vay"), {"range": "B4:C5"}) in reading.problems
    assert reading.moving_in is None

    def header_merged(book):
        book[FUNDS_SHEET].merge_cells("B1:C1")  # a title over both funds: harmless

    assert read_workbook(filled([MEMBER], change=header_merged), TODAY).problems == []


def test_a_missing_column_and_a_missing_header_are_named():
    def no_sex(book):
        book[MEMBERS_SHEET]["C1"] = "Ghi chú"

    found = only_problem(filled([MEMBER], change=no_sex))
    assert (found.code, found.where, found.values) == (
        wb.MISSING_COLUMN,
        Where(MEMBERS_SHEET, 1),
        {"column": "Giới tính"},
    )
    assert texts.problem(found) == "Trang Thành viên, dòng 1: thiếu cột Giới tính. Hãy chép tên cột từ tệp mẫu."

    def no_header(book):
        book[FUNDS_SHEET].delete_rows(1, 3)
        book[FUNDS_SHEET]["A1"] = "30/11/2025"

    found = only_problem(filled([MEMBER], change=no_header))
    assert (found.code, found.values["sheet"]) == (wb.NO_HEADER, FUNDS_SHEET)


def test_each_bad_cell_is_named_by_sheet_row_and_column():
    members = [
        MEMBER,
        ["Lan", 1952, "nữ"],  # a name without a family name
        ["Trần Thị Hoa", "năm mươi", "nữ"],
        ["Lê Thị Mai", 1950, "bà"],
        ["Phạm Thị Cúc", 1950, "nữ", "giàu"],
        ["Võ Thị Đào", 1950, "nữ", "", "hơi hơi"],
        ["Đỗ Thị Hồng", 1950, "nữ", "", "", "", "12345"],
        ["Bùi Thị Nga", 1950, "nữ", "", "", "", "", "31/02/2020"],
        ["Đặng Thị Thu", 1950, "nữ", "", "", "", "", "2019", "nhiều tiền"],
        ["Hồ Thị Yến", None, "nữ"],
    ]
    funds = [["31/11/2025", "8,7", 1.5]]
    loans = [[*LOAN[:2], "hôm kia", "mười hai", *LOAN[4:]], [None, "3tr", "15/03/2025", 12, 1, "1tr"]]
    reading = read_workbook(filled(members, funds, loans), TODAY)
    assert reading.moving_in is None
    found = {(p.where.sheet, p.where.row, p.where.column): p.code for p in reading.problems}
    assert found == {
        (MEMBERS_SHEET, 5, "Họ tên"): wb.BAD_CELL,
        (MEMBERS_SHEET, 6, "Năm sinh"): wb.BAD_CELL,
        (MEMBERS_SHEET, 7, "Giới tính"): wb.BAD_CELL,
        (MEMBERS_SHEET, 8, "Hoàn cảnh"): wb.BAD_CELL,
        (MEMBERS_SHEET, 9, "DTTS"): wb.BAD_CELL,
        (MEMBERS_SHEET, 10, "Số điện thoại"): wb.BAD_CELL,
        (MEMBERS_SHEET, 11, "Ngày vào CLB"): wb.BAD_CELL,
        (MEMBERS_SHEET, 12, "Vốn đã góp"): wb.BAD_CELL,
        (MEMBERS_SHEET, 13, "Năm sinh"): wb.EMPTY_CELL,
        (FUNDS_SHEET, 4, "Ngày"): wb.BAD_CELL,
        (FUNDS_SHEET, 4, "Quỹ tăng thu nhập"): wb.BAD_CELL,
        (FUNDS_SHEET, 4, "Quỹ hoạt động"): wb.BAD_CELL,
        (LOANS_SHEET, 4, "Ngày vay"): wb.BAD_CELL,
        (LOANS_SHEET, 4, "Số tháng"): wb.BAD_CELL,
        (LOANS_SHEET, 5, "Họ tên"): wb.EMPTY_CELL,
    }
    said = {texts.problem(p) for p in reading.problems}
    assert any(s.startswith("Trang Số dư quỹ, dòng 4, cột Ngày: 31/11/2025 không phải là ngày có thật.") for s in said)
    assert 'Trang Thành viên, dòng 7, cột Giới tính: "bà": Hãy gõ nam hoặc nữ.' in said  # what was written, quoted
    assert "Trang Thành viên, dòng 13, cột Năm sinh: ô này đang trống; dòng này cần có nó." in said


def test_a_second_balance_row_is_refused():
    reading = read_workbook(filled(funds=[FUND_ROW, ["31/12/2025", "9tr", "1tr"]]), TODAY)
    assert [(p.code, p.where) for p in reading.problems] == [(wb.SECOND_BALANCE, Where(FUNDS_SHEET, 5))]


# --- what storage finds, said where it is -------------------------------------------------------------------------


def test_a_member_twice_and_a_borrower_not_on_the_list_are_named_where_they_are(db):
    club_id, _code, _chair = club_with_chair(db)
    stranger = ["Trịnh Văn Lạ", *LOAN[1:]]
    reading = read_workbook(filled([MEMBER, MEMBER], [FUND_ROW], [LOAN, stranger]), TODAY)
    assert reading.problems == []
    with db.transaction() as s:
        plan = history.plan(s, club_id, reading.moving_in, TODAY)
    said = texts.summary(reading, plan)
    assert "2 lỗi; phải sửa hết mới lưu được:" in said
    assert (
        "- Trang Thành viên, dòng 5: Nguyễn Thị Lan (1952) có tên hai lần trong danh sách: xem Trang Thành viên, "
        "dòng 4." in said
    )
    assert (
        "- Trang Khoản vay đang có, dòng 5: Trịnh Văn Lạ không có ở trang Thành viên, cũng chưa là thành viên" in said
    )
    assert "Lưu sẽ ghi" not in said


def test_every_problem_code_has_its_sentence_with_its_values():
    values = {
        "day": date(2025, 11, 15),
        "before": date(2025, 10, 31),
        "after": date(2025, 11, 30),
        "founded": date(2019, 4, 8),
        "records_start": date(2025, 11, 30),
        "first": date(2024, 1, 15),
        "joined": date(2020, 1, 1),
        "name": "Nguyễn Thị Lan",
        "birth_year": 1952,
        "amount": -500_000,
        "total": 1_000_000,
        "members": 2_000_000,
        "candidates": ["Nguyễn Thị Lan (1952)", "Nguyễn Thị Lan (1960)"],
        "owed": 2_000_000,
        "principal": 1_000_000,
        "last_due": date(2025, 6, 15),
        "months": 72,
        "most": 60,
        "rate_bp": 200,
        "sheet": MEMBERS_SHEET,
        "missing": [FUNDS_SHEET],
        "found": ["Sheet1"],
        "columns": ["Ngày"],
        "column": "Ngày",
        "cell": "B5",
        "range": "A5:B6",
        "text": "abc",
        "reason": "Hãy gõ lại.",
    }
    storage_codes = [v for k, v in vars(history).items() if k.isupper() and isinstance(v, str) and "_" in v]
    assert len(storage_codes) == 20 and history.LOAN_RATE_RANGE in storage_codes
    for code in [*storage_codes, *wb.READING_PROBLEMS]:
        given = {**values, "first": Where(MEMBERS_SHEET, 4)} if code == history.DUPLICATE_MEMBER else values
        sentence = texts.problem(Problem(code, Where(LOANS_SHEET, 5, "Còn nợ gốc"), given))
        assert sentence.startswith("Trang Khoản vay đang có, dòng 5, cột Còn nợ gốc: "), code
        assert f"({code})" not in sentence, f"no sentence for {code}"
        assert "{" not in sentence, code
    assert texts.problem(Problem(history.LOAN_RATE_RANGE, None, values)) == "2 % một tháng cao hơn mức tối đa, 0,6 %."
    assert texts.problem(Problem(history.JOINED_IN_FUTURE, Where(None, 3), values)) == (
        "Dòng 3: vào CLB ngày 15/11/2025, là ngày trong tương lai."
    )


def test_the_summary_lists_fifteen_problems_then_counts_the_rest():
    reading = read_workbook(filled([["Lan", 1952, "nữ"]] * 20), TODAY)
    said = texts.summary(reading)
    lines = said.splitlines()
    assert lines[:2] == ["Chưa đọc được tệp này. Chưa lưu gì cả.", "20 lỗi:"]
    assert len([line for line in lines if line.startswith("- Trang Thành viên, dòng ")]) == 15
    assert lines[-1] == "và 5 lỗi khác"
    assert len(texts.summary(reading, most=None).splitlines()) == 22


def test_nothing_is_read_into_the_books_when_one_cell_is_wrong():
    rows = [*MEMBER_ROWS[:5], ["Lê Thị Sai", 1950, "nữ", "", "", "", "", "2019", "-"]]
    reading = read_workbook(filled(rows, [FUND_ROW]), TODAY)
    assert reading.moving_in is None and codes(reading) == [wb.BAD_CELL]
    assert reading.members == 5


def test_a_file_saved_by_excel_with_relative_parts_is_read():
    relative = with_part(books(), "xl/_rels/workbook.xml.rels", lambda xml: xml.replace('Target="/xl/', 'Target="'))
    assert (
        'Target="worksheets/sheet1.xml"'
        in zipfile.ZipFile(io.BytesIO(relative)).read("xl/_rels/workbook.xml.rels").decode()
    )
    reading = read_workbook(relative, TODAY)
    assert reading.problems == [] and (reading.members, reading.loans) == (43, 6)


def test_more_formulas_than_can_be_told_are_named_up_to_a_hundred():
    def formulas(book):
        for row in range(4, 304):
            book[MEMBERS_SHEET].cell(row=row, column=9, value=f"=I{row - 1}+1")

    reading = read_workbook(filled([MEMBER] * 300, change=formulas), TODAY)
    assert codes(reading) == [wb.FORMULA_WITHOUT_VALUE] * 100
    assert reading.problems[0].values == {"cell": "I4"}


def test_books_typed_in_the_chat_are_summed_up_without_a_file(db):
    club_id, _code, _chair = club_with_chair(db)
    early = NewMember("Nguyễn Thị Lan", 1952, FEMALE, joined_on=date(2018, 1, 1))
    typed = MovingIn(START, members=(BroughtMember(early, where=Where(None, 2)),), income_cash=1_000_000)
    with db.transaction() as s:
        plan = history.plan(s, club_id, typed, TODAY)
    said = texts.summary(plan=plan)
    assert said.splitlines()[0].startswith("1 thành viên (1 mới, 0 đã có), 1 quỹ, 0 khoản vay")
    assert "- Dòng 2: vào CLB ngày 01/01/2018, trước ngày thành lập CLB (08/04/2019). Hãy xem lại ngày." in said
    assert "tệp" not in said and "Trang" not in said


def test_a_template_made_in_english_is_read_back_too():
    with language("en"):
        english = template()
        assert "Full name, family name first." in [
            c.value for c in load_workbook(io.BytesIO(english))[MEMBERS_SHEET][2]
        ]

    def fill(book):
        for column, value in enumerate(MEMBER, start=1):
            book[MEMBERS_SHEET].cell(row=4, column=column, value=value)

    book = load_workbook(io.BytesIO(english))
    fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    reading = read_workbook(buffer.getvalue(), TODAY)  # read in Vietnamese, the note row in English
    assert reading.problems == [] and reading.members == 1
