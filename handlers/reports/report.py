"""/baocao: the half-year or annual report of the club, in chat, as an .xlsx to hand in and as a chart.

The board sees its club's report; the chair can then mark it as submitted ("Da nop"). An association reviewer
sees the combined report of every club that invited them, with the clubs that have not submitted. The reviewer
of a commune or a province (storage.area_reviewers) sees the combined report of every club there; a province's
reviewer may narrow it to one commune, picked or typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers import readers
from handlers.core import Answer, Choice, Ctx
from handlers.files import CLUB_CHART, CLUB_XLSX, DISTRICT_XLSX, Render
from handlers.flow import Flow, Question, Step, read_back
from handlers.i18n import current_language
from handlers.parsing import InputError, period_in_words
from handlers.reports import area_texts, texts
from handlers.roles import SUBMIT_REPORTS
from storage import area_reviewers, clubs, places, reports, submissions
from storage.models import AREA_REVIEWER, REVIEWER
from storage.names import clean
from storage.periods import Period, half_year_of, period
from storage.report_model import ClubReport, DistrictReport

MARK, DONE = "mark", "done"


@dataclass
class ReportRequest:
    period: str = ""
    full_name: str = ""
    area: str = ""  # a reviewer of a commune or a province: the area chosen (storage.area_reviewers.Area.key)
    part: str = ""  # the part of the report shown last (texts.PARTS), after the summary


def offered_periods(today: date) -> list[Period]:
    """The current half-year, the three before it, and the current and last reporting years."""
    halves = [half_year_of(today)]
    for _n in range(3):
        halves.append(half_year_of(halves[-1].start - timedelta(days=1)))
    year = int(halves[0].code[:4])
    return halves + [period(str(y)) for y in (year, year - 1)]


def start(ctx: Ctx, args: str) -> None:
    if not args.strip():
        ctx.go(PERIOD)
        return
    try:
        take_period(ctx, period_named(ctx, args.strip()))
    except InputError as problem:
        ctx.say(str(problem))


def ask_period(ctx: Ctx) -> Question:
    choices = [Choice(p.code, texts.period_label(p, ctx.today)) for p in offered_periods(ctx.today)]
    return Question(texts.ask_period(half_year_of(ctx.today)), choices)


def period_named(ctx: Ctx, code: str) -> Period:
    """The period named in words ("6 thang dau nam 2025", "ky truoc") or by its code ("2025-H1"), if it has
    begun."""
    try:
        chosen = period(period_in_words(code, ctx.today) or code)
    except ValueError as unknown:
        raise InputError(texts.BAD_PERIOD) from unknown
    if chosen.start > ctx.today:
        raise InputError(texts.FUTURE_PERIOD)
    return chosen


def read_period(ctx: Ctx, ans: Answer) -> Period:
    return period_named(ctx, ans.choice or ans.text)


def take_period(ctx: Ctx, chosen: Period) -> None:
    ctx.state.period = chosen.code
    if signing_name(ctx) is None:
        ctx.go(FULL_NAME)
    else:
        produce(ctx)


def signing_name(ctx: Ctx) -> str | None:
    """The full name on the person's seat in this club (or, for the reviewer of a commune or a province, on their
    area seats): the report is signed with it, not the chat name."""
    if ctx.club is None:
        return area_reviewers.signing_name(ctx.db, ctx.user.id)
    return clubs.signing_name(ctx.db, ctx.club.id, ctx.user.id)


# Letters, with a space, hyphen, dot or apostrophe between words.
_FULL_NAME = re.compile(r"^[^\W\d_]+(?:[ '.\-][^\W\d_]+)*$")


def parse_full_name(text: str) -> str | None:
    name = clean(text)
    return name if 2 <= len(name) <= 100 and _FULL_NAME.match(name) else None


def read_full_name(ctx: Ctx, ans: Answer) -> str:
    name = parse_full_name(ans.text)
    if name is None:
        raise InputError(texts.BAD_FULL_NAME)
    return name


def on_full_name(ctx: Ctx, name: str) -> None:
    ctx.state.full_name = name
    ctx.go(SAVE_NAME)


def save_name(ctx: Ctx) -> None:
    if ctx.club is None:  # the reviewer of a commune or a province
        area_reviewers.set_signing_name(ctx.db, ctx.user.id, ctx.state.full_name)
        ctx.say(texts.full_name_saved(ctx.state.full_name))
        produce(ctx)
        return
    # The dispatcher checked the role again for this answer, so the seat is still there.
    seat = clubs.seat(ctx.db, ctx.club.id, ctx.user.id)
    clubs.set_signing_name(ctx.db, seat, ctx.state.full_name, ctx.user)
    ctx.say(texts.full_name_saved(seat.full_name))
    produce(ctx)


def produce(ctx: Ctx) -> None:
    chosen = period(ctx.state.period)
    if ctx.role in (REVIEWER, AREA_REVIEWER) and (areas := area_reviewers.areas_of(ctx.db, ctx.user.id)):
        if len(areas) == 1 and areas[0].commune_code is not None:
            area_report(ctx, chosen, areas[0])
        else:
            ctx.go(AREA)
    elif ctx.role == REVIEWER:
        district(ctx, chosen)
    else:
        club(ctx, chosen)


# --- the reviewer of a commune or a province --------------------------------------------------------------

MOST_COMMUNES_OFFERED = 12  # a province's communes with the most clubs offered as choices; any other is typed


def area_choices(ctx: Ctx) -> list[Choice]:
    """Each area the person reviews; for a province, the whole of it, then its communes with the most clubs."""
    found: list[Choice] = []
    areas = area_reviewers.areas_of(ctx.db, ctx.user.id)
    for area in areas:
        if area.commune_code is not None:
            if not any(other != area and other.covers(area) for other in areas):  # else offered under its province
                found.append(Choice(area.key, area.name()))
            continue
        found.append(Choice(area.key, area_texts.whole_province(area.name())))
        with_clubs = area_reviewers.communes_with_clubs(ctx.db, area.province_code)
        with_clubs.sort(key=lambda pair: -pair[1])
        for code, n in with_clubs[:MOST_COMMUNES_OFFERED]:
            commune = places.commune(code)
            if commune is not None:
                found.append(Choice(f"{area.province_code}/{code}", area_texts.commune_choice(commune.name, n)))
    return found


def ask_area(ctx: Ctx) -> Question:
    return Question(area_texts.ask_area(), area_choices(ctx))


def read_area(ctx: Ctx, ans: Answer) -> area_reviewers.Area:
    """A choice, or a commune's name typed: within the areas the person reviews, or asked again."""
    if ans.choice:
        wanted = area_reviewers.Area.of_key(ans.choice)
        if not (area_reviewers.valid(wanted) and area_reviewers.may_read(ctx.db, ctx.user.id, wanted)):
            raise InputError(area_texts.NOT_YOUR_AREA)
        return wanted
    mine = area_reviewers.areas_of(ctx.db, ctx.user.id)
    candidates: list[places.Place] = []
    nearest: list[places.Place] = []
    for province_code in dict.fromkeys(area.province_code for area in mine):
        found = places.find_commune(ans.text, province_code)
        matched = [found.exact] if found.exact is not None else list(found.candidates)
        candidates += [p for p in matched if area_reviewers.may_read(ctx.db, ctx.user.id, _area_of(p))]
        nearest += [p for p in found.nearest if area_reviewers.may_read(ctx.db, ctx.user.id, _area_of(p))]
    if len(candidates) == 1:
        return _area_of(candidates[0])
    if candidates:
        raise InputError(area_texts.several_communes(clean(ans.text), [p.name for p in candidates]))
    raise InputError(area_texts.no_commune(clean(ans.text), [p.name for p in nearest]))


