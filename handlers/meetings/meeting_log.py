"""Logging a meeting question by question: date, who came, areas covered, health checks, topic, notes, photo.

A new meeting walks through FIELDS in order and ends at the read-back. Changing a logged meeting (history.py)
asks the one question for the field picked, with the same step, and then reads back the change instead.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from handlers import readers
from handlers.core import Answer, Choice, Ctx, skip_choice
from handlers.flow import Question, Step, read_back
from handlers.meetings import history, texts
from handlers.meetings.common import (
    DONE,
    FIELDS,
    Meetings,
    coverage,
    date_choices,
    done_choice,
    draft_of,
    free_text,
    members_then,
    read_date,
    stored_summary,
    unacknowledged_same_day,
)
from handlers.meetings.reading import AREA_WORDS, parse_count, picked_values, toggled
from handlers.parsing import InputError
from handlers.roles import EDIT_MEETINGS, LOG_MEETINGS
from storage import meetings, members
from storage.models import AREAS

CONFIRM_NEW, SAME_DAY = "confirm_new", "same_day"
TICK, PREVIOUS, NEXT, ALL = "tick", "prev", "next", "all"
TICK_PAGE_SIZE = 8
MAX_TOPIC = 200
MAX_NOTES = 1000


def start_logging(ctx: Ctx) -> None:
    ctx.state = Meetings()
    ctx.go("held_on")


def answered(ctx: Ctx, field: str) -> None:
    """After a new meeting's answer, the next question; when changing a logged one, the read-back."""
    if ctx.state.editing is not None:
        history.read_back_change(ctx)
        return
    following = FIELDS.index(field) + 1
    ctx.go(FIELDS[following] if following < len(FIELDS) else CONFIRM_NEW)


def field_step(name: str, ask, read, then, *, goes_to: tuple[str, ...] = (), takes: Any = "line") -> Step:
    """A question for one field of the meeting: labelled for "change an answer", and free to go on to the next
    field, the read-back of a new meeting, or the read-back (or card) of a logged one being changed."""
    following = FIELDS.index(name) + 1
    after = FIELDS[following] if following < len(FIELDS) else CONFIRM_NEW
    return Step(
        name,
        ask,
        read,
        then,
        goes_to=(after, *goes_to, CONFIRM_NEW, history.CONFIRM_EDIT, history.CARD),
        label=lambda: texts.field_label(name),
        takes=takes,
    )


# --- date, and a meeting already logged that day --------------------------------------------------------


def on_held_on(ctx: Ctx, held_on: date) -> None:
    state: Meetings = ctx.state
    state.held_on, state.second_that_day = held_on, False
    ctx.forget(SAME_DAY)  # a new date is a new question whether to log a second meeting on it
    existing = meetings.on_date(ctx.db, ctx.club.id, held_on, other_than=state.editing)
    if existing:
        state.same_day = existing[0].id
        ctx.go(SAME_DAY)
    else:
        answered(ctx, "held_on")


def ask_same_day(ctx: Ctx) -> Question:
    state: Meetings = ctx.state
    existing = meetings.get(ctx.db, ctx.club.id, state.same_day or 0)
    assert existing is not None  # found on that date a moment ago; meetings are never deleted
    choices = []
    if state.editing is None and ctx.can(EDIT_MEETINGS):
        choices.append(Choice("edit", texts.EDIT_THAT_LABEL))
    choices += [Choice("second", texts.ADD_ANYWAY_LABEL), Choice("other_date", texts.OTHER_DATE_LABEL)]
    line = texts.meeting_line(existing, meetings.areas_of(ctx.db, [existing.id])[existing.id])
    return Question(texts.same_day(line), choices)


def on_same_day(ctx: Ctx, choice: str) -> None:
    if choice == "edit":
        existing = meetings.get(ctx.db, ctx.club.id, ctx.state.same_day or 0)
        if existing is not None and ctx.can(EDIT_MEETINGS):
            history.open_card(ctx, existing)
        else:
            ctx.end()
            ctx.say(texts.CANNOT_EDIT)
    elif choice == "second":
        ctx.state.second_that_day = True
        answered(ctx, "held_on")
    else:
        ctx.go("held_on")


def go_to_same_day(ctx: Ctx, existing_id: int) -> None:
    ctx.state.same_day = existing_id
    ctx.go(SAME_DAY)


