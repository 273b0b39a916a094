"""Home-care volunteers and groups (to) per activity area: everyone on the board sees them; those who log
meetings change them, each change read back first."""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one, confirmed
from handlers.meetings import texts
from handlers.meetings.common import back_choices, done_choice, flow, went_back
from handlers.meetings.picking import ask_member, member_choices, member_picked
from handlers.roles import LOG_MEETINGS
from storage import members, volunteers
from storage.models import AREAS, ClubGroup, Member
from storage.names import clean

GROUP_NAME_LENGTH = (2, 100)


def show_people(ctx: Ctx) -> None:
    ctx.data = {}
    serving = volunteers.volunteers(ctx.db, ctx.club.id)
    groups = volunteers.groups(ctx.db, ctx.club.id)
    choices = [Choice(f"g{g.id}", texts.group_label(g, count)) for g, count in groups]
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("add_volunteer", texts.add_volunteer_label()))
        if serving:
            choices.append(Choice("stop_volunteer", texts.stop_volunteer_label()))
        choices.append(Choice("new_group", texts.new_group_label()))
    ctx.ask("people", texts.people_view(serving, groups), [*choices, *back_choices()])


@flow.step("people")
def on_people(ctx: Ctx, ans: Answer) -> None:
    changes = {
        "add_volunteer": lambda: ask_member(ctx, "add_volunteer", texts.ask_volunteer_to_add()),
        "stop_volunteer": lambda: ctx.ask(
            "stop_which", texts.pick_volunteer_to_stop(), member_choices(volunteers.volunteers(ctx.db, ctx.club.id))
        ),
        "new_group": lambda: ctx.ask(
            "group_area", texts.ask_group_area(), [Choice(area, texts.area_name(area)) for area in AREAS]
        ),
    }
    if went_back(ctx, ans):
        return
    if ans.choice in changes and ctx.can(LOG_MEETINGS):
        changes[ans.choice]()
    elif (ans.choice or "").startswith("g") and (group := _group(ctx, ans.choice[1:])) is not None:
        show_group(ctx, group)
    else:
        ctx.retry(choose_one())


def _may_change(ctx: Ctx) -> bool:
    """Checked again when saving: the person's role may have changed since the question."""
    if ctx.can(LOG_MEETINGS):
        return True
    ctx.end()
    ctx.say(texts.cannot_log())
    return False


def _chosen_member(ctx: Ctx) -> Member | None:
    member = members.get(ctx.db, ctx.club.id, ctx.data.get("member", 0))
    if member is None:
        ctx.end()
        ctx.say(texts.member_gone())
    return member


# --- volunteers -----------------------------------------------------------------------------------------


@member_picked("add_volunteer")
def on_volunteer_to_add(ctx: Ctx, member: Member | None) -> None:
    if member is None or volunteers.is_volunteer(ctx.db, member):
        ctx.retry(texts.already_volunteer(member) if member else choose_one())
        return
    ctx.data["member"] = member.id
    ctx.confirm("confirm_volunteer", texts.volunteer_summary(member, ctx.today))


@flow.step("confirm_volunteer")
def on_confirm_volunteer(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans) or not _may_change(ctx) or (member := _chosen_member(ctx)) is None:
        return
    if not volunteers.is_volunteer(ctx.db, member):  # someone else may have marked them meanwhile
        volunteers.add_volunteer(ctx.db, member, ctx.today, ctx.user)
    ctx.say(texts.volunteer_added(member, len(volunteers.volunteers(ctx.db, ctx.club.id))))
    show_people(ctx)


