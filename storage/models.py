"""Database tables. Every change of club data goes through the modules beside this one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


# Board roles (ARCHITECTURE.md, "Glossary"). "reviewer" is the district association's read-only role.
CHAIR = "chair"
VICE_CHAIR = "vice_chair"
TREASURER = "treasurer"
SECRETARY = "secretary"
BOARD_MEMBER = "board_member"
REVIEWER = "reviewer"
ROLES = (CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER)

MALE, FEMALE = "male", "female"
POOR, NEAR_POOR, BETTER_OFF = "poor", "near_poor", "better_off"


class User(SQLModel, table=True):
    """A person who talks to the bot, on one channel or several."""

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=128)
    language: str = Field(default="vi", max_length=8)
    # How the Vietnamese texts call this person (handlers.i18n.ADDRESSES): "bac", "anh", "chi" or "ban", asked
    # once when they register a club or join a board; None until then, which reads as "ban".
    address: str | None = Field(default=None, max_length=8)
    # The club this person is working on now (they may serve several). No foreign key: clubs point
    # back at users, and a cycle of keys would stop the tables being created in order.
    current_club_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CommandUse(SQLModel, table=True):
    """How many times a person started each command, in any club: /menu puts their most used first."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    command: str = Field(max_length=32, primary_key=True)
    uses: int = 0


class ChannelAccount(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)


