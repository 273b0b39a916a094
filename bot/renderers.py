"""The files a flow asks for (handlers/files.py), made by the runtime's renderers once the update has
committed: the club's and the district's .xlsx, the club's chart, and the template a club moving in fills."""

from __future__ import annotations

from handlers.core import Document
from handlers.files import CLUB_CHART, CLUB_XLSX, DISTRICT_XLSX, MOVING_IN_TEMPLATE, Render
from handlers.i18n import language
from storage.report_model import ClubReport, DistrictReport


def render(file: Render) -> Document:
    """The file, its labels in the language of the person who asked for it."""
    with language(file.language):
        return Document(file.filename, _content(file))


def _content(file: Render) -> bytes:
    # matplotlib and openpyxl are imported with the first report, not at start-up: together they weigh about
    # 45 MB and half a second, which a bot that is never asked for a report should not pay.
    from bot.report_chart import club_chart
    from bot.report_xlsx import club_xlsx, district_xlsx
    from handlers.history.workbook import template

    report = file.report
    if file.kind == MOVING_IN_TEMPLATE:
        return template()
    if file.kind == DISTRICT_XLSX and isinstance(report, DistrictReport):
        return district_xlsx(report, prepared_by=file.prepared_by, today=file.today)
    if file.kind == CLUB_XLSX and isinstance(report, ClubReport):
        return club_xlsx(report, prepared_by=file.prepared_by, today=file.today, zone=file.zone)
    if file.kind == CLUB_CHART and isinstance(report, ClubReport):
        return club_chart(report)
    raise ValueError(f"no renderer makes a {file.kind} of a {type(report).__name__}")
