"""One person on several channels: one-time codes that link accounts, and where reminders go.

A person registered on Telegram links their Zalo account (or the other way round) with a short-lived,
single-use code made on the channel they already use; the new account then points at the same `User`,
so it has the same clubs and roles.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import exists, update
from sqlmodel import Session, select

from storage.clubs import _random_code, normalize_code, seats_of
from storage.models import BoardSeat, ChannelAccount, Club, LinkCode, ReminderChannel, User, utcnow

TELEGRAM, ZALO, BOTH = "telegram", "zalo", "both"
# The channels a reminder can be delivered on (the console is not one of them).
MESSENGERS = (TELEGRAM, ZALO)
LINK_VALID_MINUTES = 30
# As long as an invite code and typed the same way (storage.clubs.INVITE_CODE_LENGTH), on the person's other
# phone; the limit on wrong codes counts both kinds together, and a link code lasts half an hour.
LINK_CODE_LENGTH = 8


class LinkStatus(Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class LinkOutcome(Enum):
    LINKED = "linked"
    ALREADY_LINKED = "already_linked"  # this account already acts as that person; the code is left unused
    HAS_OWN_CLUBS = "has_own_clubs"  # linking would take this account away from its own clubs
    NOT_VALID = "not_valid"  # the code has expired, or was used (perhaps a moment ago, by someone else)


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def create_link_code(session: Session, user: User, by: User, now: datetime | None = None) -> str:
    """A new code that links another account to `user`; returns the code itself (only its hash is kept)."""
    code = _random_code(LINK_CODE_LENGTH)
    created = now or utcnow()
    session.add(
        LinkCode(
            code_hash=_hash(code),
            user_id=user.id,
            created_by=by.id,
            created_at=created,
            expires_at=created + timedelta(minutes=LINK_VALID_MINUTES),
        )
    )
    session.flush()
    return code


def check_link_code(session: Session, code: str, now: datetime | None = None) -> tuple[LinkStatus, LinkCode | None]:
    link = session.exec(select(LinkCode).where(LinkCode.code_hash == _hash(code))).first()
    return (LinkStatus.UNKNOWN, None) if link is None else (link_status(link, now), link)


def link_code(session: Session, link_id: int) -> LinkCode:
    """The link code with this id (kept by the flow that offered it, so it exists; it may be used by now)."""
    link = session.get(LinkCode, link_id)
    assert link is not None
    return link


def link_status(link: LinkCode, now: datetime | None = None) -> LinkStatus:
    if link.used_at is not None:
        return LinkStatus.USED
    if link.expires_at <= (now or utcnow()):
        return LinkStatus.EXPIRED
    return LinkStatus.VALID


def account(session: Session, channel: str, external_id: str) -> ChannelAccount | None:
    return session.exec(
        select(ChannelAccount).where(ChannelAccount.channel == channel, ChannelAccount.external_id == external_id)
    ).first()


def link_account(session: Session, link: LinkCode, channel: str, external_id: str) -> LinkOutcome:
    """Point the account (`channel`, `external_id`) at the person the code `link` was made for.

    Refused when the account already serves clubs of its own: they would silently disappear from it.
    """
    linked = account(session, channel, external_id)
    if linked.user_id == link.user_id:
        return LinkOutcome.ALREADY_LINKED
    if seats_of(session, session.get(User, linked.user_id)):
        return LinkOutcome.HAS_OWN_CLUBS
    if link_status(link) is not LinkStatus.VALID:
        return LinkOutcome.NOT_VALID
    claimed = session.execute(
        update(LinkCode)
        .where(LinkCode.id == link.id, LinkCode.used_at.is_(None))
        .values(used_at=utcnow(), used_by_account=linked.id)
    ).rowcount
    if claimed != 1:
        return LinkOutcome.NOT_VALID
    linked.user_id = link.user_id
    session.add(linked)
    session.flush()
    return LinkOutcome.LINKED


def accounts_of(session: Session, user_id: int) -> list[ChannelAccount]:
    return list(
        session.exec(select(ChannelAccount).where(ChannelAccount.user_id == user_id).order_by(ChannelAccount.id))
    )


def messengers_of(session: Session, user_id: int) -> list[str]:
    """The channels, among those reminders can use, where the person has an account."""
    channels = {a.channel for a in accounts_of(session, user_id)}
    return [channel for channel in MESSENGERS if channel in channels]


def reminder_channel(session: Session, user_id: int) -> str:
    """TELEGRAM, ZALO or BOTH (the default)."""
    chosen = session.get(ReminderChannel, user_id)
    return chosen.channel if chosen else BOTH


def set_reminder_channel(session: Session, user_id: int, channel: str) -> None:
    if channel not in (*MESSENGERS, BOTH):
        raise ValueError(f"not a reminder channel: {channel}")
    chosen = session.get(ReminderChannel, user_id) or ReminderChannel(user_id=user_id, channel=channel)
    chosen.channel, chosen.updated_at = channel, utcnow()
    session.add(chosen)
    session.flush()


def reminder_channels(session: Session, user_id: int) -> list[tuple[str, str]]:
    """(channel, external id) of every account a reminder to this person goes to.

    When the chosen channel has no account (any more), reminders go to every account the person has,
    so they are never lost because of a setting.
    """
    accounts = [(a.channel, a.external_id) for a in accounts_of(session, user_id) if a.channel in MESSENGERS]
    chosen = reminder_channel(session, user_id)
    preferred = [pair for pair in accounts if chosen in (BOTH, pair[0])]
    return sorted(preferred or accounts, key=lambda pair: MESSENGERS.index(pair[0]))


def clubs_nobody_can_be_reminded(session: Session) -> list[Club]:
    """Clubs whose board has nobody on Telegram or Zalo: no reminder can reach them (the operator is told)."""
    reachable = exists().where(
        BoardSeat.club_id == Club.id,
        BoardSeat.active,
        ChannelAccount.user_id == BoardSeat.user_id,
        ChannelAccount.channel.in_(MESSENGERS),
    )
    return list(session.exec(select(Club).where(~reachable).order_by(Club.code)))
