"""Routes each incoming message: to a command, to the step of the flow the person is in, or to a hint.

One incoming message is one database transaction: the update id, the flow state and whatever the step
saved commit together, so a crash or an error leaves nothing half-done and a redelivery does nothing. The
files the replies carry are made after that commit (handlers/files.py), so that no write waits on a chart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.core import EDIT_STEP, Answer, Choice, Command, Ctx, Document, Incoming, Reply, choose_one, match_choice
from handlers.files import Render
from handlers.flow import Flow
from handlers.i18n import _, language
from handlers.onboarding.places import FROM_DISPATCHER
from handlers.parsing import InputError
from handlers.reports import area_texts
from handlers.roles import role_name, role_names
from storage import area_reviewers, clubs, conversations, limits, money_rules, users
from storage.db import Database, writes
from storage.limits import Burst
from storage.models import AREA_REVIEWER, CHAIR, Club, User
from storage.names import clean, fold

MAX_TEXT = 1000
MAX_LONG_TEXT = 4096  # Telegram's own limit for one message: a pasted member list
# A flow left unfinished this long is closed rather than resumed: nobody remembers last week's question.
FLOW_EXPIRES_AFTER = timedelta(hours=24)
CANCEL_COMMANDS = ("huy", "cancel")
# Matched as typed, not folded like other answers: folded, "dừng" would be "đúng" (yes) and "hủy" the name Huy.
# Words people type, not words the bot says: spelt with escapes, as the other letters code holds are.
CANCEL_WORDS = (
    "h\N{LATIN SMALL LETTER U WITH HOOK ABOVE}y",  # hủy
    "hu\N{LATIN SMALL LETTER Y WITH HOOK ABOVE}",  # huỷ
    "tho\N{LATIN SMALL LETTER A WITH ACUTE}t",  # thoát
    "d\N{LATIN SMALL LETTER U WITH HORN AND GRAVE}ng",  # dừng
)
# Back to the previous question: the button's value, and words compared after `fold`.
BACK = "_back"
BACK_WORDS = ("quay lai", "lui", "lui lai", "tro lai", "back")
SHORTEST_NOT_BACK = 12  # longer answers are not folded to be compared with the back words
# The question asked when a command comes in the middle of a flow that has answers in it.
SWITCH_STEP, GO_ON, DROP = "_switch", "_go_on", "_drop"
PLACE_COMMAND = "noi"  # asked of the chair of a club not yet on the 2025 map
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


def parse_command(text: str | None) -> tuple[str | None, str]:
    """'/trano@ClubBot Lan 500k' -> ('trano', 'Lan 500k'); (None, '') when it is not a command."""
    match = _COMMAND.match((text or "").strip())
    if not match:
        return None, ""
    return match.group(1).lower(), (match.group(2) or "").strip()


def back_label() -> str:
    return _("\N{LEFTWARDS ARROW WITH HOOK} Back")


def back_hint() -> str:
    """Where there are no buttons (Zalo, the console): the way back, typed."""
    return _('(Type "quay lai" to go back to the previous question.)')


def too_fast() -> str:
    return _(
        "You are sending messages faster than I can read them, so I am skipping them for a few seconds: "
        "wait a moment, then send your last message again."
    )


# Makes a file a step asked for; the runtime's (bot/renderers.py) draws them with bot's .xlsx and chart modules.
Renderer = Callable[[Render], Document]


class Dispatcher:
    def __init__(
        self,
        db: Database,
        settings,
        commands: Sequence[Command],
        clock: Callable[[], datetime] | None = None,
        *,
        render: Renderer,
    ):
        self.db = db
        self.settings = settings
        self.render = render
        self.commands = list(commands)
        self._by_name = {name: command for command in commands for name in command.names}
        self._by_flow = {command.flow.name: command for command in commands}
        zone = ZoneInfo(settings.timezone)
        self.clock = clock or (lambda: datetime.now(zone))

    def today(self) -> date:
        return self.clock().date()

    def handle(self, msg: Incoming) -> list[Reply]:
        return [self._with_file(reply) for reply in self._in_transaction(msg)]

    def _with_file(self, reply: Reply) -> Reply:
        """The reply with the file it asked for, made once the transaction has committed and let go of the
        database (the report it is made from was read inside it)."""
        if reply.render is None:
            return reply
        made = self.render(reply.render)
        if reply.render.inline:
            return replace(reply, render=None, photo=made)
        return replace(reply, render=None, document=made)

    def _in_transaction(self, msg: Incoming) -> list[Reply]:
        with self.db.transaction() as session:
            if msg.update_key and not conversations.mark_processed(session, msg.channel, msg.update_key):
                return self._lost_replies(session, msg)
            # A flood is answered once, then dropped before anything else is read; the chat's row is its own,
            # so other chats do not wait for it (storage/limits.py).
            if (burst := self._count(session, msg)) is not Burst.WITHIN:
                return self._too_fast(session, msg) if burst is Burst.FIRST_OVER else []
            # The person's row lock comes first: their next message, in this process or another, waits here
            # until this one commits, and a new person's first two messages cannot both create them.
            convo = conversations.lock(session, msg.channel, msg.chat_id, msg.user_id)
            user = users.get_or_create(session, msg.channel, msg.user_id, msg.user_name)
            # A group chat is called "ban", whoever wrote; a private one by the person's chosen word.
            with language(user.language, None if msg.is_group else user.address):
                club, role = self._club_of_chat(session, msg, user)
                ctx = Ctx(
                    db=session,
                    msg=msg,
                    user=user,
                    convo=convo,
                    club=club,
                    role=role,
                    today=self.today(),
                    now=self.clock(),
                    settings=self.settings,
                    commands=self.commands,
                    run_command=self.run_command,
                    flow=self._flow_of(convo.flow),
                )
                written, was_in_flow = writes(session), convo.flow is not None
                self._route(ctx)
                if was_in_flow and convo.flow is None and not ctx.replies and ctx.paused is None:
                    # "Xong" always gets an answer
                    ctx.replies.append(Reply(_("Done. Type /menu to choose what to do next."), ends_flow=True))
                if convo.flow and writes(session) > written:
                    ctx.forget_the_way_back()
                self._take_up_paused(ctx)
                self._ask_place_once(ctx)
                # Counted after the check above, so a command started is not taken for an answer saved.
                for name in ctx.started:
                    users.count_command(session, user.id, name)
                conversations.save(
                    session,
                    convo,
                    ctx.state_to_keep() if convo.flow else {},
                    self.clock(),
                    msg.update_key,
                    [reply.as_json() for reply in ctx.replies if not reply.carries_file],
                )
                return ctx.replies

    def _flow_of(self, name: str | None) -> Flow | None:
        command = self._by_flow.get(name or "")
        return command.flow if command else None

    def _take_up_paused(self, ctx: Ctx) -> None:
        """A read-only command typed in the middle of a flow has ended: the flow set aside goes on."""
        paused = ctx.paused
        if ctx.convo.flow is not None or paused is None:
            return
        flow = self._flow_of(paused["flow"])
        if flow is None:
            ctx.paused = None
            return
        ctx.resume(paused, flow)
        ctx.ask_again(_("Back to what you were doing: {what}.").format(what=ctx.doing(flow.name)))

    def _ask_place_once(self, ctx: Ctx) -> None:
        """The chair of a club registered before the 2025 map that could not be placed (migration 0017m) is asked
        for its place once, at their next message that leaves no flow running (handlers/onboarding/places.py)."""
        club = ctx.club
        if ctx.convo.flow is not None or ctx.paused is not None or ctx.msg.is_group or ctx.role != CHAIR:
            return
        if club is None or not clubs.needs_place(club) or parse_command(ctx.msg.text)[0] in CANCEL_COMMANDS:
            return
        if self._club_of_chat(ctx.db, ctx.msg, ctx.user)[0] is not club:  # just switched to another club (/clb)
            return
        clubs.mark_place_asked(ctx.db, club)
        self.run_command(ctx, PLACE_COMMAND, FROM_DISPATCHER)

    @staticmethod
    def _club_of_chat(session, msg: Incoming, user: User) -> tuple[Club | None, str | None]:
        """The club a message acts on, and the person's role there. A board's group chat belongs to its club,
        whatever club the person works on in private: otherwise one club's data would be posted in another's
        group. There, someone not on that club's board has no role (see `_refuse`)."""
        if msg.is_group and (club_id := money_rules.club_of_board_chat(session, msg.channel, msg.chat_id)):
            seat = clubs.seat(session, club_id, user.id)
            return clubs.get(session, club_id), seat.role if seat is not None else None
        club, role = clubs.current(session, user)
        if club is None and not msg.is_group and area_reviewers.reviews_any(session, user.id):
            # The reviewer of a commune or a province sits on no board: no club, and a role that reads reports.
            return None, AREA_REVIEWER
        return club, role

    def _count(self, session, msg: Incoming) -> Burst:
        if self.settings.burst_messages is None:
            return Burst.WITHIN
        return limits.count_message(session, msg.channel, msg.chat_id, self.clock(), self.settings.burst_messages)

    @staticmethod
    def _too_fast(session, msg: Incoming) -> list[Reply]:
        """The one answer to a flood; the person's place in a flow is untouched."""
        user = users.get_or_create(session, msg.channel, msg.user_id, msg.user_name)
        with language(user.language, None if msg.is_group else user.address):
            return [Reply(too_fast())]

    def _lost_replies(self, session, msg: Incoming) -> list[Reply]:
        """A redelivered update is not handled again; its replies go out again only if the process that was
        to send them died first (killed between the commit and the sending), so the person still sees "saved"."""
        convo = conversations.lock(session, msg.channel, msg.chat_id, msg.user_id)
        return [Reply.from_json(kept) for kept in conversations.take_unsent(session, convo, msg.update_key)]

    def _route(self, ctx: Ctx) -> None:
        msg, convo = ctx.msg, ctx.convo
        name, args = parse_command(msg.text)
        if convo.flow and convo.updated_at < self.clock() - FLOW_EXPIRES_AFTER:
            ctx.end()
            if name is None:
                ctx.say(
                    _(
                        "What you were doing earlier was left unfinished, so I closed it; nothing more was "
                        "saved. Type /menu to start again."
                    )
                )
                return
        if name in CANCEL_COMMANDS or (convo.flow and clean(msg.text or "").lower() in CANCEL_WORDS):
            self._cancel(ctx)
        elif name is not None and self._has_work(ctx):
            self._command_over_work(ctx, name, args)
        elif name is not None:
            self.run_command(ctx, name, args)
        elif convo.flow is None:
            self._outside_flow(ctx)
        else:
            self._continue_flow(ctx)

    @staticmethod
    def _has_work(ctx: Ctx) -> bool:
        return bool(ctx.convo.flow and ctx.has_work()) or ctx.paused is not None

    def _command_over_work(self, ctx: Ctx, name: str, args: str) -> None:
        """A command typed while answers are waiting to be saved. A read-only one answers and the flow goes on
        after it; any other asks first whether to drop the flow, so no work is lost by a slip."""
        command = self._by_name.get(name)
        if command is not None and command.read_only:
            if ctx.paused is None:
                ctx.pause()
            self.run_command(ctx, name, args)
            return
        if not (ctx.convo.flow and ctx.has_work()) and ctx.paused is not None:
            # The work is in the flow set aside (the one on the table is a read-only look): that is the one asked about.
            paused_flow = self._flow_of(ctx.paused["flow"])
            if paused_flow is None:  # no longer a flow of this bot (an update since): nothing to keep
                ctx.paused = None
                self.run_command(ctx, name, args)
                return
            ctx.resume(ctx.paused, paused_flow)
        ctx.data["_switch"] = {"command": name, "args": args}
        ctx.convo.step = SWITCH_STEP
        progress = ctx.flow.progress(ctx) if ctx.flow and ctx.flow.progress else None
        what = ctx.doing(ctx.convo.flow) + (f" ({progress})" if progress else "")
        ctx.say(_("You have not finished: {what}. What now?").format(what=what), self._switch_choices(name))

    @staticmethod
    def _switch_choices(name: str) -> list[Choice]:
        return [
            Choice(GO_ON, _("Go on with it"), ("tiep tuc", "tiep")),
            Choice(DROP, _("Drop it and go to /{command}").format(command=name), ("bo",)),
        ]

    def _on_switch(self, ctx: Ctx) -> None:
        pending = ctx.data["_switch"]
        picked = ctx.msg.choice or match_choice(clean(ctx.msg.text or ""), self._switch_choices(pending["command"]))
        if picked == GO_ON:
            del ctx.data["_switch"]
            ctx.ask_again()
        elif picked == DROP:
            ctx.end()
            ctx.paused = None
            self.run_command(ctx, pending["command"], pending["args"])
        else:
            ctx.say(choose_one(), self._switch_choices(pending["command"]))

    def run_command(self, ctx: Ctx, name: str, args: str = "") -> None:
        command = self._by_name.get(name)
        if command is None:
            ctx.say(_("I do not know the command /{name}. Type /trogiup to see what you can do.").format(name=name))
        elif self._refuse(ctx, command):
            return
        else:
            ctx.started.append(command.names[0])
            ctx.begin(command.flow)
            command.flow.start(ctx, args)
            if ctx.convo.step is None:
                ctx.end()

    def _refuse(self, ctx: Ctx, command: Command) -> bool:
        """Say why the person may not use `command`, if they may not."""
        if ctx.club is not None and ctx.role is None:  # only in a club's group chat, for someone not on its board
            ctx.say(
                _("This group chat belongs to the board of {club}; only its board can use the bot here.").format(
                    club=ctx.club.name
                )
            )
            return True
        if ctx.can(command.roles):
            return False
        if ctx.club is None and ctx.role == AREA_REVIEWER:
            ctx.say(str(area_texts.AREA_ROLE_ONLY_REPORTS))
        elif ctx.club is None:
            ctx.say(
                _(
                    "You are not on the board of any club yet. Type /start to register a club, "
                    "or /start CODE with the invite code your chair gave you."
                )
            )
        else:
            ctx.say(
                _("Only these roles can use /{command}: {roles}. Your role in {club} is {role}.").format(
                    command=command.names[0],
                    roles=role_names(command.roles),
                    club=ctx.club.name,
                    role=role_name(ctx.role),
                )
            )
        return True

    @staticmethod
    def _left_its_club(ctx: Ctx) -> bool:
        """A flow runs in the club it started in. If the person has since left that club's board or switched
        to another club (in another chat or on another app), it stops with nothing saved: its answers would
        otherwise be saved in the wrong club."""
        started_in = ctx.flow_club_id
        if started_in is None or (ctx.club is not None and ctx.club.id == started_in):
            return False
        club = clubs.get(ctx.db, started_in)
        if clubs.seat(ctx.db, started_in, ctx.user.id) is None:
            ctx.say(_("You are no longer on the board of {club}. Nothing was saved.").format(club=club.name))
        else:
            ctx.say(
                _(
                    "You have switched to another club since, so what you started in {club} was closed; "
                    "nothing was saved. Type /menu to start again."
                ).format(club=club.name)
            )
        return True

    def _cancel(self, ctx: Ctx) -> None:
        was_in_flow = ctx.convo.flow is not None
        ctx.end()
        if was_in_flow:
            ctx.say(_("Stopped. Nothing more was saved. Type /menu to choose what to do next."))
        else:
            ctx.say(_("There is nothing to cancel. Type /menu to choose what to do."))

    def _outside_flow(self, ctx: Ctx) -> None:
        if ctx.msg.is_group and ctx.msg.choice is None:
            return  # the board's group chat is for people; only commands and answers are ours
        if ctx.msg.choice is not None:
            ctx.say(_("That button belongs to a conversation that has ended. Type /menu to start again."))
        elif ctx.club is None:
            ctx.say(_("Hello! Type /start to register your club, or /start CODE to join with an invite code."))
        else:
            ctx.say(_("Type /menu to see what you can do, or /trogiup for help."))

    def _continue_flow(self, ctx: Ctx) -> None:
        msg, convo = ctx.msg, ctx.convo
        command = self._by_flow.get(convo.flow or "")
        flow = command.flow if command else None
        if flow is None or not (convo.step in flow.by_name or convo.step in (EDIT_STEP, SWITCH_STEP)):
            ctx.end()
            ctx.say(_("That conversation can no longer continue. Type /menu to start again."))
            return
        if self._left_its_club(ctx) or self._refuse(ctx, command):
            ctx.end()
            return
        if convo.step == SWITCH_STEP:
            self._on_switch(ctx)
            return
        takes = flow.takes(convo.step or "")
        limit = MAX_LONG_TEXT if takes == "list" else MAX_TEXT
        if msg.choice == BACK or (msg.text and len(msg.text) <= SHORTEST_NOT_BACK and fold(msg.text) in BACK_WORDS):
            ctx.ask_again() if convo.step == EDIT_STEP else ctx.back()
        elif msg.unsupported or (msg.document and takes != "file") or (msg.photo and takes != "photo"):
            ctx.retry(_("I can only read typed text here. Type your answer, or /huy to stop."))
        elif len(msg.text or "") > limit:
            ctx.retry(
                _("That message is too long ({length} characters; at most {limit} here).").format(
                    length=len(msg.text or ""), limit=limit
                )
            )
        elif (answer := ctx.resolve(msg)) is None:
            ctx.retry(_("That button belongs to an earlier question. Use the choices below."))
        elif not (answer.text or answer.choice or answer.document or answer.photo):
            ctx.retry(_("I did not get an answer."))
        else:
            self._answer(ctx, flow, answer)

    @staticmethod
    def _answer(ctx: Ctx, flow: Flow, answer: Answer) -> None:
        """Hand the answer to its step: the step's reader reads it first (a bad answer is asked again, with the
        reader's explanation), then the step takes the value. A step that still finds the value wrong asks again
        itself (`ctx.retry`): that answer is then not kept as given."""
        if ctx.convo.step == EDIT_STEP:
            if answer.choice is None:
                ctx.retry(choose_one())
            else:
                ctx.change_answer(answer.choice)
            return
        step = flow.by_name[ctx.convo.step or ""]
        try:
            value = step.read(ctx, answer)
        except InputError as problem:
            ctx.retry(str(problem), problem.choices)
            return
        entry = ctx.note_answer(answer)
        step.then(ctx, value)
        if ctx.retried and entry is not None:
            entry["answer"] = None
