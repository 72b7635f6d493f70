"""Reading a filled-in template back, within limits, and importing it all or nothing.

`parse_upload` opens the workbook once, read-only, and streams its sheets (`excel_read`: the
zip's directory is checked first, and a sheet's reading stops as soon as a limit on rows, cells
per row or cells is passed). Every problem is reported with sheet, row, column and unit in one
`UploadError` (at most `MAX_PROBLEMS` listed, the rest counted); `import_upload` writes the
changed cells through `values.save_values` with the version each cell had when the template was
made, so a cell that someone else changed since is refused with its current value and nothing
is saved. Input cells take values, not formulas (`excel_read.read_input`).

Permission problems are not upload problems: a viewer, an editor uploading another district's
template and any editor uploading to a submitted or approved period get `PermissionDenied`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from openpyxl.utils import column_index_from_string, get_column_letter
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.auth import policy
from dashboard.errors import ValidationError
from dashboard.i18n import _
from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period, User
from dashboard.services import values, workflow
from dashboard.services.excel_read import (
    MAX_PROBLEMS,
    Found,
    Limits,
    Problem,
    UploadError,
    blank,
    open_workbook,
    read_input,
    refuse,
    same_input,
    stream_cells,
)
from dashboard.services.excel_template import (
    CODE_ROW,
    DATA_SHEET,
    FIRST_DATA_ROW,
    FIRST_INPUT_COLUMN,
    META_SHEET,
    TEMPLATE_VERSION,
    code_text,
    fields,
    find_period,
)
from dashboard.services.parsing import MAX_INTEGER

MAX_EXTRA_ROWS = 1000  # rows present in the data sheet beyond the template's
MAX_COLUMNS = 200  # cells present in one row of the data sheet
MAX_CELLS = 200_000  # cells present in the data sheet (empty formatted cells included)
MAX_META_ROWS = 20_000  # records of the `_mau` sheet


@dataclass
class Upload:
    """What an uploaded template holds.

    `cells`: one `values.Cell` per unit × indicator with at least one non-empty input, in sheet
    order, keyed `Số liệu!F7` (the first input cell), carrying the version the template was
    made from. `changed`: the keys of those cells that differ from what the template was
    prefilled with. `locations`: for each key, the row and column letter of each input field.
    `units`: the unit name of each template row. `parsed`: for each key, the indicator id and
    the column values the inputs stand for."""

    district_code: str
    period_code: str
    cells: list[values.Cell] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    locations: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    parsed: dict[str, tuple[int, dict]] = field(default_factory=dict)

    @property
    def changed_cells(self) -> list[values.Cell]:
        return [c for c in self.cells if c.key in self.changed]


@dataclass
class _Meta:
    version: str | None = None
    district: str | None = None
    period: str | None = None
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # letter, code, field
    rows: list[tuple[int, int, str]] = field(default_factory=list)  # row, unit id, GSO code
    prefill: dict[str, object] = field(default_factory=dict)  # coordinate -> value
    versions: dict[str, int] = field(default_factory=dict)  # key coordinate -> stored version
    damaged_at: int | None = None

    def last_column(self) -> int:
        return max(column_index_from_string(letter) for letter, _c, _f in self.columns)


# --- reading `_mau` ---------------------------------------------------------------------------


def _meta_records(wb) -> list[tuple[int, tuple]]:
    limits = Limits(rows=MAX_META_ROWS, row_cells=20, cells=MAX_META_ROWS * 5)
    records: dict[int, list] = {}
    for cell in stream_cells(wb[META_SHEET], META_SHEET, limits):
        if cell["column"] <= 4 and cell["value"] is not None:
            records.setdefault(cell["row"], [None] * 4)[cell["column"] - 1] = cell["value"]
    return sorted((r, tuple(v)) for r, v in records.items())


def _meta_int(value) -> int:
    """A whole number of the hidden sheet (row, unit id, version) in the database's range."""
    number = int(value)
    if not 0 <= number <= MAX_INTEGER:
        raise ValueError(value)
    return number


