"""Test clubs built once per worker: `@built_once` on a builder (lien_tri, model_club, ...) runs its storage calls
the first time, and a later test that calls it on a database in the same state gets a copy of what it wrote.

A state is known by its content: on SQLite the database file's hash (every connection closed, so the file holds
everything), on PostgreSQL a hash of every row of every table and of the id sequences. A build is reused only
when the database is empty or in a state an earlier build of this worker left, so a test that wrote anything of
its own first gets a real build. Builders calling builders (club_with_a_borrower starts with lien_tri) and a
builder after another (lien_tri, then model_club) are reused as a chain from the empty database.
"""

from __future__ import annotations

import atexit
import copy
import functools
import hashlib
import itertools
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import inspect, text
from sqlalchemy.exc import ProgrammingError

from storage.db import Database

# The builder calls that led to a state from the empty database of a kind: ("sqlite", (name, args, kwargs), ...)
Chain = tuple[Any, ...]


@dataclass(frozen=True)
class _Snapshot:
    fingerprint: str
    place: str  # SQLite: the saved file; PostgreSQL: the schema holding a copy of every table
    sequences: tuple[tuple[str, int | None], ...] = ()


_chain_of: dict[str, Chain] = {}  # fingerprint -> chain
_built: dict[Chain, tuple[_Snapshot, Any]] = {}  # chain -> the state it left and what the builder returned
_numbers = itertools.count(1)
reused: Counter[str] = Counter()  # builder -> how many times its result was copied in (test_built_once.py)
P = ParamSpec("P")
R = TypeVar("R")


def built_once(build: Callable[P, R]) -> Callable[P, R]:
    """For a builder whose first argument is the database and whose others are what it builds."""
    return built_once_described(_database_and_arguments)(build)


def built_once_described(describe: Callable[..., tuple[Database, Any]]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """For any builder: `describe`, given its arguments, says which database it writes and, hashable, everything
    else its result depends on."""

    def decorator(build: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(build)
        def reused_or_built(*args: P.args, **kwargs: P.kwargs) -> R:
            db, depends_on = describe(*args, **kwargs)
            chain = _known_chain(db)
            if chain is None:
                return build(*args, **kwargs)
            chain = (*chain, (build.__qualname__, depends_on))
            if chain in _built:
                snapshot, result = _built[chain]
                _restore(db, snapshot)
                reused[build.__qualname__] += 1
                return copy.deepcopy(result)
            result = build(*args, **kwargs)
            snapshot = _save(db)
            if snapshot is not None:
                _chain_of[snapshot.fingerprint] = chain
                _built[chain] = (snapshot, copy.deepcopy(result))
            return result

        return reused_or_built

    return decorator


def _database_and_arguments(db: Database, *args: Any, **kwargs: Any) -> tuple[Database, Any]:
    return db, (args, tuple(sorted(kwargs.items())))


def _known_chain(db: Database) -> Chain | None:
    if _sqlite(db):
        path = _sqlite_file(db)
        if path is None:
            return None
        fingerprint = _file_hash(path)
        return ("sqlite",) if fingerprint == _empty_sqlite_hash() else _chain_of.get(fingerprint)
    if not _may_take_replica_role(db):
        return None
    fingerprint, empty = _postgres_fingerprint(db)
    return ("postgresql",) if empty else _chain_of.get(fingerprint)


def _save(db: Database) -> _Snapshot | None:
    if _sqlite(db):
        path = _sqlite_file(db)
        if path is None:
            return None
        saved = _folder() / f"{next(_numbers)}.sqlite3"
        shutil.copyfile(path, saved)
        return _Snapshot(_file_hash(saved), str(saved))
    schema = f"built_{next(_numbers)}"
    with db.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        for table in _tables(db):
            connection.execute(text(f'CREATE TABLE "{schema}"."{table}" AS TABLE public."{table}"'))
        sequences = tuple((name, value) for name, value in connection.execute(_SEQUENCES))
    return _Snapshot(_postgres_fingerprint(db)[0], schema, sequences)


def _restore(db: Database, snapshot: _Snapshot) -> None:
    if _sqlite(db):
        path = _sqlite_file(db)
        assert path is not None
        shutil.copyfile(snapshot.place, path)
        return
    with db.engine.begin() as connection:
        # As when the tables are emptied for a test (tests/conftest.py): the ledger's refusal to delete and the
        # foreign keys do not fire under the replica role.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.exec_driver_sql(
            "; ".join(
                f'DELETE FROM public."{table}"; INSERT INTO public."{table}" SELECT * FROM "{snapshot.place}"."{table}"'
                for table in _tables(db)
            )
        )
        for name, last_value in snapshot.sequences:
            connection.execute(
                text("SELECT setval(CAST(:name AS regclass), :value, :called)"),
                {"name": f'public."{name}"', "value": last_value or 1, "called": last_value is not None},
            )


# --- SQLite: the file ----------------------------------------------------------------------------------------


def _sqlite(db: Database) -> bool:
    return db.engine.dialect.name == "sqlite"


def _sqlite_file(db: Database) -> Path | None:
    """The database's file with every connection closed, or None while one is still open elsewhere (a test's
    own transaction): under WAL the file alone is then not the whole database."""
    db.dispose()
    path = Path(db.engine.url.database or "")
    return None if Path(f"{path}-wal").exists() else path


def _file_hash(path: Path | str) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


@functools.cache
def _empty_sqlite_hash() -> str:
    from tests.conftest import migrated_sqlite_file  # conftest builds its databases with these builders

    return _file_hash(migrated_sqlite_file())


@functools.cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="clubbot-built-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# --- PostgreSQL: the rows and the sequences --------------------------------------------------------------------

_SEQUENCES = text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")
_tables_by_url: dict[str, tuple[str, ...]] = {}


def _tables(db: Database) -> tuple[str, ...]:
    if db.url not in _tables_by_url:
        names = inspect(db.engine).get_table_names()
        _tables_by_url[db.url] = tuple(sorted(name for name in names if name != "alembic_version"))
    return _tables_by_url[db.url]


def _postgres_fingerprint(db: Database) -> tuple[str, bool]:
    """A hash of every row and id sequence, and whether there is no row at all and no id was ever taken."""
    tables = _tables(db)
    rows = " + ".join(f'(SELECT count(*) FROM public."{table}")' for table in tables)
    hashes = ", ".join(
        f"""(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM public."{table}" t)"""
        for table in tables
    )
    with db.engine.connect() as connection:
        count, content = connection.execute(text(f"SELECT {rows}, md5(concat_ws('|', {hashes}))")).one()
        sequences = tuple((name, value) for name, value in connection.execute(_SEQUENCES))
    empty = count == 0 and all(value is None for _, value in sequences)
    return hashlib.sha1(f"{content}{sequences}".encode()).hexdigest(), empty


_replica_role_by_url: dict[str, bool] = {}


def _may_take_replica_role(db: Database) -> bool:
    """Restoring needs the replica role (a superuser's); without it every builder runs for real."""
    if db.url not in _replica_role_by_url:
        try:
            with db.engine.begin() as connection:
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            _replica_role_by_url[db.url] = True
        except ProgrammingError:
            _replica_role_by_url[db.url] = False
    return _replica_role_by_url[db.url]
