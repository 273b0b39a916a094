"""/donggop: money given to a fund by a member, or by someone outside the club (the commune, a donor).

Guided: who, fund, kind, amount, then the read-back. On one line: /donggop Nguyen Thi Lan 50k [hoat dong].
After saving, 'Next member' keeps the fund, kind and date, so a meeting's collections go name, amount, save.
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
    ask_to_save,
    chosen_member,
    entry_date,
    save_or_explain,
)
from handlers.parsing import InputError, parse_amount, split_amount, split_fund
from storage import ledger
from storage.models import CONTRIBUTION_KINDS, DONATION, FUNDS, MONTHLY_FEE, Member
from storage.money_rules import rules_of

FEE = "fee"  # the choice of paying exactly the club's monthly fee


def start(ctx: Ctx, args: str) -> None:
    if args:
        question.answer(ctx, args)
    else:
        question.ask(ctx)


flow = Flow("contribution", start=start)


def read_line(ctx: Ctx, text: str) -> str:
    """'Lan 50k hoat dong' -> 'Lan', keeping the amount and the fund for the questions that follow."""
    rest, fund = split_fund(text)
    name, amount = split_amount(rest)
    if fund:
        ctx.data["fund"] = fund
    if amount:
        ctx.data["amount"] = amount
    return name


def from_member(ctx: Ctx, member: Member) -> None:
    ctx.data["member"] = member.id
    ask_next_question(ctx)


def from_outside(ctx: Ctx, source: str) -> None:
    ctx.data["source"] = source
    ask_next_question(ctx)


question = MemberQuestion(flow, texts.ask_contributor, then=from_member, read=read_line, outside=from_outside)


def giver(ctx: Ctx) -> str:
    member = chosen_member(ctx)
    return texts.person(member) if member else ctx.data["source"]


def contribution_kind(ctx: Ctx) -> str:
    """Money from outside the club is a donation; a member's is what the treasurer chose."""
    return DONATION if ctx.data.get("source") else ctx.data["kind"]


def ask_next_question(ctx: Ctx) -> None:
    """Ask the first thing not known yet (a default fund from the club's rules counts as known)."""
    rules = rules_of(ctx.db, ctx.club.id)
    ctx.data.setdefault("fund", rules.default_fund)
    if not ctx.data["fund"]:
        ctx.ask("fund", texts.ask_fund(), [Choice(fund, texts.fund_name(fund)) for fund in FUNDS])
    elif not (ctx.data.get("kind") or ctx.data.get("source")):
        ctx.ask(
            "kind", texts.ask_contribution_kind(), [Choice(kind, texts.kind_name(kind)) for kind in CONTRIBUTION_KINDS]
        )
    elif not ctx.data.get("amount"):
        fee = rules.monthly_fee if contribution_kind(ctx) == MONTHLY_FEE else 0
        ctx.ask(
            "amount",
            texts.ask_contribution_amount(giver(ctx)),
            [Choice(FEE, texts.monthly_fee_label(fee))] if fee else [],
        )
    else:
        review(ctx)


@flow.step("fund")
def on_fund(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in FUNDS:
        ctx.retry(choose_one())
        return
    ctx.data["fund"] = ans.choice
    ask_next_question(ctx)


@flow.step("kind")
def on_kind(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in CONTRIBUTION_KINDS:
        ctx.retry(choose_one())
        return
    ctx.data["kind"] = ans.choice
    ask_next_question(ctx)


@flow.step("amount")
def on_amount(ctx: Ctx, ans: Answer) -> None:
    try:
        amount = rules_of(ctx.db, ctx.club.id).monthly_fee if ans.choice == FEE else parse_amount(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.data["amount"] = amount
    review(ctx)


def review(ctx: Ctx) -> None:
    ask_to_save(
        ctx,
        texts.contribution_summary(
            giver(ctx), ctx.data["amount"], ctx.data["fund"], contribution_kind(ctx), entry_date(ctx)
        ),
    )


def save(ctx: Ctx) -> None:
    member = chosen_member(ctx)
    entry = save_or_explain(
        ctx,
        lambda: ledger.contribute(
            ctx.db,
            ctx.club.id,
            fund=ctx.data["fund"],
            kind=contribution_kind(ctx),
            amount=ctx.data["amount"],
            on=entry_date(ctx),
            by=ctx.user,
            today=ctx.today,
            member_id=member.id if member else None,
            source=None if member else ctx.data["source"],
        ),
    )
    if entry is None:
        return
    announce(ctx, texts.contribution_summary(giver(ctx), entry.amount, entry.fund, entry.kind, entry.entry_date))
    ctx.ask(
        "after", texts.contribution_saved(entry, ledger.cash(ctx.db, ctx.club.id, entry.fund)), after_save_choices()
    )


add_confirm_steps(flow, review, save)
add_next_member_step(flow, question, keep=("fund", "kind", "date"))
