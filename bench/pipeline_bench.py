"""Benchmark (a script, not a test): the whole update pipeline against a bare echo bot; memory; start-up.

    python bench/pipeline_bench.py [--updates 6000] [--users 500] [--clubs 6521] [--small-clubs 200]
                                   [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/<scratch>]
                                   [--startup-runs 5] [--latency-ms 0]

For SQLite (a scratch file) and, with --database-url, PostgreSQL (a scratch database: it is emptied):
1. Bulk-inserts clubs, each with a chair, a vice-chair and a treasurer on Telegram, `--members` members with
   Vietnamese names, a capital contribution from each, and six loans of 3,000,000 đ over 10 months.
2. In a fresh process (so its memory is the bot's, not the bulk insert's) built as `python -m bot` builds it
   (`build_dispatcher`, `build_application`) on a fake Bot API transport: `--users` board members of
   different clubs send `--updates` updates, interleaved at random, each following a realistic script:
   /donggop typed on one line then buttons, /donggop guided (a name shared by several members, a pick from
   the list, the amount typed, then "next member"), /trano on one line, /quy, /saoke, /trogiup. Every
   button pressed must be among the buttons the bot sent last, and every "save" must add one ledger entry:
   the run stops if the pipeline answers anything unexpected. The same updates (the same JSON) then go to a
   bare python-telegram-bot echo bot on the same transport. Time per update = parsing the JSON into an
   `Update` + `Application.process_update` (which includes sending the replies); the harness's own work
   of choosing the next update is not counted. Resident memory (VmRSS) is read after the pipeline's run.
   Last, the same updates go through the same application once more with the dispatcher (the database and
   the flows) replaced by the replies it gave: the most the pipeline could reach with a free dispatcher.
3. Start-up: `python -m bot` against the fake Bot API server (tests/fake_bot_api_server.py) on the big
   database; from spawning the process to its first getUpdates call, `--startup-runs` times.
Both runs are done for `--clubs` and for `--small-clubs`, to show whether memory grows with the clubs.

With `--latency-ms N`, the fake Bot API answers every call N ms late, as Telegram does over the network: the
pipeline then shows what a person waits for, the Bot API calls an update makes one after the other included.

python-telegram-bot's AIORateLimiter is taken off both bots for the throughput figures: it holds every
chat-bound Bot API call to Telegram's own 30 a second, which would measure Telegram's limit, not the
pipeline. The script prints that bound separately.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import logging
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from storage.db import Database  # noqa: E402
from storage.models import (  # noqa: E402
    CHAIR,
    TREASURER,
    VICE_CHAIR,
    BoardSeat,
    ChannelAccount,
    Club,  # noqa: E402
    LedgerEntry,
    Loan,
    LoanInstalment,
    Member,
    User,
)
from storage.names import fold  # noqa: E402

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ROLES = (CHAIR, VICE_CHAIR, TREASURER)
TELEGRAM_IDS = 10_000  # a board member's Telegram id is this plus their user id
LOANS_PER_CLUB, LOAN, LOAN_MONTHS = 6, 3_000_000, 10
CAPITAL = 500_000
WARMUP = 300  # updates through each bot before timing starts
TOKEN = "123456:BENCH"

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
)
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc")
GIVEN = ("Lan", "Bình", "Hoa", "Cúc", "Hùng", "Dũng", "Mai", "Hương", "Tâm", "Sơn", "Thảo")


def member_name(n: int) -> str:
    """Distinct for n < 15 × 7 × 11 (the three lengths are coprime); each given name recurs every 11."""
    return f"{SURNAMES[n % len(SURNAMES)]} {MIDDLE[n % len(MIDDLE)]} {GIVEN[n % len(GIVEN)]}"


# --- the database ----------------------------------------------------------------------------------------


def empty_database(url: str) -> Database:
    """A scratch database with the schema and nothing else (PostgreSQL: the public schema is dropped)."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    db = Database(url)
    db.migrate()
    return db


