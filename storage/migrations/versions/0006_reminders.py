"""reminders: sent reminders (exactly once), personal and club settings, deadline recipients

Revision ID: 0006n
Revises: 0005
Create Date: 2026-11-23 12:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006n"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminderpreference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Boolean(), nullable=False),
        sa.Column("meeting", sa.Boolean(), nullable=False),
        sa.Column("instalments", sa.Boolean(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "sentreminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("occasion", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("delivered", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("blocked", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scheduled_for", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("club_id", "kind", "occasion", "offset_days", "user_id", name="uq_sentreminder_key"),
    )
    op.create_index("ix_sentreminder_status_next", "sentreminder", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_sentreminder_user_id"), "sentreminder", ["user_id"], unique=False)
    op.create_table(
        "clubremindersettings",
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.Column("offsets", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["club.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("club_id"),
    )
    op.create_table(
        "deadlinerecipient",
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["club.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("club_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("deadlinerecipient")
    op.drop_table("clubremindersettings")
    op.drop_index(op.f("ix_sentreminder_user_id"), table_name="sentreminder")
    op.drop_index("ix_sentreminder_status_next", table_name="sentreminder")
    op.drop_table("sentreminder")
    op.drop_table("reminderpreference")
