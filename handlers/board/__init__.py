"""/moi: the chair invites someone to a board role. /bancn: see the board; the chair changes roles."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from handlers.board import texts
from handlers.core import Answer, Choice, Ctx, choose_one, confirmed, yes_no
from handlers.flow import Flow
from handlers.roles import INVITABLE, MANAGE_BOARD, role_name
from storage import clubs
from storage.models import CHAIR, BoardSeat, User, utcnow

# How long a chair who joined with an invite code cannot remove or demote the chair who invited them.
NEW_CHAIR_WAITS = timedelta(hours=24)


def _role_choices(exclude: str | None = None) -> list[Choice]:
    return [Choice(role, role_name(role)) for role in INVITABLE if role != exclude]


# --- /moi ---------------------------------------------------------------------------------------------


def start_invite(ctx: Ctx, args: str) -> None:
    if ctx.msg.is_group:
        ctx.say(texts.invite_in_private())  # a code posted in a group is anyone's who reads it
        return
    ctx.ask("role", texts.ask_role(), _role_choices())


invite_flow = Flow("invite", start=start_invite)


@invite_flow.step("role")
def on_invite_role(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in INVITABLE:
        ctx.retry(choose_one())
        return
    ctx.data["role"] = ans.choice
    valid_until = ctx.today + timedelta(days=ctx.settings.invite_valid_days)
    ctx.ask("confirm", texts.invite_summary(ctx.club, ans.choice, valid_until), yes_no(texts.make_code_label()))


@invite_flow.step("confirm")
def on_invite_confirm(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    invite = clubs.create_invite(ctx.db, ctx.club, ctx.data["role"], ctx.user, ctx.settings.invite_valid_days)
    valid_until = invite.expires_at.astimezone(ZoneInfo(ctx.settings.timezone)).date()
    link = ctx.msg.start_link.format(code=invite.code) if ctx.msg.start_link else None
    ctx.end()
    ctx.say(texts.invite_made(invite, valid_until, link))


# --- /bancn -------------------------------------------------------------------------------------------


def start_board(ctx: Ctx, args: str) -> None:
    rows = clubs.board(ctx.db, ctx.club.id)
    ctx.say(texts.board_list(ctx.club, [(user.display_name, seat.role) for seat, user in rows]))
    if ctx.can(MANAGE_BOARD):
        choices = [Choice(str(seat.id), f"{user.display_name} ({role_name(seat.role)})") for seat, user in rows]
        ctx.ask("person", texts.pick_person(), [*choices, Choice("close", texts.close_label())])


board_flow = Flow("board", start=start_board)


def _chosen_seat(ctx: Ctx) -> tuple[BoardSeat, User | None] | None:
    """The seat picked earlier, if it is still on this club's board and the person is still chair."""
    seat = ctx.db.get(BoardSeat, int(ctx.data["seat"]))
    if seat is None or seat.club_id != ctx.club.id or not seat.active or not ctx.can(MANAGE_BOARD):
        ctx.end()
        ctx.say(texts.person_gone())
        return None
    return seat, ctx.db.get(User, seat.user_id)


def _spares_the_inviter(ctx: Ctx, seat: BoardSeat, name: str) -> bool:
    """A chair who joined less than a day ago cannot remove or demote the one who invited them: a chair's
    invite code that reached the wrong person must not cost the club its founding chair before they notice."""
    since = utcnow() - NEW_CHAIR_WAITS
    if clubs.chair_inviter(ctx.db, ctx.club.id, ctx.user.id, since) == seat.user_id:
        ctx.end()
        ctx.say(texts.inviter_protected(name))
        return False
    return True


def _keeps_a_chair(ctx: Ctx, seat: BoardSeat) -> bool:
    if seat.role == CHAIR and clubs.count_chairs(ctx.db, ctx.club.id) <= 1:
        ctx.end()
        ctx.say(texts.last_chair())
        return False
    return True


@board_flow.step("person")
def on_person(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == "close":
        ctx.end()
        return
    if not (ans.choice or "").isdigit():
        ctx.retry(choose_one())
        return
    ctx.data["seat"] = ans.choice
    if chosen := _chosen_seat(ctx):
        seat, user = chosen
        ctx.ask(
            "action",
            texts.person_actions(user.display_name, seat.role),
            [
                Choice("role", texts.change_role_label()),
                Choice("remove", texts.remove_label()),
                Choice("close", texts.close_label()),
            ],
        )


@board_flow.step("action")
def on_action(ctx: Ctx, ans: Answer) -> None:
    chosen = _chosen_seat(ctx)
    if chosen is None:
        return
    seat, user = chosen
    if ans.choice in ("role", "remove") and not _spares_the_inviter(ctx, seat, user.display_name):
        return
    if ans.choice == "role":
        ctx.ask("new_role", texts.ask_new_role(user.display_name), _role_choices(exclude=seat.role))
    elif ans.choice == "remove":
        if _keeps_a_chair(ctx, seat):
            ctx.confirm("remove", texts.remove_summary(user.display_name, ctx.club))
    elif ans.choice == "close":
        ctx.end()
    else:
        ctx.retry(choose_one())


@board_flow.step("new_role")
def on_new_role(ctx: Ctx, ans: Answer) -> None:
    chosen = _chosen_seat(ctx)
    if chosen is None:
        return
    seat, user = chosen
    if ans.choice not in INVITABLE:
        ctx.retry(choose_one())
    elif ans.choice == seat.role:
        ctx.retry(texts.same_role())
    elif _keeps_a_chair(ctx, seat):
        ctx.data["role"] = ans.choice
        ctx.confirm("change", texts.change_summary(user.display_name, seat.role, ans.choice))


@board_flow.step("change")
def on_change(ctx: Ctx, ans: Answer) -> None:
    chosen = _chosen_seat(ctx)
    if (
        chosen is None
        or not confirmed(ctx, ans)
        or not _keeps_a_chair(ctx, chosen[0])
        or not _spares_the_inviter(ctx, chosen[0], chosen[1].display_name)
    ):
        return
    seat, user = chosen
    clubs.change_role(ctx.db, seat, ctx.data["role"], ctx.user)
    ctx.end()
    ctx.say(texts.role_changed(user.display_name, seat.role))


@board_flow.step("remove")
def on_remove(ctx: Ctx, ans: Answer) -> None:
    chosen = _chosen_seat(ctx)
    if (
        chosen is None
        or not confirmed(ctx, ans)
        or not _keeps_a_chair(ctx, chosen[0])
        or not _spares_the_inviter(ctx, chosen[0], chosen[1].display_name)
    ):
        return
    seat, user = chosen
    clubs.remove_from_board(ctx.db, seat, ctx.user)
    ctx.end()
    ctx.say(texts.removed(user.display_name))
