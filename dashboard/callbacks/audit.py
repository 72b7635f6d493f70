"""Audit log page (administrators)."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.controls import export_href
from dashboard.components.grids import grid_data
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import audit

AUDIT_LIMIT = 5000


def audit_filters(username, unit_id, indicator, start, end) -> dict:
    return {
        "username": username or None,
        "unit_id": int(unit_id) if unit_id else None,
        "indicator_code": indicator or None,
        "date_from": dt.date.fromisoformat(start[:10]) if start else None,
        "date_to": dt.date.fromisoformat(end[:10]) if end else None,
    }


def update_audit(username, unit_id, indicator, start, end):
    if not policy.can_administer(current_user):
        return _("error.403"), [], [], "#", "#"
    filters = audit_filters(username, unit_id, indicator, start, end)
    frame = audit.log_frame(get_session(), limit=AUDIT_LIMIT, **filters)
    columns, rows = grid_data(frame)
    params = {
        "user": username,
        "unit": unit_id,
        "indicator": indicator,
        "start": (start or "")[:10],
        "end": (end or "")[:10],
    }
    return (
        _("audit.count", count=len(frame), limit=AUDIT_LIMIT),
        columns,
        rows,
        export_href("audit", "csv", **params),
        export_href("audit", "xlsx", **params),
    )


def register(app: Dash) -> None:
    app.callback(
        Output("au-count", "children"),
        Output("au-grid", "columnDefs"),
        Output("au-grid", "rowData"),
        Output("au-export-csv", "href"),
        Output("au-export-xlsx", "href"),
        Input("au-user", "value"),
        Input("au-unit", "value"),
        Input("au-indicator", "value"),
        Input("au-dates", "start_date"),
        Input("au-dates", "end_date"),
    )(update_audit)
