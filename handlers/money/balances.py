"""/quy: both funds at a glance. /saoke: one member's statement. /denhan: repayments due this month and overdue.

Anyone on the board may look, and so may the district reviewer; nothing here writes.
"""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow
from handlers.money import texts
from handlers.money.common import MemberQuestion
from storage import ledger, loans, money_reports
from storage.models import CONTRIBUTION_KINDS, Member

STATEMENT, DUE_LIST, CLOSE = "saoke", "denhan", "close"


def start_funds(ctx: Ctx, args: str) -> None:
    figures = money_reports.summary(ctx.db, ctx.club.id, ctx.today)
    ctx.ask(
        "pick",
        texts.funds(ctx.club, figures, ctx.today),
        [
            Choice(STATEMENT, texts.statement_label()),
            Choice(DUE_LIST, texts.due_list_label()),
            Choice(CLOSE, texts.close_label()),
        ],
    )


funds_flow = Flow("funds", start=start_funds)


@funds_flow.step("pick")
def on_funds_pick(ctx: Ctx, ans: Answer) -> None:
    if ans.choice in (STATEMENT, DUE_LIST):
        ctx.run_command(ans.choice)
    elif ans.choice == CLOSE:
        ctx.end()
    else:
        ctx.retry(choose_one())


def start_statement(ctx: Ctx, args: str) -> None:
    if args:
        statement_question.answer(ctx, args)
    else:
        statement_question.ask(ctx)


statement_flow = Flow("statement", start=start_statement)


def show_statement(ctx: Ctx, member: Member) -> None:
    totals = ledger.member_totals(ctx.db, ctx.club.id, member.id)
    contributed = {fund: sum(totals.get((fund, kind), 0) for kind in CONTRIBUTION_KINDS) for fund, _kind in totals}
    ctx.end()
    ctx.say(
        texts.statement(
            member,
            ctx.today,
            contributed,
            loans.member_loans(ctx.db, ctx.club.id, member.id, ctx.today),
            ledger.member_entries(ctx.db, ctx.club.id, member.id),
        )
    )


statement_question = MemberQuestion(statement_flow, texts.ask_statement_member, then=show_statement, include_left=True)


def start_due_list(ctx: Ctx, args: str) -> None:
    ctx.say(texts.due_list(loans.due_list(ctx.db, ctx.club.id, ctx.today), ctx.today))


due_flow = Flow("due_list", start=start_due_list)
