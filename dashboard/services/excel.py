"""Excel round trip for a district's period values: download a template, fill it in, upload it.

`build_template` writes one row per unit of the district valid at the period's end and one input
column per value-indicator field, prefilled with the stored values; cells that do not apply to a
unit are grey and locked. A very hidden sheet `_mau` records the template version, district,
period, which column holds which indicator field and which row holds which unit, plus the values
the template was prefilled with.

`parse_upload` reads an uploaded file back into `values.Cell`s and reports every problem it finds
(with sheet, row and column) in one `UploadError`; `import_upload` then writes the cells through
`values.save_values`, all or nothing. Cells the user left as they were in the template are not
written again, so an old template does not undo changes made in the application since.

Permission problems are not upload problems: a viewer, an editor uploading another district's
template and any editor uploading to a submitted or approved period get `PermissionDenied`.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field

import openpyxl
import sqlalchemy as sa
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import orm as so

from dashboard.auth import policy
from dashboard.errors import ValidationError
from dashboard.i18n import _, fmt_number
from dashboard.models import Indicator, IndicatorValue, Level, OrgUnit, Period, User
from dashboard.services import values, workflow
from dashboard.services.reference import PROGRAMME_END, PROGRAMME_START

TEMPLATE_VERSION = "NTM-NHAP-LIEU-1"
DATA_SHEET = "Số liệu"
META_SHEET = "_mau"
HELP_SHEET = "Hướng dẫn"

TITLE_ROW = 1
HEADER_ROW = 2
CODE_ROW = 3
FIRST_DATA_ROW = 4
FIRST_INPUT_COLUMN = 4  # D: after GSO code, unit name and kind
MAX_UNPACKED_FACTOR = 10  # an upload may unpack to at most this many times `max_bytes`
EXTRA_SCAN = 50  # rows/columns beyond the template checked for stray input

EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
FIELDS = {"boolean": ("value",), "ratio": ("numerator", "denominator")}  # others: ("value",)

GREY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


# --- shared helpers ---------------------------------------------------------------------------


def _fields(ind: Indicator) -> tuple[str, ...]:
    return FIELDS.get(ind.value_type, ("value",))


def _applies(ind: Indicator, unit: OrgUnit) -> bool:
    """The same rule `values.save_values` applies: the indicator's level and, if any, kinds."""
    return unit.level_id == ind.level_id and (not ind.kinds or unit.kind in ind.kinds)


def _period(session: so.Session, code) -> Period | None:
    """A period of the programme, or None."""
    period = session.scalar(sa.select(Period).where(Period.code == str(code or "")))
    if period is None or period.start_date < PROGRAMME_START or period.end_date > PROGRAMME_END:
        return None
    return period


def _district(session: so.Session, code, period: Period) -> OrgUnit | None:
    """The district with GSO code `code` as it was at the period's end, or None."""
    return session.scalar(
        sa.select(OrgUnit)
        .join(Level)
        .where(
            Level.code == "district",
            OrgUnit.gso_code == str(code or ""),
            OrgUnit.valid_on(period.end_date),
        )
        .order_by(OrgUnit.valid_from.desc())
        .limit(1)
    )


def _units(session: so.Session, district: OrgUnit, period: Period) -> list[OrgUnit]:
    """The district, then its units valid at the period's end, ordered by GSO code."""
    communes = session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.parent_id == district.id, OrgUnit.valid_on(period.end_date))
        .order_by(OrgUnit.gso_code, OrgUnit.valid_from)
    )
    return [district, *communes]


def _indicators(session: so.Session, period: Period, units: list[OrgUnit]) -> list[Indicator]:
    """Value indicators valid in the period that apply to at least one of `units`."""
    stmt = (
        sa.select(Indicator)
        .where(
            Indicator.source == "values",
            Indicator.valid_from <= period.end_date,
            sa.or_(Indicator.valid_to.is_(None), Indicator.valid_to >= period.start_date),
        )
        .order_by(Indicator.display_order, Indicator.code)
    )
    return [i for i in session.scalars(stmt) if any(_applies(i, u) for u in units)]


def _code_text(value) -> str:
    """A GSO code cell as text (`23590` typed as a number reads as `23590`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _same(a, b) -> bool:
    """Whether two cell values are the same input (numbers by value, text after NFC/strip)."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return not isinstance(a, bool) and not isinstance(b, bool) and float(a) == float(b)
    if isinstance(a, str) and isinstance(b, str):
        return unicodedata.normalize("NFC", a).strip() == unicodedata.normalize("NFC", b).strip()
    return a is None and b is None


