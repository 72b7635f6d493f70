"""Registries: where the programme counts things rather than numbers.

Each row belongs to one unit and has a validity (from a date, optionally to a date); a figure for
a period counts the rows valid at the period's end.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import Base

SERVICE_FIELDS = (
    "health",
    "education",
    "community_monitoring",
    "security_order",
    "environment",
    "culture",
)
PILOT_FIELDS = (
    "production_economy",
    "education",
    "culture",
    "tourism",
    "environment",
    "security_order",
)
PILOT_TYPES = ("smart_commune", "smart_village")
PILOT_STATUSES = ("proposed", "approved", "implementing", "evaluated")
TRAINING_AUDIENCES = ("state_agency", "ntm_cadre", "residents")
TRAINING_KINDS = ("training", "conference", "communication")


class RegistryMixin:
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    is_demo: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    @so.declared_attr
    def unit(cls):
        return so.relationship("OrgUnit")

    @so.declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


class Cooperative(RegistryMixin, Base):
    """A cooperative (hợp tác xã) registered in a commune."""

    __tablename__ = "cooperative"

    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    established_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    dissolved_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    members: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    # digital technology in production, management or traceability; selling on e-commerce
    applies_digital: so.Mapped[bool] = so.mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    ecommerce: so.Mapped[bool] = so.mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )


class LinkageModel(RegistryMixin, Base):
    """A production-linkage model of a district tied to consumption of key farm products."""

    __tablename__ = "linkage_model"

    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    key_products: so.Mapped[str] = so.mapped_column(sa.String(200))
    raw_material_area: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    applies_digital: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    ecommerce: so.Mapped[bool] = so.mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    started_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    ended_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)


class DigitalService(RegistryMixin, Base):
    """An essential digital service provided by a commune or district in one of six fields."""

    __tablename__ = "digital_service"

    field: so.Mapped[str] = so.mapped_column(sa.String(32))
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    started_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    ended_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)


class DistrictPlan(RegistryMixin, Base):
    """A district's own plan for the programme (document number and date)."""

    __tablename__ = "district_plan"

    document_number: so.Mapped[str] = so.mapped_column(sa.String(60))
    issued_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))


class PilotModel(RegistryMixin, Base):
    """A pilot smart commune or village in one of six fields.

    Its status is dated: each decision is a `PilotStatus` row, and the status on a day is the
    latest decided on or before it (`services.pilot_status`, the one reader). `status` is a
    copy of the latest decision's, kept in step by that service."""

    __tablename__ = "pilot_model"

    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    model_type: so.Mapped[str] = so.mapped_column(sa.String(20))
    field: so.Mapped[str] = so.mapped_column(sa.String(32))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="proposed")
    proposed_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    results: so.Mapped[str | None] = so.mapped_column(sa.Text)

    decisions: so.Mapped[list[PilotStatus]] = so.relationship(
        back_populates="pilot",
        order_by="PilotStatus.decided_on",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )


class PilotStatus(Base):
    """A pilot's status from a day on: the decision that set it (number and date; a proposal
    may have no number)."""

    __tablename__ = "pilot_status"
    __table_args__ = (
        sa.UniqueConstraint("pilot_id", "decided_on", name="uq_pilot_status_pilot_id_decided_on"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    pilot_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("pilot_model.id", ondelete="CASCADE"), index=True
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(16))
    decided_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    decision_number: so.Mapped[str] = so.mapped_column(sa.String(60), default="")
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    is_demo: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)

    pilot: so.Mapped[PilotModel] = so.relationship(back_populates="decisions")


class TrainingEvent(RegistryMixin, Base):
    """A training course, conference or communication event."""

    __tablename__ = "training_event"

    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), default="training")
    held_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    audience: so.Mapped[str] = so.mapped_column(sa.String(20))
    participants: so.Mapped[int] = so.mapped_column(sa.Integer)
