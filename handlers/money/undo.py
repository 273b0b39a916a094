"""/hoantac: undo an entry by adding the entry that reverses it, with a reason. Nothing is deleted.

Anyone who records money may undo their own entries typed in today (the latest first). The chair and the
treasurer may reverse any entry: picked from the latest, or by its number (/hoantac 12, as statements show it).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Flow, Question, Step, read_back
from handlers.money import texts
from handlers.money.common import announce, save_or_explain
from handlers.parsing import InputError
from handlers.roles import CORRECT_ANY_ENTRY
from storage import corrections, ledger, members
from storage.ledger import MoneyError
from storage.models import LedgerEntry
from storage.names import clean

MISTAKE = "mistake"
MAX_REASON = 200
ENTRY, REASON, CONFIRM = "entry", "reason", "confirm"


@dataclass
class Undo:
    entry: int | None = None
    reason: str = ""


def start(ctx: Ctx, args: str) -> None:
    if args:
        choose_entry(ctx, _entry_by_number(ctx, args))
    elif ctx.can(CORRECT_ANY_ENTRY):
        if not ledger.recent_entries(ctx.db, ctx.club.id):
            ctx.say(texts.NOTHING_TO_REVERSE)
            return
        ctx.go(ENTRY)
    else:
        own = ledger.last_own_entry(ctx.db, ctx.club.id, ctx.user.id, ctx.today)
        if own is None:
            ctx.say(texts.NOTHING_TO_UNDO)
            return
        choose_entry(ctx, own)


def _entry_by_number(ctx: Ctx, text: str) -> LedgerEntry | None:
    """'12' or '#12' -> entry 12 of this club, if there is one."""
    number = clean(text).lstrip("#").strip()
    return ledger.get_entry(ctx.db, ctx.club.id, int(number)) if number.isdigit() else None


def giver(ctx: Ctx, entry: LedgerEntry) -> str | None:
    """Who the entry was from or for: a member's name, an outside source, or nobody (an expense)."""
    if entry.member_id is not None:
        return members.get(ctx.db, ctx.club.id, entry.member_id).full_name
    return entry.source


def chosen_entry(ctx: Ctx) -> LedgerEntry | None:
    return ledger.get_entry(ctx.db, ctx.club.id, ctx.state.entry)


def described(ctx: Ctx) -> str:
    entry = chosen_entry(ctx)
    return texts.describe_entry(entry, giver(ctx, entry))


def may_reverse(ctx: Ctx, entry: LedgerEntry) -> bool:
    # a repayment the bot wrote again with a new split is not the person's own entry, though dated their day
    own_today = entry.created_by == ctx.user.id and entry.entered_on == ctx.today and entry.reallocates_entry_id is None
    return own_today or ctx.can(CORRECT_ANY_ENTRY)


def reversible(ctx: Ctx, entry: LedgerEntry | None) -> LedgerEntry:
    """The entry, if this person may reverse it and the books allow it; otherwise InputError saying why."""
    if entry is None:
        raise InputError(str(texts.NO_SUCH_ENTRY))
    if not may_reverse(ctx, entry):
        raise InputError(str(texts.ONLY_OWN_ENTRIES))
    try:
        corrections.check_reversible(ctx.db, ctx.club.id, entry, ctx.today)
    except MoneyError as problem:
        raise InputError(texts.money_problem(problem)) from problem
    return entry


def choose_entry(ctx: Ctx, entry: LedgerEntry | None) -> None:
    """The entry named with the command: on to the reason, or the flow ends saying why it cannot be."""
    try:
        on_entry(ctx, reversible(ctx, entry))
    except InputError as problem:
        ctx.say(str(problem))


def ask_entry(ctx: Ctx) -> Question:
    recent = ledger.recent_entries(ctx.db, ctx.club.id)
    return Question(texts.PICK_ENTRY, [Choice(str(e.id), texts.entry_choice_label(e, giver(ctx, e))) for e in recent])


def read_entry(ctx: Ctx, ans: Answer) -> LedgerEntry:
    if ans.choice is not None:
        return reversible(ctx, ledger.get_entry(ctx.db, ctx.club.id, int(ans.choice)))
    if ans.text.startswith("#"):
        return reversible(ctx, _entry_by_number(ctx, ans.text))
    raise InputError(choose_one())


def on_entry(ctx: Ctx, entry: LedgerEntry) -> None:
    ctx.state.entry = entry.id
    if ctx.state.reason:  # another entry picked at the read-back: the reason stands
        to_read_back(ctx)
    else:
        ctx.go(REASON)


def read_reason(ctx: Ctx, ans: Answer) -> str:
    reason = str(texts.TYPING_MISTAKE) if ans.choice == MISTAKE else clean(ans.text)
    if not 2 <= len(reason) <= MAX_REASON:
        raise InputError(texts.reason_problem(MAX_REASON))
    return reason


def on_reason(ctx: Ctx, reason: str) -> None:
    ctx.state.reason = reason
    to_read_back(ctx)


def to_read_back(ctx: Ctx) -> None:
    if _plan(ctx, chosen_entry(ctx)) is not None:
        ctx.go(CONFIRM)


def _plan(ctx: Ctx, entry: LedgerEntry) -> corrections.ReversalPlan | None:
    """When the reversal will count and what it re-splits; None, the flow ended saying why, when the books
    changed since the entry was chosen and it can no longer be reversed."""
    try:
        return corrections.plan_reversal(ctx.db, ctx.club.id, entry, ctx.today)
    except MoneyError as problem:
        ctx.end()
        ctx.say(texts.not_saved(texts.money_problem(problem)))
        return None


def summary(ctx: Ctx) -> str:
    plan = corrections.plan_reversal(ctx.db, ctx.club.id, chosen_entry(ctx), ctx.today)  # checked just before
    return texts.reversal_summary(described(ctx), ctx.state.reason, plan)


def save(ctx: Ctx) -> None:
    entry = chosen_entry(ctx)
    if not may_reverse(ctx, entry):  # the day ended, or the role changed, since the question
        ctx.end()
        ctx.say(texts.not_saved(texts.ONLY_OWN_ENTRIES))
        return
    plan = _plan(ctx, entry)  # read before the reversal changes what it would say
    if plan is None:
        return
    what = described(ctx)
    reversal = save_or_explain(
        ctx,
        lambda: corrections.reverse(
            ctx.db, ctx.club.id, entry.id, reason=ctx.state.reason, by=ctx.user, today=ctx.today
        ),
    )
    if reversal is None:
        return
    announce(ctx, texts.reversal_announcement(reversal, what))
    ctx.end()
    ctx.say(texts.reversed_saved(reversal, plan))


STEPS = [
    Step(ENTRY, ask_entry, read_entry, on_entry, goes_to=(REASON, CONFIRM), label=lambda: texts.ENTRY_LABEL),
    Step(
        REASON,
        lambda ctx: Question(texts.ask_reason(described(ctx)), [Choice(MISTAKE, texts.TYPING_MISTAKE)]),
        read_reason,
        on_reason,
        goes_to=(CONFIRM,),
        label=lambda: texts.REASON_LABEL,
    ),
    read_back(CONFIRM, summary, save),
]

flow = Flow("undo", start=start, steps=STEPS, state=Undo, first=(ENTRY, REASON, CONFIRM))
