"""The period report as an Excel workbook: the same content as the PDF, numbers as numbers.

Sheets: the cover (the report's metadata), one per pillar (each indicator against target),
the districts (one row per district, one value column per indicator), the district details
(one row per district and indicator, with numerator, denominator and coverage), the training
counts (whole-province reports) and the districts not yet approved.

Every sheet starts with title rows (report, period, scope, data mode, generated at, as of), then
a bold header row frozen in place. Percents are stored as numbers (52.197…) shown as `52.2%`
(`0.0"%"`, the decimal mark of the reader's Excel: `52,2%` in Vietnamese), counts as `#,##0`.
Text is made inert (`dashboard.inert`): no cell can run as a formula.

The helpers `title_rows`, `header_row`, `set_widths` and the number formats are general; they
could move to the shared export helpers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.i18n import _, fmt_datetime
from dashboard.inert import neutralise_text, xlsx_clean
from dashboard.services import indicators as svc
from dashboard.services import periods
from dashboard.services.period_report import PeriodReport

PERCENT_FORMAT = '0.0"%"'
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
DATE_FORMAT = "dd/mm/yyyy"
HEAD_FILL = PatternFill("solid", fgColor="E8EEF6")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
SHEET_NAME_MAX = 31


def text(value) -> str | None:
    """Text for a cell: inert and without characters XLSX cannot hold."""
    if value is None:
        return None
    return xlsx_clean(neutralise_text(str(value)))


def put(ws: Worksheet, row: int, col: int, value, number_format: str | None = None):
    """Write a number as a number (with its display format) or any other value as inert text."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        cell.value = text(_("common.yes") if value else _("common.no"))
    elif isinstance(value, int | float):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    else:
        cell.value = text(value)
    return cell


def title_rows(ws: Worksheet, report: PeriodReport, heading: str) -> int:
    """The title block of a sheet; returns the first free row (after a blank one)."""
    ws.cell(row=1, column=1, value=text(report.title)).font = TITLE_FONT
    ws.cell(row=2, column=1, value=text(heading)).font = BOLD
    lines = [
        f"{_('filter.period')}: {report.period_text}",
        f"{_('period_report.cover.scope')}: {report.scope_text}",
        f"{_('period_report.cover.mode')}: {report.mode_text}",
        f"{_('period_report.cover.generated')}: {report.generated_text}",
        report.as_of_text,
    ]
    for offset, line in enumerate(lines):
        ws.cell(row=3 + offset, column=1, value=text(line))
    return 3 + len(lines) + 1


