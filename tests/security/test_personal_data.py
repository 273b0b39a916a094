"""Decree 13/2023/NĐ-CP: household situation, ethnicity and disability are seen only by the club's board
and its district reviewer; the chair sends a member everything kept about them, or anonymises them when
they ask, and the books still add up to the same figures.

Labels and notes come from the texts modules, so these tests read the bot in whatever language it speaks.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, select

from handlers.i18n import _, money
from handlers.members import texts
from storage import clubs, conversations, corrections, ledger, loans, meetings, members, personal_data, reports, users
from storage.activities import NewActivity
from storage.activities import record as record_activity
from storage.db import MIGRATIONS, Database
from storage.meetings import MeetingDraft
from storage.members import NewMember
from storage.models import (
    ACTIVITY_FUND,
    CAPITAL,
    FEMALE,
    HOME_VISIT,
    HOMECARE,
    INCOME_FUND,
    MONTHLY_FEE,
    NEAR_POOR,
    POOR,
    AuditEvent,
    Club,
    Conversation,
    Member,
    User,
    utcnow,
)
from storage.periods import period
from tests.conftest import REGISTRATION, register_club
from tests.money_support import TODAY

CLUB_A_MEMBERS = (
    "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo, DTTS, 0912345678\n"
    "Lê Thị Cúc, 1990, nữ, khá giả, khuyết tật"
)
# Family names the bot's own examples never use: "Nguyễn Thị Lan" is also the example in its help texts.
CLUB_A_NAMES = ("Trần Văn Bình", "Lê Thị Cúc")
CLUB_B_MEMBERS = "Đinh Văn Khải, 1947, nam"
INVITE_NUMBER = {"treasurer": "2", "board_member": "4", "reviewer": "5"}  # /moi's choices


def sensitive_words() -> list[str]:
    """How a member's household situation, ethnicity and disability read in a card or a list."""
    return [
        texts.poverty_name(NEAR_POOR),
        ", " + texts.poverty_name(POOR),
        _("ethnic minority"),
        ", " + _("disability"),
    ]


def shows_sensitive(reply: str) -> bool:
    # The note saying what is hidden, and the example line of the member format, are not about anyone.
    reply = reply.replace(str(texts.HIDDEN_IN_GROUP), "").replace(texts.line_format_help(), "")
    return any(word in reply for word in sensitive_words())


def paste_members(chair, lines: str) -> None:
    chair.says_all("/thanhvien", "2", lines, "1")


def joined(person, chair, role: str, user_id: str, name: str):
    code = chair.says_all("/moi", INVITE_NUMBER[role], "1").split("/start ")[1].split()[0]
    newcomer = person(user_id, name)
    assert "Mã CLB" in newcomer.says_all(f"/start {code}", "1")
    return newcomer


