"""/hop through python-telegram-bot on the fake Bot API: buttons, a photo of the meeting, stickers, redelivery."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from handlers.core import skip_choice, yes_no
from handlers.meetings import texts
from storage.models import Meeting, MeetingArea
from tests.conftest import REGISTRATION
from tests.meetings.test_meetings import MEMBER_NAMES, in_vi, step_of


async def club_on_telegram(telegram, members: int = 45):
    """A chair on Telegram who registered the club and pasted its member list."""
    chair = telegram(101, "An")
    for answer in REGISTRATION:
        await chair.says(answer)
    lines = "\n".join(f"{name}, {1950 + n % 20}, nữ" for n, name in enumerate(MEMBER_NAMES[:members]))
    for answer in ("/thanhvien", "2", lines, "1"):
        await chair.says(answer)
    return chair


async def up_to_the_photo(chair, present: str = "38") -> None:
    """Log a meeting with buttons up to the question about a photo."""
    await chair.says("/hop")
    await chair.presses(in_vi(texts.LOG_LABEL))
    await chair.presses(in_vi(texts.YESTERDAY_LABEL))
    await chair.says(present)
    await chair.presses(in_vi(texts.area_name, "health"))
    await chair.presses(in_vi(texts.area_name, "income"))
    await chair.presses(in_vi(texts.DONE_LABEL))
    await chair.says("30")
    await chair.presses(in_vi(lambda: skip_choice().label))
    await chair.presses(in_vi(lambda: skip_choice().label))


def stored(db) -> list[tuple[Meeting, set[str]]]:
    with db.transaction() as s:
        return [
            (m, set(s.exec(select(MeetingArea.area).where(MeetingArea.meeting_id == m.id))))
            for m in s.exec(select(Meeting))
        ]


async def test_chair_logs_a_meeting_with_buttons_and_a_photo(telegram, db):
    chair = await club_on_telegram(telegram)
    await up_to_the_photo(chair)
    read_back = await chair.sends_photo("meeting-nov")
    assert "22/11/2026" in read_back and "38" in read_back
    assert stored(db) == []
    await chair.presses(in_vi(lambda: yes_no()[0].label))
    [(meeting, areas)] = stored(db)
    # The largest size of the picture, by reference: the bot does not download it.
    assert meeting.photo == "telegram:meeting-nov-1280"
    assert (meeting.held_on, meeting.attendance, areas) == (date(2026, 11, 22), 38, {"health", "income"})
    assert not [call for call in telegram.api.calls if call.method == "getFile"]


async def test_the_areas_toggle_on_and_off_with_buttons(telegram, db):
    chair = await club_on_telegram(telegram)
    await chair.says("/hop")
    await chair.presses(in_vi(texts.LOG_LABEL))
    await chair.presses(in_vi(texts.TODAY_LABEL))
    await chair.says("30")
    await chair.presses(in_vi(texts.area_name, "culture"))
    await chair.presses(in_vi(texts.area_name, "rights"))
    await chair.presses(in_vi(texts.area_name, "culture"))  # pressed again: unticked
    ticked = [label for label, _data in chair.buttons() if label.startswith(texts.TICK)]
    assert ticked == [f"{texts.TICK} " + in_vi(texts.area_name, "rights")]


async def test_a_photo_where_a_number_is_expected_is_refused_and_the_question_stays(telegram, db):
    chair = await club_on_telegram(telegram)
    await chair.says("/hop")
    await chair.presses(in_vi(texts.LOG_LABEL))
    await chair.presses(in_vi(texts.TODAY_LABEL))
    refused = await chair.sends_photo()
    assert refused and "45" in refused  # the attendance question again, with the size of the list
    assert step_of(db, "101") == ("meetings", "attendance")


async def test_a_sticker_mid_flow_is_answered_and_the_meeting_still_gets_saved(telegram, db):
    chair = await club_on_telegram(telegram)
    await up_to_the_photo(chair, present="41")
    await chair.sends_sticker()
    assert step_of(db, "101") == ("meetings", "photo")
    await chair.presses(in_vi(texts.NO_PHOTO_LABEL))
    await chair.presses(in_vi(lambda: yes_no()[0].label))
    [(meeting, _areas)] = stored(db)
    assert (meeting.attendance, meeting.photo) == (41, None)


async def test_a_redelivered_save_press_records_the_meeting_once(telegram, db):
    chair = await club_on_telegram(telegram)
    await up_to_the_photo(chair)
    await chair.presses(in_vi(texts.NO_PHOTO_LABEL))
    save = next(data for label, data in chair.buttons() if label == in_vi(lambda: yes_no()[0].label))
    await chair.presses_data(save, update_id=900_001)
    await chair.presses_data(save, update_id=900_001)  # Telegram delivers the same update again
    assert len(stored(db)) == 1


async def test_an_old_save_button_pressed_again_adds_no_second_meeting(telegram, db):
    chair = await club_on_telegram(telegram)
    await up_to_the_photo(chair)
    await chair.presses(in_vi(texts.NO_PHOTO_LABEL))
    save = next(data for label, data in chair.buttons() if label == in_vi(lambda: yes_no()[0].label))
    await chair.presses_data(save)
    await chair.presses_data(save)  # a second tap, as a new update, after the conversation ended
    assert len(stored(db)) == 1
