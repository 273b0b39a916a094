"""What the bot says while registering a club or joining one."""

from __future__ import annotations

from handlers.core import press, skip_choice
from handlers.i18n import _, day, lazy
from handlers.reports.texts import address
from handlers.roles import role_name
from storage.clubs import InviteStatus, NewClub
from storage.models import Club

WELCOME = lazy(
    lambda: _(
        "Welcome! I help the board of an intergenerational self-help club keep its books: members, "
        "meetings, contributions, loans and the reports due on 5 June and 5 December.\n\n"
        "Let us register your club; you will be its chair. You can stop at any time with /huy.\n"
        "If your chair gave you an invite code, type /start CODE instead."
    )
)

ASK_NAME = lazy(lambda: _("What is the club's name? (for example: CLB Liên thế hệ tự giúp nhau thôn Liên Trì)"))

ASK_VILLAGE = lazy(lambda: _("Which village or residential group (thôn, tổ dân phố) is the club in?"))

ASK_PROVINCE = lazy(lambda: _("Which province or city (tỉnh, thành phố) is the club in?"))


def ask_commune(province: str) -> str:
    return _("Which commune, ward or special zone (xã, phường, đặc khu) of {province}?").format(province=province)


ASK_DISTRICT = lazy(
    lambda: _("Former district (huyện), if the club's papers still name one? {press_skip} if they do not.").format(
        press_skip=press(skip_choice())
    )
)


def keep_district(district: str) -> str:
    return _("Keep: {district}").format(district=district)


def places_to_pick(typed: str) -> str:
    return _('Several places match "{typed}": pick one, or type more of the name.').format(typed=typed)


def too_many_places(typed: str, count: int) -> str:
    return _('{count} places match "{typed}": type more of the name.').format(count=count, typed=typed)


def place_not_found(typed: str, province: str | None, nearest: bool) -> str:
    if province is None:
        found = _('I found no province or city named "{typed}".').format(typed=typed)
    else:
        found = _(
            'I found no commune or ward named "{typed}" in {province}. If the club is in another province, go '
            "back and change the province."
        ).format(typed=typed, province=province)
    if nearest:
        return found + " " + _("The nearest names are below: pick one, or type the name again.")
    return found + " " + _("Check the name and type it again, with its tone marks or without.")


PLACE_TOO_LONG = lazy(lambda: _("That is too long for the name of a place: type just the name."))

# fmt: off
ASK_DECISION = lazy(
    lambda: _("What is the number of the founding decision (for example 58/QĐ-UBND)? "
        "{press_skip} if you do not have it.").format(press_skip=press(skip_choice()))
)
# fmt: on

ASK_FOUNDED_ON = lazy(
    lambda: _(
        "On what date was the decision signed (day/month/year, for example 08/04/2019)? "
        "{press_skip} if you do not know."
    ).format(press_skip=press(skip_choice()))
)

ASK_MEETING_DAY = lazy(lambda: _("On which day of the month does the club usually meet? Type a number from 1 to 28."))


def place_of(village: str, commune: str, province: str) -> str:
    """Where a club is, with the kind of each place written once: 'village X, commune Y, province Z'."""
    return address(village, commune, "", province)


def place(club: Club | NewClub) -> str:
    """Where the club is, and the former district its papers name, if any."""
    return address(club.village, club.commune, club.district, club.province)


def place_now(club: str, where: str) -> str:
    return _("{club} is in: {where}.\nType the new place; the province first.").format(club=club, where=where)


def place_unknown(club: str, commune: str, province: str) -> str:
    return _(
        "Since 1 July 2025 there are 34 provinces and their communes, and no districts. I could not find the "
        "place of {club} ({commune}, {province}) on that list: please pick it, once. You can skip this and do "
        "it later from /bancn."
    ).format(club=club, commune=commune or "?", province=province or "?")


