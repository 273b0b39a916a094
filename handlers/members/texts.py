"""What the bot says about members: the card, the list, the questions, the bulk-entry report."""

from __future__ import annotations

from datetime import date

from handlers.core import press, skip_choice
from handlers.i18n import _, day, lazy, money
from handlers.members import xlsx
from handlers.money.texts import fund_name, kind_name
from handlers.parsing import MemberLine
from storage.members import NewMember
from storage.models import BETTER_OFF, FEMALE, MALE, NEAR_POOR, POOR, Club, Member


def line_format_help() -> str:
    return _(
        "Full name, year of birth, nam or nữ, then only what applies: nghèo, cận nghèo or khá giả; DTTS; khuyết tật; phone number; vào and the year they joined (or the month or day: vào 03/2019, vào 15/03/2019). Without it, they join today.\nFor example: {example}"  # noqa: E501
    ).format(example=_("Nguyễn Thị Lan, 1952, nữ, cận nghèo, vào 2019"))


def sex_name(sex: str | None) -> str:
    return {FEMALE: _("woman"), MALE: _("man")}.get(sex, "-")


def poverty_name(poverty: str | None) -> str:
    return {POOR: _("poor"), NEAR_POOR: _("near-poor"), BETTER_OFF: _("better off")}.get(poverty, _("average"))


def describe(member: Member | NewMember, today: date, private: bool = True) -> str:
    """'Nguyen Thi Lan, 1952 (74 tuoi), nu, can ngheo, DTTS'.

    Household situation, ethnicity and disability are sensitive personal data (Decree 13/2023/ND-CP): they
    are shown only in a private chat with a board member or the association reviewer, never in a group chat
    (`private` False), where people outside the board may read along; nor is the phone number, which
    reaches the person.
    """
    if getattr(member, "anonymised_at", None) is not None:
        return member.full_name
    parts = [
        member.full_name,
        _("born {year} (age {age})").format(year=member.birth_year, age=today.year - member.birth_year),
        sex_name(member.sex),
    ]
    if private:
        parts.append(poverty_name(member.poverty))
        if member.ethnic_minority:
            parts.append(_("ethnic minority"))
        if member.disabled:
            parts.append(_("disability"))
        if member.phone:
            parts.append(member.phone)
    return ", ".join(parts)


HIDDEN_IN_GROUP = lazy(
    lambda: _(
        "(Household situation, ethnicity, disability and phone numbers are shown only in a private chat with the bot.)"
    )
)


def with_group_note(text: str, private: bool) -> str:
    return text if private else f"{text}\n{HIDDEN_IN_GROUP}"


def describe_new(member: NewMember, today: date, private: bool = True) -> str:
    """A member about to be added, with the day they join: the one given, or today."""
    return _("{description}, joined {date}").format(
        description=describe(member, today, private), date=day(member.joined_on or today)
    )


def card(member: Member, today: date, private: bool = True) -> str:
    text = describe(member, today, private) + "\n" + _("Joined: {date}").format(date=day(member.joined_on))
    if member.left_on:
        text += "\n" + _("Left the club: {date}").format(date=day(member.left_on))
    if member.anonymised_at is not None:
        return text + "\n" + _("Anonymised at the member's request; their money records stay in the books.")
    return with_group_note(text, private)


def menu(club: Club, count: int) -> str:
    return _("{club} has {count} members. What do you want to do?").format(club=club.name, count=count)


ADD_ONE_LABEL = lazy(lambda: _("Add one member"))
PASTE_LABEL = lazy(lambda: _("Paste a list"))
UPLOAD_LABEL = lazy(lambda: _("Send an Excel file"))
LIST_LABEL = lazy(lambda: _("See the list"))
SEARCH_LABEL = lazy(lambda: _("Find, edit, mark as left"))
FIND_LABEL = lazy(lambda: _("Find a member"))
DONE_LABEL = lazy(lambda: _("Done"))


def ask_full_name() -> str:
    # fmt: off
    return (
        _("Full name of the new member? (family name first, for example Nguyễn Thị Lan)\n"
          "You can also type the whole line at once:\n")
        + line_format_help()
    )
    # fmt: on


def ask_birth_year(name: str) -> str:
    return _("Year of birth of {name}? (four digits, for example 1952)").format(name=name)


ASK_SEX = lazy(lambda: _("Man or woman?"))


