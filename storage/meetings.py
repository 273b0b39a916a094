"""Club meetings: logging one, changing it later with every old value kept, and the meeting figures of a period."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from storage.clubs import audit
from storage.dates import check_entry_date
from storage.models import AREAS, Meeting, MeetingArea, MeetingAttendee, MeetingChange, Member, User
from storage.rounding import one_decimal


@dataclass(frozen=True)
class MeetingDraft:
    """What a person tells about a meeting; also the current values of a stored one, for editing."""

    held_on: date
    attendance: int
    attendees: tuple[int, ...] = ()  # member ids, when attendance was taken by name
    areas: tuple[str, ...] = ()
    health_checks: int = 0
    topic: str | None = None
    notes: str | None = None
    photo: str | None = None

    def normalized(self) -> MeetingDraft:
        """Areas in report order and attendees sorted, so two drafts compare equal whatever the ticking order."""
        unknown = set(self.areas) - set(AREAS)
        if unknown:
            raise ValueError(f"unknown activity areas: {sorted(unknown)}")
        return replace(
            self, areas=tuple(a for a in AREAS if a in self.areas), attendees=tuple(sorted(set(self.attendees)))
        )


# Fields stored on the Meeting row itself; areas and attendees live in tables of their own.
_ROW_FIELDS = ("held_on", "attendance", "health_checks", "topic", "notes", "photo")


def record(session: Session, club_id: int, draft: MeetingDraft, by: User) -> Meeting:
    draft = draft.normalized()
    check_entry_date(session, club_id, draft.held_on)
    _check_attendees(session, club_id, draft.attendees)
    meeting = Meeting(club_id=club_id, created_by=by.id, **{name: getattr(draft, name) for name in _ROW_FIELDS})
    session.add(meeting)
    session.flush()
    _store_areas(session, meeting.id, draft.areas)
    _store_attendees(session, meeting.id, draft.attendees)
    audit(session, club_id, by.id, "create", "meeting", meeting.id)
    return meeting


def update(session: Session, meeting: Meeting, new: MeetingDraft, by: User) -> list[str]:
    """Apply `new`, keeping one MeetingChange per changed field with its old value. Returns the changed fields."""
    new = new.normalized()
    if new.held_on != meeting.held_on:  # a meeting logged before these rules may keep its date
        check_entry_date(session, meeting.club_id, new.held_on)
    old = draft_of(session, meeting)
    changed = [f.name for f in fields(MeetingDraft) if getattr(old, f.name) != getattr(new, f.name)]
    for name in changed:
        session.add(
            MeetingChange(
                meeting_id=meeting.id,
                field=name,
                old=_jsonable(getattr(old, name)),
                new=_jsonable(getattr(new, name)),
                changed_by=by.id,
            )
        )
    if "attendees" in changed:
        _check_attendees(session, meeting.club_id, new.attendees)
        session.execute(delete(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id))
        _store_attendees(session, meeting.id, new.attendees)
    if "areas" in changed:
        session.execute(delete(MeetingArea).where(MeetingArea.meeting_id == meeting.id))
        _store_areas(session, meeting.id, new.areas)
    for name in _ROW_FIELDS:
        setattr(meeting, name, getattr(new, name))
    session.add(meeting)
    if changed:
        audit(session, meeting.club_id, by.id, "update", "meeting", meeting.id, fields=changed)
    session.flush()
    return changed


def _store_areas(session: Session, meeting_id: int, areas: tuple[str, ...]) -> None:
    session.add_all(MeetingArea(meeting_id=meeting_id, area=area) for area in areas)


def _store_attendees(session: Session, meeting_id: int, member_ids: tuple[int, ...]) -> None:
    session.add_all(MeetingAttendee(meeting_id=meeting_id, member_id=member_id) for member_id in member_ids)


def _check_attendees(session: Session, club_id: int, member_ids: tuple[int, ...]) -> None:
    if not are_members_of(session, club_id, member_ids):
        raise ValueError("attendees include people who are not members of this club")


def are_members_of(session: Session, club_id: int, member_ids) -> bool:
    """True when every id is a member of this club: ids reach storage from buttons, which can be forged."""
    wanted = set(member_ids)
    if not wanted:
        return True
    found = session.exec(
        select(func.count()).select_from(Member).where(Member.club_id == club_id, Member.id.in_(wanted))
    ).one()
    return found == len(wanted)


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def get(session: Session, club_id: int, meeting_id: int) -> Meeting | None:
    """The meeting, only if it belongs to this club (ids may come from a forged button)."""
    meeting = session.get(Meeting, meeting_id)
    return meeting if meeting is not None and meeting.club_id == club_id else None


def draft_of(session: Session, meeting: Meeting) -> MeetingDraft:
    areas = session.exec(select(MeetingArea.area).where(MeetingArea.meeting_id == meeting.id)).all()
    attendees = session.exec(select(MeetingAttendee.member_id).where(MeetingAttendee.meeting_id == meeting.id)).all()
    return MeetingDraft(
        areas=tuple(areas), attendees=tuple(attendees), **{name: getattr(meeting, name) for name in _ROW_FIELDS}
    ).normalized()


def on_date(session: Session, club_id: int, day: date, *, other_than: int | None = None) -> list[Meeting]:
    """Meetings already logged for `day`, so a second one is only added when the person says so."""
    query = select(Meeting).where(Meeting.club_id == club_id, Meeting.held_on == day)
    if other_than is not None:
        query = query.where(Meeting.id != other_than)
    return list(session.exec(query.order_by(Meeting.id)))


def since(session: Session, club_id: int, first_day: date, limit: int) -> list[Meeting]:
    """Meetings from `first_day` on, newest first."""
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.club_id == club_id, Meeting.held_on >= first_day)
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )


def areas_of(session: Session, meeting_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The areas each meeting covered, in report order, for many meetings in one query."""
    found: dict[int, set[str]] = {meeting_id: set() for meeting_id in meeting_ids}
    for meeting_id, area in session.exec(
        select(MeetingArea.meeting_id, MeetingArea.area).where(MeetingArea.meeting_id.in_(meeting_ids))
    ):
        found[meeting_id].add(area)
    return {meeting_id: tuple(a for a in AREAS if a in areas) for meeting_id, areas in found.items()}


