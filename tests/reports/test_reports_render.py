"""What the reports say and how they look (issue 15): the club's and the district's report read back from the
chat text and cell by cell from the .xlsx, on SQLite and PostgreSQL; the period in words, "figures as of" a
running period, balances apart from the period's flows, the place typed once, "Đã nộp" on the local day, the
corrections of a submitted period, and the full name that signs the report, asked once in /baocao."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlmodel import select

import bot.console
from bot.report_xlsx import club_xlsx, district_xlsx
from handlers.i18n import money
from handlers.reports import texts
from storage import clubs, corrections, ledger, reports, submissions, users
from storage.models import ACTIVITY_FUND, MONTHLY_FEE, REVIEWER, BoardSeat, LedgerEntry, ReportSubmission
from storage.periods import period
from storage.report_model import ClubInfo, Members, ReportPeriod
from tests.report_support import H1, lien_tri, model_club

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def files_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(bot.console, "OUTPUT_DIR", tmp_path / "out")


def sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def club_tables(ws) -> dict[str, tuple[tuple, list[tuple]]]:
    """Each numbered section of the club's sheet: its header row and its rows, columns A to C."""
    found, rows = {}, list(ws.iter_rows(max_col=3))
    n = 0
    while n < len(rows):
        title = rows[n][0].value
        if isinstance(title, str) and re.match(r"^\d+\. ", title):
            header = tuple(c.value for c in rows[n + 1])
            body, n = [], n + 2
            while n < len(rows) and rows[n][0].value is not None:
                body.append(tuple(c.value for c in rows[n]))
                n += 1
            found[title] = (header, body)
        n += 1
    return found


def merged_over_b_and_c(ws, label: str) -> bool:
    """Whether every row with this label has its figure spanning columns B and C."""
    merged = {str(cells) for cells in ws.merged_cells.ranges}
    return all(f"B{r[0].row}:C{r[0].row}" in merged for r in ws.iter_rows(max_col=1) if r[0].value == label)


def lien_tri_report(db, code: str = H1, today: date | None = None, series: bool = False):
    club_id = lien_tri(db)
    with db.transaction() as s:
        return club_id, reports.club_report(s, club_id, period(code), today=today, series=series)


# --- the club's report ---------------------------------------------------------------------------------------


