"""The semi-annual and annual report of a club, and the combined report of a district (issue 5).

`club_reports` is the one function behind every report: the chat text, the .xlsx, the JSON of
`python -m bot report` and the district view all read what it returns. It counts in SQL, one grouped
aggregate per set of figures (members, board, groups, meetings, areas, activities, volunteers, ledger,
loans, submissions), so the number of queries stays the same whether it reports one club or a country:
nothing here loads members or ledger entries into Python. Money figures come from the sums the database
keeps on every new ledger entry (LedgerMonth per club and month, LoanBalance per loan, BorrowerBalance per
member; storage.report_sums), so a report reads a few rows per club and loan instead of ten years of entries;
a loan's position on a past day is its sums less its entries dated later.

A report is a typed value (storage.report_model: ClubReport, DistrictReport), read by attribute and written
as JSON by `to_json`; money is integer dong. Every "as of" figure (members on the list, balances, loans owing,
overdue, at risk) is as of `period.as_of`: the period's end, or today while the period is still running
(`period.running`), so that a running half-year never judges what falls due between today and its end.
"Elderly" means aged 60 or more in the year `period.end` falls in, running or not (only the birth year is
recorded); a member whose birth year is not known (anonymised) is in no age group but `unknown_age`.

A club that moved its books in (`Club.records_start`, a month's last day, storage.history): whatever is dated on
or before that day counts before the period, whatever the period, so its opening balances are what the board
declared, and the loans it brought in are owed from the start but never lent, repaid or raised in a period. A
period ending on or before that day is before the books on the bot (`ClubReport.before_records`): its money
and loan figures are all 0, and its members, meetings and activities are counted as for any club.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, func, literal, or_, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session, select

from storage import places
from storage.collation import vietnamese_key
from storage.db import run
from storage.ledger import total
from storage.models import (
    ACTIVITY_FUND,
    AREAS,
    BETTER_OFF,
    CONTRIBUTION_KINDS,
    EXPENSE,
    FEMALE,
    FUNDS,
    HEALTH_DAY,
    HOME_VISIT,
    INCOME_FUND,
    LOAN,
    NEAR_POOR,
    POOR,
    REPAYMENT,
    REVIEWER,
    Activity,
    BoardSeat,
    BorrowerBalance,
    Club,
    ClubGroup,
    LedgerEntry,
    LedgerMonth,
    Loan,
    LoanBalance,
    LoanInstalment,
    Meeting,
    MeetingArea,
    Member,
    ReportSubmission,
    User,
    Volunteer,
)
from storage.names import fold
from storage.periods import Period, half_year_of
from storage.report_model import (
    COMMUNE_LEVEL,
    DISTRICT_LEVEL,
    PROVINCE_LEVEL,
    Activities,
    ActivityTotals,
    AreaTotals,
    AreaWork,
    Board,
    ClubInfo,
    ClubName,
    ClubReport,
    Correction,
    DistrictIndicators,
    DistrictReport,
    DistrictTotals,
    Fund,
    Funds,
    Indicators,
    Loans,
    LoanTotals,
    Meetings,
    Members,
    MonthEnd,
    ReportArea,
    ReportPeriod,
    Submission,
)
from storage.rounding import one_decimal, percent
from storage.schedule import add_months

ELDERLY_AGE = 60
MIN_MEMBERS = 40
WOMEN_RANGE = (60, 70)  # per cent of members (the targets in ARCHITECTURE.md, "The domain")
ELDERLY_RANGE = (60, 70)
YOUNG_RANGE = (30, 40)
BORROWED_SHARE = 50  # per cent of members who have borrowed from the income fund
ALL_AREAS_CLUB_SHARE = 70  # per cent of clubs carrying out all eight areas (a district target)
PAR_DAYS = 30  # portfolio at risk: loans with an instalment unpaid more than this many days
LOAN_FIGURES = (
    "borrowers",
    "open_loans",
    "overdue_amount",
    "overdue_loans",
    "overdue_borrowers",
    "at_risk",
    "loans_in_period",
    "borrowers_in_period",
    "ever_borrowed",
)

# The targets of QĐ 1336 (ARCHITECTURE.md, "The domain"), in the order reports show them (`indicators.<name>`).
INDICATORS = (
    "members_40",
    "women_60_70",
    "elderly_60_70",
    "young_30_40",
    "both_funds",
    "all_eight_areas",
    "borrowed_50",
)

MEMBER_COUNTS = (
    "total",
    "elderly",
    "young",
    "unknown_age",
    "women",
    "poor",
    "near_poor",
    "better_off",
    "ethnic_minority",
    "disabled",
)
# What a district adds up, club by club; the shares of members are worked out again on the sums.
SUMMED_MEMBERS = (*MEMBER_COUNTS, "elderly_better_off", "joined", "left")
SUMMED_LOANS = (
    "borrowers",
    "open_loans",
    "ever_borrowed",
    "disbursed",
    "loans_in_period",
    "borrowers_in_period",
    "principal_repaid",
    "fees",
    "opening_outstanding",
    "outstanding",
    "overdue_amount",
    "overdue_loans",
    "overdue_borrowers",
    "at_risk_30",
)


class _Scope:
    """Which clubs a report covers: the given ones, or every club."""

    def __init__(self, club_ids: list[int] | None = None):
        self.club_ids = club_ids

    def on(self, column):
        if self.club_ids is None:
            return literal(True)
        return column == self.club_ids[0] if len(self.club_ids) == 1 else column.in_(self.club_ids)


def _district_spellings(session: Session, district: str) -> list[str]:
    """The district's name as its clubs wrote it, in any case and with or without diacritics ("binh son" is
    Binh Son). Compared in Python: SQLite's lower() folds ASCII only."""
    wanted = fold(district)
    return [name for name in session.exec(select(Club.district).distinct()) if name and fold(name) == wanted]


