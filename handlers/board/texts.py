"""What the bot says about the board: invites, roles, removals."""

from __future__ import annotations

from datetime import date

from handlers.i18n import _, day, lazy
from handlers.roles import role_name
from storage.clubs import grouped
from storage.models import Club, Invite

ASK_ROLE = lazy(lambda: _("Which role do you want to invite someone to?"))

ROLE_LABEL = lazy(lambda: _("Role"))

MAKE_CODE_QUESTION = lazy(lambda: _("Make the code?"))

MAKE_CODE_LABEL = lazy(lambda: _("Yes, make the code"))

PICK_PERSON = lazy(
    lambda: _("To change someone's role or remove them from the board, pick them; or change the club's place.")
)

CLOSE_LABEL = lazy(lambda: _("Close"))

CHANGE_ROLE_LABEL = lazy(lambda: _("Change role"))

REMOVE_LABEL = lazy(lambda: _("Remove from the board"))

NEW_ROLE_LABEL = lazy(lambda: _("New role"))

LAST_CHAIR = lazy(lambda: _("The club must keep a chair. Invite or name another chair first."))

SAME_ROLE = lazy(lambda: _("That is already their role. Pick another one."))

PERSON_GONE = lazy(lambda: _("That person is no longer on this club's board. Type /bancn to see the board again."))

INVITE_IN_PRIVATE = lazy(
    lambda: _("Invite codes are made only in a private chat: write /moi to me privately, not in a group.")
)


def invite_summary(club: Club, role: str, valid_until: date) -> str:
    return _("A single-use invite code for the role {role} in {club}, valid until {date}.").format(
        role=role_name(role), club=club.name, date=day(valid_until)
    )


def invite_made(invite: Invite, valid_until: date, link: str | None) -> str:
    text = _(
        "Invite code for {role}: {grouped}\n\nSend this to the person. They open the bot and type:\n/start {code}"
    ).format(role=role_name(invite.role), grouped=grouped(invite.code), code=grouped(invite.code))
    if link:
        text += "\n\n" + _("Or they open this link: {link}").format(link=link)
    return text + "\n\n" + _("The code works once and expires on {date}.").format(date=day(valid_until))


def board_list(club: Club, rows: list[tuple[str, str]]) -> str:
    lines = [f"{number}. {name}: {role_name(role)}" for number, (name, role) in enumerate(rows, start=1)]
    return _("Board of {club}:").format(club=club.name) + "\n" + "\n".join(lines)


def person_actions(name: str, role: str) -> str:
    return _("{name}: {role}. What do you want to do?").format(name=name, role=role_name(role))


def ask_new_role(name: str) -> str:
    return _("New role for {name}:").format(name=name)


def change_summary(name: str, old: str, new: str) -> str:
    return _("{name}: {old} becomes {new}.").format(name=name, old=role_name(old), new=role_name(new))


def remove_summary(name: str, club: Club) -> str:
    return _("Remove {name} from the board of {club}? They will no longer be able to use the club's commands.").format(
        name=name, club=club.name
    )


def role_changed(name: str, role: str) -> str:
    return _("Done: {name} is now {role}.").format(name=name, role=role_name(role))


def removed(name: str) -> str:
    return _("Done: {name} is no longer on the board.").format(name=name)


def inviter_protected(name: str) -> str:
    return _(
        "{name} invited you as chair less than a day ago, so you cannot remove them or change their role "
        "yet. Try again tomorrow."
    ).format(name=name)


CHANGE_PLACE_LABEL = lazy(lambda: _("Change the club's place"))
