"""An existing club's books in one Excel file: the template a treasurer fills in, and reading it back.

The template (`template()`) has three sheets, Thanh vien (members), So du quy (the funds' cash on the records'
start) and Khoan vay dang co (running loans), each with a header row, a note row saying how to fill each column,
and an example row (the member Nguyen Thi Mau). The sheet and column names are an outside contract (README,
"Command line"): they are what the reader looks for, whatever the language of the person, so they are the
constants below, not texts for gettext; the notes are prose, translated as any text.

Reading (`read_workbook`) is measured first, as a member sheet is (handlers.members.xlsx): the file's size, what
it unpacks to, then each of the three sheets' rows and filled cells, counted by streaming its XML, which also
notes the formulas that have no value kept and the merged ranges. The sheets are found from the workbook's own
XML, so openpyxl opens nothing until every sheet has been measured. Then each cell is read:

- names, year of birth, sex, household situation, phone: as in the chat's member line (handlers.parsing);
- DTTS and Khuyet tat: yes is co, x, a tick, 1 (or the word itself), no is khong, 0 or an empty cell;
- dates: a date cell, or text as people write them: 30/11/2025, 30-11-2025, 30.11.2025, 2025-11-30,
  "ngay 30 thang 11 nam 2025"; the join date also a year (2019) or a month (03/2019), as parse_join_date;
- amounts: a number cell in dong, or text read by parse_amount ("1.500.000d", "1,5tr", "500k"); 0 is allowed
  (a fund with no cash, a member with no capital); an empty cell is "not given";
- the rate is percent a month: 1, "1%", "0,8", "0,8%/thang" give 100, 100, 80, 80 hundredths of a percent. A
  number cell formatted as a percentage is read as Excel shows it (0.008 shown as 0,8% is 0,8 % a month).
  Empty: the club's rate;
- a formula: the value the file keeps with it (Excel and LibreOffice keep one); a formula without one is a
  problem naming the cell, as is a merged range below the header.

A row equal to the template's example, and the note row, are skipped. A file with any problem gives no
MovingIn at all (`Reading.moving_in` None): the board fixes the file and sends it again, and nothing half-read
goes further. What needs the database (duplicates, borrowers, dates against the club's) is storage.history's.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import iterparse

from handlers.core import MAX_FILE_BYTES
from handlers.i18n import LOCALES_DIR, _, language
from handlers.members.xlsx import (
    DAMAGED,
    TOO_MANY_ROWS,
    Measure,
    NotASheet,
    check_unpacked_size,
    measure_sheet,
)
from handlers.parsing import (
    InputError,
    parse_amount,
    parse_birth_year,
    parse_join_date,
    parse_months,
    parse_name,
    parse_phone,
    parse_poverty,
    parse_rate,
    parse_sex,
)
from storage.history import BroughtMember, MovingIn, Problem, RunningLoan, Where, month_end_before
from storage.members import NewMember
from storage.names import clean, fold, without_controls

# --- the contract: sheet and column names, and the example row ----------------------------------------------------
# Vietnamese whatever the reader's language, as README's "Command line" documents them: kept with the other
# words people read, in locales/moving_in_template.json.

_CONTRACT = json.loads((LOCALES_DIR / "moving_in_template.json").read_text(encoding="utf-8"))
_SHEETS, _COLUMNS, _EXAMPLE = _CONTRACT["sheets"], _CONTRACT["columns"], _CONTRACT["example"]
MEMBERS_SHEET, FUNDS_SHEET, LOANS_SHEET = _SHEETS["MEMBERS_SHEET"], _SHEETS["FUNDS_SHEET"], _SHEETS["LOANS_SHEET"]
NAME, BIRTH_YEAR, SEX, POVERTY = _COLUMNS["NAME"], _COLUMNS["BIRTH_YEAR"], _COLUMNS["SEX"], _COLUMNS["POVERTY"]
MINORITY, DISABLED, PHONE, JOINED = _COLUMNS["MINORITY"], _COLUMNS["DISABLED"], _COLUMNS["PHONE"], _COLUMNS["JOINED"]
CAPITAL, DAY, INCOME_CASH = _COLUMNS["CAPITAL"], _COLUMNS["DAY"], _COLUMNS["INCOME_CASH"]
ACTIVITY_CASH, PRINCIPAL, DISBURSED = _COLUMNS["ACTIVITY_CASH"], _COLUMNS["PRINCIPAL"], _COLUMNS["DISBURSED"]
MONTHS, RATE, OWED = _COLUMNS["MONTHS"], _COLUMNS["RATE"], _COLUMNS["OWED"]
# The example row: a made-up member, written in the words the reader takes (so it also shows them).
EXAMPLE_NAME, EXAMPLE_SEX, EXAMPLE_POVERTY = (
    _EXAMPLE["EXAMPLE_NAME"],
    _EXAMPLE["EXAMPLE_SEX"],
    _EXAMPLE["EXAMPLE_POVERTY"],
)
EXAMPLE_YES, EXAMPLE_NO = _EXAMPLE["EXAMPLE_YES"], _EXAMPLE["EXAMPLE_NO"]

# --- limits and problems ----------------------------------------------------------------------------------------

MAX_DATA_ROWS = 1_000  # rows of data in one sheet, besides the header, note and example rows
MAX_SHEET_CELLS = 15_000  # filled cells of one sheet
MAX_COLUMNS = 20  # cells further right are not read
MAX_HEADER_ROW = 5  # the header row is looked for among the first rows
MAX_TEXT = 40  # of a cell's text quoted back

# Why a file, or a cell of it, cannot be read; handlers.history.texts has the sentence for each.
NOT_XLSX = "not_xlsx"  # not an .xlsx (a photo, a .csv renamed) or a damaged one
OLD_XLS = "old_xls"  # an Excel 97-2003 .xls, renamed or not
FILE_TOO_LARGE = "file_too_large"  # values: most (bytes); or what it unpacks to is too much
SHEET_TOO_LONG = "sheet_too_long"  # values: sheet, most (data rows)
MISSING_SHEETS = "missing_sheets"  # values: missing (names), found (the file's sheets)
NO_HEADER = "no_header"  # values: sheet, columns (names)
MISSING_COLUMN = "missing_column"  # where: the header row; values: column
FORMULA_WITHOUT_VALUE = "formula_without_value"  # values: cell
MERGED_CELLS = "merged_cells"  # values: range
EMPTY_CELL = "empty_cell"  # a cell the row needs
BAD_CELL = "bad_cell"  # values: text (as written), reason (the parser's sentence, in the reader's language)
SECOND_BALANCE = "second_balance"  # the fund sheet holds one row; where: the second
NOTHING_IN_FILE = "nothing_in_file"  # no member, no balance, no loan
READING_PROBLEMS = (
    NOT_XLSX,
    OLD_XLS,
    FILE_TOO_LARGE,
    SHEET_TOO_LONG,
    MISSING_SHEETS,
    NO_HEADER,
    MISSING_COLUMN,
    FORMULA_WITHOUT_VALUE,
    MERGED_CELLS,
    EMPTY_CELL,
    BAD_CELL,
    SECOND_BALANCE,
    NOTHING_IN_FILE,
)


@dataclass
class Reading:
    """What was read from a file: a MovingIn when nothing was wrong, else the problems, each with where."""

    moving_in: MovingIn | None
    problems: list[Problem] = field(default_factory=list)
    start_given: bool = True  # False: the fund sheet gave no date; moving_in.records_start is last month's end
    members: int = 0  # member rows read
    loans: int = 0  # loan rows read

    @property
    def clean(self) -> bool:
        return self.moving_in is not None and not self.problems


# --- the sheets -------------------------------------------------------------------------------------------------

DATE_FORMAT, AMOUNT_FORMAT, TEXT_FORMAT = "dd/mm/yyyy", "#,##0", "@"


@dataclass(frozen=True)
class Column:
    name: str
    width: int
    note: Callable[[], str]
    example: Any
    required: bool = False
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    extra: tuple[Column, ...] = ()  # read when the file has them, not in the template


def _capital_hint() -> str:
    return _("Capital paid in up to the balances' day, in đồng (1500000) or like 1,5tr; empty: not given.")


def _members_sheet() -> Sheet:
    return Sheet(
        MEMBERS_SHEET,
        (
            Column(NAME, 24, lambda: _("Full name, family name first."), EXAMPLE_NAME, required=True),
            Column(BIRTH_YEAR, 10, lambda: _("Year of birth, four digits (1958)."), 1958, required=True),
            Column(SEX, 10, lambda: _("nam or nữ."), EXAMPLE_SEX, required=True),
            Column(POVERTY, 14, lambda: _("nghèo, cận nghèo, khá giả, or empty (average)."), EXAMPLE_POVERTY),
            Column(MINORITY, 9, lambda: _("Ethnic minority: có or x; empty or không if not."), EXAMPLE_NO),
            Column(DISABLED, 11, lambda: _("Disability: có or x; empty or không if not."), EXAMPLE_NO),
            Column(
                PHONE,
                14,
                lambda: _("10 digits starting with 0; may be empty."),
                "0912345678",
                number_format=TEXT_FORMAT,
            ),
            Column(
                JOINED,
                16,
                lambda: _("A year (2019), a month (03/2019) or a day (15/03/2019); empty: today."),
                "03/2019",
                number_format=TEXT_FORMAT,
            ),
            Column(
                CAPITAL,
                14,
                _capital_hint,
                1_500_000,
                number_format=AMOUNT_FORMAT,
            ),
        ),
    )


def _funds_sheet() -> Sheet:
    return Sheet(
        FUNDS_SHEET,
        (
            Column(
                DAY,
                14,
                lambda: _("The last day of the month the balances are for, e.g. 30/11/2025. One row only."),
                date(2025, 11, 30),
                number_format=DATE_FORMAT,
            ),
            Column(
                INCOME_CASH,
                20,
                lambda: _("Cash of the income fund on that day (money lent out not counted), in đồng or like 25tr."),
                25_000_000,
                number_format=AMOUNT_FORMAT,
            ),
            Column(
                ACTIVITY_CASH,
                18,
                lambda: _("Cash of the activity fund on that day, in đồng or like 3tr."),
                3_000_000,
                number_format=AMOUNT_FORMAT,
            ),
        ),
    )


def _loans_sheet() -> Sheet:
    return Sheet(
        LOANS_SHEET,
        (
            Column(
                NAME,
                24,
                lambda: _("The borrower, named as on the sheet Thành viên or as already on the bot."),
                EXAMPLE_NAME,
                required=True,
            ),
            Column(
                PRINCIPAL,
                14,
                lambda: _("The amount lent at first, in đồng or like 6tr."),
                6_000_000,
                required=True,
                number_format=AMOUNT_FORMAT,
            ),
            Column(
                DISBURSED,
                13,
                lambda: _("The day the money was paid out (15/06/2025)."),
                date(2025, 6, 15),
                required=True,
                number_format=DATE_FORMAT,
            ),
            Column(MONTHS, 10, lambda: _("The term in months (12)."), 12, required=True),
            Column(
                RATE,
                16,
                lambda: _("Fee per month in percent: 1 or 1% is 1 % a month, 0,8 is 0,8 %; empty: the club's rate."),
                1,
            ),
            Column(
                OWED,
                14,
                lambda: _("Principal still owed on the balances' day, in đồng or like 3,5tr."),
                3_500_000,
                required=True,
                number_format=AMOUNT_FORMAT,
            ),
        ),
        extra=(Column(BIRTH_YEAR, 10, lambda: "", None),),  # tells apart two members of the same name
    )


def sheets() -> tuple[Sheet, Sheet, Sheet]:
    return _members_sheet(), _funds_sheet(), _loans_sheet()


# --- the template -----------------------------------------------------------------------------------------------


def template() -> bytes:
    """The .xlsx a club fills in: the three sheets, each with its header, note and example rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    note_font, example_font = Font(italic=True, size=9, color="555555"), Font(italic=True, color="808080")
    for sheet in sheets():
        page = book.create_sheet(sheet.name)
        page.append([column.name for column in sheet.columns])
        page.append([column.note() for column in sheet.columns])
        page.append([column.example for column in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            letter = column_letter(index)
            page.column_dimensions[letter].width = max(column.width, len(column.name) + 2)
            head, note, example = page[f"{letter}1"], page[f"{letter}2"], page[f"{letter}3"]
            head.font, head.fill = header_font, header_fill
            head.alignment = Alignment(vertical="center", wrap_text=True)
            note.font, note.alignment = note_font, Alignment(vertical="top", wrap_text=True)
            example.font = example_font
            if column.number_format:
                example.number_format = column.number_format
                # The column's own format, which Excel gives the cells typed into it (a phone keeps its leading 0).
                page.column_dimensions[letter].number_format = column.number_format
        page.row_dimensions[2].height = 75
        page.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- reading ----------------------------------------------------------------------------------------------------

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (and of .doc)
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class _Refused(Exception):
    """The whole file is refused, with one problem."""

    def __init__(self, code: str, **values: Any):
        super().__init__(code)
        self.problem = Problem(code, None, values)


@dataclass
class _Cell:
    value: Any
    number_format: str | None
    coordinate: str


@dataclass
class _Table:
    """One sheet of the file, as read: its rows (numbered as Excel shows them) of cells by column name."""

    sheet: Sheet
    title: str  # as the file names it
    header_row: int = 0
    rows: list[tuple[int, dict[str, _Cell]]] = field(default_factory=list)

    def where(self, row: int, column: str | None = None) -> Where:
        return Where(self.title, row, column)


def read_workbook(content: bytes, today: date) -> Reading:
    """The MovingIn a filled template holds, or every problem found in it (see the module's docstring)."""
    try:
        return _read(content, today)
    except _Refused as refused:
        return Reading(None, [refused.problem])


def _read(content: bytes, today: date) -> Reading:
    # An empty file is one the channel did not download, being too large (Telegram sends no empty files).
    if not content or len(content) > MAX_FILE_BYTES:
        raise _Refused(FILE_TOO_LARGE, most=MAX_FILE_BYTES)
    if content.startswith(_OLE_SIGNATURE):
        raise _Refused(OLD_XLS)
    problems: list[Problem] = []
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            try:
                check_unpacked_size(archive)
            except NotASheet:
                raise _Refused(FILE_TOO_LARGE, most=MAX_FILE_BYTES) from None
            parts = _sheet_parts(archive)
            titles = _match_sheets(list(parts))
            measures: dict[str, Measure] = {}
            for sheet in sheets():
                try:
                    measures[sheet.name] = measure_sheet(
                        archive, parts[titles[sheet.name]], max_rows=MAX_DATA_ROWS + 2, max_cells=MAX_SHEET_CELLS
                    )
                except NotASheet as refused:
                    if refused.reason != TOO_MANY_ROWS:
                        raise
                    raise _Refused(SHEET_TOO_LONG, sheet=titles[sheet.name], most=MAX_DATA_ROWS) from None
            # Imported once every sheet is measured, not at start-up (see handlers.members.xlsx).
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                tables = [
                    _table(book[titles[sheet.name]], sheet, titles[sheet.name], measures[sheet.name], problems)
                    for sheet in sheets()
                ]
            finally:
                book.close()
    except (*DAMAGED, NotASheet):
        raise _Refused(NOT_XLSX) from None
    return _read_tables(tables, problems, today)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's sheets, by their names, with the part holding each: read from the package's relationships
    and the workbook's XML (both bounded by the unpacked size), without openpyxl."""
    workbook = "xl/workbook.xml"
    for relation in _elements(archive, "_rels/.rels", "Relationship"):
        if relation.get("Type", "").endswith("/officeDocument"):
            workbook = relation.get("Target", workbook).lstrip("/")
    folder = posixpath.dirname(workbook)
    relations = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets = {r.get("Id"): r.get("Target", "") for r in _elements(archive, relations, "Relationship")}
    parts = {}
    for sheet in _elements(archive, workbook, "sheet"):
        target = targets.get(sheet.get(f"{{{_RELATIONSHIPS}}}id"))
        if sheet.get("name") and target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            parts[sheet.get("name", "")] = path
    return parts


def _elements(archive: zipfile.ZipFile, path: str, tag: str) -> list:
    with archive.open(path) as part:
        return [element for _event, element in iterparse(part) if element.tag.rpartition("}")[2] == tag]


def _match_sheets(found: list[str]) -> dict[str, str]:
    """The file's name of each of the three sheets, matched without diacritics, case or spaces."""
    by_key = {_key(title): title for title in reversed(found)}
    titles = {sheet.name: by_key.get(_key(sheet.name)) for sheet in sheets()}
    missing = [name for name, title in titles.items() if title is None]
    if missing:
        raise _Refused(MISSING_SHEETS, missing=missing, found=found)
    return {name: title for name, title in titles.items() if title is not None}


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z%]", "", fold(text))


# Other ways a header may be written, by the column's key.
_ALIASES = {
    "hovaten": NAME,
    "ten": NAME,
    "namsinh": BIRTH_YEAR,
    "gioi": SEX,
    "dantocthieuso": MINORITY,
    "dienthoai": PHONE,
    "sdt": PHONE,
    "ngayvao": JOINED,
    "ngayvaoclb": JOINED,
    "ngaychot": DAY,
    "ngaychotsodu": DAY,
    "vongop": CAPITAL,
    "laisuat": RATE,
    "laisuat%": RATE,
    "laisuatthang": RATE,
    "conno": OWED,
    "sotien": PRINCIPAL,
}


def _table(page, sheet: Sheet, title: str, measure: Measure, problems: list[Problem]) -> _Table:
    """The sheet's rows under its header, with the problems of the sheet's shape (header, formulas, merges)."""
    table = _Table(sheet, title)
    raw = []
    if measure.last_row:
        for cells in page.iter_rows(max_row=measure.last_row, max_col=MAX_COLUMNS):
            raw.append([(cell.value, getattr(cell, "number_format", None)) for cell in cells])
    wanted = {_key(column.name): column.name for column in (*sheet.columns, *sheet.extra)}
    names: dict[int, str] = {}
    first_column = _key(sheet.columns[0].name)
    for number, cells in enumerate(raw[:MAX_HEADER_ROW], start=1):
        keys = [_key(_text(value)) for value, _format in cells]
        if first_column in keys or any(_ALIASES.get(k) == sheet.columns[0].name for k in keys):
            table.header_row = number
            for index, key in enumerate(keys):
                name = wanted.get(key) or _ALIASES.get(key)
                if name is not None and name in wanted.values() and name not in names.values():
                    names[index] = name
            break
    if not table.header_row:
        if not raw:
            return table  # an empty sheet: nothing of that kind to bring in
        problems.append(Problem(NO_HEADER, None, {"sheet": title, "columns": [c.name for c in sheet.columns]}))
        return table
    for column in sheet.columns:
        if column.required and column.name not in names.values():
            problems.append(Problem(MISSING_COLUMN, table.where(table.header_row), {"column": column.name}))
    letters = {column_letter(index + 1): name for index, name in names.items()}
    for ref in measure.formulas:
        letter, number = _split_ref(ref)
        if number > table.header_row:
            where = table.where(number, letters.get(letter, letter))
            problems.append(Problem(FORMULA_WITHOUT_VALUE, where, {"cell": ref}))
    for ref in measure.merged:
        first, _colon, last = ref.partition(":")
        (letter, top), (_last_letter, bottom) = _split_ref(first), _split_ref(last or first)
        if bottom > table.header_row:
            where = table.where(max(top, table.header_row + 1), letters.get(letter, letter))
            problems.append(Problem(MERGED_CELLS, where, {"range": ref}))
    for number, cells in enumerate(raw, start=1):
        if number <= table.header_row:
            continue
        row = {
            name: _Cell(cells[index][0], cells[index][1], f"{column_letter(index + 1)}{number}")
            for index, name in names.items()
            if index < len(cells)
        }
        if any(_text(cell.value) for cell in row.values()):
            table.rows.append((number, row))
    return table


def _split_ref(ref: str) -> tuple[str, int]:
    """'B12' -> ('B', 12)."""
    match = re.match(r"^\$?([A-Za-z]+)\$?(\d+)$", ref.strip())
    return (match[1].upper(), int(match[2])) if match else (ref, 0)


def _read_tables(tables: list[_Table], problems: list[Problem], today: date) -> Reading:
    members_table, funds_table, loans_table = tables
    for table in tables:
        _skip_template_rows(table)
    members = [m for m in (_member(row, members_table, problems, today) for row in members_table.rows) if m]
    start, income, activity = _balances(funds_table, problems)
    loans = [loan for loan in (_loan(row, loans_table, problems, today) for row in loans_table.rows) if loan]
    if not (members_table.rows or funds_table.rows or loans_table.rows) and not problems:
        problems.append(Problem(NOTHING_IN_FILE, None))
    reading = Reading(None, problems, start_given=start is not None, members=len(members), loans=len(loans))
    if not problems:
        reading.moving_in = MovingIn(
            records_start=start or month_end_before(today),
            members=tuple(members),
            income_cash=income,
            activity_cash=activity,
            loans=tuple(loans),
        )
    return reading


def _skip_template_rows(table: _Table) -> None:
    """Drop the note row (in any language the template was made in) and a row equal to the template's example."""
    notes: dict[str, set[str]] = {}
    for code in ("vi", "en"):
        with language(code):
            for column in table.sheet.columns:
                notes.setdefault(column.name, set()).add(_canonical(column.note()))
    examples = {column.name: _canonical(column.example) for column in table.sheet.columns}
    kept = []
    for number, row in table.rows:
        is_note = any(_canonical(cell.value) in notes.get(name, ()) for name, cell in row.items())
        template_row = [name for name in row if name in examples]
        is_example = bool(template_row) and all(_canonical(row[name].value) == examples[name] for name in template_row)
        if not (is_note or is_example):
            kept.append((number, row))
    table.rows = kept


def _canonical(value: Any) -> str:
    """A cell's value as compared with the template's: dates as dd/mm/yyyy, whole numbers without '.0'."""
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return fold(_text(value))


# --- the rows ---------------------------------------------------------------------------------------------------


class _Row:
    """One row's cells read by column, each problem noted with where it is."""

    def __init__(self, table: _Table, number: int, cells: dict[str, _Cell], problems: list[Problem]):
        self.table, self.number, self.cells, self.problems = table, number, cells, problems
        self.wrong = False

    def read(self, column: str, reader: Callable[[_Cell], Any], required: bool = False) -> Any:
        cell = self.cells.get(column)
        if cell is None or not _text(cell.value):
            if required and cell is not None and not self._formula(cell):
                self._problem(Problem(EMPTY_CELL, self.table.where(self.number, column)))
            return None
        try:
            return reader(cell)
        except InputError as error:
            text = _text(cell.value)[:MAX_TEXT]
            where = self.table.where(self.number, column)
            self._problem(Problem(BAD_CELL, where, {"text": text, "reason": str(error)}))
            return None

    def _formula(self, cell: _Cell) -> bool:
        """The cell holds a formula without a value, already a problem of its own."""
        return any(p.code == FORMULA_WITHOUT_VALUE and p.values.get("cell") == cell.coordinate for p in self.problems)

    def _problem(self, problem: Problem) -> None:
        self.wrong = True
        self.problems.append(problem)


def _member(table_row, table: _Table, problems: list[Problem], today: date) -> BroughtMember | None:
    number, cells = table_row
    row = _Row(table, number, cells, problems)
    name = row.read(NAME, lambda c: parse_name(_text(c.value)), required=True)
    year = row.read(BIRTH_YEAR, lambda c: _birth_year(c.value, today), required=True)
    sex = row.read(SEX, lambda c: parse_sex(_text(c.value)), required=True)
    poverty = row.read(POVERTY, lambda c: parse_poverty(_text(c.value)))
    minority = row.read(MINORITY, lambda c: _yes_no(c.value))
    disabled = row.read(DISABLED, lambda c: _yes_no(c.value))
    phone = row.read(PHONE, lambda c: _phone(c.value))
    joined = row.read(JOINED, lambda c: _join_date(c.value, today))
    capital = row.read(CAPITAL, lambda c: _amount(c.value))
    if row.wrong or name is None or year is None or sex is None:
        return None
    member = NewMember(
        full_name=name,
        birth_year=year,
        sex=sex,
        poverty=poverty,
        ethnic_minority=bool(minority),
        disabled=bool(disabled),
        phone=phone,
        joined_on=joined,
    )
    return BroughtMember(member, capital=capital, where=table.where(number))


def _loan(table_row, table: _Table, problems: list[Problem], today: date) -> RunningLoan | None:
    number, cells = table_row
    row = _Row(table, number, cells, problems)
    name = row.read(NAME, lambda c: parse_name(_text(c.value)), required=True)
    year = row.read(BIRTH_YEAR, lambda c: _birth_year(c.value, today))
    principal = row.read(PRINCIPAL, lambda c: _amount(c.value), required=True)
    disbursed = row.read(DISBURSED, lambda c: _day(c.value), required=True)
    months = row.read(MONTHS, lambda c: parse_months(_text(c.value)), required=True)
    rate = row.read(RATE, _rate)
    owed = row.read(OWED, lambda c: _amount(c.value), required=True)
    if row.wrong or None in (name, principal, disbursed, months, owed):
        return None
    return RunningLoan(
        borrower=name,
        principal=principal,
        disbursed_on=disbursed,
        term_months=months,
        rate_bp=rate,
        owed=owed,
        birth_year=year,
        where=table.where(number),
    )


def _balances(table: _Table, problems: list[Problem]) -> tuple[date | None, int | None, int | None]:
    """The records' start and the two funds' cash, from the fund sheet's one row."""
    if not table.rows:
        return None, None, None
    for number, _cells in table.rows[1:2]:
        problems.append(Problem(SECOND_BALANCE, table.where(number)))
    number, cells = table.rows[0]
    row = _Row(table, number, cells, problems)
    start = row.read(DAY, lambda c: _day(c.value))
    income = row.read(INCOME_CASH, lambda c: _amount(c.value))
    activity = row.read(ACTIVITY_CASH, lambda c: _amount(c.value))
    return start, income, activity


# --- cells ------------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text, cleaned as text from a person is (no control character goes further)."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(without_controls(str(value)))


def _whole(value: Any) -> int | None:
    """A number cell holding a whole number, as an int; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else None


def _birth_year(value: Any, today: date) -> int:
    if isinstance(value, (datetime, date)):
        value = value.year  # a birth date typed into the year column
    return parse_birth_year(_text(value), today)


_YES = {"co", "x", "v", "y", "yes", "1", "true", "dtts", "dan toc thieu so", "dan toc", "khuyet tat", "tan tat"}
_TICK = re.compile(r"[\u2713\u2714\u2611]")  # a cell ticked: check mark, heavy check mark, ballot box with check
_NO = {"khong", "k", "ko", "no", "n", "0", "false", "-"}


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(_text(value))
    if key in _YES or _TICK.fullmatch(key):
        return True
    if key in _NO:
        return False
    raise InputError(_("Write có (or x) for yes, không (or leave it empty) for no."))


def _phone(value: Any) -> str:
    number = _whole(value)
    if number is not None and len(str(number)) == 9:
        return parse_phone(f"0{number}")  # a phone typed as a number loses its leading 0
    return parse_phone(_text(value))


def _amount(value: Any) -> int:
    """Whole dong: a number cell, or text as parse_amount reads it; 0 and (for storage to refuse) a negative
    number are kept as they are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _whole(value)
        if number is None:
            raise InputError(_("An amount must be whole đồng. Type it like 1tr5 or 1.500.000."))
        return number if number <= 0 else parse_amount(str(number))
    text = _text(value)
    if re.fullmatch(r"0+(vnd|dong|d)?", fold(text).replace(" ", "")):
        return 0  # parse_amount refuses 0, which here is a figure: a fund with no cash
    return parse_amount(text)


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    number = _whole(value)
    if number is not None and 20_000 < number < 80_000:
        return date(1899, 12, 30) + timedelta(days=number)  # an Excel day number not formatted as a date
    return read_date(_text(value))


def _join_date(value: Any, today: date) -> date:
    if isinstance(value, (datetime, date)) or (_whole(value) or 0) > 9999:
        return parse_join_date(_day(value).strftime("%d/%m/%Y"), today)
    text = _text(value)
    try:
        return parse_join_date(text, today)
    except InputError:
        try:
            written = read_date(text)
        except InputError:
            pass
        else:
            return parse_join_date(written.strftime("%d/%m/%Y"), today)
        raise


_WORDY_DATE = re.compile(r"^(?:ngay )?(\d{1,2}) thang (\d{1,2}),? nam (\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")


def read_date(text: str) -> date:
    """A whole date as people write it in Vietnam, day first: 30/11/2025, 30-11-2025, 30.11.2025, 30/11/25,
    'ngay 30 thang 11 nam 2025'; or 2025-11-30."""
    key = re.sub(r"\s*([/.\-])\s*", r"\1", re.sub(r"\s+", " ", fold(text))).strip()
    if match := _WORDY_DATE.match(key) or _DAY_FIRST.match(key):
        day_, month, year = int(match[1]), int(match[2]), match[3]
        year_number = int(year) + (2000 if len(year) == 2 else 0)
    elif match := _ISO_DATE.match(key):
        year_number, month, day_ = int(match[1]), int(match[2]), int(match[3])
    else:
        raise InputError(
            _('I could not read "{text}" as a date. Type day/month/year, like 05/06/2025.').format(
                text=clean(text)[:MAX_TEXT]
            )
        )
    try:
        return date(year_number, month, day_)
    except ValueError:
        raise InputError(
            _("{text} is not a date in the calendar. Type day/month/year, like 05/06/2025.").format(
                text=clean(text)[:MAX_TEXT]
            )
        ) from None


def _rate(cell: _Cell) -> int:
    """Hundredths of a percent a month (see the module's docstring)."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            percent = Decimal(str(value))
        except InvalidOperation:
            percent = Decimal(-1)
        if "%" in (cell.number_format or ""):
            percent *= 100  # 0.008 shown as 0,8%
        percent = percent.normalize()
        return parse_rate(format(percent, "f") if percent >= 0 else str(value))
    return parse_rate(_text(value))
