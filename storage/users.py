"""People who talk to the bot, and their accounts on each channel."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import ChannelAccount, User


def get_or_create(session: Session, channel: str, external_id: str, display_name: str) -> User:
    account = session.exec(
        select(ChannelAccount).where(ChannelAccount.channel == channel, ChannelAccount.external_id == external_id)
    ).first()
    if account is not None:
        return session.get(User, account.user_id)
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
