"""Report figures that stay right (issue 15): a running half-year taken as of today, funds in use net of
reversals, percentages rounded half up, members of unknown age, the district's totals and order, and the
corrections of earlier periods. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from storage import clubs, corrections, ledger, loans, meetings, members, personal_data, reports, submissions, users
from storage.clubs import NewClub
from storage.meetings import MeetingDraft
from storage.members import NewMember
from storage.models import ACTIVITY_FUND, AREAS, CAPITAL, FEMALE, INCOME, INCOME_FUND, MALE, MONTHLY_FEE
from storage.periods import period
from storage.report_model import AreaTotals, Correction
from tests.report_support import H1, _club, lien_tri, model_club

DEC_6 = date(2026, 12, 6)  # a day early in 2027-H1 (1 December 2026 - 31 May 2027)
RUNNING = "2027-H1"


def _paid(s, club_id: int, chair, member_id: int, fund: str, kind: str, amount: int, on: date):
    """A member's contribution, typed in on the day it was paid."""
    return ledger.contribute(
        s, club_id, fund=fund, kind=kind, amount=amount, on=on, by=chair, today=on, member_id=member_id
    )


def _people(s, club_id: int, chair, birth_years: list[int], *, women: int = 0, joined: date = date(2020, 1, 1)):
    return [
        members.add(
            s,
            club_id,
            NewMember(f"Hội Viên {n:03d}", year, FEMALE if n < women else MALE, joined_on=joined),
            chair,
            joined,
        ).id
        for n, year in enumerate(birth_years)
    ]


# --- a running half-year is reported as of today -----------------------------------------------------------


def test_a_loan_paid_out_today_is_not_overdue_in_the_running_half_year(any_db):
    with any_db.transaction() as s:
        club_id, chair = _club(s, "CLB Đang Chạy")
        (borrower,) = _people(s, club_id, chair, [1980])
        _paid(s, club_id, chair, borrower, INCOME_FUND, CAPITAL, 5_000_000, date(2026, 11, 2))
        loans.lend(
            s,
            club_id,
            member_id=borrower,
            amount=3_000_000,
            term_months=6,
            purpose="trade",
            on=DEC_6,
            by=chair,
            today=DEC_6,
        )  # first instalment due 6 January 2027
    with any_db.transaction() as s:
        now = reports.club_report(s, club_id, period(RUNNING), today=DEC_6)
        at_the_end = reports.club_report(s, club_id, period(RUNNING))
    assert now.period.as_of == DEC_6 and now.period.running is True
    assert (now.loans.overdue_loans, now.loans.overdue_amount, now.loans.at_risk_30) == (0, 0, 0)
    assert now.loans.par30_percent == 0.0
    assert (now.loans.open_loans, now.loans.borrowers, now.loans.outstanding) == (1, 1, 3_000_000)
    # Judged at 31 May 2027 instead, five of its six instalments would be late.
    assert at_the_end.period == replace(now.period, as_of=date(2027, 5, 31), running=False)
    assert at_the_end.loans.overdue_loans == 1 and at_the_end.loans.par30_percent == 100.0


def test_a_running_half_year_counts_everything_as_of_today(any_db):
    """lien_tri's 2025-H1 as it stood on 20 January 2025, with entries dated later in January and after."""
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1), series=True, today=date(2025, 1, 20))
    assert r.period.as_of == date(2025, 1, 20) and r.period.running is True
    # On the list on 20 January: the woman who left on 1 March still is; the member who joined on 1 February
    # is not yet.
    assert (r.members.total, r.members.women, r.members.joined, r.members.left) == (43, 5, 0, 0)
    assert r.meetings.held == 2  # 15 December and 15 January
    # Income fund: the commune's 20,000,000, A's repayments of 15 December and 15 January, B paid out on
    # 15 January; nothing dated after the 20th (A's and B's repayments of 15 February and later).
    income = r.funds.income
    assert (income.opening, income.contributions, income.repayments, income.loans_out) == (
        14_000_000,
        20_000_000,
        1_000_000,
        3_000_000,
    )
    assert income.closing == 14_000_000 + 20_000_000 + 1_000_000 - 3_000_000
    assert r.funds.activity.closing == 1_000_000 + 200_000  # the expense of 1 March not yet made
    assert r.loans.outstanding == 2_500_000 - 1_000_000 + 4_000_000 + 3_000_000
    # Overdue on 20 January: C's instalments of 1 November, 1 December and 1 January; B owes nothing until
    # 15 February. At risk: C, late since before 21 December.
    assert (r.loans.overdue_loans, r.loans.overdue_amount) == (1, 1_500_000)
    assert r.loans.at_risk_30 == 4_000_000 and r.loans.par30_percent == 47.1  # 4.0 of 8.5 million
    # The chart: December, and January as of the 20th; no month that has not begun.
    assert [p.month_end for p in r.series] == [date(2024, 12, 31), date(2025, 1, 20)]
    assert r.series[-1].income_cash == income.closing
    assert r.series[-1].outstanding == r.loans.outstanding


