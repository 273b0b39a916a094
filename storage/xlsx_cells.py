"""Writing a value into an .xlsx cell so that text never becomes a formula: every writer of the bot's spreadsheets
(the reports of bot.report_xlsx, the export of storage.export) puts its cells through `put`.

A club named =HYPERLINK("http://...","Click here") must print as that text, not as a link. openpyxl makes any text
starting with = a formula (<f> in the sheet XML), so such text is set back to a string: it is then written as an
inline string (<c t="inlineStr"><is><t>...</t></is></c>), which neither Excel nor LibreOffice ever evaluates, and
the text shows exactly as typed. The cell also gets the quotePrefix style, the file's form of the leading
apostrophe OWASP advises: Excel keeps the cell text when someone edits it and presses Enter. A literal apostrophe
is not added, since it would be printed in the report. (Saved by someone as CSV, the text is bare again; the bot
itself writes no CSV.)
"""

from __future__ import annotations

from typing import Any

from storage.names import without_controls

# What makes a spreadsheet read text as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put(cell: Any, value: Any) -> Any:
    """Set `cell` (an openpyxl cell) to `value`; text loses any control character kept from before they were
    cleaned on entry (openpyxl refuses them, and they break the file) and is never a formula. Returns the cell."""
    if isinstance(value, str):
        text = without_controls(value)
        cell.value = text
        if value.startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS):  # "\x07=..." is "=..." once cleaned
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell
