"""publishing: indicator denominator rule, embeddable chart settings, embed links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "indicator", sa.Column("short_en", sa.String(120), server_default="", nullable=False)
    )
    op.add_column(
        "indicator",
        sa.Column("denominator_rule", sa.String(16), server_default="reported", nullable=False),
    )
    op.create_table(
        "embed_chart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chart_id", sa.String(64), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("locked_params", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_embed_chart_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_embed_chart")),
        sa.UniqueConstraint("chart_id", name=op.f("uq_embed_chart_chart_id")),
    )
    op.create_table(
        "embed_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chart_id", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("last_viewed_at", sa.DateTime(), nullable=True),
        sa.Column("view_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_embed_link_revoked_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_embed_link_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_embed_link")),
    )
    with op.batch_alter_table("embed_link") as batch_op:
        batch_op.create_index(batch_op.f("ix_embed_link_chart_id"), ["chart_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("embed_link") as batch_op:
        batch_op.drop_index(batch_op.f("ix_embed_link_chart_id"))
    op.drop_table("embed_link")
    op.drop_table("embed_chart")
    with op.batch_alter_table("indicator") as batch_op:
        batch_op.drop_column("denominator_rule")
        batch_op.drop_column("short_en")
