"""The Zalo channel over HTTP, against a fake Zalo Bot API server on loopback.

Choices come as numbered lists and are answered by typing; replies longer than Zalo's 2,000 characters
arrive in pieces; stickers and pictures are answered; redeliveries are dropped; the webhook wants our secret.
"""

from __future__ import annotations

import logging

import aiohttp
import pytest
from sqlmodel import func, select

from bot.config import Settings
from bot.webhooks import Webhooks
from bot.zalo_channel import MAX_TEXT, incoming_from, reply_text
from handlers.core import Choice, Document, Incoming, Reply
from handlers.dispatcher import back_hint
from storage.models import BoardSeat, Club, Member
from tests.conftest import REGISTRATION
from tests.fake_zalo_api_server import DROPPED, NOT_JSON, SERVER_ERROR, ZaloUser
from tests.zalo_support import register_on_zalo, user_id_of, zalo, zalo_channel, zalo_server  # noqa: F401

CLUB_NAME = REGISTRATION[1]


async def test_a_chair_registers_and_invites_and_a_treasurer_joins_by_typing_numbers(zalo, db):
    chair = zalo("zu-an", "Nguyễn Văn An")
    answers = await chair.says_all(*REGISTRATION[:-1])
    # The read-back's yes / no come as a numbered list under the text, not as buttons.
    assert "\n  2. Không, hủy\n" in chair.last_replies[-1]
    assert "  1. " in chair.last_replies[-1] and "Quảng Ngãi" in answers
    registered = await chair.says("1")
    club_code = registered.split("Mã CLB: ")[1].split()[0]

    roles = await chair.says("/moi")
    assert "  2. Thủ quỹ" in roles
    await chair.says("2")
    invite = await chair.says("1")
    invite_code = invite.split("/start ")[1].split()[0]
    assert "t.me" not in invite  # Zalo has no deep links: the code is typed

    treasurer = zalo("zu-binh", "Trần Thị Bình")
    offer = await treasurer.says(f"/start {invite_code}")
    assert CLUB_NAME in offer and "Thủ quỹ" in offer
    joined = await treasurer.says("1")
    assert club_code in joined

    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        seats = {seat.user_id: seat.role for seat in s.exec(select(BoardSeat))}
    assert club.code == club_code and club.village == "Liên Trì" and club.meeting_day == 15
    assert seats == {user_id_of(db, "zalo", "zu-an"): "chair", user_id_of(db, "zalo", "zu-binh"): "treasurer"}
    assert zalo.server.refused == []


async def test_a_pasted_member_list_is_read_back_and_saved(zalo, db):
    chair = zalo()
    await register_on_zalo(chair)
    menu = await chair.says("/thanhvien")
    assert "  2. " in menu
    await chair.says("2")  # paste a list
    members = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo\nLê Thị Cúc, 1990, nữ"
    read_back = await chair.says(members)
    assert "Nguyễn Thị Lan" in read_back and "Lê Thị Cúc" in read_back
    saved = await chair.says("1")
    assert "3" in saved
    with db.transaction() as s:
        names = sorted(m.full_name for m in s.exec(select(Member)))
    assert names == ["Lê Thị Cúc", "Nguyễn Thị Lan", "Trần Văn Bình"]


def sixty_members() -> list[str]:
    families = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan")
    given = ("Lan", "Bình", "Cúc", "Dung", "Hoa", "Mai", "Nam", "Tâm", "Hùng", "Minh")
    return [f"{family} Thị {name}" for family in families for name in given]


async def test_a_reply_longer_than_2000_characters_comes_in_pieces_cut_at_line_ends(zalo, db):
    chair = zalo()
    await register_on_zalo(chair)
    await chair.says_all("/thanhvien", "2")
    names = sixty_members()
    read_back = await chair.says("\n".join(f"{name}, 1950, nữ, nghèo" for name in names))

    pieces = chair.last_replies
    assert len(pieces) >= 2 and len(read_back) > MAX_TEXT
    assert all(len(piece) <= MAX_TEXT for piece in pieces)
    # No line is cut in two: every person's line is whole, in exactly one piece.
    assert all(sum(f"{name}, " in piece for piece in pieces) == 1 for name in names)
    assert pieces[-1].rstrip().splitlines()[-2:] == ["  3. Sửa một câu trả lời", back_hint()]  # the choices come last
    assert zalo.server.refused == []
    await chair.says("1")
    with db.transaction() as s:
        assert s.exec(select(func.count()).select_from(Member)).one() == 60