def test_the_club_xlsx_reads_back_cell_by_cell(any_db):
    _club_id, r = lien_tri_report(any_db)
    ws = sheet(club_xlsx(r, prepared_by="Trần Thị Bình", today=date(2025, 6, 2), zone=ZONE))
    assert ws["A4"].value == "BÁO CÁO 6 THÁNG ĐẦU NĂM 2025 (01/12/2024 – 31/05/2025)"
    assert [ws.cell(row, 1).value for row in range(5, 9)] == [
        "CLB thôn Liên Trì",
        "Thôn Liên Trì, xã Bình Hiệp, tỉnh Quảng Ngãi (trước đây thuộc huyện Bình Sơn)",
        "Quyết định thành lập: 58/QĐ-UBND",
        "Hạn nộp báo cáo: 05/06/2025",
    ]
    tables = club_tables(ws)
    shares = ("Nội dung", "Số liệu", "% thành viên")
    plain = ("Nội dung", "Số liệu", None)  # the figure spans the column a share would take
    assert tables["1. Thành viên đến ngày 31/05/2025"] == (
        shares,
        [
            ("Số thành viên", 43, None),
            ("Người cao tuổi (từ 60 tuổi trở lên)", 35, 81.4),
            ("Người thấp tuổi", 8, 18.6),
            ("Phụ nữ", 4, 9.3),
            ("Dân tộc thiểu số", 2, 4.7),
            ("Người khuyết tật", 1, 2.3),
            ("Hộ khá giả", 10, 23.3),
            ("Hộ nghèo", 0, 0),
            ("Hộ cận nghèo", 0, 0),
            ("Vào CLB trong kỳ", 1, None),
            ("Rời CLB trong kỳ", 1, None),
        ],
    )
    assert tables["2. Tổ chức đến ngày 31/05/2025"] == (
        plain,
        [
            ("Số thành viên Ban chủ nhiệm", 5, None),
            ("Số tổ", 8, None),
            ("Số tình nguyện viên chăm sóc tại nhà", 2, None),
        ],
    )
    assert tables["4. Số tiền huy động trong kỳ"] == (
        plain,
        [
            ("Tổng số tiền huy động trong kỳ", 20_200_000, None),
            ("trong đó: từ thành viên", 200_000, None),
            ("trong đó: từ ngoài CLB", 20_000_000, None),
        ],
    )
    assert tables["5. Quỹ tăng thu nhập: số dư và thu chi trong kỳ"] == (
        plain,
        [
            ("Số dư đầu kỳ", 14_000_000, None),
            ("Thu trong kỳ: ủng hộ", 20_000_000, None),
            ("trong đó: từ ngoài CLB", 20_000_000, None),
            ("Chi cho vay trong kỳ", 3_000_000, None),
            ("Thu nợ trong kỳ", 4_075_000, None),
            ("trong đó: phí, lãi", 75_000, None),
            ("Số dư cuối kỳ", 35_075_000, None),
        ],
    )
    assert tables["6. Quỹ hoạt động: số dư và thu chi trong kỳ"] == (
        plain,
        [
            ("Số dư đầu kỳ", 1_000_000, None),
            ("Thu trong kỳ: hội phí", 200_000, None),
            ("Chi trong kỳ", 150_000, None),
            ("Số dư cuối kỳ", 1_050_000, None),
        ],
    )
    assert tables["7. Cho vay và thu nợ trong kỳ"] == (
        plain,
        [("Số khoản cho vay", 1, None), ("Số tiền cho vay", 3_000_000, None), ("Tiền gốc đã thu", 4_000_000, None)],
    )
    assert tables["8. Dư nợ cho vay đến ngày 31/05/2025"] == (
        shares,
        [
            ("Dư nợ đầu kỳ", 6_500_000, None),
            ("Dư nợ", 5_500_000, None),
            ("Số thành viên đang có dư nợ", 2, None),
            ("Số thành viên đã từng vay", 3, 7),
            ("Số khoản vay có nợ quá hạn", 2, None),
            ("Số tiền nợ quá hạn", 4_015_000, None),
            ("Dư nợ của các khoản quá hạn trên 30 ngày", 4_000_000, None),
            ("Tỷ lệ dư nợ quá hạn trên 30 ngày (PAR30)", 72.7, None),
        ],
    )
    assert "10. Điều chỉnh cho các kỳ đã nộp báo cáo" not in tables  # nothing corrected
    assert merged_over_b_and_c(ws, "Số dư cuối kỳ") and not merged_over_b_and_c(ws, "Phụ nữ")
    assert "2025-H1" not in " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_the_chat_text_names_the_period_and_says_which_lines_are_balances(any_db):
    _club_id, r = lien_tri_report(any_db)
    lines = texts.report_text(r, ZONE).splitlines()
    assert lines[:5] == [
        "BÁO CÁO 6 THÁNG ĐẦU NĂM 2025 (01/12/2024 – 31/05/2025)",
        "CLB thôn Liên Trì",
        "Thôn Liên Trì, xã Bình Hiệp, tỉnh Quảng Ngãi (trước đây thuộc huyện Bình Sơn)",
        "Thành lập theo Quyết định số 58/QĐ-UBND ngày 08/04/2019",
        "Hạn nộp báo cáo: 05/06/2025",
    ]
    assert f"• Số dư đầu kỳ: {money(14_000_000)}" in lines
    assert f"• Số dư cuối kỳ: {money(35_075_000)}" in lines
    assert f"• Tổng số tiền huy động trong kỳ: {money(20_200_000)}" in lines
    assert f"• trong đó: từ thành viên: {money(200_000)}" in lines
    assert "2025-H1" not in "\n".join(lines)


