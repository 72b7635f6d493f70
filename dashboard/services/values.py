"""Writing indicator values: validate, authorize, then change in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import Conflict, ServiceError, ValidationError
from dashboard.i18n import _, fmt_number
from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period, User
from dashboard.scope import indicator_applies
from dashboard.services import audit, tx, workflow
from dashboard.services.parsing import FieldError, parse_bool, parse_number, parse_text


def snapshot(value: IndicatorValue | None) -> dict | None:
    if value is None:
        return None
    return {
        "value_bool": value.value_bool,
        "value_num": value.value_num,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "value_text": value.value_text,
    }


def _resolve(session: so.Session, indicator_code, unit_id, period_code):
    errors: dict[str, str] = {}
    ind = session.scalar(sa.select(Indicator).where(Indicator.code == str(indicator_code or "")))
    if ind is None:
        errors["indicator"] = _("validation.unknown_indicator")
    elif ind.source != "values":
        errors["indicator"] = _("validation.not_editable")
    period = session.scalar(sa.select(Period).where(Period.code == str(period_code or "")))
    if period is None or period.programme_id is None:
        errors["period"] = _("validation.unknown_period")
        period = None
    elif ind is not None and not scope.in_force(ind, period.start_date, period.end_date):
        errors["period"] = _("validation.indicator_not_in_force", period=period.code)
    unit = None
    try:
        unit = session.get(OrgUnit, int(unit_id)) if unit_id not in (None, "") else None
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        errors["unit"] = _("validation.unknown_unit")
    return ind, unit, period, errors


def parse_inputs(ind: Indicator, raw: dict) -> dict:
    """Turn the raw inputs for `ind` into column values, or raise `ValidationError`."""
    errors: dict[str, str] = {}
    out: dict = {}
    try:
        if ind.value_type == "boolean":
            out["value_bool"] = parse_bool(raw.get("value"), _("edit.value_bool"))
        elif ind.value_type == "ratio":
            num_label = _("edit.numerator") if ind.unit == "hồ sơ" else _("common.numerator")
            den_label = _("edit.denominator") if ind.unit == "hồ sơ" else _("common.denominator")
            try:
                out["numerator"] = parse_number(raw.get("numerator"), num_label, integer=True)
            except FieldError as exc:
                errors["numerator"] = exc.message
            try:
                out["denominator"] = parse_number(raw.get("denominator"), den_label, integer=True)
            except FieldError as exc:
                errors["denominator"] = exc.message
            if "denominator" not in errors and out["denominator"] == 0:
                # 0/0 is no share at all: a unit with nothing to count leaves the cell empty.
                errors["denominator"] = _("values.zero_denominator", field=den_label)
            if not errors and out["numerator"] > out["denominator"]:
                key = (
                    "validation.numerator_gt_denominator"
                    if ind.unit == "hồ sơ"
                    else "validation.share_over_100"
                )
                errors["numerator"] = _(key)
        elif ind.value_type == "category":
            out["value_text"] = parse_text(raw.get("value"), _("common.value"))
        else:
            out["value_num"] = parse_number(
                raw.get("value"), _("edit.value_num"), integer=ind.value_type == "count"
            )
            if ind.rollup != "sum" and out["value_num"] > 100:
                errors["value"] = _("validation.share_over_100")
    except FieldError as exc:
        errors["value"] = exc.message
    if errors:
        raise ValidationError(errors)
    return out


@dataclass
class Cell:
    """One value to write: the indicator, unit, raw inputs and the version the user loaded
    (0: the user saw no value; None: no check for concurrent changes).

    With `clear`, the cell's stored value is deleted instead (`raw` is ignored): the unit then
    counts as not reported for the indicator. Blank inputs without `clear` are refused as
    missing, so an empty input never deletes anything by accident."""

    indicator_code: str
    unit_id: int | str
    raw: dict
    expected_version: int | None = None
    key: str = ""  # how the caller names the cell (grid row/column, sheet cell)
    clear: bool = False


@dataclass
class CellError:
    key: str
    field: str
    message: str


class BatchError(ValidationError):
    """Some cells were refused; nothing was written. `cell_errors` lists every problem."""

    def __init__(self, cell_errors: list[CellError]):
        super().__init__({e.key + ":" + e.field: e.message for e in cell_errors})
        self.cell_errors = cell_errors


def _prepare(session: so.Session, user: User, cell: Cell, period_code: str, need_version: bool):
    """Resolve, authorize, check locks and validate one cell; return what to write (`columns`
    is None for a cell to clear)."""
    ind, unit, period, errors = _resolve(session, cell.indicator_code, cell.unit_id, period_code)
    if unit is not None:
        policy.raise_for_write_unit(user, unit, period.count_date if period else None)
    version = cell.expected_version
    well_formed = isinstance(version, int) and not isinstance(version, bool) and version >= 0
    if (version is not None or need_version) and not well_formed:
        errors["version"] = _("rules.version_required")
    if errors:
        raise ValidationError(errors)
    if not unit.is_valid_on(period.count_date):
        raise ValidationError({"unit": _("validation.unit_not_valid")})
    if not indicator_applies(ind, unit):
        raise ValidationError({"unit": _("validation.wrong_level")})
    workflow.raise_for_locked(session, user, unit, period)
    columns = None if cell.clear else parse_inputs(ind, cell.raw)
    value = stored(session, ind.id, unit.id, period.id)
    stored_version = value.version if value is not None else 0
    if cell.expected_version is not None and stored_version != cell.expected_version:
        raise Conflict(_stale_message(session, ind, value))
    return ind, unit, period, columns, value


def stored(session: so.Session, indicator_id: int, unit_id, period_id: int):
    """The stored value of one cell, or None."""
    return session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.unit_id == unit_id,
            IndicatorValue.period_id == period_id,
        )
    )


def _stale_message(session: so.Session, ind: Indicator, value: IndicatorValue | None) -> str:
    """The value as it is now and who changed it, for a user who saw an older one."""
    if value is None:
        return _("rules.conflict_deleted")
    who = audit.changed_by(session, value.updated_by_id, value.updated_at)
    return _("rules.conflict_by", current=display_value(ind, value), **who)


def display_value(ind: Indicator, value: IndicatorValue | None) -> str:
    """A stored value as the user reads it (`Đạt`, `1.200/2.000`, `12`)."""
    if value is None:
        return _("common.none")
    if ind.value_type == "boolean":
        if value.value_bool is None:
            return _("common.none")
        return _("common.yes") if value.value_bool else _("common.no")
    if ind.value_type == "ratio":
        return f"{fmt_number(value.numerator)}/{fmt_number(value.denominator)}"
    if ind.value_type == "category":
        return value.value_text or _("common.none")
    return fmt_number(value.value_num)


def save_values(
    session: so.Session,
    user: User | None,
    period_code: str,
    cells: list[Cell],
    require_versions: bool = False,
) -> dict[str, int]:
    """Write many values in one transaction, or none.

    Every cell is checked (policy, lock, input, version) before anything is written; if any
    cell fails, `BatchError` lists all failures and the database is unchanged. Cells equal to
    what is stored are skipped, so saving the same input twice changes nothing the second time.
    A cell with `clear` deletes the stored value (audited as `value.clear`) and counts as
    written; clearing a cell that holds nothing counts as unchanged.
    With `require_versions` (every path where a person saw the values: the grid, the Excel
    template) a cell without the version its user saw is refused too.
    Returns counts: written, unchanged."""
    counts, _values = _save(
        session, user, period_code, cells, collect=True, need_version=require_versions
    )
    return counts


def _save(session, user, period_code: str, cells: list[Cell], *, collect: bool, need_version=False):
    """`save_values`, also returning the stored values; with `collect=False` the first failure
    is raised as it is (a `PermissionDenied` stays a 403) instead of a `BatchError`."""
    policy.raise_for_write(user)
    prepared = []
    problems: list[CellError] = []
    for cell in cells:
        try:
            prepared.append(_prepare(session, user, cell, period_code, need_version))
        except ServiceError as exc:
            if not collect:
                session.rollback()
                raise
            if isinstance(exc, ValidationError):
                problems += [CellError(cell.key, f, m) for f, m in exc.errors.items()]
            else:
                problems.append(CellError(cell.key, "value", exc.message))
    if problems:
        session.rollback()
        raise BatchError(problems)
    written = unchanged = 0
    saved = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    seen = [
        (ind, unit.id, period.id, v.version if v else 0) for ind, unit, period, _c, v in prepared
    ]
    with tx.writing(session, lambda: _race_message(session, seen)):
        for ind, unit, period, columns, value in prepared:
            if columns is None:  # clear
                if value is None:
                    unchanged += 1
                else:
                    _delete(session, user, ind, unit, period, value)
                    written += 1
                saved.append(None)
                continue
            if value is not None and all(getattr(value, k) == v for k, v in columns.items()):
                unchanged += 1
                saved.append(value)
                continue
            before = snapshot(value)
            if value is None:
                value = IndicatorValue(indicator=ind, unit_id=unit.id, period=period)
                session.add(value)
            for key, item in columns.items():
                setattr(value, key, item)
            value.updated_by_id = user.id
            value.updated_at = now
            value.is_demo = False
            session.flush()
            audit.record(
                session,
                user,
                "value.set",
                "indicator_value",
                entity_id=value.id,
                unit_id=unit.id,
                indicator_code=ind.code,
                period_code=period.code,
                before=before,
                after=snapshot(value),
            )
            written += 1
            saved.append(value)
    return {"written": written, "unchanged": unchanged}, saved


def _delete(session, user, ind: Indicator, unit: OrgUnit, period: Period, value) -> None:
    """Delete a stored value, audited with what it was. The delete is checked against the
    version read (a concurrent change makes it a `StaleDataError`, hence a `Conflict`)."""
    before = snapshot(value)
    value_id = value.id
    session.delete(value)
    session.flush()
    audit.record(
        session,
        user,
        "value.clear",
        "indicator_value",
        entity_id=value_id,
        unit_id=unit.id,
        indicator_code=ind.code,
        period_code=period.code,
        before=before,
        after=None,
    )


def _race_message(session: so.Session, seen: list[tuple]) -> str:
    """After losing a race (someone saved one of the same cells at the same moment): the
    first cell whose stored version is no longer the one this save read, as it is now."""
    session.expire_all()
    for ind, unit_id, period_id, version in seen:
        now = stored(session, ind.id, unit_id, period_id)
        if (now.version if now else 0) != version:
            return _stale_message(session, ind, now)
    return _("validation.conflict")


def set_value(
    session: so.Session,
    user: User | None,
    *,
    indicator_code: str,
    unit_id: int | str,
    period_code: str,
    raw: dict,
    expected_version: int | None = None,
    require_version: bool = False,
) -> IndicatorValue:
    """Create or change one value. Checks, in order: the indicator, period and unit exist and
    fit together; the user may write the unit (policy); the district's report is not locked;
    the input is valid; the value was not changed by someone else since `expected_version`.
    Commits, with an audit row, or changes nothing and raises."""
    cell = Cell(indicator_code, unit_id, raw, expected_version)
    _counts, saved = _save(
        session, user, period_code, [cell], collect=False, need_version=require_version
    )
    return saved[0]


def clear_value(
    session: so.Session,
    user: User | None,
    *,
    indicator_code: str,
    unit_id: int | str,
    period_code: str,
    expected_version: int | None,
) -> bool:
    """Delete one stored value: the unit then counts as not reported for the indicator. The
    same checks as `set_value` (policy, scope, lock, the unit and indicator fit the period)
    and the version the user saw is required (a stale one is a `Conflict` with the current
    value). Commits, with an audit row (`value.clear`, the value before, nothing after).
    Returns whether a value was deleted (False: nothing was stored and nothing was seen)."""
    cell = Cell(indicator_code, unit_id, {}, expected_version, clear=True)
    counts, _saved = _save(session, user, period_code, [cell], collect=False, need_version=True)
    return counts["written"] == 1
