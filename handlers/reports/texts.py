"""What the reports say: the labels and tables shared by the chat text, the .xlsx and the chart, and the
questions of /baocao. Every text goes through gettext; the figures come from storage.reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.i18n import BULLET, CROSS, DASH, TICK, _, day, lazy, local_day, money, number, period_name
from handlers.meetings.texts import area_name
from handlers.money.texts import fund_name, kind_name
from storage.models import ACTIVITY_FUND, AREAS, CONTRIBUTION_KINDS, EXPENSE, INCOME_FUND, LOAN, OPENING, REPAYMENT
from storage.names import clean, fold
from storage.periods import Period
from storage.report_model import (
    ClubInfo,
    ClubReport,
    DistrictReport,
    DistrictTotals,
    Fund,
    Funds,
    Loans,
    Members,
    ReportPeriod,
)

COUNT, MONEY, PERCENT, TEXT, YESNO = "count", "money", "percent", "text", "yesno"


@dataclass(frozen=True)
class Row:
    label: str
    value: Any
    kind: str = COUNT
    share: float | None = None  # per cent of members, shown beside a count


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]
    part: str = ""  # the part of the report it is shown in, in the chat (PARTS)


# The parts of a report a person may open in the chat, one button each, in this order; the summary comes first.
MEMBERS_PART, MONEY_PART, LOANS_PART, MEETINGS_PART, TARGETS_PART, CORRECTIONS_PART, CLUBS_PART = (
    "members",
    "money",
    "loans",
    "meetings",
    "targets",
    "corrections",
    "clubs",
)
PARTS = (MEMBERS_PART, MONEY_PART, LOANS_PART, MEETINGS_PART, TARGETS_PART, CORRECTIONS_PART, CLUBS_PART)


def part_label(part: str) -> str:
    return {
        MEMBERS_PART: _("Members and board"),
        MONEY_PART: _("Money and funds"),
        LOANS_PART: _("Loans"),
        MEETINGS_PART: _("Meetings and activities"),
        TARGETS_PART: _("Targets"),
        CORRECTIONS_PART: _("Corrections"),
        CLUBS_PART: _("Club by club"),
    }[part]


def indicator_name(name: str) -> str:
    return {
        "members_40": _("At least 40 members"),
        "women_60_70": _("60–70 % women"),
        "elderly_60_70": _("60–70 % older people"),
        "young_30_40": _("30–40 % younger people"),
        "both_funds": _("Both funds in place"),
        "all_eight_areas": _("All eight activity areas carried out"),
        "borrowed_50": _("At least 50 % of members have borrowed"),
    }[name]


def period_span(p: ReportPeriod | Period) -> str:
    return _("{start} – {end}").format(start=day(p.start), end=day(p.end))


def report_title(p: ReportPeriod) -> str:
    return _("Report for {period} ({span})").format(period=period_name(p.code), span=period_span(p))


def combined_title(p: ReportPeriod) -> str:
    return _("Combined report for {period} ({span})").format(period=period_name(p.code), span=period_span(p))


def as_of_note(p: ReportPeriod) -> str | None:
    """For a period still running: the day its figures are taken."""
    return _("figures as of {day}").format(day=day(p.as_of)) if p.running else None


def due_line(p: ReportPeriod) -> str:
    line = _("Report due {due}").format(due=day(p.due))
    note = as_of_note(p)
    return f"{line}; {note}" if note else line


def balance_on(p: ReportPeriod) -> str:
    """The label of the balances at the end: of the period, or of today while it runs."""
    return _("Balance on {day}").format(day=day(p.as_of)) if p.running else _("Closing balance")


def on_day(p: ReportPeriod) -> str:
    return day(p.as_of)


# The labels a person may have typed before a place's name, per field, longest first; letters named by code
# point (only gettext texts hold Vietnamese). A name typed without any marks ("xa Tinh An Tay") is compared
# without them; one typed with marks must have the label's own: "Xa" with a grave starts a commune's name, and
# "Quan" in "Quan H\N{LATIN SMALL LETTER O WITH ACUTE}a" is a district's name, not the label of an urban district.
_A_TILDE, _A_GRAVE = "\N{LATIN SMALL LETTER A WITH TILDE}", "\N{LATIN SMALL LETTER A WITH GRAVE}"
_I_DOT, _O_HAT_ACUTE = "\N{LATIN SMALL LETTER I WITH DOT BELOW}", "\N{LATIN SMALL LETTER O WITH CIRCUMFLEX AND ACUTE}"
_CITY = f"th{_A_GRAVE}nh ph{_O_HAT_ACUTE}"
PLACE_LABELS = {
    "village": (
        f"t\N{LATIN SMALL LETTER O WITH CIRCUMFLEX AND HOOK ABOVE} d\N{LATIN SMALL LETTER A WITH CIRCUMFLEX}n "
        f"ph{_O_HAT_ACUTE}",
        f"khu ph{_O_HAT_ACUTE}",
        "th\N{LATIN SMALL LETTER O WITH CIRCUMFLEX}n",
        "x\N{LATIN SMALL LETTER O WITH ACUTE}m",
        "\N{LATIN SMALL LETTER A WITH CIRCUMFLEX AND ACUTE}p",
        "b\N{LATIN SMALL LETTER A WITH HOOK ABOVE}n",
    ),
    "commune": (
        "\N{LATIN SMALL LETTER D WITH STROKE}\N{LATIN SMALL LETTER A WITH BREVE AND DOT BELOW}c khu",
        f"th{_I_DOT} tr\N{LATIN SMALL LETTER A WITH CIRCUMFLEX AND ACUTE}n",
        "ph\N{LATIN SMALL LETTER U WITH HORN}\N{LATIN SMALL LETTER O WITH HORN AND GRAVE}ng",
        f"x{_A_TILDE}",
    ),
    "district": (
        _CITY,
        f"th{_I_DOT} x{_A_TILDE}",
        "huy\N{LATIN SMALL LETTER E WITH CIRCUMFLEX AND DOT BELOW}n",
        "qu\N{LATIN SMALL LETTER A WITH CIRCUMFLEX AND DOT BELOW}n",
    ),
    "province": (_CITY, "t\N{LATIN SMALL LETTER I WITH HOOK ABOVE}nh"),
}


def _typed_label(field: str, words: list[str]) -> str | None:
    """The label the person typed before the name ("xa", "Thi tran"), written properly; None if none."""
    without_marks = all(word.isascii() for word in words)
    for label in PLACE_LABELS[field]:
        parts = label.split()
        typed = " ".join(words[: len(parts)]).lower()
        if len(words) > len(parts) and (typed == label or (without_marks and typed == fold(label))):
            return label
    return None


def place_part(field: str, label: str, name: str) -> str:
    """'commune X' from a name typed either 'X' or 'xa X': the label the person typed wins ("phuong X"),
    so that it is printed once."""
    words = clean(name).split()
    typed = _typed_label(field, words)
    if typed:
        return " ".join([typed, *words[len(typed.split()) :]])
    return label.format(name=" ".join(words))


def address(village: str, commune: str, district: str, province: str) -> str:
    """'village X, commune Y, province Z', each kind written once whether or not the name has it in front, then the
    former district (before the 2025 map) its old papers name, if any: '(formerly district W)'."""
    labels = {"village": _("village {name}"), "commune": _("commune {name}"), "province": _("province {name}")}
    names = {"village": village, "commune": commune, "province": province}
    line = ", ".join(place_part(key, labels[key], names[key]) for key in labels if names[key] and names[key].strip())
    if district and district.strip():
        former = _("(formerly {district})").format(district=place_part("district", _("district {name}"), district))
        line = f"{line} {former}".strip()
    return line


def place_line(c: ClubInfo) -> str:
    return address(c.village, c.commune, c.district, c.province)


MEMBER_GROUPS = ("elderly", "young", "women", "ethnic_minority", "disabled", "better_off", "poor", "near_poor")
# Household situation, ethnicity and disability (Decree 13/2023/ND-CP). In a small club "Poor: 1" names the
# person to everyone in the board's group chat, so there a count below SMALLEST_COUNT_SHOWN reads "under 5",
# without its share (a share and the member count give the count back). Elsewhere the counts are exact.
SENSITIVE_GROUPS = ("ethnic_minority", "disabled", "better_off", "poor", "near_poor")
SMALLEST_COUNT_SHOWN = 5


def group_name(group: str) -> str:
    return {
        "elderly": _("Older people (60 and over)"),
        "young": _("Younger people"),
        "unknown_age": _("Age not known"),
        "women": _("Women"),
        "poor": _("Poor"),
        "near_poor": _("Near-poor"),
        "better_off": _("Better-off"),
        "ethnic_minority": _("Ethnic minority"),
        "disabled": _("With a disability"),
    }[group]


def too_few_to_show() -> str:
    return _("under {count}").format(count=SMALLEST_COUNT_SHOWN)


def too_small_to_show(m: Members, group: str, in_group: bool) -> bool:
    """Whether this count is too small to show where people outside the board read along."""
    return in_group and group in SENSITIVE_GROUPS and m.of(group) < SMALLEST_COUNT_SHOWN


def group_row(m: Members, group: str, in_group: bool) -> Row:
    if too_small_to_show(m, group, in_group):
        return Row(group_name(group), too_few_to_show(), TEXT)
    return Row(group_name(group), m.of(group), share=m.percent[group])


def member_rows(m: Members, in_group: bool = False) -> list[Row]:
    groups = ["elderly", "young", *(["unknown_age"] if m.unknown_age else []), *MEMBER_GROUPS[2:]]
    return [
        Row(_("Members"), m.total),
        *(group_row(m, group, in_group) for group in groups),
        Row(_("Joined in the period"), m.joined),
        Row(_("Left in the period"), m.left),
    ]


def raised_rows(f: Funds) -> list[Row]:
    return [
        Row(_("Money raised in the period"), f.raised, MONEY),
        Row(_("of which from members"), f.raised_from_members, MONEY),
        Row(_("of which from outside the club"), f.raised_from_outside, MONEY),
    ]


def fund_rows(f: Fund, fund: str, p: ReportPeriod) -> list[Row]:
    """The balance at the start, what moved in the period (each line says so), the balance at the end."""
    rows = [Row(_("Opening balance"), f.opening, MONEY)]
    rows += [
        Row(_("Received in the period: {kind}").format(kind=kind_name(kind)), f.money_in[kind], MONEY)
        for kind in CONTRIBUTION_KINDS
        if f.money_in[kind]
    ]
    if f.from_outside:
        rows.append(Row(_("of which from outside the club"), f.from_outside, MONEY))
    if fund == INCOME_FUND:
        rows += [
            Row(_("Lent out in the period"), f.loans_out, MONEY),
            Row(_("Repayments received in the period"), f.repayments, MONEY),
            Row(_("of which fees/interest"), f.fees, MONEY),
        ]
    else:
        rows.append(Row(_("Expenses in the period"), f.expenses, MONEY))
    rows.append(Row(balance_on(p), f.closing, MONEY))
    return rows


def loans_in_period_rows(lo: Loans) -> list[Row]:
    return [
        Row(_("Number of loans paid out"), lo.loans_in_period),
        Row(_("Amount paid out"), lo.disbursed, MONEY),
        Row(_("Principal repaid"), lo.principal_repaid, MONEY),
    ]


def loan_position_rows(lo: Loans) -> list[Row]:
    return [
        Row(_("Outstanding balance at the start of the period"), lo.opening_outstanding, MONEY),
        Row(_("Outstanding balance"), lo.outstanding, MONEY),
        Row(_("Members owing on a loan"), lo.borrowers),
        Row(_("Members who have ever borrowed"), lo.ever_borrowed, share=lo.ever_borrowed_percent),
        Row(_("Loans with something overdue"), lo.overdue_loans),
        Row(_("Overdue amount"), lo.overdue_amount, MONEY),
        Row(_("Owed on loans more than 30 days overdue"), lo.at_risk_30, MONEY),
        Row(_("Share of the portfolio more than 30 days overdue (PAR30)"), lo.par30_percent, PERCENT),
    ]


def correction_rows(r: ClubReport) -> list[Row]:
    return [
        Row(
            _(
                "Correction to the submitted report for {period}: entry #{entry} of {day} reversed ({fund}, "
                "{kind}), recorded {on}"
            ).format(
                period=period_name(c.corrects_period),
                entry=c.reverses,
                day=day(c.original_date),
                fund=fund_name(c.fund),
                kind=entry_kind_name(c.kind),
                on=day(c.date),
            ),
            c.amount,
            MONEY,
        )
        for c in r.corrections
    ]


def entry_kind_name(kind: str) -> str:
    if kind in (*CONTRIBUTION_KINDS, OPENING):
        return kind_name(kind)
    return {LOAN: _("loan"), REPAYMENT: _("repayment"), EXPENSE: _("expense")}.get(kind, kind)


# The targets judged on the money: not shown for a period before the club's books on the bot.
MONEY_TARGETS = ("both_funds", "borrowed_50")


def records_notice(start: date) -> str:
    """Instead of the money and loan figures of a period before the club's books on the bot."""
    return _("The club's books on the bot start on {date}: fund and loan figures are kept from that day.").format(
        date=day(start)
    )


