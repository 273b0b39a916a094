"""/bancn: anyone on the board sees it; the chair picks a person, then changes their role or removes them,
after a read-back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from handlers import readers
from handlers.board import texts
from handlers.board.invite import role_choices
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow, Question, Step, read_back
from handlers.parsing import InputError
from handlers.roles import MANAGE_BOARD, role_name
from storage import clubs, users
from storage.models import CHAIR, BoardSeat, User, utcnow

# How long a chair who joined with an invite code cannot remove or demote the chair who invited them.
NEW_CHAIR_WAITS = timedelta(hours=24)

CLOSE, CHANGE_ROLE, REMOVE, PLACE = "close", "role", "remove", "place"


@dataclass
class BoardChange:
    seat: int = 0  # the seat picked
    role: str = ""  # its new role, when changing it


def start(ctx: Ctx, args: str) -> None:
    rows = clubs.board(ctx.db, ctx.club.id)
    ctx.say(texts.board_list(ctx.club, [(user.display_name, seat.role) for seat, user in rows]))
    if ctx.can(MANAGE_BOARD):
        ctx.go(PERSON)


def seat_on_board(ctx: Ctx) -> tuple[BoardSeat, User] | None:
    """The seat picked, if it is still on this club's board and the person is still chair."""
    seat = clubs.active_seat(ctx.db, ctx.club.id, ctx.state.seat)
    if seat is None or not ctx.can(MANAGE_BOARD):
        return None
    return seat, users.get(ctx.db, seat.user_id)


def chosen_seat(ctx: Ctx) -> tuple[BoardSeat, User] | None:
    """The seat picked; when it is gone, the flow ends saying so."""
    chosen = seat_on_board(ctx)
    if chosen is None:
        ctx.end()
        ctx.say(texts.PERSON_GONE)
    return chosen


def still_chosen(ctx: Ctx) -> tuple[BoardSeat, User]:
    """The seat picked, asked about right after `chosen_seat` found it."""
    chosen = seat_on_board(ctx)
    assert chosen is not None
    return chosen


def spares_the_inviter(ctx: Ctx, seat: BoardSeat, name: str) -> bool:
    """A chair who joined less than a day ago cannot remove or demote the one who invited them: a chair's
    invite code that reached the wrong person must not cost the club its founding chair before they notice."""
    since = utcnow() - NEW_CHAIR_WAITS
    if clubs.chair_inviter(ctx.db, ctx.club.id, ctx.user.id, since) == seat.user_id:
        ctx.end()
        ctx.say(texts.inviter_protected(name))
        return False
    return True


def keeps_a_chair(ctx: Ctx, seat: BoardSeat) -> bool:
    if seat.role == CHAIR and clubs.count_chairs(ctx.db, ctx.club.id) <= 1:
        ctx.end()
        ctx.say(texts.LAST_CHAIR)
        return False
    return True


def may_still_do_it(ctx: Ctx) -> tuple[BoardSeat, User] | None:
    """Checked again when saving: the board may have changed while the chair was deciding."""
    chosen = chosen_seat(ctx)
    if chosen is None:
        return None
    seat, user = chosen
    return chosen if keeps_a_chair(ctx, seat) and spares_the_inviter(ctx, seat, user.display_name) else None


# --- picking a person and what to do -------------------------------------------------------------------


def ask_person(ctx: Ctx) -> Question:
    rows = clubs.board(ctx.db, ctx.club.id)
    choices = [Choice(str(seat.id), f"{user.display_name} ({role_name(seat.role)})") for seat, user in rows]
    return Question(
        texts.PICK_PERSON, [*choices, Choice(PLACE, texts.CHANGE_PLACE_LABEL), Choice(CLOSE, texts.CLOSE_LABEL)]
    )


def on_person(ctx: Ctx, choice: str) -> None:
    if choice == CLOSE:
        ctx.end()
        return
    if choice == PLACE:
        ctx.run_command("noi")
        return
    ctx.state.seat = int(choice)
    if chosen_seat(ctx):
        ctx.go(ACTION)


def ask_action(ctx: Ctx) -> Question:
    seat, user = still_chosen(ctx)
    return Question(
        texts.person_actions(user.display_name, seat.role),
        [
            Choice(CHANGE_ROLE, texts.CHANGE_ROLE_LABEL),
            Choice(REMOVE, texts.REMOVE_LABEL),
            Choice(CLOSE, texts.CLOSE_LABEL),
        ],
    )


def on_action(ctx: Ctx, choice: str) -> None:
    if choice == CLOSE:
        ctx.end()
        return
    chosen = chosen_seat(ctx)
    if chosen is None or not spares_the_inviter(ctx, chosen[0], chosen[1].display_name):
        return
    if choice == CHANGE_ROLE:
        ctx.go(NEW_ROLE)
    elif keeps_a_chair(ctx, chosen[0]):
        ctx.go(CONFIRM_REMOVE)


# --- a new role --------------------------------------------------------------------------------------------


def ask_new_role(ctx: Ctx) -> Question:
    seat, user = still_chosen(ctx)
    return Question(texts.ask_new_role(user.display_name), role_choices(exclude=seat.role))


def read_new_role(ctx: Ctx, ans: Answer) -> str:
    if ans.choice is None:
        raise InputError(choose_one())
    chosen = seat_on_board(ctx)
    if chosen is not None and chosen[0].role == ans.choice:  # their role changed since the question
        raise InputError(texts.SAME_ROLE)
    return ans.choice


def on_new_role(ctx: Ctx, role: str) -> None:
    chosen = chosen_seat(ctx)
    if chosen is not None and keeps_a_chair(ctx, chosen[0]):
        ctx.state.role = role
        ctx.go(CONFIRM_CHANGE)


def change_summary(ctx: Ctx) -> str:
    seat, user = still_chosen(ctx)
    return texts.change_summary(user.display_name, seat.role, ctx.state.role)


def save_change(ctx: Ctx) -> None:
    if chosen := may_still_do_it(ctx):
        seat, user = chosen
        clubs.change_role(ctx.db, seat, ctx.state.role, ctx.user)
        ctx.end()
        ctx.say(texts.role_changed(user.display_name, seat.role))


# --- removing someone from the board -------------------------------------------------------------------


def remove_summary(ctx: Ctx) -> str:
    return texts.remove_summary(still_chosen(ctx)[1].display_name, ctx.club)


def save_removal(ctx: Ctx) -> None:
    if chosen := may_still_do_it(ctx):
        seat, user = chosen
        clubs.remove_from_board(ctx.db, seat, ctx.user)
        ctx.end()
        ctx.say(texts.removed(user.display_name))


PERSON = Step("person", ask_person, readers.choice, on_person, goes_to=("action",))
ACTION = Step("action", ask_action, readers.choice, on_action, goes_to=("new_role", "remove"))
NEW_ROLE = Step(
    "new_role", ask_new_role, read_new_role, on_new_role, goes_to=("change",), label=lambda: texts.NEW_ROLE_LABEL
)
CONFIRM_CHANGE = read_back("change", change_summary, save_change)
CONFIRM_REMOVE = read_back("remove", remove_summary, save_removal)

flow = Flow("board", start=start, steps=[PERSON, ACTION, NEW_ROLE, CONFIRM_CHANGE, CONFIRM_REMOVE], state=BoardChange)
