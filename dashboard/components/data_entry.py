"""Layout of the data-entry page: district and period, report status and actions (each
confirmed in a dialog), the grid (one unit at a time on phones), the Excel round-trip and the
registries of the district. `assets/entry.js` warns before unsaved grid edits are left behind."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import current_app
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components import unit_picker
from dashboard.components.controls import (
    card,
    dialog,
    loading,
    period_dropdown,
    resolve_period,
)
from dashboard.components.grids import grid_locale
from dashboard.components.registry import registry_section
from dashboard.components.view_url import view_store
from dashboard.db import get_session
from dashboard.i18n import _, fmt_number
from dashboard.services.registry_specs import REGISTRIES


def _district_picker(selected: str | None, period):
    """The unit whose records the page edits: an editor's own unit, fixed; for the office,
    the units that report in the period (districts for 2021-2025, communes after the reform:
    `unit_picker`), following the period (`callbacks.data_entry`)."""
    session = get_session()
    own = policy.scope_unit(current_user)
    label = dbc.Label(unit_picker.label(period), html_for="ne-district", id="ne-district-label")
    if own is not None:
        options = [{"label": f"{own.name} ({own.gso_code})", "value": own.gso_code}]
        return own.gso_code, html.Div(
            [
                label,
                dcc.Dropdown(
                    id="ne-district",
                    options=options,
                    value=own.gso_code,
                    clearable=False,
                    disabled=True,
                ),
            ]
        )
    options = unit_picker.options(session, period)[1:]  # one unit at a time: no "whole province"
    codes = [o["value"] for o in options]
    value = selected if selected in codes else (codes[0] if codes else None)
    return value, html.Div(
        [
            label,
            dcc.Dropdown(id="ne-district", options=options, value=value, clearable=False),
        ]
    )


def workflow_card() -> dbc.Card:
    """The report's status and the transitions; each button opens `confirm_dialog()`."""
    admin = policy.can_administer(current_user)
    buttons = [dbc.Button(_("entry.submit"), id="ne-submit", color="primary")]
    if admin:
        buttons += [
            dbc.Button(_("entry.approve"), id="ne-approve", color="success"),
            dbc.Button(_("entry.return"), id="ne-return", color="warning"),
            dbc.Button(_("entry.reopen"), id="ne-reopen", color="secondary"),
        ]
    reason = (
        html.Div(
            [
                dbc.Label(_("workflow.reason"), html_for="ne-reason", className="visually-hidden"),
                dbc.Input(
                    id="ne-reason", placeholder=_("entry.reason_placeholder"), maxLength=1000
                ),
                dbc.FormFeedback(id="ne-reason-feedback", type="invalid"),
            ]
        )
        if admin
        else html.Div(id="ne-reason")
    )
    body = [
        html.Div(id="ne-status", className="mb-2"),
        dbc.Row(
            [
                dbc.Col(html.Div(buttons, className="ne-actions"), md=7),
                dbc.Col(reason, md=5),
            ],
            className="g-2",
        ),
        html.Div(id="ne-wf-msg", className="mt-2", role="status"),
    ]
    return card(_("entry.report"), body, card_id="ne-workflow")


def confirm_dialog() -> dbc.Modal:
    """The confirmation of a report transition: title, consequence and reason are filled in by
    the callback that opens it; the transition runs only from its confirm button."""
    return dialog(
        "ne-confirm",
        [
            dbc.Button(
                _("entry.confirm.cancel"), id="ne-confirm-cancel", color="secondary", outline=True
            ),
            dbc.Button(_("entry.submit"), id="ne-confirm-ok", color="primary"),
        ],
    )


def switch_dialog() -> dbc.Modal:
    """Asked when the district or period changes while the grid has unsaved edits."""
    return dialog(
        "ne-switch",
        [
            dbc.Button(_("entry.switch.stay"), id="ne-switch-stay", color="primary"),
            dbc.Button(
                _("entry.switch.discard"), id="ne-switch-discard", color="danger", outline=True
            ),
        ],
        title=_("entry.switch.title"),
    )


def guard_settings() -> html.Div:
    """What `assets/entry.js` needs from the server: the warning before leaving with unsaved
    edits and the texts of the unsaved-changes line (`{count}`, `{cleared}` filled in by the
    script). Its presence on a page is what arms the guard."""
    return html.Div(
        id="ne-guard",
        hidden=True,
        **{
            "data-message": _("entry.guard.leave"),
            "data-none": _("entry.no_changes"),
            "data-changes": _("entry.changes", count="{count}"),
            "data-cleared": _("entry.changes_cleared", count="{count}", cleared="{cleared}"),
        },
    )


