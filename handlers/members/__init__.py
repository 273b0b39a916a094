"""/thanhvien: the member list. Add one, paste many, upload a sheet, page through, find, edit, mark as left;
the chair also sends a member all their data or anonymises them (handlers/members/personal.py).

Household situation, ethnicity and disability are sensitive personal data (Decree 13/2023/ND-CP): in a
group chat, where people outside the board may read along, they are neither shown nor asked.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from handlers.core import NO, SKIP, YES, Answer, Choice, Ctx, choose_one, confirmed, skip_choice
from handlers.flow import Flow
from handlers.members import personal, texts
from handlers.members.xlsx import NotASheet, rows_as_lines
from handlers.parsing import (
    InputError,
    MemberLine,
    not_after,
    parse_birth_year,
    parse_member_line,
    parse_member_lines,
    parse_name,
    parse_past_date,
    parse_phone,
)
from handlers.roles import EDIT_MEMBERS
from storage import members
from storage.dates import JOINED, Earliest, earliest_entry_date, latest_joining_date
from storage.members import EDITABLE_FIELDS, NewMember
from storage.models import BETTER_OFF, FEMALE, MALE, NEAR_POOR, POOR, Member
from storage.names import fold

PAGE_SIZE = 10
AVERAGE = "average"  # poverty None, as a choice value
SENSITIVE_FIELDS = ("poverty", "ethnic_minority", "disabled")
# Neither shown nor asked in a group chat: the sensitive fields, and the phone number, which reaches the person.
PRIVATE_CHAT_FIELDS = (*SENSITIVE_FIELDS, "phone")


def private(ctx: Ctx) -> bool:
    """A private chat with the bot: the only place sensitive details are shown or asked."""
    return not ctx.msg.is_group


def start(ctx: Ctx, args: str) -> None:
    if args:
        show_matches(ctx, args)
    else:
        show_menu(ctx)


flow = Flow("members", start=start)


def show_menu(ctx: Ctx) -> None:
    choices = []
    if ctx.can(EDIT_MEMBERS):
        choices += [
            Choice("add", texts.add_one_label()),
            Choice("paste", texts.paste_label()),
            Choice("upload", texts.upload_label()),
        ]
    search_label = texts.search_label() if ctx.can(EDIT_MEMBERS) else texts.find_label()
    choices += [Choice("list", texts.list_label()), Choice("search", search_label), Choice("done", texts.done_label())]
    ctx.ask("menu", texts.menu(ctx.club, members.count(ctx.db, ctx.club.id)), choices)


@flow.step("menu")
def on_menu(ctx: Ctx, ans: Answer) -> None:
    editing = {
        "add": ask_name,
        "paste": lambda c: c.ask("paste", texts.ask_paste()),
        "upload": lambda c: c.ask("upload", texts.ask_upload()),
    }
    if ans.choice in editing and ctx.can(EDIT_MEMBERS):
        editing[ans.choice](ctx)
    elif ans.choice == "list":
        show_page(ctx, 0)
    elif ans.choice == "search":
        ctx.ask("search", texts.ask_search())
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())


# --- adding one member, question by question ------------------------------------------------------------


def ask_name(ctx: Ctx) -> None:
    ctx.ask("name", texts.ask_full_name())


def _yes_no_choices() -> list[Choice]:
    return [Choice(YES, texts.yes_label(), ("co",)), Choice(NO, texts.no_label(), ("khong",))]


def _sex_choices() -> list[Choice]:
    return [Choice(MALE, texts.man_label(), ("nam",)), Choice(FEMALE, texts.woman_label(), ("nu",))]


def _poverty_choices() -> list[Choice]:
    words = {POOR: ("ngheo",), NEAR_POOR: ("can ngheo",), BETTER_OFF: ("kha gia",), AVERAGE: ("binh thuong",)}
    return [
        Choice(value, texts.poverty_name(None if value == AVERAGE else value).capitalize(), aliases)
        for value, aliases in words.items()
    ]


def _new_member(ctx: Ctx) -> NewMember:
    return NewMember(**ctx.data["new"])


def _keep_new(ctx: Ctx, member: NewMember) -> None:
    ctx.data["new"] = member.__dict__


@flow.step("name")
def on_name(ctx: Ctx, ans: Answer) -> None:
    try:
        if "," in ans.text:  # the whole line typed at once
            _keep_new(ctx, parse_member_line(ans.text, ctx.today))
            confirm_new(ctx)
            return
        name = parse_name(ans.text)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.data["new"] = {"full_name": name}
    ctx.ask("birth_year", texts.ask_birth_year(name))


@flow.step("birth_year")
def on_birth_year(ctx: Ctx, ans: Answer) -> None:
    try:
        ctx.data["new"]["birth_year"] = parse_birth_year(ans.text, ctx.today)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.ask("sex", texts.ask_sex(), _sex_choices())


@flow.step("sex")
def on_sex(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in (MALE, FEMALE):
        ctx.retry(choose_one())
        return
    ctx.data["new"]["sex"] = ans.choice
    if private(ctx):
        ctx.ask("poverty", texts.ask_poverty(), _poverty_choices())
    else:
        confirm_new(ctx)  # the read-back says the rest is added in a private chat


@flow.step("poverty")
def on_poverty(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in (POOR, NEAR_POOR, BETTER_OFF, AVERAGE):
        ctx.retry(choose_one())
        return
    ctx.data["new"]["poverty"] = None if ans.choice == AVERAGE else ans.choice
    ctx.ask("minority", texts.ask_minority(), _yes_no_choices())


@flow.step("minority")
def on_minority(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in (YES, NO):
        ctx.retry(choose_one())
        return
    ctx.data["new"]["ethnic_minority"] = ans.choice == YES
    ctx.ask("disabled", texts.ask_disabled(), _yes_no_choices())


@flow.step("disabled")
def on_disabled(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in (YES, NO):
        ctx.retry(choose_one())
        return
    ctx.data["new"]["disabled"] = ans.choice == YES
    ctx.ask("phone", texts.ask_phone(), [skip_choice()])


@flow.step("phone")
def on_phone(ctx: Ctx, ans: Answer) -> None:
    if ans.choice != SKIP:
        try:
            ctx.data["new"]["phone"] = parse_phone(ans.text)
        except InputError as problem:
            ctx.retry(str(problem))
            return
    confirm_new(ctx)


def confirm_new(ctx: Ctx) -> None:
    new = _new_member(ctx)
    same = members.find_same(ctx.db, ctx.club.id, new.full_name, new.birth_year)
    if same is not None:
        ctx.end()
        ctx.say(texts.already_listed(same, ctx.today, private(ctx)))
        return
    ctx.confirm("confirm_new", texts.new_member_summary(new, ctx.today, private(ctx)))


@flow.step("confirm_new")
def on_confirm_new(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    new = _new_member(ctx)
    if (same := members.find_same(ctx.db, ctx.club.id, new.full_name, new.birth_year)) is not None:
        ctx.end()
        ctx.say(texts.already_listed(same, ctx.today, private(ctx)))
        return
    member = members.add(ctx.db, ctx.club.id, new, ctx.user, ctx.today)
    ctx.data = {}
    ctx.ask(
        "after_add",
        texts.added(member, members.count(ctx.db, ctx.club.id)),
        [Choice("again", texts.add_another_label()), Choice("done", texts.done_label())],
    )


@flow.step("after_add")
def on_after_add(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == "again":
        ask_name(ctx)
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())


# --- many at once: a pasted list or an Excel sheet ------------------------------------------------------


@flow.step("paste", long_text=True)
def on_paste(ctx: Ctx, ans: Answer) -> None:
    review_lines(ctx, ans.text)


@flow.step("upload", documents=True)
def on_upload(ctx: Ctx, ans: Answer) -> None:
    if ans.document is None:
        # Typed lines are as good as a file here.
        review_lines(ctx, ans.text)
        return
    try:
        review_lines(ctx, rows_as_lines(ans.document.content))
    except NotASheet as refused:
        ctx.retry(texts.sheet_refused(refused.reason))


def check_duplicates(ctx: Ctx, lines: list[MemberLine]) -> list[MemberLine]:
    """Mark the lines naming someone already listed, in the club or earlier in the same list."""
    seen: dict[tuple[str, int], int] = {}
    checked = []
    for line in lines:
        if line.member is not None:
            key = (fold(line.member.full_name), line.member.birth_year)
            if members.find_same(ctx.db, ctx.club.id, line.member.full_name, line.member.birth_year):
                line = replace(line, member=None, error=texts.duplicate_in_club())
            elif key in seen:
                line = replace(line, member=None, error=texts.duplicate_in_paste(seen[key]))
            else:
                seen[key] = line.number
        checked.append(line)
    return checked


def review_lines(ctx: Ctx, text: str) -> None:
    lines = check_duplicates(ctx, parse_member_lines(text, ctx.today))
    report = texts.bulk_report(lines, ctx.today, private(ctx))
    if not any(line.member for line in lines):
        ctx.retry(f"{report}\n\n{texts.nothing_to_add()}".strip())
        return
    ctx.data["pending"] = [line.member.__dict__ for line in lines if line.member]
    ctx.confirm("confirm_many", report)


@flow.step("confirm_many")
def on_confirm_many(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    added = 0
    for values in ctx.data["pending"]:
        new = NewMember(**values)
        # Checked again: someone else may have added the same people since the read-back.
        if members.find_same(ctx.db, ctx.club.id, new.full_name, new.birth_year) is None:
            members.add(ctx.db, ctx.club.id, new, ctx.user, ctx.today)
            added += 1
    ctx.end()
    ctx.say(texts.bulk_added(added, members.count(ctx.db, ctx.club.id)))


# --- looking: pages and search --------------------------------------------------------------------------


def show_page(ctx: Ctx, page: int) -> None:
    total = members.count(ctx.db, ctx.club.id)
    if total == 0:
        ctx.end()
        ctx.say(texts.empty_list())
        return
    pages = math.ceil(total / PAGE_SIZE)
    page = max(0, min(page, pages - 1))
    ctx.data["page"] = page
    choices = []
    if page > 0:
        choices.append(Choice("prev", texts.previous_label()))
    if page + 1 < pages:
        choices.append(Choice("next", texts.next_label()))
    choices += [Choice("search", texts.search_label()), Choice("done", texts.done_label())]
    rows = members.page(ctx.db, ctx.club.id, page, PAGE_SIZE)
    ctx.ask(
        "page", texts.list_page(ctx.club, rows, page, pages, page * PAGE_SIZE + 1, ctx.today, private(ctx)), choices
    )


@flow.step("page")
def on_page(ctx: Ctx, ans: Answer) -> None:
    moves = {"prev": -1, "next": 1}
    if ans.choice in moves:
        show_page(ctx, ctx.data.get("page", 0) + moves[ans.choice])
    elif ans.choice == "search":
        ctx.ask("search", texts.ask_search())
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())


@flow.step("search")
def on_search(ctx: Ctx, ans: Answer) -> None:
    show_matches(ctx, ans.text)


def show_matches(ctx: Ctx, query: str) -> None:
    found = members.search(ctx.db, ctx.club.id, query, include_left=True)
    if not found:
        ctx.ask("search", texts.not_found(query) + "\n\n" + texts.ask_search())
    elif len(found) == 1:
        show_card(ctx, found[0])
    else:
        ctx.ask("pick", texts.pick_member(len(found)), [Choice(str(m.id), texts.pick_label(m)) for m in found])


@flow.step("pick")
def on_pick(ctx: Ctx, ans: Answer) -> None:
    member = members.get(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
    if member is not None:
        show_card(ctx, member)
    elif ans.choice is None:
        show_matches(ctx, ans.text)  # a new name typed instead of a pick
    else:
        ctx.retry(choose_one())


def show_card(ctx: Ctx, member: Member) -> None:
    ctx.data["member"] = member.id
    card = texts.card(member, ctx.today, private(ctx))
    if not ctx.can(EDIT_MEMBERS) or member.anonymised_at is not None:
        ctx.end()
        ctx.say(card)
        return
    choices = [Choice("edit", texts.edit_label())]
    if member.left_on is None:
        choices.append(Choice("leave", texts.leave_label()))
    choices += personal.card_choices(ctx)
    choices.append(Choice("done", texts.done_label()))
    ctx.ask("card", card, choices)


def _chosen_member(ctx: Ctx) -> Member | None:
    """The member picked earlier, if still in this club, not anonymised, and the person may still edit."""
    member = members.get(ctx.db, ctx.club.id, ctx.data.get("member", 0))
    if member is not None and member.anonymised_at is None and ctx.can(EDIT_MEMBERS):
        return member
    ctx.end()
    if member is None:
        ctx.say(texts.member_gone())
    else:
        ctx.say(texts.already_anonymised() if member.anonymised_at else texts.cannot_edit())
    return None


@flow.step("card")
def on_card(ctx: Ctx, ans: Answer) -> None:
    member = _chosen_member(ctx)
    if member is None:
        return
    if ans.choice == "edit":
        ctx.ask("field", texts.ask_field(), [Choice(f, texts.field_label(f)) for f in _editable_fields(ctx)])
    elif ans.choice == "leave" and member.left_on is None:
        ctx.ask("left_on", texts.ask_left_on(member), [Choice("today", texts.today_label(), ("hom nay",))])
    elif ans.choice in personal.CARD_CHOICES:
        personal.on_card_choice(ctx, member, ans.choice)
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())


# --- editing one field ----------------------------------------------------------------------------------


def _editable_fields(ctx: Ctx) -> tuple[str, ...]:
    return EDITABLE_FIELDS if private(ctx) else tuple(f for f in EDITABLE_FIELDS if f not in PRIVATE_CHAT_FIELDS)


FIELD_CHOICES = {
    "sex": _sex_choices,
    "poverty": _poverty_choices,
    "ethnic_minority": _yes_no_choices,
    "disabled": _yes_no_choices,
}


@flow.step("field")
def on_field(ctx: Ctx, ans: Answer) -> None:
    if _chosen_member(ctx) is None:
        return
    if ans.choice not in _editable_fields(ctx):
        ctx.retry(choose_one())
        return
    ctx.data["field"] = ans.choice
    ctx.ask("value", texts.ask_new_value(ans.choice), _field_choices(ans.choice))


def _field_choices(field: str) -> list[Choice]:
    if field in FIELD_CHOICES:
        return FIELD_CHOICES[field]()
    return [skip_choice()] if field == "phone" else []


def _read_value(ctx: Ctx, field: str, ans: Answer):
    """The new value for `field` from the answer; raises InputError when it cannot be used."""
    if field in FIELD_CHOICES:
        if ans.choice is None:
            raise InputError(choose_one())
        if field in ("ethnic_minority", "disabled"):
            return ans.choice == YES
        return None if ans.choice == AVERAGE else ans.choice
    if field == "phone":
        return None if ans.choice == SKIP else parse_phone(ans.text)
    readers = {
        "full_name": parse_name,
        "birth_year": lambda text: parse_birth_year(text, ctx.today),
        "joined_on": lambda text: _read_joining_date(ctx, text),
    }
    return readers[field](ans.text)


def _read_joining_date(ctx: Ctx, text: str) -> date:
    """From the club's founding (or 1990) to the member's first money and their leaving, if any."""
    earliest = earliest_entry_date(ctx.db, ctx.club.id)
    latest = latest_joining_date(ctx.db, members.get(ctx.db, ctx.club.id, ctx.data["member"]))
    return not_after(parse_past_date(text, ctx.today, earliest), latest, earliest)


@flow.step("value")
def on_value(ctx: Ctx, ans: Answer) -> None:
    member = _chosen_member(ctx)
    if member is None:
        return
    field = ctx.data["field"]
    try:
        value = _read_value(ctx, field, ans)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.data["value"] = value.isoformat() if isinstance(value, date) else value
    ctx.confirm("confirm_edit", texts.change_summary(member, field, getattr(member, field), value))


@flow.step("confirm_edit")
def on_confirm_edit(ctx: Ctx, ans: Answer) -> None:
    member = _chosen_member(ctx)
    if member is None or not confirmed(ctx, ans):
        return
    field, value = ctx.data["field"], ctx.data["value"]
    if field == "joined_on":
        value = date.fromisoformat(value)
    members.update_field(ctx.db, member, field, value, ctx.user)
    ctx.end()
    ctx.say(texts.changed(member) + "\n" + texts.card(member, ctx.today, private(ctx)))


# --- leaving the club -----------------------------------------------------------------------------------


@flow.step("left_on")
def on_left_on(ctx: Ctx, ans: Answer) -> None:
    member = _chosen_member(ctx)
    if member is None:
        return
    since_joining = Earliest(member.joined_on, JOINED)
    try:
        on = ctx.today if ans.choice == "today" else parse_past_date(ans.text, ctx.today, since_joining)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.data["left_on"] = on.isoformat()
    ctx.confirm("confirm_leave", texts.leave_summary(member, on))


@flow.step("confirm_leave")
def on_confirm_leave(ctx: Ctx, ans: Answer) -> None:
    member = _chosen_member(ctx)
    if member is None or not confirmed(ctx, ans):
        return
    if member.left_on is not None:
        ctx.end()
        ctx.say(texts.already_left(member))
        return
    members.mark_left(ctx.db, member, date.fromisoformat(ctx.data["left_on"]), ctx.user)
    ctx.end()
    ctx.say(texts.leave_summary(member, member.left_on))


# --- anonymising a member who asked (the chair; see personal.py) ----------------------------------------


@flow.step("confirm_anonymise")
def on_confirm_anonymise(ctx: Ctx, ans: Answer) -> None:
    member = _chosen_member(ctx)
    if member is None or not confirmed(ctx, ans):
        return
    personal.anonymise(ctx, member)
