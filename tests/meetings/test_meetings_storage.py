"""What the half-year report reads about meetings and activities, counted in SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event
from sqlmodel import SQLModel

from storage import activities, areas, clubs, meetings, members, volunteers
from storage.activities import NewActivity
from storage.clubs import NewClub
from storage.meetings import MeetingDraft
from storage.members import NewMember
from storage.models import User
from storage.periods import half_year_of, period
from tests.meetings.test_meetings import MEMBER_NAMES

MY_TABLES = {
    "meeting",
    "meetingarea",
    "meetingattendee",
    "meetingchange",
    "activity",
    "volunteer",
    "clubgroup",
    "groupmember",
}


# --- periods ----------------------------------------------------------------------------------------------


def test_period_codes_follow_the_reporting_calendar():
    h1, h2, year = period("2025-H1"), period("2025-h2"), period("2025")
    assert (h1.start, h1.end, h1.due) == (date(2024, 12, 1), date(2025, 5, 31), date(2025, 6, 5))
    assert (h2.code, h2.start, h2.end, h2.due) == ("2025-H2", date(2025, 6, 1), date(2025, 11, 30), date(2025, 12, 5))
    assert (year.start, year.end, year.due) == (date(2024, 12, 1), date(2025, 11, 30), date(2025, 12, 5))
    assert date(2024, 2, 29) in period("2024-H1") and date(2024, 11, 30) not in period("2024-H1")


@pytest.mark.parametrize(
    "day, code",
    [
        (date(2025, 11, 30), "2025-H2"),
        (date(2025, 12, 1), "2026-H1"),
        (date(2026, 5, 31), "2026-H1"),
        (date(2026, 6, 1), "2026-H2"),
        (date(2026, 1, 1), "2026-H1"),
    ],
)
def test_each_day_falls_in_one_half_year(day, code):
    assert half_year_of(day).code == code


@pytest.mark.parametrize("code", ["2025-H3", "H1-2025", "25-H1", "", "2025 H1"])
def test_other_period_codes_are_refused(code):
    with pytest.raises(ValueError):
        period(code)


# --- a club with members, in storage only ----------------------------------------------------------------


def new_club(s, name: str) -> tuple[int, User, list]:
    chair = User(display_name=f"Chủ nhiệm {name}")
    s.add(chair)
    s.flush()
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
            founded_on=date(2019, 4, 8),
        ),
    )
    people = [
        members.add(
            s, club.id, NewMember(full_name=full_name, birth_year=1950 + n % 20, sex="female"), chair, date(2026, 1, 10)
        )
        for n, full_name in enumerate(MEMBER_NAMES[:40])
    ]
    return club.id, chair, people


def meeting(held_on: date, present: int, covered: tuple[str, ...], checks: int = 0, **more) -> MeetingDraft:
    return MeetingDraft(held_on=held_on, attendance=present, areas=covered, health_checks=checks, **more)


def test_period_figures_count_only_that_period_and_that_club(any_db):
    with any_db.transaction() as s:
        club_id, chair, people = new_club(s, "CLB Liên Trì")
        other_id, other_chair, _ = new_club(s, "CLB An Phú")
        h1, h2 = period("2026-H1"), period("2026-H2")
        meetings.record(s, club_id, meeting(date(2026, 6, 1), 30, ("income", "health"), 25), chair)
        meetings.record(s, club_id, meeting(date(2026, 11, 30), 35, ("health", "learning"), 30), chair)
        meetings.record(s, club_id, meeting(date(2026, 5, 31), 40, ("culture",), 10), chair)  # 2026-H1
        meetings.record(s, other_id, meeting(date(2026, 9, 15), 20, ("rights",), 5), other_chair)
        volunteers.add_volunteer(s, people[0], date(2026, 6, 1), chair)
        volunteers.add_volunteer(s, people[1], date(2026, 6, 1), chair)
        volunteers.stop_volunteer(s, people[1], date(2026, 9, 1), chair)
        for visited in (people[5], people[6], people[5]):
            activities.record(
                s,
                club_id,
                NewActivity(
                    "home_visit", "homecare", date(2026, 10, 2), volunteer_id=people[0].id, member_id=visited.id
                ),
                chair,
            )
        activities.record(s, club_id, NewActivity("health_day", "health", date(2026, 7, 7), people=120), chair)
        activities.record(
            s,
            club_id,
            NewActivity("resources", "resources", date(2026, 8, 8), amount=2_500_000, description="Trạm y tế xã"),
            chair,
        )
        activities.record(s, club_id, NewActivity("culture_event", "culture", date(2025, 12, 24), people=80), chair)

        figures = areas.period_figures(s, club_id, h2.start, h2.end)
        earlier = areas.period_figures(s, club_id, h1.start, h1.end)

    assert (figures.meetings.held, figures.meetings.total_attendance) == (2, 65)
    assert figures.meetings.average_attendance == 32.5
    assert figures.health_checks == 25 + 30 + 120
    assert figures.home_visits == 3 and figures.activities["home_visit"].members == 2
    assert figures.activities["resources"].amount == 2_500_000
    assert figures.volunteers == 1
    assert figures.areas_done == ["income", "health", "homecare", "learning", "resources"]
    assert (figures.areas["health"].meetings, figures.areas["health"].activities) == (2, 1)
    assert (figures.areas["homecare"].meetings, figures.areas["homecare"].activities) == (0, 3)
    assert not figures.areas["rights"].done  # the other club's meeting
    assert earlier.areas_done == ["culture"] and earlier.meetings.held == 1
    assert (earlier.areas["culture"].meetings, earlier.areas["culture"].activities) == (1, 1)


def test_an_empty_period_has_zeros_for_every_area(any_db):
    with any_db.transaction() as s:
        club_id, _chair, _people = new_club(s, "CLB Liên Trì")
        figures = areas.period_figures(s, club_id, date(2026, 6, 1), date(2026, 11, 30))
    assert figures.meetings.held == 0 and figures.meetings.average_attendance == 0.0
    assert figures.areas_done == [] and len(figures.areas) == 8 and figures.health_checks == 0


def test_the_figures_take_the_same_few_queries_however_many_meetings(any_db):
    def statements_for(club_id: int) -> int:
        counted = []
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(any_db.engine, "before_cursor_execute", listener)
        try:
            with any_db.transaction() as s:
                areas.period_figures(s, club_id, date(2026, 6, 1), date(2026, 11, 30))
        finally:
            event.remove(any_db.engine, "before_cursor_execute", listener)
        return len(counted)

    with any_db.transaction() as s:
        small, chair, _ = new_club(s, "CLB nhỏ")
        big, big_chair, people = new_club(s, "CLB lớn")
        meetings.record(s, small, meeting(date(2026, 7, 1), 10, ("health",)), chair)
        for month in range(6, 12):
            meetings.record(
                s,
                big,
                meeting(
                    date(2026, month, 15),
                    30,
                    ("income", "health", "culture"),
                    attendees=tuple(p.id for p in people[:30]),
                ),
                big_chair,
            )
    assert statements_for(small) == statements_for(big) <= 6


def test_changing_a_meeting_keeps_every_old_value(any_db):
    with any_db.transaction() as s:
        club_id, chair, people = new_club(s, "CLB Liên Trì")
        first = meetings.record(
            s, club_id, meeting(date(2026, 11, 15), 38, ("health", "income"), 30, topic="Đột quỵ"), chair
        )
        draft = meetings.draft_of(s, first)
        assert draft.areas == ("income", "health")  # report order, whatever order they were ticked in
        changed = meetings.update(
            s,
            first,
            meeting(date(2026, 11, 14), 2, ("culture",), 2, topic="Đột quỵ", attendees=(people[3].id, people[1].id)),
            chair,
        )
        nothing = meetings.update(s, first, meetings.draft_of(s, first), chair)
        history = [(c.field, c.old, c.new) for c, _who in meetings.changes(s, first.id)]
        now = meetings.draft_of(s, first)

    assert changed == ["held_on", "attendance", "attendees", "areas", "health_checks"] and nothing == []
    assert history == [
        ("held_on", "2026-11-15", "2026-11-14"),
        ("attendance", 38, 2),
        ("attendees", [], sorted([people[1].id, people[3].id])),
        ("areas", ["income", "health"], ["culture"]),
        ("health_checks", 30, 2),
    ]
    assert (now.held_on, now.attendance, now.areas, now.topic) == (date(2026, 11, 14), 2, ("culture",), "Đột quỵ")


def test_attendees_and_visits_must_be_members_of_the_club(any_db):
    with any_db.transaction() as s:
        club_id, chair, _people = new_club(s, "CLB Liên Trì")
        _other_id, _other_chair, strangers = new_club(s, "CLB An Phú")
        with pytest.raises(ValueError):
            meetings.record(s, club_id, meeting(date(2026, 11, 1), 1, ("health",), attendees=(strangers[0].id,)), chair)
        with pytest.raises(ValueError):
            activities.record(
                s, club_id, NewActivity("home_visit", "homecare", date(2026, 11, 1), member_id=strangers[0].id), chair
            )
        with pytest.raises(ValueError):  # a home-care visit cannot count for another area
            activities.record(s, club_id, NewActivity("home_visit", "income", date(2026, 11, 1)), chair)
        with pytest.raises(ValueError):
            meetings.record(s, club_id, meeting(date(2026, 11, 1), 1, ("sport",)), chair)


def test_members_who_left_after_a_meeting_still_count_for_it(any_db):
    with any_db.transaction() as s:
        club_id, chair, people = new_club(s, "CLB Liên Trì")
        members.mark_left(s, people[0], date(2026, 10, 1), chair)
        before, after = (meetings.members_on_list(s, club_id, day) for day in (date(2026, 9, 15), date(2026, 10, 15)))
    assert (before, after) == (40, 39)


def test_groups_count_their_current_members(any_db):
    with any_db.transaction() as s:
        club_id, chair, people = new_club(s, "CLB Liên Trì")
        choir = volunteers.create_group(s, club_id, "culture", "Tổ văn nghệ", chair)
        savings = volunteers.create_group(s, club_id, "income", "Tổ tiết kiệm", chair)
        for person in people[:3]:
            volunteers.add_to_group(s, choir, person, chair)
        members.mark_left(s, people[0], date(2026, 10, 1), chair)
        volunteers.remove_from_group(s, choir, people[1], chair)
        listed = [(g.name, count) for g, count in volunteers.groups(s, club_id)]
    assert listed == [(savings.name, 0), (choir.name, 1)]  # income comes before culture in the report order


def test_the_migrations_create_exactly_the_tables_of_the_models(any_db):
    with any_db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)

    assert [d for d in differences if table_of(d) in MY_TABLES] == []


def table_of(difference) -> str:
    """The table an Alembic difference is about: ('add_table', Table), ('add_index', Index),
    ('add_column', schema, table, Column); changes to one column come grouped in a list."""
    kind, first, *rest = difference[0] if isinstance(difference, list) else difference
    if kind.endswith("_table"):
        return first.name
    return first.table.name if hasattr(first, "table") else rest[0]
