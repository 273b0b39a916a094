"""Looking: the list page by page, a search by name, and the member's card, from which the board edits a
field, records a leaving, or (the chair) sends or anonymises a member's data. All navigation: nothing here is
an answer to be saved."""

from __future__ import annotations

import math

from handlers import readers
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Question, Step
from handlers.members import personal, texts
from handlers.members.shared import MemberWork, chosen_member, private
from handlers.parsing import InputError
from handlers.roles import EDIT_MEMBERS
from storage import members
from storage.models import Member

PAGE_SIZE = 10
PREVIOUS, NEXT, SEARCH_AGAIN, DONE, EDIT, LEAVE = "prev", "next", "search", "done", "edit", "leave"


def show_first_page(ctx: Ctx) -> None:
    if members.count(ctx.db, ctx.club.id) == 0:
        ctx.end()
        ctx.say(texts.EMPTY_LIST)
        return
    ctx.state.page = 0
    ctx.go(PAGE)


def ask_page(ctx: Ctx) -> Question:
    state: MemberWork = ctx.state
    pages = max(1, math.ceil(members.count(ctx.db, ctx.club.id) / PAGE_SIZE))
    state.page = max(0, min(state.page, pages - 1))
    choices = []
    if state.page > 0:
        choices.append(Choice(PREVIOUS, texts.PREVIOUS_LABEL))
    if state.page + 1 < pages:
        choices.append(Choice(NEXT, texts.NEXT_LABEL))
    choices += [Choice(SEARCH_AGAIN, texts.SEARCH_LABEL), Choice(DONE, texts.DONE_LABEL)]
    rows = members.page(ctx.db, ctx.club.id, state.page, PAGE_SIZE)
    first = state.page * PAGE_SIZE + 1
    page = texts.list_page(ctx.club, rows, state.page, pages, first, ctx.today, private(ctx))
    return Question(page, choices, is_list=True)


def on_page(ctx: Ctx, choice: str) -> None:
    moves = {PREVIOUS: -1, NEXT: 1}
    if choice in moves:
        ctx.state.page += moves[choice]
        ctx.go(PAGE)
    elif choice == SEARCH_AGAIN:
        ctx.go(SEARCH)
    else:
        ctx.end()


def ask_search(ctx: Ctx) -> str:
    state: MemberWork = ctx.state
    return f"{texts.not_found(state.query)}\n\n{texts.ASK_SEARCH}" if state.not_found else str(texts.ASK_SEARCH)


def show_matches(ctx: Ctx, query: str) -> None:
    state: MemberWork = ctx.state
    state.query = query
    found = members.search(ctx.db, ctx.club.id, query, include_left=True)
    state.not_found = not found
    if len(found) == 1:
        show_card(ctx, found[0])
    else:
        ctx.go(PICK if found else SEARCH)


def ask_pick(ctx: Ctx) -> Question:
    found = members.search(ctx.db, ctx.club.id, ctx.state.query, include_left=True)
    return Question(texts.pick_member(len(found)), [Choice(str(m.id), texts.pick_label(m)) for m in found])


def read_pick(ctx: Ctx, ans: Answer) -> Member | str:
    """The member picked, or a new name typed instead of a pick."""
    if ans.choice is None:
        return ans.text
    member = members.get(ctx.db, ctx.club.id, int(ans.choice)) if ans.choice.isdigit() else None
    if member is None:
        raise InputError(choose_one())
    return member


def on_pick(ctx: Ctx, picked: Member | str) -> None:
    if isinstance(picked, str):
        show_matches(ctx, picked)
    else:
        show_card(ctx, picked)


def show_card(ctx: Ctx, member: Member) -> None:
    """The member's card; for the board, with what can be done to them next."""
    ctx.state.member_id = member.id
    if not ctx.can(EDIT_MEMBERS) or member.anonymised_at is not None:
        ctx.end()
        ctx.say(texts.card(member, ctx.today, private(ctx)))
    else:
        ctx.go(CARD)


def ask_card(ctx: Ctx) -> Question:
    member = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    assert member is not None  # show_card has just found them
    choices = [Choice(EDIT, texts.EDIT_LABEL)]
    if member.left_on is None:
        choices.append(Choice(LEAVE, texts.LEAVE_LABEL))
    choices += personal.card_choices(ctx)
    choices.append(Choice(DONE, texts.DONE_LABEL))
    return Question(texts.card(member, ctx.today, private(ctx)), choices)


def read_card(ctx: Ctx, ans: Answer) -> str:
    """A choice of the card; "leave" from a card shown before the member left is asked again."""
    choice = readers.choice(ctx, ans)
    member = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    if choice == LEAVE and member is not None and member.left_on is not None:
        raise InputError(choose_one())
    return choice


def on_card(ctx: Ctx, choice: str) -> None:
    member = chosen_member(ctx)
    if member is None:
        return
    if choice == EDIT:
        ctx.go("field")
    elif choice == LEAVE:
        ctx.go("left_on")
    elif choice in personal.CARD_CHOICES:
        personal.on_card_choice(ctx, member, choice)
    else:
        ctx.end()


PAGE = Step("page", ask_page, readers.choice, on_page, goes_to=("search",))
SEARCH = Step(
    "search",
    ask_search,
    readers.text(lambda: texts.ASK_SEARCH),
    lambda ctx, query: show_matches(ctx, query),
    goes_to=("pick", "card"),
)
PICK = Step("pick", ask_pick, read_pick, on_pick, goes_to=("search", "card"))
CARD = Step("card", ask_card, read_card, on_card, goes_to=("field", "left_on", "confirm_anonymise"))
STEPS = [PAGE, SEARCH, PICK, CARD]