def _read_meta(wb) -> _Meta:
    meta = _Meta()
    for r, (kind, a, b, c) in _meta_records(wb):
        try:
            if kind == "version":
                meta.version = str(a or "")
            elif kind in ("district", "period"):
                setattr(meta, kind, code_text(a))
            elif kind == "column":
                if column_index_from_string(str(a)) < FIRST_INPUT_COLUMN:
                    raise ValueError(a)
                meta.columns.append((str(a), str(b), str(c)))
            elif kind == "row":
                if _meta_int(a) < FIRST_DATA_ROW:
                    raise ValueError(a)
                meta.rows.append((_meta_int(a), _meta_int(b), code_text(c)))
            elif kind == "prefill":
                meta.prefill[str(a)] = b
            elif kind == "cell":
                meta.versions[str(a)] = _meta_int(b)
        except (TypeError, ValueError, OverflowError):
            meta.damaged_at = meta.damaged_at or r
    return meta


def _meta_problems(session, meta: _Meta) -> tuple[Problem | None, Period | None, OrgUnit | None]:
    if meta.version != TEMPLATE_VERSION:
        reason = _("excel.error.bad_version", found=meta.version or "?", expected=TEMPLATE_VERSION)
        return Problem(META_SHEET, 1, "B", reason), None, None
    if meta.damaged_at is not None or not meta.rows or not meta.columns:
        return Problem(META_SHEET, meta.damaged_at, None, _("excel.error.bad_meta")), None, None
    if len({r for r, _u, _g in meta.rows}) != len(meta.rows):
        return Problem(META_SHEET, None, None, _("excel.error.bad_meta")), None, None
    period = find_period(session, meta.period)
    if period is None:
        return Problem(META_SHEET, 3, "B", _("validation.unknown_period")), None, None
    district = scope.find_reporting_unit(session, period, meta.district)
    if district is None:
        return Problem(META_SHEET, 2, "B", _("validation.unknown_unit")), period, None
    return None, period, district


# --- the data sheet ---------------------------------------------------------------------------


def _read_grid(wb, meta: _Meta, found: Found) -> dict[tuple[int, int], tuple]:
    """The non-empty cells inside the template's area, {(row, column): (value, data type)};
    every non-empty cell outside it is a problem."""
    last_row = max(r for r, _u, _g in meta.rows)
    last_col = meta.last_column()
    limits = Limits(
        rows=FIRST_DATA_ROW + len(meta.rows) + MAX_EXTRA_ROWS,
        row_cells=max(MAX_COLUMNS, last_col),
        cells=MAX_CELLS,
    )
    grid: dict[tuple[int, int], tuple] = {}
    for cell in stream_cells(wb[DATA_SHEET], DATA_SHEET, limits):
        value, r, c = cell["value"], cell["row"], cell["column"]
        if blank(value):
            continue
        if r > last_row or c > last_col:
            key = "excel.error.extra_row" if r > last_row else "excel.error.extra_column"
            found.add(Problem(DATA_SHEET, r, get_column_letter(c), _(key)))
            continue
        grid[(r, c)] = (value, cell["data_type"])
    return grid


def _check_units(session, grid, meta: _Meta, district: OrgUnit, period: Period, found: Found):
    """Rows whose unit is the one the template was made for; problems for the others.
    Also returns the unit name of each row whose unit is known."""
    good: list[tuple[int, OrgUnit]] = []
    names: dict[int, str] = {}
    for r, unit_id, gso in meta.rows:
        unit = session.get(OrgUnit, unit_id)
        if (
            unit is None
            or unit.gso_code != gso
            or not scope.in_district(unit, district)
            or not unit.is_valid_on(period.count_date)
        ):
            reason = _(
                "excel.error.row_not_in_district", district=district.name, period=period.code
            )
            found.add(Problem(DATA_SHEET, r, "A", reason))
            continue
        names[r] = unit.name
        code = code_text(grid.get((r, 1), (None,))[0])
        if code == gso:
            good.append((r, unit))
        else:
            reason = _unit_reason(session, code, unit, district, period.count_date)
            found.add(Problem(DATA_SHEET, r, "A", reason))
    return good, names


