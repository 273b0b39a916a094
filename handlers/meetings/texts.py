"""What the bot says about meetings, activities, volunteers and groups."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from handlers.core import Choice, press, skip_choice
from handlers.i18n import ARROW, CROSS, TICK, _, day, lazy, local_day, money, number
from handlers.parsing import date_examples
from storage.areas import AreaCount, PeriodFigures
from storage.meetings import MeetingDraft
from storage.models import (
    AREAS,
    CULTURE,
    CULTURE_EVENT,
    HEALTH,
    HEALTH_DAY,
    HOME_VISIT,
    HOMECARE,
    INCOME,
    LEARNING,
    OTHER_ACTIVITY,
    RESOURCES,
    RESOURCES_RAISED,
    RIGHTS,
    RIGHTS_CASE,
    SELFHELP,
    Club,
    ClubGroup,
    Meeting,
    MeetingChange,
    Member,
)
from storage.periods import Period


def area_name(area: str) -> str:
    return {
        INCOME: _("Income generation"),
        HEALTH: _("Health care"),
        HOMECARE: _("Volunteer home care"),
        SELFHELP: _("Self-help and community support"),
        RIGHTS: _("Rights and entitlements"),
        LEARNING: _("Learning and communication"),
        CULTURE: _("Culture, arts and sport"),
        RESOURCES: _("Resource mobilisation"),
    }[area]


def area_names(areas) -> str:
    return "; ".join(area_name(area) for area in areas) or "-"


def kind_name(kind: str) -> str:
    return {
        HOME_VISIT: _("Home-care visit"),
        HEALTH_DAY: _("Health check day"),
        CULTURE_EVENT: _("Cultural or sports event"),
        RIGHTS_CASE: _("Rights or entitlement case helped"),
        RESOURCES_RAISED: _("Outside resources mobilised"),
        OTHER_ACTIVITY: _("Other activity"),
    }[kind]


def ticked(label: str, on: bool) -> str:
    return f"{TICK} {label}" if on else label


def period_line(period: Period) -> str:
    return _("Period {code}: {start} to {end}, report due {due}").format(
        code=period.code, start=day(period.start), end=day(period.end), due=day(period.due)
    )


# --- menu and labels ------------------------------------------------------------------------------------


def menu(club: Club, period: Period, held: int, areas_done: int) -> str:
    return (
        _("{club}: meetings and the eight activity areas.").format(club=club.name)
        + "\n"
        + period_line(period)
        + "\n"
        + _("So far: {held} meetings; {done} of 8 areas carried out.").format(held=held, done=areas_done)
        + "\n\n"
        + _("What do you want to do?")
    )


LOG_LABEL = lazy(lambda: _("Log a meeting"))


HISTORY_LABEL = lazy(lambda: _("Recent meetings"))


AREAS_LABEL = lazy(lambda: _("Areas done this period"))


ACTIVITY_LABEL = lazy(lambda: _("Log an activity outside meetings"))


PEOPLE_LABEL = lazy(lambda: _("Volunteers and groups"))


DONE_LABEL = lazy(lambda: _("Done"))


BACK_LABEL = lazy(lambda: _("Back to the meetings menu"))


TODAY_LABEL = lazy(lambda: _("Today"))


YESTERDAY_LABEL = lazy(lambda: _("Yesterday"))


PREVIOUS_LABEL = lazy(lambda: _("Previous page"))


NEXT_LABEL = lazy(lambda: _("Next page"))


# --- answers that cannot be used ------------------------------------------------------------------------


def too_long(length: int, limit: int) -> str:
    return _("That is {length} characters; at most {limit} fit here. Shorten it and send it again.").format(
        length=length, limit=limit
    )


CANNOT_LOG = lazy(
    lambda: _("Only the chair, the vice-chair or the secretary can log meetings and activities. Nothing was saved.")
)


CANNOT_EDIT = lazy(lambda: _("Only the chair or the secretary can change a logged meeting. Nothing was saved."))


# --- logging a meeting ----------------------------------------------------------------------------------


def ask_meeting_date(today: date) -> str:
    return _("On what date was the meeting? Pick a day below, or type it like {examples}.").format(
        examples=date_examples(today)
    )


def same_day(existing: str) -> str:
    return _("A meeting on that date is already logged:\n{meeting}\nWhat do you want to do?").format(meeting=existing)


EDIT_THAT_LABEL = lazy(lambda: _("Change that meeting"))


ADD_ANYWAY_LABEL = lazy(lambda: _("Log a second meeting that day"))


OTHER_DATE_LABEL = lazy(lambda: _("Type another date"))


def ask_attendance(members: int, tick: Choice) -> str:
    return _(
        "How many people came? Type the number (the club has {members} members on its list), "
        "or {press_tick} to tick their names."
    ).format(members=members, press_tick=press(tick))


TICK_NAMES_LABEL = lazy(lambda: _("Tick names on the list"))


def too_many_present(members: int) -> str:
    if members == 0:
        return _("The club has no members on its list yet. Add them with /thanhvien first, then log the meeting.")
    return _(
        "The club has only {members} members on its list. Type a number up to {members}, "
        "or add the missing members with /thanhvien first."
    ).format(members=members)


def attendee_page(page: int, pages: int, count: int, done: Choice) -> str:
    return _(
        "Tick who came (page {page} of {pages}). Ticked so far: {count}.\n"
        "Pick a name to tick or untick it; you can also type several numbers, like 2 4 6. "
        "{press_done} when everyone is ticked."
    ).format(page=page + 1, pages=pages, count=count, press_done=press(done))


def ticked_so_far(count: int, page: int, pages: int, done: Choice) -> str:
    """The page asked again after a tick: the instructions were given on the first one."""
    return _("{count} ticked (page {page} of {pages}). Tick more, or {press_done}.").format(
        count=count, page=page + 1, pages=pages, press_done=press(done)
    )


TICK_ALL_LABEL = lazy(lambda: _("Everyone on the list came"))


def not_on_page(word: str) -> str:
    return _('"{word}" is not on this page. Type the numbers shown beside the names, like 2 4 6.').format(word=word)


TICK_SOMEONE = lazy(lambda: _("Nobody is ticked yet. Tick the people who came, or type /huy to stop."))


def ask_areas(count: int, done: Choice) -> str:
    return _(
        "Which of the eight activity areas did the meeting cover? Pick each one (again to untick), "
        "or type their numbers, like 1 2 6. Then {press_done}. Ticked: {count}."
    ).format(count=count, press_done=press(done))


def areas_so_far(count: int, done: Choice) -> str:
    return _("{count} areas ticked. Tick more, or {press_done}.").format(count=count, press_done=press(done))


def unknown_area(word: str) -> str:
    return _(
        'I do not know the area "{word}". Type the numbers of the areas in the list, from 1 to 8, like 1 2 6.'
    ).format(word=word)


def pick_an_area(done: Choice) -> str:
    return _("No area is ticked yet. Tick at least one of the eight areas, then {press_done}.").format(
        press_done=press(done)
    )


def ask_health_checks(present: int) -> str:
    return _(
        "How many health checks (blood pressure and others) were done at the meeting? "
        "Type a number from 0 to {present}."
    ).format(present=present)


def too_many_checks(present: int) -> str:
    return _("Only {present} people were present. Type a number from 0 to {present}.").format(present=present)


ASK_TOPIC = lazy(
    lambda: _("Topic of the meeting (the talk or main subject)? {press_skip} if there was none.").format(
        press_skip=press(skip_choice())
    )
)


ASK_NOTES = lazy(
    lambda: _("Notes: decisions, cases helped, next month's plan? {press_skip} if there are none.").format(
        press_skip=press(skip_choice())
    )
)


def ask_photo(no_photo: Choice) -> str:
    return _("Send a photo of the meeting if you have one (from Telegram), or {press_no_photo}.").format(
        press_no_photo=press(no_photo)
    )


NO_PHOTO_LABEL = lazy(lambda: _("No photo"))


def send_a_photo(no_photo: Choice) -> str:
    return _("Send the photo itself, or {press_no_photo}.").format(press_no_photo=press(no_photo))


def present(count: int) -> str:
    """How far the meeting being logged is, for "you are in the middle of ... (14 present)"."""
    return _("{count} present").format(count=count)


def present_text(draft: MeetingDraft, members: int) -> str:
    text = _("{count} of {members} members").format(count=draft.attendance, members=members)
    return text + " " + _("(names ticked)") if draft.attendees else text


def meeting_summary(draft: MeetingDraft, members: int) -> str:
    lines = [
        _("Meeting on {date}").format(date=day(draft.held_on)),
        _("Present: {present}").format(present=present_text(draft, members)),
        _("Areas covered: {areas}").format(areas=area_names(draft.areas)),
        _("Health checks: {count}").format(count=draft.health_checks),
        _("Topic: {topic}").format(topic=draft.topic or "-"),
        _("Notes: {notes}").format(notes=draft.notes or "-"),
        _("Photo: {photo}").format(photo=_("yes") if draft.photo else _("no")),
    ]
    return "\n".join(lines)


def coverage(period: Period, counts: dict[str, AreaCount]) -> str:
    missing = [area for area in AREAS if not counts[area].done]
    text = _("{code}: {done} of 8 areas carried out.").format(code=period.code, done=len(AREAS) - len(missing))
    if missing:
        text += " " + _("Not yet: {areas}.").format(areas=area_names(missing))
    return text


def meeting_saved(summary: str, coverage_text: str) -> str:
    return _("Saved.") + "\n" + summary + "\n\n" + coverage_text


# --- history and editing --------------------------------------------------------------------------------


def meeting_line(meeting: Meeting, areas) -> str:
    line = _("{date}: {count} present; {areas}").format(
        date=day(meeting.held_on), count=meeting.attendance, areas=area_names(areas)
    )
    return f"{line}; {meeting.topic}" if meeting.topic else line


def meeting_label(meeting: Meeting) -> str:
    return _("{date} ({count} present)").format(date=day(meeting.held_on), count=meeting.attendance)


def history(meetings_: list[Meeting], areas: dict[int, tuple[str, ...]]) -> str:
    lines = [meeting_line(m, areas[m.id]) for m in meetings_]
    return (
        _("Meetings of the last six months, newest first:")
        + "\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Pick a meeting to see all of it or change it.")
    )


NO_MEETINGS = lazy(lambda: _("No meetings logged in the last six months."))


def value_text(field: str, value) -> str:
    if value is None or value == () or value == []:
        return "-"
    if field == "held_on":
        return day(date.fromisoformat(value) if isinstance(value, str) else value)
    if field == "areas":
        return area_names(value)
    if field == "attendees":
        return _("{count} names ticked").format(count=len(value))
    if field == "photo":
        return _("yes")
    return str(value)


def change_line(change: MeetingChange, who: str, zone: ZoneInfo) -> str:
    return _("{when}, {who}: {field} {old} → {new}").format(
        when=day(local_day(change.changed_at, zone)),
        who=who,
        field=field_label(change.field),
        old=value_text(change.field, change.old),
        new=value_text(change.field, change.new),
    )


def meeting_card(summary: str, changes: list[tuple[MeetingChange, str]], zone: ZoneInfo) -> str:
    if not changes:
        return summary
    return summary + "\n\n" + _("Changes:") + "\n" + "\n".join(change_line(c, who, zone) for c, who in changes)


EDIT_LABEL = lazy(lambda: _("Change something"))


BACK_TO_HISTORY_LABEL = lazy(lambda: _("Back to recent meetings"))


def field_label(field: str) -> str:
    return {
        "held_on": _("Date"),
        "attendance": _("Number present"),
        "attendees": _("Names ticked"),
        "areas": _("Areas covered"),
        "health_checks": _("Health checks"),
        "topic": _("Topic"),
        "notes": _("Notes"),
        "photo": _("Photo"),
    }[field]


ASK_WHAT_TO_CHANGE = lazy(lambda: _("What do you want to change? The old value is kept in the meeting's history."))


def change_summary(meeting: Meeting, changed: list[tuple[str, object, object]]) -> str:
    lines = [
        f"{field_label(field)}: {value_text(field, old)} {ARROW} {value_text(field, new)}"
        for field, old, new in changed
    ]
    return _("Meeting on {date}:").format(date=day(meeting.held_on)) + "\n" + "\n".join(lines)


NOTHING_CHANGED = lazy(lambda: _("That is the same as before; nothing changed."))


def changes_saved(count: int) -> str:
    return _("Saved {count} changes. The old values are kept in the history below.").format(count=count)


MEETING_GONE = lazy(lambda: _("That meeting is not in this club's records. Type /hop to start again."))


# --- the areas this period ------------------------------------------------------------------------------


def areas_overview(period: Period, figures: PeriodFigures) -> str:
    meeting_figures = figures.meetings
    lines = [
        period_line(period),
        _("Meetings: {held}; on average {average} present.").format(
            held=meeting_figures.held, average=number(meeting_figures.average_attendance)
        ),
        _("Health checks: {checks}. Home-care visits: {visits}. Volunteers: {volunteers}.").format(
            checks=figures.health_checks, visits=figures.home_visits, volunteers=figures.volunteers
        ),
        "",
    ]
    done = figures.areas_done
    lines.append(_("Carried out ({count} of 8):").format(count=len(done)))
    lines += [
        f"{TICK} "
        + _("{area}: {meetings} meetings, {activities} other activities").format(
            area=area_name(area), meetings=figures.areas[area].meetings, activities=figures.areas[area].activities
        )
        for area in done
    ]
    missing = [area for area in AREAS if area not in done]
    if missing:
        lines += ["", _("Not yet ({count}):").format(count=len(missing))]
        lines += [f"{CROSS} {area_name(area)}" for area in missing]
    return "\n".join(lines)


# --- activities outside meetings ------------------------------------------------------------------------


ASK_KIND = lazy(lambda: _("What did the club do?"))


ASK_ACTIVITY_AREA = lazy(lambda: _("Which activity area does it count for?"))


PICK_ONE_AREA = lazy(lambda: _("Pick one of the eight areas below, or type its number from 1 to 8."))


ASK_VOLUNTEER = lazy(lambda: _("Which volunteer made the visit? Pick the name below, or type it."))


NO_VOLUNTEERS = lazy(
    lambda: _("No member is marked as a home-care volunteer yet. Mark them first under Volunteers and groups.")
)


def not_a_volunteer(member: Member) -> str:
    return _(
        "{name} is not marked as a home-care volunteer. Pick a volunteer, or mark {name} first under "
        "Volunteers and groups."
    ).format(name=member.full_name)


ASK_VISITED = lazy(lambda: _("Who was visited? Type the member's name."))


SAME_PERSON = lazy(lambda: _("The volunteer cannot visit themselves. Type the name of the member who was visited."))


ASK_HELPED = lazy(
    lambda: _("Which member was helped? Type the name, or {press_skip} if it was not a member.").format(
        press_skip=press(skip_choice())
    )
)


def ask_activity_date(today: date) -> str:
    return _("On what date? Pick a day below, or type it like {examples}.").format(examples=date_examples(today))


def ask_people(kind: str) -> str:
    if kind == HEALTH_DAY:
        return _("How many people had a health check?")
    return _("How many people took part or were helped? Type the number (0 if none).")


def too_many_people(most: int) -> str:
    return _("That is more than {most}. Check the number and type it again.").format(most=most)


# fmt: off
ASK_AMOUNT = lazy(
    lambda: _("What was it worth, in đồng (for example 2tr or 500k)? "
        "{press_skip} if it was not money or goods.").format(press_skip=press(skip_choice()))
)
# fmt: on


ASK_NOTE = lazy(lambda: _("Anything to note? {press_skip} if not.").format(press_skip=press(skip_choice())))


def ask_what(kind: str) -> str:
    if kind == RIGHTS_CASE:
        return _("What was the case, and how did the club help?")
    if kind == RESOURCES_RAISED:
        return _("Who gave what (for example: commune health station gave 20 blood-pressure monitors)?")
    return _("What was done? Describe it in a line.")


# The answers of an activity, by name, for "change an answer" at the read-back.
KIND_LABEL = lazy(lambda: _("Kind of activity"))

VOLUNTEER_LABEL = lazy(lambda: _("Volunteer"))

VISITED_LABEL = lazy(lambda: _("Member visited"))

HELPED_LABEL = lazy(lambda: _("Member helped"))

AREA_LABEL = lazy(lambda: _("Area"))

PEOPLE_COUNT_LABEL = lazy(lambda: _("Number of people"))

AMOUNT_LABEL = lazy(lambda: _("Value"))

DESCRIPTION_LABEL = lazy(lambda: _("Description"))


def activity_summary(
    kind: str,
    area: str,
    held_on: date,
    volunteer: Member | None,
    member: Member | None,
    people: int | None,
    amount: int | None,
    description: str | None,
) -> str:
    lines = [
        _("{kind} on {date}").format(kind=kind_name(kind), date=day(held_on)),
        _("Area: {area}").format(area=area_name(area)),
    ]
    if volunteer is not None:
        lines.append(_("Volunteer: {name}").format(name=volunteer.full_name))
    if member is not None:
        label = _("Visited: {name}") if kind == HOME_VISIT else _("Member helped: {name}")
        lines.append(label.format(name=member.full_name))
    if people is not None:
        lines.append(_("People: {count}").format(count=people))
    if amount is not None:
        lines.append(_("Value: {amount}").format(amount=money(amount)))
    if description:
        lines.append(_("Description: {text}").format(text=description))
    return "\n".join(lines)


def activity_saved(summary: str, coverage_text: str) -> str:
    return _("Saved.") + "\n" + summary + "\n\n" + coverage_text


# --- choosing a member by name --------------------------------------------------------------------------


def not_found(query: str) -> str:
    return _('Nobody on the list is called "{query}". Type another name, or /huy to stop.').format(query=query[:40])


def pick_member(count: int) -> str:
    return _("{count} people match. Which one?").format(count=count)


MEMBER_GONE = lazy(lambda: _("That member is not on this club's list. Type the name again."))


# --- volunteers and groups ------------------------------------------------------------------------------


def people_view(volunteers: list[Member], groups: list[tuple[ClubGroup, int]]) -> str:
    names = ", ".join(m.full_name for m in volunteers) or "-"
    lines = [_("Home-care volunteers ({count}): {names}").format(count=len(volunteers), names=names), ""]
    if groups:
        lines.append(_("Groups:"))
        lines += [group_label(g, count) for g, count in groups]
    else:
        lines.append(_("No groups yet."))
    return "\n".join(lines)


def group_label(group: ClubGroup, count: int) -> str:
    return _("{name} ({area}): {count} members").format(name=group.name, area=area_name(group.area), count=count)


# The answers of a change to volunteers or groups, by name, for "change an answer" at the read-back.
MEMBER_LABEL = lazy(lambda: _("Member"))

GROUP_NAME_LABEL = lazy(lambda: _("Group name"))


ADD_VOLUNTEER_LABEL = lazy(lambda: _("Mark a member as volunteer"))


STOP_VOLUNTEER_LABEL = lazy(lambda: _("A volunteer stops"))


NEW_GROUP_LABEL = lazy(lambda: _("New group"))


ASK_VOLUNTEER_TO_ADD = lazy(lambda: _("Who becomes a home-care volunteer? Type the member's name."))


def already_volunteer(member: Member) -> str:
    return _("{name} is already a home-care volunteer. Type another name.").format(name=member.full_name)


def volunteer_summary(member: Member, since: date) -> str:
    return _("{name} becomes a home-care volunteer from {date}.").format(name=member.full_name, date=day(since))


def volunteer_added(member: Member, count: int) -> str:
    return _("Saved: {name} is a home-care volunteer. The club now has {count} volunteers.").format(
        name=member.full_name, count=count
    )


PICK_VOLUNTEER_TO_STOP = lazy(lambda: _("Which volunteer stops?"))


def stop_summary(member: Member, on: date) -> str:
    return _("{name} stops as a home-care volunteer on {date}. Their past visits stay in the records.").format(
        name=member.full_name, date=day(on)
    )


def volunteer_stopped(member: Member) -> str:
    return _("Saved: {name} is no longer a volunteer.").format(name=member.full_name)


ASK_GROUP_AREA = lazy(lambda: _("Which activity area is the new group for?"))


def ask_group_name(area: str) -> str:
    return _("Name of the group for {area} (for example: Tổ văn nghệ)?").format(area=area_name(area))


BAD_GROUP_NAME = lazy(lambda: _("Type a name of 2 to 100 characters, for example Tổ văn nghệ."))


def group_summary(name: str, area: str) -> str:
    return _("New group: {name}, for {area}.").format(name=name, area=area_name(area))


def group_view(group: ClubGroup, members: list[Member]) -> str:
    names = "\n".join(f"{n}. {m.full_name}" for n, m in enumerate(members, start=1)) or _("No members yet.")
    return (
        _("{name} ({area}), {count} members:").format(name=group.name, area=area_name(group.area), count=len(members))
        + "\n"
        + names
    )


ADD_TO_GROUP_LABEL = lazy(lambda: _("Add a member"))


REMOVE_FROM_GROUP_LABEL = lazy(lambda: _("Take a member off"))


BACK_TO_PEOPLE_LABEL = lazy(lambda: _("Back to volunteers and groups"))


def ask_member_for_group(group: ClubGroup) -> str:
    return _("Who joins {name}? Type the member's name.").format(name=group.name)


def already_in_group(member: Member, group: ClubGroup) -> str:
    return _("{name} is already in {group}. Type another name.").format(name=member.full_name, group=group.name)


def join_summary(member: Member, group: ClubGroup) -> str:
    return _("{name} joins {group}.").format(name=member.full_name, group=group.name)


def pick_member_to_remove(group: ClubGroup) -> str:
    return _("Who leaves {name}?").format(name=group.name)


def leave_summary(member: Member, group: ClubGroup) -> str:
    return _("{name} leaves {group}.").format(name=member.full_name, group=group.name)


GROUP_SAVED = lazy(lambda: _("Saved."))


GROUP_GONE = lazy(lambda: _("That group is not in this club. Type /hop to start again."))
