"""/trano: a payment on a loan, to the fee due first and then the principal; never more than is owed.

Guided: who, (which loan, if several), amount. On one line: /trano Nguyen Thi Lan 500k.
The read-back says what will still be owed; 'Next member' follows, as at a meeting repayments come in a row.
"""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow
from handlers.money import texts
from handlers.money.common import (
    MemberQuestion,
    add_confirm_steps,
    add_next_member_step,
    after_save_choices,
    announce,
    ask_or_retry,
    ask_to_save,
    chosen_member,
    entry_date,
    save_or_explain,
)
from handlers.parsing import InputError, parse_amount, split_amount
from storage import loans
from storage.ledger import MoneyError, NoOpenLoan, Overpayment
from storage.models import Loan, Member
from storage.schedule import LoanPosition

DUE = "due"  # the choice of paying what is due now


def start(ctx: Ctx, args: str) -> None:
    if args:
        question.answer(ctx, args)
    else:
        question.ask(ctx)


flow = Flow("repayment", start=start)


def read_line(ctx: Ctx, text: str) -> str:
    name, amount = split_amount(text)
    if amount:
        ctx.data["amount"] = amount
    return name


def for_member(ctx: Ctx, member: Member) -> None:
    owing = loans.open_loans(ctx.db, ctx.club.id, member.id, entry_date(ctx))
    if not owing:
        question.refuse(ctx, texts.no_loan(member))
        return
    ctx.data["member"] = member.id
    if len(owing) == 1:
        for_loan(ctx, owing[0][0])
    else:
        ctx.ask(
            "loan", texts.pick_loan(member), [Choice(str(loan.id), texts.loan_label(loan, pos)) for loan, pos in owing]
        )


# Members who left the club may still owe: they are found too.
question = MemberQuestion(flow, texts.ask_payer, then=for_member, read=read_line, include_left=True)


@flow.step("loan")
def on_loan(ctx: Ctx, ans: Answer) -> None:
    loan = loans.get_loan(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
    if loan is None or loan.member_id != ctx.data["member"]:
        ctx.retry(choose_one())
        return
    for_loan(ctx, loan)


def for_loan(ctx: Ctx, loan: Loan) -> None:
    ctx.data["loan"] = loan.id
    if "amount" in ctx.data:
        check_amount(ctx)
    else:
        ask_amount(ctx)


def chosen_loan(ctx: Ctx) -> tuple[Loan | None, LoanPosition]:
    loan = loans.get_loan(ctx.db, ctx.club.id, ctx.data["loan"])
    return loan, loans.loan_position(ctx.db, loan, entry_date(ctx))


def _due_now(pos: LoanPosition) -> int:
    return pos.overdue + pos.due_this_month


def _amount_prompt(ctx: Ctx) -> tuple[str, list[Choice]]:
    _loan, pos = chosen_loan(ctx)
    due = _due_now(pos)
    return texts.ask_repayment(chosen_member(ctx), pos), [Choice(DUE, texts.due_label(due))] if due else []


def ask_amount(ctx: Ctx) -> None:
    ctx.ask("amount", *_amount_prompt(ctx))


@flow.step("amount")
def on_amount(ctx: Ctx, ans: Answer) -> None:
    try:
        ctx.data["amount"] = _due_now(chosen_loan(ctx)[1]) if ans.choice == DUE else parse_amount(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    check_amount(ctx)


def check_amount(ctx: Ctx) -> None:
    """Refuse more than is owed, saying exactly what is owed; otherwise read back."""
    loan, pos = chosen_loan(ctx)
    if pos.closed:  # repaid meanwhile, or at the date chosen
        ctx.end()
        ctx.say(texts.not_saved(texts.no_loan(chosen_member(ctx))))
    elif ctx.data["amount"] > pos.owed:
        refuse_amount(ctx, pos)
    else:
        try:  # split as the books will split it: after the payments dated that day or before
            interest, _principal = loans.new_payment_split(ctx.db, loan, ctx.data["amount"], entry_date(ctx))
        except Overpayment as problem:  # back-dated, it would make a later payment pay more than the loan
            refuse_amount(ctx, problem.position)
            return
        review(ctx, pos, interest)


def refuse_amount(ctx: Ctx, pos: LoanPosition) -> None:
    del ctx.data["amount"]
    ask_or_retry(ctx, "amount", texts.overpayment(chosen_member(ctx), pos), *_amount_prompt(ctx))


def review(ctx: Ctx, pos: LoanPosition, interest: int) -> None:
    amount = ctx.data["amount"]
    ask_to_save(ctx, texts.repayment_summary(chosen_member(ctx), amount, interest, pos.owed - amount, entry_date(ctx)))


def explain(member: Member):
    def problem_text(problem: MoneyError) -> str:
        if isinstance(problem, Overpayment):
            return texts.overpayment(member, problem.position)
        if isinstance(problem, NoOpenLoan):
            return texts.no_loan(member)
        return texts.money_problem(problem)

    return problem_text


def save(ctx: Ctx) -> None:
    member = chosen_member(ctx)
    entry = save_or_explain(
        ctx,
        lambda: loans.repay(
            ctx.db,
            ctx.club.id,
            loan_id=ctx.data["loan"],
            amount=ctx.data["amount"],
            on=entry_date(ctx),
            by=ctx.user,
            today=ctx.today,
        ),
        explain(member),
    )
    if entry is None:
        return
    loan, pos = chosen_loan(ctx)
    announce(ctx, texts.repayment_summary(member, entry.amount, entry.interest, pos.owed, entry.entry_date))
    now = pos if entry.entry_date == ctx.today else loans.loan_position(ctx.db, loan, ctx.today)
    ctx.ask("after", texts.repayment_saved(entry, now), after_save_choices())


add_confirm_steps(flow, check_amount, save)
add_next_member_step(flow, question, keep=("date",))
