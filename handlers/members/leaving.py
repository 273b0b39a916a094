"""Recording that the member picked on their card left the club: the date, read back, saved. Their records
stay in the books."""

from __future__ import annotations

from datetime import date

from handlers import readers
from handlers.core import Answer, Choice, Ctx
from handlers.flow import Question, Step, read_back
from handlers.members import texts
from handlers.members.shared import chosen_member
from storage import members
from storage.dates import EVER_SINCE, JOINED, Earliest
from storage.models import Member

TODAY = "today"


def picked(ctx: Ctx) -> Member:
    member = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    assert member is not None  # chosen_member has just found them
    return member


def since_joining(ctx: Ctx) -> Earliest:
    member = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    return Earliest(member.joined_on, JOINED) if member is not None else EVER_SINCE


def read_left_on(ctx: Ctx, ans: Answer) -> date:
    return ctx.today if ans.choice == TODAY else readers.past_date(since_joining)(ctx, ans)


def on_left_on(ctx: Ctx, left_on: date) -> None:
    if chosen_member(ctx) is None:
        return
    ctx.state.left_on = left_on
    ctx.go(CONFIRM_LEAVE)


def save_leaving(ctx: Ctx) -> None:
    member = chosen_member(ctx)
    if member is None:
        return
    left_on = ctx.state.left_on
    ctx.end()
    if member.left_on is not None:
        ctx.say(texts.already_left(member))
        return
    members.mark_left(ctx.db, member, left_on, ctx.user)
    ctx.say(texts.leave_summary(member, member.left_on))


LEFT_ON = Step(
    "left_on",
    lambda ctx: Question(texts.ask_left_on(picked(ctx)), [Choice(TODAY, texts.TODAY_LABEL, ("hom nay",))]),
    read_left_on,
    on_left_on,
    goes_to=("confirm_leave",),
    label=lambda: texts.LEFT_ON_LABEL,
)
CONFIRM_LEAVE = read_back(
    "confirm_leave", lambda ctx: texts.leave_summary(picked(ctx), ctx.state.left_on), save_leaving
)
STEPS = [LEFT_ON, CONFIRM_LEAVE]