def _within(part: int, whole: int, low: int, high: int) -> bool:
    """low % <= part/whole <= high %, in whole numbers."""
    return whole > 0 and low * whole <= part * 100 <= high * whole


# --- one query per set of figures, grouped by club -----------------------------------------------------


def _present(p: Period):
    """A member at the end of the period."""
    return and_(Member.joined_on <= p.end, or_(Member.left_on.is_(None), Member.left_on > p.end))


def _members(session: Session, scope: _Scope, p: Period, age_year: int) -> dict[int, dict[str, int]]:
    """Per club, the members on the list at the end of `p` by group; ages in the year `age_year`."""
    present = _present(p)
    # A NULL birth year (an anonymised member) makes both comparisons unknown: neither elderly nor young.
    elderly = and_(present, Member.birth_year <= age_year - ELDERLY_AGE)
    young = and_(present, Member.birth_year > age_year - ELDERLY_AGE)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = {
        "total": count(present),
        "elderly": count(elderly),
        "young": count(young),
        "unknown_age": count(and_(present, Member.birth_year.is_(None))),
        "women": count(and_(present, Member.sex == FEMALE)),
        "poor": count(and_(present, Member.poverty == POOR)),
        "near_poor": count(and_(present, Member.poverty == NEAR_POOR)),
        "better_off": count(and_(present, Member.poverty == BETTER_OFF)),
        "elderly_better_off": count(and_(elderly, Member.poverty == BETTER_OFF)),
        "ethnic_minority": count(and_(present, Member.ethnic_minority)),
        "disabled": count(and_(present, Member.disabled)),
        "joined": count(and_(Member.joined_on >= p.start, Member.joined_on <= p.end)),
        "left": count(and_(Member.left_on >= p.start, Member.left_on <= p.end)),
    }
    rows = run(
        session, select(Member.club_id, *columns.values()).where(scope.on(Member.club_id)).group_by(Member.club_id)
    )
    return {row[0]: dict(zip(columns, map(int, row[1:]))) for row in rows}


def _counts(session: Session, column, *where, group=None) -> dict[int, int]:
    rows = run(session, select(group, func.count(column)).where(*where).group_by(group))
    return {club_id: int(n) for club_id, n in rows}


def _meetings(session: Session, scope: _Scope, p: Period) -> dict[int, tuple[int, int, int]]:
    rows = run(
        session,
        select(
            Meeting.club_id,
            func.count(Meeting.id),
            func.coalesce(func.sum(Meeting.attendance), 0),
            func.coalesce(func.sum(Meeting.health_checks), 0),
        )
        .where(scope.on(Meeting.club_id), Meeting.held_on >= p.start, Meeting.held_on <= p.end)
        .group_by(Meeting.club_id),
    )
    return {club_id: (int(held), int(attended), int(checks)) for club_id, held, attended, checks in rows}


def _areas(session: Session, scope: _Scope, p: Period) -> dict[int, dict[str, tuple[int, int]]]:
    in_meetings = (
        select(
            Meeting.club_id.label("club_id"),
            MeetingArea.area.label("area"),
            literal(1).label("meetings"),
            literal(0).label("others"),
        )
        .join(Meeting, Meeting.id == MeetingArea.meeting_id)
        .where(scope.on(Meeting.club_id), Meeting.held_on >= p.start, Meeting.held_on <= p.end)
    )
    outside = select(
        Activity.club_id.label("club_id"),
        Activity.area.label("area"),
        literal(0).label("meetings"),
        literal(1).label("others"),
    ).where(scope.on(Activity.club_id), Activity.held_on >= p.start, Activity.held_on <= p.end)
    both = union_all(in_meetings, outside).subquery()
    found: dict[int, dict[str, tuple[int, int]]] = {}
    for club_id, area, held, others in run(
        session,
        select(both.c.club_id, both.c.area, func.sum(both.c.meetings), func.sum(both.c.others)).group_by(
            both.c.club_id, both.c.area
        ),
    ):
        found.setdefault(club_id, {})[area] = (int(held), int(others))
    return found


def _activities(session: Session, scope: _Scope, p: Period) -> dict[int, dict[str, tuple[int, int]]]:
    found: dict[int, dict[str, tuple[int, int]]] = {}
    for club_id, kind, n, people in run(
        session,
        select(Activity.club_id, Activity.kind, func.count(Activity.id), func.coalesce(func.sum(Activity.people), 0))
        .where(scope.on(Activity.club_id), Activity.held_on >= p.start, Activity.held_on <= p.end)
        .group_by(Activity.club_id, Activity.kind),
    ):
        found.setdefault(club_id, {})[kind] = (int(n), int(people))
    return found


