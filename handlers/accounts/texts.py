"""What the bot says about linking accounts on several apps and where reminders go."""

from __future__ import annotations

from handlers.i18n import _, lazy
from handlers.roles import role_name
from storage.accounts import BOTH, TELEGRAM, ZALO, LinkStatus
from storage.clubs import grouped
from storage.models import Club


def channel_name(channel: str) -> str:
    names = {TELEGRAM: "Telegram", ZALO: "Zalo", BOTH: _("Telegram and Zalo")}
    return names.get(channel, _("the command line"))


def _club_lines(seats: list[tuple[Club, str]]) -> str:
    return "\n".join(
        _("{club} ({role}), Mã CLB: {code}").format(club=club.name, role=role_name(role), code=club.code)
        for club, role in seats
    )


def menu(channels: list[str]) -> str:
    return _(
        "You use the bot on: {channels}.\n\n"
        "To use it on another app as well (Zalo or Telegram), make a link code here and type it there. "
        "What do you want to do?"
    ).format(channels=", ".join(channel_name(c) for c in channels))


CODE_FOR_ME_LABEL = lazy(lambda: _("Make a link code for me"))


CODE_FOR_MEMBER_LABEL = lazy(lambda: _("Make a link code for a board member"))


REMINDERS_LABEL = lazy(lambda: _("Where reminders go"))


NOT_ON_A_BOARD = lazy(
    lambda: _(
        "You are not on a club's board yet, so there is nothing to link. "
        "If you made a link code on your other app, type /lienket CODE here."
    )
)


PRIVATE_CHAT_ONLY = lazy(
    lambda: _("Link codes are personal: use /lienket in a private chat with the bot, not in a group.")
)


PICK_MEMBER = lazy(
    lambda: _(
        "Whose link code is it? Give the code only to that person. Someone who also serves a club you do "
        "not chair makes their own code with /lienket."
    )
)


NOBODY_ELSE = lazy(
    lambda: _(
        "There is nobody on the board you can make a link code for: invite people with /moi; someone who "
        "also serves a club you do not chair makes their own code with /lienket."
    )
)


def code_made(code: str, minutes: int, for_name: str | None) -> str:
    whose = (
        _("Link code for {name}: {grouped}").format(name=for_name, grouped=grouped(code))
        if for_name
        else _("Your link code: {grouped}").format(grouped=grouped(code))
    )
    return (
        whose
        + "\n\n"
        + _(
            "On the other app (Zalo or Telegram), open the club bot and type:\n/lienket {code}\n\n"
            "The code works once, within {minutes} minutes. Do not share it: whoever types it can act as "
            "this person in their clubs."
        ).format(code=grouped(code), minutes=minutes)
    )


def code_problem(status: LinkStatus) -> str:
    if status is LinkStatus.USED:
        return _("That link code has already been used. Make a new one with /lienket on your other app.")
    if status is LinkStatus.EXPIRED:
        return _("That link code has expired. Make a new one with /lienket on your other app.")
    return _("I do not know that link code. Check it letter by letter, or make a new one with /lienket.")


def link_offer(name: str, seats: list[tuple[Club, str]]) -> str:
    return (
        _("This account will be linked to {name}. From then on you work here on:").format(name=name)
        + "\n"
        + _club_lines(seats)
    )


LINK_QUESTION = lazy(lambda: _("Link this account?"))


LINK_LABEL = lazy(lambda: _("Yes, link"))


def linked(name: str, seats: list[tuple[Club, str]]) -> str:
    return (
        _("Done: this account now acts as {name}, with the same clubs and roles:").format(name=name)
        + "\n"
        + _club_lines(seats)
        + "\n\n"
        + _("Type /menu to see what you can do.")
    )


ALREADY_LINKED = lazy(lambda: _("This account is already linked to that person. The code was not used."))


def has_own_clubs(seats: list[tuple[Club, str]]) -> str:
    return (
        _("This account is on the board of its own clubs:")
        + "\n"
        + _club_lines(seats)
        + "\n\n"
        + _(
            "Linking it to another person would take those clubs away from it, so nothing was changed. "
            "Make the link code on this account instead, and type it on your other app."
        )
    )


def ask_reminders(current: str) -> str:
    return _("Reminders now go to: {channels}. Where should they go?").format(channels=channel_name(current))


def only_one_app(channel: str) -> str:
    return _(
        "You use the bot only on {channel}, so reminders go there. "
        "To get them on another app too, link it first: make a link code with /lienket."
    ).format(channel=channel_name(channel))


def reminders_set(channel: str) -> str:
    return _("Done: reminders will go to {channels}.").format(channels=channel_name(channel))
