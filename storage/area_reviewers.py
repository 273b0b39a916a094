"""Reviewers of a commune or a province of the 2025 map (issue 17): the operator's invite codes for them, and the
clubs each one may read, which are every club whose codes (Club.province_code, Club.commune_code) fall in their
area, present and future.

A club's own reviewer, invited by its chair with /moi, is a board seat (storage.clubs); an area reviewer sits on
no board. Both read and never write. Scope is decided here, by the codes, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select

from storage import places
from storage.clubs import INVITE_CODE_LENGTH, InviteStatus, _random_code, normalize_code
from storage.models import AreaInvite, AreaReviewer, Club, User, utcnow


@dataclass(frozen=True)
class Area:
    """A province, or one commune of it, by their storage.places codes."""

    province_code: str
    commune_code: str | None = None

    @property
    def key(self) -> str:
        """'51' or '51/21040': how a choice names it."""
        return self.province_code + (f"/{self.commune_code}" if self.commune_code else "")

    @staticmethod
    def of_key(key: str) -> Area:
        province_code, _, commune_code = key.partition("/")
        return Area(province_code, commune_code or None)

    def name(self) -> str:
        """'Xa Binh Son, Quang Ngai' or 'Quang Ngai', as the official list writes them."""
        province = places.province(self.province_code)
        commune = places.commune(self.commune_code) if self.commune_code else None
        province_name = province.name if province else self.province_code
        return f"{commune.name}, {province_name}" if commune else province_name

    def covers(self, other: Area) -> bool:
        """`other` lies in this area: the same area, or a commune of this province."""
        return self.province_code == other.province_code and self.commune_code in (None, other.commune_code)

    def clubs(self):
        """The condition on Club: its codes in this area (indexed columns)."""
        if self.commune_code is None:
            return Club.province_code == self.province_code
        return and_(Club.province_code == self.province_code, Club.commune_code == self.commune_code)


def valid(area: Area) -> bool:
    """A province of the map, and a commune of that province if one is given."""
    if places.province(area.province_code) is None:
        return False
    if area.commune_code is None:
        return True
    commune = places.commune(area.commune_code)
    return commune is not None and commune.province_code == area.province_code


def create_invite(session: Session, area: Area, valid_days: int) -> AreaInvite:
    """A single-use code for the reviewer of `area`, valid `valid_days` days (INVITE_VALID_DAYS)."""
    if not valid(area):
        raise ValueError(f"no such area: {area.key}")
    invite = AreaInvite(
        code=_random_code(INVITE_CODE_LENGTH),
        province_code=area.province_code,
        commune_code=area.commune_code,
        expires_at=utcnow() + timedelta(days=valid_days),
    )
    session.add(invite)
    session.flush()
    return invite


def check_invite(session: Session, code: str, now: datetime | None = None) -> tuple[InviteStatus, AreaInvite | None]:
    invite = session.exec(select(AreaInvite).where(AreaInvite.code == normalize_code(code))).first()
    if invite is None:
        return InviteStatus.UNKNOWN, None
    if invite.used_at is not None:
        return InviteStatus.USED, invite
    if invite.expires_at <= (now or utcnow()):
        return InviteStatus.EXPIRED, invite
    return InviteStatus.VALID, invite


def area_of(invite: AreaInvite) -> Area:
    return Area(invite.province_code, invite.commune_code)


def accept_invite(session: Session, invite: AreaInvite, user: User) -> bool:
    """Use the code for `user`: True if they now review its area, False if someone used it first."""
    claimed = session.execute(
        update(AreaInvite)
        .where(AreaInvite.id == invite.id, AreaInvite.used_at.is_(None))
        .values(used_at=utcnow(), used_by=user.id)
    ).rowcount
    if claimed != 1:
        return False
    area = area_of(invite)
    if not any(mine == area for mine in areas_of(session, user.id)):
        session.add(
            AreaReviewer(
                user_id=user.id,
                province_code=area.province_code,
                commune_code=area.commune_code,
                invite_id=invite.id,
                full_name=signing_name(session, user.id),
            )
        )
        session.flush()
    return True


def _seats(session: Session, user_id: int) -> list[AreaReviewer]:
    return list(
        session.exec(
            select(AreaReviewer)
            .where(AreaReviewer.user_id == user_id, AreaReviewer.active)
            .order_by(AreaReviewer.province_code, AreaReviewer.commune_code, AreaReviewer.id)
        )
    )


def areas_of(session: Session, user_id: int) -> list[Area]:
    """The areas `user_id` reviews, provinces before their communes."""
    found: list[Area] = []
    for seat in _seats(session, user_id):
        area = Area(seat.province_code, seat.commune_code)
        if area not in found:
            found.append(area)
    return found


def reviews_any(session: Session, user_id: int) -> bool:
    return (
        session.exec(select(AreaReviewer.id).where(AreaReviewer.user_id == user_id, AreaReviewer.active)).first()
        is not None
    )


def may_read(session: Session, user_id: int, area: Area) -> bool:
    """Whether `user_id` reviews `area`: it, or the province it lies in."""
    return any(mine.covers(area) for mine in areas_of(session, user_id))


def may_read_club(session: Session, user_id: int, club: Club) -> bool:
    """Whether the club lies in an area `user_id` reviews (by its codes)."""
    if club.province_code is None:
        return False
    return may_read(session, user_id, Area(club.province_code, club.commune_code))


def clubs_of(session: Session, user_id: int) -> list[int]:
    """The ids of every club in the areas `user_id` reviews, now."""
    areas = areas_of(session, user_id)
    if not areas:
        return []
    return list(session.exec(select(Club.id).where(or_(*(area.clubs() for area in areas)))))


def communes_with_clubs(session: Session, province_code: str) -> list[tuple[str, int]]:
    """The communes of a province that have clubs, with how many, by code."""
    rows = session.execute(
        select(Club.commune_code, func.count(Club.id))
        .where(Club.province_code == province_code, Club.commune_code.is_not(None))
        .group_by(Club.commune_code)
    )
    return [(code, int(n)) for code, n in rows]


def signing_name(session: Session, user_id: int) -> str | None:
    """The full name the person signs combined reports with, None until they give it."""
    return next((seat.full_name for seat in _seats(session, user_id) if seat.full_name), None)


def set_signing_name(session: Session, user_id: int, full_name: str) -> None:
    for seat in _seats(session, user_id):
        seat.full_name = full_name
        session.add(seat)
    session.flush()
