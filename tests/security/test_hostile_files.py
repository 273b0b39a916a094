"""Files and text that attack whoever reads them: spreadsheet formulas and control characters in people's text,
and member sheets built to exhaust the bot. Every xlsx the bot writes is read back as its XML."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlmodel import select

import bot.console
import handlers.members.upload
from bot.__main__ import main
from bot.config import Settings
from bot.renderers import render
from bot.report_xlsx import club_xlsx, district_xlsx
from handlers.core import Document
from handlers.dispatcher import Dispatcher
from handlers.members.xlsx import rows_as_lines
from handlers.registry import COMMANDS
from storage import ledger, members, reports, users
from storage.members import NewMember
from storage.models import (
    ACTIVITY_FUND,
    EXPENSE,
    MALE,
    MONTHLY_FEE,
    REVIEWER,
    BoardSeat,
    Club,
    LedgerEntry,
    Member,
    User,
)
from storage.periods import period
from tests.conftest import REGISTRATION, Clock, ConsolePerson
from tests.fakes import xlsx_bytes
from tests.money_support import add_members
from tests.report_support import H1, TODAY, _club

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Text that a spreadsheet would run, one for each way a formula can start, some behind a control character
# (stored before text was cleaned where it enters).
FORMULAS = [
    '=HYPERLINK("http://evil.example","Bấm vào đây")',
    "+1+2",
    "-3+4",
    "@SUM(A1)",
    "\t=5+6",
    "\r=7+8",
    "\x07=9+9",
    "\x1b[31m=cmd|' /C calc'!A0",
]


def live_formulas(content: bytes) -> list[str]:
    """Every formula element in every sheet of the file."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return [
            formula
            for name in book.namelist()
            if name.startswith("xl/worksheets/")
            for formula in re.findall(r"<f>(.*?)</f>", book.read(name).decode())
        ]


def text_cells(content: bytes) -> list:
    """Every cell holding text, as openpyxl reads the file back."""
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def assert_only_text(content: bytes, expected: set[str]) -> None:
    """The texts are there, no formula is anywhere, and every text that starts like one is a string cell with the
    quote prefix (what a leading apostrophe typed in Excel gives)."""
    assert live_formulas(content) == []
    cells = text_cells(content)
    assert expected <= {cell.value for cell in cells}
    for cell in cells:
        if cell.value.lstrip().startswith(("=", "+", "-", "@")):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


def hostile_clubs(db) -> dict[str, int]:
    """A club named with each formula, in one district; the first has a member and an expense named the same way."""
    with db.transaction() as s:
        ids = {name: _club(s, name, district="Bình Sơn", key=f"hostile{n}") for n, name in enumerate(FORMULAS)}
        first, chair = ids[FORMULAS[0]]
        member = members.add(s, first, NewMember("=1+1", 1950, MALE, joined_on=date(2019, 4, 8)), chair, TODAY)
        ledger.contribute(
            s,
            first,
            fund=ACTIVITY_FUND,
            kind=MONTHLY_FEE,
            amount=20_000,
            on=TODAY,
            by=chair,
            member_id=member.id,
            today=TODAY,
        )
        ledger.spend(
            s, first, amount=10_000, purpose='\x1b[31m=HYPERLINK("http://x")\x1b[0m', on=TODAY, by=chair, today=TODAY
        )
    return {name: club_id for name, (club_id, _chair) in ids.items()}


def cleaned(text: str) -> str:
    """What a writer keeps of text stored with control characters."""
    return text.replace("\t", " ").replace("\r", "\n").replace("\x07", "").replace("\x1b", "")


def test_a_club_named_like_a_formula_is_text_in_its_report_xlsx(any_db):
    ids = hostile_clubs(any_db)
    for name, club_id in ids.items():
        with any_db.reading() as s:
            r = reports.club_report(s, club_id, period(H1), today=TODAY)
        content = club_xlsx(r, prepared_by="=SUM(1,2)", today=TODAY, zone=ZONE)
        assert_only_text(content, {cleaned(name), "=SUM(1,2)"})


def test_clubs_named_like_formulas_are_text_in_the_combined_report(any_db):
    hostile_clubs(any_db)
    with any_db.reading() as s:
        d = reports.district_report(s, period(H1), district="Bình Sơn", today=TODAY)
    content = district_xlsx(d, prepared_by="@Duyên", today=TODAY)
    assert_only_text(content, {"@Duyên"})
    assert any(cell.value.startswith(FORMULAS[0]) for cell in text_cells(content))


