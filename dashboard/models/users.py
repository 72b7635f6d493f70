"""User accounts and the audit trail."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import orm as so

from dashboard.db import Base

ROLES = ("admin", "viewer", "editor", "approver")


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    # Where notifications are also e-mailed when SMTP is configured (optional).
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    # Editors: the district-level unit whose records (and whose communes' records) they may write.
    unit_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    active: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    is_demo: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    last_login_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime, default=dt.datetime.utcnow)
    # Stored in each session at login; a session whose number differs is logged out. Raised by
    # logout and by an administrator's password reset or change of role, scope or active flag.
    session_version: so.Mapped[int] = so.mapped_column(
        sa.Integer, default=0, server_default=sa.text("0")
    )

    unit = so.relationship("OrgUnit", lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def end_sessions(self) -> None:
        """Invalidate every session of this account when the change is flushed (an atomic
        `session_version = session_version + 1` in SQL, safe against concurrent bumps)."""
        self.session_version = User.session_version + 1


class AuditLog(Base):
    """One accepted change: who, when, which unit, what, before → after (JSON text)."""

    __tablename__ = "audit_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime, index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    username: so.Mapped[str] = so.mapped_column(sa.String(64))
    action: so.Mapped[str] = so.mapped_column(sa.String(40))
    entity: so.Mapped[str] = so.mapped_column(sa.String(40))
    entity_id: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    unit_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    indicator_code: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    period_code: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    before: so.Mapped[str | None] = so.mapped_column(sa.Text)
    after: so.Mapped[str | None] = so.mapped_column(sa.Text)
