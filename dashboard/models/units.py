"""Administrative levels and units, with validity periods and merge/split links."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import Base

# Kinds of administrative unit (stored as ASCII slugs, shown through the translation catalogue).
UNIT_KINDS = ("tinh", "thanh_pho", "thi_xa", "huyen", "xa", "phuong", "thi_tran")


class Level(Base):
    """A level of the hierarchy (province, district, commune), in use from `valid_from` to
    `valid_to` (inclusive, open if null): the district level ends on 30/6/2025. Levels are
    data, not code."""

    __tablename__ = "level"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name_vi: so.Mapped[str] = so.mapped_column(sa.String(100))
    rank: so.Mapped[int] = so.mapped_column(sa.Integer, unique=True)
    valid_from: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


class OrgUnit(Base):
    """An administrative unit valid from `valid_from` to `valid_to` (inclusive, open if null)."""

    __tablename__ = "org_unit"
    __table_args__ = (
        sa.UniqueConstraint("gso_code", "valid_from", name="uq_org_unit_gso_code_valid_from"),
        sa.Index("ix_org_unit_parent_level", "parent_id", "level_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    level_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("level.id"), index=True)
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    gso_code: so.Mapped[str] = so.mapped_column(sa.String(16), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    valid_from: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)

    level: so.Mapped[Level] = so.relationship(lazy="joined")
    parent: so.Mapped[OrgUnit | None] = so.relationship(remote_side=[id])

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @staticmethod
    def valid_on(day: dt.date) -> sa.ColumnElement[bool]:
        """SQL condition: the unit exists on `day`."""
        return sa.and_(
            OrgUnit.valid_from <= day,
            sa.or_(OrgUnit.valid_to.is_(None), OrgUnit.valid_to >= day),
        )


class UnitChange(Base):
    """A merge, split or rename: `predecessor` gave (part of) its territory to `successor` on
    `date`. `heir`: the successor takes over the predecessor's records from that date (every
    merge and rename; for a split, the one successor named so)."""

    __tablename__ = "unit_change"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    date: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    predecessor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    successor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    legal_basis: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    heir: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True, server_default=sa.true())

    predecessor: so.Mapped[OrgUnit] = so.relationship(foreign_keys=[predecessor_id])
    successor: so.Mapped[OrgUnit] = so.relationship(foreign_keys=[successor_id])


class UnitHeir(Base):
    """Derived from the unit changes (`services.lineage.rebuild`): the records of `unit` count
    for `heir` from `valid_from` to `valid_to` (inclusive, open if null). Every unit is its own
    heir for its lifetime; through each change marked `heir` its records pass to the successor
    (and on, through the successor's own changes). On any day a unit's records count for at
    most one unit."""

    __tablename__ = "unit_heir"
    __table_args__ = (sa.Index("ix_unit_heir_unit", "unit_id", "valid_from"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    unit_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("org_unit.id", ondelete="CASCADE"), index=False
    )
    heir_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("org_unit.id", ondelete="CASCADE"), index=True
    )
    valid_from: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)

    @staticmethod
    def valid_on(day) -> sa.ColumnElement[bool]:
        return sa.and_(
            UnitHeir.valid_from <= day,
            sa.or_(UnitHeir.valid_to.is_(None), UnitHeir.valid_to >= day),
        )


class UnitGroup(Base):
    """A commune's group (nhóm 1, 2, 3 of the 2026-2035 criteria, whose thresholds differ by
    group) from `valid_from` to `valid_to` (inclusive, open if null), set by the office."""

    __tablename__ = "unit_group"
    __table_args__ = (sa.Index("ix_unit_group_unit", "unit_id", "valid_from"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    group_code: so.Mapped[str] = so.mapped_column(sa.String(8))
    valid_from: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    legal_basis: so.Mapped[str] = so.mapped_column(sa.String(300), default="", server_default="")

    unit: so.Mapped[OrgUnit] = so.relationship()

    @staticmethod
    def valid_on(day) -> sa.ColumnElement[bool]:
        return sa.and_(
            UnitGroup.valid_from <= day,
            sa.or_(UnitGroup.valid_to.is_(None), UnitGroup.valid_to >= day),
        )
