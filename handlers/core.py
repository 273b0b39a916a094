"""The conversation core: what comes in, what goes out, and the flows in between.

A channel adapter turns a chat update into an `Incoming`, hands it to the dispatcher and turns the
`Reply`s it gets back into messages (buttons on Telegram, a numbered list on the console and Zalo).
A `Flow` is a named set of steps; where a person is in a flow is kept in the database
(`storage.models.Conversation`), so the next message may arrive in another process or after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from handlers.files import Render
from handlers.i18n import _
from storage.names import clean_lines, fold, without_controls

if TYPE_CHECKING:
    from storage.db import Session
    from storage.models import Club, Conversation, User


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    # Other words that pick this choice when typed (e.g. "có", "ok" for "yes").
    aliases: tuple[str, ...] = ()


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
    # A file still to make, after the update's transaction (handlers/files.py): then the document or the photo.
    render: Render | None = None

    @property
    def carries_file(self) -> bool:
        return self.document is not None or self.photo is not None or self.render is not None

    def as_json(self) -> dict:
        """Kept with the update's transaction for a redelivery (storage.conversations.take_unsent); a file is
        not kept, nor a photo or a file still to make, as only reports and exports send one and asking again
        gives it."""
        return {"text": self.text, "choices": [[c.value, c.label] for c in self.choices], "chat_id": self.chat_id}

    @classmethod
    def from_json(cls, kept: dict) -> Reply:
        return cls(kept["text"], [Choice(value, label) for value, label in kept["choices"]], chat_id=kept["chat_id"])


@dataclass
class Answer:
    """What the person answered to the current step."""

    text: str = ""  # cleaned text, one line unless a list was pasted; empty for a button press or a file
    choice: str | None = None  # value of the choice they picked, by button, number or label
    document: Document | None = None
    photo: str | None = None


StepHandler = Callable[["Ctx", Answer], None]
StartHandler = Callable[["Ctx", str], None]


@dataclass
class Flow:
    """A conversation with steps. `start` runs on the command; each step handles one answer."""

    name: str
    start: StartHandler
    steps: dict[str, StepHandler] = field(default_factory=dict)
    # Steps that take a pasted list or a file rather than one short answer.
    long_text_steps: set[str] = field(default_factory=set)
    document_steps: set[str] = field(default_factory=set)
    photo_steps: set[str] = field(default_factory=set)

    def step(self, name: str, *, long_text: bool = False, documents: bool = False, photos: bool = False):
        def register(handler: StepHandler) -> StepHandler:
            self.steps[name] = handler
            if long_text:
                self.long_text_steps.add(name)
            if documents:
                self.document_steps.add(name)
            if photos:
                self.photo_steps.add(name)
            return handler

        return register


@dataclass(frozen=True)
class Command:
    """A chat command. `names[0]` is the one shown in menus; the others are aliases (e.g. /help)."""

    names: tuple[str, ...]
    flow: Flow
    description: Callable[[], str]  # translated at the time of asking
    # None: anyone may use it, even without a club. Otherwise the roles allowed in the current club.
    roles: frozenset[str] | None = None
    in_menu: bool = True


_PROMPT, _CHOICES = "_prompt", "_choices"
# The club a flow started in: its steps run there and nowhere else (see the dispatcher's `_left_its_club`).
_CLUB = "_club"


class Ctx:
    """Everything a step needs: the database session, the person, their club and role, the flow state."""

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
        self.replies: list[Reply] = []
        self.data: dict[str, Any] = dict(convo.data or {})
        # The club the current flow started in; None if it started without one.
        self.flow_club_id: int | None = self.data.pop(_CLUB, None)
        self._run_command = run_command

    # --- replying -------------------------------------------------------------------------------

    def say(
        self,
        text: str,
        choices: Iterable[Choice] = (),
        document: Document | None = None,
        photo: Document | None = None,
        render: Render | None = None,
    ) -> None:
        self.replies.append(Reply(text=text, choices=list(choices), document=document, photo=photo, render=render))

    def say_in(self, chat_id: str, text: str) -> None:
        """Post `text` in another chat of the same channel, such as the board's group chat."""
        self.replies.append(Reply(text=text, chat_id=chat_id))

    def ask(self, step: str, text: str, choices: Iterable[Choice] = ()) -> None:
        """Say `text` and wait for the answer in `step`. Typed numbers and labels pick from `choices`."""
        choices = list(choices)
        self.convo.step = step
        self.data[_PROMPT] = text
        self.data[_CHOICES] = [[c.value, c.label, list(c.aliases)] for c in choices]
        self.say(text, choices)

    def retry(self, problem: str) -> None:
        """Explain what was wrong and ask the same question again; the step does not change."""
        self.say(f"{problem}\n\n{self.data.get(_PROMPT, '')}".strip(), self.offered_choices())

    def confirm(self, step: str, summary: str, save_label: str | None = None, question: str | None = None) -> None:
        """Read back what is about to be saved and ask for a yes or no (see `confirmed`)."""
        self.ask(step, summary + "\n\n" + (question or _("Save this?")), yes_no(save_label))

    def end(self) -> None:
        self.convo.flow = None
        self.convo.step = None
        self.data = {}
        self.flow_club_id = None

    def begin(self, flow: Flow) -> None:
        self.convo.flow = flow.name
        self.convo.step = None
        self.data = {}
        self.flow_club_id = self.club.id if self.club is not None else None

    def state(self) -> dict[str, Any]:
        """What is kept of the flow until the next message: its data and the club it started in (kept apart
        from `data`, which steps may replace)."""
        return {**self.data, _CLUB: self.flow_club_id} if self.flow_club_id is not None else dict(self.data)

    def run_command(self, name: str, args: str = "") -> None:
        self._run_command(self, name, args)

    # --- reading answers ------------------------------------------------------------------------

    def offered_choices(self) -> list[Choice]:
        return [Choice(value, label, tuple(aliases)) for value, label, aliases in self.data.get(_CHOICES, [])]

    def resolve(self, msg: Incoming) -> Answer | None:
        """Turn the incoming message into an answer; None for a button that was not offered here."""
        offered = self.offered_choices()
        if msg.choice is not None:
            # Button data comes from the client: accept only what this step offered.
            return Answer(choice=msg.choice) if any(c.value == msg.choice for c in offered) else None
        text = clean_lines(msg.text or "")
        return Answer(text=text, choice=match_choice(text, offered), document=msg.document, photo=msg.photo)

    def can(self, roles: frozenset[str] | None) -> bool:
        return roles is None or self.role in roles

    def usable_commands(self) -> list[Command]:
        return [command for command in self.commands if self.can(command.roles)]


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
    return starting[0].value if len(starting) == 1 else None


YES, NO, SKIP = "yes", "no", "skip"
# Aliases are compared after `fold`, so they are written folded: "co" is also "có", "dong y" "đồng ý".
YES_WORDS = ("co", "ok", "yes", "y", "dong y", "luu", "duoc", "dung")
NO_WORDS = ("khong", "no", "n", "sai", "thoi")
SKIP_WORDS = ("bo qua", "khong co", "skip", "-")


def yes_no(save_label: str | None = None) -> list[Choice]:
    return [Choice(YES, save_label or _("Yes, save"), YES_WORDS), Choice(NO, _("No, cancel"), NO_WORDS)]


def skip_choice() -> Choice:
    return Choice(SKIP, _("Skip"), SKIP_WORDS)


def choose_one() -> str:
    return _("Please pick one of the choices, by button or by its number.")


def confirmed(ctx: Ctx, ans: Answer) -> bool:
    """True when the person said yes. On no, the flow ends with nothing saved; otherwise ask again."""
    if ans.choice == YES:
        return True
    if ans.choice == NO:
        ctx.end()
        ctx.say(_("Cancelled. Nothing was saved."))
    else:
        ctx.retry(_("Please answer with one of the choices: 1 to save, 2 to cancel."))
    return False