def test_the_elderly_of_a_running_half_year_are_counted_by_the_year_it_ends(any_db):
    with any_db.transaction() as s:
        club_id, chair = _club(s, "CLB Tuổi Chạy")
        _people(s, club_id, chair, [1966, 1967, 1968])  # 60 in 2026, in 2027, in 2028
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(RUNNING), today=DEC_6)
    assert r.period.running and (r.members.elderly, r.members.young) == (2, 1)


def test_a_half_year_that_has_ended_is_as_of_its_end_whatever_today_is(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        later = reports.club_report(s, club_id, period(H1), today=date(2025, 6, 2))
        plain = reports.club_report(s, club_id, period(H1))
    assert later.period.as_of == date(2025, 5, 31) and later.period.running is False
    assert later == plain


# --- the funds in use, net of reversals ----------------------------------------------------------------------


def test_a_fund_whose_only_entry_was_reversed_is_not_in_use(any_db):
    with any_db.transaction() as s:
        club_id, chair = _club(s, "CLB Một Quỹ")
        (member,) = _people(s, club_id, chair, [1950])
        _paid(s, club_id, chair, member, INCOME_FUND, CAPITAL, 1_000_000, date(2025, 1, 10))
        wrong = _paid(s, club_id, chair, member, ACTIVITY_FUND, MONTHLY_FEE, 20_000, date(2025, 1, 10))
        corrections.reverse(s, club_id, wrong.id, reason="typed in the wrong club", by=chair, today=date(2025, 2, 3))
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1))
    assert r.funds.activity.closing == 0 and r.funds.activity.contributions == 0
    assert r.indicators.both_funds is False


# --- percentages and averages, rounded half up ----------------------------------------------------------------


def test_percentages_and_the_average_attendance_round_half_up(any_db):
    with any_db.transaction() as s:
        club_id, chair = _club(s, "CLB Làm Tròn")
        _people(s, club_id, chair, [1950] * 80, women=53)
        for month, came in ((1, 30), (2, 30), (3, 30), (4, 31)):  # 121 people over 4 meetings: 30.25
            meetings.record(
                s, club_id, MeetingDraft(held_on=date(2025, month, 15), attendance=came, areas=(INCOME,)), chair
            )
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1))
        district = reports.district_report(s, period(H1), club_ids=[club_id])
        figures = meetings.figures(s, club_id, date(2024, 12, 1), date(2025, 5, 31))
    assert r.members.percent["women"] == 66.3  # 53 of 80 is 66.25 %
    assert district.totals.members.percent["women"] == 66.3
    assert r.meetings.average_attendance == 30.3
    assert district.totals.meetings.average_attendance == 30.3
    assert figures.average_attendance == 30.3


def test_the_rounding_helper_stays_in_integers():
    from storage.rounding import one_decimal, percent

    assert (percent(53, 80), percent(35, 43), percent(1, 8), percent(2, 3), percent(5, 0)) == (
        66.3,
        81.4,
        12.5,
        66.7,
        0.0,
    )
    assert one_decimal(121, 4) == 30.3 and one_decimal(0, 0) == 0.0
    # 3/20 is 0.1499999… as a float (round gives 0.1); in integers it is exactly one and a half tenths.
    assert one_decimal(3, 20) == 0.2 and percent(3, 2_000) == 0.2


# --- members whose age is not known ---------------------------------------------------------------------------


