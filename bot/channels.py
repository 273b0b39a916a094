"""What every chat channel does the same way: cutting long replies, and telling people about errors."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from bot.i18n import _


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
    if isinstance(error, DBAPIError):
        return _("The bot cannot reach its database right now. Please try again in a few minutes.")
    return _("Sorry, something went wrong and nothing was saved. Please try again, or type /huy to start over.")
