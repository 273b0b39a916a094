"""Helpers for the money tests: a club with members, board members in roles, and a look into the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from storage import clubs, ledger, loans, members, users
from storage.clubs import NewClub
from storage.db import Database
from storage.members import NewMember
from storage.models import CAPITAL, FEMALE, INCOME_FUND, Club, LedgerEntry, Loan, Member, User
from tests.conftest import register_club

TODAY = date(2026, 11, 23)  # the date of conftest's clock
MEMBERS = (
    ("Nguyễn Thị Lan", 1952, "female"),
    ("Trần Văn Bình", 1948, "male"),
    ("Phạm Thị Lan", 1960, "female"),
    ("Lê Thị Hoa", 1990, "female"),
)
# The choices /moi offers, in order (handlers.roles.INVITABLE).
VICE_CHAIR, TREASURER, SECRETARY = "1", "2", "3"


def add_members(db: Database, people=MEMBERS) -> None:
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        chair = s.get(User, club.created_by)
        for name, year, sex in people:
            members.add(s, club.id, NewMember(name, year, sex), chair, date(2020, 1, 1))


def club_with_members(person, db: Database):
    """A registered club with MEMBERS on its list; returns its chair at the console."""
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    add_members(db)
    return chair


def join_board(chair, person, role_number: str, user_id: str, name: str):
    """The chair invites someone to a role and they join; returns them at the console."""
    code = chair.says_all("/moi", role_number, "1").split("/start ")[1].split()[0]
    newcomer = person(user_id, name)
    newcomer.says_all(f"/start {code}", "1")
    return newcomer


def entries(db: Database) -> list[LedgerEntry]:
    with db.transaction() as s:
        return list(s.exec(select(LedgerEntry).order_by(LedgerEntry.id)))


def member_named(db: Database, full_name: str) -> Member:
    with db.transaction() as s:
        return s.exec(select(Member).where(Member.full_name == full_name)).one()


def all_loans(db: Database) -> list[Loan]:
    with db.transaction() as s:
        return list(s.exec(select(Loan).order_by(Loan.id)))


@dataclass
class Books:
    """A club's books driven straight through storage, for ledger tests on SQLite and PostgreSQL."""

    db: Database
    club_id: int
    user: User
    member_ids: list[int]

    def contribute(self, amount: int, fund: str = INCOME_FUND, on: date = TODAY, member: int = 0) -> LedgerEntry:
        with self.db.transaction() as s:
            return ledger.contribute(
                s,
                self.club_id,
                fund=fund,
                kind=CAPITAL,
                amount=amount,
                on=on,
                by=self.user,
                today=TODAY,
                member_id=self.member_ids[member],
            )

    def lend(self, amount: int, months: int = 12, on: date = TODAY, member: int = 0) -> Loan:
        with self.db.transaction() as s:
            return loans.lend(
                s,
                self.club_id,
                member_id=self.member_ids[member],
                amount=amount,
                term_months=months,
                purpose="trade",
                on=on,
                by=self.user,
                today=TODAY,
            )

    def repay(self, loan: Loan, amount: int, on: date = TODAY) -> LedgerEntry:
        with self.db.transaction() as s:
            return loans.repay(s, self.club_id, loan_id=loan.id, amount=amount, on=on, by=self.user, today=TODAY)


def open_books(db: Database, people: int = 2, name: str = "CLB thôn Liên Trì") -> Books:
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", f"chair-{name}", "Nguyễn Văn An")
        club = clubs.create_club(
            s,
            chair,
            NewClub(
                name=name,
                village="Liên Trì",
                commune="Bình Hiệp",
                district="Bình Sơn",
                province="Quảng Ngãi",
                meeting_day=15,
            ),
        )
        ids = [
            members.add(s, club.id, NewMember(f"Thành Viên Số {n}", 1950 + n, FEMALE), chair, date(2020, 1, 1)).id
            for n in range(people)
        ]
    return Books(db, club.id, chair, ids)
