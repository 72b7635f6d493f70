"""Reporting progress page."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import cache
from dashboard.components.controls import export_href
from dashboard.components.grids import grid_data
from dashboard.db import get_session
from dashboard.services import indicators as svc
from dashboard.services import workflow


@cache.figures("progress")
def update_progress(period_code):
    session = get_session()
    period = svc.get_period(session, period_code) or svc.latest_period(session)
    reports = workflow.completeness(session, period)
    columns, rows = grid_data(workflow.progress_frame(session, period, reports))
    return (
        workflow.progress_summary(session, period, reports),
        columns,
        rows,
        export_href("progress", "csv", period=period.code),
        export_href("progress", "xlsx", period=period.code),
    )


def register(app: Dash) -> None:
    app.callback(
        Output("pr-summary", "children"),
        Output("pr-grid", "columnDefs"),
        Output("pr-grid", "rowData"),
        Output("pr-export-csv", "href"),
        Output("pr-export-xlsx", "href"),
        Input("pr-period", "value"),
    )(update_progress)
