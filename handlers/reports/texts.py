"""What the reports say: the labels and tables shared by the chat text, the .xlsx and the chart, and the
questions of /baocao. Every text goes through gettext; the figures come from storage.reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.i18n import BULLET, CROSS, TICK, _, day, money, number
from handlers.meetings.texts import area_name
from handlers.money.texts import kind_name
from storage.models import ACTIVITY_FUND, AREAS, CONTRIBUTION_KINDS, INCOME_FUND
from storage.periods import Period

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


def indicator_name(name: str) -> str:
    return {"members_40": _("At least 40 members"), "women_60_70": _("60–70 % women"),
            "elderly_60_70": _("60–70 % older people"), "young_30_40": _("30–40 % younger people"),
            "both_funds": _("Both funds in place"), "all_eight_areas": _("All eight activity areas carried out"),
            "borrowed_50": _("At least 50 % of members have borrowed")}[name]


def member_rows(m: dict[str, Any]) -> list[Row]:
    pct = m["percent"]
    return [Row(_("Members"), m["total"]),
            Row(_("Older people (60 and over)"), m["elderly"], share=pct["elderly"]),
            Row(_("Younger people"), m["young"], share=pct["young"]),
            Row(_("Women"), m["women"], share=pct["women"]),
            Row(_("Poor"), m["poor"], share=pct["poor"]),
            Row(_("Near-poor"), m["near_poor"], share=pct["near_poor"]),
            Row(_("Better-off"), m["better_off"], share=pct["better_off"]),
            Row(_("Ethnic minority"), m["ethnic_minority"], share=pct["ethnic_minority"]),
            Row(_("With a disability"), m["disabled"], share=pct["disabled"]),
            Row(_("Joined in the period"), m["joined"]),
            Row(_("Left in the period"), m["left"])]


def fund_rows(f: dict[str, Any], fund: str) -> list[Row]:
    rows = [Row(_("Opening balance"), f["opening"], MONEY)]
    rows += [Row(_("In: {kind}").format(kind=kind_name(kind)), f["money_in"][kind], MONEY)
             for kind in CONTRIBUTION_KINDS if f["money_in"][kind]]
    rows.append(Row(_("of which from outside the club"), f["from_outside"], MONEY))
    if fund == INCOME_FUND:
        rows += [Row(_("Loans paid out"), f["loans_out"], MONEY), Row(_("Repayments received"), f["repayments"], MONEY),
                 Row(_("of which fees/interest"), f["fees"], MONEY)]
    else:
        rows.append(Row(_("Expenses"), f["expenses"], MONEY))
    rows.append(Row(_("Closing balance"), f["closing"], MONEY))
    return rows


def loan_rows(lo: dict[str, Any]) -> list[Row]:
    return [Row(_("Members owing on a loan"), lo["borrowers"]),
            Row(_("Members who have ever borrowed"), lo["ever_borrowed"], share=lo["ever_borrowed_percent"]),
            Row(_("Loans paid out in the period"), lo["loans_in_period"]),
            Row(_("Amount paid out in the period"), lo["disbursed"], MONEY),
            Row(_("Principal repaid in the period"), lo["principal_repaid"], MONEY),
            Row(_("Outstanding at the start"), lo["opening_outstanding"], MONEY),
            Row(_("Outstanding at the end"), lo["outstanding"], MONEY),
            Row(_("Overdue amount"), lo["overdue_amount"], MONEY),
            Row(_("Loans with something overdue"), lo["overdue_loans"]),
            Row(_("Share of the portfolio more than 30 days overdue"), lo["par30_percent"], PERCENT)]


def sections(r: dict[str, Any]) -> list[Section]:
    """The tables of one club's report, in the order the district form has them."""
    act = r["activities"]
    areas = [Row(_("{area}: {meetings} meetings, {activities} other activities").format(
        area=area_name(area), meetings=act["areas"][area]["meetings"], activities=act["areas"][area]["activities"]),
        act["areas"][area]["done"], YESNO) for area in AREAS]
    return [
        Section(_("1. Members (as of {day})").format(day=day(r["period"]["end"])), member_rows(r["members"])),
        Section(_("2. Organisation"), [Row(_("Board members"), r["board"]["size"]), Row(_("Groups"), r["groups"]),
                                       Row(_("Home-care volunteers"), act["volunteers"])]),
        Section(_("3. Meetings and activities"), [
            Row(_("Meetings held"), r["meetings"]["held"]),
            Row(_("Average attendance"), r["meetings"]["average_attendance"], TEXT),
            Row(_("Health checks"), act["health_checks"]), Row(_("Home-care visits"), act["home_visits"]),
            Row(_("Activity areas carried out"), f"{len(act['areas_done'])}/8", TEXT), *areas]),
        Section(_("4. Income-generation fund"), fund_rows(r["funds"][INCOME_FUND], INCOME_FUND)),
        Section(_("5. Activity fund"), fund_rows(r["funds"][ACTIVITY_FUND], ACTIVITY_FUND)),
        Section(_("6. Loans"), loan_rows(r["loans"])),
        Section(_("7. Targets"), [Row(indicator_name(name), met, YESNO) for name, met in r["indicators"].items()]),
    ]


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


