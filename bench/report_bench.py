"""Benchmark of the reports (issue 5): not a test. Builds a national-scale dataset in bulk and times one club's
half-year report, one district's (about 150 clubs) and the whole country's, and the peak Python memory.

    python bench/report_bench.py --db sqlite:///data/bench.sqlite3 [--clubs 6521] [--members 70] [--years 10]
    python bench/report_bench.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench ...

Full scale (6,521 clubs × 70 members, ten years of monthly contributions) is about 55 million ledger rows;
--clubs/--members/--years scale it down. Rows go in with executemany (SQLite) or COPY (PostgreSQL), never
through the ORM. The database is emptied first: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from storage import reports  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.periods import period  # noqa: E402
from storage.schedule import add_months  # noqa: E402

PERIOD = "2025-H1"
CLUBS_PER_DISTRICT = 150


def rows_for_club(club_id: int, first_member: int, first_loan: int, members: int, years: int, rng: random.Random):
    """(members, ledger entries, loans, instalments, meetings) of one club, as tuples in column order."""
    now = datetime(2025, 6, 1, tzinfo=timezone.utc)
    start = date(2025 - years, 12, 1)
    m_rows, l_rows, loan_rows, inst_rows, meet_rows = [], [], [], [], []
    for n in range(members):
        mid = first_member + n
        m_rows.append((mid, club_id, f"Member {mid}", f"member {mid}", rng.randint(1935, 1995),
                       "female" if rng.random() < 0.65 else "male", rng.choice(("poor", "near_poor", None, None)),
                       rng.random() < 0.1, rng.random() < 0.05, date(2015, 1, 1), None, now, 1))
    loan_id = first_loan
    for month in range(12 * years):
        day = add_months(start, month).replace(day=15)
        meet_rows.append((club_id, day, rng.randint(25, 60), rng.randint(10, 30), now, 1))
        for n in range(members):
            l_rows.append((club_id, "income", "capital", 20_000, 0, first_member + n, None, None, day, day, 1, now))
        # A few loans a month, repaid monthly over 10 months (some stop paying).
        for _k in range(max(1, members // 25)):
            member = first_member + rng.randrange(members)
            principal = 3_000_000
            loan_rows.append((loan_id, club_id, member, principal, 10, 0, "trade", day, 1, now))
            l_rows.append((club_id, "income", "loan", -principal, 0, member, loan_id, None, day, day, 1, now))
            stops = 10 if rng.random() < 0.9 else rng.randrange(10)
            for number in range(1, 11):
                due = add_months(day, number)
                inst_rows.append((loan_id, number, due, 300_000, 0))
                if number <= stops and due <= date(2025, 11, 30):
                    l_rows.append((club_id, "income", "repayment", 300_000, 0, member, loan_id, None, due, due, 1, now))
            loan_id += 1
    return m_rows, l_rows, loan_rows, inst_rows, meet_rows


COLUMNS = {
    "member": "id, club_id, full_name, name_key, birth_year, sex, poverty, ethnic_minority, disabled, joined_on, "
              "left_on, created_at, created_by",
    "ledgerentry": "club_id, fund, kind, amount, interest, member_id, loan_id, source, entry_date, entered_on, "
                   "created_by, created_at",
    "loan": "id, club_id, member_id, principal, term_months, monthly_rate_bp, purpose, disbursed_on, created_by, "
            "created_at",
    "loaninstalment": "loan_id, number, due_on, principal, interest",
    "meeting": "club_id, held_on, attendance, health_checks, created_at, created_by",
}


def insert(db: Database, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if db.url.startswith("postgresql"):
            with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(rows[0]))
            cursor.execute("BEGIN")
            cursor.executemany(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", rows)
            cursor.execute("COMMIT")
        raw.commit()
    finally:
        raw.close()


def build(db: Database, clubs: int, members: int, years: int) -> None:
    SQLModel.metadata.drop_all(db.engine)
    with db.engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.migrate()
    rng = random.Random(5)
    now = datetime(2025, 6, 1, tzinfo=timezone.utc)
    with db.engine.begin() as c:
        c.execute(text("INSERT INTO \"user\" (id, display_name, language, created_at) VALUES (1, 'bench', 'vi', :t)"),
                  {"t": now})
        c.execute(text("INSERT INTO club (id, code, name, village, commune, district, province, meeting_day, "
                       "created_at, created_by) VALUES (:id, :code, :name, 'v', 'c', :district, 'p', 15, :t, 1)"),
                  [{"id": i, "code": f"B{i:05d}", "name": f"CLB {i}", "district": f"Huyện {i // CLUBS_PER_DISTRICT}",
                    "t": now} for i in range(1, clubs + 1)])
    member_id, loan_id, batch = 1, 1, [[], [], [], [], []]
    for club_id in range(1, clubs + 1):
        parts = rows_for_club(club_id, member_id, loan_id, members, years, rng)
        member_id += members
        loan_id += len(parts[2])
        for store, part in zip(batch, parts):
            store.extend(part)
        if len(batch[1]) > 500_000 or club_id == clubs:
            for table, rows in zip(("member", "loan", "loaninstalment", "ledgerentry", "meeting"),
                                   (batch[0], batch[2], batch[3], batch[1], batch[4])):
                insert(db, table, rows)
            batch = [[], [], [], [], []]
            print(f"  … {club_id} clubs", flush=True)
    with db.engine.begin() as c:
        if db.url.startswith("postgresql"):
            for table in ("member", "loan"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            c.execute(text("ANALYZE"))
        else:
            c.execute(text("ANALYZE"))


def timed(label: str, work) -> None:
    """Time without tracing (tracemalloc slows Python down), then run again to measure peak memory."""
    began = time.perf_counter()
    result = work()
    took = time.perf_counter() - began
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {took * 1000:.0f} ms, peak Python memory {peak / 1e6:.1f} MB ({result})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--clubs", type=int, default=6521)
    parser.add_argument("--members", type=int, default=70)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    db = Database(args.db)
    if not args.skip_build:
        began = time.perf_counter()
        build(db, args.clubs, args.members, args.years)
        print(f"built in {time.perf_counter() - began:.0f} s", flush=True)
    with db.engine.connect() as c:
        counts = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("club", "member", "ledgerentry",
                                                                                     "loan")}
    print(f"{db.engine.dialect.name}: {counts}")
    p = period(PERIOD)
    club_id = args.clubs // 2
    with db.transaction() as s:
        reports.club_report(s, club_id, p)  # warm the caches once
        timed("one club", lambda: reports.club_report(s, club_id, p)["loans"]["outstanding"])
        timed("one district", lambda: reports.district_report(s, p, district=f"Huyện {club_id // CLUBS_PER_DISTRICT}")["totals"]["clubs"])
        timed("whole country", lambda: len(reports.club_reports(s, p)))
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
