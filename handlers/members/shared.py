"""What the parts of /thanhvien share: the flow's typed state, the member picked, and the choices for a
member's fields.

Household situation, ethnicity and disability are sensitive personal data (Decree 13/2023/ND-CP): in a
group chat, where people outside the board may read along, they are neither shown nor asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.core import Choice, Ctx, yes_or_no_choices
from handlers.members import texts
from handlers.roles import EDIT_MEMBERS
from storage import members
from storage.members import NewMember
from storage.models import BETTER_OFF, FEMALE, MALE, NEAR_POOR, POOR, Member

AVERAGE = "average"  # poverty None, as a choice value
SENSITIVE_FIELDS = ("poverty", "ethnic_minority", "disabled")
# Neither shown nor asked in a group chat: the sensitive fields, and the phone number, which reaches the person.
PRIVATE_CHAT_FIELDS = (*SENSITIVE_FIELDS, "phone")


@dataclass
class MemberWork:
    """What /thanhvien keeps between messages: the member being added, the list read back before saving, the
    page or search on screen, and the member picked with the change being made to them."""

    full_name: str = ""
    birth_year: int = 0
    sex: str = ""
    poverty: str | None = None
    ethnic_minority: bool = False
    disabled: bool = False
    phone: str | None = None
    joined_on: date | None = None  # None: the day they are saved
    whole_line: bool = False  # the new member was typed as one line, all fields at once
    lines: str = ""  # a pasted list, or an uploaded sheet's rows as lines, until it is saved
    page: int = 0
    query: str = ""
    not_found: bool = False  # the last search found nobody
    member_id: int = 0
    already_listed: bool = False  # member_id was on the list already: nothing was added
    field: str = ""
    value: int | str | bool | None = None  # the new value of `field`; a date as YYYY-MM-DD
    left_on: date | None = None


def private(ctx: Ctx) -> bool:
    """A private chat with the bot: the only place sensitive details are shown or asked."""
    return not ctx.msg.is_group


def new_member(ctx: Ctx) -> NewMember:
    state: MemberWork = ctx.state
    return NewMember(
        full_name=state.full_name,
        birth_year=state.birth_year,
        sex=state.sex,
        poverty=state.poverty,
        ethnic_minority=state.ethnic_minority,
        disabled=state.disabled,
        phone=state.phone,
        joined_on=state.joined_on,
    )


def chosen_member(ctx: Ctx) -> Member | None:
    """The member picked earlier, if still in this club, not anonymised, and the person may still edit;
    otherwise the flow ends saying why."""
    member = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    if member is not None and member.anonymised_at is None and ctx.can(EDIT_MEMBERS):
        return member
    ctx.end()
    if member is None:
        ctx.say(texts.MEMBER_GONE)
    else:
        ctx.say(texts.ALREADY_ANONYMISED if member.anonymised_at else texts.CANNOT_EDIT)
    return None


def yes_no_choices() -> list[Choice]:
    return yes_or_no_choices(texts.YES_LABEL, texts.NO_LABEL)


def sex_choices() -> list[Choice]:
    return [Choice(MALE, texts.MAN_LABEL, ("nam",)), Choice(FEMALE, texts.WOMAN_LABEL, ("nu",))]


def poverty_choices() -> list[Choice]:
    words = {POOR: ("ngheo",), NEAR_POOR: ("can ngheo",), BETTER_OFF: ("kha gia",), AVERAGE: ("binh thuong",)}
    return [
        Choice(value, texts.poverty_name(None if value == AVERAGE else value).capitalize(), aliases)
        for value, aliases in words.items()
    ]


def poverty_value(choice: str) -> str | None:
    return None if choice == AVERAGE else choice
