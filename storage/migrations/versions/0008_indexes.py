"""indexes: the reminder job's claimed reminders, the meeting reminders' clubs

Revision ID: 0008i
Revises: 0007p
Create Date: 2026-11-23 13:45:00

Found by bench/pg_explain.py (EXPLAIN ANALYZE of every statement the bot sends, on PostgreSQL):
- every run of the reminder job (every 5 minutes) reads the reminders already claimed for each (kind,
  occasion) it plans, and the unique key of sentreminder starts with club_id, so it read the whole table,
  which grows by about 700,000 rows a year at 6,521 clubs;
- the meeting reminders pick the clubs meeting tomorrow (club.meeting_day).
"""

from alembic import op

revision = "0008i"
down_revision = "0007p"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sentreminder_kind_occasion", "sentreminder", ["kind", "occasion"], unique=False)
    op.create_index(op.f("ix_club_meeting_day"), "club", ["meeting_day"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_club_meeting_day"), table_name="club")
    op.drop_index("ix_sentreminder_kind_occasion", table_name="sentreminder")
