"""The reviewer of a commune or a province (issue 17): the operator's invite code, /start CODE, /baocao over every
club of the area, present and future, and nothing outside it; late-club reminders like a club's own reviewer."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.report_cli import invite_reviewer
from handlers.core import Incoming
from handlers.registry import COMMANDS
from storage import area_reviewers, submissions
from storage.area_reviewers import Area
from storage.clubs import normalize_code
from storage.models import AREA_REVIEWER, AreaInvite, AreaReviewer, Club, User, utcnow
from tests.areas.support import BINH_SON, HA_NOI, HA_NOI_COMMUNE, QUANG_NGAI, TINH_KHE, placed
from tests.security.test_security_matrix import NOT_ON_A_BOARD, ONLY_THESE_ROLES

AREA_ONLY_REPORTS = "Bạn theo dõi các CLB của một xã/phường hoặc tỉnh/thành phố: bạn xem báo cáo tổng hợp bằng /baocao"
FULL_NAME = "Lê Văn Xã"


def make_invite(settings, capsys, province: str | None, commune: str | None = None) -> str:
    assert invite_reviewer(settings, argparse.Namespace(province=province, commune=commune)) == 0
    return capsys.readouterr().out.split("/start ")[1].split()[0]


def area_clubs(db) -> None:
    """Two clubs in Bình Sơn (one of old Kon Tum, merged into Quảng Ngãi), one in Tịnh Khê, one in Hà Nội."""
    with db.transaction() as s:
        placed(s, "CLB Bình Sơn Một", QUANG_NGAI, BINH_SON, key="bs1")
        placed(s, "CLB Kon Tum cũ", QUANG_NGAI, BINH_SON, province="Kon Tum", key="kontum")
        placed(s, "CLB Tịnh Khê", QUANG_NGAI, TINH_KHE, key="tinhkhe")
        placed(s, "CLB Hoàn Kiếm", HA_NOI, HA_NOI_COMMUNE, province="Hà Nội", key="badinh")


def joined(person, code: str, user_id: str = "70"):
    who = person(user_id, "Cán Bộ Hội")
    offer = who.says(f"/start {code}")
    assert "Hội Người cao tuổi" in offer, offer
    assert "Gõ /baocao" in who.says("1")
    return who


def report(who, *answers: str) -> str:
    """/baocao for the current half-year, signing the first time."""
    reply = who.says_all("/baocao", "1")
    if "Họ tên đầy đủ" in reply:
        reply = who.says_all(FULL_NAME, "1")
    for answer in answers:
        reply = who.says(answer)
    return reply


ALL = ("CLB Bình Sơn Một", "CLB Kon Tum cũ", "CLB Tịnh Khê", "CLB Hoàn Kiếm")


def shown(reply: str) -> set[str]:
    return {name for name in ALL if name in reply}


def test_a_commune_reviewer_sees_every_club_of_the_commune_now_and_later_and_nothing_else(db, settings, person, capsys):
    area_clubs(db)
    who = joined(person, make_invite(settings, capsys, "quảng ngãi", "xa binh son"))
    first = report(who)
    assert "Xã Bình Sơn, Quảng Ngãi" in first and "Số CLB: 2." in first
    assert shown(first) == {"CLB Bình Sơn Một", "CLB Kon Tum cũ"}
    assert "Chưa nộp (2 CLB)" in first and "baocao-tonghop-21040-2026-H2.xlsx" in first
    summary = first.split("BÁO CÁO TỔNG HỢP")[1].split("\n\n")[0]
    assert len(summary.splitlines()) <= 15 and "Từng CLB:" not in summary
    by_club = who.says("Từng CLB")
    assert by_club.startswith("Từng CLB:\n• CLB ") and shown(by_club.split("\n\n")[0]) == shown(first)
    assert "PAR30" in by_club
    with db.transaction() as s:
        placed(s, "CLB Mới Lập", QUANG_NGAI, BINH_SON, key="new")
        chair = s.exec(select(User).where(User.display_name == "Nguyễn Văn An")).first()
        club = s.exec(select(Club).where(Club.name == "CLB Bình Sơn Một")).one()
        submissions.mark_submitted(s, club.id, "2026-H2", chair)
    later = report(who)  # signed once: not asked again
    assert "Số CLB: 3." in later and "CLB Mới Lập" in later and "Chưa nộp (2 CLB)" in later
    with db.transaction() as s:
        assert s.exec(select(AreaReviewer.full_name)).one() == FULL_NAME


def test_a_province_reviewer_sees_the_province_or_narrows_to_a_commune_picked_or_typed(db, settings, person, capsys):
    area_clubs(db)
    who = joined(person, make_invite(settings, capsys, "51"))
    question = report(who)
    assert "Cả Quảng Ngãi" in question and "Xã Bình Sơn (2 CLB)" in question and "Xã Tịnh Khê (1 CLB)" in question
    whole = who.says("1")
    assert "Số CLB: 3." in whole and shown(whole) == {"CLB Bình Sơn Một", "CLB Kon Tum cũ", "CLB Tịnh Khê"}
    typed = report(who, "tinh khe")
    assert "Xã Tịnh Khê, Quảng Ngãi" in typed and shown(typed) == {"CLB Tịnh Khê"}
    picked = report(who, "Xã Bình Sơn (2 CLB)")
    assert shown(picked) == {"CLB Bình Sơn Một", "CLB Kon Tum cũ"}
    # A commune of another province is not theirs: asked again, and Hà Nội's club never shows.
    elsewhere = report(who, "Phường Hoàn Kiếm")
    assert "Bạn không theo dõi xã/phường nào" in elsewhere and "CLB Hoàn Kiếm" not in elsewhere
    assert "Số CLB" not in elsewhere


def test_a_forged_area_choice_outside_the_scope_is_refused(db, settings, person, capsys):
    area_clubs(db)
    who = joined(person, make_invite(settings, capsys, "51"))
    for forged in (HA_NOI, f"{HA_NOI}/{HA_NOI_COMMUNE}", f"{QUANG_NGAI}/{HA_NOI_COMMUNE}"):
        report(who)
        replies = who.dispatcher.handle(
            Incoming(channel="console", chat_id="70", user_id="70", user_name="Cán Bộ Hội", choice=forged)
        )
        reply = "\n".join(r.text for r in replies)
        # the engine takes only the choices it offered; the step checks the scope again behind it
        assert "CLB Hoàn Kiếm" not in reply and "Số CLB" not in reply, reply
    # A reviewer removed while choosing gets nothing.
    report(who)
    with db.transaction() as s:
        for seat in s.exec(select(AreaReviewer)):
            seat.active = False
    removed = who.says("1")
    assert NOT_ON_A_BOARD in removed and "Số CLB" not in removed
    commune = joined(person, make_invite(settings, capsys, "51", BINH_SON), user_id="71")
    with db.transaction() as s:
        user = s.exec(select(User).where(User.display_name == "Cán Bộ Hội")).all()[-1]
        assert area_reviewers.may_read(s, user.id, Area(QUANG_NGAI, BINH_SON))
        assert not area_reviewers.may_read(s, user.id, Area(QUANG_NGAI))
        assert not area_reviewers.may_read(s, user.id, Area(QUANG_NGAI, TINH_KHE))
    assert commune is not None


@pytest.mark.parametrize("scope", ["province", "commune"])
def test_every_command_as_an_area_reviewer_reads_reports_and_writes_nothing(db, settings, person, capsys, scope):
    area_clubs(db)
    who = joined(person, make_invite(settings, capsys, "51", BINH_SON if scope == "commune" else None))
    wrong = []
    for command in COMMANDS:
        for name in command.names:
            who.says("/huy")
            reply = who.says(f"/{name}")
            allowed = command.roles is None or AREA_REVIEWER in command.roles
            refused = AREA_ONLY_REPORTS in reply or NOT_ON_A_BOARD in reply or ONLY_THESE_ROLES in reply
            if refused == allowed:
                wrong.append(f"/{name}: expected {'allow' if allowed else 'deny'}, got {reply[:200]!r}")
            if command.names[0] != "baocao":  # nothing of any club shows outside the report
                assert not shown(reply), (name, reply)
    assert not wrong, "\n".join(wrong)
    readers = {c.names[0] for c in COMMANDS if c.roles is not None and AREA_REVIEWER in c.roles}
    assert readers == {"baocao"}  # the reviewer of an area writes nothing, anywhere
    with db.transaction() as s:
        assert s.exec(select(Club)).all().__len__() == 4


def test_a_code_is_single_use_and_expires(db, settings, person, capsys):
    area_clubs(db)
    code = make_invite(settings, capsys, "51", BINH_SON)
    assert len(code) == 9 and code[4] == "-"  # ABCD-EFGH: read out over the phone in two groups of four
    joined(person, code)
    again = person("72", "Người Khác").says(f"/start {code}")
    assert "đã được dùng rồi" in again
    old = make_invite(settings, capsys, "51")
    with db.transaction() as s:
        invite = s.exec(select(AreaInvite).where(AreaInvite.code == normalize_code(old))).one()
        invite.expires_at = utcnow() - timedelta(minutes=1)
    assert "đã hết hạn" in person("73", "Người Muộn").says(f"/start {old}")
    same = make_invite(settings, capsys, "51", "binh son")
    assert "đã theo dõi các CLB của Xã Bình Sơn, Quảng Ngãi rồi" in person("70", "Cán Bộ Hội").says(f"/start {same}")


def test_cli_reviewer_refuses_an_ambiguous_or_unknown_place(settings, capsys):
    assert invite_reviewer(settings, argparse.Namespace(province="ha", commune=None)) == 2
    assert "42\tHà Tĩnh" in capsys.readouterr().err
    assert invite_reviewer(settings, argparse.Namespace(province="51", commune="Binh Sn")) == 2
    assert "21040\tXã Bình Sơn, Quảng Ngãi" in capsys.readouterr().err
    assert invite_reviewer(settings, argparse.Namespace(province=None, commune=None)) == 2


def test_an_area_is_a_province_of_the_map_and_maybe_one_of_its_communes():
    assert area_reviewers.valid(Area(QUANG_NGAI)) and area_reviewers.valid(Area(QUANG_NGAI, BINH_SON))
    assert not area_reviewers.valid(Area(QUANG_NGAI, "99999"))  # no such commune
    assert not area_reviewers.valid(Area(QUANG_NGAI, HA_NOI_COMMUNE))  # a commune of another province
    assert not area_reviewers.valid(Area("99"))
    assert Area(QUANG_NGAI).covers(Area(QUANG_NGAI, TINH_KHE)) and not Area(QUANG_NGAI, BINH_SON).covers(
        Area(QUANG_NGAI)
    )
    assert Area.of_key(Area(QUANG_NGAI, BINH_SON).key) == Area(QUANG_NGAI, BINH_SON)
