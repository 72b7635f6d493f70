"""Data-entry page: load the grid, check each edited cell, save all changes at once, report
transitions, Excel upload."""

from __future__ import annotations

import base64
import dataclasses

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from flask import current_app
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.client_state import bump, grid_rows, records
from dashboard.components.controls import view_link
from dashboard.db import get_session
from dashboard.errors import ServiceError, ValidationError
from dashboard.i18n import _
from dashboard.services import data_entry as model
from dashboard.services import excel, values, workflow
from dashboard.services import indicators as svc

BOOL_CHOICES = ["", _("common.yes"), _("common.no")]
# dash-ag-grid evaluates these strings with its own expression parser: no `??`, no `String()`.
ROW_CLASS = {
    "ne-changed": "params.data._orig && ('' + (params.value == null ? '' : params.value)) !== "
    "('' + (params.data._orig[params.colDef.field] == null ? '' : "
    "params.data._orig[params.colDef.field]))",
    "ne-error": "params.data._err && !!params.data._err[params.colDef.field]",
    "ne-na": "params.data._app && !params.data._app.includes(params.colDef.field)",
}


def column_defs(columns: list[model.Column]) -> list[dict]:
    defs = [
        {"field": "code", "headerName": _("common.code"), "pinned": "left", "width": 90},
        {"field": "name", "headerName": _("common.unit"), "pinned": "left", "width": 170},
        {"field": "kind", "headerName": _("common.kind"), "width": 100},
    ]
    for col in columns:
        item = {
            "field": col.field,
            "headerName": col.header,
            "headerTooltip": f"{col.indicator} — {col.header}",
            "editable": {"function": "params.data._app.includes(params.colDef.field)"},
            "cellClassRules": ROW_CLASS,
            "tooltipValueGetter": {
                "function": "params.data._err ? params.data._err[params.colDef.field] : null"
            },
            "width": 150,
        }
        if col.value_type == "boolean":
            item["cellEditor"] = "agSelectCellEditor"
            item["cellEditorParams"] = {"values": BOOL_CHOICES}
        defs.append(item)
    return defs


def _district_period(district_code, period_code):
    session = get_session()
    district = model.district_for(session, district_code)
    period = svc.get_period(session, period_code)
    return session, district, period


def status_block(session, district, period):
    report = workflow.get_report(session, district.id, period.id)
    status = report.status if report else "draft"
    deadline = period.deadline.strftime("%d/%m/%Y") if period.deadline else "–"
    color = {
        "draft": "secondary",
        "submitted": "primary",
        "returned": "warning",
        "approved": "success",
    }[status]
    lines = [
        html.Div(
            [
                dbc.Badge(
                    _(f"status.{status}"), color=color, className="me-2", id="ne-status-badge"
                ),
                _("entry.status_line", status=_(f"status.{status}"), deadline=deadline),
            ]
        )
    ]
    if report is not None and report.submitted_at is not None:
        timing = (
            _("workflow.on_time")
            if period.deadline is None or report.submitted_at.date() <= period.deadline
            else _("workflow.late")
        )
        who = report.submitted_by.username if report.submitted_by else ""
        lines.append(
            html.Div(
                _(
                    "entry.submitted_line",
                    at=report.submitted_at.strftime("%d/%m/%Y %H:%M"),
                    user=who,
                    timing=timing,
                ),
                className="small",
            )
        )
    if report is not None and report.reason:
        lines.append(
            html.Div(_("entry.reason_line", reason=report.reason), className="small text-danger")
        )
    if not policy.can_edit_under(current_user, status):
        lines.append(dbc.Alert(_("entry.locked"), color="info", className="py-1 mt-2 mb-0"))
    return html.Div(lines), status


def load(district_code, period_code, _reload):
    session, district, period = _district_period(district_code, period_code)
    if district is None or period is None:
        return [], [], [], None, None, "#", None, ""
    columns, rows = model.grid_model(session, district, period)
    block, status = status_block(session, district, period)
    if not policy.can_edit_under(current_user, status):
        for row in rows:  # a locked report: nothing to type in (the service refuses anyway)
            row["_app"] = []
    href = view_link("/nhap-lieu/mau.xlsx", district=district.gso_code, period=period.code)
    cols = [c.__dict__ for c in columns]
    # After a save the grid reloads; the save's message stays.
    message = no_update if ctx.triggered_id == "ne-reload" else None
    return (column_defs(columns), rows, cols, block, status, href, message, _("entry.no_changes"))


def _columns(data) -> list[model.Column]:
    names = [f.name for f in dataclasses.fields(model.Column)]
    return [model.Column(**{k: c[k] for k in names}) for c in records(data, *names)]


