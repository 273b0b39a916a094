"""/vay: a loan from the income fund, under the club's rules, with its monthly schedule in the read-back.

Guided: who, amount, months, purpose. On one line: /vay Nguyen Thi Lan 3tr 12. Chair or treasurer only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.money import texts
from handlers.money.common import (
    CONFIRM,
    DATE,
    Entry,
    MemberQuestion,
    announce,
    ask_again_saying,
    chosen_member,
    confirm_steps,
    entry_date,
    save_or_explain,
    to_read_back,
)
from handlers.parsing import parse_months, split_amount, split_term
from storage import ledger, loans
from storage.ledger import HasOverdueLoan, MoneyError
from storage.models import CROPS, INCOME_FUND, LIVESTOCK, LOAN_PURPOSES, SMALL_TRADE, ClubRules, Member
from storage.money_rules import rules_of
from storage.schedule import instalment_schedule

AMOUNT, TERM, PURPOSE = "amount", "term", "purpose"
# What people call each purpose besides its name, folded: a pig or a cow is livestock, rice is a crop.
PURPOSE_WORDS = {
    LIVESTOCK: ("nuoi heo", "nuoi lon", "heo", "lon", "nuoi ga", "ga", "nuoi bo", "bo", "de", "vit", "chan nuoi"),
    CROPS: ("lua", "trong lua", "trong cay", "rau", "ngo", "bap", "phan bon", "giong", "trong trot"),
    SMALL_TRADE: ("buon ban", "ban hang", "tap hoa", "quan", "kinh doanh"),
}
# Where the answer to any question may lead: the first question not answered (or no longer right), or the
# read-back.
NEXT_QUESTIONS = (AMOUNT, TERM, PURPOSE, CONFIRM, DATE)


@dataclass
class NewLoan(Entry):
    amount: int | None = None
    term: int | None = None
    purpose: str | None = None


def split_line(text: str) -> tuple[str, dict[str, Any]]:
    """'Lan 3tr 12' -> 'Lan', with the amount and the months for the questions that follow."""
    rest, months = split_term(text)
    name, amount = split_amount(rest)
    return name, {key: value for key, value in (("term", months), ("amount", amount)) if value}


def for_member(ctx: Ctx, member: Member) -> None:
    try:
        loans.check_borrower(ctx.db, ctx.club.id, member.id, rules_of(ctx.db, ctx.club.id), entry_date(ctx))
    except HasOverdueLoan as problem:
        question.refuse(ctx, texts.has_overdue_loan(member, problem))
        return
    ctx.state.member = member.id
    next_question(ctx)


question = MemberQuestion(
    texts.ASK_BORROWER,
    then=for_member,
    goes_to=NEXT_QUESTIONS,
    split=split_line,
    label=lambda: texts.BORROWER_LABEL,
)


def ask_amount(ctx: Ctx) -> str:
    cash = ledger.lowest_cash_since(ctx.db, ctx.club.id, INCOME_FUND, entry_date(ctx))
    return texts.ask_loan_amount(texts.person(chosen_member(ctx)), max(cash, 0), rules_of(ctx.db, ctx.club.id))


def _check_amount(ctx: Ctx, rules: ClubRules, amount: int) -> None:
    loans.check_amount(ctx.db, ctx.club.id, rules, amount, entry_date(ctx))


def _check_term(ctx: Ctx, rules: ClubRules, months: int) -> None:
    loans.check_term(rules, months)


# Checked in this order, whether typed at their question, with the command, or standing from before a new date.
CHECKS: tuple[tuple[str, Callable[[Ctx, ClubRules, int], None]], ...] = ((AMOUNT, _check_amount), (TERM, _check_term))


def next_question(ctx: Ctx) -> None:
    rules = rules_of(ctx.db, ctx.club.id)
    for step, check in CHECKS:
        value = getattr(ctx.state, step)
        if value is None:
            ctx.go(step)
            return
        try:
            check(ctx, rules, value)
        except MoneyError as problem:
            setattr(ctx.state, step, None)
            ask_again_saying(ctx, step, texts.money_problem(problem))
            return
    if ctx.state.purpose is None:
        ctx.go(PURPOSE)
    else:
        to_read_back(ctx)


def on_amount(ctx: Ctx, amount: int) -> None:
    ctx.state.amount = amount
    next_question(ctx)


def on_term(ctx: Ctx, months: int) -> None:
    ctx.state.term = months
    next_question(ctx)


def purpose_choices() -> list[Choice]:
    return [Choice(p, texts.purpose_name(p), PURPOSE_WORDS.get(p, ())) for p in LOAN_PURPOSES]


def on_purpose(ctx: Ctx, purpose: str) -> None:
    ctx.state.purpose = purpose
    to_read_back(ctx)


def summary(ctx: Ctx) -> str:
    state: NewLoan = ctx.state
    rate = rules_of(ctx.db, ctx.club.id).loan_rate_bp
    on = entry_date(ctx)
    schedule = instalment_schedule(state.amount, state.term, rate, on)
    return texts.loan_summary(
        texts.person(chosen_member(ctx)), state.amount, state.term, state.purpose, on, rate, schedule
    )


def explain(member: Member):
    def problem_text(problem: MoneyError) -> str:
        if isinstance(problem, HasOverdueLoan):
            return texts.has_overdue_loan(member, problem)
        return texts.money_problem(problem)

    return problem_text


def save(ctx: Ctx) -> None:
    state: NewLoan = ctx.state
    member = chosen_member(ctx)
    loan = save_or_explain(
        ctx,
        lambda: loans.lend(
            ctx.db,
            ctx.club.id,
            member_id=member.id,
            amount=state.amount,
            term_months=state.term,
            purpose=state.purpose,
            on=entry_date(ctx),
            by=ctx.user,
            today=ctx.today,
        ),
        explain(member),
    )
    if loan is None:
        return
    first = loans.schedule_of(ctx.db, loan.id)[0]
    announce(ctx, texts.loan_announcement(texts.person(member), loan))
    ctx.end()
    ctx.say(texts.loan_saved(loan, ledger.cash(ctx.db, ctx.club.id, INCOME_FUND), first))


STEPS = [
    *question.steps,
    Step(
        AMOUNT,
        ask_amount,
        readers.amount,
        on_amount,
        goes_to=NEXT_QUESTIONS,
        label=lambda: texts.AMOUNT_LABEL,
    ),
    Step(
        TERM,
        lambda ctx: texts.ask_term(rules_of(ctx.db, ctx.club.id)),
        readers.number(parse_months),
        on_term,
        goes_to=NEXT_QUESTIONS,
        label=lambda: texts.TERM_LABEL,
    ),
    Step(
        PURPOSE,
        lambda ctx: Question(
            texts.ASK_PURPOSE, [Choice(p, texts.purpose_name(p), PURPOSE_WORDS.get(p, ())) for p in LOAN_PURPOSES]
        ),
        readers.choice,
        on_purpose,
        goes_to=(CONFIRM, DATE),
        label=lambda: texts.PURPOSE_LABEL,
    ),
    # A new date is checked like a new answer: the fund's cash on that day decides the amount.
    *confirm_steps(summary, save, next_question, after_review=NEXT_QUESTIONS),
]

flow = Flow("loan", start=question.start, steps=STEPS, state=NewLoan, first=question.first)