def _unit_reason(session, code: str, unit: OrgUnit, district: OrgUnit, on) -> str:
    """Why row code `code` is wrong for a row made for `unit` (units as they were `on`)."""
    other = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.valid_on(on)).limit(1)
    )
    if other is None:
        return _("excel.error.unit_unknown_code", found=code)
    if not scope.in_district(other, district):
        return _(
            "excel.error.unit_other_district", found=code, name=other.name, district=district.name
        )
    return _("excel.error.unit_mismatch", found=code, expected=unit.gso_code, name=unit.name)


def _columns(session, grid, meta: _Meta, found: Found):
    """{indicator: {field: letter}} in sheet order, for the columns whose code matches `_mau`."""
    codes = {c[1] for c in meta.columns}
    indicators = {
        i.code: i for i in session.scalars(sa.select(Indicator).where(Indicator.code.in_(codes)))
    }
    by_indicator: dict[str, dict[str, str]] = {}
    for letter, code, field_name in meta.columns:
        ind = indicators.get(code)
        if ind is None or ind.source != "values" or field_name not in fields(ind):
            raise UploadError([Problem(META_SHEET, None, None, _("excel.error.bad_meta"))])
        if code_text(grid.get((CODE_ROW, column_index_from_string(letter)), (None,))[0]) != code:
            reason = _("excel.error.column_mismatch", code=code)
            found.add(Problem(DATA_SHEET, CODE_ROW, letter, reason))
            continue
        by_indicator.setdefault(code, {})[field_name] = letter
    ordered = sorted(
        by_indicator.items(),
        key=lambda item: min(column_index_from_string(v) for v in item[1].values()),
    )
    return [(indicators[code], letters) for code, letters in ordered]


def _unit_cell(grid, meta, upload: Upload, found: Found, r: int, unit, ind, letters) -> None:
    """Read one unit × indicator into `upload`, or add its problems to `found`."""
    raw: dict = {}
    where: dict[str, tuple[int, str]] = {}
    unreadable = False
    for field_name in fields(ind):
        letter = letters.get(field_name)
        if letter is None:
            continue
        where[field_name] = (r, letter)
        value, reason = read_input(grid, r, letter)
        if reason is not None:
            found.add(Problem(DATA_SHEET, r, letter, reason))
            unreadable = True
        raw[field_name] = value
    if unreadable or all(v is None for v in raw.values()):
        return
    if not scope.indicator_applies(ind, unit):
        reason = _("excel.error.not_applicable")
        for f, (_r, letter) in where.items():
            if raw.get(f) is not None:
                found.add(Problem(DATA_SHEET, r, letter, reason))
        return
    first_letter = next(iter(where.values()))[1]
    key = f"{DATA_SHEET}!{first_letter}{r}"
    try:
        parsed = values.parse_inputs(ind, raw)
    except ValidationError as exc:
        for field_name, message in exc.errors.items():
            row, letter = where.get(field_name, (r, first_letter))
            found.add(Problem(DATA_SHEET, row, letter, message))
        return
    version = meta.versions.get(f"{first_letter}{r}")
    if version is None:  # (a moved column is reported as such, not as a damaged `_mau`)
        if len(where) == len(fields(ind)):
            found.add(Problem(META_SHEET, None, None, _("excel.error.bad_meta")))
        return
    upload.cells.append(values.Cell(ind.code, unit.id, raw, version, key=key))
    upload.locations[key] = where
    upload.parsed[key] = (ind.id, parsed)
    if not all(
        same_input(raw[f], meta.prefill.get(f"{lt}{row}")) for f, (row, lt) in where.items()
    ):
        upload.changed.add(key)


def parse_upload(
    session: so.Session, user: User | None, data: bytes, max_bytes: int = 5 * 1024 * 1024
) -> Upload:
    """Read a filled-in template into cells, checking everything that can be checked without
    writing: the file (size, unpacked size, compression, xlsx, template version, `_mau`), the
    sheet's size, the period, the rows (units of the template's district, codes unchanged),
    columns, cells outside the template, formulas and every input (`values.parse_inputs`).

    Raises `PermissionDenied` when the user may not write at all or may not write the
    template's district; `UploadError` listing every problem found otherwise. Writes nothing;
    reads the file once and stops at the first limit passed."""
    policy.raise_for_write(user)
    wb = open_workbook(data, max_bytes)
    try:
        return _parse(session, user, wb)
    finally:
        wb.close()