def _month_sums(scope: _Scope, p: Period):
    """The monthly sums (LedgerMonth) of the clubs in scope up to the end of `p`. A period is whole months,
    except a running one cut at today: its last month's sums then lose the entries dated after today."""
    months = select(
        LedgerMonth.club_id,
        LedgerMonth.fund,
        LedgerMonth.kind,
        LedgerMonth.month,
        LedgerMonth.amount,
        LedgerMonth.interest,
        LedgerMonth.outside,
    ).where(scope.on(LedgerMonth.club_id), LedgerMonth.month <= p.end)
    month_start = p.end.replace(day=1)
    month_end = add_months(month_start, 1) - timedelta(days=1)
    if p.end == month_end:
        return months.subquery()
    later = (
        select(
            LedgerEntry.club_id,
            LedgerEntry.fund,
            LedgerEntry.kind,
            literal(month_start, Date),
            -LedgerEntry.amount,
            -LedgerEntry.interest,
            case((LedgerEntry.source.is_not(None), -LedgerEntry.amount), else_=0),
        )
        # every fund, spelled out so that the (club, fund, date) index serves it
        .where(
            scope.on(LedgerEntry.club_id),
            LedgerEntry.fund.in_(FUNDS),
            LedgerEntry.entry_date > p.end,
            LedgerEntry.entry_date <= month_end,
        )
    )
    return union_all(months, later).subquery()


def _on_or_before_records(day):
    """`day` (a column) is on or before its club's records start (Club joined in): counted before any period."""
    return and_(Club.records_start.is_not(None), day <= Club.records_start)


def _after_records(day):
    """`day` (a column) is after its club's records start, or the club has none: on the books kept on the bot."""
    return or_(Club.records_start.is_(None), day > Club.records_start)


def _ledger(session: Session, scope: _Scope, p: Period) -> dict[int, dict[tuple[str, str], dict[str, int]]]:
    """Per club, (fund, kind): amounts before the period and in it, fee/interest, and money from outside.
    Read from the monthly sums (`_month_sums`), which add up to the same figures as the entries."""
    sums = _month_sums(scope, p)
    # Whatever is dated on or before a club's records start counts before the period, whatever the period: the
    # balances, capital and loans it brought in (storage.history). The start is a month's last day and the sums
    # are per month, so a month counts before exactly when it begins on or before the start.
    before = or_(sums.c.month < p.start, _on_or_before_records(sums.c.month))
    during = and_(sums.c.month >= p.start, _after_records(sums.c.month))
    rows = run(
        session,
        select(
            sums.c.club_id,
            sums.c.fund,
            sums.c.kind,
            total(case((before, sums.c.amount), else_=0)),
            total(case((during, sums.c.amount), else_=0)),
            total(case((before, sums.c.interest), else_=0)),
            total(case((during, sums.c.interest), else_=0)),
            total(case((during, sums.c.outside), else_=0)),
        )
        .join(Club, Club.id == sums.c.club_id)
        .group_by(sums.c.club_id, sums.c.fund, sums.c.kind),
    )
    found: dict[int, dict[tuple[str, str], dict[str, int]]] = {}
    for club_id, fund, kind, *sums in rows:
        found.setdefault(club_id, {})[(fund, kind)] = dict(
            zip(("before", "during", "interest_before", "interest_during", "outside"), map(int, sums))
        )
    return found


def _later_loan_entries(scope: _Scope, p: Period):
    """Per loan of the clubs in scope, its pay-out and repayment entries dated after the period, summed: a
    loan's sums over all time (LoanBalance) less these are its position at the end of the period. Read once
    per report, for every loan figure."""
    return (
        select(
            LedgerEntry.loan_id.label("loan_id"),
            # a loan's entries are all its borrower's (LoanBalance.member_id)
            func.min(LedgerEntry.member_id).label("member_id"),
            func.sum(case((LedgerEntry.kind == LOAN, LedgerEntry.amount), else_=0)).label("lent"),
            func.sum(LedgerEntry.interest - LedgerEntry.amount).label("owed"),
            func.sum(case((LedgerEntry.kind == REPAYMENT, LedgerEntry.amount), else_=0)).label("repaid"),
        )
        # every fund, spelled out so that the (club, fund, date) index serves one club's later entries
        .where(
            scope.on(LedgerEntry.club_id),
            LedgerEntry.fund.in_(FUNDS),
            LedgerEntry.entry_date > p.end,
            LedgerEntry.loan_id.is_not(None),
            LedgerEntry.kind.in_((LOAN, REPAYMENT)),
        )
        .group_by(LedgerEntry.loan_id)
        # made once per query: PostgreSQL would otherwise redo it for every loan it is joined to
        .cte("later")
        .prefix_with("MATERIALIZED")
    )


def _at_end(column, later_column):
    """A sum kept over all time (a LoanBalance or BorrowerBalance column) as it stood at the end of the period:
    less its part from the later entries."""
    return column - func.coalesce(later_column, 0)


def _figures(club_id, **figures):
    """One part of the loan figures, grouped by club; the figures other parts count are 0 here (`_loans`)."""
    return select(
        club_id.label("club_id"), *(figures.get(name, literal(0)).label(name) for name in LOAN_FIGURES)
    ).group_by(club_id)


def _due_by(loan, day: date):
    """What a loan's schedule made due before `day`: its whole schedule total (LoanBalance.scheduled) if the
    last instalment fell due before then, so that the instalment rows of the many loans past their term are
    never read; otherwise its instalments due before `day`, looked up by the loan's (loan_id, number) index.
    A scalar subquery inside CASE runs only for the loans that take that branch."""
    instalments_due = (
        select(total(LoanInstalment.principal + LoanInstalment.interest))
        .where(LoanInstalment.loan_id == loan.c.loan_id, LoanInstalment.due_on < day)
        .scalar_subquery()
    )
    return case((loan.c.last_due >= day, instalments_due), else_=loan.c.scheduled)


