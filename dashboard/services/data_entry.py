"""The data-entry grid's model: units in a district × value indicators, and back to cells.

`grid_model()` describes the columns (one per input: booleans and counts one, ratios two) and
the rows with the stored values, their versions and which inputs apply to each unit.
`changed_cells()` turns the edited rows back into `values.Cell`s for `values.save_values()`:
a unit × indicator whose inputs were all emptied is a cell to clear.

Numbers are kept in the rows as JSON numbers (the grid formats them for display, vi-VN), what a
user typed as text until the check of the cell turns it into a number (`grid_inputs()`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.i18n import _
from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period
from dashboard.scope import indicator_applies
from dashboard.services.values import Cell


def yes_no(flag: bool | None) -> str:
    """A yes/no input as the grid shows it, in the request's language ("" for none)."""
    if flag is None:
        return ""
    return _("common.yes") if flag else _("common.no")


@dataclass(frozen=True)
class Column:
    field: str  # grid field key
    indicator: str
    part: str  # value, numerator or denominator
    header: str
    value_type: str
    name: str = ""  # the indicator's short name (a ratio's two columns share it)


def columns_for(session: so.Session, period: Period) -> list[Column]:
    """One column per input of each value indicator in force in the period."""
    inds = session.scalars(
        sa.select(Indicator)
        .where(
            Indicator.source == "values",
            scope.indicator_in_force(period.start_date, period.end_date),
        )
        .order_by(Indicator.display_order, Indicator.code)
    )
    out: list[Column] = []
    for ind in inds:
        if ind.value_type == "ratio":
            out.append(
                Column(
                    f"f{len(out)}",
                    ind.code,
                    "numerator",
                    f"{ind.short_name} — {_('common.numerator').lower()}",
                    ind.value_type,
                    ind.short_name,
                )
            )
            out.append(
                Column(
                    f"f{len(out)}",
                    ind.code,
                    "denominator",
                    f"{ind.short_name} — {_('common.denominator').lower()}",
                    ind.value_type,
                    ind.short_name,
                )
            )
        else:
            out.append(
                Column(
                    f"f{len(out)}",
                    ind.code,
                    "value",
                    ind.short_name,
                    ind.value_type,
                    ind.short_name,
                )
            )
    return out


def plain_number(number: float | None) -> int | float | str:
    """A stored number as the grid keeps it: an int when whole (`15085`, never `1.5085e+04`),
    else the float; "" for none."""
    if number is None:
        return ""
    return int(number) if float(number).is_integer() else float(number)


def input_text(value) -> str:
    """A grid input as text for a form field: numbers without grouping (`15085`, `12.5`), so
    that they read the same in every language and parse back to the same number."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(plain_number(value))
    return str(value)


def _cell_text(value: IndicatorValue | None, part: str, value_type: str):
    if value is None:
        return ""
    if value_type == "boolean":
        return yes_no(value.value_bool)
    if part in ("numerator", "denominator"):
        return plain_number(getattr(value, part))
    if value_type == "category":
        return value.value_text or ""
    return plain_number(value.value_num)


def grid_inputs(ind: Indicator, parsed: dict) -> dict:
    """The grid's inputs (by part: value, numerator, denominator) for the column values that
    `values.parse_inputs` returned: numbers as numbers, yes/no as the grid's words."""
    if ind.value_type == "boolean":
        flag = parsed.get("value_bool")
        return {"value": yes_no(flag)}
    if ind.value_type == "ratio":
        return {
            "numerator": plain_number(parsed.get("numerator")),
            "denominator": plain_number(parsed.get("denominator")),
        }
    if ind.value_type == "category":
        return {"value": parsed.get("value_text") or ""}
    return {"value": plain_number(parsed.get("value_num"))}


def grid_model(session: so.Session, district: OrgUnit, period: Period):
    """Columns and rows for the grid. Each row carries `unit_id`, the inputs by field, and the
    private keys `_orig` (stored text by field), `_ver` (stored version by indicator, 0 when
    none), `_app` (fields that apply to the unit) and `_err` (messages by field)."""
    columns = columns_for(session, period)
    inds = {i.code: i for i in session.scalars(sa.select(Indicator))}
    units = scope.units_in_district(session, district, period.count_date)
    stored = {
        (v.unit_id, v.indicator_id): v
        for v in session.scalars(
            sa.select(IndicatorValue).where(
                IndicatorValue.period_id == period.id,
                IndicatorValue.unit_id.in_([u.id for u in units]),
            )
        )
    }
    # Only inputs that apply to at least one unit of the district get a column.
    columns = [
        c for c in columns if any(indicator_applies(inds[c.indicator], unit) for unit in units)
    ]
    rows = []
    for unit in units:
        row = {
            "unit_id": unit.id,
            "row_id": str(unit.id),  # AG Grid row ids are strings
            "code": unit.gso_code,
            "name": unit.name,
            "kind": _(f"kind.{unit.kind}"),
            "_orig": {},
            "_ver": {},
            "_app": [],
            "_err": {},
        }
        for col in columns:
            ind = inds[col.indicator]
            value = stored.get((unit.id, ind.id))
            text = (
                _cell_text(value, col.part, col.value_type) if indicator_applies(ind, unit) else ""
            )
            row[col.field] = text
            row["_orig"][col.field] = text
            if indicator_applies(ind, unit):
                row["_app"].append(col.field)
                row["_ver"][col.indicator] = value.version if value is not None else 0
        rows.append(row)
    return columns, rows


def changed_cells(columns: list[Column], rows: list[dict]) -> list[Cell]:
    """The cells whose inputs differ from what was loaded, one `Cell` per unit × indicator,
    keyed `row index:field` (for a ratio, the numerator's field). A cell whose inputs were all
    emptied (every part, for a ratio) is a `Cell` with `clear`: saving deletes the value."""
    by_indicator: dict[str, list[Column]] = {}
    for col in columns:
        by_indicator.setdefault(col.indicator, []).append(col)
    cells = []
    for index, row in enumerate(rows):
        applicable = set(row.get("_app", []))
        orig = row.get("_orig", {})
        for code, cols in by_indicator.items():
            fields = [c.field for c in cols if c.field in applicable]
            if not fields:
                continue
            if all(_norm(row.get(f)) == _norm(orig.get(f)) for f in fields):
                continue
            raw = {c.part: row.get(c.field) for c in cols}
            cells.append(
                Cell(
                    code,
                    row["unit_id"],
                    raw,
                    row.get("_ver", {}).get(code),
                    key=f"{index}:{fields[0]}",
                    clear=all(_norm(row.get(f)) == "" for f in fields),
                )
            )
    return cells


def _norm(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def is_blank(value) -> bool:
    """Whether a grid input is empty (nothing typed, or only spaces)."""
    return _norm(value) == ""


def count_changes(columns: list[Column], rows: list[dict]) -> tuple[int, int]:
    """How many unit × indicator cells differ from what was loaded, and how many of those
    are to be cleared."""
    cells = changed_cells(columns, rows)
    return len(cells), sum(c.clear for c in cells)


def district_for(session: so.Session, code: str | None, period: Period | None = None):
    """The unit with GSO code `code` that reports in `period` (a district for 2021-2025, a
    commune after the two-tier reform: `scope.find_reporting_unit`), or None when it does not
    report then. Without a period: the district with that code (its latest state)."""
    if period is None:
        return scope.find_district(session, code)
    return scope.find_reporting_unit(session, period, code)
