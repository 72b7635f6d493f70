"""In-app notifications: one row per recipient, rendered in the reader's language."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import Base


class Notification(Base):
    """A message for one user about a district's report of a period (returned with a reason,
    reopened, submitted, approved, deadline approaching). `params` is JSON text for the
    message; `dedupe_key`, when set, makes a reminder idempotent."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_read", "user_id", "read_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    period_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("period.id"))
    params: so.Mapped[str] = so.mapped_column(sa.Text, default="{}")
    created_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    read_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    emailed_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    dedupe_key: so.Mapped[str | None] = so.mapped_column(sa.String(160), unique=True)