# --- attendance: a number, or names ticked on a paged list ----------------------------------------------


def ask_attendance(ctx: Ctx) -> Question:
    if ctx.state.ticking:
        return attendee_page(ctx)
    tick = Choice(TICK, texts.TICK_NAMES_LABEL)
    return Question(texts.ask_attendance(members_then(ctx), tick), [tick])


def attendee_page(ctx: Ctx) -> Question:
    state: Meetings = ctx.state
    pages = max(1, math.ceil(members.count(ctx.db, ctx.club.id) / TICK_PAGE_SIZE))
    state.tick_page = page = max(0, min(state.tick_page, pages - 1))
    # Done first, so it has the same number on every page, whatever the page holds after it.
    choices = [done_choice()]
    choices += [
        Choice(str(m.id), texts.ticked(m.full_name, m.id in state.attendees), (m.full_name,))
        for m in members.page(ctx.db, ctx.club.id, page, TICK_PAGE_SIZE)
    ]
    if page > 0:
        choices.append(Choice(PREVIOUS, texts.PREVIOUS_LABEL))
    if page + 1 < pages:
        choices.append(Choice(NEXT, texts.NEXT_LABEL))
    choices += [Choice(ALL, texts.TICK_ALL_LABEL)]
    if state.explained == ATTENDANCE.name:
        return Question(texts.ticked_so_far(len(state.attendees), page, pages, done_choice()), choices)
    return Question(texts.attendee_page(page, pages, len(state.attendees), done_choice()), choices)


def read_attendance(ctx: Ctx, ans: Answer) -> int | str | list[int]:
    """A count; the choice to tick names; or, on a page of names, a move, 'all', 'done' or the names ticked."""
    if ctx.state.ticking:
        return read_ticks(ctx, ans)
    if ans.choice == TICK:
        if members.count(ctx.db, ctx.club.id) == 0:
            raise InputError(texts.too_many_present(0))
        return TICK
    listed = members_then(ctx)
    return parse_count(ans.text, least=1, most=listed, too_many=texts.too_many_present(listed))


def read_ticks(ctx: Ctx, ans: Answer) -> str | list[int]:
    if ans.choice == DONE and not ctx.state.attendees:
        raise InputError(texts.TICK_SOMEONE)
    if ans.choice in (PREVIOUS, NEXT, ALL, DONE):
        return ans.choice
    # Numbers typed are those shown beside the names, counted over every choice offered (Done is the first).
    offered = ctx.offered_choices()
    picked = [ans.choice] if ans.choice else picked_values(ans.text, offered, texts.not_on_page)
    if not all(value.isdigit() for value in picked):  # "1 3 5" with Done or a page move among names
        raise InputError(texts.not_on_page(ans.text.strip()[:40]))
    return [int(value) for value in picked]


def on_attendance(ctx: Ctx, value: int | str | list[int]) -> None:
    state: Meetings = ctx.state
    if isinstance(value, int):
        state.attendance, state.attendees, state.ticking = value, [], False
        present_counted(ctx)
    elif value == DONE:
        state.attendance = len(state.attendees)
        present_counted(ctx)
    else:
        state.explained = "" if value == TICK else ATTENDANCE.name
        if value == TICK:
            state.ticking, state.tick_page = True, 0
        elif value in (PREVIOUS, NEXT):
            state.tick_page += 1 if value == NEXT else -1
        elif value == ALL:
            state.attendees = meetings.current_member_ids(ctx.db, ctx.club.id)
        else:
            state.attendees = toggled(state.attendees, list(value))
        ctx.go(ATTENDANCE)


def present_counted(ctx: Ctx) -> None:
    if ctx.state.health_checks > ctx.state.attendance:
        # More checked than present now: the checks are asked again, whatever was being changed.
        ctx.forget("health_checks")
        ctx.go("health_checks")
    else:
        answered(ctx, "attendance")


# --- areas covered: several of the eight ----------------------------------------------------------------


def area_choices(chosen: list[str]) -> list[Choice]:
    return [
        Choice(area, texts.ticked(texts.area_name(area), area in chosen), (texts.area_name(area), *AREA_WORDS[area]))
        for area in AREAS
    ]


def ask_areas(ctx: Ctx) -> Question:
    chosen = ctx.state.areas
    if ctx.state.explained == AREAS_STEP.name:
        return Question(texts.areas_so_far(len(chosen), done_choice()), [*area_choices(chosen), done_choice()])
    return Question(texts.ask_areas(len(chosen), done_choice()), [*area_choices(chosen), done_choice()])


