"""Helpers for the reminder tests: clubs with a board on Telegram, a fake sender, a controlled local time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.reminders import Blocked, ReminderService
from storage import clubs, users
from storage.clubs import NewClub
from storage.db import Database
from storage.models import CHAIR, REVIEWER, SECRETARY, TREASURER, VICE_CHAIR, BoardSeat, SentReminder

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


def at(year: int, month: int, day_: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day_, hour, minute, tzinfo=ZONE)


@dataclass
class ClubSetup:
    club_id: int
    code: str
    people: dict[str, int]  # role -> user id
    chats: dict[str, str]  # role -> Telegram chat id


def make_club(
    db: Database,
    name: str = "CLB thôn Liên Trì",
    meeting_day: int = 15,
    roles=(VICE_CHAIR, TREASURER, SECRETARY),
    reviewer_id: str | None = None,
) -> ClubSetup:
    """A club whose chair and board members each have a Telegram account (chat id = external id)."""
    n = next(_numbers)
    with db.transaction() as s:
        chair = users.get_or_create(s, "telegram", f"{n}00", f"Chủ nhiệm {n}")
        club = clubs.create_club(
            s,
            chair,
            NewClub(
                name=name,
                village="Liên Trì",
                commune="Bình Hiệp",
                district="Bình Sơn",
                province="Quảng Ngãi",
                meeting_day=meeting_day,
            ),
        )
        people, chats = {CHAIR: chair.id}, {CHAIR: f"{n}00"}
        for number, role in enumerate(roles, start=1):
            person = users.get_or_create(s, "telegram", f"{n}0{number}", f"{role} {n}")
            s.add(BoardSeat(club_id=club.id, user_id=person.id, role=role))
            people[role], chats[role] = person.id, f"{n}0{number}"
        if reviewer_id:
            reviewer = users.get_or_create(s, "telegram", reviewer_id, "Hội NCT huyện")
            s.add(BoardSeat(club_id=club.id, user_id=reviewer.id, role=REVIEWER))
            people[REVIEWER], chats[REVIEWER] = reviewer.id, reviewer_id
        return ClubSetup(club.id, club.code, people, chats)


@dataclass
class FakeSender:
    """Records what it was asked to send; chats in `failing` raise a network error, in `blocking` Blocked."""

    sent: list[tuple[str, str, list]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    blocking: set[str] = field(default_factory=set)
    calls: int = 0

    async def send(self, external_id: str, text: str, choices: list) -> None:
        self.calls += 1
        if external_id in self.blocking:
            raise Blocked("Forbidden: bot was blocked by the user")
        if external_id in self.failing:
            raise ConnectionError("network is unreachable")
        self.sent.append((external_id, text, choices))

    def to(self, chat: str) -> list[str]:
        return [text for external_id, text, _choices in self.sent if external_id == chat]


def service(db: Database, sender: FakeSender | None = None) -> tuple[ReminderService, FakeSender]:
    sender = sender or FakeSender()
    return ReminderService(db, "Asia/Ho_Chi_Minh", {"telegram": sender}), sender


def rows(db: Database) -> list[SentReminder]:
    with db.transaction() as s:
        return list(s.exec(select(SentReminder).order_by(SentReminder.id)))


def day_of(value: datetime) -> date:
    return value.date()
