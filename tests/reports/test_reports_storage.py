"""The report figures, counted in SQL on SQLite and PostgreSQL, for clubs with known data."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import event

from storage import reports, submissions, users
from storage.periods import period
from storage.report_model import AreaWork
from tests.report_support import H1, LIEN_TRI_H1, lien_tri, model_club


def test_the_seed_shaped_club_report_has_every_figure(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1))
    want = LIEN_TRI_H1
    assert r.club.name == "CLB thôn Liên Trì" and r.club.founding_decision == "58/QĐ-UBND"
    assert (r.period.start, r.period.end, r.period.due) == (
        date(2024, 12, 1),
        date(2025, 5, 31),
        date(2025, 6, 5),
    )
    # The expected figures are written as the JSON has them.
    assert {k: r.members.as_json()[k] for k in want["members"]} == want["members"]
    assert {k: r.members.percent[k] for k in want["percent"]} == want["percent"]
    assert r.board.size == want["board"] and r.groups == want["groups"]
    assert r.meetings.as_json() == want["meetings"]
    assert r.activities.areas_done == want["areas_done"]
    assert r.activities.areas["health"] == AreaWork(meetings=6, activities=1, done=True)
    assert r.activities.areas["learning"] == AreaWork(meetings=0, activities=0, done=False)
    assert r.activities.health_checks == want["health_checks"]
    assert r.activities.home_visits == want["home_visits"]
    assert r.activities.volunteers == want["volunteers"]
    for fund in ("income", "activity"):
        assert {k: r.funds.of(fund).as_json()[k] for k in want[fund]} == want[fund], fund
    assert r.funds.income.money_in["donation"] == 20_000_000
    assert r.funds.activity.money_in["monthly_fee"] == 200_000
    assert {k: r.loans.as_json()[k] for k in want["loans"]} == want["loans"]
    assert r.indicators.as_json() == want["indicators"]
    assert r.submitted is False


def test_the_initial_capital_of_the_seed_club(any_db):
    """23 members gave 20,500,000 ₫ before the club's first report period."""
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period("2019-H1"))
    assert r.funds.income.contributions == 20_500_000
    assert r.funds.income.from_members == 20_500_000
    assert r.funds.income.closing == 20_500_000
    assert r.funds.income.opening == 0
    assert r.members.total == 44  # the list of 2019: before two left, and without two who joined later
    assert r.loans.outstanding == 0 and r.loans.borrowers == 0


def test_an_annual_report_spans_both_halves(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        year = reports.club_report(s, club_id, period("2025"))
        h2 = reports.club_report(s, club_id, period("2025-H2"))
    assert year.meetings.held == 6
    assert year.funds.income.opening == 14_000_000
    assert h2.funds.income.opening == 35_075_000 == year.funds.income.closing
    assert h2.meetings.held == 0 and h2.activities.areas_done == []
    # On 30 November 2025 every instalment of B and C has fallen due.
    assert year.loans.overdue_amount == 4_000_000 + 1_500_000 + 15_000 + 10_000 + 5_000
    assert year.members.total == 44 and year.members.joined == 2


def test_a_club_that_meets_every_target(any_db):
    club_id = model_club(any_db)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1))
    assert r.indicators.items() == [(name, True) for name in reports.INDICATORS]
    assert r.members.percent["women"] == 64.0 and r.members.percent["young"] == 34.0
    assert r.loans.ever_borrowed_percent == 50.0 and r.loans.borrowers == 25
    assert r.loans.outstanding == 75_000_000 and r.loans.overdue_amount == 0
    assert r.loans.par30_percent == 0.0
    assert r.members.poor == 5


def test_a_club_with_nothing_recorded(any_db):
    with any_db.transaction() as s:
        from tests.report_support import _club

        club_id, _chair = _club(s, "CLB Trống")
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1), series=True)
    assert r.members.total == 0 and r.members.percent["women"] == 0.0
    assert r.funds.income.closing == 0 and r.loans.par30_percent == 0.0
    assert not any(met for _name, met in r.indicators.items())
    assert len(r.series) == 6 and all(p.income_cash == 0 for p in r.series)


def test_the_age_60_boundary_is_the_year_of_the_period_end(any_db):
    with any_db.transaction() as s:
        from storage import members
        from storage.members import NewMember
        from tests.report_support import _club

        club_id, chair = _club(s, "CLB Tuổi")
        for year in (1965, 1966):
            members.add(
                s,
                club_id,
                NewMember(f"Người {year}", year, "male", joined_on=date(2020, 1, 1)),
                chair,
                date(2025, 1, 1),
            )
    with any_db.transaction() as s:
        assert reports.club_report(s, club_id, period("2025-H1")).members.elderly == 1
        assert reports.club_report(s, club_id, period("2026-H1")).members.elderly == 2