@pytest.fixture
def club_a(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    paste_members(chair, CLUB_A_MEMBERS)
    return chair


# --- who sees household situation, ethnicity and disability ------------------------------------------------


def test_the_board_and_the_district_reviewer_see_the_details_in_a_private_chat(person, club_a):
    assert texts.poverty_name(NEAR_POOR) in club_a.says("/thanhvien Nguyễn Thị Lan")
    reviewer = joined(person, club_a, "reviewer", "7", "Cán Bộ Huyện")
    card = reviewer.says("/thanhvien Trần Văn Bình")
    assert texts.poverty_name(POOR) in card and _("ethnic minority") in card


def test_someone_off_the_board_and_another_clubs_board_never_see_them(person, club_a, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the console saves the report files it gets under ./data/out
    other_chair = person("50", "Phan Văn Tâm")
    other_chair.says_all(REGISTRATION[0], "CLB Liên thế hệ thôn Phú Lộc", *REGISTRATION[2:])
    paste_members(other_chair, CLUB_B_MEMBERS)
    other_board_member = joined(person, other_chair, "board_member", "60", "Vũ Văn Ngoại")
    stranger = person("9", "Người Lạ")
    # Names typed without accents: the bot may repeat what was typed, never the name on the list.
    asks = [
        "/thanhvien",
        "/thanhvien tran van binh",
        "/thanhvien le",
        "/thanhvien cuc",
        "/saoke tran van binh",
        "/saoke le thi cuc",
        "/quy",
        "/denhan",
        "/baocao",
        "/hop",
        "/bancn",
    ]
    for outsider in (stranger, other_board_member, other_chair):
        for ask in asks:
            seen = outsider.says(ask) + outsider.says("1") + outsider.says("/huy")
            # Club A's details would come with the member's name: on a card, a list, a statement.
            assert not any(name in seen for name in CLUB_A_NAMES), (outsider.user_id, ask, seen)
            # Club B's board sees its own report, with counts of its own poor members; the stranger nothing.
            assert outsider is not stranger or not shows_sensitive(seen), (ask, seen)


async def test_in_the_group_chat_the_board_neither_shows_nor_asks_them(telegram, db):
    chair_private = telegram(201, "An", "Nguyễn Văn")
    for line in REGISTRATION:
        await chair_private.says(line)
    group = -1001
    chair = telegram(201, "An", "Nguyễn Văn", chat_id=group)
    await chair.says("/thanhvien")
    await chair.presses(str(texts.PASTE_LABEL))
    readback = await chair.says(CLUB_A_MEMBERS)
    assert str(texts.HIDDEN_IN_GROUP) in readback
    await chair.says("1")
    await chair.says("/thanhvien")
    await chair.presses(str(texts.LIST_LABEL))
    await chair.says("/huy")
    await chair.says("/thanhvien Trần Văn Bình")
    assert str(texts.HIDDEN_IN_GROUP) in chair.text
    await chair.presses(str(texts.EDIT_LABEL))
    offered = [label for label, _value in chair.buttons()]
    assert texts.field_label("full_name") in offered
    assert not {texts.field_label(f) for f in ("poverty", "ethnic_minority", "disabled", "phone")} & set(offered)
    assert texts.ask_new_value("phone") not in await chair.says(texts.field_label("phone"))  # not offered
    assert texts.ask_new_value("poverty") not in await chair.says(texts.field_label("poverty"))  # not offered
    await chair.says("/huy")
    # Adding one person in the group: after man or woman and the day they joined comes the read-back; no
    # situation, no phone number.
    await chair.says("/thanhvien")
    await chair.presses(str(texts.ADD_ONE_LABEL))
    await chair.says("Phạm Thị Dung")
    await chair.says("1955")
    await chair.presses(str(texts.WOMAN_LABEL))
    readback = await chair.presses(str(texts.TODAY_LABEL))
    assert "Phạm Thị Dung" in readback and str(texts.HIDDEN_IN_GROUP) in readback
    assert str(texts.ASK_PHONE) not in readback
    # No export or anonymising in the group either, even for the chair.
    await chair.says("/thanhvien Lê Thị Cúc")
    assert str(texts.EXPORT_LABEL) not in [label for label, _value in chair.buttons()]

    in_group = [
        c.params.get("text") or c.params.get("caption") or ""
        for c in telegram.api.calls
        if str(c.params.get("chat_id")) == str(group)
    ]
    assert in_group and not any(shows_sensitive(message) for message in in_group)
    assert not any("0912345678" in message for message in in_group)  # Trần Văn Bình's phone number
    # In the private chat the same card shows them.
    assert texts.poverty_name(POOR) in await chair_private.says("/thanhvien Trần Văn Bình")


async def test_in_the_group_chat_the_report_says_under_5_for_small_sensitive_counts(telegram, db):
    from handlers.reports import texts as report_texts

    chair_private = telegram(201, "An", "Nguyễn Văn")
    for line in REGISTRATION:
        await chair_private.says(line)
    await chair_private.says("/thanhvien")
    await chair_private.presses(str(texts.PASTE_LABEL))
    await chair_private.says(CLUB_A_MEMBERS)  # one near-poor, one poor from an ethnic minority, one disabled
    await chair_private.says("1")
    chair = telegram(201, "An", "Nguyễn Văn", chat_id=-1001)
    await chair.says("/baocao 2026-H2")
    await chair.says("Nguyễn Văn An")  # the name the report is signed with
    summary = await chair.says("1")
    assert str(report_texts.FILES_IN_PRIVATE_CHAT) in summary
    assert [c.method for c in chair.last_replies] == ["sendMessage"] * len(chair.last_replies)  # no .xlsx, no chart
    members_part = str(report_texts.part_label(report_texts.MEMBERS_PART))
    report = await chair.presses(members_part)

    for group in ("poor", "near_poor", "ethnic_minority", "disabled", "better_off"):
        assert f"{report_texts.group_name(group)}: {report_texts.too_few_to_show()}\n" in report
    assert f"{report_texts.group_name('women')}: 2 (" in report  # not sensitive: as it is
    # In the private chat, the same report is exact, with its files.
    await chair_private.says("/baocao 2026-H2")
    assert {"sendDocument", "sendPhoto"} <= {c.method for c in chair_private.last_replies}
    assert f"{report_texts.group_name('poor')}: 1 (" in await chair_private.presses(members_part)


# --- the chair sends a member everything kept about them -------------------------------------------------------


def the_club(db) -> tuple[Club, User]:
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        return club, s.get(User, club.created_by)


def member_id(db, full_name: str) -> int:
    with db.transaction() as s:
        return s.exec(select(Member.id).where(Member.full_name == full_name)).one()


JOINED = date(2026, 7, 1)


def joined_in_july(db, *member_ids: int) -> None:
    """The board typed its list in after these members joined: money from or to them starts on JOINED."""
    with db.transaction() as s:
        for member in member_ids:
            s.get(Member, member).joined_on = JOINED


def give_lan_some_books(db) -> int:
    """Lan, who joined on 01/07/2026, contributes that day, has one contribution reversed, borrows 1,000,000 ₫ and
    repays it all."""
    club, chair = the_club(db)
    lan = member_id(db, "Nguyễn Thị Lan")
    joined_in_july(db, lan)
    with db.transaction() as s:
        ledger.contribute(
            s,
            club.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=2_000_000,
            on=date(2026, 7, 1),
            by=chair,
            today=TODAY,
            member_id=lan,
        )
        wrong = ledger.contribute(
            s,
            club.id,
            fund=ACTIVITY_FUND,
            kind=MONTHLY_FEE,
            amount=50_000,
            on=date(2026, 7, 1),
            by=chair,
            today=TODAY,
            member_id=lan,
        )
        corrections.reverse(s, club.id, wrong.id, reason="typed twice", by=chair, today=TODAY)
        ledger.contribute(
            s,
            club.id,
            fund=ACTIVITY_FUND,
            kind=MONTHLY_FEE,
            amount=20_000,
            on=date(2026, 7, 1),
            by=chair,
            today=TODAY,
            member_id=lan,
        )
        loan = loans.lend(
            s,
            club.id,
            member_id=lan,
            amount=1_000_000,
            term_months=2,
            purpose="trade",
            on=date(2026, 7, 5),
            by=chair,
            today=TODAY,
        )
        loans.repay(s, club.id, loan_id=loan.id, amount=400_000, on=date(2026, 8, 5), by=chair, today=TODAY)
        loans.repay(s, club.id, loan_id=loan.id, amount=600_000, on=date(2026, 9, 5), by=chair, today=TODAY)
    return lan


def test_the_chair_sends_a_member_everything_kept_about_them(person, club_a, db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the console saves the file it gets under ./data/out
    lan = give_lan_some_books(db)
    _club, chair = the_club(db)
    club_a.says("/thanhvien Nguyễn Thị Lan")
    replies = club_a.send(str(texts.EXPORT_LABEL))
    readable, sent = replies[0].text, replies[1].document
    assert "Nguyễn Thị Lan" in readable and texts.poverty_name(NEAR_POOR) in readable
    assert money(2_000_000) in readable and money(1_000_000) in readable

    data = json.loads(sent.content)
    assert sent.filename.endswith(f"-{lan}.json")
    assert data["member"]["full_name"] == "Nguyễn Thị Lan" and data["member"]["poverty"] == NEAR_POOR
    assert data["member"]["birth_year"] == 1952 and data["member"]["joined_on"] == JOINED.isoformat()
    assert sorted(e["amount"] for e in data["contributions"]) == [-50_000, 20_000, 50_000, 2_000_000]
    [loan] = data["loans"]
    assert loan["principal"] == 1_000_000 and len(loan["schedule"]) == 2
    assert [e["amount"] for e in loan["entries"]] == [-1_000_000, 400_000, 600_000]
    with db.transaction() as s:
        exported = s.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
        assert (exported.entity, exported.entity_id, exported.user_id) == ("member", lan, chair.id)


def test_only_the_chair_may_export_or_anonymise(person, club_a):
    treasurer = joined(person, club_a, "treasurer", "3", "Trần Thị Thu")
    card = treasurer.send("/thanhvien Nguyễn Thị Lan")[-1]
    assert str(texts.EDIT_LABEL) in [c.label for c in card.choices]
    assert not {str(texts.EXPORT_LABEL), str(texts.ANONYMISE_LABEL)} & {c.label for c in card.choices}
    assert str(texts.ANONYMISE_LABEL) not in treasurer.says(str(texts.ANONYMISE_LABEL))


# --- anonymising a member who asked -----------------------------------------------------------------------------

# Counted among the members on the list at the period's end, which the anonymised member has left.
MEMBER_LIST_COUNTS = ("ever_borrowed", "ever_borrowed_percent")


def money_figures(db, club_id: int) -> dict:
    """The fund balances and the report's money, loans and meeting figures for the current half-year."""
    with db.transaction() as s:
        report = reports.club_report(s, club_id, period("2026-H2"))
        loan_figures = {k: v for k, v in report.loans.as_json().items() if k not in MEMBER_LIST_COUNTS}
        return {
            "funds": report.funds,
            "loans": loan_figures,
            "income": ledger.cash(s, club_id, INCOME_FUND),
            "activity": ledger.cash(s, club_id, ACTIVITY_FUND),
            "meetings": report.meetings,
        }


def test_the_chair_anonymises_a_member_after_a_clear_warning(person, club_a, db):
    lan = give_lan_some_books(db)
    club, chair = the_club(db)
    before = money_figures(db, club.id)

    club_a.says("/thanhvien Nguyễn Thị Lan")
    warning = club_a.says(str(texts.ANONYMISE_LABEL))
    assert texts.anonymous_name(lan) in warning
    assert _("No, cancel") in club_a.says("maybe")  # asked again, nothing done
    club_a.says("2")
    assert member_id(db, "Nguyễn Thị Lan") == lan  # "no" keeps everything

    with db.transaction() as s:  # someone's last answers, kept in case their update is delivered again
        conversations.save(
            s,
            conversations.lock(s, "telegram", "5", "5"),
            {},
            utcnow(),
            "9",
            [{"text": "Đã lưu: Nguyễn Thị Lan 50.000 ₫", "choices": [], "chat_id": None}],
        )
    club_a.says_all("/thanhvien Nguyễn Thị Lan", str(texts.ANONYMISE_LABEL))
    assert texts.anonymous_name(lan) in club_a.says(str(texts.ANONYMISE_YES_LABEL))

    with db.transaction() as s:
        member = s.get(Member, lan)
        assert member.full_name == texts.anonymous_name(lan)
        assert (member.birth_year, member.sex, member.poverty, member.phone) == (None, None, None, None)
        assert not member.ethnic_minority and not member.disabled
        assert member.left_on == TODAY and member.anonymised_at is not None
        assert members.search(s, club.id, "Nguyễn Thị Lan", include_left=True) == []
        assert lan not in [m.id for m in members.search(s, club.id, "lan", include_left=True)]
        done = s.exec(select(AuditEvent).where(AuditEvent.action == "anonymise")).one()
        assert (done.entity_id, done.user_id) == (lan, chair.id)
        assert s.exec(select(Conversation.unsent).where(Conversation.unsent.is_not(None))).all() == []
    assert money_figures(db, club.id) == before


def test_a_member_who_still_owes_is_not_anonymised(person, club_a, db):
    club, chair = the_club(db)
    lan, cuc = member_id(db, "Nguyễn Thị Lan"), member_id(db, "Lê Thị Cúc")
    joined_in_july(db, lan, cuc)
    with db.transaction() as s:
        ledger.contribute(
            s,
            club.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=5_000_000,
            on=date(2026, 7, 1),
            by=chair,
            today=TODAY,
            member_id=cuc,
        )
        loans.lend(
            s,
            club.id,
            member_id=lan,
            amount=3_000_000,
            term_months=6,
            purpose="trade",
            on=date(2026, 10, 1),
            by=chair,
            today=TODAY,
        )
    club_a.says("/thanhvien Nguyễn Thị Lan")
    refusal = club_a.says(str(texts.ANONYMISE_LABEL))
    assert money(3_000_000) in refusal and "Nguyễn Thị Lan" in refusal
    with db.transaction() as s:
        assert s.get(Member, lan).anonymised_at is None


def a_club_with_books(db: Database) -> tuple[int, int, User]:
    """A club whose member Lan has contributions, a reversal, a repaid loan, a meeting and a home visit."""
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair", "Nguyễn Văn An")
        club = clubs.create_club(
            s,
            chair,
            clubs.NewClub(
                name="CLB thôn Liên Trì",
                village="Liên Trì",
                commune="Bình Hiệp",
                district="Bình Sơn",
                province="Quảng Ngãi",
                meeting_day=15,
            ),
        )
        lan = members.add(
            s,
            club.id,
            NewMember("Nguyễn Thị Lan", 1952, FEMALE, NEAR_POOR, True, True, "0912345678", date(2020, 1, 1)),
            chair,
            TODAY,
        )
        helper = members.add(
            s, club.id, NewMember("Lê Thị Cúc", 1960, FEMALE, joined_on=date(2020, 1, 1)), chair, TODAY
        )
        members.update_field(s, lan, "phone", "0987654321", chair)
        meetings.record(
            s,
            club.id,
            MeetingDraft(held_on=date(2026, 7, 15), attendance=2, areas=(HOMECARE,), attendees=(lan.id, helper.id)),
            chair,
        )
        record_activity(
            s,
            club.id,
            NewActivity(
                HOME_VISIT,
                HOMECARE,
                date(2026, 8, 1),
                volunteer_id=helper.id,
                member_id=lan.id,
                description="Thăm bà Lan, đau lưng",
            ),
            chair,
        )
        club_id, lan_id = club.id, lan.id
    return club_id, lan_id, chair


def test_anonymising_keeps_every_sum_and_report_figure(any_db):
    club_id, lan, chair = a_club_with_books(any_db)
    with any_db.transaction() as s:
        ledger.contribute(
            s,
            club_id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=2_000_000,
            on=date(2026, 7, 1),
            by=chair,
            today=TODAY,
            member_id=lan,
        )
        loan = loans.lend(
            s,
            club_id,
            member_id=lan,
            amount=1_000_000,
            term_months=2,
            purpose="trade",
            on=date(2026, 7, 5),
            by=chair,
            today=TODAY,
        )
        loans.repay(s, club_id, loan_id=loan.id, amount=1_000_000, on=date(2026, 8, 5), by=chair, today=TODAY)
    before = money_figures(any_db, club_id)

    with any_db.transaction() as s:
        personal_data.anonymise(s, s.get(Member, lan), "Thành viên #1", chair, TODAY)
    with any_db.transaction() as s, pytest.raises(personal_data.AlreadyAnonymised):
        personal_data.anonymise(s, s.get(Member, lan), "Thành viên #1", chair, TODAY)

    assert money_figures(any_db, club_id) == before
    with any_db.transaction() as s:
        kept = personal_data.member_record(s, s.get(Club, club_id), s.get(Member, lan))
        assert kept["member"]["full_name"] == "Thành viên #1" and kept["meetings_attended"] == [date(2026, 7, 15)]
        assert [a["description"] for a in kept["activities"]] == [None]
        changes = [e["detail"] for e in kept["history"] if e["action"] == "update"]
        assert changes == [{"field": "phone", "removed": True}]
        assert "0912345678" not in json.dumps(kept, default=str) and "Lan" not in json.dumps(kept, default=str)


# --- the schema change ------------------------------------------------------------------------------------------


def test_the_migration_keeps_existing_books_on_sqlite(tmp_path):
    """0007p on an SQLite file that already has a member with money entries pointing at them."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    database = Database(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006n")
    with database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO user (id, display_name, language, created_at) VALUES (1, 'An', 'vi', '2026-01-01')")
        )
        connection.execute(
            text(
                "INSERT INTO club (id, code, name, village, commune, district, province, "
                "meeting_day, created_at, created_by) VALUES (1, 'ABC234', 'CLB', 'v', 'c', 'd', "
                "'p', 15, '2026-01-01', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO member (id, club_id, full_name, name_key, birth_year, sex, "
                "ethnic_minority, disabled, joined_on, created_at, created_by) VALUES (1, 1, 'Lan', "
                "'lan', 1952, 'female', 0, 0, '2026-01-01', '2026-01-01', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO ledgerentry (club_id, fund, kind, amount, interest, member_id, "
                "entry_date, entered_on, created_by, created_at) VALUES (1, 'income', 'capital', "
                "100000, 0, 1, '2026-01-01', '2026-01-01', 1, '2026-01-01')"
            )
        )
    database.migrate()
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE member SET birth_year = NULL, sex = NULL WHERE id = 1"))
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.execute(text("SELECT count(*) FROM ledgerentry WHERE member_id = 1")).scalar_one() == 1
    database.dispose()


def test_the_member_table_matches_the_model(any_db):
    with any_db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    about_members = [
        d
        for d in differences
        if "member" in repr(d) and "groupmember" not in repr(d) and "meetingattendee" not in repr(d)
    ]
    assert about_members == []
