"""Logging a meeting question by question, the list of recent meetings, and changing one with its history kept.

A new meeting walks through QUESTIONS in order. Changing a logged meeting asks the one question for the
field picked, with the same step, and then reads back the change instead of going on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers.core import Answer, Choice, Ctx, choose_one, confirmed, skip_choice
from handlers.meetings import texts
from handlers.meetings.common import (
    back_choices,
    coverage,
    date_choices,
    done_choice,
    flow,
    read_date,
    read_free_text,
    went_back,
)
from handlers.meetings.reading import AREA_WORDS, parse_count, picked_values, toggled
from handlers.parsing import InputError
from handlers.roles import EDIT_MEETINGS, LOG_MEETINGS
from storage import meetings, members
from storage.meetings import MeetingDraft
from storage.models import AREAS, Meeting

QUESTIONS = ("held_on", "attendance", "areas", "health_checks", "topic", "notes", "photo")
TICK_PAGE_SIZE = 8
MAX_TOPIC = 200
MAX_NOTES = 1000
HISTORY_DAYS = 183  # "the last months": half a year, one reporting period's worth
HISTORY_LIMIT = 12


# --- the meeting being entered, kept in the conversation state as plain JSON ----------------------------


def _draft(ctx: Ctx) -> dict:
    return ctx.data["meeting"]


def _as_draft(data: dict) -> MeetingDraft:
    return MeetingDraft(
        held_on=date.fromisoformat(data["held_on"]),
        attendance=data["attendance"],
        attendees=tuple(data.get("attendees", ())),
        areas=tuple(data.get("areas", ())),
        health_checks=data.get("health_checks", 0),
        topic=data.get("topic"),
        notes=data.get("notes"),
        photo=data.get("photo"),
    )


def _as_data(draft: MeetingDraft) -> dict:
    data = asdict(draft)
    data["held_on"] = draft.held_on.isoformat()
    data["attendees"], data["areas"] = list(draft.attendees), list(draft.areas)
    return data


def _held_on(ctx: Ctx) -> date:
    return date.fromisoformat(_draft(ctx)["held_on"])


def _members_then(ctx: Ctx) -> int:
    return meetings.members_on_list(ctx.db, ctx.club.id, _held_on(ctx))


def start_logging(ctx: Ctx) -> None:
    ctx.data = {"meeting": {}}
    ask_held_on(ctx)


def next_question(ctx: Ctx, answered: str) -> None:
    """After a new meeting's answer, the next question; when changing a logged one, the read-back."""
    if "editing" in ctx.data:
        confirm_edit(ctx)
        return
    following = QUESTIONS.index(answered) + 1
    if following < len(QUESTIONS):
        ASK[QUESTIONS[following]](ctx)
    else:
        confirm_new(ctx)


# --- date, and a meeting already logged that day --------------------------------------------------------


def ask_held_on(ctx: Ctx) -> None:
    ctx.ask("held_on", texts.ask_meeting_date(), date_choices())


@flow.step("held_on")
def on_held_on(ctx: Ctx, ans: Answer) -> None:
    try:
        held_on = read_date(ctx, ans)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    _draft(ctx)["held_on"] = held_on.isoformat()
    ctx.data.pop("second_that_day", None)
    existing = meetings.on_date(ctx.db, ctx.club.id, held_on, other_than=ctx.data.get("editing"))
    if existing:
        ask_same_day(ctx, existing[0])
    else:
        next_question(ctx, "held_on")


def ask_same_day(ctx: Ctx, existing: Meeting) -> None:
    ctx.data["same_day"] = existing.id
    choices = []
    if "editing" not in ctx.data and ctx.can(EDIT_MEETINGS):
        choices.append(Choice("edit", texts.edit_that_label()))
    choices += [Choice("second", texts.add_anyway_label()), Choice("other_date", texts.other_date_label())]
    line = texts.meeting_line(existing, meetings.areas_of(ctx.db, [existing.id])[existing.id])
    ctx.ask("same_day", texts.same_day(line), choices)


