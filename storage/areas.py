"""What a club did in a period, area by area: the figures the half-year report and the /hop overview read.

Everything is counted in SQL: one query per set of figures, whatever the number of members or meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, literal, union_all
from sqlmodel import Session, select

from storage import activities, meetings, volunteers
from storage.activities import KindFigures
from storage.meetings import MeetingFigures
from storage.models import AREAS, HEALTH_DAY, HOME_VISIT, Activity, Meeting, MeetingArea


@dataclass(frozen=True)
class AreaCount:
    meetings: int  # meetings that covered the area
    activities: int  # activities outside meetings counted for it

    @property
    def done(self) -> bool:
        return self.meetings + self.activities > 0


def area_counts(session: Session, club_id: int, start: date, end: date) -> dict[str, AreaCount]:
    """For each of the eight areas, in report order: meetings and activities from `start` to `end`."""
    in_meetings = (
        select(MeetingArea.area.label("area"), literal(1).label("meetings"), literal(0).label("others"))
        .join(Meeting, Meeting.id == MeetingArea.meeting_id)
        .where(Meeting.club_id == club_id, Meeting.held_on >= start, Meeting.held_on <= end)
    )
    outside = select(Activity.area.label("area"), literal(0).label("meetings"), literal(1).label("others")).where(
        Activity.club_id == club_id, Activity.held_on >= start, Activity.held_on <= end
    )
    both = union_all(in_meetings, outside).subquery()
    rows = session.execute(
        select(both.c.area, func.sum(both.c.meetings), func.sum(both.c.others)).group_by(both.c.area)
    )
    found = {area: AreaCount(int(held), int(others)) for area, held, others in rows}
    return {area: found.get(area, AreaCount(0, 0)) for area in AREAS}


def areas_done(counts: dict[str, AreaCount]) -> list[str]:
    """The codes of the areas carried out, in report order (the report's `activities.areas_done`)."""
    return [area for area in AREAS if counts[area].done]


@dataclass(frozen=True)
class PeriodFigures:
    meetings: MeetingFigures
    areas: dict[str, AreaCount]
    activities: dict[str, KindFigures]
    volunteers: int  # home-care volunteers serving on the last day

    @property
    def areas_done(self) -> list[str]:
        return areas_done(self.areas)

    @property
    def health_checks(self) -> int:
        """Checks done at meetings and on health check days."""
        return self.meetings.health_checks + self.activities[HEALTH_DAY].people

    @property
    def home_visits(self) -> int:
        return self.activities[HOME_VISIT].count


def period_figures(session: Session, club_id: int, start: date, end: date) -> PeriodFigures:
    return PeriodFigures(
        meetings=meetings.figures(session, club_id, start, end),
        areas=area_counts(session, club_id, start, end),
        activities=activities.figures(session, club_id, start, end),
        volunteers=volunteers.volunteers_on(session, club_id, end),
    )
