"""Sending reminders: an in-process APScheduler job that plans, claims, renders and sends (issue 6), run by
one process at a time, the scheduler leader (`LeaderScheduler`, storage.leadership).

Every `INTERVAL_MINUTES` the job asks storage.reminders what is due now, claims it (a row inserted before
sending: another job, scheduler or process that planned the same reminder gets nothing), takes over failed
sends whose retry time has come, renders each reminder in the recipient's language and sends it on the
channels the person chose (/lienket). Telegram goes through the Application's bot, so python-telegram-bot's
AIORateLimiter keeps the fan-out within about 30 messages a second; a person who blocked the bot is recorded
as blocked and never tried again. Outcomes are written batch by batch, so a crash loses at most the batch in
hand, and the lease of that batch runs out so another run picks it up (a crash between sending and recording
is the one case where a reminder may arrive twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import backoff
from bot.channels import split_text
from bot.logs import keep_out_peoples_text
from handlers.core import Choice, Reply
from handlers.i18n import language
from handlers.reminders import texts
from storage import reminders
from storage.db import Database
from storage.leadership import leadership
from storage.models import DEADLINE, LATE_CLUBS, MEETING_REMINDER, OVERDUE
from storage.periods import period
from storage.reminders import Due, Outcome

log = keep_out_peoples_text(logging.getLogger(__name__))
INTERVAL_MINUTES = 5
# How often a process that does not lead tries to take the lead: the longest reminders wait after a leader dies.
LEADER_RETRY_SECONDS = 10
BATCH = 300  # reminders sent between two writes of their outcomes
CONCURRENCY = 60  # sends in flight at once; the rate limiter does the pacing
REPORT_COMMAND = "baocao"


class Blocked(Exception):
    """The person blocked the bot (or the chat is gone): never try this channel again for this reminder."""


class Sender(Protocol):
    async def send(self, external_id: str, text: str, choices: list[Choice]) -> None: ...


class TelegramSender:
    """Sends with the Application's bot: AIORateLimiter applies (about 30 messages a second overall)."""

    def __init__(self, bot):
        self.bot = bot

    async def send(self, external_id: str, text: str, choices: list[Choice]) -> None:
        from telegram.constants import MessageLimit
        from telegram.error import BadRequest, Forbidden

        from bot.telegram_channel import keyboard

        pieces = split_text(text, MessageLimit.MAX_TEXT_LENGTH)
        try:
            for number, piece in enumerate(pieces):
                last = number == len(pieces) - 1
                await self.bot.send_message(
                    int(external_id), piece, reply_markup=keyboard(Reply(piece, choices)) if last else None
                )
        except Forbidden as error:
            raise Blocked(str(error)) from error
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                raise Blocked(str(error)) from error
            raise


class ZaloSender:
    """Sends through the Zalo channel's own reply function (no buttons there: choices would be a list)."""

    def __init__(self, zalo_channel):
        self.channel = zalo_channel

    async def send(self, external_id: str, text: str, choices: list[Choice]) -> None:
        await self.channel.send_reply(external_id, Reply(text))


def report_command_exists() -> bool:
    from handlers.registry import COMMANDS

    return any(REPORT_COMMAND in command.names for command in COMMANDS)


def render(due: Due, now: datetime, report_button: bool) -> tuple[str, list[Choice]]:
    """The reminder's text, in the recipient's language, and its buttons."""
    with language(due.language, due.address):
        today = now.date()
        if due.kind == DEADLINE:
            p = period(due.occasion)
            text = texts.deadline(due.club_name, p.code, p.start, p.end, p.due, today, due.details, report_button)
        elif due.kind == OVERDUE:
            text = texts.overdue(due.club_name, due.occasion, due.about, due.details, report_button)
        elif due.kind == LATE_CLUBS:
            text = texts.late_clubs(due.occasion, due.about, due.details.get("clubs", []))
        elif due.kind == MEETING_REMINDER:
            text = texts.meeting(due.club_name, due.about, today, due.role, due.details)
        else:
            text = texts.instalments(due.club_name, due.about, due.details)
        buttons = (
            [Choice(f"/{REPORT_COMMAND}", texts.OPEN_REPORT_LABEL)]
            if report_button and due.kind in (DEADLINE, OVERDUE)
            else []
        )
    return text, buttons


@dataclass
class Outgoing:
    due: Due
    text: str  # for Telegram, whose buttons the text may point to
    choices: list[Choice]
    typed_text: str  # for the channels without buttons, whose reminders say what to type instead
    targets: list[tuple[str, str]]  # (channel, external id)
    attempts: int
    delivered: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0


