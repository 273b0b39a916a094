"""Reading a member list from an uploaded Excel sheet: each row becomes a member line.

An .xlsx is a zip of XML parts, and anyone can send one, so the file is measured before it is read: its size,
what it unpacks to (a 129 KB file can hold 50 MB of text), then the rows and filled cells of its first sheet,
counted by a streaming pass over that sheet's XML. Only then does openpyxl read the rows. The dispatcher runs
this in a worker thread (the channels call it through asyncio.to_thread), so the event loop goes on serving
everyone else meanwhile.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import ParseError, iterparse

from handlers.core import MAX_FILE_BYTES
from storage.names import fold, without_controls

MAX_UNPACKED_BYTES = 3_000_000  # every part of the file once unzipped; a 500-row sheet unpacks to well under 1 MB
MAX_ROWS = 500  # members, besides a header row
MAX_CELLS = 10_000  # filled cells of the first sheet
MAX_COLUMNS = 20  # cells further right are not read: a member line has fewer fields
MAX_NOTED = 100  # formulas without a value, and merged ranges, noted by `measure_sheet`: enough to name them

# Headers of the column holding the day each member joined, "Ngay vao CLB" and its shorter forms, compared folded
# (storage.names.fold: without diacritics, in lower case).
JOINED_HEADERS = ("ngay vao clb", "ngay vao", "nam vao clb", "nam vao")

# Why a file is refused; handlers.members.texts has the sentence for each.
BROKEN, TOO_LARGE, TOO_MANY_ROWS, NO_SHEET = "broken", "too_large", "too_many_rows", "no_sheet"


class NotASheet(Exception):
    """The file cannot be read as a member sheet; `reason` is one of BROKEN, TOO_LARGE, TOO_MANY_ROWS, NO_SHEET."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# What openpyxl or the XML parser raise on a damaged or hand-made file: not a zip, a part that is not XML or is
# missing (the styles), an element or value it does not expect.
DAMAGED = (
    zipfile.BadZipFile,
    ParseError,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
)


def rows_as_lines(content: bytes) -> str:
    """The first sheet's rows as 'name, year, sex, ...' lines; a header row is dropped."""
    # An empty file is one the channel did not download, being too large (Telegram sends no empty files).
    if not content or len(content) > MAX_FILE_BYTES:
        raise NotASheet(TOO_LARGE)
    # Imported when a sheet arrives, not at start-up: openpyxl (and numpy, which it loads) cost every start
    # about a third of a second.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_unpacked_size(archive)
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    raise NotASheet(NO_SHEET)
                sheet = workbook.worksheets[0]
                # The part openpyxl will read the rows from (read-only sheets keep its name, not its content).
                last_row = count_filled_rows(archive, sheet._worksheet_path)  # noqa: SLF001
                rows = sheet.iter_rows(values_only=True, max_row=last_row, max_col=MAX_COLUMNS) if last_row else ()
                lines = _lines(rows)
            finally:
                workbook.close()
    except DAMAGED:
        raise NotASheet(BROKEN) from None
    if len(lines) > MAX_ROWS:
        raise NotASheet(TOO_MANY_ROWS)
    return "\n".join(lines)


def check_unpacked_size(archive: zipfile.ZipFile) -> None:
    """Refuse a file that unpacks to more than MAX_UNPACKED_BYTES. The sizes are those the zip declares: reading
    a part never gives more than its declared size (zipfile stops there, and a wrong CRC is an error)."""
    if sum(part.file_size for part in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise NotASheet(TOO_LARGE)


def count_filled_rows(archive: zipfile.ZipFile, path: str) -> int:
    """Count the rows and cells holding a value, streaming the sheet's XML and stopping at the first past the
    limits; returns the number of the last row with a value (0 for an empty sheet)."""
    return measure_sheet(archive, path).last_row


@dataclass
class Measure:
    """What a streaming pass over a sheet's XML saw, besides its size."""

    last_row: int = 0  # the number of the last row with a value (0 for an empty sheet)
    formulas: list[str] = field(default_factory=list)  # cells ("B5") holding a formula and no value computed
    merged: list[str] = field(default_factory=list)  # merged ranges ("A5:C5")


def measure_sheet(archive: zipfile.ZipFile, path: str, max_rows: int = MAX_ROWS, max_cells: int = MAX_CELLS) -> Measure:
    """Count the rows and cells holding a value, streaming the sheet's XML and stopping (NotASheet(TOO_MANY_ROWS))
    at the first past the limits: a header row and `max_rows` more, `max_cells` filled cells. On the way, note
    the formulas that have no value kept with them and the merged ranges, which openpyxl's read-only mode hides."""
    measure = Measure()
    rows = cells = 0
    with archive.open(path.lstrip("/")) as part:
        for _event, element in iterparse(part):
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                if _has_value(element):
                    cells += 1
                if _formula_without_value(element) and len(measure.formulas) < MAX_NOTED:
                    measure.formulas.append(element.get("r", "?"))
            elif tag == "row":
                if any(_has_value(cell) for cell in element):
                    rows += 1
                    measure.last_row = int(element.get("r", measure.last_row + 1))
                element.clear()  # keeps the memory used to one row
            elif tag == "mergeCell" and len(measure.merged) < MAX_NOTED:
                measure.merged.append(element.get("ref", "?"))
            if rows > max_rows + 1 or cells > max_cells:
                raise NotASheet(TOO_MANY_ROWS)
    return measure


def _has_value(cell) -> bool:
    return any(child.tag.rpartition("}")[2] in ("v", "is") for child in cell)


def _formula_without_value(cell) -> bool:
    """A formula whose result the file does not keep (written by a program that does not compute, like openpyxl)."""
    tags = {child.tag.rpartition("}")[2]: child for child in cell}
    return "f" in tags and not ("is" in tags or ("v" in tags and tags["v"].text))


def _lines(rows) -> list[str]:
    """The filled rows as lines. A first row without a year is a header (Ho ten, Nam sinh, Gioi tinh...): not a
    member, but it says which column, if any, holds the day each member joined."""
    filled = [row for row in rows if any(map(_cell_text, row))]
    joined_column = None
    if filled and not _has_year(filled[0]):
        joined_column = _joined_column(filled.pop(0))
    return [_line(row, joined_column) for row in filled]


def _joined_column(header) -> int | None:
    names = [fold(_cell_text(value)).rstrip(" :") for value in header]
    return next((column for column, name in enumerate(names) if name in JOINED_HEADERS), None)


def _line(row, joined_column: int | None) -> str:
    """The row's cells in their order, the joining day put last as 'vao ...', where a member line has it."""
    cells = [_cell_text(value) for column, value in enumerate(row) if column != joined_column]
    if joined_column is not None and joined_column < len(row):
        cells.append(_joined_text(row[joined_column]))
    return ", ".join(cell for cell in cells if cell)


def _joined_text(value) -> str:
    """A date cell as its day, a year typed as a number as that year, text as typed ('03/2019', 'vao 2019')."""
    text = value.strftime("%d/%m/%Y") if isinstance(value, date) else _cell_text(value)
    if not text or fold(text).startswith("vao "):
        return text
    return f"vao {text}"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return str(value.year)  # a birth date typed into the year column
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Text from a person, as from a chat (see handlers.core.Incoming): no control character or NUL goes further.
    return without_controls(str(value)).replace(",", " ").strip()


def _has_year(row) -> bool:
    return any(text.isdigit() and len(text) == 4 for text in map(_cell_text, row))
