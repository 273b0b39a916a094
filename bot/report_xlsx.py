"""The report as an .xlsx to print on A4 and hand to the district: a title block, the tables, signatures.

Channel-agnostic: takes the dict of storage.reports and returns bytes. Labels go through gettext (the
person's language, Vietnamese by default); amounts are integer đồng with the format #,##0 ₫.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import _, day
from handlers.reports import texts
from handlers.reports.texts import COUNT, CROSS, MONEY, MONEY_PATHS, PERCENT, TICK, YESNO

MONEY_FORMAT = '#,##0 "₫"'
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = '0.0"%"'
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _page_setup(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def _title_block(ws: Worksheet, title: str, lines: list[str], width: int) -> int:
    ws.cell(1, 1, _("VIETNAM ASSOCIATION OF THE ELDERLY")).font = BOLD
    ws.cell(2, 1, _("SOCIALIST REPUBLIC OF VIETNAM — Independence, Freedom, Happiness")).font = BOLD
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=width)
    cell = ws.cell(4, 1, title)
    cell.font, cell.alignment = TITLE, Alignment(horizontal="center", wrap_text=True)
    row = 5
    for line in lines:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1, line).alignment = Alignment(horizontal="center", wrap_text=True)
        row += 1
    return row + 1


def _signatures(ws: Worksheet, row: int, prepared_by: str, today: date, width: int) -> None:
    row += 1
    ws.cell(row, width - 1, _("Date: {day}").format(day=day(today))).font = Font(italic=True)
    row += 1
    ws.cell(row, 1, _("PREPARED BY")).font = BOLD
    ws.cell(row, width - 1, _("CHAIR OF THE CLUB")).font = BOLD
    row += 1
    ws.cell(row, 1, _("(signature, full name)")).font = Font(italic=True)
    ws.cell(row, width - 1, _("(signature, full name, stamp)")).font = Font(italic=True)
    ws.cell(row + 4, 1, prepared_by)
    ws.cell(row + 4, width - 1, "…………………………")


def _box(cell, fmt: str | None = None, bold: bool = False):
    cell.border = BOX
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = BOLD
    return cell


def club_xlsx(r: dict[str, Any], *, prepared_by: str, today: date) -> bytes:
    """One club's report: columns Item | Figure | % of members."""
    wb = Workbook()
    ws = wb.active
    ws.title = r["period"]["code"]
    _page_setup(ws)
    c = r["club"]
    lines = [c["name"], _("Village {village}, commune {commune}, district {district}, province {province}").format(
        **{k: c[k] for k in ("village", "commune", "district", "province")}), texts.period_line(r["period"])]
    if c["founding_decision"]:
        lines.append(_("Founding decision: {decision}").format(decision=c["founding_decision"]))
    row = _title_block(ws, _("REPORT ON THE CLUB'S ACTIVITIES, PERIOD {code}").format(code=r["period"]["code"]),
                       lines, 3)
    for section in texts.sections(r):
        ws.cell(row, 1, section.title).font = BOLD
        row += 1
        for col, label in enumerate((_("Item"), _("Figure"), _("% of members")), start=1):
            _box(ws.cell(row, col, label), bold=True).fill = HEAD_FILL
        row += 1
        for item in section.rows:
            _box(ws.cell(row, 1, item.label)).alignment = Alignment(wrap_text=True)
            if item.kind == MONEY:
                _box(ws.cell(row, 2, item.value), MONEY_FORMAT)
            elif item.kind == PERCENT:
                _box(ws.cell(row, 2, item.value), PERCENT_FORMAT)
            elif item.kind == YESNO:
                _box(ws.cell(row, 2, TICK if item.value else CROSS)).alignment = Alignment(horizontal="center")
            elif item.kind == COUNT and isinstance(item.value, int):
                _box(ws.cell(row, 2, item.value), COUNT_FORMAT)
            else:
                _box(ws.cell(row, 2, item.value)).alignment = Alignment(horizontal="right")
            _box(ws.cell(row, 3, item.share), PERCENT_FORMAT if item.share is not None else None)
            row += 1
        row += 1
    ws.cell(row, 1, texts.submitted_line(r)).font = Font(italic=True)
    _signatures(ws, row + 1, prepared_by, today, 3)
    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 14
    return _save(wb)


def district_xlsx(d: dict[str, Any], *, prepared_by: str, today: date) -> bytes:
    """The combined report: one row per club, a totals row, then the clubs that have not submitted."""
    columns = texts.district_columns()
    width = 2 + len(columns)
    wb = Workbook()
    ws = wb.active
    ws.title = d["period"]["code"]
    _page_setup(ws, landscape=True)
    row = _title_block(ws, _("COMBINED REPORT OF THE CLUBS, PERIOD {code}").format(code=d["period"]["code"]),
                       [d["title"] or "", texts.period_line(d["period"])], width)
    headers = [_("No."), _("Club"), *(label for label, _path in columns)]
    for col, label in enumerate(headers, start=1):
        cell = _box(ws.cell(row, col, label), bold=True)
        cell.fill, cell.alignment = HEAD_FILL, Alignment(wrap_text=True, horizontal="center", vertical="center")
    for number, r in enumerate(d["clubs"], start=1):
        row += 1
        _box(ws.cell(row, 1, number))
        _box(ws.cell(row, 2, f"{r['club']['name']} ({r['club']['code']})"))
        for col, (_label, path) in enumerate(columns, start=3):
            value = texts.pick(r, path)
            if path == "submitted":
                value = TICK if value else CROSS
            elif path == "indicators":
                value = f"{value}/{len(r['indicators'])}"
            _box(ws.cell(row, col, value), MONEY_FORMAT if path in MONEY_PATHS else None)
    row += 1
    _box(ws.cell(row, 2, _("Total")), bold=True)
    t = d["totals"]
    totals = {"members.total": t["members"]["total"], "members.elderly": t["members"]["elderly"],
              "members.women": t["members"]["women"], "members.poor": t["members"]["poor"],
              "members.near_poor": t["members"]["near_poor"], "meetings.held": t["meetings"]["held"],
              "funds.income.closing": t["funds"]["income"]["closing"],
              "funds.activity.closing": t["funds"]["activity"]["closing"], "loans.borrowers": t["loans"]["borrowers"],
              "loans.outstanding": t["loans"]["outstanding"], "loans.overdue_amount": t["loans"]["overdue_amount"],
              "submitted": f"{t['clubs'] - len(d['not_submitted'])}/{t['clubs']}"}
    for col, (_label, path) in enumerate(columns, start=3):
        _box(ws.cell(row, col, totals.get(path)), MONEY_FORMAT if path in MONEY_PATHS else None, bold=True)
    row += 2
    ws.cell(row, 2, _("Clubs meeting each target")).font = BOLD
    for name, n in t["clubs_meeting"].items():
        row += 1
        ws.cell(row, 2, texts.indicator_name(name))
        ws.cell(row, 3, f"{n}/{t['clubs']}")
    row += 2
    ws.cell(row, 2, _("Not submitted yet")).font = BOLD
    for club in d["not_submitted"]:
        row += 1
        ws.cell(row, 2, f"{club['name']} ({club['code']})")
    _signatures(ws, row + 1, prepared_by, today, width)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 36
    for col in range(3, width + 1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = 14
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
