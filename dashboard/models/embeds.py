"""Published charts: per-chart settings and stored embed links (signed, revocable, audited)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import Base


class EmbedChart(Base):
    """The administrator's settings of one embeddable chart (absent row: public, unlocked).

    `private`: the chart is shown only through a signed embed link. `locked_params` (JSON
    object): parameters a public embed of the chart always uses, whatever the query string says.
    """

    __tablename__ = "embed_chart"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    chart_id: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    private: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    locked_params: so.Mapped[str] = so.mapped_column(sa.Text, default="{}")
    updated_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class EmbedLink(Base):
    """One embed link an administrator created: a chart with locked parameters (JSON object),
    an optional expiry, revocable on its own. The token in the link is signed and names this
    row; the row is the authority (a revoked or deleted row refuses the token)."""

    __tablename__ = "embed_link"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    chart_id: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    label: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    params: so.Mapped[str] = so.mapped_column(sa.Text, default="{}")
    expires_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    revoked_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    revoked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    last_viewed_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    view_count: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
