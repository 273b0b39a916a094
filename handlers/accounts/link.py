"""/lienket: use the bot on several apps as one person, and choose where reminders go.

On the app they already use, a board member makes a one-time link code (the chair may make one for a
board member who sits only in clubs that chair chairs); typing `/lienket CODE` on the other app, after a
read-back, points that account at the same person, with the same clubs and roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers import readers
from handlers.accounts import texts
from handlers.board.texts import CLOSE_LABEL
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow, Question, Step, read_back
from handlers.onboarding import refused_for_guessing
from handlers.parsing import InputError
from handlers.roles import MANAGE_BOARD, role_name
from storage import accounts, clubs, limits, users
from storage.accounts import BOTH, LINK_VALID_MINUTES, LinkOutcome, LinkStatus
from storage.models import CHAIR, LinkCode, User

MINE, MEMBER, REMINDERS, CLOSE = "mine", "member", "reminders", "close"


@dataclass
class Linking:
    link: int = 0  # the link code offered, by id: the code itself is not kept in the conversation


def start(ctx: Ctx, args: str) -> None:
    if ctx.msg.is_group:
        ctx.say(texts.PRIVATE_CHAT_ONLY)  # a code shown or typed in a group is no longer personal
    elif args:
        offer_link(ctx, args)
    elif ctx.club is None:
        ctx.say(texts.NOT_ON_A_BOARD)
    else:
        ctx.go(MENU_STEP)


def ask_menu(ctx: Ctx) -> Question:
    choices = [Choice(MINE, texts.CODE_FOR_ME_LABEL)]
    if ctx.can(MANAGE_BOARD):
        choices.append(Choice(MEMBER, texts.CODE_FOR_MEMBER_LABEL))
    choices += [Choice(REMINDERS, texts.REMINDERS_LABEL), Choice(CLOSE, CLOSE_LABEL)]
    channels = sorted({account.channel for account in accounts.accounts_of(ctx.db, ctx.user.id)})
    return Question(texts.menu(channels), choices)


def on_menu(ctx: Ctx, choice: str) -> None:
    if choice == MINE:
        make_code(ctx, ctx.user)
    elif choice == MEMBER:
        offer_members(ctx)
    elif choice == REMINDERS:
        offer_reminder_channels(ctx)
    else:
        ctx.end()


def make_code(ctx: Ctx, user: User) -> None:
    code = accounts.create_link_code(ctx.db, user, by=ctx.user)
    ctx.end()
    ctx.say(texts.code_made(code, LINK_VALID_MINUTES, None if user.id == ctx.user.id else user.display_name))


# --- the chair makes a code for a board member ------------------------------------------------------------


def _chairs_all_their_clubs(ctx: Ctx, user: User) -> bool:
    """True when every seat `user` holds is in a club the chair chairs. A code links an account to all of a
    person's seats: made for someone who also sits elsewhere (an association reviewer of several clubs), it would
    hand that other club's data to whoever redeems it."""
    chaired = {club.id for club, role in clubs.seats_of(ctx.db, ctx.user) if role == CHAIR}
    return all(club.id in chaired for club, _role in clubs.seats_of(ctx.db, user))


def members_to_link(ctx: Ctx) -> dict[str, tuple[User, str]]:
    """The board members the chair may make a link code for; the others make their own. Nobody, for someone
    who is no longer chair."""
    if not ctx.can(MANAGE_BOARD):
        return {}
    return {
        str(user.id): (user, seat.role)
        for seat, user in clubs.board(ctx.db, ctx.club.id)
        if user.id != ctx.user.id and _chairs_all_their_clubs(ctx, user)
    }


def offer_members(ctx: Ctx) -> None:
    if members_to_link(ctx):
        ctx.go(MEMBER_STEP)
    else:
        ctx.end()
        ctx.say(texts.NOBODY_ELSE)


def ask_member(ctx: Ctx) -> Question:
    return Question(
        texts.PICK_MEMBER,
        [Choice(key, f"{user.display_name} ({role_name(role)})") for key, (user, role) in members_to_link(ctx).items()],
    )


