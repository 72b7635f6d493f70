"""Pilot smart communes and villages: by status and field, and the registry of models."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.controls import graph_card
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


def layout(**_query):
    return html.Div(
        [
            view_store("pi", "/mo-hinh-thi-diem"),
            html.H1(_("pilots.title"), className="h3"),
            html.P(_("pilots.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(graph_card(_("pilots.by_status"), "pi-status"), lg=6),
                    dbc.Col(graph_card(_("pilots.by_field"), "pi-field"), lg=6),
                ]
            ),
            registry_section("pilot_models"),
        ]
    )