class ReminderService:
    def __init__(
        self,
        db: Database,
        timezone: str,
        senders: dict[str, Sender],
        clock: Callable[[], datetime] | None = None,
        batch: int = BATCH,
        concurrency: int = CONCURRENCY,
    ):
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.senders = senders
        self.clock = clock or (lambda: datetime.now(self.zone))
        self.batch, self.concurrency = batch, concurrency

    # --- database work, in a thread ---------------------------------------------------------------------------

    def plan(self, now: datetime, quiet_hours: bool = True) -> list[Due]:
        """What would go out at `now`, without claiming or sending anything (the dry run)."""
        with self.db.transaction() as session:
            return reminders.plan(session, now, quiet_hours=quiet_hours)

    def _claim(self, now: datetime, quiet_hours: bool) -> list[Outgoing]:
        with self.db.transaction() as session:
            claimed = reminders.claim(session, reminders.plan(session, now, quiet_hours=quiet_hours), now)
        with self.db.transaction() as session:
            # Failed sends are retried outside quiet hours, like everything else.
            if not (quiet_hours and reminders.in_quiet_hours(now)):
                claimed += reminders.claim_retries(session, now)
        if not claimed:
            return []
        with self.db.transaction() as session:
            reminders.add_details(session, claimed, now.date())
            reminders.add_addresses(session, claimed)
            channels = reminders.channels_of(session, sorted({d.user_id for d in claimed}))
            before = reminders.attempts_of(session, [d.id for d in claimed])
        button = report_command_exists()
        outgoing = []
        for due in claimed:
            text, choices = render(due, now, button)
            typed_text, _none = render(due, now, report_button=False)
            attempts, delivered, blocked = before[due.id]
            outgoing.append(
                Outgoing(
                    due,
                    text,
                    choices,
                    typed_text,
                    channels.get(due.user_id, []),
                    attempts,
                    [c for c in delivered.split(",") if c],
                    [c for c in blocked.split(",") if c],
                )
            )
        return outgoing

    def _record(self, outcomes: list[Outcome], now: datetime) -> None:
        with self.db.transaction() as session:
            reminders.record_outcomes(session, outcomes, now)

    # --- sending ------------------------------------------------------------------------------------------

    async def _deliver(self, item: Outgoing, limit: asyncio.Semaphore) -> Outcome:
        errors, idle = [], []
        async with limit:
            for channel, external_id in item.targets:
                if channel in item.delivered or channel in item.blocked:
                    continue  # reached (or refused) on an earlier attempt: not again
                sender = self.senders.get(channel)
                if sender is None:  # e.g. Zalo not served by this process
                    idle.append(f"{channel}: not running")
                    continue
                try:
                    if channel == "telegram":
                        await sender.send(external_id, item.text, item.choices)
                    else:
                        await sender.send(external_id, item.typed_text, [])
                    item.delivered.append(channel)
                except Blocked:
                    item.blocked.append(channel)
                except Exception as error:  # noqa: BLE001  (retried later; the text is not logged)
                    errors.append(f"{channel}: {type(error).__name__}: {error}"[:200])
        if idle and not item.delivered:
            errors += idle  # reached nowhere yet: try again, perhaps when that channel runs
        return Outcome(item.due.id, item.attempts, item.delivered, item.blocked, "; ".join(errors) or None)

    async def run_once(self, now: datetime | None = None, quiet_hours: bool = True) -> RunSummary:
        """Plan, claim, send and record once. `quiet_hours=False` is the operator's `remind --send`."""
        now = now or self.clock()
        outgoing = await asyncio.to_thread(self._claim, now, quiet_hours)
        summary = RunSummary(claimed=len(outgoing))
        limit = asyncio.Semaphore(self.concurrency)
        for start in range(0, len(outgoing), self.batch):
            outcomes = await asyncio.gather(
                *(self._deliver(item, limit) for item in outgoing[start : start + self.batch])
            )
            # The run's own time: the next attempt of a failed send is counted from it.
            await asyncio.to_thread(self._record, list(outcomes), now)
            for outcome in outcomes:
                if outcome.error is not None:
                    summary.failed += 1
                elif outcome.delivered:
                    summary.sent += 1
                else:
                    summary.blocked += 1
        if outgoing:
            log.info(
                "Reminders: %d claimed, %d sent, %d to retry, %d blocked",
                summary.claimed,
                summary.sent,
                summary.failed,
                summary.blocked,
            )
        return summary

    async def job(self) -> None:
        """The scheduler's job: never raises, so the next run happens."""
        try:
            await self.run_once()
        except Exception:  # noqa: BLE001
            log.exception("The reminder job failed; it runs again in %d minutes", INTERVAL_MINUTES)


