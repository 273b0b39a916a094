"""What the money flows share: finding the member, the read-back with its 'another date' choice, the
announcement in the board's group chat, saving with a clear answer when the books refuse, and 'next member'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from handlers.core import Answer, Choice, Ctx, choose_one
from handlers.flow import Question, Step, read_back
from handlers.i18n import current_language, language
from handlers.money import texts
from handlers.parsing import InputError, parse_past_date, too_early
from storage import members, money_rules
from storage.dates import DateTooEarly, Earliest, earliest_entry_date
from storage.ledger import MoneyError
from storage.models import Member

CHANGE_DATE, TODAY, OUTSIDE = "date", "today", "outside"
NEXT, DONE = "next", "done"
# The steps every money flow names the same way.
WHO, PICK_MEMBER, DATE, CONFIRM, AFTER = "who", "pick_member", "date", "confirm", "after"
T = TypeVar("T")


@dataclass
class Entry:
    """What every money entry's state holds: who it is for, the name typed to find them, and its date."""

    member: int | None = None
    name: str = ""  # the name typed at "who?", to list the members it may mean
    date: date | None = None  # None: today


def ask_again_saying(ctx: Ctx, step: str, problem: str) -> None:
    """The answer to `step` cannot be used after all (the books say no): ask it again, saying why. It is the
    question on the table when the answer was just typed; otherwise it came with the command, or stood until
    another answer (a date, a member) made it wrong."""
    ctx.forget(step)
    if ctx.convo.step == step:
        ctx.retry(problem)
    else:
        ctx.say(problem)
        ctx.go(step)


@dataclass(frozen=True)
class Found:
    """The answer to "who?": the name typed, what was typed with it (an amount, a fund, a term: state fields
    and their values) and the members the name may mean."""

    name: str
    extras: dict[str, Any]
    members: list[Member]
    close: bool = False  # the members are only close to the name typed (a misspelling): asked, never taken


def name_only(text: str) -> tuple[str, dict[str, Any]]:
    return text, {}


@dataclass
class MemberQuestion:
    """The 'who?' of a money flow: a typed name, found with or without diacritics; a list to pick from
    when several members match, never a guess.

    `split` takes what was typed apart into the name and what came with it (kept in the state); `then` goes on
    with the member found, to one of `goes_to`. With `outside`, a name that is nobody in the club may be taken
    as a giver from outside the club. `label` names the answer for "change an answer" (none in a flow that saves
    nothing).
    """

    prompt: str
    then: Callable[[Ctx, Member], None]
    goes_to: tuple[str, ...] = ()
    split: Callable[[str], tuple[str, dict[str, Any]]] = name_only
    include_left: bool = False
    outside: Callable[[Ctx, str], None] | None = None
    label: Callable[[], str] | None = None
    steps: list[Step] = field(init=False)
    # Where the flow's start may go: the question, the pick, or on with a member found from the command's line.
    first: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        moves = (WHO, PICK_MEMBER, *self.goes_to)
        self.first = moves
        self.steps = [
            Step(WHO, lambda ctx: self.prompt, self.read_who, self.on_found, goes_to=moves, label=self.label),
            Step(PICK_MEMBER, self.ask_pick, self.read_pick, self.on_pick, goes_to=moves),
        ]

    def start(self, ctx: Ctx, args: str) -> None:
        """The flow's start: the name typed with the command (with what came with it), or the question."""
        if not args:
            ctx.go(WHO)
            return
        try:
            found = self.find(ctx, args)
        except InputError as problem:
            ctx.go(WHO, saying=str(problem), choices=problem.choices)
            return
        self.on_found(ctx, found)

    def find(self, ctx: Ctx, text: str) -> Found:
        name, extras = self.split(text)
        if not name:
            raise InputError(str(texts.NO_NAME))
        found = members.search(ctx.db, ctx.club.id, name, include_left=self.include_left)
        if found:
            return Found(name, extras, found)
        close = members.close_names(ctx.db, ctx.club.id, name, include_left=self.include_left)
        if not close and self.outside is None:
            raise InputError(texts.nobody_called(name))
        return Found(name, extras, close, close=True)

    def read_who(self, ctx: Ctx, ans: Answer) -> Found:
        return self.find(ctx, ans.text)

    def on_found(self, ctx: Ctx, found: Found) -> None:
        for name, value in found.extras.items():
            setattr(ctx.state, name, value)
        ctx.state.name = found.name
        if len(found.members) == 1 and not found.close:
            self.then(ctx, found.members[0])
        else:  # several to pick from, or nobody: maybe someone from outside the club
            ctx.forget(PICK_MEMBER)
            ctx.go(PICK_MEMBER)

    def ask_pick(self, ctx: Ctx) -> Question:
        name = ctx.state.name
        found = members.search(ctx.db, ctx.club.id, name, include_left=self.include_left)
        if found:
            return Question(
                texts.pick_member(name, len(found)), [Choice(str(m.id), texts.member_label(m)) for m in found]
            )
        close = members.close_names(ctx.db, ctx.club.id, name, include_left=self.include_left)
        choices = [Choice(str(m.id), texts.member_label(m)) for m in close]
        if self.outside is not None:
            choices.append(Choice(OUTSIDE, texts.outside_label(name)))
        if close:
            return Question(texts.did_you_mean(name, self.outside is not None), choices)
        return Question(texts.nobody_called_maybe_outside(name), choices)

    def read_pick(self, ctx: Ctx, ans: Answer) -> Member | Found | str:
        if ans.choice is None:
            return self.find(ctx, ans.text)  # another name typed instead of a pick
        if ans.choice == OUTSIDE:
            return OUTSIDE
        member = members.get(ctx.db, ctx.club.id, int(ans.choice)) if ans.choice.isdigit() else None
        if member is None:
            raise InputError(choose_one())
        return member

    def on_pick(self, ctx: Ctx, picked: Member | Found | str) -> None:
        if isinstance(picked, Found):
            self.on_found(ctx, picked)
        elif isinstance(picked, Member):
            self.then(ctx, picked)
        elif self.outside is not None:
            self.outside(ctx, ctx.state.name[:200])

    def refuse(self, ctx: Ctx, problem: str) -> None:
        """Turn down the member found (no loan to repay, say) and ask for another name."""
        ask_again_saying(ctx, WHO, problem)