# --- the template -----------------------------------------------------------------------------


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
    if ind.value_type == "ratio":
        number = getattr(value, field_name)
    elif ind.value_type == "category":
        return value.value_text
    else:
        number = value.value_num
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


def build_template(
    session: so.Session, user: User | None, district_code: str, period_code: str
) -> bytes:
    """The Excel template (xlsx bytes) for entering `district_code`'s values of `period_code`.

    Guarantees: the user may write the district (else `PermissionDenied`); the district and
    period exist and the district exists at the period's end (else `ValidationError` with
    Vietnamese messages). The data sheet has one row per unit valid at the period's end (the
    district, then its communes by GSO code), one column per input of each value indicator that
    applies to at least one of them, prefilled with the stored values; only applicable input
    cells are unlocked. The very hidden `_mau` sheet maps columns and rows for `parse_upload`."""
    policy.raise_for_write(user)
    period = _period(session, period_code)
    district = _district(session, district_code, period) if period is not None else None
    errors = {}
    if period is None:
        errors["period"] = _("validation.unknown_period")
    elif district is None:
        known = session.scalar(
            sa.select(OrgUnit.id)
            .join(Level)
            .where(Level.code == "district", OrgUnit.gso_code == str(district_code or ""))
            .limit(1)
        )
        errors["district"] = _("validation.unit_not_valid" if known else "validation.unknown_unit")
    if errors:
        raise ValidationError(errors)
    policy.raise_for_write_unit(user, district)

    units = _units(session, district, period)
    inds = _indicators(session, period, units)
    stored = {
        (v.indicator_id, v.unit_id): v
        for v in session.scalars(
            sa.select(IndicatorValue).where(
                IndicatorValue.period_id == period.id,
                IndicatorValue.unit_id.in_([u.id for u in units]),
                IndicatorValue.indicator_id.in_([i.id for i in inds]),
            )
        )
    }

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    meta = wb.create_sheet(META_SHEET)
    meta_rows: list[tuple] = [
        ("version", TEMPLATE_VERSION),
        ("district", district.gso_code),
        ("period", period.code),
        ("created", dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")),
    ]

    ws.cell(TITLE_ROW, 1, _("excel.title", district=district.name, period=period.code))
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=13)
    bold = Font(bold=True)
    for col, label in enumerate((_("common.code"), _("common.unit"), _("common.kind")), start=1):
        ws.cell(HEADER_ROW, col, label)
    ws.cell(CODE_ROW, 3, _("excel.code_row"))

    columns: list[tuple[int, Indicator, str]] = []
    col = FIRST_INPUT_COLUMN
    for ind in inds:
        for field_name in _fields(ind):
            columns.append((col, ind, field_name))
            letter = get_column_letter(col)
            header = ws.cell(HEADER_ROW, col, _column_label(ind, field_name))
            note = f"{ind.code}: {ind.name_vi}"
            if ind.legal_basis:
                note += f"\n{_('common.legal_basis')}: {ind.legal_basis}"
            header.comment = Comment(note, "NTM")
            ws.cell(CODE_ROW, col, ind.code)
            ws.column_dimensions[letter].width = 20
            meta_rows.append(("column", letter, ind.code, field_name))
            col += 1
    last_col = max(col - 1, 3)
    for row in (HEADER_ROW, CODE_ROW):
        for c in range(1, last_col + 1):
            cell = ws.cell(row, c)
            cell.font = bold if row == HEADER_ROW else Font(italic=True, color="595959")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[HEADER_ROW].height = 60

    dvs = _validations()
    used: set[str] = set()
    for r, unit in enumerate(units, start=FIRST_DATA_ROW):
        meta_rows.append(("row", r, unit.id, unit.gso_code))
        ws.cell(r, 1, unit.gso_code)
        ws.cell(r, 2, unit.name)
        ws.cell(r, 3, _(f"kind.{unit.kind}"))
        for c, ind, field_name in columns:
            cell = ws.cell(r, c)
            if not _applies(ind, unit):
                cell.fill = GREY
                cell.protection = LOCKED
                continue
            cell.protection = UNLOCKED
            kind = _validation_kind(ind)
            if kind is not None:
                dvs[kind].add(cell.coordinate)
                used.add(kind)
            if kind == "whole":
                cell.number_format = "#,##0"
            value = _prefill(ind, field_name, stored.get((ind.id, unit.id)))
            if value is not None:
                cell.value = value
                meta_rows.append(("prefill", cell.coordinate, value))
    for kind in used:
        ws.add_data_validation(dvs[kind])

    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 12
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, FIRST_INPUT_COLUMN).coordinate
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed
    ws.protection.formatRows = False

    for item in meta_rows:
        meta.append(list(item))
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True

    help_ws = wb.create_sheet(HELP_SHEET, 1)
    help_ws.append([_("excel.help.title")])
    help_ws["A1"].font = Font(bold=True, size=13)
    for n in range(1, 7):
        help_ws.append([_(f"excel.help.{n}")])
    help_ws.append([])
    help_ws.append(
        [
            _(
                "excel.help.meta",
                version=TEMPLATE_VERSION,
                district=district.name,
                period=period.code,
                created=meta_rows[3][1],
            )
        ]
    )
    help_ws.column_dimensions["A"].width = 120
    for row in help_ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    help_ws.protection.sheet = True

    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading an upload ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file: where (sheet, row, column letter) and why."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    @property
    def where(self) -> str:
        """`Số liệu!F7`, `Số liệu, dòng 7`, `Số liệu`, or `` for the whole file."""
        if self.row is not None and self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.row is not None:
            return f"{self.sheet}, {_('excel.row', row=self.row)}"
        return self.sheet

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


