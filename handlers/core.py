"""The conversation core: what comes in, what goes out, and the flows in between.

A channel adapter turns a chat update into an `Incoming`, hands it to the dispatcher and turns the
`Reply`s it gets back into messages (buttons on Telegram, a numbered list on the console and Zalo).
A `Flow` is a named set of steps; where a person is in a flow is kept in the database
(`storage.models.Conversation`), so the next message may arrive in another process or after a restart.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from handlers.files import Render
from handlers.flow import Question, state_as_json
from handlers.i18n import _, lazy
from storage.names import clean_lines, fold, without_controls

if TYPE_CHECKING:
    from handlers.flow import Flow, Step
    from storage.db import Session
    from storage.models import Club, Conversation, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    # Other words that pick this choice when typed (e.g. "có", "ok" for "yes").
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", str(self.label))  # a lazy text (handlers.i18n.lazy) made plain


# The largest file a person may send (a member list): a channel does not even download a larger one.
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes


@dataclass
class Incoming:
    channel: str
    chat_id: str
    user_id: str
    user_name: str
    text: str | None = None
    choice: str | None = None  # the value behind a pressed button
    document: Document | None = None
    photo: str | None = None  # the channel's reference to a picture sent (Telegram: its file_id)
    unsupported: str | None = None  # "sticker", "voice"… anything the bot cannot read
    update_key: str | None = None  # the channel's id of this update, to drop redeliveries
    is_group: bool = False
    start_link: str | None = None  # e.g. "https://t.me/<bot>?start={code}" where the channel has deep links
    # The channel shows choices as buttons (Telegram); otherwise as a numbered list (Zalo, console). Texts that
    # name a choice (`press`) are worded for it: "bấm «Bỏ qua»" or "gõ 2".
    buttons: bool = False

    def __setattr__(self, name: str, value: Any) -> None:
        """People's text is cleaned here, once, for every channel, when the Incoming is made or a channel attaches
        a file to it: no control character or NUL gets further (storage.names.without_controls), so no flow,
        database or file written later has to care."""
        if isinstance(value, str) and name in _PEOPLES_TEXT:
            value = without_controls(value)
        elif isinstance(value, Document):
            value = Document(without_controls(value.filename), value.content)
        super().__setattr__(name, value)


_PEOPLES_TEXT = frozenset({"chat_id", "user_id", "user_name", "text", "choice", "photo", "update_key"})


@dataclass
class Reply:
    text: str
    choices: list[Choice] = field(default_factory=list)
    document: Document | None = None
    photo: Document | None = None  # a picture to show inline (a chart), not a file to download
    # Another chat on the same channel (e.g. the board's group chat); None answers where the message came from.
    chat_id: str | None = None
    # A previous question can be gone back to: a "back" button on Telegram, a hint on numbered lists.
    back: bool = False
    # A file still to make, after the update's transaction (handlers/files.py): then the document or the photo.
    render: Render | None = None
    # A list the person asked for (members, a statement, a report's section): free to be longer than the
    # few lines every other message keeps to (tests/core/test_every_flow.py checks the budget).
    is_list: bool = False
    # The word that a flow is done, after its last button: a channel that can edit the message of that button
    # (Telegram) writes it there, under the choice, instead of sending one more message.
    ends_flow: bool = False

    def __post_init__(self) -> None:
        self.text = str(self.text)  # a lazy text (handlers.i18n.lazy) made plain

    @property
    def carries_file(self) -> bool:
        return self.document is not None or self.photo is not None or self.render is not None

    def as_json(self) -> dict:
        """Kept with the update's transaction for a redelivery (storage.conversations.take_unsent); a file is
        not kept, nor a photo or a file still to make, as only reports and exports send one and asking again
        gives it."""
        return {
            "text": self.text,
            "choices": [[c.value, c.label] for c in self.choices],
            "chat_id": self.chat_id,
            "back": self.back,
            "ends_flow": self.ends_flow,
        }

    @classmethod
    def from_json(cls, kept: dict) -> Reply:
        choices = [Choice(value, label) for value, label in kept["choices"]]
        return cls(
            kept["text"],
            choices,
            chat_id=kept["chat_id"],
            back=kept.get("back", False),
            ends_flow=kept.get("ends_flow", False),
        )


@dataclass
class Answer:
    """What the person answered to the current step."""

    text: str = ""  # cleaned text, one line unless a list was pasted; empty for a button press or a file
    choice: str | None = None  # value of the choice they picked, by button, number or label
    document: Document | None = None
    photo: str | None = None

    def shown(self, offered: list[Choice]) -> str:
        """The answer as the person would recognise it: the label of the choice picked, or what they typed."""
        if self.choice is not None:
            return next((c.label for c in offered if c.value == self.choice), self.choice)
        if self.document is not None:
            return self.document.filename
        if self.photo is not None:
            return _("a photo")
        first_line = self.text.split("\n", 1)[0]
        return first_line if len(first_line) <= 60 and "\n" not in self.text else first_line[:57] + "..."


@dataclass(frozen=True)
class Command:
    """A chat command. `names[0]` is the one shown in menus; the others are aliases (e.g. /help)."""

    names: tuple[str, ...]
    flow: Flow
    description: Callable[[], str]  # translated at the time of asking
    # None: anyone may use it, even without a club. Otherwise the roles allowed in the current club.
    roles: frozenset[str] | None = None
    in_menu: bool = True
    # Only shows what is there: typed in the middle of another flow, it answers and that flow goes on.
    read_only: bool = False
    group: str = ""  # MONEY, MEMBERS, MEETINGS, REPORTS or CLUB: the heading /trogiup lists it under


MONEY, MEMBERS, MEETINGS, REPORTS, CLUB = "money", "members", "meetings", "reports", "club"


# What the engine keeps in a conversation's data besides the flow's own state; the flow's keys never start
# with "_". _CLUB: the club a flow started in, whose steps run there and nowhere else (the dispatcher's
# `_left_its_club`); _HISTORY: the questions asked and their answers, for "back" and "change an answer";
# _EDIT: the answer being changed from a read-back; _PAUSED: a flow set aside for a read-only command; _LIST: the
# question shows a list the person asked for (Reply.is_list), and so does the same question asked again.
_PROMPT, _CHOICES, _CLUB, _HISTORY, _EDIT, _PAUSED = "_prompt", "_choices", "_club", "_history", "_edit", "_paused"
_LIST = "_list"
_STATE = "state"
# Enough to go back through any flow's questions; older ones are dropped so the row stays small.
MAX_HISTORY = 40
_UNSET = object()


class Ctx:
    """Everything a step needs: the database session, the person, their club and role, the flow and its state."""

    def __init__(
        self,
        *,
        db: Session,
        msg: Incoming,
        user: User,
        convo: Conversation,
        club: Club | None,
        role: str | None,
        today: date,
        now: datetime,
        settings: Any,
        commands: list[Command],
        run_command: Callable[[Ctx, str, str], None],
        flow: Flow | None = None,
    ):
        self.db = db
        self.msg = msg
        self.user = user
        self.convo = convo
        self.club = club
        self.role = role
        self.today = today
        self.now = now  # the dispatcher's clock, which tests move
        self.settings = settings
        self.commands = commands
        self.flow = flow
        self.replies: list[Reply] = []
        self.data: dict[str, Any] = dict(convo.data or {})
        # The club the current flow started in; None if it started without one.
        self.flow_club_id: int | None = self.data.pop(_CLUB, None)
        # A flow with answers in it, set aside while a read-only command runs; resumed when that one ends.
        self.paused: dict[str, Any] | None = self.data.pop(_PAUSED, None)
        self._state: Any = _UNSET
        self.retried = False  # the answer could not be used and the question was asked again
        self.started: list[str] = []  # the commands started in this update, counted once it is handled (/menu)
        self._run_command = run_command

    # --- the flow's typed state -----------------------------------------------------------------

    @property
    def state(self) -> Any:
        if self._state is _UNSET:
            self._state = self.flow.load_state(self.data.get(_STATE)) if self.flow is not None else None
        return self._state

    @state.setter
    def state(self, value: Any) -> None:
        self._state = value

    def _flush_state(self) -> None:
        if self._state is not _UNSET and self._state is not None:
            self.data[_STATE] = state_as_json(self._state)

    # --- replying -------------------------------------------------------------------------------

    def say(
        self,
        text: str,
        choices: Iterable[Choice] = (),
        document: Document | None = None,
        photo: Document | None = None,
        back: bool = False,
        render: Render | None = None,
        is_list: bool = False,
    ) -> None:
        choices = list(choices)
        text = naming_choices(str(text), choices, self.msg.buttons)
        self.replies.append(
            Reply(text=text, choices=choices, document=document, photo=photo, back=back, render=render, is_list=is_list)
        )

    def say_in(self, chat_id: str, text: str) -> None:
        """Post `text` in another chat of the same channel, such as the board's group chat."""
        self.replies.append(Reply(text=naming_choices(str(text), [], self.msg.buttons), chat_id=chat_id))

    def go(self, step: Step | str, saying: str | None = None, choices: Iterable[Choice] | None = None) -> None:
        """Ask `step`'s question and wait for its answer; the move must be one the flow declares. `saying` comes
        before the question (why it is asked again); `choices`, when given, are offered instead of its own."""
        name = step if isinstance(step, str) else step.name
        assert self.flow is not None
        self.flow.check_move(self.convo.step, name)
        self._ask_step(self._after_edit(name), saying, choices)

    def _ask_step(self, name: str, before: str | None = None, choices: Iterable[Choice] | None = None) -> None:
        """Ask the step's question and remember it, with the state as it is before its answer (for "back")."""
        self._flush_state()
        history = self.data.setdefault(_HISTORY, [])
        history.append({"step": name, "kept": self._flow_keys(), "answer": None})
        del history[:-MAX_HISTORY]
        self._reask(name, before, choices)

    def _reask(self, name: str, before: str | None = None, choices: Iterable[Choice] | None = None) -> None:
        """Ask the step's question as the state now makes it, without remembering it again."""
        assert self.flow is not None
        question = self.flow.by_name[name].ask(self)
        if not isinstance(question, Question):  # a plain or lazy text
            question = Question(question)
        offered = list(question.choices if choices is None else choices)
        self._put(name, question.text, offered, before, is_list=question.is_list)

    def _put(
        self, step: str, text: str, choices: list[Choice], before: str | None = None, is_list: bool = False
    ) -> None:
        """Put a question: kept (for a retry) as asked, said with `before` first."""
        self.convo.step = step
        self.data[_PROMPT] = text
        if is_list:
            self.data[_LIST] = True
        else:
            self.data.pop(_LIST, None)
        self.data[_CHOICES] = _kept_choices(choices)
        self.say(f"{before}\n\n{text}" if before else text, choices, back=self.can_go_back(), is_list=is_list)

    def retry(self, problem: str, choices: Iterable[Choice] | None = None) -> None:
        """Explain what was wrong and ask the same question again; the step does not change. `choices`, when
        given, are offered instead of the question's own."""
        self.retried = True
        if choices is not None:
            self.data[_CHOICES] = _kept_choices(choices)
        self.say(
            f"{problem}\n\n{self.data.get(_PROMPT, '')}".strip(),
            self.offered_choices(),
            back=self.can_go_back(),
            is_list=self.data.get(_LIST, False),
        )

    def end(self) -> None:
        self.convo.flow = None
        self.convo.step = None
        self.data = {}
        self._state = _UNSET
        self.flow = None
        self.flow_club_id = None

    def begin(self, flow: Flow) -> None:
        self.convo.flow = flow.name
        self.convo.step = None
        self.data = {}
        self.flow = flow
        self._state = flow.new_state()
        self.flow_club_id = self.club.id if self.club is not None else None

    def state_to_keep(self) -> dict[str, Any]:
        """What is kept of the flow until the next message: its data, the club it started in and a flow set
        aside (both kept apart from `data`, which steps may replace)."""
        self._flush_state()
        kept = dict(self.data)
        if self.flow_club_id is not None:
            kept[_CLUB] = self.flow_club_id
        if self.paused is not None:
            kept[_PAUSED] = self.paused
        return kept

    def run_command(self, name: str, args: str = "") -> None:
        self._run_command(self, name, args)

    def doing(self, flow_name: str) -> str:
        """What a flow is for, in the words of its command's description."""
        return next((c.description() for c in self.commands if c.flow.name == flow_name), flow_name)

    # --- back and change ------------------------------------------------------------------------

    def _flow_keys(self) -> dict[str, Any]:
        return {key: value for key, value in self.data.items() if not key.startswith("_")}

    def _history(self) -> list[dict[str, Any]]:
        return self.data.get(_HISTORY, [])

    def can_go_back(self) -> bool:
        return len(self._history()) >= 2

    def note_answer(self, answer: Answer) -> dict[str, Any] | None:
        """Remember the answer to the question on the table, to show it if the person comes back to it."""
        if not self._history():
            return None
        entry = self._history()[-1]
        entry["answer"] = answer.shown(self.offered_choices())
        return entry

    def has_work(self) -> bool:
        """Whether answers would be lost if the flow were dropped now: answers to the questions that name a field
        (those with a label), not the picks that only found the way to them."""
        if self.flow is None:
            return False
        answered = [self.flow.by_name.get(entry["step"]) for entry in self._history() if entry["answer"]]
        return any(step is not None and step.label is not None for step in answered)

    def forget_the_way_back(self) -> None:
        """Something was saved: going back now would lead to answers already in the books."""
        del self._history()[:-1]
        self.data.pop(_EDIT, None)
        for reply in self.replies:  # the questions put in this update, after the save
            reply.back = False

    def back(self) -> None:
        """Undo the last answer: its state as it was before, and its question again with that answer shown."""
        history = self._history()
        if len(history) < 2:
            self.retry(_("This is the first question, so there is nothing to go back to. Type /huy to stop."))
            return
        history.pop()
        previous = history[-1]
        answer, previous["answer"] = previous["answer"], None
        self.data = {key: value for key, value in self.data.items() if key.startswith("_") and key != _EDIT}
        self.data.update(previous["kept"])
        self._state = _UNSET
        self._reask(previous["step"], _("Your answer was: {answer}").format(answer=answer) if answer else None)

    def changeable_answers(self) -> list[tuple[str, str]]:
        """(step, "label: answer") for each answer a read-back may change, in the order they were given."""
        if self.flow is None:
            return []
        latest: dict[str, str] = {}
        for entry in self._history():
            step = self.flow.by_name.get(entry["step"])
            if step is not None and step.label is not None and entry["answer"]:
                latest.pop(step.name, None)
                latest[step.name] = f"{step.label()}: {entry['answer']}"
        return list(latest.items())

    def ask_which_answer(self) -> None:
        """From a read-back: list the answers given; the one picked is asked again (see `_after_edit`)."""
        self.data[_EDIT] = {"read_back": self.convo.step}
        choices = [Choice(step, shown) for step, shown in self.changeable_answers()]
        self._put(EDIT_STEP, _("Which answer do you want to change?"), choices)

    def change_answer(self, step: str) -> None:
        self.data[_EDIT]["step"] = step
        self._ask_step(step)

    def _after_edit(self, name: str) -> str:
        """While an answer is being changed, a move to a question already answered goes back to the read-back
        instead: the other answers stand. A step whose new answer makes a later one wrong calls `forget`."""
        editing = self.data.get(_EDIT)
        if not editing or "step" not in editing or name == editing["step"]:
            return name
        answered = {entry["step"] for entry in self._history() if entry["answer"]}
        if name == editing["read_back"] or name in answered:
            del self.data[_EDIT]
            return editing["read_back"]
        return name

    def forget(self, step: str) -> None:
        """Treat `step` as not answered yet, so changing an earlier answer asks it again."""
        for entry in self._history():
            if entry["step"] == step:
                entry["answer"] = None

    # --- a flow set aside -----------------------------------------------------------------------

    def pause(self) -> None:
        self._flush_state()
        self.paused = {
            "flow": self.convo.flow,
            "step": self.convo.step,
            "data": self.data,
            "club": self.flow_club_id,
        }

    def resume(self, paused: dict[str, Any], flow: Flow) -> None:
        """Take up the flow set aside where it was (`ask_again` then puts its question)."""
        self.paused = None
        self.convo.flow, self.convo.step = paused["flow"], paused["step"]
        self.flow, self.data, self.flow_club_id = flow, paused["data"], paused["club"]
        self._state = _UNSET

    def ask_again(self, before: str | None = None) -> None:
        """Put the question on the table again (after a side question such as "which answer
        to change?" or "drop what you were doing?"), with `before` said first."""
        self.data.pop(_EDIT, None)
        history = self._history()
        self._reask(history[-1]["step"] if history else self.convo.step or "", before)

    # --- reading answers ------------------------------------------------------------------------

    def offered_choices(self) -> list[Choice]:
        return _choices_from(self.data.get(_CHOICES, []))

    def resolve(self, msg: Incoming) -> Answer | None:
        """Turn the incoming message into an answer; None for a button that was not offered here."""
        offered = self.offered_choices()
        if msg.choice is not None:
            # Button data comes from the client: accept only what this step offered.
            if not any(c.value == msg.choice for c in offered):
                return None
            return _as_typed(msg.choice) or Answer(choice=msg.choice)
        text = clean_lines(msg.text or "")
        choice = match_choice(text, offered)
        typed = _as_typed(choice) if choice is not None else None
        return typed or Answer(text=text, choice=choice, document=msg.document, photo=msg.photo)

    def can(self, roles: frozenset[str] | None) -> bool:
        return roles is None or self.role in roles

    def usable_commands(self) -> list[Command]:
        return [command for command in self.commands if self.can(command.roles)]


