"""Reminders (issue 6) with a controlled clock, on SQLite and PostgreSQL: offsets, submitted, quiet hours,
exactly once, catch-up, retries and blocked people."""

from __future__ import annotations

from datetime import date, timedelta

from storage import members, reminders, submissions
from storage.members import NewMember
from storage.models import (
    BLOCKED,
    CHAIR,
    DEADLINE,
    FAILED,
    INSTALMENTS,
    LATE_CLUBS,
    MEETING_REMINDER,
    OVERDUE,
    REVIEWER,
    SECRETARY,
    SENT,
    TREASURER,
    VICE_CHAIR,
    Meeting,
    User,
)
from tests.money_support import Books
from tests.reminder_support import ZONE, at, make_club, rows, service


def planned(db, now, **options):
    with db.transaction() as s:
        return reminders.plan(s, now, **options)


def kinds_to(dues, user_id):
    return sorted((d.kind, d.offset_days) for d in dues if d.user_id == user_id)


# --- deadlines ----------------------------------------------------------------------------------------------


async def test_deadline_reminders_at_each_offset_to_chair_and_vice_chair(any_db):
    club = make_club(any_db)
    svc, sender = service(any_db)
    sent_on = {}
    day = date(2025, 5, 20)
    while day <= date(2025, 6, 6):
        summary = await svc.run_once(at(day.year, day.month, day.day, 8, 5))
        if summary.sent:
            sent_on[day] = summary.sent
        day += timedelta(days=1)
    assert sent_on == {
        date(2025, 5, 22): 2,
        date(2025, 5, 29): 2,
        date(2025, 6, 2): 2,
        date(2025, 6, 4): 2,
        date(2025, 6, 5): 2,
    }
    records = rows(any_db)
    assert {r.user_id for r in records} == {club.people[CHAIR], club.people[VICE_CHAIR]}
    assert sorted({r.offset_days for r in records}, reverse=True) == [14, 7, 3, 1, 0]
    assert all(r.status == SENT and r.kind == DEADLINE and r.occasion == "2025-H1" for r in records)
    assert sender.to(club.chats[TREASURER]) == []
    first = sender.to(club.chats[CHAIR])[0]
    assert "2025-H1" in first and "05/06/2025" in first and "/baocao" in first


async def test_not_before_the_hour_and_the_clubs_hour_and_personal_hour(any_db):
    club = make_club(any_db)
    with any_db.transaction() as s:
        reminders.set_hour(s, club.people[VICE_CHAIR], 17)
    svc, _sender = service(any_db)
    assert (await svc.run_once(at(2025, 5, 22, 17, 0))).sent == 2  # the 14-day ones
    assert planned(any_db, at(2025, 5, 29, 7, 59)) == []
    at_eight = planned(any_db, at(2025, 5, 29, 8, 0))
    assert [d.user_id for d in at_eight] == [club.people[CHAIR]]
    assert {d.user_id for d in planned(any_db, at(2025, 5, 29, 17, 0))} == {club.people[CHAIR], club.people[VICE_CHAIR]}


async def test_none_after_the_report_is_marked_submitted(any_db):
    club = make_club(any_db)
    svc, sender = service(any_db)
    assert (await svc.run_once(at(2025, 5, 22, 8, 0))).sent == 2
    with any_db.transaction() as s:
        submissions.mark_submitted(s, club.club_id, "2025-H1", s.get(User, club.people[CHAIR]))
    for day in range(23, 32):
        await svc.run_once(at(2025, 5, day, 9))
    for day in range(1, 20):
        await svc.run_once(at(2025, 6, day, 9))
    about_reports = [r for r in rows(any_db) if r.kind in (DEADLINE, OVERDUE, LATE_CLUBS)]
    assert [r.offset_days for r in about_reports] == [14, 14]
    assert len([text for _chat, text, _choices in sender.sent if "2025-H1" in text]) == 2


