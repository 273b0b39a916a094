"""Dates that cannot be true are refused, saying the earliest date allowed; nothing is saved and the question
is asked again, then a possible date is taken.

No date comes before 01/01/1990 (there were no self-help clubs before); a club's records start the day it
was founded; money from or to a member starts the day they joined; a repayment starts the day its loan was
paid out; a member leaves on or after the day they joined, and joined no later than their first money and their
leaving. The test clock stands at 23/11/2026; the club registered in conftest was founded on 08/04/2019, and
tests.money_support puts members on its list who joined on 01/01/2020.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from storage import activities, clubs, ledger, loans, meetings, members, users
from storage.activities import NewActivity
from storage.clubs import NewClub
from storage.dates import (
    EVER,
    FIRST_MONEY,
    FOUNDED,
    JOINED,
    LEFT,
    PAID_OUT,
    DateTooEarly,
    Earliest,
    JoinedTooLate,
    Latest,
    earliest_entry_date,
)
from storage.meetings import MeetingDraft
from storage.members import NewMember
from storage.models import (
    ACTIVITY_FUND,
    CAPITAL,
    FEMALE,
    HEALTH,
    HEALTH_DAY,
    INCOME_FUND,
    MALE,
    Activity,
    Club,
    Conversation,
    LedgerEntry,
    Loan,
    Meeting,
    Member,
    User,
)
from tests.conftest import REGISTRATION, register_club
from tests.money_support import TODAY, club_with_members, entries, member_named

FOUNDED_ON = date(2019, 4, 8)
JOINED_ON = date(2020, 1, 1)  # tests.money_support.add_members

BEFORE_1990 = "Trước 01/01/1990 chưa có CLB tự giúp nhau nào. Xin gõ một ngày từ 01/01/1990 đến hôm nay."
BEFORE_FOUNDING = "Ngày này trước khi CLB thành lập (08/04/2019). Xin gõ một ngày từ 08/04/2019 đến hôm nay."
BEFORE_JOINING = (
    "Ngày này trước khi thành viên vào CLB (01/01/2020). Xin gõ một ngày từ 01/01/2020 đến hôm nay; "
    "nếu họ vào CLB sớm hơn, hãy sửa ngày vào CLB trước trong /thanhvien (Sửa)."
)
BEFORE_PAYOUT = "Ngày này trước khi khoản vay được giải ngân (23/11/2026). Xin gõ một ngày từ 23/11/2026 đến hôm nay."

# Answers by number, as people type them: a money read-back offers 1 save, 2 cancel, 3 another date.
SAVE, ANOTHER_DATE = "1", "3"
INCOME, ACTIVITY = "1", "2"
KIND_CAPITAL = "1"
NEXT_MEMBER = "1"
SMALL_TRADE = "3"
LOG_MEETING, LOG_ACTIVITY = "1", "4"  # the /hop menu
HEALTH_CHECK_DAY = "2"  # the kinds of activity


def step_of(db, user_id: str = "1") -> str | None:
    """The question waiting for the person's answer."""
    with db.transaction() as s:
        return s.exec(select(Conversation.step).where(Conversation.user_key == user_id)).one()


def rows(db, table) -> list:
    with db.transaction() as s:
        return list(s.exec(select(table).order_by(table.id)))


def fund_on(db, day: date, fund: str = INCOME_FUND, amount: int = 10_000_000) -> None:
    """Money in the fund since `day`, given by the commune."""
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        ledger.contribute(
            s,
            club.id,
            fund=fund,
            kind=CAPITAL,
            amount=amount,
            on=day,
            by=s.get(User, club.created_by),
            today=TODAY,
            source="UBND xã Bình Hiệp",
        )


def set_joined(db, full_name: str, day: date) -> None:
    with db.transaction() as s:
        member = s.exec(select(Member).where(Member.full_name == full_name)).one()
        member.joined_on = day
        s.add(member)


# --- registering a club ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01/01/0001", "08/04/1800", "31/12/1989"])
def test_a_founding_date_before_1990_is_refused_and_asked_again(person, db, typed):
    chair = person()
    chair.says_all(*REGISTRATION[:7])  # up to the founding decision; next comes its date
    refused = chair.says(typed)
    assert BEFORE_1990 in refused
    assert step_of(db) == "founded_on"
    chair.says_all("01/01/1990", "15", "1")
    [club] = rows(db, Club)
    assert club.founded_on == date(1990, 1, 1)


