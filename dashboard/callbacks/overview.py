"""Overview page: target cards, trend, ranking and map of the units reporting in the period."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html, no_update
from flask import current_app

from dashboard import cache, charts
from dashboard.callbacks.common import approval_badge, status_badge, view_link
from dashboard.charts import PILLAR_PAGES
from dashboard.components import unit_picker
from dashboard.components.controls import export_href, mode_param
from dashboard.components.indicator_info import info_button
from dashboard.components.maps import load_boundaries
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicators as svc
from dashboard.services import periods as periods_svc
from dashboard.services import workflow


def target_card(
    ind, prog, period_code: str, district: str | None, unapproved: bool = False
) -> dbc.Col:
    fig = prog.figure
    target = prog.target
    lines = [
        html.Div(
            [html.Span(ind.short_name), info_button(ind, "ov-card", prog)],
            className="card-indicator-name d-flex justify-content-between align-items-start gap-1",
        ),
        html.Div(fig.display, className="card-figure", **{"data-indicator": ind.code}),
        approval_badge() if unapproved else None,
        html.Div(fig.detail, className="small text-muted"),
        html.Div(fig.coverage, className="small text-muted figure-coverage"),
        html.Div(f"{_('common.target')}: {svc.target_text(ind, prog)}", className="small"),
    ]
    if target is not None:
        gap = svc.gap_text(prog)
        if gap:
            lines.append(html.Div(f"{_('common.gap')}: {gap}", className="small"))
        projected = svc.projected_text(prog)
        if projected:
            lines.append(
                html.Div(
                    f"{_('common.projection', year=target.target_year)}: {projected}",
                    className="small",
                )
            )
        lines.append(html.Div(status_badge(prog), className="mt-1"))
        lines.append(html.Div(prog.basis, className="small text-muted figure-basis"))
    lines.append(
        html.A(
            _("common.records"),
            className="small stretched-link-none",
            href=view_link(
                PILLAR_PAGES.get(ind.pillar, "/"),
                period=period_code,
                district=district,
                indicator=ind.code,
            )
            + "#pl-records-card",
        )
    )
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(lines),
            className="h-100 target-card",
            id={"type": "ov-card", "code": ind.code},
        ),
        xs=12,
        sm=6,
        lg=4,
        xl=3,
        className="mb-3",
    )


@cache.figures("overview")
def update_overview(period_code, district_code, indicator_code, mode="all"):
    session = get_session()
    period = svc.get_period(session, period_code) or svc.latest_period(session)
    district = unit_picker.resolve(session, period, district_code)
    district_code = district.gso_code if district else None
    district_id = district.id if district else None
    approved_only = mode == "approved"
    state = workflow.approval(session, period, district_id, approved_only)
    rows = svc.summary(
        session, period, district_id, exclude=("pilot",), approved_only=approved_only
    )
    note = periods_svc.cut_short_note(period)
    cards = html.Div(
        [
            html.Div(state.note, className="small text-muted mb-2", id="ov-approval"),
            dbc.Alert(note, color="info", className="small py-2", id="ov-counted-on")
            if note
            else None,
            dbc.Alert(_("overview.no_indicators", period=period.code), color="warning")
            if not rows
            else None,
            dbc.Row(
                [
                    target_card(ind, prog, period.code, district_code, state.includes_unapproved)
                    for ind, prog, _f in rows
                ]
            ),
        ]
    )

    trends = {ind.code: (ind, figures) for ind, _prog, figures in rows}
    if indicator_code in trends:
        ind, figures = trends[indicator_code]
    else:
        ind = svc.get_indicator(session, indicator_code) or (
            rows[0][0] if rows else svc.list_indicators(session)[0]
        )
        figures = svc.trend(session, ind, district_id, approved_only=approved_only)
    trend = charts.trend_figure(ind, figures, district, ind.short_name)
    query = charts.ChartQuery(period, None, ind, approved_only)
    ranking = charts.ranking_chart(session, query)
    map_fig = charts.map_chart(session, query)
    boundaries = load_boundaries(current_app.config.get("BOUNDARIES_GEOJSON"))
    attribution = _("overview.map_attribution") if boundaries else ""
    params = {"period": period.code, "district": district_code, "mode": mode_param(mode)}
    progress = html.A(
        workflow.progress_summary(session, period),
        href=view_link("/tien-do-bao-cao", period=period.code),
    )
    noun = periods_svc.reporting_noun(period)
    return (
        progress,
        cards,
        trend,
        ranking,
        map_fig,
        attribution,
        view_link("/", indicator=ind.code, period=period.code, district=district_code),
        export_href("summary", "csv", **params),
        export_href("summary", "xlsx", **params),
        export_href("trend", "csv", indicator=ind.code, **params),
        export_href("trend", "xlsx", indicator=ind.code, **params),
        export_href("by-district", "csv", indicator=ind.code, **params),
        export_href("by-district", "xlsx", indicator=ind.code, **params),
        info_button(ind, "ov-chart"),
        trend_title(figures),
        _("overview.ranking_of", units=noun),
        _("overview.map_of", units=noun),
    )


def trend_title(figures) -> str:
    """ "Xu hướng 2021-2025": the years the trend covers (the indicator's periods in force)."""
    years = sorted({int(f.period[:4]) for f in figures})
    if not years:
        return _("overview.trend")
    span = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return _("overview.trend_years", years=span)


def map_to_district(click):
    """Clicking a district on the map drills down to it (its GSO code is the first item of the
    point's `customdata`, see `components.maps`)."""
    try:
        return str(click["points"][0]["customdata"][0])
    except (TypeError, KeyError, IndexError):
        return no_update


def register(app: Dash) -> None:
    app.callback(
        Output("ov-progress", "children"),
        Output("ov-cards", "children"),
        Output("ov-trend", "figure"),
        Output("ov-ranking", "figure"),
        Output("ov-map", "figure"),
        Output("ov-map-attribution", "children"),
        Output("ov-link", "href"),
        Output("ov-export-cards-csv", "href"),
        Output("ov-export-cards-xlsx", "href"),
        Output("ov-export-trend-csv", "href"),
        Output("ov-export-trend-xlsx", "href"),
        Output("ov-export-ranking-csv", "href"),
        Output("ov-export-ranking-xlsx", "href"),
        Output("ov-indicator-info", "children"),
        Output("ov-trend-title", "children"),
        Output("ov-ranking-title", "children"),
        Output("ov-map-title", "children"),
        Input("ov-period", "value"),
        Input("ov-district", "value"),
        Input("ov-indicator", "value"),
        Input("data-mode", "value"),
    )(update_overview)
    app.callback(
        Output("ov-district", "value"),
        Input("ov-map", "clickData"),
        prevent_initial_call=True,
    )(map_to_district)
    unit_picker.register(app, "ov")
