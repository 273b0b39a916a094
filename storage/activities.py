"""Activities outside meetings (home-care visits, health check days, events, rights cases, resources),
each counted for one of the eight activity areas."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from storage.clubs import audit
from storage.dates import check_entry_date
from storage.meetings import are_members_of
from storage.models import AREAS, KIND_AREAS, Activity, User


@dataclass(frozen=True)
class NewActivity:
    kind: str
    area: str
    held_on: date
    volunteer_id: int | None = None
    member_id: int | None = None
    people: int | None = None
    amount: int | None = None
    description: str | None = None


def record(session: Session, club_id: int, new: NewActivity, by: User) -> Activity:
    if new.kind not in KIND_AREAS or new.area not in AREAS or KIND_AREAS[new.kind] not in (None, new.area):
        raise ValueError(f"activity kind {new.kind!r} cannot count for area {new.area!r}")
    if not are_members_of(session, club_id, [i for i in (new.volunteer_id, new.member_id) if i is not None]):
        raise ValueError("an activity names people who are not members of this club")
    check_entry_date(session, club_id, new.held_on)
    activity = Activity(club_id=club_id, created_by=by.id, **asdict(new))
    session.add(activity)
    session.flush()
    audit(session, club_id, by.id, "create", "activity", activity.id, kind=new.kind, area=new.area)
    return activity


@dataclass(frozen=True)
class KindFigures:
    count: int
    people: int  # people checked, taking part or helped, where that was recorded
    amount: int  # đồng mobilised
    members: int  # different members visited or helped


def figures(session: Session, club_id: int, start: date, end: date) -> dict[str, KindFigures]:
    """Activities from `start` to `end` (both included), per kind; every kind is present, with zeros if none."""
    rows = session.exec(
        select(
            Activity.kind,
            func.count(Activity.id),
            func.coalesce(func.sum(Activity.people), 0),
            func.coalesce(func.sum(Activity.amount), 0),
            func.count(func.distinct(Activity.member_id)),
        )
        .where(Activity.club_id == club_id, Activity.held_on >= start, Activity.held_on <= end)
        .group_by(Activity.kind)
    )
    found = {
        kind: KindFigures(count, int(people), int(amount), members) for kind, count, people, amount, members in rows
    }
    return {kind: found.get(kind, KindFigures(0, 0, 0, 0)) for kind in KIND_AREAS}