async def test_a_sticker_or_picture_in_the_middle_of_a_flow_is_answered_and_the_flow_goes_on(zalo, db):
    chair = zalo()
    await chair.says("/start")
    question = await chair.says(REGISTRATION[1])  # now the bot asks for the village
    answer = await chair.sends(chair.event("sticker"))
    assert answer and question.strip() in answer  # what went wrong, then the same question again
    answer = await chair.sends(chair.event("image"))
    assert question.strip() in answer
    await chair.says_all(*REGISTRATION[2:])
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
    assert (club.village, club.commune, club.province) == ("Liên Trì", "Xã Bình Sơn", "Quảng Ngãi")


async def test_a_sticker_outside_any_flow_gets_a_pointer_to_start(zalo):
    stranger = zalo("zu-x", "Lê Văn Cường")
    assert "/start" in await stranger.sends(stranger.event("sticker"))
    assert "/start" in await stranger.sends(stranger.event("unsupported"))


async def test_a_message_delivered_twice_is_handled_once(zalo, db):
    chair = zalo()
    await chair.says_all(*REGISTRATION[:-1])
    save = chair.event("text", "1", message_id="0a1b2c3d4e5f60718293")
    since = len(zalo.server.sent)
    await zalo.server.queue(save)
    await zalo.server.queue(dict(save))  # Zalo delivers the same message again
    await zalo.server.handled()
    replies = zalo.server.sent_to(chair.chat_id, since)
    # Saved, then how to call the chair: two messages, once.
    assert len(replies) == 2 and "Mã CLB" in replies[0] and "gọi bạn là gì" in replies[1]
    with db.transaction() as s:
        assert s.exec(select(func.count()).select_from(Club)).one() == 1


async def test_polling_outlives_server_errors_garbage_and_dropped_connections(zalo, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.zalo_channel")
    zalo.server.fail_next(SERVER_ERROR, NOT_JSON, DROPPED)
    stranger = zalo("zu-x", "Lê Văn Cường")
    assert "/start" in await stranger.says("xin chào")
    assert zalo.server.calls.count("getUpdates") >= 4
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.zalo_channel" and r.levelno >= logging.WARNING]
    assert len(warnings) >= 3
    assert not any(zalo.server.token in (r.getMessage() + (r.exc_text or "")) for r in caplog.records)


async def test_a_message_of_an_unreadable_shape_is_skipped_and_the_next_is_answered(zalo, caplog):
    caplog.set_level(logging.DEBUG)
    stranger = zalo("zu-x", "Lê Văn Cường")
    poison = stranger.event("text", "Nguyễn Thị Poison 7.777.000", message_id="00000000000000000bad")
    poison["message"]["from"] = "Nguyễn Thị Poison"  # a string where the sender should be
    await stranger.sends(poison)
    assert "/start" in await stranger.says("xin chào")  # polling goes on
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "Zalo message 00000000000000000bad could not be read; skipped" in logged
    assert "Poison" not in logged and "7.777.000" not in logged


async def test_the_webhook_acknowledges_a_message_of_an_unreadable_shape(webhook, zalo_server):
    user = ZaloUser(zalo_server, "zu-an", "An")
    poison = user.event("text", "/start")
    poison["message"]["chat"] = ["not", "a", "chat"]
    # Answered 200: Zalo would deliver it again and again otherwise.
    assert await zalo_server.deliver(f"{webhook}/zalo", poison, "s3cret-for-zalo") == 200
    assert await zalo_server.deliver(f"{webhook}/zalo", user.event("text", "/start"), "s3cret-for-zalo") == 200
    assert zalo_server.sent_to("zu-an")


class StubDispatcher:
    """Answers every message with the given replies, or fails."""

    def __init__(self, replies: list[Reply] | None = None, error: Exception | None = None):
        self.replies, self.error = replies or [], error
        self.seen: list[Incoming] = []

    def handle(self, msg: Incoming) -> list[Reply]:
        self.seen.append(msg)
        if self.error:
            raise self.error
        return self.replies


async def test_replies_for_another_chat_and_files_are_sent_as_zalo_can(zalo_server):
    report = Document("bao-cao-2025-H1.xlsx", b"PK...")
    stub = StubDispatcher(
        [
            Reply("Báo cáo 6 tháng", document=report),
            Reply("Đã lưu.", chat_id="group-9"),
            Reply("", [Choice("a", "Một"), Choice("b", "Hai")]),
        ]
    )
    channel = zalo_channel(zalo_server, stub)
    user = ZaloUser(zalo_server, "zu-an", "An")
    await channel.handle_event(user.event("text", "/baocao"))
    await channel.api.close()
    to_user, to_group = zalo_server.sent_to("zu-an"), zalo_server.sent_to("group-9")
    assert to_group == ["Đã lưu."]
    assert to_user[0].startswith("Báo cáo 6 tháng") and "bao-cao-2025-H1.xlsx" in to_user[0]
    assert "Telegram" in to_user[0]
    assert to_user[1].splitlines()[-2:] == ["  1. Một", "  2. Hai"]


async def test_an_error_in_the_core_is_told_to_the_person_and_polling_goes_on(zalo_server):
    stub = StubDispatcher(error=RuntimeError("boom"))
    channel = zalo_channel(zalo_server, stub)
    user = ZaloUser(zalo_server, "zu-an", "An")
    async with channel.polling():
        first = await user.says("/start")
        second = await user.says("/menu")
    await channel.api.close()
    assert first and first == second  # the same apology both times: the channel survived the first
    assert [m.text for m in stub.seen] == ["/start", "/menu"]


def test_events_become_incoming_messages():
    event = {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": "u1", "display_name": "Bà Lan", "is_bot": False},
            "chat": {"id": "g7", "chat_type": "GROUP"},
            "text": "/menu",
            "message_id": "16f6366b3f02645a3d15",
            "date": 1766619597466,
        },
    }
    incoming = incoming_from(event)
    assert (incoming.channel, incoming.chat_id, incoming.user_id, incoming.user_name) == ("zalo", "g7", "u1", "Bà Lan")
    assert (incoming.text, incoming.update_key, incoming.is_group, incoming.unsupported) == (
        "/menu",
        "16f6366b3f02645a3d15",
        True,
        None,
    )
    sticker = {**event, "event_name": "message.sticker.received"}
    assert incoming_from(sticker).unsupported == "sticker" and incoming_from(sticker).text is None
    from_a_bot = {**event, "message": {**event["message"], "from": {"id": "b", "is_bot": True}}}
    assert incoming_from(from_a_bot) is None
    assert incoming_from({"event_name": "message.text.received"}) is None
    assert reply_text(Reply("Chọn:", [Choice("x", "Có")])) == "Chọn:\n  1. Có"