def ask_joined_on(name: str) -> str:
    return _(
        "When did {name} join the club? Pick below, or type a year (2019), a month (03/2019) or a date (15/03/2019)."
    ).format(name=name)


def since_founding_label(founded_on: date) -> str:
    return _("Since the club was founded ({date})").format(date=day(founded_on))


MAN_LABEL = lazy(lambda: _("Man (nam)"))
WOMAN_LABEL = lazy(lambda: _("Woman (nữ)"))
ASK_POVERTY = lazy(lambda: _("Household situation?"))
ASK_MINORITY = lazy(lambda: _("Is this person from an ethnic minority (DTTS)?"))
ASK_DISABLED = lazy(lambda: _("Does this person have a disability?"))
YES_LABEL = lazy(lambda: _("Yes"))
NO_LABEL = lazy(lambda: _("No"))
ASK_PHONE = lazy(lambda: _("Phone number? {press_skip} if there is none.").format(press_skip=press(skip_choice())))


def new_member_summary(member: NewMember, today: date, private: bool = True) -> str:
    return with_group_note(
        _("New member: {description}").format(description=describe_new(member, today, private)), private
    )


def already_listed(member: Member, today: date, private: bool = True) -> str:
    return _("{description} is already on the list. Nothing was added.").format(
        description=describe(member, today, private)
    )


def added(member: Member, count: int) -> str:
    return _("Saved: {name}. The club now has {count} members.").format(name=member.full_name, count=count)


ADD_ANOTHER_LABEL = lazy(lambda: _("Add another"))


def ask_paste() -> str:
    return _("Paste the list, one person per line:\n") + line_format_help()


def ask_upload() -> str:
    columns = _("full name, year of birth, nam/nữ, situation (nghèo, cận nghèo, khá giả), DTTS, khuyết tật, phone")
    return _(
        'Send an Excel file (.xlsx) with one person per row, in these columns: {columns}. A header row is fine; under it, a column headed "Ngày vào CLB" gives the year or the date each person joined (without it, they join today).'  # noqa: E501
    ).format(columns=columns)


def bulk_report(lines: list[MemberLine], today: date, private: bool = True) -> str:
    good = [line for line in lines if line.member]
    bad = [line for line in lines if line.error]
    parts = []
    if good:
        parts.append(
            _("Will add {count} people:").format(count=len(good))
            + "\n"
            + "\n".join(f"{line.number}. {describe_new(line.member, today, private)}" for line in good)
        )
    if bad:
        parts.append(
            _("Will not add {count} lines:").format(count=len(bad))
            + "\n"
            + "\n".join(
                _("Line {number} ({text}): {error}").format(number=line.number, text=line.text[:40], error=line.error)
                for line in bad
            )
        )
    return with_group_note("\n\n".join(parts), private or not good)


NOTHING_TO_ADD = lazy(lambda: _("None of the lines can be added. Fix them and send the list again, or /huy to stop."))


def bulk_added(count: int, total: int) -> str:
    return _("Saved {count} new members. The club now has {total} members.").format(count=count, total=total)


DUPLICATE_IN_CLUB = lazy(lambda: _("already on the club's list"))


def duplicate_in_paste(number: int) -> str:
    return _("the same person as line {number}").format(number=number)


