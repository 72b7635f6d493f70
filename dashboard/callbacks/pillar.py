"""Pillar pages: summary, by-district chart with target line, trend, records; value entry."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html, no_update

from dashboard import cache, charts
from dashboard.callbacks.common import summary_table, view_link
from dashboard.charts import PILLAR_PAGES
from dashboard.components import unit_picker
from dashboard.components.controls import export_href, mode_param
from dashboard.components.figures import empty_figure
from dashboard.components.grids import grid_data
from dashboard.components.indicator_info import info_button
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicators as svc
from dashboard.services import period_kinds, workflow
from dashboard.services import periods as periods_svc


@cache.figures("pillar")
def update_view(period_code, district_code, indicator_code, _refresh, mode, pillar):
    session = get_session()
    period = svc.get_period(session, period_code) or svc.latest_period(session)
    district = unit_picker.resolve(session, period, district_code)
    district_code = district.gso_code if district else None
    district_id = district.id if district else None
    approved_only = mode == "approved"
    state = workflow.approval(session, period, district_id, approved_only)
    rows = svc.summary(session, period, district_id, pillar, approved_only=approved_only)
    note = periods_svc.cut_short_note(period)
    table = html.Div(
        [
            html.Div(state.note, className="small text-muted mb-2", id="pl-approval"),
            dbc.Alert(note, color="info", className="small py-2", id="pl-counted-on")
            if note
            else None,
            dbc.Alert(
                _("overview.no_indicators", period=periods_svc.label(period)),
                color="warning",
                id="pl-no-indicators",
            )
            if not rows
            else None,
            summary_table(
                rows,
                period.code,
                district_code,
                "pl-summary-table",
                unapproved=state.includes_unapproved,
            ),
        ]
    )

    computed = {row[0].code: row for row in rows}
    if indicator_code in computed:
        ind = computed[indicator_code][0]
    else:
        ind = svc.get_indicator(session, indicator_code)
        if ind is None or ind.pillar != pillar:
            ind = rows[0][0] if rows else None
    if ind is None:
        blank = empty_figure()
        return table, blank, blank, [], [], "", "#", *(["#"] * 8), None
    query = charts.ChartQuery(period, district, ind, approved_only)
    by_district = charts.by_district_chart(session, query)
    scope_name = district.name if district else _("chart.province")
    figures = None
    if ind.code in computed:
        _ind, prog, figures = computed[ind.code]
        figure = prog.figure
    else:
        figure = svc.compute(session, ind, period, district_id, approved_only)
    # The trend runs over the periods of the selected period's kind (half-years for
    # "2026-H1"); the summary's trend is reused when it is of that kind (it holds the period).
    if figures is None or not any(f.period == period.code for f in figures):
        figures = svc.trend(
            session, ind, district_id, approved_only=approved_only, kind=period.kind
        )
    chart_title = " · ".join(
        t for t in (f"{ind.short_name} — {scope_name}", period_kinds.trend_note(period.kind)) if t
    )
    trend = charts.trend_figure(ind, figures, district, chart_title)
    frame = svc.records(session, ind, period, district_id, approved_only)
    scope = district.name if district else _("filter.all_units")
    title = f"{ind.name} — {scope}, {periods_svc.label(period)}: {figure.display}"
    params = {"period": period.code, "district": district_code}
    ind_params = {**params, "indicator": ind.code}
    data = {**params, "mode": mode_param(mode)}
    ind_data = {**data, "indicator": ind.code}
    return (
        table,
        by_district,
        trend,
        *grid_data(frame),
        title,
        view_link(PILLAR_PAGES[pillar], **ind_params),
        export_href("summary", "csv", pillar=pillar, **data),
        export_href("summary", "xlsx", pillar=pillar, **data),
        export_href("by-district", "csv", **ind_data),
        export_href("by-district", "xlsx", **ind_data),
        export_href("trend", "csv", **ind_data),
        export_href("trend", "xlsx", **ind_data),
        export_href("records", "csv", **ind_data),
        export_href("records", "xlsx", **ind_data),
        info_button(ind, "pl-chart"),
        _("pillar.by_units", units=periods_svc.reporting_noun(period)),
    )


def bar_to_district(click):
    """Clicking a district's bar drills down to its communes."""
    try:
        return click["points"][0]["customdata"][0]
    except (TypeError, KeyError, IndexError):
        return no_update


def register(app: Dash) -> None:
    app.callback(
        Output("pl-summary", "children"),
        Output("pl-by-district", "figure"),
        Output("pl-trend", "figure"),
        Output("pl-records", "columnDefs"),
        Output("pl-records", "rowData"),
        Output("pl-records-title", "children"),
        Output("pl-link", "href"),
        Output("pl-export-summary-csv", "href"),
        Output("pl-export-summary-xlsx", "href"),
        Output("pl-export-district-csv", "href"),
        Output("pl-export-district-xlsx", "href"),
        Output("pl-export-trend-csv", "href"),
        Output("pl-export-trend-xlsx", "href"),
        Output("pl-export-records-csv", "href"),
        Output("pl-export-records-xlsx", "href"),
        Output("pl-indicator-info", "children"),
        Output("pl-by-district-title", "children"),
        Input("pl-period", "value"),
        Input("pl-district", "value"),
        Input("pl-indicator", "value"),
        Input("pl-refresh", "data"),
        Input("data-mode", "value"),
        State("pl-pillar", "data"),
    )(update_view)
    app.callback(
        Output("pl-district", "value"),
        Input("pl-by-district", "clickData"),
        prevent_initial_call=True,
    )(bar_to_district)
    unit_picker.register(app, "pl")
