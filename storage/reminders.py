"""Reminders (issue 6): which are due at a local date-time, claiming each exactly once, and their settings.

Planning is a handful of set-based queries over every club, never a loop of queries per club:
- **deadline**: at each of the club's offsets (default 14, 7, 3, 1 days before and the morning of 5 June /
  5 December) to the chair, the vice-chair and the board members the chair chose, until the period's report
  is marked submitted. After downtime only the latest offset that has come is sent (the earlier ones are
  superseded), and only while the deadline has not passed.
- **overdue**: once, `LATE_AFTER_DAYS` after the deadline, to the same people; the association reviewer gets
  one list of their clubs that are late (`club_id` 0: a digest).
- **meeting**: the day before the club's meeting day, to the board (the treasurer's has the instalments).
- **instalments**: on Mondays, the treasurer's list of instalments falling due in the coming week.

A reminder is claimed by inserting its `SentReminder` row (unique on club, kind, occasion, offset,
recipient) before it is sent; a conflict means another job or process has it. Times are aware datetimes:
the caller passes the local time (Asia/Ho_Chi_Minh), rows keep UTC.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, exists, func, literal, or_, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from storage.accounts import BOTH, MESSENGERS
from storage.clubs import audit
from storage.ledger import total
from storage.models import (
    BLOCKED,
    CHAIR,
    CONTRIBUTION_KINDS,
    DEADLINE,
    FAILED,
    INSTALMENTS,
    LATE_CLUBS,
    LOAN,
    MEETING_REMINDER,
    OVERDUE,
    PENDING,
    REPAYMENT,
    REVIEWER,
    SENT,
    TREASURER,
    VICE_CHAIR,
    AreaReviewer,
    BoardSeat,
    ChannelAccount,
    Club,
    ClubReminderSettings,
    DeadlineRecipient,
    LedgerEntry,
    Loan,
    LoanInstalment,
    Meeting,
    Member,
    ReminderChannel,
    ReminderPreference,
    ReportSubmission,
    SentReminder,
    User,
    utcnow,
)
from storage.periods import Period, half_year_of, period
from storage.schedule import add_months

DEFAULT_OFFSETS = (14, 7, 3, 1, 0)
MAX_OFFSET = 60  # days before a deadline a club may ask to be reminded
DEFAULT_HOUR = 8
FIRST_HOUR, LAST_HOUR = 7, 20  # quiet hours: nothing from 21:00 to 07:00
LATE_AFTER_DAYS = 3  # the one "overdue" reminder, this many days after the deadline
OVERDUE_USEFUL_DAYS = 30  # after that, a missed overdue reminder is not sent any more
MEETING_USEFUL_UNTIL = time(12)  # a missed meeting reminder still goes out on the meeting morning
WEEKLY_WEEKDAY = 0  # the treasurer's weekly list goes out on Mondays…
WEEKLY_USEFUL_DAYS = 4  # …or, after downtime, until Thursday
MEMBER_TARGET = 40
NO_MEETING_DAYS = 31  # "no meeting logged in the last month"
LEASE = timedelta(minutes=10)  # a claimed reminder not finished by then is taken over by another sender
MAX_ATTEMPTS = 8
PERSONAL_KINDS = ("deadline", "meeting", "instalments")  # what a person turns on or off


# --- settings -----------------------------------------------------------------------------------------------


def in_quiet_hours(now: datetime) -> bool:
    return not FIRST_HOUR <= now.hour <= LAST_HOUR


def parse_offsets(text: str | None) -> tuple[int, ...]:
    """'14,7,3,1,0' -> (14, 7, 3, 1, 0); nonsense is left out; nothing usable gives the defaults."""
    found = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and 0 <= int(part) <= MAX_OFFSET:
            found.add(int(part))
    return tuple(sorted(found, reverse=True)) or DEFAULT_OFFSETS


def preference(session: Session, user_id: int) -> ReminderPreference:
    """The person's settings (an unsaved default row when they never changed any)."""
    return session.get(ReminderPreference, user_id) or ReminderPreference(user_id=user_id)


