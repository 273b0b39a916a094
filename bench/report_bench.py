"""Benchmark of the reports (issue 5): not a test. Builds a national-scale dataset in bulk and times one club's
half-year report, one district's (about 150 clubs), one commune's and the largest province's of the 2025 map (the
clubs spread over the 34 provinces' communes, issue 17: `regroup`) and the whole country's, and the peak Python
memory.

    python bench/report_bench.py --db sqlite:///data/bench.sqlite3 [--clubs 6521] [--members 70] [--years 10]
    python bench/report_bench.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench ...

Full scale (6,521 clubs × 70 members, ten years: December 2015 – November 2025) is about 72 million ledger
rows: each member's initial capital and monthly fee, a monthly expense, two loans a club a month with their
schedules and repayments (one loan in ten stops paying). --clubs/--members/--years scale it down. The rows
are made inside the database, month by month (INSERT ... SELECT over the clubs and a table of small numbers),
with the secondary indexes, foreign-key checks and report-sum triggers off until the end; the same statements
run on both databases. The database is emptied first: point it at a scratch database. At full scale the
PostgreSQL database takes about 14 GB, the SQLite file about as much, and the SQLite build about 8 GB of RAM
(its temporary B-trees are kept in memory). --skip-build times the reports on a dataset built before,
after bringing its schema up to the newest migration.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from storage import places, report_sums, reports  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.periods import period  # noqa: E402
from storage.schedule import add_months  # noqa: E402

PERIOD = "2025-H1"
CLUBS_PER_DISTRICT = 150


# A pseudo-random number from an integer key, the same in PostgreSQL and SQLite (64-bit integer arithmetic
# only), so both databases get the same dataset and no random state lives in Python.
def _hash(key: str, salt: int) -> str:
    return f"(((({key}) + {salt * 7919}) * 2654435761) % 2147483647 * 48271 % 2147483647)"


LOAN_ID = "((mo.m * :clubs + c.id - 1) * :loans + j.i + 1)"  # loans numbered in the order they are made
BORROWER = "((c.id - 1) * :members + {h} % :members + 1)"


def _entry(columns: str) -> str:
    return (
        "INSERT INTO ledgerentry (club_id, fund, kind, amount, interest, member_id, loan_id, source, entry_date, "
        f"entered_on, created_by, created_at) {columns}"
    )


# One month of a club's life, as INSERT ... SELECT statements over the clubs and a table of small numbers
# (bench_n) and of month days (bench_month): the rows are made inside the database, never in Python.
MONTH = [
    # every member pays the monthly fee to the activity fund
    _entry(
        "SELECT c.id, 'activity', 'monthly_fee', 10000, 0, (c.id - 1) * :members + n.i + 1, NULL, NULL, "
        "mo.day, mo.day, 1, :now FROM club c CROSS JOIN bench_n n CROSS JOIN bench_month mo "
        "WHERE mo.m = :m AND n.i < :members"
    ),
    # one activity paid from the activity fund
    _entry(
        "SELECT c.id, 'activity', 'expense', -500000, 0, NULL, NULL, NULL, mo.day, mo.day, 1, :now "
        "FROM club c CROSS JOIN bench_month mo WHERE mo.m = :m"
    ),
    "INSERT INTO meeting (club_id, held_on, attendance, health_checks, created_at, created_by) "
    f"SELECT c.id, mo.day, 25 + {_hash('c.id * 1000 + mo.m', 1)} % 36, 10 + {_hash('c.id * 1000 + mo.m', 2)} % 21, "
    ":now, 1 FROM club c CROSS JOIN bench_month mo WHERE mo.m = :m",
    # loans of 3,000,000 over 10 months at 0.5 % a month on the declining balance
    "INSERT INTO loan (id, club_id, member_id, principal, term_months, monthly_rate_bp, purpose, disbursed_on, "
    f"created_by, created_at) SELECT {LOAN_ID}, c.id, {BORROWER.format(h=_hash(LOAN_ID, 3))}, 3000000, 10, 50, "
    "'trade', mo.day, 1, :now FROM club c CROSS JOIN bench_n j CROSS JOIN bench_month mo "
    "WHERE mo.m = :m AND j.i < :loans",
    "INSERT INTO loaninstalment (loan_id, number, due_on, principal, interest) "
    f"SELECT {LOAN_ID}, n.i, due.day, 300000, 15000 - 1500 * (n.i - 1) FROM club c CROSS JOIN bench_n j "
    "CROSS JOIN bench_month mo CROSS JOIN bench_n n JOIN bench_month due ON due.m = mo.m + n.i "
    "WHERE mo.m = :m AND j.i < :loans AND n.i BETWEEN 1 AND 10",
    _entry(
        f"SELECT c.id, 'income', 'loan', -3000000, 0, {BORROWER.format(h=_hash(LOAN_ID, 3))}, {LOAN_ID}, NULL, "
        "mo.day, mo.day, 1, :now FROM club c CROSS JOIN bench_n j CROSS JOIN bench_month mo "
        "WHERE mo.m = :m AND j.i < :loans"
    ),
    # instalment `number` of the loans made `number` months ago; one loan in ten stops paying at some point
    _entry(
        f"SELECT c.id, 'income', 'repayment', 300000 + 15000 - 1500 * (n.i - 1), 15000 - 1500 * (n.i - 1), "
        f"{BORROWER.format(h=_hash(LOAN_ID, 3))}, {LOAN_ID}, NULL, today.day, today.day, 1, :now "
        "FROM club c CROSS JOIN bench_n j CROSS JOIN bench_n n "
        "JOIN bench_month mo ON mo.m = :m - n.i JOIN bench_month today ON today.m = :m "
        f"WHERE j.i < :loans AND n.i BETWEEN 1 AND 10 AND (n.i <= {_hash(LOAN_ID, 5)} % 10 "
        f"OR {_hash(LOAN_ID, 4)} % 10 <> 0)"
    ),
]

MEMBERS = (
    "INSERT INTO member (id, club_id, full_name, name_key, birth_year, sex, poverty, ethnic_minority, disabled, "
    "joined_on, left_on, created_at, created_by) "
    f"SELECT id, club_id, 'Member ' || id, 'member ' || id, 1935 + {_hash('id', 11)} % 61, "
    f"CASE WHEN {_hash('id', 12)} % 100 < 65 THEN 'female' ELSE 'male' END, "
    f"CASE {_hash('id', 13)} % 4 WHEN 0 THEN 'poor' WHEN 1 THEN 'near_poor' END, "
    f"{_hash('id', 14)} % 10 = 0, {_hash('id', 15)} % 20 = 0, :joined, NULL, :now, 1 "
    "FROM (SELECT (c.id - 1) * :members + n.i + 1 AS id, c.id AS club_id FROM club c CROSS JOIN bench_n n "
    "WHERE n.i < :members) AS m"
)
CAPITAL = _entry("SELECT club_id, 'income', 'capital', 1000000, 0, id, NULL, NULL, :day, :day, 1, :now FROM member")

TABLES = ("member", "ledgerentry", "loan", "loaninstalment", "meeting")


def _secondary_indexes(c) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes on the big tables that no constraint owns: dropped for the
    build, made again in one pass at the end (far faster than keeping them up to date row by row)."""
    if c.dialect.name == "postgresql":
        return list(
            c.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables) "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
                ),
                {"tables": list(TABLES)},
            )
        )
    names = ", ".join(f"'{t}'" for t in TABLES)
    return list(
        c.execute(
            text(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({names})"
            )
        )
    )