def records_note(r: ClubReport) -> str | None:
    """For the period whose opening balances are the ones the club brought in: says so."""
    start, p = r.club.records_start, r.period
    if start is None or r.before_records or start < p.start - timedelta(days=1):
        return None
    return _(
        "The club's books on the bot start on {date}: the opening balances are those it brought in as of that day."
    ).format(date=day(start))


def sections(r: ClubReport, in_group: bool = False) -> list[Section]:
    """The tables of one club's report, in the order the district form has them. Flows of the period and
    positions at its end are in separate tables, or labelled as balances. `in_group`: for a group chat."""
    act, p = r.activities, r.period
    areas = [
        Row(
            _("{area}: {meetings} meetings, {activities} other activities").format(
                area=area_name(area),
                meetings=act.areas[area].meetings,
                activities=act.areas[area].activities,
            ),
            act.areas[area].done,
            YESNO,
        )
        for area in AREAS
    ]
    found = [
        Section(_("1. Members on {day}").format(day=on_day(p)), member_rows(r.members, in_group), MEMBERS_PART),
        Section(
            _("2. Organisation on {day}").format(day=on_day(p)),
            [
                Row(_("Board members"), r.board.size),
                Row(_("Groups"), r.groups),
                Row(_("Home-care volunteers"), act.volunteers),
            ],
            MEMBERS_PART,
        ),
        Section(
            _("3. Meetings and activities in the period"),
            [
                Row(_("Meetings held"), r.meetings.held),
                Row(_("Average attendance"), r.meetings.average_attendance, TEXT),
                Row(_("Health checks"), act.health_checks),
                Row(_("Home-care visits"), act.home_visits),
                Row(_("Activity areas carried out"), f"{len(act.areas_done)}/8", TEXT),
                *areas,
            ],
            MEETINGS_PART,
        ),
        Section(_("4. Money raised in the period"), raised_rows(r.funds), MONEY_PART),
        Section(
            _("5. Income-generation fund: balances and movements in the period"),
            fund_rows(r.funds.income, INCOME_FUND, p),
            MONEY_PART,
        ),
        Section(
            _("6. Activity fund: balances and movements in the period"),
            fund_rows(r.funds.activity, ACTIVITY_FUND, p),
            MONEY_PART,
        ),
        Section(_("7. Loans paid out and repaid in the period"), loans_in_period_rows(r.loans), LOANS_PART),
        Section(_("8. Loans owing on {day}").format(day=on_day(p)), loan_position_rows(r.loans), LOANS_PART),
        Section(
            _("9. Targets"), [Row(indicator_name(name), met, YESNO) for name, met in judged(r).items()], TARGETS_PART
        ),
    ]
    if r.before_records and r.club.records_start is not None:
        # the money and loan sections would show zeros or half of that time's money: one line says why not
        return [*found[:3], Section(records_notice(r.club.records_start), [], MONEY_PART), found[-1]]
    if r.corrections:
        found.append(Section(_("10. Corrections to reports already submitted"), correction_rows(r), CORRECTIONS_PART))
    return found


