"""the 2025 map: a club's province and commune by their official codes

Revision ID: 0016p
Revises: 0015h
Create Date: 2026-12-06 08:40:00

- club.province_code, club.commune_code: the GSO codes (storage.places), indexed, as the combined reports of a
  commune or a province select clubs by them. NULL until the club's places are matched.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016p"
down_revision = "0015h"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("club", sa.Column("province_code", sa.String(length=2), nullable=True))
    op.add_column("club", sa.Column("commune_code", sa.String(length=5), nullable=True))
    op.create_index("ix_club_province_code", "club", ["province_code"])
    op.create_index("ix_club_commune_code", "club", ["commune_code"])


def downgrade() -> None:
    op.drop_index("ix_club_commune_code", table_name="club")
    op.drop_index("ix_club_province_code", table_name="club")
    with op.batch_alter_table("club") as batch:
        batch.drop_column("commune_code")
        batch.drop_column("province_code")