def changes(session: Session, meeting_id: int) -> list[tuple[MeetingChange, str]]:
    """Every edit of the meeting, oldest first, with the name of who made it."""
    return list(
        session.exec(
            select(MeetingChange, User.display_name)
            .join(User, User.id == MeetingChange.changed_by)
            .where(MeetingChange.meeting_id == meeting_id)
            .order_by(MeetingChange.changed_at, MeetingChange.id)
        )
    )


def members_on_list(session: Session, club_id: int, day: date) -> int:
    """Members who could have been at a meeting on `day`: everyone on the list who had not left before it.

    The join date is not used: boards often type in their member list after the meetings began.
    """
    return session.exec(
        select(func.count())
        .select_from(Member)
        .where(Member.club_id == club_id, or_(Member.left_on.is_(None), Member.left_on >= day))
    ).one()


def current_member_ids(session: Session, club_id: int) -> list[int]:
    """Everyone on the list now, for ticking all present at once."""
    return list(session.exec(select(Member.id).where(Member.club_id == club_id, Member.left_on.is_(None))))


@dataclass(frozen=True)
class MeetingFigures:
    held: int
    total_attendance: int
    average_attendance: float  # one decimal; 0.0 when no meeting was held
    health_checks: int


def figures(session: Session, club_id: int, start: date, end: date) -> MeetingFigures:
    """Meetings held from `start` to `end` (both included), their attendance and the health checks done."""
    held, total, checks = session.exec(
        select(
            func.count(Meeting.id),
            func.coalesce(func.sum(Meeting.attendance), 0),
            func.coalesce(func.sum(Meeting.health_checks), 0),
        ).where(Meeting.club_id == club_id, Meeting.held_on >= start, Meeting.held_on <= end)
    ).one()
    return MeetingFigures(
        held=held,
        total_attendance=int(total),
        average_attendance=one_decimal(int(total), held),
        health_checks=int(checks),
    )
