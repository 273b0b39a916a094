"""Reading a member list from an uploaded Excel sheet: each row becomes a member line."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

MAX_FILE_BYTES = 1_000_000
MAX_ROWS = 500


class NotASheet(ValueError):
    pass


def rows_as_lines(content: bytes) -> str:
    """The first sheet's rows as 'name, year, sex, ...' lines; a header row is dropped."""
    if len(content) > MAX_FILE_BYTES:
        raise NotASheet("too large")
    # Imported when a sheet arrives, not at start-up: openpyxl (and numpy, which it loads) cost every start
    # about a third of a second.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise NotASheet(str(error)) from None
    lines = []
    for row in workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 1):
        cells = [_cell_text(value) for value in row]
        cells = [c for c in cells if c]
        if cells:
            lines.append(", ".join(cells))
    workbook.close()
    if lines and not _has_year(lines[0]):
        lines = lines[1:]  # a header row, such as Họ tên, Năm sinh, Giới tính…
    return "\n".join(lines[:MAX_ROWS])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return str(value.year)  # a birth date typed into the year column
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(",", " ").strip()


def _has_year(line: str) -> bool:
    return any(part.strip().isdigit() and len(part.strip()) == 4 for part in line.split(","))