def _area_of(commune: places.Place) -> area_reviewers.Area:
    return area_reviewers.Area(commune.province_code, commune.code)


def on_area(ctx: Ctx, area: area_reviewers.Area) -> None:
    area_report(ctx, period(ctx.state.period), area)


def readable_area_report(ctx: Ctx, chosen: Period, area: area_reviewers.Area) -> DistrictReport | None:
    """The area's combined report; None when the person may not read it (checked again each time: a seat may have
    been removed since the question)."""
    if not (area_reviewers.valid(area) and area_reviewers.may_read(ctx.db, ctx.user.id, area)):
        return None
    return reports.area_report(
        ctx.db, chosen, province_code=area.province_code, commune_code=area.commune_code, today=ctx.today
    )


def reviewed_club_ids(ctx: Ctx) -> list[int]:
    return [club.id for club, role in clubs.seats_of(ctx.db, ctx.user) if role == REVIEWER]


def area_report(ctx: Ctx, chosen: Period, area: area_reviewers.Area) -> None:
    """The combined report of the commune or the province, every club there, with those not yet submitted."""
    combined = readable_area_report(ctx, chosen, area)
    if combined is None:
        ctx.say(area_texts.NOT_YOUR_AREA)
        ctx.end()
        return
    ctx.state.area = area.key
    ctx.say(texts.district_summary(combined))
    if ctx.msg.is_group:
        ctx.say(texts.FILES_IN_PRIVATE_CHAT)
    elif combined.clubs:
        name = f"{area.commune_code or area.province_code}-{chosen.code}"
        ctx.say(
            texts.district_caption(combined),
            render=file(ctx, DISTRICT_XLSX, combined, f"baocao-tonghop-{name}.xlsx", signing_name(ctx)),
        )
    ctx.go(PARTS)


