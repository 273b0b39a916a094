"""Home-care volunteers and the groups (to) a club organises per activity area."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from storage.clubs import audit
from storage.models import AREAS, ClubGroup, GroupMember, Member, User, Volunteer

# --- volunteers -----------------------------------------------------------------------------------------


def volunteers(session: Session, club_id: int) -> list[Member]:
    """The members serving as home-care volunteers now, in name order."""
    return list(
        session.exec(
            select(Member)
            .join(Volunteer, Volunteer.member_id == Member.id)
            .where(Volunteer.club_id == club_id, Volunteer.ended_on.is_(None), Member.left_on.is_(None))
            .order_by(Member.name_key, Member.id)
        )
    )


def _serving(session: Session, member: Member) -> Volunteer | None:
    return session.exec(select(Volunteer).where(Volunteer.member_id == member.id, Volunteer.ended_on.is_(None))).first()


def is_volunteer(session: Session, member: Member) -> bool:
    return _serving(session, member) is not None


def add_volunteer(session: Session, member: Member, since: date, by: User) -> Volunteer:
    volunteer = Volunteer(club_id=member.club_id, member_id=member.id, since=since, created_by=by.id)
    session.add(volunteer)
    session.flush()
    audit(session, member.club_id, by.id, "create", "volunteer", volunteer.id, member=member.id)
    return volunteer


def stop_volunteer(session: Session, member: Member, on: date, by: User) -> bool:
    """End the member's service on `on`; False when they were not serving. The row stays as history."""
    volunteer = _serving(session, member)
    if volunteer is None:
        return False
    volunteer.ended_on = on
    session.add(volunteer)
    audit(session, member.club_id, by.id, "stop", "volunteer", volunteer.id, member=member.id, on=on.isoformat())
    return True


def volunteers_on(session: Session, club_id: int, day: date) -> int:
    """How many members were serving as home-care volunteers on `day`."""
    return session.exec(
        select(func.count(func.distinct(Volunteer.member_id))).where(
            Volunteer.club_id == club_id,
            Volunteer.since <= day,
            or_(Volunteer.ended_on.is_(None), Volunteer.ended_on > day),
        )
    ).one()


# --- groups ---------------------------------------------------------------------------------------------


def groups(session: Session, club_id: int) -> list[tuple[ClubGroup, int]]:
    """The club's groups with how many current members each has, in area order then by name."""
    counted = (
        select(ClubGroup, func.count(Member.id))
        .outerjoin(GroupMember, GroupMember.group_id == ClubGroup.id)
        .outerjoin(Member, (Member.id == GroupMember.member_id) & Member.left_on.is_(None))
        .where(ClubGroup.club_id == club_id)
        .group_by(ClubGroup.id)
    )
    rows = list(session.exec(counted))
    return sorted(rows, key=lambda row: (AREAS.index(row[0].area), row[0].name.lower(), row[0].id))


def group(session: Session, club_id: int, group_id: int) -> ClubGroup | None:
    """The group, only if it belongs to this club."""
    found = session.get(ClubGroup, group_id)
    return found if found is not None and found.club_id == club_id else None


def create_group(session: Session, club_id: int, area: str, name: str, by: User) -> ClubGroup:
    if area not in AREAS:
        raise ValueError(f"unknown activity area {area!r}")
    created = ClubGroup(club_id=club_id, area=area, name=name, created_by=by.id)
    session.add(created)
    session.flush()
    audit(session, club_id, by.id, "create", "group", created.id, area=area)
    return created


def group_members(session: Session, group_id: int) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .join(GroupMember, GroupMember.member_id == Member.id)
            .where(GroupMember.group_id == group_id, Member.left_on.is_(None))
            .order_by(Member.name_key, Member.id)
        )
    )


def in_group(session: Session, group_: ClubGroup, member: Member) -> bool:
    return session.get(GroupMember, (group_.id, member.id)) is not None


def add_to_group(session: Session, group_: ClubGroup, member: Member, by: User) -> None:
    if member.club_id != group_.club_id:
        raise ValueError("a group takes only members of its own club")
    session.add(GroupMember(group_id=group_.id, member_id=member.id))
    session.flush()
    audit(session, group_.club_id, by.id, "join", "group", group_.id, member=member.id)


def remove_from_group(session: Session, group_: ClubGroup, member: Member, by: User) -> None:
    # Membership of a group is a working arrangement, not a record the report keeps; the audit log keeps who was in.
    session.execute(delete(GroupMember).where(GroupMember.group_id == group_.id, GroupMember.member_id == member.id))
    audit(session, group_.club_id, by.id, "leave", "group", group_.id, member=member.id)