def _owing(scope: _Scope, p: Period, later):
    """The loans still owing at the end of the period: borrowers, loans, arrears, principal at risk >30 days.
    Only a loan owing now or with entries after the period can have owed anything then, so the loans repaid
    long ago, most of a club's history, never reach the per-loan work."""
    owed = _at_end(LoanBalance.owed, later.c.owed)
    owing = (
        select(
            LoanBalance.loan_id,
            LoanBalance.club_id,
            LoanBalance.member_id,
            LoanBalance.scheduled,
            LoanBalance.last_due,
            owed.label("owed"),
            _at_end(LoanBalance.repaid, later.c.repaid).label("repaid"),
        )
        .outerjoin(later, later.c.loan_id == LoanBalance.loan_id)
        # the same test first without the later entries, so that it needs no join for most loans
        .where(
            scope.on(LoanBalance.club_id),
            or_(LoanBalance.owed > 0, LoanBalance.loan_id.in_(select(later.c.loan_id))),
            owed > 0,
        )
        .cte("owing")
    )
    # Materialised, so that each loan's instalments are summed once, not once per use of `due` below.
    loan = select(owing, _due_by(owing, p.end).label("due")).cte("per_loan").prefix_with("MATERIALIZED")
    arrears = loan.c.due - loan.c.repaid
    late = arrears > 0
    # What fell due a month earlier is part of what fell due by the end, so only a loan late at the end can be
    # more than 30 days late: only those are looked up again (CASE, unlike AND, tests its conditions in order).
    at_risk = case(
        (late, case((_due_by(loan, p.end - timedelta(days=PAR_DAYS)) > loan.c.repaid, loan.c.owed), else_=0)), else_=0
    )
    return _figures(
        loan.c.club_id,
        borrowers=func.count(func.distinct(loan.c.member_id)),
        open_loans=func.count(),
        overdue_amount=total(case((late, arrears), else_=0)),
        overdue_loans=func.sum(case((late, 1), else_=0)),
        overdue_borrowers=func.count(func.distinct(case((late, loan.c.member_id)))),
        at_risk=total(at_risk),
    )


def _made_in_period(scope: _Scope, p: Period, later):
    """The loans paid out during the period and not reversed by its end, and the members who got them."""
    return (
        _figures(
            Loan.club_id, loans_in_period=func.count(), borrowers_in_period=func.count(func.distinct(Loan.member_id))
        )
        .join(LoanBalance, LoanBalance.loan_id == Loan.id)
        .join(Club, Club.id == Loan.club_id)
        .outerjoin(later, later.c.loan_id == Loan.id)
        .where(
            scope.on(Loan.club_id),
            Loan.disbursed_on >= p.start,
            Loan.disbursed_on <= p.end,
            _after_records(Loan.disbursed_on),  # a loan brought in was paid out before the books on the bot
            _at_end(LoanBalance.lent, later.c.lent) < 0,
        )
    )


def _ever_borrowed(scope: _Scope, p: Period, later) -> tuple:
    """The members at the end of the period who had borrowed by then (a loan paid out and not reversed by
    then), from each member's pay-outs (BorrowerBalance), one row per member instead of every loan ever made:
    those who have borrowed as of now, corrected for the few members with pay-outs or reversals dated after
    the period, so that the correction is driven by those few, not by every member."""
    present_borrower = and_(scope.on(Member.club_id), _present(p), BorrowerBalance.member_id == Member.id)
    now = _figures(Member.club_id, ever_borrowed=func.count()).where(present_borrower, BorrowerBalance.lent < 0)
    changed = (
        select(later.c.member_id, total(later.c.lent).label("lent"))
        .where(later.c.lent != 0)
        .group_by(later.c.member_id)
        .subquery()
    )
    borrowed_then = _at_end(BorrowerBalance.lent, changed.c.lent) < 0
    correction = (
        _figures(
            Member.club_id,
            ever_borrowed=func.sum(case((borrowed_then, 1), else_=0))
            - func.sum(case((BorrowerBalance.lent < 0, 1), else_=0)),
        )
        .select_from(changed)
        .join(Member, Member.id == changed.c.member_id)
        .where(present_borrower)
    )
    return now, correction


def _loans(session: Session, scope: _Scope, p: Period) -> dict[int, dict[str, int]]:
    """Per club at the end of the period: members owing, loans and amount overdue, principal at risk >30 days,
    loans paid out in the period and the members who got them, and the present members who ever borrowed.
    Its parts in one statement, so that the later entries are read once for all of them."""
    later = _later_loan_entries(scope, p)
    parts = union_all(
        _owing(scope, p, later), _made_in_period(scope, p, later), *_ever_borrowed(scope, p, later)
    ).subquery()
    rows = run(
        session, select(parts.c.club_id, *(total(parts.c[name]) for name in LOAN_FIGURES)).group_by(parts.c.club_id)
    )
    return {row[0]: dict(zip(LOAN_FIGURES, map(int, row[1:]))) for row in rows}


