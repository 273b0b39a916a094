"""Reporting periods (ARCHITECTURE.md, "Glossary": the half-year and annual reports), as plain date arithmetic.

`2025-H1` runs 1 December 2024 - 31 May 2025 and is due 5 June 2025; `2025-H2` runs 1 June - 30 November
2025 and is due 5 December 2025; `2025` is the whole year 1 December 2024 - 30 November 2025, due with
H2. Dates are calendar days in the club's time zone (Asia/Ho_Chi_Minh): callers pass the local date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

DUE_DAY = 5  # reports are due on the 5th of the month after the period ends
_CODE = re.compile(r"^(\d{4})(?:-H([12]))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date  # the last day inside the period
    due: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def period(code: str) -> Period:
    """'2025-H1', '2025-H2' or '2025' -> its dates; ValueError for anything else."""
    code = code.strip().upper()
    match = _CODE.match(code)
    if not match:
        raise ValueError(f"not a period code: {code!r} (use 2025-H1, 2025-H2 or 2025)")
    year, half = int(match.group(1)), match.group(2)
    if half == "1":
        return Period(code, date(year - 1, 12, 1), date(year, 5, 31), date(year, 6, DUE_DAY))
    if half == "2":
        return Period(code, date(year, 6, 1), date(year, 11, 30), date(year, 12, DUE_DAY))
    return Period(code, date(year - 1, 12, 1), date(year, 11, 30), date(year, 12, DUE_DAY))


def half_year_of(day: date) -> Period:
    """The six-month period `day` falls in: December already belongs to the next year's H1."""
    if day.month == 12:
        return period(f"{day.year + 1}-H1")
    return period(f"{day.year}-H{1 if day.month < 6 else 2}")
