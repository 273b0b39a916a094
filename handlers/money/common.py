"""What the money flows share: finding the member, the read-back with its 'another date' choice, the
announcement in the board's group chat, and saving with a clear answer when the books refuse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from handlers.core import Answer, Choice, Ctx, choose_one, confirmed, yes_no
from handlers.flow import Flow
from handlers.money import texts
from handlers.parsing import InputError, parse_past_date, too_early
from storage import members, money_rules
from storage.dates import DateTooEarly, Earliest, earliest_entry_date
from storage.ledger import MoneyError
from storage.models import Member

CHANGE_DATE, TODAY, OUTSIDE = "date", "today", "outside"
NEXT, DONE = "next", "done"
T = TypeVar("T")


def ask_or_retry(ctx: Ctx, step: str, problem: str, prompt: str, choices: list[Choice] | None = None) -> None:
    """Say what was wrong and ask `prompt` in `step`: as a retry when that is the question on the table,
    otherwise (an answer typed with the command) as the first time the question is put."""
    if ctx.convo.step == step:
        ctx.retry(problem)
    else:
        ctx.say(problem)
        ctx.ask(step, prompt, choices or [])


@dataclass
class MemberQuestion:
    """The 'who?' of a money flow: a typed name, found with or without diacritics; a list to pick from
    when several members match, never a guess.

    `read` takes what was typed and returns the name in it, keeping anything typed with the name (an
    amount, a term) in ctx.data; `then` goes on with the member found. With `outside`, a name that is
    nobody in the club may be taken as a giver from outside the club.
    """

    flow: Flow
    prompt: Callable[[], str]
    then: Callable[[Ctx, Member], None]
    read: Callable[[Ctx, str], str] = lambda ctx, text: text
    include_left: bool = False
    outside: Callable[[Ctx, str], None] | None = None

    def __post_init__(self) -> None:
        self.flow.step("who")(self.on_who)
        self.flow.step("pick_member")(self.on_pick)

    def ask(self, ctx: Ctx) -> None:
        ctx.ask("who", self.prompt())

    def refuse(self, ctx: Ctx, problem: str) -> None:
        """Turn down the member found (no loan to repay, say) and ask for another name."""
        ask_or_retry(ctx, "who", problem, self.prompt())

    def answer(self, ctx: Ctx, text: str) -> None:
        try:
            name = self.read(ctx, text)
        except InputError as problem:
            self.refuse(ctx, str(problem))
            return
        if not name:
            self.refuse(ctx, texts.no_name())
            return
        found = members.search(ctx.db, ctx.club.id, name, include_left=self.include_left)
        if len(found) == 1:
            self.then(ctx, found[0])
        elif found:
            ctx.ask(
                "pick_member",
                texts.pick_member(name, len(found)),
                [Choice(str(m.id), texts.member_label(m)) for m in found],
            )
        elif self.outside is not None:
            ctx.data["outside_name"] = name[:200]
            ctx.ask(
                "pick_member", texts.nobody_called_maybe_outside(name), [Choice(OUTSIDE, texts.outside_label(name))]
            )
        else:
            self.refuse(ctx, texts.nobody_called(name))

    def on_who(self, ctx: Ctx, ans: Answer) -> None:
        self.answer(ctx, ans.text)

    def on_pick(self, ctx: Ctx, ans: Answer) -> None:
        member = members.get(ctx.db, ctx.club.id, int(ans.choice)) if (ans.choice or "").isdigit() else None
        if member is not None:
            self.then(ctx, member)
        elif ans.choice == OUTSIDE and self.outside is not None:
            self.outside(ctx, ctx.data.pop("outside_name"))
        elif ans.choice is None:
            self.answer(ctx, ans.text)  # another name typed instead of a pick
        else:
            ctx.retry(choose_one())


def chosen_member(ctx: Ctx) -> Member | None:
    return members.get(ctx.db, ctx.club.id, ctx.data["member"]) if ctx.data.get("member") else None


def entry_date(ctx: Ctx) -> date:
    """The date the money moved: today unless the person chose another."""
    return date.fromisoformat(ctx.data["date"]) if ctx.data.get("date") else ctx.today


def earliest_date(ctx: Ctx) -> Earliest:
    """The first day this entry may be dated: the club's founding, the member's joining, the loan's payout."""
    return earliest_entry_date(ctx.db, ctx.club.id, member_id=ctx.data.get("member"), loan_id=ctx.data.get("loan"))


