"""report submissions

Revision ID: 0005
Revises: 0004z
Create Date: 2026-11-23 11:27:10.532619
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004z"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reportsubmission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("club_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["club.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("club_id", "period"),
    )
    with op.batch_alter_table("reportsubmission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reportsubmission_period"), ["period"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reportsubmission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reportsubmission_period"))

    op.drop_table("reportsubmission")
