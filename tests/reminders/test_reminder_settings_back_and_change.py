"""/nhacnho as a declared flow: back shows the hour given, "Sửa" at the read-back changes it, a command in the
middle asks before dropping it; after a save the setting saved is said in a line with the same choices (the whole
settings and their instructions are shown once, at the start), and back stops there."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Club, ReminderPreference
from tests.conftest import register_club

TIME, MEETING_DAY = "4", "5"  # in the chair's /nhacnho menu, after the three kinds of reminder


def preference(db) -> ReminderPreference:
    with db.transaction() as session:
        return session.exec(select(ReminderPreference)).one()


def test_back_from_the_read_back_shows_the_hour_and_the_new_one_is_saved(person, db):
    chair = person()
    register_club(chair)
    assert "09:00" in chair.says_all("/nhacnho", TIME, "9")
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: 9" in again and "từ 7 đến 20" in again
    assert "17:00" in chair.says("17")
    saved = chair.says("1")
    assert "Đã lưu" in saved and "17:00 (bạn tự chọn)" in saved  # the setting, as saved
    assert "câu hỏi đầu tiên" in chair.says("quay lại")  # nothing to go back into after the save
    assert preference(db).hour == 17


def test_changing_the_hour_at_the_read_back_keeps_the_other_settings(person, db):
    chair = person()
    register_club(chair)
    chair.says_all("/nhacnho", "1", "1")  # deadline reminders off
    chair.says_all(TIME, "9")
    which = chair.says("Sửa một câu trả lời")
    assert "Giờ nhắc: 9" in which
    chair.says("Giờ nhắc: 9")
    assert "18:00" in chair.says("18")
    chair.says("1")
    saved = preference(db)
    assert (saved.hour, saved.deadline, saved.meeting) == (18, False, True)


def test_turning_a_kind_off_has_no_answer_to_change(person):
    chair = person()
    register_club(chair)
    read_back = chair.says_all("/nhacnho", "1")
    assert "TẮT" in read_back and "Sửa một câu trả lời" not in read_back


def test_a_command_at_the_read_back_asks_first_and_going_on_saves_the_meeting_day(person, db):
    chair = person()
    register_club(chair)
    chair.says_all("/nhacnho", MEETING_DAY, "20")
    asked = chair.says("/moi")
    assert "Bạn đang làm dở: Nhắc nhở" in asked and "Tiếp tục" in asked
    assert "ngày 20" in chair.says("1")
    chair.says("1")
    with db.transaction() as session:
        assert session.exec(select(Club)).one().meeting_day == 20


def test_after_a_save_the_menu_is_asked_again_in_a_line_with_the_same_choices(person):
    chair = person()
    register_club(chair)
    menu = chair.says("/nhacnho")
    assert "Từ 21:00 đến 07:00 không gửi nhắc nhở." in menu
    choices = [line for line in menu.splitlines() if line.startswith("  ")]
    chair.says("1")  # deadline reminders off
    saved = chair.says("1")  # saved
    assert saved.startswith("Đã lưu:\n- Hạn nộp báo cáo (5/6, 5/12): tắt\nBạn muốn thay đổi gì nữa?\n  1. Bật: ")
    assert "Từ 21:00 đến 07:00" not in saved and "Nhắc nhở của bạn" not in saved
    again = [line for line in saved.splitlines() if line.startswith("  ")]
    assert len(again) == len(choices) and again[0] != choices[0]  # the same places, the first now turns it on