def _submissions(session: Session, scope: _Scope, p: Period) -> dict[int, Submission]:
    """Who marked the report submitted, by the full name on their seat (chat names are nicknames), and when."""
    rows = run(
        session,
        select(
            ReportSubmission.club_id,
            ReportSubmission.submitted_at,
            func.coalesce(BoardSeat.full_name, User.display_name),
        )
        .join(User, User.id == ReportSubmission.submitted_by)
        .outerjoin(
            BoardSeat,
            and_(BoardSeat.club_id == ReportSubmission.club_id, BoardSeat.user_id == ReportSubmission.submitted_by),
        )
        .where(scope.on(ReportSubmission.club_id), ReportSubmission.period == p.code),
    )
    return {club_id: Submission(at=at, by=by) for club_id, at, by in rows}


class _Rare(ColumnElement):
    """A condition true for few rows, said so to SQLite's planner (`likelihood`); the condition itself elsewhere.
    SQLite's statistics count every NULL of a unique column as one value, so without the hint it takes
    "reverses_entry_id IS NOT NULL" for the whole ledger and never reads the reversals by their index."""

    inherit_cache = True
    _traverse_internals = [
        ("condition", InternalTraversal.dp_clauseelement),
        ("share", InternalTraversal.dp_plain_obj),
    ]  # its part of the statement cache key
    _is_implicitly_boolean = True  # a condition: no "= 1" added after it in a WHERE clause

    def __init__(self, condition, share: float):
        self.condition, self.share = condition, share
        self.type = condition.type


@compiles(_Rare)
def _condition(element: _Rare, compiler, **kw) -> str:
    return compiler.process(element.condition, **kw)


@compiles(_Rare, "sqlite")
def _likelihood(element: _Rare, compiler, **kw) -> str:
    return f"likelihood({compiler.process(element.condition, **kw)}, {element.share})"


REVERSAL_SHARE = 0.001  # about one ledger entry in a thousand is a reversal: corrections are rare


def _corrections(session: Session, scope: _Scope, p: Period) -> dict[int, list[Correction]]:
    """Per club, the reversals dated in the period of entries dated before it, oldest first: corrections of
    periods already reported (a reversal of a submitted period's entry is dated the day it is made). The
    planner reads one club's entries of the period by the (club, fund, date) index, and a district's or the
    country's reversals by their own index."""
    original = aliased(LedgerEntry)
    rows = run(
        session,
        select(
            LedgerEntry.club_id,
            LedgerEntry.id,
            original.id,
            original.entry_date,
            LedgerEntry.fund,
            LedgerEntry.kind,
            LedgerEntry.amount,
            LedgerEntry.entry_date,
        )
        .join(original, original.id == LedgerEntry.reverses_entry_id)
        .join(Club, Club.id == LedgerEntry.club_id)
        .where(
            scope.on(LedgerEntry.club_id),
            LedgerEntry.fund.in_(FUNDS),
            _Rare(LedgerEntry.reverses_entry_id.is_not(None), REVERSAL_SHARE),
            LedgerEntry.entry_date >= p.start,
            LedgerEntry.entry_date <= p.end,
            original.entry_date < p.start,
            # what a club brought in, and anything dated before its books on the bot, corrects no report
            _after_records(original.entry_date),
            _after_records(LedgerEntry.entry_date),
        )
        .order_by(LedgerEntry.entry_date, LedgerEntry.id),
    )
    found: dict[int, list[Correction]] = {}
    for club_id, entry, reverses, original_date, fund, kind, amount, day in rows:
        found.setdefault(club_id, []).append(
            Correction(
                entry=entry,
                reverses=reverses,
                original_date=original_date,
                corrects_period=half_year_of(original_date).code,
                fund=fund,
                kind=kind,
                amount=int(amount),
                date=day,
            )
        )
    return found


def month_ends(p: Period) -> list[date]:
    """The last day of each month of the period."""
    ends, first = [], p.start
    while first <= p.end:
        ends.append(add_months(first, 1) - timedelta(days=1))
        first = add_months(first, 1)
    return ends


def monthly_series(
    session: Session, club_id: int, p: Period, as_of: date | None = None, records_start: date | None = None
) -> list[MonthEnd]:
    """Cash in each fund and loans outstanding at the end of each month of the period: one query, one column
    per month and figure, for the chart. A running period (`as_of` before its end) has only the months begun
    by `as_of`, the last one as of that day. With the club's `records_start`, only the month ends from then on:
    before it the books on the bot hold half of the money."""
    as_of = p.end if as_of is None else as_of
    ends = [min(end, as_of) for end in month_ends(p) if end.replace(day=1) <= as_of]
    if records_start is not None:
        ends = [end for end in ends if end >= records_start]
    left = -(LedgerEntry.amount - LedgerEntry.interest)
    columns = []
    for end in ends:
        upto = LedgerEntry.entry_date <= end
        columns += [
            total(case((and_(upto, LedgerEntry.fund == INCOME_FUND), LedgerEntry.amount), else_=0)),
            total(case((and_(upto, LedgerEntry.fund == ACTIVITY_FUND), LedgerEntry.amount), else_=0)),
            total(case((and_(upto, LedgerEntry.kind.in_((LOAN, REPAYMENT))), left), else_=0)),
        ]
    if not ends:  # a period not begun yet
        return []
    row = run(session, select(*columns).where(LedgerEntry.club_id == club_id, LedgerEntry.entry_date <= ends[-1])).one()
    return [
        MonthEnd(
            month_end=end,
            income_cash=int(row[3 * n]),
            activity_cash=int(row[3 * n + 1]),
            outstanding=int(row[3 * n + 2]),
        )
        for n, end in enumerate(ends)
    ]


# --- putting a report together ---------------------------------------------------------------------------


