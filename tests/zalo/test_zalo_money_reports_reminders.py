"""Money, reports and reminders over Zalo, against the fake Zalo Bot API server on loopback (issue 8).

A chair registered on Zalo records a contribution, a loan and a repayment by typing numbers; /baocao sends
the text report in pieces of at most 2,000 characters and a note instead of each file; a deadline reminder
reaches a board member who chose Zalo exactly once, however often and from however many services the job runs.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date

from sqlmodel import select

from bot.reminders import ReminderService, ZaloSender
from bot.zalo_channel import MAX_TEXT, ZaloApi, ZaloChannel
from handlers.i18n import money
from storage import accounts, loans, money_reports, users
from storage.models import (
    CAPITAL,
    CHAIR,
    DEADLINE,
    INCOME_FUND,
    LOAN,
    REPAYMENT,
    SENT,
    TREASURER,
    VICE_CHAIR,
    BoardSeat,
    Club,
    Loan,
    ReportSubmission,
)
from tests.money_support import all_loans, entries, member_named
from tests.reminder_support import FakeSender, at, make_club, rows
from tests.report_support import lien_tri
from tests.zalo_support import register_on_zalo, user_id_of, zalo, zalo_server  # noqa: F401

TODAY = date(2026, 11, 23)  # conftest's clock
SAVE, DONE = "1", "2"
INCOME, KIND_CAPITAL, SMALL_TRADE = "1", "1", "3"
MEMBERS = "Nguyễn Thị Lan, 1952, nữ, cận nghèo\nTrần Văn Bình, 1948, nam, nghèo\nLê Thị Hoa, 1990, nữ"


def number_of(listing: str, words: str) -> str:
    """The number a numbered list gives the choice containing `words`."""
    [number] = re.findall(rf"^  (\d+)\. [^\n]*{re.escape(words)}", listing, re.MULTILINE)
    return number


# --- a repayment ----------------------------------------------------------------------------------------------


async def test_a_chair_on_zalo_records_a_contribution_a_loan_and_a_repayment_by_typing_numbers(zalo, db):
    chair = zalo("zu-an", "Nguyễn Văn An")
    await register_on_zalo(chair)
    await chair.says_all("/thanhvien", "2", MEMBERS, SAVE)
    lan = member_named(db, "Nguyễn Thị Lan")

    # A contribution, step by step: the name, then the fund and the kind as numbers from the lists.
    await chair.says("/donggop")
    funds = await chair.says("tran van binh")  # typed without accents
    assert number_of(funds, "quỹ tăng thu nhập") == INCOME  # which fund: a numbered list
    await chair.says(INCOME)
    read_back = await chair.says_all(KIND_CAPITAL, "10tr")
    assert "Trần Văn Bình" in read_back and money(10_000_000) in read_back and "23/11/2026" in read_back
    assert entries(db) == []  # nothing before the yes
    await chair.says_all(SAVE, DONE)
    [contribution] = entries(db)
    assert (contribution.fund, contribution.kind, contribution.amount, contribution.member_id) == (
        INCOME_FUND,
        CAPITAL,
        10_000_000,
        member_named(db, "Trần Văn Bình").id,
    )

    # A loan of 2tr over 12 months to Lan: the purpose is a number, the read-back shows the schedule.
    purposes = await chair.says("/vay Nguyễn Thị Lan 2tr 12")
    assert f"  {SMALL_TRADE}. " in purposes
    read_back = await chair.says(SMALL_TRADE)
    assert "Nguyễn Thị Lan" in read_back and money(2_000_000) in read_back
    assert all_loans(db) == []
    saved = await chair.says(SAVE)
    assert money(8_000_000) in saved  # the income fund's cash left
    [loan] = all_loans(db)
    assert (loan.member_id, loan.principal, loan.term_months, loan.purpose) == (lan.id, 2_000_000, 12, "trade")

    # A repayment of 500k: read back with what is still owed, saved on the yes.
    read_back = await chair.says("/trano nguyen thi lan 500k")
    assert "Nguyễn Thị Lan" in read_back and money(500_000) in read_back and money(1_500_000) in read_back
    assert number_of(chair.last_replies[-1], "Đồng ý") == SAVE  # yes / no / another date, numbered
    assert [e.kind for e in entries(db)] == [CAPITAL, LOAN]
    saved = await chair.says(SAVE)
    assert money(1_500_000) in saved
    repayment = entries(db)[-1]
    assert (repayment.kind, repayment.amount, repayment.interest, repayment.loan_id) == (REPAYMENT, 500_000, 0, loan.id)
    assert repayment.created_by == user_id_of(db, "zalo", "zu-an")
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        position = loans.loan_position(s, s.get(Loan, loan.id), TODAY)
        funds_now = money_reports.summary(s, club.id, TODAY)
        [(open_loan, open_position)] = loans.open_loans(s, club.id, lan.id, TODAY)
    assert position.principal_left == 1_500_000 and position.owed == 1_500_000
    assert open_loan.id == loan.id and open_position.principal_left == 1_500_000
    assert (funds_now.income_cash, funds_now.loans_outstanding, funds_now.capital, funds_now.borrowers_owing) == (
        8_500_000,
        1_500_000,
        10_000_000,
        1,
    )
    assert funds_now.income_total == 10_000_000

    # /quy on Zalo shows the same figures.
    shown = await chair.says("/quy")
    assert money(8_500_000) in shown and money(1_500_000) in shown
    assert zalo.server.refused == []


# --- a report ----------------------------------------------------------------------------------------------------


async def test_the_report_on_zalo_is_text_in_pieces_and_notes_instead_of_files(zalo, db, person):
    lien_tri(db)
    with db.transaction() as s:
        on_zalo = users.get_or_create(s, "zalo", "zu-an", "Nguyễn Văn An")
        club = s.exec(select(Club)).one()
        s.add(BoardSeat(club_id=club.id, user_id=on_zalo.id, role=CHAIR))
        code = club.code
    # The same report at the console, to compare with what Zalo receives.
    console_text = person("chair-lientri", "Nguyễn Văn An").send("/baocao 2025-H1")[0].text

    chair = zalo("zu-an", "Nguyễn Văn An")
    periods = await chair.says("/baocao")
    asked = await chair.says(number_of(periods, "6 tháng đầu năm 2025:"))  # the period chosen by its number
    assert "Họ tên đầy đủ của bạn (để ghi người lập biểu)?" in asked  # asked once, on this seat
    assert "Nguyễn Văn An" in await chair.says("Nguyễn Văn An")
    await chair.says("1")
    pieces = chair.last_replies[1:]  # after "Saved"
    assert all(len(piece) <= MAX_TEXT for piece in pieces) and zalo.server.refused == []

    # The summary, in one message, as the console has it; the parts follow as a numbered list.
    report_pieces = [p for p in pieces if "Zalo" not in p and "  1. " not in p]
    assert report_pieces == [console_text]
    assert report_pieces[0].startswith("BÁO CÁO 6 THÁNG ĐẦU NĂM 2025 (01/12/2024 – 31/05/2025)\nCLB thôn Liên Trì")
    for figure in ("43", "81,4", money(35_075_000), money(4_015_000)):
        assert figure in console_text
    money_part = await chair.says("2")
    assert "5. Quỹ tăng thu nhập: số dư và thu chi trong kỳ" in money_part and money(35_075_000) in money_part

    # Each file is replaced by a note naming it and where to get it.
    notes = [p for p in pieces if "Zalo" in p]
    assert len(notes) == 2
    assert f"baocao-{code}-2025-H1.xlsx" in notes[0] and f"bieudo-{code}-2025-H1.png" in notes[1]
    assert all("Telegram" in note and "python -m bot" in note for note in notes)
    assert pieces[-1].splitlines()[-2:] == ["  6. Ghi nhận đã nộp", "  7. Xong"]

    # The chair marks it submitted by typing numbers.
    read_back = await chair.says("6")
    assert "CLB thôn Liên Trì" in read_back and "6 tháng đầu năm 2025" in read_back
    with db.transaction() as s:
        assert s.exec(select(ReportSubmission)).first() is None
    await chair.says("1")
    with db.transaction() as s:
        record = s.exec(select(ReportSubmission)).one()
    assert (record.period, record.submitted_by) == ("2025-H1", on_zalo.id)


# --- a reminder -------------------------------------------------------------------------------------------------


def zalo_service(any_db, server, telegram: FakeSender) -> tuple[ReminderService, ZaloApi]:
    api = ZaloApi(server.token, server.base_url, poll_timeout=2)
    return ReminderService(
        any_db, "Asia/Ho_Chi_Minh", {"telegram": telegram, "zalo": ZaloSender(ZaloChannel(api, dispatcher=None))}
    ), api


async def test_a_deadline_reminder_reaches_a_board_member_on_zalo_exactly_once(any_db, zalo_server):
    club = make_club(any_db, roles=(VICE_CHAIR, TREASURER))
    vice = club.people[VICE_CHAIR]
    with any_db.transaction() as s:
        # The vice-chair also uses Zalo (linked) and wants reminders there only.
        users.get_or_create(s, "zalo", "zu-vice", "Phó chủ nhiệm")
        account = accounts.account(s, "zalo", "zu-vice")
        account.user_id = vice
        s.add(account)
        s.flush()
        accounts.set_reminder_channel(s, vice, "zalo")
        assert accounts.reminder_channels(s, vice) == [("zalo", "zu-vice")]

    telegram_one, telegram_two = FakeSender(), FakeSender()
    first, first_api = zalo_service(any_db, zalo_server, telegram_one)
    second, second_api = zalo_service(any_db, zalo_server, telegram_two)
    try:
        # Seven days before 5 June 2025, at 09:00: the chair on Telegram, the vice-chair on Zalo.
        summary = await first.run_once(at(2025, 5, 29, 9))
        assert (summary.claimed, summary.sent, summary.failed) == (2, 2, 0)
        # Run again, from this service and from another, at once and later the same day: nothing more goes out.
        again = await asyncio.gather(first.run_once(at(2025, 5, 29, 9)), second.run_once(at(2025, 5, 29, 9)))
        later = await second.run_once(at(2025, 5, 29, 17))
        assert [r.claimed for r in (*again, later)] == [0, 0, 0]
    finally:
        await first_api.close()
        await second_api.close()

    on_zalo = zalo_server.sent_to("zu-vice")
    assert len(on_zalo) == 1 and zalo_server.refused == []
    assert [s.chat_id for s in zalo_server.sent] == ["zu-vice"]  # nobody else got anything on Zalo
    text = on_zalo[0]
    assert "CLB thôn Liên Trì" in text and "2025-H1" in text and "05/06/2025" in text
    # No button on Zalo: the reminder says what to type, where Telegram's points to its button.
    assert "gõ /baocao để làm báo cáo" in text and "bấm" not in text.lower(), text
    # Telegram: the chair once, and not the vice-chair, who chose Zalo.
    assert telegram_one.to(club.chats[CHAIR]) and len(telegram_one.to(club.chats[CHAIR])) == 1
    assert "Bấm nút bên dưới" in telegram_one.to(club.chats[CHAIR])[0]
    assert telegram_one.to(club.chats[VICE_CHAIR]) == [] and telegram_two.sent == []
    assert telegram_one.to(club.chats[TREASURER]) == []

    records = {r.user_id: r for r in rows(any_db)}
    assert set(records) == {club.people[CHAIR], vice}
    assert all(
        r.status == SENT and r.kind == DEADLINE and r.occasion == "2025-H1" and r.offset_days == 7 and r.attempts == 1
        for r in records.values()
    )
    assert (records[vice].delivered, records[club.people[CHAIR]].delivered) == ("zalo", "telegram")
