"""The report as an .xlsx to print on A4 and hand to the Elderly Association: a title block, the tables, signatures.

Channel-agnostic: takes the typed report of storage.reports (storage.report_model) and returns bytes. Labels
go through gettext (the person's language, Vietnamese by default); amounts are integer dong shown the
Vietnamese way (1.500.000 and the dong sign), whatever the regional settings of the computer that opens the
file (the dots are literals in the format).

Printing: the club report is A4 portrait at 100 %, every row given an explicit height so that page breaks
can be placed between sections (a section never starts at the foot of a page); the district table is A4
landscape with its header row repeated on every page. Times New Roman, as in administrative documents.
"""

from __future__ import annotations

import io
import math
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from handlers.i18n import BLANK_TO_FILL, CROSS, DASH, TICK, _, day
from handlers.reports import texts
from handlers.reports.texts import COUNT, MONEY, PERCENT, YESNO
from storage.report_model import ClubReport, DistrictReport
from storage.xlsx_cells import put

# Literal dots, so the grouping does not follow the reader's regional settings (Excel allows two conditions).
DONG = get_currency_symbol("VND", locale="vi_VN")
MONEY_FORMAT = f'[>=1000000]#"."000"."000" {DONG}";[>=1000]#"."000" {DONG}";0" {DONG}"'
BIG_MONEY_FORMAT = f'[>=1000000000]#"."000"."000"."000" {DONG}";[>=1000000]#"."000"."000" {DONG}";#"."000" {DONG}"'
COUNT_FORMAT = '[>=1000]#"."000;0'
PERCENT_FORMAT = '[$-42A]0.0"%"'
DECIMAL_FORMAT = "[$-42A]0.0"
FONT = "Times New Roman"
SIZE = 12
BODY = Font(name=FONT, size=SIZE)
BOLD = Font(name=FONT, size=SIZE, bold=True)
ITALIC = Font(name=FONT, size=SIZE, italic=True)
NATION = Font(name=FONT, size=11, bold=True)
MOTTO = Font(name=FONT, size=11, bold=True, underline="single")
TITLE = Font(name=FONT, size=14, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE = 16.0  # points per line of 12 pt text
PAGE = 700.0  # usable height of an A4 portrait page at 100 %, in points (margins and footer taken off)
CLUB_WIDTHS = (46, 26, 16)


def _money_format(value: Any) -> str:
    return BIG_MONEY_FORMAT if isinstance(value, int) and value >= 1_000_000_000 else MONEY_FORMAT


def _page_setup(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = _("Page &P of &N")
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10
    ws.sheet_view.showGridLines = False


def _lines(text: Any, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide (12 pt Times, a little generous)."""
    if text is None:
        return 1
    per_line = max(1, int(width * 1.05))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _cell(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """A cell holding `value`; text from people (club names, purposes) is never read as a formula."""
    return put(ws.cell(row, col), value)


def _put(
    ws: Worksheet,
    row: int,
    first: int,
    last: int,
    value: Any,
    font: Font = BODY,
    horizontal: str = "left",
    wrap: bool = True,
) -> Any:
    """A cell spanning columns first..last (merged when more than one)."""
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = _cell(ws, row, first, value)
    cell.font = font
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
    return cell


def _width(ws: Worksheet, first: int, last: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(col)].width for col in range(first, last + 1))


def _height(ws: Worksheet, row: int, lines: int, font_size: float = SIZE) -> None:
    ws.row_dimensions[row].height = max(lines, 1) * LINE * font_size / SIZE


def _title_block(
    ws: Worksheet,
    title: str,
    organisation: list[str],
    lines: list[str],
    left: tuple[int, int],
    right: tuple[int, int],
    width: int,
) -> int:
    """Organisation top left, the national motto top right, then the centred title and the details."""
    _put(ws, 1, *left, organisation[0], BOLD, "center")
    _put(ws, 1, *right, _("SOCIALIST REPUBLIC OF VIETNAM"), NATION, "center")
    _put(ws, 2, *left, organisation[1] if len(organisation) > 1 else None, BOLD, "center")
    _put(ws, 2, *right, _("Independence – Freedom – Happiness"), MOTTO, "center")
    for row in (1, 2):
        span = max(
            _lines(ws.cell(row, left[0]).value, _width(ws, *left) * 0.65),
            _lines(ws.cell(row, right[0]).value, _width(ws, *right) * 0.65),
        )
        _height(ws, row, span)
    _height(ws, 3, 1)
    _put(ws, 4, 1, width, title, TITLE, "center")
    _height(ws, 4, _lines(title, _width(ws, 1, width) * 0.8), 14)
    row = 5
    for line in lines:
        _put(ws, row, 1, width, line, BODY, "center")
        _height(ws, row, _lines(line, _width(ws, 1, width)))
        row += 1
    _height(ws, row, 1)
    return row + 1


def _signatures(
    ws: Worksheet,
    row: int,
    prepared_by: str | None,
    today: date,
    left: tuple[int, int],
    right: tuple[int, int],
    signer: str,
) -> int:
    """Prepared by (left) and the chair (right), with room to sign; returns the last row used."""
    _put(ws, row, *right, _("Date: {day}").format(day=day(today)), ITALIC, "center")
    _put(ws, row + 1, *left, _("PREPARED BY"), BOLD, "center")
    _put(ws, row + 1, *right, signer, BOLD, "center")
    _put(ws, row + 2, *left, _("(signature, full name)"), ITALIC, "center")
    _put(ws, row + 2, *right, _("(signature, full name, stamp)"), ITALIC, "center")
    for offset in range(3):
        _height(
            ws,
            row + offset,
            max(
                _lines(ws.cell(row + offset, left[0]).value, _width(ws, *left)),
                _lines(ws.cell(row + offset, right[0]).value, _width(ws, *right)),
            ),
        )
    ws.row_dimensions[row + 3].height = 5 * LINE  # room for the signature and the stamp
    _put(ws, row + 4, *left, prepared_by or BLANK_TO_FILL, BOLD, "center")
    _put(ws, row + 4, *right, BLANK_TO_FILL, BOLD, "center")
    _height(ws, row + 4, 1)
    return row + 4


def _box(cell, fmt: str | None = None, bold: bool = False, horizontal: str | None = None):
    cell.border = BOX
    cell.font = BOLD if bold else BODY
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    if fmt:
        cell.number_format = fmt
    return cell


def _row_height(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or LINE


def _break_between_blocks(ws: Worksheet, blocks: list[tuple[int, int]], first_row: int = 1) -> None:
    """Page breaks so that no block (first row, last row) is split over two pages, if it fits on one."""
    used = sum(_row_height(ws, row) for row in range(first_row, blocks[0][0])) if blocks else 0
    for start, end in blocks:
        size = sum(_row_height(ws, row) for row in range(start, end + 1))
        if used + size > PAGE and used > 0 and size <= PAGE:
            ws.row_breaks.append(Break(id=start - 1))
            used = 0
        used += size
        # the blank row after a block
        used += _row_height(ws, end + 1)


def _figure_cell(ws: Worksheet, row: int, col: int, value: Any, kind: str, bold: bool = False):
    """A figure in its box, formatted by kind: money, per cent, a tick or a cross, a count."""
    if kind == MONEY:
        return _box(_cell(ws, row, col, value), _money_format(value), bold, "right")
    if kind == PERCENT:
        return _box(_cell(ws, row, col, value), PERCENT_FORMAT, bold, "right")
    if kind == YESNO and isinstance(value, bool):
        return _box(_cell(ws, row, col, TICK if value else CROSS), None, bold, "center")
    if isinstance(value, bool) or value is None:
        return _box(_cell(ws, row, col, value), None, bold, "center")
    if kind == COUNT and isinstance(value, int):
        return _box(_cell(ws, row, col, value), COUNT_FORMAT, bold, "right")
    if isinstance(value, float):
        return _box(_cell(ws, row, col, value), DECIMAL_FORMAT, bold, "right")
    return _box(_cell(ws, row, col, value), None, bold, "right")


def _spanned(ws: Worksheet, row: int, first: int, last: int) -> None:
    """Merge a boxed cell over first..last. openpyxl makes the other parts merged cells and gives them the first
    cell's border on the edges, so they need no box of their own."""
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _club_section(ws: Worksheet, row: int, section: texts.Section) -> int:
    """A section's title and table; returns the row after it. Only a table of shares of members has the
    "% of members" column: elsewhere the figure spans it, so that no column stands empty. A section without
    rows is a line of its own (why the money and loan sections are not there: texts.records_notice)."""
    _put(ws, row, 1, 3, section.title, BOLD if section.rows else ITALIC)
    _height(ws, row, _lines(section.title, sum(CLUB_WIDTHS)))
    row += 1
    if not section.rows:
        return row
    shares = any(item.share is not None for item in section.rows)
    headers = (_("Item"), _("Figure"), _("% of members")) if shares else (_("Item"), _("Figure"))
    for col, label in enumerate(headers, start=1):
        _box(_cell(ws, row, col, label), bold=True, horizontal="center").fill = HEAD_FILL
    if not shares:
        _spanned(ws, row, 2, 3)
    _height(ws, row, max(_lines(label, w) for label, w in zip(headers, CLUB_WIDTHS)))
    row += 1
    for item in section.rows:
        _box(_cell(ws, row, 1, item.label))
        _figure_cell(ws, row, 2, item.value, item.kind)
        if shares:
            _box(_cell(ws, row, 3, item.share), PERCENT_FORMAT if item.share is not None else None, horizontal="right")
            width = CLUB_WIDTHS[1]
        else:
            _spanned(ws, row, 2, 3)
            width = CLUB_WIDTHS[1] + CLUB_WIDTHS[2]
        _height(ws, row, max(_lines(item.label, CLUB_WIDTHS[0]), _lines(item.value, width)))
        row += 1
    return row


def club_xlsx(r: ClubReport, *, prepared_by: str | None, today: date, zone: ZoneInfo) -> bytes:
    """One club's report: columns Item | Figure | % of members, A4 portrait."""
    wb = Workbook()
    ws = wb.active
    ws.title = r.period.code
    _page_setup(ws)
    for letter, width in zip("ABC", CLUB_WIDTHS):
        ws.column_dimensions[letter].width = width
    c = r.club
    lines = [c.name, texts.capitalised(texts.place_line(c))]
    if c.founding_decision:
        lines.append(_("Founding decision: {decision}").format(decision=c.founding_decision))
    lines.append(texts.due_line(r.period))
    lines.append(texts.records_note(r) or "")
    organisation = [_("VIETNAM ASSOCIATION OF THE ELDERLY"), c.name.upper()]
    row = _title_block(
        ws, texts.report_title(r.period).upper(), organisation, [line for line in lines if line], (1, 1), (2, 3), 3
    )
    blocks = []
    for section in texts.sections(r):
        start = row
        row = _club_section(ws, row, section)
        blocks.append((start, row - 1))
        _height(ws, row, 1)
        row += 1
    submitted = _put(ws, row, 1, 3, texts.submitted_line(r, zone), ITALIC)
    _height(ws, row, _lines(submitted.value, sum(CLUB_WIDTHS)))
    _height(ws, row + 1, 1)
    end = _signatures(ws, row + 2, prepared_by, today, (1, 1), (2, 3), _("CHAIR OF THE CLUB"))
    blocks.append((row, end))
    _break_between_blocks(ws, blocks)
    ws.print_area = f"A1:C{end}"
    return _save(wb)


# The district sheet: every figure in columns of DISTRICT_WIDTH characters; money takes two of them.
DISTRICT_WIDTH = 7
DISTRICT_FIRST = 3  # columns 1 and 2 hold the number and the club's name
DISTRICT_COLUMNS = 17  # the widest table: members and eight groups, each with its share


def _spans(table: texts.Table) -> list[tuple[texts.Column, int, int]]:
    """Each column of a table with the first and last sheet column it takes; a share takes the one after."""
    placed, col = [], DISTRICT_FIRST
    for column in table.columns:
        size = 2 if column.kind == MONEY or column.share else 1
        placed.append((column, col, col + size - 1))
        col += size
    return placed


def _table_header(ws: Worksheet, row: int, table: texts.Table) -> None:
    """Two header rows: a figure's label over both, or over its count and its per cent."""
    for col, label in ((1, _("No.")), (2, _("Club"))):
        _box(_cell(ws, row, col, label), bold=True, horizontal="center").fill = HEAD_FILL
        _box(ws.cell(row + 1, col)).fill = HEAD_FILL
        ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
    for column, first, last in _spans(table):
        _box(_cell(ws, row, first, column.label), bold=True, horizontal="center").fill = HEAD_FILL
        for col in range(first, last + 1):
            for at in (row, row + 1):
                _box(ws.cell(at, col), bold=True, horizontal="center").fill = HEAD_FILL
        if column.share:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            _cell(ws, row + 1, first, _("Number"))
            _cell(ws, row + 1, last, "%")
        else:
            ws.merge_cells(start_row=row, start_column=first, end_row=row + 1, end_column=last)
    # A label over its count and per cent has the top row only; the others have both rows.
    top = max(
        _lines(column.label, DISTRICT_WIDTH * (last - first + 1)) - (0 if column.share else 1)
        for column, first, last in _spans(table)
    )
    _height(ws, row, max(1, top))
    _height(ws, row + 1, 1)


def _table_row(
    ws: Worksheet, row: int, table: texts.Table, figures: list[tuple[Any, float | None]], bold: bool = False
) -> None:
    """One row of a table: each column's figure, and its per cent beside it where it has one."""
    for (column, first, last), (value, share) in zip(_spans(table), figures):
        if column.share:
            _figure_cell(ws, row, first, value, COUNT, bold)
            _box(_cell(ws, row, last, share), PERCENT_FORMAT, bold, "right")
        else:
            _figure_cell(ws, row, first, value, column.kind, bold)
            if last > first:
                _spanned(ws, row, first, last)


def _club_figures(r: ClubReport, table: texts.Table) -> list[tuple[Any, float | None]]:
    return [(column.club(r), column.share(r) if column.share else None) for column in table.columns]


def _total_figures(d: DistrictReport, table: texts.Table) -> list[tuple[Any, float | None]]:
    return [(column.total(d), column.share(d.totals) if column.share else None) for column in table.columns]


def _district_table(ws: Worksheet, row: int, d: DistrictReport, table: texts.Table) -> int:
    """The table's title, header, a row per club and the totals; returns the last row used."""
    _put(ws, row, 1, DISTRICT_FIRST + DISTRICT_COLUMNS - 1, table.title, BOLD)
    _height(ws, row, 1)
    _table_header(ws, row + 1, table)
    row += 2
    for number, r in enumerate(d.clubs, start=1):
        row += 1
        _box(_cell(ws, row, 1, number), horizontal="center")
        name = f"{r.club.name} ({r.club.code})"
        _box(_cell(ws, row, 2, name))
        _table_row(ws, row, table, _club_figures(r, table))
        _height(ws, row, _lines(name, 26 * 0.8))
    row += 1
    _box(ws.cell(row, 1))
    _box(_cell(ws, row, 2, _("Total")), bold=True)
    _table_row(ws, row, table, _total_figures(d, table), bold=True)
    _height(ws, row, 1)
    return row


def district_xlsx(d: DistrictReport, *, prepared_by: str | None, today: date) -> bytes:
    """The combined report: four tables (members, money, loans, activities), each with a row per club and a
    totals row, then the targets and the clubs that have not submitted. A4 landscape."""
    width = DISTRICT_FIRST + DISTRICT_COLUMNS - 1
    wb = Workbook()
    ws = wb.active
    ws.title = d.period.code
    _page_setup(ws, landscape=True)
    for col, w in enumerate([5, 26] + [DISTRICT_WIDTH] * DISTRICT_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    left, right = (1, 4), (width - 9, width)
    row = _title_block(
        ws,
        texts.combined_title(d.period).upper(),
        [_("VIETNAM ASSOCIATION OF THE ELDERLY"), (d.title or "").upper()],
        [texts.due_line(d.period)],
        left,
        right,
        width,
    )
    for table in texts.district_tables(d.period):
        row = _district_table(ws, row, d, table) + 2
    notes = texts.records_notes(d)
    for note in notes:  # the clubs shown with a dash in the money and loan tables, and why
        _put(ws, row, 2, width, f"{DASH} {note}", ITALIC)
        _height(ws, row, _lines(note, _width(ws, 2, width)))
        row += 1
    row += 1 if notes else 0
    t = d.totals
    _put(ws, row, 2, 8, _("Clubs meeting each target"), BOLD)
    for name, n in t.clubs_meeting.items():
        row += 1
        _put(ws, row, 2, 8, texts.indicator_name(name))
        _put(ws, row, 9, 9, f"{n}/{t.clubs}", BODY, "right")
    row += 2
    _put(ws, row, 2, 8, _("Not submitted yet"), BOLD)
    for club in d.not_submitted:
        row += 1
        _put(ws, row, 2, 8, f"{club.name} ({club.code})")
    if not d.not_submitted:
        row += 1
        _put(ws, row, 2, 8, DASH)
    end = _signatures(ws, row + 2, prepared_by, today, left, right, _("CHAIR OF THE ELDERLY ASSOCIATION"))
    ws.print_area = f"A1:{get_column_letter(width)}{end}"
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