async def test_annual_mark_stops_the_december_reminders(any_db):
    club = make_club(any_db)
    with any_db.transaction() as s:
        submissions.mark_submitted(s, club.club_id, "2025", s.get(User, club.people[CHAIR]))
    assert planned(any_db, at(2025, 12, 4, 9)) == []
    assert len(planned(any_db, at(2025, 6, 4, 9))) == 2  # June's report is another one


async def test_none_in_quiet_hours(any_db):
    make_club(any_db)
    svc, sender = service(any_db)
    for hour in (21, 22, 23, 0, 3, 6):
        assert (await svc.run_once(at(2025, 5, 29, hour, 30) if hour >= 21 else at(2025, 5, 30, hour, 30))).claimed == 0
    assert sender.sent == [] and rows(any_db) == []
    assert (await svc.run_once(at(2025, 5, 30, 7, 0))).sent == 2  # the morning after: caught up


async def test_chosen_people_and_switched_off_people(any_db):
    club = make_club(any_db)
    with any_db.transaction() as s:
        chair = s.get(User, club.people[CHAIR])
        reminders.set_deadline_recipient(s, club.club_id, club.people[SECRETARY], True, chair)
        reminders.set_kind(s, club.people[VICE_CHAIR], "deadline", False)
    assert {d.user_id for d in planned(any_db, at(2025, 5, 29, 9))} == {club.people[CHAIR], club.people[SECRETARY]}


async def test_the_reminder_says_what_is_missing(any_db):
    club = make_club(any_db)
    books = Books(any_db, club.club_id, None, [])
    with any_db.transaction() as s:
        chair = s.get(User, club.people[CHAIR])
        books.user = chair
        for n in range(3):
            members.add(s, club.club_id, NewMember(f"Người Số {n}", 1950, "female"), chair, date(2020, 1, 1))
        s.add(Meeting(club_id=club.club_id, held_on=date(2025, 3, 15), attendance=3, created_by=chair.id))
    svc, sender = service(any_db)
    await svc.run_once(at(2025, 5, 29, 9))
    text = sender.to(club.chats[CHAIR])[0]
    assert "15/03/2025" in text  # the last meeting, more than a month ago
    assert "có 3 thành viên" in text and "40" in text
    assert "/donggop" in text


# --- exactly once ---------------------------------------------------------------------------------------------


async def test_running_the_job_twice_sends_once(any_db):
    make_club(any_db)
    svc, sender = service(any_db)
    other, other_sender = service(any_db)
    first = await svc.run_once(at(2025, 5, 29, 9))
    again = await svc.run_once(at(2025, 5, 29, 9, 5))
    elsewhere = await other.run_once(at(2025, 5, 29, 9, 10))
    assert (first.sent, again.claimed, elsewhere.claimed) == (2, 0, 0)
    assert len(sender.sent) == 2 and other_sender.sent == []


def test_claiming_the_same_reminders_twice_gives_them_to_the_first(any_db):
    make_club(any_db)
    now = at(2025, 5, 29, 9)
    with any_db.transaction() as s:
        first_plan = reminders.plan(s, now)
    with any_db.transaction() as s:
        second_plan = reminders.plan(s, now)
    with any_db.transaction() as s:
        mine = reminders.claim(s, first_plan)
    with any_db.transaction() as s:
        theirs = reminders.claim(s, second_plan)  # planned before the first claim: the insert conflicts
    assert len(mine) == 2 and theirs == []
    assert len(rows(any_db)) == 2


# --- catch-up, retries, blocked --------------------------------------------------------------------------------


async def test_after_downtime_the_latest_missed_reminder_goes_out_once(any_db):
    club = make_club(any_db)
    svc, sender = service(any_db)
    # Down from 20 May to 1 June: the 14- and 7-day reminders were missed; only the 7-day one is still due.
    summary = await svc.run_once(at(2025, 6, 1, 10))
    assert summary.sent == 2
    assert {(r.offset_days, r.user_id) for r in rows(any_db)} == {(7, club.people[CHAIR]), (7, club.people[VICE_CHAIR])}
    assert "còn 4 ngày nữa" in sender.to(club.chats[CHAIR])[0]
    assert (await svc.run_once(at(2025, 6, 1, 10, 5))).claimed == 0
    # Down over the whole deadline: after it, no "before the deadline" reminder any more.
    other = make_club(any_db, name="CLB thôn Khác")
    with any_db.transaction() as s:
        late = reminders.plan(s, at(2025, 6, 6, 9))
    assert not [d for d in late if d.club_id == other.club_id]


