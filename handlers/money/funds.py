"""/quy: both funds at a glance, with the way on to a member's statement or the repayments due.

Anyone on the board may look, and so may the association reviewer; nothing here writes."""

from __future__ import annotations

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.money import texts
from storage import money_reports

STATEMENT, DUE_LIST, CLOSE = "saoke", "denhan", "close"  # the commands they run, and closing
PICK = "pick"


def start(ctx: Ctx, args: str) -> None:
    ctx.go(PICK)


def ask_pick(ctx: Ctx) -> Question:
    figures = money_reports.summary(ctx.db, ctx.club.id, ctx.today)
    return Question(
        texts.funds(ctx.club, figures, ctx.today),
        [
            Choice(STATEMENT, texts.STATEMENT_LABEL),
            Choice(DUE_LIST, texts.DUE_LIST_LABEL),
            Choice(CLOSE, texts.CLOSE_LABEL),
        ],
    )


def on_pick(ctx: Ctx, choice: str) -> None:
    if choice == CLOSE:
        ctx.end()
    else:
        ctx.run_command(choice)


flow = Flow("funds", start=start, steps=[Step(PICK, ask_pick, readers.choice, on_pick)])
