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

from handlers.core import Command, Ctx, Document, Incoming, Reply
from handlers.files import Render
from handlers.i18n import _, language
from handlers.roles import role_name, role_names
from storage import clubs, conversations, limits, money_rules, users
from storage.db import Database
from storage.limits import Burst
from storage.models import Club, User
from storage.names import clean

MAX_TEXT = 1000
MAX_LONG_TEXT = 4096  # Telegram's own limit for one message: a pasted member list
# A flow left unfinished this long is closed rather than resumed: nobody remembers last week's question.
FLOW_EXPIRES_AFTER = timedelta(hours=24)
CANCEL_COMMANDS = ("huy", "cancel")
# Matched as typed, not folded like other answers: folded, "dừng" would be "đúng" (yes) and "hủy" the name Huy.
CANCEL_WORDS = ("hủy", "huỷ", "thoát", "dừng")
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


def parse_command(text: str | None) -> tuple[str | None, str]:
    """'/trano@ClubBot Lan 500k' -> ('trano', 'Lan 500k'); (None, '') when it is not a command."""
    match = _COMMAND.match((text or "").strip())
    if not match:
        return None, ""
    return match.group(1).lower(), (match.group(2) or "").strip()


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
            with language(user.language):
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
                )
                self._route(ctx)
                conversations.save(
                    session,
                    convo,
                    ctx.state() if convo.flow else {},
                    self.clock(),
                    msg.update_key,
                    [reply.as_json() for reply in ctx.replies if not reply.carries_file],
                )
                return ctx.replies

    @staticmethod
    def _club_of_chat(session, msg: Incoming, user: User) -> tuple[Club | None, str | None]:
        """The club a message acts on, and the person's role there. A board's group chat belongs to its club,
        whatever club the person works on in private: otherwise one club's data would be posted in another's
        group. There, someone not on that club's board has no role (see `_refuse`)."""
        if msg.is_group and (club_id := money_rules.club_of_board_chat(session, msg.channel, msg.chat_id)):
            seat = clubs.seat(session, club_id, user.id)
            return clubs.get(session, club_id), seat.role if seat is not None else None
        return clubs.current(session, user)

    def _count(self, session, msg: Incoming) -> Burst:
        if self.settings.burst_messages is None:
            return Burst.WITHIN
        return limits.count_message(session, msg.channel, msg.chat_id, self.clock(), self.settings.burst_messages)

    @staticmethod
    def _too_fast(session, msg: Incoming) -> list[Reply]:
        """The one answer to a flood; the person's place in a flow is untouched."""
        user = users.get_or_create(session, msg.channel, msg.user_id, msg.user_name)
        with language(user.language):
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
        elif name is not None:
            self.run_command(ctx, name, args)
        elif convo.flow is None:
            self._outside_flow(ctx)
        else:
            self._continue_flow(ctx)

    def run_command(self, ctx: Ctx, name: str, args: str = "") -> None:
        command = self._by_name.get(name)
        if command is None:
            ctx.say(_("I do not know the command /{name}. Type /trogiup to see what you can do.").format(name=name))
        elif self._refuse(ctx, command):
            return
        else:
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
        if ctx.club is None:
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
        command = self._by_flow.get(convo.flow)
        step = command.flow.steps.get(convo.step or "") if command else None
        if step is None:
            ctx.end()
            ctx.say(_("That conversation can no longer continue. Type /menu to start again."))
            return
        if self._left_its_club(ctx) or self._refuse(ctx, command):
            ctx.end()
            return
        flow = command.flow
        limit = MAX_LONG_TEXT if convo.step in flow.long_text_steps else MAX_TEXT
        if (
            msg.unsupported
            or (msg.document and convo.step not in flow.document_steps)
            or (msg.photo and convo.step not in flow.photo_steps)
        ):
            ctx.retry(_("I can only read typed text here. Type your answer, or /huy to stop."))
        elif len(msg.text or "") > limit:
            ctx.retry(
                _("That message is too long ({length} characters; at most {limit} here).").format(
                    length=len(msg.text), limit=limit
                )
            )
        elif (answer := ctx.resolve(msg)) is None:
            ctx.retry(_("That button belongs to an earlier question. Use the choices below."))
        elif not (answer.text or answer.choice or answer.document or answer.photo):
            ctx.retry(_("I did not get an answer."))
        else:
            step(ctx, answer)
