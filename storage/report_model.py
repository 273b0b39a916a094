"""The report as typed values: what storage.reports returns and the chat text, the .xlsx, the chart and the
command line read, by attribute.

Each part's JSON (`as_json`) is the object README's "Reports" section documents, an outside contract: its keys
are the fields' names in the order they are declared here, so a field is added freely but never renamed or
moved. Money is whole dong; dates stay dates until storage.reports.to_json writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar

from storage.models import ACTIVITY_FUND, CONTRIBUTION_KINDS, INCOME_FUND


def _plain(value: Any) -> Any:
    """A field's value as JSON-ready data: parts as objects, lists and mappings item by item."""
    if isinstance(value, _Part):
        return value.as_json()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


class _Part:
    """A part of a report whose JSON object has its fields as keys, in their order."""

    def as_json(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class ClubInfo(_Part):
    code: str
    name: str
    village: str
    commune: str
    district: str
    province: str
    founding_decision: str | None
    founded_on: date | None
    # The day the club's books on the bot start (storage.history), a month's last day: what it brought in is
    # as of the end of that day. None: a club whose books started on the bot.
    records_start: date | None = None

    def before_records(self, end: date) -> bool:
        """Whether a period ending on `end` lies before the club's books on the bot: no money or loan figures."""
        return self.records_start is not None and end <= self.records_start


@dataclass(frozen=True)
class ReportPeriod(_Part):
    """A reporting period as a report covers it: its "as of" figures are taken on `as_of`, its end or today
    while it runs (`running`)."""

    code: str
    start: date
    end: date
    due: date
    as_of: date
    running: bool


@dataclass(frozen=True)
class Members(_Part):
    """Members on the list on the "as of" day by group, and those who joined or left in the period."""

    total: int
    elderly: int
    young: int
    unknown_age: int
    women: int
    poor: int
    near_poor: int
    better_off: int
    ethnic_minority: int
    disabled: int
    elderly_better_off: int
    joined: int
    left: int
    percent: dict[str, float]  # per group (storage.reports.MEMBER_COUNTS but total), of `total`

    def of(self, group: str) -> int:
        """The count of a group named in storage.reports.MEMBER_COUNTS, for tables that list groups by name."""
        count: int = getattr(self, group)
        return count


@dataclass(frozen=True)
class Board(_Part):
    size: int


@dataclass(frozen=True)
class Meetings(_Part):
    held: int
    total_attendance: int
    average_attendance: float


@dataclass(frozen=True)
class AreaWork(_Part):
    """One of the eight areas in a club's period: in how many meetings and other activities, and so whether
    it was carried out."""

    meetings: int
    activities: int
    done: bool


@dataclass(frozen=True)
class Activities(_Part):
    areas: dict[str, AreaWork]  # every area of storage.models.AREAS, in that order
    areas_done: list[str]
    health_checks: int
    home_visits: int
    volunteers: int


@dataclass(frozen=True)
class Fund(_Part):
    """One fund in the period: its balance before, what came in and went out, its balance on the day."""

    opening: int
    money_in: dict[str, int]  # per kind of contribution (storage.models.CONTRIBUTION_KINDS)
    contributions: int
    from_members: int
    from_outside: int
    loans_out: int
    repayments: int
    principal_repaid: int
    fees: int
    expenses: int
    closing: int

    @staticmethod
    def added(funds: list[Fund]) -> Fund:
        """The funds of several clubs added up, money_in kind by kind; with none, every figure at 0."""
        kinds = {kind: sum(fund.money_in[kind] for fund in funds) for kind in CONTRIBUTION_KINDS}
        sums = {f.name: sum(getattr(fund, f.name) for fund in funds) for f in fields(Fund) if f.name != "money_in"}
        return Fund(money_in=kinds, **sums)


@dataclass(frozen=True)
class Funds(_Part):
    income: Fund
    activity: Fund
    # contributions to either fund in the period, from members and from outside
    raised: int
    raised_from_members: int
    raised_from_outside: int

    def of(self, fund: str) -> Fund:
        """A fund by its name in storage.models.FUNDS."""
        return {INCOME_FUND: self.income, ACTIVITY_FUND: self.activity}[fund]


@dataclass(frozen=True)
class Loans(_Part):
    borrowers: int
    open_loans: int
    ever_borrowed: int
    ever_borrowed_percent: float
    disbursed: int
    loans_in_period: int
    borrowers_in_period: int
    principal_repaid: int
    fees: int
    opening_outstanding: int
    outstanding: int
    overdue_amount: int
    overdue_loans: int
    overdue_borrowers: int
    at_risk_30: int
    par30_percent: float


@dataclass(frozen=True)
class LoanTotals(Loans):
    """A district's loans: the clubs' figures added up, then the shares worked out on the sums. Its JSON has
    the shares last, as the district report has always written them."""

    SHARES: ClassVar[tuple[str, ...]] = ("ever_borrowed_percent", "par30_percent")

    def as_json(self) -> dict[str, Any]:
        found = super().as_json()
        return {
            **{key: value for key, value in found.items() if key not in self.SHARES},
            **{key: found[key] for key in self.SHARES},
        }


@dataclass(frozen=True)
class Indicators(_Part):
    """The targets of QD 1336 (ARCHITECTURE.md, "The domain"), met or not."""

    members_40: bool
    women_60_70: bool
    elderly_60_70: bool
    young_30_40: bool
    both_funds: bool
    all_eight_areas: bool
    borrowed_50: bool

    def items(self) -> list[tuple[str, bool]]:
        """Each target's name (storage.reports.INDICATORS) and whether it is met, in the reports' order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


@dataclass(frozen=True)
class Submission(_Part):
    """Who marked the report submitted ("Da nop"), by the full name on their seat, and when (UTC)."""

    at: datetime
    by: str


@dataclass(frozen=True)
class Correction(_Part):
    """A reversal dated in the period of an entry dated before it: a correction of a period already reported."""

    entry: int
    reverses: int
    original_date: date
    corrects_period: str
    fund: str
    kind: str
    amount: int
    date: date


@dataclass(frozen=True)
class MonthEnd(_Part):
    """Cash in each fund and loans outstanding at a month's end (or on the "as of" day), for the chart."""

    month_end: date
    income_cash: int
    activity_cash: int
    outstanding: int


@dataclass(frozen=True)
class ClubReport(_Part):
    club: ClubInfo
    period: ReportPeriod
    members: Members
    board: Board
    groups: int
    meetings: Meetings
    activities: Activities
    funds: Funds
    loans: Loans
    indicators: Indicators
    submitted: bool
    submission: Submission | None
    corrections: list[Correction]
    series: list[MonthEnd] | None = None  # only when asked for (the chart): then in the JSON too

    @property
    def before_records(self) -> bool:
        """The period ends on or before the club's records start: its money and loan figures are all 0, the
        books on the bot holding none of that time's money (storage.reports)."""
        return self.club.before_records(self.period.end)

    def as_json(self) -> dict[str, Any]:
        found = super().as_json()
        if self.series is None:
            del found["series"]
        return found


@dataclass(frozen=True)
class AreaTotals(_Part):
    """One area over a district's clubs: how many carried it out, in how many meetings and other activities."""

    clubs: int
    meetings: int
    activities: int


@dataclass(frozen=True)
class ActivityTotals(_Part):
    health_checks: int
    home_visits: int
    volunteers: int
    areas: dict[str, AreaTotals]  # every area of storage.models.AREAS, in that order


@dataclass(frozen=True)
class DistrictIndicators(_Part):
    clubs_all_eight_areas_70: bool


@dataclass(frozen=True)
class DistrictTotals(_Part):
    clubs: int
    members: Members
    board: Board
    meetings: Meetings
    activities: ActivityTotals
    funds: Funds
    loans: LoanTotals
    clubs_meeting: dict[str, int]  # per target (storage.reports.INDICATORS): how many clubs meet it
    indicators: DistrictIndicators


@dataclass(frozen=True)
class ClubName(_Part):
    code: str
    name: str


@dataclass(frozen=True)
class ReportArea(_Part):
    """The place a combined report covers: a commune or a province of the 2025 map (storage.places), by its
    code, or a district of the old papers, by its name (no code; `province` then the clubs' province as they
    wrote it, when they all wrote the same)."""

    level: str  # AREA_LEVELS
    code: str | None
    name: str
    province: str | None


AREA_LEVELS = PROVINCE_LEVEL, COMMUNE_LEVEL, DISTRICT_LEVEL = ("province", "commune", "district")


@dataclass(frozen=True)
class DistrictReport(_Part):
    title: str
    period: ReportPeriod
    clubs: list[ClubReport]
    totals: DistrictTotals
    not_submitted: list[ClubName]
    # Added after the 2025 map: what the report covers; None for a reviewer's own set of clubs in no one area.
    area: ReportArea | None = None
