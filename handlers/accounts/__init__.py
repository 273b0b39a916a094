"""/lienket: use the bot on several apps as one person, and choose where reminders go.

On the app they already use, a board member makes a one-time link code (the chair may make one for a
board member who sits only in clubs that chair chairs); typing `/lienket CODE` on the other app, after a
read-back, points that account at the same person, with the same clubs and roles.
"""

from __future__ import annotations

from handlers.accounts import texts
from handlers.board.texts import close_label
from handlers.core import Answer, Choice, Ctx, choose_one, confirmed, yes_no
from handlers.flow import Flow
from handlers.onboarding import refused_for_guessing
from handlers.roles import MANAGE_BOARD, role_name
from storage import accounts, clubs, limits
from storage.accounts import BOTH, LINK_VALID_MINUTES, LinkOutcome, LinkStatus
from storage.models import CHAIR, LinkCode, User


def start(ctx: Ctx, args: str) -> None:
    if ctx.msg.is_group:
        ctx.say(texts.private_chat_only())  # a code shown or typed in a group is no longer personal
    elif args:
        offer_link(ctx, args)
    elif ctx.club is None:
        ctx.say(texts.not_on_a_board())
    else:
        show_menu(ctx)


flow = Flow("link", start=start)


def show_menu(ctx: Ctx) -> None:
    choices = [Choice("mine", texts.code_for_me_label())]
    if ctx.can(MANAGE_BOARD):
        choices.append(Choice("member", texts.code_for_member_label()))
    choices += [Choice("reminders", texts.reminders_label()), Choice("close", close_label())]
    channels = sorted({account.channel for account in accounts.accounts_of(ctx.db, ctx.user.id)})
    ctx.ask("menu", texts.menu(channels), choices)


@flow.step("menu")
def on_menu(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == "mine":
        make_code(ctx, ctx.user)
    elif ans.choice == "member" and ctx.can(MANAGE_BOARD):
        ask_member(ctx)
    elif ans.choice == "reminders":
        ask_reminders(ctx)
    elif ans.choice == "close":
        ctx.end()
    else:
        ctx.retry(choose_one())


def make_code(ctx: Ctx, user: User) -> None:
    code = accounts.create_link_code(ctx.db, user, by=ctx.user)
    ctx.end()
    ctx.say(texts.code_made(code, LINK_VALID_MINUTES, None if user.id == ctx.user.id else user.display_name))


# --- the chair makes a code for a board member ------------------------------------------------------------


def _chairs_all_their_clubs(ctx: Ctx, user: User) -> bool:
    """True when every seat `user` holds is in a club the chair chairs. A code links an account to all of a
    person's seats: made for someone who also sits elsewhere (a district reviewer of several clubs), it would
    hand that other club's data to whoever redeems it."""
    chaired = {club.id for club, role in clubs.seats_of(ctx.db, ctx.user) if role == CHAIR}
    return all(club.id in chaired for club, _role in clubs.seats_of(ctx.db, user))


def _other_board_members(ctx: Ctx) -> dict[str, tuple[User, str]]:
    """The board members the chair may make a link code for; the others make their own."""
    return {
        str(user.id): (user, seat.role)
        for seat, user in clubs.board(ctx.db, ctx.club.id)
        if user.id != ctx.user.id and _chairs_all_their_clubs(ctx, user)
    }


def ask_member(ctx: Ctx) -> None:
    others = _other_board_members(ctx)
    if not others:
        ctx.end()
        ctx.say(texts.nobody_else())
        return
    ctx.ask(
        "member",
        texts.pick_member(),
        [Choice(key, f"{user.display_name} ({role_name(role)})") for key, (user, role) in others.items()],
    )


@flow.step("member")
def on_member(ctx: Ctx, ans: Answer) -> None:
    # Checked again: the person may have left the board, or the chair lost the role, since the question.
    others = _other_board_members(ctx) if ctx.can(MANAGE_BOARD) else {}
    if ans.choice not in others:
        ctx.retry(choose_one())
        return
    make_code(ctx, others[ans.choice][0])


# --- using a code on the other app ------------------------------------------------------------------------


def _refuses_link(ctx: Ctx, status: LinkStatus, link: LinkCode | None) -> bool:
    """Say why this account cannot take the code, if it cannot."""
    if status is not LinkStatus.VALID:
        ctx.say(texts.code_problem(status))
    elif link.user_id == ctx.user.id:
        ctx.say(texts.already_linked())
    elif own := clubs.seats_of(ctx.db, ctx.user):
        ctx.say(texts.has_own_clubs(own))
    else:
        return False
    return True


def offer_link(ctx: Ctx, code: str) -> None:
    if refused_for_guessing(ctx):  # one limit for invite and link codes together
        return
    status, link = accounts.check_link_code(ctx.db, code)
    if status is LinkStatus.UNKNOWN:
        limits.record_wrong_code(ctx.db, ctx.user.id, ctx.now)
    if _refuses_link(ctx, status, link):
        return
    person = ctx.db.get(User, link.user_id)
    ctx.data["link"] = link.id  # the code itself is not kept in the conversation
    ctx.ask(
        "confirm", texts.link_offer(person.display_name, clubs.seats_of(ctx.db, person)), yes_no(texts.link_label())
    )


@flow.step("confirm")
def on_confirm(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    # link_account checks everything again: the code may have been used or have expired meanwhile.
    link = ctx.db.get(LinkCode, ctx.data["link"])
    ctx.end()
    outcome = accounts.link_account(ctx.db, link, ctx.msg.channel, ctx.msg.user_id)
    person = ctx.db.get(User, link.user_id)
    if outcome is LinkOutcome.LINKED:
        ctx.say(texts.linked(person.display_name, clubs.seats_of(ctx.db, person)))
    elif outcome is LinkOutcome.ALREADY_LINKED:
        ctx.say(texts.already_linked())
    elif outcome is LinkOutcome.HAS_OWN_CLUBS:
        ctx.say(texts.has_own_clubs(clubs.seats_of(ctx.db, ctx.user)))
    else:
        expired = accounts.link_status(link) is LinkStatus.EXPIRED
        ctx.say(texts.code_problem(LinkStatus.EXPIRED if expired else LinkStatus.USED))


# --- where reminders go ---------------------------------------------------------------------------------


def ask_reminders(ctx: Ctx) -> None:
    channels = accounts.messengers_of(ctx.db, ctx.user.id)
    if len(channels) < 2:
        ctx.end()
        ctx.say(texts.only_one_app(channels[0] if channels else ctx.msg.channel))
        return
    current = accounts.reminder_channel(ctx.db, ctx.user.id)
    ctx.ask(
        "reminders",
        texts.ask_reminders(current),
        [Choice(channel, texts.channel_name(channel)) for channel in (*channels, BOTH)],
    )


@flow.step("reminders")
def on_reminders(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in (*accounts.messengers_of(ctx.db, ctx.user.id), BOTH):
        ctx.retry(choose_one())
        return
    accounts.set_reminder_channel(ctx.db, ctx.user.id, ans.choice)
    ctx.end()
    ctx.say(texts.reminders_set(ans.choice))
