"""Activities outside meetings: home-care visits, health check days, events, rights cases, resources.

Each kind asks its own short list of questions (QUESTIONS), then reads back before saving. The area an
activity counts for follows from its kind; "other" asks for it.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers import readers
from handlers.core import SKIP, Answer, Choice, Ctx, skip_choice
from handlers.flow import Question, Step, read_back
from handlers.meetings import texts
from handlers.meetings.common import Meetings, coverage, date_choices, free_text, read_area, read_date
from handlers.meetings.picking import member_step
from handlers.meetings.reading import AREA_WORDS, parse_count
from handlers.parsing import parse_amount
from handlers.roles import LOG_MEETINGS
from storage import activities, members, volunteers
from storage.activities import NewActivity
from storage.models import (
    AREAS,
    CULTURE_EVENT,
    HEALTH_DAY,
    HOME_VISIT,
    KIND_AREAS,
    OTHER_ACTIVITY,
    RESOURCES_RAISED,
    RIGHTS_CASE,
    Activity,
    Member,
)

KIND, CONFIRM = "act_kind", "confirm_activity"
VOLUNTEER, VISITED, HELPED = "volunteer", "visited", "helped"
DATE, PEOPLE, AMOUNT, NOTE, WHAT, AREA = "act_date", "act_people", "act_amount", "act_note", "act_what", "act_area"
# "note" is an optional description, "what" a required one.
QUESTIONS = {
    HOME_VISIT: (VOLUNTEER, VISITED, DATE, NOTE),
    HEALTH_DAY: (DATE, PEOPLE, NOTE),
    CULTURE_EVENT: (DATE, PEOPLE, NOTE),
    RIGHTS_CASE: (HELPED, DATE, WHAT),
    RESOURCES_RAISED: (DATE, AMOUNT, WHAT),
    OTHER_ACTIVITY: (AREA, DATE, PEOPLE, WHAT),
}
MAX_PEOPLE = 5000  # a commune festival, not a typing slip
MAX_DESCRIPTION = 1000


def start_activity(ctx: Ctx) -> None:
    ctx.state = Meetings()
    ctx.go(KIND)


def following(step: str | None, questions: tuple[str, ...]) -> str:
    """The question after `step` (None: the first) among a kind's, or the read-back after the last."""
    at = 0 if step is None else questions.index(step) + 1
    return questions[at] if at < len(questions) else CONFIRM


def may_follow(step: str) -> tuple[str, ...]:
    """Every step that may come after `step`, whatever the kind: its `goes_to`."""
    return tuple(sorted({following(step, asked) for asked in QUESTIONS.values() if step in asked}))


def go_on(ctx: Ctx, answered: str | None) -> None:
    step = following(answered, QUESTIONS[ctx.state.kind])
    if step == VOLUNTEER and not volunteers.volunteers(ctx.db, ctx.club.id):
        ctx.end()
        ctx.say(texts.NO_VOLUNTEERS)
        return
    ctx.go(step)


def keep(field: str, step: str) -> Callable[[Ctx, object], None]:
    """The `then` of a question whose answer is kept as it was read."""

    def then(ctx: Ctx, value: object) -> None:
        setattr(ctx.state, field, value)
        go_on(ctx, step)

    return then


def on_kind(ctx: Ctx, kind: str) -> None:
    if kind != ctx.state.kind:
        # Another kind asks other questions: none of the answers given for the one before carry over.
        for step in {step for asked in QUESTIONS.values() for step in asked}:
            ctx.forget(step)
        ctx.state = Meetings(kind=kind, area=KIND_AREAS[kind] or "")
    go_on(ctx, None)


# --- who: the volunteer, the member visited or helped ---------------------------------------------------


def not_a_volunteer(ctx: Ctx, member: Member) -> str | None:
    return None if volunteers.is_volunteer(ctx.db, member) else texts.not_a_volunteer(member)


def the_volunteer(ctx: Ctx, member: Member) -> str | None:
    return texts.SAME_PERSON if member.id == ctx.state.volunteer_id else None


def on_volunteer(ctx: Ctx, member: Member | None) -> None:
    ctx.state.volunteer_id = member.id if member else None
    go_on(ctx, VOLUNTEER)


def on_member(step: str) -> Callable[[Ctx, Member | None], None]:
    def picked(ctx: Ctx, member: Member | None) -> None:
        ctx.state.member_id = member.id if member else None
        go_on(ctx, step)

    return picked


# --- when, how many, how much, what ---------------------------------------------------------------------


