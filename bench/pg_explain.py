"""Which queries read a whole big table on PostgreSQL? (a script, not a test; issue 7: "indexes for every report
and reminder query").

    python bench/pg_explain.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/<scratch>
                               [--clubs 1000] [--members 45] [--months 12]

Fills a scratch database (it is emptied) with clubs as bench/pipeline_bench.py builds them plus `--months` of
monthly fees from every member and a meeting a month, then runs the real code and records every statement it
sends: the dispatcher's per-update work (a /donggop and a /trano end to end, /quy, /saoke, /denhan, /trogiup,
the first step of /hoantac, /thanhvien, /hop, /bancn, /nhacnho, /baocao), one club's, one district's and the
whole country's reports, and the reminder job (planning, claiming, details, recording). Each statement is run
again under EXPLAIN ANALYZE (in a transaction rolled back). Listed: every sequential scan of a table of more
than --big rows, and every scan (an index scan too) that filters more than --big rows away. A scan is
"selective" when it keeps under a tenth of what it reads: an index would serve it. The whole country's report
and the reminder job read every club by design: their full scans are expected.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402

from bench.pipeline_bench import ROLES, TELEGRAM_IDS, bulk, empty_database, member_name, populate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import (
    TREASURER,
    LedgerEntry,
    Meeting,
    MeetingArea,
    ProcessedUpdate,  # noqa: E402
    SentReminder,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Operations over every club: a full scan is the right plan there.
EVERY_CLUB = ("whole country's report", "reminder job")


def add_history(db: Database, clubs: int, members: int, months: int, today: date) -> None:
    """A monthly fee from every member and one meeting per club for each of the last `months` months, and
    a week of handled update ids (what the bot keeps) at 10 updates per club a day, and the reminders sent
    over those months: each month's meeting reminder to the three board members and each week's to the
    treasurer (the 5 June and 5 December waves add less)."""
    now = datetime.now(ZONE)
    with db.engine.begin() as c:
        meeting_id = 1
        for start in range(0, clubs, 200):
            entries, meetings, areas = [], [], []
            for club in range(start + 1, min(start + 200, clubs) + 1):
                chair = (club - 1) * len(ROLES) + 1
                for month in range(months):
                    day = (today.replace(day=1) - timedelta(days=31 * month)).replace(day=10)
                    entries += [
                        {
                            "club_id": club,
                            "fund": "income",
                            "kind": "monthly_fee",
                            "amount": 20_000,
                            "interest": 0,
                            "member_id": (club - 1) * members + n + 1,
                            "entry_date": day,
                            "entered_on": day,
                            "created_by": chair,
                            "created_at": now,
                        }
                        for n in range(members)
                    ]
                    meetings.append(
                        {
                            "id": meeting_id,
                            "club_id": club,
                            "held_on": day,
                            "attendance": 30,
                            "health_checks": 10,
                            "created_at": now,
                            "created_by": chair,
                        }
                    )
                    areas += [{"meeting_id": meeting_id, "area": area} for area in ("income", "health")]
                    meeting_id += 1
            bulk(c, LedgerEntry, entries)
            bulk(c, Meeting, meetings)
            bulk(c, MeetingArea, areas)
        sent = []
        for club in range(1, clubs + 1):
            board = [(club - 1) * len(ROLES) + r + 1 for r in range(len(ROLES))]
            for month in range(months):
                day = (today.replace(day=1) - timedelta(days=31 * month)).replace(day=10)
                sent += [_sent(club, "meeting", day.isoformat(), 1, user, now) for user in board]
            for week in range(months * 52 // 12):
                year, number, _ = (today - timedelta(weeks=week)).isocalendar()
                sent.append(_sent(club, "instalments", f"{year}-W{number:02d}", 0, board[ROLES.index(TREASURER)], now))
        bulk(c, SentReminder, sent)
        week = 7 * 24 * 3600
        bulk(
            c,
            ProcessedUpdate,
            [
                {"channel": "telegram", "update_key": str(n), "at": now - timedelta(seconds=n % week)}
                for n in range(70 * clubs)
            ],
        )
        c.execute(text("SELECT setval(pg_get_serial_sequence('meeting', 'id'), (SELECT max(id) FROM meeting))"))
        c.execute(text("ANALYZE"))


def _sent(club: int, kind: str, occasion: str, offset: int, user: int, now: datetime) -> dict:
    return {
        "club_id": club,
        "kind": kind,
        "occasion": occasion,
        "offset_days": offset,
        "user_id": user,
        "status": "sent",
        "attempts": 1,
        "delivered": "telegram",
        "blocked": "",
        "scheduled_for": now,
        "expires_at": now,
        "created_at": now,
        "sent_at": now,
        "updated_at": now,
    }


class Recorder:
    """Every statement the engine sends while `label` is set, with its parameters."""

    def __init__(self, db: Database):
        self.label: str | None = None
        self.statements: dict[str, list[tuple[str, object]]] = defaultdict(list)
        event.listen(db.engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, executemany):
        if self.label is not None and not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            self.statements[self.label].append((statement, parameters[0] if executemany else parameters))


def run_operations(db: Database, recorder: Recorder, club: int) -> None:
    from bot.config import Settings
    from bot.reminders import ReminderService
    from bot.renderers import render
    from handlers.core import Incoming
    from handlers.dispatcher import Dispatcher
    from handlers.registry import COMMANDS
    from storage import reports
    from storage.periods import period

    dispatcher = Dispatcher(db, Settings(database_url=db.url), COMMANDS, render=render)
    treasurer = str(TELEGRAM_IDS + (club - 1) * len(ROLES) + 3)
    update_keys = iter(range(1, 10_000))

    def says(text=None, choice=None, who=treasurer):
        dispatcher.handle(
            Incoming(
                channel="telegram",
                chat_id=who,
                user_id=who,
                user_name="Thủ quỹ",
                text=text,
                choice=choice,
                update_key=f"explain-{next(update_keys)}",
            )
        )

    recorder.label = "a contribution, end to end"
    says(f"/donggop {member_name(7)} 50k"), says(choice="income"), says(choice="monthly_fee")
    says(choice="yes"), says(choice="done")
    recorder.label = "a repayment, end to end"
    says(f"/trano {member_name(2)} 100k"), says(choice="yes"), says(choice="done")
    recorder.label = "/quy, /saoke, /denhan, /trogiup"
    says("/quy"), says(choice="close"), says(f"/saoke {member_name(4)}"), says("/denhan"), says("/trogiup")
    recorder.label = "/hoantac, /thanhvien, /hop, /bancn, /nhacnho, /baocao"
    for command in ("/hoantac", "/thanhvien", "/hop", "/bancn", "/nhacnho", "/baocao"):
        says(command), says("/huy")
    quiet_chair = str(TELEGRAM_IDS + 1)  # the chair of club 1, whose entries are the oldest in the table
    says("/hoantac", who=quiet_chair), says("/huy", who=quiet_chair)

    today = datetime.now(ZONE).date()
    half = period(f"{today.year}-H2" if today.month >= 6 else f"{today.year}-H1")
    with db.transaction() as s:
        recorder.label = "one club's report"
        reports.club_report(s, club, half, series=True)
        recorder.label = "one district's report"
        reports.district_report(s, half, district=f"Huyện {(club - 1) // 150}")
        recorder.label = "whole country's report"
        reports.club_reports(s, half)

    class Delivered:
        async def send(self, external_id, text, choices):
            return None

    recorder.label = "reminder job"
    service = ReminderService(db, "Asia/Ho_Chi_Minh", {"telegram": Delivered()})
    deadline = half.end + timedelta(days=5)  # due on the 5th after the period
    for moment in (deadline - timedelta(days=7), deadline - timedelta(days=6)):
        asyncio.run(
            service.run_once(datetime.combine(moment, datetime.min.time(), ZONE).replace(hour=9), quiet_hours=False)
        )
    recorder.label = None


def table_rows(db: Database) -> dict[str, int]:
    with db.engine.connect() as c:
        return {
            name: int(rows) for name, rows in c.execute(text("SELECT relname, n_live_tup FROM pg_stat_user_tables"))
        }


def scans(plan: dict) -> list[dict]:
    """Every node of the plan that reads a table."""
    found = [plan] if "Relation Name" in plan else []
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


def wasteful(scan: dict, rows: dict[str, int], big: int) -> bool | None:
    """For a scan worth listing, whether it is selective (keeps under a tenth of what it reads); else None.

    Listed: a sequential scan of a big table, and any scan (an index scan too: say, backwards along the
    primary key) that throws away more than `big` rows to keep under a tenth of what it read.
    """
    table = scan["Relation Name"]
    loops = scan.get("Actual Loops", 1)
    kept = scan["Actual Rows"] * loops
    removed = scan.get("Rows Removed by Filter", 0) * loops
    if scan["Node Type"] == "Seq Scan" and rows.get(table, 0) > big:
        return kept < rows[table] / 10
    if removed > big and kept < (kept + removed) / 10:
        return True
    return None


def explain(db: Database, statement: str, parameters) -> dict:
    """The plan with actual row counts, in a transaction rolled back (writes are undone)."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        return cursor.fetchone()[0][0]["Plan"]
    finally:
        raw.rollback()
        raw.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clubs", type=int, default=1000)
    parser.add_argument("--members", type=int, default=45)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--big", type=int, default=1000, help="tables with more rows than this count as big")
    parser.add_argument("--skip-build", action="store_true", help="use the database as the last run left it")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.skip_build:
        db = Database(args.database_url)
    else:
        db = empty_database(args.database_url)
        today = datetime.now(ZONE).date()
        populate(db, args.clubs, args.members, today)
        add_history(db, args.clubs, args.members, args.months, today)
    rows = table_rows(db)
    print(
        f"built in {time.perf_counter() - began:.0f} s: "
        + ", ".join(f"{t} {n}" for t, n in sorted(rows.items(), key=lambda kv: -kv[1]) if n)
    )
    recorder = Recorder(db)
    run_operations(db, recorder, club=args.clubs // 2)
    problems = 0
    for label, statements in recorder.statements.items():
        distinct = {statement: parameters for statement, parameters in statements}
        lines = []
        for statement, parameters in distinct.items():
            plan = explain(db, statement, parameters)
            for scan in scans(plan):
                selective = wasteful(scan, rows, args.big)
                if selective is None:
                    continue
                problems += selective and label not in EVERY_CLUB
                loops = scan.get("Actual Loops", 1)
                lines.append(
                    f"    {'SELECTIVE ' if selective else ''}{scan['Node Type']} on {scan['Relation Name']} "
                    f"({rows.get(scan['Relation Name'], 0)} rows; {scan['Actual Rows'] * loops} kept, "
                    f"{scan.get('Rows Removed by Filter', 0) * loops} filtered out; "
                    f"filter: {scan.get('Filter', '-')[:160]})\n"
                    f"      in: {' '.join(statement.split())[:300]}"
                )
        print(
            f"{label}: {len(statements)} statements, {len(distinct)} distinct"
            + ("; nothing reads a big table whole or filters many rows away" if not lines else "")
        )
        if lines:
            print("\n".join(lines))
    print(f"{problems} selective scan(s) outside the operations over every club")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
