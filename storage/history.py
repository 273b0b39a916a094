"""An existing club moves in: its members with their join dates and capital, its funds' cash and its running
loans, as of the day its books on the bot start (`Club.records_start`, always a month's last day).

What the board brings in is first planned (`plan`): every problem found, each with where it came from (the
sheet, row and column of a file, or a line typed in the chat), and what saving would do. Nothing is written
until the plan is clean; `save` then writes it all in the caller's one transaction.

How the books stay true:
- a fund's cash on the records' start is what the board gave: one opening entry (kind OPENING) per fund makes
  up the difference between that and what the ledger already holds up to that day (running loans' money,
  entries typed before), so importing the same figures twice writes nothing the second time;
- a member's capital paid in before is an opening entry of theirs in the income fund, again the difference
  from what is there; a club-wide total instead goes on one opening entry without a member;
- a running loan is a loan like any other: its schedule rebuilt from the amount, date, term and rate, its
  pay-out entry on the day it was paid out, and one repayment on the records' start for the principal repaid
  so far and the fees of the instalments due by then, so the instalments settled before are settled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from storage import members as member_list
from storage.clubs import audit
from storage.clubs import get as get_club
from storage.dates import latest_joining_date
from storage.ledger import cash, record, total
from storage.loans import write_schedule
from storage.members import NewMember
from storage.models import (
    FUNDS,
    INCOME_FUND,
    LOAN,
    OPENING,
    REPAYMENT,
    Club,
    LedgerEntry,
    Loan,
    Member,
    User,
)
from storage.money_rules import MAX_RATE_BP, MAX_TERM_MONTHS, lock_books, rules_of
from storage.names import fold
from storage.schedule import end_of_month, instalment_schedule

# Why a part of what was brought in cannot be saved; the handlers have the sentence for each (with `values`).
START_NOT_MONTH_END = "start_not_month_end"  # values: day, before (the month end before), after
START_IN_FUTURE = "start_in_future"  # values: day
START_BEFORE_FOUNDING = "start_before_founding"  # values: day, founded
START_ALREADY_SET = "start_already_set"  # values: day, records_start (the club's, which differs)
JOINED_BEFORE_FOUNDING = "joined_before_founding"  # values: day, founded
JOINED_IN_FUTURE = "joined_in_future"  # values: day
JOINED_AFTER_MONEY = "joined_after_money"  # values: day, first (the member's first money on the books)
CAPITAL_BEFORE_JOINING = "capital_before_joining"  # values: joined, records_start (capital, yet joined later)
DUPLICATE_MEMBER = "duplicate_member"  # values: name, birth_year, first (the `Where` of the first one)
NEGATIVE_AMOUNT = "negative_amount"  # values: amount
CAPITAL_TWICE = "capital_twice"  # values: total, members (per member and club-wide, and they differ)
UNKNOWN_BORROWER = "unknown_borrower"  # values: name
AMBIGUOUS_BORROWER = "ambiguous_borrower"  # values: name, candidates (list of "Name (year)")
LOAN_OWED_MORE = "loan_owed_more"  # values: owed, principal
LOAN_REPAID = "loan_repaid"  # values: owed (0 or less: nothing left to bring in)
LOAN_AFTER_START = "loan_after_start"  # values: day, records_start
LOAN_BEFORE_JOINED = "loan_before_joined"  # values: day, joined
LOAN_TERM_ENDED = "loan_term_ended"  # values: last_due, records_start (the schedule was over before the start)
LOAN_TERM_RANGE = "loan_term_range"  # values: months, most
LOAN_RATE_RANGE = "loan_rate_range"  # values: rate_bp, most

# What an opening entry stands for, in its `note`: a member's (or the club's) capital paid in before the
# records' start, or the difference that makes a fund's cash what the board declared.
CAPITAL_NOTE, CASH_NOTE = "capital", "cash"


@dataclass(frozen=True)
class Where:
    """Where a line came from: a file's sheet, row and column, or (sheet None) the n-th line typed."""

    sheet: str | None
    row: int
    column: str | None = None


