"""The period report page (`/bao-cao`): "Tạo PDF" / "Tạo Excel" make the file on the server
and hand it to the browser as a download, showing "Đang tạo báo cáo…" meanwhile.

A callback is an open endpoint: the reader is checked again here (`reports.make_report` asks
`policy.can_read`), the parameters are checked like the download route's, and an editor's
report is on all data whatever the request says (`policy.can_choose_data_mode`)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components import unit_picker
from dashboard.errors import ServiceError
from dashboard.i18n import _
from dashboard.reports import make_report
from dashboard.services.period_report import MODES

FORMAT_OF = {"rp-pdf": "pdf", "rp-xlsx": "xlsx"}


def make_file(_n_pdf, _n_xlsx, period, district, mode):
    fmt = FORMAT_OF.get(ctx.triggered_id)
    if fmt is None:
        raise PreventUpdate
    if not policy.can_choose_data_mode(current_user):
        mode = "all"
    try:
        made = make_report(current_user, fmt, period, district, mode)
    except ServiceError as exc:
        return no_update, dbc.Alert(exc.message, color="danger", className="mb-0 mt-2")
    ready = dbc.Alert(
        _("period_report.ready", file=made.filename), color="success", className="mb-0 mt-2"
    )
    return dcc.send_bytes(made.payload, made.filename, type=made.mimetype), ready


def follow_data_mode(shown_mode, mode_param):
    """The report's mode starts as the data shown on every page (the switch at the top), unless
    the address gave `mode=`; it follows the switch when the switch changes."""
    if ctx.triggered_id is None and mode_param in MODES:
        raise PreventUpdate
    return shown_mode if shown_mode in MODES else "all"


def register(app: Dash) -> None:
    app.callback(
        Output("rp-mode", "value"),
        Input("data-mode", "value"),
        State("rp-mode-param", "data"),
    )(follow_data_mode)
    app.callback(
        Output("rp-download", "data"),
        Output("rp-status", "children"),
        Input("rp-pdf", "n_clicks"),
        Input("rp-xlsx", "n_clicks"),
        State("rp-period", "value"),
        State("rp-district", "value"),
        State("rp-mode", "value"),
        running=[
            (Output("rp-pdf", "disabled"), True, False),
            (Output("rp-xlsx", "disabled"), True, False),
            (Output("rp-progress", "className"), "small fw-semibold mt-2", "d-none"),
        ],
        prevent_initial_call=True,
    )(make_file)
    unit_picker.register(app, "rp")
