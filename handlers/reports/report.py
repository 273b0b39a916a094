"""/baocao: the half-year or annual report of the club, in chat, as an .xlsx to hand in and as a chart.

The board sees its club's report; the chair can then mark it as submitted ("Da nop"). A district reviewer
sees the combined report of every club that invited them, with the clubs that have not submitted.
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
from handlers.parsing import InputError
from handlers.reports import texts
from handlers.roles import SUBMIT_REPORTS
from storage import clubs, reports, submissions
from storage.models import REVIEWER
from storage.names import clean
from storage.periods import Period, half_year_of, period
from storage.report_model import ClubReport, DistrictReport

MARK, DONE = "mark", "done"


@dataclass
class ReportRequest:
    period: str = ""
    full_name: str = ""


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
    """The period a code names ("2025-H1", "2025"), if it has begun."""
    try:
        chosen = period(code)
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
    """The full name on the person's seat in this club: the report is signed with it, not the chat name."""
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
    # The dispatcher checked the role again for this answer, so the seat is still there.
    seat = clubs.seat(ctx.db, ctx.club.id, ctx.user.id)
    clubs.set_signing_name(ctx.db, seat, ctx.state.full_name, ctx.user)
    ctx.say(texts.full_name_saved(seat.full_name))
    produce(ctx)


def produce(ctx: Ctx) -> None:
    chosen = period(ctx.state.period)
    if ctx.role == REVIEWER:
        district(ctx, chosen)
    else:
        club(ctx, chosen)


def zone(ctx: Ctx) -> ZoneInfo:
    return ZoneInfo(ctx.settings.timezone)


def file(ctx: Ctx, kind: str, report: ClubReport | DistrictReport, filename: str, signed: str | None) -> Render:
    """What the dispatcher is to make once this update has committed (handlers/files.py)."""
    return Render(
        kind, report, filename, language=current_language(), today=ctx.today, zone=zone(ctx), prepared_by=signed
    )


def club(ctx: Ctx, chosen: Period) -> None:
    report = reports.club_report(ctx.db, ctx.club.id, chosen, series=True, today=ctx.today)
    ctx.say(texts.report_text(report, zone(ctx), in_group=ctx.msg.is_group))
    if ctx.msg.is_group:
        # The .xlsx goes to the district as it is and the chart draws every count: neither fits a group chat.
        ctx.say(texts.FILES_IN_PRIVATE_CHAT)
    else:
        name, signed = f"{report.club.code}-{chosen.code}", signing_name(ctx)
        ctx.say(texts.xlsx_caption(report), render=file(ctx, CLUB_XLSX, report, f"baocao-{name}.xlsx", signed))
        ctx.say(texts.chart_caption(report), render=file(ctx, CLUB_CHART, report, f"bieudo-{name}.png", signed))
    if ctx.role in SUBMIT_REPORTS and not report.submitted:
        ctx.go(AFTER)
    else:
        ctx.end()


def on_after(ctx: Ctx, choice: str) -> None:
    if choice == MARK:
        ctx.go(SUBMIT)
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
    club_ids = [club.id for club, role in clubs.seats_of(ctx.db, ctx.user) if role == REVIEWER]
    if not club_ids:
        ctx.say(texts.NO_CLUBS_TO_REVIEW)
        ctx.end()
        return
    combined = reports.district_report(ctx.db, chosen, club_ids=club_ids, today=ctx.today)
    ctx.say(texts.district_text(combined, in_group=ctx.msg.is_group))
    if ctx.msg.is_group:
        ctx.say(texts.FILES_IN_PRIVATE_CHAT)
    else:
        ctx.say(
            texts.district_caption(combined),
            render=file(ctx, DISTRICT_XLSX, combined, f"baocao-tonghop-{chosen.code}.xlsx", signing_name(ctx)),
        )
    ctx.end()


# Picking the period is only the way to a report, not work to lose: it has no label.
PERIOD = Step("period", ask_period, read_period, take_period, goes_to=("full_name", "after"))
FULL_NAME = Step(
    "full_name",
    lambda ctx: texts.ASK_FULL_NAME,
    read_full_name,
    on_full_name,
    goes_to=("save_name",),
    label=lambda: texts.FULL_NAME_LABEL,
)
SAVE_NAME = read_back(
    "save_name", lambda ctx: texts.confirm_full_name(ctx.state.full_name), save_name, goes_to=("after",)
)
AFTER = Step(
    "after",
    lambda ctx: Question(texts.next_step(False), [Choice(MARK, texts.MARK_LABEL), Choice(DONE, texts.DONE_LABEL)]),
    readers.choice,
    on_after,
    goes_to=("submit",),
)
SUBMIT = read_back("submit", submit_summary, submit, save_label=lambda: texts.MARK_LABEL)

flow = Flow(
    "report",
    start=start,
    steps=[PERIOD, FULL_NAME, SAVE_NAME, AFTER, SUBMIT],
    state=ReportRequest,
    first=("period", "full_name", "after"),
)
