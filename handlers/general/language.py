"""/ngonngu: the language the bot speaks to this person, saved as soon as it is picked."""

from __future__ import annotations

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.general import texts
from handlers.i18n import LANGUAGES, language
from storage import users


def start(ctx: Ctx, args: str) -> None:
    ctx.go(PICK)


def on_pick(ctx: Ctx, code: str) -> None:
    users.set_language(ctx.db, ctx.user, code)
    ctx.end()
    with language(code):
        ctx.say(texts.LANGUAGE_SET)


PICK = Step(
    "pick",
    lambda ctx: Question(texts.ASK_LANGUAGE, [Choice(code, name) for code, name in LANGUAGES.items()]),
    readers.choice,
    on_pick,
)

flow = Flow("language", start=start, steps=[PICK])
