"""Every command × every role: allowed or refused, as handlers/registry.py and handlers/roles.py say.

Driven through the conversation core, as people on the console. The expectation is derived from each
Command's `roles`, and a hard-coded table of the key rules (who lends, who invites, who sets the rules)
makes the test fail when someone loosens a role set. Button data cannot be forged to reach another
club's records.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from handlers.registry import COMMANDS
from storage import members as member_store
from storage.models import (
    AREA_REVIEWER,
    BOARD_MEMBER,
    CHAIR,
    REVIEWER,
    SECRETARY,
    TREASURER,
    VICE_CHAIR,
    BoardSeat,
    Club,
    ClubRules,
    Invite,
    LedgerEntry,
    Loan,
    Member,
)
from tests.conftest import REGISTRATION, at_the_console, register_club
from tests.snapshot_support import built_once_described

NONE, OTHER_CLUB = "none", "other_club_board_member"
ROLES = (NONE, OTHER_CLUB, BOARD_MEMBER, SECRETARY, TREASURER, VICE_CHAIR, CHAIR, REVIEWER)
INVITE_NUMBER = {VICE_CHAIR: "1", TREASURER: "2", SECRETARY: "3", BOARD_MEMBER: "4", REVIEWER: "5", CHAIR: "6"}

# What the refusals say (Vietnamese, the default language).
NOT_ON_A_BOARD = (  # the dispatcher's own refusal, exactly: flows open to all may say something alike
    "Bạn chưa ở trong Ban chủ nhiệm CLB nào. Gõ /start để đăng ký CLB, hoặc /start MÃ_MỜI với mã Chủ nhiệm đưa cho bạn."
)
ONLY_THESE_ROLES = "chỉ dành cho:"

CLUB_A_MEMBERS = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo, DTTS"
CLUB_B_MEMBERS = "Hoàng Thị Xuyến, 1950, nữ, nghèo, khuyết tật\nĐinh Văn Khải, 1947, nam"

# The key rules of issue 7, written out so that loosening a role set in handlers/roles.py fails here.
WRITERS_OF_MONEY = {CHAIR, VICE_CHAIR, TREASURER}
KEY_EXPECTATIONS: dict[str, set[str]] = {
    "vay": {CHAIR, TREASURER},  # only the chair and the treasurer lend
    "moi": {CHAIR},  # only the chair invites
    "quyche": {CHAIR},  # the money rules are the chair's
    "nhom": {CHAIR},
    "donggop": WRITERS_OF_MONEY,
    "trano": WRITERS_OF_MONEY,
    "chi": WRITERS_OF_MONEY,
    "hoantac": WRITERS_OF_MONEY,
    # Everyone on the board and the district reviewer may look.
    "thanhvien": {CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER},
    "hop": {CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER},
    "quy": {CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER},
    # ... and the reviewer of a commune or a province reads reports, and nothing else (tests/areas).
    "baocao": {CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER, AREA_REVIEWER},
    "bancn": {CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER},
}
# Commands anyone may start, with or without a club.
OPEN_TO_ALL = {"start", "menu", "clb", "lienket", "ngonngu", "trogiup"}


def effective_role(role: str) -> str | None:
    """The role the person holds in the club they are acting in (their own club, for another club's member)."""
    return {NONE: None, OTHER_CLUB: BOARD_MEMBER}.get(role, role)


def allowed_by_registry(command, role: str) -> bool:
    held = effective_role(role)
    return command.roles is None or held in command.roles


def invite(chair, role: str) -> str:
    reply = chair.says_all("/moi", INVITE_NUMBER[role], "1")
    return reply.split("/start ")[1].split()[0]


def paste_members(chair, text: str) -> None:
    chair.says_all("/thanhvien", "2")
    chair.says(text)
    chair.says("1")


def seat_count(db) -> int:
    with db.transaction() as s:
        return s.exec(select(func.count()).select_from(BoardSeat)).one()


@pytest.fixture
def two_clubs(person, db):
    """Club A (chair '1', two members) and club B (chair '50', two other members)."""
    chair, other_chair = person("1", "Nguyễn Văn An"), person("50", "Phan Văn Tâm")
    register_two_clubs(chair, other_chair)
    with db.transaction() as s:
        clubs = {club.name: club.id for club in s.exec(select(Club))}
    assert len(clubs) == 2
    return chair, other_chair


@built_once_described(lambda chair, other_chair: at_the_console(chair, other_chair.user_id, other_chair.name))
def register_two_clubs(chair, other_chair) -> None:
    register_club(chair)
    paste_members(chair, CLUB_A_MEMBERS)
    other_chair.says_all(*REGISTRATION[:1], "CLB Liên thế hệ thôn Phú Lộc", *REGISTRATION[2:])
    paste_members(other_chair, CLUB_B_MEMBERS)


def person_in_role(person, two_clubs, role: str):
    chair, other_chair = two_clubs
    if role == CHAIR:
        return chair
    if role == NONE:
        return person("9", "Người Lạ")
    if role == OTHER_CLUB:
        code = invite(other_chair, BOARD_MEMBER)
        who = person("60", "Vũ Văn Ngoại")
    else:
        code = invite(chair, role)
        who = person("2", "Trần Thị Bình")
    joined = who.says_all(f"/start {code}", "1")
    assert "Mã CLB" in joined, joined
    who.says("/huy")
    return who


def refused(reply: str) -> bool:
    return NOT_ON_A_BOARD in reply or ONLY_THESE_ROLES in reply


def test_the_registry_matches_the_key_table():
    by_name = {command.names[0]: command for command in COMMANDS}
    for name, roles in KEY_EXPECTATIONS.items():
        assert set(by_name[name].roles) == roles, f"/{name}: roles loosened or tightened: {by_name[name].roles}"
    assert {name for name, c in by_name.items() if c.roles is None} == OPEN_TO_ALL
    # Every command with roles has an entry in the matrix below through the registry; the reviewer writes nothing.
    for name in ("donggop", "vay", "trano", "chi", "hoantac", "quyche", "nhom", "moi"):
        assert REVIEWER not in by_name[name].roles


@pytest.mark.parametrize("role", ROLES)
def test_every_command_is_allowed_or_refused_as_the_roles_say(person, db, two_clubs, role):
    who = person_in_role(person, two_clubs, role)
    seats = seat_count(db)
    wrong = []
    for command in COMMANDS:
        for name in command.names:
            who.says("/huy")
            reply = who.says(f"/{name}")
            expected = allowed_by_registry(command, role)
            key = KEY_EXPECTATIONS.get(command.names[0])
            if key is not None:  # the hard-coded table must agree, independently of the registry
                assert expected == (effective_role(role) in key), (name, role)
            if command.names[0] in OPEN_TO_ALL:
                assert expected
            if refused(reply) == expected:
                wrong.append(f"/{name} as {role}: expected {'allow' if expected else 'deny'}, got {reply[:200]!r}")
            if not expected and role == NONE:
                assert NOT_ON_A_BOARD in reply
            if role == OTHER_CLUB:  # acts in their own club only: nothing of club A shows
                for secret in ("Nguyễn Thị Lan", "Trần Văn Bình", "Liên Trì"):
                    assert secret not in reply, (name, reply)
    who.says("/huy")
    assert not wrong, "\n".join(wrong)
    assert seat_count(db) == seats


@pytest.mark.parametrize("role", [NONE, OTHER_CLUB, BOARD_MEMBER, SECRETARY, REVIEWER])
def test_a_refused_command_cannot_be_continued_with_typed_answers(person, db, two_clubs, role):
    """A refused /vay, /moi or /quyche leaves no flow behind: answers typed after it save nothing."""
    who = person_in_role(person, two_clubs, role)

    def counts():
        with db.transaction() as s:
            return {
                model.__name__: s.exec(select(func.count()).select_from(model)).one()
                for model in (Invite, Loan, LedgerEntry, ClubRules, BoardSeat, Member)
            }

    before = counts()
    for line in ("/vay Lan 1tr 6", "1", "1", "1", "/moi", "2", "1", "/quyche", "1", "1", "1"):
        reply = who.says(line)
        if line.startswith("/"):
            assert refused(reply), (line, reply)
    assert counts() == before


def test_a_demoted_person_cannot_continue_a_flow_they_started(person, db, two_clubs):
    """Roles are checked at every step, not only at the command: a treasurer moved to board member mid-loan stops."""
    chair, _ = two_clubs
    treasurer = person_in_role(person, two_clubs, TREASURER)
    first = treasurer.says("/vay")
    assert not refused(first)
    with db.transaction() as s:
        seat = s.exec(select(BoardSeat).where(BoardSeat.role == TREASURER)).one()
        seat.role = BOARD_MEMBER
    reply = treasurer.says("Lan")
    assert ONLY_THESE_ROLES in reply


# --- forged button data ---------------------------------------------------------------------------------


def member_ids(db, name: str) -> list[int]:
    with db.transaction() as s:
        club = s.exec(select(Club).where(Club.name == name)).one()
        return [m.id for m in s.exec(select(Member).where(Member.club_id == club.id))]


async def register_on_telegram(user, name: str, members: str) -> None:
    await user.says("/start")
    for line in (name, *REGISTRATION[2:]):
        await user.says(line)
    assert "Mã CLB" in user.text
    await user.says("/thanhvien")
    await user.presses("Dán")
    await user.says(members)
    await user.says("1")


async def test_a_forged_member_button_cannot_open_another_clubs_member(telegram, db):
    chair_a = telegram(201, "An", "Nguyễn Văn")
    chair_b = telegram(202, "Tâm", "Phan Văn")
    await register_on_telegram(chair_a, REGISTRATION[1], CLUB_A_MEMBERS + "\nNguyễn Văn Lâm, 1955, nam")
    await register_on_telegram(chair_b, "CLB Liên thế hệ thôn Phú Lộc", CLUB_B_MEMBERS)
    own = member_ids(db, REGISTRATION[1])
    foreign = member_ids(db, "CLB Liên thế hệ thôn Phú Lộc")
    assert len(own) == 3 and len(foreign) == 2

    # Chair A searches a name two of their members share, and gets a pick with member ids as button data.
    await chair_a.says("/thanhvien nguyen")
    offered = [value for _label, value in chair_a.buttons()]
    assert set(offered) <= {str(i) for i in own} and len(offered) == 2
    for forged in foreign:
        reply = await chair_a.presses_data(str(forged))
        assert "Hoàng Thị Xuyến" not in reply and "Đinh Văn Khải" not in reply and "khuyết tật" not in reply
        assert "nút" in reply.lower()  # "that button belongs to an earlier question"
    # The real buttons still work afterwards: the forged presses changed nothing.
    card = await chair_a.presses_data(offered[0])
    assert "Nguyễn" in card

    # Forged data outside any flow, and a command smuggled as button data, reach nothing either.
    await chair_a.says("/huy")
    reply = await chair_a.presses_data(str(foreign[0]))
    assert "Hoàng Thị Xuyến" not in reply and "Đinh Văn Khải" not in reply

    # And the storage layer scopes by club, whatever id it is handed.
    with db.transaction() as s:
        club_a = s.exec(select(Club).where(Club.name == REGISTRATION[1])).one()
        assert all(member_store.get(s, club_a.id, member_id) is None for member_id in foreign)
        assert all(member_store.get(s, club_a.id, member_id) is not None for member_id in own)


async def test_a_forged_board_seat_button_cannot_touch_another_clubs_board(telegram, db):
    chair_a = telegram(211, "An", "Nguyễn Văn")
    chair_b = telegram(212, "Tâm", "Phan Văn")
    await register_on_telegram(chair_a, REGISTRATION[1], CLUB_A_MEMBERS)
    await register_on_telegram(chair_b, "CLB Liên thế hệ thôn Phú Lộc", CLUB_B_MEMBERS)
    with db.transaction() as s:
        seats = {seat.user_id: (seat.id, seat.role, seat.active) for seat in s.exec(select(BoardSeat))}
        club_b = s.exec(select(Club).where(Club.name == "CLB Liên thế hệ thôn Phú Lộc")).one()
        foreign_seat = s.exec(select(BoardSeat).where(BoardSeat.club_id == club_b.id)).one()
    await chair_a.says("/bancn")
    reply = await chair_a.presses_data(str(foreign_seat.id))
    assert "Phan Văn Tâm" not in reply and "Tâm" not in reply
    for value in ("vice_chair", "remove", "1", "yes"):  # whatever the next steps would take
        await chair_a.presses_data(value)
    with db.transaction() as s:
        assert {seat.user_id: (seat.id, seat.role, seat.active) for seat in s.exec(select(BoardSeat))} == seats