# The engine's own step: picking the answer to change at a read-back.
EDIT_STEP = "_which_answer"


def _kept_choices(choices: Iterable[Choice]) -> list[list[Any]]:
    return [[c.value, c.label, list(c.aliases)] for c in choices]


def _choices_from(kept: list[list[Any]]) -> list[Choice]:
    return [Choice(value, label, tuple(aliases)) for value, label, aliases in kept]


SUGGESTED = "="  # a choice whose value is an answer to read as if typed: a guess such as "50000" for "50"


def suggestion(answer: str, label: str) -> Choice:
    """A choice that stands for a typed answer, offered when the bot can guess what was meant."""
    return Choice(SUGGESTED + answer, label)


def _as_typed(choice: str) -> Answer | None:
    return Answer(text=choice[len(SUGGESTED) :]) if choice.startswith(SUGGESTED) else None


def match_choice(text: str, choices: list[Choice]) -> str | None:
    """The choice a typed answer names: its number in the list, its label or one of its aliases, or
    the start of a single label ('Tran Thi Binh' for 'Tran Thi Binh (Thu quy)')."""
    if not text or not choices:
        return None
    key = fold(text).rstrip(".)")
    if key.isdigit() and 1 <= int(key) <= len(choices):
        return choices[int(key) - 1].value
    for choice in choices:
        if key == fold(choice.label) or key in (fold(alias) for alias in choice.aliases):
            return choice.value
    starting = [choice for choice in choices if len(key) >= 3 and fold(choice.label).startswith(key)]
    if len(starting) == 1:
        return starting[0].value
    # a part of one label, in whole words: 'tang thu nhap' for 'Quy tang thu nhap'
    words = f" {' '.join(key.split())} "
    inside = [choice for choice in choices if len(key) >= 3 and words in f" {' '.join(fold(choice.label).split())} "]
    return inside[0].value if len(inside) == 1 and not starting else None