def read_areas(ctx: Ctx, ans: Answer) -> str | list[str]:
    """'done' (once at least one area is ticked), or the areas to tick or untick."""
    if ans.choice == DONE:
        if not ctx.state.areas:
            raise InputError(texts.pick_an_area(done_choice()))
        return DONE
    return [ans.choice] if ans.choice else picked_values(ans.text, area_choices(ctx.state.areas), texts.unknown_area)


def on_areas(ctx: Ctx, value: str | list[str]) -> None:
    if value == DONE:
        answered(ctx, "areas")
    else:
        ctx.state.areas = toggled(ctx.state.areas, list(value))
        ctx.state.explained = AREAS_STEP.name
        ctx.go(AREAS_STEP)


# --- health checks, topic, notes, photo -----------------------------------------------------------------


def read_health_checks(ctx: Ctx, ans: Answer) -> int:
    present = ctx.state.attendance
    return parse_count(ans.text, least=0, most=present, too_many=texts.too_many_checks(present))


def keep(field: str):
    """The step's `then` for a field kept as answered."""

    def then(ctx: Ctx, value) -> None:
        setattr(ctx.state, field, value)
        answered(ctx, field)

    return then


def free_text_step(name: str, prompt: str, limit: int) -> Step:
    return field_step(name, lambda ctx: Question(prompt, [skip_choice()]), free_text(limit), keep(name))


def no_photo_choice() -> Choice:
    return Choice("none", texts.NO_PHOTO_LABEL, skip_choice().aliases)


def read_photo(ctx: Ctx, ans: Answer) -> str | None:
    if ans.photo:
        # Channel and file id: enough to send the same picture again on that channel.
        return f"{ctx.msg.channel}:{ans.photo}"
    if ans.choice == "none":
        return None
    raise InputError(texts.send_a_photo(no_photo_choice()))


# --- read back and save a new meeting -------------------------------------------------------------------


def save_new(ctx: Ctx) -> None:
    if not ctx.can(LOG_MEETINGS):
        ctx.end()
        ctx.say(texts.CANNOT_LOG)
        return
    if (existing := unacknowledged_same_day(ctx)) is not None:
        go_to_same_day(ctx, existing.id)
        return
    meeting = meetings.record(ctx.db, ctx.club.id, draft_of(ctx.state), ctx.user)
    ctx.end()
    ctx.say(texts.meeting_saved(stored_summary(ctx, meeting), coverage(ctx)))


HELD_ON = field_step(
    "held_on",
    lambda ctx: Question(texts.ask_meeting_date(ctx.today), date_choices()),
    read_date,
    on_held_on,
    goes_to=(SAME_DAY,),
)
SAME_DAY_STEP = Step(
    SAME_DAY,
    ask_same_day,
    readers.choice,
    on_same_day,
    goes_to=("held_on", "attendance", CONFIRM_NEW, history.CONFIRM_EDIT, history.CARD),
)
ATTENDANCE = field_step("attendance", ask_attendance, read_attendance, on_attendance, goes_to=("health_checks",))
AREAS_STEP = field_step("areas", ask_areas, read_areas, on_areas)
# No button for the checks: a typed 1 would pick a first button instead of meaning one check.
HEALTH_CHECKS = field_step(
    "health_checks",
    lambda ctx: texts.ask_health_checks(ctx.state.attendance),
    read_health_checks,
    keep("health_checks"),
)
PHOTO = field_step(
    "photo",
    lambda ctx: Question(texts.ask_photo(no_photo_choice()), [no_photo_choice()]),
    read_photo,
    keep("photo"),
    takes="photo",
)
CONFIRM = read_back(
    CONFIRM_NEW,
    lambda ctx: texts.meeting_summary(draft_of(ctx.state), members_then(ctx)),
    save_new,
    goes_to=(SAME_DAY,),
)

STEPS = [
    HELD_ON,
    SAME_DAY_STEP,
    ATTENDANCE,
    AREAS_STEP,
    HEALTH_CHECKS,
    free_text_step("topic", texts.ASK_TOPIC, MAX_TOPIC),
    free_text_step("notes", texts.ASK_NOTES, MAX_NOTES),
    PHOTO,
    CONFIRM,
]
