"""Registry tables and their add / edit / delete form (pattern-matching ids, one set for all),
and the pilots' status-decision dialog."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, html, no_update
from flask_login import current_user

from dashboard import cache, scope
from dashboard.auth import policy
from dashboard.callbacks.client_state import bump, pattern_id, records
from dashboard.components.grids import grid_data
from dashboard.db import get_session
from dashboard.errors import ServiceError, ValidationError
from dashboard.i18n import _
from dashboard.models import PilotModel
from dashboard.services import pilot_status
from dashboard.services import registries as reg
from dashboard.services.registry_specs import REGISTRIES

HIDDEN = frozenset({"id", "unit_id", "version"})


@cache.figures("registry-grid")
def load_grid(_refresh, district_code, grid_id):
    session = get_session()
    name = grid_id["name"]
    # The unit data entry shows (a district of 2021-2025 or a commune after the reform).
    district = scope.find_scope_unit(session, district_code) if district_code else None
    frame = reg.list_rows(session, name, district.id if district else None)
    columns, rows = grid_data(frame, HIDDEN)
    for row in rows:  # the row id and version are read back by the edit callbacks
        row["id"], row["version"] = row.pop("c0"), row.pop("c2")
    columns[0]["field"], columns[2]["field"] = "id", "version"
    return columns, rows


def unit_options(_refresh, unit_id_component):
    session = get_session()
    spec = REGISTRIES[unit_id_component["name"]]
    units = [
        u for u in policy.writable_units(session, current_user, spec.levels) if u.valid_to is None
    ]
    return [{"label": f"{u.name} ({u.gso_code})", "value": u.id} for u in units]


def select_row(selected, field_ids):
    """Fill the form from the selected row; enable update and delete."""
    selected, field_ids = records(selected, "id"), records(field_ids, "field", "name")
    if not selected:
        return no_update, [no_update] * len(field_ids), True, True
    session = get_session()
    name = field_ids[0]["name"] if field_ids else None
    try:
        values = reg.row_form_values(session, name, selected[0]["id"])
    except ServiceError:
        return no_update, [no_update] * len(field_ids), True, True
    return (values["unit_id"], [values.get(f["field"], "") for f in field_ids], False, False)


def write(
    add_clicks, update_clicks, delete_clicks, unit_id, field_values, field_ids, selected, refresh
):
    """Add, update or delete through the service; errors are shown at their field."""
    trigger = ctx.triggered_id
    if not trigger or not (add_clicks or update_clicks or delete_clicks):
        return no_update, no_update, [no_update] * len(field_ids), [no_update] * len(field_ids)
    trigger = pattern_id(trigger, "type", "name")
    name = trigger["name"]
    action = trigger["type"]
    selected = records(selected, "id")
    field_ids = records(field_ids, "field")
    session = get_session()
    data = {f["field"]: v for f, v in zip(field_ids, field_values, strict=True)}
    invalid = [False] * len(field_ids)
    messages = [""] * len(field_ids)
    try:
        if action == "reg-add":
            reg.create_row(session, current_user, name, unit_id, data)
            done = _("common.saved")
        elif not selected:
            raise ValidationError({"row": _("registry.none_selected")})
        elif action == "reg-update":
            row = selected[0]
            reg.update_row(
                session,
                current_user,
                name,
                row["id"],
                unit_id,
                data,
                expected_version=row.get("version"),
            )
            done = _("common.saved")
        else:
            row = selected[0]
            reg.delete_row(
                session, current_user, name, row["id"], expected_version=row.get("version")
            )
            done = _("common.deleted")
    except ValidationError as exc:
        session.rollback()
        for i, f in enumerate(field_ids):
            if f["field"] in exc.errors:
                invalid[i] = True
                messages[i] = exc.errors[f["field"]]
        alert = dbc.Alert(exc.message, color="danger", className="py-2 mb-0")
        return alert, no_update, invalid, messages
    except ServiceError as exc:
        session.rollback()
        return (
            dbc.Alert(exc.message, color="danger", className="py-2 mb-0"),
            no_update,
            invalid,
            messages,
        )
    alert = dbc.Alert(done, color="success", className="py-2 mb-0", duration=6000)
    return alert, bump(refresh), invalid, messages


# --- the pilots' status decisions -------------------------------------------------------------


def _pilot(session, pilot_id) -> PilotModel | None:
    try:
        return session.get(PilotModel, int(pilot_id)) if pilot_id is not None else None
    except (TypeError, ValueError):
        return None


def _history(pilot: PilotModel | None):
    decisions = pilot_status.history(get_session(), pilot) if pilot is not None else []
    if not decisions:
        return html.P(_("pilot_status.history_none"), className="text-muted mb-0")
    return html.Ul([html.Li(pilot_status.decision_text(d)) for d in decisions], className="mb-0")


def open_status_dialog(open_clicks, close_clicks, selected, field_ids):
    """Open the dialog for the pilot selected in the grid (its name and decisions shown, the
    form cleared), or close it. Without a selection it says to select one first."""
    field_ids = records(field_ids, "field")
    cleared = [False] * len(field_ids), [""] * len(field_ids)
    if pattern_id(ctx.triggered_id, "type", "name")["type"] == "reg-ps-cancel":
        return False, no_update, no_update, no_update, no_update, no_update, *cleared
    selected = records(selected, "id")
    pilot = _pilot(get_session(), selected[0]["id"]) if selected else None
    if pilot is None:
        hint = dbc.Alert(_("pilot_status.pick_pilot"), color="info", className="py-2 mb-0")
        title = _("pilot_status.title_none")
        return True, None, title, hint, _history(None), True, *cleared
    title = _("pilot_status.title", name=pilot.name)
    return True, pilot.id, title, "", _history(pilot), False, *cleared


def save_status(save_clicks, pilot_id, values, field_ids, refresh):
    """Record the decision through the service; errors are shown at their field, nothing is
    saved; on success the registry and the pilots' charts reload."""
    if not save_clicks:
        return no_update, no_update, no_update, no_update, no_update
    field_ids = records(field_ids, "field")
    session = get_session()
    data = {f["field"]: v for f, v in zip(field_ids, values, strict=True)}
    invalid = [False] * len(field_ids)
    messages = [""] * len(field_ids)
    try:
        pilot_status.record_status(
            session,
            current_user,
            pilot_id,
            data.get("status"),
            data.get("decided_on"),
            data.get("decision_number"),
            data.get("note"),
        )
    except ValidationError as exc:
        session.rollback()
        for i, f in enumerate(field_ids):
            if f["field"] in exc.errors:
                invalid[i] = True
                messages[i] = exc.errors[f["field"]]
        alert = dbc.Alert(exc.message, color="danger", className="py-2 mb-0")
        return alert, no_update, invalid, messages, no_update
    except ServiceError as exc:
        session.rollback()
        alert = dbc.Alert(exc.message, color="danger", className="py-2 mb-0")
        return alert, no_update, invalid, messages, no_update
    alert = dbc.Alert(_("pilot_status.saved"), color="success", className="py-2 mb-0")
    return alert, bump(refresh), invalid, messages, _history(_pilot(session, pilot_id))


