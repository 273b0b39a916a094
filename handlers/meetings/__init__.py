"""/hop: monthly meetings and the eight activity areas.

Log a meeting (date, who came, areas covered, health checks, topic, notes, photo), see and change recent
meetings with their history kept, see which areas this reporting period has covered, log activities
outside meetings, and keep the home-care volunteers and the groups per area.
"""

from __future__ import annotations

from handlers.core import Answer, Ctx, choose_one
from handlers.meetings import activities, meeting_log, overview, people
from handlers.meetings.common import flow
from handlers.roles import LOG_MEETINGS

__all__ = ["flow"]


@flow.step("menu")
def on_menu(ctx: Ctx, ans: Answer) -> None:
    recording = {"log": meeting_log.start_logging, "activity": activities.start_activity}
    viewing = {"history": meeting_log.show_history, "areas": overview.show_areas, "people": people.show_people}
    if ans.choice in recording and ctx.can(LOG_MEETINGS):
        recording[ans.choice](ctx)
    elif ans.choice in viewing:
        viewing[ans.choice](ctx)
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())