def _fund(kinds: dict[tuple[str, str], dict[str, int]], fund: str) -> Fund:
    def during(kind: str, key: str = "during") -> int:
        return kinds.get((fund, kind), {}).get(key, 0)

    opening = sum(v["before"] for (f, _k), v in kinds.items() if f == fund)
    money_in = {kind: during(kind) for kind in CONTRIBUTION_KINDS}
    outside = sum(during(kind, "outside") for kind in CONTRIBUTION_KINDS)
    repayments = during(REPAYMENT)
    fees = sum(v["interest_during"] for (f, _k), v in kinds.items() if f == fund)
    movement = sum(v["during"] for (f, _k), v in kinds.items() if f == fund)
    return Fund(
        opening=opening,
        money_in=money_in,
        contributions=sum(money_in.values()),
        from_members=sum(money_in.values()) - outside,
        from_outside=outside,
        loans_out=-during(LOAN),
        repayments=repayments,
        principal_repaid=repayments - fees,
        fees=fees,
        expenses=-during(EXPENSE),
        closing=opening + movement,
    )


def _outstanding(kinds: dict[tuple[str, str], dict[str, int]], *, opening: bool = False) -> int:
    """Principal owed at the end of the period (or, with `opening`, before it): loans paid out less the
    principal part of repayments."""
    owed = 0
    for (_fund, kind), sums in kinds.items():
        if kind in (LOAN, REPAYMENT):
            owed -= sums["before"] - sums["interest_before"]
            if not opening:
                owed -= sums["during"] - sums["interest_during"]
    return owed


def _funds(income: Fund, activity: Fund) -> Funds:
    """Both funds, and the money raised in the period: contributions to either, from members and from outside."""
    both = (income, activity)
    return Funds(
        income=income,
        activity=activity,
        raised=sum(fund.contributions for fund in both),
        raised_from_members=sum(fund.from_members for fund in both),
        raised_from_outside=sum(fund.from_outside for fund in both),
    )


def _in_use(kinds: dict[tuple[str, str], dict[str, int]], fund: str, closing: int) -> bool:
    """The fund holds money or moved some in the period, net of reversals: an entry and its reversal cancel
    out, so a fund whose only entry was reversed is not in use, though its rows exist."""
    return closing != 0 or any(sums["during"] != 0 for (f, _kind), sums in kinds.items() if f == fund)


def as_of_day(p: Period, today: date | None) -> date:
    """The day the "as of" figures are taken: the period's end, or today while the period runs."""
    return p.end if today is None else min(p.end, today)


def _period(p: Period, day: date) -> ReportPeriod:
    return ReportPeriod(code=p.code, start=p.start, end=p.end, due=p.due, as_of=day, running=day < p.end)


def _club_info(club: Club) -> ClubInfo:
    return ClubInfo(
        code=club.code,
        name=club.name,
        village=club.village,
        commune=club.commune,
        district=club.district,
        province=club.province,
        founding_decision=club.founding_decision,
        founded_on=club.founded_on,
        records_start=club.records_start,
    )


def _members_of(members: dict[str, int]) -> Members:
    """A club's members from its row of counts (`_members`); a club with no member has no row."""
    counts = {name: members.get(name, 0) for name in SUMMED_MEMBERS}
    return Members(**counts, percent={name: percent(counts[name], counts["total"]) for name in MEMBER_COUNTS[1:]})


def _activities_of(
    area_rows: dict[str, tuple[int, int]], kinds_done: dict[str, tuple[int, int]], checks: int, volunteers: int
) -> Activities:
    areas = {}
    for area in AREAS:
        held, others = area_rows.get(area, (0, 0))
        areas[area] = AreaWork(meetings=held, activities=others, done=held + others > 0)
    return Activities(
        areas=areas,
        areas_done=[area for area in AREAS if areas[area].done],
        health_checks=checks + kinds_done.get(HEALTH_DAY, (0, 0))[1],
        home_visits=kinds_done.get(HOME_VISIT, (0, 0))[0],
        volunteers=volunteers,
    )


def _loans_of(
    loans: dict[str, int], ledger: dict[tuple[str, str], dict[str, int]], income: Fund, members: int
) -> Loans:
    ever = loans.get("ever_borrowed", 0)
    at_risk = loans.get("at_risk", 0)
    outstanding = _outstanding(ledger)
    return Loans(
        borrowers=loans.get("borrowers", 0),
        open_loans=loans.get("open_loans", 0),
        ever_borrowed=ever,
        ever_borrowed_percent=percent(ever, members),
        disbursed=income.loans_out,
        loans_in_period=loans.get("loans_in_period", 0),
        borrowers_in_period=loans.get("borrowers_in_period", 0),
        principal_repaid=income.principal_repaid,
        fees=income.fees,
        opening_outstanding=_outstanding(ledger, opening=True),
        outstanding=outstanding,
        overdue_amount=loans.get("overdue_amount", 0),
        overdue_loans=loans.get("overdue_loans", 0),
        overdue_borrowers=loans.get("overdue_borrowers", 0),
        at_risk_30=at_risk,
        par30_percent=percent(at_risk, outstanding),
    )


