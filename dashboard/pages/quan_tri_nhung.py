"""Embed builder (administrators): choose a published chart and its parameters, preview it at
portal widths, copy the iframe snippet; signed links (create, edit, revoke, views); each chart
private or public with locked parameters."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard import charts
from dashboard.auth import policy
from dashboard.callbacks.embed_admin import (
    DEFAULT_WIDTH,
    WIDTHS,
    chart_options,
    default_expiry,
)
from dashboard.components.controls import card, loading, period_dropdown
from dashboard.components.grids import records_grid
from dashboard.components.unit_picker import unit_dropdown
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicators as svc

dash.register_page(
    __name__,
    path="/quan-tri/nhung",
    name=_("embed_admin.nav"),
    name_key="embed_admin.nav",
    title=lambda **_kw: _("embed_admin.title"),
    order=11,
    nav=True,
    group="admin",
    access="administer",
)


def _builder(first_chart: str, period):
    return card(
        _("embed_admin.builder"),
        [
            dbc.Label(_("embed_admin.chart"), html_for="ea-chart"),
            dcc.Dropdown(
                id="ea-chart",
                options=chart_options(),
                value=first_chart,
                clearable=False,
                optionHeight=48,
            ),
            html.Div(
                period_dropdown("ea-period", period.code if period else None),
                id="ea-period-field",
                className="mt-2",
            ),
            html.Div(
                unit_dropdown("ea-district", period, ""), id="ea-district-field", className="mt-2"
            ),
            html.Div(
                [
                    dbc.Label(_("filter.indicator"), html_for="ea-indicator"),
                    dcc.Dropdown(id="ea-indicator", options=[], clearable=False, optionHeight=48),
                ],
                id="ea-indicator-field",
                className="mt-2",
            ),
            dbc.Label(_("embed_admin.language"), className="mt-3 d-block"),
            dbc.RadioItems(
                id="ea-lang",
                options=[
                    {"label": _("embed_admin.lang.vi"), "value": "vi"},
                    {"label": _("embed_admin.lang.en"), "value": "en"},
                ],
                value="vi",
                inline=True,
            ),
            dbc.Label(_("embed_admin.kind"), className="mt-2 d-block"),
            dbc.RadioItems(
                id="ea-kind",
                options=[
                    {"label": _("embed_admin.kind.public"), "value": "public"},
                    {"label": _("embed_admin.kind.signed"), "value": "signed"},
                ],
                value="public",
            ),
            html.Div(
                [
                    html.Div(id="ea-editing", className="small text-muted mt-2", role="status"),
                    dbc.Label(_("embed_admin.label"), html_for="ea-label", className="mt-2"),
                    dbc.Input(id="ea-label", maxLength=200, value=""),
                    dbc.FormText(_("embed_admin.label_hint")),
                    html.Div(
                        [
                            dbc.Label(_("embed_admin.expires_at"), html_for="ea-expires"),
                            dbc.Input(id="ea-expires", type="date", value=default_expiry()),
                            dbc.FormText(_("embed_admin.expires_hint")),
                        ],
                        className="mt-2",
                    ),
                    html.Div(
                        [
                            dbc.Button(_("embed_admin.create"), id="ea-create", color="primary"),
                            dbc.Button(
                                _("embed_admin.update"),
                                id="ea-update",
                                color="secondary",
                                disabled=True,
                            ),
                            dbc.Button(
                                _("embed_admin.revoke"),
                                id="ea-revoke",
                                color="danger",
                                outline=True,
                                disabled=True,
                            ),
                            dbc.Button(
                                _("embed_admin.new"), id="ea-new", color="link", className="px-1"
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 mt-3",
                    ),
                ],
                id="ea-signed-fields",
                style={"display": "none"},
            ),
            html.Div(id="ea-msg", className="mt-2", role="status"),
        ],
        card_id="ea-builder",
    )


def _preview():
    widths = dbc.ButtonGroup(
        [
            dbc.Button(
                f"{w} px",
                id=f"ea-w-{w}",
                color="primary",
                outline=w != DEFAULT_WIDTH,
                size="sm",
            )
            for w in WIDTHS
        ],
        id="ea-width",
    )
    return card(
        _("embed_admin.preview"),
        [
            html.Div(
                [html.Span(_("embed_admin.portal_width"), className="small me-2"), widths],
                className="d-flex flex-wrap align-items-center gap-1 mb-2",
            ),
            html.Div(id="ea-preview-note", className="small text-warning-emphasis mb-2"),
            html.Div(
                html.Iframe(id="ea-preview", src="about:blank", title=_("embed_admin.preview")),
                style={"overflowX": "auto", "maxWidth": "100%"},
                className="bg-light p-1 rounded",
                # Scrolls sideways at portal widths wider than a phone: reachable by keyboard.
                tabIndex="0",
                role="region",
                **{"aria-label": _("embed_admin.preview")},
            ),
            html.A(
                _("embed_admin.open_new_tab"),
                id="ea-open",
                href=None,
                target="_blank",
                rel="noopener",
                className="small d-inline-block mt-2",
            ),
        ],
        card_id="ea-preview-card",
    )


def _snippet():
    return card(
        _("embed_admin.snippet"),
        [
            html.P(_("embed_admin.snippet_hint"), className="small text-muted"),
            dbc.Label(_("embed_admin.snippet"), html_for="ea-snippet", className="visually-hidden"),
            dbc.Textarea(
                id="ea-snippet",
                readOnly=True,
                rows=5,
                value="",
                className="font-monospace small",
                style={"wordBreak": "break-all"},
            ),
            html.Div(
                [
                    dbc.Button(_("embed_admin.copy"), id="ea-copy", color="primary", size="sm"),
                    html.Span(id="ea-copy-status", className="small", role="status"),
                ],
                className="d-flex align-items-center gap-2 mt-2",
            ),
            html.Div(
                [
                    html.Span(_("embed_admin.url") + ": ", className="small"),
                    html.Code(id="ea-url", className="small", style={"wordBreak": "break-all"}),
                ],
                className="mt-2",
            ),
        ],
        card_id="ea-snippet-card",
    )


def _selectable_grid(grid_id: str, row_id: str):
    """A records grid whose rows are chosen one at a time by a click, keyed by `row_id`."""
    grid = records_grid(grid_id)
    grid.dashGridOptions = {
        **grid.dashGridOptions,
        "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
    }
    grid.getRowId = f"params.data.{row_id}"
    grid.style = {"height": "360px"}
    return grid


def _links():
    grid = _selectable_grid("ea-links-grid", "id")
    return card(
        _("embed_admin.links"),
        [
            html.P(_("embed_admin.links_hint"), className="small text-muted"),
            loading(grid),
            dcc.ConfirmDialog(id="ea-revoke-confirm", message=""),
        ],
        card_id="ea-links-card",
    )


def _chart_settings():
    grid = _selectable_grid("ea-charts-grid", "chart_id")
    return card(
        _("embed_admin.settings"),
        [
            html.P(_("embed_admin.settings_hint"), className="small text-muted"),
            html.Div(id="ea-chart-state", className="small mb-2", role="status"),
            dbc.Switch(id="ea-private", label=_("embed_admin.private"), value=False),
            dbc.FormText(_("embed_admin.private_hint")),
            dbc.Label(_("embed_admin.lock"), className="mt-2 d-block"),
            dbc.Checklist(id="ea-lock", options=[], value=[], inline=True),
            dbc.FormText(_("embed_admin.lock_hint")),
            html.Div(
                dbc.Button(_("embed_admin.save_chart"), id="ea-chart-save", color="primary"),
                className="mt-2",
            ),
            html.Div(id="ea-chart-msg", className="mt-2", role="status"),
            html.Div(loading(grid), className="mt-3"),
        ],
        card_id="ea-settings-card",
    )


def layout(**_query):
    if not policy.can_administer(current_user):
        return dbc.Alert(_("error.403"), color="warning", id="ea-forbidden")
    period = svc.latest_period(get_session())
    return html.Div(
        [
            dcc.Store(id="ea-refresh", data=0),
            dcc.Store(id="ea-link", data=None),
            dcc.Store(id="ea-chart-version", data=None),
            dcc.Store(id="ea-resize-ready", data=False),
            dcc.Store(
                id="ea-copy-texts",
                data={
                    "copied": _("embed_admin.copied"),
                    "failed": _("embed_admin.copy_failed"),
                    "empty": _("embed_admin.copy_empty"),
                },
            ),
            html.H1(_("embed_admin.title"), className="h3"),
            html.P(_("embed_admin.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(_builder(next(iter(charts.CHARTS)), period), lg=5),
                    dbc.Col([_preview(), _snippet()], lg=7),
                ],
                className="g-3",
            ),
            _links(),
            _chart_settings(),
        ]
    )
