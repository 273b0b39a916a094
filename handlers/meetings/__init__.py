"""/hop: monthly meetings and the eight activity areas.

Log a meeting (date, who came, areas covered, health checks, topic, notes, photo), see and change recent
meetings with their history kept, see which areas this reporting period has covered, log activities
outside meetings, and keep the home-care volunteers and the groups per area. The flow is put together in
flow.py.
"""

from handlers.meetings.flow import flow

__all__ = ["flow"]
