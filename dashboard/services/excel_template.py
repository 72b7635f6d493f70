"""The Excel template a district fills in: layout, prefilled values and the hidden `_mau` sheet.

`build_template` writes one row per unit of the district valid at the period's end and one input
column per value-indicator field, prefilled with the stored values; cells that do not apply to a
unit are grey and locked. The very hidden, protected sheet `_mau` records the template version,
district, period, which column holds which indicator field, which row holds which unit, the
values the template was prefilled with and, per unit × indicator that applies, the version of the
stored value (0 when nothing was stored) so that an upload can tell a stale cell.

Every text the template writes is inert: a category value or a name starting with `=` is stored
as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import sqlalchemy as sa
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import ValidationError
from dashboard.i18n import _
from dashboard.inert import TRIGGERS, xlsx_clean
from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period, User

TEMPLATE_VERSION = "NTM-NHAP-LIEU-2"
DATA_SHEET = "Số liệu"
META_SHEET = "_mau"
HELP_SHEET = "Hướng dẫn"

TITLE_ROW = 1
HEADER_ROW = 2
CODE_ROW = 3
FIRST_DATA_ROW = 4
FIRST_INPUT_COLUMN = 4  # D: after GSO code, unit name and kind
FIELDS = {"boolean": ("value",), "ratio": ("numerator", "denominator")}  # others: ("value",)

GREY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


# --- shared with the upload -------------------------------------------------------------------


def fields(ind: Indicator) -> tuple[str, ...]:
    """The input fields of an indicator, in column order."""
    return FIELDS.get(ind.value_type, ("value",))


def find_period(session: so.Session, code) -> Period | None:
    """A period of a programme with this code, or None."""
    period = session.scalar(sa.select(Period).where(Period.code == str(code or "")))
    if period is None or period.programme_id is None:
        return None
    return period


def code_text(value) -> str:
    """A GSO code cell as text (`23590` typed as a number reads as `23590`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def put(ws, row: int, column: int, value):
    """Write `value` into a cell; text is always stored as text (never a formula), and text that
    looks like a formula also gets Excel's quote prefix so that editing it keeps it text."""
    cell = ws.cell(row, column)
    value = xlsx_clean(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(TRIGGERS):
            cell.quotePrefix = True
    return cell


# --- what goes into the template --------------------------------------------------------------


def _indicators(session: so.Session, period: Period, units: list[OrgUnit]) -> list[Indicator]:
    """Value indicators in force in the period that apply to at least one of `units`."""
    stmt = (
        sa.select(Indicator)
        .where(
            Indicator.source == "values",
            scope.indicator_in_force(period.start_date, period.end_date),
        )
        .order_by(Indicator.display_order, Indicator.code)
    )
    return [i for i in session.scalars(stmt) if any(scope.indicator_applies(i, u) for u in units)]


def _column_label(ind: Indicator, field_name: str) -> str:
    if field_name == "value":
        return ind.short_vi
    dossier = ind.unit == "hồ sơ"
    key = f"excel.col.{field_name}" + ("_dossier" if dossier else "")
    return _(key, name=ind.short_vi)


def _prefill(ind: Indicator, field_name: str, value: IndicatorValue | None):
    """The value written into a template cell for what is stored (None: leave empty)."""
    if value is None:
        return None
    if ind.value_type == "boolean":
        if value.value_bool is None:
            return None
        return _("common.yes") if value.value_bool else _("common.no")
    if ind.value_type == "category":
        return value.value_text
    number = getattr(value, field_name) if ind.value_type == "ratio" else value.value_num
    if number is None:
        return None
    return int(number) if float(number).is_integer() else float(number)


def _validations() -> dict[str, DataValidation]:
    title = _("excel.dv.title")
    bool_list = '"{},{}"'.format(_("common.yes"), _("common.no"))
    made = {
        "boolean": DataValidation(type="list", formula1=bool_list, error=_("excel.dv.bool")),
        "whole": DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", error=_("excel.dv.whole")
        ),
        "text": DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1="200", error=_("excel.dv.text")
        ),
    }
    for dv in made.values():
        dv.allow_blank = True
        dv.showErrorMessage = True
        dv.errorTitle = title
    return made


def _validation_kind(ind: Indicator) -> str | None:
    if ind.value_type == "boolean":
        return "boolean"
    if ind.value_type == "category":
        return "text"
    if ind.value_type in ("ratio", "count"):
        return "whole"
    return None  # other numbers: no Excel rule, the server checks them


def _resolve(session: so.Session, district_code, period_code) -> tuple[OrgUnit, Period]:
    """The district and period of a template, or `ValidationError` in Vietnamese."""
    period = find_period(session, period_code)
    district = None
    if period is not None:
        district = scope.find_reporting_unit(session, period, district_code)
    if period is None:
        raise ValidationError({"period": _("validation.unknown_period")})
    if district is None:
        known = scope.unit_code_known(session, district_code)
        key = "validation.unit_not_valid" if known else "validation.unknown_unit"
        raise ValidationError({"district": _(key)})
    return district, period


def _stored(session, period: Period, units, inds) -> dict[tuple[int, int], IndicatorValue]:
    return {
        (v.indicator_id, v.unit_id): v
        for v in session.scalars(
            sa.select(IndicatorValue).where(
                IndicatorValue.period_id == period.id,
                IndicatorValue.unit_id.in_([u.id for u in units]),
                IndicatorValue.indicator_id.in_([i.id for i in inds]),
            )
        )
    }


# --- writing the workbook ---------------------------------------------------------------------


