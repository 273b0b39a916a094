"""Which of the eight areas the club has carried out this reporting period, and which not yet."""

from __future__ import annotations

from handlers.core import Answer, Ctx, choose_one
from handlers.meetings import texts
from handlers.meetings.common import back_choices, flow, went_back
from storage import areas
from storage.periods import half_year_of


def show_areas(ctx: Ctx) -> None:
    period = half_year_of(ctx.today)
    figures = areas.period_figures(ctx.db, ctx.club.id, period.start, period.end)
    ctx.ask("areas_view", texts.areas_overview(period, figures), back_choices())


@flow.step("areas_view")
def on_areas_view(ctx: Ctx, ans: Answer) -> None:
    if not went_back(ctx, ans):
        ctx.retry(choose_one())