def test_the_command_line_reports_and_export_write_formulas_as_text(any_db, monkeypatch, tmp_path):
    ids = hostile_clubs(any_db)
    with any_db.reading() as s:
        code = s.get(Club, ids[FORMULAS[0]]).code
    monkeypatch.setenv("DATABASE_URL", any_db.url)
    runs = {
        "club.xlsx": ["report", "--club", code, "--period", H1, "--format", "xlsx", "--prepared-by", "-1"],
        "district.xlsx": ["report", "--district", "Bình Sơn", "--period", H1, "--format", "xlsx"],
        "export.xlsx": ["export", "--club", code, "--format", "xlsx"],
    }
    for file, args in runs.items():
        assert main([*args, "--output", str(tmp_path / file)]) == 0, file
        content = (tmp_path / file).read_bytes()
        assert_only_text(content, set())
        assert any(cell.value.startswith(FORMULAS[0]) for cell in text_cells(content)), file
    exported = load_workbook(tmp_path / "export.xlsx")
    assert '[31m=HYPERLINK("http://x")[0m' in column(exported["ledgerentry"], "note")  # the escape character gone
    assert "=1+1" in column(exported["member"], "full_name")


def column(sheet, name: str) -> list:
    header = [cell.value for cell in sheet[1]]
    return [row[header.index(name)] for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- text cleaned where it enters ------------------------------------------------------------------------------


@pytest.fixture
def chat(any_db, tmp_path, monkeypatch):
    """People at the console of a bot on SQLite and on PostgreSQL."""
    monkeypatch.setattr(bot.console, "OUTPUT_DIR", tmp_path / "out")
    dispatcher = Dispatcher(
        any_db, Settings(database_url=any_db.url, telegram_token="123:TEST"), COMMANDS, clock=Clock(), render=render
    )
    return lambda user_id, name: ConsolePerson(dispatcher, user_id, name)


def files(replies) -> list[bytes]:
    return [reply.document.content for reply in replies if reply.document is not None]


def test_a_bell_in_a_club_name_and_an_ansi_escape_in_a_purpose_leave_every_xlsx_whole(
    any_db, chat, monkeypatch, tmp_path
):
    chair = chat("1", "Nguyễn Văn An\x1b[0m")
    registration = list(REGISTRATION)
    registration[1] = "CLB\x07 Liên Trì\x1b[5m"
    code = chair.says_all(*registration).split("Mã CLB: ")[1].split()[0]
    add_members(any_db)
    chair.says_all("/donggop Lê Thị Hoa 300k", "2", "2", "1", "2")  # to the activity fund, a monthly fee
    chair.says_all("/chi 100k \x1b[31mvăn nghệ\x1b[0m", "1")
    with any_db.reading() as s:
        club = s.exec(select(Club)).one()
        expense = s.exec(select(LedgerEntry).where(LedgerEntry.kind == EXPENSE)).one()
        assert (club.name, expense.note) == ("CLB Liên Trì[5m", "[31mvăn nghệ[0m")
        assert s.get(User, club.created_by).display_name == "Nguyễn Văn An[0m"
    with any_db.transaction() as s:
        reviewer = users.get_or_create(s, "console", "reviewer", "Hội NCT huyện Bình Sơn")
        s.add(BoardSeat(club_id=club.id, user_id=reviewer.id, role=REVIEWER))
    club_report = files(chair.send("/baocao 2026-H2") + chair.send("Nguyễn Văn An") + chair.send("1"))
    combined = files(
        chat("reviewer", "Hội NCT").send("/baocao 2026-H2")
        + chat("reviewer", "Hội NCT").send("Phạm Thị Duyên")
        + chat("reviewer", "Hội NCT").send("1")
    )
    monkeypatch.setenv("DATABASE_URL", any_db.url)
    assert main(["export", "--club", code, "--format", "xlsx", "--output", str(tmp_path / "export.xlsx")]) == 0
    for content in (*club_report, *combined, (tmp_path / "export.xlsx").read_bytes()):
        assert any("CLB Liên Trì[5m" in cell.value for cell in text_cells(content))
    assert len(club_report) == len(combined) == 1


def test_control_characters_in_a_member_sheet_are_cleaned_as_it_is_read(chat, any_db):
    chair = chat("1", "Nguyễn Văn An")
    chair.says_all(*REGISTRATION, "/thanhvien", "3")  # send an Excel file
    # XML allows a tab, DEL and the C1 controls (here CSI, the 8-bit start of an ANSI escape) as references.
    sheet = xlsx_sheet_with("Nguyễn&#9;Thị Lan&#x9B;&#x7F;")
    replies = chair.send(
        document=Document("thanhvien.xlsx", rezipped(xlsx_bytes(MEMBERS), xl__worksheets__sheet1_xml=sheet))
    )
    assert "Sẽ thêm 1 người" in replies[0].text
    chair.says("1")
    with any_db.reading() as s:
        assert s.exec(select(Member.full_name)).one() == "Nguyễn Thị Lan"


def test_a_nul_byte_in_any_text_does_not_crash_an_update(chat, any_db):
    stranger = chat("\x00", "Người\x00 Lạ")
    assert "/start" in stranger.says("xin chào\x00")
    assert "/start" in stranger.says("/trogiup\x00")
    chair = chat("1", "Nguyễn Văn An\x00")
    registration = [text + "\x00" for text in REGISTRATION]
    assert "Mã CLB: " in chair.says_all(*registration)
    with any_db.reading() as s:
        assert s.exec(select(Club.name)).one() == "CLB Liên thế hệ tự giúp nhau thôn Liên Trì"


# --- member sheets built to hurt --------------------------------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"
MEMBERS = [["Họ tên", "Năm sinh", "Giới tính"], ["Nguyễn Thị Lan", 1952, "nữ"]]


def rezipped(content: bytes, **parts: bytes | None) -> bytes:
    """The same .xlsx with some parts replaced (by path, '/' written '__', '.' written '_'), added or removed."""
    changes = {name.replace("__", "/").replace("_xml", ".xml"): data for name, data in parts.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            if changes.get(name, old.read(name)) is not None:
                new.writestr(name, changes.get(name, old.read(name)))
        for name, data in changes.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)
    return out.getvalue()


def shared_strings_bomb() -> bytes:
    """A file of a few dozen KB whose shared strings, declared in its content types, unpack to 20 MB."""
    text = "<si><t>" + "A" * 1000 + "</t></si>"
    strings = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{text * 20_000}</sst>'
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(MEMBERS))) as book:
        types = book.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sharedStrings+xml"/></Types>',
        )
    return rezipped(xlsx_bytes(MEMBERS), xl__sharedStrings_xml=strings.encode(), **{"[Content_Types]_xml": types})


