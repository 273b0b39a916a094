"""What the bot says in the menu, the help and the settings that belong to no club feature."""

from __future__ import annotations

from handlers.core import CLUB, MEETINGS, MEMBERS, MONEY, REPORTS, Command
from handlers.i18n import _, lazy
from handlers.roles import role_name
from storage.models import AREA_REVIEWER, Club

MORE_LABEL = lazy(lambda: _("More..."))


def menu(club: Club | None, role: str | None) -> str:
    if club is None:
        return _("What do you want to do?")
    return _("{club} ({role}). What do you want to do?").format(club=club.name, role=role_name(role))


def help_text(commands: list[Command], club: Club | None, role: str | None) -> str:
    if club is None and role == AREA_REVIEWER:
        who = _("You review the clubs of a commune or a province: /baocao gives their combined report.")
    elif club is None:
        who = _(
            "You are not on a club's board yet. Type /start to register your club (you become its chair), "
            "or /start CODE with the invite code your chair sent you."
        )
    else:
        who = _("You are {role} of {club}. Mã CLB: {code}").format(role=role_name(role), club=club.name, code=club.code)
    lines = []
    for group, heading in ((MONEY, _("Money")), (MEMBERS, _("The members")), (MEETINGS, _("Meetings and activities")),
                           (REPORTS, _("Reports")), (CLUB, _("The club and the board")), ("", _("Other"))):  # fmt: skip
        listed = [f"/{command.names[0]}: {command.description()}" for command in commands if command.group == group]
        if listed:
            lines += ["", heading.upper(), *listed]
    tips = _(
        "Answer by picking one of the choices, or type its number or its words. "
        "Type /huy at any time to stop; nothing is saved until you confirm."
    )
    return who + "\n\n" + _("What you can do:") + "\n".join(lines) + "\n\n" + tips


LANGUAGE_SET = lazy(lambda: _("From now on I will talk to you in English."))


def ask_club(current: Club | None) -> str:
    text = _("You serve on several boards. Which club do you want to work on?")
    if current is not None:
        text += "\n" + _("Now: {club}").format(club=current.name)
    return text


def club_switched(club: Club, role: str) -> str:
    return _("Now working on {club} as {role}. Mã CLB: {code}").format(
        club=club.name, role=role_name(role), code=club.code
    )


def only_one_club(club: Club | None) -> str:
    if club is None:
        return _("You are not on a club's board yet. Type /start to begin.")
    return _("You serve only {club}. Type /start to register another club.").format(club=club.name)


def go_on_with(what: str) -> str:
    return _("Go on: {what}").format(what=what)


ASK_LANGUAGE_AND_ADDRESS = lazy(lambda: _("Which language should I speak, and how should I call you?"))
ASK_ADDRESS = lazy(lambda: _("One last question: how should I call you? You can change it at any time with /ngonngu."))


def address_set(word: str) -> str:
    return _('From now on I will call you "{word}".').format(word=word)