def _write_headers(ws, district, period, inds, meta_rows) -> list[tuple[int, Indicator, str]]:
    """Title, header and code rows; returns the input columns (index, indicator, field)."""
    put(ws, TITLE_ROW, 1, _("excel.title", district=district.name, period=period.code))
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=13)
    for col, label in enumerate((_("common.code"), _("common.unit"), _("common.kind")), start=1):
        put(ws, HEADER_ROW, col, label)
    put(ws, CODE_ROW, 3, _("excel.code_row"))
    columns: list[tuple[int, Indicator, str]] = []
    col = FIRST_INPUT_COLUMN
    for ind in inds:
        for field_name in fields(ind):
            columns.append((col, ind, field_name))
            letter = get_column_letter(col)
            header = put(ws, HEADER_ROW, col, _column_label(ind, field_name))
            note = f"{ind.code}: {ind.name_vi}"
            if ind.legal_basis:
                note += f"\n{_('common.legal_basis')}: {ind.legal_basis}"
            header.comment = Comment(note, "NTM")
            put(ws, CODE_ROW, col, ind.code)
            ws.column_dimensions[letter].width = 20
            meta_rows.append(("column", letter, ind.code, field_name))
            col += 1
    last_col = max(col - 1, 3)
    for row in (HEADER_ROW, CODE_ROW):
        for c in range(1, last_col + 1):
            cell = ws.cell(row, c)
            cell.font = Font(bold=True) if row == HEADER_ROW else Font(italic=True, color="595959")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[HEADER_ROW].height = 60
    return columns


def _write_rows(ws, units, columns, stored, meta_rows) -> None:
    """One row per unit: code, name, kind and the input cells (prefilled, unlocked, checked)."""
    dvs = _validations()
    used: set[str] = set()
    for r, unit in enumerate(units, start=FIRST_DATA_ROW):
        meta_rows.append(("row", r, unit.id, unit.gso_code))
        put(ws, r, 1, unit.gso_code)
        put(ws, r, 2, unit.name)
        put(ws, r, 3, _(f"kind.{unit.kind}"))
        first_of: set[int] = set()
        for c, ind, field_name in columns:
            cell = ws.cell(r, c)
            if not scope.indicator_applies(ind, unit):
                cell.fill = GREY
                cell.protection = LOCKED
                continue
            cell.protection = UNLOCKED
            value = stored.get((ind.id, unit.id))
            if ind.id not in first_of:  # the unit × indicator's key cell carries its version
                first_of.add(ind.id)
                meta_rows.append(("cell", cell.coordinate, value.version if value else 0))
            kind = _validation_kind(ind)
            if kind is not None:
                dvs[kind].add(cell.coordinate)
                used.add(kind)
            if kind == "whole":
                cell.number_format = "#,##0"
            shown = _prefill(ind, field_name, value)
            if shown is not None:
                put(ws, r, c, shown)
                meta_rows.append(("prefill", cell.coordinate, shown))
    for kind in used:
        ws.add_data_validation(dvs[kind])


def _finish_data_sheet(ws) -> None:
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 12
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, FIRST_INPUT_COLUMN).coordinate
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed
    ws.protection.formatRows = False


def _write_meta(meta, meta_rows) -> None:
    for r, record in enumerate(meta_rows, start=1):
        for c, item in enumerate(record, start=1):
            put(meta, r, c, item)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def _write_help(wb, district, period, created: str) -> None:
    help_ws = wb.create_sheet(HELP_SHEET, 1)
    lines = [_("excel.help.title")]
    lines += [_(f"excel.help.{n}") for n in range(1, 5)]
    lines += [_("xl.help.5"), _("excel.help.6"), _("xl.help.7"), ""]
    lines.append(
        _(
            "excel.help.meta",
            version=TEMPLATE_VERSION,
            district=district.name,
            period=period.code,
            created=created,
        )
    )
    for r, line in enumerate(lines, start=1):
        put(help_ws, r, 1, line or None).alignment = Alignment(wrap_text=True, vertical="top")
    help_ws["A1"].font = Font(bold=True, size=13)
    help_ws.column_dimensions["A"].width = 120
    help_ws.protection.sheet = True


def build_template(
    session: so.Session, user: User | None, district_code: str, period_code: str
) -> bytes:
    """The Excel template (xlsx bytes) for entering `district_code`'s values of `period_code`.

    Guarantees: the user may write the district (else `PermissionDenied`); the district and
    period exist and the district exists at the period's end (else `ValidationError` with
    Vietnamese messages). The data sheet has one row per unit valid at the period's end (the
    district, then its communes by GSO code), one column per input of each value indicator that
    applies to at least one of them, prefilled with the stored values; only applicable input
    cells are unlocked; no cell holds a formula. The very hidden `_mau` sheet maps columns, rows
    and the stored versions for `parse_upload`."""
    policy.raise_for_write(user)
    district, period = _resolve(session, district_code, period_code)
    policy.raise_for_write_unit(user, district)

    units = scope.units_in_district(session, district, period.count_date)
    inds = _indicators(session, period, units)
    stored = _stored(session, period, units, inds)
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    meta_rows: list[tuple] = [
        ("version", TEMPLATE_VERSION),
        ("district", district.gso_code),
        ("period", period.code),
        ("created", created),
    ]

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    meta = wb.create_sheet(META_SHEET)
    columns = _write_headers(ws, district, period, inds, meta_rows)
    _write_rows(ws, units, columns, stored, meta_rows)
    _finish_data_sheet(ws)
    _write_meta(meta, meta_rows)
    _write_help(wb, district, period, created)

    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
