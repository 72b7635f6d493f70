"""Audit log page (administrators): the filtered log, its downloads, a row's detail (before →
after side by side) and the date picker's Vietnamese month and day names."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, ctx, html, no_update
from dash.exceptions import PreventUpdate
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.client_state import records
from dashboard.components.controls import export_href
from dashboard.components.grids import grid_data
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import audit

AUDIT_LIMIT = 5000
ID_COLUMN = "id"  # the grid's first, hidden column: the audit row's id (grid field `c0`)

# The date picker (date-fns inside Dash) names months and weekdays with the first locale found
# in `window.dateFns.locale`: on a Vietnamese page, register a Vietnamese one before the
# calendar is opened (a clientside callback: no inline script). Months "Tháng 1"…, weekdays
# "CN", "T2"…; dates are typed and shown as DD/MM/YYYY (numbers only, no locale needed).
VIETNAMESE_DATE_LOCALE = """
function (id) {
    if ((document.documentElement.lang || "vi").slice(0, 2) !== "vi") {
        return window.dash_clientside.no_update;
    }
    var months = [];
    for (var m = 1; m <= 12; m++) { months.push("Tháng " + m); }
    var short = ["CN", "T2", "T3", "T4", "T5", "T6", "T7"];
    var long = ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"];
    var vi = {
        code: "vi",
        localize: {
            ordinalNumber: function (n) { return String(n); },
            era: function (e) { return e ? "SCN" : "TCN"; },
            quarter: function (q) { return "Quý " + q; },
            month: function (m, o) {
                var w = (o && o.width) || "wide";
                if (w === "narrow") { return String(m + 1); }
                return w === "abbreviated" ? "Thg " + (m + 1) : months[m];
            },
            day: function (d, o) {
                var w = (o && o.width) || "wide";
                return w === "wide" ? long[d] : short[d];
            },
            dayPeriod: function (p) { return p === "am" ? "SA" : "CH"; }
        },
        formatLong: {
            date: function () { return "dd/MM/y"; },
            time: function () { return "HH:mm"; },
            dateTime: function () { return "{{date}} {{time}}"; }
        },
        match: {},
        options: {weekStartsOn: 1, firstWeekContainsDate: 1}
    };
    window.dateFns = window.dateFns || {};
    window.dateFns.locale = Object.assign({}, window.dateFns.locale || {}, {vi: vi});
    return "vi";
}
"""


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
    frame = audit.log_frame(get_session(), limit=AUDIT_LIMIT, with_id=True, **filters)
    columns, rows = grid_data(frame, hidden=frozenset({ID_COLUMN}))
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


def detail_view(entry: audit.Entry, indicator: str) -> html.Div:
    """A change in full: who, when, what, then each field before → after, changed ones
    highlighted (and marked in words, not by colour only)."""
    facts = [
        (_("audit.at"), entry.at),
        (_("audit.user"), entry.user),
        (_("audit.action"), entry.action),
        (_("common.unit"), entry.unit),
        (_("filter.indicator"), indicator),
        (_("filter.period"), entry.period),
    ]
    summary = html.Dl(
        [
            part
            for label, value in facts
            if value
            for part in (
                html.Dt(label, className="col-sm-4"),
                html.Dd(value, className="col-sm-8 mb-1"),
            )
        ],
        className="row mb-3",
        id="au-detail-facts",
    )
    if not entry.changes:
        return html.Div([summary, html.P(_("audit.detail.no_fields"), className="text-muted")])
    head = html.Thead(
        html.Tr(
            [
                html.Th(_("audit.detail.field"), scope="col"),
                html.Th(_("audit.before"), scope="col"),
                html.Th(_("audit.after"), scope="col"),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(
                        [
                            change.label,
                            html.Span(
                                _("audit.detail.changed"),
                                className="badge text-bg-warning ms-2 fw-normal",
                            )
                            if change.changed
                            else None,
                        ],
                        scope="row",
                    ),
                    html.Td(change.before, className="au-before"),
                    html.Td(change.after, className="au-after"),
                ],
                className="table-warning au-changed" if change.changed else None,
            )
            for change in entry.changes
        ]
    )
    table = dbc.Table(
        [head, body], bordered=True, size="sm", className="mb-0", id="au-detail-table"
    )
    return html.Div([summary, html.Div(table, className="table-responsive")])


def show_detail(selected, _close, is_open):
    """Open the detail of the selected row; closing (button, Escape, backdrop) clears the
    selection so that the same row can be opened again."""
    trigger = ctx.triggered_id
    if trigger == "au-detail-close":
        return False, no_update, []
    if trigger == "au-detail":
        if is_open:
            raise PreventUpdate
        return no_update, no_update, []
    rows = records(selected, "c0")
    if not rows:
        raise PreventUpdate
    if not policy.can_administer(current_user):
        return True, dbc.Alert(_("error.403"), color="warning"), no_update
    found = audit.entry_detail(get_session(), rows[0]["c0"])
    if found is None:
        return True, dbc.Alert(_("audit.detail.not_found"), color="warning"), no_update
    return True, detail_view(*found), no_update


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
    app.callback(
        Output("au-detail", "is_open"),
        Output("au-detail-body", "children"),
        Output("au-grid", "selectedRows"),
        Input("au-grid", "selectedRows"),
        Input("au-detail-close", "n_clicks"),
        Input("au-detail", "is_open"),
        prevent_initial_call=True,
    )(show_detail)
    app.clientside_callback(
        VIETNAMESE_DATE_LOCALE,
        Output("au-locale", "data"),
        Input("au-locale", "id"),
    )