def check_cell(changed, rows, columns_data):
    """Validate the edited unit × indicator with the service's rules; mark errors at the cell."""
    if not changed or not rows:
        return no_update, no_update
    columns = _columns(columns_data)
    session = get_session()
    for change in changed if isinstance(changed, list) else [changed]:
        row_id = change.get("rowId")
        index = next((i for i, r in enumerate(rows) if str(r["unit_id"]) == str(row_id)), None)
        if index is None:
            continue
        row = rows[index]
        field = change.get("colId")
        col = next((c for c in columns if c.field == field), None)
        if col is None:
            continue
        fields = [c.field for c in columns if c.indicator == col.indicator]
        for f in fields:
            row["_err"].pop(f, None)
        ind = svc.get_indicator(session, col.indicator)
        raw = {c.part: row.get(c.field) for c in columns if c.indicator == col.indicator}
        if all(model._norm(v) == "" for v in raw.values()):
            continue
        try:
            values.parse_inputs(ind, raw)
        except ValidationError as exc:
            for key, message in exc.errors.items():
                target = next(
                    (c.field for c in columns if c.indicator == col.indicator and c.part == key),
                    fields[0],
                )
                row["_err"][target] = message
    count = len(model.changed_cells(columns, rows))
    text = _("entry.changes", count=count) if count else _("entry.no_changes")
    return rows, text


def save(n_clicks, rows, columns_data, district_code, period_code, reload):
    if not n_clicks:
        return no_update, no_update, no_update
    columns = _columns(columns_data)
    rows = grid_rows(rows)
    cells = model.changed_cells(columns, rows)
    if not cells:
        return (
            dbc.Alert(_("entry.nothing_to_save"), color="info", className="py-2"),
            no_update,
            no_update,
        )
    session = get_session()
    try:
        counts = values.save_values(
            session, current_user, period_code, cells, require_versions=True
        )
    except values.BatchError as exc:
        for row in rows:
            row["_err"] = {}
        names = []
        for error in exc.cell_errors:
            index, field = error.key.split(":")
            row = rows[int(index)]
            row["_err"][field] = error.message
            names.append(
                html.Li(f"{row['name']} — {_field_header(columns, field)}: {error.message}")
            )
        alert = dbc.Alert(
            [
                html.Div(_("entry.errors", count=len(exc.cell_errors))),
                html.Ul(names, className="mb-0"),
            ],
            color="danger",
            id="ne-save-error",
        )
        return alert, rows, no_update
    except ServiceError as exc:
        return dbc.Alert(exc.message, color="danger", id="ne-save-error"), no_update, no_update
    alert = dbc.Alert(_("entry.saved", **counts), color="success", id="ne-save-ok", duration=8000)
    return alert, no_update, bump(reload)


def _field_header(columns, field) -> str:
    return next((c.header for c in columns if c.field == field), field)


def discard(n_clicks, reload):
    return bump(reload) if n_clicks else no_update


def submit(n_clicks, district_code, period_code, seen_status, reload):
    """The submit button exists for editors and admins; the admin's buttons have their own
    callback (a callback does not run while one of its inputs is missing from the page)."""
    if not n_clicks:
        return no_update, no_update
    return _transition("submit", district_code, period_code, None, seen_status, reload)


def decide(approve, ret, reopen, district_code, period_code, reason, seen_status, reload):
    trigger = ctx.triggered_id
    if trigger is None or not ctx.triggered[0]["value"]:
        return no_update, no_update
    action = {"ne-approve": "approve", "ne-return": "return", "ne-reopen": "reopen"}[trigger]
    return _transition(action, district_code, period_code, reason, seen_status, reload)


def _transition(action, district_code, period_code, reason, seen_status, reload):
    session = get_session()
    try:
        workflow.transition(
            session,
            current_user,
            action,
            district_code,
            period_code,
            reason=reason if isinstance(reason, str) else None,
            expected_status=seen_status,
        )
    except ServiceError as exc:
        session.rollback()
        return dbc.Alert(
            exc.message, color="danger", className="py-2 mb-0", id="ne-wf-error"
        ), no_update
    message = _(f"workflow.done.{action}", period=period_code)
    return dbc.Alert(
        message, color="success", className="py-2 mb-0", id="ne-wf-ok", duration=8000
    ), bump(reload)


def upload(contents, filename, reload):
    """Import the file; the upload's contents are cleared so the same file can be sent again,
    and the page's own "file too large" notice (assets/upload.js) is closed."""
    return (*_upload(contents, filename, reload), None, False)


