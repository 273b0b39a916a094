"""Adding one member, question by question (or the whole line at once), read back, then saved."""

from __future__ import annotations

from datetime import date

from handlers import readers
from handlers.core import Answer, Choice, Ctx, skip_choice
from handlers.flow import Question, Step, read_back
from handlers.members import texts
from handlers.members.shared import (
    MemberWork,
    new_member,
    poverty_choices,
    poverty_value,
    private,
    sex_choices,
    yes_no_choices,
)
from handlers.parsing import parse_birth_year, parse_join_date, parse_member_line, parse_name, parse_phone
from storage import members
from storage.dates import earliest_entry_date
from storage.members import NewMember

AGAIN, DONE = "again", "done"
FOUNDING, TODAY = "founding", "today"  # the choices of the day a member joined


def read_name(ctx: Ctx, ans: Answer) -> str | NewMember:
    """A name, or the whole member line typed at once."""
    if "," in ans.text:
        return parse_member_line(ans.text, ctx.today, earliest_entry_date(ctx.db, ctx.club.id))
    return parse_name(ans.text)


def on_name(ctx: Ctx, name: str | NewMember) -> None:
    state: MemberWork = ctx.state
    if isinstance(name, NewMember):
        keep_whole_line(state, name)
        read_back_or_stop(ctx)
    elif state.whole_line:  # the name of a line typed whole, changed: the rest of the line stands
        state.full_name = name
        read_back_or_stop(ctx)
    else:
        state.full_name = name
        ctx.go(BIRTH_YEAR)


def keep_whole_line(state: MemberWork, member: NewMember) -> None:
    state.whole_line = True
    state.full_name, state.birth_year, state.sex = member.full_name, member.birth_year, member.sex
    state.poverty, state.ethnic_minority, state.disabled = member.poverty, member.ethnic_minority, member.disabled
    state.phone, state.joined_on = member.phone, member.joined_on


def on_birth_year(ctx: Ctx, year: int) -> None:
    ctx.state.birth_year = year
    ctx.go(SEX)


def on_sex(ctx: Ctx, sex: str) -> None:
    ctx.state.sex = sex
    ctx.go(JOINED_ON)


def ask_joined_on(ctx: Ctx) -> Question:
    """The founding day is offered only when the club gave one: most members of an old club joined then."""
    founded_on = ctx.club.founded_on
    founding = [Choice(FOUNDING, texts.since_founding_label(founded_on))] if founded_on else []
    return Question(
        texts.ask_joined_on(ctx.state.full_name), [*founding, Choice(TODAY, texts.TODAY_LABEL, ("hom nay",))]
    )


def read_joined_on(ctx: Ctx, ans: Answer) -> date:
    if ans.choice == TODAY:
        return ctx.today
    if ans.choice == FOUNDING and ctx.club.founded_on:
        return ctx.club.founded_on
    return parse_join_date(ans.text, ctx.today, earliest_entry_date(ctx.db, ctx.club.id))


def on_joined_on(ctx: Ctx, joined_on: date) -> None:
    ctx.state.joined_on = joined_on
    if private(ctx):
        ctx.go(POVERTY)
    else:
        read_back_or_stop(ctx)  # the read-back says the rest is added in a private chat


def on_poverty(ctx: Ctx, choice: str) -> None:
    ctx.state.poverty = poverty_value(choice)
    ctx.go(MINORITY)


def on_minority(ctx: Ctx, minority: bool) -> None:
    ctx.state.ethnic_minority = minority
    ctx.go(DISABLED)


def on_disabled(ctx: Ctx, disabled: bool) -> None:
    ctx.state.disabled = disabled
    ctx.go(PHONE)


def on_phone(ctx: Ctx, phone: str | None) -> None:
    ctx.state.phone = phone
    read_back_or_stop(ctx)


def already_listed(ctx: Ctx) -> bool:
    """Someone with the same name and year of birth is on the list: nothing is added, and the next choices
    come as after a save."""
    new = new_member(ctx)
    same = members.find_same(ctx.db, ctx.club.id, new.full_name, new.birth_year)
    if same is None:
        return False
    ctx.state = MemberWork(member_id=same.id, already_listed=True)
    ctx.go(AFTER_ADD)
    return True