def set_kind(session: Session, user_id: int, kind: str, on: bool) -> None:
    if kind not in PERSONAL_KINDS:
        raise ValueError(f"not a reminder kind: {kind}")
    chosen = preference(session, user_id)
    setattr(chosen, kind, on)
    chosen.updated_at = utcnow()
    session.add(chosen)
    session.flush()


def set_hour(session: Session, user_id: int, hour: int) -> None:
    if not FIRST_HOUR <= hour <= LAST_HOUR:
        raise ValueError(f"reminders go out between {FIRST_HOUR}:00 and {LAST_HOUR}:00")
    chosen = preference(session, user_id)
    chosen.hour, chosen.updated_at = hour, utcnow()
    session.add(chosen)
    session.flush()


def club_settings(session: Session, club_id: int) -> ClubReminderSettings:
    return session.get(ClubReminderSettings, club_id) or ClubReminderSettings(club_id=club_id)


def set_club_offsets(session: Session, club_id: int, offsets: tuple[int, ...], by: User) -> None:
    chosen = club_settings(session, club_id)
    chosen.offsets = ",".join(str(o) for o in sorted(set(offsets), reverse=True))
    chosen.updated_by, chosen.updated_at = by.id, utcnow()
    session.add(chosen)
    audit(session, club_id, by.id, "update", "reminder_offsets", club_id, offsets=chosen.offsets)
    session.flush()


def set_meeting_day(session: Session, club: Club, meeting_day: int, by: User) -> None:
    if not 1 <= meeting_day <= 31:
        raise ValueError("a meeting day is 1 to 31")
    audit(session, club.id, by.id, "update", "meeting_day", club.id, old=club.meeting_day, new=meeting_day)
    club.meeting_day = meeting_day
    session.add(club)
    session.flush()


def deadline_recipient_ids(session: Session, club_id: int) -> set[int]:
    return set(session.exec(select(DeadlineRecipient.user_id).where(DeadlineRecipient.club_id == club_id)))


def set_deadline_recipient(session: Session, club_id: int, user_id: int, on: bool, by: User) -> None:
    existing = session.get(DeadlineRecipient, (club_id, user_id))
    if on and existing is None:
        session.add(DeadlineRecipient(club_id=club_id, user_id=user_id, added_by=by.id))
    elif not on and existing is not None:
        session.delete(existing)
    audit(session, club_id, by.id, "add" if on else "remove", "deadline_recipient", user_id)
    session.flush()


# --- planning -----------------------------------------------------------------------------------------------


@dataclass
class Due:
    """One reminder for one person."""

    club_id: int  # 0 for a reviewer's digest of several clubs
    kind: str
    occasion: str
    offset_days: int
    user_id: int
    scheduled_for: datetime
    expires_at: datetime
    about: date  # the deadline, the meeting day or the first day of the week
    club_code: str = ""
    club_name: str = ""
    user_name: str = ""
    language: str = "vi"
    role: str = ""
    address: str | None = None  # how the recipient is called (User.address): set by `add_addresses`
    id: int | None = None  # the SentReminder row, once claimed
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str, str, int, int]:
        return (self.club_id, self.kind, self.occasion, self.offset_days, self.user_id)

    @property
    def late(self) -> bool:
        """Planned for an earlier day than the one it is about to go out on (after downtime)."""
        return False if "now" not in self.details else self.scheduled_for.date() < self.details["now"].date()


def _at(day: date, hour: int, zone) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def _has_messenger():
    return exists().where(ChannelAccount.user_id == User.id, ChannelAccount.channel.in_(MESSENGERS))