def place_summary(club: str, where: str, district: str) -> str:
    lines = [_("The place of {club}:").format(club=club), where]
    if district:
        lines.append(_("Former district: {district}").format(district=district))
    return "\n".join(lines)


PLACE_SAVED = lazy(lambda: _("The club's place is saved."))
PLACE_SKIPPED = lazy(lambda: _("Skipped. You can set the club's place later from /bancn."))


def club_summary(club: NewClub, chair_name: str) -> str:
    decision = club.founding_decision or _("not given")
    if club.founded_on:
        decision = _("{decision}, signed {date}").format(decision=decision, date=day(club.founded_on))
    return _(
        "New club:\n"
        "Name: {name}\n"
        "Place: {place}\n"
        "Founding decision: {decision}\n"
        "Monthly meeting: day {meeting_day}\n"
        "Chair: {chair}"
    ).format(name=club.name, place=place(club), decision=decision, meeting_day=club.meeting_day, chair=chair_name)


def registered(club: Club) -> str:
    # fmt: off
    return _("The club {name} is registered. Mã CLB: {code}\n\n"
        "Next steps:\n"
        "/moi: invite the vice-chair, the treasurer and the rest of the board\n"
        "/thanhvien: enter the member list\n"
        "/menu: everything you can do").format(name=club.name, code=club.code)
    # fmt: on


def returning(club: Club, role: str) -> str:
    return _("Welcome back. You are working on {club} as {role}. Mã CLB: {code}").format(
        club=club.name, role=role_name(role), code=club.code
    )


OPEN_MENU = lazy(lambda: _("Open the menu"))

REGISTER_ANOTHER = lazy(lambda: _("Register another club"))


def invite_offer(club: Club, role: str) -> str:
    return _("You are invited to join the board of {club} ({place}) as {role}.").format(
        club=club.name, place=place(club), role=role_name(role)
    )


JOIN_LABEL = lazy(lambda: _("Yes, join"))


def joined(club: Club, role: str) -> str:
    # fmt: off
    return _("Welcome to the board of {club}! Your role: {role}. Mã CLB: {code}\nType /menu to see what you can do.").format(club=club.name, role=role_name(role), code=club.code)  # noqa: E501
    # fmt: on


def invite_problem(status: InviteStatus) -> str:
    if status is InviteStatus.USED:
        return _("That invite code has already been used. Ask your chair to make a new one with /moi.")
    if status is InviteStatus.EXPIRED:
        return _("That invite code has expired. Ask your chair to make a new one with /moi.")
    return _("I do not know that invite code. Check it letter by letter, or ask your chair for a new one.")


def already_on_board(club: Club, role: str) -> str:
    return _("You are already on the board of {club} as {role}. The code was not used.").format(
        club=club.name, role=role_name(role)
    )


PLACE_NAME_PROBLEM = lazy(lambda: _("Type a name of 2 to 200 characters, in letters."))


def new_chair_joined(name: str, club: Club) -> str:
    return _(
        "{name} has just joined the board of {club} as chair, with an invite code. If that is not right, "
        "remove them with /bancn."
    ).format(name=name, club=club.name)


# The answers' names in the read-back's "change an answer" list.
NAME_LABEL = lazy(lambda: _("Club name"))
VILLAGE_LABEL = lazy(lambda: _("Village"))
COMMUNE_LABEL = lazy(lambda: _("Commune or ward"))
DISTRICT_LABEL = lazy(lambda: _("Former district"))
PROVINCE_LABEL = lazy(lambda: _("Province or city"))
DECISION_LABEL = lazy(lambda: _("Founding decision"))
FOUNDED_ON_LABEL = lazy(lambda: _("Date signed"))
MEETING_DAY_LABEL = lazy(lambda: _("Meeting day"))


def too_many_wrong_codes(minutes: int) -> str:
    return _("Too many wrong codes in the last hour: try again in {minutes} minutes.").format(minutes=minutes)
