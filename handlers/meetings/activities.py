"""Activities outside meetings: home-care visits, health check days, events, rights cases, resources.

Each kind asks its own short list of questions (QUESTIONS), then reads back before saving. The area an
activity counts for follows from its kind; "other" asks for it.
"""

from __future__ import annotations

from datetime import date

from handlers.core import SKIP, Answer, Choice, Ctx, choose_one, confirmed, skip_choice
from handlers.meetings import texts
from handlers.meetings.common import coverage, date_choices, flow, read_date, read_free_text
from handlers.meetings.picking import ask_member, member_picked
from handlers.meetings.reading import AREA_WORDS, parse_count
from handlers.parsing import InputError, parse_amount
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

# "note" is an optional description, "what" a required one.
QUESTIONS = {
    HOME_VISIT: ("volunteer", "visited", "date", "note"),
    HEALTH_DAY: ("date", "people", "note"),
    CULTURE_EVENT: ("date", "people", "note"),
    RIGHTS_CASE: ("helped", "date", "what"),
    RESOURCES_RAISED: ("date", "amount", "what"),
    OTHER_ACTIVITY: ("area", "date", "people", "what"),
}
MAX_PEOPLE = 5000  # a commune festival, not a typing slip
MAX_DESCRIPTION = 1000


def start_activity(ctx: Ctx) -> None:
    ctx.data = {}
    ctx.ask("act_kind", texts.ask_kind(), [Choice(kind, texts.kind_name(kind)) for kind in KIND_AREAS])


@flow.step("act_kind")
def on_kind(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in KIND_AREAS:
        ctx.retry(choose_one())
        return
    ctx.data.update(activity={"kind": ans.choice, "area": KIND_AREAS[ans.choice]}, todo=list(QUESTIONS[ans.choice]))
    ask_next(ctx)


def _activity(ctx: Ctx) -> dict:
    return ctx.data["activity"]


def ask_next(ctx: Ctx) -> None:
    todo = ctx.data["todo"]
    if todo:
        ASK[todo.pop(0)](ctx)
    else:
        confirm_activity(ctx)


# --- who: the volunteer, the member visited or helped ---------------------------------------------------


def ask_volunteer(ctx: Ctx) -> None:
    serving = volunteers.volunteers(ctx.db, ctx.club.id)
    if not serving:
        ctx.end()
        ctx.say(texts.no_volunteers())
        return
    ask_member(ctx, "volunteer", texts.ask_volunteer(), serving)


@member_picked("volunteer")
def on_volunteer(ctx: Ctx, member: Member | None) -> None:
    if member is None or not volunteers.is_volunteer(ctx.db, member):
        ctx.retry(texts.not_a_volunteer(member) if member else choose_one())
        return
    _activity(ctx)["volunteer_id"] = member.id
    ask_next(ctx)


@member_picked("visited")
def on_visited(ctx: Ctx, member: Member | None) -> None:
    if member is None or member.id == _activity(ctx).get("volunteer_id"):
        ctx.retry(texts.same_person() if member else choose_one())
        return
    _activity(ctx)["member_id"] = member.id
    ask_next(ctx)


@member_picked("helped")
def on_helped(ctx: Ctx, member: Member | None) -> None:
    _activity(ctx)["member_id"] = member.id if member else None
    ask_next(ctx)


# --- when, how many, how much, what ---------------------------------------------------------------------


@flow.step("act_date")
def on_date(ctx: Ctx, ans: Answer) -> None:
    try:
        _activity(ctx)["held_on"] = read_date(ctx, ans).isoformat()
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ask_next(ctx)


@flow.step("act_people")
def on_people(ctx: Ctx, ans: Answer) -> None:
    # A health check day counts the people checked, so it needs at least one; elsewhere 0 is an answer.
    least = 1 if _activity(ctx)["kind"] == HEALTH_DAY else 0
    try:
        people = parse_count(ans.text, least=least, most=MAX_PEOPLE, too_many=texts.too_many_people(MAX_PEOPLE))
    except InputError as problem:
        ctx.retry(str(problem))
        return
    _activity(ctx)["people"] = people
    ask_next(ctx)


@flow.step("act_amount")
def on_amount(ctx: Ctx, ans: Answer) -> None:
    try:
        _activity(ctx)["amount"] = None if ans.choice == SKIP else parse_amount(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ask_next(ctx)


@flow.step("act_note")
@flow.step("act_what")
def on_description(ctx: Ctx, ans: Answer) -> None:
    try:
        _activity(ctx)["description"] = read_free_text(ans, MAX_DESCRIPTION)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ask_next(ctx)


@flow.step("act_area")
def on_area(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in AREAS:
        ctx.retry(texts.pick_one_area())
        return
    _activity(ctx)["area"] = ans.choice
    ask_next(ctx)


ASK = {
    "volunteer": ask_volunteer,
    "visited": lambda ctx: ask_member(ctx, "visited", texts.ask_visited()),
    "helped": lambda ctx: ask_member(ctx, "helped", texts.ask_helped(), skip=True),
    "date": lambda ctx: ctx.ask("act_date", texts.ask_activity_date(), date_choices()),
    # No Skip button: a typed 1 would pick it instead of meaning one person.
    "people": lambda ctx: ctx.ask("act_people", texts.ask_people(_activity(ctx)["kind"])),
    "amount": lambda ctx: ctx.ask("act_amount", texts.ask_amount(), [skip_choice()]),
    "note": lambda ctx: ctx.ask("act_note", texts.ask_note(), [skip_choice()]),
    "what": lambda ctx: ctx.ask("act_what", texts.ask_what(_activity(ctx)["kind"])),
    "area": lambda ctx: ctx.ask(
        "act_area", texts.ask_activity_area(), [Choice(a, texts.area_name(a), AREA_WORDS[a]) for a in AREAS]
    ),
}


# --- read back and save ---------------------------------------------------------------------------------


def _new_activity(ctx: Ctx) -> NewActivity:
    values = dict(_activity(ctx))
    values["held_on"] = date.fromisoformat(values["held_on"])
    return NewActivity(**values)


def _summary(ctx: Ctx, activity: NewActivity | Activity) -> str:
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


def confirm_activity(ctx: Ctx) -> None:
    ctx.confirm("confirm_activity", _summary(ctx, _new_activity(ctx)))


@flow.step("confirm_activity")
def on_confirm_activity(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    new = _new_activity(ctx)
    ctx.end()
    if not ctx.can(LOG_MEETINGS):
        ctx.say(texts.cannot_log())
        return
    activity = activities.record(ctx.db, ctx.club.id, new, ctx.user)
    ctx.say(texts.activity_saved(_summary(ctx, activity), coverage(ctx)))
