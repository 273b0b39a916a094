"""One person on Telegram and Zalo: /lienket makes a one-time code on one app, typed on the other.

Codes are single-use, expire, are kept only as hashes, and never take an account away from its own clubs.
Each person chooses where reminders go; `reminder_channels` is what the reminders feature will call.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from handlers.dispatcher import BACK, back_label
from storage import accounts, clubs, users
from storage.accounts import LINK_CODE_LENGTH, LinkOutcome, LinkStatus
from storage.clubs import NewClub
from storage.models import BoardSeat, ChannelAccount, LinkCode, utcnow
from tests.board.test_board import join
from tests.conftest import REGISTRATION, register_club
from tests.zalo_support import register_on_zalo, user_id_of, zalo, zalo_server  # noqa: F401

MAKE_MY_CODE, MAKE_CODE_FOR_MEMBER = "1", "2"


def link_code_in(reply: str) -> str:
    return reply.split("/lienket ")[1].split()[0]


async def telegram_chair(telegram):
    chair = telegram(101, "An", "Nguyễn Văn")
    for line in REGISTRATION:
        await chair.says(line)
    return chair, chair.text.split("Mã CLB: ")[1].split()[0]


async def test_a_chair_registered_on_telegram_links_zalo_and_finds_the_same_club_there(telegram, zalo, db):
    chair, club_code = await telegram_chair(telegram)
    await chair.says("/lienket")
    code = link_code_in(await chair.says(MAKE_MY_CODE))
    assert len(code) == LINK_CODE_LENGTH + 1 and code[4] == "-"  # ABCD-EFGH, read out in two groups

    on_zalo = zalo("zu-an", "An Nguyễn")
    offer = await on_zalo.says(f"/lienket {code}")
    assert REGISTRATION[1] in offer and club_code in offer
    assert user_id_of(db, "zalo", "zu-an") != user_id_of(db, "telegram", "101")  # nothing changes before yes
    linked = await on_zalo.says("1")
    assert club_code in linked
    assert user_id_of(db, "zalo", "zu-an") == user_id_of(db, "telegram", "101")

    help_text = await on_zalo.says("/trogiup")
    assert f"Mã CLB: {club_code}" in help_text and "/moi" in help_text  # the chair's own commands
    invite = await on_zalo.says_all("/moi", "2", "1")
    assert "/start " in invite

    # The code worked once: another Zalo account cannot use it again.
    stranger = zalo("zu-x", "Lê Văn Cường")
    refused = await stranger.says(f"/lienket {code}")
    assert stranger.last_replies and "1." not in refused
    assert user_id_of(db, "zalo", "zu-x") != user_id_of(db, "telegram", "101")
    with db.transaction() as s:
        assert s.exec(select(func.count()).select_from(BoardSeat)).one() == 1


async def test_an_account_with_its_own_club_is_not_linked_away_from_it(telegram, zalo, db):
    chair, _club_code = await telegram_chair(telegram)
    await chair.says("/lienket")
    code = link_code_in(await chair.says(MAKE_MY_CODE))

    other_chair = zalo("zu-lan", "Phạm Thị Lan")
    own_code = await register_on_zalo(other_chair)
    refused = await other_chair.says(f"/lienket {code}")
    assert own_code in refused and "1." not in refused
    assert user_id_of(db, "zalo", "zu-lan") != user_id_of(db, "telegram", "101")

    # The code was not spent on the refusal: the right person can still use it.
    newcomer = zalo("zu-an", "An")
    await newcomer.says_all(f"/lienket {code}", "1")
    assert user_id_of(db, "zalo", "zu-an") == user_id_of(db, "telegram", "101")


async def says_all(person, *lines: str) -> str:
    return "\n\n".join([await person.says(line) for line in lines])


async def test_the_chair_makes_a_code_for_a_board_member_who_then_works_on_zalo(telegram, zalo, db):
    chair, _club_code = await telegram_chair(telegram)
    invite = await says_all(chair, "/moi", "2", "1")  # 2 = treasurer
    treasurer = telegram(202, "Bình", "")
    await says_all(treasurer, f"/start {invite.split('/start ')[1].split()[0]}", "1")

    await treasurer.says("/lienket")
    assert len(treasurer.buttons()) == 3  # not the chair: a code for oneself, reminders, close
    await chair.says("/lienket")
    assert len(chair.buttons()) == 4
    await chair.says(MAKE_CODE_FOR_MEMBER)
    assert [label for label, _value in chair.buttons()] == ["Bình (Thủ quỹ)", back_label()]
    code = link_code_in(await chair.says("1"))
    assert "Bình" in chair.text.split("/lienket")[0]  # whose code it is, said before the instructions

    on_zalo = zalo("zu-binh", "Bình")
    await on_zalo.says_all(f"/lienket {code}", "1")
    treasurer_id = user_id_of(db, "telegram", "202")
    assert user_id_of(db, "zalo", "zu-binh") == treasurer_id
    with db.transaction() as s:
        assert s.exec(select(BoardSeat.role).where(BoardSeat.user_id == treasurer_id)).one() == "treasurer"


async def test_codes_are_not_made_or_taken_in_a_group_chat(telegram, zalo, db):
    chair, _club_code = await telegram_chair(telegram)
    in_group = telegram(101, "An", "Nguyễn Văn", chat_id=-500)
    await in_group.says("/lienket")
    assert in_group.buttons() == []
    await chair.says("/lienket")
    code = link_code_in(await chair.says(MAKE_MY_CODE))
    await zalo("zu-an", "An", group_id="zg-1").says(f"/lienket {code}")
    with db.transaction() as s:
        assert s.exec(select(func.count()).select_from(LinkCode)).one() == 1
        assert s.exec(select(LinkCode.used_at)).one() is None


async def test_a_person_chooses_where_reminders_go(telegram, zalo, db):
    chair, _club_code = await telegram_chair(telegram)
    await chair.says("/lienket")
    await chair.says("3")  # where reminders go: with Telegram only, there is nothing to choose
    assert chair.buttons() == []
    person = user_id_of(db, "telegram", "101")
    with db.transaction() as s:
        assert accounts.reminder_channels(s, person) == [("telegram", "101")]

    await chair.says("/lienket")
    code = link_code_in(await chair.says(MAKE_MY_CODE))
    await zalo("zu-an", "An").says_all(f"/lienket {code}", "1")
    with db.transaction() as s:
        assert accounts.reminder_channels(s, person) == [("telegram", "101"), ("zalo", "zu-an")]

    await chair.says("/lienket")
    await chair.says("3")
    assert [value for _label, value in chair.buttons()] == ["telegram", "zalo", "both", BACK]
    await chair.says("2")
    with db.transaction() as s:
        assert accounts.reminder_channel(s, person) == "zalo"
        assert accounts.reminder_channels(s, person) == [("zalo", "zu-an")]


# --- storage, on SQLite and PostgreSQL ---------------------------------------------------------------------


def two_people(session):
    owner = users.get_or_create(session, "telegram", "101", "Nguyễn Văn An")
    newcomer = users.get_or_create(session, "zalo", "zu-an", "An")
    return owner, newcomer


def test_the_link_read_back_can_be_cancelled_and_the_code_still_works(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    chair.says("/lienket")
    code = link_code_in(chair.says(MAKE_MY_CODE))
    other_app = person("2", "An")
    offer = other_app.says(f"/lienket {code}")
    assert "Tài khoản này sẽ được liên kết với Nguyễn Văn An" in offer and "Liên kết tài khoản này?" in offer
    assert "Sửa một câu trả lời" not in offer  # nothing was answered, so there is nothing to change
    assert "Đã hủy" in other_app.says("2")
    with db.transaction() as s:
        assert accounts.check_link_code(s, code)[0] is LinkStatus.VALID
    assert "Liên Trì" in other_app.says_all(f"/lienket {code}", "Đồng ý, liên kết")
    with db.transaction() as s:
        assert accounts.check_link_code(s, code)[0] is LinkStatus.USED


def test_back_from_the_chair_s_member_list_shows_the_link_menu_again(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    join(person, chair, "2", "2", "Trần Thị Bình")  # treasurer
    assert "Trần Thị Bình (Thủ quỹ)" in chair.says_all("/lienket", MAKE_CODE_FOR_MEMBER)
    again = chair.says("quay lại")
    assert "Tạo mã liên kết cho người trong Ban chủ nhiệm" in again and "Bạn đã trả lời" in again


def test_link_codes_are_long_single_use_expiring_and_stored_as_hashes(any_db):
    with any_db.transaction() as s:
        owner, _newcomer = two_people(s)
        code = accounts.create_link_code(s, owner, by=owner)
        old = accounts.create_link_code(s, owner, by=owner, now=utcnow() - timedelta(minutes=31))
    with any_db.transaction() as s:
        stored = [row.code_hash for row in s.exec(select(LinkCode))]
        assert code not in stored and old not in stored
        status, link = accounts.check_link_code(s, code.lower()[:4] + "-" + code[4:])  # typed loosely
        assert status is LinkStatus.VALID and link.user_id == owner.id
        assert accounts.check_link_code(s, old)[0] is LinkStatus.EXPIRED
        assert accounts.check_link_code(s, "ABCDEFGHJKMNPQRS")[0] is LinkStatus.UNKNOWN
        assert accounts.link_account(s, link, "zalo", "zu-an") is LinkOutcome.LINKED
    with any_db.transaction() as s:
        assert accounts.check_link_code(s, code)[0] is LinkStatus.USED
        link = accounts.check_link_code(s, code)[1]
        users.get_or_create(s, "zalo", "zu-x", "Someone else")
        assert accounts.link_account(s, link, "zalo", "zu-x") is LinkOutcome.NOT_VALID
        expired = accounts.check_link_code(s, old)[1]
        assert accounts.link_account(s, expired, "zalo", "zu-x") is LinkOutcome.NOT_VALID
        linked = s.exec(select(ChannelAccount).where(ChannelAccount.external_id == "zu-x")).one()
        assert linked.user_id != owner.id


def test_reminders_go_to_every_messenger_account_unless_one_is_chosen(any_db):
    with any_db.transaction() as s:
        owner, _newcomer = two_people(s)
        users.get_or_create(s, "console", "1", "Console")  # no reminders on the console
        for channel, external_id in (("zalo", "zu-an"), ("console", "1")):
            account = accounts.account(s, channel, external_id)
            account.user_id = owner.id
            s.add(account)
        s.flush()
        assert accounts.reminder_channel(s, owner.id) == "both"
        assert accounts.reminder_channels(s, owner.id) == [("telegram", "101"), ("zalo", "zu-an")]
        accounts.set_reminder_channel(s, owner.id, "telegram")
    with any_db.transaction() as s:
        assert accounts.reminder_channels(s, owner.id) == [("telegram", "101")]
        accounts.set_reminder_channel(s, owner.id, "zalo")
        zalo_account = accounts.account(s, "zalo", "zu-an")
        zalo_account.user_id = users.get_or_create(s, "zalo", "zu-other", "X").id
        s.add(zalo_account)
        s.flush()
        # Zalo chosen, but no Zalo account any more: reminders are not lost, they go where the person is.
        assert accounts.reminder_channels(s, owner.id) == [("telegram", "101")]


def test_an_account_serving_its_own_club_is_refused_in_storage_too(any_db):
    with any_db.transaction() as s:
        owner, newcomer = two_people(s)
        clubs.create_club(s, newcomer, NewClub("CLB thôn Đông", "Đông", "Bình Hiệp", "Bình Sơn", "Quảng Ngãi", 15))
        code = accounts.create_link_code(s, owner, by=owner)
    with any_db.transaction() as s:
        link = accounts.check_link_code(s, code)[1]
        assert accounts.link_account(s, link, "zalo", "zu-an") is LinkOutcome.HAS_OWN_CLUBS
        assert accounts.link_account(s, link, "telegram", "101") is LinkOutcome.ALREADY_LINKED
    with any_db.transaction() as s:
        assert accounts.check_link_code(s, code)[0] is LinkStatus.VALID  # neither refusal spent the code
        assert accounts.account(s, "zalo", "zu-an").user_id == newcomer.id
