"""Clubs with known figures for the report tests, built through the storage functions.

`lien_tri` is shaped like CLB thôn Liên Trì in the first seed document: 43 members, 35 aged 60 or more,
8 younger, 4 women, 10 better-off older people, a board of 5, eight groups, 23 members contributing
20,500,000 ₫ of initial capital. Every figure its 2025-H1 report should show is in LIEN_TRI_H1.
"""

from __future__ import annotations

from datetime import date

from storage import activities, clubs, ledger, loans, meetings, members, money_rules, users, volunteers
from storage.activities import NewActivity
from storage.clubs import NewClub
from storage.db import Database
from storage.meetings import MeetingDraft
from storage.members import NewMember
from storage.models import (
    ACTIVITY_FUND,
    AREAS,
    BETTER_OFF,
    BOARD_MEMBER,
    CAPITAL,
    CULTURE,
    CULTURE_EVENT,
    FEMALE,
    HEALTH,
    HEALTH_DAY,
    HOME_VISIT,
    HOMECARE,
    INCOME,
    INCOME_FUND,
    LEARNING,
    MALE,
    MONTHLY_FEE,
    NEAR_POOR,
    POOR,
    REVIEWER,
    VICE_CHAIR,
    BoardSeat,
    User,
)
from tests.snapshot_support import built_once

TODAY = date(2025, 6, 2)
CHAIR_FULL_NAME = "Nguyễn Văn An"
H1 = "2025-H1"  # 1 December 2024 – 31 May 2025


def _club(s, name: str, district: str = "Bình Sơn", key: str = "") -> tuple[int, User]:
    chair = users.get_or_create(s, "console", f"chair-{key or name}", "Nguyễn Văn An")
    club = clubs.create_club(
        s,
        chair,
        NewClub(
            name=name,
            village="Liên Trì",
            commune="Bình Hiệp",
            district=district,
            province="Quảng Ngãi",
            meeting_day=15,
            founding_decision="58/QĐ-UBND",
            founded_on=date(2019, 4, 8),
        ),
    )
    # The chair has given the full name that signs the club's reports (/baocao asks it once).
    clubs.set_signing_name(s, clubs.seat(s, club.id, chair.id), CHAIR_FULL_NAME, chair)
    return club.id, chair


def _board(s, club_id: int, roles: list[str], key: str) -> None:
    for n, role in enumerate(roles):
        person = users.get_or_create(s, "console", f"{key}-board-{n}", f"Ủy Viên {n}")
        s.add(BoardSeat(club_id=club_id, user_id=person.id, role=role))
    s.flush()