def judged(r: ClubReport) -> dict[str, bool]:
    """The targets the report judges: not those on the money for a period before the club's books on the bot."""
    if r.before_records and r.club.records_start is not None:
        return {name: met for name, met in r.indicators.items() if name not in MONEY_TARGETS}
    return dict(r.indicators.items())


def value_text(row: Row) -> str:
    if row.kind == MONEY:
        return money(row.value)
    if row.kind == PERCENT:
        return f"{number(row.value)} %"
    if row.kind == YESNO:
        return TICK if row.value else CROSS
    if isinstance(row.value, float):
        return number(row.value)
    text = number(row.value) if isinstance(row.value, int) else str(row.value)
    return f"{text} ({number(row.share)} %)" if row.share is not None else text


def heading(r: ClubReport) -> str:
    c = r.club
    lines = [report_title(r.period).upper(), c.name, capitalised(place_line(c))]
    if c.founding_decision:
        lines.append(
            _("Founded by decision {decision}{on}").format(
                decision=c.founding_decision,
                on=_(" of {day}").format(day=day(c.founded_on)) if c.founded_on else "",
            )
        )
    lines.append(due_line(r.period))
    lines.append(records_note(r) or "")
    return "\n".join(line for line in lines if line)


def submitted_line(r: ClubReport, zone: ZoneInfo) -> str:
    """Who marked the report as submitted, and on which local day (the mark is stored in UTC)."""
    s = r.submission
    if not s:
        return _("Not marked as submitted yet.")
    return _("Submitted (Đã nộp) on {day} by {name}.").format(day=day(local_day(s.at, zone)), name=s.by)