@dataclass(frozen=True)
class Problem:
    code: str
    where: Where | None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BroughtMember:
    """A member as the board's books have them; `member.joined_on` None means today, as for a new member."""

    member: NewMember
    capital: int | None = None  # capital paid in before the records' start; None: not given
    where: Where | None = None


@dataclass(frozen=True)
class RunningLoan:
    """A loan not yet repaid on the records' start."""

    borrower: str  # the name as written; matched like a name typed in the chat, among the members
    principal: int  # the amount first lent
    disbursed_on: date
    term_months: int
    rate_bp: int | None  # a month's fee in hundredths of a percent; None: the club's rate
    owed: int  # principal still owed on the records' start
    birth_year: int | None = None  # when given, tells apart two members of the same name
    where: Where | None = None


@dataclass(frozen=True)
class MovingIn:
    """Everything brought in at once, as of the end of `records_start`. A figure left None is not changed."""

    records_start: date
    members: tuple[BroughtMember, ...] = ()
    income_cash: int | None = None
    activity_cash: int | None = None
    capital_total: int | None = None  # the club-wide capital, when it is not given member by member
    loans: tuple[RunningLoan, ...] = ()


@dataclass
class Plan:
    """What saving `moving_in` would do, or why it cannot be saved (`problems`)."""

    moving_in: MovingIn
    problems: list[Problem] = field(default_factory=list)
    members_new: int = 0
    members_updated: int = 0  # already on the list (same name and birth year), with something changed
    members_same: int = 0  # already on the list as given
    loans_new: int = 0
    loans_known: int = 0  # already brought in (same borrower, date and amount): left as they are
    funds: int = 0  # funds whose cash was given
    capital: int = 0  # the members' capital as of the start, given member by member or as a total
    outstanding: int = 0  # principal still owed on the running loans

    @property
    def clean(self) -> bool:
        return not self.problems


