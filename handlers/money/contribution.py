"""/donggop: money given to a fund by a member, or by someone outside the club (the commune, a donor).

Guided: who, fund, kind, amount, then the read-back. On one line: /donggop Nguyen Thi Lan 50k [hoat dong].
After saving, 'Next member' keeps the fund, kind and date, so a meeting's collections go name, amount, save.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import readers
from handlers.core import Answer, Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.money import texts
from handlers.money.common import (
    AFTER,
    CONFIRM,
    DATE,
    Entry,
    MemberQuestion,
    announce,
    chosen_member,
    confirm_steps,
    entry_date,
    next_member_step,
    save_or_explain,
    to_read_back,
)
from handlers.parsing import parse_amount, split_amount, split_fund, split_kind
from storage import ledger
from storage.models import CAPITAL, CONTRIBUTION_KINDS, DONATION, FUNDS, INCOME_FUND, MONTHLY_FEE, Member
from storage.money_rules import rules_of

FEE = "fee"  # the choice of paying exactly the club's monthly fee
FUND, KIND, AMOUNT = "fund", "kind", "amount"
# Where the answer to any question may lead: the first question not answered yet, or the read-back.
NEXT_QUESTIONS = (FUND, KIND, AMOUNT, CONFIRM, DATE)


@dataclass
class Contribution(Entry):
    source: str | None = None  # who gave it, when not a member
    fund: str | None = None
    kind: str | None = None
    amount: int | None = None
    saved: int | None = None  # the entry saved, for the 'next member' question


def split_line(text: str) -> tuple[str, dict[str, Any]]:
    """'Lan 50k hoat dong' or 'Binh 1tr5 gop von' -> the name, with the amount and the fund or kind named after
    it for the questions that follow. Capital always goes to the income fund."""
    rest, fund = split_fund(text)
    rest, kind = split_kind(rest)
    name, amount = split_amount(rest)
    if kind == CAPITAL:
        fund = fund or INCOME_FUND
    found = (("fund", fund), ("kind", kind), ("amount", amount))
    return name, {key: value for key, value in found if value}


def from_member(ctx: Ctx, member: Member) -> None:
    ctx.state.member, ctx.state.source = member.id, None
    next_question(ctx)


def from_outside(ctx: Ctx, source: str) -> None:
    ctx.state.member, ctx.state.source = None, source
    next_question(ctx)


question = MemberQuestion(
    texts.ASK_CONTRIBUTOR,
    then=from_member,
    goes_to=NEXT_QUESTIONS,
    split=split_line,
    outside=from_outside,
    label=lambda: texts.CONTRIBUTOR_LABEL,
)


def giver(ctx: Ctx) -> str:
    member = chosen_member(ctx)
    return texts.person(member) if member else ctx.state.source


def contribution_kind(ctx: Ctx) -> str:
    """Money from outside the club is a donation; a member's is what the treasurer chose."""
    return DONATION if ctx.state.source else ctx.state.kind


def next_question(ctx: Ctx) -> None:
    """Ask the first thing not known yet (a default fund from the club's rules counts as known)."""
    state: Contribution = ctx.state
    state.fund = state.fund or rules_of(ctx.db, ctx.club.id).default_fund
    if not state.fund:
        ctx.go(FUND)
    elif not (state.kind or state.source):
        ctx.go(KIND)
    elif not state.amount:
        ctx.go(AMOUNT)
    else:
        to_read_back(ctx)


def on_fund(ctx: Ctx, fund: str) -> None:
    ctx.state.fund = fund
    next_question(ctx)


def on_kind(ctx: Ctx, kind: str) -> None:
    ctx.state.kind = kind
    next_question(ctx)


def ask_amount(ctx: Ctx) -> Question:
    rules = rules_of(ctx.db, ctx.club.id)
    fee = rules.monthly_fee if contribution_kind(ctx) == MONTHLY_FEE else 0
    return Question(
        texts.ask_contribution_amount(giver(ctx)), [Choice(FEE, texts.monthly_fee_label(fee))] if fee else []
    )


def read_amount(ctx: Ctx, ans: Answer) -> int:
    return rules_of(ctx.db, ctx.club.id).monthly_fee if ans.choice == FEE else parse_amount(ans.text)


def on_amount(ctx: Ctx, amount: int) -> None:
    ctx.state.amount = amount
    to_read_back(ctx)


def summary(ctx: Ctx) -> str:
    state: Contribution = ctx.state
    return texts.contribution_summary(giver(ctx), state.amount, state.fund, contribution_kind(ctx), entry_date(ctx))


def save(ctx: Ctx) -> None:
    state: Contribution = ctx.state
    member = chosen_member(ctx)
    entry = save_or_explain(
        ctx,
        lambda: ledger.contribute(
            ctx.db,
            ctx.club.id,
            fund=state.fund,
            kind=contribution_kind(ctx),
            amount=state.amount,
            on=entry_date(ctx),
            by=ctx.user,
            today=ctx.today,
            member_id=member.id if member else None,
            source=None if member else state.source,
        ),
    )
    if entry is None:
        return
    announce(ctx, texts.contribution_summary(giver(ctx), entry.amount, entry.fund, entry.kind, entry.entry_date))
    state.saved = entry.id
    ctx.go(AFTER)


def saved(ctx: Ctx) -> str:
    entry = ledger.get_entry(ctx.db, ctx.club.id, ctx.state.saved)
    return texts.contribution_saved(entry, ledger.cash(ctx.db, ctx.club.id, entry.fund))


def for_the_next_member(done: Contribution) -> Contribution:
    return Contribution(fund=done.fund, kind=done.kind, date=done.date)


STEPS = [
    *question.steps,
    Step(
        FUND,
        lambda ctx: Question(texts.ASK_FUND, [Choice(fund, texts.fund_name(fund)) for fund in FUNDS]),
        readers.choice,
        on_fund,
        goes_to=NEXT_QUESTIONS,
        label=lambda: texts.FUND_LABEL,
    ),
    Step(
        KIND,
        lambda ctx: Question(
            texts.ASK_CONTRIBUTION_KIND, [Choice(kind, texts.kind_name(kind)) for kind in CONTRIBUTION_KINDS]
        ),
        readers.choice,
        on_kind,
        goes_to=NEXT_QUESTIONS,
        label=lambda: texts.KIND_LABEL,
    ),
    Step(AMOUNT, ask_amount, read_amount, on_amount, goes_to=(CONFIRM, DATE), label=lambda: texts.AMOUNT_LABEL),
    *confirm_steps(summary, save, to_read_back, after_save=(AFTER,)),
    next_member_step(question, saved, for_the_next_member),
]

flow = Flow("contribution", start=question.start, steps=STEPS, state=Contribution, first=question.first)
