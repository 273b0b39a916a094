"""report sums: ledger per club, fund, kind and month; each loan's entries; kept by triggers

Revision ID: 0009r
Revises: 0008i
Create Date: 2026-11-23 13:30:00

The national report read every ledger entry of ten years (about 72 million rows) several times. The two
tables made here hold the same sums, added to by a trigger on every new ledger entry in the same
transaction, so they are exact by construction: the ledger is append-only (enforced by the triggers too)
and a reversal is a new entry with negated amounts (storage/report_sums.py). Existing entries are summed
once here.

A later migration that rebuilds ledgerentry (SQLite batch mode copies the table and drops the old one,
triggers included) must create the triggers again.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage import report_sums

revision = "0009r"
down_revision = "0008i"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledgermonth",
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.Column("fund", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("interest", sa.BigInteger(), nullable=False),
        sa.Column("outside", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("club_id", "fund", "kind", "month"),
    )
    op.create_table(
        "loanbalance",
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("lent", sa.BigInteger(), nullable=False),
        sa.Column("owed", sa.BigInteger(), nullable=False),
        sa.Column("repaid", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("loan_id"),
    )
    op.create_index(op.f("ix_loanbalance_club_id"), "loanbalance", ["club_id"], unique=False)
    op.create_index(
        "ix_ledgerentry_loan_entry_date",
        "ledgerentry",
        ["entry_date"],
        unique=False,
        postgresql_where=sa.text("loan_id IS NOT NULL"),
        sqlite_where=sa.text("loan_id IS NOT NULL"),
    )
    report_sums.sum_existing_entries(op.get_bind())
    report_sums.create_triggers(op.get_bind())


def downgrade() -> None:
    report_sums.drop_triggers(op.get_bind())
    op.drop_index("ix_ledgerentry_loan_entry_date", table_name="ledgerentry")
    op.drop_index(op.f("ix_loanbalance_club_id"), table_name="loanbalance")
    op.drop_table("loanbalance")
    op.drop_table("ledgermonth")