YES, NO, SKIP = "yes", "no", "skip"
CANCELLED = lazy(lambda: _("Cancelled. Nothing was saved."))
# Aliases are compared after `fold`, so they are written folded: "co" is also "có", "u" "ừ", "hong" "hông".
# Yes and no as people type them on a phone, at every yes-or-no question.
YES_WORDS: tuple[str, ...] = ("co", "ok", "oke", "okie", "okay", "yes", "y", "u", "uh", "um", "o", "vang", "da")
YES_WORDS += ("duoc", "duoc roi", "dung", "dung roi", "dong y")
NO_WORDS = ("khong", "ko", "k", "kg", "khg", "hong", "khong phai", "no", "n", "sai", "thoi", "chua")
SAVE_WORDS = (*YES_WORDS, "luu")
SKIP_WORDS = ("bo qua", "khong co", "skip", "-")


def yes_no(save_label: str | None = None, cancel_label: str | None = None) -> list[Choice]:
    return [
        Choice(YES, save_label or _("Yes, save"), SAVE_WORDS),
        Choice(NO, cancel_label or _("No, cancel"), NO_WORDS),
    ]


def yes_or_no_choices(yes_label: str, no_label: str) -> list[Choice]:
    """A yes-or-no question that saves nothing (is the member DTTS?), read with the same words."""
    return [Choice(YES, yes_label, YES_WORDS), Choice(NO, no_label, NO_WORDS)]


