"""What the reviewer of a commune or a province is told: joining with the operator's code, choosing what
/baocao covers. Every text goes through gettext."""

from __future__ import annotations

from handlers.i18n import _, lazy
from storage.clubs import InviteStatus


def area_invite_offer(area: str) -> str:
    return _(
        "You are invited to review the clubs of {area} for the Elderly Association: you will see the combined "
        "report of every club there, now and later, and change nothing."
    ).format(area=area)


def area_joined(area: str) -> str:
    return _("You now review the clubs of {area}. Type /baocao for their combined report.").format(area=area)


def already_reviewing(area: str) -> str:
    return _("You already review the clubs of {area}. The code was not used.").format(area=area)


def area_invite_problem(status: InviteStatus) -> str:
    if status is InviteStatus.USED:
        return _("That invite code has already been used. Ask whoever gave it to you for a new one.")
    return _("That invite code has expired. Ask whoever gave it to you for a new one.")


def ask_area() -> str:
    return _("Which clubs? Pick one, or type the name of a commune to see only its clubs.")


def whole_province(name: str) -> str:
    return _("All of {province}").format(province=name)


def commune_choice(name: str, clubs: int) -> str:
    return _("{commune} ({clubs} clubs)").format(commune=name, clubs=clubs)


def several_communes(typed: str, names: list[str]) -> str:
    return _('"{typed}" could be several communes: {names}. Type more of the name.').format(
        typed=typed, names=", ".join(names)
    )


def no_commune(typed: str, nearest: list[str]) -> str:
    if nearest:
        return _('You review no commune called "{typed}". The nearest names: {names}.').format(
            typed=typed, names=", ".join(nearest)
        )
    return _('You review no commune called "{typed}". Pick one of the choices, or type its name.').format(typed=typed)


NOT_YOUR_AREA = lazy(lambda: _("That is outside the clubs you review."))
AREA_ROLE_ONLY_REPORTS = lazy(
    lambda: _(
        "You review the clubs of a commune or a province: you read their combined report with /baocao, and change "
        "nothing. /menu lists what you can do."
    )
)
