"""Joining a club's board with the invite code its chair made (/start CODE), or becoming the reviewer of a commune
or a province with the code the bot's operator made (`python -m bot reviewer`)."""

from __future__ import annotations

import math

from handlers import readers
from handlers.core import CANCELLED, Ctx, yes_no
from handlers.flow import Question, Step
from handlers.general import address
from handlers.i18n import language
from handlers.onboarding import texts
from handlers.reports import area_texts
from storage import accounts, area_reviewers, clubs, limits
from storage.clubs import InviteStatus
from storage.models import CHAIR, AreaInvite, Club


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
        area_status, area_invite = area_reviewers.check_invite(ctx.db, code)
        if area_status is not InviteStatus.UNKNOWN:
            offer_area_invite(ctx, area_status, area_invite)
            return
        limits.record_wrong_code(ctx.db, ctx.user.id, ctx.now)
    if status is not InviteStatus.VALID:
        ctx.say(texts.invite_problem(status))
        return
    club = clubs.get(ctx.db, invite.club_id)
    seat = clubs.seat(ctx.db, club.id, ctx.user.id)
    if seat is not None:
        ctx.say(texts.already_on_board(club, seat.role))
        return
    ctx.state.invite = invite.code
    ctx.go(JOIN)


def ask_join(ctx: Ctx) -> Question:
    status, invite = clubs.check_invite(ctx.db, ctx.state.invite)
    club = clubs.get(ctx.db, invite.club_id)
    return Question(texts.invite_offer(club, invite.role), yes_no(texts.JOIN_LABEL))


def on_join(ctx: Ctx, join: bool) -> None:
    if not join:
        ctx.end()
        ctx.say(CANCELLED)
        return
    # Checked again: the code may have been used or have expired while the person was deciding.
    status, invite = clubs.check_invite(ctx.db, ctx.state.invite)
    if status is InviteStatus.VALID and clubs.accept_invite(ctx.db, invite, ctx.user):
        club = clubs.get(ctx.db, invite.club_id)
        ctx.say(texts.joined(club, invite.role))
        if invite.role == CHAIR:
            tell_the_other_chairs(ctx, club)
        address.ask_once(ctx)
    else:
        ctx.end()
        ctx.say(texts.invite_problem(InviteStatus.USED if status is InviteStatus.VALID else status))


def tell_the_other_chairs(ctx: Ctx, club: Club) -> None:
    """A new chair can do everything the old ones can: they hear of it at once, in their private chat on this
    app, in case the invite code reached someone it was not meant for."""
    for seat, user in clubs.board(ctx.db, club.id):
        if seat.role == CHAIR and user.id != ctx.user.id:
            for account in accounts.accounts_of(ctx.db, user.id):
                if account.channel == ctx.msg.channel:
                    with language(user.language, user.address):
                        ctx.say_in(account.external_id, texts.new_chair_joined(ctx.user.display_name, club))


def offer_area_invite(ctx: Ctx, status: InviteStatus, invite: AreaInvite | None) -> None:
    """The operator's code for the reviewer of a commune or a province (`python -m bot reviewer`)."""
    if status is not InviteStatus.VALID or invite is None:
        ctx.say(area_texts.area_invite_problem(status))
        return
    area = area_reviewers.area_of(invite)
    if area in area_reviewers.areas_of(ctx.db, ctx.user.id):
        ctx.say(area_texts.already_reviewing(area.name()))
        return
    ctx.state.invite = invite.code
    ctx.go(JOIN_AREA)


def ask_join_area(ctx: Ctx) -> Question:
    _status, invite = area_reviewers.check_invite(ctx.db, ctx.state.invite)
    assert invite is not None
    return Question(area_texts.area_invite_offer(area_reviewers.area_of(invite).name()), yes_no(texts.JOIN_LABEL))


def on_join_area(ctx: Ctx, join: bool) -> None:
    if not join:
        ctx.end()
        ctx.say(CANCELLED)
        return
    status, invite = area_reviewers.check_invite(ctx.db, ctx.state.invite)
    ctx.end()
    if status is InviteStatus.VALID and invite is not None and area_reviewers.accept_invite(ctx.db, invite, ctx.user):
        ctx.say(area_texts.area_joined(area_reviewers.area_of(invite).name()))
    else:
        ctx.say(area_texts.area_invite_problem(InviteStatus.USED if status is InviteStatus.VALID else status))


JOIN = Step("join", ask_join, readers.yes_or_no, on_join, goes_to=(address.STEP,))
JOIN_AREA = Step("join_area", ask_join_area, readers.yes_or_no, on_join_area)