def _seat_rows(session: Session, *conditions):
    """Board seats with their club, person and settings: one query for every club."""
    query = (
        select(
            Club.id,
            Club.code,
            Club.name,
            Club.meeting_day,
            ClubReminderSettings.offsets,
            ClubReminderSettings.hour,
            BoardSeat.role,
            User.id,
            User.display_name,
            User.language,
            ReminderPreference.hour,
        )
        .join(BoardSeat, and_(BoardSeat.club_id == Club.id, BoardSeat.active))
        .join(User, User.id == BoardSeat.user_id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .outerjoin(ClubReminderSettings, ClubReminderSettings.club_id == Club.id)
        .where(_has_messenger(), *conditions)
    )
    return session.exec(query).all()


def _in_reviewed_area():
    """A club lies in an AreaReviewer's area (a province, or one commune of it) by its indexed codes."""
    return and_(
        AreaReviewer.active,
        Club.province_code == AreaReviewer.province_code,
        or_(AreaReviewer.commune_code.is_(None), Club.commune_code == AreaReviewer.commune_code),
    )


def _area_reviewer_rows(session: Session, *conditions):
    """Like `_seat_rows` with the reviewer's role, for the reviewers of a commune or a province: one row per
    reviewer and club of their area."""
    query = (
        select(
            Club.id,
            Club.code,
            Club.name,
            Club.meeting_day,
            ClubReminderSettings.offsets,
            ClubReminderSettings.hour,
            literal(REVIEWER),
            User.id,
            User.display_name,
            User.language,
            ReminderPreference.hour,
        )
        .join(AreaReviewer, _in_reviewed_area())
        .join(User, User.id == AreaReviewer.user_id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .outerjoin(ClubReminderSettings, ClubReminderSettings.club_id == Club.id)
        .where(_has_messenger(), *conditions)
    )
    return session.exec(query).all()


def _wants(kind_column) -> Any:
    return func.coalesce(kind_column, True)


def _submitted(codes: list[str]):
    return exists().where(ReportSubmission.club_id == Club.id, ReportSubmission.period.in_(codes))


def _period_codes(p: Period) -> list[str]:
    """The December report doubles as the annual one: either mark stops the reminders."""
    return [p.code, p.code[:4]] if p.code.endswith("H2") else [p.code]


def _deadline_periods(today: date) -> list[Period]:
    current = half_year_of(today)
    return [half_year_of(current.start - timedelta(days=1)), current]


def plan(session: Session, now: datetime, *, quiet_hours: bool = True) -> list[Due]:
    """Every reminder due at local time `now` that nobody has claimed yet, sorted by club and person."""
    if quiet_hours and in_quiet_hours(now):
        return []
    found: list[Due] = []
    for p in _deadline_periods(now.date()):
        found += _deadlines(session, now, p)
        found += _overdue(session, now, p)
    found += _meetings(session, now)
    found += _instalments(session, now)
    taken = _claimed_keys(session, found)
    due = [d for d in found if d.key not in taken]
    for d in due:
        d.details["now"] = now
    return sorted(due, key=lambda d: (d.kind, d.club_id, d.user_id))


def _claimed_keys(session: Session, found: list[Due]) -> set[tuple]:
    occasions = {(d.kind, d.occasion) for d in found}
    taken: set[tuple] = set()
    for kind, occasion in occasions:
        rows = session.exec(
            select(
                SentReminder.club_id,
                SentReminder.kind,
                SentReminder.occasion,
                SentReminder.offset_days,
                SentReminder.user_id,
            ).where(SentReminder.kind == kind, SentReminder.occasion == occasion)
        )
        taken.update(tuple(row) for row in rows)
    return taken


def _deadline_recipients(session: Session, p: Period):
    chosen = exists().where(
        DeadlineRecipient.club_id == BoardSeat.club_id, DeadlineRecipient.user_id == BoardSeat.user_id
    )
    return _seat_rows(
        session,
        or_(BoardSeat.role.in_((CHAIR, VICE_CHAIR)), and_(BoardSeat.role != REVIEWER, chosen)),
        _wants(ReminderPreference.deadline),
        ~_submitted(_period_codes(p)),
    )


def _deadlines(session: Session, now: datetime, p: Period) -> list[Due]:
    today, zone = now.date(), now.tzinfo
    if not 0 <= (p.due - today).days <= MAX_OFFSET:
        return []
    expires = _at(p.due + timedelta(days=1), 0, zone)
    found = []
    for club_id, code, name, _day, offsets, club_hour, role, user_id, user_name, lang, own_hour in _deadline_recipients(
        session, p
    ):
        hour = own_hour or club_hour or DEFAULT_HOUR
        # The latest offset whose time has come; earlier ones it supersedes are not sent after downtime.
        come = [o for o in parse_offsets(offsets) if _at(p.due - timedelta(days=o), hour, zone) <= now]
        if not come:
            continue
        offset = min(come)
        found.append(
            Due(
                club_id,
                DEADLINE,
                p.code,
                offset,
                user_id,
                _at(p.due - timedelta(days=offset), hour, zone),
                expires,
                p.due,
                code,
                name,
                user_name,
                lang,
                role,
            )
        )
    return found


def _overdue(session: Session, now: datetime, p: Period) -> list[Due]:
    today, zone = now.date(), now.tzinfo
    if not LATE_AFTER_DAYS <= (today - p.due).days <= OVERDUE_USEFUL_DAYS:
        return []
    day = p.due + timedelta(days=LATE_AFTER_DAYS)
    expires = _at(p.due + timedelta(days=OVERDUE_USEFUL_DAYS + 1), 0, zone)
    found = []
    for (
        club_id,
        code,
        name,
        _day,
        _offsets,
        club_hour,
        role,
        user_id,
        user_name,
        lang,
        own_hour,
    ) in _deadline_recipients(session, p):
        scheduled = _at(day, own_hour or club_hour or DEFAULT_HOUR, zone)
        if scheduled <= now:
            found.append(
                Due(
                    club_id,
                    OVERDUE,
                    p.code,
                    -LATE_AFTER_DAYS,
                    user_id,
                    scheduled,
                    expires,
                    p.due,
                    code,
                    name,
                    user_name,
                    lang,
                    role,
                )
            )
    # The reviewers, of the clubs that invited them or of a commune or a province: one list of their late clubs.
    late_clubs: dict[int, Due] = {}
    late = (_wants(ReminderPreference.deadline), ~_submitted(_period_codes(p)))
    reviewers = [
        *_seat_rows(session, BoardSeat.role == REVIEWER, *late),
        *_area_reviewer_rows(session, *late),
    ]
    for _club_id, code, name, _day, _offsets, _club_hour, role, user_id, user_name, lang, own_hour in reviewers:
        scheduled = _at(day, own_hour or DEFAULT_HOUR, zone)
        if scheduled > now:
            continue
        digest = late_clubs.setdefault(
            user_id,
            Due(
                0,
                LATE_CLUBS,
                p.code,
                -LATE_AFTER_DAYS,
                user_id,
                scheduled,
                expires,
                p.due,
                user_name=user_name,
                language=lang,
                role=role,
                details={"clubs": []},
            ),
        )
        if (code, name) not in digest.details["clubs"]:  # a club both invited them and lies in their area
            digest.details["clubs"].append((code, name))
    for digest in late_clubs.values():
        digest.details["clubs"].sort(key=lambda club: club[1])
    return found + list(late_clubs.values())


def _month_days(day: date) -> int:
    return (add_months(day.replace(day=1), 1) - timedelta(days=1)).day


def _meeting_day_is(day: date):
    """Clubs whose meeting falls on `day` (a meeting day past the month's end falls on its last day)."""
    if day.day == _month_days(day):
        return Club.meeting_day >= day.day
    return Club.meeting_day == day.day


def _meetings(session: Session, now: datetime) -> list[Due]:
    today, zone = now.date(), now.tzinfo
    found = []
    # Tomorrow's meetings; and today's, in case yesterday's reminder was missed while the bot was down.
    for meeting_on in (today + timedelta(days=1), today):
        expires = _at(meeting_on, MEETING_USEFUL_UNTIL.hour, zone)
        if now >= expires:
            continue
        for club_id, code, name, _day, _offsets, club_hour, role, user_id, user_name, lang, own_hour in _seat_rows(
            session, _meeting_day_is(meeting_on), BoardSeat.role != REVIEWER, _wants(ReminderPreference.meeting)
        ):
            scheduled = _at(meeting_on - timedelta(days=1), own_hour or club_hour or DEFAULT_HOUR, zone)
            if scheduled <= now:
                found.append(
                    Due(
                        club_id,
                        MEETING_REMINDER,
                        meeting_on.isoformat(),
                        1,
                        user_id,
                        scheduled,
                        expires,
                        meeting_on,
                        code,
                        name,
                        user_name,
                        lang,
                        role,
                    )
                )
    return found


def week_code(monday: date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _instalments(session: Session, now: datetime) -> list[Due]:
    today, zone = now.date(), now.tzinfo
    monday = today - timedelta(days=(today.weekday() - WEEKLY_WEEKDAY) % 7)
    expires = _at(monday + timedelta(days=WEEKLY_USEFUL_DAYS), 0, zone)
    if now >= expires:
        return []
    falling_due = _unpaid_query(None, monday, monday + timedelta(days=7)).subquery()
    has_some = exists().where(falling_due.c.club_id == Club.id)
    found = []
    for club_id, code, name, _day, _offsets, club_hour, role, user_id, user_name, lang, own_hour in _seat_rows(
        session, BoardSeat.role == TREASURER, _wants(ReminderPreference.instalments), has_some
    ):
        scheduled = _at(monday, own_hour or club_hour or DEFAULT_HOUR, zone)
        if scheduled <= now:
            found.append(
                Due(
                    club_id,
                    INSTALMENTS,
                    week_code(monday),
                    0,
                    user_id,
                    scheduled,
                    expires,
                    monday,
                    code,
                    name,
                    user_name,
                    lang,
                    role,
                )
            )
    return found


# --- what a reminder says: figures for many clubs at once ---------------------------------------------------


@dataclass(frozen=True)
class UnpaidInstalment:
    club_id: int
    member: str
    due_on: date
    left: int  # đồng still to pay on this instalment


def _unpaid_query(club_ids: list[int] | None, start: date | None, end: date):
    """Instalments due in [start, end) that what was paid on their loan does not cover yet."""
    amount = LoanInstalment.principal + LoanInstalment.interest
    schedule = select(
        LoanInstalment.loan_id,
        LoanInstalment.due_on,
        amount.label("amount"),
        func.sum(amount).over(partition_by=LoanInstalment.loan_id, order_by=LoanInstalment.number).label("running"),
    ).subquery()
    is_payout = LedgerEntry.kind == LOAN
    paid = (
        select(
            LedgerEntry.loan_id,
            total(case((is_payout, -LedgerEntry.amount), else_=0)).label("paid_out"),
            total(case((is_payout, 0), else_=LedgerEntry.amount)).label("paid"),
            total(case((is_payout, 0), else_=LedgerEntry.amount - LedgerEntry.interest)).label("principal"),
        )
        .where(LedgerEntry.loan_id.is_not(None), LedgerEntry.kind.in_((LOAN, REPAYMENT)))
        .group_by(LedgerEntry.loan_id)
        .subquery()
    )
    query = (
        select(
            Loan.club_id,
            Member.full_name,
            schedule.c.due_on,
            cast(schedule.c.running - paid.c.paid, BigInteger).label("behind"),
            cast(schedule.c.amount, BigInteger).label("amount"),
        )
        .join(schedule, schedule.c.loan_id == Loan.id)
        .join(paid, paid.c.loan_id == Loan.id)
        .join(Member, Member.id == Loan.member_id)
        .where(
            paid.c.paid_out > 0,
            paid.c.principal < Loan.principal,
            schedule.c.running > paid.c.paid,
            schedule.c.due_on < end,
        )
    )
    if start is not None:
        query = query.where(schedule.c.due_on >= start)
    if club_ids is not None:
        query = query.where(Loan.club_id.in_(club_ids))
    return query


def unpaid_instalments(
    session: Session, club_ids: list[int] | None, start: date | None, end: date
) -> list[UnpaidInstalment]:
    rows = session.exec(_unpaid_query(club_ids, start, end))
    found = [
        UnpaidInstalment(club_id, member, due_on, min(int(amount), int(behind)))
        for club_id, member, due_on, behind, amount in rows
    ]
    return sorted(found, key=lambda i: (i.club_id, i.due_on, i.member))


def add_details(session: Session, dues: list[Due], today: date) -> None:
    """Fill in what each reminder says, with a few queries for all the clubs together."""
    deadlines = [d for d in dues if d.kind in (DEADLINE, OVERDUE)]
    for occasion, group in _group_by(deadlines, lambda d: d.occasion).items():
        missing = deadline_figures(session, sorted({d.club_id for d in group}), today, period(occasion))
        for d in group:
            d.details.update(missing[d.club_id])
    for kind in (MEETING_REMINDER, INSTALMENTS):
        wanted = [d for d in dues if d.kind == kind and (kind == INSTALMENTS or d.role == TREASURER)]
        for about, group in _group_by(wanted, lambda d: d.about).items():
            end = add_months(about, 1) if kind == MEETING_REMINDER else about + timedelta(days=7)
            lines = unpaid_instalments(session, sorted({d.club_id for d in group}), None, end)
            for d in group:
                mine = [i for i in lines if i.club_id == d.club_id]
                d.details["overdue"] = [i for i in mine if i.due_on < about] if kind == MEETING_REMINDER else []
                d.details["due"] = [i for i in mine if i.due_on >= about]
    for d in dues:
        if d.kind == LATE_CLUBS and "clubs" not in d.details:  # a retry: the list is made again
            d.details["clubs"] = late_clubs_of(session, d.user_id, period(d.occasion))


def _group_by(items, key) -> dict:
    groups = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def deadline_figures(session: Session, club_ids: list[int], today: date, p: Period) -> dict[int, dict[str, Any]]:
    """Per club: the last meeting, members on the list and whether anything was contributed in period `p`."""
    last_meeting = dict(
        session.exec(
            select(Meeting.club_id, func.max(Meeting.held_on))
            .where(Meeting.club_id.in_(club_ids))
            .group_by(Meeting.club_id)
        ).all()
    )
    members = dict(
        session.exec(
            select(Member.club_id, func.count(Member.id))
            .where(Member.club_id.in_(club_ids), or_(Member.left_on.is_(None), Member.left_on > today))
            .group_by(Member.club_id)
        ).all()
    )
    contributed = dict(
        session.exec(
            select(LedgerEntry.club_id, total(LedgerEntry.amount))
            .where(
                LedgerEntry.club_id.in_(club_ids),
                LedgerEntry.kind.in_(CONTRIBUTION_KINDS),
                LedgerEntry.entry_date >= p.start,
                LedgerEntry.entry_date <= p.end,
            )
            .group_by(LedgerEntry.club_id)
        ).all()
    )
    return {
        club_id: {
            "last_meeting": last_meeting.get(club_id),
            "members": members.get(club_id, 0),
            "contributed": int(contributed.get(club_id, 0)) > 0,
            "no_meeting": (
                last_meeting.get(club_id) is None or last_meeting[club_id] < today - timedelta(days=NO_MEETING_DAYS)
            ),
            "few_members": members.get(club_id, 0) < MEMBER_TARGET,
        }
        for club_id in club_ids
    }


def late_clubs_of(session: Session, reviewer_id: int, p: Period) -> list[tuple[str, str]]:
    """The late clubs of a reviewer: those that invited them, and those of the commune or province they review."""
    invited = (
        select(Club.code, Club.name)
        .join(BoardSeat, and_(BoardSeat.club_id == Club.id, BoardSeat.active))
        .where(BoardSeat.user_id == reviewer_id, BoardSeat.role == REVIEWER, ~_submitted(_period_codes(p)))
    )
    in_area = (
        select(Club.code, Club.name)
        .join(AreaReviewer, _in_reviewed_area())
        .where(AreaReviewer.user_id == reviewer_id, ~_submitted(_period_codes(p)))
    )
    rows = session.execute(union(invited, in_area))
    return sorted((tuple(row) for row in rows), key=lambda club: club[1])


def channels_of(session: Session, user_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """storage.accounts.reminder_channels for many people at once."""
    chosen = dict(
        session.exec(
            select(ReminderChannel.user_id, ReminderChannel.channel).where(ReminderChannel.user_id.in_(user_ids))
        ).all()
    )
    accounts = defaultdict(list)
    for user_id, channel, external_id in session.exec(
        select(ChannelAccount.user_id, ChannelAccount.channel, ChannelAccount.external_id)
        .where(ChannelAccount.user_id.in_(user_ids), ChannelAccount.channel.in_(MESSENGERS))
        .order_by(ChannelAccount.id)
    ):
        accounts[user_id].append((channel, external_id))
    found = {}
    for user_id in user_ids:
        mine, wanted = accounts.get(user_id, []), chosen.get(user_id, BOTH)
        preferred = [pair for pair in mine if wanted in (BOTH, pair[0])]
        found[user_id] = sorted(preferred or mine, key=lambda pair: MESSENGERS.index(pair[0]))
    return found


# --- claiming exactly once, and what came of sending --------------------------------------------------------


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SentReminder)


def claim(session: Session, dues: list[Due], now_utc: datetime | None = None) -> list[Due]:
    """Insert a row for each reminder; those this call inserted are ours to send (their `id` is set)."""
    now_utc = (now_utc or utcnow()).astimezone(utcnow().tzinfo)
    # Long enough for the whole batch at 30 messages a second, so nobody takes over a reminder in hand.
    lease_until = now_utc + LEASE + timedelta(seconds=len(dues) / 10)
    by_key = {d.key: d for d in dues}
    claimed = []
    items = list(by_key.values())
    for start in range(0, len(items), 500):
        rows = [
            dict(
                club_id=d.club_id,
                kind=d.kind,
                occasion=d.occasion,
                offset_days=d.offset_days,
                user_id=d.user_id,
                status=PENDING,
                attempts=1,
                delivered="",
                blocked="",
                scheduled_for=d.scheduled_for,
                expires_at=d.expires_at,
                lease_until=lease_until,
                created_at=now_utc,
                updated_at=now_utc,
            )
            for d in items[start : start + 500]
        ]
        statement = (
            _insert(session)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["club_id", "kind", "occasion", "offset_days", "user_id"])
            .returning(
                SentReminder.id,
                SentReminder.club_id,
                SentReminder.kind,
                SentReminder.occasion,
                SentReminder.offset_days,
                SentReminder.user_id,
            )
        )
        for row_id, *key in session.execute(statement):
            due = by_key[tuple(key)]
            due.id = row_id
            claimed.append(due)
    return claimed


def claim_retries(session: Session, now: datetime) -> list[Due]:
    """Take over failed sends whose time to retry has come, and claimed ones a crashed sender left behind."""
    now_utc = now.astimezone(utcnow().tzinfo)
    ready = or_(
        and_(SentReminder.status == FAILED, SentReminder.next_attempt_at <= now_utc),
        and_(SentReminder.status == PENDING, SentReminder.lease_until < now_utc),
    )
    ids = [
        row_id
        for (row_id,) in session.execute(
            update(SentReminder)
            .where(ready, SentReminder.expires_at > now_utc, SentReminder.attempts < MAX_ATTEMPTS)
            .values(
                status=PENDING,
                attempts=SentReminder.attempts + 1,
                lease_until=now_utc + LEASE,
                next_attempt_at=None,
                updated_at=now_utc,
            )
            .returning(SentReminder.id)
        )
    ]
    if not ids:
        return []
    zone = now.tzinfo
    rows = session.exec(
        select(SentReminder, Club.code, Club.name, User.display_name, User.language)
        .join(User, User.id == SentReminder.user_id)
        .outerjoin(Club, Club.id == SentReminder.club_id)
        .where(SentReminder.id.in_(ids))
    )
    seats = {
        (club_id, user_id): role
        for club_id, user_id, role in session.exec(
            select(BoardSeat.club_id, BoardSeat.user_id, BoardSeat.role).where(
                BoardSeat.active, BoardSeat.user_id.in_(select(SentReminder.user_id).where(SentReminder.id.in_(ids)))
            )
        )
    }
    found = []
    for row, code, name, user_name, lang in rows:
        about = _about(row)
        role = seats.get((row.club_id, row.user_id), REVIEWER if row.kind == LATE_CLUBS else "")
        found.append(
            Due(
                row.club_id,
                row.kind,
                row.occasion,
                row.offset_days,
                row.user_id,
                row.scheduled_for.astimezone(zone),
                row.expires_at.astimezone(zone),
                about,
                code or "",
                name or "",
                user_name,
                lang,
                role,
                id=row.id,
                details={"now": now},
            )
        )
    return found


def add_addresses(session: Session, dues: list[Due]) -> None:
    """Each reminder about to go out learns how its recipient is called (User.address), in one query."""
    wanted = {due.user_id for due in dues}
    addresses = dict(session.exec(select(User.id, User.address).where(User.id.in_(wanted))).all())
    for due in dues:
        due.address = addresses.get(due.user_id)


def _about(row: SentReminder) -> date:
    if row.kind in (DEADLINE, OVERDUE, LATE_CLUBS):
        return period(row.occasion).due
    if row.kind == MEETING_REMINDER:
        return date.fromisoformat(row.occasion)
    year, week = row.occasion.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


@dataclass
class Outcome:
    reminder_id: int
    attempts: int
    delivered: list[str]  # channels it reached, this time or before
    blocked: list[str]  # channels where the person blocked the bot
    error: str | None = None  # a failure worth retrying, on some channel


def retry_delay(attempts: int) -> timedelta:
    """5, 10, 20, 40... minutes, at most 2 hours."""
    return timedelta(minutes=min(120, 5 * 2 ** max(0, attempts - 1)))


def record_outcomes(session: Session, outcomes: list[Outcome], now: datetime | None = None) -> None:
    now_utc = (now or utcnow()).astimezone(utcnow().tzinfo)
    changes = []
    for o in outcomes:
        change = dict(
            id=o.reminder_id,
            delivered=",".join(o.delivered),
            blocked=",".join(o.blocked),
            lease_until=None,
            updated_at=now_utc,
            last_error=(o.error or None) and o.error[:200],
        )
        if o.error is not None:
            change.update(
                status=FAILED,
                next_attempt_at=(now_utc + retry_delay(o.attempts) if o.attempts < MAX_ATTEMPTS else None),
            )
        elif o.delivered:
            change.update(status=SENT, sent_at=now_utc, next_attempt_at=None)
        else:  # blocked everywhere, or no account left to send to
            change.update(
                status=BLOCKED,
                next_attempt_at=None,
                last_error=None if o.blocked else "no account to send reminders to",
            )
        changes.append(change)
    if changes:
        session.execute(update(SentReminder), changes)


def attempts_of(session: Session, ids: list[int]) -> dict[int, tuple[int, str, str]]:
    """(attempts, delivered, blocked) of claimed reminders."""
    return {
        row_id: (attempts, delivered, blocked)
        for row_id, attempts, delivered, blocked in session.exec(
            select(SentReminder.id, SentReminder.attempts, SentReminder.delivered, SentReminder.blocked).where(
                SentReminder.id.in_(ids)
            )
        )
    }
