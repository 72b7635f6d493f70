"""What each registry holds: its model, fields, choices and validity dates.

The indicator engine, the write commands, the forms and the exports all read these specs, so a
registry is described once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from dashboard.models import (
    Cooperative,
    DigitalService,
    DistrictPlan,
    LinkageModel,
    PilotModel,
    TrainingEvent,
)
from dashboard.models.registries import (
    PILOT_FIELDS,
    PILOT_STATUSES,
    PILOT_TYPES,
    SERVICE_FIELDS,
    TRAINING_AUDIENCES,
    TRAINING_KINDS,
)


@dataclass(frozen=True)
class FieldSpec:
    """One editable column: `kind` is text, int, date, bool or choice."""

    name: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 200


@dataclass(frozen=True)
class RegistrySpec:
    name: str
    model: type
    start_col: str
    end_col: str | None
    levels: tuple[str, ...]  # levels of the units a row may belong to
    fields: tuple[FieldSpec, ...]
    conditions: dict[str, sa.ColumnElement[bool]] = field(default_factory=dict)

    def condition(self, name: str, day) -> sa.ColumnElement[bool]:
        """SQL condition `name` of `conditions` for the figures counted on `day` (a condition
        may depend on the day: a callable taking it)."""
        cond = self.conditions[name]
        return cond(day) if callable(cond) else cond

    def valid_on(self, day) -> sa.ColumnElement[bool]:
        """SQL condition: the row is in force on `day`."""
        start = getattr(self.model, self.start_col)
        if self.end_col is None:
            return start <= day
        end = getattr(self.model, self.end_col)
        return sa.and_(start <= day, sa.or_(end.is_(None), end >= day))


REGISTRIES: dict[str, RegistrySpec] = {
    spec.name: spec
    for spec in (
        RegistrySpec(
            "cooperatives",
            Cooperative,
            "established_on",
            "dissolved_on",
            ("commune",),
            (
                FieldSpec("name", "text"),
                FieldSpec("established_on", "date"),
                FieldSpec("dissolved_on", "date", required=False),
                FieldSpec("members", "int", required=False),
                FieldSpec("applies_digital", "bool"),
                FieldSpec("ecommerce", "bool"),
            ),
            conditions={
                "digital": sa.or_(
                    Cooperative.applies_digital.is_(True), Cooperative.ecommerce.is_(True)
                ),
            },
        ),
        RegistrySpec(
            "linkage_models",
            LinkageModel,
            "started_on",
            "ended_on",
            ("district",),
            (
                FieldSpec("name", "text"),
                FieldSpec("key_products", "text"),
                FieldSpec("raw_material_area", "bool"),
                FieldSpec("applies_digital", "bool"),
                FieldSpec("ecommerce", "bool"),
                FieldSpec("started_on", "date"),
                FieldSpec("ended_on", "date", required=False),
            ),
            conditions={
                "raw_material_area": LinkageModel.raw_material_area.is_(True),
                "applies_digital": LinkageModel.applies_digital.is_(True),
                "digital": sa.or_(
                    LinkageModel.applies_digital.is_(True), LinkageModel.ecommerce.is_(True)
                ),
            },
        ),
        RegistrySpec(
            "digital_services",
            DigitalService,
            "started_on",
            "ended_on",
            ("commune", "district"),
            (
                FieldSpec("name", "text"),
                FieldSpec("field", "choice", choices=SERVICE_FIELDS),
                FieldSpec("started_on", "date"),
                FieldSpec("ended_on", "date", required=False),
            ),
        ),
        RegistrySpec(
            "district_plans",
            DistrictPlan,
            "issued_on",
            None,
            ("district",),
            (
                FieldSpec("document_number", "text", max_length=60),
                FieldSpec("title", "text", max_length=300),
                FieldSpec("issued_on", "date"),
            ),
        ),
        RegistrySpec(
            "pilot_models",
            PilotModel,
            "proposed_on",
            None,
            ("commune", "district"),
            (
                FieldSpec("name", "text"),
                FieldSpec("model_type", "choice", choices=PILOT_TYPES),
                FieldSpec("field", "choice", choices=PILOT_FIELDS),
                FieldSpec("status", "choice", choices=PILOT_STATUSES),
                FieldSpec("proposed_on", "date"),
                FieldSpec("results", "text", required=False, max_length=2000),
            ),
            conditions={
                "smart_commune_approved": sa.and_(
                    PilotModel.model_type == "smart_commune",
                    PilotModel.status.in_(("approved", "implementing", "evaluated")),
                ),
            },
        ),
        RegistrySpec(
            "training_events",
            TrainingEvent,
            "held_on",
            None,
            ("province", "district", "commune"),
            (
                FieldSpec("title", "text", max_length=300),
                FieldSpec("kind", "choice", choices=TRAINING_KINDS),
                FieldSpec("audience", "choice", choices=TRAINING_AUDIENCES),
                FieldSpec("held_on", "date"),
                FieldSpec("participants", "int"),
            ),
        ),
    )
}

# Which field's choices are translated under which catalogue prefix ("choice.<prefix>.<value>").
CHOICE_PREFIX = {
    "field": "field",
    "model_type": "model_type",
    "status": "status",
    "audience": "audience",
    "kind": "kind",
}
