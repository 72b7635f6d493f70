"""Overview: a card per target, trend, ranking and map of the units that report in the period."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.controls import (
    card,
    export_links,
    graph_card,
    indicator_dropdown,
    loading,
    period_dropdown,
    resolve_period,
)
from dashboard.components.unit_picker import unit_dropdown
from dashboard.components.view_url import view_store
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicators as svc

dash.register_page(
    __name__,
    path="/",
    name=_("nav.overview"),
    title=lambda **_kw: _("app.title"),
    order=1,
    nav=True,
)

DEFAULT_INDICATOR = "GOV-C8_4"


def layout(period=None, district=None, indicator=None, **_query):
    session = get_session()
    period_obj = resolve_period(period)
    inds = [i for i in svc.list_indicators(session) if i.pillar != "pilot"]
    codes = {i.code for i in inds}
    return html.Div(
        [
            view_store("ov", "/"),
            html.H1(_("overview.title"), className="h3"),
            html.P(_("overview.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(
                        # wide enough for "2025 (tính đến 30/06/2025)"
                        period_dropdown("ov-period", period_obj.code if period_obj else None),
                        md=3,
                    ),
                    dbc.Col(unit_dropdown("ov-district", period_obj, district), md=4),
                ],
                className="g-3 mb-3",
            ),
            html.Div(id="ov-progress", className="alert alert-light py-2", role="status"),
            html.Div(
                html.A(_("common.link"), id="ov-link", href="#", className="small"),
                className="mb-2",
            ),
            card(
                _("pillar.summary"),
                loading(html.Div(id="ov-cards")),
                actions=export_links("ov-export-cards"),
            ),
            dbc.Row(
                [
                    dbc.Col(
                        indicator_dropdown(
                            "ov-indicator",
                            inds,
                            indicator if indicator in codes else DEFAULT_INDICATOR,
                        ),
                        md=6,
                    ),
                    dbc.Col(html.Div(id="ov-indicator-info"), width="auto", className="pb-1"),
                ],
                className="mb-3 align-items-end",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        graph_card(
                            html.Span(_("overview.trend"), id="ov-trend-title"),
                            "ov-trend",
                            "ov-export-trend",
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        graph_card(
                            html.Span(_("overview.ranking"), id="ov-ranking-title"),
                            "ov-ranking",
                            "ov-export-ranking",
                        ),
                        lg=6,
                    ),
                ]
            ),
            card(
                html.Span(_("overview.map"), id="ov-map-title"),
                [
                    loading(dcc.Graph(id="ov-map", config={"displaylogo": False})),
                    html.P(id="ov-map-attribution", className="small text-muted mb-0"),
                ],
            ),
        ]
    )
