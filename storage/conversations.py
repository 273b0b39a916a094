"""Conversation state and the record of handled updates.

These run for every update the bot handles, so their statements are built once, at import, with bound
parameters: building a statement costs SQLAlchemy more than SQLite takes to run it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, select

from storage.db import dialect_of, insert_ignoring_duplicates
from storage.models import Conversation, ProcessedUpdate, utcnow


# Tables, not models, in the writes: the session runs them as plain SQL, without the ORM's bookkeeping.
_PROCESSED, _CONVERSATIONS = ProcessedUpdate.__table__, Conversation.__table__
_RECORD_UPDATE = insert_ignoring_duplicates(_PROCESSED, returning=_PROCESSED.c.update_key)
_CREATE_CONVERSATION = insert_ignoring_duplicates(_CONVERSATIONS)
_LOCK_CONVERSATION = (
    select(Conversation)
    .where(Conversation.channel == bindparam("channel"), Conversation.chat_id == bindparam("chat_id"),
           Conversation.user_key == bindparam("user_key"))
    .with_for_update()
)
_SAVE_CONVERSATION = (
    update(_CONVERSATIONS).where(_CONVERSATIONS.c.id == bindparam("conversation_id"))
    .values(flow=bindparam("flow"), step=bindparam("step"), data=bindparam("data"),
            updated_at=bindparam("updated_at"))
)


def mark_processed(session: Session, channel: str, update_key: str) -> bool:
    """Record an update id; False when it was recorded before (a redelivery)."""
    row = session.execute(_RECORD_UPDATE[dialect_of(session)],
                          {"channel": channel, "update_key": update_key, "at": utcnow()}).first()
    return row is not None


def forget_processed_before(session: Session, moment: datetime) -> None:
    """Drop old update ids: Telegram redelivers within hours, not weeks."""
    session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < moment))


def lock(session: Session, channel: str, chat_id: str, user_key: str) -> Conversation:
    """The person's conversation, created if new and locked until the transaction ends, so two updates from
    the same person are handled one after the other even in two processes.

    The row exists for every message but a person's first, so it is locked first and inserted only when
    missing (one statement per update, not two). Two first messages at once: the second insert waits for
    the first transaction, then does nothing, and the read after it waits for the lock.

    The conversation comes back detached from the session: `save` writes it with one UPDATE, which costs
    far less than the session's change tracking for an object changed on every update."""
    key = {"channel": channel, "chat_id": chat_id, "user_key": user_key}
    convo = session.scalars(_LOCK_CONVERSATION, key).first()
    if convo is None:
        session.execute(_CREATE_CONVERSATION[dialect_of(session)], {**key, "data": {}, "updated_at": utcnow()})
        convo = session.scalars(_LOCK_CONVERSATION, key).one()
    session.expunge(convo)
    return convo


def save(session: Session, convo: Conversation, data: dict, now: datetime) -> None:
    convo.data = data
    convo.updated_at = now
    session.execute(_SAVE_CONVERSATION, {"conversation_id": convo.id, "flow": convo.flow, "step": convo.step,
                                         "data": data, "updated_at": now})
