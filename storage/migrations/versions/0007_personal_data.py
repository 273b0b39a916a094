"""personal data: a member can be anonymised (birth year and sex may be empty; when it happened)

Revision ID: 0007p
Revises: 0006n
Create Date: 2026-11-23 13:00:00
"""

import re

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007p"
down_revision = "0006n"
branch_labels = None
depends_on = None

NULLABLE_AGAIN = ("birth_year", "sex")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_not_null(required=False)
    else:
        for column in NULLABLE_AGAIN:
            op.alter_column("member", column, nullable=True)
    op.add_column("member", sa.Column("anonymised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("member", "anonymised_at")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_not_null(required=True)
    else:
        for column in NULLABLE_AGAIN:
            op.alter_column("member", column, nullable=False)


def _sqlite_not_null(*, required: bool) -> None:
    """Add or drop NOT NULL on the columns in place, as SQLite's manual describes for NOT NULL constraints
    (https://www.sqlite.org/lang_altertable.html#otheralter). Rebuilding the table instead, as Alembic's
    batch mode would, drops a table that ledger entries and loans point at: with foreign keys on and the
    migration inside one transaction, SQLite refuses that on any database with books in it."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'member'").scalar_one()
    for column in NULLABLE_AGAIN:
        pattern = rf"(\b{column}\b[^,]*?)( NOT NULL)?(,)"
        sql, changed = re.subn(
            pattern, lambda m: m.group(1) + (" NOT NULL" if required else "") + m.group(3), sql, count=1
        )
        if not changed:
            raise RuntimeError(f"member.{column} not found in the table definition")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'member'", (sql,))
    bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