def _parse(session, user, wb) -> Upload:
    if META_SHEET not in wb.sheetnames:
        raise refuse(_("excel.error.no_meta"))
    meta = _read_meta(wb)
    problem, period, district = _meta_problems(session, meta)
    if problem is not None:
        raise UploadError([problem])
    policy.raise_for_write_unit(user, district)
    if DATA_SHEET not in wb.sheetnames:
        raise refuse(_("excel.error.no_sheet", sheet=DATA_SHEET), sheet=DATA_SHEET)
    found = Found()
    grid = _read_grid(wb, meta, found)
    columns = _columns(session, grid, meta, found)
    rows, names = _check_units(session, grid, meta, district, period, found)
    upload = Upload(district_code=district.gso_code, period_code=period.code, units=names)
    for r, unit in rows:
        for ind, letters in columns:
            _unit_cell(grid, meta, upload, found, r, unit, ind, letters)
    found.items.sort(key=lambda p: (p.sheet != META_SHEET, p.row or 0, _col(p.column)))
    found.raise_if_any(DATA_SHEET, names)
    return upload


def _col(letter: str | None) -> int:
    return column_index_from_string(letter) if letter else 0


# --- importing --------------------------------------------------------------------------------


def _to_write(session, upload: Upload, period: Period) -> list[values.Cell]:
    """The changed cells whose input differs from what is stored now (a cell already equal to
    it, e.g. the same file uploaded again, is not written and cannot be stale)."""
    changed = upload.changed_cells
    unit_ids = {c.unit_id for c in changed}
    stored = {
        (v.indicator_id, v.unit_id): v
        for v in session.scalars(
            sa.select(IndicatorValue).where(
                IndicatorValue.period_id == period.id, IndicatorValue.unit_id.in_(unit_ids)
            )
        )
    }
    out = []
    for cell in changed:
        indicator_id, parsed = upload.parsed[cell.key]
        now = stored.get((indicator_id, cell.unit_id))
        if now is None or any(getattr(now, k) != v for k, v in parsed.items()):
            out.append(cell)
    return out


def import_upload(
    session: so.Session, user: User | None, data: bytes, max_bytes: int = 5 * 1024 * 1024
) -> dict:
    """Check an uploaded template (`parse_upload`) and write its values, all or nothing.

    Only cells that differ both from the template's prefilled values and from what is stored
    now are written, each with the version it had when the template was made: importing the
    same file twice writes nothing the second time, cells left as prefilled do not undo later
    changes, and a cell changed by someone else since the download is refused (`UploadError`
    at that cell, with the current value and who changed it) with nothing saved. Raises
    `PermissionDenied` (no right to write the district, or its report for the period is
    submitted or approved) or `UploadError`. Returns `{"written", "unchanged", "district",
    "period"}`; `unchanged` counts the filled-in cells not written."""
    upload = parse_upload(session, user, data, max_bytes)
    period = find_period(session, upload.period_code)
    district = scope.find_reporting_unit(session, period, upload.district_code)
    workflow.raise_for_locked(session, user, district, period)
    to_write = _to_write(session, upload, period)
    try:
        result = values.save_values(
            session, user, upload.period_code, to_write, require_versions=True
        )
    except values.BatchError as exc:
        problems = []
        for error in exc.cell_errors:
            where = upload.locations.get(error.key, {})
            row, letter = where.get(error.field, next(iter(where.values()), (None, None)))
            unit = upload.units.get(row)
            problems.append(Problem(DATA_SHEET, row, letter, error.message, unit))
        raise UploadError(problems[:MAX_PROBLEMS], max(0, len(problems) - MAX_PROBLEMS)) from None
    return {
        "written": result["written"],
        "unchanged": result["unchanged"] + len(upload.cells) - len(to_write),
        "district": upload.district_code,
        "period": upload.period_code,
    }