class UploadError(ValidationError):
    """The upload was refused and nothing was written; `problems` lists everything found."""

    def __init__(self, problems: list[Problem]):
        errors: dict[str, str] = {}
        for n, problem in enumerate(problems):
            key = problem.where or "file"
            errors[key if key not in errors else f"{key}#{n}"] = problem.reason
        super().__init__(errors)
        self.problems = problems


@dataclass
class Upload:
    """What an uploaded template holds.

    `cells`: one `values.Cell` per unit × indicator with at least one non-empty input, in sheet
    order, keyed `Số liệu!F7` (the first input cell). `changed`: the keys of those cells that
    differ from what the template was prefilled with. `locations`: for each key, the row and
    column letter of each input field (`value`, `numerator`, `denominator`)."""

    district_code: str
    period_code: str
    cells: list[values.Cell] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    locations: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)

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
    damaged_at: int | None = None


def _size_mb(n: int) -> str:
    mb = n / (1024 * 1024)
    if mb >= 1:
        return fmt_number(mb, 0 if mb.is_integer() else 1)
    return fmt_number(mb, 3)


def _open(data: bytes, max_bytes: int):
    """Both views of the workbook (cached values, formulas), or raise `UploadError`."""
    if len(data) > max_bytes:
        reason = _("excel.error.too_large", size=_size_mb(len(data)), limit=_size_mb(max_bytes))
        raise UploadError([Problem("", None, None, reason)])
    not_xlsx = UploadError([Problem("", None, None, _("excel.error.not_xlsx"))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise not_xlsx
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError):
        raise not_xlsx from None
    if unpacked > MAX_UNPACKED_FACTOR * max_bytes:
        reason = _("excel.error.too_large", size=_size_mb(unpacked), limit=_size_mb(max_bytes))
        raise UploadError([Problem("", None, None, reason)])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for broken files
        raise not_xlsx from None
    return cached, formulas


def _read_meta(ws) -> _Meta:
    meta = _Meta()
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        row = (*row, None, None, None, None)
        kind = row[0]
        try:
            if kind == "version":
                meta.version = str(row[1] or "")
            elif kind == "district":
                meta.district = _code_text(row[1])
            elif kind == "period":
                meta.period = _code_text(row[1])
            elif kind == "column":
                meta.columns.append((str(row[1]), str(row[2]), str(row[3])))
            elif kind == "row":
                meta.rows.append((int(row[1]), int(row[2]), _code_text(row[3])))
            elif kind == "prefill":
                meta.prefill[str(row[1])] = row[2]
        except (TypeError, ValueError):
            meta.damaged_at = meta.damaged_at or r
    return meta


def _meta_problems(session, meta: _Meta) -> tuple[list[Problem], Period | None, OrgUnit | None]:
    problems: list[Problem] = []
    if meta.version != TEMPLATE_VERSION:
        reason = _("excel.error.bad_version", found=meta.version or "?", expected=TEMPLATE_VERSION)
        return [Problem(META_SHEET, 1, "B", reason)], None, None
    if meta.damaged_at is not None or not meta.rows or not meta.columns:
        return [Problem(META_SHEET, meta.damaged_at, None, _("excel.error.bad_meta"))], None, None
    period = _period(session, meta.period)
    if period is None:
        problems.append(Problem(META_SHEET, 3, "B", _("validation.unknown_period")))
        return problems, None, None
    district = _district(session, meta.district, period)
    if district is None:
        problems.append(Problem(META_SHEET, 2, "B", _("validation.unknown_unit")))
    return problems, period, district


def _read_cell(cached_ws, formula_ws, coordinate: str):
    """(value, problem reason): the cell's value (None when empty), or why it cannot be read."""
    cell = cached_ws[coordinate]
    value = cell.value
    if cell.data_type == "e" or (isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS):
        return None, _("excel.error.formula_error", error=str(value).strip())
    if value is None and formula_ws[coordinate].data_type == "f":
        return None, _("excel.error.formula_not_calculated")
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip() or None
    return value, None


def _check_units(session, ws, meta: _Meta, district: OrgUnit, period: Period):
    """Rows whose unit is the one the template was made for, and the problems of the others."""
    problems: list[Problem] = []
    good: list[tuple[int, OrgUnit]] = []
    for r, unit_id, gso in meta.rows:
        unit = session.get(OrgUnit, unit_id)
        if (
            unit is None
            or unit.gso_code != gso
            or not (unit.id == district.id or unit.parent_id == district.id)
            or not unit.is_valid_on(period.end_date)
        ):
            reason = _(
                "excel.error.row_not_in_district", district=district.name, period=period.code
            )
            problems.append(Problem(DATA_SHEET, r, "A", reason))
            continue
        found = _code_text(ws.cell(r, 1).value)
        if found == gso:
            good.append((r, unit))
            continue
        other = session.scalar(
            sa.select(OrgUnit)
            .where(OrgUnit.gso_code == found, OrgUnit.valid_on(period.end_date))
            .limit(1)
        )
        if other is None:
            reason = _("excel.error.unit_unknown_code", found=found)
        elif other.id != district.id and other.parent_id != district.id:
            reason = _(
                "excel.error.unit_other_district",
                found=found,
                name=other.name,
                district=district.name,
            )
        else:
            reason = _("excel.error.unit_mismatch", found=found, expected=gso, name=unit.name)
        problems.append(Problem(DATA_SHEET, r, "A", reason))
    return good, problems


def _stray_input(ws, last_row: int, last_col: int) -> list[Problem]:
    """Problems for values outside the template's rows and columns (checked a little way out)."""
    problems = []
    max_row = min(ws.max_row, last_row + EXTRA_SCAN)
    max_col = min(ws.max_column, last_col + EXTRA_SCAN)
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, max_row=max_row, max_col=max_col):
        for cell in row:
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            if cell.row > last_row:
                problems.append(Problem(DATA_SHEET, cell.row, None, _("excel.error.extra_row")))
                break
            if cell.column > last_col:
                reason = _("excel.error.extra_column")
                problems.append(Problem(DATA_SHEET, cell.row, cell.column_letter, reason))
    return problems