def test_an_anonymised_member_is_of_unknown_age_not_young(any_db):
    with any_db.transaction() as s:
        club_id, chair = _club(s, "CLB Ẩn Danh")
        _elderly, _young, asked = _people(s, club_id, chair, [1950, 1980, 1945])
        # Anonymised in December: still on the list of the half-year that ended on 30 November.
        personal_data.anonymise(s, members.get(s, club_id, asked), "Hội viên đã xóa", chair, DEC_6)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period("2026-H2"))
        district = reports.district_report(s, period("2026-H2"), club_ids=[club_id])
    m = r.members
    assert (m.total, m.elderly, m.young, m.unknown_age) == (3, 1, 1, 1)
    assert (m.percent["elderly"], m.percent["young"], m.percent["unknown_age"]) == (33.3, 33.3, 33.3)
    assert district.totals.members.unknown_age == 1
    assert district.totals.members.percent["unknown_age"] == 33.3


# --- the district ---------------------------------------------------------------------------------------------


def test_money_raised_by_source_per_club_and_in_the_district(any_db):
    seed = lien_tri(any_db)
    model = model_club(any_db)
    with any_db.transaction() as s:
        seed_report, model_report = (reports.club_report(s, club_id, period(H1)) for club_id in (seed, model))
        d = reports.district_report(s, period(H1), district="Bình Sơn")
    # Liên Trì: the commune's 20,000,000 and 200,000 of members' fees; the model club: 100,000,000 of capital
    # and 500,000 of fees, all from members.
    funds = seed_report.funds
    assert (funds.raised, funds.raised_from_members, funds.raised_from_outside) == (20_200_000, 200_000, 20_000_000)
    assert model_report.funds.raised == model_report.funds.raised_from_members == 100_500_000
    t = d.totals.funds
    assert (t.raised, t.raised_from_members, t.raised_from_outside) == (120_700_000, 100_700_000, 20_000_000)


def test_a_district_is_found_however_its_name_is_typed(any_db):
    lien_tri(any_db)
    model_club(any_db)
    with any_db.transaction() as s:
        names = [len(reports.district_report(s, period(H1), district=typed).clubs) for typed in
                 ("Bình Sơn", "binh son", "  BÌNH SƠN ", "Binh  Son")]  # fmt: skip
    assert names == [2, 2, 2, 2]


def test_the_district_totals_carry_every_club_figure(any_db):
    lien_tri(any_db)
    model_club(any_db)
    with any_db.transaction() as s:
        d = reports.district_report(s, period(H1), district="Bình Sơn")
    # Key by key on the JSON form, so that a figure added later is summed too.
    first, second = (r.as_json() for r in d.clubs)
    t = d.totals.as_json()
    for fund in ("income", "activity"):
        assert set(t["funds"][fund]) == set(first["funds"][fund]), fund
        for key, value in t["funds"][fund].items():
            if key == "money_in":
                assert value == {
                    kind: first["funds"][fund]["money_in"][kind] + second["funds"][fund]["money_in"][kind]
                    for kind in value
                }
            else:
                assert value == first["funds"][fund][key] + second["funds"][fund][key], (fund, key)
    assert t["funds"]["income"]["money_in"]["donation"] == 20_000_000
    assert set(t["members"]) == set(first["members"])
    assert set(t["members"]["percent"]) == set(first["members"]["percent"])
    for key in reports.SUMMED_MEMBERS:
        assert t["members"][key] == first["members"][key] + second["members"][key], key
    summable = set(first["loans"]) - {"ever_borrowed_percent", "par30_percent"}
    assert set(reports.SUMMED_LOANS) == summable
    for key in summable:
        assert t["loans"][key] == first["loans"][key] + second["loans"][key], key
    summed = d.totals.loans
    # Recomputed from the sums: 28 of 93 members have borrowed; 4,000,000 of 80,500,000 is at risk.
    assert summed.ever_borrowed == 28 and summed.ever_borrowed_percent == 30.1
    assert summed.par30_percent == 5.0
    assert (summed.overdue_loans, summed.open_loans, summed.loans_in_period) == (2, 27, 26)


