"""The printable period report as a download: `GET /bao-cao/ky/<period>.<pdf|xlsx>`.

Query parameters: `district` (a GSO code; default the whole province) and `mode` (`all`, the
default, or `approved`: approved figures only, as the pages' switch). Every logged-in account
may read every figure (`policy.can_read`), so every reader may make any report; anonymous
requests are sent to the login page by the login guard before they get here.

An unknown period, district or mode, or a parameter given twice, gets 400 with a Vietnamese
message (JSON for scripts, the error page for a browser) and nothing is generated. A server
without the Vietnamese font gets 503 with a message saying what to install (the XLSX still
works). The page `/bao-cao` makes the same files through `make_report` in a callback.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, request
from flask_login import current_user

from dashboard.auth import policy
from dashboard.db import get_session
from dashboard.errors import PermissionDenied, ServiceError, ValidationError
from dashboard.i18n import _
from dashboard.security import error_response
from dashboard.services import period_report, report_pdf, report_xlsx

bp = Blueprint("reports", __name__)

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PARAMS = ("district", "mode")


@dataclass(frozen=True)
class ReportFile:
    payload: bytes
    filename: str
    mimetype: str


def make_report(user, fmt: str, period, district=None, mode=None) -> ReportFile:
    """Check the reader and the parameters, then build the report file. Raises
    `PermissionDenied`, `ValidationError` (bad parameters) or `report_pdf.FontUnavailable`;
    nothing is computed before the checks pass."""
    if not policy.can_read(user):
        raise PermissionDenied(_("auth.not_logged_in"))
    if fmt not in period_report.FORMATS:
        raise ValidationError({"format": _("error.bad_request")})
    session = get_session()
    query = period_report.parse_query(session, period, district, mode)
    config = current_app.config
    demo = bool(config.get("DEMO_MODE"))
    if fmt == "pdf":
        font_dir = config.get("REPORT_FONT_DIR") or None
        report_pdf.find_font_files(font_dir)  # fail fast, before any query
        report = period_report.build(session, query)
        payload = report_pdf.render(report, font_dir=font_dir, demo=demo)
    else:
        report = period_report.build(session, query)
        payload = report_xlsx.render(report, demo=demo)
    return ReportFile(payload, query.filename(fmt), MIME[fmt])


@bp.get("/bao-cao/ky/<period>.<fmt>")
def period_report_file(period: str, fmt: str):
    if fmt not in MIME:
        return error_response(404, _("error.404.body"), _("error.404.title"))
    for name in PARAMS:
        if len(request.args.getlist(name)) > 1:
            return error_response(400, _("period_report.repeated", name=name))
    try:
        made = make_report(
            current_user, fmt, period, request.args.get("district"), request.args.get("mode")
        )
    except report_pdf.FontUnavailable as exc:
        current_app.logger.error("period report: %s", exc.message)
        return error_response(503, exc.message, _("period_report.unavailable"))
    except PermissionDenied as exc:
        return error_response(403, exc.message, _("faults.forbidden.title"))
    except ServiceError as exc:
        return error_response(400, exc.message)
    return Response(
        made.payload,
        mimetype=made.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