def section_text(section: Section) -> str:
    return "\n".join([section.title] + [f"{BULLET} {row.label}: {value_text(row)}" for row in section.rows])


def report_text(r: ClubReport, zone: ZoneInfo, in_group: bool = False) -> str:
    """The whole report as text (the command line prints it; the chat shows `club_summary`, then its parts)."""
    return "\n\n".join([heading(r), *(section_text(s) for s in sections(r, in_group)), submitted_line(r, zone)])


def club_parts(r: ClubReport, in_group: bool = False) -> dict[str, str]:
    """The report's sections gathered in the parts a person may open in the chat, in the order of PARTS."""
    found: dict[str, list[str]] = {}
    for section in sections(r, in_group):
        found.setdefault(section.part, []).append(section_text(section))
    return {part: "\n\n".join(found[part]) for part in PARTS if part in found}


def with_share(m: Members, group: str) -> str:
    return value_text(Row("", m.of(group), share=m.percent[group]))


def club_summary(r: ClubReport, zone: ZoneInfo) -> str:
    """The report on one screen: who, the money, the loans, the meetings and the targets; the parts follow as
    choices and the .xlsx holds it all. Women and older people are no one's secret: it fits a group chat too."""
    m, f, lo, p = r.members, r.funds, r.loans, r.period
    lines = [report_title(p).upper(), r.club.name, due_line(p)]
    lines.append(
        _("Members: {total}; women {women}, older people {elderly}.").format(
            total=m.total, women=with_share(m, "women"), elderly=with_share(m, "elderly")
        )
    )
    if r.before_records and r.club.records_start is not None:
        lines.append(records_notice(r.club.records_start))
    else:
        lines += [
            _("Money raised in the period: {raised} (from members {members}, from outside {outside}).").format(
                raised=money(f.raised), members=money(f.raised_from_members), outside=money(f.raised_from_outside)
            ),
            _("{balance}: income fund {income}, activity fund {activity}.").format(
                balance=balance_on(p), income=money(f.income.closing), activity=money(f.activity.closing)
            ),
            _("Loans: {borrowers} members owe {outstanding}; overdue {overdue} ({loans} loans).").format(
                borrowers=lo.borrowers,
                outstanding=money(lo.outstanding),
                overdue=money(lo.overdue_amount),
                loans=lo.overdue_loans,
            ),
        ]
    lines.append(
        _("Meetings: {held}, {average} present on average; {done}/8 activity areas.").format(
            held=r.meetings.held, average=number(r.meetings.average_attendance), done=len(r.activities.areas_done)
        )
    )
    targets = judged(r)
    lines.append(_("Targets met: {met}/{total}.").format(met=sum(targets.values()), total=len(targets)))
    unmet = [indicator_name(name) for name, met in targets.items() if not met]
    if unmet:
        lines.append(_("Not met: {targets}.").format(targets="; ".join(unmet)))
    lines += [records_note(r) or "", submitted_line(r, zone)]
    return "\n".join(line for line in lines if line)