async def test_a_failed_send_is_retried_later_and_not_lost(any_db):
    club = make_club(any_db)
    svc, sender = service(any_db)
    sender.failing.add(club.chats[CHAIR])
    summary = await svc.run_once(at(2025, 5, 29, 9))
    assert (summary.sent, summary.failed) == (1, 1)
    failed = [r for r in rows(any_db) if r.user_id == club.people[CHAIR]][0]
    assert failed.status == FAILED and failed.attempts == 1 and "network" in failed.last_error
    assert (await svc.run_once(at(2025, 5, 29, 9, 2))).claimed == 0  # not before its retry time
    sender.failing.clear()
    summary = await svc.run_once(at(2025, 5, 29, 9, 10))
    assert (summary.claimed, summary.sent) == (1, 1)
    again = [r for r in rows(any_db) if r.user_id == club.people[CHAIR]][0]
    assert again.status == SENT and again.attempts == 2
    assert len(sender.to(club.chats[CHAIR])) == 1 and len(sender.to(club.chats[VICE_CHAIR])) == 1


async def test_a_blocked_person_is_recorded_and_not_retried(any_db):
    club = make_club(any_db)
    svc, sender = service(any_db)
    sender.blocking.add(club.chats[VICE_CHAIR])
    summary = await svc.run_once(at(2025, 5, 29, 9))
    assert (summary.sent, summary.blocked) == (1, 1)
    blocked = [r for r in rows(any_db) if r.user_id == club.people[VICE_CHAIR]][0]
    assert blocked.status == BLOCKED and blocked.blocked == "telegram"
    calls = sender.calls
    for minutes in (10, 30, 120, 600):
        await svc.run_once(at(2025, 5, 29, 9) + timedelta(minutes=minutes))
    assert sender.calls == calls


async def test_a_crashed_sender_leaves_its_claim_to_another_after_the_lease(any_db):
    make_club(any_db)
    now = at(2025, 5, 29, 9)
    with any_db.transaction() as s:
        reminders.claim(s, reminders.plan(s, now), now_utc=now)  # claimed, then the process died
    svc, sender = service(any_db)
    assert (await svc.run_once(now + timedelta(minutes=5))).claimed == 0
    summary = await svc.run_once(now + timedelta(minutes=15))
    assert summary.sent == 2 and len(sender.sent) == 2


# --- overdue, the reviewer, meetings, instalments ------------------------------------------------------------


async def test_one_overdue_reminder_and_the_reviewer_told_which_clubs_are_late(any_db):
    late = make_club(any_db, name="CLB Muộn", reviewer_id="777")
    on_time = make_club(any_db, name="CLB Đúng Hạn", reviewer_id="777")
    with any_db.transaction() as s:
        submissions.mark_submitted(s, on_time.club_id, "2025-H1", s.get(User, on_time.people[CHAIR]))
    svc, sender = service(any_db)
    for day in range(6, 12):
        await svc.run_once(at(2025, 6, day, 9))
    overdue = [r for r in rows(any_db) if r.kind == OVERDUE]
    assert {r.user_id for r in overdue} == {late.people[CHAIR], late.people[VICE_CHAIR]}
    assert all(r.offset_days == -3 and r.scheduled_for.astimezone(ZONE).date() == date(2025, 6, 8) for r in overdue)
    digest = [r for r in rows(any_db) if r.kind == LATE_CLUBS]
    assert len(digest) == 1 and digest[0].user_id == late.people[REVIEWER]
    text = sender.to("777")[0]
    assert "CLB Muộn" in text and "CLB Đúng Hạn" not in text
    assert len(sender.to(late.chats[CHAIR])) == 1  # the overdue one only: the deadline had passed before


