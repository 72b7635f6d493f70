"""Pilot-model and training pages: charts computed from their registries (`dashboard.charts`).

The pilots' charts count the pilots of the chosen period on its count date, each with its
status of that day (`services.pilot_status`)."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import cache, charts
from dashboard.db import get_session
from dashboard.i18n import _, fmt_date
from dashboard.services import indicators as svc
from dashboard.services.periods import label


def _query(mode):
    """All rows (the registry as it stands), or in approved-only mode the rows of districts
    approved for the latest period."""
    if mode != "approved":
        return None
    session = get_session()
    return charts.ChartQuery(svc.latest_period(session), approved_only=True)


@cache.figures("pilots")
def pilot_charts(_refresh, period_code=None, mode="all"):
    """The pilots in force on the chosen period's count date (the latest period with data when
    none is chosen), each with its status of that day; approved-only as the data mode says."""
    session = get_session()
    period = svc.get_period(session, period_code) or svc.latest_period(session)
    q = charts.ChartQuery(period, approved_only=mode == "approved")
    day = _("pilot_status.on_day", date=fmt_date(period.count_date), period=label(period))
    return charts.pilot_status_chart(session, q), charts.pilot_field_chart(session, q), day


@cache.figures("training")
def training_charts(_refresh, mode="all"):
    session = get_session()
    q = _query(mode)
    return charts.training_audience_chart(session, q), charts.training_year_chart(session, q)


def register(app: Dash) -> None:
    app.callback(
        Output("pi-status", "figure"),
        Output("pi-field", "figure"),
        Output("pi-status-day", "children"),
        Input({"type": "reg-refresh", "name": "pilot_models"}, "data"),
        Input("pi-period", "value"),
        Input("data-mode", "value"),
    )(pilot_charts)
    app.callback(
        Output("tr-audience", "figure"),
        Output("tr-year", "figure"),
        Input({"type": "reg-refresh", "name": "training_events"}, "data"),
        Input("data-mode", "value"),
    )(training_charts)
