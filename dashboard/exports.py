"""Downloads: every table and chart's data as CSV or Excel, at `/xuat/<dataset>.<csv|xlsx>`.

The same query parameters as the pages (`period`, `district`, `indicator`, plus `pillar` and
`name` for registries) select the data; bad parameters get a 400 with a Vietnamese message.
`period` is any period's code: a year ("2023"), a half-year ("2026-H1") or a quarter
("2026-Q3"); the trend runs over the periods of its kind (the years without `period`), and
titles name the period ("6 tháng đầu năm 2026", `periods.label`).
Every file is written by `dashboard.inert`, so no cell of text can run as a formula.

Each file starts with title rows saying what it covers (table, indicator, district or the whole
province, period, data mode, generated at), then a blank row, then the table with its header.
Each column has one style. Figures as the pages show them (`95/182 xã (52,2%)`) are text
columns. Numeric columns hold numbers: in CSV plain numbers (point as the decimal mark, no
thousands separator; whole numbers without `.0`; percents rounded to 1 decimal in a column
named `… (%)`); in XLSX numbers with display formats (`#,##0`, `#,##0.0`, percents as `0.0%`),
which Excel shows with the reader's separators (`15.085`, `52,2%` in Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from flask import Blueprint, Response, abort, request

from dashboard import scope
from dashboard.components import unit_picker
from dashboard.db import get_session
from dashboard.i18n import _, fmt_datetime, number_digits
from dashboard.inert import csv_bytes, xlsx_bytes
from dashboard.models.indicators import PILLARS
from dashboard.security import error_response
from dashboard.services import indicators as svc
from dashboard.services import registries as reg
from dashboard.services.period_kinds import trend_note
from dashboard.services.periods import label as period_name

bp = Blueprint("exports", __name__)

DATASETS = ("summary", "by-district", "trend", "records", "registry", "progress", "audit")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _bad(message: str):
    abort(error_response(400, message))


def _period(session):
    code = request.args.get("period")
    period = svc.get_period(session, code) if code else svc.latest_period(session)
    if period is None:
        _bad(_("validation.unknown_period"))
    return period


def _unit(session, any_period: bool = False):
    """The unit of the `district` parameter (None: the whole province): a unit that reports in
    the request's period (`unit_picker.resolve`), or, for a registry (`any_period`), the unit an
    editor can be limited to with that code. 400 for a code that is neither."""
    code = request.args.get("district")
    if not code:
        return None
    if any_period:
        unit = scope.find_scope_unit(session, code)
    else:
        unit = unit_picker.resolve(session, _period(session), code)
    if unit is None:
        _bad(_("validation.unknown_unit"))
    return unit


def _district_id(session, any_period: bool = False) -> int | None:
    unit = _unit(session, any_period)
    return unit.id if unit is not None else None


def _indicator(session):
    ind = svc.get_indicator(session, request.args.get("indicator", ""))
    if ind is None:
        _bad(_("validation.unknown_indicator"))
    return ind


def _approved_only() -> bool:
    """`mode=approved`: approved figures only (the page's switch); absent: all data."""
    mode = request.args.get("mode", "all") or "all"
    if mode not in ("all", "approved"):
        _bad(_("validation.unknown_mode"))
    return mode == "approved"


def _suffix(approved_only: bool) -> str:
    return "-da-phe-duyet" if approved_only else ""


# The file name of a trend of half-years or quarters says so: `GOV-C8_4-xu-huong-quy.csv`.
_KIND_STEMS = {"half": "6-thang", "quarter": "quy"}


@dataclass
class Download:
    """A table to download: its frame, file name (without extension), the title rows written
    above it, and which numeric columns hold percents (0-100)."""

    frame: pd.DataFrame
    stem: str
    title: list[tuple[str, str]] = field(default_factory=list)
    percent: frozenset[str] = frozenset()


def _now() -> str:
    return fmt_datetime(dt.datetime.now(dt.UTC).replace(tzinfo=None))


def title_rows(
    table: str,
    *,
    indicator=None,
    scope: str | None = None,
    period: str | None = None,
    approved_only: bool | None = None,
    extra: list[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """What a download covers, as (label, value) rows above its table: the table, the
    indicator, the district (or the whole province), the period, the data mode and when it was
    generated (Vietnam time)."""
    rows = [(_("meaning.export.table"), table)]
    if indicator is not None:
        rows.append((_("filter.indicator"), f"{indicator.code} — {indicator.name}"))
    if scope is not None:
        rows.append((_("meaning.export.scope"), scope))
    if period is not None:
        rows.append((_("filter.period"), period))
    if approved_only is not None:
        mode = "approval.mode_approved" if approved_only else "meaning.export.mode_all"
        rows.append((_("meaning.export.mode"), _(mode)))
    rows += list(extra)
    rows.append((_("meaning.export.generated"), _now()))
    return rows


def _scope_name(session, any_period: bool = False) -> str:
    unit = _unit(session, any_period)
    return unit.name if unit is not None else _("filter.all_units")


def build_download(dataset: str) -> Download:
    session = get_session()
    approved_only = _approved_only()
    tail = _suffix(approved_only)
    if dataset == "summary":
        pillar = request.args.get("pillar") or None
        if pillar and pillar not in PILLARS:
            _bad(_("error.bad_request"))
        period = _period(session)
        rows = svc.summary(
            session, period, _district_id(session), pillar, approved_only=approved_only
        )
        table = _("meaning.export.title.summary")
        if pillar:
            table = f"{table} — {_(f'pillar.{pillar}')}"
        title = title_rows(
            table,
            scope=_scope_name(session),
            period=period_name(period),
            approved_only=approved_only,
        )
        return Download(svc.summary_frame(rows), f"tong-hop-{period.code}{tail}", title)
    if dataset == "by-district":
        ind, period = _indicator(session), _period(session)
        frame = svc.by_district(session, ind, period, approved_only)
        if not approved_only:
            frame = frame.drop(columns=["approved"])
        frame = frame.rename(
            columns={
                "district_code": _("common.code"),
                "district": _("common.district"),
                "numerator": _("common.numerator"),
                "denominator": _("common.denominator"),
                "value": _("common.value"),
                "display": _("common.met_total"),
                "expected": _("figure.units_expected"),
                "reported": _("figure.units_reported"),
                "approved": _("figure.units_approved"),
                "coverage": _("figure.coverage"),
                "target": _("target_scope.own_target"),
            }
        )
        title = title_rows(
            _("meaning.export.title.by_district"),
            indicator=ind,
            scope=_("filter.all_units"),
            period=period_name(period),
            approved_only=approved_only,
        )
        return Download(
            frame,
            f"{ind.code}-theo-huyen-{period.code}{tail}",
            title,
            _percent(ind, _("common.value")),
        )
    if dataset == "trend":
        ind = _indicator(session)
        # The periods of the given period's kind (half-years for "2026-H1"); years without one.
        kind = _period(session).kind if request.args.get("period") else "year"
        figures = svc.trend(
            session, ind, _district_id(session), approved_only=approved_only, kind=kind
        )
        frame = pd.DataFrame(
            [
                {
                    _("filter.period"): f.period,
                    _("common.numerator"): f.numerator,
                    _("common.denominator"): f.denominator,
                    _("common.value"): f.value,
                    _("common.current"): f.display,
                    _("figure.coverage"): f.coverage,
                    _("figure.units_expected"): f.expected,
                    _("figure.units_reported"): f.reported,
                    **({_("figure.units_approved"): f.approved} if approved_only else {}),
                }
                for f in figures
            ]
        )
        if kind == "year":  # "2021-2025"
            periods = f"{figures[0].period}-{figures[-1].period}" if figures else ""
        else:  # "6 tháng đầu năm 2026 – 6 tháng cuối năm 2026"
            names = {p.code: period_name(p) for p in svc.list_periods(session, kind)}
            ends = dict.fromkeys(names[f.period] for f in figures[:1] + figures[-1:])
            periods = " – ".join(ends)
        table = " · ".join(t for t in (_("meaning.export.title.trend"), trend_note(kind)) if t)
        title = title_rows(
            table,
            indicator=ind,
            scope=_scope_name(session),
            period=periods,
            approved_only=approved_only,
        )
        stem = f"{ind.code}-xu-huong"
        if kind != "year":
            stem += f"-{_KIND_STEMS.get(kind, kind)}"
        return Download(frame, f"{stem}{tail}", title, _percent(ind, _("common.value")))
    if dataset == "records":
        ind, period = _indicator(session), _period(session)
        frame = svc.records(session, ind, period, _district_id(session), approved_only)
        title = title_rows(
            _("meaning.export.title.records"),
            indicator=ind,
            scope=_scope_name(session),
            period=period_name(period),
            approved_only=approved_only,
        )
        return Download(frame, f"{ind.code}-ban-ghi-{period.code}{tail}", title)
    if dataset == "progress":
        from dashboard.services.workflow import progress_frame

        period = _period(session)
        title = title_rows(_("meaning.export.title.progress"), period=period_name(period))
        return Download(progress_frame(session, period), f"tien-do-bao-cao-{period.code}", title)
    if dataset == "audit":
        frame, filters = _audit_frame(session)
        title = title_rows(_("meaning.export.title.audit"), extra=filters)
        return Download(frame, "nhat-ky", title)
    name = request.args.get("name", "")
    try:
        frame = reg.list_rows(session, name, _district_id(session, any_period=True))
    except reg.ValidationError as exc:
        _bad(exc.message)
    title = title_rows(_(f"registry.{name}"), scope=_scope_name(session, any_period=True))
    return Download(frame.drop(columns=["unit_id", "version"]), name.replace("_", "-"), title)


def _percent(ind, column: str) -> frozenset[str]:
    """`column` when the indicator's value is a percent."""
    return frozenset({column}) if ind.rollup in svc.PERCENT_ROLLUPS else frozenset()


def build_frame(dataset: str) -> tuple[pd.DataFrame, str]:
    """The table of a download and its file name (without title rows)."""
    download = build_download(dataset)
    return download.frame, download.stem


def _audit_frame(session) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The audit log for administrators only (403 for everyone else), and the filters used as
    title rows."""
    from flask_login import current_user

    from dashboard.auth import policy
    from dashboard.services import audit

    if not policy.can_administer(current_user):
        abort(error_response(403, _("error.403"), _("faults.forbidden.title")))
    args = request.args
    try:
        filters = {
            "username": args.get("user") or None,
            "unit_id": int(args["unit"]) if args.get("unit") else None,
            "indicator_code": args.get("indicator") or None,
            "date_from": dt.date.fromisoformat(args["start"]) if args.get("start") else None,
            "date_to": dt.date.fromisoformat(args["end"]) if args.get("end") else None,
        }
    except ValueError:
        _bad(_("error.bad_request"))
    shown = [
        f"{key}={args[key]}"
        for key in ("user", "unit", "indicator", "start", "end")
        if args.get(key)
    ]
    extra = [(_("meaning.export.filters"), ", ".join(shown))] if shown else []
    return audit.log_frame(session, **filters), extra


# --- one style per column ----------------------------------------------------------------------

PLAIN_COLUMNS = ("id",)  # numbers that are identifiers: no thousands separator
XLSX_FORMATS = {0: "#,##0", 1: "#,##0.0", "percent": "0.0%", "plain": "0"}


def _numeric_columns(frame: pd.DataFrame) -> dict[str, int]:
    """Numeric columns (numbers and gaps only) and their decimals (0 or 1)."""
    out = {}
    for column in frame.columns:
        digits = number_digits(frame[column].tolist())
        if digits is not None:
            out[column] = digits
    return out


def _whole(series: pd.Series) -> pd.Series:
    return pd.Series(
        [None if pd.isna(v) else round(float(v)) for v in series], index=series.index, dtype=object
    )


def csv_table(download: Download) -> pd.DataFrame:
    """The table as CSV writes it: every numeric column in one style — plain numbers (point as
    decimal mark, no thousands separator), whole numbers without `.0`, percents rounded to 1
    decimal in a column named `… (%)`, other decimals to 1 decimal."""
    frame = download.frame.copy()
    renames = {}
    for column, digits in _numeric_columns(frame).items():
        if column in download.percent:
            frame[column] = [None if pd.isna(v) else round(float(v), 1) for v in frame[column]]
            frame[column] = frame[column].astype(object)
            renames[column] = f"{column} (%)"
        elif digits == 0:
            frame[column] = _whole(frame[column])
        else:
            frame[column] = [None if pd.isna(v) else round(float(v), 1) for v in frame[column]]
            frame[column] = frame[column].astype(object)
    return frame.rename(columns=renames)


def xlsx_table(download: Download) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as XLSX writes it, and each numeric column's display format: counts `#,##0`,
    decimals `#,##0.0`, percents as fractions shown `0.0%` (Excel applies the reader's own
    separators: `52,2%` in Vietnamese); values are kept exact."""
    frame = download.frame.copy()
    formats = {}
    renames = {}
    for column, digits in _numeric_columns(frame).items():
        if column in download.percent:
            frame[column] = [None if pd.isna(v) else float(v) / 100.0 for v in frame[column]]
            frame[column] = frame[column].astype(object)
            renames[column] = f"{column} (%)"
            formats[renames[column]] = XLSX_FORMATS["percent"]
        elif column in PLAIN_COLUMNS:
            formats[column] = XLSX_FORMATS["plain"]
        else:
            if digits == 0:
                frame[column] = _whole(frame[column])
            formats[column] = XLSX_FORMATS[digits]
    return frame.rename(columns=renames), formats


@bp.get("/xuat/<dataset>.<fmt>")
def export(dataset: str, fmt: str):
    if dataset not in DATASETS or fmt not in MIME:
        _bad(_("error.bad_request"))
    download = build_download(dataset)
    if fmt == "csv":
        payload = csv_bytes(csv_table(download), title=download.title)
    else:
        frame, formats = xlsx_table(download)
        payload = xlsx_bytes(frame, title=download.title, formats=formats)
    return Response(
        payload,
        mimetype=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{download.stem}.{fmt}"'},
    )


@bp.get("/nhap-lieu/mau.xlsx")
def entry_template():
    """The Excel template of a district and period, prefilled; only for who may write it."""
    from flask_login import current_user

    from dashboard.errors import ServiceError
    from dashboard.services import excel

    session = get_session()
    district = request.args.get("district", "")
    period = request.args.get("period", "")
    try:
        payload = excel.build_template(session, current_user, district, period)
    except ServiceError as exc:
        status = exc.status if exc.status in (403, 404) else 400
        title = _("faults.forbidden.title") if status == 403 else None
        return error_response(status, exc.message, title)
    return Response(
        payload,
        mimetype=MIME["xlsx"],
        headers={
            "Content-Disposition": f'attachment; filename="nhap-lieu-{district}-{period}.xlsx"'
        },
    )
