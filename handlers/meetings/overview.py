"""Which of the eight areas the club has carried out this reporting period, and which not yet."""

from __future__ import annotations

from handlers import readers
from handlers.core import Ctx
from handlers.flow import Question, Step
from handlers.meetings import texts
from handlers.meetings.common import MENU, back_choices, went_back
from storage import areas
from storage.periods import half_year_of


def ask_areas_view(ctx: Ctx) -> Question:
    period = half_year_of(ctx.today)
    figures = areas.period_figures(ctx.db, ctx.club.id, period.start, period.end)
    return Question(texts.areas_overview(period, figures), back_choices())


AREAS_VIEW = Step("areas_view", ask_areas_view, readers.choice, went_back, goes_to=(MENU,))
