"""Pilot-model and training pages: charts computed from their registries (`dashboard.charts`)."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import cache, charts
from dashboard.db import get_session
from dashboard.services import indicators as svc


def _query(mode):
    """All rows (the registry as it stands), or in approved-only mode the rows of districts
    approved for the latest period."""
    if mode != "approved":
        return None
    session = get_session()
    return charts.ChartQuery(svc.latest_period(session), approved_only=True)


@cache.figures("pilots")
def pilot_charts(_refresh, mode="all"):
    session = get_session()
    q = _query(mode)
    return charts.pilot_status_chart(session, q), charts.pilot_field_chart(session, q)


@cache.figures("training")
def training_charts(_refresh, mode="all"):
    session = get_session()
    q = _query(mode)
    return charts.training_audience_chart(session, q), charts.training_year_chart(session, q)


def register(app: Dash) -> None:
    app.callback(
        Output("pi-status", "figure"),
        Output("pi-field", "figure"),
        Input({"type": "reg-refresh", "name": "pilot_models"}, "data"),
        Input("data-mode", "value"),
    )(pilot_charts)
    app.callback(
        Output("tr-audience", "figure"),
        Output("tr-year", "figure"),
        Input({"type": "reg-refresh", "name": "training_events"}, "data"),
        Input("data-mode", "value"),
    )(training_charts)
