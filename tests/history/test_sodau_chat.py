"""/sodau in the chat: a chair brings in the club's paper books, by the Excel template or typed, and the reports
before and after the records' start come out right."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from handlers.i18n import language
from handlers.reports.texts import report_text
from storage import ledger, loans, reports
from storage.models import INCOME_FUND, Club, LedgerEntry, Loan, Member
from storage.periods import period
from tests.conftest import REGISTRATION, TODAY, finished_with, fresh_postgres, register_club, sqlite_db
from tests.history import support
from tests.money_support import SECRETARY, TREASURER, join_board


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request):
    """The chat on SQLite and on PostgreSQL: the Telegram fixtures build on this `db`."""
    if request.param == "postgresql":
        database = fresh_postgres(request.getfixturevalue("postgres_url"))
    else:
        database = sqlite_db()
    yield database
    finished_with(database)


def report(db, code: str) -> dict:
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        return json.loads(reports.to_json(reports.club_report(s, club.id, period(code))))


def report_words(db, code: str) -> str:
    with db.transaction() as s, language("vi"):
        club = s.exec(select(Club)).one()
        return report_text(reports.club_report(s, club.id, period(code)), TODAY.tzinfo)


def plain(text: str) -> str:
    """The text with Babel's non-breaking spaces made plain ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def count(db, model) -> int:
    with db.transaction() as s:
        return len(s.exec(select(model)).all())


