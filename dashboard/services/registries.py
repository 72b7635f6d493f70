"""Registry rows (cooperatives, linkage models, services, plans, pilots, training events):
listing for tables and exports, and the write commands with validation, policy and audit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import Conflict, NotFound, ValidationError
from dashboard.i18n import _, fmt_date, fmt_number
from dashboard.models import Level, OrgUnit, PilotModel, User
from dashboard.services import audit, pilot_status, tx, workflow
from dashboard.services.parsing import (
    FieldError,
    parse_bool,
    parse_choice,
    parse_date,
    parse_number,
    parse_text,
)
from dashboard.services.registry_specs import CHOICE_PREFIX, REGISTRIES, FieldSpec, RegistrySpec


def get_spec(name: str) -> RegistrySpec:
    spec = REGISTRIES.get(name)
    if spec is None:
        raise ValidationError({"registry": _("validation.unknown_registry")})
    return spec


def display_value(spec_field: FieldSpec, value) -> str | int:
    """A registry field for people: translated choices, Vietnamese dates; whole numbers stay
    numbers (grids sort them and show them with Vietnamese separators, downloads keep them)."""
    if value is None:
        return ""
    if spec_field.kind == "bool":
        return _(f"choice.bool.{str(bool(value)).lower()}")
    if spec_field.kind == "choice":
        return _(f"choice.{CHOICE_PREFIX[spec_field.name]}.{value}")
    if spec_field.kind == "date":
        return fmt_date(value)
    if spec_field.kind == "int":
        return int(value)
    return str(value)


def row_to_display(spec: RegistrySpec, row, day: dt.date | None = None) -> dict:
    """A registry row as labelled, translated cells; a dated field (a pilot's status) as it
    was on `day` (default: today)."""
    day = day or workflow.today_in_vietnam()
    return {
        _(f"field.{f.name}"): display_value(f, spec.value_on(row, f.name, day)) for f in spec.fields
    }


def snapshot(spec: RegistrySpec, row) -> dict:
    data = {f.name: getattr(row, f.name) for f in spec.fields}
    data["unit_id"] = row.unit_id
    return data


def list_rows(session: so.Session, name: str, district_id: int | None = None) -> pd.DataFrame:
    """All rows of a registry (optionally of one district and its communes), newest first.

    Columns: id, unit_id, version, unit, district, then each field's translated label (a dated
    field as it is today), then the history of each dated field (a pilot's decisions)."""
    spec = get_spec(name)
    reg = spec.model
    parent = so.aliased(OrgUnit)
    district_level = session.scalar(sa.select(Level.id).where(Level.code == scope.DISTRICT_LEVEL))
    district_name = scope.district_name(district_level, parent)
    today = workflow.today_in_vietnam()
    stmt = (
        sa.select(reg, OrgUnit.name, district_name)
        .join(OrgUnit, OrgUnit.id == reg.unit_id)
        .outerjoin(parent, parent.id == OrgUnit.parent_id)
        .order_by(getattr(reg, spec.start_col).desc(), reg.id.desc())
    )
    if district_id is not None:
        stmt = stmt.where(scope.within_district(district_id))
    rows = []
    for row, unit_name, dname in session.execute(stmt).all():
        item = {
            "id": row.id,
            "unit_id": row.unit_id,
            "version": row.version,
            _("common.district"): dname or "",
            _("common.unit"): unit_name,
        }
        item.update(row_to_display(spec, row, today))
        for dated in spec.dated.values():
            item[_(dated.history_label)] = dated.history(row)
        rows.append(item)
    columns = ["id", "unit_id", "version", _("common.district"), _("common.unit")] + [
        _(f"field.{f.name}") for f in spec.fields
    ]
    columns += [_(dated.history_label) for dated in spec.dated.values()]
    return pd.DataFrame(rows, columns=columns)


def parse_row(spec: RegistrySpec, data: dict) -> dict:
    """Validate every field of the form (dated fields have their own service); collect all
    errors before raising."""
    errors: dict[str, str] = {}
    out: dict = {}
    for f in spec.form_fields:
        label = _(f"field.{f.name}")
        raw = data.get(f.name)
        try:
            if f.kind == "text":
                out[f.name] = parse_text(raw, label, required=f.required, max_length=f.max_length)
            elif f.kind == "int":
                number = parse_number(raw, label, required=f.required, integer=True)
                out[f.name] = int(number) if number is not None else None
            elif f.kind == "date":
                out[f.name] = parse_date(raw, label, required=f.required)
            elif f.kind == "bool":
                out[f.name] = bool(parse_bool(raw, label, required=False))
            elif f.kind == "choice":
                out[f.name] = parse_choice(raw, label, f.choices, required=f.required)
        except FieldError as exc:
            errors[f.name] = exc.message
    end, start = out.get(spec.end_col or ""), out.get(spec.start_col)
    if not errors and end and start and end < start:
        errors[spec.end_col] = _("validation.date_order")
    if errors:
        raise ValidationError(errors)
    return out


def _unit_for(session: so.Session, spec: RegistrySpec, unit_id) -> OrgUnit:
    try:
        unit = session.get(OrgUnit, int(unit_id)) if unit_id not in (None, "") else None
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        raise ValidationError({"unit_id": _("validation.unknown_unit")})
    return unit


def _check_unit_level(spec: RegistrySpec, unit: OrgUnit) -> None:
    if unit.level.code not in spec.levels:
        raise ValidationError({"unit_id": _("validation.wrong_level")})


def interval(spec: RegistrySpec, data) -> tuple[dt.date | None, dt.date | None]:
    """The days a row (a model instance or parsed values) is in force: (start, end or None)."""
    get = data.get if isinstance(data, dict) else lambda name: getattr(data, name)
    return get(spec.start_col), (get(spec.end_col) if spec.end_col else None)


def _check_lifetime(session: so.Session, spec: RegistrySpec, unit: OrgUnit, values: dict):
    """A row's dates lie within its unit's lifetime."""
    names = filter(None, (spec.start_col, spec.end_col))
    check_lifetime(session, unit, {name: values.get(name) for name in names})


def check_lifetime(session: so.Session, unit: OrgUnit, days: dict[str, dt.date | None]) -> None:
    """Each of `days` (field name → date, None: not given) lies within the unit's lifetime;
    else a `ValidationError` at those fields."""
    first, last = scope.lifetime(session, unit)
    errors: dict[str, str] = {}
    for name, day in days.items():
        if day is None:
            continue
        params = {"field": _(f"field.{name}"), "date": fmt_date(day), "unit": unit.name}
        if first is not None and day < first:
            errors[name] = _("rules.before_unit", start=fmt_date(first), **params)
        elif last is not None and day > last:
            errors[name] = _("rules.after_unit", end=fmt_date(last), **params)
    if errors:
        raise ValidationError(errors)


def _raise_for_locked(session: so.Session, user, unit: OrgUnit, spec: RegistrySpec, data):
    """A row counts in every period it is in force; a submitted or approved report of any of
    those periods locks it (and a new row that would count in them) for editors."""
    start, end = interval(spec, data)
    workflow.raise_for_locked_interval(session, user, unit, start, end)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _current_text(spec: RegistrySpec, row) -> str:
    def text(value) -> str:
        return fmt_number(value) if isinstance(value, int) else str(value)

    return "; ".join(f"{k}: {text(v)}" for k, v in row_to_display(spec, row).items() if v)


def _conflict_message(session: so.Session, spec: RegistrySpec, row_id: int):
    """After a lost race: the row as the winner left it, and who that was."""

    def message() -> str:
        session.expire_all()
        row = session.get(spec.model, row_id)
        if row is None:
            return _("rules.conflict_deleted")
        who = audit.changed_by(session, row.updated_by_id, row.updated_at)
        return _("rules.conflict_by", current=_current_text(spec, row), **who)

    return message


def _raise_for_stale(session: so.Session, spec: RegistrySpec, row, expected_version) -> None:
    """The row must be at the version the user saw (`expected_version`, required)."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("rules.version_required")}) from None
    if row.version != expected:
        raise Conflict(_conflict_message(session, spec, row.id)())


def create_row(session: so.Session, user: User | None, name: str, unit_id, data: dict):
    """Add a row for `unit_id` after checking policy, every field, the unit's lifetime and the
    locks of every period the row would count in."""
    policy.raise_for_write(user)
    spec = get_spec(name)
    unit = _unit_for(session, spec, unit_id)
    policy.raise_for_write_unit(user, unit)
    _check_unit_level(spec, unit)
    values = parse_row(spec, data)
    _check_lifetime(session, spec, unit, values)
    _raise_for_locked(session, user, unit, spec, values)
    with tx.writing(session, lambda: _("validation.conflict")):
        row = spec.model(unit_id=unit.id, is_demo=False, **values)
        row.updated_by_id = user.id
        row.updated_at = _now()
        if isinstance(row, PilotModel):  # a new pilot's history starts with its proposal
            pilot_status.start_history(row, user)
        session.add(row)
        session.flush()
        audit.record(
            session,
            user,
            f"{name}.create",
            name,
            entity_id=row.id,
            unit_id=unit.id,
            after=snapshot(spec, row),
        )
    return row


def _load_row(session: so.Session, spec: RegistrySpec, row_id):
    try:
        row = session.get(spec.model, int(row_id))
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise NotFound(_("validation.unknown_row"))
    return row


def update_row(
    session: so.Session,
    user: User | None,
    name: str,
    row_id,
    unit_id,
    data: dict,
    expected_version,
):
    """Change a row seen at `expected_version`. The user must be allowed to write both its
    current and its new unit, no locked period may fall within its old or new dates, and the
    new dates must lie within the unit's lifetime. A row changed by someone else since is
    refused (`Conflict` naming the current content and who changed it); nothing is saved."""
    policy.raise_for_write(user)
    spec = get_spec(name)
    row = _load_row(session, spec, row_id)
    policy.raise_for_write_unit(user, row.unit)
    unit = _unit_for(session, spec, unit_id)
    policy.raise_for_write_unit(user, unit)
    _check_unit_level(spec, unit)
    values = parse_row(spec, data)
    _check_lifetime(session, spec, unit, values)
    _raise_for_locked(session, user, row.unit, spec, row)
    _raise_for_locked(session, user, unit, spec, values)
    _raise_for_stale(session, spec, row, expected_version)
    if isinstance(row, PilotModel):  # its decisions stay on or after its proposal
        pilot_status.check_proposal_day(row, values.get("proposed_on"))
    before = snapshot(spec, row)
    with tx.writing(session, _conflict_message(session, spec, row.id)):
        if isinstance(row, PilotModel):
            pilot_status.move_proposal(row, row.proposed_on, values["proposed_on"])
        row.unit_id = unit.id
        for key, item in values.items():
            setattr(row, key, item)
        row.updated_by_id = user.id
        row.updated_at = _now()
        row.is_demo = False
        session.flush()
        audit.record(
            session,
            user,
            f"{name}.update",
            name,
            entity_id=row.id,
            unit_id=unit.id,
            before=before,
            after=snapshot(spec, row),
        )
    return row


def delete_row(session: so.Session, user: User | None, name: str, row_id, expected_version):
    """Delete a row seen at `expected_version`, unless a locked period falls within its dates."""
    policy.raise_for_write(user)
    spec = get_spec(name)
    row = _load_row(session, spec, row_id)
    policy.raise_for_write_unit(user, row.unit)
    _raise_for_locked(session, user, row.unit, spec, row)
    _raise_for_stale(session, spec, row, expected_version)
    before = snapshot(spec, row)
    with tx.writing(session, _conflict_message(session, spec, row.id)):
        audit.record(
            session,
            user,
            f"{name}.delete",
            name,
            entity_id=row.id,
            unit_id=row.unit_id,
            before=before,
        )
        session.delete(row)


def row_form_values(session: so.Session, name: str, row_id) -> dict:
    """A row's raw field values as form strings (dates ISO, booleans "true"/"false")."""
    spec = get_spec(name)
    row = _load_row(session, spec, row_id)
    out = {"unit_id": row.unit_id, "version": row.version}
    for f in spec.fields:
        value = getattr(row, f.name)
        if value is None:
            out[f.name] = ""
        elif f.kind == "bool":
            out[f.name] = "true" if value else "false"
        elif f.kind == "date":
            out[f.name] = value.isoformat()
        else:
            out[f.name] = str(value)
    return out


def counts_by(
    session: so.Session,
    name: str,
    column: str,
    *,
    sum_of: str | None = None,
    by_year: bool = False,
    period=None,
    approved_only: bool = False,
) -> list[tuple[str, float]]:
    """Rows (or the sum of a column) grouped by a field, or by the year of the start date.

    With `period`, only rows in force on its count date count, with a dated field (a pilot's
    status) as it was that day; without, as it is today. With `approved_only`, only rows whose
    district's report is approved count: for the period given, or (by year) for the yearly
    period of each row's start date.
    """
    from dashboard.models import OrgUnit, Period, Programme
    from dashboard.services.indicators import approved_clause, district_column

    spec = get_spec(name)
    reg = spec.model
    start = getattr(reg, spec.start_col)
    day = period.count_date if period is not None else workflow.today_in_vietnam()
    key = sa.extract("year", start) if by_year else spec.column_on(column, day)
    measured = getattr(reg, sum_of) if sum_of else reg.id
    stmt = sa.select(key.label("key"), measured.label("measured")).select_from(reg)
    if period is not None and not by_year:
        stmt = stmt.where(spec.valid_on(period.count_date))
    if approved_only:
        stmt = stmt.join(OrgUnit, OrgUnit.id == reg.unit_id)
        if by_year or period is None:
            stmt = stmt.join(
                Period,
                sa.and_(
                    Period.kind == "year", Period.start_date <= start, Period.end_date >= start
                ),
            ).outerjoin(Programme, Programme.id == Period.programme_id)
            stmt = stmt.where(approved_clause(district_column(session)))
        else:
            stmt = stmt.where(approved_clause(district_column(session, period), period.id))
    # grouped outside: a dated field's value is a subquery per row
    counted = stmt.subquery()
    measure = sa.func.sum(counted.c.measured) if sum_of else sa.func.count(counted.c.measured)
    grouped = sa.select(counted.c.key, measure).group_by(counted.c.key).order_by(counted.c.key)
    if not by_year and column in spec.dated:  # rows without a value on that day yet
        grouped = grouped.where(counted.c.key.is_not(None))
    rows = session.execute(grouped).all()
    return [(str(int(k)) if by_year else str(k), float(v or 0)) for k, v in rows]
