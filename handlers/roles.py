"""Who may do what in a club. Every command names the roles it allows; the dispatcher checks them."""

from __future__ import annotations

from bot.i18n import _
from storage.models import BOARD_MEMBER, CHAIR, REVIEWER, SECRETARY, TREASURER, VICE_CHAIR

BOARD = frozenset({CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER})
ANY_ROLE = BOARD | {REVIEWER}  # the district reviewer reads, never writes

MANAGE_BOARD = frozenset({CHAIR})
VIEW_MEMBERS = ANY_ROLE
EDIT_MEMBERS = BOARD

# The roles a chair can invite people to, in the order they are offered.
INVITABLE = (VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER, CHAIR)


def role_name(role: str | None) -> str:
    names = {
        CHAIR: _("Chair"),
        VICE_CHAIR: _("Vice-chair"),
        TREASURER: _("Treasurer"),
        SECRETARY: _("Secretary"),
        BOARD_MEMBER: _("Board member"),
        REVIEWER: _("District reviewer"),
    }
    return names.get(role, _("no role"))


def role_names(roles: frozenset[str]) -> str:
    return ", ".join(role_name(r) for r in (CHAIR, *INVITABLE[:-1]) if r in roles)