def read_people(ctx: Ctx, ans: Answer) -> int:
    # A health check day counts the people checked, so it needs at least one; elsewhere 0 is an answer.
    least = 1 if ctx.state.kind == HEALTH_DAY else 0
    return parse_count(ans.text, least=least, most=MAX_PEOPLE, too_many=texts.too_many_people(MAX_PEOPLE))


def read_amount(ctx: Ctx, ans: Answer) -> int | None:
    return None if ans.choice == SKIP else parse_amount(ans.text)


def question(step: str, ask: Callable[[Ctx], Question | str], read, field: str, label: Callable[[], str]) -> Step:
    return Step(step, ask, read, keep(field, step), goes_to=may_follow(step), label=label)


# --- read back and save ---------------------------------------------------------------------------------


def new_activity(ctx: Ctx) -> NewActivity:
    state: Meetings = ctx.state
    assert state.activity_on is not None
    return NewActivity(
        kind=state.kind,
        area=state.area,
        held_on=state.activity_on,
        volunteer_id=state.volunteer_id,
        member_id=state.member_id,
        people=state.people,
        amount=state.amount,
        description=state.description,
    )


def summary(ctx: Ctx, activity: NewActivity | Activity) -> str:
    def member(member_id: int | None) -> Member | None:
        return members.get(ctx.db, ctx.club.id, member_id) if member_id else None

    return texts.activity_summary(
        activity.kind,
        activity.area,
        activity.held_on,
        member(activity.volunteer_id),
        member(activity.member_id),
        activity.people,
        activity.amount,
        activity.description,
    )


def save(ctx: Ctx) -> None:
    new = new_activity(ctx)
    ctx.end()
    if not ctx.can(LOG_MEETINGS):
        ctx.say(texts.CANNOT_LOG)
        return
    activity = activities.record(ctx.db, ctx.club.id, new, ctx.user)
    ctx.say(texts.activity_saved(summary(ctx, activity), coverage(ctx)))


def ask_date(ctx: Ctx) -> Question:
    return Question(texts.ask_activity_date(ctx.today), date_choices())


STEPS = [
    Step(
        KIND,
        lambda ctx: Question(texts.ASK_KIND, [Choice(kind, texts.kind_name(kind)) for kind in KIND_AREAS]),
        readers.choice,
        on_kind,
        goes_to=tuple(sorted({following(None, asked) for asked in QUESTIONS.values()})),
        label=lambda: texts.KIND_LABEL,
    ),
    member_step(
        VOLUNTEER,
        lambda ctx: texts.ASK_VOLUNTEER,
        on_volunteer,
        goes_to=may_follow(VOLUNTEER),
        offered=lambda ctx: volunteers.volunteers(ctx.db, ctx.club.id),
        check=not_a_volunteer,
        label=lambda: texts.VOLUNTEER_LABEL,
    ),
    member_step(
        VISITED,
        lambda ctx: texts.ASK_VISITED,
        on_member(VISITED),
        goes_to=may_follow(VISITED),
        check=the_volunteer,
        label=lambda: texts.VISITED_LABEL,
    ),
    member_step(
        HELPED,
        lambda ctx: texts.ASK_HELPED,
        on_member(HELPED),
        goes_to=may_follow(HELPED),
        skip=True,
        label=lambda: texts.HELPED_LABEL,
    ),
    question(
        AREA,
        lambda ctx: Question(texts.ASK_ACTIVITY_AREA, [Choice(a, texts.area_name(a), AREA_WORDS[a]) for a in AREAS]),
        read_area,
        "area",
        lambda: texts.AREA_LABEL,
    ),
    question(DATE, ask_date, read_date, "activity_on", lambda: texts.field_label("held_on")),
    # No Skip button for the count: a typed 1 would pick it instead of meaning one person.
    question(
        PEOPLE, lambda ctx: texts.ask_people(ctx.state.kind), read_people, "people", lambda: texts.PEOPLE_COUNT_LABEL
    ),
    question(
        AMOUNT,
        lambda ctx: Question(texts.ASK_AMOUNT, [skip_choice()]),
        read_amount,
        "amount",
        lambda: texts.AMOUNT_LABEL,
    ),
    question(
        NOTE,
        lambda ctx: Question(texts.ASK_NOTE, [skip_choice()]),
        free_text(MAX_DESCRIPTION),
        "description",
        lambda: texts.DESCRIPTION_LABEL,
    ),
    question(
        WHAT,
        lambda ctx: texts.ask_what(ctx.state.kind),
        free_text(MAX_DESCRIPTION),
        "description",
        lambda: texts.DESCRIPTION_LABEL,
    ),
    read_back(CONFIRM, lambda ctx: summary(ctx, new_activity(ctx)), save),
]
