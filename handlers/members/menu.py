"""/thanhvien's menu: add, paste, upload (the board), see the list, find. A name typed after the command
goes straight to the search."""

from __future__ import annotations

from handlers import readers
from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Question, Step
from handlers.members import listing, texts
from handlers.parsing import InputError
from handlers.roles import EDIT_MEMBERS
from storage import members

ADD, PASTE, UPLOAD, LIST, SEARCH, DONE = "add", "paste", "upload", "list", "search", "done"
EDITING = {ADD: "name", PASTE: "paste", UPLOAD: "upload"}  # the menu's choices for the board, and their steps


def start(ctx: Ctx, args: str) -> None:
    if args:
        listing.show_matches(ctx, args)
    else:
        ctx.go(MENU)


def ask_menu(ctx: Ctx) -> Question:
    choices = []
    if ctx.can(EDIT_MEMBERS):
        choices += [
            Choice(ADD, texts.ADD_ONE_LABEL),
            Choice(PASTE, texts.PASTE_LABEL),
            Choice(UPLOAD, texts.UPLOAD_LABEL),
        ]
    search_label = texts.SEARCH_LABEL if ctx.can(EDIT_MEMBERS) else texts.FIND_LABEL
    choices += [Choice(LIST, texts.LIST_LABEL), Choice(SEARCH, search_label), Choice(DONE, texts.DONE_LABEL)]
    return Question(texts.menu(ctx.club, members.count(ctx.db, ctx.club.id)), choices)


def read_menu(ctx: Ctx, ans: Answer) -> str:
    """A choice still allowed: the person's role may have changed since the menu was shown."""
    choice = readers.choice(ctx, ans)
    if choice in EDITING and not ctx.can(EDIT_MEMBERS):
        raise InputError(choose_one())
    return choice


def on_menu(ctx: Ctx, choice: str) -> None:
    if choice in EDITING:
        ctx.go(EDITING[choice])
    elif choice == LIST:
        listing.show_first_page(ctx)
    elif choice == SEARCH:
        ctx.go(listing.SEARCH)
    else:
        ctx.end()


MENU = Step("menu", ask_menu, read_menu, on_menu, goes_to=(*EDITING.values(), "page", "search"))