def header_row(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    """Bold, shaded, wrapped headers; the rows above and the first column stay in view."""
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text(title))
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = WRAP
    ws.freeze_panes = ws.cell(row=row + 1, column=2)
    ws.auto_filter.ref = f"A{row}:{get_column_letter(len(headers))}{row}"


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of `[]:*?/\\`)."""
    clean = "".join(c for c in name if c not in "[]:*?/\\")[:SHEET_NAME_MAX] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = clean[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def value_format(fig: svc.Figure) -> str:
    return PERCENT_FORMAT if fig.is_percent else COUNT_FORMAT


# --- sheets ----------------------------------------------------------------------------------


def _cover(ws: Worksheet, report: PeriodReport, demo: bool) -> None:
    ws.cell(row=1, column=1, value=text(_("period_report.issuer")))
    ws.cell(row=2, column=1, value=text(report.title)).font = TITLE_FONT
    ws.cell(row=3, column=1, value=text(_("period_report.subtitle")))
    rows = report.cover_rows()
    start = 5
    for offset, (label, value) in enumerate(rows):
        ws.cell(row=start + offset, column=1, value=text(label)).font = BOLD
        ws.cell(row=start + offset, column=2, value=text(value)).alignment = WRAP
    row = start + len(rows) + 1
    if demo:
        ws.cell(row=row, column=1, value=text(_("demo.banner"))).font = BOLD
        row += 1
    ws.cell(row=row, column=1, value=text(_("period_report.cover.rule")))
    ws.cell(row=row + 1, column=1, value=text(_("period_report.cover.source")))
    set_widths(ws, [38, 90])


def _pillar(ws: Worksheet, report: PeriodReport, section) -> None:
    row = title_rows(ws, report, section.title)
    approved_only = report.query.approved_only
    headers = [
        _("common.code"),
        _("filter.indicator"),
        _("common.level"),
        _("common.legal_basis"),
        _("common.value"),
        _("period_report.col.display"),
        _("common.numerator"),
        _("common.denominator"),
        _("common.target"),
        _("period_report.col.target_year"),
        _("common.gap"),
        _("period_report.col.assessment"),
        _("common.projection", year=2025),
        _("figure.basis"),
        _("figure.units_expected"),
        _("figure.units_reported"),
        *([_("figure.units_approved")] if approved_only else []),
        _("figure.coverage"),
    ]
    header_row(ws, row, headers)
    for line in section.lines:
        row += 1
        ind, prog, fig = line.indicator, line.progress, line.figure
        fmt = value_format(fig)
        target = prog.target
        values = [
            (ind.code, None),
            (ind.name, None),
            (line.level_text, None),
            (ind.legal_basis, None),
            (fig.value, fmt),
            (fig.display, None),
            (fig.numerator, COUNT_FORMAT),
            (fig.denominator, COUNT_FORMAT),
            (target.target_value if target else line.target_text, fmt),
            (target.target_year if target else None, "0"),
            (prog.gap if prog.gap is not None else line.gap_text, DECIMAL_FORMAT),
            (line.status_text, None),
            (prog.projected, fmt),
            (prog.basis, None),
            (fig.expected, COUNT_FORMAT),
            (fig.reported, COUNT_FORMAT),
            *([(fig.approved, COUNT_FORMAT)] if approved_only else []),
            (fig.coverage, None),
        ]
        for col, (value, number_format) in enumerate(values, start=1):
            put(ws, row, col, value, number_format)
    widths = [18, 48, 16, 28, 10, 22, 12, 12, 10, 9, 10, 18, 11, 34, 10, 10]
    widths += [10] if approved_only else []
    set_widths(ws, [*widths, 36])


def _districts(ws: Worksheet, report: PeriodReport) -> None:
    row = title_rows(ws, report, _("period_report.sheet.districts", units=report.units))
    inds = report.table_indicators
    headers = [_("common.code"), _("common.district"), _("period_report.col.report")]
    headers += [f"{i.short_name} ({i.code})" for i in inds]
    header_row(ws, row, headers)
    for district in report.districts:
        row += 1
        put(ws, row, 1, district.code)
        put(ws, row, 2, district.name)
        put(ws, row, 3, _(f"status.{district.status}"))
        for col, ind in enumerate(inds, start=4):
            fig = district.figures.get(ind.code)
            if fig is None:
                continue
            put(ws, row, col, fig.value, value_format(fig))
    set_widths(ws, [8, 26, 14, *([16] * len(inds))])


def _district_detail(ws: Worksheet, report: PeriodReport) -> None:
    row = title_rows(ws, report, _("period_report.sheet.district_detail", units=report.units))
    approved_only = report.query.approved_only
    headers = [
        _("common.code"),
        _("common.district"),
        _("period_report.col.report"),
        _("period_report.col.indicator_code"),
        _("filter.indicator"),
        _("common.value"),
        _("period_report.col.display"),
        _("common.numerator"),
        _("common.denominator"),
        _("figure.units_expected"),
        _("figure.units_reported"),
        *([_("figure.units_approved")] if approved_only else []),
        _("figure.coverage"),
    ]
    header_row(ws, row, headers)
    for district in report.districts:
        for ind in report.table_indicators:
            fig = district.figures.get(ind.code)
            if fig is None:
                continue
            row += 1
            values = [
                (district.code, None),
                (district.name, None),
                (_(f"status.{district.status}"), None),
                (ind.code, None),
                (ind.short_name, None),
                (fig.value, value_format(fig)),
                (fig.display, None),
                (fig.numerator, COUNT_FORMAT),
                (fig.denominator, COUNT_FORMAT),
                (fig.expected, COUNT_FORMAT),
                (fig.reported, COUNT_FORMAT),
                *([(fig.approved, COUNT_FORMAT)] if approved_only else []),
                (fig.coverage, None),
            ]
            for col, (value, number_format) in enumerate(values, start=1):
                put(ws, row, col, value, number_format)
    widths = [8, 24, 14, 20, 34, 10, 22, 12, 12, 10, 10]
    widths += [10] if approved_only else []
    set_widths(ws, [*widths, 36])


def _counts(ws: Worksheet, report: PeriodReport) -> None:
    row = title_rows(ws, report, _("period_report.sheet.counts"))
    header_row(ws, row, [_("period_report.col.chart"), _("period_report.col.category"),
                         _("period_report.col.count")])  # fmt: skip
    for chart in report.count_charts:
        for bar in chart.bars:
            row += 1
            put(ws, row, 1, chart.title)
            put(ws, row, 2, bar.label)
            put(ws, row, 3, bar.value, COUNT_FORMAT)
    set_widths(ws, [40, 34, 12])


def _not_approved(ws: Worksheet, report: PeriodReport) -> None:
    row = title_rows(ws, report, _("period_report.section.not_approved", units=report.units))
    header_row(
        ws,
        row,
        [
            _("common.code"),
            _("common.district"),
            _("common.status"),
            _("admin.deadline"),
            _("progress.submitted_at"),
            _("progress.timing"),
            _("progress.days_late"),
            _("progress.filled"),
            _("workflow.reason"),
        ],
    )
    for r in report.not_approved:
        row += 1
        put(ws, row, 1, r.district_code)
        put(ws, row, 2, r.district)
        put(ws, row, 3, _(f"status.{r.status}"))
        if r.deadline is not None:
            ws.cell(row=row, column=4, value=r.deadline).number_format = DATE_FORMAT
        put(ws, row, 5, fmt_datetime(r.submitted_at) if r.submitted_at else "")
        put(ws, row, 6, r.timing.label)
        put(ws, row, 7, r.days_late, COUNT_FORMAT)
        put(ws, row, 8, r.share_filled, PERCENT_FORMAT)
        put(ws, row, 9, r.reason or "")
    if not report.not_approved:
        put(
            ws,
            row + 1,
            1,
            _(
                "period_report.all_approved",
                period=report.period.code,
                unit=periods.reporting_noun(report.period),
            ),
        )
    set_widths(ws, [8, 26, 16, 12, 18, 22, 10, 10, 60])


def render(report: PeriodReport, *, demo: bool = False) -> bytes:
    """The report as XLSX bytes."""
    wb = Workbook()
    used: set[str] = set()
    cover = wb.active
    cover.title = sheet_title(_("period_report.sheet.cover"), used)
    _cover(cover, report, demo)
    for section in report.sections:
        if section.lines:
            _pillar(wb.create_sheet(sheet_title(section.title, used)), report, section)
    _districts(
        wb.create_sheet(sheet_title(_("period_report.sheet.districts", units=report.units), used)),
        report,
    )
    _district_detail(
        wb.create_sheet(
            sheet_title(_("period_report.sheet.district_detail", units=report.units), used)
        ),
        report,
    )
    if report.count_charts:
        _counts(wb.create_sheet(sheet_title(_("period_report.sheet.counts"), used)), report)
    _not_approved(wb.create_sheet(sheet_title(_("period_report.sheet.not_approved"), used)), report)
    wb.properties.title = report.title
    wb.properties.creator = _("period_report.issuer")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
