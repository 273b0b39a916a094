"""Declared flows: each step is named once, with its question, how its answer is read and where it may go next.

A flow is a list of `Step`s and a typed state (a dataclass, kept as JSON between messages). The engine (here,
in `Ctx` and in the dispatcher) asks a step's question, reads the answer with the step's reader, asks again
with the reader's explanation when the answer cannot be used, and only then hands the value to the step.
It also gives every flow, without a line of its own:

- "back" ("Quay lai" in the chat): to the previous question, with the answer given there shown (`Ctx.back`);
- "change an answer" at a read-back: the answers given so far, by name; one is asked again, then the read-back again;
- a command typed in the middle of a flow does not throw its answers away (see the dispatcher).

See ARCHITECTURE.md, "The conversation engine".
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from handlers.i18n import _

if TYPE_CHECKING:
    from handlers.core import Answer, Choice, Ctx


@dataclass(frozen=True)
class Question:
    text: str
    choices: Sequence[Choice] = ()
    is_list: bool = False  # the question shows a list the person asked for (handlers.core.Reply.is_list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", str(self.text))  # a lazy text (handlers.i18n.lazy) made plain


Asker = Callable[["Ctx"], "Question | str"]
# Reads the answer into a value, or raises handlers.parsing.InputError saying how to answer instead.
Reader = Callable[["Ctx", "Answer"], Any]
Then = Callable[["Ctx", Any], None]
# What a step takes: one line, a pasted list (up to one whole message), a file, or a photo.
Takes = Literal["line", "list", "file", "photo"]


@dataclass(frozen=True, eq=False)
class Step:
    """One question of a flow.

    `then` stores the value read and moves on: `ctx.go(another_step)`, `ctx.end()`, or a command. `goes_to`
    names every step `then` may go to, so the flow's graph can be checked without running it. `label` names
    the answer in the read-back's "change an answer" list; a step without one cannot be changed from there.
    """

    name: str
    ask: Asker
    read: Reader
    then: Then
    goes_to: tuple[str, ...] = ()
    label: Callable[[], str] | None = None
    takes: Takes = "line"


def keep(field_name: str, next_step: str) -> Then:
    """The most common `then`: keep the answer in the state's `field_name` and ask `next_step`."""

    def then(ctx: Ctx, value: Any) -> None:
        setattr(ctx.state, field_name, value)
        ctx.go(next_step)

    return then


class FlowError(Exception):
    """A flow declared or driven against its declaration: a programming error, caught by the tests."""


StartHandler = Callable[["Ctx", str], None]


@dataclass
class Flow:
    """A conversation: `start` runs on the command and goes to one of the `first` steps (default: the first
    declared). `state` is the dataclass of what the flow keeps between messages; `progress` says, in a few
    words, how much has been done, for "you are in the middle of ..." (e.g. "14 present")."""

    name: str
    start: StartHandler
    steps: Sequence[Step] = ()
    state: type | None = None
    first: tuple[str, ...] = ()
    progress: Callable[[Ctx], str | None] | None = None
    by_name: dict[str, Step] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {}
        for step in self.steps:
            if step.name in self.by_name or step.name.startswith("_"):
                raise FlowError(f"{self.name}: step {step.name!r} declared twice or with a reserved name")
            self.by_name[step.name] = step
        if self.steps and not self.first:
            self.first = (self.steps[0].name,)

    def takes(self, name: str) -> Takes:
        step = self.by_name.get(name)
        return step.takes if step is not None else "line"

    def check_move(self, current: str | None, target: str) -> None:
        """Refuse a move the declaration does not name: what is asked and what is handled cannot drift."""
        if target not in self.by_name:
            raise FlowError(f"{self.name}: no step {target!r}")
        allowed = self.first if current is None or current not in self.by_name else self.by_name[current].goes_to
        if target != current and target not in allowed:
            raise FlowError(f"{self.name}: {current!r} does not declare a move to {target!r}")

    def unreachable(self) -> list[str]:
        """Steps no path from the first ones reaches (checked by a test for every flow)."""
        seen, todo = set(), list(self.first)
        while todo:
            name = todo.pop()
            if name in seen or name not in self.by_name:
                continue
            seen.add(name)
            todo.extend(self.by_name[name].goes_to)
        return [step.name for step in self.steps if step.name not in seen]

    def dangling(self) -> list[str]:
        """Moves to steps that do not exist."""
        return [
            f"{step.name} -> {target}" for step in self.steps for target in step.goes_to if target not in self.by_name
        ] + [f"start -> {target}" for target in self.first if target not in self.by_name]

    # --- the typed state, kept as JSON --------------------------------------------------------------

    def new_state(self) -> Any:
        return self.state() if self.state is not None else None

    def load_state(self, kept: dict[str, Any] | None) -> Any:
        if self.state is None:
            return None
        kept = kept or {}
        dates = _date_fields(self.state)
        values = {name: kept[name] for name in _field_names(self.state) if name in kept}
        for name in dates & values.keys():
            if values[name]:
                values[name] = date.fromisoformat(values[name])
        return self.state(**values)


