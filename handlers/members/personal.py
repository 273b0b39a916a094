"""A member's own data, on the chair's card (Decree 13/2023/ND-CP): send the member everything kept about
them, or anonymise them when they ask. Only the chair, and only in a private chat with the bot."""

from __future__ import annotations

import json

from handlers.core import Choice, Ctx, Document
from handlers.flow import read_back
from handlers.members import texts
from handlers.members.shared import chosen_member
from storage import members, personal_data
from storage.export import jsonable
from storage.models import CHAIR, Member

# Requests about personal data are answered by the chair, who is accountable for the club's records.
MANAGE_PERSONAL_DATA = frozenset({CHAIR})
EXPORT, ANONYMISE = "export", "anonymise"
CARD_CHOICES = (EXPORT, ANONYMISE)


def allowed(ctx: Ctx) -> bool:
    return ctx.can(MANAGE_PERSONAL_DATA) and not ctx.msg.is_group


def card_choices(ctx: Ctx) -> list[Choice]:
    if not allowed(ctx):
        return []
    return [Choice(EXPORT, texts.EXPORT_LABEL), Choice(ANONYMISE, texts.ANONYMISE_LABEL)]


def on_card_choice(ctx: Ctx, member: Member, choice: str) -> None:
    if not allowed(ctx):
        ctx.end()
        ctx.say(texts.ONLY_CHAIR_PERSONAL_DATA)
    elif choice == EXPORT:
        send_member_data(ctx, member)
    else:
        ask_to_anonymise(ctx, member)


def send_member_data(ctx: Ctx, member: Member) -> None:
    record = personal_data.member_record(ctx.db, ctx.club, member)
    personal_data.record_export(ctx.db, member, ctx.user)
    ctx.end()
    ctx.say(texts.personal_data_text(record, member, ctx.today))
    content = json.dumps(record, ensure_ascii=False, indent=1, default=jsonable).encode()
    ctx.say(
        texts.personal_data_caption(member), document=Document(f"thanhvien-{ctx.club.code}-{member.id}.json", content)
    )


def ask_to_anonymise(ctx: Ctx, member: Member) -> None:
    owed = personal_data.principal_owed(ctx.db, member, ctx.today)
    if owed > 0:
        ctx.end()
        ctx.say(texts.still_owes(member, owed))
        return
    ctx.go(CONFIRM_ANONYMISE)


def anonymise_warning(ctx: Ctx) -> str:
    member = members.get(ctx.db, ctx.club.id, ctx.state.member_id)
    assert member is not None  # on their card a moment ago
    return texts.anonymise_warning(member)


def anonymise(ctx: Ctx) -> None:
    """After the confirmation: checked again, since the member may have borrowed in the meantime."""
    member = chosen_member(ctx)
    if member is None:
        return
    ctx.end()
    if not allowed(ctx):
        ctx.say(texts.ONLY_CHAIR_PERSONAL_DATA)
        return
    placeholder = texts.anonymous_name(member.id)
    try:
        personal_data.anonymise(ctx.db, member, placeholder, ctx.user, ctx.today)
    except personal_data.StillOwes as owing:
        ctx.say(texts.still_owes(member, owing.principal_left))
        return
    ctx.say(texts.anonymised(placeholder))


CONFIRM_ANONYMISE = read_back(
    "confirm_anonymise",
    anonymise_warning,
    anonymise,
    save_label=lambda: texts.ANONYMISE_YES_LABEL,
    question=lambda: texts.ANONYMISE_QUESTION,
)