def bulk(connection, model, rows: list[dict]) -> None:
    """Insert rows fast: COPY on PostgreSQL, executemany on SQLite; never through the ORM."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(model), rows)
        return
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()  # psycopg's, inside this same transaction
    with cursor.copy(f'COPY "{model.__table__.name}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def populate(db: Database, clubs: int, members: int, today: date) -> None:
    """Clubs with their boards, members, capital and loans, inserted in bulk."""
    now = datetime.now(ZONE)
    disbursed = today - timedelta(days=75)
    with db.engine.begin() as c:
        boards = [(k + 1, k * len(ROLES) + r + 1, role) for k in range(clubs) for r, role in enumerate(ROLES)]
        bulk(
            c,
            User,
            [
                {
                    "id": uid,
                    "display_name": f"{member_name(uid)} (ban chủ nhiệm)",
                    "language": "vi",
                    "current_club_id": club,
                    "created_at": now,
                }
                for club, uid, _role in boards
            ],
        )
        bulk(
            c,
            ChannelAccount,
            [
                {"id": uid, "channel": "telegram", "external_id": str(TELEGRAM_IDS + uid), "user_id": uid}
                for _club, uid, _role in boards
            ],
        )
        bulk(
            c,
            Club,
            [
                {
                    "id": k + 1,
                    "code": f"P{k + 1:05d}",
                    "name": f"CLB Liên thế hệ số {k + 1}",
                    "village": "thôn",
                    "commune": "xã",
                    "district": f"Huyện {k // 150}",
                    "province": f"Tỉnh {k % 63}",
                    "meeting_day": 1 + k % 28,
                    "created_at": now,
                    "created_by": k * len(ROLES) + 1,
                }
                for k in range(clubs)
            ],
        )
        bulk(
            c,
            BoardSeat,
            [
                {"id": uid, "club_id": club, "user_id": uid, "role": role, "active": True, "since": now}
                for club, uid, role in boards
            ],
        )
        first_member, first_loan = 1, 1
        for start in range(0, clubs, 500):  # in slices, so the lists stay small
            member_rows, entry_rows, loan_rows, instalment_rows = [], [], [], []
            for club in range(start + 1, min(start + 500, clubs) + 1):
                chair = (club - 1) * len(ROLES) + 1
                for n in range(members):
                    name = member_name(n)
                    member_rows.append(
                        {
                            "id": first_member + n,
                            "club_id": club,
                            "full_name": name,
                            "name_key": fold(name),
                            "birth_year": 1940 + n % 50,
                            "sex": "female" if n % 3 else "male",
                            "ethnic_minority": False,
                            "disabled": False,
                            "joined_on": date(2020, 1, 1),
                            "created_at": now,
                            "created_by": chair,
                        }
                    )
                    entry_rows.append(
                        _entry(club, "capital", CAPITAL, first_member + n, None, date(2020, 1, 1), chair, now)
                    )
                for n in range(LOANS_PER_CLUB):  # the first members borrow
                    loan_rows.append(
                        {
                            "id": first_loan,
                            "club_id": club,
                            "member_id": first_member + n,
                            "principal": LOAN,
                            "term_months": LOAN_MONTHS,
                            "monthly_rate_bp": 0,
                            "purpose": "livestock",
                            "disbursed_on": disbursed,
                            "created_by": chair,
                            "created_at": now,
                        }
                    )
                    entry_rows.append(_entry(club, "loan", -LOAN, first_member + n, first_loan, disbursed, chair, now))
                    instalment_rows += [
                        {
                            "loan_id": first_loan,
                            "number": i,
                            "due_on": disbursed + timedelta(days=30 * i),
                            "principal": LOAN // LOAN_MONTHS,
                            "interest": 0,
                        }
                        for i in range(1, LOAN_MONTHS + 1)
                    ]
                    first_loan += 1
                first_member += members
            for table, rows in (
                (Member, member_rows),
                (Loan, loan_rows),
                (LoanInstalment, instalment_rows),
                (LedgerEntry, entry_rows),
            ):
                bulk(c, table, rows)
        if db.engine.dialect.name == "postgresql":  # ids were given explicitly: move the sequences past them
            for table in ("user", "channelaccount", "club", "boardseat", "member", "loan"):
                c.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
                    )
                )
        c.execute(text("ANALYZE"))


def _entry(club: int, kind: str, amount: int, member: int, loan: int | None, on: date, by: int, now: datetime):
    return {
        "club_id": club,
        "fund": "income",
        "kind": kind,
        "amount": amount,
        "interest": 0,
        "member_id": member,
        "loan_id": loan,
        "entry_date": on,
        "entered_on": on,
        "created_by": by,
        "created_at": now,
    }


# --- the board members' scripts -------------------------------------------------------------------------


class Press(str):
    """A button press by its callback data."""


class PressLabel(str):
    """A button press by (part of) its label."""


SAVE = object()  # marks the press that saves one ledger entry


class BoardMember:
    """One board member in a private chat: an endless, seeded sequence of things board members do."""

    MIX = (
        ("quick_contribution", 30),
        ("repayment", 25),
        ("guided_contribution", 15),
        ("funds", 15),
        ("help", 10),
        ("statement", 5),
    )

    def __init__(self, club: int, role_index: int, members: int, seed: int):
        self.user_id = (club - 1) * len(ROLES) + role_index + 1
        self.telegram_id = TELEGRAM_IDS + self.user_id
        self.first_name, self.last_name = GIVEN[self.user_id % len(GIVEN)], "Nguyễn Văn"
        self.members = members
        self.role_index = role_index
        self.rng = random.Random(seed)
        self.repayments = 0

    def script(self):
        kinds = [kind for kind, _weight in self.MIX]
        weights = [weight for _kind, weight in self.MIX]
        while True:
            yield from getattr(self, self.rng.choices(kinds, weights)[0])()

    def some_member(self) -> str:
        return member_name(self.rng.randrange(self.members))

    def quick_contribution(self):
        yield f"/donggop {self.some_member()} 50k"
        yield Press("income")
        yield Press("monthly_fee")
        yield Press("yes"), SAVE
        yield Press("done")

    def guided_contribution(self):
        first, second = self.some_member(), self.some_member()
        yield "/donggop"
        yield first.split()[-1].lower()  # the given name only: several members have it
        yield PressLabel(first)
        yield Press("activity")
        yield Press("monthly_fee")
        yield "20.000"
        yield Press("yes"), SAVE
        yield Press("next")
        yield f"{fold(second)} 20k"  # without diacritics, the amount on the same line
        yield Press("yes"), SAVE
        yield Press("done")

    def repayment(self):
        # Each of the three board members repays their own two of the club's six loans, 100k at a time.
        borrower = member_name(self.role_index + len(ROLES) * (self.repayments % 2))
        self.repayments += 1
        yield f"/trano {borrower} 100k"
        yield Press("yes"), SAVE
        yield Press("done")

    def funds(self):
        yield "/quy"
        yield Press("close")

    def help(self):
        yield "/trogiup"

    def statement(self):
        yield f"/saoke {self.some_member()}"


def board_members(users: int, clubs: int, members: int) -> list[BoardMember]:
    """`users` board members, three to a club, their clubs spread over the whole table."""
    clubs_used = -(-users // len(ROLES))
    step = max(1, clubs // clubs_used)
    return [BoardMember(1 + (n // len(ROLES)) * step, n % len(ROLES), members, seed=n) for n in range(users)]


# --- the fake Bot API transport --------------------------------------------------------------------------


def bench_transport(latency: float = 0.0):
    from tests.fakes import FakeBotApi

    class BenchApi(FakeBotApi):
        """tests.fakes.FakeBotApi without the call log (it would grow with the run): it counts calls and
        keeps the last message sent to each chat, whose buttons the next press must be among."""

        def __init__(self):
            super().__init__()
            self.counts: Counter = Counter()
            self.last: dict[int, dict] = {}

        async def do_request(self, url, method, request_data=None, **_timeouts):
            api_method = url.rsplit("/", 1)[-1]
            params = dict(request_data.parameters) if request_data else {}
            self.counts[api_method] += 1
            if latency:
                await asyncio.sleep(latency)
            result = self._result(api_method, params)
            if api_method == "sendMessage":
                if isinstance(result.get("reply_markup"), str):
                    result["reply_markup"] = json.loads(result["reply_markup"])
                self.last[int(params["chat_id"])] = result
            return 200, json.dumps({"ok": True, "result": result}).encode()

    return BenchApi()


class Diverged(Exception):
    """The bot did not answer as the script expects."""


def update_payload(person: BoardMember, action, api, update_id: int) -> dict:
    chat = {"id": person.telegram_id, "type": "private", "first_name": person.first_name}
    sender = {
        "id": person.telegram_id,
        "is_bot": False,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "language_code": "vi",
    }
    if not isinstance(action, (Press, PressLabel)):
        return {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "chat": chat,
                "from": sender,
                "text": action,
            },
        }
    question = api.last.get(person.telegram_id)
    buttons = [b for row in ((question or {}).get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    wanted = [
        b["callback_data"]
        for b in buttons
        if (b["callback_data"] == action if isinstance(action, Press) else action in b["text"])
    ]
    if not wanted:
        raise Diverged(
            f"no button {action!r} under the bot's last message to {person.telegram_id}: "
            f"{(question or {}).get('text', '')[:300]!r}"
        )
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id),
            "from": sender,
            "chat_instance": "b",
            "data": wanted[0],
            "message": question,
        },
    }


# --- the worker: one bot process, one database -----------------------------------------------------------


def rss_mb() -> float:
    """Resident memory of this process (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": ordered[-1] * 1000}


class GcPauses:
    """Python's garbage collector pauses (the full, oldest-generation ones), which land in some updates."""

    def __init__(self):
        self.full, self.longest, self.total, self._began = 0, 0.0, 0.0, 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            took = time.perf_counter() - self._began
            self.full, self.total, self.longest = self.full + 1, self.total + took, max(self.longest, took)

    def stop(self) -> dict:
        gc.callbacks.remove(self._on_gc)
        return {"full": self.full, "total_ms": self.total * 1000, "longest_ms": self.longest * 1000}


class ErrorCount(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


async def timed_update(app, raw: str, times: list[float]) -> None:
    from telegram import Update

    began = time.perf_counter()
    update = Update.de_json(json.loads(raw), app.bot)
    await app.process_update(update)
    times.append(time.perf_counter() - began)


def our_application(args):
    """The dispatcher, the fake transport and the application, built as `python -m bot` builds them."""
    from bot.app import build_dispatcher
    from bot.config import Settings
    from bot.telegram_channel import build_application

    settings = Settings(database_url=args.database_url, telegram_token=TOKEN, log_level="WARNING")
    dispatcher = build_dispatcher(settings)  # as `python -m bot` does: migrations checked, old update ids dropped
    api = bench_transport(args.latency_ms / 1000)
    app = build_application(settings, dispatcher, request=api)
    app.bot._rate_limiter = None  # see the module docstring: Telegram's 30/s would be measured, not ours
    return dispatcher, api, app


async def run_pipeline(args, stream, replies: list) -> dict:
    dispatcher, api, app = our_application(args)
    handle = dispatcher.handle

    def recorded(incoming):  # the replies, for `run_without_dispatcher`
        replies.append(handle(incoming))
        return replies[-1]

    dispatcher.handle = recorded
    await app.initialize()
    rss_ready = rss_mb()
    with dispatcher.db.transaction() as s:
        entries_before = s.scalar(select(func.count()).select_from(LedgerEntry))
    people = board_members(args.users, args.clubs, args.members)
    scripts = [person.script() for person in people]
    rng, update_ids = random.Random(7), itertools.count(1_000_000)
    saves, times, calls_before = 0, [], None
    for number in range(WARMUP + args.updates):
        if number == WARMUP:
            times, calls_before, pauses = [], Counter(api.counts), GcPauses()
        n = rng.randrange(len(people))
        step = next(scripts[n])
        action, saving = step if isinstance(step, tuple) else (step, None)
        raw = json.dumps(update_payload(people[n], action, api, next(update_ids)), ensure_ascii=False)
        stream.write(raw + "\n")
        await timed_update(app, raw, times)
        saves += saving is SAVE
    with dispatcher.db.transaction() as s:
        entries_added = s.scalar(select(func.count()).select_from(LedgerEntry)) - entries_before
    if entries_added != saves:
        raise Diverged(f"{saves} saves pressed but {entries_added} ledger entries added")
    rss_after = rss_mb()
    gc_pauses = pauses.stop()
    await app.shutdown()
    calls = Counter(api.counts)
    calls.subtract(calls_before)
    calls = +calls  # only the calls made while timing
    chat_bound = sum(
        n
        for method, n in calls.items()
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument")
    )
    return {
        "seconds": sum(times),
        "latency": percentiles(times),
        "saves": saves,
        "rss_ready": rss_ready,
        "rss_after": rss_after,
        "calls": dict(calls),
        "chat_bound_per_update": chat_bound / args.updates,
        "gc": gc_pauses,
    }


async def replay(app, stream) -> list[float]:
    """The updates written by the pipeline's run, through `app`: the seconds each took after the warm-up."""
    await app.initialize()
    times = []
    for number, raw in enumerate(stream):
        if number == WARMUP:
            times = []
        await timed_update(app, raw, times)
    await app.shutdown()
    return times


async def run_without_dispatcher(args, stream, replies: list) -> dict:
    """The same updates through the same application, its dispatcher (the database and the flows) replaced by
    the replies it gave in the pipeline's run: what python-telegram-bot and our channel cost on their own,
    the most this pipeline could reach with a dispatcher that took no time."""
    dispatcher, _api, app = our_application(args)
    given = iter(replies)
    dispatcher.handle = lambda _incoming: next(given)
    times = await replay(app, stream)
    return {"seconds": sum(times)}


async def run_echo(args, stream) -> dict:
    from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

    async def echo(update, _context):
        await update.message.reply_text(update.message.text)

    async def echo_button(update, context):
        await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, update.callback_query.data)

    api = bench_transport(args.latency_ms / 1000)
    app = Application.builder().token(TOKEN).request(api).get_updates_request(api).build()
    app.add_handlers([MessageHandler(filters.TEXT, echo), CallbackQueryHandler(echo_button)])
    times = await replay(app, stream)
    return {"seconds": sum(times), "latency": percentiles(times)}


def worker(args) -> None:
    errors = ErrorCount()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().addHandler(errors)
    replies = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stream:
        pipeline = asyncio.run(run_pipeline(args, stream, replies))
        stream.seek(0)
        echo = asyncio.run(run_echo(args, stream))
        stream.seek(0)
        ceiling = asyncio.run(run_without_dispatcher(args, stream, replies))
    print(json.dumps({"pipeline": pipeline, "echo": echo, "ceiling": ceiling, "errors": errors.count}))


# --- start-up: the real `python -m bot` ------------------------------------------------------------------


async def time_startup(database_url: str, runs: int) -> list[tuple[float, float]]:
    """(seconds from spawning `python -m bot` to its first getUpdates, its VmRSS then in MB), per run."""
    from tests.fake_bot_api_server import FakeBotApiServer

    results = []
    for _run in range(runs):
        server = FakeBotApiServer()
        base_url = await server.start()
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": base_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }
        began = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while "getUpdates" not in server.calls:
                if process.poll() is not None or time.perf_counter() - began > 60:
                    raise RuntimeError("python -m bot did not start polling")
                await asyncio.sleep(0.005)
            ready = time.perf_counter() - began
            status = Path(f"/proc/{process.pid}/status").read_text()
            rss = next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
            results.append((ready, rss))
        finally:
            process.terminate()
            process.wait(timeout=30)
            await server.stop()
    return results


# --- the report ----------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import telegram

    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, python-telegram-bot "
        f"{telegram.__version__}, SQLite {sqlite3.sqlite_version}"
    )