class NotClean(Exception):
    """`save` was given something with problems; nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


def month_end_before(day: date) -> date:
    """The last day of the month before `day`'s: the records' start a club moving in today would give."""
    return day.replace(day=1) - timedelta(days=1)


# --- planning ------------------------------------------------------------------------------------------------


@dataclass
class _Planning:
    """What `plan` works out on the way, which `save` then writes."""

    plan: Plan
    club: Club
    new_members: list[BroughtMember] = field(default_factory=list)
    changes: list[tuple[Member, dict[str, Any]]] = field(default_factory=list)
    capital: dict[int | str, int] = field(default_factory=dict)  # member id, or folded name of a new member
    new_loans: list[tuple[RunningLoan, int | str]] = field(default_factory=list)  # with the borrower, as above

    def problem(self, code: str, where: Where | None, **values: Any) -> None:
        self.plan.problems.append(Problem(code, where, values))


def plan(session: Session, club_id: int, moving_in: MovingIn, today: date) -> Plan:
    """What saving `moving_in` would do, and every problem that stops it. Writes nothing."""
    return _planning(session, club_id, moving_in, today).plan


def _planning(session: Session, club_id: int, moving_in: MovingIn, today: date) -> _Planning:
    work = _Planning(Plan(moving_in), get_club(session, club_id))
    _check_start(work, today)
    joined = _plan_members(session, work, today)
    _plan_capital(work)
    _plan_loans(session, work, joined)
    for amount in (moving_in.income_cash, moving_in.activity_cash):
        if amount is not None:
            work.plan.funds += 1
            if amount < 0:
                work.problem(NEGATIVE_AMOUNT, None, amount=amount)
    return work


def _check_start(work: _Planning, today: date) -> None:
    start, club = work.plan.moving_in.records_start, work.club
    if start != end_of_month(start):
        work.problem(START_NOT_MONTH_END, None, day=start, before=month_end_before(start), after=end_of_month(start))
    if start > today:
        work.problem(START_IN_FUTURE, None, day=start)
    if club.founded_on is not None and start < club.founded_on:
        work.problem(START_BEFORE_FOUNDING, None, day=start, founded=club.founded_on)
    if club.records_start is not None and club.records_start != start:
        work.problem(START_ALREADY_SET, None, day=start, records_start=club.records_start)


def _member_key(name: str) -> str:
    return " ".join(fold(name).split())


def _new_key(member: NewMember) -> str:
    """How a member not yet on the list is known until saving gives them an id."""
    return f"{_member_key(member.full_name)} {member.birth_year}"


def _member_id(who: int | str, ids: dict[str, int]) -> int:
    return who if isinstance(who, int) else ids[who]


def _plan_members(session: Session, work: _Planning, today: date) -> dict[int | str, tuple[str, int, date]]:
    """Check each member and sort them into new, changed and unchanged. Returns who can borrow: by member id
    or, for a new member, their folded name, with their name, birth year and join date."""
    club, start = work.club, work.plan.moving_in.records_start
    seen: dict[tuple[str, int], Where | None] = {}
    on_the_list = session.exec(select(Member).where(Member.club_id == club.id, Member.birth_year.is_not(None)))
    people: dict[int | str, tuple[str, int, date]] = {
        m.id: (m.full_name, m.birth_year, m.joined_on) for m in on_the_list if m.id and m.birth_year
    }
    for brought in work.plan.moving_in.members:
        new, where = brought.member, brought.where
        key = (_member_key(new.full_name), new.birth_year)
        if key in seen:
            work.problem(DUPLICATE_MEMBER, where, name=new.full_name, birth_year=new.birth_year, first=seen[key])
            continue
        seen[key] = where
        joined = new.joined_on or today
        if club.founded_on is not None and joined < club.founded_on:
            work.problem(JOINED_BEFORE_FOUNDING, where, day=joined, founded=club.founded_on)
        if joined > today:
            work.problem(JOINED_IN_FUTURE, where, day=joined)
        if brought.capital is not None and brought.capital < 0:
            work.problem(NEGATIVE_AMOUNT, where, amount=brought.capital)
        elif brought.capital and joined > work.plan.moving_in.records_start:
            work.problem(CAPITAL_BEFORE_JOINING, where, joined=joined, records_start=start)
        existing = member_list.find_same(session, club.id, new.full_name, new.birth_year)
        if existing is None:
            work.plan.members_new += 1
            work.new_members.append(brought)
            who: int | str = _new_key(new)
            people[who] = (new.full_name, new.birth_year, joined)
        else:
            assert existing.id is not None
            who = existing.id
            changes = _changes(existing, new)
            latest = latest_joining_date(session, existing) if "joined_on" in changes else None
            if latest is not None and changes["joined_on"] > latest.on:
                work.problem(JOINED_AFTER_MONEY, where, day=changes["joined_on"], first=latest.on)
            if changes:
                work.changes.append((existing, changes))
                work.plan.members_updated += 1
            else:
                work.plan.members_same += 1
            people[who] = (existing.full_name, new.birth_year, changes.get("joined_on", existing.joined_on))
        if brought.capital is not None:
            work.capital[who] = brought.capital
    return people


def _changes(member: Member, new: NewMember) -> dict[str, Any]:
    """The fields the books give differently from the list; a join date or phone not given changes nothing."""
    given = {f.name: getattr(new, f.name) for f in fields(new) if f.name != "full_name"}
    if given["joined_on"] is None:
        del given["joined_on"]
    if given["phone"] is None:
        del given["phone"]
    return {name: value for name, value in given.items() if getattr(member, name) != value}


def _plan_capital(work: _Planning) -> None:
    given = work.plan.moving_in.capital_total
    per_member = sum(work.capital.values())
    if given is not None and given < 0:
        work.problem(NEGATIVE_AMOUNT, None, amount=given)
    elif given is not None and work.capital and given != per_member:
        work.problem(CAPITAL_TWICE, None, total=given, members=per_member)
    work.plan.capital = per_member if work.capital else (given or 0)


def _plan_loans(session: Session, work: _Planning, people: dict[int | str, tuple[str, int, date]]) -> None:
    start = work.plan.moving_in.records_start
    rules = rules_of(session, work.club.id)
    for loan in work.plan.moving_in.loans:
        where = loan.where
        wanted = _member_key(loan.borrower)
        found = [
            who
            for who, (name, year, _joined) in people.items()
            if _member_key(name) == wanted and loan.birth_year in (None, year)
        ]
        if not found:
            work.problem(UNKNOWN_BORROWER, where, name=loan.borrower)
            continue
        if len(found) > 1:
            candidates = sorted(f"{people[who][0]} ({people[who][1]})" for who in found)
            work.problem(AMBIGUOUS_BORROWER, where, name=loan.borrower, candidates=candidates)
            continue
        who = found[0]
        if _already_brought(session, work.club.id, who, loan):
            work.plan.loans_known += 1
            work.plan.outstanding += loan.owed
            continue
        if _loan_problems(work, loan, people[who][2], start, rules.loan_rate_bp):
            continue
        work.plan.loans_new += 1
        work.plan.outstanding += loan.owed
        work.new_loans.append((loan, who))


def _loan_problems(work: _Planning, loan: RunningLoan, joined: date, start: date, club_rate: int) -> bool:
    """Record why the loan's figures cannot be true, if they cannot; True when there was a problem."""
    before = len(work.plan.problems)
    where = loan.where
    rate = club_rate if loan.rate_bp is None else loan.rate_bp
    if loan.principal <= 0:
        work.problem(NEGATIVE_AMOUNT, where, amount=loan.principal)
    elif loan.owed > loan.principal:
        work.problem(LOAN_OWED_MORE, where, owed=loan.owed, principal=loan.principal)
    elif loan.owed <= 0:
        work.problem(LOAN_REPAID, where, owed=loan.owed)
    if loan.disbursed_on > start:
        work.problem(LOAN_AFTER_START, where, day=loan.disbursed_on, records_start=start)
    elif loan.disbursed_on < joined:
        work.problem(LOAN_BEFORE_JOINED, where, day=loan.disbursed_on, joined=joined)
    if not 1 <= loan.term_months <= MAX_TERM_MONTHS:
        work.problem(LOAN_TERM_RANGE, where, months=loan.term_months, most=MAX_TERM_MONTHS)
    elif not 0 <= rate <= MAX_RATE_BP:
        work.problem(LOAN_RATE_RANGE, where, rate_bp=rate, most=MAX_RATE_BP)
    elif len(work.plan.problems) == before:
        last_due = instalment_schedule(loan.principal, loan.term_months, rate, loan.disbursed_on)[-1].due_on
        if last_due <= start:
            work.problem(LOAN_TERM_ENDED, where, last_due=last_due, records_start=start)
    return len(work.plan.problems) > before


