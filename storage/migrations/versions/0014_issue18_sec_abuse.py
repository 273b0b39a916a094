"""limits on flooding: wrong codes and bursts of messages

Revision ID: 0014a
Revises: 0013r
Create Date: 2026-12-06 02:55:00

- wrongcode: each invite or link code someone typed that matched nothing, kept an hour, so a person can
  guess at most 5 codes an hour.
- chatburst: per chat, how many messages came since its burst window started, so a flood is answered once
  and then dropped (the same limit in every process).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014a"
down_revision = "0013r"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wrongcode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wrongcode_user_id", "wrongcode", ["user_id"])
    op.create_table(
        "chatburst",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("window_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("told", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id"),
    )


def downgrade() -> None:
    op.drop_table("chatburst")
    op.drop_index("ix_wrongcode_user_id", table_name="wrongcode")
    op.drop_table("wrongcode")
