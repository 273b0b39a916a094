"""/start: register a club (the person becomes its chair), or join a board with an invite code."""

from __future__ import annotations

import math
from datetime import date

from handlers.core import SKIP, Answer, Choice, Ctx, Flow, choose_one, confirmed, skip_choice, yes_no
from handlers.i18n import language
from handlers.onboarding import texts
from handlers.parsing import InputError, parse_meeting_day, parse_past_date
from storage import accounts, clubs, limits
from storage.clubs import InviteStatus, NewClub
from storage.models import CHAIR, Club


def start(ctx: Ctx, args: str) -> None:
    if args:
        offer_invite(ctx, args)
    elif ctx.club is not None:
        ctx.ask(
            "returning",
            texts.returning(ctx.club, ctx.role),
            [Choice("menu", texts.open_menu()), Choice("register", texts.register_another())],
        )
    else:
        ctx.say(texts.welcome())
        ask_place(ctx, 0)


flow = Flow("start", start=start)

MAX_PLACE = 200
# Asked in this order; each answer is kept under its key until the read-back.
PLACE_STEPS = (
    ("name", texts.ask_name),
    ("village", texts.ask_village),
    ("commune", texts.ask_commune),
    ("district", texts.ask_district),
    ("province", texts.ask_province),
)


@flow.step("returning")
def on_returning(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == "menu":
        ctx.run_command("menu")
    elif ans.choice == "register":
        ask_place(ctx, 0)
    else:
        ctx.retry(choose_one())


# --- registering a club -------------------------------------------------------------------------------


def ask_place(ctx: Ctx, index: int) -> None:
    key, question = PLACE_STEPS[index]
    ctx.ask(key, question())


def _register_place_step(index: int) -> None:
    key = PLACE_STEPS[index][0]

    def on_place(ctx: Ctx, ans: Answer) -> None:
        if not (2 <= len(ans.text) <= MAX_PLACE and any(ch.isalpha() for ch in ans.text)):
            ctx.retry(texts.place_name_problem())
        elif index + 1 < len(PLACE_STEPS):
            ctx.data[key] = ans.text
            ask_place(ctx, index + 1)
        else:
            ctx.data[key] = ans.text
            ctx.ask("decision", texts.ask_decision(), [skip_choice()])

    flow.step(key)(on_place)


for _index in range(len(PLACE_STEPS)):
    _register_place_step(_index)


@flow.step("decision")
def on_decision(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == SKIP:
        ctx.data["decision"] = None
        ctx.ask("meeting_day", texts.ask_meeting_day())
    elif not 2 <= len(ans.text) <= MAX_PLACE:
        ctx.retry(texts.place_name_problem())
    else:
        ctx.data["decision"] = ans.text
        ctx.ask("founded_on", texts.ask_founded_on(), [skip_choice()])


@flow.step("founded_on")
def on_founded_on(ctx: Ctx, ans: Answer) -> None:
    if ans.choice != SKIP:
        try:
            ctx.data["founded_on"] = parse_past_date(ans.text, ctx.today).isoformat()
        except InputError as problem:
            ctx.retry(str(problem))
            return
    ctx.ask("meeting_day", texts.ask_meeting_day())


@flow.step("meeting_day")
def on_meeting_day(ctx: Ctx, ans: Answer) -> None:
    try:
        ctx.data["meeting_day"] = parse_meeting_day(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.confirm("confirm", texts.club_summary(_new_club(ctx), ctx.user.display_name))


def _new_club(ctx: Ctx) -> NewClub:
    founded = ctx.data.get("founded_on")
    return NewClub(
        name=ctx.data["name"],
        village=ctx.data["village"],
        commune=ctx.data["commune"],
        district=ctx.data["district"],
        province=ctx.data["province"],
        meeting_day=ctx.data["meeting_day"],
        founding_decision=ctx.data.get("decision"),
        founded_on=date.fromisoformat(founded) if founded else None,
    )


@flow.step("confirm")
def on_confirm(ctx: Ctx, ans: Answer) -> None:
    if confirmed(ctx, ans):
        club = clubs.create_club(ctx.db, ctx.user, _new_club(ctx))
        ctx.end()
        ctx.say(texts.registered(club))


# --- joining with an invite code ------------------------------------------------------------------------


def refused_for_guessing(ctx: Ctx) -> bool:
    """Say when the person may type a code again, if they typed too many wrong ones in the last hour.

    Invite and link codes are short enough to guess; without a limit a script could try thousands."""
    wait = limits.wait_before_next_code(ctx.db, ctx.user.id, ctx.now)
    if wait is None:
        return False
    ctx.say(texts.too_many_wrong_codes(minutes=math.ceil(wait.total_seconds() / 60)))
    return True


def offer_invite(ctx: Ctx, code: str) -> None:
    if refused_for_guessing(ctx):
        return
    status, invite = clubs.check_invite(ctx.db, code)
    if status is InviteStatus.UNKNOWN:
        limits.record_wrong_code(ctx.db, ctx.user.id, ctx.now)
    if status is not InviteStatus.VALID:
        ctx.say(texts.invite_problem(status))
        return
    club = ctx.db.get(Club, invite.club_id)
    seat = clubs.seat(ctx.db, club.id, ctx.user.id)
    if seat is not None:
        ctx.say(texts.already_on_board(club, seat.role))
        return
    ctx.data["invite"] = invite.code
    ctx.ask("join", texts.invite_offer(club, invite.role), yes_no(texts.join_label()))


@flow.step("join")
def on_join(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    # Checked again: the code may have been used or have expired while the person was deciding.
    status, invite = clubs.check_invite(ctx.db, ctx.data["invite"])
    ctx.end()
    if status is InviteStatus.VALID and clubs.accept_invite(ctx.db, invite, ctx.user):
        club = ctx.db.get(Club, invite.club_id)
        ctx.say(texts.joined(club, invite.role))
        if invite.role == CHAIR:
            tell_the_other_chairs(ctx, club)
    else:
        ctx.say(texts.invite_problem(InviteStatus.USED if status is InviteStatus.VALID else status))


def tell_the_other_chairs(ctx: Ctx, club: Club) -> None:
    """A new chair can do everything the old ones can: they hear of it at once, in their private chat on this
    app, in case the invite code reached someone it was not meant for."""
    for seat, user in clubs.board(ctx.db, club.id):
        if seat.role == CHAIR and user.id != ctx.user.id:
            for account in accounts.accounts_of(ctx.db, user.id):
                if account.channel == ctx.msg.channel:
                    with language(user.language):
                        ctx.say_in(account.external_id, texts.new_chair_joined(ctx.user.display_name, club))
