"""Conversation state and the record of handled updates.

These run for every update the bot handles, so their statements are built once, at import, with bound
parameters: building a statement costs SQLAlchemy more than SQLite takes to run it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, select

from storage.db import dialect_of, insert_ignoring_duplicates, run
from storage.models import Conversation, ProcessedUpdate, utcnow
from storage.processes import THIS_PROCESS, is_running

# Tables, not models, in the writes, run on the transaction's connection (storage.db.run): plain SQL, no ORM.
_PROCESSED, _CONVERSATIONS = ProcessedUpdate.__table__, Conversation.__table__
_RECORD_UPDATE = insert_ignoring_duplicates(_PROCESSED, returning=_PROCESSED.c.update_key)
_CREATE_CONVERSATION = insert_ignoring_duplicates(_CONVERSATIONS)
_LOCK_CONVERSATION = (
    select(Conversation)
    .where(
        Conversation.channel == bindparam("channel"),
        Conversation.chat_id == bindparam("chat_id"),
        Conversation.user_key == bindparam("user_key"),
    )
    .with_for_update()
)
_SAVE_CONVERSATION = (
    update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == bindparam("conversation_id"))
    .values(
        flow=bindparam("flow"),
        step=bindparam("step"),
        data=bindparam("data"),
        updated_at=bindparam("updated_at"),
        unsent=bindparam("unsent"),
    )
)
_CLAIM_UNSENT = (
    update(_CONVERSATIONS).where(_CONVERSATIONS.c.id == bindparam("conversation_id")).values(unsent=bindparam("unsent"))
)


def mark_processed(session: Session, channel: str, update_key: str) -> bool:
    """Record an update id; False when it was recorded before (a redelivery)."""
    row = run(
        session, _RECORD_UPDATE[dialect_of(session)], {"channel": channel, "update_key": update_key, "at": utcnow()}
    ).first()
    return row is not None


def forget_processed_before(session: Session, moment: datetime) -> None:
    """Drop old update ids, and the replies of conversations quiet since: Telegram redelivers within hours,
    not weeks, and the replies hold names and amounts."""
    session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < moment))
    forget_unsent(session, Conversation.updated_at < moment)


def forget_unsent(session: Session, *where) -> None:
    """Drop the replies kept for redeliveries (all of them, or those of the conversations `where` picks)."""
    session.execute(update(Conversation).where(Conversation.unsent.is_not(None), *where).values(unsent=None))


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
        run(session, _CREATE_CONVERSATION[dialect_of(session)], {**key, "data": {}, "updated_at": utcnow()})
        convo = session.scalars(_LOCK_CONVERSATION, key).one()
    session.expunge(convo)
    return convo


def save(
    session: Session,
    convo: Conversation,
    data: dict,
    now: datetime,
    update_key: str | None = None,
    replies: list[dict] | None = None,
) -> None:
    """Write the conversation, with the `replies` to `update_key` that this process is about to send."""
    convo.data = data
    convo.updated_at = now
    convo.unsent = (
        {"update": update_key, "process": THIS_PROCESS, "replies": replies} if update_key and replies else None
    )
    run(
        session,
        _SAVE_CONVERSATION,
        {
            "conversation_id": convo.id,
            "flow": convo.flow,
            "step": convo.step,
            "data": data,
            "updated_at": now,
            "unsent": convo.unsent,
        },
    )


def take_unsent(session: Session, convo: Conversation, update_key: str) -> list[dict]:
    """The replies to `update_key`, a redelivered update, if the process that was to send them has died: this
    process sends them now, and a further redelivery finds it running. Nothing otherwise: they went out, or are
    going out. `convo` must be locked (`lock`), so two processes given the redelivery do not both take them."""
    unsent = convo.unsent
    if not unsent or unsent["update"] != update_key or is_running(session, unsent["process"]):
        return []
    convo.unsent = {**unsent, "process": THIS_PROCESS}
    run(session, _CLAIM_UNSENT, {"conversation_id": convo.id, "unsent": convo.unsent})
    return unsent["replies"]
