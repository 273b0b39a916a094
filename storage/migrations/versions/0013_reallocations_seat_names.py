"""re-allocated repayments and the full name on a board seat

Revision ID: 0013r
Revises: 0012u
Create Date: 2026-12-06 02:10:00

- ledgerentry.reallocates_entry_id: a repayment written again with its fee/principal split redone after an
  earlier entry of its loan was reversed (or a repayment was back-dated before it). The old entry is reversed,
  the new one points at the first entry of that payment, so the payment keeps its place among its loan's
  payments however often it is re-allocated.
- boardseat.full_name: the name the person signs reports with, asked once; chat display names are nicknames.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013r"
down_revision = "0012u"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledgerentry", sa.Column("reallocates_entry_id", sa.Integer(), nullable=True))
    op.create_index("ix_ledgerentry_reallocates_entry_id", "ledgerentry", ["reallocates_entry_id"])
    op.add_column("boardseat", sa.Column("full_name", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("boardseat", "full_name")
    op.drop_index("ix_ledgerentry_reallocates_entry_id", table_name="ledgerentry")
    op.drop_column("ledgerentry", "reallocates_entry_id")
