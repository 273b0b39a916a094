"""/nhacnho: each board member turns each kind of reminder on or off and picks the hour; the chair sets the
club's meeting day and who gets the deadline reminders besides the chair and the vice-chair.
Every change is read back and confirmed before it is saved; then the settings are shown again, as saved."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import readers
from handlers.board.texts import CLOSE_LABEL
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow, Question, Step, read_back
from handlers.parsing import InputError, parse_hour
from handlers.reminders import texts
from handlers.roles import MANAGE_BOARD
from storage import clubs, reminders
from storage.models import CHAIR, REVIEWER, VICE_CHAIR

TOGGLE, HOUR, MEETING_DAY, RECIPIENTS, CLOSE = "toggle:", "hour", "meeting_day", "recipients", "close"
KIND, RECIPIENT = "kind", "recipient"  # the other changes: a kind of reminder, a deadline recipient
CHAIR_CHANGES = (MEETING_DAY, RECIPIENTS)


@dataclass
class ReminderChange:
    what: str = ""  # KIND, HOUR, MEETING_DAY or RECIPIENT
    kind: str = ""
    hour: int = 0
    day: int = 0
    user_id: int = 0
    name: str = ""  # the recipient's, for the read-back
    on: bool = False  # the kind or the recipient turned on (or off)
    saved: bool = False  # the change is saved: the menu is asked again in a line, not shown whole


def start(ctx: Ctx, _args: str) -> None:
    ctx.go(MENU)


def _others(ctx: Ctx) -> dict[str, tuple[str, str]]:
    """Board members the chair may add to deadline reminders: {user id: (name, role)}."""
    return {
        str(user.id): (user.display_name, seat.role)
        for seat, user in clubs.board(ctx.db, ctx.club.id)
        if seat.role not in (CHAIR, VICE_CHAIR, REVIEWER)
    }


# --- the settings as they are, and what to change ---------------------------------------------------------


def ask_menu(ctx: Ctx) -> Question:
    mine = reminders.preference(ctx.db, ctx.user.id)
    club = reminders.club_settings(ctx.db, ctx.club.id)
    kinds = {kind: getattr(mine, kind) for kind in reminders.PERSONAL_KINDS}
    chosen = reminders.deadline_recipient_ids(ctx.db, ctx.club.id)
    names = [name for key, (name, _role) in _others(ctx).items() if int(key) in chosen]
    choices = [Choice(TOGGLE + kind, texts.toggle_label(kind, on)) for kind, on in kinds.items()]
    choices.append(Choice(HOUR, texts.HOUR_LABEL))
    if ctx.can(MANAGE_BOARD):
        choices += [Choice(MEETING_DAY, texts.MEETING_DAY_LABEL), Choice(RECIPIENTS, texts.RECIPIENTS_LABEL)]
    choices.append(Choice(CLOSE, CLOSE_LABEL))
    if ctx.state.saved:  # the settings were shown a moment ago: what changed, and the same choices
        return Question(texts.saved_and_more(saved_line(ctx)), choices)
    return Question(
        texts.menu(ctx.club.name, kinds, mine.hour or club.hour, mine.hour is not None, ctx.club.meeting_day, names),
        choices,
    )


def saved_line(ctx: Ctx) -> str:
    change: ReminderChange = ctx.state
    if change.what == KIND:
        return texts.kind_line(change.kind, change.on)
    if change.what == HOUR:
        return texts.hour_line(change.hour, own=True)
    if change.what == MEETING_DAY:
        return texts.meeting_day_line(change.day)
    return texts.recipient_line(change.name, change.on)


def read_menu(ctx: Ctx, ans: Answer) -> str:
    choice = readers.choice(ctx, ans)
    if choice in CHAIR_CHANGES and not ctx.can(MANAGE_BOARD):  # no longer chair since the question
        raise InputError(choose_one())
    return choice


def on_menu(ctx: Ctx, choice: str) -> None:
    if choice.startswith(TOGGLE):
        offer_toggle(ctx, choice.removeprefix(TOGGLE))
    elif choice == HOUR:
        ctx.go(HOUR_STEP)
    elif choice == MEETING_DAY:
        ctx.go(MEETING_DAY_STEP)
    elif choice == RECIPIENTS:
        offer_recipients(ctx)
    else:
        ctx.end()


def offer_toggle(ctx: Ctx, kind: str) -> None:
    on = not getattr(reminders.preference(ctx.db, ctx.user.id), kind)
    ctx.state = ReminderChange(what=KIND, kind=kind, on=on)
    ctx.go(CONFIRM)


# --- the hour and the meeting day ---------------------------------------------------------------------------


def read_hour(ctx: Ctx, ans: Answer) -> int:
    hour = parse_hour(ans.text)
    if not reminders.FIRST_HOUR <= hour <= reminders.LAST_HOUR:
        raise InputError(texts.BAD_HOUR)
    return hour


def on_hour(ctx: Ctx, hour: int) -> None:
    ctx.state = ReminderChange(what=HOUR, hour=hour)
    ctx.go(CONFIRM)


def read_meeting_day(ctx: Ctx, ans: Answer) -> int:
    text = ans.text.strip()
    if not (text.isdigit() and 1 <= int(text) <= 31):
        raise InputError(texts.BAD_MEETING_DAY)
    return int(text)


def on_meeting_day(ctx: Ctx, meeting_day: int) -> None:
    ctx.state = ReminderChange(what=MEETING_DAY, day=meeting_day)
    ctx.go(CONFIRM)


# --- who else gets the deadline reminders -------------------------------------------------------------------


def offer_recipients(ctx: Ctx) -> None:
    if _others(ctx):
        ctx.go(RECIPIENT_STEP)
    else:
        ctx.end()
        ctx.say(texts.NO_ONE_TO_ADD)


def ask_recipient(ctx: Ctx) -> Question:
    chosen = reminders.deadline_recipient_ids(ctx.db, ctx.club.id)
    return Question(
        texts.ASK_RECIPIENT,
        [
            Choice(key, texts.recipient_label(name, role, int(key) in chosen))
            for key, (name, role) in _others(ctx).items()
        ],
    )


def read_recipient(ctx: Ctx, ans: Answer) -> str:
    if ans.choice not in (_others(ctx) if ctx.can(MANAGE_BOARD) else {}):  # left the board since the question
        raise InputError(choose_one())
    return ans.choice


def on_recipient(ctx: Ctx, key: str) -> None:
    on = int(key) not in reminders.deadline_recipient_ids(ctx.db, ctx.club.id)
    ctx.state = ReminderChange(what=RECIPIENT, user_id=int(key), name=_others(ctx)[key][0], on=on)
    ctx.go(CONFIRM)


# --- the read-back and the save -----------------------------------------------------------------------------


def summary(ctx: Ctx) -> str:
    change: ReminderChange = ctx.state
    if change.what == KIND:
        return texts.confirm_toggle(change.kind, change.on)
    if change.what == HOUR:
        return texts.confirm_hour(change.hour)
    if change.what == MEETING_DAY:
        return texts.confirm_meeting_day(change.day)
    return texts.confirm_recipient(change.name, change.on)


def save(ctx: Ctx) -> None:
    change: ReminderChange = ctx.state
    if change.what in (MEETING_DAY, RECIPIENT) and not ctx.can(MANAGE_BOARD):
        ctx.end()
        ctx.say(texts.CHAIR_ONLY)
        return
    if change.what == RECIPIENT and str(change.user_id) not in _others(ctx):  # left the board since the question
        ctx.end()
        ctx.say(choose_one())
        return
    if change.what == KIND:
        reminders.set_kind(ctx.db, ctx.user.id, change.kind, change.on)
    elif change.what == HOUR:
        reminders.set_hour(ctx.db, ctx.user.id, change.hour)
    elif change.what == MEETING_DAY:
        reminders.set_meeting_day(ctx.db, ctx.club, change.day, ctx.user)
    else:
        reminders.set_deadline_recipient(ctx.db, ctx.club.id, change.user_id, change.on, ctx.user)
    change.saved = True
    ctx.go(MENU)  # what was saved, in a line, and room for more


MENU = Step("menu", ask_menu, read_menu, on_menu, goes_to=("confirm", "hour", "meeting_day", "recipient"))
HOUR_STEP = Step("hour", lambda ctx: texts.ASK_HOUR, read_hour, on_hour, goes_to=("confirm",), label=lambda: texts.TIME)
MEETING_DAY_STEP = Step(
    "meeting_day",
    lambda ctx: texts.ASK_MEETING_DAY,
    read_meeting_day,
    on_meeting_day,
    goes_to=("confirm",),
    label=lambda: texts.MEETING_DAY,
)
RECIPIENT_STEP = Step(
    "recipient", ask_recipient, read_recipient, on_recipient, goes_to=("confirm",), label=lambda: texts.RECIPIENT
)
CONFIRM = read_back("confirm", summary, save, goes_to=("menu",))

flow = Flow(
    "reminders", start=start, steps=[MENU, HOUR_STEP, MEETING_DAY_STEP, RECIPIENT_STEP, CONFIRM], state=ReminderChange
)
