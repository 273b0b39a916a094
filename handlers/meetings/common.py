"""The /hop flow object, its menu, and what several parts of it share: dates, free text, going back."""

from __future__ import annotations

from datetime import date, timedelta

from handlers.core import SKIP, Answer, Choice, Ctx
from handlers.flow import Flow
from handlers.meetings import texts
from handlers.meetings.reading import DONE_WORDS
from handlers.parsing import InputError, not_before, parse_past_date
from handlers.roles import LOG_MEETINGS
from storage import areas, meetings
from storage.dates import earliest_entry_date
from storage.periods import half_year_of


def start(ctx: Ctx, args: str) -> None:
    show_menu(ctx)


flow = Flow("meetings", start=start)


def show_menu(ctx: Ctx) -> None:
    period = half_year_of(ctx.today)
    held = meetings.figures(ctx.db, ctx.club.id, period.start, period.end).held
    done = areas.areas_done(areas.area_counts(ctx.db, ctx.club.id, period.start, period.end))
    choices = []
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("log", texts.log_label()))
    choices += [Choice("history", texts.history_label()), Choice("areas", texts.areas_label())]
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("activity", texts.activity_label()))
    choices += [Choice("people", texts.people_label()), done_choice()]
    ctx.ask("menu", texts.menu(ctx.club, period, held, len(done)), choices)


def done_choice() -> Choice:
    return Choice("done", texts.done_label(), DONE_WORDS)


def back_choices() -> list[Choice]:
    return [Choice("menu", texts.back_label()), done_choice()]


def went_back(ctx: Ctx, ans: Answer) -> bool:
    """Handle the back and done choices; False when the answer was something else."""
    if ans.choice == "menu":
        show_menu(ctx)
    elif ans.choice == "done":
        ctx.end()
    else:
        return False
    return True


# --- answers several questions share --------------------------------------------------------------------


def date_choices() -> list[Choice]:
    return [
        Choice("today", texts.today_label(), ("hom nay",)),
        Choice("yesterday", texts.yesterday_label(), ("hom qua",)),
    ]


def read_date(ctx: Ctx, ans: Answer) -> date:
    """The day answered: a button, or typed like 'hom qua', '5/6', '05/06/2025'; never in the future
    nor before the club was founded (the yesterday button included, for a club founded today)."""
    if ans.choice == "today":
        return ctx.today
    earliest = earliest_entry_date(ctx.db, ctx.club.id)
    if ans.choice == "yesterday":
        return not_before(ctx.today - timedelta(days=1), earliest)
    return parse_past_date(ans.text, ctx.today, earliest)


def read_free_text(ans: Answer, limit: int) -> str | None:
    """Typed text up to `limit` characters; None when the person skipped."""
    if ans.choice == SKIP:
        return None
    if len(ans.text) > limit:
        raise InputError(texts.too_long(len(ans.text), limit))
    return ans.text


def coverage(ctx: Ctx) -> str:
    """Which areas the club has carried out this period, so the board sees what is left to plan."""
    period = half_year_of(ctx.today)
    return texts.coverage(period, areas.area_counts(ctx.db, ctx.club.id, period.start, period.end))
