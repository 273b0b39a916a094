"""/chi: money spent from the activity fund, with what it was for; refused when the fund lacks the cash.

Guided: amount, purpose. On one line: /chi 200k van nghe ngay 20/11.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core import Answer, Ctx
from handlers.flow import Flow, Step
from handlers.money import texts
from handlers.money.common import (
    CONFIRM,
    DATE,
    Entry,
    announce,
    ask_again_saying,
    confirm_steps,
    entry_date,
    save_or_explain,
    to_read_back,
)
from handlers.parsing import InputError, split_amount
from storage import ledger
from storage.ledger import NotEnoughCash
from storage.models import ACTIVITY_FUND
from storage.names import clean

MAX_PURPOSE = 200
AMOUNT, PURPOSE = "amount", "purpose"
# Where an amount or a new date may lead: the amount again (more than the fund holds), what it was for, or
# the read-back.
CHECKED = (AMOUNT, PURPOSE, CONFIRM, DATE)


@dataclass
class Expense(Entry):
    amount: int | None = None
    purpose: str | None = None


def take_line(text: str) -> tuple[int, str]:
    """'200k van nghe' or just '200k': the amount, and what it was for if it came with it."""
    purpose, amount = split_amount(text)
    if amount is None:
        raise InputError(str(texts.AMOUNT_FIRST))
    return amount, purpose[:MAX_PURPOSE]


def start(ctx: Ctx, args: str) -> None:
    if not args:
        ctx.go(AMOUNT)
        return
    try:
        line = take_line(args)
    except InputError as problem:
        ctx.say(str(problem))
        ctx.go(AMOUNT)
        return
    on_amount(ctx, line)


def ask_amount(ctx: Ctx) -> str:
    return texts.ask_expense(ledger.lowest_cash_since(ctx.db, ctx.club.id, ACTIVITY_FUND, entry_date(ctx)))


def on_amount(ctx: Ctx, line: tuple[int, str]) -> None:
    ctx.state.amount, purpose = line
    if purpose:
        ctx.state.purpose = purpose
    check(ctx)


def check(ctx: Ctx) -> None:
    """Refuse more than the fund holds (on the day or since); then ask what it was for, or read back."""
    try:
        ledger.require_cash(ctx.db, ctx.club.id, ACTIVITY_FUND, ctx.state.amount, entry_date(ctx))
    except NotEnoughCash as problem:
        ctx.state.amount = None
        ask_again_saying(ctx, AMOUNT, texts.not_enough_cash(problem))
        return
    if ctx.state.purpose:
        to_read_back(ctx)
    else:
        ctx.go(PURPOSE)


def read_purpose(ctx: Ctx, ans: Answer) -> str:
    purpose = clean(ans.text)
    if not 2 <= len(purpose) <= MAX_PURPOSE:
        raise InputError(texts.purpose_problem(MAX_PURPOSE))
    return purpose


def on_purpose(ctx: Ctx, purpose: str) -> None:
    ctx.state.purpose = purpose
    to_read_back(ctx)


def summary(ctx: Ctx) -> str:
    return texts.expense_summary(ctx.state.amount, ctx.state.purpose, entry_date(ctx))


def save(ctx: Ctx) -> None:
    state: Expense = ctx.state
    entry = save_or_explain(
        ctx,
        lambda: ledger.spend(
            ctx.db,
            ctx.club.id,
            amount=state.amount,
            purpose=state.purpose,
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


STEPS = [
    Step(
        AMOUNT,
        ask_amount,
        lambda ctx, ans: take_line(ans.text),
        on_amount,
        goes_to=CHECKED,
        label=lambda: texts.AMOUNT_LABEL,
    ),
    Step(
        PURPOSE,
        lambda ctx: texts.ask_expense_purpose(ctx.state.amount),
        read_purpose,
        on_purpose,
        goes_to=(CONFIRM, DATE),
        label=lambda: texts.SPENT_ON_LABEL,
    ),
    # A new date is checked again: the fund's cash on that day decides.
    *confirm_steps(summary, save, check, after_review=(AMOUNT, PURPOSE)),
]

flow = Flow("expense", start=start, steps=STEPS, state=Expense, first=CHECKED)