def _indicators(members: Members, activities: Activities, loans: Loans, both_funds: bool) -> Indicators:
    total_members = members.total
    return Indicators(
        members_40=total_members >= MIN_MEMBERS,
        women_60_70=_within(members.women, total_members, *WOMEN_RANGE),
        elderly_60_70=_within(members.elderly, total_members, *ELDERLY_RANGE),
        young_30_40=_within(members.young, total_members, *YOUNG_RANGE),
        both_funds=both_funds,
        all_eight_areas=len(activities.areas_done) == len(AREAS),
        borrowed_50=total_members > 0 and loans.ever_borrowed * 100 >= BORROWED_SHARE * total_members,
    )


def _club_report(
    club: Club,
    p: Period,
    day: date,
    members: dict[str, int],
    board: int,
    groups: int,
    meetings: tuple[int, int, int],
    area_rows: dict[str, tuple[int, int]],
    kinds_done: dict[str, tuple[int, int]],
    volunteers: int,
    ledger: dict[tuple[str, str], dict[str, int]],
    loans: dict[str, int],
    submitted: Submission | None,
    corrections: list[Correction],
) -> ClubReport:
    held, attended, checks = meetings
    info = _club_info(club)
    if info.before_records(p.end):
        # A period before the club's books on the bot: the ledger holds only what was brought in (running loans
        # paid out, balances as of the start), half of that time's money, so no money or loan figure is given.
        ledger, loans, corrections = {}, {}, []
    counts = _members_of(members)
    activities = _activities_of(area_rows, kinds_done, checks, volunteers)
    funds = _funds(_fund(ledger, INCOME_FUND), _fund(ledger, ACTIVITY_FUND))
    figures = _loans_of(loans, ledger, funds.income, counts.total)
    in_use = all(_in_use(ledger, fund, funds.of(fund).closing) for fund in FUNDS)
    return ClubReport(
        club=info,
        period=_period(p, day),
        members=counts,
        board=Board(size=board),
        groups=groups,
        meetings=Meetings(held=held, total_attendance=attended, average_attendance=one_decimal(attended, held)),
        activities=activities,
        funds=funds,
        loans=figures,
        indicators=_indicators(counts, activities, figures, in_use),
        submitted=submitted is not None,
        submission=submitted,
        corrections=corrections,
    )


def _in_vietnamese_order(clubs: list[Club]) -> list[Club]:
    """By province, district and name as Vietnamese sorts them (the database's order would put the D with
    stroke after Z)."""
    return sorted(
        clubs,
        key=lambda club: (
            vietnamese_key(club.province),
            vietnamese_key(club.district),
            vietnamese_key(club.name),
            club.id,
        ),
    )


def club_reports(
    session: Session,
    p: Period,
    *,
    club_ids: list[int] | None = None,
    district: str | None = None,
    province_code: str | None = None,
    commune_code: str | None = None,
    today: date | None = None,
) -> list[ClubReport]:
    """The report of each club in scope (given ids, every club of a district, of a province or of a commune of
    the 2025 map by their indexed codes, or all clubs), in Vietnamese alphabetical order of province, district,
    name. A fixed number of grouped queries, whatever the number of clubs. With `today` inside the period, the
    "as of" figures are as of today (see the module's text)."""
    in_scope = _Scope(club_ids).on(Club.id)
    by_place = district is not None or province_code is not None or commune_code is not None
    if district is not None:
        in_scope = Club.district.in_(_district_spellings(session, district))
    if province_code is not None:
        in_scope = and_(in_scope, Club.province_code == province_code)
    if commune_code is not None:
        in_scope = and_(in_scope, Club.commune_code == commune_code)
    clubs = _in_vietnamese_order(list(session.exec(select(Club).where(in_scope))))
    if not clubs:
        return []
    if by_place:  # the clubs' ids, not a subquery, let the planner estimate every query right
        scope = _Scope([club.id for club in clubs])
    else:
        scope = _Scope(club_ids)
    day = as_of_day(p, today)
    so_far = replace(p, end=day)  # the period up to the "as of" day; p itself when it has ended
    members = _members(session, scope, so_far, p.end.year)
    board = _counts(
        session,
        BoardSeat.id,
        scope.on(BoardSeat.club_id),
        BoardSeat.active,
        BoardSeat.role != REVIEWER,
        group=BoardSeat.club_id,
    )
    groups = _counts(session, ClubGroup.id, scope.on(ClubGroup.club_id), group=ClubGroup.club_id)
    volunteers = _counts(
        session,
        func.distinct(Volunteer.member_id),
        scope.on(Volunteer.club_id),
        Volunteer.since <= day,
        or_(Volunteer.ended_on.is_(None), Volunteer.ended_on > day),
        group=Volunteer.club_id,
    )
    meetings = _meetings(session, scope, so_far)
    area_rows = _areas(session, scope, so_far)
    kinds = _activities(session, scope, so_far)
    ledger = _ledger(session, scope, so_far)
    loans = _loans(session, scope, so_far)
    submitted = _submissions(session, scope, p)
    corrections = _corrections(session, scope, so_far)
    return [
        _club_report(
            club,
            p,
            day,
            members.get(club.id, {}),
            board.get(club.id, 0),
            groups.get(club.id, 0),
            meetings.get(club.id, (0, 0, 0)),
            area_rows.get(club.id, {}),
            kinds.get(club.id, {}),
            volunteers.get(club.id, 0),
            ledger.get(club.id, {}),
            loans.get(club.id, {}),
            submitted.get(club.id),
            corrections.get(club.id, []),
        )
        for club in clubs
    ]


