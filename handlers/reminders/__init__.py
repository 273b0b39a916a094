"""/nhacnho (reminders.py): each person's reminders, and the club's meeting day and deadline recipients.
The reminders themselves are sent by bot/reminders.py, in the words of texts.py."""

from __future__ import annotations

from handlers.reminders.reminders import flow

__all__ = ["flow"]
