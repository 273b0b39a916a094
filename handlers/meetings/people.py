"""Home-care volunteers and groups (to) per activity area: everyone on the board sees them; those who log
meetings change them, each change read back first."""

from __future__ import annotations

from handlers import readers
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Question, Step, read_back
from handlers.meetings import texts
from handlers.meetings.common import MENU, Meetings, back_choices, done_choice, guarded_choice, read_area, went_back
from handlers.meetings.picking import member_choices, member_step
from handlers.parsing import InputError
from handlers.roles import LOG_MEETINGS
from storage import members, volunteers
from storage.models import AREAS, ClubGroup, Member
from storage.names import clean

PEOPLE, GROUP = "people", "group"
ADD_VOLUNTEER, CONFIRM_VOLUNTEER = "add_volunteer", "confirm_volunteer"
STOP_WHICH, CONFIRM_STOP = "stop_which", "confirm_stop"
GROUP_AREA, GROUP_NAME, CONFIRM_GROUP = "group_area", "group_name", "confirm_group"
JOIN_GROUP, CONFIRM_JOIN = "join_group", "confirm_join"
LEAVE_WHICH, CONFIRM_LEAVE = "leave_which", "confirm_leave"
# The changes offered on the people view, and the question each one starts with.
CHANGES = {"add_volunteer": ADD_VOLUNTEER, "stop_volunteer": STOP_WHICH, "new_group": GROUP_AREA}
GROUP_NAME_LENGTH = (2, 100)


def show_people(ctx: Ctx) -> None:
    ctx.state = Meetings()
    ctx.go(PEOPLE)


def ask_people(ctx: Ctx) -> Question:
    serving = volunteers.volunteers(ctx.db, ctx.club.id)
    groups = volunteers.groups(ctx.db, ctx.club.id)
    choices = [Choice(f"g{g.id}", texts.group_label(g, count)) for g, count in groups]
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("add_volunteer", texts.ADD_VOLUNTEER_LABEL))
        if serving:
            choices.append(Choice("stop_volunteer", texts.STOP_VOLUNTEER_LABEL))
        choices.append(Choice("new_group", texts.NEW_GROUP_LABEL))
    return Question(texts.people_view(serving, groups), [*choices, *back_choices()])


def read_people_choice(ctx: Ctx, ans: Answer) -> str | ClubGroup:
    """A group shown (still this club's), or one of the other choices."""
    choice = guarded_choice(LOG_MEETINGS, *CHANGES)(ctx, ans)
    if not choice.startswith("g"):
        return choice
    group = _group(ctx, choice[1:])
    if group is None:
        raise InputError(choose_one())
    return group


def on_people(ctx: Ctx, choice: str | ClubGroup) -> None:
    if isinstance(choice, ClubGroup):
        show_group(ctx, choice)
    elif choice in CHANGES:
        ctx.go(CHANGES[choice])
    else:
        went_back(ctx, choice)


def _may_change(ctx: Ctx) -> bool:
    """Checked again when saving: the person's role may have changed since the question."""
    if ctx.can(LOG_MEETINGS):
        return True
    ctx.end()
    ctx.say(texts.CANNOT_LOG)
    return False


def _chosen_member(ctx: Ctx) -> Member | None:
    member = members.get(ctx.db, ctx.club.id, ctx.state.member or 0)
    if member is None:
        ctx.end()
        ctx.say(texts.MEMBER_GONE)
    return member


def _member_then(read_back_step: str):
    """The `then` of a question picking the member a change is about: keep them, then read the change back."""

    def then(ctx: Ctx, member: Member | None) -> None:
        ctx.state.member = member.id if member else None
        ctx.go(read_back_step)

    return then


def read_listed_member(ctx: Ctx, ans: Answer) -> Member:
    choice = readers.choice(ctx, ans)
    member = members.get(ctx.db, ctx.club.id, int(choice)) if choice.isdigit() else None
    if member is None:
        raise InputError(choose_one())
    return member


def _member_summary(summary):
    """A read-back's text for the member chosen (and the group open)."""

    def text(ctx: Ctx) -> str:
        member = members.get(ctx.db, ctx.club.id, ctx.state.member or 0)
        assert member is not None  # chosen a moment ago; members are marked as left, never deleted
        return summary(ctx, member)

    return text


