"""Logged errors without people's text.

An exception's message often holds what people typed: PostgreSQL's "Key (name)=(...) already exists", openpyxl's
"'CLB ...' cannot be used in worksheets", a parser quoting its input. So a logged error shows where it happened
(the traceback's frames, which are code) and what kind of error it was, never its message.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def error_kind(error: BaseException) -> str:
    """'sqlalchemy.exc.IntegrityError [23505]': the class and, for a database error, its SQLSTATE code."""
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return f"{kind} [{code}]" if isinstance(code, str) else kind


def traceback_without_text(exc_info: ExcInfo) -> str:
    """The traceback as Python prints it (causes and contexts first), each message replaced by the error's kind."""
    parts: list[str] = []
    error: BaseException | None = exc_info[1]
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{error_kind(error)} (message not logged)")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n\nDuring the handling of the above, another error occurred:\n\n".join(reversed(parts))


class WithoutPeoplesText(logging.Filter):
    """Writes the record's traceback without messages before any handler formats it (handlers reuse it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = traceback_without_text(record.exc_info)
        return True


WITHOUT_PEOPLES_TEXT = WithoutPeoplesText()


def keep_out_peoples_text(logger: logging.Logger) -> logging.Logger:
    """`logger`, whose records carry tracebacks without messages to every handler, the tests' too."""
    logger.addFilter(WITHOUT_PEOPLES_TEXT)
    return logger
