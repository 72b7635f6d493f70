"""Moving accounts (administrators): the editor accounts of units that have ended, the unit
proposed for each from the units' lineage, a choice among the units in force, and the move,
confirmed in a dialog (`services.account_moves`)."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.controls import dialog, loading
from dashboard.components.grids import grid_locale
from dashboard.i18n import _
from dashboard.services import workflow

dash.register_page(
    __name__,
    path="/quan-tri/chuyen-tai-khoan",
    name=_("account_moves.nav"),
    name_key="account_moves.nav",
    title=lambda **_kw: _("account_moves.title"),
    order=12,
    nav=True,
    group="admin",
    access="administer",
)


def confirm_dialog() -> dbc.Modal:
    """Lists the moves asked for; they are made only from its confirm button."""
    return dialog(
        "cm-confirm",
        [
            dbc.Button(
                _("account_moves.cancel"), id="cm-confirm-cancel", color="secondary", outline=True
            ),
            dbc.Button(_("account_moves.confirm_ok"), id="cm-confirm-ok", color="primary"),
        ],
        title=_("account_moves.confirm_title"),
    )


def moves_grid() -> dag.AgGrid:
    """One row per account; the new unit is chosen in the grid (a select per row, its choices
    in the row's `_editor`), the rows to move are ticked."""
    return dag.AgGrid(
        id="cm-grid",
        rowData=[],
        columnDefs=[],
        getRowId="params.data.username",
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 110},
        dashGridOptions={
            "rowSelection": {
                "mode": "multiRow",
                "checkboxes": True,
                "headerCheckbox": True,
                "enableClickSelection": False,
            },
            "singleClickEdit": True,
            "stopEditingWhenCellsLoseFocus": True,
            "pagination": True,
            "paginationPageSize": 20,
            "localeText": grid_locale(),
        },
        columnSize="responsiveSizeToFit",
        style={"height": "520px"},
    )


def layout(**_query):
    if not policy.can_administer(current_user):
        return dbc.Alert(_("error.403"), color="warning", id="cm-forbidden")
    today = workflow.today_in_vietnam()
    return html.Div(
        [
            dcc.Store(id="cm-refresh", data=0),
            # The moves the dialog asks to confirm: the day and the (username, code) rows.
            dcc.Store(id="cm-pending", data=None),
            html.H1(_("account_moves.title"), className="h3"),
            html.P(_("account_moves.intro"), className="text-muted"),
            dbc.Row(
                dbc.Col(
                    [
                        dbc.Label(_("account_moves.on"), html_for="cm-on"),
                        dbc.Input(id="cm-on", type="date", value=today.isoformat()),
                    ],
                    md=3,
                ),
                className="g-2 mb-2",
            ),
            html.P(_("account_moves.select_hint"), className="small text-muted mb-1"),
            loading(html.Div([moves_grid(), html.Div(id="cm-summary", role="status")])),
            dbc.Button(
                _("account_moves.move_selected"),
                id="cm-move",
                color="primary",
                className="mt-3",
            ),
            loading(html.Div(id="cm-msg", className="mt-2", role="status")),
            confirm_dialog(),
        ]
    )
