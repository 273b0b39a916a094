"""The board logs meetings and activities with /hop at the console; bad answers are explained and save nothing.

The test clock stands at 23/11/2026, in the reporting period 2026-H2 (01/06/2026 – 30/11/2026). The club
was founded on 08/04/2019. Texts get translated while the project goes on, so the tests look at numbers,
dates, names, where the conversation stands and what the database holds, and at texts only through the
functions that make them.
"""

from __future__ import annotations

from datetime import date, datetime
from types import FunctionType
from zoneinfo import ZoneInfo

from sqlmodel import select

from handlers.i18n import language
from handlers.meetings import texts
from storage.models import (
    Activity,
    ClubGroup,
    Conversation,
    GroupMember,
    Meeting,
    MeetingArea,
    MeetingAttendee,
    MeetingChange,
    Volunteer,
)
from tests.conftest import at_the_console, register_club
from tests.snapshot_support import built_once_described

FAMILIES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng")
GIVEN = ("Lan", "Hoa", "Mai", "Cúc", "Đào", "Huệ", "Sen", "Hồng", "Nga")
MEMBER_NAMES = [f"{family} Thị {given}" for family in FAMILIES for given in GIVEN]  # 45 people

# The /hop menu for those who log: 1 log a meeting, 2 recent meetings, 3 areas this period,
# 4 log an activity, 5 volunteers and groups, 6 done.
LOG, HISTORY, AREAS_VIEW, ACTIVITY, PEOPLE = "1", "2", "3", "4", "5"


def club_with_members(person, count: int = 45):
    """A chair who registered the club and pasted `count` members; returns the chair."""
    chair = person("1", "Nguyễn Văn An")
    register_and_paste_members(chair, count)
    return chair


@built_once_described(at_the_console)
def register_and_paste_members(chair, count: int) -> None:
    register_club(chair)
    lines = "\n".join(f"{name}, {1940 + n % 30}, nữ" for n, name in enumerate(MEMBER_NAMES[:count]))
    chair.says_all("/thanhvien", "2", lines, "1")


def board_member(person, chair, role_number: str, user_id: str, name: str):
    """Someone the chair invites to the board: 2 treasurer, 3 secretary, 5 district reviewer."""
    code = chair.says_all("/moi", role_number, "1").split("/start ")[1].split()[0]
    joined = person(user_id, name)
    joined.says_all(f"/start {code}", "1")
    return joined


def log_meeting(
    who, on: str, present: str, areas: str = "1 2", checks: str = "30", topic: str = "bỏ qua", notes: str = "bỏ qua"
) -> str:
    """Answer every question of 'Log a meeting' and save; returns the bot's last answer."""
    return who.says_all("/hop", LOG, on, present, areas, "xong", checks, topic, notes, "1", "1")


def in_vi(text, *args):
    """A text of the bot as a Vietnamese-speaking user sees it, whatever the catalogs hold by now."""
    with language("vi"):
        return text(*args) if args or isinstance(text, FunctionType) else str(text)


def stored_meetings(db) -> list[Meeting]:
    with db.transaction() as s:
        return list(s.exec(select(Meeting).order_by(Meeting.held_on, Meeting.id)))


def step_of(db, user_id: str) -> tuple[str | None, str | None]:
    """Where the person is in a conversation: the flow and the question waiting for an answer."""
    with db.transaction() as s:
        convo = s.exec(select(Conversation).where(Conversation.user_key == user_id)).one()
        return convo.flow, convo.step


def stored_areas(db, meeting_id: int) -> set[str]:
    with db.transaction() as s:
        return set(s.exec(select(MeetingArea.area).where(MeetingArea.meeting_id == meeting_id)))


# --- logging a meeting ------------------------------------------------------------------------------------


def test_secretary_logs_yesterdays_meeting_with_38_present(person, db):
    chair = club_with_members(person)
    secretary = board_member(person, chair, "3", "2", "Trần Thị Bình")
    secretary.says_all("/hop", LOG, "hôm qua", "38", "1 2", "xong", "30", "Phòng chống đột quỵ")
    secretary.says("Tháng sau khám mắt")
    summary = secretary.says("1")  # no photo: the read-back
    assert "22/11/2026" in summary and "38" in summary and "45" in summary and "Phòng chống đột quỵ" in summary
    assert stored_meetings(db) == []  # nothing before the yes

    saved = secretary.says("1")
    [meeting] = stored_meetings(db)
    assert (meeting.held_on, meeting.attendance, meeting.health_checks) == (date(2026, 11, 22), 38, 30)
    assert (meeting.topic, meeting.notes, meeting.photo) == ("Phòng chống đột quỵ", "Tháng sau khám mắt", None)
    assert stored_areas(db, meeting.id) == {"income", "health"}
    assert "22/11/2026" in saved and "2026-H2" in saved