def test_a_running_period_says_its_figures_are_as_of_today(any_db):
    """Asked on 10/08/2025, the half-year 2025-H2 (June to November) has figures as of that day."""
    _club_id, r = lien_tri_report(any_db, "2025-H2", today=date(2025, 8, 10), series=True)
    text = texts.report_text(r, ZONE)
    assert "Hạn nộp báo cáo: 05/12/2025; số liệu đến ngày 10/08/2025" in text.splitlines()
    assert f"• Số dư đến ngày 10/08/2025: {money(35_075_000)}" in text.splitlines()
    assert "8. Dư nợ cho vay đến ngày 10/08/2025" in text
    ws = sheet(club_xlsx(r, prepared_by="", today=date(2025, 8, 10), zone=ZONE))
    assert ws["A4"].value == "BÁO CÁO 6 THÁNG CUỐI NĂM 2025 (01/06/2025 – 30/11/2025)"
    assert "Hạn nộp báo cáo: 05/12/2025; số liệu đến ngày 10/08/2025" in [ws.cell(n, 1).value for n in range(5, 10)]
    assert texts.chart_caption(r) == (
        "Biểu đồ: quỹ, cho vay và thành viên, 6 tháng cuối năm 2025 (số liệu đến ngày 10/08/2025)"
    )


def report_period(code: str, as_of: date | None = None) -> ReportPeriod:
    p = period(code)
    day = as_of or p.end
    return ReportPeriod(code=p.code, start=p.start, end=p.end, due=p.due, as_of=day, running=day < p.end)


def test_an_ended_period_does_not_say_as_of():
    assert texts.as_of_note(report_period(H1)) is None


def place(village: str, commune: str, district: str, province: str) -> ClubInfo:
    return ClubInfo("C1", "CLB", village, commune, district, province, founding_decision=None, founded_on=None)


def test_the_place_is_printed_once_whatever_the_chair_typed():
    typed = place("Thôn 1", "xã Tịnh Ấn Tây", "HUYỆN Sơn Tịnh", "Tinh Quang Ngai")  # without marks: compared so
    assert texts.place_line(typed) == "thôn 1, xã Tịnh Ấn Tây, tỉnh Quang Ngai (trước đây thuộc huyện Sơn Tịnh)"
    bare = place("Liên Trì", "Tịnh Ấn Tây", "Sơn Tịnh", "Quảng Ngãi")
    assert texts.place_line(bare) == "thôn Liên Trì, xã Tịnh Ấn Tây, tỉnh Quảng Ngãi (trước đây thuộc huyện Sơn Tịnh)"
    # A ward or a city typed as such keeps its own label.
    town = place("", "Phường Trần Phú", "thành phố Quảng Ngãi", "Quảng Ngãi")
    assert texts.place_line(town) == "phường Trần Phú, tỉnh Quảng Ngãi (trước đây thuộc thành phố Quảng Ngãi)"
    # Names that only look like a label without their marks are names: xã Xà Bang, huyện Quan Hóa.
    names = place("", "Xà Bang", "Quan Hóa", "Thanh Hóa")
    assert texts.place_line(names) == "xã Xà Bang, tỉnh Thanh Hóa (trước đây thuộc huyện Quan Hóa)"
    # The 2025 map's official names, kind and all, and no former district: printed once each.
    official = place("Liên Trì", "Xã Bình Sơn", "", "Quảng Ngãi")
    assert texts.place_line(official) == "thôn Liên Trì, xã Bình Sơn, tỉnh Quảng Ngãi"
    city = place("Tổ dân phố 3", "Phường Hải Châu", "", "Thành phố Đà Nẵng")
    assert texts.place_line(city) == "tổ dân phố 3, phường Hải Châu, thành phố Đà Nẵng"
    assert texts.place_line(place("", "Đặc khu Lý Sơn", "", "Quảng Ngãi")) == "đặc khu Lý Sơn, tỉnh Quảng Ngãi"


