"""/ngonngu: the language the bot speaks to this person, and beside it how it calls them in Vietnamese; saved as
soon as one is picked."""

from __future__ import annotations

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.general import texts
from handlers.general.address import address_choices, set_address
from handlers.i18n import LANGUAGES, language
from storage import users


def start(ctx: Ctx, args: str) -> None:
    ctx.go(PICK)


def on_pick(ctx: Ctx, code: str) -> None:
    ctx.end()
    if code not in LANGUAGES:
        set_address(ctx, code)
        return
    users.set_language(ctx.db, ctx.user, code)
    with language(code, ctx.user.address):
        ctx.say(texts.LANGUAGE_SET)


PICK = Step(
    "pick",
    lambda ctx: Question(
        texts.ASK_LANGUAGE_AND_ADDRESS,
        [*(Choice(code, name) for code, name in LANGUAGES.items()), *address_choices()],
    ),
    readers.choice,
    on_pick,
)

flow = Flow("language", start=start, steps=[PICK])
