"""the 2025 map: the clubs registered before it get their places' codes

Revision ID: 0017m
Revises: 0016p
Create Date: 2026-12-06 09:00:00

- club.place_asked_at: when the chair was last asked for the club's place (at registration, from now on). NULL
  for the clubs this migration cannot place: their chair is asked once, at their next message.
- Each club's stored province is matched with storage.places, exactly (folded, the kind of place in front
  dropped), then its commune within that province, exactly; what matched gets its code and its official name.
  A club whose province or commune is not exactly one place keeps NULL codes (`python -m bot clubs --unplaced`).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage import places

revision = "0017m"
down_revision = "0016p"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("club", sa.Column("place_asked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, province, commune FROM club WHERE commune_code IS NULL")).all()
    for club_id, province_text, commune_text in rows:
        province, commune = places.match_stored(province_text or "", commune_text or "")
        if province is None:
            continue
        values = {"id": club_id, "province_code": province.code, "province": province.name}
        if commune is None:
            connection.execute(
                sa.text("UPDATE club SET province_code = :province_code, province = :province WHERE id = :id"), values
            )
        else:
            connection.execute(
                sa.text(
                    "UPDATE club SET province_code = :province_code, province = :province, "
                    "commune_code = :commune_code, commune = :commune WHERE id = :id"
                ),
                {**values, "commune_code": commune.code, "commune": commune.name},
            )


def downgrade() -> None:
    with op.batch_alter_table("club") as batch:
        batch.drop_column("place_asked_at")