def zone(ctx: Ctx) -> ZoneInfo:
    return ZoneInfo(ctx.settings.timezone)


def file(ctx: Ctx, kind: str, report: ClubReport | DistrictReport, filename: str, signed: str | None) -> Render:
    """What the dispatcher is to make once this update has committed (handlers/files.py)."""
    return Render(
        kind, report, filename, language=current_language(), today=ctx.today, zone=zone(ctx), prepared_by=signed
    )


def club(ctx: Ctx, chosen: Period) -> None:
    report = reports.club_report(ctx.db, ctx.club.id, chosen, series=True, today=ctx.today)
    ctx.say(texts.club_summary(report, zone(ctx)))
    if ctx.msg.is_group:
        # The .xlsx goes to the district as it is and the chart draws every count: neither fits a group chat.
        ctx.say(texts.FILES_IN_PRIVATE_CHAT)
    else:
        name, signed = f"{report.club.code}-{chosen.code}", signing_name(ctx)
        ctx.say(texts.xlsx_caption(report), render=file(ctx, CLUB_XLSX, report, f"baocao-{name}.xlsx", signed))
        ctx.say(texts.chart_caption(report), render=file(ctx, CLUB_CHART, report, f"bieudo-{name}.png", signed))
    ctx.go(PARTS)


# --- the parts of the report, after its summary -----------------------------------------------------------


def report_parts(ctx: Ctx) -> dict[str, str] | None:
    """The parts of the report asked for, made again from the books as they are now; None when the person may no
    longer read it (a reviewer's seat or area removed since)."""
    chosen, in_group = period(ctx.state.period), ctx.msg.is_group
    if ctx.club is not None and ctx.role not in (REVIEWER, AREA_REVIEWER):
        return texts.club_parts(reports.club_report(ctx.db, ctx.club.id, chosen, today=ctx.today), in_group)
    combined = combined_report(ctx, chosen)
    return texts.district_parts(combined, in_group) if combined is not None else None


def combined_report(ctx: Ctx, chosen: Period) -> DistrictReport | None:
    if ctx.state.area:
        return readable_area_report(ctx, chosen, area_reviewers.Area.of_key(ctx.state.area))
    club_ids = reviewed_club_ids(ctx)
    return reports.district_report(ctx.db, chosen, club_ids=club_ids, today=ctx.today) if club_ids else None


