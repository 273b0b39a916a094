"""/denhan: the repayments due this month and those overdue, in one message. Nothing here writes."""

from __future__ import annotations

from handlers.core import Ctx
from handlers.flow import Flow
from handlers.money import texts
from storage import loans


def start(ctx: Ctx, args: str) -> None:
    ctx.say(texts.due_list(loans.due_list(ctx.db, ctx.club.id, ctx.today), ctx.today), is_list=True)


flow = Flow("due_list", start=start)
