"""Conversation state and the record of handled updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from storage.models import Conversation, ProcessedUpdate, utcnow


def _insert(session: Session, table):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def mark_processed(session: Session, channel: str, update_key: str) -> bool:
    """Record an update id; False when it was recorded before (a redelivery)."""
    statement = (_insert(session, ProcessedUpdate)
                 .values(channel=channel, update_key=update_key, at=utcnow())
                 .on_conflict_do_nothing()
                 .returning(ProcessedUpdate.update_key))
    return session.execute(statement).first() is not None


def forget_processed_before(session: Session, moment: datetime) -> None:
    """Drop old update ids: Telegram redelivers within hours, not weeks."""
    session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < moment))


def lock(session: Session, channel: str, chat_id: str, user_key: str) -> Conversation:
    """The person's conversation row, created if new and locked until the transaction ends, so two
    updates from the same person are handled one after the other even in two processes.

    The row exists for every message but a person's first, so it is locked first and inserted only when
    missing (one statement per update, not two). Two first messages at once: the second insert waits for
    the first transaction, then does nothing, and the read after it waits for the lock."""
    convo = _locked(session, channel, chat_id, user_key).first()
    if convo is not None:
        return convo
    session.execute(
        _insert(session, Conversation)
        .values(channel=channel, chat_id=chat_id, user_key=user_key, data={}, updated_at=utcnow())
        .on_conflict_do_nothing()
    )
    return _locked(session, channel, chat_id, user_key).one()


def _locked(session: Session, channel: str, chat_id: str, user_key: str):
    return session.exec(
        select(Conversation)
        .where(Conversation.channel == channel, Conversation.chat_id == chat_id,
               Conversation.user_key == user_key)
        .with_for_update()
    )


def save(session: Session, convo: Conversation, data: dict, now: datetime) -> None:
    convo.data = data
    convo.updated_at = now
    flag_modified(convo, "data")
    session.add(convo)