# --- the district view -------------------------------------------------------------------------------------


# A figure read the same way from a club's report and from the district's totals (both have members,
# funds, loans and meetings of the same types).
Figure = Callable[[ClubReport | DistrictTotals], Any]


@dataclass(frozen=True)
class Column:
    """One figure of the district tables: its header, how a club's row and the totals row read it, its kind."""

    label: str
    club: Callable[[ClubReport], Any]
    total: Callable[[DistrictReport], Any]
    kind: str = COUNT
    share: Figure | None = None  # its per cent of members, shown in a column beside it


def same_column(label: str, figure: Figure, kind: str = COUNT, share: Figure | None = None) -> Column:
    """A column whose club figure and total are the same figure of a club's report and of the totals."""
    return Column(label, figure, lambda d: figure(d.totals), kind, share)


def kept_column(label: str, figure: Figure, kind: str = COUNT) -> Column:
    """A money or loan column: a dash for a club whose books on the bot start at the period's end or later (its figures,
    all 0, add nothing to the totals; `records_notes` says why)."""
    return Column(label, lambda r: DASH if r.before_records else figure(r), lambda d: figure(d.totals), kind)


def before_records(d: DistrictReport) -> list[ClubReport]:
    """The clubs whose books on the bot start at the period's end or later: none of their money is in the totals."""
    return [r for r in d.clubs if r.before_records]


def records_notes(d: DistrictReport) -> list[str]:
    """A line for each club whose money and loan figures are left out, saying from when they are kept."""
    return [
        _("{name} ({code}): {notice}").format(
            name=r.club.name, code=r.club.code, notice=records_notice(r.club.records_start)
        )
        for r in before_records(d)
        if r.club.records_start is not None
    ]


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]


def _group_column(group: str) -> Column:
    return same_column(group_name(group), lambda r: r.members.of(group), share=lambda r: r.members.percent[group])


def _area_column(area: str) -> Column:
    """Whether a club carried out the area; in the totals, how many clubs did."""
    return Column(
        area_name(area), lambda r: r.activities.areas[area].done, lambda d: d.totals.activities.areas[area].clubs, YESNO
    )