def no_sheet() -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(MEMBERS))) as book:
        workbook = book.read("xl/workbook.xml").decode()
    return rezipped(
        xlsx_bytes(MEMBERS), xl__workbook_xml=re.sub(r"<sheets>.*</sheets>", "<sheets/>", workbook).encode()
    )


def xlsx_sheet_with(name: str) -> bytes:
    """The sheet of MEMBERS with the member's name written as given, in the XML."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(MEMBERS))) as book:
        return book.read(SHEET).replace("Nguyễn Thị Lan".encode(), name.encode())


BROKEN_FILES = {
    "a photo": (b"\xff\xd8\xff not a sheet", "không đọc được tệp này"),
    "a sheet that is not XML": (
        rezipped(xlsx_bytes(MEMBERS), xl__worksheets__sheet1_xml=b"<row><c>not xml"),
        "không đọc được tệp này",
    ),
    "a NUL in a cell": (
        rezipped(xlsx_bytes(MEMBERS), xl__worksheets__sheet1_xml=xlsx_sheet_with("Lan&#0;")),
        "không đọc được tệp này",
    ),
    "an empty styles part": (rezipped(xlsx_bytes(MEMBERS), xl__styles_xml=b""), "không đọc được tệp này"),
    "a workbook with no sheet": (no_sheet(), "không có trang tính nào"),
    "a zip bomb of shared strings": (shared_strings_bomb(), "quá lớn"),
    "a file of 2 MB, not downloaded": (b"PK" + bytes(2_000_000), "quá lớn"),
    "600 rows": (xlsx_bytes([["Người Số", 1950 + n % 30, "nam"] for n in range(600)]), "hơn 500 dòng"),
    "12,000 filled cells": (xlsx_bytes([[f"Ô {n}"] * 30 for n in range(400)]), "hơn 500 dòng"),
}


async def test_every_broken_sheet_is_answered_with_one_sentence_and_others_are_still_served(telegram, db):
    chair, neighbour = telegram(), telegram(202, "Bình", "Trần Văn")
    for text in REGISTRATION:
        await chair.says(text)
    for attack, (content, sentence) in BROKEN_FILES.items():
        await chair.says("/thanhvien")
        await chair.presses("Gửi tệp Excel")
        reply = await chair.sends_document("thanhvien.xlsx", content)
        first_line = reply.split("\n")[0]
        assert sentence in first_line.lower() and first_line.count(". ") == 0, attack
        assert "/start" in await neighbour.says("/trogiup"), attack  # someone else, answered as ever
        assert members_in(db) == [], attack
        await chair.says("/huy")


async def test_a_sheet_is_read_in_a_worker_thread_not_on_the_event_loop(telegram, db, monkeypatch):
    read_on = []

    def reading(content: bytes) -> str:
        read_on.append(threading.current_thread())
        return rows_as_lines(content)

    monkeypatch.setattr(handlers.members.upload, "rows_as_lines", reading)
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    await chair.presses("Gửi tệp Excel")
    assert "Sẽ thêm 1 người" in await chair.sends_document("thanhvien.xlsx", xlsx_bytes(MEMBERS))
    assert read_on and threading.main_thread() not in read_on  # the event loop runs in the main thread


async def test_a_sheet_without_its_styles_part_is_read_with_default_styles(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    await chair.presses("Gửi tệp Excel")
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(MEMBERS))) as book:
        styled = book.read(SHEET).replace(b'<c r="B2"', b'<c r="B2" s="7"')  # a style the file does not have
    reply = await chair.sends_document(
        "thanhvien.xlsx", rezipped(xlsx_bytes(MEMBERS), xl__styles_xml=None, xl__worksheets__sheet1_xml=styled)
    )
    assert "Sẽ thêm 1 người" in reply and "Nguyễn Thị Lan" in reply


def members_in(db) -> list:
    with db.transaction() as s:
        return list(s.exec(select(Member)))