def _build_engine(url: str):
    """A connection for the build only: no foreign-key checks (the rows are generated consistent), no waiting
    for the disk on commit. The triggers that keep the report sums are dropped for the load and the sums made
    in one pass at the end (storage.report_sums), as migration 0009r does for an existing ledger."""
    engine = create_engine(url, poolclass=NullPool)
    c = engine.connect()
    if engine.dialect.name == "postgresql":
        for setting in (
            "session_replication_role = replica",
            "synchronous_commit = off",
            "maintenance_work_mem = '1GB'",
        ):
            c.execute(text(f"SET {setting}"))
    else:
        for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
            c.exec_driver_sql(f"PRAGMA {pragma}")
    return engine, c


def build(db: Database, clubs: int, members: int, years: int) -> None:
    SQLModel.metadata.drop_all(db.engine)
    with db.engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.migrate()
    engine, c = _build_engine(db.url)
    now, months = datetime(2025, 6, 1, tzinfo=UTC), 12 * years
    start = date(2025 - years, 12, 15)
    loans = max(1, members // 25)  # about 24 loans a club a year at 70 members
    c.execute(
        text("INSERT INTO \"user\" (id, display_name, language, created_at) VALUES (1, 'bench', 'vi', :t)"), {"t": now}
    )
    c.execute(
        text(
            "INSERT INTO club (id, code, name, village, commune, district, province, meeting_day, "
            "created_at, created_by) VALUES (:id, :code, :name, 'v', 'c', :district, 'p', 15, :t, 1)"
        ),
        [
            {"id": i, "code": f"B{i:05d}", "name": f"CLB {i}", "district": f"Huyện {i // CLUBS_PER_DISTRICT}", "t": now}
            for i in range(1, clubs + 1)
        ],
    )
    for table in ("bench_n", "bench_month"):
        c.execute(text(f"DROP TABLE IF EXISTS {table}"))
    c.execute(text("CREATE TABLE bench_n (i INTEGER PRIMARY KEY)"))
    c.execute(text("CREATE TABLE bench_month (m INTEGER PRIMARY KEY, day DATE NOT NULL)"))
    c.execute(text("INSERT INTO bench_n (i) VALUES (:i)"), [{"i": i} for i in range(max(members, 11, loans))])
    c.execute(
        text("INSERT INTO bench_month (m, day) VALUES (:m, :day)"),
        [{"m": m, "day": add_months(start, m)} for m in range(months + 11)],
    )
    indexes = _secondary_indexes(c)
    for name, _create in indexes:
        c.execute(text(f"DROP INDEX {name}"))
    report_sums.drop_triggers(c)
    values = {"clubs": clubs, "members": members, "loans": loans, "now": now}
    c.execute(text(MEMBERS), {**values, "joined": date(2015, 1, 1)})
    c.execute(text(CAPITAL), {"day": start, "now": now})
    c.commit()
    for m in range(months):  # month by month, as a real ledger grows: entries of all clubs interleaved by date
        for statement in MONTH:
            c.execute(text(statement), {**values, "m": m})
        c.commit()
        if m % 12 == 11:
            print(f"  … {m + 1} months", flush=True)
    for table in ("bench_n", "bench_month"):
        c.execute(text(f"DROP TABLE {table}"))
    began = time.perf_counter()
    for _name, create in indexes:
        c.execute(text(create))
    report_sums.sum_existing_and_create_triggers(c)
    if engine.dialect.name == "postgresql":
        for table in ("member", "loan"):
            c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    c.commit()
    print(f"  indexes and report sums made in {time.perf_counter() - began:.0f} s", flush=True)
    c.close()
    _vacuum_analyze(engine)
    engine.dispose()


def regroup(db: Database) -> None:
    """The clubs placed on the 2025 map (issue 17): club i gets the i-th commune of the 34 provinces' communes
    in turn (storage.places, in code order), so every commune has one or two clubs and a province as many as
    its communes. Its province and commune codes set as the registration would, and its province's name."""
    every = [c for p in places.provinces() for c in sorted(places.communes(p.code), key=lambda c: c.code)]
    names = {p.code: p.name for p in places.provinces()}
    with db.engine.begin() as c:
        ids = [row[0] for row in c.execute(text("SELECT id FROM club ORDER BY id"))]
        c.execute(
            text("UPDATE club SET province_code = :p, commune_code = :c, province = :name WHERE id = :id"),
            [
                {"id": i, "p": every[n % len(every)].province_code, "c": every[n % len(every)].code}
                | {"name": names[every[n % len(every)].province_code]}
                for n, i in enumerate(ids)
            ],
        )
    _vacuum_analyze(db.engine)


def _vacuum_analyze(engine) -> None:
    """Statistics for the planner and, on PostgreSQL, the visibility map that index-only scans need (what
    autovacuum gives an insert-only table in production)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def timed(label: str, work) -> None:
    """Run once to warm the caches, time the second run without tracing (tracemalloc slows Python down), then
    run a third time to measure peak memory."""
    work()
    began = time.perf_counter()
    result = work()
    took = time.perf_counter() - began
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {took * 1000:.0f} ms, peak Python memory {peak / 1e6:.1f} MB ({result})", flush=True)


def _size(db: Database) -> int:
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as c:
            return c.execute(text("SELECT pg_database_size(current_database())")).scalar()
    path = Path(db.engine.url.database)
    return sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))


def _areas(s, club_id: int) -> tuple[tuple[str, str], str]:
    """The commune of the club in the middle, and the province with the most clubs."""
    with_codes = s.connection()
    commune = with_codes.execute(
        text("SELECT province_code, commune_code FROM club WHERE id = :id"), {"id": club_id}
    ).one()
    largest = with_codes.execute(
        text("SELECT province_code FROM club GROUP BY province_code ORDER BY count(*) DESC, province_code LIMIT 1")
    ).scalar_one()
    return (commune[0], commune[1]), largest


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--clubs", type=int, default=6521)
    parser.add_argument("--members", type=int, default=70)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    db = Database(args.db)
    began = time.perf_counter()
    if args.skip_build:
        db.migrate()  # a dataset built before the newest migration gets it now
        print(f"migrated in {time.perf_counter() - began:.0f} s", flush=True)
    else:
        build(db, args.clubs, args.members, args.years)
        print(f"built in {time.perf_counter() - began:.0f} s", flush=True)
    with db.engine.connect() as c:
        counts = {
            t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("club", "member", "ledgerentry", "loan", "loaninstalment", "meeting")
        }
    print(f"{db.engine.dialect.name}: {counts}, {_size(db) / 1e9:.1f} GB on disk", flush=True)
    began = time.perf_counter()
    regroup(db)
    print(f"regrouped into the 34 provinces and their communes in {time.perf_counter() - began:.0f} s", flush=True)
    p = period(PERIOD)
    club_id = args.clubs // 2
    with db.transaction() as s:
        commune, largest = _areas(s, club_id)
        timed("one club", lambda: reports.club_report(s, club_id, p).loans.outstanding)
        timed(
            "one district",
            lambda: reports.district_report(s, p, district=f"Huyện {club_id // CLUBS_PER_DISTRICT}").totals.clubs,
        )
        timed(
            f"one commune ({commune[1]})",
            lambda: reports.area_report(s, p, province_code=commune[0], commune_code=commune[1]).totals.clubs,
        )
        timed(
            f"largest province ({largest})",
            lambda: reports.area_report(s, p, province_code=largest).totals.clubs,
        )
        timed("whole country", lambda: len(reports.club_reports(s, p)))
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