@flow.step("stop_which")
def on_stop_which(ctx: Ctx, ans: Answer) -> None:
    member = members.get(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
    if member is None:
        ctx.retry(choose_one())
        return
    ctx.data["member"] = member.id
    ctx.confirm("confirm_stop", texts.stop_summary(member, ctx.today))


@flow.step("confirm_stop")
def on_confirm_stop(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans) or not _may_change(ctx) or (member := _chosen_member(ctx)) is None:
        return
    volunteers.stop_volunteer(ctx.db, member, ctx.today, ctx.user)
    ctx.say(texts.volunteer_stopped(member))
    show_people(ctx)


# --- groups ---------------------------------------------------------------------------------------------


def _group(ctx: Ctx, group_id: str) -> ClubGroup | None:
    return volunteers.group(ctx.db, ctx.club.id, int(group_id)) if group_id.isdigit() else None


@flow.step("group_area")
def on_group_area(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in AREAS:
        ctx.retry(texts.pick_one_area())
        return
    ctx.data["area"] = ans.choice
    ctx.ask("group_name", texts.ask_group_name(ans.choice))


@flow.step("group_name")
def on_group_name(ctx: Ctx, ans: Answer) -> None:
    name = clean(ans.text)
    shortest, longest = GROUP_NAME_LENGTH
    if not shortest <= len(name) <= longest:
        ctx.retry(texts.bad_group_name())
        return
    ctx.data["name"] = name
    ctx.confirm("confirm_group", texts.group_summary(name, ctx.data["area"]))


@flow.step("confirm_group")
def on_confirm_group(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans) or not _may_change(ctx):
        return
    group = volunteers.create_group(ctx.db, ctx.club.id, ctx.data["area"], ctx.data["name"], ctx.user)
    ctx.say(texts.group_saved())
    show_group(ctx, group)


def show_group(ctx: Ctx, group: ClubGroup) -> None:
    ctx.data = {"group": group.id}
    in_group = volunteers.group_members(ctx.db, group.id)
    choices = []
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("join", texts.add_to_group_label()))
        if in_group:
            choices.append(Choice("leave", texts.remove_from_group_label()))
    choices += [Choice("people", texts.back_to_people_label()), done_choice()]
    ctx.ask("group", texts.group_view(group, in_group), choices)


def _open_group(ctx: Ctx) -> ClubGroup | None:
    group = _group(ctx, str(ctx.data.get("group", "")))
    if group is None:
        ctx.end()
        ctx.say(texts.group_gone())
    return group


@flow.step("group")
def on_group(ctx: Ctx, ans: Answer) -> None:
    if (group := _open_group(ctx)) is None:
        return
    if ans.choice == "join" and ctx.can(LOG_MEETINGS):
        ask_member(ctx, "join_group", texts.ask_member_for_group(group))
    elif ans.choice == "leave" and ctx.can(LOG_MEETINGS):
        ctx.ask(
            "leave_which",
            texts.pick_member_to_remove(group),
            member_choices(volunteers.group_members(ctx.db, group.id)),
        )
    elif ans.choice == "people":
        show_people(ctx)
    elif ans.choice == "done":
        ctx.end()
    else:
        ctx.retry(choose_one())


@member_picked("join_group")
def on_member_to_join(ctx: Ctx, member: Member | None) -> None:
    if (group := _open_group(ctx)) is None:
        return
    if member is None or volunteers.in_group(ctx.db, group, member):
        ctx.retry(texts.already_in_group(member, group) if member else choose_one())
        return
    ctx.data["member"] = member.id
    ctx.confirm("confirm_join", texts.join_summary(member, group))


@flow.step("confirm_join")
def on_confirm_join(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans) or not _may_change(ctx):
        return
    if (group := _open_group(ctx)) is None or (member := _chosen_member(ctx)) is None:
        return
    if not volunteers.in_group(ctx.db, group, member):
        volunteers.add_to_group(ctx.db, group, member, ctx.user)
    ctx.say(texts.group_saved())
    show_group(ctx, group)


@flow.step("leave_which")
def on_leave_which(ctx: Ctx, ans: Answer) -> None:
    if (group := _open_group(ctx)) is None:
        return
    member = members.get(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
    if member is None:
        ctx.retry(choose_one())
        return
    ctx.data["member"] = member.id
    ctx.confirm("confirm_leave", texts.leave_summary(member, group))


@flow.step("confirm_leave")
def on_confirm_leave(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans) or not _may_change(ctx):
        return
    if (group := _open_group(ctx)) is None or (member := _chosen_member(ctx)) is None:
        return
    volunteers.remove_from_group(ctx.db, group, member, ctx.user)
    ctx.say(texts.group_saved())
    show_group(ctx, group)
