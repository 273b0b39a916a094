"""/sodau: a club's paper books brought in, as of the last day of a month (storage.history).

Two ways, both ending in one read-back and one save:
- typed: the day, the cash of each fund, the members' capital in all, then each loan still running;
- one Excel file: the template (sent on asking, made after the update by bot/renderers.py) filled with the
  members, their join dates and capital, the funds and the loans; read (handlers/history/workbook.py) and
  planned, its problems named by sheet, row and column, and nothing saved until it is clean.
Saving the same books again writes only what differs, so a corrected file is simply sent again.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from handlers import readers
from handlers.core import SKIP, Answer, Choice, Ctx, yes_or_no_choices
from handlers.files import MOVING_IN_TEMPLATE, Render
from handlers.flow import Flow, Question, Step, keep, read_back
from handlers.history import flow_texts as texts
from handlers.history.texts import not_saved, saved
from handlers.history.texts import summary as plan_summary
from handlers.history.workbook import read_workbook
from handlers.i18n import current_language, day
from handlers.money.common import PICK_MEMBER, WHO, MemberQuestion
from handlers.parsing import InputError, parse_amount, parse_months, parse_past_date, parse_rate
from storage import history, members
from storage.dates import JOINED, Earliest
from storage.history import BroughtMember, MovingIn, RunningLoan, Where
from storage.members import NewMember
from storage.models import Member
from storage.money_rules import rules_of
from storage.names import fold
from storage.schedule import end_of_month

HOW, START, INCOME, ACTIVITY, CAPITAL, ANY_LOAN = "how", "start", "income", "activity", "capital", "any_loan"
PRINCIPAL, PAID_OUT, TERM, RATE, OWED, LOAN_CHECK = "principal", "paid_out", "term", "rate", "owed", "loan_check"
MORE_LOANS, FILE, CONFIRM, CONFIRM_FILE = "more_loans", "file", "confirm", "confirm_file"
TYPE, TEMPLATE, CLUB_RATE, ANOTHER, DONE = "type", "template", "club_rate", "another", "done"
LOAN_STEPS = (WHO, PICK_MEMBER, PRINCIPAL, PAID_OUT, TERM, RATE, OWED)


@dataclass
class Books:
    records_start: date | None = None
    income_cash: int | None = None
    activity_cash: int | None = None
    capital_total: int | None = None
    loans: list[dict[str, Any]] = field(default_factory=list)  # the loans read back and kept, as JSON
    # the loan being typed
    member: int | None = None
    name: str = ""
    principal: int | None = None
    paid_out: date | None = None
    term: int | None = None
    rate_bp: int | None = None
    owed: int | None = None
    # the books read from a file, as JSON, until they are saved
    from_file: dict[str, Any] | None = None


# --- the books as JSON, kept in the conversation between the file and "Save" ------------------------------


def books_as_json(moving_in: MovingIn) -> dict[str, Any]:
    return _jsonable(asdict(moving_in))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def books_from_json(kept: dict[str, Any]) -> MovingIn:
    return MovingIn(
        records_start=date.fromisoformat(kept["records_start"]),
        members=tuple(_member_from_json(m) for m in kept["members"]),
        income_cash=kept["income_cash"],
        activity_cash=kept["activity_cash"],
        capital_total=kept["capital_total"],
        loans=tuple(_loan_from_json(loan) for loan in kept["loans"]),
    )


def _where(kept: dict[str, Any] | None) -> Where | None:
    return Where(**kept) if kept else None


def _member_from_json(kept: dict[str, Any]) -> BroughtMember:
    member = dict(kept["member"])
    if member["joined_on"]:
        member["joined_on"] = date.fromisoformat(member["joined_on"])
    return BroughtMember(NewMember(**member), kept["capital"], _where(kept["where"]))


def _loan_from_json(kept: dict[str, Any]) -> RunningLoan:
    values = dict(kept, disbursed_on=date.fromisoformat(kept["disbursed_on"]), where=_where(kept["where"]))
    return RunningLoan(**values)


# --- the start: typed or by file ----------------------------------------------------------------------------


def start(ctx: Ctx, args: str) -> None:
    ctx.state.records_start = ctx.club.records_start
    ctx.go(HOW)


def ask_how(ctx: Ctx) -> Question:
    return Question(
        texts.ask_how(ctx.club.records_start),
        [Choice(TYPE, texts.TYPE_LABEL), Choice(TEMPLATE, texts.TEMPLATE_LABEL, ("mau", "tep mau", "excel"))],
    )


def read_how(ctx: Ctx, ans: Answer) -> str | MovingIn:
    if ans.document is not None:
        return read_file(ctx, ans)
    return readers.choice(ctx, ans)


def on_how(ctx: Ctx, how: str | MovingIn) -> None:
    if isinstance(how, MovingIn):
        on_file(ctx, how)
    elif how == TEMPLATE:
        send_template(ctx)
    elif ctx.state.records_start is None:
        ctx.go(START)
    else:
        ctx.go(INCOME)


def send_template(ctx: Ctx) -> None:
    ctx.say(
        texts.TEMPLATE_SENT,
        render=Render(
            MOVING_IN_TEMPLATE,
            None,
            texts.TEMPLATE_FILENAME,
            current_language(),
            ctx.today,
            ZoneInfo(ctx.settings.timezone),
        ),
    )
    ctx.go(FILE)


def read_file(ctx: Ctx, ans: Answer) -> MovingIn:
    """The books in the file, planned against the club's: every problem at once, or the books to read back."""
    if ans.document is None:
        raise InputError(str(texts.SEND_THE_FILE))
    reading = read_workbook(ans.document.content, ctx.today)
    if reading.moving_in is None or reading.problems:
        raise InputError(plan_summary(reading))
    planned = history.plan(ctx.db, ctx.club.id, reading.moving_in, ctx.today)
    if not planned.clean:
        raise InputError(plan_summary(reading, planned))
    return reading.moving_in


