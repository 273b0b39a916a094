"""What the parts of /hop share: the state kept between messages, the menu's way back, dates and free text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from handlers import readers
from handlers.core import SKIP, Answer, Choice, Ctx, choose_one
from handlers.flow import Reader
from handlers.meetings import texts
from handlers.meetings.reading import DONE_WORDS
from handlers.parsing import InputError, not_before, parse_past_date
from storage import areas, meetings
from storage.dates import earliest_entry_date
from storage.meetings import MeetingDraft
from storage.models import AREAS, Meeting
from storage.periods import half_year_of

MENU, DONE = "menu", "done"
# The questions of a meeting, in the order a new one is asked them; a change to a logged one asks one of them.
FIELDS = ("held_on", "attendance", "areas", "health_checks", "topic", "notes", "photo")


@dataclass
class Meetings:
    """What /hop keeps between messages: the meeting being logged or changed, the activity being logged, and the
    volunteer or group being changed. Each task starts from a fresh one (`ctx.state = Meetings()`)."""

    # A meeting: its answers, as MeetingDraft has them.
    held_on: date | None = None
    attendance: int = 0
    attendees: list[int] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    health_checks: int = 0
    topic: str | None = None
    notes: str | None = None
    photo: str | None = None
    ticking: bool = False  # attendance taken by ticking names, on page `tick_page`
    tick_page: int = 0
    # The step ("attendance", "areas") whose ticking was explained: asked again after a tick, it says a line.
    explained: str = ""
    same_day: int | None = None  # a meeting already logged on the date answered
    second_that_day: bool = False  # the person agreed to log another one beside it
    opened: int | None = None  # the logged meeting shown
    editing: int | None = None  # the logged meeting being changed
    # An activity outside meetings.
    kind: str = ""
    area: str = ""
    volunteer_id: int | None = None
    member_id: int | None = None
    activity_on: date | None = None
    people: int | None = None
    amount: int | None = None
    description: str | None = None
    # Volunteers and groups.
    member: int | None = None
    group: int | None = None
    group_area: str = ""
    group_name: str = ""
    found: list[int] = field(default_factory=list)  # the members a typed name matched, to pick among


def done_choice() -> Choice:
    return Choice(DONE, texts.DONE_LABEL, DONE_WORDS)


def back_choices() -> list[Choice]:
    return [Choice(MENU, texts.BACK_LABEL), done_choice()]


def went_back(ctx: Ctx, choice: str) -> bool:
    """Handle the back and done choices; False when the choice was something else."""
    if choice == MENU:
        ctx.go(MENU)
    elif choice == DONE:
        ctx.end()
    else:
        return False
    return True


# --- the meeting being logged or changed ----------------------------------------------------------------


def draft_of(state: Meetings) -> MeetingDraft:
    assert state.held_on is not None
    return MeetingDraft(
        held_on=state.held_on,
        attendance=state.attendance,
        attendees=tuple(state.attendees),
        areas=tuple(state.areas),
        health_checks=state.health_checks,
        topic=state.topic,
        notes=state.notes,
        photo=state.photo,
    )


def take_draft(state: Meetings, draft: MeetingDraft) -> None:
    """Put a logged meeting's values in the state, to change them."""
    state.held_on, state.attendance, state.health_checks = draft.held_on, draft.attendance, draft.health_checks
    state.attendees, state.areas = list(draft.attendees), list(draft.areas)
    state.topic, state.notes, state.photo = draft.topic, draft.notes, draft.photo
    state.ticking = bool(draft.attendees)


def members_then(ctx: Ctx) -> int:
    """How many were on the member list on the meeting's day."""
    assert ctx.state.held_on is not None
    return meetings.members_on_list(ctx.db, ctx.club.id, ctx.state.held_on)


def stored_summary(ctx: Ctx, meeting: Meeting) -> str:
    """The meeting as the database now holds it: the read-back after a write."""
    return texts.meeting_summary(
        meetings.draft_of(ctx.db, meeting), meetings.members_on_list(ctx.db, ctx.club.id, meeting.held_on)
    )


def unacknowledged_same_day(ctx: Ctx) -> Meeting | None:
    """A meeting on the same date that the person did not agree to add beside (perhaps logged meanwhile)."""
    state: Meetings = ctx.state
    if state.second_that_day or state.held_on is None:
        return None
    existing = meetings.on_date(ctx.db, ctx.club.id, state.held_on, other_than=state.editing)
    return existing[0] if existing else None


# --- answers several questions share --------------------------------------------------------------------


def date_choices() -> list[Choice]:
    return [
        Choice("today", texts.TODAY_LABEL, ("hom nay",)),
        Choice("yesterday", texts.YESTERDAY_LABEL, ("hom qua",)),
    ]


def read_date(ctx: Ctx, ans: Answer) -> date:
    """The day answered: a button, or typed like 'hom qua', '5/6', '05/06/2025'; never in the future
    nor before the club was founded (the yesterday button included, for a club founded today)."""
    if ans.choice == "today":
        return ctx.today
    earliest = earliest_entry_date(ctx.db, ctx.club.id)
    if ans.choice == "yesterday":
        return not_before(ctx.today - timedelta(days=1), earliest)
    return parse_past_date(ans.text, ctx.today, earliest)


def free_text(limit: int):
    """A reader of typed text up to `limit` characters; None when the person skipped."""

    def read(ctx: Ctx, ans: Answer) -> str | None:
        if ans.choice == SKIP:
            return None
        if len(ans.text) > limit:
            raise InputError(texts.too_long(len(ans.text), limit))
        return ans.text

    return read


def guarded_choice(roles: frozenset[str], *guarded: str) -> Reader:
    """A choice among those offered; those in `guarded` only while the person still has one of `roles` (taken
    away, perhaps, since the question was put)."""

    def read(ctx: Ctx, ans: Answer) -> str:
        choice = readers.choice(ctx, ans)
        if choice in guarded and not ctx.can(roles):
            raise InputError(choose_one())
        return choice

    return read


def read_area(ctx: Ctx, ans: Answer) -> str:
    """One of the eight areas, picked from the list."""
    if ans.choice not in AREAS:
        raise InputError(texts.PICK_ONE_AREA)
    return ans.choice


def coverage(ctx: Ctx) -> str:
    """Which areas the club has carried out this period, so the board sees what is left to plan."""
    period = half_year_of(ctx.today)
    return texts.coverage(period, areas.area_counts(ctx.db, ctx.club.id, period.start, period.end))
