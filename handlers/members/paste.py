"""Many members at once from a pasted list (one person per line): each line checked, the list read back with
what will and will not be added, then saved. An uploaded sheet (upload.py) ends here too."""

from __future__ import annotations

from dataclasses import replace

from handlers.core import Ctx
from handlers.flow import Step, read_back
from handlers.members import texts
from handlers.members.shared import private
from handlers.parsing import InputError, MemberLine, parse_member_lines
from storage import members
from storage.dates import earliest_entry_date
from storage.names import fold


def check_duplicates(ctx: Ctx, lines: list[MemberLine]) -> list[MemberLine]:
    """Mark the lines naming someone already listed, in the club or earlier in the same list."""
    seen: dict[tuple[str, int], int] = {}
    checked = []
    for line in lines:
        if line.member is not None:
            key = (fold(line.member.full_name), line.member.birth_year)
            if members.find_same(ctx.db, ctx.club.id, line.member.full_name, line.member.birth_year):
                line = replace(line, member=None, error=str(texts.DUPLICATE_IN_CLUB))
            elif key in seen:
                line = replace(line, member=None, error=texts.duplicate_in_paste(seen[key]))
            else:
                seen[key] = line.number
        checked.append(line)
    return checked


def checked_lines(ctx: Ctx, text: str) -> list[MemberLine]:
    return check_duplicates(ctx, parse_member_lines(text, ctx.today, earliest_entry_date(ctx.db, ctx.club.id)))


def lines_to_add(ctx: Ctx, text: str) -> str:
    """The lines, if at least one of them can be added; otherwise the report of each, to fix and send again."""
    lines = checked_lines(ctx, text)
    if not any(line.member for line in lines):
        report = texts.bulk_report(lines, ctx.today, private(ctx))
        raise InputError(f"{report}\n\n{texts.NOTHING_TO_ADD}".strip())
    return text


def keep_lines(ctx: Ctx, text: str) -> None:
    ctx.state.lines = text
    ctx.go(CONFIRM_MANY)


def save_many(ctx: Ctx) -> None:
    """Checked again line by line: someone else may have added the same people since the read-back."""
    added = 0
    for line in checked_lines(ctx, ctx.state.lines):
        if line.member is not None:
            members.add(ctx.db, ctx.club.id, line.member, ctx.user, ctx.today)
            added += 1
    ctx.end()
    ctx.say(texts.bulk_added(added, members.count(ctx.db, ctx.club.id)))


PASTE = Step(
    "paste",
    lambda ctx: texts.ask_paste(),
    lambda ctx, ans: lines_to_add(ctx, ans.text),
    keep_lines,
    goes_to=("confirm_many",),
    label=lambda: texts.LIST_ANSWER_LABEL,
    takes="list",
)
CONFIRM_MANY = read_back(
    "confirm_many",
    lambda ctx: texts.bulk_report(checked_lines(ctx, ctx.state.lines), ctx.today, private(ctx)),
    save_many,
)
