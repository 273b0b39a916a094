"""speaking like a neighbour: how the bot calls each person, and the commands they use most

Revision ID: 0019u
Revises: 0017a
Create Date: 2026-12-06 18:00:00

- user.address: "bac", "anh", "chi" or "ban", the word the Vietnamese texts call the person by instead of "ban";
  NULL until they are asked (at registration or when joining a board), which reads as "ban".
- commanduse: how many times a person started each command (one row per person and command), so that /menu
  shows their most used first.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019u"
down_revision = "0017a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
    op.create_table(
        "commanduse",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("command", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("user_id", "command"),
    )


def downgrade() -> None:
    op.drop_table("commanduse")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("address")
