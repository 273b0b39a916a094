"""python -m bot template and python -m bot import: the books of a club brought in from the command line."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from sqlmodel import func, select

from bot.__main__ import main
from handlers.i18n import money
from storage.models import OPENING, AuditEvent, Club, LedgerEntry, Loan, Member
from tests.history.support import FUND_ROW, LOAN_ROWS, MEMBER_ROWS, START, books, club_with_chair, filled


def counts(db) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.exec(select(func.count()).select_from(Member)).one(),
            s.exec(select(func.count()).select_from(Loan)).one(),
            s.exec(select(func.count()).select_from(LedgerEntry)).one(),
        )


def test_the_template_is_written_with_its_three_sheets(tmp_path, capsys, monkeypatch, db):
    monkeypatch.setenv("DATABASE_URL", db.url)
    target = tmp_path / "mau.xlsx"
    assert main(["template", "--output", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    book = load_workbook(target)
    assert book.sheetnames == ["Thành viên", "Số dư quỹ", "Khoản vay đang có"]
    assert [cell.value for cell in book["Số dư quỹ"][1]] == ["Ngày", "Quỹ tăng thu nhập", "Quỹ hoạt động"]


def test_a_dry_run_of_clean_books_prints_the_summary_and_saves_nothing(any_db, tmp_path, capsys, monkeypatch):
    _club_id, code, _chair = club_with_chair(any_db)
    monkeypatch.setenv("DATABASE_URL", any_db.url)
    before = counts(any_db)
    file = tmp_path / "sosach.xlsx"
    file.write_bytes(books())
    assert main(["import", "--club", code, str(file), "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert f"43 thành viên (43 mới, 0 đã có), 2 quỹ, 6 khoản vay; vốn góp {money(20_500_000)}" in said
    assert "Lưu sẽ ghi: thêm 43 thành viên mới" in said and "Chạy thử: không lưu gì cả." in said
    assert counts(any_db) == before
    with any_db.reading() as s:
        assert s.exec(select(Club.records_start)).one() is None


def test_a_dry_run_of_books_with_problems_lists_every_one_and_exits_2(db, tmp_path, capsys, monkeypatch):
    _club_id, code, _chair = club_with_chair(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    stranger = ["Trịnh Văn Lạ", *LOAN_ROWS[0][1:]]
    members = [*MEMBER_ROWS, *MEMBER_ROWS[:20]]  # 20 members written twice: more problems than a chat shows
    file = tmp_path / "sosach.xlsx"
    file.write_bytes(filled(members, [FUND_ROW], [*LOAN_ROWS, stranger]))
    before = counts(db)
    assert main(["import", "--club", code, str(file), "--dry-run"]) == 2
    said = capsys.readouterr().out
    assert "21 lỗi; phải sửa hết mới lưu được:" in said
    assert said.count("có tên hai lần trong danh sách") == 20  # all of them, not the chat's first 15
    assert "Trang Khoản vay đang có, dòng 10: Trịnh Văn Lạ không có ở trang Thành viên" in said
    assert "Lưu sẽ ghi" not in said
    assert counts(db) == before


def test_a_file_that_cannot_be_read_exits_2_with_its_problems(db, tmp_path, capsys, monkeypatch):
    _club_id, code, _chair = club_with_chair(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    file = tmp_path / "sosach.xlsx"
    file.write_bytes(filled([["Lan", 1952, "nữ"]]))
    assert main(["import", "--club", code, str(file)]) == 2
    said = capsys.readouterr().out
    assert said.startswith("Chưa đọc được tệp này. Chưa lưu gì cả.\n1 lỗi:\n- Trang Thành viên, dòng 4, cột Họ tên: ")
    file.write_text("Họ tên,Năm sinh\n")
    assert main(["import", "--club", code, str(file), "--dry-run"]) == 2
    assert "Đây không phải tệp Excel .xlsx" in capsys.readouterr().out
    assert main(["import", "--club", code, str(tmp_path / "none.xlsx")]) == 2
    assert "none.xlsx" in capsys.readouterr().err
    assert counts(db)[0] == 0


def test_an_unknown_club_code_is_one_line_and_exit_code_2(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db.url)
    file = tmp_path / "sosach.xlsx"
    file.write_bytes(books())
    assert main(["import", "--club", "NOPE99", str(file)]) == 2
    said = capsys.readouterr()
    assert said.err.strip().count("\n") == 0 and "NOPE99" in said.err and said.out == ""


def test_import_saves_the_books_in_the_chairs_name_and_again_changes_nothing(any_db, tmp_path, capsys, monkeypatch):
    club_id, code, chair = club_with_chair(any_db)
    monkeypatch.setenv("DATABASE_URL", any_db.url)
    file = tmp_path / "sosach.xlsx"
    file.write_bytes(books())
    assert main(["import", "--club", code.lower(), str(file)]) == 0
    said = capsys.readouterr().out
    assert "Đã lưu: thêm 43 thành viên mới, số dư 2 quỹ" in said and "6 khoản vay đang có" in said
    with any_db.reading() as s:
        assert s.get(Club, club_id).records_start == START
        assert s.exec(select(func.count()).select_from(Member)).one() == 43
        assert s.exec(select(func.count()).select_from(Loan)).one() == 6
        assert s.exec(select(func.sum(Loan.principal))).one() == 20_000_000
        capital = s.exec(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.kind == OPENING, LedgerEntry.member_id.is_not(None))
        ).one()
        assert capital == 20_500_000
        assert s.exec(select(Member.joined_on).where(Member.full_name == "Nguyễn Thị Lan")).one() == date(2019, 5, 1)
        event = s.exec(
            select(AuditEvent).where(AuditEvent.action == "import", AuditEvent.entity == "club_history")
        ).one()
        assert event.user_id == chair.id
    after = counts(any_db)
    assert main(["import", "--club", code, str(file)]) == 0  # the same books again
    said = capsys.readouterr().out
    assert "43 thành viên (0 mới, 43 đã có)" in said
    assert counts(any_db) == after
