"""Files a flow asks for without making them: the report's .xlsx and its chart, the moving-in template.

Making an .xlsx or drawing a chart takes a good part of a second, and the update's transaction holds the
database's write lock until it commits (SQLite has one for the whole file). So a step only says which file,
from which report, in a `Render` on its `Reply`; the dispatcher has the file made after the commit, by the
renderer the runtime gives it (bot/renderers.py), and the channel sends it as if the step had made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from storage.report_model import ClubReport, DistrictReport

CLUB_XLSX, CLUB_CHART, DISTRICT_XLSX = "club_xlsx", "club_chart", "district_xlsx"
MOVING_IN_TEMPLATE = "moving_in_template"  # the .xlsx a club fills with its books (handlers/history)


@dataclass(frozen=True)
class Render:
    """A file to make (from a report, with what its pages print besides the figures)."""

    kind: str  # CLUB_XLSX, CLUB_CHART, DISTRICT_XLSX or MOVING_IN_TEMPLATE
    report: ClubReport | DistrictReport | None
    filename: str
    language: str  # of the person who asked: the file's labels are made after their update is over
    today: date  # the date beside the signatures
    zone: ZoneInfo  # the day a submission was marked is read in it
    prepared_by: str | None = None  # the full name that signs the report, or a blank to write it by hand

    @property
    def inline(self) -> bool:
        """A chart is shown as a picture in the chat; the others are files to download and print."""
        return self.kind == CLUB_CHART
