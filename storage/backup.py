"""A consistent copy of an SQLite database while the bot keeps running: `python -m bot backup`.

SQLite's online backup API copies the database page by page through a connection of its own, so it
sees one consistent state (the bot writes in WAL mode, and readers never wait for writers). PostgreSQL is
backed up with its own tools, pg_dump and pg_restore (README, "Backup and restore").
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, make_url

DEFAULT_DIR = Path("data") / "backups"


class BackupFailed(Exception):
    """The copy was made but did not pass SQLite's integrity check; it has been removed."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("an in-memory SQLite database has no file to back up")
    return Path(database)


def default_target(now: datetime) -> Path:
    return DEFAULT_DIR / f"clubbot-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup_sqlite(source: Path, target: Path) -> Backup:
    """Copy `source` to `target` and check the copy; `target` appears only once the copy is whole and sound."""
    if not source.exists():
        raise FileNotFoundError(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(partial)) as copy:
        reader.execute("PRAGMA busy_timeout=10000")
        reader.backup(copy)
        # One self-contained file: no -wal beside it to forget when the copy is moved.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchall()
    if verdict != [("ok",)]:
        partial.unlink(missing_ok=True)
        raise BackupFailed("; ".join(str(row[0]) for row in verdict[:5]))
    partial.replace(target)
    return Backup(target, target.stat().st_size)


def pg_commands(url: str, now: datetime) -> tuple[str, str]:
    """The pg_dump and pg_restore command lines for a PostgreSQL DATABASE_URL (password left out)."""
    given = make_url(url)
    libpq = URL.create(
        "postgresql",
        username=given.username,
        host=given.host,
        port=given.port,
        database=given.database,
        query=given.query,
    ).render_as_string()
    dump = f"clubbot-{now:%Y%m%d-%H%M%S}.dump"
    return (
        f'pg_dump --format=custom --no-owner --file {dump} "{libpq}"',
        f'pg_restore --clean --if-exists --no-owner --dbname "{libpq}" {dump}',
    )
