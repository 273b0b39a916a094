"""schedule facts with each loan's sums: instalments' total and last due date, kept by a trigger

Revision ID: 0010s
Revises: 0009r
Create Date: 2026-11-23 14:50:00

The report's arrears joined every open loan to its instalments due by the report's last day (14 million
rows on the ten-year national dataset). With each loan's schedule total and last due date on its loanbalance
row, a loan whose whole schedule fell due before that day needs no instalment rows: what was due is the
whole total. The facts of existing loans are computed here in one UPDATE; a trigger on loaninstalment adds
every new instalment (storage/report_sums.py). Schedules are written once, with their loan, never changed.
"""

import sqlalchemy as sa
from alembic import op

from storage import report_sums

revision = "0010s"
down_revision = "0009r"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("loanbalance", sa.Column("scheduled", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("loanbalance", sa.Column("last_due", sa.Date(), nullable=True))
    report_sums.sum_existing_schedules(op.get_bind())
    report_sums.create_schedule_triggers(op.get_bind())


def downgrade() -> None:
    report_sums.drop_schedule_triggers(op.get_bind())
    op.drop_column("loanbalance", "last_due")
    op.drop_column("loanbalance", "scheduled")