def targets_met(r: ClubReport) -> int:
    return sum(1 for _name, met in r.indicators.items() if met)


def district_tables(p: ReportPeriod) -> list[Table]:
    """The district's tables: members by group on the day; money raised in the period and the balances on
    the day; loans on the day; meetings and activity areas in the period."""
    members = [same_column(_("Members"), lambda r: r.members.total)]
    members += [_group_column(g) for g in MEMBER_GROUPS]
    money_columns = [
        kept_column(_("Raised in the period"), lambda r: r.funds.raised, MONEY),
        kept_column(_("of which from members"), lambda r: r.funds.raised_from_members, MONEY),
        kept_column(_("of which from outside"), lambda r: r.funds.raised_from_outside, MONEY),
        kept_column(_("Income fund balance"), lambda r: r.funds.income.closing, MONEY),
        kept_column(_("Activity fund balance"), lambda r: r.funds.activity.closing, MONEY),
    ]
    loan_columns = [
        kept_column(_("Members owing"), lambda r: r.loans.borrowers),
        kept_column(_("Outstanding balance"), lambda r: r.loans.outstanding, MONEY),
        kept_column(_("Overdue loans"), lambda r: r.loans.overdue_loans),
        kept_column(_("Overdue amount"), lambda r: r.loans.overdue_amount, MONEY),
        kept_column(_("More than 30 days overdue"), lambda r: r.loans.at_risk_30, MONEY),
        kept_column(_("PAR30"), lambda r: r.loans.par30_percent, PERCENT),
    ]
    activity_columns = [
        same_column(_("Meetings"), lambda r: r.meetings.held),
        # in the totals, the areas carried out by at least one club
        Column(
            _("Areas done"),
            lambda r: len(r.activities.areas_done),
            lambda d: sum(1 for area in AREAS if d.totals.activities.areas[area].clubs),
        ),
    ]
    activity_columns += [_area_column(area) for area in AREAS]
    activity_columns += [
        # in the totals, the targets met added over the clubs, of all the targets of all the clubs
        Column(
            _("Targets met"),
            lambda r: f"{targets_met(r)}/{len(r.indicators.items())}",
            lambda d: f"{sum(d.totals.clubs_meeting.values())}/{len(d.totals.clubs_meeting) * d.totals.clubs}",
        ),
        Column(
            _("Submitted"),
            lambda r: r.submitted,
            lambda d: f"{d.totals.clubs - len(d.not_submitted)}/{d.totals.clubs}",
            YESNO,
        ),
    ]
    return [
        Table(_("Members on {day}").format(day=on_day(p)), members),
        Table(_("Money raised in the period and fund balances on {day}").format(day=on_day(p)), money_columns),
        Table(_("Loans owing on {day}").format(day=on_day(p)), loan_columns),
        Table(_("Meetings and activity areas in the period (clubs that carried out each area)"), activity_columns),
    ]


def district_members(d: DistrictReport, in_group: bool) -> list[str]:
    m = d.totals.members
    lines = [_("Members on {day}: {members}.").format(day=on_day(d.period), members=m.total)]
    return lines + [
        f"{BULLET} {row.label}: {value_text(row)}" for row in (group_row(m, g, in_group) for g in MEMBER_GROUPS)
    ]


def district_money(d: DistrictReport) -> list[str]:
    """Money raised and the balances."""
    f, p = d.totals.funds, d.period
    return [
        _("Money raised in the period: {raised}; from members {members}, from outside {outside}.").format(
            raised=money(f.raised), members=money(f.raised_from_members), outside=money(f.raised_from_outside)
        ),
        _("Balances on {day}: income fund {income}, activity fund {activity}.").format(
            day=on_day(p), income=money(f.income.closing), activity=money(f.activity.closing)
        ),
    ]


def district_loans(d: DistrictReport) -> str:
    lo, p = d.totals.loans, d.period
    return _(
        "Loans on {day}: {borrowers} members owing {outstanding}; {overdue_loans} loans overdue, "
        "{overdue}; more than 30 days overdue {at_risk} (PAR30 {par} %)."
    ).format(
        day=on_day(p),
        borrowers=lo.borrowers,
        outstanding=money(lo.outstanding),
        overdue_loans=lo.overdue_loans,
        overdue=money(lo.overdue_amount),
        at_risk=money(lo.at_risk_30),
        par=number(lo.par30_percent),
    )


def left_out_line(d: DistrictReport) -> list[str]:
    """A word on the clubs whose money is left out, if any."""
    left_out = before_records(d)
    if not left_out:
        return []
    return [
        _(
            "Money and loan figures leave out {count} clubs whose books on the bot start on the last day of the "
            "period or later."
        ).format(count=len(left_out))
    ]


