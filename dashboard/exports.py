"""Downloads: every table and chart's data as CSV or Excel, at `/xuat/<dataset>.<csv|xlsx>`.

The same query parameters as the pages (`period`, `district`, `indicator`, plus `pillar` and
`name` for registries) select the data; bad parameters get a 400 with a Vietnamese message.
Every file is written by `dashboard.inert`, so no cell of text can run as a formula.
"""

from __future__ import annotations

import pandas as pd
from flask import Blueprint, Response, abort, request

from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.inert import csv_bytes, xlsx_bytes
from dashboard.models.indicators import PILLARS
from dashboard.security import error_response
from dashboard.services import indicators as svc
from dashboard.services import registries as reg

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


def _district_id(session) -> int | None:
    code = request.args.get("district")
    if not code:
        return None
    district = svc.district_by_code(session, code)
    if district is None:
        _bad(_("validation.unknown_unit"))
    return district.id


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


def build_frame(dataset: str) -> tuple[pd.DataFrame, str]:
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
        return svc.summary_frame(rows), f"tong-hop-{period.code}{tail}"
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
            }
        )
        return frame, f"{ind.code}-theo-huyen-{period.code}{tail}"
    if dataset == "trend":
        ind = _indicator(session)
        figures = svc.trend(session, ind, _district_id(session), approved_only=approved_only)
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
        return frame, f"{ind.code}-xu-huong{tail}"
    if dataset == "records":
        ind, period = _indicator(session), _period(session)
        frame = svc.records(session, ind, period, _district_id(session), approved_only)
        return frame, f"{ind.code}-ban-ghi-{period.code}{tail}"
    if dataset == "progress":
        from dashboard.services.workflow import progress_frame

        period = _period(session)
        return progress_frame(session, period), f"tien-do-bao-cao-{period.code}"
    if dataset == "audit":
        return _audit_frame(session), "nhat-ky"
    name = request.args.get("name", "")
    try:
        frame = reg.list_rows(session, name, _district_id(session))
    except reg.ValidationError as exc:
        _bad(exc.message)
    return frame.drop(columns=["unit_id", "version"]), name.replace("_", "-")


def _audit_frame(session) -> pd.DataFrame:
    """The audit log for administrators only (403 for everyone else)."""
    import datetime as dt

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
    return audit.log_frame(session, **filters)


@bp.get("/xuat/<dataset>.<fmt>")
def export(dataset: str, fmt: str):
    if dataset not in DATASETS or fmt not in MIME:
        _bad(_("error.bad_request"))
    frame, stem = build_frame(dataset)
    payload = csv_bytes(frame) if fmt == "csv" else xlsx_bytes(frame)
    return Response(
        payload,
        mimetype=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
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
