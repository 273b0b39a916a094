"""/clb: someone on several clubs' boards picks the club to work on, saved as soon as it is picked."""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow, Question, Step
from handlers.general import texts
from handlers.parsing import InputError
from storage import clubs, users
from storage.models import Club


def start(ctx: Ctx, args: str) -> None:
    if len(clubs.seats_of(ctx.db, ctx.user)) < 2:
        ctx.say(texts.only_one_club(ctx.club))
    else:
        ctx.go(PICK)


def seats(ctx: Ctx) -> dict[str, tuple[Club, str]]:
    return {str(club.id): (club, role) for club, role in clubs.seats_of(ctx.db, ctx.user)}


def ask_club(ctx: Ctx) -> Question:
    return Question(texts.ask_club(ctx.club), [Choice(key, club.name) for key, (club, _role) in seats(ctx).items()])


def read_club(ctx: Ctx, ans: Answer) -> str:
    if ans.choice not in seats(ctx):  # left that board since the question
        raise InputError(choose_one())
    return ans.choice


def on_club(ctx: Ctx, key: str) -> None:
    club, role = seats(ctx)[key]
    users.set_current_club(ctx.db, ctx.user, club.id)
    ctx.end()
    ctx.say(texts.club_switched(club, role))


PICK = Step("pick", ask_club, read_club, on_club)

flow = Flow("switch_club", start=start, steps=[PICK])