@pytest.fixture
async def webhook(zalo_server, dispatcher, db):
    """The channel serving its webhook on loopback; yields the webhook's URL."""
    settings = Settings(
        database_url=db.url,
        zalo_token=zalo_server.token,
        zalo_api_base_url=zalo_server.base_url,
        webhook_url="https://clubbot.example.vn/hooks/",
        webhook_secret="s3cret-for-zalo",
        port=0,
    )
    channel, webhooks = zalo_channel(zalo_server, dispatcher), Webhooks(db)
    channel.add_webhook(webhooks, settings)
    async with webhooks.serving(settings.port, host="127.0.0.1") as port:
        yield f"http://127.0.0.1:{port}"
    await channel.api.close()


async def test_the_webhook_refuses_a_wrong_secret_and_accepts_the_right_one(webhook, zalo_server):
    assert zalo_server.webhook == {"url": "https://clubbot.example.vn/hooks/zalo", "secret_token": "s3cret-for-zalo"}
    user = ZaloUser(zalo_server, "zu-an", "Nguyễn Văn An")
    assert await zalo_server.deliver(f"{webhook}/zalo", user.event("text", "/start"), "wrong-secret") == 403
    assert await zalo_server.deliver(f"{webhook}/zalo", user.event("text", "/start"), None) == 403
    assert zalo_server.sent == []

    assert await zalo_server.deliver(f"{webhook}/zalo", user.event("text", "/start"), "s3cret-for-zalo") == 200
    assert len(zalo_server.sent_to("zu-an")) >= 1
    async with aiohttp.ClientSession() as session, session.get(f"{webhook}/healthz") as response:
        assert response.status == 200


async def test_without_a_configured_secret_the_webhook_makes_its_own(zalo_server, dispatcher, db):
    settings = Settings(
        database_url=db.url,
        zalo_token=zalo_server.token,
        zalo_api_base_url=zalo_server.base_url,
        webhook_url="https://clubbot.example.vn",
        port=0,
    )
    channel, webhooks = zalo_channel(zalo_server, dispatcher), Webhooks(db)
    channel.add_webhook(webhooks, settings)
    async with webhooks.serving(settings.port, host="127.0.0.1") as port:
        secret = zalo_server.webhook["secret_token"]
        user = ZaloUser(zalo_server, "zu-an", "An")
        assert len(secret) >= 32
        assert await zalo_server.deliver(f"http://127.0.0.1:{port}/zalo", user.event("text", "/start"), "") == 403
        assert await zalo_server.deliver(f"http://127.0.0.1:{port}/zalo", user.event("text", "/start"), secret) == 200
    await channel.api.close()
    assert zalo_server.sent_to("zu-an")