def _already_brought(session: Session, club_id: int, who: int | str, loan: RunningLoan) -> bool:
    """A loan of this member paid out that day, of that amount, is the same loan brought in before."""
    if not isinstance(who, int):
        return False
    return (
        session.exec(
            select(Loan.id).where(
                Loan.club_id == club_id,
                Loan.member_id == who,
                Loan.disbursed_on == loan.disbursed_on,
                Loan.principal == loan.principal,
            )
        ).first()
        is not None
    )


# --- saving --------------------------------------------------------------------------------------------------


def save(session: Session, club_id: int, moving_in: MovingIn, by: User, today: date) -> Plan:
    """Write everything brought in, in the caller's transaction, after planning it again there (the books
    may have changed since the board read the plan). NotClean, with nothing written, when it has problems."""
    rules = lock_books(session, club_id)
    work = _planning(session, club_id, moving_in, today)
    if not work.plan.clean:
        raise NotClean(work.plan)
    start = moving_in.records_start
    cash_before = {fund: cash(session, club_id, fund, as_of=start) for fund in FUNDS}
    work.club.records_start = start
    session.add(work.club)
    ids = _save_members(session, work, by, today)
    for loan, who in work.new_loans:
        rate = rules.loan_rate_bp if loan.rate_bp is None else loan.rate_bp
        _bring_loan(session, club_id, loan, _member_id(who, ids), rate, start, by, today)
    _save_capital(session, work, ids, by, today)
    declared = {INCOME_FUND: moving_in.income_cash, "activity": moving_in.activity_cash}
    for fund in FUNDS:
        wanted = declared[fund] if declared[fund] is not None else cash_before[fund]
        difference = wanted - cash(session, club_id, fund, as_of=start)
        if difference:
            _opening(session, club_id, fund, difference, None, CASH_NOTE, start, by, today)
    audit(
        session,
        club_id,
        by.id,
        "import",
        "club_history",
        club_id,
        records_start=start.isoformat(),
        members_new=work.plan.members_new,
        members_updated=work.plan.members_updated,
        loans_new=work.plan.loans_new,
    )
    return work.plan