def ask_to_save(ctx: Ctx, summary: str) -> None:
    """The read-back, or first the date question when the date cannot be this entry's: a date kept from the
    entry before, for a member who joined after it."""
    earliest = earliest_date(ctx)
    if entry_date(ctx) < earliest.on:
        ctx.say(too_early(earliest))
        ask_date(ctx)
        return
    ctx.ask(
        "confirm", f"{summary}\n\n{texts.save_question()}", [*yes_no(), Choice(CHANGE_DATE, texts.change_date_label())]
    )


def ask_date(ctx: Ctx) -> None:
    ctx.ask("date", texts.ask_date(), [Choice(TODAY, texts.today_label(), ("hom nay",))])


def add_confirm_steps(flow: Flow, review: Callable[[Ctx], None], save: Callable[[Ctx], None]) -> None:
    """The read-back's answer: save, cancel, or another date (then `review` reads back again)."""

    @flow.step("confirm")
    def on_confirm(ctx: Ctx, ans: Answer) -> None:
        if ans.choice == CHANGE_DATE:
            ask_date(ctx)
        elif confirmed(ctx, ans):
            save(ctx)

    @flow.step("date")
    def on_date(ctx: Ctx, ans: Answer) -> None:
        try:
            on = ctx.today if ans.choice == TODAY else parse_past_date(ans.text, ctx.today, earliest_date(ctx))
        except InputError as problem:
            ctx.retry(str(problem))
            return
        ctx.data["date"] = on.isoformat()
        review(ctx)


def save_or_explain(
    ctx: Ctx, write: Callable[[], T], explain: Callable[[MoneyError], str] = texts.money_problem
) -> T | None:
    """Run the storage write; if the books refuse it (the figures moved since the read-back), end the flow
    saying why. A date the entry cannot have (a date kept for the next member, who joined after it) asks for
    another date instead. Storage checks before it writes, so a refusal leaves nothing half-saved."""
    try:
        return write()
    except DateTooEarly as problem:
        ctx.say(texts.not_saved(too_early(problem.earliest)))
        ask_date(ctx)
        return None
    except MoneyError as problem:
        ctx.end()
        ctx.say(texts.not_saved(explain(problem)))
        return None


def announce(ctx: Ctx, what: str) -> None:
    """Post a saved entry in the board's group chat, unless it was typed there."""
    link = money_rules.board_chat(ctx.db, ctx.club.id, ctx.msg.channel)
    if link is not None and link.chat_id != ctx.msg.chat_id:
        ctx.say_in(link.chat_id, texts.announcement(ctx.user.display_name, what))


def after_save_choices() -> list[Choice]:
    return [Choice(NEXT, texts.next_member_label()), Choice(DONE, texts.done_label())]


def add_next_member_step(flow: Flow, question: MemberQuestion, keep: tuple[str, ...]) -> None:
    """After saving, 'Next member' asks the next name and keeps `keep` (fund, date...) from the entry before.
    Typing the next name straight away (Lan 50k) works too."""

    @flow.step("after")
    def on_after(ctx: Ctx, ans: Answer) -> None:
        if ans.choice == DONE:
            ctx.end()
            return
        if ans.choice not in (NEXT, None):
            ctx.retry(choose_one())
            return
        ctx.data = {key: ctx.data[key] for key in keep if key in ctx.data}
        if ans.choice == NEXT:
            question.ask(ctx)
        else:
            question.answer(ctx, ans.text)
