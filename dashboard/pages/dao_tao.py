"""Training and communication: participants by audience and year, and the events registry."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.controls import graph_card
from dashboard.components.registry import registry_section
from dashboard.components.view_url import view_store
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/dao-tao",
    name=_("nav.training"),
    title=lambda **_kw: _("nav.training"),
    order=6,
    nav=True,
)


def layout(**_query):
    return html.Div(
        [
            view_store("tr", "/dao-tao"),
            html.H1(_("training.title"), className="h3"),
            html.P(_("training.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(graph_card(_("training.by_audience"), "tr-audience"), lg=6),
                    dbc.Col(graph_card(_("training.by_year"), "tr-year"), lg=6),
                ]
            ),
            registry_section("training_events"),
        ]
    )
