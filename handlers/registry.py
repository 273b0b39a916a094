"""Every chat command, in the order the menu and the help show them."""

from __future__ import annotations

from handlers import accounts, board, general, history, meetings, members, money, onboarding, reminders, reports
from handlers.core import CLUB, MEETINGS, MEMBERS, MONEY, REPORTS, Command
from handlers.i18n import _
from handlers.roles import (
    ANY_ROLE,
    LEND,
    MANAGE_BOARD,
    RECORD_MONEY,
    REMINDER_SETTINGS,
    SET_MONEY_RULES,
    VIEW_MEETINGS,
    VIEW_MEMBERS,
    VIEW_MONEY,
    VIEW_REPORTS,
)

COMMANDS: list[Command] = [
    Command(("start",), onboarding.flow, lambda: _("Register a club, or join one with an invite code")),
    Command(("menu",), general.menu_flow, lambda: _("What you can do"), read_only=True),
    Command(
        ("thanhvien",), members.flow, lambda: _("Members: add, list, find, edit"), roles=VIEW_MEMBERS, group=MEMBERS
    ),
    Command(
        ("hop",), meetings.flow, lambda: _("Meetings and the eight activity areas"), roles=VIEW_MEETINGS, group=MEETINGS
    ),
    Command(
        ("donggop",),
        money.contribution_flow,
        lambda: _("Record a contribution to a fund"),
        roles=RECORD_MONEY,
        group=MONEY,
    ),
    Command(("vay",), money.loan_flow, lambda: _("Record a loan from the income fund"), roles=LEND, group=MONEY),
    Command(("trano",), money.repayment_flow, lambda: _("Record a loan repayment"), roles=RECORD_MONEY, group=MONEY),
    Command(
        ("chi",),
        money.expense_flow,
        lambda: _("Record an expense from the activity fund"),
        roles=RECORD_MONEY,
        group=MONEY,
    ),
    Command(
        ("quy",),
        money.funds_flow,
        lambda: _("The two funds: cash, loans, capital"),
        roles=VIEW_MONEY,
        read_only=True,
        group=MONEY,
    ),
    Command(
        ("saoke",),
        money.statement_flow,
        lambda: _("A member's statement"),
        roles=VIEW_MONEY,
        read_only=True,
        group=MONEY,
    ),
    Command(
        ("denhan",),
        money.due_flow,
        lambda: _("Repayments due this month and overdue"),
        roles=VIEW_MONEY,
        read_only=True,
        group=MONEY,
    ),
    Command(("hoantac",), money.undo_flow, lambda: _("Undo a money entry"), roles=RECORD_MONEY, group=MONEY),
    Command(
        ("sodau",),
        history.flow,
        lambda: _("Bring in the club's books from paper (opening balances)"),
        roles=LEND,
        group=MONEY,
    ),
    Command(("quyche",), money.rules_flow, lambda: _("The club's money rules"), roles=SET_MONEY_RULES, group=MONEY),
    Command(
        ("nhom",),
        money.group_flow,
        lambda: _("Announce money entries in the board's group chat"),
        roles=SET_MONEY_RULES,
        group=MONEY,
    ),
    Command(("baocao",), reports.flow, lambda: _("Half-year and annual reports"), roles=VIEW_REPORTS, group=REPORTS),
    Command(("moi",), board.invite_flow, lambda: _("Invite someone to the board"), roles=MANAGE_BOARD, group=CLUB),
    Command(("bancn",), board.board_flow, lambda: _("The board and its roles"), roles=ANY_ROLE, group=CLUB),
    # The club's place on the 2025 map: from /bancn, and asked once of the chair of a club not yet placed.
    Command(
        ("noi",),
        onboarding.place_flow,
        lambda: _("The club's place: province and commune"),
        roles=MANAGE_BOARD,
        in_menu=False,
        group=CLUB,
    ),
    Command(("clb",), general.switch_flow, lambda: _("Switch to another club you serve"), group=CLUB),
    # Anyone: a new account on another app has no club until it is linked; making a code needs a seat.
    Command(("lienket",), accounts.flow, lambda: _("Use the bot on Zalo and Telegram; where reminders go")),
    Command(
        ("nhacnho",),
        reminders.flow,
        lambda: _("Reminders: deadlines, meetings, instalments"),
        roles=REMINDER_SETTINGS,
        group=CLUB,
    ),
    Command(("ngonngu", "language"), general.language_flow, lambda: _("Language, and how I call you"), read_only=True),
    Command(("trogiup", "help"), general.help_flow, lambda: _("Help"), read_only=True),
]


def cancel_description() -> str:
    return _("Stop what you are doing")