# --- money: the 'Another date' of the read-back ------------------------------------------------------------


def test_a_contribution_dated_before_the_member_joined_is_refused_then_a_possible_date_saved(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/donggop Lê Thị Hoa 50k", INCOME, KIND_CAPITAL, ANOTHER_DATE)
    for impossible in ("01/01/0001", "07/04/2019", "31/12/2019"):
        assert BEFORE_JOINING in chair.says(impossible)
        assert step_of(db) == "date" and entries(db) == []
    assert "01/01/2020" in chair.says("01/01/2020")  # the read-back
    chair.says(SAVE)
    assert [e.entry_date for e in entries(db)] == [JOINED_ON]


def test_a_donation_from_outside_dated_before_the_club_was_founded_is_refused(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/donggop Quỹ chăm sóc người cao tuổi xã 20tr", "1", INCOME, ANOTHER_DATE)
    assert BEFORE_FOUNDING in chair.says("07/04/2019")
    assert step_of(db) == "date" and entries(db) == []
    chair.says_all("08/04/2019", SAVE)
    assert [e.entry_date for e in entries(db)] == [FOUNDED_ON]


def test_an_expense_dated_before_the_club_was_founded_is_refused(person, db):
    chair = club_with_members(person, db)
    fund_on(db, JOINED_ON, ACTIVITY_FUND, 300_000)
    chair.says_all("/chi 100k văn nghệ", ANOTHER_DATE)
    assert BEFORE_FOUNDING in chair.says("01/01/2019")
    assert step_of(db) == "date" and len(entries(db)) == 1
    chair.says_all("01/01/2020", SAVE)
    assert [(e.amount, e.entry_date) for e in entries(db)[1:]] == [(-100_000, JOINED_ON)]


def test_a_loan_dated_before_the_borrower_joined_is_refused(person, db):
    chair = club_with_members(person, db)
    fund_on(db, FOUNDED_ON)
    chair.says_all("/vay Nguyễn Thị Lan 2tr 12", SMALL_TRADE, ANOTHER_DATE)
    assert BEFORE_JOINING in chair.says("31/12/2019")
    assert step_of(db) == "date" and rows(db, Loan) == []
    chair.says_all("01/01/2020", SAVE)
    [loan] = rows(db, Loan)
    assert loan.disbursed_on == JOINED_ON


def test_a_repayment_dated_before_its_loan_was_paid_out_is_refused(person, db):
    chair = club_with_members(person, db)
    fund_on(db, JOINED_ON)
    chair.says_all("/vay Nguyễn Thị Lan 2tr 12", SMALL_TRADE, SAVE)  # paid out today, 23/11/2026
    chair.says_all("/trano Nguyễn Thị Lan 500k", ANOTHER_DATE)
    assert BEFORE_PAYOUT in chair.says("22/11/2026")
    assert step_of(db) == "date" and len(entries(db)) == 2
    chair.says_all("23/11/2026", SAVE)
    assert [(e.amount, e.entry_date) for e in entries(db)[2:]] == [(500_000, TODAY)]


def test_the_next_member_who_joined_after_the_date_kept_is_asked_for_another_date(person, db):
    chair = club_with_members(person, db)
    set_joined(db, "Lê Thị Hoa", date(2026, 11, 1))
    chair.says_all("/donggop Nguyễn Thị Lan 20k", INCOME, KIND_CAPITAL, ANOTHER_DATE, "15/10/2026", SAVE)
    chair.says(NEXT_MEMBER)
    asked = chair.says("Lê Thị Hoa 20k")  # the date 15/10/2026 is kept for her, but she joined on 01/11/2026
    assert "Ngày này trước khi thành viên vào CLB (01/11/2026). Xin gõ một ngày từ 01/11/2026 đến hôm nay;" in asked
    assert step_of(db) == "date" and len(entries(db)) == 1
    chair.says_all("01/11/2026", SAVE)
    hoa = member_named(db, "Lê Thị Hoa")
    assert [(e.member_id, e.entry_date) for e in entries(db)[1:]] == [(hoa.id, date(2026, 11, 1))]


# --- meetings and activities ----------------------------------------------------------------------------


def test_a_meeting_dated_01_01_0001_is_refused_naming_the_founding_date(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/hop", LOG_MEETING)
    assert BEFORE_FOUNDING in chair.says("01/01/0001")
    assert step_of(db) == "held_on"
    chair.says_all("08/04/2019", "3", "1 2", "xong", "2", "bỏ qua", "bỏ qua", "1", "1")
    assert [m.held_on for m in rows(db, Meeting)] == [FOUNDED_ON]


def test_a_club_registered_without_a_founding_date_logs_nothing_before_1990(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:7], "bỏ qua", "15", "1")
    chair.says_all("/hop", LOG_MEETING)
    assert BEFORE_1990 in chair.says("31/12/1989")
    assert step_of(db) == "held_on" and rows(db, Meeting) == []


def test_an_activity_dated_before_the_club_was_founded_is_refused(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/hop", LOG_ACTIVITY, HEALTH_CHECK_DAY)
    assert BEFORE_FOUNDING in chair.says("31/12/2018")
    assert step_of(db) == "act_date"
    chair.says_all("08/04/2019", "40", "bỏ qua", "1")
    assert [(a.kind, a.held_on) for a in rows(db, Activity)] == [(HEALTH_DAY, FOUNDED_ON)]


# --- members: joining and leaving -------------------------------------------------------------------------


def test_a_joining_date_before_the_club_was_founded_is_refused(person, db):
    chair = person()
    register_club(chair)
    chair.says_all("/thanhvien", "2", "Nguyễn Thị Lan, 1952, nữ", "1")
    chair.says_all("/thanhvien Lan", "Sửa", "Ngày vào CLB")
    assert BEFORE_FOUNDING in chair.says("01/01/0001")
    assert step_of(db) == "value"
    chair.says_all("08/04/2019", "1")
    assert [m.joined_on for m in rows(db, Member)] == [FOUNDED_ON]


def test_a_joining_date_after_the_members_first_money_is_refused(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/donggop Nguyễn Thị Lan 50k", INCOME, KIND_CAPITAL, ANOTHER_DATE, "15/10/2026", SAVE, "2")
    chair.says_all("/thanhvien Nguyễn Thị Lan", "Sửa", "Ngày vào CLB")
    refused = chair.says("16/10/2026")
    assert (
        "Sổ quỹ đã ghi tiền của thành viên từ ngày 15/10/2026, nên ngày vào CLB không thể sau ngày đó. "
        "Xin gõ một ngày từ 08/04/2019 đến 15/10/2026."
    ) in refused
    assert step_of(db) == "value" and member_named(db, "Nguyễn Thị Lan").joined_on == JOINED_ON
    chair.says_all("15/10/2026", "1")
    assert member_named(db, "Nguyễn Thị Lan").joined_on == date(2026, 10, 15)


def test_a_joining_date_after_the_member_left_is_refused(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/thanhvien Nguyễn Thị Lan", "Ghi nhận đã rời CLB", "01/03/2020", "1")
    chair.says_all("/thanhvien Nguyễn Thị Lan", "Sửa", "Ngày vào CLB")
    refused = chair.says("02/03/2020")
    assert "Ngày này sau khi thành viên rời CLB (01/03/2020). Xin gõ một ngày từ 08/04/2019 đến 01/03/2020." in refused
    assert step_of(db) == "value" and member_named(db, "Nguyễn Thị Lan").joined_on == JOINED_ON


def test_a_leaving_date_before_the_joining_date_is_refused(person, db):
    chair = club_with_members(person, db)
    chair.says_all("/thanhvien Nguyễn Thị Lan", "Ghi nhận đã rời CLB")
    assert BEFORE_JOINING in chair.says("31/12/2019")
    assert step_of(db) == "left_on" and member_named(db, "Nguyễn Thị Lan").left_on is None
    chair.says_all("01/01/2020", "1")
    assert member_named(db, "Nguyễn Thị Lan").left_on == JOINED_ON


# --- storage: no path saves such a date -------------------------------------------------------------------


def books_of_a_club_founded_in_2019(db):
    """A club founded on 08/04/2019 with one member who joined on 01/01/2020 and a loan paid out on 01/06/2020;
    the commune gave the activity fund money on the founding day."""
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair", "Nguyễn Văn An")
        club = clubs.create_club(
            s,
            chair,
            NewClub(
                name="CLB thôn Liên Trì",
                village="Liên Trì",
                commune="Bình Hiệp",
                district="Bình Sơn",
                province="Quảng Ngãi",
                meeting_day=15,
                founded_on=FOUNDED_ON,
            ),
        )
        lan = members.add(s, club.id, NewMember("Nguyễn Thị Lan", 1952, FEMALE, joined_on=JOINED_ON), chair, TODAY)
        ledger.contribute(
            s,
            club.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=5_000_000,
            on=JOINED_ON,
            by=chair,
            today=TODAY,
            member_id=lan.id,
        )
        ledger.contribute(
            s,
            club.id,
            fund=ACTIVITY_FUND,
            kind=CAPITAL,
            amount=500_000,
            on=FOUNDED_ON,
            by=chair,
            today=TODAY,
            source="UBND xã Bình Hiệp",
        )
        loan = loans.lend(
            s,
            club.id,
            member_id=lan.id,
            amount=1_000_000,
            term_months=10,
            purpose="trade",
            on=date(2020, 6, 1),
            by=chair,
            today=TODAY,
        )
        return club.id, chair, lan.id, loan.id


def test_the_earliest_date_is_the_narrowest_rule_that_applies(any_db):
    club_id, _chair, lan, loan = books_of_a_club_founded_in_2019(any_db)
    with any_db.transaction() as s:
        assert earliest_entry_date(s, club_id) == Earliest(FOUNDED_ON, FOUNDED)
        assert earliest_entry_date(s, club_id, member_id=lan) == Earliest(JOINED_ON, JOINED)
        assert earliest_entry_date(s, club_id, loan_id=loan) == Earliest(date(2020, 6, 1), PAID_OUT)
        other_chair = users.get_or_create(s, "console", "other", "Trần Văn Bình")
        no_founding = clubs.create_club(
            s,
            other_chair,
            NewClub(
                name="CLB khác",
                village="Liên Trì",
                commune="Bình Hiệp",
                district="Bình Sơn",
                province="Quảng Ngãi",
                meeting_day=15,
            ),
        )
        assert earliest_entry_date(s, no_founding.id) == Earliest(date(1990, 1, 1), EVER)
        # another club's member and loan set no limit here; this club's own member still does
        assert earliest_entry_date(s, no_founding.id, member_id=lan, loan_id=loan) == Earliest(date(1990, 1, 1), EVER)
        joined = date(2021, 3, 1)
        newcomer = NewMember("Trần Văn Bình", 1950, MALE, joined_on=joined)
        binh = members.add(s, no_founding.id, newcomer, other_chair, TODAY)
        assert earliest_entry_date(s, no_founding.id, member_id=binh.id, loan_id=loan) == Earliest(joined, JOINED)


def storage_writes(club_id: int, chair: User, lan: int, loan: int):
    """Each write that takes a date, as a function of that date."""
    return {
        "contribution": lambda s, day: ledger.contribute(
            s, club_id, fund=INCOME_FUND, kind=CAPITAL, amount=50_000, on=day, by=chair, today=TODAY, member_id=lan
        ),
        "donation": lambda s, day: ledger.contribute(
            s, club_id, fund=INCOME_FUND, kind=CAPITAL, amount=50_000, on=day, by=chair, today=TODAY, source="UBND xã"
        ),
        "expense": lambda s, day: ledger.spend(
            s, club_id, amount=1_000, purpose="văn nghệ", on=day, by=chair, today=TODAY
        ),
        "loan": lambda s, day: loans.lend(
            s, club_id, member_id=lan, amount=1_000_000, term_months=6, purpose="trade", on=day, by=chair, today=TODAY
        ),
        "repayment": lambda s, day: loans.repay(
            s, club_id, loan_id=loan, amount=100_000, on=day, by=chair, today=TODAY
        ),
        "meeting": lambda s, day: meetings.record(s, club_id, MeetingDraft(held_on=day, attendance=30), chair),
        "activity": lambda s, day: activities.record(
            s, club_id, NewActivity(HEALTH_DAY, HEALTH, day, people=40), chair
        ),
        "new member": lambda s, day: members.add(
            s, club_id, NewMember("Trần Văn Bình", 1948, "male", joined_on=day), chair, TODAY
        ),
        "joining date": lambda s, day: members.update_field(s, s.get(Member, lan), "joined_on", day, chair),
        "leaving date": lambda s, day: members.mark_left(s, s.get(Member, lan), day, chair),
    }


# What each write may not be dated before, and the first day it may be.
EARLIEST = {
    "contribution": Earliest(JOINED_ON, JOINED),
    "donation": Earliest(FOUNDED_ON, FOUNDED),
    "expense": Earliest(FOUNDED_ON, FOUNDED),
    "loan": Earliest(JOINED_ON, JOINED),
    "repayment": Earliest(date(2020, 6, 1), PAID_OUT),
    "meeting": Earliest(FOUNDED_ON, FOUNDED),
    "activity": Earliest(FOUNDED_ON, FOUNDED),
    "new member": Earliest(FOUNDED_ON, FOUNDED),
    "joining date": Earliest(FOUNDED_ON, FOUNDED),
    "leaving date": Earliest(JOINED_ON, JOINED),
}


def everything_stored(db) -> tuple:
    return tuple((table.__name__, len(rows(db, table))) for table in (LedgerEntry, Loan, Meeting, Activity, Member))


@pytest.mark.parametrize("write", sorted(EARLIEST))
def test_storage_refuses_a_date_before_the_earliest_and_takes_the_earliest(any_db, write):
    club_id, chair, lan, loan = books_of_a_club_founded_in_2019(any_db)
    earliest = EARLIEST[write]
    before = everything_stored(any_db)
    for impossible in (date(1, 1, 1), date(1800, 1, 1), earliest.on - timedelta(days=1)):
        with pytest.raises(DateTooEarly) as refused, any_db.transaction() as s:
            storage_writes(club_id, chair, lan, loan)[write](s, impossible)
        assert refused.value.earliest == earliest
        assert everything_stored(any_db) == before
    with any_db.transaction() as s:
        storage_writes(club_id, chair, lan, loan)[write](s, earliest.on)


def test_storage_refuses_a_joining_date_after_the_members_first_money_or_leaving(any_db):
    club_id, chair, lan, _loan = books_of_a_club_founded_in_2019(any_db)  # Lan's money from 01/01/2020 on
    with any_db.transaction() as s:
        binh = members.add(s, club_id, NewMember("Trần Văn Bình", 1948, "male", joined_on=JOINED_ON), chair, TODAY)
        members.mark_left(s, binh, date(2020, 6, 1), chair)  # no money of his
        binh = binh.id
    for member, too_late, latest in (
        (lan, date(2020, 1, 2), Latest(JOINED_ON, FIRST_MONEY)),
        (binh, date(2020, 6, 2), Latest(date(2020, 6, 1), LEFT)),
    ):
        with pytest.raises(JoinedTooLate) as refused, any_db.transaction() as s:
            members.update_field(s, s.get(Member, member), "joined_on", too_late, chair)
        assert refused.value.latest == latest
        with any_db.transaction() as s:
            assert s.get(Member, member).joined_on == JOINED_ON
    with any_db.transaction() as s:
        members.update_field(s, s.get(Member, binh), "joined_on", date(2020, 6, 1), chair)


def test_a_meeting_moved_before_the_founding_is_refused(any_db):
    club_id, chair, _lan, _loan = books_of_a_club_founded_in_2019(any_db)
    with any_db.transaction() as s:
        meeting_id = meetings.record(s, club_id, MeetingDraft(held_on=TODAY, attendance=30), chair).id
    with pytest.raises(DateTooEarly), any_db.transaction() as s:
        meetings.update(s, s.get(Meeting, meeting_id), MeetingDraft(held_on=date(2019, 4, 7), attendance=30), chair)
    assert [m.held_on for m in rows(any_db, Meeting)] == [TODAY]


def test_a_club_founded_before_1990_is_not_registered(any_db):
    with pytest.raises(DateTooEarly) as refused, any_db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair", "Nguyễn Văn An")
        clubs.create_club(
            s,
            chair,
            NewClub(
                name="CLB thôn Liên Trì",
                village="Liên Trì",
                commune="Bình Hiệp",
                district="Bình Sơn",
                province="Quảng Ngãi",
                meeting_day=15,
                founded_on=date(1800, 4, 8),
            ),
        )
    assert refused.value.earliest == Earliest(date(1990, 1, 1), EVER)
    assert rows(any_db, Club) == []
