"""Limits on flooding, kept in the database so that every process applies the same ones.

- Guessing codes: a person may type at most WRONG_CODES_PER_HOUR invite or link codes that match nothing in
  any hour; after that they are told when they may try again, and no code is checked until then.
- Bursts: a chat may send a number of messages (Settings.burst_messages) per BURST_WINDOW; the first message
  over that is answered (once), the rest of the window is dropped unread. Other chats are not held up: each
  chat has its own row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import bindparam, delete
from sqlmodel import Session, select

from storage.db import dialect_of, insert_ignoring_duplicates, run
from storage.models import ChatBurst, WrongCode

WRONG_CODES_PER_HOUR = 5
WRONG_CODE_WINDOW = timedelta(hours=1)
BURST_WINDOW = timedelta(seconds=10)

_CREATE_BURST = insert_ignoring_duplicates(ChatBurst.__table__)
_LOCK_BURST = (
    select(ChatBurst)
    .where(ChatBurst.channel == bindparam("channel"), ChatBurst.chat_id == bindparam("chat_id"))
    .with_for_update()
)


class Burst(Enum):
    WITHIN = "within"  # handled as usual
    FIRST_OVER = "first_over"  # answered with a notice that the chat is sending too fast
    OVER = "over"  # dropped without an answer


def wait_before_next_code(session: Session, user_id: int, now: datetime) -> timedelta | None:
    """How long until this person may type a code again; None when they may now."""
    recent = session.exec(
        select(WrongCode.at)
        .where(WrongCode.user_id == user_id, WrongCode.at > now - WRONG_CODE_WINDOW)
        .order_by(WrongCode.at.desc())
        .limit(WRONG_CODES_PER_HOUR)
    ).all()
    if len(recent) < WRONG_CODES_PER_HOUR:
        return None
    return recent[-1] + WRONG_CODE_WINDOW - now  # when the oldest of them is an hour old


def record_wrong_code(session: Session, user_id: int, now: datetime) -> None:
    """Count a code that matched nothing; everyone's attempts older than the window are dropped."""
    session.execute(delete(WrongCode).where(WrongCode.at <= now - WRONG_CODE_WINDOW))
    session.add(WrongCode(user_id=user_id, at=now))
    session.flush()


def count_message(session: Session, channel: str, chat_id: str, now: datetime, limit: int) -> Burst:
    """Count one message of the chat in its burst window, which allows `limit` (the chat's row is locked until
    the transaction ends, so two processes count the same chat one after the other)."""
    key = {"channel": channel, "chat_id": chat_id}
    burst = session.scalars(_LOCK_BURST, key).first()
    if burst is None:  # the chat's first message: two at once insert one row, the second waits for the first
        run(session, _CREATE_BURST[dialect_of(session)], {**key, "window_start": now, "count": 0, "told": False})
        burst = session.scalars(_LOCK_BURST, key).one()
    if now - burst.window_start >= BURST_WINDOW or now < burst.window_start:  # a new window (or a clock put back)
        burst.window_start, burst.count, burst.told = now, 0, False
    burst.count += 1
    if burst.count <= limit:
        outcome = Burst.WITHIN
    elif burst.told:
        outcome = Burst.OVER
    else:
        burst.told, outcome = True, Burst.FIRST_OVER
    session.flush()
    return outcome
