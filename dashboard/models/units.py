"""Administrative levels and units, with validity periods and merge/split links."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import Base

# Kinds of administrative unit (stored as ASCII slugs, shown through the translation catalogue).
UNIT_KINDS = ("tinh", "thanh_pho", "thi_xa", "huyen", "xa", "phuong", "thi_tran")


class Level(Base):
    """A level of the hierarchy (province, district, commune). Levels are data, not code."""

    __tablename__ = "level"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name_vi: so.Mapped[str] = so.mapped_column(sa.String(100))
    rank: so.Mapped[int] = so.mapped_column(sa.Integer, unique=True)


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
    """A merge or split: `predecessor` gave (part of) its territory to `successor` on `date`."""

    __tablename__ = "unit_change"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    date: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    predecessor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    successor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"))
    legal_basis: so.Mapped[str | None] = so.mapped_column(sa.String(200))

    predecessor: so.Mapped[OrgUnit] = so.relationship(foreign_keys=[predecessor_id])
    successor: so.Mapped[OrgUnit] = so.relationship(foreign_keys=[successor_id])
