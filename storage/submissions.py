"""Which clubs have handed in which period's report."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.clubs import audit
from storage.models import ReportSubmission, User


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
