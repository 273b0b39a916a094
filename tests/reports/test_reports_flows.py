"""/baocao through the console and Telegram, the files it sends, the "Đã nộp" mark, the reviewer's view,
and `python -m bot report` / `python -m bot demo` as real processes."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlmodel import select

import bot.console
from bot.report_chart import PNG_SIGNATURE, club_chart
from bot.report_xlsx import MONEY_FORMAT, club_xlsx, district_xlsx
from handlers.i18n import day, language, money
from storage import reports, submissions, users
from storage.models import REVIEWER, BoardSeat, Club, ReportSubmission, User
from storage.periods import half_year_of, period
from tests.cli_support import run_cli
from tests.report_support import H1, LIEN_TRI_H1, lien_tri, model_club

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def files_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(bot.console, "OUTPUT_DIR", tmp_path / "out")


def row_of(ws, label: str):
    for row in ws.iter_rows():
        if row[0].value == label:
            return row
    raise AssertionError(f"no row {label!r}")


# --- the files -----------------------------------------------------------------------------------------------


def test_the_xlsx_has_the_title_block_tables_and_a4_setup(db):
    club_id = lien_tri(db)
    with db.transaction() as s, language("en"):
        r = reports.club_report(s, club_id, period(H1))
        content = club_xlsx(r, prepared_by="Trần Thị Bình", today=date(2025, 6, 2), zone=ZONE)
    ws = load_workbook(io.BytesIO(content)).active
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert ws["A4"].value == "REPORT FOR THE FIRST HALF OF 2025 (01/12/2024 – 31/05/2025)"
    assert "CLB thôn Liên Trì" in text
    assert "Village Liên Trì, commune Bình Hiệp, province Quảng Ngãi (formerly district Bình Sơn)" in text
    assert not any("2025-H1" in t for t in text)  # the code is for typing, not for the printed form
    assert any("58/QĐ-UBND" in t for t in text) and "Trần Thị Bình" in text
    assert any("02/06/2025" in t for t in text)
    assert row_of(ws, "Members")[1].value == 43
    older = row_of(ws, "Older people (60 and over)")
    assert (older[1].value, older[2].value) == (35, 81.4)
    assert row_of(ws, "Women")[1].value == 4 and row_of(ws, "Women")[2].value == 9.3
    assert [row[1].value for row in ws.iter_rows() if row[0].value == "Opening balance"] == [14_000_000, 1_000_000]
    closing = [row for row in ws.iter_rows() if row[0].value == "Closing balance"]
    assert [row[1].value for row in closing] == [35_075_000, 1_050_000]
    assert closing[0][1].number_format == MONEY_FORMAT
    assert row_of(ws, "Overdue amount")[1].value == 4_015_000
    assert row_of(ws, "Meetings held")[1].value == 6
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_district_xlsx_has_a_row_per_club_and_totals(db):
    lien_tri(db)
    model_club(db)
    with db.transaction() as s, language("en"):
        d = reports.district_report(s, period(H1), district="Bình Sơn")
        content = district_xlsx(d, prepared_by="Hội NCT huyện", today=date(2025, 6, 6))
    ws = load_workbook(io.BytesIO(content)).active
    totals = [row for row in ws.iter_rows() if row[1].value == "Total"]
    assert len(totals) == 4  # members, money, loans, activities
    members, money_row = totals[0], totals[1]
    assert members[2].value == 93
    assert money_row[8].value == 60_075_000 and money_row[8].number_format == MONEY_FORMAT
    club_rows = [row[1].value for row in ws.iter_rows() if isinstance(row[0].value, int)]
    assert len(club_rows) == 8  # two clubs in each of the four tables
    assert ws.page_setup.orientation == "landscape"


def test_the_chart_is_a_png(db):
    club_id = lien_tri(db)
    with db.transaction() as s:
        png = club_chart(reports.club_report(s, club_id, period(H1), series=True))
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000


# --- /baocao at the console ------------------------------------------------------------------------------------


def test_the_chair_gets_the_report_and_marks_it_submitted(db, person):
    lien_tri(db)
    chair = person("chair-lientri", "Nguyễn Văn An")
    replies = chair.send("/baocao")
    assert "6 tháng cuối năm 2026 (01/06/2026 – 30/11/2026" in replies[-1].text
    assert "2025-H1" in [c.value for c in replies[-1].choices]
    replies = chair.send("2025-h1")
    text = replies[0].text
    assert text.startswith("BÁO CÁO 6 THÁNG ĐẦU NĂM 2025 (01/12/2024 – 31/05/2025)\nCLB thôn Liên Trì\n")
    assert "2025-H1" not in text
    assert "43" in text and "81,4" in text and money(35_075_000) in text and money(4_015_000) in text
    xlsx, png = replies[1].document, replies[2].photo
    assert xlsx.filename.endswith("-2025-H1.xlsx") and png.filename.endswith(".png")
    figures = [row[1].value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    assert 43 in figures and 35_075_000 in figures
    assert png.content.startswith(PNG_SIGNATURE)
    parts = [c.label for c in replies[3].choices]
    assert parts == ["Thành viên và Ban chủ nhiệm", "Tiền và các quỹ", "Cho vay", "Sinh hoạt và hoạt động"] + [
        "Chỉ tiêu",
        "Ghi nhận đã nộp",
        "Xong",
    ]
    read_back = chair.says("6")  # mark as submitted
    assert "CLB thôn Liên Trì" in read_back and "6 tháng đầu năm 2025" in read_back
    chair.says("1")
    with db.transaction() as s:
        record = s.exec(select(ReportSubmission)).one()
        by = s.get(User, record.submitted_by)
    assert (record.period, by.display_name) == ("2025-H1", "Nguyễn Văn An")
    # Asked again, the report says it was submitted and does not offer the mark.
    replies = chair.send("/baocao 2025-H1")
    marked_on = record.submitted_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZONE).date()
    assert f"Đã nộp ngày {day(marked_on)}" in replies[0].text and "Nguyễn Văn An" in replies[0].text
    assert len(replies) == 4 and "Ghi nhận đã nộp" not in [c.label for c in replies[-1].choices]


def test_the_report_in_chat_is_a_summary_on_one_screen_then_the_parts_asked_for(db, person):
    lien_tri(db)
    chair = person("chair-lientri", "Nguyễn Văn An")
    summary, *_files, parts = chair.send("/baocao 2025-H1")
    lines = summary.text.splitlines()
    assert len(lines) <= 15 and not summary.is_list
    assert "Thành viên: 43; phụ nữ 4 (9,3 %), người cao tuổi 35 (81,4 %)." in lines
    assert f"Số dư cuối kỳ: quỹ tăng thu nhập {money(35_075_000)}, quỹ hoạt động {money(1_050_000)}." in lines
    assert f"Cho vay: 2 thành viên còn nợ {money(5_500_000)}; quá hạn {money(4_015_000)} (2 khoản)." in lines
    assert "Chỉ tiêu đạt: 2/7." in lines and "Sinh hoạt: 6 buổi" in summary.text
    assert "Quỹ tăng thu nhập: số dư và thu chi trong kỳ" not in summary.text  # that is the part "money"
    shown, asked = chair.send("Tiền và các quỹ")
    assert shown.is_list and "5. Quỹ tăng thu nhập: số dư và thu chi trong kỳ" in shown.text
    assert "6. Quỹ hoạt động: số dư và thu chi trong kỳ" in shown.text and "1. Thành viên" not in shown.text
    assert asked.text == "Xem phần khác, hoặc Xong?" and asked.choices == parts.choices  # the same numbers
    shown, _asked = chair.send("2")  # the same part, by its number
    assert "5. Quỹ tăng thu nhập" in shown.text
    loans = chair.send("Cho vay")[0].text
    assert loans.startswith("7. Cho vay và thu nợ trong kỳ") and "\n\n8. Dư nợ cho vay đến ngày 31/05/2025" in loans
    assert "Xong. Gõ /menu" in chair.says("Xong")


def test_cancelling_the_mark_saves_nothing(db, person):
    lien_tri(db)
    chair = person("chair-lientri", "Nguyễn Văn An")
    chair.send("/baocao 2025-H1")
    chair.says("1")
    chair.says("2")
    with db.transaction() as s:
        assert s.exec(select(ReportSubmission)).first() is None


def test_a_board_member_sees_the_report_but_cannot_mark_it(db, person):
    club_id = lien_tri(db)
    vice = person("lientri-board-0", "Ủy Viên 0")  # the vice-chair lien_tri seats
    vice.send("/baocao 2025-H1")
    vice.send("Lê Văn Phó")  # the full name the report is signed with, asked once
    replies = vice.send("1")
    assert len(replies) == 5 and replies[2].document is not None  # saved, the summary, the .xlsx, the chart
    offered = [c.label for c in replies[-1].choices]
    assert "Ghi nhận đã nộp" not in offered and offered[0] == "Thành viên và Ban chủ nhiệm" and offered[-1] == "Xong"
    with db.transaction() as s:
        assert submissions.submission(s, club_id, "2025-H1") is None


def test_a_wrong_or_future_period_is_asked_again(db, person):
    lien_tri(db)
    chair = person("chair-lientri", "Nguyễn Văn An")
    chair.send("/baocao")
    assert "2025-H1" in chair.says("2025-H9")
    reply = chair.says("2030-H1")
    assert "2030" not in reply.split("\n")[0] or "not started" in reply
    assert "43" in chair.says("2025-H1")


def test_in_the_first_days_of_december_the_buttons_point_at_the_report_due_on_the_5th(db, person, clock):
    lien_tri(db)
    chair = person("chair-lientri", "Nguyễn Văn An")
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # 2027-H1 began yesterday
    buttons = {choice.value: choice.label for choice in chair.send("/baocao")[-1].choices}
    assert "05/12/2026" in buttons["2026-H2"] and "05/12/2026" not in buttons["2027-H1"]
    clock.now += timedelta(days=4)  # past the deadline
    buttons = {choice.value: choice.label for choice in chair.send("/baocao")[-1].choices}
    assert "05/12/2026" not in buttons["2026-H2"]


def test_someone_without_a_club_is_refused(person):
    assert "/start" in person("stranger", "Người Lạ").says("/baocao")


def test_the_reviewer_sees_every_club_that_invited_them(db, person):
    seed = lien_tri(db)
    model = model_club(db)
    model_club(db, name="CLB Không Mời", key="uninvited")
    with db.transaction() as s:
        reviewer = users.get_or_create(s, "console", "reviewer", "Hội NCT huyện Bình Sơn")
        for club_id in (seed, model):
            s.add(BoardSeat(club_id=club_id, user_id=reviewer.id, role=REVIEWER))
        submissions.mark_submitted(s, model, H1, users.get_or_create(s, "console", "chair-model", "x"))
    reviewer = person("reviewer", "Hội NCT huyện Bình Sơn")
    reviewer.send("/baocao 2025-H1")
    reviewer.send("Phạm Thị Duyên")
    replies = reviewer.send("1")[1:]  # after "Saved"
    text = replies[0].text
    assert "CLB thôn Liên Trì" in text and "CLB Không Mời" not in text
    assert "93" in text and money(4_015_000) in text
    assert text.split("\n")[-1].endswith("CLB thôn Liên Trì")  # the one not submitted
    by_club = reviewer.says("Từng CLB")
    assert "CLB Mẫu (" in by_club and "CLB thôn Liên Trì (" in by_club and "CLB Không Mời" not in by_club
    ws = load_workbook(io.BytesIO(replies[1].document.content)).active
    names = [row[1].value for row in ws.iter_rows() if isinstance(row[1].value, str)]
    assert any(n.startswith("CLB Mẫu (") for n in names) and not any("Không Mời" in n for n in names)
    assert "Phạm Thị Duyên" in [row[0].value for row in ws.iter_rows()]  # prepared by


# --- /baocao on Telegram -----------------------------------------------------------------------------------------


async def test_telegram_sends_the_xlsx_as_a_document_and_the_chart_as_a_photo(db, telegram):
    with db.transaction() as s:
        lien_tri(db)
    user = telegram(user_id=555, first_name="An", last_name="Nguyễn Văn")
    with db.transaction() as s:
        chair = users.get_or_create(s, "telegram", "555", "Nguyễn Văn An")
        club = s.exec(select(Club)).one()
        s.add(BoardSeat(club_id=club.id, user_id=chair.id, role="chair"))
    assert "Họ tên đầy đủ của bạn (để ghi người lập biểu)?" in await user.says("/baocao 2025-H1")
    assert "Nguyễn Văn An" in await user.says("Nguyễn Văn An")
    await user.says("1")
    documents = [c for c in telegram.api.calls if c.method == "sendDocument"]
    photos = [c for c in telegram.api.calls if c.method == "sendPhoto"]
    assert len(documents) == 1 and len(photos) == 1
    assert "Báo cáo 6 tháng đầu năm 2025" in documents[0].params["caption"]
    assert "Biểu đồ" in photos[0].params["caption"] and "6 tháng đầu năm 2025" in photos[0].params["caption"]
    texts = [c.params.get("text", "") for c in telegram.api.calls if c.method == "sendMessage"]
    assert any(money(35_075_000) in t for t in texts)


# --- the command line -------------------------------------------------------------------------------------------


def test_cli_report_in_text_json_and_xlsx(db, tmp_path):
    club_id = lien_tri(db)
    with db.transaction() as s:
        code = s.get(Club, club_id).code
    as_json = run_cli(db.url, "report", "--club", code, "--period", H1, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["club"]["code"] == code and data["members"]["elderly"] == 35
    assert data["funds"]["income"]["closing"] == LIEN_TRI_H1["income"]["closing"]
    assert data["indicators"] == LIEN_TRI_H1["indicators"]
    as_text = run_cli(db.url, "report", "--club", code.lower(), "--period", H1, "--format", "text")
    assert as_text.returncode == 0 and "CLB thôn Liên Trì" in as_text.stdout and "35.075.000" in as_text.stdout
    out = tmp_path / "r.xlsx"
    as_xlsx = run_cli(db.url, "report", "--club", code, "--period", H1, "--format", "xlsx", "--output", str(out))
    assert as_xlsx.returncode == 0 and out.read_bytes().startswith(b"PK")
    district = run_cli(db.url, "report", "--district", "Bình Sơn", "--period", H1, "--format", "json")
    assert json.loads(district.stdout)["totals"]["members"]["total"] == 43
    assert run_cli(db.url, "report", "--club", "NOPE99", "--period", H1).returncode == 1
    assert run_cli(db.url, "report", "--club", code, "--period", "2025-H7").returncode == 2


def test_cli_demo_then_report(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    made = run_cli(url, "demo")
    assert made.returncode == 0, made.stderr
    code = made.stdout.split("Mã CLB: ")[1].split()[0]
    again = run_cli(url, "demo")
    assert again.returncode == 1 and again.stderr
    # The sample club has a year of meetings up to today; the current half-year may have just begun.
    last_half = half_year_of(half_year_of(date.today()).start - timedelta(days=1))
    report = run_cli(url, "report", "--club", code, "--period", last_half.code, "--format", "json")
    data = json.loads(report.stdout)
    assert 45 <= data["members"]["total"] <= 50
    assert data["meetings"]["held"] >= 5 and data["loans"]["borrowers"] > 0
    assert data["funds"]["income"]["closing"] > 0 and data["funds"]["activity"]["closing"] > 0
    assert data["loans"]["overdue_amount"] > 0


# --- back and change, in /baocao ------------------------------------------------------------------------------


def test_the_chair_goes_back_from_the_name_question_to_the_period_and_changes_the_name_at_the_read_back(db, person):
    lien_tri(db)
    with db.transaction() as s:
        for seat in s.exec(select(BoardSeat)):
            seat.full_name = None  # nobody has signed a report yet
    chair = person("chair-lientri", "Nguyễn Văn An")
    chair.says("/baocao")
    assert "Họ tên đầy đủ" in chair.says("6 tháng đầu năm 2025")
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: 6 tháng đầu năm 2025" in again and again.count("6 tháng") >= 2
    assert "Họ tên đầy đủ" in chair.says("1")  # another period, by its number
    read_back = chair.says("Nguyen Van An")
    assert "Nguyen Van An" in read_back and "Sửa một câu trả lời" in read_back
    chair.says("Sửa một câu trả lời")
    chair.says("1")  # the full name, the one answer to change
    assert "Nguyễn Văn An" in chair.says("Nguyễn Văn An")
    chair.says("1")  # save the name: the report follows
    with db.transaction() as s:
        seat = s.exec(select(BoardSeat).join(User).where(User.display_name == "Nguyễn Văn An")).one()
    assert seat.full_name == "Nguyễn Văn An"