def parse_upload(
    session: so.Session, user: User | None, data: bytes, max_bytes: int = 5 * 1024 * 1024
) -> Upload:
    """Read a filled-in template into cells, checking everything that can be checked without
    writing: the file (size, xlsx, template version, `_mau` sheet), the period, the rows (units
    of the template's district, codes unchanged), columns, formulas (errors, uncalculated) and
    every input (`values.parse_inputs`: numbers, whole numbers, numerator ≤ denominator, …).

    Raises `PermissionDenied` when the user may not write at all or may not write the
    template's district; `UploadError` listing every problem found otherwise. Writes nothing."""
    policy.raise_for_write(user)
    cached, formulas = _open(data, max_bytes)
    if META_SHEET not in cached.sheetnames:
        raise UploadError([Problem("", None, None, _("excel.error.no_meta"))])
    meta = _read_meta(cached[META_SHEET])
    problems, period, district = _meta_problems(session, meta)
    if problems:
        raise UploadError(problems)
    policy.raise_for_write_unit(user, district)
    if DATA_SHEET not in cached.sheetnames:
        reason = _("excel.error.no_sheet", sheet=DATA_SHEET)
        raise UploadError([Problem(DATA_SHEET, None, None, reason)])
    ws, wf = cached[DATA_SHEET], formulas[DATA_SHEET]

    indicators = {
        i.code: i
        for i in session.scalars(
            sa.select(Indicator).where(Indicator.code.in_({c[1] for c in meta.columns}))
        )
    }
    # indicator code -> {field: column letter}, for the columns whose header matches the map
    by_indicator: dict[str, dict[str, str]] = {}
    for letter, code, field_name in meta.columns:
        ind = indicators.get(code)
        if ind is None or ind.source != "values" or field_name not in _fields(ind):
            raise UploadError([Problem(META_SHEET, None, None, _("excel.error.bad_meta"))])
        if _code_text(ws[f"{letter}{CODE_ROW}"].value) != code:
            reason = _("excel.error.column_mismatch", code=code)
            problems.append(Problem(DATA_SHEET, CODE_ROW, letter, reason))
            continue
        by_indicator.setdefault(code, {})[field_name] = letter

    rows, unit_problems = _check_units(session, ws, meta, district, period)
    problems += unit_problems
    last_row = max(r for r, _id, _code in meta.rows)
    last_col = max(
        openpyxl.utils.column_index_from_string(letter) for letter, _c, _f in meta.columns
    )
    problems += _stray_input(ws, last_row, last_col)

    upload = Upload(district_code=district.gso_code, period_code=period.code)
    ordered = sorted(
        by_indicator.items(),
        key=lambda item: min(openpyxl.utils.column_index_from_string(v) for v in item[1].values()),
    )
    for r, unit in rows:
        for code, letters in ordered:
            ind = indicators[code]
            raw: dict = {}
            where: dict[str, tuple[int, str]] = {}
            unreadable = False
            for field_name in _fields(ind):
                letter = letters.get(field_name)
                if letter is None:
                    continue
                where[field_name] = (r, letter)
                value, reason = _read_cell(ws, wf, f"{letter}{r}")
                if reason is not None:
                    problems.append(Problem(DATA_SHEET, r, letter, reason))
                    unreadable = True
                raw[field_name] = value
            if unreadable or all(v is None for v in raw.values()):
                continue
            first_row, first_letter = next(iter(where.values()))
            if not _applies(ind, unit):
                reason = _("excel.error.not_applicable")
                problems += [
                    Problem(DATA_SHEET, r, letter, reason)
                    for f, (_r, letter) in where.items()
                    if raw.get(f) is not None
                ]
                continue
            key = f"{DATA_SHEET}!{first_letter}{first_row}"
            try:
                values.parse_inputs(ind, raw)
            except ValidationError as exc:
                for field_name, message in exc.errors.items():
                    row, letter = where.get(field_name, (first_row, first_letter))
                    problems.append(Problem(DATA_SHEET, row, letter, message))
                continue
            upload.cells.append(values.Cell(ind.code, unit.id, raw, None, key=key))
            upload.locations[key] = where
            if not all(
                _same(raw[f], meta.prefill.get(f"{letter}{row}"))
                for f, (row, letter) in where.items()
            ):
                upload.changed.add(key)
    if problems:
        raise UploadError(problems)
    return upload


