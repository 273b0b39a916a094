"""/vay: a loan from the income fund, under the club's rules, with its monthly schedule in the read-back.

Guided: who, amount, months, purpose. On one line: /vay Nguyen Thi Lan 3tr 12. Chair or treasurer only.
"""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow
from handlers.money import texts
from handlers.money.common import (
    MemberQuestion,
    add_confirm_steps,
    announce,
    ask_or_retry,
    ask_to_save,
    chosen_member,
    entry_date,
    save_or_explain,
)
from handlers.parsing import InputError, parse_amount, parse_months, split_amount, split_term
from storage import ledger, loans
from storage.ledger import HasOverdueLoan, MoneyError
from storage.models import INCOME_FUND, LOAN_PURPOSES, ClubRules, Member
from storage.money_rules import rules_of
from storage.schedule import instalment_schedule


def start(ctx: Ctx, args: str) -> None:
    if args:
        question.answer(ctx, args)
    else:
        question.ask(ctx)


flow = Flow("loan", start=start)


def read_line(ctx: Ctx, text: str) -> str:
    """'Lan 3tr 12' -> 'Lan', keeping the amount and the months for the questions that follow."""
    rest, months = split_term(text)
    name, amount = split_amount(rest)
    if months:
        ctx.data["term"] = months
    if amount:
        ctx.data["amount"] = amount
    return name


def for_member(ctx: Ctx, member: Member) -> None:
    try:
        loans.check_borrower(ctx.db, ctx.club.id, member.id, rules_of(ctx.db, ctx.club.id), entry_date(ctx))
    except HasOverdueLoan as problem:
        question.refuse(ctx, texts.has_overdue_loan(member, problem))
        return
    ctx.data["member"] = member.id
    ask_next_question(ctx)


question = MemberQuestion(flow, texts.ask_borrower, then=for_member, read=read_line)


def _amount_prompt(ctx: Ctx, rules: ClubRules) -> str:
    cash = ledger.lowest_cash_since(ctx.db, ctx.club.id, INCOME_FUND, entry_date(ctx))
    return texts.ask_loan_amount(texts.person(chosen_member(ctx)), max(cash, 0), rules)


def _check_amount(ctx: Ctx, rules: ClubRules, amount: int) -> None:
    loans.check_amount(ctx.db, ctx.club.id, rules, amount, entry_date(ctx))


def _check_term(ctx: Ctx, rules: ClubRules, months: int) -> None:
    loans.check_term(rules, months)


# Asked in this order; an answer typed with the command is checked as if it had been typed at its question.
QUESTIONS = (("amount", _amount_prompt, _check_amount), ("term", lambda ctx, rules: texts.ask_term(rules), _check_term))


def ask_next_question(ctx: Ctx) -> None:
    rules = rules_of(ctx.db, ctx.club.id)
    for step, prompt, check in QUESTIONS:
        if step not in ctx.data:
            ctx.ask(step, prompt(ctx, rules))
            return
        try:
            check(ctx, rules, ctx.data[step])
        except MoneyError as problem:
            del ctx.data[step]
            ask_or_retry(ctx, step, texts.money_problem(problem), prompt(ctx, rules))
            return
    if "purpose" not in ctx.data:
        ctx.ask("purpose", texts.ask_purpose(), [Choice(p, texts.purpose_name(p)) for p in LOAN_PURPOSES])
    else:
        review(ctx)


@flow.step("amount")
def on_amount(ctx: Ctx, ans: Answer) -> None:
    try:
        ctx.data["amount"] = parse_amount(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ask_next_question(ctx)


@flow.step("term")
def on_term(ctx: Ctx, ans: Answer) -> None:
    try:
        ctx.data["term"] = parse_months(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ask_next_question(ctx)


@flow.step("purpose")
def on_purpose(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in LOAN_PURPOSES:
        ctx.retry(choose_one())
        return
    ctx.data["purpose"] = ans.choice
    review(ctx)


def review(ctx: Ctx) -> None:
    rate = rules_of(ctx.db, ctx.club.id).loan_rate_bp
    on = entry_date(ctx)
    schedule = instalment_schedule(ctx.data["amount"], ctx.data["term"], rate, on)
    ask_to_save(
        ctx,
        texts.loan_summary(
            texts.person(chosen_member(ctx)),
            ctx.data["amount"],
            ctx.data["term"],
            ctx.data["purpose"],
            on,
            rate,
            schedule,
        ),
    )


def explain(member: Member):
    def problem_text(problem: MoneyError) -> str:
        if isinstance(problem, HasOverdueLoan):
            return texts.has_overdue_loan(member, problem)
        return texts.money_problem(problem)

    return problem_text


def save(ctx: Ctx) -> None:
    member = chosen_member(ctx)
    loan = save_or_explain(
        ctx,
        lambda: loans.lend(
            ctx.db,
            ctx.club.id,
            member_id=member.id,
            amount=ctx.data["amount"],
            term_months=ctx.data["term"],
            purpose=ctx.data["purpose"],
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


# A new date is checked like a new answer: the fund's cash on that day decides the amount.
add_confirm_steps(flow, ask_next_question, save)
