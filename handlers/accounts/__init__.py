"""/lienket (link.py): one person on several apps, and where their reminders go."""

from __future__ import annotations

from handlers.accounts.link import flow

__all__ = ["flow"]
