"""Every chat command, in the order the menu and the help show them."""

from __future__ import annotations

from bot.i18n import _
from handlers import board, general, members, onboarding
from handlers.core import Command
from handlers.roles import ANY_ROLE, MANAGE_BOARD, VIEW_MEMBERS

COMMANDS: list[Command] = [
    Command(("start",), onboarding.flow, lambda: _("Register a club, or join one with an invite code")),
    Command(("menu",), general.menu_flow, lambda: _("What you can do")),
    Command(("thanhvien",), members.flow, lambda: _("Members: add, list, find, edit"), roles=VIEW_MEMBERS),
    Command(("moi",), board.invite_flow, lambda: _("Invite someone to the board"), roles=MANAGE_BOARD),
    Command(("bancn",), board.board_flow, lambda: _("The board and its roles"), roles=ANY_ROLE),
    Command(("clb",), general.switch_flow, lambda: _("Switch to another club you serve")),
    Command(("ngonngu", "language"), general.language_flow, lambda: _("Language: Tiếng Việt or English")),
    Command(("trogiup", "help"), general.help_flow, lambda: _("Help")),
]



def cancel_description() -> str:
    return _("Stop what you are doing")
