"""targets by scope (a unit or a commune group) with milestones; commune groups over time

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(8), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.String(300), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_unit.id"], name=op.f("fk_unit_group_unit_id_org_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_group")),
    )
    op.create_index("ix_unit_group_unit", "unit_group", ["unit_id", "valid_from"])

    with op.batch_alter_table("target") as batch:
        batch.add_column(sa.Column("scope_unit_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("commune_group", sa.String(8), nullable=True))
        batch.add_column(sa.Column("scope_key", sa.String(40), nullable=True))
        batch.add_column(sa.Column("milestones", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_target_scope_unit_id_org_unit"), "org_unit", ["scope_unit_id"], ["id"]
        )
        batch.drop_constraint(op.f("uq_target_indicator_id"), type_="unique")

    # Every target stored so far was the province's (set at the level the indicator counts
    # over): it becomes a target scoped to the province unit of its year.
    bind = op.get_bind()
    province = bind.execute(sa.text("SELECT id FROM level WHERE code = 'province'")).scalar()
    rows = bind.execute(sa.text("SELECT id, target_year FROM target")).all()
    for target_id, year in rows:
        unit = bind.execute(
            sa.text(
                "SELECT id FROM org_unit WHERE level_id = :level AND valid_from <= :day "
                "AND (valid_to IS NULL OR valid_to >= :day) ORDER BY valid_from LIMIT 1"
            ),
            {"level": province, "day": f"{year}-01-01"},
        ).scalar()
        if unit is None:  # no province that year: the target cannot stand, drop it
            bind.execute(sa.text("DELETE FROM target WHERE id = :id"), {"id": target_id})
            continue
        bind.execute(
            sa.text(
                "UPDATE target SET level_id = :level, scope_unit_id = :unit, scope_key = :key "
                "WHERE id = :id"
            ),
            {"level": province, "unit": unit, "key": f"unit:{unit}", "id": target_id},
        )

    with op.batch_alter_table("target") as batch:
        batch.alter_column("scope_key", existing_type=sa.String(40), nullable=False)
        batch.create_unique_constraint(
            "uq_target_scope_year", ["indicator_id", "scope_key", "target_year"]
        )


def downgrade() -> None:
    with op.batch_alter_table("target") as batch:
        batch.drop_constraint("uq_target_scope_year", type_="unique")
        batch.drop_constraint(op.f("fk_target_scope_unit_id_org_unit"), type_="foreignkey")
        batch.drop_column("milestones")
        batch.drop_column("scope_key")
        batch.drop_column("commune_group")
        batch.drop_column("scope_unit_id")
        batch.create_unique_constraint(
            op.f("uq_target_indicator_id"), ["indicator_id", "level_id", "target_year"]
        )
    op.drop_index("ix_unit_group_unit", table_name="unit_group")
    op.drop_table("unit_group")
