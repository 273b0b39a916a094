"""Which clubs have handed in which period's report."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from storage.clubs import audit
from storage.models import ReportSubmission, User
from storage.periods import half_year_of


def submission(session: Session, club_id: int, period: str) -> ReportSubmission | None:
    return session.exec(
        select(ReportSubmission).where(ReportSubmission.club_id == club_id, ReportSubmission.period == period)
    ).first()


def mark_submitted(session: Session, club_id: int, period: str, by: User) -> ReportSubmission:
    """Record that the report for `period` was submitted; marking it again keeps the first record."""
    existing = submission(session, club_id, period)
    if existing is not None:
        return existing
    record = ReportSubmission(club_id=club_id, period=period, submitted_by=by.id)
    session.add(record)
    session.flush()
    audit(session, club_id, by.id, "submit", "report", record.id, period=period)
    return record


def submitted_club_ids(session: Session, period: str) -> set[int]:
    return set(session.exec(select(ReportSubmission.club_id).where(ReportSubmission.period == period)))


def submitted_period_of(session: Session, club_id: int, day: date) -> str | None:
    """The code of the submitted report whose period holds `day`: its half-year's, else its reporting year's
    ('2026-H2', '2026'); None while neither was submitted."""
    half = half_year_of(day)
    year = half.code.split("-")[0]  # a half-year belongs to the reporting year of its code: 2027-H1 to 2027
    for code in (half.code, year):
        if submission(session, club_id, code) is not None:
            return code
    return None


def correction_day(session: Session, club_id: int, day: date, today: date) -> date:
    """When a correction of something dated `day` takes effect: that day, so that its period's report reads as
    if the mistake was never made; today when that report was already handed in, so that it stays as submitted."""
    return today if submitted_period_of(session, club_id, day) else day