def _problem_table(problems: list, more: int):
    """The problems of a refused file, one row each (sheet, row, column, unit, reason)."""
    header = html.Tr(
        [
            html.Th(_("entry.sheet")),
            html.Th(_("entry.row")),
            html.Th(_("entry.column")),
            html.Th(_("common.unit")),
            html.Th(_("entry.reason")),
        ]
    )
    body = [
        html.Tr(
            [
                html.Td(p.sheet or ""),
                html.Td(p.row or ""),
                html.Td(p.column or ""),
                html.Td(p.unit or ""),
                html.Td(p.reason),
            ]
        )
        for p in problems
    ]
    if more:
        body.append(html.Tr(html.Td(_("xl.error.more", count=more), colSpan=5)))
    return dbc.Table(
        [html.Thead(header), html.Tbody(body)], size="sm", bordered=True, id="ne-upload-problems"
    )


def _upload(contents, filename, reload):
    if not contents:
        return no_update, no_update
    try:
        data = base64.b64decode(contents.split(",", 1)[1])
    except (IndexError, ValueError):
        data = b""
    session = get_session()
    try:
        result = excel.import_upload(
            session, current_user, data, current_app.config["UPLOAD_MAX_BYTES"]
        )
    except excel.UploadError as exc:
        session.rollback()
        count = len(exc.problems) + exc.more
        alert = dbc.Alert(
            _("entry.upload_refused", name=filename, count=count),
            color="danger",
            className="py-2",
            id="ne-upload-error",
        )
        return html.Div([alert, _problem_table(exc.problems, exc.more)]), no_update
    except ServiceError as exc:
        session.rollback()
        return dbc.Alert(exc.message, color="danger", id="ne-upload-error"), no_update
    message = _(
        "entry.uploaded", name=filename, written=result["written"], unchanged=result["unchanged"]
    )
    return dbc.Alert(message, color="success", id="ne-upload-ok"), bump(reload)


def registries_follow_district(district_code, ids):
    return [district_code or ""] * len(ids)


def _disabled(status, action: str) -> bool:
    return (status or "draft") not in workflow.TRANSITIONS[action][0]


def submit_button(status):
    """Only the transitions possible from the current status are enabled."""
    return _disabled(status, "submit")


def admin_buttons(status):
    return tuple(_disabled(status, a) for a in ("approve", "return", "reopen"))


def register(app: Dash) -> None:
    app.callback(
        Output("ne-grid", "columnDefs"),
        Output("ne-grid", "rowData"),
        Output("ne-columns", "data"),
        Output("ne-status", "children"),
        Output("ne-seen-status", "data"),
        Output("ne-template", "href"),
        Output("ne-save-msg", "children", allow_duplicate=True),
        Output("ne-changes", "children", allow_duplicate=True),
        Input("ne-district", "value"),
        Input("ne-period", "value"),
        Input("ne-reload", "data"),
        prevent_initial_call="initial_duplicate",
    )(load)
    app.callback(
        Output("ne-grid", "rowData", allow_duplicate=True),
        Output("ne-changes", "children"),
        Input("ne-grid", "cellValueChanged"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        prevent_initial_call=True,
    )(check_cell)
    app.callback(
        Output("ne-save-msg", "children"),
        Output("ne-grid", "rowData", allow_duplicate=True),
        Output("ne-reload", "data", allow_duplicate=True),
        Input("ne-save", "n_clicks"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        State("ne-district", "value"),
        State("ne-period", "value"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(save)
    app.callback(
        Output("ne-reload", "data", allow_duplicate=True),
        Input("ne-discard", "n_clicks"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(discard)
    app.callback(
        Output("ne-wf-msg", "children"),
        Output("ne-reload", "data", allow_duplicate=True),
        Input("ne-submit", "n_clicks"),
        State("ne-district", "value"),
        State("ne-period", "value"),
        State("ne-seen-status", "data"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(submit)
    app.callback(
        Output("ne-wf-msg", "children", allow_duplicate=True),
        Output("ne-reload", "data", allow_duplicate=True),
        Input("ne-approve", "n_clicks"),
        Input("ne-return", "n_clicks"),
        Input("ne-reopen", "n_clicks"),
        State("ne-district", "value"),
        State("ne-period", "value"),
        State("ne-reason", "value"),
        State("ne-seen-status", "data"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(decide)
    app.callback(
        Output("ne-upload-msg", "children"),
        Output("ne-reload", "data", allow_duplicate=True),
        Output("ne-upload", "contents"),
        Output("ne-upload-too-large", "is_open"),
        Input("ne-upload", "contents"),
        State("ne-upload", "filename"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(upload)
    app.callback(Output("ne-submit", "disabled"), Input("ne-seen-status", "data"))(submit_button)
    app.callback(
        Output("ne-approve", "disabled"),
        Output("ne-return", "disabled"),
        Output("ne-reopen", "disabled"),
        Input("ne-seen-status", "data"),
    )(admin_buttons)
    app.callback(
        Output({"type": "reg-district", "name": ALL}, "data"),
        Input("ne-district", "value"),
        State({"type": "reg-district", "name": ALL}, "id"),
        prevent_initial_call=True,
    )(registries_follow_district)