def state_as_json(state: Any) -> dict[str, Any]:
    """The state as JSON: dates as ISO text, lists copied (the copy is what "back" keeps, so later changes to
    the state's lists must not reach it)."""
    kept = {}
    for name in _field_names(type(state)):
        value = getattr(state, name)
        if isinstance(value, list):
            value = list(value)
        elif isinstance(value, date):
            value = value.isoformat()
        kept[name] = value
    return kept


@functools.cache
def _field_names(state: type) -> tuple[str, ...]:
    return tuple(item.name for item in dataclasses.fields(state) if item.init)


@functools.cache
def _date_fields(state: type) -> frozenset[str]:
    """The fields kept as ISO text and read back as dates (worked out once per state class: it is slow)."""
    hints = typing.get_type_hints(state)
    return frozenset(name for name in _field_names(state) if _is_date(hints[name]))


def _is_date(hint: Any) -> bool:
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return hint is date or (union and date in typing.get_args(hint))


# --- the read-back ------------------------------------------------------------------------------------

YES, NO, EDIT = "yes", "no", "_edit"


def read_back(
    name: str,
    summary: Callable[[Ctx], str],
    save: Callable[[Ctx], None],
    *,
    goes_to: tuple[str, ...] = (),
    save_label: Callable[[], str] | None = None,
    question: Callable[[], str] | None = None,
    more: Callable[[Ctx], Sequence[Choice]] = lambda ctx: (),
    on_more: Then | None = None,
    cancel: tuple[Callable[[], str], Callable[[Ctx], None]] | None = None,
) -> Step:
    """The step that reads back what is about to be saved: save, cancel, "change an answer" (given by the engine
    when the flow has answers to change), or one of `more` (handled by `on_more`). `cancel` (its label and what
    it does) drops a part of the work instead of all of it, such as one of several loans."""
    from handlers.core import CANCELLED, Choice, yes_no

    def ask(ctx: Ctx) -> Question:
        labels = (save_label() if save_label else None, cancel[0]() if cancel else None)
        choices = [*yes_no(*labels), *more(ctx)]
        if ctx.changeable_answers():
            choices.append(Choice(EDIT, _("Change an answer"), ("sua", "sua lai", "edit")))
        return Question(summary(ctx) + "\n\n" + (question() if question else _("Save this?")), choices)

    def read(ctx: Ctx, ans: Answer) -> str:
        from handlers.parsing import InputError

        if ans.choice is None:
            raise InputError(_("Please answer with one of the choices: 1 to save, 2 to cancel."))
        return ans.choice

    def then(ctx: Ctx, choice: str) -> None:
        if choice == YES:
            save(ctx)
        elif choice == NO and cancel is not None:
            cancel[1](ctx)
        elif choice == NO:
            ctx.end()
            ctx.say(CANCELLED)
        elif choice == EDIT:
            ctx.ask_which_answer()
        elif on_more is not None:
            on_more(ctx, choice)

    return Step(name, ask, read, then, goes_to=goes_to)
