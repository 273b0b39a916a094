"""A club's money rules (its Quy che) and the board's group chat where money entries are announced.

The rules row is also the lock on the club's books: every write that takes money out of a fund holds it
until its transaction ends, so two treasurers can never both spend the same cash.
"""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, select

from storage.clubs import audit
from storage.db import dialect_of, insert_ignoring_duplicates
from storage.models import BoardChat, ClubRules, User, utcnow

MAX_TERM_MONTHS = 60
MAX_RATE_BP = 166  # the Civil Code (art. 468) caps agreed interest at 20 % a year: 1,66 % a month
RULE_FIELDS = ("monthly_fee", "loan_rate_bp", "max_loan", "max_term_months", "lend_when_overdue", "default_fund")


_OPEN_BOOKS = insert_ignoring_duplicates(ClubRules.__table__)  # the defaults, unless the club has its row


def rules_of(session: Session, club_id: int) -> ClubRules:
    """The club's rules: the defaults until the chair changes them."""
    return session.get(ClubRules, club_id) or ClubRules(club_id=club_id)


def lock_books(session: Session, club_id: int) -> ClubRules:
    """The club's rules, locked (SELECT ... FOR UPDATE) until the transaction ends."""
    session.execute(_OPEN_BOOKS[dialect_of(session)], ClubRules(club_id=club_id).model_dump())
    return session.exec(
        select(ClubRules)
        .where(ClubRules.club_id == club_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def change_rule(session: Session, club_id: int, field: str, value, by: User) -> ClubRules:
    if field not in RULE_FIELDS:
        raise ValueError(field)
    rules = lock_books(session, club_id)
    audit(session, club_id, by.id, "update", "club_rules", club_id, field=field, old=getattr(rules, field), new=value)
    setattr(rules, field, value)
    rules.updated_by, rules.updated_at = by.id, utcnow()
    session.add(rules)
    return rules


# Built once: every saved contribution, repayment and expense looks for the board's chat to announce it in.
_BOARD_CHAT = select(BoardChat).where(
    BoardChat.club_id == bindparam("club_id"), BoardChat.channel == bindparam("channel")
)


def board_chat(session: Session, club_id: int, channel: str) -> BoardChat | None:
    return session.scalars(_BOARD_CHAT, {"club_id": club_id, "channel": channel}).first()


def club_of_board_chat(session: Session, channel: str, chat_id: str) -> int | None:
    """The club whose board chat this is, if it is one (the first linked, should two clubs share it)."""
    return session.scalars(
        select(BoardChat.club_id)
        .where(BoardChat.channel == channel, BoardChat.chat_id == chat_id)
        .order_by(BoardChat.id)
    ).first()


def link_board_chat(session: Session, club_id: int, channel: str, chat_id: str, by: User) -> BoardChat:
    """Make `chat_id` the club's board chat on `channel`, in place of any chat linked before."""
    link = board_chat(session, club_id, channel) or BoardChat(
        club_id=club_id, channel=channel, chat_id=chat_id, linked_by=by.id
    )
    # `by` is a saved User, so its id is set (the model types every primary key as optional).
    link.chat_id, link.linked_by, link.linked_at = chat_id, by.id, utcnow()  # type: ignore[assignment]
    session.add(link)
    session.flush()
    audit(session, club_id, by.id, "link", "board_chat", link.id, channel=channel)
    return link


def unlink_board_chat(session: Session, club_id: int, channel: str, by: User) -> None:
    link = board_chat(session, club_id, channel)
    if link is not None:
        audit(session, club_id, by.id, "unlink", "board_chat", link.id, channel=channel)
        session.delete(link)