def district_meetings(d: DistrictReport) -> list[str]:
    t = d.totals
    lines = [_("Meetings in the period: {held}. Clubs that carried out each area:").format(held=t.meetings.held)]
    return lines + [f"{BULLET} {area_name(area)}: {t.activities.areas[area].clubs}/{t.clubs}" for area in AREAS]


def district_targets(d: DistrictReport) -> list[str]:
    t = d.totals
    lines = [_("Clubs meeting each target:")]
    return lines + [f"{BULLET} {indicator_name(name)}: {n}/{t.clubs}" for name, n in t.clubs_meeting.items()]


def district_clubs(d: DistrictReport) -> list[str]:
    return [_("By club:"), *(club_line(r) for r in d.clubs)]


def not_submitted_line(d: DistrictReport, most_names: int | None = None) -> str:
    """The clubs not submitted yet, by name; `most_names`: that many at most, then "..." (for the summary)."""
    missing = d.not_submitted
    if not missing:
        return _("Every club has submitted.")
    names = [c.name for c in missing]
    shown = ", ".join(names if most_names is None else names[:most_names])
    if most_names is not None and len(names) > most_names:
        shown = _("{names}, …").format(names=shown)
    return _("Not submitted yet ({count}): {names}").format(count=len(missing), names=shown)


def district_text(d: DistrictReport, in_group: bool = False) -> str:
    """The whole combined report as text (the command line prints it; the chat shows `district_summary`, then its
    parts)."""
    lines = [combined_title(d.period).upper(), d.title or _("your clubs"), due_line(d.period), ""]
    lines += [_("Clubs: {clubs}.").format(clubs=d.totals.clubs), *district_members(d, in_group), ""]
    lines += [*district_money(d), district_loans(d), *left_out_line(d), ""]
    lines += [*district_meetings(d), "", *district_targets(d), "", *district_clubs(d), ""]
    lines.append(not_submitted_line(d))
    return "\n".join(lines)


def district_parts(d: DistrictReport, in_group: bool = False) -> dict[str, str]:
    """The combined report's parts a reviewer may open in the chat, in the order of PARTS."""
    return {
        MEMBERS_PART: "\n".join(district_members(d, in_group)),
        MONEY_PART: "\n".join([*district_money(d), *left_out_line(d)]),
        LOANS_PART: "\n".join([district_loans(d), *left_out_line(d)]),
        MEETINGS_PART: "\n".join(district_meetings(d)),
        TARGETS_PART: "\n".join(district_targets(d)),
        CLUBS_PART: "\n".join([*district_clubs(d), "", not_submitted_line(d)]),
    }


# In the summary of a combined report, the clubs not submitted yet named up to this many (all in "Club by club").
NOT_SUBMITTED_NAMED = 5


def district_summary(d: DistrictReport) -> str:
    """The combined report on one screen; the parts follow as choices and the .xlsx holds it all."""
    t = d.totals
    every_target = sum(1 for r in d.clubs if all(judged(r).values()))
    lines = [combined_title(d.period).upper(), d.title or _("your clubs"), due_line(d.period)]
    lines.append(_("Clubs: {clubs}.").format(clubs=t.clubs))
    lines.append(_("Members on {day}: {members}.").format(day=on_day(d.period), members=t.members.total))
    lines += [*district_money(d), district_loans(d), *left_out_line(d)]
    lines.append(
        _("Meetings in the period: {held}; activity areas carried out: {done}/8.").format(
            held=t.meetings.held, done=sum(1 for area in AREAS if t.activities.areas[area].clubs)
        )
    )
    lines.append(_("Clubs meeting every target: {count}/{clubs}.").format(count=every_target, clubs=t.clubs))
    lines.append(not_submitted_line(d, NOT_SUBMITTED_NAMED))
    return "\n".join(lines)


