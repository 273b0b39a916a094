"""Clubs, their boards and the invite codes that let people join a board."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from storage.dates import check_founding_date
from storage.models import CHAIR, AuditEvent, BoardSeat, Club, Invite, User, utcnow
from storage.places import Place

# No 0/O or 1/I/L: codes are read aloud and typed by hand.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLUB_CODE_LENGTH = 6
# Short enough to read out over the phone, shown as two groups of four (ABCD-EFGH). Guessing is what the limit on
# wrong codes makes useless (storage.limits): 31**8 is about 8.5e11 codes, and a person may try 5 an hour, so in a
# week's validity 840 tries find one of even 10,000 open invites with a chance of 1 in 100,000
# (tests/security/test_code_guessing.py). Codes made before were 16 characters and work as long as they did.
INVITE_CODE_LENGTH = 8
CODE_GROUP = 4


def _random_code(length: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """'abcd-efgh ijkl' -> 'ABCDEFGHIJKL': codes may be typed with dashes, spaces or in lower case."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def grouped(code: str) -> str:
    """'ABCDEFGH' -> 'ABCD-EFGH': how an invite or link code is shown, to be read out in groups of four."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


@dataclass(frozen=True)
class NewClub:
    name: str
    village: str
    commune: str
    district: str
    province: str
    meeting_day: int
    founding_decision: str | None = None
    founded_on: date | None = None
    # The 2025 map (storage.places): set when the place was matched in the chat; `province` and `commune` then
    # hold the official names.
    province_code: str | None = None
    commune_code: str | None = None


def get(session: Session, club_id: int) -> Club:
    """The club with this id (which a seat, an invite or a flow holds, so it exists)."""
    club = session.get(Club, club_id)
    assert club is not None
    return club


def audit(
    session: Session, club_id: int, user_id: int, action: str, entity: str, entity_id: int | None = None, **detail
) -> None:
    session.add(
        AuditEvent(club_id=club_id, user_id=user_id, action=action, entity=entity, entity_id=entity_id, detail=detail)
    )


def create_club(session: Session, chair: User, new: NewClub) -> Club:
    """Register a club with `chair` as its chair, and make it the chair's current club."""
    check_founding_date(new.founded_on)
    code = _random_code(CLUB_CODE_LENGTH)
    while session.exec(select(Club.id).where(Club.code == code)).first() is not None:
        code = _random_code(CLUB_CODE_LENGTH)
    club = Club(code=code, created_by=chair.id, **new.__dict__)
    session.add(club)
    session.flush()
    session.add(BoardSeat(club_id=club.id, user_id=chair.id, role=CHAIR))
    chair.current_club_id = club.id
    session.add(chair)
    audit(session, club.id, chair.id, "create", "club", club.id)
    session.flush()
    return club


def set_place(
    session: Session, club: Club, by: User, province: Place, commune: Place, district: str | None = None
) -> None:
    """The club's province and commune on the 2025 map, by their codes and official names; `district`, the
    former district its old papers name, when given ("" for none)."""
    assert commune.province_code == province.code
    old = {"province": club.province, "commune": club.commune, "district": club.district}
    club.province_code, club.province = province.code, province.name
    club.commune_code, club.commune = commune.code, commune.name
    if district is not None:
        club.district = district
    club.place_asked_at = utcnow()
    session.add(club)
    audit(
        session, club.id, by.id, "update", "club_place", club.id, old=old, province=province.code, commune=commune.code
    )
    session.flush()


def needs_place(club: Club) -> bool:
    """A club the 2025 map migration could not place, whose chair has not been asked yet."""
    return club.commune_code is None and club.place_asked_at is None


def mark_place_asked(session: Session, club: Club) -> None:
    club.place_asked_at = utcnow()
    session.add(club)
    session.flush()


def unplaced(session: Session) -> list[Club]:
    """The clubs without a commune on the 2025 map, by code."""
    return list(session.exec(select(Club).where(Club.commune_code.is_(None)).order_by(Club.code)))


def by_code(session: Session, code: str) -> Club | None:
    return session.exec(select(Club).where(Club.code == normalize_code(code))).first()


def all_clubs(session: Session) -> list[Club]:
    return list(session.exec(select(Club).order_by(Club.province, Club.district, Club.name)))


# Built once: `current` runs for every update the bot handles.
_SEATS_OF = (
    select(Club, BoardSeat.role)
    .join(BoardSeat, BoardSeat.club_id == Club.id)
    .where(BoardSeat.user_id == bindparam("user_id"), BoardSeat.active)
    .order_by(Club.name)
)


def seats_of(session: Session, user: User) -> list[tuple[Club, str]]:
    """The clubs where `user` has an active role, with that role."""
    return [(club, role) for club, role in session.execute(_SEATS_OF, {"user_id": user.id})]


