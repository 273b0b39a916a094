"""/trogiup: who the person is here and every command they can use."""

from __future__ import annotations

from handlers.core import Ctx
from handlers.flow import Flow
from handlers.general import texts


def start(ctx: Ctx, args: str) -> None:
    ctx.say(texts.help_text([c for c in ctx.usable_commands() if c.in_menu], ctx.club, ctx.role))


flow = Flow("help", start=start)
