"""Writing indicator values: validate, authorize, then change in one transaction, audited."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.auth import policy
from dashboard.i18n import _
from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period, User
from dashboard.services import audit
from dashboard.services.errors import Conflict, ValidationError
from dashboard.services.parsing import FieldError, parse_bool, parse_number, parse_text
from dashboard.services.reference import PROGRAMME_END, PROGRAMME_START


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
    if period is None or period.start_date < PROGRAMME_START or period.end_date > PROGRAMME_END:
        errors["period"] = _("validation.unknown_period")
        period = None
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


def set_value(
    session: so.Session,
    user: User | None,
    *,
    indicator_code: str,
    unit_id: int | str,
    period_code: str,
    raw: dict,
    expected_version: int | None = None,
) -> IndicatorValue:
    """Create or change one value. Checks, in order: the indicator, period and unit exist and
    fit together; the user may write the unit (policy); the input is valid; the value was not
    changed by someone else since `expected_version`. Commits, with an audit row, or changes
    nothing and raises."""
    policy.raise_for_write(user)
    ind, unit, period, errors = _resolve(session, indicator_code, unit_id, period_code)
    if unit is not None:
        policy.raise_for_write_unit(user, unit)
    if errors:
        raise ValidationError(errors)
    if not unit.is_valid_on(period.end_date):
        raise ValidationError({"unit": _("validation.unit_not_valid")})
    if unit.level_id != ind.level_id or (ind.kinds and unit.kind not in ind.kinds):
        raise ValidationError({"unit": _("validation.wrong_level")})
    columns = parse_inputs(ind, raw)

    value = session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.unit_id == unit.id,
            IndicatorValue.period_id == period.id,
        )
    )
    if expected_version is not None and value is not None and value.version != expected_version:
        raise Conflict(_("validation.conflict"))
    before = snapshot(value)
    if value is None:
        value = IndicatorValue(indicator=ind, unit_id=unit.id, period=period, is_demo=False)
        session.add(value)
    for key, item in columns.items():
        setattr(value, key, item)
    value.updated_by_id = user.id
    value.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    value.is_demo = False
    try:
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
        session.commit()
    except so.exc.StaleDataError:
        session.rollback()
        raise Conflict(_("validation.conflict")) from None
    except Exception:
        session.rollback()
        raise
    return value
