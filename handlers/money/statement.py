"""/saoke: one member's statement: what they gave to each fund, their loans and their entries.

Anyone on the board may look, and so may the association reviewer; nothing here writes."""

from __future__ import annotations

from handlers.core import Ctx
from handlers.flow import Flow
from handlers.money import texts
from handlers.money.common import Entry, MemberQuestion
from storage import ledger, loans, money_reports
from storage.models import Member


def show_statement(ctx: Ctx, member: Member) -> None:
    contributed = money_reports.member_contributions(ctx.db, ctx.club.id, member.id)
    ctx.end()
    ctx.say(
        texts.statement(
            member,
            ctx.today,
            contributed.by_fund,
            loans.member_loans(ctx.db, ctx.club.id, member.id, ctx.today),
            ledger.member_entries(ctx.db, ctx.club.id, member.id),
            before_records=contributed.before_records,
        ),
        is_list=True,  # every entry of the member's: as long as it is
    )


# Members who left are found too: their statement is still asked for. No label: nothing is saved here.
question = MemberQuestion(texts.ASK_STATEMENT_MEMBER, then=show_statement, include_left=True)

flow = Flow("statement", start=question.start, steps=question.steps, state=Entry, first=question.first)
