"""Editing one field of the member picked on their card: which field, its new value, read back, saved (and
recorded in the audit log by storage)."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.core import SKIP, YES, Answer, Choice, Ctx, choose_one, skip_choice
from handlers.flow import Question, Step, read_back
from handlers.members import texts
from handlers.members.shared import (
    PRIVATE_CHAT_FIELDS,
    MemberWork,
    chosen_member,
    poverty_choices,
    poverty_value,
    private,
    sex_choices,
    yes_no_choices,
)
from handlers.parsing import InputError, not_after, parse_birth_year, parse_join_date, parse_name, parse_phone
from storage import members
from storage.dates import earliest_entry_date, latest_joining_date
from storage.members import EDITABLE_FIELDS
from storage.models import Member

FIELD_CHOICES = {
    "sex": sex_choices,
    "poverty": poverty_choices,
    "ethnic_minority": yes_no_choices,
    "disabled": yes_no_choices,
}


def editable_fields(ctx: Ctx) -> tuple[str, ...]:
    return EDITABLE_FIELDS if private(ctx) else tuple(f for f in EDITABLE_FIELDS if f not in PRIVATE_CHAT_FIELDS)


def ask_field(ctx: Ctx) -> Question:
    return Question(texts.ASK_FIELD, [Choice(f, texts.field_label(f)) for f in editable_fields(ctx)])


def read_field(ctx: Ctx, ans: Answer) -> str:
    if ans.choice not in editable_fields(ctx):
        raise InputError(choose_one())
    return ans.choice


def on_field(ctx: Ctx, field: str) -> None:
    if chosen_member(ctx) is None:
        return
    ctx.state.field = field
    ctx.forget(VALUE.name)  # another field needs its own new value
    ctx.go(VALUE)


def ask_value(ctx: Ctx) -> Question:
    field = ctx.state.field
    choices = FIELD_CHOICES[field]() if field in FIELD_CHOICES else [skip_choice()] if field == "phone" else []
    return Question(texts.ask_new_value(field), choices)


def read_value(ctx: Ctx, ans: Answer) -> Any:
    """The new value of the field being edited; InputError when it cannot be used."""
    field = ctx.state.field
    if field in FIELD_CHOICES:
        if ans.choice is None:
            raise InputError(choose_one())
        if field in ("ethnic_minority", "disabled"):
            return ans.choice == YES
        return poverty_value(ans.choice)
    if field == "phone":
        return None if ans.choice == SKIP else parse_phone(ans.text)
    typed = {
        "full_name": parse_name,
        "birth_year": lambda text: parse_birth_year(text, ctx.today),
        "joined_on": lambda text: read_joining_date(ctx, text),
    }
    return typed[field](ans.text)


def read_joining_date(ctx: Ctx, text: str) -> date:
    """As a member line gives it (a year, a month or a date), from the club's founding (or 1990) to the
    member's first money and their leaving, if any."""
    earliest = earliest_entry_date(ctx.db, ctx.club.id)
    latest = latest_joining_date(ctx.db, members.get(ctx.db, ctx.club.id, ctx.state.member_id))
    return not_after(parse_join_date(text, ctx.today, earliest), latest, earliest)


def on_value(ctx: Ctx, value: Any) -> None:
    if chosen_member(ctx) is None:
        return
    ctx.state.value = value.isoformat() if isinstance(value, date) else value
    ctx.go(CONFIRM_EDIT)


def new_value(state: MemberWork) -> Any:
    return date.fromisoformat(str(state.value)) if state.field == "joined_on" else state.value


def change_summary(ctx: Ctx) -> str:
    member: Member | None = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    assert member is not None  # chosen_member has just found them
    field = ctx.state.field
    return texts.change_summary(member, field, getattr(member, field), new_value(ctx.state))


def save_edit(ctx: Ctx) -> None:
    member = chosen_member(ctx)
    if member is None:
        return
    members.update_field(ctx.db, member, ctx.state.field, new_value(ctx.state), ctx.user)
    ctx.end()
    ctx.say(texts.changed(member) + "\n" + texts.card(member, ctx.today, private(ctx)))


FIELD = Step("field", ask_field, read_field, on_field, goes_to=("value",), label=lambda: texts.FIELD_ANSWER_LABEL)
VALUE = Step(
    "value", ask_value, read_value, on_value, goes_to=("confirm_edit",), label=lambda: texts.VALUE_ANSWER_LABEL
)
CONFIRM_EDIT = read_back("confirm_edit", change_summary, save_edit)
STEPS = [FIELD, VALUE, CONFIRM_EDIT]
