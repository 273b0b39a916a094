"""A chair registers a club, invites the board; people join with codes, or are turned away."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlmodel import select

from storage import clubs
from storage.models import BoardSeat, Club, Invite
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
    assert "Liên Trì, Bình Hiệp, Bình Sơn, Quảng Ngãi" in reply and "08/04/2019" in reply
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


def test_invite_codes_carry_at_least_64_random_bits(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    codes = {invite_code(chair, "4") for _ in range(30)}
    assert len(codes) == 30  # every invite gets its own code
    alphabet = set("".join(codes))
    assert alphabet <= set(clubs._CODE_ALPHABET)
    bits = min(len(code) for code in codes) * math.log2(len(clubs._CODE_ALPHABET))
    assert bits >= 64, bits


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