def may_mark(ctx: Ctx) -> bool:
    """The chair of a club whose report is not marked submitted yet."""
    if ctx.club is None or ctx.role not in SUBMIT_REPORTS:
        return False
    return submissions.submission(ctx.db, ctx.club.id, ctx.state.period) is None


def ask_part(ctx: Ctx) -> Question:
    shown = report_parts(ctx) or {}
    choices = [Choice(part, texts.part_label(part)) for part in shown]  # the same every time: the same numbers
    question = texts.ask_part(again=bool(ctx.state.part))
    if may_mark(ctx):
        choices.append(Choice(MARK, texts.MARK_LABEL))
        question = question if ctx.state.part else f"{question}\n{texts.next_step(False)}"
    return Question(question, [*choices, Choice(DONE, texts.DONE_LABEL)])


def on_part(ctx: Ctx, choice: str) -> None:
    if choice == MARK:
        ctx.go(SUBMIT)
        return
    shown = report_parts(ctx) if choice != DONE else {}
    if shown is None:
        ctx.end()
        ctx.say(area_texts.NOT_YOUR_AREA)
    elif choice in shown:
        ctx.say(shown[choice], is_list=True)  # a list the person asked for: as long as it is
        ctx.state.part = choice
        ctx.go(PARTS)
    else:
        ctx.end()


def submit_summary(ctx: Ctx) -> str:
    report = reports.club_report(ctx.db, ctx.club.id, period(ctx.state.period), today=ctx.today)
    return texts.confirm_submit(report, signing_name(ctx) or ctx.user.display_name)


def submit(ctx: Ctx) -> None:
    if ctx.role not in SUBMIT_REPORTS:  # the role may have changed since the question
        ctx.end()
        ctx.say(texts.ONLY_CHAIR_SUBMITS)
        return
    code = ctx.state.period
    record = submissions.mark_submitted(ctx.db, ctx.club.id, code, ctx.user)
    ctx.end()
    ctx.say(texts.submitted_now(code, texts.local_day(record.submitted_at, zone(ctx))))


def district(ctx: Ctx, chosen: Period) -> None:
    club_ids = reviewed_club_ids(ctx)
    if not club_ids:
        ctx.say(texts.NO_CLUBS_TO_REVIEW)
        ctx.end()
        return
    combined = reports.district_report(ctx.db, chosen, club_ids=club_ids, today=ctx.today)
    ctx.say(texts.district_summary(combined))
    if ctx.msg.is_group:
        ctx.say(texts.FILES_IN_PRIVATE_CHAT)
    else:
        ctx.say(
            texts.district_caption(combined),
            render=file(ctx, DISTRICT_XLSX, combined, f"baocao-tonghop-{chosen.code}.xlsx", signing_name(ctx)),
        )
    ctx.go(PARTS)


# Picking the period is only the way to a report, not work to lose: it has no label.
PERIOD = Step("period", ask_period, read_period, take_period, goes_to=("full_name", "parts", "area"))
AREA = Step("area", ask_area, read_area, on_area, goes_to=("parts",))
FULL_NAME = Step(
    "full_name",
    lambda ctx: texts.ASK_FULL_NAME,
    read_full_name,
    on_full_name,
    goes_to=("save_name",),
    label=lambda: texts.FULL_NAME_LABEL,
)
SAVE_NAME = read_back(
    "save_name", lambda ctx: texts.confirm_full_name(ctx.state.full_name), save_name, goes_to=("parts", "area")
)
# Showing a part is no answer to lose, and "back" from one shows the one before: no label.
PARTS = Step("parts", ask_part, readers.choice, on_part, goes_to=("submit",))
SUBMIT = read_back("submit", submit_summary, submit, save_label=lambda: texts.MARK_LABEL)

flow = Flow(
    "report",
    start=start,
    steps=[PERIOD, FULL_NAME, SAVE_NAME, AREA, PARTS, SUBMIT],
    state=ReportRequest,
    first=("period", "full_name", "parts", "area"),
)