async def test_meeting_reminder_the_day_before_with_the_treasurers_list(any_db):
    club = make_club(any_db, meeting_day=15)
    with any_db.transaction() as s:
        chair = s.get(User, club.people[CHAIR])
        ids = [
            members.add(s, club.club_id, NewMember(name, 1950, "female"), chair, date(2020, 1, 1)).id
            for name in ("Nguyễn Thị Lan", "Trần Thị Bình")
        ]
    books = Books(any_db, club.club_id, chair, ids)
    books.contribute(20_000_000, on=date(2025, 1, 2))
    books.lend(3_000_000, months=3, on=date(2025, 2, 10), member=0)  # due 10 Mar, 10 Apr, 10 May: unpaid
    books.lend(1_200_000, months=12, on=date(2025, 4, 20), member=1)  # 100.000 due 20 May, 20 Jun…
    svc, sender = service(any_db)
    assert not [d for d in planned(any_db, at(2025, 5, 13, 9)) if d.kind == MEETING_REMINDER]
    await svc.run_once(at(2025, 5, 14, 9))
    meeting_rows = [r for r in rows(any_db) if r.kind == MEETING_REMINDER]
    assert {r.user_id for r in meeting_rows} == {club.people[r] for r in (CHAIR, VICE_CHAIR, TREASURER, SECRETARY)}
    assert all(r.occasion == "2025-05-15" for r in meeting_rows)
    treasurer = sender.to(club.chats[TREASURER])[0]
    assert "Nguyễn Thị Lan" in treasurer and "10/03/2025" in treasurer  # overdue
    assert "Trần Thị Bình" in treasurer and "20/05/2025" in treasurer  # due by the next meeting
    assert "Nguyễn Thị Lan" not in sender.to(club.chats[SECRETARY])[0]


async def test_meeting_day_past_the_months_end_and_weekly_instalments(any_db):
    club = make_club(any_db, meeting_day=31)
    with any_db.transaction() as s:
        chair = s.get(User, club.people[CHAIR])
        member_id = members.add(s, club.club_id, NewMember("Lê Thị Hoa", 1960, "female"), chair, date(2020, 1, 1)).id
    books = Books(any_db, club.club_id, chair, [member_id])
    books.contribute(5_000_000, on=date(2025, 1, 2))
    books.lend(1_200_000, months=12, on=date(2025, 5, 7))  # first instalment 7 June 2025 (a Saturday)
    assert [d.occasion for d in planned(any_db, at(2025, 6, 29, 9)) if d.kind == MEETING_REMINDER][:1] == ["2025-06-30"]
    weekly = [d for d in planned(any_db, at(2025, 6, 2, 9)) if d.kind == INSTALMENTS]  # Monday 2 June
    assert [(d.user_id, d.occasion) for d in weekly] == [(club.people[TREASURER], "2025-W23")]
    assert not [d for d in planned(any_db, at(2025, 6, 9, 9)) if d.kind == INSTALMENTS]  # nothing that week
    svc, sender = service(any_db)
    await svc.run_once(at(2025, 6, 2, 9))
    assert "Lê Thị Hoa" in sender.to(club.chats[TREASURER])[0]


async def test_rendered_in_the_recipients_language(any_db):
    club = make_club(any_db)
    with any_db.transaction() as s:
        s.get(User, club.people[CHAIR]).language = "en"
    svc, sender = service(any_db)
    await svc.run_once(at(2025, 5, 29, 9))
    assert "due to the commune's Elderly Association" in sender.to(club.chats[CHAIR])[0]


def test_storage_channels_match_accounts_reminder_channels(any_db):
    from storage import accounts

    club = make_club(any_db)
    with any_db.transaction() as s:
        ids = list(club.people.values())
        accounts.set_reminder_channel(s, ids[0], "zalo")
        assert reminders.channels_of(s, ids) == {i: accounts.reminder_channels(s, i) for i in ids}
