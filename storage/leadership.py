"""Leader election among the bot's processes, for work only one of them may do at a time (the reminder scheduler).

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) taken on a connection of its own, held for
the life of the process. When the leader dies its connection closes and the server releases the lock; another
process, trying again every few seconds, takes it over.

SQLite: the database is a file on one host, so an exclusive `flock` on a file beside it does the same: the
kernel releases it when the leader's process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from pathlib import Path
from typing import Protocol, TextIO

from sqlalchemy import Connection, create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)
SCHEDULER = "clubbot.reminder-scheduler"
# A leader whose machine vanishes without closing its connection keeps the lock until the server notices;
# TCP keepalives make that about a minute instead of the system's default of hours.
SERVER_KEEPALIVES = ("SET tcp_keepalives_idle = 30", "SET tcp_keepalives_interval = 10", "SET tcp_keepalives_count = 3")


class Leadership(Protocol):
    def hold(self) -> bool:
        """True while this process leads: takes the lead when it is free, checks it is still ours when held.
        Blocking (database or file work): call it from a thread."""

    def release(self) -> None:
        """Give up the lead (at a clean stop), so another process takes over at once."""


def leadership(database_url: str, name: str = SCHEDULER) -> Leadership:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresLeadership(database_url, name)
    return FileLeadership(Path(f"{url.database}.{name}.lock"))


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name` (advisory locks belong to one database)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PostgresLeadership:
    def __init__(self, database_url: str, name: str):
        self.key = lock_key(name)
        # A connection of its own, outside the pool: returned to a pool, it would keep the lock for whoever
        # borrows it next. Autocommit: it never sits idle in a transaction. A host that does not answer
        # makes this try fail after 10 s; the next one comes soon.
        self._engine = create_engine(
            database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10}
        )
        self._connection: Connection | None = None
        self._held = False
        self._mutex = threading.Lock()  # the scheduler's threads take turns on the one connection

    def hold(self) -> bool:
        with self._mutex:
            try:
                if self._connection is None:
                    self._connect()
                if self._held:
                    self._connection.exec_driver_sql("SELECT 1")  # a live session still holds its lock
                else:
                    self._held = bool(
                        self._connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar()
                    )
            except SQLAlchemyError as error:
                # The connection is gone, and the lock with it: try afresh next time.
                log.warning("Leader election: the database cannot be reached (%s)", type(error).__name__)
                self._close()
            return self._held

    def release(self) -> None:
        with self._mutex:
            if self._held:
                try:
                    # Ending the session would release the lock too, but only once the server has seen it end;
                    # unlocking first hands over before this returns.
                    self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                except SQLAlchemyError:
                    log.debug("Could not unlock; closing the session releases the lock", exc_info=True)
            self._close()
        self._engine.dispose()

    def _connect(self) -> None:
        self._connection = self._engine.connect()
        for statement in SERVER_KEEPALIVES:
            self._connection.exec_driver_sql(statement)

    def _close(self) -> None:
        self._held = False
        if self._connection is not None:
            try:
                self._connection.close()
            except SQLAlchemyError:
                log.debug("Closing a broken leader-election connection failed", exc_info=True)
            self._connection = None


class FileLeadership:
    def __init__(self, path: Path):
        self.path = path
        self._file: TextIO | None = None
        self._mutex = threading.Lock()

    def hold(self) -> bool:
        with self._mutex:
            if self._file is None:
                candidate = self.path.open("a")
                try:
                    fcntl.flock(candidate, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # another process leads
                    candidate.close()
                    return False
                self._file = candidate
            return True

    def release(self) -> None:
        with self._mutex:
            if self._file is not None:
                self._file.close()  # closing the file releases the lock
                self._file = None
