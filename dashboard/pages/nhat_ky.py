"""Audit log (administrators): every change and transition, filterable and exportable."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.controls import card, export_links, loading
from dashboard.components.grids import records_grid
from dashboard.i18n import _
from dashboard.services.admin_lookups import audit_filter_options

dash.register_page(
    __name__,
    path="/nhat-ky",
    name=_("nav.audit"),
    title=lambda **_kw: _("nav.audit"),
    order=9,
    nav=True,
    group="admin",
    access="administer",
)


def layout(**_query):
    if not policy.can_administer(current_user):
        return dbc.Alert(_("error.403"), color="warning", id="au-forbidden")
    users, units, indicators = audit_filter_options()
    return html.Div(
        [
            html.H1(_("audit.title"), className="h3"),
            html.P(_("audit.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Dropdown(id="au-user", options=users, placeholder=_("audit.all_users")),
                        md=3,
                    ),
                    dbc.Col(
                        dcc.Dropdown(id="au-unit", options=units, placeholder=_("audit.all_units")),
                        md=3,
                    ),
                    dbc.Col(
                        dcc.Dropdown(
                            id="au-indicator",
                            options=indicators,
                            placeholder=_("audit.all_indicators"),
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        dcc.DatePickerRange(
                            id="au-dates", display_format="DD/MM/YYYY", clearable=True
                        ),
                        md=3,
                    ),
                ],
                className="g-2 mb-3",
            ),
            html.Div(id="au-count", className="small text-muted mb-2", role="status"),
            card(
                _("audit.title"),
                loading(records_grid("au-grid")),
                actions=export_links("au-export"),
            ),
        ]
    )
