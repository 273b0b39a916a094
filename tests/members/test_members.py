"""The board keeps the member list: one by one, pasted, from Excel; paged, searched, edited, marked as left."""

from __future__ import annotations

from sqlmodel import select

from storage.models import AuditEvent, Member
from tests.conftest import REGISTRATION, register_club
from tests.fakes import xlsx_bytes

THREE = (
    "Nguyễn Thị Lan, 1952, nữ, cận nghèo\n"
    "Trần Văn Bình, 1948, nam, nghèo, DTTS\n"
    "Lê Thị Cúc, 1990, nữ, khá giả, khuyết tật"
)


def members_in(db) -> list[Member]:
    with db.transaction() as s:
        return list(s.exec(select(Member).order_by(Member.id)))


def chair_with_club(person):
    chair = person()
    register_club(chair)
    return chair


def paste(chair, text: str) -> str:
    chair.says_all("/thanhvien", "2")
    return chair.says(text)


def test_chair_pastes_three_members_and_reads_them_back_first(person, db):
    chair = chair_with_club(person)
    readback = paste(chair, THREE)
    assert "Sẽ thêm 3 người" in readback and "Lưu?" in readback
    assert members_in(db) == []
    assert "CLB hiện có 3 thành viên" in chair.says("1")
    lan, binh, cuc = members_in(db)
    assert (lan.full_name, lan.birth_year, lan.sex, lan.poverty) == ("Nguyễn Thị Lan", 1952, "female", "near_poor")
    assert binh.ethnic_minority and binh.poverty == "poor" and not binh.disabled
    assert cuc.disabled and cuc.poverty == "better_off"
    assert lan.joined_on.isoformat() == "2026-11-23"


def test_bad_lines_are_reported_one_by_one_and_only_good_ones_saved(person, db):
    chair = chair_with_club(person)
    pasted = "\n".join(
        [
            "Nguyễn Thị Lan, 1952, nữ",
            "Cụ Tổ, 1850, nam",  # too old
            "Bé Na, 2030, nữ",  # not born yet
            "Phạm Văn Dũng, 1950, ông",  # unknown sex word
            "Lan",  # not enough fields
            "Nguyen Thi Lan, 1952, nu",  # the same person as line 1, typed without accents
        ]
    )
    readback = paste(chair, pasted)
    assert "Sẽ thêm 1 người" in readback and "Không thêm 5 dòng" in readback
    for line in ("Dòng 2", "Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6"):
        assert line in readback
    assert "trùng với dòng 1" in readback and "nam hoặc nữ" in readback
    chair.says("1")
    assert [m.full_name for m in members_in(db)] == ["Nguyễn Thị Lan"]


def test_pasting_the_same_list_twice_adds_nobody_twice(person, db):
    chair = chair_with_club(person)
    paste(chair, THREE)
    chair.says("1")
    again = paste(chair, THREE)
    assert "đã có trong danh sách CLB" in again and "Không dòng nào thêm được" in again
    assert len(members_in(db)) == 3