def read_member(ctx: Ctx, ans: Answer) -> User:
    # Checked again: the person may have left the board, or the chair lost the role, since the question.
    others = members_to_link(ctx)
    if ans.choice not in others:
        raise InputError(choose_one())
    return others[ans.choice][0]


# --- using a code on the other app ------------------------------------------------------------------------


def _refuses_link(ctx: Ctx, status: LinkStatus, link: LinkCode | None) -> bool:
    """Say why this account cannot take the code, if it cannot."""
    if status is not LinkStatus.VALID:
        ctx.say(texts.code_problem(status))
    elif link.user_id == ctx.user.id:
        ctx.say(texts.ALREADY_LINKED)
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
    ctx.state.link = link.id
    ctx.go(CONFIRM)


def link_summary(ctx: Ctx) -> str:
    person = users.get(ctx.db, accounts.link_code(ctx.db, ctx.state.link).user_id)
    return texts.link_offer(person.display_name, clubs.seats_of(ctx.db, person))


def save_link(ctx: Ctx) -> None:
    # link_account checks everything again: the code may have been used or have expired meanwhile.
    link = accounts.link_code(ctx.db, ctx.state.link)
    ctx.end()
    outcome = accounts.link_account(ctx.db, link, ctx.msg.channel, ctx.msg.user_id)
    person = users.get(ctx.db, link.user_id)
    if outcome is LinkOutcome.LINKED:
        ctx.say(texts.linked(person.display_name, clubs.seats_of(ctx.db, person)))
    elif outcome is LinkOutcome.ALREADY_LINKED:
        ctx.say(texts.ALREADY_LINKED)
    elif outcome is LinkOutcome.HAS_OWN_CLUBS:
        ctx.say(texts.has_own_clubs(clubs.seats_of(ctx.db, ctx.user)))
    else:
        expired = accounts.link_status(link) is LinkStatus.EXPIRED
        ctx.say(texts.code_problem(LinkStatus.EXPIRED if expired else LinkStatus.USED))


# --- where reminders go ---------------------------------------------------------------------------------


def offer_reminder_channels(ctx: Ctx) -> None:
    channels = accounts.messengers_of(ctx.db, ctx.user.id)
    if len(channels) < 2:
        ctx.end()
        ctx.say(texts.only_one_app(channels[0] if channels else ctx.msg.channel))
    else:
        ctx.go(REMINDERS_STEP)


def ask_reminder_channel(ctx: Ctx) -> Question:
    channels = accounts.messengers_of(ctx.db, ctx.user.id)
    return Question(
        texts.ask_reminders(accounts.reminder_channel(ctx.db, ctx.user.id)),
        [Choice(channel, texts.channel_name(channel)) for channel in (*channels, BOTH)],
    )


def read_reminder_channel(ctx: Ctx, ans: Answer) -> str:
    if ans.choice not in (*accounts.messengers_of(ctx.db, ctx.user.id), BOTH):  # an account unlinked since
        raise InputError(choose_one())
    return ans.choice


def on_reminder_channel(ctx: Ctx, channel: str) -> None:
    accounts.set_reminder_channel(ctx.db, ctx.user.id, channel)
    ctx.end()
    ctx.say(texts.reminders_set(channel))


MENU_STEP = Step("menu", ask_menu, readers.choice, on_menu, goes_to=("member", "reminders"))
MEMBER_STEP = Step("member", ask_member, read_member, make_code)
REMINDERS_STEP = Step("reminders", ask_reminder_channel, read_reminder_channel, on_reminder_channel)
CONFIRM = read_back(
    "confirm",
    link_summary,
    save_link,
    save_label=lambda: texts.LINK_LABEL,
    question=lambda: texts.LINK_QUESTION,
)

flow = Flow(
    "link",
    start=start,
    steps=[MENU_STEP, MEMBER_STEP, REMINDERS_STEP, CONFIRM],
    state=Linking,
    first=("menu", "confirm"),
)