def test_the_periods_in_words():
    assert texts.report_title(report_period("2027-H1")) == "Báo cáo 6 tháng đầu năm 2027 (01/12/2026 – 31/05/2027)"
    assert texts.period_name("2026") == "năm 2026" and texts.period_name("2026-H2") == "6 tháng cuối năm 2026"
    assert texts.period_label(period("2026"), date(2026, 12, 6)) == "Năm 2026: 01/12/2025 – 30/11/2026"
    assert (
        texts.period_label(period("2027-H1"), date(2026, 12, 6))
        == "6 tháng đầu năm 2027: 01/12/2026 – 31/05/2027 (kỳ hiện tại)"
    )


# --- "Đã nộp" on the local day --------------------------------------------------------------------------------


def mark_at(db, club_id: int, code: str, at_utc: datetime) -> None:
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-lientri", "Nguyễn Văn An")
        record = submissions.mark_submitted(s, club_id, code, chair)
        record.submitted_at = at_utc
        s.add(record)


def test_marked_at_0110_local_the_report_reads_the_local_day(any_db):
    club_id = lien_tri(any_db)
    # 01:10 on 06/12/2026 in Viet Nam is 18:10 on 05/12/2026 in UTC.
    mark_at(any_db, club_id, H1, datetime(2026, 12, 5, 18, 10, tzinfo=UTC))
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1))
    assert "Đã nộp ngày 06/12/2026, do Nguyễn Văn An ghi nhận." in texts.report_text(r, ZONE).splitlines()
    ws = sheet(club_xlsx(r, prepared_by="", today=date(2026, 12, 6), zone=ZONE))
    cells = [c.value for row in ws.iter_rows(max_col=1) for c in row]
    assert "Đã nộp ngày 06/12/2026, do Nguyễn Văn An ghi nhận." in cells
    assert not any("05/12/2026" in str(value) for value in cells)


def test_the_chair_sees_the_local_day_of_the_mark_in_baocao(db, person):
    club_id = lien_tri(db)
    mark_at(db, club_id, H1, datetime(2026, 12, 5, 18, 10, tzinfo=UTC))
    replies = person("chair-lientri", "Nguyễn Văn An").send("/baocao 2025-H1")
    assert "Đã nộp ngày 06/12/2026" in replies[0].text and "05/12/2026" not in replies[0].text


# --- the full name that signs the report ----------------------------------------------------------------------


def forget_full_name(db, club_id: int) -> None:
    with db.transaction() as s:
        for seat in s.exec(select(BoardSeat).where(BoardSeat.club_id == club_id)):
            seat.full_name = None
            s.add(seat)


def test_baocao_asks_the_full_name_once_and_signs_the_report_with_it(db, person):
    club_id = lien_tri(db)
    forget_full_name(db, club_id)
    chair = person("chair-lientri", "An")  # the chat shows a short name only
    assert "Họ tên đầy đủ của bạn (để ghi người lập biểu)?" in chair.says("/baocao 2025-H1")
    refused = chair.says("An 123")
    assert "Hãy gõ họ tên đầy đủ bằng chữ, từ 2 đến 100 ký tự" in refused
    assert "Họ tên đầy đủ của bạn" in refused  # asked again
    with db.transaction() as s:
        assert clubs.signing_name(s, club_id, users.get_or_create(s, "console", "chair-lientri", "An").id) is None
    read_back = chair.says("trần   thị bình")
    assert "Người lập biểu: trần thị bình." in read_back
    replies = chair.send("1")
    assert replies[0].text == "Đã lưu: người lập biểu trên báo cáo là trần thị bình."
    assert replies[1].text.startswith("BÁO CÁO 6 THÁNG ĐẦU NĂM 2025")
    ws = sheet(replies[2].document.content)
    assert "trần thị bình" in [row[0].value for row in ws.iter_rows()]  # under "NGƯỜI LẬP BIỂU"
    with db.transaction() as s:
        chair_id = users.get_or_create(s, "console", "chair-lientri", "An").id
        assert clubs.signing_name(s, club_id, chair_id) == "trần thị bình"
    # Asked again, the report comes at once; the "Đã nộp" read-back names the same person.
    replies = chair.send("/baocao 2025-H1")
    assert replies[0].text.startswith("BÁO CÁO 6 THÁNG ĐẦU NĂM 2025")
    assert "do trần thị bình nộp" in chair.says("Ghi nhận đã nộp")  # after the parts of the report
    chair.says("1")
    text = chair.send("/baocao 2025-H1")[0].text
    assert "do trần thị bình ghi nhận." in text.splitlines()[-1]  # not the chat name "An"


