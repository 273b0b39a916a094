"""Members join the club on the day their papers say, not the day the board types them in: "vào 2019" at the
end of a pasted line, a "Ngày vào CLB" column in an Excel sheet, a question in the guided add, the same forms in
an edit. A club founded on 08/04/2019 (REGISTRATION) takes no joining day before that, nor one in the future,
and its report counts as joined in a period only those who joined in it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from handlers.parsing import InputError, parse_join_date, parse_member_line
from storage import reports
from storage.dates import FOUNDED, Earliest
from storage.models import Member
from storage.periods import period
from tests.conftest import REGISTRATION, TODAY, register_club
from tests.fakes import xlsx_bytes

FOUNDED_ON = date(2019, 4, 8)  # the day REGISTRATION gives
ADD, PASTE = "1", "2"  # in the board's /thanhvien menu
BEFORE_FOUNDING = "Ngày này trước khi CLB thành lập (08/04/2019). Xin gõ một ngày từ 08/04/2019 đến hôm nay."
SINCE_FOUNDING = "Từ khi thành lập CLB (08/04/2019)"


def members_in(db) -> list[Member]:
    with db.transaction() as s:
        return list(s.exec(select(Member).order_by(Member.id)))


def joined(db) -> dict[str, date]:
    return {m.full_name: m.joined_on for m in members_in(db)}


def chair_with_club(person):
    chair = person()
    register_club(chair)
    return chair


# --- a pasted list ------------------------------------------------------------------------------------------


def test_a_pasted_line_may_end_with_the_year_month_or_day_the_member_joined(person, db):
    chair = chair_with_club(person)
    read_back = chair.says_all(
        "/thanhvien",
        PASTE,
        "Nguyễn Thị Lan, 1952, nữ, cận nghèo, vào 2020\n"
        "Trần Văn Bình, 1948, nam, vao 03/2021\n"
        "Lê Thị Cúc, 1960, nữ, 0912345678, vào 15/06/2022\n"
        "Phạm Văn Dũng, 1955, nam, vào tháng 7/2023\n"
        "Hồ Thị Em, 1958, nữ",
    )
    assert "Nguyễn Thị Lan, sinh năm 1952 (74 tuổi), nữ, cận nghèo, vào CLB 01/01/2020" in read_back
    assert "Trần Văn Bình, sinh năm 1948 (78 tuổi), nam, bình thường, vào CLB 01/03/2021" in read_back
    assert "0912345678, vào CLB 15/06/2022" in read_back
    assert "Hồ Thị Em, sinh năm 1958 (68 tuổi), nữ, bình thường, vào CLB 23/11/2026" in read_back
    chair.says("1")
    assert joined(db) == {
        "Nguyễn Thị Lan": date(2020, 1, 1),
        "Trần Văn Bình": date(2021, 3, 1),
        "Lê Thị Cúc": date(2022, 6, 15),
        "Phạm Văn Dũng": date(2023, 7, 1),
        "Hồ Thị Em": TODAY.date(),  # no "vào": joins the day the list is saved, as before
    }
    cuc = members_in(db)[2]
    assert cuc.phone == "0912345678"  # the phone number and the joining day, each in its place


def test_the_year_the_club_was_founded_means_its_founding_day(person, db):
    chair = chair_with_club(person)
    chair.says_all(
        "/thanhvien", PASTE, "Nguyễn Thị Lan, 1952, nữ, vào 2019\nTrần Văn Bình, 1948, nam, vào 04/2019", "1"
    )
    assert joined(db) == {"Nguyễn Thị Lan": FOUNDED_ON, "Trần Văn Bình": FOUNDED_ON}


def test_a_joining_day_before_the_founding_or_in_the_future_names_its_line_and_it_is_not_saved(person, db):
    chair = chair_with_club(person)
    read_back = chair.says_all(
        "/thanhvien",
        PASTE,
        "Nguyễn Thị Lan, 1952, nữ, vào 2020\n"
        "Trần Văn Bình, 1948, nam, vào 2018\n"
        "Lê Thị Cúc, 1960, nữ, vào 03/2019\n"
        "Phạm Văn Dũng, 1955, nam, vào 12/2026\n"
        "Hồ Thị Em, 1958, nữ, vào năm ngoái",
    )
    assert "Sẽ thêm 1 người" in read_back and "Không thêm 4 dòng" in read_back
    assert f"Dòng 2 (Trần Văn Bình, 1948, nam, vào 2018): {BEFORE_FOUNDING}" in read_back
    assert f"Dòng 3 (Lê Thị Cúc, 1960, nữ, vào 03/2019): {BEFORE_FOUNDING}" in read_back
    assert "Dòng 4 (Phạm Văn Dũng, 1955, nam, vào 12/2026): 01/12/2026 là ngày trong tương lai" in read_back
    assert 'Dòng 5 (Hồ Thị Em, 1958, nữ, vào năm ngoái): Tôi chưa đọc được "vào năm ngoái" là ngày vào CLB' in read_back
    chair.says("1")
    assert joined(db) == {"Nguyễn Thị Lan": date(2020, 1, 1)}


def test_a_list_whose_every_joining_day_is_wrong_saves_nothing_until_fixed(person, db):
    chair = chair_with_club(person)
    refused = chair.says_all("/thanhvien", PASTE, "Nguyễn Thị Lan, 1952, nữ, vào 2018")
    assert f"Dòng 1 (Nguyễn Thị Lan, 1952, nữ, vào 2018): {BEFORE_FOUNDING}" in refused
    assert "Không dòng nào thêm được" in refused and members_in(db) == []
    assert "Sẽ thêm 1 người" in chair.says("Nguyễn Thị Lan, 1952, nữ, vào 2019")
    chair.says("1")
    assert joined(db) == {"Nguyễn Thị Lan": FOUNDED_ON}


def test_the_line_format_shown_gives_the_joining_year_as_an_example(person):
    chair = chair_with_club(person)
    asked = chair.says_all("/thanhvien", PASTE)
    assert "Ví dụ: Nguyễn Thị Lan, 1952, nữ, cận nghèo, vào 2019" in asked
    assert "[" not in asked and "|" not in asked


def test_a_member_line_reads_the_joining_day_apart_from_the_phone_number():
    today = TODAY.date()
    line = parse_member_line("Lê Thị Cúc, 1960, nữ, vào 2020, 0912345678", today)
    assert (line.phone, line.joined_on) == ("0912345678", date(2020, 1, 1))
    assert parse_member_line("Lê Thị Cúc, 1960, nữ, 0912345678", today).joined_on is None
    founded = Earliest(FOUNDED_ON, FOUNDED)
    assert parse_member_line("Lê Thị Cúc, 1960, nữ, vao 2019", today, founded).joined_on == FOUNDED_ON


def test_a_year_or_month_holding_the_founding_day_means_that_day_and_no_other():
    today, founded = TODAY.date(), Earliest(FOUNDED_ON, FOUNDED)
    assert parse_join_date("2019", today, founded) == FOUNDED_ON
    assert parse_join_date("tháng 4/2019", today, founded) == FOUNDED_ON
    assert parse_join_date("05/2019", today, founded) == date(2019, 5, 1)
    assert parse_join_date("2019", today) == date(2019, 1, 1)  # no founding day given: 1 January
    for before in ("2018", "03/2019", "07/04/2019"):
        with pytest.raises(InputError, match="08/04/2019"):
            parse_join_date(before, today, founded)


# --- an Excel sheet -------------------------------------------------------------------------------------


async def test_a_sheet_with_a_ngay_vao_clb_column_gives_each_member_their_joining_day(telegram, db):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    await chair.presses("Gửi tệp Excel")
    sheet = xlsx_bytes(
        [
            ["Họ tên", "Năm sinh", "NGAY VAO CLB", "Giới tính", "Điện thoại"],
            ["Nguyễn Thị Lan", 1952, datetime(2020, 5, 17), "nữ", "0912345678"],
            ["Trần Văn Bình", 1948, 2021, "nam", None],
            ["Lê Thị Cúc", 1960, "tháng 3/2022", "nữ", None],
            ["Phạm Văn Dũng", 1955, None, "nam", None],
            ["Hồ Thị Em", 1958, date(2018, 1, 1), "nữ", None],
        ]
    )
    read_back = await chair.sends_document("thanhvien.xlsx", sheet)
    assert "Sẽ thêm 4 người" in read_back and "Không thêm 1 dòng" in read_back
    assert f"Dòng 5 (Hồ Thị Em, 1958, nữ, vao 01/01/2018): {BEFORE_FOUNDING}" in read_back
    await chair.presses("Đồng ý")
    assert joined(db) == {
        "Nguyễn Thị Lan": date(2020, 5, 17),
        "Trần Văn Bình": date(2021, 1, 1),
        "Lê Thị Cúc": date(2022, 3, 1),
        "Phạm Văn Dũng": TODAY.date(),  # an empty cell: joins today
    }
    assert members_in(db)[0].phone == "0912345678"


async def test_the_upload_question_names_the_joining_column(telegram):
    chair = telegram()
    for text in REGISTRATION:
        await chair.says(text)
    await chair.says("/thanhvien")
    assert 'cột có tiêu đề "Ngày vào CLB"' in await chair.presses("Gửi tệp Excel")


# --- the guided add -------------------------------------------------------------------------------------


def test_the_guided_add_asks_when_the_member_joined_and_reads_it_back(person, db):
    chair = chair_with_club(person)
    asked = chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan", "1952", "nữ")
    assert "Nguyễn Thị Lan vào CLB khi nào?" in asked
    assert f"1. {SINCE_FOUNDING}" in asked and "2. Hôm nay" in asked
    assert BEFORE_FOUNDING in chair.says("2017")
    assert "01/01/2030 là ngày trong tương lai" in chair.says("2030")
    assert "Hoàn cảnh kinh tế của hộ?" in chair.says("03/2020")
    read_back = chair.says_all("cận nghèo", "không", "không", "bỏ qua")
    assert "Nguyễn Thị Lan, sinh năm 1952 (74 tuổi), nữ, cận nghèo, vào CLB 01/03/2020" in read_back
    which = chair.says("Sửa một câu trả lời")
    assert "Ngày vào CLB: 03/2020" in which
    assert "vào CLB khi nào?" in chair.says("Ngày vào CLB: 03/2020")
    read_back = chair.says(SINCE_FOUNDING)
    assert "cận nghèo, vào CLB 08/04/2019" in read_back  # the other answers stand
    chair.says("1")
    [lan] = members_in(db)
    assert (lan.joined_on, lan.poverty) == (FOUNDED_ON, "near_poor")


def test_back_from_the_next_question_shows_the_joining_day_given(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan", "1952", "nữ", "2021")
    again = chair.says("quay lại")
    assert "Bạn đã trả lời: 2021" in again and "vào CLB khi nào?" in again
    assert "Nam hay nữ?" in chair.says("quay lại")
    chair.says_all("nữ", "hôm nay", "nghèo", "không", "không", "bỏ qua", "1")
    assert joined(db) == {"Nguyễn Thị Lan": TODAY.date()}


def test_a_club_without_a_founding_day_is_offered_today_only(person, db):
    chair = person()
    chair.says_all(*REGISTRATION[:6], "bỏ qua", "15", "1")  # no founding decision, so no founding day
    asked = chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan", "1952", "nữ")
    assert "Từ khi thành lập" not in asked and "1. Hôm nay" in asked
    assert "Trước 01/01/1990 chưa có CLB tự giúp nhau nào" in chair.says("1989")
    chair.says_all("1995", "nghèo", "không", "không", "bỏ qua", "1")
    assert joined(db) == {"Nguyễn Thị Lan": date(1995, 1, 1)}


def test_a_whole_line_typed_in_the_guided_add_may_carry_its_joining_day(person, db):
    chair = chair_with_club(person)
    refused = chair.says_all("/thanhvien", ADD, "Nguyễn Thị Lan, 1952, nữ, vào 2018")
    assert BEFORE_FOUNDING in refused and "Họ tên thành viên mới?" in refused
    assert "vào CLB 15/03/2021" in chair.says("Nguyễn Thị Lan, 1952, nữ, vào 15/03/2021")
    chair.says("1")
    assert joined(db) == {"Nguyễn Thị Lan": date(2021, 3, 15)}


async def test_in_the_group_chat_the_joining_day_is_asked_and_the_rest_left_for_a_private_chat(telegram, db):
    private = telegram(201, "An")
    for text in REGISTRATION:
        await private.says(text)
    group = telegram(201, "An", chat_id=-1001)
    await group.says("/thanhvien")
    await group.presses("Thêm một thành viên")
    await group.says("Nguyễn Thị Lan")
    await group.says("1952")
    assert "vào CLB khi nào?" in await group.presses("Nữ")
    read_back = await group.presses(SINCE_FOUNDING)
    assert "Nguyễn Thị Lan, sinh năm 1952 (74 tuổi), nữ, vào CLB 08/04/2019" in read_back
    await group.presses("Đồng ý")
    assert joined(db) == {"Nguyễn Thị Lan": FOUNDED_ON}


# --- an edit --------------------------------------------------------------------------------------------


def test_the_joining_day_is_edited_in_the_same_forms(person, db):
    chair = chair_with_club(person)
    chair.says_all("/thanhvien", PASTE, "Nguyễn Thị Lan, 1952, nữ", "1")
    asked = chair.says_all("/thanhvien Lan", "Sửa", "Ngày vào CLB")
    assert "năm (2019), tháng (03/2019) hoặc ngày (15/03/2019)" in asked
    assert "23/11/2026 đổi thành 01/03/2020" in chair.says("03/2020")
    chair.says("1")
    assert joined(db) == {"Nguyễn Thị Lan": date(2020, 3, 1)}
    chair.says_all("/thanhvien Lan", "Sửa", "Ngày vào CLB")
    assert BEFORE_FOUNDING in chair.says("2018")
    assert "01/03/2020 đổi thành 08/04/2019" in chair.says("2019")
    chair.says("1")
    assert joined(db) == {"Nguyễn Thị Lan": FOUNDED_ON}


# --- the report -----------------------------------------------------------------------------------------


def test_the_report_counts_as_joined_only_those_who_joined_in_its_period(person, db):
    chair = chair_with_club(person)
    chair.says_all(
        "/thanhvien",
        PASTE,
        "Nguyễn Thị Lan, 1952, nữ, vào 2019\n"
        "Trần Văn Bình, 1948, nam, vào 2020\n"
        "Lê Thị Cúc, 1960, nữ, vào 2021\n"
        "Phạm Văn Dũng, 1955, nam, vào 2022\n"
        "Hồ Thị Em, 1958, nữ, vào 2023\n"
        "Vũ Văn Phúc, 1950, nam, vào 2024\n"
        "Đỗ Thị Giang, 1957, nữ, vào 03/2024\n"
        "Bùi Văn Hải, 1949, nam, vào 15/06/2024",
        "1",
    )
    club_id = members_in(db)[0].club_id

    def figures(code: str) -> dict:
        with db.transaction() as s:
            return reports.club_report(s, club_id, period(code), today=TODAY.date()).as_json()["members"]

    now = figures("2026-H2")
    assert (now["total"], now["joined"]) == (8, 0)  # nobody is new this period: they were all typed in today
    assert figures("2024-H1")["joined"] == 2  # Phúc on 01/01/2024, Giang on 01/03/2024
    assert figures("2024-H2")["joined"] == 1  # Hải on 15/06/2024
    assert figures("2024")["joined"] == 3
    assert figures("2019-H1")["joined"] == 1  # Lan, on the founding day 08/04/2019
    assert figures("2023-H1")["joined"] == 1 and figures("2023-H2")["joined"] == 0