def test_the_district_counts_the_clubs_that_carried_out_each_area(any_db):
    lien_tri(any_db)  # income, health, homecare, culture
    model_club(any_db)  # all eight, in one meeting
    with any_db.transaction() as s:
        areas = reports.district_report(s, period(H1), district="Bình Sơn").totals.activities.areas
    assert set(areas) == set(AREAS)
    assert areas["health"] == AreaTotals(clubs=2, meetings=7, activities=1)
    assert areas["culture"] == AreaTotals(clubs=2, meetings=1, activities=1)
    assert areas["learning"] == AreaTotals(clubs=1, meetings=1, activities=0)


def test_clubs_come_in_vietnamese_alphabetical_order(any_db):
    places = [
        ("Quảng Ngãi", "Bình Sơn", "CLB Em"),
        ("Quảng Ngãi", "Bình Sơn", "CLB Đông Hòa"),
        ("Quảng Ngãi", "Bình Sơn", "CLB Dương"),
        ("Quảng Ngãi", "Ba Tơ", "CLB Zê"),
        ("Đắk Lắk", "Buôn Đôn", "CLB Ea Wer"),
        ("Quảng Ngãi", "Bình Sơn", "CLB An"),
    ]
    with any_db.transaction() as s:
        for n, (province, district, name) in enumerate(places):
            chair = users.get_or_create(s, "console", f"chair-order-{n}", "Nguyễn Văn An")
            clubs.create_club(
                s,
                chair,
                NewClub(name=name, village="Thôn", commune="Xã", district=district, province=province, meeting_day=15),
            )
    with any_db.transaction() as s:
        everyone = reports.club_reports(s, period(H1))
        district = reports.district_report(s, period(H1), district="Bình Sơn")
    assert [r.club.name for r in everyone] == [
        "CLB Ea Wer",
        "CLB Zê",
        "CLB An",
        "CLB Dương",
        "CLB Đông Hòa",
        "CLB Em",
    ]
    assert [r.club.name for r in district.clubs] == ["CLB An", "CLB Dương", "CLB Đông Hòa", "CLB Em"]


def test_vietnamese_key_sorts_the_d_with_stroke_after_d():
    from storage.collation import vietnamese_key

    assert sorted(["Đông Hòa", "Em", "Dương", "Ấp", "An"], key=vietnamese_key) == [
        "An",
        "Ấp",
        "Dương",
        "Đông Hòa",
        "Em",
    ]


# --- corrections of periods already reported -------------------------------------------------------------------


def test_corrections_of_a_submitted_period_are_listed_in_the_period_they_are_made(any_db):
    with any_db.transaction() as s:
        club_id, chair = _club(s, "CLB Sửa Sổ")
        (member,) = _people(s, club_id, chair, [1950])
        october = _paid(s, club_id, chair, member, INCOME_FUND, CAPITAL, 700_000, date(2026, 10, 10))
        november = _paid(s, club_id, chair, member, ACTIVITY_FUND, MONTHLY_FEE, 20_000, date(2026, 11, 5))
        this_month = _paid(s, club_id, chair, member, ACTIVITY_FUND, MONTHLY_FEE, 30_000, date(2026, 12, 2))
        submissions.mark_submitted(s, club_id, "2026-H2", chair)
    with any_db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-CLB Sửa Sổ", "Nguyễn Văn An")
        # Reversed in the order november, october; a reversal of this period's own entry is no correction.
        fee_fix = corrections.reverse(s, club_id, november.id, reason="paid twice", by=chair, today=DEC_6)
        capital_fix = corrections.reverse(s, club_id, october.id, reason="wrong member", by=chair, today=DEC_6)
        corrections.reverse(s, club_id, this_month.id, reason="typo", by=chair, today=DEC_6)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(RUNNING), today=DEC_6)
        earlier = reports.club_report(s, club_id, period("2026-H2"))
    assert r.corrections == [
        Correction(
            entry=fee_fix.id,
            reverses=november.id,
            original_date=date(2026, 11, 5),
            corrects_period="2026-H2",
            fund="activity",
            kind="monthly_fee",
            amount=-20_000,
            date=DEC_6,
        ),
        Correction(
            entry=capital_fix.id,
            reverses=october.id,
            original_date=date(2026, 10, 10),
            corrects_period="2026-H2",
            fund="income",
            kind="capital",
            amount=-700_000,
            date=DEC_6,
        ),
    ]
    assert earlier.corrections == []
