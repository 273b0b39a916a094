"""The dates a question gives as examples are of this week: yesterday's, by the clock of the update, never a fixed
day of another year ("05/06/2025" in one question and "15/11/2026" in the next)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.money_support import club_with_members

LOG = "1"  # /hop: log a meeting


def test_the_examples_are_yesterday_by_the_fixed_clock(person, db):
    chair = club_with_members(person, db)
    asked = chair.says_all("/hop", LOG)
    assert "hoặc gõ như hôm qua, 22/11 hoặc 22/11/2026." in asked  # the clock stands at Monday 23/11/2026
    refused = chair.says("ngày rằm")
    assert 'Không đọc được "ngày rằm" là ngày. Hãy gõ ngày/tháng/năm, ví dụ 23/11/2026.' in refused
    assert "31/02/2026 không phải là ngày có thật. Hãy gõ ngày/tháng/năm, ví dụ 23/11/2026." in chair.says("31/02/2026")
    chair.says("/huy")
    read_back = chair.says_all("/donggop Nguyễn Thị Lan 50k", "2", "1")  # the activity fund, the monthly fee
    assert "Ngày khác" in read_back
    assert "Hãy gõ như hôm qua, 22/11 hoặc 22/11/2026." in chair.says("Ngày khác")


def test_on_another_day_the_examples_move_with_it(person, db, clock):
    chair = club_with_members(person, db)
    clock.now = datetime(2027, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    asked = chair.says_all("/hop", LOG)
    assert "hôm qua, 01/03 hoặc 01/03/2027." in asked and "22/11" not in asked
    assert "ví dụ 02/03/2027." in chair.says("ngày rằm")
