"""The /hop flow put together: its menu, and the steps of each part (meeting_log.py, history.py, overview.py,
activities.py, people.py) as one declared flow."""

from __future__ import annotations

from handlers.core import Choice, Ctx
from handlers.flow import Flow, Question, Step
from handlers.meetings import activities, history, meeting_log, overview, people, texts
from handlers.meetings.common import MENU, Meetings, done_choice, guarded_choice, went_back
from handlers.roles import LOG_MEETINGS
from storage import areas, meetings
from storage.periods import half_year_of


def start(ctx: Ctx, args: str) -> None:
    ctx.go(MENU)


def ask_menu(ctx: Ctx) -> Question:
    period = half_year_of(ctx.today)
    held = meetings.figures(ctx.db, ctx.club.id, period.start, period.end).held
    done = areas.areas_done(areas.area_counts(ctx.db, ctx.club.id, period.start, period.end))
    choices = []
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("log", texts.LOG_LABEL))
    choices += [Choice(history.HISTORY, texts.HISTORY_LABEL), Choice("areas", texts.AREAS_LABEL)]
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("activity", texts.ACTIVITY_LABEL))
    choices += [Choice(people.PEOPLE, texts.PEOPLE_LABEL), done_choice()]
    return Question(texts.menu(ctx.club, period, held, len(done)), choices)


def on_menu(ctx: Ctx, choice: str) -> None:
    recording = {"log": meeting_log.start_logging, "activity": activities.start_activity}
    viewing = {
        history.HISTORY: lambda ctx: ctx.go(history.HISTORY),
        "areas": lambda ctx: ctx.go(overview.AREAS_VIEW),
        people.PEOPLE: people.show_people,
    }
    if choice in recording:
        recording[choice](ctx)
    elif choice in viewing:
        viewing[choice](ctx)
    else:
        went_back(ctx, choice)


def progress(ctx: Ctx) -> str | None:
    """How many are counted present in the meeting being logged, for "you are in the middle of ..."."""
    state: Meetings = ctx.state
    present = len(state.attendees) if state.ticking else state.attendance
    return texts.present(present) if present else None


MENU_STEP = Step(
    MENU,
    ask_menu,
    guarded_choice(LOG_MEETINGS, "log", "activity"),
    on_menu,
    goes_to=("held_on", activities.KIND, history.HISTORY, overview.AREAS_VIEW.name, people.PEOPLE),
)

flow = Flow(
    "meetings",
    start=start,
    steps=[
        MENU_STEP,
        *meeting_log.STEPS,
        *history.STEPS,
        overview.AREAS_VIEW,
        *activities.STEPS,
        *people.STEPS,
    ],
    state=Meetings,
    progress=progress,
)
