"""How the bot calls a person in Vietnamese ("Bac", "Anh", "Chi" or the catalog's "ban"): asked once, at the end
of registering a club or joining a board, and changed beside the language in /ngonngu. The word itself is put in
the texts by handlers.i18n."""

from __future__ import annotations

from handlers import readers
from handlers.core import Choice, Ctx
from handlers.flow import Question, Step
from handlers.general import texts
from handlers.i18n import ADDRESSES, DEFAULT_ADDRESS, DEFAULT_LANGUAGE, address_label, address_word, language
from storage import users

STEP = "address"
SKIP_WORDS = ("bo qua", "skip")  # folded, as aliases are


def address_choices() -> list[Choice]:
    """Bac, Anh, Chi, then Ban, the default, which skipping the question also gives."""
    return [
        Choice(code, address_label(code), (code, *(SKIP_WORDS if code == DEFAULT_ADDRESS else ())))
        for code in ADDRESSES
    ]


def ask_once(ctx: Ctx) -> None:
    """Once the person has registered or joined: ask how to call them, unless asked before or they read English,
    which has one "you" for everyone. The default is kept at once, so a person who never answers is not asked
    again."""
    if ctx.user.address is not None or ctx.user.language != DEFAULT_LANGUAGE:
        ctx.end()
        return
    users.set_address(ctx.db, ctx.user, DEFAULT_ADDRESS)
    ctx.go(STEP)


def set_address(ctx: Ctx, code: str) -> None:
    """Saved, and said back already in the new word."""
    users.set_address(ctx.db, ctx.user, code)
    with language(ctx.user.language, code):
        ctx.say(texts.address_set(address_word(code).capitalize()))


def on_address(ctx: Ctx, code: str) -> None:
    ctx.end()
    set_address(ctx, code)


ADDRESS = Step(STEP, lambda ctx: Question(texts.ASK_ADDRESS, address_choices()), readers.choice, on_address)
