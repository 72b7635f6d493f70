"""The value-entry panel of the pillar pages (shown to accounts that may write something).

The panel follows the same locks as the data-entry grid: while the district's report of the
period is submitted or approved, an editor sees why and its inputs and buttons are disabled
(`pl-edit-fields`); a stored value can be cleared after a confirmation (`clear_dialog()`)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.controls import card, dialog
from dashboard.i18n import _


def clear_dialog() -> dbc.Modal:
    """Asks before a stored value is deleted; the consequence is filled in by the callback."""
    return dialog(
        "pl-clear",
        [
            dbc.Button(
                _("entry.confirm.cancel"), id="pl-clear-cancel", color="secondary", outline=True
            ),
            dbc.Button(_("edit.clear"), id="pl-clear-ok", color="danger"),
        ],
        title=_("edit.clear_title"),
    )


def _inputs() -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.Div(
                        [
                            dbc.Label(_("edit.value_bool"), html_for="pl-edit-bool"),
                            dbc.RadioItems(
                                id="pl-edit-bool",
                                inline=True,
                                options=[
                                    {"label": _("common.yes"), "value": "true"},
                                    {"label": _("common.no"), "value": "false"},
                                ],
                            ),
                            dbc.FormFeedback(id="pl-edit-bool-feedback", type="invalid"),
                        ],
                        id="pl-edit-bool-wrap",
                    ),
                    html.Div(
                        [
                            dbc.Label(_("edit.value_num"), html_for="pl-edit-value"),
                            dbc.Input(id="pl-edit-value", type="text", inputMode="decimal"),
                            dbc.FormFeedback(id="pl-edit-value-feedback", type="invalid"),
                        ],
                        id="pl-edit-value-wrap",
                    ),
                ],
                md=5,
            ),
            dbc.Col(
                html.Div(
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label(_("edit.numerator"), html_for="pl-edit-num"),
                                    dbc.Input(id="pl-edit-num", type="text", inputMode="numeric"),
                                    dbc.FormFeedback(id="pl-edit-num-feedback", type="invalid"),
                                ],
                                sm=6,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(_("edit.denominator"), html_for="pl-edit-den"),
                                    dbc.Input(id="pl-edit-den", type="text", inputMode="numeric"),
                                    dbc.FormFeedback(id="pl-edit-den-feedback", type="invalid"),
                                ],
                                sm=6,
                            ),
                        ],
                        className="g-2",
                    ),
                    id="pl-edit-ratio-wrap",
                ),
                md=7,
            ),
        ],
        className="g-3",
    )


def edit_panel() -> dbc.Card | None:
    """Value entry, shown to accounts that may write something (the service checks again)."""
    if not policy.can_edit_anything(current_user):
        return None
    own = policy.scope_unit(current_user)
    scope = _("edit.scope", unit=own.name) if own is not None else _("edit.scope_all")
    buttons = html.Div(
        [
            dbc.Button(_("common.save"), id="pl-edit-save", color="primary"),
            dbc.Button(
                _("edit.clear"), id="pl-edit-clear", color="danger", outline=True, disabled=True
            ),
        ],
        className="ne-actions mt-3",
    )
    body = [
        html.P(scope, className="small text-muted", id="pl-edit-scope"),
        html.Div(id="pl-edit-lock", role="status"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label(_("edit.unit"), html_for="pl-edit-unit"),
                        dcc.Dropdown(id="pl-edit-unit", options=[], clearable=False),
                    ],
                    md=4,
                    id="pl-edit-unit-wrap",
                ),
                dbc.Col(
                    # disabled as a whole while the period is locked for this account
                    html.Fieldset([_inputs(), buttons], id="pl-edit-fields", disabled=False),
                    md=8,
                ),
            ],
            className="g-3",
        ),
        html.Div(id="pl-edit-feedback", className="mt-3", role="status"),
        dcc.Store(id="pl-edit-version"),  # the version of the value the editor sees
        dcc.Store(id="pl-clear-pending"),  # the value the dialog asks to clear
        clear_dialog(),
    ]
    return card(_("edit.title"), body, card_id="pl-edit-card")