def heading(r: dict[str, Any]) -> str:
    c = r["club"]
    lines = [_("REPORT {code}: {name}").format(code=r["period"]["code"], name=c["name"]),
             ", ".join(part for part in (c["village"], c["commune"], c["district"], c["province"]) if part)]
    if c["founding_decision"]:
        lines.append(_("Founded by decision {decision}{on}").format(
            decision=c["founding_decision"], on=_(" of {day}").format(day=day(c["founded_on"])) if c["founded_on"]
            else ""))
    lines.append(period_line(r["period"]))
    return "\n".join(lines)


def period_line(p: dict[str, Any]) -> str:
    return _("Period {code}: {start} to {end}, report due {due}").format(
        code=p["code"], start=day(p["start"]), end=day(p["end"]), due=day(p["due"]))


def submitted_line(r: dict[str, Any]) -> str:
    s = r["submission"]
    if not s:
        return _("Not marked as submitted yet.")
    at = s["at"]
    return _("Submitted (Đã nộp) on {day} by {name}.").format(
        day=day(at.date() if isinstance(at, datetime) else at), name=s["by"])


def report_text(r: dict[str, Any]) -> str:
    parts = [heading(r)]
    for section in sections(r):
        parts.append("\n".join([section.title] + [f"{BULLET} {row.label}: {value_text(row)}" for row in section.rows]))
    parts.append(submitted_line(r))
    return "\n\n".join(parts)


# --- the district view -------------------------------------------------------------------------------------

def district_columns() -> list[tuple[str, str]]:
    """(label, path in a club report) for each column of the district table."""
    return [(_("Members"), "members.total"), (_("Older people"), "members.elderly"), (_("Women"), "members.women"),
            (_("Poor"), "members.poor"), (_("Near-poor"), "members.near_poor"),
            (_("Meetings"), "meetings.held"), (_("Areas done"), "activities.areas_done"),
            (_("Income fund"), "funds.income.closing"), (_("Activity fund"), "funds.activity.closing"),
            (_("Borrowers"), "loans.borrowers"), (_("Outstanding"), "loans.outstanding"),
            (_("Overdue"), "loans.overdue_amount"), (_("Targets met"), "indicators"),
            (_("Submitted"), "submitted")]


MONEY_PATHS = {"funds.income.closing", "funds.activity.closing", "loans.outstanding", "loans.overdue_amount"}


def pick(report: dict[str, Any], path: str):
    value: Any = report
    for key in path.split("."):
        value = value[key]
    if path == "activities.areas_done":
        return len(value)
    if path == "indicators":
        return sum(1 for met in value.values() if met)
    return value


