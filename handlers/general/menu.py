"""/menu: what the person can do here, and first, a flow they left unfinished for a read-only command."""

from __future__ import annotations

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.general import texts

# Commands that are themselves ways around the menu; the menu offers the rest.
NOT_IN_MENU = {"menu", "trogiup", "huy"}

GO_ON = "_go_on"  # back to a flow left unfinished when the menu was opened


def start(ctx: Ctx, args: str) -> None:
    ctx.go(PICK)


def ask_pick(ctx: Ctx) -> Question:
    choices = [
        Choice(command.names[0], command.description())
        for command in ctx.usable_commands()
        if command.in_menu and command.names[0] not in NOT_IN_MENU
    ]
    if ctx.paused is not None:
        choices.insert(0, Choice(GO_ON, texts.go_on_with(ctx.doing(ctx.paused["flow"]))))
    return Question(texts.menu(ctx.club, ctx.role), choices)


def on_pick(ctx: Ctx, choice: str) -> None:
    if choice == GO_ON:
        ctx.end()  # the dispatcher then takes up the flow set aside
    else:
        ctx.run_command(choice)


PICK = Step("pick", ask_pick, readers.choice, on_pick)

flow = Flow("menu", start=start, steps=[PICK])