def import_upload(
    session: so.Session, user: User | None, data: bytes, max_bytes: int = 5 * 1024 * 1024
) -> dict:
    """Check an uploaded template (`parse_upload`) and write its values, all or nothing.

    Only cells that differ from the template's prefilled values are written (through
    `values.save_values`, which audits every change and skips values equal to what is stored),
    so importing the same file twice writes nothing the second time and an old template does not
    undo later changes. Raises `PermissionDenied` (no right to write the district, or its report
    for the period is submitted or approved) or `UploadError` (every problem, with sheet, row
    and column; refusals from `save_values` are mapped back to their cells). Returns
    `{"written", "unchanged", "district", "period"}`; `unchanged` counts the filled-in cells not
    written."""
    upload = parse_upload(session, user, data, max_bytes)
    period = _period(session, upload.period_code)
    district = _district(session, upload.district_code, period)
    workflow.raise_for_locked(session, user, district, period)
    to_write = upload.changed_cells
    try:
        result = values.save_values(session, user, upload.period_code, to_write)
    except values.BatchError as exc:
        problems = []
        for error in exc.cell_errors:
            where = upload.locations.get(error.key, {})
            fallback = next(iter(where.values()), (None, None))
            row, letter = where.get(error.field, fallback)
            problems.append(Problem(DATA_SHEET, row, letter, error.message))
        raise UploadError(problems) from None
    return {
        "written": result["written"],
        "unchanged": result["unchanged"] + len(upload.cells) - len(to_write),
        "district": upload.district_code,
        "period": upload.period_code,
    }