class Club(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=200)
    village: str = Field(max_length=200)
    commune: str = Field(max_length=200)
    district: str = Field(max_length=200, index=True)  # before July 2025; kept as the label of old papers
    province: str = Field(max_length=200)
    # The 2025 map (storage.places): the GSO codes of the club's province and commune, once matched. `province`
    # and `commune` above then hold the official names.
    province_code: str | None = Field(default=None, max_length=2, index=True)
    commune_code: str | None = Field(default=None, max_length=5, index=True)
    # When the chair was last asked for the club's place: at registration, or once at the next message for a
    # club migration 0017m could not place (NULL there, see handlers.onboarding.places).
    place_asked_at: datetime | None = Field(default_factory=utcnow, nullable=True)
    founding_decision: str | None = Field(default=None, max_length=200)
    founded_on: date | None = None
    # The day the club's books on the bot start (storage.history): the balances, capital and loans it brought
    # in are as of the end of that day, always a month's last day. None: a club whose books start on the bot.
    records_start: date | None = None
    meeting_day: int = Field(default=15, index=True)  # the meeting reminders: clubs meeting tomorrow
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class BoardSeat(SQLModel, table=True):
    """A user's role in a club. A removed seat stays, inactive, so the history of who served is kept."""

    __table_args__ = (UniqueConstraint("club_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=16)
    active: bool = True
    since: datetime = Field(default_factory=utcnow)
    full_name: str | None = Field(default=None, max_length=100)  # signs the reports; asked once (0013r)


class Invite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    role: str = Field(max_length=16)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_by: int | None = Field(default=None, foreign_key="user.id")
    used_at: datetime | None = None


# --- reviewers of a commune or a province of the 2025 map (issue 17) ---------------------------------------

# The role of a person who reviews every club of a commune or a province (AreaReviewer), present and future; not a
# BoardSeat role: they sit on no club's board, and read, never write.
AREA_REVIEWER = "area_reviewer"


class AreaInvite(SQLModel, table=True):
    """A single-use code the bot's operator made (`python -m bot reviewer`) for the reviewer of a province, or of
    one commune of it (storage.places codes). Like a club's Invite: same code style and expiry."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    province_code: str = Field(max_length=2)
    commune_code: str | None = Field(default=None, max_length=5)  # None: the whole province
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_by: int | None = Field(default=None, foreign_key="user.id")
    used_at: datetime | None = None


class AreaReviewer(SQLModel, table=True):
    """A person reviewing every club whose codes are in this province (and commune, when set). A removed one
    stays, inactive, like a board seat."""

    __table_args__ = (Index("ix_areareviewer_area", "province_code", "commune_code"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    province_code: str = Field(max_length=2)
    commune_code: str | None = Field(default=None, max_length=5)  # None: the whole province
    invite_id: int | None = Field(default=None, foreign_key="areainvite.id")
    active: bool = True
    since: datetime = Field(default_factory=utcnow)
    full_name: str | None = Field(default=None, max_length=100)  # signs the combined reports


class Member(SQLModel, table=True):
    """A club member: a record kept by the board. Members who leave get a left_on date, never a delete.

    A member who asks to be forgotten is anonymised (storage.personal_data): the row stays, so the books
    still add up, but its name becomes a placeholder and birth year, sex and the rest are emptied.
    """

    __table_args__ = (Index("ix_member_club_name_key", "club_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    full_name: str = Field(max_length=100)
    name_key: str = Field(max_length=100)
    birth_year: int | None  # None only once anonymised
    sex: str | None = Field(max_length=8)  # None only once anonymised
    poverty: str | None = Field(default=None, max_length=16)
    ethnic_minority: bool = False
    disabled: bool = False
    phone: str | None = Field(default=None, max_length=20)
    joined_on: date
    left_on: date | None = None
    anonymised_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class AuditEvent(SQLModel, table=True):
    """Who changed what, when: one row per change of club records."""

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """Where one person is in a flow, per channel and chat, so a restart loses nothing."""

    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    user_key: str = Field(max_length=64)
    flow: str | None = Field(default=None, max_length=32)
    step: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
    # The replies to this person's last update, until their next: {"update": key, "process": the process to
    # send them, "replies": [...]}, so a redelivery after a crash between the commit and the sending gets them
    # (storage/conversations.py, `take_unsent`). None when there were none.
    unsent: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))


class ProcessedUpdate(SQLModel, table=True):
    """Update ids already handled, so a redelivered update is not handled twice."""

    channel: str = Field(max_length=16, primary_key=True)
    update_key: str = Field(max_length=64, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)


# --- meetings and the eight activity areas (ARCHITECTURE.md, "Glossary") ------------------------------------

# The eight activity areas, in the order reports list them.
INCOME, HEALTH, HOMECARE, SELFHELP = "income", "health", "homecare", "selfhelp"
RIGHTS, LEARNING, CULTURE, RESOURCES = "rights", "learning", "culture", "resources"
AREAS = (INCOME, HEALTH, HOMECARE, SELFHELP, RIGHTS, LEARNING, CULTURE, RESOURCES)

# Kinds of activity outside meetings, and the area each kind counts for. "other" takes the area the
# person picks, so every area can be recorded even when no kind names it.
HOME_VISIT, HEALTH_DAY, CULTURE_EVENT = "home_visit", "health_day", "culture_event"
RIGHTS_CASE, RESOURCES_RAISED, OTHER_ACTIVITY = "rights_case", "resources", "other"
KIND_AREAS = {
    HOME_VISIT: HOMECARE,
    HEALTH_DAY: HEALTH,
    CULTURE_EVENT: CULTURE,
    RIGHTS_CASE: RIGHTS,
    RESOURCES_RAISED: RESOURCES,
    OTHER_ACTIVITY: None,
}


class Meeting(SQLModel, table=True):
    """A club meeting. Edits are recorded in MeetingChange with the value before, so no history is lost."""

    __table_args__ = (Index("ix_meeting_club_held_on", "club_id", "held_on"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    held_on: date
    attendance: int  # people present; equals the ticked attendees when names were ticked
    health_checks: int = 0  # blood-pressure and other checks done at the meeting
    topic: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=1000)
    # A channel-neutral reference, "<channel>:<file id>": the bot keeps the reference, not the picture.
    photo: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class MeetingArea(SQLModel, table=True):
    """An activity area a meeting covered."""

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    area: str = Field(max_length=16, primary_key=True)


class MeetingAttendee(SQLModel, table=True):
    """A member ticked as present; only when attendance was taken by name."""

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True, index=True)


class MeetingChange(SQLModel, table=True):
    """One edit of one field of a meeting, with the value before and after. Never changed or deleted."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    field: str = Field(max_length=16)
    old: Any = Field(default=None, sa_column=Column(JSON))
    new: Any = Field(default=None, sa_column=Column(JSON))
    changed_by: int = Field(foreign_key="user.id")
    changed_at: datetime = Field(default_factory=utcnow)


class Activity(SQLModel, table=True):
    """Something the club did outside its meetings, tagged with the activity area it counts for."""

    __table_args__ = (Index("ix_activity_club_held_on", "club_id", "held_on"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    kind: str = Field(max_length=16)
    area: str = Field(max_length=16)
    held_on: date
    volunteer_id: int | None = Field(default=None, foreign_key="member.id")  # who made a home-care visit
    member_id: int | None = Field(default=None, foreign_key="member.id")  # who was visited or helped
    people: int | None = None  # people checked, taking part or helped
    amount: int | None = None  # đồng, for resources mobilised
    description: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class Volunteer(SQLModel, table=True):
    """A member serving as a home-care volunteer. Stopping sets ended_on; the row stays as history."""

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    since: date
    ended_on: date | None = None
    created_by: int = Field(foreign_key="user.id")


class ClubGroup(SQLModel, table=True):
    """A group (to) of members working on one activity area."""

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    area: str = Field(max_length=16)
    name: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int = Field(foreign_key="user.id")


class GroupMember(SQLModel, table=True):
    group_id: int = Field(foreign_key="clubgroup.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True, index=True)


# --- money: the two funds, the ledger, loans and the club's rules (issue 3) ------------------------------

from sqlalchemy import BigInteger, CheckConstraint  # noqa: E402  (kept with the money tables they serve)

INCOME_FUND, ACTIVITY_FUND = "income", "activity"
FUNDS = (INCOME_FUND, ACTIVITY_FUND)

# Kinds of ledger entry. Contributions bring money into either fund; the rest belong to one fund each.
CAPITAL, MONTHLY_FEE, EXTRA, DONATION = "capital", "monthly_fee", "extra", "donation"
CONTRIBUTION_KINDS = (CAPITAL, MONTHLY_FEE, EXTRA, DONATION)
LOAN, REPAYMENT, EXPENSE = "loan", "repayment", "expense"  # income, income, activity fund
# What a club brought in when its books moved to the bot (storage.history): a fund's cash, or a member's capital
# paid in before, as of the records' start. Reports count it in the opening balance, never as money raised.
OPENING = "opening"
ENTRY_KINDS = (*CONTRIBUTION_KINDS, LOAN, REPAYMENT, EXPENSE, OPENING)

LIVESTOCK, CROPS, SMALL_TRADE, OTHER_PURPOSE = "livestock", "crops", "trade", "other"
LOAN_PURPOSES = (LIVESTOCK, CROPS, SMALL_TRADE, OTHER_PURPOSE)


class LedgerEntry(SQLModel, table=True):
    """One movement of money in one fund. Never updated or deleted: a mistake gets a reversal entry.

    `amount` is the signed effect on the fund's cash, in dong: positive for money in (a contribution, a
    repayment), negative for money out (a loan paid out, an expense). `interest` is the part of a repayment
    that paid the loan's fee. A reversal copies the entry it reverses with both amounts negated, so every
    sum over the ledger is net of reversals without looking at them.
    """

    __table_args__ = (
        Index("ix_ledgerentry_club_fund_date", "club_id", "fund", "entry_date"),
        CheckConstraint("amount <> 0", name="ck_ledgerentry_amount_not_zero"),
        CheckConstraint("fund IN ('income', 'activity')", name="ck_ledgerentry_fund"),
        CheckConstraint("member_id IS NULL OR source IS NULL", name="ck_ledgerentry_one_giver"),
        # The loan entries dated after a report's end: what the reports subtract from LoanBalance (0009r).
        Index(
            "ix_ledgerentry_loan_entry_date",
            "entry_date",
            postgresql_where=text("loan_id IS NOT NULL"),
            sqlite_where=text("loan_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    fund: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    amount: int = Field(sa_type=BigInteger)
    interest: int = Field(default=0, sa_type=BigInteger)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    source: str | None = Field(default=None, max_length=200)  # an outside giver: the commune, a donor
    loan_id: int | None = Field(default=None, foreign_key="loan.id", index=True)
    note: str | None = Field(default=None, max_length=200)  # what an expense was for
    entry_date: date  # the day the money moved, as the books show it
    entered_on: date  # the club's local day it was typed in: /hoantac undoes only today's own entries
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    reverses_entry_id: int | None = Field(default=None, foreign_key="ledgerentry.id", unique=True)
    reason: str | None = Field(default=None, max_length=200)  # why a reversal was made
    # A repayment written again with its fee/principal split redone (storage.corrections): the first entry of
    # that payment, which keeps its place among the loan's payments (0013r).
    reallocates_entry_id: int | None = Field(default=None, index=True)


class Loan(SQLModel, table=True):
    """A loan from the income fund. The money itself moves in ledger entries that point here."""

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    principal: int = Field(sa_type=BigInteger)
    term_months: int
    monthly_rate_bp: int = 0  # the club's rate when the loan was made, in hundredths of a percent
    purpose: str = Field(max_length=16)
    disbursed_on: date
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class LoanInstalment(SQLModel, table=True):
    """The schedule fixed when the loan was made (storage.schedule), so later rule changes leave it alone."""

    __table_args__ = (UniqueConstraint("loan_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id")
    number: int
    due_on: date
    principal: int = Field(sa_type=BigInteger)
    interest: int = Field(sa_type=BigInteger)


class ClubRules(SQLModel, table=True):
    """The money rules of a club's Quy che, set by the chair. Its row is also the lock on the club's books."""

    club_id: int = Field(foreign_key="club.id", primary_key=True)
    monthly_fee: int = Field(default=0, sa_type=BigInteger)  # 0: not set
    loan_rate_bp: int = 0  # fee per month on the loan, in hundredths of a percent
    max_loan: int = Field(default=5_000_000, sa_type=BigInteger)
    max_term_months: int = 12
    lend_when_overdue: bool = False  # may a member with an overdue loan borrow again
    default_fund: str | None = Field(default=None, max_length=16)  # None: a contribution asks which fund
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class BoardChat(SQLModel, table=True):
    """The board's group chat on a channel, where every saved money entry is announced."""

    __table_args__ = (UniqueConstraint("club_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    linked_by: int = Field(foreign_key="user.id")
    linked_at: datetime = Field(default_factory=utcnow)


# --- one person on several channels: link codes and where reminders go (issue 8) --------------------------


class LinkCode(SQLModel, table=True):
    """A one-time code that attaches a person's account on another channel (e.g. Zalo) to their User.

    Only a hash of the code is kept: whoever reads the table cannot use a code that is still valid.
    """

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)  # the person the new account will act as
    created_by: int = Field(foreign_key="user.id")  # that person, or the chair who made it for them
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    used_by_account: int | None = Field(default=None, foreign_key="channelaccount.id")


# --- flooding: wrong codes and bursts of messages (storage/limits.py) --------------------------------------


class WrongCode(SQLModel, table=True):
    """A code someone typed that is no invite and no link code. Kept an hour: the limit on guessing counts them."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    at: datetime


class ChatBurst(SQLModel, table=True):
    """How many messages one chat has sent since the start of its current burst window."""

    channel: str = Field(max_length=16, primary_key=True)
    chat_id: str = Field(max_length=64, primary_key=True)
    window_start: datetime
    count: int = 0
    told: bool = False  # the chat was told it is sending too fast; the rest of the window is dropped


class ReminderChannel(SQLModel, table=True):
    """The channel a person wants reminders on: "telegram", "zalo" or "both". No row means both."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    channel: str = Field(max_length=16)
    updated_at: datetime = Field(default_factory=utcnow)


class ReportSubmission(SQLModel, table=True):
    """The chair's mark that a period's report was handed to the Elderly Association ("Da nop"), with who and when."""

    __table_args__ = (UniqueConstraint("club_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    club_id: int = Field(foreign_key="club.id")
    period: str = Field(max_length=8, index=True)  # a period code: 2025-H1, 2025-H2 or 2025
    submitted_by: int = Field(foreign_key="user.id")
    submitted_at: datetime = Field(default_factory=utcnow)


# --- reminders: deadlines, meetings, instalments, sent exactly once (issue 6) -----------------------------

# Kinds of reminder. A person turns DEADLINE (with its OVERDUE and LATE_CLUBS follow-ups), MEETING and
# INSTALMENTS on or off each.
DEADLINE, OVERDUE, LATE_CLUBS = "deadline", "overdue", "late_clubs"
MEETING_REMINDER, INSTALMENTS = "meeting", "instalments"
REMINDER_KINDS = (DEADLINE, OVERDUE, LATE_CLUBS, MEETING_REMINDER, INSTALMENTS)
PENDING, SENT, FAILED, BLOCKED = "pending", "sent", "failed", "blocked"


class SentReminder(SQLModel, table=True):
    """One reminder to one person, claimed by inserting this row before it is sent.

    The unique key is what makes it arrive once: a second job, scheduler or process that plans the same
    reminder fails to insert it and leaves it alone. `club_id` has no foreign key: 0 stands for a digest
    about several clubs (the association reviewer's list of late clubs).
    """

    __table_args__ = (
        UniqueConstraint("club_id", "kind", "occasion", "offset_days", "user_id", name="uq_sentreminder_key"),
        Index("ix_sentreminder_status_next", "status", "next_attempt_at"),
        # Each run of the reminder job reads what was claimed per (kind, occasion), e.g. ("deadline", "2025-H1").
        Index("ix_sentreminder_kind_occasion", "kind", "occasion"),
    )

    id: int | None = Field(default=None, primary_key=True)
    club_id: int
    kind: str = Field(max_length=16)
    occasion: str = Field(max_length=16)  # a period code, a meeting date or an ISO week
    offset_days: int  # days before the date it is about (negative: after it)
    user_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=PENDING, max_length=8)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=200)
    delivered: str = Field(default="", max_length=64)  # channels it reached, "telegram,zalo"
    blocked: str = Field(default="", max_length=64)  # channels where the person blocked the bot
    scheduled_for: datetime  # when it was meant to go
    expires_at: datetime  # after this it is no longer useful: not sent, not retried
    lease_until: datetime | None = None  # a sender is at work on it until then
    next_attempt_at: datetime | None = None  # when a failed send is tried again
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class ReminderPreference(SQLModel, table=True):
    """One person's reminder settings; no row means every kind on, at the club's hour."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    deadline: bool = True
    meeting: bool = True
    instalments: bool = True
    hour: int | None = None  # local hour, 7–20; None: the club's hour
    updated_at: datetime = Field(default_factory=utcnow)


class ClubReminderSettings(SQLModel, table=True):
    """A club's reminder settings, set by the chair; no row means the defaults."""

    club_id: int = Field(foreign_key="club.id", primary_key=True)
    offsets: str = Field(default="14,7,3,1,0", max_length=64)  # days before the deadline, 0 the day itself
    hour: int = 8
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class DeadlineRecipient(SQLModel, table=True):
    """A board member the chair chose to get deadline reminders besides the chair and the vice-chair."""

    club_id: int = Field(foreign_key="club.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    added_by: int = Field(foreign_key="user.id")
    added_at: datetime = Field(default_factory=utcnow)


# --- sums of the ledger for the reports (issue 5), kept by the database itself -----------------------------


class LedgerMonth(SQLModel, table=True):
    """The ledger summed per club, fund, kind and calendar month: what the reports read instead of every entry.

    Never written from Python. A trigger on ledgerentry (migration 0009r) adds each new entry to its row in
    the same transaction, so the sums are exact by construction: the ledger is append-only and a reversal
    is a new entry with negated amounts, which the trigger adds like any other. Reporting periods begin on
    the first of a month and end on a month's last day, so whole months add up to any period.
    """

    club_id: int = Field(primary_key=True)
    fund: str = Field(max_length=16, primary_key=True)
    kind: str = Field(max_length=16, primary_key=True)
    month: date = Field(primary_key=True)  # its first day
    amount: int = Field(sa_type=BigInteger)
    interest: int = Field(sa_type=BigInteger)
    outside: int = Field(sa_type=BigInteger)  # the part given by someone outside the club (`source` set)


class LoanBalance(SQLModel, table=True):
    """Each loan's ledger entries (paid out and repayments) summed over all time, kept like LedgerMonth.

    A report as of a past day subtracts the loan entries dated after it, so a loan fully repaid long ago
    costs the report nothing: only loans still owing now, or with entries after the day, are looked at.
    """

    loan_id: int = Field(primary_key=True)
    club_id: int = Field(index=True)
    member_id: int | None
    lent: int = Field(sa_type=BigInteger)  # the loan entries: negative once paid out, 0 if reversed
    owed: int = Field(sa_type=BigInteger)  # principal still owed: paid out less the principal of repayments
    repaid: int = Field(sa_type=BigInteger)  # repayments, fee included
    # The schedule (migration 0010s): instalments' principal plus fee, and the last due date. Until the
    # schedule is written, 0 and none.
    scheduled: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})
    last_due: date | None = None


class BorrowerBalance(SQLModel, table=True):
    """Each member's loan pay-outs summed over all time (migration 0011b), kept like LoanBalance.

    Every loan's pay-outs sum to its principal (negative) or, once reversed, to 0, never more: so a member's
    sum is below 0 exactly when some loan of theirs stands. "Has borrowed by a past day" is this sum less
    their pay-outs and reversals dated later, one row per member instead of every loan they ever had.
    """

    member_id: int = Field(primary_key=True)
    lent: int = Field(sa_type=BigInteger)
