"""Engine, transactions and migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, Executable, Result, create_engine, event, inspect, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from storage.leadership import lock_key
from storage.processes import THIS_PROCESS

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision (tests/storage/test_storage.py checks it against the scripts). Start-up compares it
# with the database's and loads Alembic only when they differ: Alembic and its scripts are a fifth of the
# bot's start-up time.
SCHEMA_HEAD = "0019u"
MIGRATIONS_LOCK = "clubbot.migrations"
READING = "clubbot_reading"


def insert_ignoring_duplicates(table, returning=None) -> dict:
    """INSERT ... ON CONFLICT DO NOTHING, built once for each database (pick with `dialect_of`), with one bound
    parameter per column."""
    statements = {}
    for dialect in (postgresql, sqlite):
        statement = dialect.insert(table).on_conflict_do_nothing()
        statements[dialect.dialect.name] = statement.returning(returning) if returning is not None else statement
    return statements


def run(session: Session, statement: Executable, params: dict | None = None) -> Result:
    """`statement`, a table's or columns' statement (no ORM objects in or out), on the session's connection.

    The session's own `execute` makes the ORM's bookkeeping for it all the same: 0.1 ms a statement, more than
    the statement itself costs SQLite. The statements every update makes (its id recorded, the conversation
    saved, a command counted, a date checked) and the reports' grouped sums go this way. Objects added to the
    session are flushed first, as `execute` would, so that what is read includes them."""
    session.flush()
    return session.connection().execute(statement, params)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


_WRITES = "writes"


def _count_writes(engine: Engine) -> None:
    # Counted per connection, which is the session's for the whole transaction: the conversation engine asks
    # whether a step saved anything, so that "back" never leads to a question whose answer is already saved.
    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection, _cursor, statement, _parameters, _context, _many):
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            connection.info[_WRITES] = connection.info.get(_WRITES, 0) + 1


def writes(session: Session) -> int:
    """How many statements have written in this session's transaction so far."""
    return session.connection().info.get(_WRITES, 0)


def make_engine(url: str) -> Engine:
    # hide_parameters: a database error's message then leaves out the statement's values (names, amounts).
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True, connect_args={"check_same_thread": False})
        _tune_sqlite(engine)
        _count_writes(engine)
        return engine
    # pool_pre_ping: after PostgreSQL restarts, pooled connections are dead; each is tested when taken from
    # the pool and replaced, so the first message after the database is back works. connect_timeout: a
    # database host that does not answer makes the person wait 10 s for "try again later", not minutes.
    # jit=off: the reports' per-loan subqueries are costed high enough to trigger JIT compilation, which took
    # 2.1 of the 2.5 s of a district's loan figures and saved nothing (BENCHMARKS.md, issue 5); no other
    # query of the bot runs long enough to gain from it. application_name: while a session has it, this
    # process runs (storage/processes.py).
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"connect_timeout": 10, "options": "-c jit=off", "application_name": THIS_PROCESS},
    )
    _count_writes(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions lazily and only before writes; we take the write lock at BEGIN
    # instead (BEGIN IMMEDIATE), so two updates for the same chat can never both read stale state.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A reading transaction (Database.reading) takes no write lock: under WAL it sees one snapshot while
        # the bot goes on writing.
        connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get(READING) else "BEGIN IMMEDIATE")


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: everything inside commits together or not at all."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that only reads (reports and exports from the command line): on SQLite it does not hold
        the write lock, so a national report taking a minute does not hold up the bot's writes; on PostgreSQL
        it is READ ONLY and REPEATABLE READ, so every figure of a report comes from the same snapshot."""
        engine = self.engine.execution_options(**{READING: True})
        with Session(engine, expire_on_commit=False) as session, session.begin():
            if engine.dialect.name == "postgresql":
                session.connection().exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield session

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration."""
        if self.schema_revision() == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Processes starting together (two web processes) upgrade one after the other, in this same
                # transaction; the later ones find nothing left to do.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(MIGRATIONS_LOCK)})
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

    def schema_revision(self) -> str | None:
        """The migration the database is at; None for an empty database."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def ping(self) -> None:
        """A trivial query: raises when the database cannot be reached (the health check)."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        self.engine.dispose()
