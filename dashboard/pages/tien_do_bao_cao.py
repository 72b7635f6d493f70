"""Reporting progress: each district's report status for a period, timeliness, completeness."""

import dash
from dash import dcc, html

from dashboard.components.controls import (
    card,
    export_links,
    loading,
    period_dropdown,
    resolve_period,
)
from dashboard.components.grids import records_grid
from dashboard.components.view_url import view_store
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/tien-do-bao-cao",
    name=_("nav.progress"),
    title=lambda **_kw: _("nav.progress"),
    order=8,
    nav=True,
    group="reporting",
)


def layout(period=None, **_query):
    period_obj = resolve_period(period)
    return html.Div(
        [
            view_store("pr", "/tien-do-bao-cao"),
            html.H1(_("progress.title"), className="h3"),
            html.P(_("progress.intro"), className="text-muted"),
            html.Div(
                period_dropdown("pr-period", period_obj.code if period_obj else None),
                style={"maxWidth": "220px"},
                className="mb-3",
            ),
            html.Div(id="pr-summary", className="fw-semibold mb-3", role="status"),
            card(
                _("progress.title"),
                loading(records_grid("pr-grid")),
                actions=export_links("pr-export"),
            ),
            dcc.Store(id="pr-dummy"),
        ]
    )