def chosen_member(ctx: Ctx) -> Member | None:
    return members.get(ctx.db, ctx.club.id, ctx.state.member) if ctx.state.member else None


def entry_date(ctx: Ctx) -> date:
    """The date the money moved: today unless the person chose another."""
    return ctx.state.date or ctx.today


def earliest_date(ctx: Ctx) -> Earliest:
    """The first day this entry may be dated: the club's founding or records start, the member's joining, the
    loan's payout."""
    return earliest_entry_date(
        ctx.db, ctx.club.id, member_id=ctx.state.member, loan_id=getattr(ctx.state, "loan", None), money=True
    )


def to_read_back(ctx: Ctx) -> None:
    """The read-back, or first the date question when the date cannot be this entry's: a date kept from the
    entry before, for a member who joined after it."""
    earliest = earliest_date(ctx)
    if entry_date(ctx) < earliest.on:
        ctx.say(too_early(earliest))
        ask_date(ctx)
    else:
        ctx.go(CONFIRM)


def ask_date(ctx: Ctx) -> None:
    ctx.forget(DATE)  # asked because the date given cannot be used: not one to go back to the read-back with
    ctx.go(DATE)


def read_date(ctx: Ctx, ans: Answer) -> date:
    return ctx.today if ans.choice == TODAY else parse_past_date(ans.text, ctx.today, earliest_date(ctx))


def confirm_steps(
    summary: Callable[[Ctx], str],
    save: Callable[[Ctx], None],
    review: Callable[[Ctx], None],
    *,
    after_save: tuple[str, ...] = (),
    after_review: tuple[str, ...] = (),
) -> list[Step]:
    """The read-back (save, cancel, another date; `save` may go on to `after_save`) and the date question.
    After a new date `review` checks the entry again (going to the read-back or one of `after_review`), as the
    date may change what it can be: the cash on that day, the loan's position."""

    def on_date(ctx: Ctx, on: date) -> None:
        ctx.state.date = on
        review(ctx)

    return [
        read_back(
            CONFIRM,
            summary,
            save,
            goes_to=(DATE, *after_save),
            more=lambda ctx: [Choice(CHANGE_DATE, texts.CHANGE_DATE_LABEL)],
            on_more=lambda ctx, choice: ctx.go(DATE),
        ),
        Step(
            DATE,
            lambda ctx: Question(texts.ask_date(ctx.today), [Choice(TODAY, texts.TODAY_LABEL, ("hom nay",))]),
            read_date,
            on_date,
            goes_to=(CONFIRM, DATE, *after_review),
            label=lambda: texts.DATE_LABEL,
        ),
    ]


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
        with language(current_language()):  # said to the whole board: "ban", not the word this person chose
            ctx.say_in(link.chat_id, texts.announcement(ctx.user.display_name, what))


def next_member_step(question: MemberQuestion, saved: Callable[[Ctx], str], keep: Callable[[Any], Any]) -> Step:
    """After saving (`saved` says what was saved), 'Next member' asks the next name, with the state `keep`
    makes from the one before (fund, date...). Typing the next name straight away (Lan 50k) works too."""

    def read(ctx: Ctx, ans: Answer) -> str | Found:
        if ans.choice is not None:
            return ans.choice
        return question.find(ctx, ans.text)

    def then(ctx: Ctx, answer: str | Found) -> None:
        if answer == DONE:
            ctx.end()
            return
        ctx.state = keep(ctx.state)
        if isinstance(answer, Found):
            question.on_found(ctx, answer)
        else:
            ctx.go(WHO)

    return Step(
        AFTER,
        lambda ctx: Question(saved(ctx), [Choice(NEXT, texts.NEXT_MEMBER_LABEL), Choice(DONE, texts.DONE_LABEL)]),
        read,
        then,
        goes_to=(WHO, PICK_MEMBER, *question.goes_to),
    )
