"""Administration (NTM Coordination Office): users, periods and deadlines, targets by scope
and the communes' groups."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.auth.passwords import policy_hint
from dashboard.components.controls import loading
from dashboard.components.grids import records_grid
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.models.indicators import PERIOD_KINDS
from dashboard.models.users import ROLES
from dashboard.services import admin
from dashboard.services.admin import PROVINCE_CHOICE
from dashboard.services.admin_lookups import admin_options

dash.register_page(
    __name__,
    path="/quan-tri",
    name=_("nav.admin"),
    title=lambda **_kw: _("nav.admin"),
    order=10,
    nav=True,
    group="admin",
    access="administer",
)


def _field(label, component, control_id: str | None = None):
    """A labelled control; the label's `for` is the control's id (`control_id` when the control
    is wrapped, e.g. with a hint)."""
    target = control_id or component.id
    return dbc.Col([dbc.Label(label, html_for=target), component], md=4)


def _users_tab(districts):
    roles = [{"label": _(f"role.{r}", unit="").strip(), "value": r} for r in ROLES]
    grid = records_grid("ad-users-grid", fit=False)
    grid.dashGridOptions = {
        **grid.dashGridOptions,
        "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
    }
    return html.Div(
        [
            html.P(_("admin.select_user_hint"), className="small text-muted mt-2"),
            loading(grid),
            dbc.Row(
                [
                    _field(_("admin.username"), dbc.Input(id="ad-username")),
                    _field(_("admin.full_name"), dbc.Input(id="ad-fullname")),
                    _field(
                        _("admin.email"),
                        dbc.Input(id="ad-email", type="email", inputMode="email", maxLength=254),
                    ),
                    _field(
                        _("admin.role"), dbc.Select(id="ad-role", options=roles, value="viewer")
                    ),
                    _field(_("admin.scope"), dcc.Dropdown(id="ad-district", options=districts)),
                    _field(
                        _("admin.password"),
                        html.Div(
                            [
                                dbc.Input(
                                    id="ad-password", type="password", autoComplete="new-password"
                                ),
                                dbc.FormText(policy_hint(), id="ad-password-hint"),
                            ]
                        ),
                        "ad-password",
                    ),
                    _field(_("admin.active"), dbc.Switch(id="ad-active", value=True)),
                ],
                className="g-2 mt-2",
            ),
            html.Div(
                [
                    dbc.Button(
                        _("admin.create_user"), id="ad-create", color="primary", className="me-2"
                    ),
                    dbc.Button(
                        _("admin.update_user"), id="ad-update", color="secondary", className="me-2"
                    ),
                    dbc.Button(_("admin.reset_password"), id="ad-reset", color="warning"),
                ],
                className="mt-3",
            ),
            html.Div(id="ad-user-msg", className="mt-2", role="status"),
        ]
    )


def _periods_tab():
    kinds = [{"label": _(f"period_kind.{k}"), "value": k} for k in PERIOD_KINDS]
    return html.Div(
        [
            loading(records_grid("ad-periods-grid", fit=False)),
            dbc.Row(
                [
                    _field(_("admin.code"), dbc.Input(id="ad-period-code", placeholder="2024-Q3")),
                    _field(
                        _("admin.kind"),
                        dbc.Select(id="ad-period-kind", options=kinds, value="year"),
                    ),
                    _field(_("field.started_on"), dbc.Input(id="ad-period-start", type="date")),
                    _field(_("field.ended_on"), dbc.Input(id="ad-period-end", type="date")),
                    _field(_("admin.deadline"), dbc.Input(id="ad-period-deadline", type="date")),
                ],
                className="g-2 mt-2",
            ),
            dbc.Button(
                _("admin.save_period"), id="ad-period-save", color="primary", className="mt-3"
            ),
            html.Div(id="ad-period-msg", className="mt-2", role="status"),
        ]
    )


def _targets_tab(indicators, scopes):
    grid = records_grid("ad-targets-grid", fit=False)
    grid.dashGridOptions = {
        **grid.dashGridOptions,
        "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
    }
    return html.Div(
        [
            html.P(_("targets_admin.select_hint"), className="small text-muted mt-2"),
            loading(grid),
            dbc.Row(
                [
                    _field(
                        _("filter.indicator"),
                        dcc.Dropdown(id="ad-target-indicator", options=indicators),
                    ),
                    _field(
                        _("targets_admin.scope"),
                        dcc.Dropdown(
                            id="ad-target-scope",
                            options=scopes,
                            value=PROVINCE_CHOICE,
                            clearable=False,
                        ),
                    ),
                    _field(
                        _("common.year"),
                        dbc.Input(id="ad-target-year", value="2025", inputMode="numeric"),
                    ),
                    _field(
                        _("common.target"), dbc.Input(id="ad-target-value", inputMode="decimal")
                    ),
                    dbc.Col(
                        [
                            dbc.Label(
                                _("targets_admin.milestones"), html_for="ad-target-milestones"
                            ),
                            dbc.Input(id="ad-target-milestones", placeholder="2023: 60; 2024: 75"),
                            dbc.FormText(_("targets_admin.milestones_hint")),
                        ],
                        md=8,
                    ),
                ],
                className="g-2 mt-2",
            ),
            html.Div(
                [
                    dbc.Button(
                        _("admin.save_target"),
                        id="ad-target-save",
                        color="primary",
                        className="me-2",
                    ),
                    dbc.Button(
                        _("targets_admin.delete"),
                        id="ad-target-delete",
                        color="danger",
                        outline=True,
                    ),
                ],
                className="mt-3",
            ),
            dcc.ConfirmDialog(id="ad-target-delete-confirm", message=""),
            html.Div(id="ad-target-msg", className="mt-2", role="status"),
        ]
    )


def _groups_tab(communes):
    return html.Div(
        [
            html.P(_("groups_admin.hint"), className="small text-muted mt-2"),
            loading(records_grid("ad-groups-grid", fit=False)),
            dbc.Row(
                [
                    _field(
                        _("groups_admin.commune"),
                        dcc.Dropdown(id="ad-group-unit", options=communes),
                    ),
                    _field(
                        _("groups_admin.group"),
                        dbc.Input(id="ad-group-code", placeholder="1", maxLength=8),
                    ),
                    _field(
                        _("groups_admin.valid_from"), dbc.Input(id="ad-group-from", type="date")
                    ),
                    _field(_("groups_admin.valid_to"), dbc.Input(id="ad-group-to", type="date")),
                    dbc.Col(
                        [
                            dbc.Label(_("common.legal_basis"), html_for="ad-group-basis"),
                            dbc.Input(id="ad-group-basis", maxLength=300),
                        ],
                        md=8,
                    ),
                ],
                className="g-2 mt-2",
            ),
            dbc.Button(
                _("groups_admin.save"), id="ad-group-save", color="primary", className="mt-3"
            ),
            html.Div(id="ad-group-msg", className="mt-2", role="status"),
        ]
    )


def layout(**_query):
    if not policy.can_administer(current_user):
        return dbc.Alert(_("error.403"), color="warning", id="ad-forbidden")
    districts, indicators = admin_options()
    session = get_session()
    scopes, communes = admin.target_scope_options(session), admin.commune_options(session)
    return html.Div(
        [
            dcc.Store(id="ad-refresh", data=0),
            html.H1(_("admin.title"), className="h3"),
            html.P(
                dcc.Link(_("indicator_admin.link"), href="/quan-tri/chi-tieu", id="ad-ind-link")
            ),
            dbc.Tabs(
                [
                    dbc.Tab(_users_tab(districts), label=_("admin.users"), tab_id="users"),
                    dbc.Tab(_periods_tab(), label=_("admin.periods"), tab_id="periods"),
                    dbc.Tab(
                        _targets_tab(indicators, scopes), label=_("admin.targets"), tab_id="targets"
                    ),
                    dbc.Tab(_groups_tab(communes), label=_("groups_admin.tab"), tab_id="groups"),
                ],
                active_tab="users",
            ),
        ]
    )
