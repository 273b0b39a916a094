"""What every chat channel does the same way: cutting long replies, telling people about errors, and waiting
for the network without holding up a stop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from handlers.i18n import _

T = TypeVar("T")
# The database is down, restarting, refusing connections, locked or out of pooled connections: all of it
# passes, so the person is asked to send the same message again later (nothing of it was saved).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible."""
    pieces, current = [], ""
    for line in text.split("\n"):
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = ""
        while len(line) > limit:  # one line longer than a message: cut it where the limit falls
            pieces.append(line[:limit])
            line = line[limit:]
        current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current else pieces


def error_text(error: BaseException | None) -> str:
    """What to tell the person whose message could not be handled."""
    if isinstance(error, DATABASE_UNAVAILABLE):
        return _(
            "The bot cannot reach its database right now, so your last message was not saved. "
            "Please send it again in a few minutes; what you were doing is kept."
        )
    return _("Sorry, something went wrong and nothing was saved. Please try again, or type /huy to start over.")


async def unless_stopped(work: Awaitable[T], stop: asyncio.Event) -> T | None:
    """The result of `work`, or None as soon as `stop` is set (`work` is then cancelled)."""
    task, stopping = asyncio.ensure_future(work), asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        task.cancel()  # does nothing when it has finished
        stopping.cancel()
        await asyncio.gather(task, stopping, return_exceptions=True)
    return None if task.cancelled() else task.result()
