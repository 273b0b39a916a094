"""reviewers of a commune or a province of the 2025 map

Revision ID: 0017a
Revises: 0017m
Create Date: 2026-12-06 08:30:00

- areainvite: the single-use codes the operator makes with `python -m bot reviewer --province ... [--commune ...]`.
- areareviewer: a person reviewing every club of a province, or of one commune of it (by the clubs' codes),
  present and future; read-only.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017a"
down_revision = "0017m"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "areainvite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("commune_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["used_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "areareviewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("commune_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["invite_id"], ["areainvite.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_areareviewer_user_id", "areareviewer", ["user_id"])
    op.create_index("ix_areareviewer_area", "areareviewer", ["province_code", "commune_code"])


def downgrade() -> None:
    op.drop_index("ix_areareviewer_area", table_name="areareviewer")
    op.drop_index("ix_areareviewer_user_id", table_name="areareviewer")
    op.drop_table("areareviewer")
    op.drop_table("areainvite")
