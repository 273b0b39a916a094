"""borrower sums: each member's loan pay-outs, kept by a trigger

Revision ID: 0011b
Revises: 0010s
Create Date: 2026-11-23 19:10:00

"Members who have ever borrowed" was a count of distinct members over every loan ever made (1.5 million on
the ten-year national dataset) joined to the later entries. One row per member with their pay-outs summed
answers it by member instead (storage/report_sums.py, BorrowerBalance). Existing pay-outs are summed here.
"""

import sqlalchemy as sa
from alembic import op

from storage import report_sums

revision = "0011b"
down_revision = "0010s"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "borrowerbalance",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("lent", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("member_id"),
    )
    report_sums.sum_existing_borrowers(op.get_bind())
    report_sums.create_borrower_triggers(op.get_bind())


def downgrade() -> None:
    report_sums.drop_borrower_triggers(op.get_bind())
    op.drop_table("borrowerbalance")
