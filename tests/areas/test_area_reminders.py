"""The late-clubs digest (LATE_CLUBS) goes to the reviewer of a commune or a province as to a club's own reviewer:
one list of the late clubs of their area, and none outside it."""

from __future__ import annotations

from sqlmodel import select

from storage import reminders, submissions, users
from storage.models import CHAIR, LATE_CLUBS, AreaReviewer, Club, User
from storage.periods import period
from tests.areas.support import BINH_SON, HA_NOI, HA_NOI_COMMUNE, QUANG_NGAI, TINH_KHE
from tests.reminder_support import at, make_club, rows, service


def placed_club(db, name: str, province_code: str, commune_code: str, reviewer_id: str | None = None):
    club = make_club(db, name=name, reviewer_id=reviewer_id)
    with db.transaction() as s:
        row = s.get(Club, club.club_id)
        row.province_code, row.commune_code = province_code, commune_code
    return club


def area_reviewer(db, chat: str, province_code: str, commune_code: str | None = None) -> int:
    with db.transaction() as s:
        person = users.get_or_create(s, "telegram", chat, "Hội NCT")
        s.add(AreaReviewer(user_id=person.id, province_code=province_code, commune_code=commune_code))
        return person.id


async def test_the_reviewers_of_a_commune_and_of_a_province_get_their_late_clubs(any_db):
    late = placed_club(any_db, "CLB Muộn Bình Sơn", QUANG_NGAI, BINH_SON, reviewer_id="777")
    on_time = placed_club(any_db, "CLB Đúng Hạn", QUANG_NGAI, BINH_SON)
    other_commune = placed_club(any_db, "CLB Muộn Tịnh Khê", QUANG_NGAI, TINH_KHE)
    elsewhere = placed_club(any_db, "CLB Muộn Hà Nội", HA_NOI, HA_NOI_COMMUNE)
    commune_reviewer = area_reviewer(any_db, "881", QUANG_NGAI, BINH_SON)
    province_reviewer = area_reviewer(any_db, "882", QUANG_NGAI)
    # a club's own reviewer who also reviews its commune hears of it once
    with any_db.transaction() as s:
        own = s.exec(select(User.id).where(User.id == late.people["reviewer"])).one()
        s.add(AreaReviewer(user_id=own, province_code=QUANG_NGAI, commune_code=BINH_SON))
        submissions.mark_submitted(s, on_time.club_id, "2025-H1", s.get(User, on_time.people[CHAIR]))
    svc, sender = service(any_db)
    for day in range(6, 12):
        await svc.run_once(at(2025, 6, day, 9))
    digests = [r for r in rows(any_db) if r.kind == LATE_CLUBS]
    assert sorted(r.user_id for r in digests) == sorted([own, commune_reviewer, province_reviewer])
    commune_text, province_text, own_text = sender.to("881")[0], sender.to("882")[0], sender.to("777")[0]
    assert "CLB Muộn Bình Sơn" in commune_text
    assert "CLB Muộn Tịnh Khê" not in commune_text and "CLB Đúng Hạn" not in commune_text
    assert "CLB Muộn Bình Sơn" in province_text and "CLB Muộn Tịnh Khê" in province_text
    assert "CLB Muộn Hà Nội" not in province_text and "CLB Đúng Hạn" not in province_text
    assert own_text.count("CLB Muộn Bình Sơn") == 1
    with any_db.transaction() as s:  # a retry makes the list again, the same way
        again = reminders.late_clubs_of(s, province_reviewer, period("2025-H1"))
        assert [name for _code, name in again] == ["CLB Muộn Bình Sơn", "CLB Muộn Tịnh Khê"]
        assert reminders.late_clubs_of(s, own, period("2025-H1")) == [(late.code, "CLB Muộn Bình Sơn")]
    assert other_commune and elsewhere