async def test_a_years_old_club_moves_in_by_the_template_and_its_reports_are_right(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/sodau")
    sent = await chair.presses("Gửi tệp Excel mẫu")
    assert "ba trang" in sent
    assert [c.method for c in chair.last_replies] == ["sendDocument", "sendMessage"] or any(
        c.method == "sendDocument" for c in chair.last_replies
    )

    read_back = plain(await chair.sends_document("so-sach-cu.xlsx", support.books()))
    assert "- thành viên: 43 mới, 0 sửa thông tin, 0 đã có sẵn" in read_back
    assert "- quỹ tăng thu nhập, tiền mặt: 8.700.000 ₫" in read_back
    assert "- quỹ hoạt động, tiền mặt: 1.250.000 ₫" in read_back
    assert "- vốn góp của thành viên: 20.500.000 ₫" in read_back
    assert "- khoản vay đang có: 6 mới, 0 đã nhập trước; còn nợ gốc 12.300.000 ₫" in read_back
    assert count(db, Member) == 0  # nothing saved before "Lưu"

    saved = await chair.presses("Đồng ý, lưu")
    assert "30/11/2025" in saved
    assert count(db, Member) == 43 and count(db, Loan) == 6

    after = report(db, "2026-H1")
    assert after["club"]["records_start"] == "2025-11-30"
    assert after["funds"]["income"]["opening"] == 8_700_000
    assert after["funds"]["activity"]["opening"] == 1_250_000
    assert after["funds"]["raised"] == 0  # what was brought in is no money raised in the period
    assert after["members"]["total"] == 43 and after["members"]["joined"] == 0
    assert after["loans"]["opening_outstanding"] == 12_300_000
    assert after["loans"]["loans_in_period"] == 0 and after["loans"]["disbursed"] == 0
    assert after["loans"]["open_loans"] == 6

    joined_2024_h2 = sum(1 for n in range(43) if date(2024, 6, 1) <= support.joined_on(n) <= date(2024, 11, 30))
    assert report(db, "2024-H2")["members"]["joined"] == joined_2024_h2 > 0
    assert report(db, "2025-H2")["members"]["joined"] == 0
    assert "CLB bắt đầu ghi sổ trên bot từ 30/11/2025" in report_words(db, "2025-H2")

    # From now on a brought-in loan is like any other: overdue in /denhan, repaid with /trano.
    lan = support.name_of(0)  # 3.000.000 on 15/03/2025 over 12 months: 1.000.000 still owed, all of it late now
    assert lan in await chair.says("/denhan")
    repaid = plain(await chair.says(f"/trano {lan} 500k"))
    assert "500.000 ₫" in repaid
    await chair.presses("Đồng ý, lưu")
    with db.transaction() as s:
        loan = s.exec(select(Loan).where(Loan.principal == 3_000_000)).one()
        assert loans.loan_position(s, loan, TODAY.date()).principal_left < 1_000_000

    # The same file again: everything is there already, and nothing is doubled.
    with db.transaction() as s:
        entries = len(s.exec(select(LedgerEntry)).all())
    await chair.says("/sodau")
    again = plain(await chair.sends_document("so-sach-cu.xlsx", support.books()))
    assert "0 mới, 0 sửa thông tin, 43 đã có sẵn" in again and "0 mới, 6 đã nhập trước" in again
    await chair.presses("Đồng ý, lưu")
    assert count(db, Member) == 43 and count(db, Loan) == 6 and count(db, LedgerEntry) == entries


async def test_a_file_with_mistakes_is_named_by_sheet_row_and_column_and_nothing_is_saved(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/sodau")
    loans = [*support.LOAN_ROWS, [support.name_of(3), "2tr", "01/10/2025", 12, 1, "2tr5"]]
    reply = await chair.sends_document(
        "so-sach-cu.xlsx", support.filled(support.MEMBER_ROWS, [support.FUND_ROW], loans)
    )
    assert "Khoản vay đang có, dòng 10" in reply
    assert count(db, Member) == 0 and count(db, LedgerEntry) == 0
    photo = await chair.sends_document("anh.jpg", b"\xff\xd8\xff not a sheet")
    assert ".xlsx" in photo and count(db, Member) == 0


def test_the_treasurer_types_the_books_in_the_chat(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    chair.says_all("/thanhvien", "Dán danh sách")
    chair.says("Nguyễn Thị Lan, 1952, nữ, cận nghèo, vào 2019\nTrần Văn Bình, 1950, nam, vào 03/2020")
    chair.says("Đồng ý")
    treasurer = join_board(chair, person, TREASURER, "2", "Lê Thị Thu")

    assert "ngày cuối tháng" in treasurer.says_all("/sodau", "Gõ số liệu ở đây", "15/11/2025")
    treasurer.says("30/11/2025")
    treasurer.says_all("2tr4", "350k", "20tr5", "Có, gõ từng khoản")
    treasurer.says_all("nguyen thi lan", "3tr", "15/03/2025", "12", "1")
    checked = plain(treasurer.says("4tr"))  # more owed than lent
    assert "trong 12 tháng, 1 % một tháng; còn nợ gốc 4.000.000 ₫" in checked
    assert "Số còn nợ 4.000.000 ₫ lớn hơn số tiền vay 3.000.000 ₫." in checked
    assert "Chưa ghi được khoản vay này" in treasurer.says("Ghi khoản vay này")
    treasurer.says("Sửa một câu trả lời")
    assert "Hết ngày 30/11/2025 còn nợ gốc bao nhiêu?" in treasurer.says("Còn nợ gốc: 4tr")
    kept = treasurer.says_all("1tr", "Ghi khoản vay này")
    assert "Đã ghi 1 khoản vay" in kept
    read_back = plain(treasurer.says("Hết rồi: xem lại sổ"))
    assert "- quỹ tăng thu nhập, tiền mặt: 2.400.000 ₫" in read_back
    assert "- khoản vay đang có: 1 mới, 0 đã nhập trước; còn nợ gốc 1.000.000 ₫" in read_back
    treasurer.says("Đồng ý, lưu")

    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        assert club.records_start == date(2025, 11, 30)
        assert ledger.cash(s, club.id, INCOME_FUND, as_of=date(2025, 11, 30)) == 2_400_000
    entries_after_saving = count(db, LedgerEntry)
    # money before the records' start is in the opening balances: it cannot be typed again
    treasurer.says_all("/chi 100k văn nghệ", "Ngày khác")
    refused = treasurer.says("20/11/2025")
    assert "30/11/2025" in refused and count(db, LedgerEntry) == entries_after_saving


def test_the_secretary_cannot_bring_in_books(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    secretary = join_board(chair, person, SECRETARY, "3", "Phạm Thị Hà")
    assert "Chủ nhiệm" in secretary.says("/sodau")
