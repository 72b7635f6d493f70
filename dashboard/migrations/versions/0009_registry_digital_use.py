"""cooperatives and linkage models record digital-technology and e-commerce use

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cooperative") as batch:
        batch.add_column(
            sa.Column("applies_digital", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("ecommerce", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("linkage_model") as batch:
        batch.add_column(
            sa.Column("ecommerce", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("linkage_model") as batch:
        batch.drop_column("ecommerce")
    with op.batch_alter_table("cooperative") as batch:
        batch.drop_column("ecommerce")
        batch.drop_column("applies_digital")