def _save_members(session: Session, work: _Planning, by: User, today: date) -> dict[str, int]:
    """Add the new members and update the known ones; the new members' ids by their planning key."""
    ids: dict[str, int] = {}
    for brought in work.new_members:
        member = member_list.add(session, work.club.id, brought.member, by, today)
        assert member.id is not None
        ids[_new_key(brought.member)] = member.id
    for member, changes in work.changes:
        for name, value in changes.items():
            member_list.update_field(session, member, name, value, by)
    return ids


def _save_capital(session: Session, work: _Planning, ids: dict[str, int], by: User, today: date) -> None:
    """Each member's capital as given, or the club's total on one entry: the difference from what is there."""
    club_id, start = work.club.id, work.plan.moving_in.records_start
    assert club_id is not None
    wanted: dict[int | None, int] = {_member_id(who, ids): amount for who, amount in work.capital.items()}
    if not wanted and work.plan.moving_in.capital_total is not None:
        wanted = {None: work.plan.moving_in.capital_total}
    for member_id, amount in wanted.items():
        difference = amount - _capital_brought(session, club_id, member_id)
        if difference:
            _opening(session, club_id, INCOME_FUND, difference, member_id, CAPITAL_NOTE, start, by, today)


def _capital_brought(session: Session, club_id: int, member_id: int | None) -> int:
    whose = LedgerEntry.member_id.is_(None) if member_id is None else LedgerEntry.member_id == member_id
    return session.exec(
        select(total(LedgerEntry.amount)).where(
            LedgerEntry.club_id == club_id, LedgerEntry.kind == OPENING, LedgerEntry.note == CAPITAL_NOTE, whose
        )
    ).one()


def _opening(
    session: Session,
    club_id: int,
    fund: str,
    amount: int,
    member_id: int | None,
    note: str,
    start: date,
    by: User,
    today: date,
) -> None:
    record(
        session,
        LedgerEntry(
            club_id=club_id,
            fund=fund,
            kind=OPENING,
            amount=amount,
            member_id=member_id,
            note=note,
            entry_date=start,
            entered_on=today,
            created_by=by.id,
        ),
    )


def _bring_loan(
    session: Session,
    club_id: int,
    loan: RunningLoan,
    member_id: int,
    rate_bp: int,
    start: date,
    by: User,
    today: date,
) -> None:
    """The loan as if lent on the bot, and what was paid on it by the records' start as one repayment then:
    the principal repaid and the fees of every instalment due by then, which is how the bot would split it."""
    schedule = instalment_schedule(loan.principal, loan.term_months, rate_bp, loan.disbursed_on)
    row = Loan(
        club_id=club_id,
        member_id=member_id,
        principal=loan.principal,
        term_months=loan.term_months,
        monthly_rate_bp=rate_bp,
        purpose="other",
        disbursed_on=loan.disbursed_on,
        created_by=by.id,
    )
    session.add(row)
    session.flush()
    write_schedule(session, row, schedule)
    moved = dict(
        club_id=club_id, fund=INCOME_FUND, member_id=member_id, loan_id=row.id, entered_on=today, created_by=by.id
    )
    record(session, LedgerEntry(**moved, kind=LOAN, amount=-loan.principal, entry_date=loan.disbursed_on))
    fees = sum(i.interest for i in schedule if i.due_on <= start)
    paid = loan.principal - loan.owed + fees
    if paid:
        record(
            session,
            LedgerEntry(**moved, kind=REPAYMENT, amount=paid, interest=fees, entry_date=start),
        )
    audit(session, club_id, by.id, "import", "loan", row.id)
