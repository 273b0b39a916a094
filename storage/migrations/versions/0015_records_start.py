"""an existing club moves in: the day its books on the bot start

Revision ID: 0015h
Revises: 0014a
Create Date: 2026-12-06 08:00:00

- club.records_start: the day (a month's last) as of which the club's opening balances, members' capital and
  running loans were brought in (storage.history); NULL for a club whose books start on the bot. The opening
  entries themselves are ledger entries of the kind "opening", which needs no change of the schema.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015h"
down_revision = "0014a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("club", sa.Column("records_start", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("club") as batch:
        batch.drop_column("records_start")
