"""Every record of one club, table by table: `python -m bot export --club CODE` (an operator's export).

Each table that holds club data says here how its rows belong to a club: by a `club_id` column, or through
a parent row that has one (a meeting's areas, a loan's instalments). tests/storage/test_backup_export.py checks
this list against `SQLModel.metadata`, so a new table with club data and no line here fails the tests.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from storage.models import (
    Activity,
    AuditEvent,
    BoardChat,
    BoardSeat,
    Club,
    ClubGroup,
    ClubReminderSettings,
    ClubRules,
    DeadlineRecipient,
    GroupMember,
    Invite,
    LedgerEntry,
    Loan,
    LoanInstalment,
    Meeting,
    MeetingArea,
    MeetingAttendee,
    MeetingChange,
    Member,
    ReportSubmission,
    SentReminder,
    User,
    Volunteer,
)
from storage.xlsx_cells import put

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ClubTable:
    """A table of club data and the column that ties its rows to a club, directly or through a parent."""

    model: type[SQLModel]
    key: Any  # Model.club_id, or the column pointing at the parent
    parent: type[SQLModel] | None = None  # a table with a club_id that `key` points into

    @property
    def name(self) -> str:
        return str(self.model.__tablename__)  # a str on every table class; typed as declared_attr


# In the order a reader would go through a club's books.
TABLES: tuple[ClubTable, ...] = (
    ClubTable(Club, Club.id),
    ClubTable(BoardSeat, BoardSeat.club_id),
    ClubTable(Invite, Invite.club_id),
    ClubTable(ClubRules, ClubRules.club_id),
    ClubTable(BoardChat, BoardChat.club_id),
    ClubTable(Member, Member.club_id),
    ClubTable(LedgerEntry, LedgerEntry.club_id),
    ClubTable(Loan, Loan.club_id),
    ClubTable(LoanInstalment, LoanInstalment.loan_id, Loan),
    ClubTable(Meeting, Meeting.club_id),
    ClubTable(MeetingArea, MeetingArea.meeting_id, Meeting),
    ClubTable(MeetingAttendee, MeetingAttendee.meeting_id, Meeting),
    ClubTable(MeetingChange, MeetingChange.meeting_id, Meeting),
    ClubTable(Activity, Activity.club_id),
    ClubTable(Volunteer, Volunteer.club_id),
    ClubTable(ClubGroup, ClubGroup.club_id),
    ClubTable(GroupMember, GroupMember.group_id, ClubGroup),
    ClubTable(ReportSubmission, ReportSubmission.club_id),
    ClubTable(ClubReminderSettings, ClubReminderSettings.club_id),
    ClubTable(DeadlineRecipient, DeadlineRecipient.club_id),
    ClubTable(SentReminder, SentReminder.club_id),
    ClubTable(AuditEvent, AuditEvent.club_id),
)

# Tables that are not one club's records, and why. The board's own people come along as "user" rows
# (see `_board_people`), since seats, entries and changes name them by id.
NOT_CLUB_DATA = {
    "user": "people who talk to the bot; those who ever held a seat in the club are exported with it",
    "channelaccount": "a person's chat accounts, not the club's",
    "linkcode": "one-time codes that link a person's accounts",
    "reminderchannel": "a person's choice of app for reminders",
    "reminderpreference": "a person's own reminder settings",
    "commanduse": "how often a person started each command, in any club, to order their /menu",
    "conversation": "where someone is in a chat flow; short-lived",
    "processedupdate": "update ids seen, to drop redeliveries",
    "wrongcode": "a person's wrong invite and link codes of the last hour, to limit guessing",
    "chatburst": "how many messages a chat sent in the last seconds, to limit flooding",
    "areainvite": "the operator's codes for the reviewers of a commune or a province, of no one club",
    "areareviewer": "the reviewers of a commune or a province, of no one club: their scope is the clubs' codes",
    # Sums of the ledger kept by database triggers for the reports (migrations 0009r, 0011b): rebuilt from ledgerentry.
    "ledgermonth": "monthly sums of ledgerentry, derived",
    "loanbalance": "each loan's sums of ledgerentry and its schedule (loaninstalment), derived",
    "borrowerbalance": "each member's loan pay-outs summed from ledgerentry, derived",
}
USER_COLUMNS = ("id", "display_name", "language", "created_at")


def _primary_key(model: type[SQLModel]):
    return [column for column in model.__table__.primary_key.columns]


def _query(table: ClubTable, club_id: int):
    statement = select(table.model)
    if table.parent is None:
        statement = statement.where(table.key == club_id)
    else:
        parent_ids = select(table.parent.id).where(table.parent.club_id == club_id)
        statement = statement.where(table.key.in_(parent_ids))
    return statement.order_by(*_primary_key(table.model))


def row_values(row: SQLModel) -> dict[str, Any]:
    """A row as a dict of its columns, in table order."""
    return {column.name: getattr(row, column.name) for column in row.__table__.columns}


def _board_people(session: Session, club_id: int) -> list[dict[str, Any]]:
    holders = select(BoardSeat.user_id).where(BoardSeat.club_id == club_id)
    people = session.scalars(select(User).where(User.id.in_(holders)).order_by(User.id))
    return [{name: getattr(person, name) for name in USER_COLUMNS} for person in people]


def club_records(session: Session, club_id: int) -> dict[str, list[dict[str, Any]]]:
    """{table name: rows} for every table of club data, plus the board's people as "user"."""
    records = {table.name: [row_values(row) for row in session.scalars(_query(table, club_id))] for table in TABLES}
    records["user"] = _board_people(session, club_id)
    return records


def jsonable(value: Any) -> Any:
    """Dates and times as ISO text; money is already integer dong."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(club: Club, records: dict[str, list[dict[str, Any]]], exported_at: datetime) -> str:
    document = {"format": FORMAT_VERSION, "club": club.code, "exported_at": exported_at, "tables": records}
    return json.dumps(document, ensure_ascii=False, indent=1, default=jsonable)


def to_xlsx(records: dict[str, list[dict[str, Any]]]) -> bytes:
    """One sheet per table; the first row holds the column names."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in records.items():
        sheet = book.create_sheet(name[:31])
        columns = list(rows[0]) if rows else _columns_of(name)
        _write_row(sheet, 1, columns)
        for number, row in enumerate(rows, start=2):
            _write_row(sheet, number, [_cell(row[column]) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_row(sheet, number: int, values: list[Any]) -> None:
    for column, value in enumerate(values, start=1):
        put(sheet.cell(number, column), value)  # names, purposes, notes: people's text, never a formula


def _columns_of(name: str) -> list[str]:
    if name == "user":
        return list(USER_COLUMNS)
    return [column.name for column in SQLModel.metadata.tables[name].columns]


def _cell(value: Any) -> Any:
    """What a spreadsheet cell can hold: JSON details as text, time-zone-aware times as naive UTC."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=jsonable)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
