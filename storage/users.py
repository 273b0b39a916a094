"""People who talk to the bot, and their accounts on each channel."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from storage.db import dialect_of, run
from storage.models import ChannelAccount, CommandUse, User

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


def set_address(session: Session, user: User, address: str) -> None:
    user.address = address
    session.add(user)


def _count_use_statements() -> dict:
    """INSERT ... ON CONFLICT DO UPDATE adding one use, built once for each database: one statement, no read,
    as it runs for every command started."""
    statements = {}
    for dialect in (postgresql, sqlite):
        insert = dialect.insert(CommandUse).values(user_id=bindparam("user_id"), command=bindparam("command"), uses=1)
        statements[dialect.dialect.name] = insert.on_conflict_do_update(
            index_elements=[CommandUse.user_id, CommandUse.command], set_={"uses": CommandUse.uses + 1}
        )
    return statements


_COUNT_USE = _count_use_statements()


def count_command(session: Session, user_id: int, command: str) -> None:
    run(session, _COUNT_USE[dialect_of(session)], {"user_id": user_id, "command": command})


def command_uses(session: Session, user_id: int) -> dict[str, int]:
    """How many times this person started each command they ever started."""
    rows = session.exec(select(CommandUse.command, CommandUse.uses).where(CommandUse.user_id == user_id))
    return dict(rows.all())


def set_current_club(session: Session, user: User, club_id: int) -> None:
    user.current_club_id = club_id
    session.add(user)
