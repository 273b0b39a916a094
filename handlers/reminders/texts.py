"""What the bot says in reminders and in /nhacnho. Rendered in the recipient's language by the caller."""

from __future__ import annotations

from datetime import date

from handlers.i18n import TICK, _, day, lazy, money
from handlers.roles import role_name
from storage.reminders import MEMBER_TARGET, UnpaidInstalment

# --- the reminders themselves -------------------------------------------------------------------------------


def _days_left(today: date, due: date) -> str:
    left = (due - today).days
    if left <= 0:
        return _("today")
    if left == 1:
        return _("tomorrow")
    return _("in {days} days").format(days=left)


def deadline(
    club: str, period: str, start: date, end: date, due: date, today: date, details: dict, report_command: bool
) -> str:
    # fmt: off
    lines = [
        _("Reminder for {club}: the six-month report {period} ({start}–{end}) is due to the commune's Elderly "
          "Association on {due}, {left}."
        ).format(club=club, period=period, start=day(start), end=day(end), due=day(due), left=_days_left(today, due))
    ]
    # fmt: on
    lines += _missing(details)
    lines.append(
        _(
            "Press the button below or type /baocao to prepare it. Once it is handed in, the chair marks "
            "it submitted and these reminders stop."
        )
        if report_command
        else _(
            "Type /baocao to prepare it. Once it is handed in, the chair marks it submitted and these reminders stop."
        )
    )
    return "\n".join(lines)


def overdue(club: str, period: str, due: date, details: dict, report_command: bool) -> str:
    lines = [
        _(
            "{club}: the report {period} was due on {due} and is not marked submitted yet. The Elderly "
            "Association has been told it is late."
        ).format(club=club, period=period, due=day(due))
    ]
    lines += _missing(details)
    lines.append(
        _("Type /baocao to prepare it, and mark it submitted once it is handed in.")
        if not report_command
        else _("Press the button below or type /baocao to prepare it.")
    )
    return "\n".join(lines)


def _missing(details: dict) -> list[str]:
    missing = []
    if details.get("no_meeting"):
        last = details.get("last_meeting")
        missing.append(
            _("- no meeting logged in the last month (last one: {day}); log it with /hop").format(day=day(last))
            if last
            else _("- no meeting logged yet; log them with /hop")
        )
    if details.get("few_members"):
        missing.append(
            _("- {count} members on the list, fewer than the target of {target}; add them with /thanhvien").format(
                count=details.get("members", 0), target=MEMBER_TARGET
            )
        )
    if "contributed" in details and not details["contributed"]:
        missing.append(_("- no contribution recorded this period; record them with /donggop"))
    return [_("Still missing:"), *missing] if missing else [_("Nothing obvious is missing.")]


def late_clubs(period: str, due: date, clubs: list[tuple[str, str]]) -> str:
    lines = [
        _("Reports {period} due on {due} that are not marked submitted yet ({count} clubs):").format(
            period=period, due=day(due), count=len(clubs)
        )
    ]
    lines += [f"- {name} ({code})" for code, name in clubs]
    return "\n".join(lines)


def _instalment_lines(instalments: list[UnpaidInstalment]) -> list[str]:
    return [f"- {i.member}: {money(i.left)} ({day(i.due_on)})" for i in instalments]


def meeting(club: str, meeting_on: date, today: date, role: str, details: dict) -> str:
    when = _("tomorrow") if meeting_on > today else _("today")
    lines = [_("{club} meets {when}, {day}.").format(club=club, when=when, day=day(meeting_on))]
    if "due" in details:
        overdue_list, due_list = details.get("overdue", []), details.get("due", [])
        if due_list:
            lines += [_("Instalments due by the next meeting:"), *_instalment_lines(due_list)]
        if overdue_list:
            lines += [_("Overdue:"), *_instalment_lines(overdue_list)]
        if not (due_list or overdue_list):
            lines.append(_("No instalments are due or overdue."))
        lines.append(_("Record repayments with /trano."))
    else:
        lines.append(_("Log it afterwards with /hop."))
    return "\n".join(lines)


def instalments(club: str, monday: date, details: dict) -> str:
    due_list = details.get("due", [])
    lines = [
        _("{club}: instalments falling due from {start} to {end}:").format(
            club=club, start=day(monday), end=day(date.fromordinal(monday.toordinal() + 6))
        )
    ]
    lines += _instalment_lines(due_list) or [_("None.")]
    lines.append(_("Record repayments with /trano."))
    return "\n".join(lines)


OPEN_REPORT_LABEL = lazy(lambda: _("Open the report"))


