"""/trano: a payment on a loan, to the fee due first and then the principal; never more than is owed.

Guided: who, (which loan, if several), amount. On one line: /trano Nguyen Thi Lan 500k.
The read-back says what will still be owed; 'Next member' follows, as at a meeting repayments come in a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow, Question, Step
from handlers.money import texts
from handlers.money.common import (
    AFTER,
    CONFIRM,
    DATE,
    Entry,
    MemberQuestion,
    announce,
    ask_again_saying,
    chosen_member,
    confirm_steps,
    entry_date,
    next_member_step,
    save_or_explain,
    to_read_back,
)
from handlers.parsing import InputError, parse_amount, split_amount
from storage import ledger, loans
from storage.ledger import MoneyError, NoOpenLoan, Overpayment
from storage.models import Loan, Member
from storage.schedule import LoanPosition

DUE = "due"  # the choice of paying what is due now
LOAN, AMOUNT = "loan", "amount"
# Where a loan found, an amount or a new date may lead: the amount again (more than is owed), or the read-back.
CHECKED = (AMOUNT, CONFIRM, DATE)


@dataclass
class Repayment(Entry):
    loan: int | None = None
    amount: int | None = None
    saved: int | None = None  # the entry saved, for the 'next member' question


def split_line(text: str) -> tuple[str, dict[str, Any]]:
    name, amount = split_amount(text)
    return name, {"amount": amount} if amount else {}


def for_member(ctx: Ctx, member: Member) -> None:
    owing = loans.open_loans(ctx.db, ctx.club.id, member.id, entry_date(ctx))
    if not owing:
        question.refuse(ctx, texts.no_loan(member))
        return
    ctx.state.member = member.id
    if len(owing) == 1:
        for_loan(ctx, owing[0][0])
    else:
        ctx.forget(LOAN)  # another member's loans: the one picked before is not among them
        ctx.go(LOAN)


# Members who left the club may still owe: they are found too.
question = MemberQuestion(
    texts.ASK_PAYER,
    then=for_member,
    goes_to=(LOAN, *CHECKED),
    split=split_line,
    include_left=True,
    label=lambda: texts.PAYER_LABEL,
)


def ask_loan(ctx: Ctx) -> Question:
    member = chosen_member(ctx)
    owing = loans.open_loans(ctx.db, ctx.club.id, member.id, entry_date(ctx))
    return Question(texts.pick_loan(member), [Choice(str(loan.id), texts.loan_label(loan, pos)) for loan, pos in owing])


def read_loan(ctx: Ctx, ans: Answer) -> Loan:
    loan = loans.get_loan(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
    if loan is None or loan.member_id != ctx.state.member:
        raise InputError(choose_one())
    return loan


def for_loan(ctx: Ctx, loan: Loan) -> None:
    ctx.state.loan = loan.id
    if ctx.state.amount is not None:
        check_amount(ctx)
    else:
        ctx.go(AMOUNT)


def chosen_loan(ctx: Ctx) -> tuple[Loan | None, LoanPosition]:
    loan = loans.get_loan(ctx.db, ctx.club.id, ctx.state.loan)
    return loan, loans.loan_position(ctx.db, loan, entry_date(ctx))


def _due_now(pos: LoanPosition) -> int:
    return pos.overdue + pos.due_this_month


def ask_amount(ctx: Ctx) -> Question:
    _loan, pos = chosen_loan(ctx)
    due = _due_now(pos)
    return Question(texts.ask_repayment(chosen_member(ctx), pos), [Choice(DUE, texts.due_label(due))] if due else [])


def read_amount(ctx: Ctx, ans: Answer) -> int:
    return _due_now(chosen_loan(ctx)[1]) if ans.choice == DUE else parse_amount(ans.text)


def on_amount(ctx: Ctx, amount: int) -> None:
    ctx.state.amount = amount
    check_amount(ctx)


def check_amount(ctx: Ctx) -> None:
    """Refuse more than is owed, saying exactly what is owed; otherwise read back."""
    loan, pos = chosen_loan(ctx)
    if pos.closed:  # repaid meanwhile, or at the date chosen
        ctx.end()
        ctx.say(texts.not_saved(texts.no_loan(chosen_member(ctx))))
    elif ctx.state.amount > pos.owed:
        refuse_amount(ctx, pos)
    else:
        try:  # split as the books will split it: after the payments dated that day or before
            loans.new_payment_split(ctx.db, loan, ctx.state.amount, entry_date(ctx))
        except Overpayment as problem:  # back-dated, it would make a later payment pay more than the loan
            refuse_amount(ctx, problem.position)
            return
        to_read_back(ctx)


def refuse_amount(ctx: Ctx, pos: LoanPosition) -> None:
    ctx.state.amount = None
    ask_again_saying(ctx, AMOUNT, texts.overpayment(chosen_member(ctx), pos))


def summary(ctx: Ctx) -> str:
    loan, pos = chosen_loan(ctx)
    amount = ctx.state.amount
    interest, _principal = loans.new_payment_split(ctx.db, loan, amount, entry_date(ctx))
    return texts.repayment_summary(chosen_member(ctx), amount, interest, pos.owed - amount, entry_date(ctx))


def explain(member: Member):
    def problem_text(problem: MoneyError) -> str:
        if isinstance(problem, Overpayment):
            return texts.overpayment(member, problem.position)
        if isinstance(problem, NoOpenLoan):
            return texts.no_loan(member)
        return texts.money_problem(problem)

    return problem_text


def save(ctx: Ctx) -> None:
    state: Repayment = ctx.state
    member = chosen_member(ctx)
    entry = save_or_explain(
        ctx,
        lambda: loans.repay(
            ctx.db,
            ctx.club.id,
            loan_id=state.loan,
            amount=state.amount,
            on=entry_date(ctx),
            by=ctx.user,
            today=ctx.today,
        ),
        explain(member),
    )
    if entry is None:
        return
    _loan, pos = chosen_loan(ctx)
    announce(ctx, texts.repayment_summary(member, entry.amount, entry.interest, pos.owed, entry.entry_date))
    state.saved = entry.id
    ctx.go(AFTER)


def saved(ctx: Ctx) -> str:
    entry = ledger.get_entry(ctx.db, ctx.club.id, ctx.state.saved)
    loan = loans.get_loan(ctx.db, ctx.club.id, ctx.state.loan)
    return texts.repayment_saved(entry, loans.loan_position(ctx.db, loan, ctx.today))


def for_the_next_member(done: Repayment) -> Repayment:
    return Repayment(date=done.date)


STEPS = [
    *question.steps,
    Step(LOAN, ask_loan, read_loan, for_loan, goes_to=CHECKED, label=lambda: texts.LOAN_LABEL),
    Step(AMOUNT, ask_amount, read_amount, on_amount, goes_to=CHECKED, label=lambda: texts.AMOUNT_LABEL),
    *confirm_steps(summary, save, check_amount, after_save=(AFTER,), after_review=(AMOUNT,)),
    next_member_step(question, saved, for_the_next_member),
]

flow = Flow("repayment", start=question.start, steps=STEPS, state=Repayment, first=question.first)