def grid_tab() -> html.Div:
    grid = dag.AgGrid(
        id="ne-grid",
        rowData=[],
        columnDefs=[],
        getRowId="params.data.row_id",
        defaultColDef={
            "resizable": True,
            "minWidth": 120,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "singleClickEdit": True,
        },
        dashGridOptions={
            "localeText": grid_locale(),
            "stopEditingWhenCellsLoseFocus": True,
            "tooltipShowDelay": 200,
        },
        className="ag-theme-quartz ne-grid",
        style={"height": "560px"},
    )
    return html.Div(
        [
            html.P(
                [_("entry.grid_help"), " ", _("entry.grid_clear_help")],
                className="small text-muted mt-2 d-none d-md-block",
            ),
            html.Div(
                _("entry.no_changes"), id="ne-changes", className="mb-2 fw-semibold", role="status"
            ),
            html.Div(loading(grid), className="d-none d-md-block"),
            phone_view(),
            html.Div(
                [
                    dbc.Button(_("entry.save_all"), id="ne-save", color="primary"),
                    dbc.Button(
                        _("entry.discard"), id="ne-discard", color="secondary", outline=True
                    ),
                ],
                className="mt-3 ne-actions",
            ),
            loading(html.Div(id="ne-save-msg", className="mt-3", role="status")),
        ]
    )


def phone_view() -> html.Div:
    """Below the `md` breakpoint, instead of the grid: one unit at a time, its indicators as a
    vertical form (rendered by the callbacks) that edits the grid's rows, saved by the same
    button, service and versions."""
    return html.Div(
        [
            html.P(_("entry.phone.help"), className="small text-muted mt-2"),
            dbc.Label(_("entry.phone.unit"), html_for="ne-m-unit"),
            dcc.Dropdown(id="ne-m-unit", options=[], clearable=False, searchable=False),
            dcc.Store(id="ne-m-initial", data={}),
            html.Div(id="ne-m-form", className="mt-3 ne-phone-form"),
        ],
        className="d-md-none ne-phone",
        id="ne-phone",
    )


def _mb(n: int) -> str:
    mb = n / (1024 * 1024)
    return fmt_number(mb, 0 if mb.is_integer() else 1)


def upload_limit_notice(max_bytes: int) -> list:
    """What the page needs to refuse a file above `max_bytes` before sending it: the closed
    alert assets/upload.js opens, and the limit and message it reads (`{name}` and `{size}`
    are filled in by the script)."""
    message = _("xl.upload.too_large", name="{name}", size="{size}", limit=_mb(max_bytes))
    return [
        dbc.Alert(
            "", id="ne-upload-too-large", is_open=False, color="danger", className="py-2 mt-3"
        ),
        html.Div(
            id="ne-upload-limit",
            hidden=True,
            **{"data-max-bytes": str(max_bytes), "data-message": message},
        ),
    ]


def excel_tab() -> html.Div:
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    return html.Div(
        [
            html.P(_("entry.excel_help"), className="small text-muted mt-2"),
            html.A(
                _("entry.download_template"),
                id="ne-template",
                href="#",
                className="btn btn-outline-primary mb-3",
                # a download: it does not leave the page (assets/entry.js asks nothing)
                **{"data-entry-keep": ""},
            ),
            dcc.Upload(
                id="ne-upload",
                children=html.Div([_("entry.upload_drop"), html.A(_("entry.upload_pick"))]),
                className="ne-upload",
                multiple=False,
                accept=".xlsx",
                max_size=max_bytes,
            ),
            *upload_limit_notice(max_bytes),
            loading(html.Div(id="ne-upload-msg", className="mt-3", role="status")),
        ]
    )


def data_entry_layout(district: str | None, period: str | None):
    if not policy.can_edit_anything(current_user):
        return dbc.Alert(_("auth.read_only"), color="info", id="ne-read-only")
    period_obj = resolve_period(period)
    district_code, picker = _district_picker(district, period_obj)
    registries = [registry_section(name, district_code, fit=False) for name in REGISTRIES]
    period_code = period_obj.code if period_obj else None
    return html.Div(
        [
            dcc.Store(id="ne-columns", data=[]),
            dcc.Store(id="ne-reload", data=0),
            dcc.Store(id="ne-seen-status", data=None),
            # The district and period whose grid is shown (the pickers may run ahead of it
            # while unsaved edits are kept), and the one asked for while edits are unsaved.
            dcc.Store(id="ne-target", data={"district": district_code, "period": period_code}),
            view_store("ne", "/nhap-lieu"),
            dcc.Store(id="ne-switch-to", data=None),
            # The transition the dialog asks to confirm: action, district, period, reason.
            dcc.Store(id="ne-confirm", data=None),
            guard_settings(),
            html.H1(_("entry.title"), className="h3"),
            html.P(_("entry.intro"), className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(period_dropdown("ne-period", period_code), md=3),
                    dbc.Col(picker, md=4),
                ],
                className="g-3 mb-3",
            ),
            workflow_card(),
            confirm_dialog(),
            switch_dialog(),
            dbc.Tabs(
                [
                    dbc.Tab(grid_tab(), label=_("entry.tab_grid"), tab_id="grid"),
                    dbc.Tab(excel_tab(), label=_("entry.tab_excel"), tab_id="excel"),
                    dbc.Tab(
                        html.Div(registries, className="mt-3"),
                        label=_("entry.tab_registries"),
                        tab_id="registries",
                    ),
                ],
                active_tab="grid",
                id="ne-tabs",
            ),
        ]
    )