def test_the_monthly_series_for_the_chart(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1), series=True)
    series = r.series
    assert [p.month_end for p in series] == [
        date(2024, 12, 31),
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
    ]
    # December: the commune's 20,000,000 and A's repayment came in; January: B went out.
    assert series[0].income_cash == 14_000_000 + 20_000_000 + 500_000
    assert series[1].outstanding == 6_500_000 - 1_000_000 + 3_000_000
    assert series[-1].income_cash == r.funds.income.closing
    assert series[-1].activity_cash == r.funds.activity.closing
    assert series[-1].outstanding == r.loans.outstanding


def test_the_json_has_the_contract_keys(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        data = json.loads(reports.to_json(reports.club_report(s, club_id, period(H1))))
    assert data["club"]["code"] and data["period"] == {
        "code": "2025-H1",
        "start": "2024-12-01",
        "end": "2025-05-31",
        "due": "2025-06-05",
        "as_of": "2025-05-31",
        "running": False,
    }
    for key in ("total", "elderly", "young", "women", "poor", "near_poor", "better_off", "ethnic_minority"):
        assert isinstance(data["members"][key], int)
    assert data["meetings"]["held"] == 6 and data["activities"]["areas_done"] == LIEN_TRI_H1["areas_done"]
    assert data["funds"]["income"]["closing"] == 35_075_000 and data["funds"]["activity"]["closing"] == 1_050_000
    assert (data["loans"]["borrowers"], data["loans"]["outstanding"], data["loans"]["overdue_amount"]) == (
        2,
        5_500_000,
        4_015_000,
    )
    assert set(data["indicators"]) == set(reports.INDICATORS)
    assert all(isinstance(v, bool) for v in data["indicators"].values())


def test_a_district_is_found_by_its_name_in_any_case_with_or_without_diacritics(any_db):
    model_club(any_db, name="CLB Phổ Minh", district="Đức Phổ", key="duc-pho")
    model_club(any_db, name="CLB Khác", district="Đức Hòa", key="duc-hoa")
    with any_db.transaction() as s:
        for typed in ("ĐỨC PHỔ", "đức phổ", " Đức Phổ ", "Duc Pho"):  # diacritics or not, as people type
            found = reports.district_report(s, period(H1), district=typed)
            assert [c.club.name for c in found.clubs] == ["CLB Phổ Minh"], typed
        assert reports.district_report(s, period(H1), district="Duc").clubs == []


def test_the_district_view_adds_up_and_lists_who_has_not_submitted(any_db):
    seed = lien_tri(any_db)
    model = model_club(any_db)
    elsewhere = model_club(any_db, name="CLB Huyện Khác", district="Sơn Tịnh", key="other")
    with any_db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-model", "x")
        submissions.mark_submitted(s, model, H1, chair)
    with any_db.transaction() as s:
        d = reports.district_report(s, period(H1), district="bình sơn")
        by_ids = reports.district_report(s, period(H1), club_ids=[seed, elsewhere])
    assert [c.club.name for c in d.clubs] == ["CLB Mẫu", "CLB thôn Liên Trì"]
    t = d.totals
    assert t.clubs == 2 and t.members.total == 93 and t.members.women == 36
    assert t.members.elderly == 68 and t.members.percent["elderly"] == 73.1
    assert t.funds.income.closing == 35_075_000 + 100_000_000 - 75_000_000
    assert t.loans.outstanding == 5_500_000 + 75_000_000
    assert t.loans.overdue_amount == 4_015_000 and t.loans.borrowers == 27
    assert t.clubs_meeting["all_eight_areas"] == 1 and t.clubs_meeting["members_40"] == 2
    assert t.indicators.clubs_all_eight_areas_70 is False
    assert [c.name for c in d.not_submitted] == ["CLB thôn Liên Trì"]
    assert d.clubs[0].submitted and d.clubs[0].submission.by == "Nguyễn Văn An"
    # The same figures whichever way the club is reached.
    with any_db.transaction() as s:
        alone = reports.club_report(s, seed, period(H1))
    assert [c for c in by_ids.clubs if c.club.name == "CLB thôn Liên Trì"][0] == alone
    assert {c.name for c in by_ids.not_submitted} == {"CLB thôn Liên Trì", "CLB Huyện Khác"}


def test_the_number_of_queries_does_not_grow_with_the_clubs(any_db):
    lien_tri(any_db)
    model_club(any_db)

    def count_queries(**scope) -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(any_db.engine, "before_cursor_execute", listener)
        try:
            with any_db.transaction() as s:
                reports.district_report(s, period(H1), **scope)
        finally:
            event.remove(any_db.engine, "before_cursor_execute", listener)
        return len(seen)

    two = count_queries(district="Bình Sơn")
    for n in range(3):
        model_club(any_db, name=f"CLB Thêm {n}", key=f"more{n}")
    assert count_queries(district="Bình Sơn") == two <= 15
