"""Audit log (administrators): every change and transition in words, filterable (by user, unit,
indicator and dates: `?user=&unit=&indicator=&start=&end=` restores them), exportable; a row
opens the change's detail, before → after side by side."""

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.controls import card, export_links, loading
from dashboard.components.grids import records_grid
from dashboard.components.view_url import view_store
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


def _chosen(value, options: list[dict]):
    """`value` from the query string if it is one of `options` (compared as text), else None."""
    if value in (None, ""):
        return None
    return next((o["value"] for o in options if str(o["value"]) == str(value)), None)


def _day(value) -> str | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat() if value else None
    except ValueError:
        return None


def _filter(label: str, component_id: str, control) -> dbc.Col:
    return dbc.Col(
        [dbc.Label(label, html_for=component_id, className="small mb-1"), control],
        xs=12,
        md=6,
        xl=3,
    )


def layout(user=None, unit=None, indicator=None, start=None, end=None, **_query):
    if not policy.can_administer(current_user):
        return dbc.Alert(_("error.403"), color="warning", id="au-forbidden")
    users, units, indicators = audit_filter_options()
    grid = records_grid("au-grid")
    grid.dashGridOptions = {
        **grid.dashGridOptions,
        "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
    }
    return html.Div(
        [
            view_store("au", "/nhat-ky"),
            html.H1(_("audit.title"), className="h3"),
            html.P(_("audit.intro"), className="text-muted"),
            dbc.Row(
                [
                    _filter(
                        _("audit.user"),
                        "au-user",
                        dcc.Dropdown(
                            id="au-user",
                            options=users,
                            value=_chosen(user, users),
                            placeholder=_("audit.all_users"),
                        ),
                    ),
                    _filter(
                        _("common.unit"),
                        "au-unit",
                        dcc.Dropdown(
                            id="au-unit",
                            options=units,
                            value=_chosen(unit, units),
                            placeholder=_("audit.all_units"),
                        ),
                    ),
                    _filter(
                        _("filter.indicator"),
                        "au-indicator",
                        dcc.Dropdown(
                            id="au-indicator",
                            options=indicators,
                            value=_chosen(indicator, indicators),
                            placeholder=_("audit.all_indicators"),
                        ),
                    ),
                    _filter(
                        _("audit.dates"),
                        "au-dates",
                        dcc.DatePickerRange(
                            id="au-dates",
                            start_date=_day(start),
                            end_date=_day(end),
                            display_format="DD/MM/YYYY",
                            month_format="MMMM YYYY",
                            first_day_of_week=1,
                            start_date_placeholder_text=_("audit.from_date"),
                            end_date_placeholder_text=_("audit.to_date"),
                            clearable=True,
                        ),
                    ),
                ],
                className="g-2 mb-3",
            ),
            html.Div(id="au-count", className="small text-muted mb-1", role="status"),
            html.P(_("audit.detail.hint"), className="small text-muted mb-2"),
            card(_("audit.title"), loading(grid), actions=export_links("au-export")),
            dbc.Modal(
                [
                    dbc.ModalHeader(
                        dbc.ModalTitle(_("audit.detail.title"), id="au-detail-title"),
                        close_button=False,
                    ),
                    dbc.ModalBody(id="au-detail-body"),
                    dbc.ModalFooter(
                        html.Button(
                            _("audit.detail.close"),
                            id="au-detail-close",
                            type="button",
                            className="btn btn-secondary",
                        )
                    ),
                ],
                id="au-detail",
                is_open=False,
                size="lg",
                scrollable=True,
                labelledby="au-detail-title",
            ),
            dcc.Store(id="au-locale"),
        ]
    )