def sheet_refused(reason: str) -> str:
    """Why an uploaded member sheet was not read (handlers.members.xlsx), and what to do."""
    if reason == xlsx.TOO_LARGE:
        return _(
            "This file is too large (at most {size} MB, {unpacked} MB once unpacked); send a sheet that holds "
            "only the member list."
        ).format(size=xlsx.MAX_FILE_BYTES // 1_000_000, unpacked=xlsx.MAX_UNPACKED_BYTES // 1_000_000)
    if reason == xlsx.TOO_MANY_ROWS:
        return _(
            "This sheet has more than {rows} rows or {cells} filled cells; split the list into smaller sheets "
            "and send them one at a time."
        ).format(rows=xlsx.MAX_ROWS, cells=xlsx.MAX_CELLS)
    if reason == xlsx.NO_SHEET:
        return _("This Excel file has no sheet; put the member list on its first sheet and send it again.")
    return _(
        "I cannot read this file as an Excel sheet; save it as .xlsx (in Excel or Google Sheets) and send it again."
    )


def list_page(
    club: Club, members: list[Member], page: int, pages: int, first: int, today: date, private: bool = True
) -> str:
    lines = [f"{first + i}. {describe(m, today, private)}" for i, m in enumerate(members)]
    heading = _("Members of {club}, page {page} of {pages}:").format(club=club.name, page=page + 1, pages=pages)
    return with_group_note(heading + "\n" + "\n".join(lines), private)


EMPTY_LIST = lazy(lambda: _("The club has no members on the list yet. Use /thanhvien to add them."))
PREVIOUS_LABEL = lazy(lambda: _("Previous page"))
NEXT_LABEL = lazy(lambda: _("Next page"))
ASK_SEARCH = lazy(
    lambda: _("Type the name, or part of it (with or without accents, for example: lan or nguyen thi lan).")
)


def not_found(query: str) -> str:
    return _('Nobody on the list is called "{query}". Type another name, or /huy to stop.').format(query=query[:40])


def pick_member(count: int) -> str:
    return _("{count} people match. Which one?").format(count=count)


def pick_label(member: Member) -> str:
    return f"{member.full_name} ({member.birth_year})" if member.birth_year else member.full_name


EDIT_LABEL = lazy(lambda: _("Edit"))
LEAVE_LABEL = lazy(lambda: _("Mark as left the club"))


# The names of a member's fields: in the edit menu, and in the read-back's "change an answer" list.
FULL_NAME_LABEL = lazy(lambda: _("Full name"))
BIRTH_YEAR_LABEL = lazy(lambda: _("Year of birth"))
SEX_LABEL = lazy(lambda: _("Man or woman"))
POVERTY_LABEL = lazy(lambda: _("Household situation"))
MINORITY_LABEL = lazy(lambda: _("Ethnic minority"))
DISABLED_LABEL = lazy(lambda: _("Disability"))
PHONE_LABEL = lazy(lambda: _("Phone number"))
JOINED_ON_LABEL = lazy(lambda: _("Date joined"))
# The other answers a read-back may change: a pasted or uploaded list, an edit, a leaving date.
LIST_ANSWER_LABEL = lazy(lambda: _("The list"))
SHEET_ANSWER_LABEL = lazy(lambda: _("The Excel file"))
FIELD_ANSWER_LABEL = lazy(lambda: _("What to change"))
VALUE_ANSWER_LABEL = lazy(lambda: _("New value"))
LEFT_ON_LABEL = lazy(lambda: _("Date left the club"))


def field_label(field: str) -> str:
    return str(
        {
            "full_name": FULL_NAME_LABEL,
            "birth_year": BIRTH_YEAR_LABEL,
            "sex": SEX_LABEL,
            "poverty": POVERTY_LABEL,
            "ethnic_minority": MINORITY_LABEL,
            "disabled": DISABLED_LABEL,
            "phone": PHONE_LABEL,
            "joined_on": JOINED_ON_LABEL,
        }[field]
    )


ASK_FIELD = lazy(lambda: _("What do you want to change?"))


def ask_new_value(field: str) -> str:
    if field == "joined_on":
        return _("New date joined: a year (2019), a month (03/2019) or a date (15/03/2019).")
    return _("New value for {field}:").format(field=field_label(field))


def value_text(field: str, value) -> str:
    if field == "sex":
        return sex_name(value)
    if field == "poverty":
        return poverty_name(value)
    if field in ("ethnic_minority", "disabled"):
        return str(YES_LABEL if value else NO_LABEL)
    if field == "joined_on":
        return day(value)
    return str(value) if value is not None else "-"


def change_summary(member: Member, field: str, old, new) -> str:
    return _("{name}: {field} {old} becomes {new}.").format(
        name=member.full_name, field=field_label(field), old=value_text(field, old), new=value_text(field, new)
    )


def changed(member: Member) -> str:
    return _("Saved: {name}.").format(name=member.full_name)


def ask_left_on(member: Member) -> str:
    return _("On what date did {name} leave the club? (day/month/year)").format(name=member.full_name)


TODAY_LABEL = lazy(lambda: _("Today"))


def leave_summary(member: Member, on: date) -> str:
    return _("{name} left the club on {date}. Their records stay in the books.").format(
        name=member.full_name, date=day(on)
    )


def already_left(member: Member) -> str:
    return _("{name} already left the club on {date}.").format(name=member.full_name, date=day(member.left_on))


MEMBER_GONE = lazy(lambda: _("That member is not on this club's list. Type /thanhvien to start again."))
CANNOT_EDIT = lazy(lambda: _("Only the board can change members; your role can only look."))


# --- personal data (Decree 13/2023/NĐ-CP): the chair exports or anonymises a member who asks --------------


EXPORT_LABEL = lazy(lambda: _("Send me all their data"))
ANONYMISE_LABEL = lazy(lambda: _("Anonymise (the member asked)"))


def anonymous_name(member_id: int) -> str:
    return _("Member #{id}").format(id=member_id)


ONLY_CHAIR_PERSONAL_DATA = lazy(
    lambda: _("Only the chair can export or anonymise a member's data, and only in a private chat with the bot.")
)


def anonymise_warning(member: Member) -> str:
    return _(
        "Anonymising {name} cannot be undone.\n"
        'Their name becomes "{placeholder}"; year of birth, sex, household situation, ethnicity, '
        "disability and phone number are erased, and they are marked as having left the club.\n"
        "Their contributions, loans and meeting attendance stay in the books without their name, so the "
        "funds and the money in the reports do not change.\n"
        'Do this only when the member asked for it. To keep a copy for them first, choose "{export}".'
    ).format(name=member.full_name, placeholder=anonymous_name(member.id), export=EXPORT_LABEL)


ANONYMISE_QUESTION = lazy(lambda: _("Erase this member's personal details?"))
ANONYMISE_YES_LABEL = lazy(lambda: _("Yes, anonymise"))


def still_owes(member: Member, principal_left: int) -> str:
    return _(
        "{name} still owes {amount} on a loan. The club must know who owes the fund, so they can be "
        "anonymised only once the loan is repaid."
    ).format(name=member.full_name, amount=money(principal_left))


def anonymised(placeholder: str) -> str:
    return _(
        'Done: the member is now "{placeholder}" and their personal details are erased. The funds and '
        "the money in the reports are unchanged."
    ).format(placeholder=placeholder)


ALREADY_ANONYMISED = lazy(lambda: _("This member was already anonymised."))


def personal_data_caption(member: Member) -> str:
    return _("Everything stored about {name}, as a file (JSON).").format(name=member.full_name)


def _entry_line(entry: dict) -> str:
    what = kind_name(entry["kind"]) if entry["reverses_entry_id"] is None else _("reversal")
    return f"{day(entry['entry_date'])}: {what} {money(entry['amount'])} ({fund_name(entry['fund'])})"


def _loan_lines(loan: dict) -> list[str]:
    repaid = sum(e["amount"] - e["interest"] for e in loan["entries"] if e["kind"] == "repayment")
    fees = sum(e["interest"] for e in loan["entries"] if e["kind"] == "repayment")
    lines = [
        _("Loan of {amount} on {date}, {months} months: principal repaid {repaid}, fees paid {fees}").format(
            amount=money(loan["principal"]),
            date=day(loan["disbursed_on"]),
            months=loan["term_months"],
            repaid=money(repaid),
            fees=money(fees),
        )
    ]
    return lines + [f"  {_entry_line(entry)}" for entry in loan["entries"] if entry["kind"] == "repayment"]


def personal_data_text(record: dict, member: Member, today: date) -> str:
    """What the club keeps about one member, to read out or pass on to them (Decree 13: the right to know)."""
    parts = [_("Everything {club} keeps about this member:").format(club=record["club"]["name"]), card(member, today)]
    contributions = record["contributions"]
    parts.append(
        _("Contributions: {count}, in all {amount}").format(
            count=len(contributions), amount=money(sum(e["amount"] for e in contributions))
        )
    )
    parts += [_entry_line(entry) for entry in contributions]
    parts.append(_("Loans: {count}").format(count=len(record["loans"])))
    for loan in record["loans"]:
        parts += _loan_lines(loan)
    attended = record["meetings_attended"]
    parts.append(_("Meetings ticked as present: {count}").format(count=len(attended)))
    parts.append(_("Activities as volunteer or as the person helped: {count}").format(count=len(record["activities"])))
    if record["volunteering"]:
        parts.append(_("Home-care volunteer since {date}").format(date=day(record["volunteering"][0]["since"])))
    if record["groups"]:
        parts.append(_("Groups: {names}").format(names=", ".join(record["groups"])))
    parts.append(_("Changes to the record: {count}").format(count=len(record["history"])))
    return "\n".join(parts)
