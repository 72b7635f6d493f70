"""Pre-aggregated figures and the data version (what the figure cache keys on).

`FigureCell` holds, per indicator × period × district, the sums a figure is made of (see
`dashboard.services.aggregates`); `DataVersion` is a single row whose `version` every change to
the data behind a figure increases, in the same transaction as the change.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import Base

# The district key of units that belong to no district (province-level units).
NO_DISTRICT = 0


class FigureCell(Base):
    """The contribution of one district's units (or of the units outside any district,
    `district_key` 0) to the figure of one indicator in one period: how many units it expects,
    how many reported, and the sums of their numerators and denominators.

    `num` and `den` sum over the units that reported; `den_all` over all expected units (the
    denominator of indicators whose missing units count as not met). A cell exists only for a
    district with at least one unit the indicator applies to."""

    __tablename__ = "figure_cell"

    indicator_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    period_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("period.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    district_key: so.Mapped[int] = so.mapped_column(sa.Integer, primary_key=True)
    expected: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    reported: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    num: so.Mapped[float | None] = so.mapped_column(sa.Float)
    den: so.Mapped[float | None] = so.mapped_column(sa.Float)
    den_all: so.Mapped[float | None] = so.mapped_column(sa.Float)


class DataVersion(Base):
    """One row (id 1): `version` grows with every change to figures' data; `cells_stale` says
    the figure cells must be rebuilt before they are used (set by the migration that created
    them, cleared by `aggregates.rebuild`)."""

    __tablename__ = "data_version"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=1)
    cells_stale: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