def district_text(d: dict[str, Any]) -> str:
    t = d["totals"]
    m, lo = t["members"], t["loans"]
    lines = [_("COMBINED REPORT {code}: {title}").format(code=d["period"]["code"], title=d["title"] or _("your clubs")),
             period_line(d["period"]), "",
             _("Clubs: {clubs}. Members: {members}; older people {elderly} ({pe} %), women {women} ({pw} %), "
               "poor {poor}, near-poor {near}.").format(
                 clubs=t["clubs"], members=m["total"], elderly=m["elderly"], pe=number(m["percent"]["elderly"]),
                 women=m["women"], pw=number(m["percent"]["women"]), poor=m["poor"], near=m["near_poor"]),
             _("Meetings: {held}. Income fund: {income}. Activity fund: {activity}.").format(
                 held=t["meetings"]["held"], income=money(t["funds"][INCOME_FUND]["closing"]),
                 activity=money(t["funds"][ACTIVITY_FUND]["closing"])),
             _("Loans: {borrowers} members owing {outstanding}; overdue {overdue}.").format(
                 borrowers=lo["borrowers"], outstanding=money(lo["outstanding"]), overdue=money(lo["overdue_amount"])),
             "", _("Clubs meeting each target:")]
    lines += [f"{BULLET} {indicator_name(name)}: {n}/{t['clubs']}" for name, n in t["clubs_meeting"].items()]
    lines += ["", _("By club:")]
    for r in d["clubs"]:
        lines.append(_("• {name} ({code}): {members} members, {held} meetings, {done}/8 areas, outstanding "
                       "{outstanding}, overdue {overdue}, {met}/{targets} targets {mark}").format(
            name=r["club"]["name"], code=r["club"]["code"], members=r["members"]["total"],
            held=r["meetings"]["held"], done=len(r["activities"]["areas_done"]),
            outstanding=money(r["loans"]["outstanding"]), overdue=money(r["loans"]["overdue_amount"]),
            met=pick(r, "indicators"), targets=len(r["indicators"]),
            mark=_("[submitted]") if r["submitted"] else _("[not submitted]")))
    missing = d["not_submitted"]
    lines += ["", _("Not submitted yet ({count}): {names}").format(
        count=len(missing), names=", ".join(c["name"] for c in missing)) if missing
        else _("Every club has submitted.")]
    return "\n".join(lines)


# --- /baocao ----------------------------------------------------------------------------------------------

def ask_period(current: Period) -> str:
    return _("Which period? The current one is {code} ({start} to {end}, due {due}). Pick one or type a code "
             "such as 2025-H1, 2025-H2 or 2025 (the whole year).").format(
        code=current.code, start=day(current.start), end=day(current.end), due=day(current.due))


def period_label(p: Period, today: date) -> str:
    if len(p.code) == 4:
        return _("Year {year}").format(year=p.code)
    label = _("{code}: {start} – {end}").format(code=p.code, start=day(p.start), end=day(p.end))
    if today in p:
        return label + " " + _("(current)")
    if p.end < today <= p.due:  # the first days of a half-year: the report to submit now is the last one's
        return label + " " + _("(report due {due})").format(due=day(p.due))
    return label


def bad_period() -> str:
    return _("I did not understand that period. Type it like 2025-H1 (Dec–May), 2025-H2 (Jun–Nov) or 2025.")


def future_period() -> str:
    return _("That period has not started yet. Pick a period that has begun.")


def xlsx_caption(r: dict[str, Any]) -> str:
    return _("Report {code} for {club}, to print and hand in").format(code=r["period"]["code"], club=r["club"]["name"])


def chart_caption(r: dict[str, Any]) -> str:
    return _("Chart: funds, loans and members, {code}").format(code=r["period"]["code"])


def district_caption(d: dict[str, Any]) -> str:
    return _("Combined report {code}").format(code=d["period"]["code"])


def next_step(already: bool) -> str:
    return _("The report is marked as submitted.") if already else _("When you have handed it to the district, "
                                                                      "mark it as submitted.")


def mark_label() -> str:
    return _("Mark as submitted (Đã nộp)")


def done_label() -> str:
    return _("Done")


def confirm_submit(r: dict[str, Any], by: str) -> str:
    return _("Mark the report {code} of {club} as submitted to the district, by {name}, today?").format(
        code=r["period"]["code"], club=r["club"]["name"], name=by)


def submitted_now(code: str, today: date) -> str:
    return _("Saved: the report {code} is marked as submitted (Đã nộp) on {day}.").format(code=code, day=day(today))


def only_chair_submits() -> str:
    return _("Only the chair can mark a report as submitted.")


def no_clubs_to_review() -> str:
    return _("You review no club yet: a club's chair invites you with /moi.")