# --- /nhacnho -------------------------------------------------------------------------------------------------


def kind_name(kind: str) -> str:
    names = {
        "deadline": _("Report deadlines (5 June, 5 December)"),
        "meeting": _("The day before the monthly meeting"),
        "instalments": _("Instalments due this week (treasurer)"),
    }
    return names[kind]


def on_off(on: bool) -> str:
    return _("on") if on else _("off")


def hour_text(hour: int) -> str:
    return f"{hour:02d}:00"


def kind_line(kind: str, on: bool) -> str:
    return f"- {kind_name(kind)}: {on_off(on)}"


def hour_line(hour: int, own: bool) -> str:
    return (_("- Time: {hour} (your choice)") if own else _("- Time: {hour} (the club's)")).format(hour=hour_text(hour))


def meeting_day_line(meeting_day: int) -> str:
    return _("The club meets on day {day} of each month.").format(day=meeting_day)


def recipient_line(name: str, on: bool) -> str:
    return _("- Deadline reminders to {name}: {on}").format(name=name, on=on_off(on))


def saved_and_more(line: str) -> str:
    """After a change is saved: what it is now, and the menu's choices asked again in a word."""
    return _("Saved:\n{setting}\nAnything else to change?").format(setting=line)


def menu(club: str, kinds: dict[str, bool], hour: int, own_hour: bool, meeting_day: int, recipients: list[str]) -> str:
    lines = [_("Your reminders for {club}:").format(club=club)]
    lines += [kind_line(kind, on) for kind, on in kinds.items()]
    lines.append(hour_line(hour, own_hour))
    lines.append(meeting_day_line(meeting_day))
    lines.append(
        _("Deadline reminders go to the chair and the vice-chair{others}.").format(
            others=(_(", and to: {names}").format(names=", ".join(recipients)) if recipients else "")
        )
    )
    lines.append(_("Nothing is sent between 21:00 and 07:00. What do you want to change?"))
    return "\n".join(lines)


def toggle_label(kind: str, on: bool) -> str:
    return (_("Turn off: {kind}") if on else _("Turn on: {kind}")).format(kind=kind_name(kind))


HOUR_LABEL = lazy(lambda: _("Change the time"))


MEETING_DAY_LABEL = lazy(lambda: _("Change the club's meeting day"))


RECIPIENTS_LABEL = lazy(lambda: _("Who gets deadline reminders"))

# The answers' names in the read-back's "change an answer" list.
TIME = lazy(lambda: _("Reminder time"))

MEETING_DAY = lazy(lambda: _("Meeting day"))

RECIPIENT = lazy(lambda: _("Deadline reminders for"))


def confirm_toggle(kind: str, on: bool) -> str:
    return (_("Turn ON reminders for: {kind}?") if on else _("Turn OFF reminders for: {kind}?")).format(
        kind=kind_name(kind)
    )


ASK_HOUR = lazy(lambda: _("At what hour do you want your reminders? Type an hour from 7 to 20, e.g. 8 or 17:00."))


BAD_HOUR = lazy(lambda: _("Reminders go out between 7:00 and 20:00 (nothing at night). Type an hour from 7 to 20."))


def confirm_hour(hour: int) -> str:
    return _("Send your reminders at {hour}?").format(hour=hour_text(hour))


ASK_MEETING_DAY = lazy(
    lambda: _(
        "On which day of the month does the club meet? Type a number from 1 to 31 (in shorter months, the last day)."
    )
)


BAD_MEETING_DAY = lazy(lambda: _("Type a day of the month from 1 to 31."))


def confirm_meeting_day(meeting_day: int) -> str:
    return _(
        "The club meets on day {day} of each month; board members are reminded the day before. Is that right?"
    ).format(day=meeting_day)


ASK_RECIPIENT = lazy(
    lambda: _(
        "Deadline reminders always go to the chair and the vice-chair. Whom else should they go to? "
        "Pick a person to add or remove (\N{CHECK MARK} = gets them now)."
    )
)


NO_ONE_TO_ADD = lazy(lambda: _("There is nobody else on the board yet. Invite people with /moi."))


def recipient_label(name: str, role: str, on: bool) -> str:
    return f"{TICK + ' ' if on else ''}{name} ({role_name(role)})"


def confirm_recipient(name: str, on: bool) -> str:
    return (
        _("Send deadline reminders to {name} too?") if on else _("Stop sending deadline reminders to {name}?")
    ).format(name=name)


CHAIR_ONLY = lazy(lambda: _("Only the chair can change this."))