def test_cancelling_the_full_name_saves_nothing(db, person):
    club_id = lien_tri(db)
    forget_full_name(db, club_id)
    chair = person("chair-lientri", "An")
    chair.says("/baocao 2025-H1")
    chair.says("Trần Thị Bình")
    assert "Đã hủy" in chair.says("2")
    with db.transaction() as s:
        chair_id = users.get_or_create(s, "console", "chair-lientri", "An").id
        assert clubs.signing_name(s, club_id, chair_id) is None


def test_the_signing_name_is_kept_on_the_seat(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        vice = users.get_or_create(s, "console", "lientri-board-0", "Ủy Viên 0")
        assert clubs.signing_name(s, club_id, vice.id) is None
        clubs.set_signing_name(s, clubs.seat(s, club_id, vice.id), "Lê Văn Phó", vice)
    with any_db.transaction() as s:
        assert clubs.signing_name(s, club_id, vice.id) == "Lê Văn Phó"


# --- corrections of a submitted period --------------------------------------------------------------------------


def test_the_report_json_names_who_marked_it_submitted_by_the_full_name_on_their_seat(any_db):
    club_id = lien_tri(any_db)
    with any_db.transaction() as s:
        vice = users.get_or_create(s, "console", "lientri-board-0", "Ủy Viên 0")
        clubs.set_signing_name(s, clubs.seat(s, club_id, vice.id), "Lê Văn Phó", vice)
        submissions.mark_submitted(s, club_id, H1, vice)
    with any_db.transaction() as s:
        r = reports.club_report(s, club_id, period(H1))
    assert r.submission.by == "Lê Văn Phó"  # what `python -m bot report --format json` prints
    assert "do Lê Văn Phó ghi nhận" in texts.submitted_line(r, ZONE)


def test_the_report_lists_the_corrections_of_a_submitted_period(any_db):
    club_id = lien_tri(any_db)
    mark_at(any_db, club_id, H1, datetime(2025, 6, 3, 2, 0, tzinfo=UTC))
    with any_db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-lientri", "Nguyễn Văn An")
        fee = s.exec(
            select(LedgerEntry).where(
                LedgerEntry.club_id == club_id,
                LedgerEntry.kind == MONTHLY_FEE,
                LedgerEntry.entry_date == date(2025, 1, 15),
            )
        ).first()
        reversal = corrections.reverse(s, club_id, fee.id, reason="ghi nhầm", by=chair, today=date(2025, 7, 10))
        ledger.contribute(
            s,
            club_id,
            fund=ACTIVITY_FUND,
            kind=MONTHLY_FEE,
            amount=20_000,
            on=date(2025, 7, 10),
            by=chair,
            today=date(2025, 7, 10),
            member_id=fee.member_id,
        )
        r = reports.club_report(s, club_id, period("2025-H2"), today=date(2025, 12, 6))
    line = (
        f"• Điều chỉnh cho kỳ đã nộp 6 tháng đầu năm 2025: hoàn tác khoản #{fee.id} ngày 15/01/2025 "
        f"(quỹ hoạt động, hội phí), ghi ngày 10/07/2025: {money(-20_000)}"
    )
    text = texts.report_text(r, ZONE)
    assert "10. Điều chỉnh cho các kỳ đã nộp báo cáo" in text and line in text.splitlines()
    tables = club_tables(sheet(club_xlsx(r, prepared_by="", today=date(2025, 12, 6), zone=ZONE)))
    assert tables["10. Điều chỉnh cho các kỳ đã nộp báo cáo"][1] == [(line[2:].rsplit(": ", 1)[0], -20_000, None)]
    assert reversal.reverses_entry_id == fee.id


# --- the district ---------------------------------------------------------------------------------------------


def district(db):
    lien_tri(db)
    model_club(db)
    with db.transaction() as s:
        return reports.district_report(s, period(H1), district="Bình Sơn")


def test_the_district_text_has_money_by_source_groups_loans_and_areas(any_db):
    lines = texts.district_text(district(any_db)).splitlines()
    assert lines[:3] == [
        "BÁO CÁO TỔNG HỢP 6 THÁNG ĐẦU NĂM 2025 (01/12/2024 – 31/05/2025)",
        "Bình Sơn",
        "Hạn nộp báo cáo: 05/06/2025",
    ]
    assert "Thành viên đến ngày 31/05/2025: 93." in lines
    for group in (
        "• Người thấp tuổi: 25 (26,9 %)",
        "• Dân tộc thiểu số: 2 (2,2 %)",
        "• Người khuyết tật: 1 (1,1 %)",
        "• Hộ khá giả: 10 (10,8 %)",
        "• Hộ nghèo: 5 (5,4 %)",
        "• Hộ cận nghèo: 0 (0 %)",
    ):
        assert group in lines
    assert (
        f"Số tiền huy động trong kỳ: {money(120_700_000)}; từ thành viên {money(100_700_000)}, "
        f"từ bên ngoài {money(20_000_000)}."
    ) in lines
    assert (
        f"Cho vay đến ngày 31/05/2025: 27 thành viên còn nợ {money(80_500_000)}; 2 khoản vay quá hạn, "
        f"{money(4_015_000)}; quá hạn trên 30 ngày {money(4_000_000)} (PAR30 5 %)."
    ) in lines
    assert "• Tự giúp nhau và hỗ trợ cộng đồng: 1/2" in lines and "• Tăng thu nhập: 2/2" in lines
    liên_trì = [line for line in lines if line.startswith("• CLB thôn Liên Trì")]
    assert f"huy động {money(20_200_000)} (từ thành viên {money(200_000)})" in liên_trì[0]
    assert f"quá hạn {money(4_015_000)} (2 khoản), PAR30 72,7 %" in liên_trì[0]


def test_the_district_xlsx_reads_back_cell_by_cell(any_db):
    ws = sheet(district_xlsx(district(any_db), prepared_by="Phạm Thị Duyên", today=date(2025, 6, 6)))
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(max_col=19)]
    assert rows[3][0] == "BÁO CÁO TỔNG HỢP 6 THÁNG ĐẦU NĂM 2025 (01/12/2024 – 31/05/2025)"

    def table(title: str) -> list[tuple]:
        start = [n for n, row in enumerate(rows) if row[0] == title][0]
        end = [n for n in range(start, len(rows)) if rows[n][1] == "Tổng cộng"][0]
        return rows[start + 1 : end + 1]

    members = table("Thành viên đến ngày 31/05/2025")
    assert members[0][:6] == (
        "STT",
        "Câu lạc bộ",
        "Số thành viên",
        "Người cao tuổi (từ 60 tuổi trở lên)",
        None,
        "Người thấp tuổi",
    )
    assert members[1][2:6] == (None, "Số", "%", "Số")
    assert members[3][2:] == (43, 35, 81.4, 8, 18.6, 4, 9.3, 2, 4.7, 1, 2.3, 10, 23.3, 0, 0, 0, 0)
    assert members[4][1:] == ("Tổng cộng", 93, 68, 73.1, 25, 26.9, 36, 38.7, 2, 2.2, 1, 1.1, 10, 10.8, 5, 5.4, 0, 0)
    money_table = table("Số tiền huy động trong kỳ và số dư các quỹ đến ngày 31/05/2025")
    assert money_table[0][2:12:2] == (
        "Huy động trong kỳ",
        "trong đó: từ thành viên",
        "trong đó: từ bên ngoài",
        "Số dư quỹ tăng thu nhập",
        "Số dư quỹ hoạt động",
    )
    assert money_table[-1][2:12:2] == (120_700_000, 100_700_000, 20_000_000, 60_075_000, 1_550_000)
    loans = table("Dư nợ cho vay đến ngày 31/05/2025")
    assert loans[-2][1].startswith("CLB thôn Liên Trì")
    assert [v for v in loans[-2][2:] if v is not None] == [2, 5_500_000, 2, 4_015_000, 4_000_000, 72.7]
    assert [v for v in loans[-1][2:] if v is not None] == [27, 80_500_000, 2, 4_015_000, 4_000_000, 5]
    areas = table("Sinh hoạt và các mảng hoạt động trong kỳ (số CLB thực hiện từng mảng)")
    assert areas[0][4] == "Tăng thu nhập"
    # The totals row is filled: meetings, areas carried out by some club, clubs per area, targets, submitted.
    assert areas[-1][1:16] == ("Tổng cộng", 7, 8, 2, 2, 2, 1, 1, 1, 2, 1, "9/14", "0/2", None, None)
    assert "Phạm Thị Duyên" in [row[0] for row in rows]