def on_file(ctx: Ctx, moving_in: MovingIn) -> None:
    ctx.state.from_file = books_as_json(moving_in)
    ctx.go(CONFIRM_FILE)


# --- typed: the day, the funds, the capital -------------------------------------------------------------------


def ask_start(ctx: Ctx) -> Question:
    last = history.month_end_before(ctx.today)
    return Question(texts.ask_start(last), [Choice(last.isoformat(), day(last))])


def read_start(ctx: Ctx, ans: Answer) -> date:
    if ans.choice:
        return date.fromisoformat(ans.choice)
    day = parse_past_date(ans.text, ctx.today)
    if day != end_of_month(day):
        raise InputError(texts.not_a_month_end(day, history.month_end_before(day), end_of_month(day)))
    return day


def read_cash(ctx: Ctx, ans: Answer) -> int:
    """Cash can be nothing at all: 0 is an answer here, unlike for an amount paid."""
    return 0 if fold(ans.text).strip() in ("0", "khong", "het") else parse_amount(ans.text)


def on_any_loan(ctx: Ctx, yes: bool) -> None:
    ctx.go(WHO if yes else CONFIRM)


# --- typed: each loan still running ----------------------------------------------------------------------------


def for_borrower(ctx: Ctx, member: Member) -> None:
    ctx.state.member, ctx.state.name = member.id, member.full_name
    ctx.go(PRINCIPAL)


borrower = MemberQuestion(texts.ASK_BORROWER, then=for_borrower, goes_to=(PRINCIPAL,), label=lambda: texts.BORROWER)


def joined(ctx: Ctx) -> Earliest:
    """A loan is paid out to a member: not before they joined."""
    return Earliest(_borrower(ctx).joined_on, JOINED)


def _borrower(ctx: Ctx) -> Member:
    found = members.get(ctx.db, ctx.club.id, ctx.state.member)
    assert found is not None
    return found


def ask_rate(ctx: Ctx) -> Question:
    rate = rules_of(ctx.db, ctx.club.id).loan_rate_bp
    return Question(texts.ASK_RATE, [Choice(CLUB_RATE, texts.club_rate_label(rate), ("quy che", "theo quy che"))])


def read_rate(ctx: Ctx, ans: Answer) -> int:
    """A rate typed as a number is that rate, even "1", which is also the club's rate's number in the list."""
    if ans.choice == CLUB_RATE and not re.fullmatch(r"[\d.,]+\s*%?", ans.text.strip()):
        return rules_of(ctx.db, ctx.club.id).loan_rate_bp
    return parse_rate(ans.text)


def typed_loan(ctx: Ctx) -> RunningLoan:
    s: Books = ctx.state
    member = _borrower(ctx)
    assert s.principal is not None and s.paid_out is not None and s.term is not None and s.owed is not None
    return RunningLoan(member.full_name, s.principal, s.paid_out, s.term, s.rate_bp, s.owed, member.birth_year)


def typed_books(ctx: Ctx, *loans: RunningLoan) -> MovingIn:
    s: Books = ctx.state
    assert s.records_start is not None
    return MovingIn(
        records_start=s.records_start,
        income_cash=s.income_cash,
        activity_cash=s.activity_cash,
        capital_total=s.capital_total,
        loans=(*(_loan_from_json(kept) for kept in s.loans), *loans),
    )


def loan_summary(ctx: Ctx) -> str:
    loan = typed_loan(ctx)
    planned = history.plan(ctx.db, ctx.club.id, typed_books(ctx, loan), ctx.today)
    return texts.loan_summary(loan, planned.problems)


def keep_loan(ctx: Ctx) -> None:
    loan = typed_loan(ctx)
    planned = history.plan(ctx.db, ctx.club.id, typed_books(ctx, loan), ctx.today)
    if not planned.clean:
        ctx.retry(texts.LOAN_NOT_KEPT)
        return
    ctx.state.loans.append(_jsonable(asdict(loan)))
    next_loan(ctx)


def next_loan(ctx: Ctx) -> None:
    """The loan typed is kept (or dropped): its answers are cleared for the next one."""
    for name in ("member", "principal", "paid_out", "term", "rate_bp", "owed"):
        setattr(ctx.state, name, None)
    ctx.go(MORE_LOANS)


