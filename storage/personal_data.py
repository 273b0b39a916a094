"""A member's personal data under Decree 13/2023/ND-CP: everything kept about them, and anonymising them.

Anonymising keeps the member's row and every ledger entry, loan, attendance and activity that points at it,
so fund balances, loans and report figures stay as they were; what could tell who the person was goes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, select

from storage import conversations, loans
from storage.clubs import audit
from storage.export import row_values
from storage.models import (
    CONTRIBUTION_KINDS,
    Activity,
    AuditEvent,
    Club,
    ClubGroup,
    GroupMember,
    LedgerEntry,
    Loan,
    LoanInstalment,
    Meeting,
    MeetingAttendee,
    Member,
    User,
    Volunteer,
    utcnow,
)
from storage.names import fold

# Kept: ids, the club, the dates of joining and leaving (they make the member counts of past reports),
# and who typed the record in. The rest is about the person and is emptied.
EMPTIED = {"birth_year": None, "sex": None, "poverty": None, "ethnic_minority": False, "disabled": False, "phone": None}


class StillOwes(Exception):
    """The member has a loan not yet repaid: the board must know who owes the fund."""

    def __init__(self, principal_left: int):
        super().__init__(principal_left)
        self.principal_left = principal_left


class AlreadyAnonymised(Exception):
    pass


def _rows(session: Session, statement) -> list[dict[str, Any]]:
    return [row_values(row) for row in session.exec(statement)]


def member_record(session: Session, club: Club, member: Member) -> dict[str, Any]:
    """Everything stored about one member: details, money, loans with schedules and payments, meetings,
    activities, volunteering, groups and the history of changes to their record."""
    own_loans = list(
        session.exec(
            select(Loan)
            .where(Loan.club_id == club.id, Loan.member_id == member.id)
            .order_by(Loan.disbursed_on, Loan.id)
        )
    )
    details = row_values(member)
    details.pop("name_key")  # a search key derived from the name, nothing of its own
    return {
        "club": {"code": club.code, "name": club.name},
        "member": details,
        "contributions": _rows(
            session,
            select(LedgerEntry)
            .where(
                LedgerEntry.club_id == club.id,
                LedgerEntry.member_id == member.id,
                LedgerEntry.kind.in_(CONTRIBUTION_KINDS),
            )
            .order_by(LedgerEntry.entry_date, LedgerEntry.id),
        ),
        "loans": [_loan(session, loan) for loan in own_loans],
        "meetings_attended": [
            held_on
            for held_on in session.exec(
                select(Meeting.held_on)
                .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
                .where(Meeting.club_id == club.id, MeetingAttendee.member_id == member.id)
                .order_by(Meeting.held_on)
            )
        ],
        "activities": _rows(
            session,
            select(Activity)
            .where(
                Activity.club_id == club.id, or_(Activity.member_id == member.id, Activity.volunteer_id == member.id)
            )
            .order_by(Activity.held_on, Activity.id),
        ),
        "volunteering": _rows(
            session, select(Volunteer).where(Volunteer.member_id == member.id).order_by(Volunteer.since)
        ),
        "groups": [
            name
            for name in session.exec(
                select(ClubGroup.name)
                .join(GroupMember, GroupMember.group_id == ClubGroup.id)
                .where(GroupMember.member_id == member.id)
                .order_by(ClubGroup.name)
            )
        ],
        "history": _rows(session, _member_events(member).order_by(AuditEvent.at, AuditEvent.id)),
    }


def _loan(session: Session, loan: Loan) -> dict[str, Any]:
    return {
        **row_values(loan),
        "schedule": _rows(
            session, select(LoanInstalment).where(LoanInstalment.loan_id == loan.id).order_by(LoanInstalment.number)
        ),
        # The payout, the repayments and any reversal of them.
        "entries": _rows(
            session,
            select(LedgerEntry).where(LedgerEntry.loan_id == loan.id).order_by(LedgerEntry.entry_date, LedgerEntry.id),
        ),
    }


def _member_events(member: Member):
    return select(AuditEvent).where(
        AuditEvent.club_id == member.club_id, AuditEvent.entity == "member", AuditEvent.entity_id == member.id
    )


def record_export(session: Session, member: Member, by: User) -> None:
    """Note in the audit trail that someone took a copy of the member's data."""
    audit(session, member.club_id, by.id, "export", "member", member.id)


def principal_owed(session: Session, member: Member, today: date) -> int:
    return sum(
        position.principal_left for _loan, position in loans.open_loans(session, member.club_id, member.id, today)
    )


def anonymise(session: Session, member: Member, placeholder: str, by: User, today: date) -> None:
    """Replace the member's name by `placeholder` and empty their personal details; mark them as left.

    The ledger, loans, attendance and activities keep pointing at the row, so every sum stays. The values
    earlier edits recorded in the audit trail and the notes of activities about them are removed too.
    """
    if member.anonymised_at is not None:
        raise AlreadyAnonymised()
    if (owed := principal_owed(session, member, today)) > 0:
        raise StillOwes(owed)
    for event in session.exec(_member_events(member).where(AuditEvent.action == "update")):
        event.detail = {"field": event.detail.get("field"), "removed": True}
        session.add(event)
    for activity in session.exec(
        select(Activity).where(Activity.member_id == member.id, Activity.description.is_not(None))
    ):
        activity.description = None
        session.add(activity)
    for field, value in EMPTIED.items():
        setattr(member, field, value)
    member.full_name, member.name_key = placeholder, fold(placeholder)
    member.left_on = member.left_on or today
    member.anonymised_at = utcnow()
    session.add(member)
    conversations.forget_unsent(session)  # replies kept for redeliveries may name them; they are not needed
    audit(session, member.club_id, by.id, "anonymise", "member", member.id)