def current(session: Session, user: User) -> tuple[Club | None, str | None]:
    """The club the person is working on and their role there (they may serve several clubs)."""
    seats = seats_of(session, user)
    for club, role in seats:
        if club.id == user.current_club_id:
            return club, role
    if seats:
        return seats[0]
    return None, None


def board(session: Session, club_id: int) -> list[tuple[BoardSeat, User]]:
    rows = session.exec(
        select(BoardSeat, User)
        .join(User, User.id == BoardSeat.user_id)
        .where(BoardSeat.club_id == club_id, BoardSeat.active)
        .order_by(BoardSeat.since)
    )
    return list(rows)


def seat(session: Session, club_id: int, user_id: int) -> BoardSeat | None:
    return session.exec(
        select(BoardSeat).where(BoardSeat.club_id == club_id, BoardSeat.user_id == user_id, BoardSeat.active)
    ).first()


def active_seat(session: Session, club_id: int, seat_id: int) -> BoardSeat | None:
    """The seat with this id, if it is still on this club's board."""
    found = session.get(BoardSeat, seat_id)
    return found if found is not None and found.club_id == club_id and found.active else None


def count_chairs(session: Session, club_id: int) -> int:
    return len([s for s, _ in board(session, club_id) if s.role == CHAIR])


def change_role(session: Session, seat_: BoardSeat, role: str, by: User) -> None:
    audit(session, seat_.club_id, by.id, "change_role", "board_seat", seat_.id, old=seat_.role, new=role)
    seat_.role = role
    session.add(seat_)


def remove_from_board(session: Session, seat_: BoardSeat, by: User) -> None:
    audit(session, seat_.club_id, by.id, "remove", "board_seat", seat_.id, role=seat_.role)
    seat_.active = False
    session.add(seat_)


def signing_name(session: Session, club_id: int, user_id: int) -> str | None:
    """The full name the person signs this club's reports with (their seat's), None until they give it."""
    seat_ = seat(session, club_id, user_id)
    return seat_.full_name if seat_ is not None else None


def set_signing_name(session: Session, seat_: BoardSeat, full_name: str, by: User) -> None:
    """Keep the full name on the seat; the audit notes the change, not the name (personal data)."""
    audit(session, seat_.club_id, by.id, "set_full_name", "board_seat", seat_.id)
    seat_.full_name = full_name
    session.add(seat_)
    session.flush()


def create_invite(session: Session, club: Club, role: str, by: User, valid_days: int) -> Invite:
    invite = Invite(
        code=_random_code(INVITE_CODE_LENGTH),
        club_id=club.id,
        role=role,
        created_by=by.id,
        expires_at=utcnow() + timedelta(days=valid_days),
    )
    session.add(invite)
    session.flush()
    audit(session, club.id, by.id, "create", "invite", invite.id, role=role)
    return invite


class InviteStatus(Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def check_invite(session: Session, code: str, now: datetime | None = None) -> tuple[InviteStatus, Invite | None]:
    invite = session.exec(select(Invite).where(Invite.code == normalize_code(code))).first()
    if invite is None:
        return InviteStatus.UNKNOWN, None
    if invite.used_at is not None:
        return InviteStatus.USED, invite
    if invite.expires_at <= (now or utcnow()):
        return InviteStatus.EXPIRED, invite
    return InviteStatus.VALID, invite


def chair_inviter(session: Session, club_id: int, user_id: int, since: datetime) -> int | None:
    """Who made the chair's invite code `user_id` joined this club with, if they joined after `since`."""
    return session.exec(
        select(Invite.created_by)
        .where(Invite.club_id == club_id, Invite.used_by == user_id, Invite.role == CHAIR, Invite.used_at > since)
        .order_by(Invite.used_at.desc())
    ).first()


def accept_invite(session: Session, invite: Invite, user: User) -> bool:
    """Use the invite for `user`: True if they now hold the role, False if someone used it first."""
    claimed = session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=utcnow(), used_by=user.id)
    ).rowcount
    if claimed != 1:
        return False
    existing = session.exec(
        select(BoardSeat).where(BoardSeat.club_id == invite.club_id, BoardSeat.user_id == user.id)
    ).first()
    if existing is None:
        existing = BoardSeat(club_id=invite.club_id, user_id=user.id, role=invite.role)
    existing.role, existing.active, existing.since = invite.role, True, utcnow()
    session.add(existing)
    user.current_club_id = invite.club_id
    session.add(user)
    session.flush()
    audit(session, invite.club_id, user.id, "join", "board_seat", existing.id, role=invite.role, invite=invite.id)
    return True