async def test_treasurer_adds_one_member_with_buttons(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    await chair.presses("Thêm một thành viên")
    await chair.says("nguyễn thị lan")
    await chair.says("1952")
    await chair.presses("Nữ")
    await chair.presses("Hôm nay")
    await chair.presses("Cận nghèo")
    await chair.presses("Không")
    await chair.presses("Không")
    readback = await chair.presses("Bỏ qua")
    assert "Nguyễn Thị Lan, sinh năm 1952 (74 tuổi), nữ, cận nghèo" in readback
    assert "1 thành viên" in await chair.presses("Đồng ý")
    assert [m.full_name for m in members_in(db)] == ["Nguyễn Thị Lan"]


async def test_chair_uploads_the_member_list_as_an_excel_file(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    await chair.presses("Gửi tệp Excel")
    sheet = xlsx_bytes(
        [
            ["Họ tên", "Năm sinh", "Giới tính", "Hoàn cảnh", "DTTS"],
            ["Nguyễn Thị Lan", 1952, "nữ", "cận nghèo", None],
            ["Hờ A Dính", 1960, "nam", "nghèo", "DTTS"],
            ["Vũ Văn E", "năm ngoái", "nam", None, None],
        ]
    )
    readback = await chair.sends_document("thanhvien.xlsx", sheet)
    assert "Sẽ thêm 2 người" in readback and "Không thêm 1 dòng" in readback
    await chair.presses("Đồng ý")
    assert [m.full_name for m in members_in(db)] == ["Nguyễn Thị Lan", "Hờ A Dính"]
    assert members_in(db)[1].ethnic_minority


async def test_a_file_that_is_not_a_sheet_is_refused(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    await chair.presses("Gửi tệp Excel")
    reply = await chair.sends_document("anh.jpg", b"\xff\xd8\xff not a sheet")
    assert ".xlsx" in reply and members_in(db) == []


def test_the_list_is_shown_in_pages_of_ten(person):
    chair = chair_with_club(person)
    lines = "\n".join(f"Nguyễn Văn Người{chr(ord('A') + i)}, {1940 + i}, nam" for i in range(23))
    paste(chair, lines)
    chair.says("1")
    first = chair.says_all("/thanhvien", "4")
    assert "trang 1/3" in first and "10. " in first and "11. " not in first
    second = chair.says("Trang sau")
    assert "trang 2/3" in second and "11. " in second


def test_search_finds_names_typed_without_accents_and_asks_when_ambiguous(person):
    chair = chair_with_club(person)
    paste(chair, "Nguyễn Thị Lan, 1952, nữ\nNguyễn Thị Lân, 1955, nữ\nTrần Văn Lành, 1950, nam")
    chair.says("1")
    ambiguous = chair.says("/thanhvien lan")
    assert "Có 2 người khớp" in ambiguous and "Lành" not in ambiguous
    exact = chair.says("/thanhvien Nguyễn Thị Lân")
    assert "Nguyễn Thị Lân, sinh năm 1955" in exact
    assert "Không có ai" in chair.says("/thanhvien Hoa")


def test_secretary_corrects_a_birth_year_and_the_change_is_recorded(person, db):
    chair = chair_with_club(person)
    paste(chair, "Nguyễn Thị Lan, 1952, nữ")
    chair.says("1")
    chair.says("/thanhvien nguyen thi lan")
    chair.says("Sửa")
    chair.says("Năm sinh")
    assert "1952 đổi thành 1953" in chair.says("1953")
    chair.says("1")
    assert members_in(db)[0].birth_year == 1953
    with db.transaction() as s:
        change = s.exec(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert change.detail == {"field": "birth_year", "old": 1952, "new": 1953}


def test_a_member_who_leaves_keeps_their_record(person, db):
    chair = chair_with_club(person)
    paste(chair, "Nguyễn Thị Lan, 1952, nữ\nTrần Văn Bình, 1948, nam")
    chair.says("1")
    chair.says_all("/thanhvien Lan", "Ghi nhận đã rời CLB")
    assert "trong tương lai" in chair.says("01/01/2030")
    assert "trước khi thành viên vào CLB (23/11/2026)" in chair.says("20/11/2026")  # before the day she joined
    chair.says("hôm nay")
    chair.says("1")
    lan = members_in(db)[0]
    assert lan.left_on.isoformat() == "2026-11-23"
    assert "có 1 thành viên" in chair.says("/thanhvien")


def test_the_district_reviewer_can_look_but_not_change(person):
    chair = chair_with_club(person)
    paste(chair, "Nguyễn Thị Lan, 1952, nữ")
    chair.says("1")
    code = chair.says_all("/moi", "5", "1").split("/start ")[1].split()[0]
    reviewer = person("7", "Cán bộ huyện")
    reviewer.says_all(f"/start {code}", "1")
    menu = reviewer.says("/thanhvien")
    assert "Thêm một thành viên" not in menu and "Xem danh sách" in menu
    card = reviewer.says_all("Tìm thành viên", "lan")
    assert "Nguyễn Thị Lan" in card and "Sửa" not in card
    assert "Dán danh sách" not in reviewer.says("/thanhvien")
