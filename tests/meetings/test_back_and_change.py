"""Back, "Sửa" and a command in the middle of logging a meeting, read as the conversation goes.

Page 1 of the attendance list, in the club of tests.meetings.test_meetings: 1 Hoàng Thị Cúc, 2 Hoàng Thị Đào,
3 Hoàng Thị Hoa, 4 Hoàng Thị Hồng, 5 Hoàng Thị Huệ, ...
"""

from __future__ import annotations

from sqlmodel import select

from storage.models import Activity, Meeting, MeetingArea, MeetingAttendee, Member
from tests.meetings.test_meetings import ACTIVITY, LOG, club_with_members, stored_meetings

TICK = "1"  # the attendance question's one button: tick names on the list


def attendees(db) -> list[str]:
    with db.transaction() as s:
        rows = s.exec(select(Member.full_name).join(MeetingAttendee, MeetingAttendee.member_id == Member.id))
        return sorted(rows)


def test_back_unticks_the_last_name_ticked_and_the_meeting_keeps_the_others(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm qua", TICK, "2 4", "6")  # Cúc and Hoa, then Huệ (1 is Done)
    page = chair.says("quay lại")
    assert "Hoàng Thị Huệ" in page and "✓ Hoàng Thị Huệ" not in page and "✓ Hoàng Thị Hoa" in page
    chair.says_all("xong", "1 2", "xong", "2", "bỏ qua", "bỏ qua", "1")  # areas, checks, topic, notes, no photo
    chair.says("1")  # save
    [meeting] = stored_meetings(db)
    assert meeting.attendance == 2 and attendees(db) == ["Hoàng Thị Cúc", "Hoàng Thị Hoa"]


def test_back_from_the_attendance_asks_the_date_again_with_the_answer_given(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm qua")
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: Hôm qua" in again
    chair.says_all("20/11", "38", "1 2", "xong", "30", "bỏ qua", "bỏ qua", "1", "1")
    [meeting] = stored_meetings(db)
    assert (meeting.held_on.isoformat(), meeting.attendance) == ("2026-11-20", 38)


def read_back_of_a_meeting(chair) -> str:
    return chair.says_all("/hop", LOG, "hôm qua", "38", "1 2", "xong", "30", "Phòng chống té ngã", "bỏ qua", "1")


def test_sua_changes_the_number_present_and_the_other_answers_stand(person, db):
    chair = club_with_members(person)
    assert "Sửa một câu trả lời" in read_back_of_a_meeting(chair)
    which = chair.says("Sửa một câu trả lời")
    assert "Chủ đề: Phòng chống té ngã" in which and "Số người khám sức khỏe: 30" in which
    chair.says("Số người dự: 38")
    read_back = chair.says("40")  # straight back to the read-back: nothing else is asked again
    assert "40/45" in read_back and "Phòng chống té ngã" in read_back
    chair.says("1")
    [meeting] = stored_meetings(db)
    assert (meeting.attendance, meeting.health_checks, meeting.topic) == (40, 30, "Phòng chống té ngã")
    with db.transaction() as s:
        assert sorted(s.exec(select(MeetingArea.area))) == ["health", "income"]


def test_fewer_present_than_checked_asks_the_checks_again(person, db):
    chair = club_with_members(person)
    read_back_of_a_meeting(chair)
    chair.says_all("Sửa một câu trả lời", "Số người dự: 38")
    asked = chair.says("20")  # 30 checks cannot be of 20 people
    assert "Phòng chống té ngã" not in asked  # not the read-back yet: the checks are asked again
    read_back = chair.says("15")
    assert "20/45" in read_back
    chair.says("1")
    [meeting] = stored_meetings(db)
    assert (meeting.attendance, meeting.health_checks, meeting.topic) == (20, 15, "Phòng chống té ngã")


def test_a_command_mid_meeting_says_how_many_are_ticked_and_going_on_keeps_every_tick(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm qua", TICK, "2 3 4")  # 1 is Done
    asked = chair.says("/thanhvien")
    assert "Bạn đang làm dở" in asked and "(3 người có mặt)" in asked
    page = chair.says("1")  # go on
    assert all(f"✓ Hoàng Thị {name}" in page for name in ("Cúc", "Đào", "Hoa"))
    chair.says_all("xong", "1", "xong", "0", "bỏ qua", "bỏ qua", "1", "1")
    assert attendees(db) == ["Hoàng Thị Cúc", "Hoàng Thị Hoa", "Hoàng Thị Đào"]


def test_dropping_the_meeting_for_another_command_saves_nothing(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm qua", "38")
    assert "(38 người có mặt)" in chair.says("/thanhvien")
    chair.says("2")  # drop it and go to /thanhvien
    assert stored_meetings(db) == []
    with db.transaction() as s:
        assert s.exec(select(Meeting)).first() is None


def test_looking_around_the_menu_is_no_work_to_lose(person):
    chair = club_with_members(person)
    chair.says_all("/hop", "2")  # the recent meetings: nothing answered that would be saved
    assert "Bạn đang làm dở" not in chair.says("/thanhvien")


def test_sua_at_an_activity_changes_the_date_and_keeps_the_count(person, db):
    chair = club_with_members(person)
    read_back = chair.says_all("/hop", ACTIVITY, "2", "hôm nay", "120", "bỏ qua")  # a health check day
    assert "Sửa một câu trả lời" in read_back
    chair.says_all("Sửa một câu trả lời", "Ngày: Hôm nay")
    assert "120" in chair.says("hôm qua")
    chair.says("1")
    with db.transaction() as s:
        [day_] = s.exec(select(Activity)).all()
    assert (day_.held_on.isoformat(), day_.people) == ("2026-11-22", 120)