def on_more_loans(ctx: Ctx, choice: str) -> None:
    if choice == ANOTHER:
        for step in LOAN_STEPS:  # the next loan's answers are new ones, not the last loan's to change
            ctx.forget(step)
        ctx.go(WHO)
    else:
        ctx.go(CONFIRM)


# --- the read-back and saving -------------------------------------------------------------------------------


def books(ctx: Ctx) -> MovingIn:
    kept = ctx.state.from_file
    return books_from_json(kept) if kept is not None else typed_books(ctx)


def read_back_books(ctx: Ctx) -> str:
    return texts.books_summary(history.plan(ctx.db, ctx.club.id, books(ctx), ctx.today))


def save(ctx: Ctx) -> None:
    try:
        written = history.save(ctx.db, ctx.club.id, books(ctx), ctx.user, ctx.today)
    except history.NotClean as refused:  # the books moved since the read-back
        ctx.end()
        ctx.say(not_saved(refused.plan.problems))
        return
    ctx.end()
    ctx.say(saved(written) + "\n" + texts.REPORTS_FROM_NOW)


def ask_more_loans(ctx: Ctx) -> Question:
    return Question(
        texts.loans_so_far(len(ctx.state.loans)),
        [Choice(ANOTHER, texts.ANOTHER_LOAN), Choice(DONE, texts.NO_MORE_LOANS, ("xong", "het"))],
    )


STEPS = [
    Step(HOW, ask_how, read_how, on_how, goes_to=(START, INCOME, FILE, CONFIRM_FILE), takes="file"),
    Step(FILE, lambda ctx: texts.ASK_FILE, read_file, on_file, goes_to=(CONFIRM_FILE,), takes="file"),
    Step(
        START, ask_start, read_start, keep("records_start", INCOME), goes_to=(INCOME,), label=lambda: texts.START_LABEL
    ),
    Step(
        INCOME,
        lambda ctx: texts.ask_income(ctx.state.records_start),
        read_cash,
        keep("income_cash", ACTIVITY),
        goes_to=(ACTIVITY,),
        label=lambda: texts.INCOME_LABEL,
    ),
    Step(
        ACTIVITY,
        lambda ctx: texts.ask_activity(ctx.state.records_start),
        read_cash,
        keep("activity_cash", CAPITAL),
        goes_to=(CAPITAL,),
        label=lambda: texts.ACTIVITY_LABEL,
    ),
    Step(
        CAPITAL,
        lambda ctx: Question(texts.ask_capital(ctx.state.records_start), [Choice(SKIP, texts.SKIP_CAPITAL)]),
        readers.or_skip(readers.amount),
        keep("capital_total", ANY_LOAN),
        goes_to=(ANY_LOAN,),
        label=lambda: texts.CAPITAL_LABEL,
    ),
    Step(
        ANY_LOAN,
        lambda ctx: Question(
            texts.ask_any_loan(ctx.state.records_start),
            yes_or_no_choices(texts.YES_LOANS, texts.NO_LOANS),
        ),
        readers.yes_or_no,
        on_any_loan,
        goes_to=(WHO, CONFIRM),
    ),
    *borrower.steps,
    Step(
        PRINCIPAL,
        lambda ctx: texts.ask_principal(ctx.state.name),
        readers.amount,
        keep("principal", PAID_OUT),
        goes_to=(PAID_OUT,),
        label=lambda: texts.LENT,
    ),
    Step(
        PAID_OUT,
        lambda ctx: texts.ask_paid_out(ctx.today),
        readers.past_date(joined),
        keep("paid_out", TERM),
        goes_to=(TERM,),
        label=lambda: texts.PAID_OUT_LABEL,
    ),
    Step(
        TERM,
        lambda ctx: texts.ASK_TERM,
        readers.number(parse_months),
        keep("term", RATE),
        goes_to=(RATE,),
        label=lambda: texts.TERM,
    ),
    Step(RATE, ask_rate, read_rate, keep("rate_bp", OWED), goes_to=(OWED,), label=lambda: texts.RATE_LABEL),
    Step(
        OWED,
        lambda ctx: texts.ask_owed(ctx.state.records_start),
        readers.amount,
        keep("owed", LOAN_CHECK),
        goes_to=(LOAN_CHECK,),
        label=lambda: texts.OWED_LABEL,
    ),
    read_back(
        LOAN_CHECK,
        loan_summary,
        keep_loan,
        goes_to=(MORE_LOANS,),
        save_label=lambda: texts.KEEP_LOAN,
        question=lambda: texts.KEEP_LOAN_QUESTION,
        cancel=(lambda: texts.DROP_LOAN, next_loan),
    ),
    Step(MORE_LOANS, ask_more_loans, readers.choice, on_more_loans, goes_to=(WHO, CONFIRM)),
    read_back(CONFIRM, read_back_books, save),
    read_back(CONFIRM_FILE, read_back_books, save),
]


def progress(ctx: Ctx) -> str | None:
    return texts.progress(len(ctx.state.loans)) if ctx.state.loans else None


flow = Flow("moving_in", start=start, steps=STEPS, state=Books, first=(HOW,), progress=progress)
