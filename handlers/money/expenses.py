"""/chi: money spent from the activity fund, with what it was for; refused when the fund lacks the cash.

Guided: amount, purpose. On one line: /chi 200k van nghe ngay 20/11.
"""

from __future__ import annotations

from handlers.core import Answer, Ctx
from handlers.flow import Flow
from handlers.money import texts
from handlers.money.common import add_confirm_steps, announce, ask_or_retry, ask_to_save, entry_date, save_or_explain
from handlers.parsing import InputError, split_amount
from storage import ledger
from storage.ledger import NotEnoughCash
from storage.models import ACTIVITY_FUND
from storage.names import clean

MAX_PURPOSE = 200


def start(ctx: Ctx, args: str) -> None:
    if args:
        take_line(ctx, args)
    else:
        ask_amount(ctx)


flow = Flow("expense", start=start)


def _amount_prompt(ctx: Ctx) -> str:
    return texts.ask_expense(ledger.lowest_cash_since(ctx.db, ctx.club.id, ACTIVITY_FUND, entry_date(ctx)))


def ask_amount(ctx: Ctx) -> None:
    ctx.ask("amount", _amount_prompt(ctx))


def take_line(ctx: Ctx, text: str) -> None:
    """'200k van nghe' or just '200k': the amount, and what it was for if it came with it."""
    try:
        purpose, amount = split_amount(text)
        if amount is None:
            raise InputError(texts.amount_first())
    except InputError as problem:
        ask_or_retry(ctx, "amount", str(problem), _amount_prompt(ctx))
        return
    ctx.data["amount"] = amount
    if purpose:
        ctx.data["purpose"] = purpose[:MAX_PURPOSE]
    check(ctx)


@flow.step("amount")
def on_amount(ctx: Ctx, ans: Answer) -> None:
    take_line(ctx, ans.text)


def check(ctx: Ctx) -> None:
    """Refuse more than the fund holds (on the day or since); then ask what it was for, or read back."""
    try:
        ledger.require_cash(ctx.db, ctx.club.id, ACTIVITY_FUND, ctx.data["amount"], entry_date(ctx))
    except NotEnoughCash as problem:
        del ctx.data["amount"]
        ask_or_retry(ctx, "amount", texts.not_enough_cash(problem), _amount_prompt(ctx))
        return
    if "purpose" in ctx.data:
        review(ctx)
    else:
        ctx.ask("purpose", texts.ask_expense_purpose(ctx.data["amount"]))


@flow.step("purpose")
def on_purpose(ctx: Ctx, ans: Answer) -> None:
    purpose = clean(ans.text)
    if not 2 <= len(purpose) <= MAX_PURPOSE:
        ctx.retry(texts.purpose_problem(MAX_PURPOSE))
        return
    ctx.data["purpose"] = purpose
    review(ctx)


def review(ctx: Ctx) -> None:
    ask_to_save(ctx, texts.expense_summary(ctx.data["amount"], ctx.data["purpose"], entry_date(ctx)))


def save(ctx: Ctx) -> None:
    entry = save_or_explain(
        ctx,
        lambda: ledger.spend(
            ctx.db,
            ctx.club.id,
            amount=ctx.data["amount"],
            purpose=ctx.data["purpose"],
            on=entry_date(ctx),
            by=ctx.user,
            today=ctx.today,
        ),
    )
    if entry is None:
        return
    announce(ctx, texts.expense_summary(-entry.amount, entry.note, entry.entry_date))
    ctx.end()
    ctx.say(texts.expense_saved(entry, ledger.cash(ctx.db, ctx.club.id, ACTIVITY_FUND)))


# A new date is checked again: the fund's cash on that day decides.
add_confirm_steps(flow, check, save)
