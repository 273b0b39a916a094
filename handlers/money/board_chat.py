"""/nhom: the chair links the board's group chat, where every saved money entry is then announced; typed in
private, it offers to stop announcing."""

from __future__ import annotations

from handlers import readers
from handlers.core import CANCELLED, Choice, Ctx, yes_no
from handlers.flow import Flow, Question, Step
from handlers.money import texts
from storage import money_rules

DONE, UNLINK = "done", "unlink"
LINK = "link"


def start(ctx: Ctx, args: str) -> None:
    if ctx.msg.is_group:
        ctx.go(LINK)
    elif money_rules.board_chat(ctx.db, ctx.club.id, ctx.msg.channel) is None:
        ctx.say(texts.LINK_FROM_GROUP)
    else:
        ctx.go(UNLINK)


def on_link(ctx: Ctx, link: bool) -> None:
    ctx.end()
    if link:
        money_rules.link_board_chat(ctx.db, ctx.club.id, ctx.msg.channel, ctx.msg.chat_id, ctx.user)
        ctx.say(texts.group_linked(ctx.club))
    else:
        ctx.say(CANCELLED)


def on_unlink(ctx: Ctx, choice: str) -> None:
    ctx.end()
    if choice == UNLINK:
        money_rules.unlink_board_chat(ctx.db, ctx.club.id, ctx.msg.channel, ctx.user)
        ctx.say(texts.GROUP_UNLINKED)


STEPS = [
    Step(
        LINK,
        lambda ctx: Question(texts.ask_link_group(ctx.club) + "\n\n" + texts.SAVE_QUESTION, yes_no(texts.LINK_LABEL)),
        readers.yes_or_no,
        on_link,
    ),
    Step(
        UNLINK,
        lambda ctx: Question(
            texts.group_is_linked(ctx.club), [Choice(UNLINK, texts.UNLINK_LABEL), Choice(DONE, texts.DONE_LABEL)]
        ),
        readers.choice,
        on_unlink,
    ),
]

flow = Flow("board_chat", start=start, steps=STEPS, first=(LINK, UNLINK))
