"""Benchmark (a script, not a test): the 5 June reminder wave for 6,521 clubs.

    python bench/reminder_bench.py [--clubs 6521] [--members 45] [--send-clubs 300] [--database-url URL]

1. Bulk-inserts clubs, each with a chair, a vice-chair and a treasurer on Telegram and `--members` members.
2. Times planning the wave of 29 May 2025 09:00 (the 7-day reminders: chair and vice-chair of every club),
   then claiming it and filling in what each reminder says (both set-based).
3. Sends a scaled-down wave (`--send-clubs` clubs) through python-telegram-bot's ExtBot with AIORateLimiter
   against a fake transport (20 ms a call), and compares the time with the rate-limit floor
   (messages / 30 per second); the full wave's sending time is extrapolated from it.
Checks: no reminder planned twice, none claimed twice, every claimed one sent exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from telegram.ext import AIORateLimiter, ExtBot  # noqa: E402
from telegram.request import BaseRequest  # noqa: E402

from bot.reminders import ReminderService, TelegramSender  # noqa: E402
from storage import reminders  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import (
    CHAIR,
    TREASURER,
    VICE_CHAIR,
    BoardSeat,
    ChannelAccount,
    Club,
    Member,  # noqa: E402
    SentReminder,
    User,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
WAVE = datetime(2025, 5, 29, 9, 0, tzinfo=ZONE)
ROLES = (CHAIR, VICE_CHAIR, TREASURER)


def populate(db: Database, clubs: int, members: int) -> None:
    with db.engine.begin() as c:
        c.execute(
            insert(User),
            [
                {"id": n + 1, "display_name": f"Người {n + 1}", "language": "vi", "created_at": WAVE}
                for n in range(clubs * len(ROLES))
            ],
        )
        c.execute(
            insert(ChannelAccount),
            [
                {"channel": "telegram", "external_id": str(1000 + n + 1), "user_id": n + 1}
                for n in range(clubs * len(ROLES))
            ],
        )
        c.execute(
            insert(Club),
            [
                {
                    "id": k + 1,
                    "code": f"C{k + 1:05d}",
                    "name": f"CLB số {k + 1}",
                    "village": "thôn",
                    "commune": "xã",
                    "district": f"huyện {k % 700}",
                    "province": f"tỉnh {k % 63}",
                    "meeting_day": 1 + k % 28,
                    "created_at": WAVE,
                    "created_by": k * len(ROLES) + 1,
                }
                for k in range(clubs)
            ],
        )
        c.execute(
            insert(BoardSeat),
            [
                {"club_id": k + 1, "user_id": k * len(ROLES) + r + 1, "role": role, "active": True, "since": WAVE}
                for k in range(clubs)
                for r, role in enumerate(ROLES)
            ],
        )
        batch = []
        for k in range(clubs):
            for m in range(members):
                batch.append(
                    {
                        "club_id": k + 1,
                        "full_name": f"Thành viên {m}",
                        "name_key": f"thanh vien {m}",
                        "birth_year": 1950 + m % 40,
                        "sex": "female",
                        "joined_on": date(2020, 1, 1),
                        "created_at": WAVE,
                        "created_by": k * len(ROLES) + 1,
                    }
                )
            if len(batch) >= 20_000:
                c.execute(insert(Member), batch)
                batch = []
        if batch:
            c.execute(insert(Member), batch)


class FakeTransport(BaseRequest):
    """Answers sendMessage like Telegram after `latency` seconds and counts messages per chat."""

    def __init__(self, latency: float = 0.02):
        self.latency = latency
        self.per_chat: Counter = Counter()

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url, method, request_data=None, **_timeouts):
        await asyncio.sleep(self.latency)
        params = dict(request_data.parameters) if request_data else {}
        name = url.rsplit("/", 1)[-1]
        if name == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
        else:
            self.per_chat[str(params.get("chat_id"))] += 1
            result = {
                "message_id": 1,
                "date": int(time.time()),
                "text": params.get("text", ""),
                "chat": {"id": params.get("chat_id"), "type": "private"},
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def send_wave(db: Database, send_clubs: int) -> tuple[int, float, FakeTransport]:
    transport = FakeTransport()
    bot = ExtBot("1:BENCH", request=transport, get_updates_request=transport, rate_limiter=AIORateLimiter())
    async with bot:
        service = ReminderService(db, "Asia/Ho_Chi_Minh", {"telegram": TelegramSender(bot)})
        # Only the first `send_clubs` clubs: the others' reminders are claimed (and left) by the planning step.
        started = time.perf_counter()
        summary = await service.run_once(WAVE)
        elapsed = time.perf_counter() - started
    return summary.sent, elapsed, transport


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clubs", type=int, default=6521)
    parser.add_argument("--members", type=int, default=45)
    parser.add_argument("--send-clubs", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    db = Database(url)
    db.migrate()
    started = time.perf_counter()
    populate(db, args.clubs, args.members)
    print(
        f"database: {db.engine.dialect.name}; {args.clubs} clubs, {args.clubs * args.members} members "
        f"inserted in {time.perf_counter() - started:.1f} s"
    )

    with db.transaction() as s:
        started = time.perf_counter()
        wave = reminders.plan(s, WAVE)
        planning = time.perf_counter() - started
    keys = [d.key for d in wave]
    assert len(keys) == len(set(keys)), "a reminder was planned twice"
    assert len(wave) == 2 * args.clubs, f"expected {2 * args.clubs} reminders, planned {len(wave)}"
    print(
        f"planning the 5 June wave (29 May 09:00, 7 days before): {len(wave)} reminders in {planning:.2f} s "
        f"(goal < 2 s: {'ok' if planning < 2 else 'MISSED'})"
    )
    with db.transaction() as s:
        started = time.perf_counter()
        reminders.add_details(s, wave, WAVE.date())
        details = time.perf_counter() - started
    print(f"what each says (meetings, members, contributions), all clubs: {details:.2f} s")

    # The scaled-down send: hold back all but `send_clubs` clubs' reminders by claiming them first.
    with db.transaction() as s:
        held = reminders.claim(s, [d for d in wave if d.club_id > args.send_clubs], WAVE)
    sent, elapsed, transport = asyncio.run(send_wave(db, args.send_clubs))
    expected = 2 * min(args.send_clubs, args.clubs)
    floor = expected / 30
    with db.transaction() as s:
        statuses = Counter(
            s.exec(
                SentReminder.__table__.select()
                .with_only_columns(SentReminder.status)
                .where(SentReminder.club_id <= args.send_clubs)
            ).scalars()
        )
    duplicates = [chat for chat, count in transport.per_chat.items() if count > 1]
    assert sent == expected and not duplicates and statuses == {"sent": expected}, (sent, duplicates, statuses)
    print(
        f"sending {expected} messages through AIORateLimiter (fake transport, 20 ms a call): {elapsed:.1f} s; "
        f"floor {floor:.1f} s at 30/s; {100 * (elapsed / floor - 1):+.1f} % "
        f"(goal within 10 %: {'ok' if elapsed <= 1.1 * floor else 'MISSED'})"
    )
    full = 2 * args.clubs
    print(
        f"extrapolated full wave: {full} messages in about {elapsed / expected * full:.0f} s "
        f"(floor {full / 30:.0f} s); no duplicates, nothing dropped ({len(held)} held back unsent)"
    )
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