def test_dates_like_5_6_and_05_06_2025_are_read_day_first(person, db):
    chair = club_with_members(person)
    log_meeting(chair, "5/6", "30")
    log_meeting(chair, "05/06/2025", "31")
    assert [(m.held_on, m.attendance) for m in stored_meetings(db)] == [(date(2025, 6, 5), 31), (date(2026, 6, 5), 30)]


def test_a_meeting_in_the_future_or_before_the_club_was_founded_is_refused(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG)
    future = chair.says("24/11/2026")
    too_early = chair.says("07/04/2019")
    assert "24/11/2026" in future
    assert "CLB thành lập (08/04/2019)" in too_early and "từ 08/04/2019 đến hôm nay" in too_early
    nonsense = chair.says("31/02/2026")
    assert "31/02/2026" in nonsense
    # Still at the date question: a good date goes on to attendance.
    assert "45" in chair.says("08/04/2019")
    assert stored_meetings(db) == []


def test_attendance_larger_than_the_member_list_is_refused_and_the_question_stays(person, db):
    chair = club_with_members(person, count=40)
    chair.says_all("/hop", LOG, "hôm nay")
    assert "40" in chair.says("41")
    chair.says_all("nhiều lắm", "0")
    assert step_of(db, "1") == ("meetings", "attendance")
    chair.says("40 người")
    assert step_of(db, "1") == ("meetings", "areas")
    assert stored_meetings(db) == []


