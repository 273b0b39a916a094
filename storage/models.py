"""Database tables. Every change of club data goes through the modules beside this one."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# Board roles (DESIGN.md glossary). "reviewer" is the district association's read-only role.
CHAIR = "chair"
VICE_CHAIR = "vice_chair"
TREASURER = "treasurer"
SECRETARY = "secretary"
BOARD_MEMBER = "board_member"
REVIEWER = "reviewer"
ROLES = (CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER)

MALE, FEMALE = "male", "female"
POOR, NEAR_POOR, BETTER_OFF = "poor", "near_poor", "better_off"


class User(SQLModel, table=True):
    """A person who talks to the bot, on one channel or several."""

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=128)
    language: str = Field(default="vi", max_length=8)
    # The club this person is working on now (they may serve several). No foreign key: clubs point
    # back at users, and a cycle of keys would stop the tables being created in order.
    current_club_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ChannelAccount(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)


class Club(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=200)
    village: str = Field(max_length=200)
    commune: str = Field(max_length=200)
    district: str = Field(max_length=200, index=True)
    province: str = Field(max_length=200)
    founding_decision: str | None = Field(default=None, max_length=200)
    founded_on: date | None = None
    meeting_day: int = Field(default=15)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class BoardSeat(SQLModel, table=True):
    """A user's role in a club. A removed seat stays, inactive, so the history of who served is kept."""

    __table_args__ = (UniqueConstraint("club_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=16)
    active: bool = True
    since: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    role: str = Field(max_length=16)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_by: int | None = Field(default=None, foreign_key="user.id")
    used_at: datetime | None = None


class Member(SQLModel, table=True):
    """A club member: a record kept by the board. Members who leave get a left_on date, never a delete."""

    __table_args__ = (Index("ix_member_club_name_key", "club_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    full_name: str = Field(max_length=100)
    name_key: str = Field(max_length=100)
    birth_year: int
    sex: str = Field(max_length=8)
    poverty: str | None = Field(default=None, max_length=16)
    ethnic_minority: bool = False
    disabled: bool = False
    phone: str | None = Field(default=None, max_length=20)
    joined_on: date
    left_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class AuditEvent(SQLModel, table=True):
    """Who changed what, when: one row per change of club records."""

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """Where one person is in a flow, per channel and chat, so a restart loses nothing."""

    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    user_key: str = Field(max_length=64)
    flow: str | None = Field(default=None, max_length=32)
    step: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ProcessedUpdate(SQLModel, table=True):
    """Update ids already handled, so a redelivered update is not handled twice."""

    channel: str = Field(max_length=16, primary_key=True)
    update_key: str = Field(max_length=64, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
