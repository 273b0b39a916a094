"""/start: register a club (the person becomes its chair), or join a board with an invite code.

The steps are in register.py and join.py; this module puts them together as the /start flow."""

from __future__ import annotations

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.general import address
from handlers.onboarding import join, places, register, texts
from handlers.onboarding.join import refused_for_guessing

MENU, REGISTER = "menu", "register"


def start(ctx: Ctx, args: str) -> None:
    if args:
        join.offer_invite(ctx, args)
    elif ctx.club is not None:
        ctx.go(RETURNING)
    else:
        ctx.say(texts.WELCOME)
        ctx.go("name")


def on_returning(ctx: Ctx, choice: str) -> None:
    if choice == MENU:
        ctx.run_command("menu")
    else:
        ctx.go("name")


RETURNING = Step(
    "returning",
    lambda ctx: Question(
        texts.returning(ctx.club, ctx.role), [Choice(MENU, texts.OPEN_MENU), Choice(REGISTER, texts.REGISTER_ANOTHER)]
    ),
    readers.choice,
    on_returning,
    goes_to=("name",),
)

flow = Flow(
    "start",
    start=start,
    steps=[RETURNING, *register.STEPS, join.JOIN, join.JOIN_AREA, address.ADDRESS],
    state=register.Registration,
    first=("returning", "name", "join", "join_area"),
)

place_flow = places.flow

__all__ = ["flow", "place_flow", "refused_for_guessing"]
