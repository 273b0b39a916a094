"""`python -m bot backup` and `python -m bot export`: a checked copy of the SQLite file while the bot runs,
the pg_dump commands for PostgreSQL, and every record of one club as JSON or .xlsx."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlalchemy import func
from sqlmodel import SQLModel, select

from bot.__main__ import main
from storage import (
    clubs,
    corrections,
    demo,
    export,
    ledger,
    meetings,
    money_rules,
    reminders,
    submissions,
    users,
    volunteers,
)
from storage.db import Database
from storage.meetings import MeetingDraft
from storage.models import Club, Member, SentReminder
from tests.report_support import lien_tri
from tests.snapshot_support import built_once

TODAY = date(2026, 11, 23)


# --- which tables the export covers ------------------------------------------------------------------------


def tables_with_club_data() -> set[str]:
    """From the schema itself: tables with a club_id, and tables pointing into those (a loan's instalments)."""
    tables = SQLModel.metadata.tables
    found = {"club"} | {name for name, table in tables.items() if "club_id" in table.c}
    while True:
        pointing = {
            name
            for name, table in tables.items()
            if name not in found and any(key.column.table.name in found for key in table.foreign_keys)
        }
        if not pointing:
            return found
        found |= pointing


def test_every_table_with_club_data_is_exported():
    exported = {table.name for table in export.TABLES}
    left_out = set(export.NOT_CLUB_DATA)
    assert tables_with_club_data() - left_out <= exported
    assert set(SQLModel.metadata.tables) == exported | left_out, "a new table: export it or say why not"
    assert not exported & left_out
    assert "member" in exported and "ledgerentry" in exported and "loaninstalment" in exported


# --- two clubs with every kind of record -------------------------------------------------------------------


def club_ids(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        return {club.code: club.id for club in s.exec(select(Club))}


def fill_the_rest(db: Database, club_id: int) -> None:
    """What the sample clubs lack: a reversed entry, an invite, a group chat, an edited meeting with names
    ticked, a group with members, a submitted report, reminder settings, a deadline recipient and a sent
    reminder."""
    with db.transaction() as s:
        club = s.get(Club, club_id)
        chair = s.get(users.User, club.created_by)
        people = list(s.exec(select(Member).where(Member.club_id == club_id).limit(3)))
        typo = ledger.contribute(
            s,
            club_id,
            fund="activity",
            kind="monthly_fee",
            amount=20_000,
            on=TODAY,
            by=chair,
            today=TODAY,
            member_id=people[0].id,
        )
        corrections.reverse(s, club_id, typo.id, reason="typed twice", by=chair, today=TODAY)
        clubs.create_invite(s, club, "treasurer", chair, 7)
        money_rules.link_board_chat(s, club_id, "telegram", f"-100{club_id}", chair)
        meeting = meetings.record(
            s,
            club_id,
            MeetingDraft(held_on=date(2026, 10, 15), attendance=2, attendees=(people[0].id, people[1].id)),
            chair,
        )
        meetings.update(
            s,
            meeting,
            MeetingDraft(
                held_on=date(2026, 10, 15), attendance=3, attendees=tuple(p.id for p in people), topic="Huyết áp"
            ),
            chair,
        )
        group = volunteers.create_group(s, club_id, "culture", "Tổ văn nghệ", chair)
        volunteers.add_to_group(s, group, people[2], chair)
        submissions.mark_submitted(s, club_id, "2026-H1", chair)
        reminders.set_club_offsets(s, club_id, (7, 1, 0), chair)
        reminders.set_deadline_recipient(s, club_id, chair.id, True, chair)
        now = datetime(2026, 11, 20, 1, tzinfo=UTC)
        s.add(
            SentReminder(
                club_id=club_id,
                kind="deadline",
                occasion="2026-H2",
                offset_days=14,
                user_id=chair.id,
                scheduled_for=now,
                expires_at=now,
            )
        )


@built_once
def two_full_clubs(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        demo.fill(s, TODAY)
    lien_tri(db)
    for club_id in club_ids(db).values():
        fill_the_rest(db, club_id)
    with db.transaction() as s:  # a reviewer's digest about several clubs belongs to none of them
        reviewer = users.get_or_create(s, "console", "reviewer", "Cán Bộ Huyện")
        now = datetime(2026, 11, 20, 1, tzinfo=UTC)
        s.add(
            SentReminder(
                club_id=0,
                kind="late_clubs",
                occasion="2026-H1",
                offset_days=-3,
                user_id=reviewer.id,
                scheduled_for=now,
                expires_at=now,
            )
        )
    return club_ids(db)


def rows_in(db: Database, table) -> int:
    with db.transaction() as s:
        query = select(func.count()).select_from(table.model)
        if table.model is SentReminder:
            query = query.where(SentReminder.club_id != 0)
        return s.exec(query).one()


def test_the_exports_of_two_clubs_hold_every_row_once(any_db):
    codes = two_full_clubs(any_db)
    with any_db.transaction() as s:
        exports = [export.club_records(s, club_id) for club_id in codes.values()]
    for table in export.TABLES:
        total = rows_in(any_db, table)
        assert total > 0, f"the test clubs have no {table.name}"
        assert sum(len(records[table.name]) for records in exports) == total, table.name
    for records in exports:  # and nothing of the other club slipped in
        [club] = records["club"]
        assert {row["club_id"] for row in records["member"]} == {club["id"]}
        assert {row["club_id"] for row in records["ledgerentry"]} == {club["id"]}
        seat_holders = {row["user_id"] for row in records["boardseat"]}
        assert {person["id"] for person in records["user"]} == seat_holders


def test_the_json_export_reads_back_with_the_same_counts(any_db, monkeypatch, tmp_path, capsys):
    codes = two_full_clubs(any_db)
    code, club_id = next(iter(codes.items()))
    monkeypatch.setenv("DATABASE_URL", any_db.url)
    target = tmp_path / "club.json"
    assert main(["export", "--club", code.lower(), "--output", str(target)]) == 0
    assert str(target) in capsys.readouterr().out

    document = json.loads(target.read_text(encoding="utf-8"))
    with any_db.transaction() as s:
        expected = {name: len(rows) for name, rows in export.club_records(s, club_id).items()}
    assert document["club"] == code
    assert {name: len(rows) for name, rows in document["tables"].items()} == expected
    entry = document["tables"]["ledgerentry"][0]
    assert isinstance(entry["amount"], int) and date.fromisoformat(entry["entry_date"])
    assert any(row["reverses_entry_id"] for row in document["tables"]["ledgerentry"])  # reversals included
    assert datetime.fromisoformat(document["tables"]["member"][0]["created_at"])


def test_the_xlsx_export_has_one_sheet_per_table(db, monkeypatch, tmp_path):
    codes = two_full_clubs(db)
    code, club_id = next(iter(codes.items()))
    monkeypatch.setenv("DATABASE_URL", db.url)
    target = tmp_path / "club.xlsx"
    assert main(["export", "--club", code, "--format", "xlsx", "--output", str(target)]) == 0
    book = load_workbook(io.BytesIO(target.read_bytes()))
    with db.transaction() as s:
        records = export.club_records(s, club_id)
    assert book.sheetnames == list(records)
    for name, rows in records.items():
        assert book[name].max_row == len(rows) + 1, name
    header = [cell.value for cell in book["member"][1]]
    assert "full_name" in header and "poverty" in header


def test_an_unknown_club_code_is_said_plainly(db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert main(["export", "--club", "NOPE99"]) == 2
    assert "NOPE99" in capsys.readouterr().err


# --- backup ---------------------------------------------------------------------------------------------------


def test_a_backup_taken_while_someone_writes_is_whole_and_restores(tmp_path, monkeypatch, capsys):
    live = tmp_path / "live.sqlite3"
    db = Database(f"sqlite:///{live}")
    db.migrate()
    with db.transaction() as s:
        demo.fill(s, TODAY)
        members_before = s.exec(select(func.count()).select_from(Member)).one()
    # The bot is in the middle of a write nobody has committed yet.
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE member SET full_name = 'Chưa lưu' WHERE id = 1")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{live}")
    assert main(["backup"]) == 0
    writer.execute("ROLLBACK")
    writer.close()
    [copy] = (tmp_path / "data" / "backups").glob("clubbot-*.sqlite3")
    said = capsys.readouterr().out
    assert str(copy.relative_to(tmp_path)) in said and str(copy.stat().st_size) in said
    assert not list(copy.parent.glob("*.partial")) and not (copy.parent / (copy.name + "-wal")).exists()

    # Restoring is copying the file back while the bot is stopped.
    restored = tmp_path / "restored.sqlite3"
    restored.write_bytes(copy.read_bytes())
    again = Database(f"sqlite:///{restored}")
    again.migrate()
    with again.transaction() as s:
        assert s.exec(select(func.count()).select_from(Member)).one() == members_before
        assert s.get(Member, 1).full_name != "Chưa lưu"
    again.dispose()
    db.dispose()


def test_backup_to_a_chosen_file_is_checked(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.url)
    target = tmp_path / "copies" / "before-upgrade.sqlite3"
    assert main(["backup", "--output", str(target)]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert "before-upgrade.sqlite3" in capsys.readouterr().out


def test_postgresql_is_backed_up_with_pg_dump(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://clubbot:s3cret@db.example:5433/clubs")
    assert main(["backup"]) == 2
    said = capsys.readouterr().err
    assert "pg_dump --format=custom" in said and '"postgresql://clubbot@db.example:5433/clubs"' in said
    assert "pg_restore --clean --if-exists" in said and "s3cret" not in said
