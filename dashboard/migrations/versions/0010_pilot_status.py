"""pilot models' statuses are dated: one row per decision (status, date, decision number)

Each existing pilot gets one row: its current status, dated on its proposal day
(`proposed_on`), since nothing older was recorded. The decision number of those rows is empty
(unknown): the history before this migration is not known, and an editor may record the
decisions with their numbers and dates afterwards. `pilot_model.status` stays, as a copy of the
latest decision's status.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pilot_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_model.id"],
            name=op.f("fk_pilot_status_pilot_id_pilot_model"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_pilot_status_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_status")),
        sa.UniqueConstraint("pilot_id", "decided_on", name="uq_pilot_status_pilot_id_decided_on"),
    )
    with op.batch_alter_table("pilot_status", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_status_pilot_id"), ["pilot_id"], unique=False)

    # One row per existing pilot: its current status from its proposal day, number unknown.
    op.execute(
        "INSERT INTO pilot_status (pilot_id, status, decided_on, decision_number, note, "
        "updated_by_id, updated_at, is_demo) "
        "SELECT id, status, proposed_on, '', NULL, updated_by_id, updated_at, is_demo "
        "FROM pilot_model"
    )
    # The figure cells stay as they are: each pilot's status is the same on every day from
    # its proposal, as the figures counted it before.


def downgrade() -> None:
    with op.batch_alter_table("pilot_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_status_pilot_id"))
    op.drop_table("pilot_status")