@flow.step("same_day")
def on_same_day(ctx: Ctx, ans: Answer) -> None:
    existing = meetings.get(ctx.db, ctx.club.id, ctx.data["same_day"])
    if ans.choice == "edit" and existing is not None and ctx.can(EDIT_MEETINGS):
        open_meeting(ctx, existing)
    elif ans.choice == "second":
        ctx.data["second_that_day"] = True
        next_question(ctx, "held_on")
    elif ans.choice == "other_date":
        ask_held_on(ctx)
    else:
        ctx.retry(choose_one())


def _unacknowledged_same_day(ctx: Ctx) -> Meeting | None:
    """A meeting on the same date that the person did not agree to add beside (perhaps logged meanwhile)."""
    if ctx.data.get("second_that_day"):
        return None
    existing = meetings.on_date(ctx.db, ctx.club.id, _held_on(ctx), other_than=ctx.data.get("editing"))
    return existing[0] if existing else None


# --- attendance: a number, or names ticked on a paged list ----------------------------------------------


def ask_attendance(ctx: Ctx) -> None:
    ctx.ask("attendance", texts.ask_attendance(_members_then(ctx)), [Choice("tick", texts.tick_names_label())])


@flow.step("attendance")
def on_attendance(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == "tick":
        show_attendee_page(ctx, 0)
        return
    listed = _members_then(ctx)
    try:
        count = parse_count(ans.text, least=1, most=listed, too_many=texts.too_many_present(listed))
    except InputError as problem:
        ctx.retry(str(problem))
        return
    _draft(ctx).update(attendance=count, attendees=[])
    next_question(ctx, "attendance")


def show_attendee_page(ctx: Ctx, page: int) -> None:
    listed = members.count(ctx.db, ctx.club.id)
    if listed == 0:
        ctx.retry(texts.too_many_present(0))
        return
    pages = math.ceil(listed / TICK_PAGE_SIZE)
    page = max(0, min(page, pages - 1))
    ctx.data["tick_page"] = page
    ticked = set(_draft(ctx).get("attendees") or ())
    choices = [
        Choice(str(m.id), texts.ticked(m.full_name, m.id in ticked), (m.full_name,))
        for m in members.page(ctx.db, ctx.club.id, page, TICK_PAGE_SIZE)
    ]
    if page > 0:
        choices.append(Choice("prev", texts.previous_label()))
    if page + 1 < pages:
        choices.append(Choice("next", texts.next_label()))
    choices += [Choice("all", texts.tick_all_label()), done_choice()]
    ctx.ask("attendees", texts.attendee_page(page, pages, len(ticked)), choices)


@flow.step("attendees")
def on_attendees(ctx: Ctx, ans: Answer) -> None:
    page, draft = ctx.data.get("tick_page", 0), _draft(ctx)
    if ans.choice in ("prev", "next"):
        show_attendee_page(ctx, page + (1 if ans.choice == "next" else -1))
    elif ans.choice == "all":
        draft["attendees"] = meetings.current_member_ids(ctx.db, ctx.club.id)
        show_attendee_page(ctx, page)
    elif ans.choice == "done":
        finish_ticking(ctx)
    else:
        names = [c for c in ctx.offered_choices() if c.value.isdigit()]
        try:
            picked = [ans.choice] if ans.choice else picked_values(ans.text, names, texts.not_on_page)
        except InputError as problem:
            ctx.retry(str(problem))
            return
        draft["attendees"] = toggled(draft.get("attendees") or [], [int(value) for value in picked])
        show_attendee_page(ctx, page)


def finish_ticking(ctx: Ctx) -> None:
    draft = _draft(ctx)
    if not draft.get("attendees"):
        ctx.retry(texts.tick_someone())
        return
    draft["attendance"] = len(draft["attendees"])
    next_question(ctx, "attendance")


# --- areas covered: several of the eight ----------------------------------------------------------------


def _area_choices(chosen: list[str]) -> list[Choice]:
    return [
        Choice(area, texts.ticked(texts.area_name(area), area in chosen), (texts.area_name(area), *AREA_WORDS[area]))
        for area in AREAS
    ]


def ask_areas(ctx: Ctx) -> None:
    chosen = _draft(ctx).setdefault("areas", [])
    ctx.ask("areas", texts.ask_areas(len(chosen)), [*_area_choices(chosen), done_choice()])


@flow.step("areas")
def on_areas(ctx: Ctx, ans: Answer) -> None:
    draft = _draft(ctx)
    if ans.choice == "done":
        if draft["areas"]:
            next_question(ctx, "areas")
        else:
            ctx.retry(texts.pick_an_area())
        return
    try:
        picked = (
            [ans.choice] if ans.choice else picked_values(ans.text, _area_choices(draft["areas"]), texts.unknown_area)
        )
    except InputError as problem:
        ctx.retry(str(problem))
        return
    draft["areas"] = toggled(draft["areas"], picked)
    ask_areas(ctx)


# --- health checks, topic, notes, photo -----------------------------------------------------------------


def ask_health_checks(ctx: Ctx) -> None:
    # No button here: a typed 1 would pick a first button instead of meaning one check.
    ctx.ask("health_checks", texts.ask_health_checks(_draft(ctx)["attendance"]))


@flow.step("health_checks")
def on_health_checks(ctx: Ctx, ans: Answer) -> None:
    present = _draft(ctx)["attendance"]
    try:
        checks = parse_count(ans.text, least=0, most=present, too_many=texts.too_many_checks(present))
    except InputError as problem:
        ctx.retry(str(problem))
        return
    _draft(ctx)["health_checks"] = checks
    next_question(ctx, "health_checks")


def _ask_free_text(step: str, prompt) -> Callable[[Ctx], None]:
    def ask(ctx: Ctx) -> None:
        ctx.ask(step, prompt(), [skip_choice()])

    return ask


def _read_free_text(field: str, limit: int):
    def on_answer(ctx: Ctx, ans: Answer) -> None:
        try:
            _draft(ctx)[field] = read_free_text(ans, limit)
        except InputError as problem:
            ctx.retry(str(problem))
            return
        next_question(ctx, field)

    return on_answer


flow.step("topic")(_read_free_text("topic", MAX_TOPIC))
flow.step("notes")(_read_free_text("notes", MAX_NOTES))


def ask_photo(ctx: Ctx) -> None:
    ctx.ask("photo", texts.ask_photo(), [Choice("none", texts.no_photo_label(), skip_choice().aliases)])


@flow.step("photo", photos=True)
def on_photo(ctx: Ctx, ans: Answer) -> None:
    if ans.photo:
        # Channel and file id: enough to send the same picture again on that channel.
        _draft(ctx)["photo"] = f"{ctx.msg.channel}:{ans.photo}"
    elif ans.choice == "none":
        _draft(ctx)["photo"] = None
    else:
        ctx.retry(texts.send_a_photo())
        return
    next_question(ctx, "photo")


ASK = {
    "held_on": ask_held_on,
    "attendance": ask_attendance,
    "areas": ask_areas,
    "health_checks": ask_health_checks,
    "topic": _ask_free_text("topic", texts.ask_topic),
    "notes": _ask_free_text("notes", texts.ask_notes),
    "photo": ask_photo,
}


# --- read back and save a new meeting -------------------------------------------------------------------


def confirm_new(ctx: Ctx) -> None:
    ctx.confirm("confirm_new", texts.meeting_summary(_as_draft(_draft(ctx)), _members_then(ctx)))


@flow.step("confirm_new")
def on_confirm_new(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    if not ctx.can(LOG_MEETINGS):
        ctx.end()
        ctx.say(texts.cannot_log())
        return
    if (existing := _unacknowledged_same_day(ctx)) is not None:
        ask_same_day(ctx, existing)
        return
    meeting = meetings.record(ctx.db, ctx.club.id, _as_draft(_draft(ctx)), ctx.user)
    ctx.end()
    ctx.say(texts.meeting_saved(_stored_summary(ctx, meeting), coverage(ctx)))


def _stored_summary(ctx: Ctx, meeting: Meeting) -> str:
    """The meeting as the database now holds it: the read-back after a write."""
    return texts.meeting_summary(
        meetings.draft_of(ctx.db, meeting), meetings.members_on_list(ctx.db, ctx.club.id, meeting.held_on)
    )


# --- recent meetings ------------------------------------------------------------------------------------


def show_history(ctx: Ctx) -> None:
    ctx.data = {}
    recent = meetings.since(ctx.db, ctx.club.id, ctx.today - timedelta(days=HISTORY_DAYS), HISTORY_LIMIT)
    if not recent:
        ctx.ask("history", texts.no_meetings(), back_choices())
        return
    covered = meetings.areas_of(ctx.db, [m.id for m in recent])
    choices = [Choice(str(m.id), texts.meeting_label(m)) for m in recent]
    ctx.ask("history", texts.history(recent, covered), [*choices, *back_choices()])


@flow.step("history")
def on_history(ctx: Ctx, ans: Answer) -> None:
    if went_back(ctx, ans):
        return
    meeting = meetings.get(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
    if meeting is None:
        ctx.retry(choose_one())
    else:
        open_meeting(ctx, meeting)


def open_meeting(ctx: Ctx, meeting: Meeting) -> None:
    """The whole meeting with every change made to it; the chair or secretary may change it."""
    ctx.data = {"open": meeting.id}
    choices = [Choice("edit", texts.edit_label())] if ctx.can(EDIT_MEETINGS) else []
    choices += [Choice("history", texts.back_to_history_label()), done_choice()]
    card = texts.meeting_card(
        _stored_summary(ctx, meeting), meetings.changes(ctx.db, meeting.id), ZoneInfo(ctx.settings.timezone)
    )
    ctx.ask("card", card, choices)


@flow.step("card")
def on_card(ctx: Ctx, ans: Answer) -> None:
    meeting = meetings.get(ctx.db, ctx.club.id, ctx.data["open"])
    if meeting is None:
        ctx.end()
        ctx.say(texts.meeting_gone())
    elif ans.choice == "edit" and ctx.can(EDIT_MEETINGS):
        ctx.data.update(editing=meeting.id, meeting=_as_data(meetings.draft_of(ctx.db, meeting)))
        ctx.ask("edit_field", texts.ask_what_to_change(), [Choice(f, texts.field_label(f)) for f in QUESTIONS])
    elif ans.choice == "history":
        show_history(ctx)
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())


# --- changing a logged meeting --------------------------------------------------------------------------


def _meeting_to_edit(ctx: Ctx) -> Meeting | None:
    """The meeting being changed, if it is still this club's and the person may still change it."""
    meeting = meetings.get(ctx.db, ctx.club.id, ctx.data.get("editing", 0))
    if meeting is not None and ctx.can(EDIT_MEETINGS):
        return meeting
    ctx.end()
    ctx.say(texts.meeting_gone() if meeting is None else texts.cannot_edit())
    return None


@flow.step("edit_field")
def on_edit_field(ctx: Ctx, ans: Answer) -> None:
    if _meeting_to_edit(ctx) is None:
        return
    if ans.choice not in QUESTIONS:
        ctx.retry(choose_one())
        return
    ASK[ans.choice](ctx)


def _differences(old: MeetingDraft, new: MeetingDraft) -> list[tuple[str, object, object]]:
    return [
        (f.name, getattr(old, f.name), getattr(new, f.name))
        for f in fields(MeetingDraft)
        if getattr(old, f.name) != getattr(new, f.name)
    ]


def confirm_edit(ctx: Ctx) -> None:
    meeting = _meeting_to_edit(ctx)
    if meeting is None:
        return
    changed = _differences(meetings.draft_of(ctx.db, meeting), _as_draft(_draft(ctx)).normalized())
    if not changed:
        ctx.say(texts.nothing_changed())
        open_meeting(ctx, meeting)
        return
    ctx.confirm("confirm_edit", texts.change_summary(meeting, changed))


@flow.step("confirm_edit")
def on_confirm_edit(ctx: Ctx, ans: Answer) -> None:
    meeting = _meeting_to_edit(ctx)
    if meeting is None or not confirmed(ctx, ans):
        return
    if (existing := _unacknowledged_same_day(ctx)) is not None:
        ask_same_day(ctx, existing)
        return
    changed = meetings.update(ctx.db, meeting, _as_draft(_draft(ctx)), ctx.user)
    ctx.say(texts.changes_saved(len(changed)))
    open_meeting(ctx, meeting)
