"""The recent meetings, one meeting with every change made to it, and changing a logged meeting with its
history kept: the field picked is asked with the same step as for a new meeting (meeting_log.py), then the
change is read back."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from zoneinfo import ZoneInfo

from handlers import readers
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Question, Step, read_back
from handlers.meetings import texts
from handlers.meetings.common import (
    DONE,
    FIELDS,
    MENU,
    Meetings,
    back_choices,
    done_choice,
    draft_of,
    guarded_choice,
    stored_summary,
    take_draft,
    unacknowledged_same_day,
    went_back,
)
from handlers.parsing import InputError
from handlers.roles import EDIT_MEETINGS
from storage import meetings
from storage.meetings import MeetingDraft
from storage.models import Meeting

HISTORY, CARD, EDIT_FIELD, CONFIRM_EDIT = "history", "card", "edit_field", "confirm_edit"
HISTORY_DAYS = 183  # "the last months": half a year, one reporting period's worth
HISTORY_LIMIT = 12


# --- recent meetings ------------------------------------------------------------------------------------


def ask_history(ctx: Ctx) -> Question:
    recent = meetings.since(ctx.db, ctx.club.id, ctx.today - timedelta(days=HISTORY_DAYS), HISTORY_LIMIT)
    if not recent:
        return Question(texts.NO_MEETINGS, back_choices())
    covered = meetings.areas_of(ctx.db, [m.id for m in recent])
    choices = [Choice(str(m.id), texts.meeting_label(m)) for m in recent]
    return Question(texts.history(recent, covered), [*choices, *back_choices()])


def read_meeting(ctx: Ctx, ans: Answer) -> str | Meeting:
    """One of the meetings listed (still this club's), or back or done."""
    choice = readers.choice(ctx, ans)
    if choice in (MENU, DONE):
        return choice
    meeting = meetings.get(ctx.db, ctx.club.id, int(choice)) if choice.isdigit() else None
    if meeting is None:
        raise InputError(choose_one())
    return meeting


def on_history(ctx: Ctx, picked: str | Meeting) -> None:
    if isinstance(picked, str):
        went_back(ctx, picked)
    else:
        open_card(ctx, picked)


# --- one meeting ----------------------------------------------------------------------------------------


def open_card(ctx: Ctx, meeting: Meeting) -> None:
    """The whole meeting with every change made to it; the chair or secretary may change it."""
    ctx.state = Meetings(opened=meeting.id)
    ctx.go(CARD)


def ask_card(ctx: Ctx) -> Question:
    meeting = meetings.get(ctx.db, ctx.club.id, ctx.state.opened or 0)
    assert meeting is not None  # opened a moment ago; meetings are never deleted
    choices = [Choice("edit", texts.EDIT_LABEL)] if ctx.can(EDIT_MEETINGS) else []
    choices += [Choice(HISTORY, texts.BACK_TO_HISTORY_LABEL), done_choice()]
    card = texts.meeting_card(
        stored_summary(ctx, meeting), meetings.changes(ctx.db, meeting.id), ZoneInfo(ctx.settings.timezone)
    )
    return Question(card, choices)


def on_card(ctx: Ctx, choice: str) -> None:
    meeting = meetings.get(ctx.db, ctx.club.id, ctx.state.opened or 0)
    if meeting is None:
        ctx.end()
        ctx.say(texts.MEETING_GONE)
    elif choice == "edit":
        ctx.state.editing = meeting.id
        take_draft(ctx.state, meetings.draft_of(ctx.db, meeting))
        ctx.go(EDIT_FIELD)
    elif choice == HISTORY:
        ctx.go(HISTORY)
    else:
        went_back(ctx, choice)


# --- changing a logged meeting --------------------------------------------------------------------------


def meeting_to_edit(ctx: Ctx) -> Meeting | None:
    """The meeting being changed, if it is still this club's and the person may still change it."""
    meeting = meetings.get(ctx.db, ctx.club.id, ctx.state.editing or 0)
    if meeting is not None and ctx.can(EDIT_MEETINGS):
        return meeting
    ctx.end()
    ctx.say(texts.MEETING_GONE if meeting is None else texts.CANNOT_EDIT)
    return None


def on_edit_field(ctx: Ctx, field: str) -> None:
    if meeting_to_edit(ctx) is not None:
        ctx.go(field)


def differences(old: MeetingDraft, new: MeetingDraft) -> list[tuple[str, object, object]]:
    return [
        (f.name, getattr(old, f.name), getattr(new, f.name))
        for f in fields(MeetingDraft)
        if getattr(old, f.name) != getattr(new, f.name)
    ]


def changes(ctx: Ctx, meeting: Meeting) -> list[tuple[str, object, object]]:
    return differences(meetings.draft_of(ctx.db, meeting), draft_of(ctx.state).normalized())


def read_back_change(ctx: Ctx) -> None:
    """After the field changed was answered: the change read back, or the card when nothing changed."""
    meeting = meeting_to_edit(ctx)
    if meeting is None:
        return
    if changes(ctx, meeting):
        ctx.go(CONFIRM_EDIT)
    else:
        ctx.say(texts.NOTHING_CHANGED)
        open_card(ctx, meeting)


def change_summary(ctx: Ctx) -> str:
    meeting = meetings.get(ctx.db, ctx.club.id, ctx.state.editing or 0)
    assert meeting is not None  # checked by read_back_change a moment ago
    return texts.change_summary(meeting, changes(ctx, meeting))


def save_change(ctx: Ctx) -> None:
    meeting = meeting_to_edit(ctx)
    if meeting is None:
        return
    if (existing := unacknowledged_same_day(ctx)) is not None:
        ctx.state.same_day = existing.id
        ctx.go("same_day")
        return
    changed = meetings.update(ctx.db, meeting, draft_of(ctx.state), ctx.user)
    ctx.say(texts.changes_saved(len(changed)))
    open_card(ctx, meeting)


STEPS = [
    Step(HISTORY, ask_history, read_meeting, on_history, goes_to=(MENU, CARD)),
    Step(CARD, ask_card, guarded_choice(EDIT_MEETINGS, "edit"), on_card, goes_to=(EDIT_FIELD, HISTORY)),
    Step(
        EDIT_FIELD,
        lambda ctx: Question(texts.ASK_WHAT_TO_CHANGE, [Choice(f, texts.field_label(f)) for f in FIELDS]),
        readers.choice,
        on_edit_field,
        goes_to=FIELDS,
    ),
    read_back(CONFIRM_EDIT, change_summary, save_change, goes_to=("same_day", CARD)),
]
