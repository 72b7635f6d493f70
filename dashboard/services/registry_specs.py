"""What each registry holds: its model, fields, choices and validity dates.

The indicator engine, the write commands, the forms and the exports all read these specs, so a
registry is described once.
"""

from __future__ import annotations

from collections.abc import Callable
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
from dashboard.services import pilot_status


@dataclass(frozen=True)
class FieldSpec:
    """One editable column: `kind` is text, int, date, bool or choice."""

    name: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 200


@dataclass(frozen=True)
class DatedField:
    """A field whose value depends on the day (a pilot's status): kept in a dated table by its
    own service, never entered in the registry form, read in SQL or from a loaded row (the
    same rule, `services.pilot_status`)."""

    clause: Callable  # (day) -> SQL: the value on `day` of the spec's model row in the query
    value: Callable  # (row, day) -> the value on `day` of a loaded row
    history: Callable  # (row) -> the dated values of a loaded row, in words
    history_label: str  # the catalogue key of the history's column


@dataclass(frozen=True)
class RegistrySpec:
    name: str
    model: type
    start_col: str
    end_col: str | None
    levels: tuple[str, ...]  # levels of the units a row may belong to
    fields: tuple[FieldSpec, ...]
    conditions: dict[str, sa.ColumnElement[bool] | Callable] = field(default_factory=dict)
    dated: dict[str, DatedField] = field(default_factory=dict)

    @property
    def form_fields(self) -> tuple[FieldSpec, ...]:
        """The fields entered in the registry form (every field but the dated ones)."""
        return tuple(f for f in self.fields if f.name not in self.dated)

    def column_on(self, name: str, day) -> sa.ColumnElement:
        """SQL: field `name` of the row on `day` (a dated field's value then; else the column)."""
        dated = self.dated.get(name)
        return dated.clause(day) if dated is not None else getattr(self.model, name)

    def value_on(self, row, name: str, day):
        """Field `name` of a loaded row on `day` (a dated field's value then; else the
        attribute)."""
        dated = self.dated.get(name)
        return dated.value(row, day) if dated is not None else getattr(row, name)

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
                # the status in force on the count date, not today's (`services.pilot_status`)
                "smart_commune_approved": lambda day: sa.and_(
                    PilotModel.model_type == "smart_commune",
                    pilot_status.approved_on_clause(day),
                ),
            },
            dated={
                "status": DatedField(
                    clause=pilot_status.status_on_clause,
                    value=lambda row, day: pilot_status.status_of(row.decisions, day),
                    history=lambda row: pilot_status.history_text(row.decisions),
                    history_label="pilot_status.history",
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