@built_once
def lien_tri(db: Database, name: str = "CLB thôn Liên Trì", key: str = "lientri") -> int:
    """The seed-shaped club with a half-year of books; returns its id."""
    with db.transaction() as s:
        club_id, chair = _club(s, name, key=key)
        # Board of five: the chair, a vice-chair and three members; a district reviewer is not on the board.
        _board(s, club_id, [VICE_CHAIR, BOARD_MEMBER, BOARD_MEMBER, BOARD_MEMBER, REVIEWER], key)
        for area in AREAS:
            volunteers.create_group(s, club_id, area, f"Tổ {area}", chair)
        people = []
        for n in range(43):
            elderly = n < 35
            people.append(
                members.add(
                    s,
                    club_id,
                    NewMember(
                        full_name=f"Thành Viên {n:02d}",
                        birth_year=(1940 + n % 20) if elderly else (1966 + n - 35),
                        sex=FEMALE if n in (0, 1, 2, 35) else MALE,
                        poverty=BETTER_OFF if 3 <= n < 13 else None,
                        ethnic_minority=n in (5, 36),
                        disabled=n == 7,
                        joined_on=date(2025, 2, 1) if n == 42 else date(2019, 4, 8),
                    ),
                    chair,
                    TODAY,
                )
            )
        # Not counted on 31 May 2025: one who left in the period, one who left before, one who joined after.
        gone = members.add(
            s, club_id, NewMember("Người Đã Rời", 1950, FEMALE, poverty=POOR, joined_on=date(2019, 4, 8)), chair, TODAY
        )
        members.mark_left(s, gone, date(2025, 3, 1), chair)
        earlier = members.add(
            s, club_id, NewMember("Người Rời Sớm", 1951, MALE, joined_on=date(2019, 4, 8)), chair, TODAY
        )
        members.mark_left(s, earlier, date(2024, 6, 1), chair)
        members.add(
            s,
            club_id,
            NewMember("Người Mới Sau", 1980, FEMALE, poverty=NEAR_POOR, joined_on=date(2025, 7, 1)),
            chair,
            TODAY,
        )
        ids = [m.id for m in people]

        def give(n, amount, on, fund=INCOME_FUND, kind=CAPITAL):
            ledger.contribute(
                s, club_id, fund=fund, kind=kind, amount=amount, on=on, by=chair, today=TODAY, member_id=ids[n]
            )

        # Initial capital: 23 members, 20,500,000 ₫ in all (22 × 900,000 + 700,000).
        for n in range(22):
            give(n, 900_000, date(2019, 5, 1))
        give(22, 700_000, date(2019, 5, 1))
        ledger.contribute(
            s,
            club_id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=20_000_000,
            on=date(2024, 12, 10),
            by=chair,
            today=TODAY,
            source="Quỹ chăm sóc NCT xã Bình Hiệp",
        )
        give(10, 1_000_000, date(2024, 11, 1), fund=ACTIVITY_FUND, kind=MONTHLY_FEE)
        for n in range(10):
            give(n, 20_000, date(2025, 1, 15), fund=ACTIVITY_FUND, kind=MONTHLY_FEE)
        ledger.spend(s, club_id, amount=150_000, purpose="Nước uống", on=date(2025, 3, 1), by=chair, today=TODAY)

        def lend(n, amount, months, on):
            return loans.lend(
                s,
                club_id,
                member_id=ids[n],
                amount=amount,
                term_months=months,
                purpose="trade",
                on=on,
                by=chair,
                today=TODAY,
            )

        def repay(loan, amount, on):
            loans.repay(s, club_id, loan_id=loan.id, amount=amount, on=on, by=chair, today=TODAY)

        # A: 5,000,000 over 10 months, no fee, repaid on time: 5 instalments before the period, 5 in it.
        loan_a = lend(0, 5_000_000, 10, date(2024, 6, 15))
        for month in range(10):
            repay(loan_a, 500_000, date(2024 + (6 + month) // 12, (6 + month) % 12 + 1, 15))
        # C: 4,000,000 over 8 months from 1 Oct 2024, never repaid: 3,500,000 overdue, all of it at risk.
        lend(2, 4_000_000, 8, date(2024, 10, 1))
        # B: 3,000,000 over 6 months at 1 % a month; three instalments paid, the fourth (515,000) overdue.
        rules = money_rules.lock_books(s, club_id)
        rules.loan_rate_bp = 100
        s.add(rules)
        loan_b = lend(1, 3_000_000, 6, date(2025, 1, 15))
        repay(loan_b, 530_000, date(2025, 2, 15))
        repay(loan_b, 525_000, date(2025, 3, 15))
        repay(loan_b, 520_000, date(2025, 4, 15))

        # Six meetings in the period (income and health), one before it (learning, not counted).
        for month, came in zip((12, 1, 2, 3, 4, 5), (30, 32, 35, 28, 40, 33)):
            meetings.record(
                s,
                club_id,
                MeetingDraft(
                    held_on=date(2024 if month == 12 else 2025, month, 15),
                    attendance=came,
                    areas=(INCOME, HEALTH),
                    health_checks=20,
                ),
                chair,
            )
        meetings.record(
            s,
            club_id,
            MeetingDraft(held_on=date(2024, 11, 15), attendance=25, areas=(LEARNING,), health_checks=10),
            chair,
        )
        volunteers.add_volunteer(s, people[30], date(2020, 1, 1), chair)
        volunteers.add_volunteer(s, people[31], date(2020, 1, 1), chair)
        for day in (5, 12, 19):
            activities.record(
                s,
                club_id,
                NewActivity(HOME_VISIT, HOMECARE, date(2025, 2, day), volunteer_id=ids[30], member_id=ids[20]),
                chair,
            )
        activities.record(s, club_id, NewActivity(HEALTH_DAY, HEALTH, date(2025, 4, 2), people=25), chair)
        activities.record(s, club_id, NewActivity(CULTURE_EVENT, CULTURE, date(2025, 1, 28), people=60), chair)
        return club_id


# What lien_tri's 2025-H1 report must say.
LIEN_TRI_H1 = {
    "members": {
        "total": 43,
        "elderly": 35,
        "young": 8,
        "women": 4,
        "poor": 0,
        "near_poor": 0,
        "better_off": 10,
        "elderly_better_off": 10,
        "ethnic_minority": 2,
        "disabled": 1,
        "joined": 1,
        "left": 1,
    },
    "percent": {
        "elderly": 81.4,
        "young": 18.6,
        "women": 9.3,
        "better_off": 23.3,
        "poor": 0.0,
        "ethnic_minority": 4.7,
        "disabled": 2.3,
    },
    "board": 5,
    "groups": 8,
    "meetings": {"held": 6, "total_attendance": 198, "average_attendance": 33.0},
    "areas_done": ["income", "health", "homecare", "culture"],
    "health_checks": 145,
    "home_visits": 3,
    "volunteers": 2,
    "income": {
        "opening": 14_000_000,
        "contributions": 20_000_000,
        "from_outside": 20_000_000,
        "from_members": 0,
        "loans_out": 3_000_000,
        "repayments": 4_075_000,
        "principal_repaid": 4_000_000,
        "fees": 75_000,
        "expenses": 0,
        "closing": 35_075_000,
    },
    "activity": {
        "opening": 1_000_000,
        "contributions": 200_000,
        "from_outside": 0,
        "from_members": 200_000,
        "loans_out": 0,
        "repayments": 0,
        "principal_repaid": 0,
        "fees": 0,
        "expenses": 150_000,
        "closing": 1_050_000,
    },
    "loans": {
        "borrowers": 2,
        "open_loans": 2,
        "ever_borrowed": 3,
        "ever_borrowed_percent": 7.0,
        "disbursed": 3_000_000,
        "loans_in_period": 1,
        "borrowers_in_period": 1,
        "opening_outstanding": 6_500_000,
        "outstanding": 5_500_000,
        "overdue_amount": 4_015_000,
        "overdue_loans": 2,
        "overdue_borrowers": 2,
        "at_risk_30": 4_000_000,
        "par30_percent": 72.7,
    },
    "indicators": {
        "members_40": True,
        "women_60_70": False,
        "elderly_60_70": False,
        "young_30_40": False,
        "both_funds": True,
        "all_eight_areas": False,
        "borrowed_50": False,
    },
}


@built_once
def model_club(db: Database, name: str = "CLB Mẫu", district: str = "Bình Sơn", key: str = "model") -> int:
    """A club that meets every target in 2025-H1: 50 members, 32 women (64 %), 33 older people (66 %),
    17 younger (34 %), all eight areas, both funds, 25 members (50 %) who have borrowed."""
    with db.transaction() as s:
        club_id, chair = _club(s, name, district, key)
        ids = [
            members.add(
                s,
                club_id,
                NewMember(
                    f"Hội Viên {n:02d}",
                    1950 if n < 33 else 1980,
                    FEMALE if n < 32 else MALE,
                    poverty=POOR if n < 5 else None,
                    joined_on=date(2020, 1, 1),
                ),
                chair,
                TODAY,
            ).id
            for n in range(50)
        ]
        for n in range(50):
            ledger.contribute(
                s,
                club_id,
                fund=INCOME_FUND,
                kind=CAPITAL,
                amount=2_000_000,
                on=date(2024, 12, 5),
                by=chair,
                today=TODAY,
                member_id=ids[n],
            )
        ledger.contribute(
            s,
            club_id,
            fund=ACTIVITY_FUND,
            kind=MONTHLY_FEE,
            amount=500_000,
            on=date(2024, 12, 5),
            by=chair,
            today=TODAY,
            member_id=ids[0],
        )
        for n in range(25):
            loans.lend(
                s,
                club_id,
                member_id=ids[n],
                amount=3_000_000,
                term_months=12,
                purpose="livestock",
                on=date(2025, 5, 10),
                by=chair,
                today=TODAY,
            )
        meetings.record(s, club_id, MeetingDraft(held_on=date(2025, 3, 15), attendance=45, areas=AREAS), chair)
        return club_id