def read_back_or_stop(ctx: Ctx) -> None:
    if not already_listed(ctx):
        ctx.go(CONFIRM_NEW)


def save_new(ctx: Ctx) -> None:
    if already_listed(ctx):  # checked again: someone else may have added them since the read-back
        return
    member = members.add(ctx.db, ctx.club.id, new_member(ctx), ctx.user, ctx.today)
    ctx.state = MemberWork(member_id=member.id)  # a fresh start for the next one
    ctx.go(AFTER_ADD)


def ask_after_add(ctx: Ctx) -> Question:
    added = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    assert added is not None  # saved, or found on the list, in this very update
    choices = [Choice(AGAIN, texts.ADD_ANOTHER_LABEL), Choice(DONE, texts.DONE_LABEL)]
    if ctx.state.already_listed:
        return Question(texts.already_listed(added, ctx.today, private(ctx)), choices)
    return Question(texts.added(added, members.count(ctx.db, ctx.club.id)), choices)


def on_after_add(ctx: Ctx, choice: str) -> None:
    if choice == AGAIN:
        ctx.go(NAME)
    else:
        ctx.end()


NAME = Step(
    "name",
    lambda ctx: texts.ask_full_name(),
    read_name,
    on_name,
    goes_to=("birth_year", "confirm_new", "after_add"),
    label=lambda: texts.FULL_NAME_LABEL,
)
BIRTH_YEAR = Step(
    "birth_year",
    lambda ctx: texts.ask_birth_year(ctx.state.full_name),
    lambda ctx, ans: parse_birth_year(ans.text, ctx.today),
    on_birth_year,
    goes_to=("sex",),
    label=lambda: texts.BIRTH_YEAR_LABEL,
)
SEX = Step(
    "sex",
    lambda ctx: Question(texts.ASK_SEX, sex_choices()),
    readers.choice,
    on_sex,
    goes_to=("joined_on",),
    label=lambda: texts.SEX_LABEL,
)
JOINED_ON = Step(
    "joined_on",
    ask_joined_on,
    read_joined_on,
    on_joined_on,
    goes_to=("poverty", "confirm_new", "after_add"),
    label=lambda: texts.JOINED_ON_LABEL,
)
POVERTY = Step(
    "poverty",
    lambda ctx: Question(texts.ASK_POVERTY, poverty_choices()),
    readers.choice,
    on_poverty,
    goes_to=("minority",),
    label=lambda: texts.POVERTY_LABEL,
)
MINORITY = Step(
    "minority",
    lambda ctx: Question(texts.ASK_MINORITY, yes_no_choices()),
    readers.yes_or_no,
    on_minority,
    goes_to=("disabled",),
    label=lambda: texts.MINORITY_LABEL,
)
DISABLED = Step(
    "disabled",
    lambda ctx: Question(texts.ASK_DISABLED, yes_no_choices()),
    readers.yes_or_no,
    on_disabled,
    goes_to=("phone",),
    label=lambda: texts.DISABLED_LABEL,
)
PHONE = Step(
    "phone",
    lambda ctx: Question(texts.ASK_PHONE, [skip_choice()]),
    readers.or_skip(lambda ctx, ans: parse_phone(ans.text)),
    on_phone,
    goes_to=("confirm_new", "after_add"),
    label=lambda: texts.PHONE_LABEL,
)
CONFIRM_NEW = read_back(
    "confirm_new",
    lambda ctx: texts.new_member_summary(new_member(ctx), ctx.today, private(ctx)),
    save_new,
    goes_to=("after_add",),
)
AFTER_ADD = Step(
    "after_add",
    ask_after_add,
    readers.choice,
    on_after_add,
    goes_to=("name",),
)
STEPS = [NAME, BIRTH_YEAR, SEX, JOINED_ON, POVERTY, MINORITY, DISABLED, PHONE, CONFIRM_NEW, AFTER_ADD]
