"""Registering a club: its name and place, its founding decision and meeting day, read back, then saved with
the person as its chair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers import readers
from handlers.core import Ctx, skip_choice
from handlers.flow import Question, Step, read_back
from handlers.general import address
from handlers.onboarding import places, texts
from handlers.onboarding.places import MAX_PLACE
from handlers.parsing import parse_meeting_day
from storage import clubs
from storage import places as official
from storage.clubs import NewClub
from storage.places import Place


@dataclass
class Registration:
    name: str = ""
    village: str = ""
    province_code: str | None = None
    province: str = ""  # the official name (storage.places)
    commune_code: str | None = None
    commune: str = ""
    district: str = ""  # the former district, as typed; "" when skipped
    decision: str | None = None
    founded_on: date | None = None
    meeting_day: int = 0
    invite: str = ""  # when joining with a code instead (handlers.onboarding.join)


place_name = readers.text(lambda: texts.PLACE_NAME_PROBLEM, shortest=2, longest=MAX_PLACE, letters=True)


def place_step(name: str, question: str, label: str, then_ask: str) -> Step:
    """One of the club's name and place: kept as typed, then the next question (or the read-back, when this
    answer was being changed)."""

    def then(ctx: Ctx, value: str) -> None:
        setattr(ctx.state, name, value)
        ctx.go(then_ask)

    return Step(name, lambda ctx: question, place_name, then, goes_to=(then_ask,), label=lambda: label)


def on_province(ctx: Ctx, place: Place) -> None:
    places.keep_province(ctx, place)
    ctx.go(COMMUNE)


def on_commune(ctx: Ctx, place: Place) -> None:
    places.keep_commune(ctx, place)
    ctx.go(DISTRICT)


def on_district(ctx: Ctx, district: str) -> None:
    ctx.state.district = district
    ctx.go(DECISION)


def on_decision(ctx: Ctx, decision: str | None) -> None:
    ctx.state.decision = decision
    if decision is None:
        ctx.state.founded_on = None  # no decision, so no date it was signed
        ctx.go(MEETING_DAY)
    else:
        ctx.forget(FOUNDED_ON.name)  # a new decision has its own date
        ctx.go(FOUNDED_ON)


def on_founded_on(ctx: Ctx, founded_on: date | None) -> None:
    ctx.state.founded_on = founded_on
    ctx.go(MEETING_DAY)


def on_meeting_day(ctx: Ctx, meeting_day: int) -> None:
    ctx.state.meeting_day = meeting_day
    ctx.go(CONFIRM)


def new_club(ctx: Ctx) -> NewClub:
    state: Registration = ctx.state
    return NewClub(
        name=state.name,
        village=state.village,
        commune=state.commune,
        district=state.district,
        province=state.province,
        meeting_day=state.meeting_day,
        founding_decision=state.decision,
        founded_on=state.founded_on,
        province_code=state.province_code,
        commune_code=state.commune_code,
    )


def save(ctx: Ctx) -> None:
    club = clubs.create_club(ctx.db, ctx.user, new_club(ctx))
    ctx.say(texts.registered(club))
    address.ask_once(ctx)


PROVINCE = Step(
    "province",
    places.ask_province,
    places.place_reader(official.PROVINCE),
    on_province,
    goes_to=("commune",),
    label=lambda: texts.PROVINCE_LABEL,
)
COMMUNE = Step(
    "commune",
    places.ask_commune,
    places.place_reader(official.COMMUNE),
    on_commune,
    goes_to=("district",),
    label=lambda: texts.COMMUNE_LABEL,
)
DISTRICT = Step(
    "district",
    places.ask_district,
    places.district_reader(),
    on_district,
    goes_to=("decision",),
    label=lambda: texts.DISTRICT_LABEL,
)
DECISION = Step(
    "decision",
    lambda ctx: Question(texts.ASK_DECISION, [skip_choice()]),
    readers.or_skip(readers.text(lambda: texts.PLACE_NAME_PROBLEM, shortest=2, longest=MAX_PLACE)),
    on_decision,
    goes_to=("founded_on", "meeting_day"),
    label=lambda: texts.DECISION_LABEL,
)
FOUNDED_ON = Step(
    "founded_on",
    lambda ctx: Question(texts.ASK_FOUNDED_ON, [skip_choice()]),
    readers.or_skip(readers.past_date()),
    on_founded_on,
    goes_to=("meeting_day",),
    label=lambda: texts.FOUNDED_ON_LABEL,
)
MEETING_DAY = Step(
    "meeting_day",
    lambda ctx: texts.ASK_MEETING_DAY,
    readers.number(parse_meeting_day),
    on_meeting_day,
    goes_to=("confirm",),
    label=lambda: texts.MEETING_DAY_LABEL,
)
CONFIRM = read_back(
    "confirm", lambda ctx: texts.club_summary(new_club(ctx), ctx.user.display_name), save, goes_to=(address.STEP,)
)

STEPS = [
    place_step("name", texts.ASK_NAME, texts.NAME_LABEL, "village"),
    place_step("village", texts.ASK_VILLAGE, texts.VILLAGE_LABEL, "province"),
    PROVINCE,
    COMMUNE,
    DISTRICT,
    DECISION,
    FOUNDED_ON,
    MEETING_DAY,
    CONFIRM,
]
