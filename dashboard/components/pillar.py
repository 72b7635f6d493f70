"""The layout shared by the three pillar pages (ids prefixed `pl-`; one page shows at a time)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts import PILLAR_PAGES
from dashboard.components.controls import (
    card,
    export_links,
    graph_card,
    indicator_dropdown,
    loading,
    period_dropdown,
    resolve_period,
)
from dashboard.components.grids import records_grid
from dashboard.components.pillar_edit import edit_panel
from dashboard.components.registry import registry_section
from dashboard.components.unit_picker import unit_dropdown
from dashboard.components.view_url import view_store
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicators as svc

PILLAR_REGISTRIES = {
    "government": ("district_plans",),
    "economy": ("cooperatives", "linkage_models"),
    "society": ("digital_services",),
}


def pillar_layout(
    pillar: str, period: str | None, district: str | None, indicator: str | None
) -> html.Div:
    session = get_session()
    inds = svc.list_indicators(session, pillar)
    period_obj = resolve_period(period)
    codes = [i.code for i in inds]
    selected = indicator if indicator in codes else (codes[0] if codes else None)
    return html.Div(
        [
            dcc.Store(id="pl-pillar", data=pillar),
            view_store("pl", PILLAR_PAGES[pillar]),
            dcc.Store(id="pl-refresh", data=0),
            html.H1(_(f"pillar.{pillar}"), className="h3"),
            html.P(_(f"pillar.{pillar}.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(
                        # wide enough for "2025 (tính đến 30/06/2025)"; half-years and
                        # quarters too, when the office has created them
                        period_dropdown(
                            "pl-period", period_obj.code if period_obj else None, sub_year=True
                        ),
                        md=3,
                    ),
                    dbc.Col(unit_dropdown("pl-district", period_obj, district), md=3),
                    dbc.Col(indicator_dropdown("pl-indicator", inds, selected), md=5),
                    dbc.Col(html.Div(id="pl-indicator-info"), width="auto", className="pb-1"),
                ],
                className="g-3 mb-3 align-items-end",
            ),
            html.Div(
                html.A(_("common.link"), id="pl-link", href="#", className="small"),
                className="mb-2",
            ),
            card(
                _("pillar.summary"),
                loading(html.Div(id="pl-summary")),
                actions=export_links("pl-export-summary"),
            ),
            dbc.Row(
                [
                    dbc.Col(
                        graph_card(
                            html.Span(_("pillar.by_district"), id="pl-by-district-title"),
                            "pl-by-district",
                            "pl-export-district",
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        graph_card(_("pillar.trend"), "pl-trend", "pl-export-trend"),
                        lg=6,
                    ),
                ]
            ),
            card(
                _("pillar.records"),
                [
                    html.P(
                        _("pillar.drill_hint"), className="small text-muted", id="pl-records-hint"
                    ),
                    html.Div(id="pl-records-title", className="fw-semibold mb-2"),
                    loading(records_grid("pl-records")),
                ],
                actions=export_links("pl-export-records"),
                card_id="pl-records-card",
            ),
            edit_panel(),
            *[registry_section(name) for name in PILLAR_REGISTRIES.get(pillar, ())],
        ]
    )
