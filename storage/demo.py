"""A sample club for newcomers (`python -m bot demo`): about fifty members, a year of monthly meetings,
contributions, loans and repayments, a few of them overdue, so every screen and report has something to show.

Everything goes through the same storage functions the bot uses, so the books obey the same rules.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from storage import activities, clubs, ledger, loans, meetings, members, money_rules, users, volunteers
from storage.activities import NewActivity
from storage.clubs import NewClub
from storage.ledger import MoneyError
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
    LOAN_PURPOSES,
    MALE,
    MONTHLY_FEE,
    NEAR_POOR,
    POOR,
    SECRETARY,
    TREASURER,
    VICE_CHAIR,
    BoardSeat,
    Club,
    LoanInstalment,
    Member,
)
from storage.schedule import add_months

# The sample club's names and places: data in Vietnamese, as a club would type it, kept out of the code.
SAMPLE = json.loads((Path(__file__).with_name("demo_club.json")).read_text(encoding="utf-8"))
FAMILY, GIVEN_F, GIVEN_M = SAMPLE["family_names"], SAMPLE["given_names_female"], SAMPLE["given_names_male"]
MIDDLE_F, MIDDLE_M = SAMPLE["middle_names_female"], SAMPLE["middle_names_male"]


class NotEmpty(Exception):
    """The database already holds clubs: the demo only fills an empty one."""


def club_count(session: Session) -> int:
    return session.exec(select(func.count(Club.id))).one()


def fill(session: Session, today: date, seed: int = 2019) -> Club:
    """Create the sample club with a year of history up to `today`; refuses a database with clubs in it."""
    if club_count(session):
        raise NotEmpty()
    rng = random.Random(seed)
    chair = users.get_or_create(session, "demo", "chair", SAMPLE["chair"])
    club = clubs.create_club(session, chair, NewClub(**SAMPLE["club"], meeting_day=15, founded_on=date(2019, 4, 8)))
    for n, role in enumerate((VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER)):
        person = users.get_or_create(session, "demo", f"board-{n}", SAMPLE["board_member"].format(number=n + 1))
        session.add(BoardSeat(club_id=club.id, user_id=person.id, role=role))
    start = add_months(date(today.year, today.month, 1), -12)

    people: list[Member] = []
    for n in range(50):
        woman = n % 3 != 2 if n < 40 else n % 2 == 0  # about two in three are women, as the programme wants
        elderly = n < 34
        name = " ".join(
            (rng.choice(FAMILY), rng.choice(MIDDLE_F if woman else MIDDLE_M), rng.choice(GIVEN_F if woman else GIVEN_M))
        )
        poverty = rng.choices((POOR, NEAR_POOR, BETTER_OFF, None), (2, 3, 2, 5))[0]
        joined = date(2019, 4, 8) if n < 44 else start + timedelta(days=30 * (n - 43))
        people.append(
            members.add(
                session,
                club.id,
                NewMember(
                    f"{name} {n + 1}" if any(p.full_name == name for p in people) else name,
                    rng.randint(1938, 1962) if elderly else rng.randint(1968, 1992),
                    FEMALE if woman else MALE,
                    poverty,
                    ethnic_minority=n % 17 == 3,
                    disabled=n % 23 == 5,
                    joined_on=joined,
                ),
                chair,
                today,
            )
        )
    members.mark_left(session, people[-1], today - timedelta(days=20), chair)
    ids = [m.id for m in people]

    # Initial capital long ago, a grant from the commune, then monthly fees to the activity fund.
    for n in range(23):
        ledger.contribute(
            session,
            club.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=900_000 if n < 22 else 700_000,
            on=date(2019, 5, 1),
            by=chair,
            today=today,
            member_id=ids[n],
        )
    ledger.contribute(
        session,
        club.id,
        fund=INCOME_FUND,
        kind=CAPITAL,
        amount=20_000_000,
        on=start + timedelta(days=20),
        by=chair,
        today=today,
        source=SAMPLE["grant_source"],
    )
    rules = money_rules.lock_books(session, club.id)
    rules.loan_rate_bp, rules.monthly_fee = 50, 10_000
    session.add(rules)

    month = start
    while month <= today:
        meeting_day = date(month.year, month.month, 15)
        if meeting_day <= today:
            payers = [i for i, m in zip(ids, people) if m.joined_on <= meeting_day and rng.random() < 0.85]
            for member_id in payers:
                ledger.contribute(
                    session,
                    club.id,
                    fund=ACTIVITY_FUND,
                    kind=MONTHLY_FEE,
                    amount=10_000,
                    on=meeting_day,
                    by=chair,
                    today=today,
                    member_id=member_id,
                )
            areas = {INCOME, HEALTH} | set(rng.sample(AREAS, 2))
            meetings.record(
                session,
                club.id,
                MeetingDraft(
                    held_on=meeting_day,
                    attendance=rng.randint(30, 45),
                    areas=tuple(areas),
                    health_checks=rng.randint(15, 30),
                    topic=SAMPLE["meeting_topic"],
                ),
                chair,
            )
            ledger.spend(
                session,
                club.id,
                amount=rng.choice((100_000, 150_000, 200_000)),
                purpose=SAMPLE["meeting_expense"],
                on=meeting_day,
                by=chair,
                today=today,
            )
        month = add_months(month, 1)

    for helper in people[30:33]:
        volunteers.add_volunteer(session, helper, start, chair)
    for n in range(12):
        activities.record(
            session,
            club.id,
            NewActivity(
                HOME_VISIT, HOMECARE, start + timedelta(days=25 * n + 3), volunteer_id=ids[30 + n % 3], member_id=ids[n]
            ),
            chair,
        )
    activities.record(session, club.id, NewActivity(HEALTH_DAY, HEALTH, start + timedelta(days=100), people=40), chair)
    activities.record(
        session, club.id, NewActivity(CULTURE_EVENT, CULTURE, start + timedelta(days=200), people=80), chair
    )

    # Loans through the year; most repay on time, three fall behind.
    late = {3, 8, 13}
    for n in range(18):
        on = start + timedelta(days=18 * n + 5)
        if on > today:
            break
        try:
            loan = loans.lend(
                session,
                club.id,
                member_id=ids[n + 1],
                amount=rng.choice((3, 4, 5)) * 1_000_000,
                term_months=rng.choice((6, 10, 12)),
                purpose=rng.choice(LOAN_PURPOSES),
                on=on,
                by=chair,
                today=today,
            )
        except MoneyError:  # checked before anything is written: the fund is short that day, skip this loan
            continue
        schedule = session.exec(
            select(LoanInstalment).where(LoanInstalment.loan_id == loan.id).order_by(LoanInstalment.number)
        ).all()
        for number, instalment in enumerate(schedule):
            if instalment.due_on > today or (n in late and number >= 2):
                break
            loans.repay(
                session,
                club.id,
                loan_id=loan.id,
                amount=instalment.principal + instalment.interest,
                on=instalment.due_on,
                by=chair,
                today=today,
            )
    session.flush()
    return club