# --- volunteers -----------------------------------------------------------------------------------------


def already_volunteer(ctx: Ctx, member: Member) -> str | None:
    return texts.already_volunteer(member) if volunteers.is_volunteer(ctx.db, member) else None


def save_volunteer(ctx: Ctx) -> None:
    if not _may_change(ctx) or (member := _chosen_member(ctx)) is None:
        return
    if not volunteers.is_volunteer(ctx.db, member):  # someone else may have marked them meanwhile
        volunteers.add_volunteer(ctx.db, member, ctx.today, ctx.user)
    ctx.say(texts.volunteer_added(member, len(volunteers.volunteers(ctx.db, ctx.club.id))))
    show_people(ctx)


def save_stop(ctx: Ctx) -> None:
    if not _may_change(ctx) or (member := _chosen_member(ctx)) is None:
        return
    volunteers.stop_volunteer(ctx.db, member, ctx.today, ctx.user)
    ctx.say(texts.volunteer_stopped(member))
    show_people(ctx)


# --- groups ---------------------------------------------------------------------------------------------


def _group(ctx: Ctx, group_id: str) -> ClubGroup | None:
    return volunteers.group(ctx.db, ctx.club.id, int(group_id)) if group_id.isdigit() else None


def on_group_area(ctx: Ctx, area: str) -> None:
    ctx.state.group_area = area
    ctx.go(GROUP_NAME)


def read_group_name(ctx: Ctx, ans: Answer) -> str:
    name = clean(ans.text)
    shortest, longest = GROUP_NAME_LENGTH
    if not shortest <= len(name) <= longest:
        raise InputError(texts.BAD_GROUP_NAME)
    return name


def on_group_name(ctx: Ctx, name: str) -> None:
    ctx.state.group_name = name
    ctx.go(CONFIRM_GROUP)


def save_group(ctx: Ctx) -> None:
    if not _may_change(ctx):
        return
    group = volunteers.create_group(ctx.db, ctx.club.id, ctx.state.group_area, ctx.state.group_name, ctx.user)
    ctx.say(texts.GROUP_SAVED)
    show_group(ctx, group)


def show_group(ctx: Ctx, group: ClubGroup) -> None:
    ctx.state = Meetings(group=group.id)
    ctx.go(GROUP)


def _open_group(ctx: Ctx) -> ClubGroup | None:
    group = _group(ctx, str(ctx.state.group or ""))
    if group is None:
        ctx.end()
        ctx.say(texts.GROUP_GONE)
    return group


def _shown_group(ctx: Ctx) -> ClubGroup:
    group = _group(ctx, str(ctx.state.group or ""))
    assert group is not None  # opened a moment ago; groups are never deleted
    return group


def ask_group(ctx: Ctx) -> Question:
    group = _shown_group(ctx)
    in_group = volunteers.group_members(ctx.db, group.id)
    choices = []
    if ctx.can(LOG_MEETINGS):
        choices.append(Choice("join", texts.ADD_TO_GROUP_LABEL))
        if in_group:
            choices.append(Choice("leave", texts.REMOVE_FROM_GROUP_LABEL))
    choices += [Choice(PEOPLE, texts.BACK_TO_PEOPLE_LABEL), done_choice()]
    return Question(texts.group_view(group, in_group), choices)


def on_group(ctx: Ctx, choice: str) -> None:
    if _open_group(ctx) is None:
        return
    if choice == "join":
        ctx.go(JOIN_GROUP)
    elif choice == "leave":
        ctx.go(LEAVE_WHICH)
    elif choice == PEOPLE:
        show_people(ctx)
    else:
        ctx.end()


def already_in_group(ctx: Ctx, member: Member) -> str | None:
    group = _shown_group(ctx)
    return texts.already_in_group(member, group) if volunteers.in_group(ctx.db, group, member) else None