def skip_choice() -> Choice:
    return Choice(SKIP, _("Skip"), SKIP_WORDS)


def choose_one() -> str:
    return _("Please pick one of the choices below, or type its number.")


# A text names a choice with `press(choice)`, never with the words of one channel: the marker is worded when the
# reply is made (Ctx.say), for the channel the person writes on. Control characters, which no person's text
# keeps (Incoming), delimit it: value, then label.
_NAMED = re.compile("\x02([^\x1f\x03]*)\x1f([^\x03]*)\x03")
# After these, or at the start, the words begin a sentence and take a capital.
_SENTENCE_ENDS = ".?!:\n"


def press(choice: Choice) -> str:
    """Where a text tells the person to pick `choice`: "press <Skip>" under Telegram's buttons, "type 2" above a
    numbered list (worded by `naming_choices` for the channel)."""
    return f"\x02{choice.value}\x1f{choice.label}\x03"


def naming_choices(text: str, choices: list[Choice], buttons: bool) -> str:
    """`text` with each choice it names worded for the channel: the button's name where choices are buttons,
    the choice's number in the list shown otherwise. A choice not offered (a text asked with other choices) is
    named by its words, which the person can type; the log says so, as a text should name only what it offers."""
    values = [choice.value for choice in choices]

    def worded(named: re.Match) -> str:
        value, label = named.group(1), named.group(2)
        if value not in values:
            log.warning("A text names the choice %r, which is not offered", value)
            words = _("type “{label}”").format(label=label)
        elif buttons:
            words = _("press “{label}”").format(label=choices[values.index(value)].label)
        else:
            words = _("type {number}").format(number=values.index(value) + 1)
        before = text[: named.start()].rstrip(" ")
        return words[:1].upper() + words[1:] if not before or before[-1] in _SENTENCE_ENDS else words

    return _NAMED.sub(worded, text)