def measure(url: str, clubs: int, args) -> dict:
    db = empty_database(url)
    began = time.perf_counter()
    populate(db, clubs, args.members, datetime.now(ZONE).date())
    print(
        f"  {clubs} clubs, {clubs * args.members} members inserted in {time.perf_counter() - began:.0f} s; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    db.dispose()
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--database-url",
        url,
        "--clubs",
        str(clubs),
        "--members",
        str(args.members),
        "--users",
        str(args.users),
        "--updates",
        str(args.updates),
        "--latency-ms",
        str(args.latency_ms),
    ]
    load = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the worker failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = (load, os.getloadavg()[0])
    return result


def print_run(label: str, r: dict, updates: int) -> None:
    p, e = r["pipeline"], r["echo"]
    ours, bare = updates / p["seconds"], updates / e["seconds"]
    lat, elat = p["latency"], e["latency"]
    print(
        f"  {label}: pipeline {ours:.0f} updates/s, echo bot {bare:.0f} updates/s, ratio {100 * ours / bare:.0f} % "
        f"(goal >= 50 %: {'met' if ours >= bare / 2 else 'MISSED'})"
    )
    ceiling = updates / r["ceiling"]["seconds"]
    print(
        f"    with the dispatcher (database and flows) replaced by its recorded replies: {ceiling:.0f} updates/s, "
        f"{100 * ceiling / bare:.0f} % of the echo bot: the most this pipeline could reach"
    )
    print(
        f"    per update, pipeline: p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms, p99 {lat['p99']:.1f} ms, "
        f"max {lat['max']:.0f} ms; echo: p50 {elat['p50']:.2f} ms, p99 {elat['p99']:.2f} ms"
    )
    print(
        f"    {p['saves']} ledger entries saved, {r['errors']} errors; Bot API calls {p['calls']}; "
        f"{p['chat_bound_per_update']:.2f} chat-bound calls an update, so Telegram's 30/s allows at most "
        f"{30 / p['chat_bound_per_update']:.0f} updates/s"
    )
    print(
        f"    full garbage collections while timing: {p['gc']['full']}, {p['gc']['total_ms']:.0f} ms in all, "
        f"longest {p['gc']['longest_ms']:.0f} ms"
    )
    print(
        f"    memory (VmRSS): {p['rss_ready']:.0f} MB ready, {p['rss_after']:.0f} MB after the run; "
        f"load average {r['load'][0]:.2f} before, {r['load'][1]:.2f} after",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=6000)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="every Bot API call answered this late")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--clubs", type=int, default=6521)
    parser.add_argument("--small-clubs", type=int, default=200)
    parser.add_argument("--members", type=int, default=45)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied); SQLite always runs")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return 0
    if -(-args.users // len(ROLES)) > args.small_clubs:
        parser.error("--small-clubs must hold the users, three to a club")
    print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.updates} updates (after {WARMUP} not timed) from {args.users} board members")
    scratch = tempfile.mkdtemp(prefix="pipeline-bench-")
    urls = {"SQLite": None, "PostgreSQL": args.database_url}
    for name, url in urls.items():
        if name == "PostgreSQL" and url is None:
            continue
        print(f"{name}:", flush=True)
        runs = {}
        for clubs in (args.small_clubs, args.clubs):
            runs[clubs] = measure(url or f"sqlite:///{scratch}/bench-{clubs}.sqlite3", clubs, args)
            print_run(f"{clubs} clubs", runs[clubs], args.updates)
        small, big = runs[args.small_clubs]["pipeline"]["rss_after"], runs[args.clubs]["pipeline"]["rss_after"]
        print(
            f"  memory after the run: {big:.0f} MB with {args.clubs} clubs (goal < 200 MB: "
            f"{'met' if big < 200 else 'MISSED'}), {small:.0f} MB with {args.small_clubs} "
            f"({big - small:+.0f} MB)"
        )
        latency = runs[args.clubs]["pipeline"]["latency"]["p99"]
        if name == "SQLite":
            print(
                f"  p99 with {args.clubs} clubs: {latency:.1f} ms (goal < 20 ms: {'met' if latency < 20 else 'MISSED'})"
            )
        startup = asyncio.run(time_startup(url or f"sqlite:///{scratch}/bench-{args.clubs}.sqlite3", args.startup_runs))
        seconds = [s for s, _rss in startup]
        print(
            f"  start-up, python -m bot to its first getUpdates ({args.clubs} clubs): median "
            f"{statistics.median(seconds):.2f} s (runs: {', '.join(f'{s:.2f}' for s in seconds)}; goal < 2 s: "
            f"{'met' if statistics.median(seconds) < 2 else 'MISSED'}); VmRSS then "
            f"{statistics.median(r for _s, r in startup):.0f} MB; load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
