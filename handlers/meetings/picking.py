"""Choosing a member by name, for whichever question of /hop needs one (volunteer, person visited, group...).

The question is asked with `ask_member(ctx, purpose, ...)`; what happens with the member chosen is the
handler registered for that purpose with `@member_picked(purpose)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from handlers.core import SKIP, Answer, Choice, Ctx, skip_choice
from handlers.meetings import texts
from handlers.meetings.common import flow
from storage import members
from storage.models import Member

PickedHandler = Callable[[Ctx, Member | None], None]  # None: the person pressed Skip
_HANDLERS: dict[str, PickedHandler] = {}


def member_picked(purpose: str):
    def register(handler: PickedHandler) -> PickedHandler:
        _HANDLERS[purpose] = handler
        return handler

    return register


def member_choices(people: Iterable[Member]) -> list[Choice]:
    return [Choice(str(m.id), m.full_name, (m.full_name,)) for m in people]


def ask_member(ctx: Ctx, purpose: str, prompt: str, offered: Iterable[Member] = (), *, skip: bool = False) -> None:
    """Ask for a member: a button among `offered`, or a typed name searched in the club's list."""
    ctx.data["pick_for"], ctx.data["pick_skip"] = purpose, skip
    ctx.ask("member", prompt, _with_skip(ctx, member_choices(offered)))


def _with_skip(ctx: Ctx, choices: list[Choice]) -> list[Choice]:
    return [*choices, skip_choice()] if ctx.data.get("pick_skip") else choices


@flow.step("member")
def on_member(ctx: Ctx, ans: Answer) -> None:
    handler = _HANDLERS[ctx.data["pick_for"]]
    if ans.choice == SKIP:
        handler(ctx, None)
    elif ans.choice is not None:
        member = members.get(ctx.db, ctx.club.id, int(ans.choice))
        if member is None or member.left_on is not None:
            ctx.retry(texts.member_gone())
        else:
            handler(ctx, member)
    else:
        found = members.search(ctx.db, ctx.club.id, ans.text)
        if not found:
            ctx.retry(texts.not_found(ans.text))
        elif len(found) == 1:
            handler(ctx, found[0])
        else:
            ctx.ask("member", texts.pick_member(len(found)), _with_skip(ctx, member_choices(found)))
