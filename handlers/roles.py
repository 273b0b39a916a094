"""Who may do what in a club. Every command names the roles it allows; the dispatcher checks them."""

from __future__ import annotations

from handlers.i18n import _
from storage.models import AREA_REVIEWER, BOARD_MEMBER, CHAIR, REVIEWER, SECRETARY, TREASURER, VICE_CHAIR

BOARD = frozenset({CHAIR, VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER})
ANY_ROLE = BOARD | {REVIEWER}  # the association reviewer reads, never writes

MANAGE_BOARD = frozenset({CHAIR})
VIEW_MEMBERS = ANY_ROLE
EDIT_MEMBERS = BOARD
VIEW_MEETINGS = ANY_ROLE
# Those who keep the club's records log meetings and activities; a logged meeting is changed only by the
# chair or the secretary, so its history has few hands in it.
LOG_MEETINGS = frozenset({CHAIR, VICE_CHAIR, SECRETARY})
EDIT_MEETINGS = frozenset({CHAIR, SECRETARY})

# Money: the treasurer and the chair keep the books, the vice-chair may stand in at a meeting. Lending and
# correcting someone else's entry are for the chair and the treasurer only; the rules are the chair's.
RECORD_MONEY = frozenset({CHAIR, VICE_CHAIR, TREASURER})
LEND = frozenset({CHAIR, TREASURER})
CORRECT_ANY_ENTRY = frozenset({CHAIR, TREASURER})
VIEW_MONEY = ANY_ROLE
SET_MONEY_RULES = frozenset({CHAIR})
# Reminder settings: everyone on the board for their own reminders (the association reviewer too, for the list
# of late clubs); the club's meeting day and deadline recipients are the chair's (checked in the flow).
REMINDER_SETTINGS = ANY_ROLE
# Reports: the board and the association reviewer read them; only the chair marks one as handed in.
# The reviewer of a commune or a province (storage.area_reviewers) sits on no board: reports are all they read.
VIEW_REPORTS = ANY_ROLE | {AREA_REVIEWER}
SUBMIT_REPORTS = frozenset({CHAIR})

# The roles a chair can invite people to, in the order they are offered.
INVITABLE = (VICE_CHAIR, TREASURER, SECRETARY, BOARD_MEMBER, REVIEWER, CHAIR)


def role_name(role: str | None) -> str:
    names = {
        CHAIR: _("Chair"),
        VICE_CHAIR: _("Vice-chair"),
        TREASURER: _("Treasurer"),
        SECRETARY: _("Secretary"),
        BOARD_MEMBER: _("Board member"),
        REVIEWER: _("Association reviewer"),
        AREA_REVIEWER: _("Commune or province reviewer"),
    }
    return names.get(role, _("no role"))


def role_names(roles: frozenset[str]) -> str:
    return ", ".join(role_name(r) for r in (CHAIR, *INVITABLE[:-1]) if r in roles)
