"""/hoantac: undo an entry by adding the entry that reverses it, with a reason. Nothing is deleted.

Anyone who records money may undo their own entries typed in today (the latest first). The chair and the
treasurer may reverse any entry: picked from the latest, or by its number (/hoantac 12, as statements show it).
"""

from __future__ import annotations

from handlers.core import Answer, Choice, Ctx, choose_one, confirmed
from handlers.flow import Flow
from handlers.money import texts
from handlers.money.common import announce, save_or_explain
from handlers.roles import CORRECT_ANY_ENTRY
from storage import corrections, ledger, members
from storage.ledger import MoneyError
from storage.models import LedgerEntry
from storage.names import clean

MISTAKE = "mistake"
MAX_REASON = 200


def start(ctx: Ctx, args: str) -> None:
    if args:
        choose_entry(ctx, _entry_by_number(ctx, args))
    elif ctx.can(CORRECT_ANY_ENTRY):
        recent = ledger.recent_entries(ctx.db, ctx.club.id)
        if not recent:
            ctx.say(texts.nothing_to_reverse())
            return
        ctx.ask(
            "entry", texts.pick_entry(), [Choice(str(e.id), texts.entry_choice_label(e, giver(ctx, e))) for e in recent]
        )
    else:
        own = ledger.last_own_entry(ctx.db, ctx.club.id, ctx.user.id, ctx.today)
        if own is None:
            ctx.say(texts.nothing_to_undo())
            return
        choose_entry(ctx, own)


flow = Flow("undo", start=start)


def _entry_by_number(ctx: Ctx, text: str) -> LedgerEntry | None:
    """'12' or '#12' -> entry 12 of this club, if there is one."""
    number = clean(text).lstrip("#").strip()
    return ledger.get_entry(ctx.db, ctx.club.id, int(number)) if number.isdigit() else None


def giver(ctx: Ctx, entry: LedgerEntry) -> str | None:
    """Who the entry was from or for: a member's name, an outside source, or nobody (an expense)."""
    if entry.member_id is not None:
        return members.get(ctx.db, ctx.club.id, entry.member_id).full_name
    return entry.source


def may_reverse(ctx: Ctx, entry: LedgerEntry) -> bool:
    # a repayment the bot wrote again with a new split is not the person's own entry, though dated their day
    own_today = entry.created_by == ctx.user.id and entry.entered_on == ctx.today and entry.reallocates_entry_id is None
    return own_today or ctx.can(CORRECT_ANY_ENTRY)


def _refuse(ctx: Ctx, problem: str) -> None:
    if ctx.convo.step == "entry":
        ctx.retry(problem)
    else:
        ctx.end()
        ctx.say(problem)


def choose_entry(ctx: Ctx, entry: LedgerEntry | None) -> None:
    if entry is None:
        _refuse(ctx, texts.no_such_entry())
        return
    if not may_reverse(ctx, entry):
        _refuse(ctx, texts.only_own_entries())
        return
    try:
        corrections.check_reversible(ctx.db, ctx.club.id, entry, ctx.today)
    except MoneyError as problem:
        _refuse(ctx, texts.money_problem(problem))
        return
    ctx.data["entry"] = entry.id
    ctx.ask(
        "reason",
        texts.ask_reason(texts.describe_entry(entry, giver(ctx, entry))),
        [Choice(MISTAKE, texts.typing_mistake())],
    )


@flow.step("entry")
def on_entry(ctx: Ctx, ans: Answer) -> None:
    if ans.choice is not None:
        choose_entry(ctx, ledger.get_entry(ctx.db, ctx.club.id, int(ans.choice)))
    elif ans.text.startswith("#"):
        choose_entry(ctx, _entry_by_number(ctx, ans.text))
    else:
        ctx.retry(choose_one())


@flow.step("reason")
def on_reason(ctx: Ctx, ans: Answer) -> None:
    reason = texts.typing_mistake() if ans.choice == MISTAKE else clean(ans.text)
    if not 2 <= len(reason) <= MAX_REASON:
        ctx.retry(texts.reason_problem(MAX_REASON))
        return
    ctx.data["reason"] = reason
    entry = ledger.get_entry(ctx.db, ctx.club.id, ctx.data["entry"])
    plan = _plan(ctx, entry)
    if plan is not None:
        ctx.confirm("confirm", texts.reversal_summary(texts.describe_entry(entry, giver(ctx, entry)), reason, plan))


def _plan(ctx: Ctx, entry: LedgerEntry) -> corrections.ReversalPlan | None:
    """When the reversal will count and what it re-splits; None, the flow ended saying why, when the books
    changed since the entry was chosen and it can no longer be reversed."""
    try:
        return corrections.plan_reversal(ctx.db, ctx.club.id, entry, ctx.today)
    except MoneyError as problem:
        ctx.end()
        ctx.say(texts.not_saved(texts.money_problem(problem)))
        return None


@flow.step("confirm")
def on_confirm(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    entry = ledger.get_entry(ctx.db, ctx.club.id, ctx.data["entry"])
    if not may_reverse(ctx, entry):  # the day ended, or the role changed, since the question
        ctx.end()
        ctx.say(texts.not_saved(texts.only_own_entries()))
        return
    plan = _plan(ctx, entry)  # read before the reversal changes what it would say
    if plan is None:
        return
    reversal = save_or_explain(
        ctx,
        lambda: corrections.reverse(
            ctx.db, ctx.club.id, entry.id, reason=ctx.data["reason"], by=ctx.user, today=ctx.today
        ),
    )
    if reversal is None:
        return
    announce(ctx, texts.reversal_announcement(reversal, texts.describe_entry(entry, giver(ctx, entry))))
    ctx.end()
    ctx.say(texts.reversed_saved(reversal, plan))
