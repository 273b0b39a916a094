"""/moi: the chair picks a board role and, after a read-back, gets a single-use invite code for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers import readers
from handlers.board import texts
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step, read_back
from handlers.roles import INVITABLE, role_name
from storage import clubs


@dataclass
class Invitation:
    role: str = ""


def role_choices(exclude: str | None = None) -> list[Choice]:
    return [Choice(role, role_name(role)) for role in INVITABLE if role != exclude]


def start(ctx: Ctx, args: str) -> None:
    if ctx.msg.is_group:
        ctx.say(texts.INVITE_IN_PRIVATE)  # a code posted in a group is anyone's who reads it
        return
    ctx.go(ROLE)


def on_role(ctx: Ctx, role: str) -> None:
    ctx.state.role = role
    ctx.go(CONFIRM)


def valid_until(ctx: Ctx) -> date:
    return ctx.today + timedelta(days=ctx.settings.invite_valid_days)


def save(ctx: Ctx) -> None:
    invite = clubs.create_invite(ctx.db, ctx.club, ctx.state.role, ctx.user, ctx.settings.invite_valid_days)
    expires_on = invite.expires_at.astimezone(ZoneInfo(ctx.settings.timezone)).date()
    link = ctx.msg.start_link.format(code=invite.code) if ctx.msg.start_link else None
    ctx.end()
    ctx.say(texts.invite_made(invite, expires_on, link))


ROLE = Step(
    "role",
    lambda ctx: Question(texts.ASK_ROLE, role_choices()),
    readers.choice,
    on_role,
    goes_to=("confirm",),
    label=lambda: texts.ROLE_LABEL,
)
CONFIRM = read_back(
    "confirm",
    lambda ctx: texts.invite_summary(ctx.club, ctx.state.role, valid_until(ctx)),
    save,
    save_label=lambda: texts.MAKE_CODE_LABEL,
    question=lambda: texts.MAKE_CODE_QUESTION,
)

flow = Flow("invite", start=start, steps=[ROLE, CONFIRM], state=Invitation)
