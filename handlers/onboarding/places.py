"""A club's place on the 2025 map, typed in the chat: the province, then the commune within it, each matched with
the official list (storage.places) however it is typed, and the former district its old papers may name.

The readers here serve the registration (/start), the chair's change of the club's place (/noi, also from
/bancn) and the one question put to the chair of a club registered before the 2025 map that could not be
placed (the dispatcher starts the /noi flow for them, once).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers import readers
from handlers.core import SKIP, Answer, Choice, Ctx, skip_choice
from handlers.flow import Flow, Question, Reader, Step, read_back
from handlers.onboarding import texts
from handlers.parsing import InputError
from storage import clubs, places
from storage.places import Found, Place

MAX_PLACE = 200
MOST_CHOICES = 8  # more candidates than this: type more of the name
FROM_DISPATCHER = "unplaced"  # the args the dispatcher starts the flow with, for a club it could not place


def province_of(ctx: Ctx) -> Place:
    place = places.province(ctx.state.province_code)
    assert place is not None
    return place


def _offered(found: Found, level: str, ctx: Ctx) -> InputError:
    """What to say when the typed name is not exactly one place: the candidates to pick from, or the nearest
    names, or how to type it."""
    typed = found.typed if len(found.typed) <= 40 else found.typed[:37] + "..."
    where = province_of(ctx).name if level == places.COMMUNE else None
    if len(found.candidates) > MOST_CHOICES:
        return InputError(texts.too_many_places(typed, len(found.candidates)), ())
    if found.candidates:
        choices = [Choice(place.code, place.name) for place in found.candidates]
        return InputError(texts.places_to_pick(typed), choices)
    choices = [Choice(place.code, place.name) for place in found.nearest]
    return InputError(texts.place_not_found(typed, where, bool(choices)), choices)


def place_reader(level: str, skippable: bool = False) -> Reader:
    """The province (level PROVINCE) or the commune of the province in the state (COMMUNE): one picked from the
    choices offered, or typed and exactly one place; otherwise the question again with the places to pick."""

    def read(ctx: Ctx, ans: Answer) -> Place | None:
        if skippable and ans.choice == SKIP:
            return None
        if ans.choice is not None:
            picked = places.province(ans.choice) if level == places.PROVINCE else places.commune(ans.choice)
            if picked is not None and (level == places.PROVINCE or picked.province_code == ctx.state.province_code):
                return picked
        own = [skip_choice()] if skippable else []  # the question's own choices, offered again with a problem
        if not any(ch.isalpha() for ch in ans.text):
            raise InputError(str(texts.PLACE_NAME_PROBLEM), own)
        if len(ans.text) > MAX_PLACE:
            raise InputError(str(texts.PLACE_TOO_LONG), own)
        if level == places.PROVINCE:
            found = places.find_province(ans.text)
        else:
            found = places.find_commune(ans.text, ctx.state.province_code)
        if found.exact is not None:
            return found.exact
        problem = _offered(found, level, ctx)
        problem.choices = [*(problem.choices or ()), *own]
        raise problem

    return read


KEEP = "keep"


def district_reader() -> Reader:
    """The former district, optional: "" when skipped; the one already kept when the person keeps it."""
    text = readers.text(lambda: texts.PLACE_NAME_PROBLEM, shortest=2, longest=MAX_PLACE, letters=True)

    def read(ctx: Ctx, ans: Answer) -> str:
        if ans.choice == KEEP:
            return str(ctx.state.district)
        return "" if ans.choice == SKIP else text(ctx, ans)

    return read


def ask_province(ctx: Ctx) -> Question:
    return Question(texts.ASK_PROVINCE)


def ask_commune(ctx: Ctx) -> Question:
    return Question(texts.ask_commune(province_of(ctx).name))


def ask_district(ctx: Ctx) -> Question:
    return Question(texts.ASK_DISTRICT, [skip_choice()])


def ask_club_district(ctx: Ctx) -> Question:
    """For a club already registered: its former district as kept, to keep with one press."""
    kept = [Choice(KEEP, texts.keep_district(ctx.state.district))] if ctx.state.district else []
    return Question(texts.ASK_DISTRICT, [*kept, skip_choice()])


def keep_province(ctx: Ctx, place: Place) -> None:
    """Keep the province; a new one forgets the commune answered for the old one."""
    if place.code != ctx.state.province_code:
        ctx.state.commune_code, ctx.state.commune = None, ""
        ctx.forget("commune")
    ctx.state.province_code, ctx.state.province = place.code, place.name


def keep_commune(ctx: Ctx, place: Place) -> None:
    ctx.state.commune_code, ctx.state.commune = place.code, place.name


# --- /noi: the club's place, changed by its chair --------------------------------------------------------


@dataclass
class ClubPlace:
    province_code: str | None = None
    province: str = ""
    commune_code: str | None = None
    commune: str = ""
    district: str = ""
    unplaced: bool = False  # asked by the dispatcher, for a club the 2025 map migration could not place


def start(ctx: Ctx, args: str) -> None:
    club = ctx.club
    ctx.state.district = club.district
    if args == FROM_DISPATCHER:
        ctx.state.unplaced = True
        ctx.say(texts.place_unknown(club.name, club.commune, club.province))
        if club.province_code is not None:
            ctx.state.province_code, ctx.state.province = club.province_code, club.province
            ctx.go(COMMUNE)
            return
    else:
        ctx.say(texts.place_now(club.name, texts.place(club)))
    ctx.go(PROVINCE)


def on_province(ctx: Ctx, place: Place | None) -> None:
    if place is None:
        skipped(ctx)
        return
    keep_province(ctx, place)
    ctx.go(COMMUNE)


def on_commune(ctx: Ctx, place: Place | None) -> None:
    if place is None:
        skipped(ctx)
        return
    keep_commune(ctx, place)
    ctx.go(DISTRICT)


def skipped(ctx: Ctx) -> None:
    ctx.end()
    ctx.say(texts.PLACE_SKIPPED)


def ask_place_province(ctx: Ctx) -> Question:
    return Question(texts.ASK_PROVINCE, [skip_choice()] if ctx.state.unplaced else [])


def ask_place_commune(ctx: Ctx) -> Question:
    return Question(texts.ask_commune(province_of(ctx).name), [skip_choice()] if ctx.state.unplaced else [])


def summary(ctx: Ctx) -> str:
    state: ClubPlace = ctx.state
    return texts.place_summary(
        ctx.club.name, texts.place_of(ctx.club.village, state.commune, state.province), state.district
    )


def save(ctx: Ctx) -> None:
    state: ClubPlace = ctx.state
    province, commune = places.province(state.province_code or ""), places.commune(state.commune_code or "")
    assert province is not None and commune is not None
    clubs.set_place(ctx.db, ctx.club, ctx.user, province, commune, state.district)
    ctx.end()
    ctx.say(texts.PLACE_SAVED)


def read_province(ctx: Ctx, ans: Answer) -> Place | None:
    return place_reader(places.PROVINCE, skippable=ctx.state.unplaced)(ctx, ans)


def read_commune(ctx: Ctx, ans: Answer) -> Place | None:
    return place_reader(places.COMMUNE, skippable=ctx.state.unplaced)(ctx, ans)


PROVINCE = Step(
    "province", ask_place_province, read_province, on_province, goes_to=("commune",), label=lambda: texts.PROVINCE_LABEL
)
COMMUNE = Step(
    "commune", ask_place_commune, read_commune, on_commune, goes_to=("district",), label=lambda: texts.COMMUNE_LABEL
)


def on_district(ctx: Ctx, district: str) -> None:
    ctx.state.district = district
    ctx.go(CONFIRM)


DISTRICT = Step(
    "district",
    ask_club_district,
    district_reader(),
    on_district,
    goes_to=("confirm",),
    label=lambda: texts.DISTRICT_LABEL,
)
CONFIRM = read_back("confirm", summary, save)

flow = Flow(
    "place", start=start, steps=[PROVINCE, COMMUNE, DISTRICT, CONFIRM], state=ClubPlace, first=("province", "commune")
)