def build_scheduler(service: ReminderService, interval_minutes: int = INTERVAL_MINUTES) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=service.zone)
    # The first run comes right away: reminders missed while the bot was down go out (when still useful).
    scheduler.add_job(
        service.job,
        "interval",
        minutes=interval_minutes,
        id="reminders",
        next_run_time=datetime.now(service.zone),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=interval_minutes * 60,
    )
    return scheduler


class LeaderScheduler:
    """The reminder job, run only by the process that leads (storage.leadership), however many serve the bot.

    The others stand by and try to take the lead every LEADER_RETRY_SECONDS, so when the leader dies one of
    them takes over within about that time, and first sends what is due (as at start-up). Should two ever
    overlap, the claim of each reminder still lets only one of them send it.
    """

    def __init__(self, db: Database, timezone: str, senders: dict[str, Sender]):
        self.service = ReminderService(db, timezone, senders)
        self.leadership = leadership(db.url)
        self.leading = False
        self.scheduler = build_scheduler(self.service)
        self.scheduler.pause_job("reminders")  # until this process leads
        self.scheduler.add_job(
            self.campaign,
            "interval",
            seconds=backoff.pause(LEADER_RETRY_SECONDS),
            id="leadership",
            next_run_time=datetime.now(self.service.zone),
            max_instances=1,
            coalesce=True,
        )

    def start(self) -> None:
        self.scheduler.start()
        log.info(
            "Reminders scheduled every %d minutes (%s), sent by the scheduler leader",
            INTERVAL_MINUTES,
            ", ".join(sorted(self.service.senders)),
        )

    async def stop(self) -> None:
        self.scheduler.shutdown(wait=False)
        await asyncio.to_thread(self.leadership.release)  # a clean stop hands over at once

    async def campaign(self) -> None:
        """Take the lead if it is free, or check it is still ours; start or pause the reminder job to match."""
        try:
            leading = await asyncio.to_thread(self.leadership.hold)
        except Exception:  # noqa: BLE001  (standing by is safe; the next try comes soon)
            log.exception("Leader election failed; trying again in %d s", backoff.pause(LEADER_RETRY_SECONDS))
            leading = False
        if leading and not self.leading:
            log.info("This process is now the scheduler leader: it sends the reminders")
            self.scheduler.modify_job("reminders", next_run_time=datetime.now(self.service.zone))
        elif self.leading and not leading:
            log.warning("This process is no longer the scheduler leader")
            self.scheduler.pause_job("reminders")
        self.leading = leading


@asynccontextmanager
async def running(db: Database, timezone: str, senders: dict[str, Sender]) -> AsyncIterator[LeaderScheduler]:
    scheduling = LeaderScheduler(db, timezone, senders)
    scheduling.start()
    try:
        yield scheduling
    finally:
        await scheduling.stop()


# --- the command line: python -m bot remind ---------------------------------------------------------------------


def describe(due: Due) -> str:
    """One line of the dry run: when, what, which club, to whom."""
    when = due.scheduled_for.strftime("%Y-%m-%d %H:%M")
    club = (
        f"{due.club_code} {due.club_name}"
        if due.club_id
        else "(" + ", ".join(code for code, _name in due.details.get("clubs", [])) + ")"
    )
    offset = f"{due.offset_days:+d}d" if due.kind in (DEADLINE, OVERDUE, LATE_CLUBS) else ""
    late = " (late)" if due.late else ""
    return f"{when}{late}\t{due.kind}\t{due.occasion} {offset}".rstrip() + f"\t{club}\t-> {due.user_name} ({due.role})"


async def send_now(db: Database, settings) -> RunSummary:
    """`remind --send`: everything due now, quiet hours or not, through the configured channels."""
    from contextlib import AsyncExitStack

    senders: dict[str, Sender] = {}
    async with AsyncExitStack() as stack:
        if settings.telegram_token:
            from telegram.ext import AIORateLimiter, ExtBot

            from bot.telegram_channel import file_base_url

            bot = ExtBot(
                settings.telegram_token,
                base_url=settings.telegram_api_base_url,
                base_file_url=file_base_url(settings.telegram_api_base_url),
                rate_limiter=AIORateLimiter(max_retries=3),
            )
            await stack.enter_async_context(bot)
            senders["telegram"] = TelegramSender(bot)
        if settings.zalo_token:
            from bot.zalo_channel import ZaloApi, ZaloChannel

            api = ZaloApi(settings.zalo_token, settings.zalo_api_base_url)
            stack.push_async_callback(api.close)
            senders["zalo"] = ZaloSender(ZaloChannel(api, dispatcher=None))
        return await ReminderService(db, settings.timezone, senders).run_once(quiet_hours=False)
