"""A chair registers a club, invites the board; people join with codes, or are turned away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from storage import clubs
from storage.clubs import grouped
from storage.models import BoardSeat, Club, Invite, utcnow
from tests.conftest import REGISTRATION, register_club


def invite_code(person, role_number: str) -> str:
    reply = person.says_all("/moi", role_number, "1")
    return reply.split("/start ")[1].split()[0]


def test_chair_registers_a_club_and_sees_its_code(person, db):
    chair = person("1", "Nguyễn Văn An")
    code = register_club(chair)
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        seat = s.exec(select(BoardSeat)).one()
    assert club.code == code and len(code) == 6
    assert (club.name, club.district, club.founding_decision) == (
        "CLB Liên thế hệ tự giúp nhau thôn Liên Trì",
        "Bình Sơn",
        "58/QĐ-UBND",
    )
    assert club.founded_on.isoformat() == "2019-04-08" and club.meeting_day == 15
    assert seat.role == "chair"


def test_registration_reads_back_before_saving_and_can_be_declined(person, db):
    chair = person()
    reply = chair.says_all(*REGISTRATION[:-1])
    assert "thôn Liên Trì, xã Bình Sơn, tỉnh Quảng Ngãi (trước đây thuộc huyện Bình Sơn)" in reply
    assert "08/04/2019" in reply
    chair.says("2")
    with db.transaction() as s:
        assert s.exec(select(Club)).first() is None


def test_treasurer_joins_with_a_single_use_code(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    code = invite_code(chair, "2")  # 2 = treasurer
    treasurer = person("2", "Trần Thị Bình")
    offer = treasurer.says(f"/start {code}")
    assert "CLB Liên thế hệ tự giúp nhau thôn Liên Trì" in offer
    joined = treasurer.says("1")
    assert "Mã CLB" in joined
    with db.transaction() as s:
        roles = {seat.user_id: seat.role for seat in s.exec(select(BoardSeat))}
    assert sorted(roles.values()) == ["chair", "treasurer"]

    stranger = person("3", "Lê Văn Cường")
    stranger.says(f"/start {code}")
    with db.transaction() as s:
        assert len(s.exec(select(BoardSeat)).all()) == 2


def test_invite_codes_are_eight_plain_letters_shown_in_two_groups_of_four(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    codes = {invite_code(chair, "4") for _ in range(30)}
    assert len(codes) == 30  # every invite gets its own code
    assert all(len(code) == 9 and code[4] == "-" for code in codes), codes  # ABCD-EFGH
    letters = set("".join(codes).replace("-", ""))
    assert letters <= set(clubs._CODE_ALPHABET) and not letters & set("0O1IL")
    assert not set(clubs._CODE_ALPHABET) & set("0O1IL") and clubs.INVITE_CODE_LENGTH == 8
    with db.transaction() as s:
        assert {grouped(invite.code) for invite in s.exec(select(Invite))} == codes


@pytest.mark.parametrize("typed", ["{code}", "{plain}", "{lower}", "{first} {second}", "{lower_first} - {second}"])
def test_an_invite_code_is_taken_typed_with_or_without_its_dash_in_any_case(person, typed):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    code = invite_code(chair, "2")
    first, second = code.split("-")
    as_typed = typed.format(
        code=code, plain=first + second, lower=code.lower(), first=first, second=second, lower_first=first.lower()
    )
    assert "Mã CLB" in person("2", "Trần Thị Bình").says_all(f"/start {as_typed}", "1")


def test_a_sixteen_letter_code_made_before_still_works(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    with db.transaction() as s:
        seat = s.exec(select(BoardSeat)).one()
        valid = utcnow() + timedelta(days=3)
        s.add(
            Invite(
                code="ABCDEFGHJKMNPQRS",
                club_id=seat.club_id,
                role="treasurer",
                created_by=seat.user_id,
                expires_at=valid,
            )
        )
    assert "Mã CLB" in person("2", "Trần Thị Bình").says_all("/start abcd-efgh-jkmn-pqrs", "1")


def test_expired_and_unknown_codes_are_refused(person, db, clock):
    chair = person()
    register_club(chair)
    code = invite_code(chair, "3")
    clock.now += timedelta(days=8)
    with db.transaction() as s:  # the code's expiry is stored in UTC; move it into the past
        invite = s.exec(select(Invite)).one()
        invite.expires_at -= timedelta(days=8)
    late = person("4", "Phạm Văn Dũng")
    late.says(f"/start {code}")
    unknown = late.says("/start AAAABBBBCCCCDDDD")
    with db.transaction() as s:
        assert len(s.exec(select(BoardSeat)).all()) == 1
    assert unknown != ""


def test_a_stranger_cannot_use_board_commands(person):
    chair = person()
    register_club(chair)
    stranger = person("9", "Người Lạ")
    for command in ("/thanhvien", "/moi", "/bancn"):
        assert "/start" in stranger.says(command)


def test_a_treasurer_cannot_invite(person):
    chair = person()
    register_club(chair)
    code = invite_code(chair, "2")
    treasurer = person("2", "Trần Thị Bình")
    treasurer.says_all(f"/start {code}", "1")
    reply = treasurer.says("/moi")
    assert "/moi" in reply
    assert "/start" not in reply.split("/moi")[1]


# --- places on the 2025 map ------------------------------------------------------------------------------


def registered_club(db) -> Club:
    with db.transaction() as s:
        return s.exec(select(Club)).one()


def test_places_typed_in_any_form_are_matched_to_their_official_names(person, db):
    chair = person()
    chair.says_all("/start", "CLB Liên thế hệ thôn Liên Trì", "thôn Liên Trì")
    assert "xã, phường hay đặc khu nào của Quảng Ngãi" in chair.says("tinh quang ngai")
    assert "Huyện cũ" in chair.says("xa binh son")
    read_back = chair.says_all("Bỏ qua", "Bỏ qua", "15")
    assert "thôn Liên Trì, xã Bình Sơn, tỉnh Quảng Ngãi" in read_back and "huyện cũ" not in read_back
    chair.says("1")
    club = registered_club(db)
    assert (club.province, club.province_code, club.commune, club.commune_code) == (
        "Quảng Ngãi",
        "51",
        "Xã Bình Sơn",
        "21040",
    )
    assert club.district == "" and club.village == "thôn Liên Trì" and club.place_asked_at is not None


def test_several_places_are_offered_to_pick_and_a_pick_is_taken(person, db):
    chair = person()
    chair.says_all("/start", "CLB thôn Đông", "Đông")
    several = chair.says("ha")
    assert 'Có mấy nơi khớp với "ha"' in several and "Thành phố Hà Nội" in several and "Hà Tĩnh" in several
    assert "của Hà Tĩnh" in chair.says("2")
    many = chair.says("k")  # too short to say which: more than eight communes start so
    assert 'Có 13 nơi khớp với "k": hãy gõ tên đầy đủ hơn' in many and "1." not in many
    chair.says_all("ky anh", "Bỏ qua", "Bỏ qua", "10", "1")
    assert (registered_club(db).province_code, registered_club(db).commune) == ("42", "Xã Kỳ Anh")


def test_a_place_not_found_gets_the_nearest_names_and_nothing_is_kept(person, db):
    chair = person()
    chair.says_all("/start", "CLB thôn Đông", "Đông", "Quảng Ngãi")
    # Bình Hiệp was merged into Bình Sơn; Ba Đình is in Hà Nội, not in Quảng Ngãi.
    not_found = chair.says("Bình Hiệp")
    assert 'Không tìm thấy xã/phường nào tên "Bình Hiệp" ở Quảng Ngãi' in not_found
    assert "quay lại và sửa tỉnh" in not_found and "1. Xã Bình Minh" in not_found
    assert "Không tìm thấy" in chair.says("Phúc Xá")  # a ward of Hà Nội
    assert "Không tìm thấy" in chair.says("x" * 150)
    too_long = chair.says("Bình " * 50)
    assert "Quá dài" in too_long and "1." not in too_long
    chair.says("Bình Hiệp")
    assert "Huyện cũ" in chair.says("1")  # the nearest name picked
    chair.says_all("Bình Sơn", "Bỏ qua", "Bỏ qua", "10", "1")
    club = registered_club(db)
    assert (club.commune, club.district) == ("Xã Bình Minh", "Bình Sơn")


def test_bad_provinces_are_refused_with_the_question_again(person, db):
    chair = person()
    chair.says_all("/start", "CLB thôn Đông", "Đông")
    for bad in ("Quảng Nam", "xyz", "12345", "\x00\x07", "a" * 2000, "a" * 500):
        reply = chair.says(bad)
        assert "CLB thuộc tỉnh, thành phố nào?" in reply, bad
    assert "Không tìm thấy tỉnh/thành phố nào" in chair.says("Atlantis")
    assert "Thành phố Huế" in chair.says("Huế\x00")  # control characters are dropped before reading
    with db.transaction() as s:
        assert s.exec(select(Club)).first() is None


def test_the_chair_changes_the_clubs_place_from_the_board_list(person, db):
    chair = person()
    register_club(chair)
    chair.says("/bancn")
    asked = chair.says("Sửa nơi của CLB")
    assert "thôn Liên Trì, xã Bình Sơn, tỉnh Quảng Ngãi (trước đây thuộc huyện Bình Sơn)" in asked
    assert "tỉnh, thành phố nào" in asked
    chair.says("Quảng Ngãi")
    assert "Huyện cũ" in chair.says("Trường Giang")
    read_back = chair.says("Bỏ qua")
    assert "thôn Liên Trì, xã Trường Giang, tỉnh Quảng Ngãi" in read_back
    assert "Đã lưu nơi của CLB" in chair.says("1")
    club = registered_club(db)
    assert (club.commune, club.commune_code, club.district) == ("Xã Trường Giang", "21196", "")


async def test_on_telegram_the_invite_shows_its_groups_and_a_link_telegram_accepts(telegram):
    chair = telegram(201, "An")
    for text in (*REGISTRATION, "/moi", "2", "1"):
        reply = await chair.says(text)
    shown = reply.split("/start ")[1].split()[0]
    link = reply.split("https://t.me/ClubTestBot?start=")[1].split()[0]
    # A deep link's payload may hold only A-Z, a-z, 0-9, _ and -: the code goes in plain.
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", shown) and link == shown.replace("-", "")
    treasurer = telegram(202, "Bình", "Trần Thị")
    await treasurer.says(f"/start {link}")  # what Telegram sends when the link is opened
    assert "Mã CLB" in await treasurer.presses("Đồng ý")
