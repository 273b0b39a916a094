"""/nhacnho: each board member turns each kind of reminder on or off and picks the hour; the chair sets the
club's meeting day and who gets the deadline reminders besides the chair and the vice-chair.
Every change is read back and confirmed before it is saved."""

from __future__ import annotations

import re

from handlers.board.texts import close_label
from handlers.core import Answer, Choice, Ctx, choose_one, confirmed
from handlers.flow import Flow
from handlers.reminders import texts
from handlers.roles import MANAGE_BOARD
from storage import clubs, reminders
from storage.models import CHAIR, REVIEWER, VICE_CHAIR
from storage.names import fold

_HOUR = re.compile(r"^(\d{1,2})(?:\s*(?:[:h.]\s*(?:00)?|gio))?$")  # after `fold`, 9 giờ reads 9 gio


def start(ctx: Ctx, _args: str) -> None:
    show_menu(ctx)


flow = Flow("reminders", start=start)


def _others(ctx: Ctx) -> dict[str, tuple[str, str]]:
    """Board members the chair may add to deadline reminders: {user id: (name, role)}."""
    return {
        str(user.id): (user.display_name, seat.role)
        for seat, user in clubs.board(ctx.db, ctx.club.id)
        if seat.role not in (CHAIR, VICE_CHAIR, REVIEWER)
    }


def show_menu(ctx: Ctx) -> None:
    mine = reminders.preference(ctx.db, ctx.user.id)
    club = reminders.club_settings(ctx.db, ctx.club.id)
    kinds = {kind: getattr(mine, kind) for kind in reminders.PERSONAL_KINDS}
    chosen = reminders.deadline_recipient_ids(ctx.db, ctx.club.id)
    names = [name for key, (name, _role) in _others(ctx).items() if int(key) in chosen]
    choices = [Choice(f"toggle:{kind}", texts.toggle_label(kind, on)) for kind, on in kinds.items()]
    choices.append(Choice("hour", texts.hour_label()))
    if ctx.can(MANAGE_BOARD):
        choices += [Choice("meeting_day", texts.meeting_day_label()), Choice("recipients", texts.recipients_label())]
    choices.append(Choice("close", close_label()))
    ctx.ask(
        "menu",
        texts.menu(ctx.club.name, kinds, mine.hour or club.hour, mine.hour is not None, ctx.club.meeting_day, names),
        choices,
    )


@flow.step("menu")
def on_menu(ctx: Ctx, ans: Answer) -> None:
    choice = ans.choice or ""
    if choice.startswith("toggle:") and choice[7:] in reminders.PERSONAL_KINDS:
        kind = choice[7:]
        on = not getattr(reminders.preference(ctx.db, ctx.user.id), kind)
        ctx.data["change"] = {"what": "kind", "kind": kind, "on": on}
        ctx.confirm("confirm", texts.confirm_toggle(kind, on))
    elif choice == "hour":
        ctx.ask("hour", texts.ask_hour())
    elif choice == "meeting_day" and ctx.can(MANAGE_BOARD):
        ctx.ask("meeting_day", texts.ask_meeting_day())
    elif choice == "recipients" and ctx.can(MANAGE_BOARD):
        ask_recipient(ctx)
    elif choice == "close":
        ctx.end()
    else:
        ctx.retry(choose_one())


@flow.step("hour")
def on_hour(ctx: Ctx, ans: Answer) -> None:
    match = _HOUR.match(fold(ans.text))
    hour = int(match.group(1)) if match else -1
    if not reminders.FIRST_HOUR <= hour <= reminders.LAST_HOUR:
        ctx.retry(texts.bad_hour())
        return
    ctx.data["change"] = {"what": "hour", "hour": hour}
    ctx.confirm("confirm", texts.confirm_hour(hour))


@flow.step("meeting_day")
def on_meeting_day(ctx: Ctx, ans: Answer) -> None:
    text = ans.text.strip()
    if not (text.isdigit() and 1 <= int(text) <= 31):
        ctx.retry(texts.bad_meeting_day())
        return
    ctx.data["change"] = {"what": "meeting_day", "day": int(text)}
    ctx.confirm("confirm", texts.confirm_meeting_day(int(text)))


def ask_recipient(ctx: Ctx) -> None:
    others = _others(ctx)
    if not others:
        ctx.end()
        ctx.say(texts.no_one_to_add())
        return
    chosen = reminders.deadline_recipient_ids(ctx.db, ctx.club.id)
    ctx.ask(
        "recipient",
        texts.ask_recipient(),
        [Choice(key, texts.recipient_label(name, role, int(key) in chosen)) for key, (name, role) in others.items()],
    )


@flow.step("recipient")
def on_recipient(ctx: Ctx, ans: Answer) -> None:
    others = _others(ctx) if ctx.can(MANAGE_BOARD) else {}
    if ans.choice not in others:
        ctx.retry(choose_one())
        return
    on = int(ans.choice) not in reminders.deadline_recipient_ids(ctx.db, ctx.club.id)
    ctx.data["change"] = {"what": "recipient", "user_id": int(ans.choice), "on": on}
    ctx.confirm("confirm", texts.confirm_recipient(others[ans.choice][0], on))


@flow.step("confirm")
def on_confirm(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    change = ctx.data["change"]
    what = change["what"]
    if what in ("meeting_day", "recipient") and not ctx.can(MANAGE_BOARD):
        ctx.end()
        ctx.say(texts.chair_only())
        return
    if what == "kind":
        reminders.set_kind(ctx.db, ctx.user.id, change["kind"], change["on"])
    elif what == "hour":
        reminders.set_hour(ctx.db, ctx.user.id, change["hour"])
    elif what == "meeting_day":
        reminders.set_meeting_day(ctx.db, ctx.club, change["day"], ctx.user)
    elif what == "recipient":
        if str(change["user_id"]) not in _others(ctx):  # left the board since the question
            ctx.end()
            ctx.say(choose_one())
            return
        reminders.set_deadline_recipient(ctx.db, ctx.club.id, change["user_id"], change["on"], ctx.user)
    ctx.data.pop("change", None)
    ctx.say(texts.saved())
    show_menu(ctx)  # the settings as they are now: the read-back of what was saved, and room for more
