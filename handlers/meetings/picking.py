"""Choosing a member by name, for whichever question of /hop needs one (volunteer, person visited, group...).

`member_step` makes that question's step: a button among the members offered, or a typed name searched in the
club's list; when the name matches several, the same question is asked again with them as buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from handlers.core import SKIP, Answer, Choice, Ctx, skip_choice
from handlers.flow import Question, Step
from handlers.meetings import texts
from handlers.parsing import InputError
from storage import members
from storage.models import Member

# Why this member cannot be the answer here, or None when they can.
MemberCheck = Callable[[Ctx, Member], str | None]
Picked = Callable[[Ctx, Member | None], None]  # None: the person pressed Skip


def member_choices(people: Iterable[Member]) -> list[Choice]:
    return [Choice(str(m.id), m.full_name, (m.full_name,)) for m in people]


def member_step(
    name: str,
    prompt: Callable[[Ctx], str],
    picked: Picked,
    *,
    goes_to: tuple[str, ...],
    offered: Callable[[Ctx], Iterable[Member]] = lambda ctx: (),
    check: MemberCheck = lambda ctx, member: None,
    skip: bool = False,
    label: Callable[[], str] | None = None,
) -> Step:
    """The step asking for a member; `picked` is given the member chosen (who passed `check`)."""

    def with_skip(choices: list[Choice]) -> list[Choice]:
        return [*choices, skip_choice()] if skip else choices

    def ask(ctx: Ctx) -> Question:
        if ctx.state.found:
            found = [m for m in (members.get(ctx.db, ctx.club.id, i) for i in ctx.state.found) if m is not None]
            return Question(texts.pick_member(len(found)), with_skip(member_choices(found)))
        return Question(prompt(ctx), with_skip(member_choices(offered(ctx))))

    def checked(ctx: Ctx, member: Member) -> Member:
        if (problem := check(ctx, member)) is not None:
            raise InputError(problem)
        return member

    def read(ctx: Ctx, ans: Answer) -> Member | list[int] | None:
        """The member chosen, None for Skip, or the ids of the several a typed name matched."""
        if ans.choice == SKIP:
            return None
        if ans.choice is not None:
            member = members.get(ctx.db, ctx.club.id, int(ans.choice))
            if member is None or member.left_on is not None:
                raise InputError(texts.MEMBER_GONE)
            return checked(ctx, member)
        found = members.search(ctx.db, ctx.club.id, ans.text)
        if not found:
            raise InputError(texts.not_found(ans.text))
        return checked(ctx, found[0]) if len(found) == 1 else [m.id for m in found]

    def then(ctx: Ctx, value: Member | list[int] | None) -> None:
        if isinstance(value, list):
            ctx.state.found = value
            ctx.go(name)
        else:
            ctx.state.found = []
            picked(ctx, value)

    return Step(name, ask, read, then, goes_to=goes_to, label=label)
