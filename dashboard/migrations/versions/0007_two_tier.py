"""two-tier units: levels with validity, programmes, periods' count date, heirs of units

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("level") as batch:
        batch.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name_vi", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False),
        sa.Column("legal_basis", sa.String(300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("reporting_level_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporting_level_id"],
            ["level.id"],
            name=op.f("fk_programme_reporting_level_id_level"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    with op.batch_alter_table("period") as batch:
        batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("counted_on", sa.Date(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_period_programme_id_programme"), "programme", ["programme_id"], ["id"]
        )
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_indicator_programme_id_programme"), "programme", ["programme_id"], ["id"]
        )
    with op.batch_alter_table("unit_change") as batch:
        batch.add_column(sa.Column("heir", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        "unit_heir",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("heir_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
            name=op.f("fk_unit_heir_unit_id_org_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["heir_id"],
            ["org_unit.id"],
            name=op.f("fk_unit_heir_heir_id_org_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_heir")),
    )
    op.create_index("ix_unit_heir_unit", "unit_heir", ["unit_id", "valid_from"])
    op.create_index("ix_unit_heir_heir_id", "unit_heir", ["heir_id"])
    # What is counted depends on the new structure: the cells are rebuilt by `init-db`.
    op.execute("UPDATE data_version SET cells_stale = TRUE")


def downgrade() -> None:
    op.drop_index("ix_unit_heir_heir_id", table_name="unit_heir")
    op.drop_index("ix_unit_heir_unit", table_name="unit_heir")
    op.drop_table("unit_heir")
    with op.batch_alter_table("unit_change") as batch:
        batch.drop_column("heir")
    with op.batch_alter_table("indicator") as batch:
        batch.drop_constraint(op.f("fk_indicator_programme_id_programme"), type_="foreignkey")
        batch.drop_column("programme_id")
    with op.batch_alter_table("period") as batch:
        batch.drop_constraint(op.f("fk_period_programme_id_programme"), type_="foreignkey")
        batch.drop_column("counted_on")
        batch.drop_column("programme_id")
    op.drop_table("programme")
    with op.batch_alter_table("level") as batch:
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")
