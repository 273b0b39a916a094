"""People who talk to the bot, and their accounts on each channel."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, select

from storage.models import ChannelAccount, User

# One query for the account and its person, built once: this runs for every update the bot handles.
_BY_ACCOUNT = (
    select(User)
    .join(ChannelAccount, ChannelAccount.user_id == User.id)
    .where(ChannelAccount.channel == bindparam("channel"), ChannelAccount.external_id == bindparam("external_id"))
)


def get(session: Session, user_id: int) -> User:
    """The person with this id (which a seat or a link code holds, so they exist)."""
    user = session.get(User, user_id)
    assert user is not None
    return user


def get_or_create(session: Session, channel: str, external_id: str, display_name: str) -> User:
    user = session.scalars(_BY_ACCOUNT, {"channel": channel, "external_id": external_id}).first()
    if user is not None:
        return user
    user = User(display_name=(display_name or external_id)[:128])
    session.add(user)
    session.flush()
    session.add(ChannelAccount(channel=channel, external_id=external_id, user_id=user.id))
    session.flush()
    return user


def set_language(session: Session, user: User, language: str) -> None:
    user.language = language
    session.add(user)


def set_current_club(session: Session, user: User, club_id: int) -> None:
    user.current_club_id = club_id
    session.add(user)