def register(app: Dash) -> None:
    app.callback(
        Output({"type": "reg-grid", "name": MATCH}, "columnDefs"),
        Output({"type": "reg-grid", "name": MATCH}, "rowData"),
        Input({"type": "reg-refresh", "name": MATCH}, "data"),
        Input({"type": "reg-district", "name": MATCH}, "data"),
        State({"type": "reg-grid", "name": MATCH}, "id"),
    )(load_grid)
    app.callback(
        Output({"type": "reg-unit", "name": MATCH}, "options"),
        Input({"type": "reg-refresh", "name": MATCH}, "data"),
        State({"type": "reg-unit", "name": MATCH}, "id"),
    )(unit_options)
    app.callback(
        Output({"type": "reg-unit", "name": MATCH}, "value"),
        Output({"type": "reg-field", "name": MATCH, "field": ALL}, "value"),
        Output({"type": "reg-update", "name": MATCH}, "disabled"),
        Output({"type": "reg-delete", "name": MATCH}, "disabled"),
        Input({"type": "reg-grid", "name": MATCH}, "selectedRows"),
        State({"type": "reg-field", "name": MATCH, "field": ALL}, "id"),
        prevent_initial_call=True,
    )(select_row)
    app.callback(
        Output({"type": "reg-msg", "name": MATCH}, "children"),
        Output({"type": "reg-refresh", "name": MATCH}, "data"),
        Output({"type": "reg-field", "name": MATCH, "field": ALL}, "invalid"),
        Output({"type": "reg-feedback", "name": MATCH, "field": ALL}, "children"),
        Input({"type": "reg-add", "name": MATCH}, "n_clicks"),
        Input({"type": "reg-update", "name": MATCH}, "n_clicks"),
        Input({"type": "reg-delete", "name": MATCH}, "n_clicks"),
        State({"type": "reg-unit", "name": MATCH}, "value"),
        State({"type": "reg-field", "name": MATCH, "field": ALL}, "value"),
        State({"type": "reg-field", "name": MATCH, "field": ALL}, "id"),
        State({"type": "reg-grid", "name": MATCH}, "selectedRows"),
        State({"type": "reg-refresh", "name": MATCH}, "data"),
        prevent_initial_call=True,
    )(write)
    app.callback(
        Output({"type": "reg-ps-modal", "name": MATCH}, "is_open"),
        Output({"type": "reg-ps-pilot", "name": MATCH}, "data"),
        Output({"type": "reg-ps-title", "name": MATCH}, "children"),
        Output({"type": "reg-ps-msg", "name": MATCH}, "children"),
        Output({"type": "reg-ps-history", "name": MATCH}, "children"),
        Output({"type": "reg-ps-save", "name": MATCH}, "disabled"),
        Output({"type": "reg-ps-field", "name": MATCH, "field": ALL}, "invalid"),
        Output({"type": "reg-ps-feedback", "name": MATCH, "field": ALL}, "children"),
        Input({"type": "reg-ps-open", "name": MATCH}, "n_clicks"),
        Input({"type": "reg-ps-cancel", "name": MATCH}, "n_clicks"),
        State({"type": "reg-grid", "name": MATCH}, "selectedRows"),
        State({"type": "reg-ps-field", "name": MATCH, "field": ALL}, "id"),
        prevent_initial_call=True,
    )(open_status_dialog)
    app.callback(
        Output({"type": "reg-ps-msg", "name": MATCH}, "children", allow_duplicate=True),
        Output({"type": "reg-refresh", "name": MATCH}, "data", allow_duplicate=True),
        Output(
            {"type": "reg-ps-field", "name": MATCH, "field": ALL}, "invalid", allow_duplicate=True
        ),
        Output(
            {"type": "reg-ps-feedback", "name": MATCH, "field": ALL},
            "children",
            allow_duplicate=True,
        ),
        Output({"type": "reg-ps-history", "name": MATCH}, "children", allow_duplicate=True),
        Input({"type": "reg-ps-save", "name": MATCH}, "n_clicks"),
        State({"type": "reg-ps-pilot", "name": MATCH}, "data"),
        State({"type": "reg-ps-field", "name": MATCH, "field": ALL}, "value"),
        State({"type": "reg-ps-field", "name": MATCH, "field": ALL}, "id"),
        State({"type": "reg-refresh", "name": MATCH}, "data"),
        prevent_initial_call=True,
    )(save_status)
