"""/baocao: the half-year or annual report of the club, in chat, as an .xlsx to hand in and as a chart.

The board sees its club's report; the chair can then mark it as submitted ("Da nop"). A district reviewer
sees the combined report of every club that invited them, with the clubs that have not submitted.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers.core import Answer, Choice, Ctx, choose_one, confirmed
from handlers.files import CLUB_CHART, CLUB_XLSX, DISTRICT_XLSX, Render
from handlers.flow import Flow
from handlers.i18n import current_language
from handlers.reports import texts
from handlers.roles import SUBMIT_REPORTS
from storage import clubs, reports, submissions
from storage.models import REVIEWER
from storage.names import clean
from storage.periods import Period, half_year_of, period
from storage.report_model import ClubReport, DistrictReport

MARK, DONE = "mark", "done"


def offered_periods(today: date) -> list[Period]:
    """The current half-year, the three before it, and the current and last reporting years."""
    halves = [half_year_of(today)]
    for _n in range(3):
        halves.append(half_year_of(halves[-1].start - timedelta(days=1)))
    year = int(halves[0].code[:4])
    return halves + [period(str(y)) for y in (year, year - 1)]


def start(ctx: Ctx, args: str) -> None:
    if args.strip():
        _take_period(ctx, args.strip())
        return
    current = half_year_of(ctx.today)
    ctx.ask(
        "period",
        texts.ask_period(current),
        [Choice(p.code, texts.period_label(p, ctx.today)) for p in offered_periods(ctx.today)],
    )


flow = Flow("report", start=start)


@flow.step("period")
def on_period(ctx: Ctx, ans: Answer) -> None:
    _take_period(ctx, ans.choice or ans.text)


def _take_period(ctx: Ctx, code: str) -> None:
    try:
        chosen = period(code)
    except ValueError:
        _refuse(ctx, texts.bad_period())
        return
    if chosen.start > ctx.today:
        _refuse(ctx, texts.future_period())
        return
    ctx.data["period"] = chosen.code
    if _signing_name(ctx) is None:
        ctx.ask("full_name", texts.ask_full_name())
    else:
        _produce(ctx)


def _refuse(ctx: Ctx, problem: str) -> None:
    if ctx.convo.step == "period":
        ctx.retry(problem)
    else:
        ctx.say(problem)


def _signing_name(ctx: Ctx) -> str | None:
    """The full name on the person's seat in this club: the report is signed with it, not the chat name."""
    return clubs.signing_name(ctx.db, ctx.club.id, ctx.user.id)


# Letters, with a space, hyphen, dot or apostrophe between words.
_FULL_NAME = re.compile(r"^[^\W\d_]+(?:[ '.\-][^\W\d_]+)*$")


def parse_full_name(text: str) -> str | None:
    name = clean(text)
    return name if 2 <= len(name) <= 100 and _FULL_NAME.match(name) else None


@flow.step("full_name")
def on_full_name(ctx: Ctx, ans: Answer) -> None:
    name = parse_full_name(ans.text)
    if name is None:
        ctx.retry(texts.bad_full_name())
        return
    ctx.data["full_name"] = name
    ctx.confirm("save_name", texts.confirm_full_name(name))


@flow.step("save_name")
def on_save_name(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    # The dispatcher checked the role again for this answer, so the seat is still there.
    seat = clubs.seat(ctx.db, ctx.club.id, ctx.user.id)
    clubs.set_signing_name(ctx.db, seat, ctx.data["full_name"], ctx.user)
    ctx.say(texts.full_name_saved(seat.full_name))
    _produce(ctx)


def _produce(ctx: Ctx) -> None:
    chosen = period(ctx.data["period"])
    if ctx.role == REVIEWER:
        _district(ctx, chosen)
    else:
        _club(ctx, chosen)


def _zone(ctx: Ctx) -> ZoneInfo:
    return ZoneInfo(ctx.settings.timezone)


def _file(ctx: Ctx, kind: str, report: ClubReport | DistrictReport, filename: str, signed: str | None) -> Render:
    """What the dispatcher is to make once this update has committed (handlers/files.py)."""
    return Render(
        kind, report, filename, language=current_language(), today=ctx.today, zone=_zone(ctx), prepared_by=signed
    )


def _club(ctx: Ctx, chosen: Period) -> None:
    report = reports.club_report(ctx.db, ctx.club.id, chosen, series=True, today=ctx.today)
    ctx.say(texts.report_text(report, _zone(ctx), in_group=ctx.msg.is_group))
    if ctx.msg.is_group:
        # The .xlsx goes to the district as it is and the chart draws every count: neither fits a group chat.
        ctx.say(texts.files_in_private_chat())
    else:
        name, signed = f"{report.club.code}-{chosen.code}", _signing_name(ctx)
        ctx.say(texts.xlsx_caption(report), render=_file(ctx, CLUB_XLSX, report, f"baocao-{name}.xlsx", signed))
        ctx.say(texts.chart_caption(report), render=_file(ctx, CLUB_CHART, report, f"bieudo-{name}.png", signed))
    if ctx.role in SUBMIT_REPORTS and not report.submitted:
        ctx.ask("after", texts.next_step(False), [Choice(MARK, texts.mark_label()), Choice(DONE, texts.done_label())])
    else:
        ctx.end()


@flow.step("after")
def on_after(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == DONE:
        ctx.end()
    elif ans.choice == MARK:
        report = reports.club_report(ctx.db, ctx.club.id, period(ctx.data["period"]), today=ctx.today)
        ctx.confirm(
            "submit", texts.confirm_submit(report, _signing_name(ctx) or ctx.user.display_name), texts.mark_label()
        )
    else:
        ctx.retry(choose_one())


@flow.step("submit")
def on_submit(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    if ctx.role not in SUBMIT_REPORTS:  # the role may have changed since the question
        ctx.end()
        ctx.say(texts.only_chair_submits())
        return
    code = ctx.data["period"]
    record = submissions.mark_submitted(ctx.db, ctx.club.id, code, ctx.user)
    ctx.end()
    ctx.say(texts.submitted_now(code, texts.local_day(record.submitted_at, _zone(ctx))))


def _district(ctx: Ctx, chosen: Period) -> None:
    club_ids = [club.id for club, role in clubs.seats_of(ctx.db, ctx.user) if role == REVIEWER]
    if not club_ids:
        ctx.say(texts.no_clubs_to_review())
        ctx.end()
        return
    combined = reports.district_report(ctx.db, chosen, club_ids=club_ids, today=ctx.today)
    ctx.say(texts.district_text(combined, in_group=ctx.msg.is_group))
    if ctx.msg.is_group:
        ctx.say(texts.files_in_private_chat())
    else:
        ctx.say(
            texts.district_caption(combined),
            render=_file(ctx, DISTRICT_XLSX, combined, f"baocao-tonghop-{chosen.code}.xlsx", _signing_name(ctx)),
        )
    ctx.end()
