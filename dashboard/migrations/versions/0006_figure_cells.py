"""speed: pre-aggregated figure cells and the data version the figure cache keys on

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "figure_cell",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("district_key", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("reported", sa.Integer(), nullable=False),
        sa.Column("num", sa.Float(), nullable=True),
        sa.Column("den", sa.Float(), nullable=True),
        sa.Column("den_all", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_figure_cell_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["period.id"],
            name=op.f("fk_figure_cell_period_id_period"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "indicator_id", "period_id", "district_key", name=op.f("pk_figure_cell")
        ),
    )
    op.create_index("ix_figure_cell_period_id", "figure_cell", ["period_id"])
    version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("cells_stale", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    # The cells are empty: they are rebuilt by `ntm-dashboard init-db` (figures are computed
    # directly from the records until then).
    op.bulk_insert(version, [{"id": 1, "version": 1, "cells_stale": True}])


def downgrade() -> None:
    op.drop_table("data_version")
    op.drop_index("ix_figure_cell_period_id", table_name="figure_cell")
    op.drop_table("figure_cell")
