"""unsent replies: each conversation keeps the replies to its last update until its next

Revision ID: 0012u
Revises: 0011b
Create Date: 2026-12-02 12:40:00

A process killed after an update's transaction committed but before its replies went out left the person
without the "saved" answer: Telegram hands the update over again, and it was dropped as already handled.
The replies are now written with the transaction, so the redelivery can send them (storage/processes.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012u"
down_revision = "0011b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversation", sa.Column("unsent", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    op.drop_column("conversation", "unsent")