def test_the_reviewer_is_asked_the_full_name_once_for_the_combined_report(db, person):
    seed = lien_tri(db)
    with db.transaction() as s:
        reviewer = users.get_or_create(s, "console", "reviewer", "Hội NCT")
        s.add(BoardSeat(club_id=seed, user_id=reviewer.id, role=REVIEWER))
    district_person = person("reviewer", "Hội NCT")
    assert "Họ tên đầy đủ" in district_person.says("/baocao 2025-H1")
    district_person.says("Phạm Thị Duyên")
    assert "BÁO CÁO TỔNG HỢP" in district_person.says("1")
    assert district_person.send("/baocao 2025-H1")[0].text.startswith("BÁO CÁO TỔNG HỢP")
    with db.transaction() as s:
        assert s.exec(select(ReportSubmission)).first() is None


def test_members_of_unknown_age_have_their_own_line_only_when_there_are_some():
    members = Members(
        total=10,
        elderly=6,
        young=3,
        unknown_age=1,
        women=6,
        poor=0,
        near_poor=0,
        better_off=0,
        ethnic_minority=0,
        disabled=0,
        elderly_better_off=0,
        joined=0,
        left=0,
        percent={
            "elderly": 60.0,
            "young": 30.0,
            "unknown_age": 10.0,
            "women": 60.0,
            "poor": 0,
            "near_poor": 0,
            "better_off": 0,
            "ethnic_minority": 0,
            "disabled": 0,
        },
    )
    labels = [(row.label, row.value, row.share) for row in texts.member_rows(members)]
    assert labels[1:4] == [
        ("Người cao tuổi (từ 60 tuổi trở lên)", 6, 60.0),
        ("Người thấp tuổi", 3, 30.0),
        ("Chưa rõ tuổi", 1, 10.0),
    ]
    assert "Chưa rõ tuổi" not in [row.label for row in texts.member_rows(replace(members, unknown_age=0))]


def test_the_console_saves_the_chart_as_a_file(db, person):
    lien_tri(db)
    shown = person("chair-lientri", "Nguyễn Văn An").says("/baocao 2025-H1")
    assert re.search(r"bieudo-\w+-2025-H1\.png", shown) and re.search(r"baocao-\w+-2025-H1\.xlsx", shown)
