"""How a declared step reads its answer (handlers.flow.Step.read).

Each reader returns the value or raises `InputError` saying how to answer instead; the engine then asks the
same question again with that explanation, so no step writes its own parse-and-retry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from handlers.core import NO, SKIP, YES, Answer, Ctx, choose_one
from handlers.flow import Reader
from handlers.parsing import InputError, parse_amount, parse_past_date
from storage.dates import EVER_SINCE, Earliest


def choice(ctx: Ctx, ans: Answer) -> str:
    """One of the choices offered, by button, number or label."""
    if ans.choice is None:
        raise InputError(choose_one())
    return ans.choice


def yes_or_no(ctx: Ctx, ans: Answer) -> bool:
    if ans.choice not in (YES, NO):
        raise InputError(choose_one())
    return ans.choice == YES


def amount(ctx: Ctx, ans: Answer) -> int:
    return parse_amount(ans.text)


def text(problem: Callable[[], str], *, shortest: int = 1, longest: int = 200, letters: bool = False) -> Reader:
    """Free text of `shortest` to `longest` characters (with at least one letter, if `letters`)."""

    def read(ctx: Ctx, ans: Answer) -> str:
        if not shortest <= len(ans.text) <= longest or (letters and not any(ch.isalpha() for ch in ans.text)):
            raise InputError(problem())
        return ans.text

    return read


def number(parse: Callable[[str], int]) -> Reader:
    """A number read by `parse` (which says what range it takes)."""
    return lambda ctx, ans: parse(ans.text)


def past_date(earliest: Callable[[Ctx], Earliest] = lambda ctx: EVER_SINCE) -> Reader:
    """A day not after today nor before `earliest` (the club's founding, the member's joining...)."""

    def read(ctx: Ctx, ans: Answer) -> date:
        return parse_past_date(ans.text, ctx.today, earliest(ctx))

    return read


def or_skip(reader: Reader) -> Reader:
    """`reader`, or None when the person chose to skip the question."""

    def read(ctx: Ctx, ans: Answer) -> Any:
        return None if ans.choice == SKIP else reader(ctx, ans)

    return read
