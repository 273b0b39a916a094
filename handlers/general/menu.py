"""/menu: what the person can do here, at most eight choices on a phone's screen: first a flow they left
unfinished for a read-only command, then what they themselves start most, then what someone in their role does
most, then "More..." for the rest."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import readers
from handlers.core import Choice, Command, Ctx
from handlers.flow import Flow, Question, Step
from handlers.general import texts
from storage import users
from storage.models import BOARD_MEMBER, CHAIR, REVIEWER, SECRETARY, TREASURER, VICE_CHAIR

# Commands that are themselves ways around the menu; the menu offers the rest.
NOT_IN_MENU = {"menu", "trogiup", "huy"}
MOST_CHOICES = 8

GO_ON = "_go_on"  # back to a flow left unfinished when the menu was opened
MORE = "_more"

# What each role does most, in that order: the menu's first page. The rest are behind "More...".
FIRST_BY_ROLE = {
    CHAIR: ("thanhvien", "hop", "donggop", "quy", "baocao", "moi", "nhacnho"),
    VICE_CHAIR: ("donggop", "trano", "hop", "thanhvien", "quy", "baocao", "denhan"),
    TREASURER: ("donggop", "trano", "vay", "chi", "quy", "denhan", "saoke"),
    SECRETARY: ("hop", "thanhvien", "baocao", "quy", "nhacnho", "bancn", "saoke"),
    BOARD_MEMBER: ("thanhvien", "hop", "quy", "baocao", "bancn", "nhacnho", "lienket"),
    REVIEWER: ("baocao", "quy", "thanhvien", "hop", "denhan", "nhacnho", "lienket"),
}
WITHOUT_A_CLUB = ("start", "lienket", "ngonngu")
# A command started this often (in any club: storage.users.count_command) is a habit, and goes before the role's
# list; one started once or twice (/start, a first try) does not push the role's own work down.
HABIT = 3


@dataclass
class MenuPage:
    more: bool = False  # the second page: everything not on the first


def start(ctx: Ctx, args: str) -> None:
    ctx.go(PICK)


def in_menu(ctx: Ctx) -> list[Command]:
    return [c for c in ctx.usable_commands() if c.in_menu and c.names[0] not in NOT_IN_MENU]


def first_page(ctx: Ctx, commands: list[Command], room: int) -> list[Command]:
    """The person's habits, most used first; then, and on a tie, the role's order."""
    first = FIRST_BY_ROLE.get(ctx.role or "", WITHOUT_A_CLUB)
    uses = users.command_uses(ctx.db, ctx.user.id)

    def rank(command: Command) -> tuple[int, int]:
        name = command.names[0]
        used = uses.get(name, 0)
        return -(used if used >= HABIT else 0), first.index(name) if name in first else len(first)

    ranked = sorted(commands, key=rank)
    return ranked[:room] if len(ranked) > room + 1 else ranked


def ask_pick(ctx: Ctx) -> Question:
    commands = in_menu(ctx)
    choices = []
    if ctx.paused is not None and not ctx.state.more:
        choices.append(Choice(GO_ON, texts.go_on_with(ctx.doing(ctx.paused["flow"]))))
    shown = first_page(ctx, commands, MOST_CHOICES - 1 - len(choices))
    if ctx.state.more:
        shown = [c for c in commands if c not in shown]
    choices += [Choice(c.names[0], c.description()) for c in shown]
    if len(shown) < len(commands) and not ctx.state.more:
        choices.append(Choice(MORE, texts.MORE_LABEL, ("them", "khac", "more")))
    return Question(texts.menu(ctx.club, ctx.role), choices)


def on_pick(ctx: Ctx, choice: str) -> None:
    if choice == GO_ON:
        ctx.end()  # the dispatcher then takes up the flow set aside
    elif choice == MORE:
        ctx.state.more = True
        ctx.go(PICK)
    else:
        ctx.run_command(choice)


PICK = Step("pick", ask_pick, readers.choice, on_pick, goes_to=("pick",))

flow = Flow("menu", start=start, steps=[PICK], state=MenuPage)
