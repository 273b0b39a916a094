"""/menu, /trogiup (help), /ngonngu (language) and /clb (switch club): what belongs to no club feature."""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow
from handlers.general import texts
from handlers.i18n import LANGUAGES, language
from storage import clubs, users

# Commands that are themselves ways around the menu; the menu offers the rest.
NOT_IN_MENU = {"menu", "trogiup", "huy"}


GO_ON = "_go_on"  # back to a flow left unfinished when the menu was opened


def start_menu(ctx: Ctx, args: str) -> None:
    choices = [
        Choice(command.names[0], command.description())
        for command in ctx.usable_commands()
        if command.in_menu and command.names[0] not in NOT_IN_MENU
    ]
    if ctx.paused is not None:
        choices.insert(0, Choice(GO_ON, texts.go_on_with(ctx.doing(ctx.paused["flow"]))))
    ctx.ask("pick", texts.menu(ctx.club, ctx.role), choices)


menu_flow = Flow("menu", start=start_menu)


@menu_flow.step("pick")
def on_menu_pick(ctx: Ctx, ans: Answer) -> None:
    if ans.choice is None:
        ctx.retry(choose_one())
    elif ans.choice == GO_ON:
        ctx.end()  # the dispatcher then takes up the flow set aside
    else:
        ctx.run_command(ans.choice)


def start_help(ctx: Ctx, args: str) -> None:
    ctx.say(texts.help_text([c for c in ctx.usable_commands() if c.in_menu], ctx.club, ctx.role))


help_flow = Flow("help", start=start_help)


def start_language(ctx: Ctx, args: str) -> None:
    ctx.ask("pick", texts.ask_language(), [Choice(code, name) for code, name in LANGUAGES.items()])


language_flow = Flow("language", start=start_language)


@language_flow.step("pick")
def on_language(ctx: Ctx, ans: Answer) -> None:
    if ans.choice not in LANGUAGES:
        ctx.retry(choose_one())
        return
    users.set_language(ctx.db, ctx.user, ans.choice)
    ctx.end()
    with language(ans.choice):
        ctx.say(texts.language_set())


def start_switch(ctx: Ctx, args: str) -> None:
    seats = clubs.seats_of(ctx.db, ctx.user)
    if len(seats) < 2:
        ctx.say(texts.only_one_club(ctx.club))
        return
    ctx.ask("pick", texts.ask_club(ctx.club), [Choice(str(club.id), club.name) for club, _role in seats])


switch_flow = Flow("switch_club", start=start_switch)


@switch_flow.step("pick")
def on_switch(ctx: Ctx, ans: Answer) -> None:
    seats = {str(club.id): (club, role) for club, role in clubs.seats_of(ctx.db, ctx.user)}
    if ans.choice not in seats:
        ctx.retry(choose_one())
        return
    club, role = seats[ans.choice]
    users.set_current_club(ctx.db, ctx.user, club.id)
    ctx.end()
    ctx.say(texts.club_switched(club, role))