def club_line(r: ClubReport) -> str:
    m, lo, f = r.members, r.loans, r.funds
    if r.before_records and r.club.records_start is not None:
        # fmt: off
        return _("• {name} ({code}): {members} members, {held} meetings, {done}/8 areas, {met}/{targets} targets "
            "{mark}. {notice}").format(
            name=r.club.name,
            code=r.club.code,
            members=m.total,
            held=r.meetings.held,
            done=len(r.activities.areas_done),
            met=targets_met(r),
            targets=len(r.indicators.items()),
            mark=_("[submitted]") if r.submitted else _("[not submitted]"),
            notice=records_notice(r.club.records_start),
        )
        # fmt: on
    # fmt: off
    return _("• {name} ({code}): {members} members, raised {raised} (from members {from_members}), {held} meetings, "
        "{done}/8 areas, outstanding {outstanding}, overdue {overdue} ({overdue_loans} loans), PAR30 {par} %, "
        "{met}/{targets} targets {mark}").format(
        name=r.club.name,
        code=r.club.code,
        members=m.total,
        raised=money(f.raised),
        from_members=money(f.raised_from_members),
        held=r.meetings.held,
        done=len(r.activities.areas_done),
        outstanding=money(lo.outstanding),
        overdue=money(lo.overdue_amount),
        overdue_loans=lo.overdue_loans,
        par=number(lo.par30_percent),
        met=targets_met(r),
        targets=len(r.indicators.items()),
        mark=_("[submitted]") if r.submitted else _("[not submitted]"),
    )
    # fmt: on


# --- /baocao ----------------------------------------------------------------------------------------------


def ask_period(current: Period) -> str:
    return _(
        "Which period? The current one is {period} ({span}, report due {due}). Pick one, or type a code "
        "such as 2025-H1, 2025-H2 or 2025 (the whole year)."
    ).format(period=period_name(current.code), span=period_span(current), due=day(current.due))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def period_label(p: Period, today: date) -> str:
    """A /baocao button: the period in words, its dates, and whether it is the current or the due one."""
    label = _("{period}: {span}").format(period=capitalised(period_name(p.code)), span=period_span(p))
    if len(p.code) == 4:
        return label
    if today in p:
        return label + " " + _("(current)")
    if p.end < today <= p.due:  # the first days of a half-year: the report to submit now is the last one's
        return label + " " + _("(report due {due})").format(due=day(p.due))
    return label


# fmt: off
BAD_PERIOD = lazy(
    lambda: _("I did not understand that period. Type it like 6 tháng đầu năm 2026, cuối năm 2026, năm 2026, kỳ này or kỳ trước (the codes 2026-H1, 2026-H2 and 2026 work too).")  # noqa: E501
)
# fmt: on


FUTURE_PERIOD = lazy(lambda: _("That period has not started yet. Pick a period that has begun."))


def xlsx_caption(r: ClubReport) -> str:
    return _("{title}: {club}, to print and hand in").format(title=report_title(r.period), club=r.club.name)


FILES_IN_PRIVATE_CHAT = lazy(
    lambda: _(
        "The files of the report hold the exact counts of poor, ethnic minority and disabled members: "
        "type /baocao in a private chat with the bot to get them."
    )
)


def chart_caption(r: ClubReport) -> str:
    caption = _("Chart: funds, loans and members, {period}").format(period=period_name(r.period.code))
    note = as_of_note(r.period)
    return f"{caption} ({note})" if note else caption


def district_caption(d: DistrictReport) -> str:
    return combined_title(d.period)


def ask_part(again: bool) -> str:
    """After the summary: which part to see in full; after a part, the same choices in a word."""
    if again:
        return _("Another part, or Done?")
    return _("Which part do you want to see in full? (The .xlsx has all of it.)")


def next_step(already: bool) -> str:
    return (
        _("The report is marked as submitted.")
        if already
        else _("When you have handed it to the commune's Elderly Association, mark it as submitted.")
    )


MARK_LABEL = lazy(lambda: _("Mark as submitted (Đã nộp)"))


DONE_LABEL = lazy(lambda: _("Done"))


def confirm_submit(r: ClubReport, by: str) -> str:
    return _(
        "Mark the report for {period} of {club} as submitted to the commune's Elderly Association, by {name}, today?"
    ).format(period=period_name(r.period.code), club=r.club.name, name=by)


def submitted_now(code: str, today: date) -> str:
    return _("Saved: the report for {period} is marked as submitted (Đã nộp) on {day}.").format(
        period=period_name(code), day=day(today)
    )


# --- the name on the report ----------------------------------------------------------------------------------


ASK_FULL_NAME = lazy(lambda: _("Your full name (to sign the report as the person who prepared it)?"))


BAD_FULL_NAME = lazy(lambda: _("Type your full name in letters, 2 to 100 characters, like Nguyễn Thị Lan."))


FULL_NAME_LABEL = lazy(lambda: _("Full name"))


def confirm_full_name(name: str) -> str:
    return _("Prepared by: {name}. This name will sign this club's reports.").format(name=name)


def full_name_saved(name: str) -> str:
    return _("Saved: your reports will be signed {name}.").format(name=name)


ONLY_CHAIR_SUBMITS = lazy(lambda: _("Only the chair can mark a report as submitted."))


NO_CLUBS_TO_REVIEW = lazy(lambda: _("You review no club yet: a club's chair invites you with /moi."))