def test_health_checks_cannot_exceed_the_people_present(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm nay", "20", "2", "xong")
    refused = chair.says("21")
    assert "20" in refused
    chair.says_all("1")  # typed 1 is one check, not the button "None"
    chair.says_all("bỏ qua", "bỏ qua", "1", "1")
    [meeting] = stored_meetings(db)
    assert meeting.health_checks == 1


def test_a_second_meeting_on_the_same_date_is_asked_about_never_added_silently(person, db):
    chair = club_with_members(person)
    log_meeting(chair, "hôm qua", "38")
    chair.says_all("/hop", LOG)
    warning = chair.says("hôm qua")
    assert "22/11/2026" in warning and "38" in warning
    # 1 change that meeting, 2 log a second one that day, 3 type another date.
    assert step_of(db, "1") == ("meetings", "same_day")
    chair.says("3")
    chair.says_all("20/11/2026", "12", "1", "xong", "0", "bỏ qua", "bỏ qua", "1", "1")
    assert [(m.held_on, m.attendance) for m in stored_meetings(db)] == [
        (date(2026, 11, 20), 12),
        (date(2026, 11, 22), 38),
    ]

    chair.says_all("/hop", LOG, "hôm qua", "2", "7", "1", "xong", "0", "bỏ qua", "bỏ qua", "1", "1")
    assert sorted(m.attendance for m in stored_meetings(db) if m.held_on == date(2026, 11, 22)) == [7, 38]


def test_a_meeting_logged_by_someone_else_meanwhile_is_asked_about_before_saving(person, db):
    chair = club_with_members(person)
    secretary = board_member(person, chair, "3", "2", "Trần Thị Bình")
    secretary.says_all("/hop", LOG, "hôm qua", "37", "1", "xong", "0", "bỏ qua", "bỏ qua", "1")  # at the read-back
    log_meeting(chair, "hôm qua", "38")  # the chair was quicker
    warning = secretary.says("1")
    assert "38" in warning and step_of(db, "2") == ("meetings", "same_day")
    assert [m.attendance for m in stored_meetings(db)] == [38]


def test_the_same_date_question_can_lead_to_changing_the_logged_meeting(person, db):
    chair = club_with_members(person)
    log_meeting(chair, "hôm qua", "38")
    card = chair.says_all("/hop", LOG, "hôm qua", "1")
    assert "38" in card and step_of(db, "1") == ("meetings", "card")
    chair.says_all("1", "2", "39", "1")  # change something: number present, 39, save
    [meeting] = stored_meetings(db)
    assert meeting.attendance == 39


def test_an_unknown_area_is_explained_and_the_question_stays(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm nay", "30")
    unknown = chair.says("1, bóng đá")
    assert "bóng đá" in unknown and "✓" not in unknown  # nothing ticked, not even area 1
    assert "✓" not in chair.says("9")  # the ninth choice is Done: with nothing ticked it asks again
    assert step_of(db, "1") == ("meetings", "areas")
    ticked = chair.says("sức khỏe, văn hóa")
    assert ticked.count("✓") == 2
    assert ticked.startswith("Đã chọn 2 mảng. Chọn tiếp, hoặc gõ 9.")  # the instructions were given once
    chair.says_all("xong", "0", "bỏ qua", "bỏ qua", "1", "1")
    [meeting] = stored_meetings(db)
    assert stored_areas(db, meeting.id) == {"health", "culture"}


def test_done_without_any_area_asks_for_one(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm nay", "30")
    chair.says("xong")
    assert step_of(db, "1") == ("meetings", "areas")
    chair.says_all("1", "1", "xong")  # tick income, then untick it
    assert step_of(db, "1") == ("meetings", "areas")
    assert stored_meetings(db) == []


def test_attendance_by_ticking_names_across_pages(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm nay")
    first_page = chair.says("1")  # tick names
    assert "Hoàng Thị Cúc" in first_page and "Trần Thị Sen" not in first_page
    assert "Chọn tên để đánh dấu" in first_page and "  1. Xong\n  2. Hoàng Thị Cúc" in first_page
    ticked = chair.says("2 4")  # two people on the first page: Done is 1, the names from 2
    assert ticked.startswith("Đã chọn 2 người (trang 1/6). Chọn tiếp, hoặc gõ 1.\n  1. Xong\n")
    assert "Chọn tên" not in ticked  # the instructions were given once
    chair.says("Hoàng Thị Cúc")  # typed name: untick the first again
    next_page = chair.says("10")  # 1 Done, eight names, 10 next page, 11 everyone came
    assert "Hoàng Thị Cúc" not in next_page and next_page.startswith("Đã chọn 1 người (trang 2/6)")
    assert "  1. Xong\n" in next_page  # the same number on every page
    assert "không có trong trang này" in chair.says("1 3")  # Done is no name to tick
    chair.says("3")
    chair.says("xong")
    assert step_of(db, "1") == ("meetings", "areas")
    chair.says_all("2", "xong", "2", "bỏ qua", "bỏ qua", "1")
    chair.says("1")
    [meeting] = stored_meetings(db)
    with db.transaction() as s:
        attendees = list(s.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)))
    assert meeting.attendance == 2 == len(attendees)


def test_everyone_present_ticks_the_whole_list_then_absent_people_are_unticked(person, db):
    chair = club_with_members(person, count=12)
    chair.says_all("/hop", LOG, "hôm nay", "1")
    ticked = chair.says("11")  # 1 Done, eight names, 10 next page, 11 everyone came
    assert "12" in ticked
    chair.says("2 3")
    chair.says_all("xong", "2", "xong", "0", "bỏ qua", "bỏ qua", "1", "1")
    [meeting] = stored_meetings(db)
    assert meeting.attendance == 10


def test_declining_the_read_back_saves_nothing(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", LOG, "hôm nay", "30", "1", "xong", "0", "bỏ qua", "bỏ qua", "1")
    chair.says("2")
    assert stored_meetings(db) == []


# --- history and changes ----------------------------------------------------------------------------------


def test_chair_changes_the_attendance_and_the_old_value_stays_in_the_history(person, db):
    chair = club_with_members(person)
    secretary = board_member(person, chair, "3", "2", "Trần Thị Bình")
    log_meeting(secretary, "hôm qua", "38")
    history = chair.says_all("/hop", HISTORY)
    assert "22/11/2026" in history and "38" in history
    chair.says_all("1", "1", "2")  # the meeting, change something, number present
    read_back = chair.says("40")
    assert "38" in read_back and "40" in read_back
    card = chair.says("1")
    assert "Nguyễn Văn An" in card and "38" in card and "40" in card

    chair.says_all("1", "3", "3", "xong", "1")  # also tick area 3 (home care)
    [meeting] = stored_meetings(db)
    assert meeting.attendance == 40
    assert stored_areas(db, meeting.id) == {"income", "health", "homecare"}
    with db.transaction() as s:
        changes = [(c.field, c.old, c.new) for c in s.exec(select(MeetingChange).order_by(MeetingChange.id))]
    assert changes == [("attendance", 38, 40), ("areas", ["income", "health"], ["income", "health", "homecare"])]


def test_saving_a_change_that_changes_nothing_keeps_no_history(person, db):
    chair = club_with_members(person)
    log_meeting(chair, "hôm qua", "38")
    chair.says_all("/hop", HISTORY, "1", "1", "2", "38")
    with db.transaction() as s:
        assert s.exec(select(MeetingChange)).first() is None


def test_a_treasurer_sees_meetings_but_cannot_log_or_change_them(person, db):
    chair = club_with_members(person)
    log_meeting(chair, "hôm qua", "38")
    treasurer = board_member(person, chair, "2", "3", "Lê Văn Cường")
    menu = treasurer.says("/hop")
    assert in_vi(texts.LOG_LABEL) not in menu and in_vi(texts.HISTORY_LABEL) in menu
    card = treasurer.says_all("1", "1")  # recent meetings is first for the treasurer; then the meeting
    assert "38" in card and in_vi(texts.EDIT_LABEL) not in card
    treasurer.says("1")  # the first choice on the card is now "back to recent meetings"
    assert step_of(db, "3") == ("meetings", "history")
    assert [m.attendance for m in stored_meetings(db)] == [38]


def test_a_vice_chair_logs_but_cannot_change_a_logged_meeting(person, db):
    chair = club_with_members(person)
    vice = board_member(person, chair, "1", "4", "Phạm Văn Dũng")
    log_meeting(vice, "hôm qua", "38")
    card = vice.says_all("/hop", HISTORY, "1")
    assert "38" in card and in_vi(texts.EDIT_LABEL) not in card
    assert len(stored_meetings(db)) == 1


def test_a_stranger_cannot_use_hop(person, db):
    club_with_members(person, count=3)
    stranger = person("9", "Người Lạ")
    assert "/start" in stranger.says("/hop")


def test_history_lists_the_last_six_months_newest_first(person, db):
    chair = club_with_members(person)
    for on, present in (("15/03/2026", "31"), ("15/09/2026", "32"), ("15/10/2026", "33")):
        log_meeting(chair, on, present)
    history = chair.says_all("/hop", HISTORY)
    assert history.index("15/10/2026") < history.index("15/09/2026")
    assert "15/03/2026" not in history


# --- what this period has covered -------------------------------------------------------------------------


def test_the_overview_shows_areas_done_this_period_and_those_not_yet(person, db):
    chair = club_with_members(person)
    log_meeting(chair, "15/05/2026", "30", areas="7")  # culture, in 2026-H1: not this period
    log_meeting(chair, "15/10/2026", "30", areas="1 2")
    log_meeting(chair, "15/11/2026", "40", areas="2 6")
    overview = chair.says_all("/hop", AREAS_VIEW)
    done = [line[2:] for line in overview.splitlines() if line.startswith("✓ ")]
    not_yet = [line[2:] for line in overview.splitlines() if line.startswith("✗ ")]
    assert "2026-H2" in overview and "05/12/2026" in overview
    assert [line.split(":")[0] for line in done] == in_vi(
        lambda: [texts.area_name(a) for a in ("income", "health", "learning")]
    )
    assert "2" in done[1]  # health: two meetings
    assert len(not_yet) == 5 and in_vi(texts.area_name, "culture") in not_yet
    assert "35" in overview  # average attendance of the two meetings this period


# --- activities outside meetings --------------------------------------------------------------------------


def test_a_volunteer_visits_a_member_at_home_and_it_counts_for_home_care(person, db):
    chair = club_with_members(person)
    no_volunteer = chair.says_all("/hop", ACTIVITY, "1")
    assert step_of(db, "1") == (None, None) and no_volunteer
    chair.says_all("/hop", PEOPLE, "1", "Nguyễn Thị Lan", "1")  # mark a volunteer, confirm
    chair.says_all("/hop", ACTIVITY, "1")
    refused = chair.says("Trần Thị Hoa")
    assert "Trần Thị Hoa" in refused  # not a volunteer
    chair.says("1")  # the volunteer's button
    chair.says("Nguyễn Thị Lan")  # visiting herself is refused
    assert step_of(db, "1") == ("meetings", "visited")  # each member question is a step of its own
    chair.says_all("Lê Thị Cúc", "hôm qua")
    read_back = chair.says("Đo huyết áp, dọn nhà")
    assert "Nguyễn Thị Lan" in read_back and "Lê Thị Cúc" in read_back and "22/11/2026" in read_back
    with db.transaction() as s:
        assert s.exec(select(Activity)).first() is None
    chair.says("1")
    with db.transaction() as s:
        [visit] = s.exec(select(Activity)).all()
    assert (visit.kind, visit.area, visit.held_on, visit.description) == (
        "home_visit",
        "homecare",
        date(2026, 11, 22),
        "Đo huyết áp, dọn nhà",
    )
    assert visit.volunteer_id != visit.member_id and None not in (visit.volunteer_id, visit.member_id)


def test_a_health_check_day_needs_the_number_of_people_checked(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", ACTIVITY, "2", "hôm nay", "bỏ qua")  # there is no skipping the count here
    assert step_of(db, "1") == ("meetings", "act_people")
    chair.says_all("120", "bỏ qua", "1")
    with db.transaction() as s:
        [day_] = s.exec(select(Activity)).all()
    assert (day_.kind, day_.area, day_.people) == ("health_day", "health", 120)


def test_resources_mobilised_are_recorded_in_dong(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", ACTIVITY, "5", "hôm qua", "2tr5", "Trạm y tế xã tặng 5 máy đo huyết áp", "1")
    with db.transaction() as s:
        [gift] = s.exec(select(Activity)).all()
    assert (gift.area, gift.amount) == ("resources", 2_500_000)


def test_another_activity_takes_the_area_the_person_picks(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", ACTIVITY, "6", "bóng đá")
    assert step_of(db, "1") == ("meetings", "act_area")
    chair.says_all("tự giúp nhau", "hôm nay", "0", "Góp công sửa nhà cho bà Sen", "1")
    with db.transaction() as s:
        [other] = s.exec(select(Activity)).all()
    assert (other.kind, other.area, other.people) == ("other", "selfhelp", 0)


# --- volunteers and groups --------------------------------------------------------------------------------


def test_a_volunteer_stops_and_the_record_stays(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", PEOPLE, "1", "Nguyễn Thị Lan", "1")
    again = chair.says_all("/hop", PEOPLE, "1", "Nguyễn Thị Lan")
    assert "Nguyễn Thị Lan" in again  # already a volunteer
    chair.says_all("/huy", "/hop", PEOPLE, "2", "1", "1")  # a volunteer stops: the first, confirm
    with db.transaction() as s:
        [volunteer] = s.exec(select(Volunteer)).all()
    assert volunteer.ended_on == date(2026, 11, 23)


def test_a_group_for_culture_gets_members(person, db):
    chair = club_with_members(person)
    chair.says_all("/hop", PEOPLE, "2", "7", "Tổ văn nghệ", "1")  # new group, culture, name, confirm
    chair.says_all("1", "Phạm Thị Mai", "1")  # add a member, confirm
    group_view = chair.says_all("1", "Lê Thị Hoa", "1")
    assert "Phạm Thị Mai" in group_view and "Lê Thị Hoa" in group_view
    chair.says_all("2", "1", "1")  # take the first (Lê Thị Hoa, by name order) off
    with db.transaction() as s:
        [group] = s.exec(select(ClubGroup)).all()
        in_group = s.exec(select(GroupMember)).all()
    assert (group.name, group.area, len(in_group)) == ("Tổ văn nghệ", "culture", 1)


def test_a_change_made_at_0110_local_is_shown_on_the_local_day():
    # SQLite gives stored UTC moments back without a zone: 18:10 UTC on 05/12 is 01:10 on 06/12 in Viet Nam.
    change = MeetingChange(
        meeting_id=1, field="attendance", old=30, new=32, changed_by=1, changed_at=datetime(2026, 12, 5, 18, 10)
    )
    with language("vi"):
        line = texts.change_line(change, "Nguyễn Văn An", ZoneInfo("Asia/Ho_Chi_Minh"))
    assert line.startswith("06/12/2026, Nguyễn Văn An:")
