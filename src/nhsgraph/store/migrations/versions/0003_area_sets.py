"""The small areas (LSOAs) each body holds in an ONS lookup release: ``area_set``, one row
per body and release, for the crosswalk's LSOA weight (issue 17). Additive.

Revision ID: 0003_area_sets
Revises: 0002_datasette_fts
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_area_sets"
down_revision = "0002_datasette_fts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "area_set",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(200), sa.ForeignKey("source.id"), nullable=False),
        sa.Column("area", sa.String(10), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("body_id", sa.String(200), nullable=False),
        sa.Column("valid_on", sa.Date, nullable=False),
        sa.Column("areas_count", sa.Integer, nullable=False),
        sa.Column("areas", sa.Text, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("source_id", "level", "body_id", name="uq_area_set"),
    )
    op.create_index("ix_area_set_body", "area_set", ["body_id", "area"])


def downgrade() -> None:
    op.drop_index("ix_area_set_body", "area_set")
    op.drop_table("area_set")
