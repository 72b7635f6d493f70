"""A registry's table with export links and, for accounts that may write, an add/edit/delete form.

Component ids are dictionaries keyed by the registry name, so one set of pattern-matching
callbacks serves every registry on every page. The pilots' registry adds a dialog to record a
status decision of the selected pilot (`status_dialog`).
"""

from __future__ import annotations

import json

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.controls import card, export_href, loading
from dashboard.components.grids import grid_locale
from dashboard.i18n import _
from dashboard.models.registries import PILOT_STATUSES
from dashboard.services.registry_specs import CHOICE_PREFIX, REGISTRIES, FieldSpec

# The registry whose rows have dated statuses, recorded in their own dialog.
PILOTS = "pilot_models"


def rid(kind: str, name: str, **extra) -> dict:
    return {"type": f"reg-{kind}", "name": name, **extra}


def dom_id(component_id: dict) -> str:
    """The `id` attribute Dash renders for a pattern-matching id: its JSON with the keys
    sorted and no spaces (dash-renderer's `stringifyId`), for a label's `for`."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _input(name: str, f: FieldSpec):
    component_id = rid("field", name, field=f.name)
    if f.kind == "bool":
        return dbc.Select(
            id=component_id,
            value="false",
            options=[
                {"label": _("choice.bool.true"), "value": "true"},
                {"label": _("choice.bool.false"), "value": "false"},
            ],
        )
    if f.kind == "choice":
        return dbc.Select(
            id=component_id,
            value=f.choices[0] if f.required else "",
            options=[
                {"label": _(f"choice.{CHOICE_PREFIX[f.name]}.{c}"), "value": c} for c in f.choices
            ],
        )
    if f.kind == "date":
        return dbc.Input(id=component_id, type="date")
    return dbc.Input(
        id=component_id, type="text", inputMode="numeric" if f.kind == "int" else "text"
    )


def registry_form(name: str) -> html.Div:
    spec = REGISTRIES[name]
    fields = [
        dbc.Col(
            [
                dbc.Label(
                    _(f"field.{f.name}") + ("" if f.required else f" ({_('common.optional')})"),
                    html_for=dom_id(rid("field", name, field=f.name)),
                ),
                _input(name, f),
                dbc.FormFeedback(id=rid("feedback", name, field=f.name), type="invalid"),
            ],
            md=4,
        )
        for f in spec.form_fields
    ]
    status_controls = []
    if name == PILOTS:
        status_controls = [
            dbc.Button(
                _("pilot_status.open"),
                id=rid("ps-open", name),
                color="primary",
                outline=True,
                className="ms-2",
            ),
            status_dialog(name),
        ]
    return html.Div(
        [
            html.H3(_("registry.add_title"), className="h6 mt-3"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(_("field.unit"), html_for=dom_id(rid("unit", name))),
                            dcc.Dropdown(id=rid("unit", name), options=[], clearable=False),
                        ],
                        md=4,
                    ),
                    *fields,
                ],
                className="g-2",
            ),
            html.Div(
                [
                    dbc.Button(
                        _("common.add"), id=rid("add", name), color="primary", className="me-2"
                    ),
                    dbc.Button(
                        _("common.save"),
                        id=rid("update", name),
                        color="secondary",
                        className="me-2",
                        disabled=True,
                    ),
                    dbc.Button(
                        _("common.delete"),
                        id=rid("delete", name),
                        color="danger",
                        outline=True,
                        disabled=True,
                    ),
                    html.Span(_("registry.delete_hint"), className="small text-muted ms-2"),
                    *status_controls,
                ],
                className="mt-3",
            ),
            html.Div(id=rid("msg", name), className="mt-2", role="status"),
        ],
        className="registry-form",
    )


def _status_input(name: str, field: str):
    component_id = rid("ps-field", name, field=field)
    if field == "status":
        return dbc.Select(
            id=component_id,
            value=PILOT_STATUSES[1],
            options=[
                {"label": _(f"choice.{CHOICE_PREFIX['status']}.{c}"), "value": c}
                for c in PILOT_STATUSES
            ],
        )
    if field == "decided_on":
        return dbc.Input(id=component_id, type="date")
    if field == "note":
        return dbc.Textarea(id=component_id, rows=2)
    return dbc.Input(id=component_id, type="text", placeholder="123/QĐ-UBND")


def status_dialog(name: str) -> dbc.Modal:
    """The dialog recording a status decision of the selected pilot: status, date, decision
    number (optional for a proposal), note; the pilot's decisions so far below. Full screen on
    a phone."""
    fields = []
    for field, optional in (
        ("status", False),
        ("decided_on", False),
        ("decision_number", False),
        ("note", True),
    ):
        label = _(f"field.{field}") + (f" ({_('common.optional')})" if optional else "")
        item = [
            dbc.Label(label, html_for=dom_id(rid("ps-field", name, field=field))),
            _status_input(name, field),
        ]
        if field == "decision_number":
            item.append(dbc.FormText(_("pilot_status.number_hint")))
        item.append(dbc.FormFeedback(id=rid("ps-feedback", name, field=field), type="invalid"))
        fields.append(html.Div(item, className="mb-2"))
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(_("pilot_status.title_none"), id=rid("ps-title", name))),
            dbc.ModalBody(
                [
                    dcc.Store(id=rid("ps-pilot", name), data=None),
                    *fields,
                    html.Div(id=rid("ps-msg", name), className="mt-2", role="status"),
                    html.H3(_("pilot_status.history_title"), className="h6 mt-3"),
                    html.Div(id=rid("ps-history", name), className="small"),
                ]
            ),
            dbc.ModalFooter(
                [
                    dbc.Button(
                        _("pilot_status.close"),
                        id=rid("ps-cancel", name),
                        color="secondary",
                        outline=True,
                    ),
                    dbc.Button(_("common.save"), id=rid("ps-save", name), color="primary"),
                ]
            ),
        ],
        id=rid("ps-modal", name),
        is_open=False,
        centered=True,
        fullscreen="sm-down",
        labelledby=dom_id(rid("ps-title", name)),
    )


def grid_options(selectable: bool) -> dict:
    options = {
        "pagination": True,
        "paginationPageSize": 10,
        "paginationPageSizeSelector": [10, 20, 50],
        "localeText": grid_locale(),
    }
    if selectable:
        options["rowSelection"] = {"mode": "singleRow", "enableClickSelection": True}
    return options


def registry_section(name: str, district: str | None = None, *, fit: bool = True) -> dbc.Card:
    writable = policy.can_edit_anything(current_user)
    grid = dag.AgGrid(
        id=rid("grid", name),
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 110},
        dashGridOptions=grid_options(writable),
        columnSize="responsiveSizeToFit" if fit else None,
        style={"height": "380px"},
    )
    actions = html.Div(
        [
            html.A(
                _("common.download_csv"),
                href=export_href("registry", "csv", name=name),
                className="btn btn-outline-secondary btn-sm me-1",
            ),
            html.A(
                _("common.download_xlsx"),
                href=export_href("registry", "xlsx", name=name),
                className="btn btn-outline-secondary btn-sm",
            ),
        ]
    )
    body = [
        dcc.Store(id=rid("refresh", name), data=0),
        dcc.Store(id=rid("district", name), data=district or ""),
        loading(grid),
    ]
    if writable:
        body.append(registry_form(name))
    return card(
        f"{_('registry.title')}: {_(f'registry.{name}')}",
        body,
        actions=actions,
        card_id=f"registry-{name}",
    )
