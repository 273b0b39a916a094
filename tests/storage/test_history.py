"""An existing club moves in (storage.history): members with join dates and capital, the funds' cash, running
loans; planned first with every problem named, then saved at once, and saved again without doubling anything."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from storage import clubs, history, ledger, loans, users
from storage.clubs import NewClub
from storage.db import Database
from storage.history import BroughtMember, MovingIn, RunningLoan, Where
from storage.members import NewMember
from storage.models import ACTIVITY_FUND, FEMALE, INCOME_FUND, MALE, OPENING, Club, LedgerEntry, Loan, Member, User

TODAY = date(2026, 11, 23)
START = date(2025, 11, 30)


def founded_club(db: Database) -> tuple[int, User]:
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-history", "Nguyễn Văn An")
        club = clubs.create_club(
            s,
            chair,
            NewClub("CLB thôn Liên Trì", "Liên Trì", "Bình Hiệp", "Bình Sơn", "Quảng Ngãi", 15, None, date(2019, 4, 8)),
        )
        assert club.id is not None
        return club.id, chair


def member(name: str, year: int, sex: str = FEMALE, joined: date | None = date(2019, 4, 8), **more) -> NewMember:
    return NewMember(name, year, sex, joined_on=joined, **more)


LAN = BroughtMember(member("Nguyễn Thị Lan", 1952), capital=2_000_000, where=Where("Thành viên", 3))
BINH = BroughtMember(
    member("Trần Văn Bình", 1948, MALE, date(2020, 3, 1)), capital=1_500_000, where=Where("Thành viên", 4)
)
HOA = BroughtMember(member("Lê Thị Hoa", 1990, joined=date(2024, 6, 1)), capital=500_000, where=Where("Thành viên", 5))
# 3.000.000 paid out on 15/03/2025 over 12 months at 1 % a month; 1.000.000 of it still owed on the start.
LAN_LOAN = RunningLoan("Nguyen Thi Lan", 3_000_000, date(2025, 3, 15), 12, 100, 1_000_000, where=Where("Khoản vay", 3))
BOOKS = MovingIn(
    records_start=START,
    members=(LAN, BINH, HOA),
    income_cash=2_400_000,
    activity_cash=350_000,
    loans=(LAN_LOAN,),
)


def joined(brought: BroughtMember, day: date) -> BroughtMember:
    return replace(brought, member=replace(brought.member, joined_on=day))


def save(db: Database, club_id: int, chair: User, moving_in: MovingIn = BOOKS) -> history.Plan:
    with db.transaction() as s:
        return history.save(s, club_id, moving_in, chair, TODAY)


def plan(db: Database, club_id: int, moving_in: MovingIn) -> history.Plan:
    with db.transaction() as s:
        return history.plan(s, club_id, moving_in, TODAY)


def codes(found: history.Plan) -> list[str]:
    return [p.code for p in found.problems]


def test_a_club_moves_in_with_its_balances_capital_and_a_running_loan(any_db):
    club_id, chair = founded_club(any_db)
    saved = save(any_db, club_id, chair)
    assert (saved.members_new, saved.loans_new, saved.funds, saved.capital, saved.outstanding) == (
        3,
        1,
        2,
        4_000_000,
        1_000_000,
    )
    with any_db.transaction() as s:
        assert s.get(Club, club_id).records_start == START
        # the funds hold on the start what the board declared, whatever the loan's entries did before it
        assert ledger.cash(s, club_id, INCOME_FUND, as_of=START) == 2_400_000
        assert ledger.cash(s, club_id, ACTIVITY_FUND, as_of=START) == 350_000
        lan = s.exec(select(Member).where(Member.full_name == "Nguyễn Thị Lan")).one()
        assert lan.joined_on == date(2019, 4, 8)
        capital = s.exec(
            select(LedgerEntry.amount).where(LedgerEntry.kind == OPENING, LedgerEntry.member_id == lan.id)
        ).all()
        assert capital == [2_000_000]
        loan = s.exec(select(Loan)).one()
        assert (loan.member_id, loan.principal, loan.disbursed_on, loan.monthly_rate_bp) == (
            lan.id,
            3_000_000,
            date(2025, 3, 15),
            100,
        )
        # on the start: 1.000.000 of principal left; instalments 1-8 (due 15/04..15/11) fall due by then
        pos = loans.loan_position(s, loan, START)
        assert pos.principal_left == 1_000_000
        assert pos.interest_due == 0
        # 8 instalments of 250.000 were due by the start and 2.000.000 was repaid: nothing overdue
        assert pos.overdue == 0
        assert pos.next_due_on == date(2025, 12, 15)


def test_saving_the_same_books_again_doubles_nothing(any_db):
    club_id, chair = founded_club(any_db)
    save(any_db, club_id, chair)
    with any_db.transaction() as s:
        before = s.exec(select(LedgerEntry.id)).all()
    again = save(any_db, club_id, chair)
    assert (again.members_new, again.members_same, again.loans_new, again.loans_known) == (0, 3, 0, 1)
    with any_db.transaction() as s:
        assert s.exec(select(LedgerEntry.id)).all() == before
        assert len(s.exec(select(Member)).all()) == 3
        assert len(s.exec(select(Loan)).all()) == 1


def test_books_given_again_with_a_changed_figure_write_only_the_difference(any_db):
    club_id, chair = founded_club(any_db)
    save(any_db, club_id, chair)
    lan = replace(LAN, capital=2_200_000, member=replace(LAN.member, poverty="near_poor"))
    again = save(any_db, club_id, chair, replace(BOOKS, members=(lan, BINH, HOA), income_cash=2_500_000))
    assert (again.members_updated, again.members_same) == (1, 2)
    with any_db.transaction() as s:
        assert ledger.cash(s, club_id, INCOME_FUND, as_of=START) == 2_500_000
        lan_row = s.exec(select(Member).where(Member.full_name == "Nguyễn Thị Lan")).one()
        assert lan_row.poverty == "near_poor"
        capital = s.exec(
            select(LedgerEntry.amount).where(LedgerEntry.kind == OPENING, LedgerEntry.member_id == lan_row.id)
        ).all()
        assert sorted(capital) == [200_000, 2_000_000]


def test_a_club_wide_capital_total_instead_of_each_members(any_db):
    club_id, chair = founded_club(any_db)
    members = tuple(replace(m, capital=None) for m in (LAN, BINH, HOA))
    saved = save(any_db, club_id, chair, replace(BOOKS, members=members, capital_total=20_500_000))
    assert saved.capital == 20_500_000
    with any_db.transaction() as s:
        assert ledger.cash(s, club_id, INCOME_FUND, as_of=START) == 2_400_000


def test_entries_typed_on_the_bot_before_the_start_are_part_of_the_declared_cash(any_db):
    club_id, chair = founded_club(any_db)
    with any_db.transaction() as s:
        s.add(LedgerEntry(club_id=club_id, fund=ACTIVITY_FUND, kind="extra", amount=100_000, source="Xã",
                          entry_date=date(2025, 10, 1), entered_on=TODAY, created_by=chair.id))  # fmt: skip
    save(any_db, club_id, chair)
    with any_db.transaction() as s:
        assert ledger.cash(s, club_id, ACTIVITY_FUND, as_of=START) == 350_000


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"records_start": date(2025, 11, 15)}, history.START_NOT_MONTH_END),
        ({"records_start": date(2026, 12, 31)}, history.START_IN_FUTURE),
        ({"records_start": date(2019, 1, 31)}, history.START_BEFORE_FOUNDING),
        ({"income_cash": -5}, history.NEGATIVE_AMOUNT),
        ({"capital_total": 9_000_000}, history.CAPITAL_TWICE),
        ({"members": (LAN, BINH, HOA, replace(LAN, where=Where("Thành viên", 9)))}, history.DUPLICATE_MEMBER),
        ({"members": (joined(LAN, date(2018, 1, 1)),)}, history.JOINED_BEFORE_FOUNDING),
        ({"members": (joined(HOA, date(2026, 1, 1)),)}, history.CAPITAL_BEFORE_JOINING),
        ({"loans": (replace(LAN_LOAN, borrower="Nguyễn Thị Lna"),)}, history.UNKNOWN_BORROWER),
        ({"loans": (replace(LAN_LOAN, owed=3_500_000),)}, history.LOAN_OWED_MORE),
        ({"loans": (replace(LAN_LOAN, owed=0),)}, history.LOAN_REPAID),
        ({"loans": (replace(LAN_LOAN, disbursed_on=date(2025, 12, 2)),)}, history.LOAN_AFTER_START),
        ({"loans": (replace(LAN_LOAN, borrower="Lê Thị Hoa", disbursed_on=date(2024, 1, 2)),)},
         history.LOAN_BEFORE_JOINED),
        ({"loans": (replace(LAN_LOAN, disbursed_on=date(2024, 3, 15)),)}, history.LOAN_TERM_ENDED),
        ({"loans": (replace(LAN_LOAN, term_months=120),)}, history.LOAN_TERM_RANGE),
        ({"loans": (replace(LAN_LOAN, rate_bp=500),)}, history.LOAN_RATE_RANGE),
    ],
)  # fmt: skip
def test_books_that_cannot_be_true_are_refused_with_the_reason_and_nothing_saved(any_db, change, code):
    club_id, chair = founded_club(any_db)
    found = plan(any_db, club_id, replace(BOOKS, **change))
    assert code in codes(found)
    with any_db.transaction() as s, pytest.raises(history.NotClean):
        history.save(s, club_id, replace(BOOKS, **change), chair, TODAY)
    with any_db.transaction() as s:
        assert s.exec(select(LedgerEntry)).all() == []
        assert s.get(Club, club_id).records_start is None


def test_a_problem_names_where_it_came_from(any_db):
    club_id, _chair = founded_club(any_db)
    found = plan(any_db, club_id, replace(BOOKS, loans=(replace(LAN_LOAN, owed=4_000_000),)))
    assert found.problems == [
        history.Problem(history.LOAN_OWED_MORE, Where("Khoản vay", 3), {"owed": 4_000_000, "principal": 3_000_000})
    ]


def test_two_members_of_one_name_need_the_birth_year_to_tell_the_borrower(any_db):
    club_id, chair = founded_club(any_db)
    other_lan = BroughtMember(member("Nguyễn Thị Lan", 1961), where=Where("Thành viên", 6))
    books = replace(BOOKS, members=(LAN, BINH, HOA, other_lan))
    assert codes(plan(any_db, club_id, books)) == [history.AMBIGUOUS_BORROWER]
    told = replace(books, loans=(replace(LAN_LOAN, birth_year=1961),))
    save(any_db, club_id, chair, told)
    with any_db.transaction() as s:
        borrower = s.get(Member, s.exec(select(Loan)).one().member_id)
        assert borrower.birth_year == 1961


def test_the_records_start_is_set_once(any_db):
    club_id, chair = founded_club(any_db)
    save(any_db, club_id, chair)
    assert codes(plan(any_db, club_id, replace(BOOKS, records_start=date(2026, 5, 31)))) == [history.START_ALREADY_SET]
