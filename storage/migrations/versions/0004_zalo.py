"""zalo: link codes, reminder channels

Revision ID: 0004z
Revises: 0001
Create Date: 2026-11-23 10:57:52.794647
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004z"
down_revision = "0003m"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminderchannel",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "linkcode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("used_by_account", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["used_by_account"],
            ["channelaccount.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkcode_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkcode_user_id"))

    op.drop_table("linkcode")
    op.drop_table("reminderchannel")
