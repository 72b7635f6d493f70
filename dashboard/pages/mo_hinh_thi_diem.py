"""Pilot smart communes and villages: by status and field on a period's count date, and the
registry of models with their status decisions."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.controls import graph_card, period_dropdown, resolve_period
from dashboard.components.registry import registry_section
from dashboard.components.view_url import view_store
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/mo-hinh-thi-diem",
    name=_("nav.pilots"),
    title=lambda **_kw: _("nav.pilots"),
    order=5,
    nav=True,
)


def layout(period=None, **_query):
    period_obj = resolve_period(period)
    return html.Div(
        [
            view_store("pi", "/mo-hinh-thi-diem"),
            html.H1(_("pilots.title"), className="h3"),
            html.P(_("pilots.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(
                        period_dropdown("pi-period", period_obj.code if period_obj else None),
                        md=3,
                    ),
                    dbc.Col(
                        html.P(id="pi-status-day", className="small text-muted mb-1"),
                        className="align-self-end",
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(graph_card(_("pilots.by_status"), "pi-status"), lg=6),
                    dbc.Col(graph_card(_("pilots.by_field"), "pi-field"), lg=6),
                ]
            ),
            registry_section("pilot_models"),
        ]
    )