def club_report(
    session: Session, club_id: int, p: Period, *, series: bool = False, today: date | None = None
) -> ClubReport:
    """One club's report for the period; with `series`, month-end fund and loan figures for the chart."""
    (report,) = club_reports(session, p, club_ids=[club_id], today=today)
    if series:
        # none for a period before the club's books on the bot, like its other money figures
        series_of = (
            []
            if report.before_records
            else monthly_series(session, club_id, p, report.period.as_of, report.club.records_start)
        )
        report = replace(report, series=series_of)
    return report


# --- the district view -------------------------------------------------------------------------------------


def _summed_members(reports: list[ClubReport]) -> Members:
    counts = {name: sum(r.members.of(name) for r in reports) for name in SUMMED_MEMBERS}
    return Members(**counts, percent={name: percent(counts[name], counts["total"]) for name in MEMBER_COUNTS[1:]})


def _summed_loans(reports: list[ClubReport], members: int) -> LoanTotals:
    sums = {name: sum(getattr(r.loans, name) for r in reports) for name in SUMMED_LOANS}
    return LoanTotals(
        **sums,
        ever_borrowed_percent=percent(sums["ever_borrowed"], members),
        par30_percent=percent(sums["at_risk_30"], sums["outstanding"]),
    )


def _area_totals(reports: list[ClubReport]) -> dict[str, AreaTotals]:
    """Per area: how many clubs carried it out in the period, in how many meetings and other activities."""

    def of(area: str) -> list[AreaWork]:
        return [r.activities.areas[area] for r in reports]

    return {
        area: AreaTotals(
            clubs=sum(1 for a in of(area) if a.done),
            meetings=sum(a.meetings for a in of(area)),
            activities=sum(a.activities for a in of(area)),
        )
        for area in AREAS
    }


def _totals(reports: list[ClubReport]) -> DistrictTotals:
    """Sums of the clubs' counts and amounts, and how many clubs meet each target."""
    members = _summed_members(reports)
    held = sum(r.meetings.held for r in reports)
    attended = sum(r.meetings.total_attendance for r in reports)
    clubs_meeting = {name: sum(1 for r in reports if getattr(r.indicators, name)) for name in INDICATORS}
    all_areas = clubs_meeting["all_eight_areas"]
    return DistrictTotals(
        clubs=len(reports),
        members=members,
        board=Board(size=sum(r.board.size for r in reports)),
        meetings=Meetings(held=held, total_attendance=attended, average_attendance=one_decimal(attended, held)),
        activities=ActivityTotals(
            health_checks=sum(r.activities.health_checks for r in reports),
            home_visits=sum(r.activities.home_visits for r in reports),
            volunteers=sum(r.activities.volunteers for r in reports),
            areas=_area_totals(reports),
        ),
        funds=_funds(Fund.added([r.funds.income for r in reports]), Fund.added([r.funds.activity for r in reports])),
        loans=_summed_loans(reports, members.total),
        clubs_meeting=clubs_meeting,
        indicators=DistrictIndicators(
            clubs_all_eight_areas_70=bool(reports) and all_areas * 100 >= ALL_AREAS_CLUB_SHARE * len(reports)
        ),
    )


def combine(reports: list[ClubReport], p: Period, title: str, today: date | None = None) -> DistrictReport:
    """One row per club plus totals, and the clubs that have not submitted."""
    return DistrictReport(
        title=title,
        period=_period(p, as_of_day(p, today)),
        clubs=reports,
        totals=_totals(reports),
        not_submitted=[ClubName(code=r.club.code, name=r.club.name) for r in reports if not r.submitted],
    )


def district_report(
    session: Session,
    p: Period,
    *,
    district: str | None = None,
    club_ids: list[int] | None = None,
    today: date | None = None,
) -> DistrictReport:
    """The combined report of a district of the old papers (by name, any case) or of the given clubs (a
    reviewer's); its `area` is the district when there is one."""
    reports = (
        club_reports(session, p, club_ids=club_ids, district=district, today=today) if (district or club_ids) else []
    )
    title = district or (reports[0].club.district if reports and len({r.club.district for r in reports}) == 1 else "")
    provinces = {r.club.province for r in reports}
    area = ReportArea(DISTRICT_LEVEL, None, title, provinces.pop() if len(provinces) == 1 else None) if title else None
    return replace(combine(reports, p, title, today), area=area)


def area_report(
    session: Session,
    p: Period,
    *,
    province_code: str,
    commune_code: str | None = None,
    today: date | None = None,
    club_ids: list[int] | None = None,
) -> DistrictReport:
    """The combined report of a province, or of one commune of it, of the 2025 map (storage.places codes): its
    clubs are read by the indexed codes. `club_ids` narrows it further (None: every club there)."""
    province = places.province(province_code)
    commune = places.commune(commune_code) if commune_code is not None else None
    if province is None or (commune_code is not None and (commune is None or commune.province_code != province_code)):
        raise ValueError(f"no such place: {province_code}/{commune_code}")
    reports = club_reports(
        session, p, province_code=province_code, commune_code=commune_code, club_ids=club_ids, today=today
    )
    if commune is None:
        area = ReportArea(PROVINCE_LEVEL, province.code, province.name, province.name)
        title = province.name
    else:
        area = ReportArea(COMMUNE_LEVEL, commune.code, commune.name, province.name)
        title = f"{commune.name}, {province.name}"
    return replace(combine(reports, p, title, today), area=area)


def to_json(report: ClubReport | DistrictReport) -> str:
    """The report as README's "Reports" documents it (an outside contract: see storage.report_model)."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=_jsonable)


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