def save_join(ctx: Ctx) -> None:
    if not _may_change(ctx) or (group := _open_group(ctx)) is None or (member := _chosen_member(ctx)) is None:
        return
    if not volunteers.in_group(ctx.db, group, member):
        volunteers.add_to_group(ctx.db, group, member, ctx.user)
    ctx.say(texts.GROUP_SAVED)
    show_group(ctx, group)


def save_leave(ctx: Ctx) -> None:
    if not _may_change(ctx) or (group := _open_group(ctx)) is None or (member := _chosen_member(ctx)) is None:
        return
    volunteers.remove_from_group(ctx.db, group, member, ctx.user)
    ctx.say(texts.GROUP_SAVED)
    show_group(ctx, group)


def _member_label() -> str:
    return texts.MEMBER_LABEL


STEPS = [
    Step(
        PEOPLE,
        ask_people,
        read_people_choice,
        on_people,
        goes_to=(MENU, GROUP, ADD_VOLUNTEER, STOP_WHICH, GROUP_AREA),
    ),
    member_step(
        ADD_VOLUNTEER,
        lambda ctx: texts.ASK_VOLUNTEER_TO_ADD,
        _member_then(CONFIRM_VOLUNTEER),
        goes_to=(CONFIRM_VOLUNTEER,),
        check=already_volunteer,
        label=_member_label,
    ),
    read_back(
        CONFIRM_VOLUNTEER,
        _member_summary(lambda ctx, member: texts.volunteer_summary(member, ctx.today)),
        save_volunteer,
        goes_to=(PEOPLE,),
    ),
    Step(
        STOP_WHICH,
        lambda ctx: Question(texts.PICK_VOLUNTEER_TO_STOP, member_choices(volunteers.volunteers(ctx.db, ctx.club.id))),
        read_listed_member,
        _member_then(CONFIRM_STOP),
        goes_to=(CONFIRM_STOP,),
        label=_member_label,
    ),
    read_back(
        CONFIRM_STOP,
        _member_summary(lambda ctx, member: texts.stop_summary(member, ctx.today)),
        save_stop,
        goes_to=(PEOPLE,),
    ),
    Step(
        GROUP_AREA,
        lambda ctx: Question(texts.ASK_GROUP_AREA, [Choice(area, texts.area_name(area)) for area in AREAS]),
        read_area,
        on_group_area,
        goes_to=(GROUP_NAME,),
        label=lambda: texts.AREA_LABEL,
    ),
    Step(
        GROUP_NAME,
        lambda ctx: texts.ask_group_name(ctx.state.group_area),
        read_group_name,
        on_group_name,
        goes_to=(CONFIRM_GROUP,),
        label=lambda: texts.GROUP_NAME_LABEL,
    ),
    read_back(
        CONFIRM_GROUP,
        lambda ctx: texts.group_summary(ctx.state.group_name, ctx.state.group_area),
        save_group,
        goes_to=(GROUP,),
    ),
    Step(
        GROUP,
        ask_group,
        guarded_choice(LOG_MEETINGS, "join", "leave"),
        on_group,
        goes_to=(PEOPLE, JOIN_GROUP, LEAVE_WHICH),
    ),
    member_step(
        JOIN_GROUP,
        lambda ctx: texts.ask_member_for_group(_shown_group(ctx)),
        _member_then(CONFIRM_JOIN),
        goes_to=(CONFIRM_JOIN,),
        check=already_in_group,
        label=_member_label,
    ),
    read_back(
        CONFIRM_JOIN,
        _member_summary(lambda ctx, member: texts.join_summary(member, _shown_group(ctx))),
        save_join,
        goes_to=(GROUP,),
    ),
    Step(
        LEAVE_WHICH,
        lambda ctx: Question(
            texts.pick_member_to_remove(_shown_group(ctx)),
            member_choices(volunteers.group_members(ctx.db, _shown_group(ctx).id)),
        ),
        read_listed_member,
        _member_then(CONFIRM_LEAVE),
        goes_to=(CONFIRM_LEAVE,),
        label=_member_label,
    ),
    read_back(
        CONFIRM_LEAVE,
        _member_summary(lambda ctx, member: texts.leave_summary(member, _shown_group(ctx))),
        save_leave,
        goes_to=(GROUP,),
    ),
]
