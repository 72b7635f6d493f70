"""Data-entry page: load the grid, check each edited cell, save all changes at once (clearing
the cells emptied), the phone view of one unit, report transitions confirmed in a dialog, the
guard on switching district or period with unsaved edits, Excel upload.

The browser side (`assets/entry.js`): the unsaved-changes line and the flag that warns before
leaving the page, the phone form's edits copied into the grid's rows, closing dialogs."""

from __future__ import annotations

import base64
import dataclasses
import json

import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from flask import current_app
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.client_state import bump, grid_rows, records
from dashboard.components import unit_picker
from dashboard.components.controls import view_link
from dashboard.db import get_session
from dashboard.errors import ServiceError, ValidationError
from dashboard.i18n import _, fmt_date, fmt_datetime, fmt_number
from dashboard.services import data_entry as model
from dashboard.services import excel, values, workflow
from dashboard.services import indicators as svc


def bool_choices() -> list[str]:
    """The yes/no cell's choices in the request's language ("" clears the cell)."""
    return ["", _("common.yes"), _("common.no")]


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
            item["cellEditorParams"] = {"values": bool_choices()}
        elif col.value_type != "category":
            # numbers shown vi-VN (15.085); the editor shows the plain number to change
            item["valueFormatter"] = {"function": "entryNumber(params)"}
            item["type"] = "rightAligned"
        defs.append(item)
    return defs


def _district_period(district_code, period_code):
    session = get_session()
    period = svc.get_period(session, period_code)
    district = model.district_for(session, district_code, period) if period else None
    return session, district, period


def _target(data) -> tuple[str | None, str | None]:
    """The district and period of the `ne-target` store (None for anything malformed)."""
    if not isinstance(data, dict):
        return None, None
    district, period = data.get("district"), data.get("period")
    return (
        district if isinstance(district, str) else None,
        period if isinstance(period, str) else None,
    )


def status_block(session, district, period):
    report = workflow.get_report(session, district.id, period.id)
    status = report.status if report else "draft"
    deadline = fmt_date(period.deadline)
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
                    _(f"status.{status}"),
                    color=color,
                    text_color="dark" if status == "returned" else None,
                    className="me-2",
                    id="ne-status-badge",
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
                    at=fmt_datetime(report.submitted_at),
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


def _unit_options(rows: list[dict]) -> list[dict]:
    return [{"label": f"{r['name']} ({r['code']})", "value": r["row_id"]} for r in rows]


def load(target, _reload, phone_unit):
    """The grid of the district and period in `ne-target`, the report's status, the template
    link, and the phone view's units (keeping the unit shown when it is still there)."""
    district_code, period_code = _target(target)
    session, district, period = _district_period(district_code, period_code)
    if district is None or period is None:
        block = None
        if period is not None:  # e.g. a former district after the two-tier reform
            block = dbc.Alert(
                _("entry.unit_not_reporting", units=unit_picker.label(period), period=period.code),
                color="info",
                className="py-2 mb-0",
                id="ne-not-reporting",
            )
        return [], [], [], block, None, "#", None, [], None
    columns, rows = model.grid_model(session, district, period)
    block, status = status_block(session, district, period)
    if not policy.can_edit_under(current_user, status):
        for row in rows:  # a locked report: nothing to type in (the service refuses anyway)
            row["_app"] = []
    href = view_link("/nhap-lieu/mau.xlsx", district=district.gso_code, period=period.code)
    cols = [c.__dict__ for c in columns]
    # After a save the grid reloads; the save's message stays.
    message = no_update if ctx.triggered_id == "ne-reload" else None
    options = _unit_options(rows)
    ids = [o["value"] for o in options]
    unit = phone_unit if phone_unit in ids else (ids[0] if ids else None)
    return (column_defs(columns), rows, cols, block, status, href, message, options, unit)


def _columns(data) -> list[model.Column]:
    names = [f.name for f in dataclasses.fields(model.Column)]
    return [model.Column(**{k: c[k] for k in names}) for c in records(data, *names)]


def check_row(session, row: dict, columns: list[model.Column], indicator: str) -> None:
    """Check one unit × indicator of a grid row with the service's rules: mark the problems at
    their inputs (`_err`), or put the inputs in the form the grid keeps (numbers as numbers,
    so `1.234` typed reads 1234, shown `1.234`). Inputs all empty are a value to clear."""
    cols = [c for c in columns if c.indicator == indicator]
    fields = [c.field for c in cols]
    for f in fields:
        row["_err"].pop(f, None)
    raw = {c.part: row.get(c.field) for c in cols}
    if all(model.is_blank(v) for v in raw.values()):
        return
    ind = svc.get_indicator(session, indicator)
    try:
        parsed = values.parse_inputs(ind, raw)
    except ValidationError as exc:
        for key, message in exc.errors.items():
            target = next((c.field for c in cols if c.part == key), fields[0])
            row["_err"][target] = message
        return
    inputs = model.grid_inputs(ind, parsed)
    for c in cols:
        if c.part in inputs:
            row[c.field] = inputs[c.part]


def check_cell(changed, rows, columns_data):
    """Validate the edited unit × indicator with the service's rules; mark errors at the cell."""
    if not changed or not rows:
        return no_update
    columns = _columns(columns_data)
    rows = grid_rows(rows)
    session = get_session()
    for change in changed if isinstance(changed, list) else [changed]:
        if not isinstance(change, dict):
            continue
        row_id = change.get("rowId")
        index = next((i for i, r in enumerate(rows) if str(r["unit_id"]) == str(row_id)), None)
        if index is None:
            continue
        row = rows[index]
        row.setdefault("_err", {})
        col = next((c for c in columns if c.field == change.get("colId")), None)
        if col is None or col.field not in row.get("_app", []):
            continue
        check_row(session, row, columns, col.indicator)
    return rows


def save(n_clicks, rows, columns_data, target, reload, phone_unit):
    """Save every changed cell of the grid (or the phone form, which edits the same rows) in
    one transaction through `values.save_values`, each with the version it was loaded with."""
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    columns = _columns(columns_data)
    rows = grid_rows(rows)
    _district_code, period_code = _target(target)
    cells = model.changed_cells(columns, rows)
    if not cells:
        return (
            dbc.Alert(_("entry.nothing_to_save"), color="info", className="py-2"),
            no_update,
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
            index, field = _error_place(error.key, rows, columns)
            if index is None:
                names.append(html.Li(error.message))
                continue
            row = rows[index]
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
        # the phone form is drawn again to show the marks
        return alert, rows, no_update, phone_unit
    except ServiceError as exc:
        session.rollback()
        alert = dbc.Alert(exc.message, color="danger", id="ne-save-error")
        return alert, no_update, no_update, no_update
    cleared = sum(c.clear for c in cells)
    text = (
        _("entry.saved_cleared", cleared=cleared, **counts)
        if cleared
        else _("entry.saved", **counts)
    )
    alert = dbc.Alert(text, color="success", id="ne-save-ok", duration=8000)
    return alert, no_update, bump(reload), no_update


def _error_place(key: str, rows: list[dict], columns) -> tuple[int | None, str | None]:
    """The row index and field a `CellError` key (`index:field`) names, if it fits the grid."""
    index_text, _sep, field = str(key).partition(":")
    try:
        index = int(index_text)
    except ValueError:
        return None, None
    if not 0 <= index < len(rows) or all(c.field != field for c in columns):
        return None, None
    return index, field


def _field_header(columns, field) -> str:
    return next((c.header for c in columns if c.field == field), field)


def discard(n_clicks, reload):
    return bump(reload) if n_clicks else no_update


# --- the phone view: one unit at a time ---------------------------------------------------------


def _dash_id(component_id: dict) -> str:
    """A pattern-matching id as Dash renders it in the page (what a label's `for` names)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def phone_form(unit, rows, columns_data, seen_status):
    """The chosen unit's indicators as a vertical form. Inputs show the row's current inputs
    (edits not yet saved included); `ne-m-initial` keeps the stored ones, so that the browser
    can tell an input left as loaded from a change."""
    rows = grid_rows(rows)
    columns = _columns(columns_data)
    row = next((r for r in rows if str(r.get("row_id")) == str(unit)), None)
    if row is None:
        return None, {}
    if not policy.can_edit_under(current_user, seen_status):
        return _phone_read_only(row, columns), {}
    applicable = set(row.get("_app", []))
    errors = row.get("_err") or {}
    groups: dict[str, list[model.Column]] = {}
    for col in columns:
        if col.field in applicable:
            groups.setdefault(col.indicator, []).append(col)
    if not groups:
        return html.P(_("entry.phone.none"), className="text-muted"), {}
    blocks = []
    for cols in groups.values():
        fields = [_phone_field(c, row, errors) for c in cols]
        if len(cols) > 1:
            legend = html.Legend(cols[0].name, className="fs-6 fw-semibold mb-2")
            blocks.append(html.Fieldset([legend, *fields], className="ne-phone-group mb-3"))
        else:
            blocks.append(html.Div(fields, className="ne-phone-group mb-3"))
    initial = {
        "unit": row["row_id"],
        "texts": {f: model.input_text(row["_orig"].get(f)) for f in applicable},
    }
    return blocks, initial


def _phone_field(col: model.Column, row: dict, errors: dict):
    component_id = {"type": "ne-m", "field": col.field}
    parts = {"numerator": _("common.numerator"), "denominator": _("common.denominator")}
    label = parts.get(col.part, col.name)
    message = errors.get(col.field)
    value = model.input_text(row.get(col.field))
    if col.value_type == "boolean":
        options = [{"label": _("entry.phone.empty"), "value": ""}] + [
            {"label": choice, "value": choice} for choice in bool_choices()[1:]
        ]
        control = dbc.Select(id=component_id, options=options, value=value, invalid=bool(message))
    else:
        control = dbc.Input(
            id=component_id,
            type="text",
            inputMode="numeric" if col.value_type in ("count", "ratio") else "decimal",
            value=value,
            invalid=bool(message),
            autoComplete="off",
        )
    return html.Div(
        [
            dbc.Label(label, html_for=_dash_id(component_id), className="mb-1"),
            control,
            dbc.FormFeedback(message or "", type="invalid"),
        ],
        className="mb-2",
    )


def _phone_read_only(row: dict, columns: list[model.Column]):
    """A locked period: the unit's stored inputs, read only."""
    items = []
    for col in columns:
        text = row["_orig"].get(col.field)
        if model.is_blank(text):
            continue
        shown = fmt_number(text) if isinstance(text, int | float) else str(text)
        label = col.header if col.part != "value" else col.name
        items += [html.Dt(label, className="col-7 fw-normal"), html.Dd(shown, className="col-5")]
    return html.Div(
        [
            dbc.Alert(_("entry.phone.locked"), color="info", className="py-2"),
            html.Dl(items, className="row mb-0"),
        ]
    )


# --- report transitions, each confirmed in a dialog ------------------------------------------

# The dialog's title and consequence for each transition (literal keys: see i18n_tools).
CONFIRM_TEXTS = {
    "submit": ("entry.confirm.submit_title", "entry.confirm.submit_body", "entry.submit"),
    "approve": ("entry.confirm.approve_title", "entry.confirm.approve_body", "entry.approve"),
    "return": ("entry.confirm.return_title", "entry.confirm.return_body", "entry.return"),
    "reopen": ("entry.confirm.reopen_title", "entry.confirm.reopen_body", "entry.reopen"),
}
CONFIRM_COLORS = {"submit": "primary", "approve": "success", "return": "danger", "reopen": "danger"}


def _ask(action: str, target, reason: str | None, rows, columns_data):
    """Open the dialog for `action` on the district and period shown; nothing is changed.
    Unsaved grid edits would be lost (the grid is loaded again after the transition): the
    dialog says so."""
    district_code, period_code = _target(target)
    _session, district, period = _district_period(district_code, period_code)
    if district is None or period is None:
        alert = dbc.Alert(_("validation.unknown_unit"), color="danger", className="py-2 mb-0")
        return False, no_update, no_update, no_update, no_update, None, alert
    title_key, body_key, button_key = CONFIRM_TEXTS[action]
    names = {"district": district.name, "period": period.code}
    body = [html.P(_(body_key, **names), className="mb-0")]
    if reason:
        body.append(
            html.P(
                _("entry.reason_line", reason=reason),
                className="mt-3 mb-0 fw-semibold",
                id="ne-confirm-reason",
            )
        )
    unsaved, _cleared = model.count_changes(_columns(columns_data), grid_rows(rows))
    if unsaved:
        body.append(
            dbc.Alert(
                _("entry.confirm.unsaved", count=unsaved),
                color="warning",
                className="mt-3 mb-0 py-2",
                id="ne-confirm-unsaved",
            )
        )
    pending = {
        "action": action,
        "district": district.gso_code,
        "period": period.code,
        "reason": reason,
    }
    return (
        True,
        _(title_key, **names),
        body,
        _(button_key),
        CONFIRM_COLORS[action],
        pending,
        None,
    )


def ask_submit(n_clicks, target, rows, columns_data):
    """The submit button (editors and admins) opens the dialog; the admin's buttons have their
    own callback (a callback does not run while one of its inputs is missing from the page)."""
    if not n_clicks:
        return (no_update,) * 7
    return _ask("submit", target, None, rows, columns_data)


def ask_decide(approve, ret, reopen, target, reason, rows, columns_data):
    """Approve, return or reopen: the dialog, or (return and reopen without a reason) a message
    at the reason box and nothing else."""
    trigger = ctx.triggered_id
    if trigger is None or not ctx.triggered[0]["value"]:
        return (no_update,) * 8
    action = {"ne-approve": "approve", "ne-return": "return", "ne-reopen": "reopen"}[trigger]
    reason = reason.strip() if isinstance(reason, str) else ""
    if action in ("return", "reopen") and not reason:
        message = _("entry.reason_needed", action=_(f"workflow.action.{action}"))
        alert = dbc.Alert(message, color="danger", className="py-2 mb-0", id="ne-wf-error")
        return False, no_update, no_update, no_update, no_update, None, alert, True
    kept = reason if action != "approve" else None
    return (*_ask(action, target, kept, rows, columns_data), False)


def confirm(n_clicks, pending, seen_status, reload):
    """The dialog's confirm button: the transition it described, checked again by the service
    (policy, status seen, reason)."""
    if not n_clicks:
        return no_update, no_update, no_update
    if not isinstance(pending, dict) or pending.get("action") not in workflow.TRANSITIONS:
        return no_update, no_update, False
    reason = pending.get("reason")
    message, reloaded = _transition(
        pending["action"],
        pending.get("district"),
        pending.get("period"),
        reason if isinstance(reason, str) else None,
        seen_status,
        reload,
    )
    return message, reloaded, False


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


# --- switching district or period with unsaved edits --------------------------------------------


def _district_name(session, district_code, period_code) -> str:
    period = svc.get_period(session, period_code)
    district = model.district_for(session, district_code, period) if period else None
    return district.name if district is not None else str(district_code)


def switch_view(district_code, period_code, target, rows, columns_data):
    """The pickers changed: load that view, unless the grid has unsaved edits; then the
    pickers go back to the view shown and the dialog asks whether to discard them."""
    shown_district, shown_period = _target(target)
    if (district_code, period_code) == (shown_district, shown_period):
        return (no_update,) * 6
    wanted = {"district": district_code, "period": period_code}
    count, _cleared = model.count_changes(_columns(columns_data), grid_rows(rows))
    if not count:
        return wanted, no_update, no_update, False, no_update, None
    session = get_session()
    body = _(
        "entry.switch.body",
        count=count,
        district=_district_name(session, shown_district, shown_period),
        period=shown_period,
        target=f"{_district_name(session, district_code, period_code)}, {period_code}",
    )
    return no_update, shown_district, shown_period, True, body, wanted


def picker_for_period(period_code):
    """The unit picker's choices and label for the period chosen: an editor keeps their own
    unit; the office chooses among the units that report in that period."""
    session = get_session()
    period = svc.get_period(session, period_code)
    own = policy.scope_unit(current_user)
    if own is not None:
        options = [{"label": f"{own.name} ({own.gso_code})", "value": own.gso_code}]
    else:
        options = unit_picker.options(session, period)[1:]
    return options, unit_picker.label(period)


def switch_discard(n_clicks, wanted):
    """The dialog's "discard and switch": the view asked for is loaded, edits dropped."""
    if not n_clicks or not isinstance(wanted, dict):
        return no_update, no_update, no_update, False
    district_code, period_code = _target(wanted)
    return wanted, district_code, period_code, False


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


def registries_follow_district(target, ids):
    district_code, _period = _target(target)
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
        Output("ne-m-unit", "options"),
        Output("ne-m-unit", "value"),
        Input("ne-target", "data"),
        Input("ne-reload", "data"),
        State("ne-m-unit", "value"),
        prevent_initial_call="initial_duplicate",
    )(load)
    app.callback(
        Output("ne-grid", "rowData", allow_duplicate=True),
        Input("ne-grid", "cellValueChanged"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        prevent_initial_call=True,
    )(check_cell)
    app.callback(
        Output("ne-save-msg", "children"),
        Output("ne-grid", "rowData", allow_duplicate=True),
        Output("ne-reload", "data", allow_duplicate=True),
        Output("ne-m-unit", "value", allow_duplicate=True),
        Input("ne-save", "n_clicks"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        State("ne-target", "data"),
        State("ne-reload", "data"),
        State("ne-m-unit", "value"),
        prevent_initial_call=True,
    )(save)
    app.callback(
        Output("ne-reload", "data", allow_duplicate=True),
        Input("ne-discard", "n_clicks"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(discard)
    # The unsaved-changes line, and the flag that guards leaving the page (assets/entry.js).
    app.clientside_callback(
        ClientsideFunction(namespace="ntm_entry", function_name="track"),
        Output("ne-changes", "children"),
        Input("ne-grid", "rowData"),
        Input("ne-grid", "cellValueChanged"),
        State("ne-columns", "data"),
    )
    # The phone view: the unit's form, and its inputs copied into the grid's rows.
    app.callback(
        Output("ne-m-form", "children"),
        Output("ne-m-initial", "data"),
        Input("ne-m-unit", "value"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        State("ne-seen-status", "data"),
        prevent_initial_call=True,
    )(phone_form)
    app.clientside_callback(
        ClientsideFunction(namespace="ntm_entry", function_name="phoneEdit"),
        Output("ne-grid", "rowData", allow_duplicate=True),
        Input({"type": "ne-m", "field": ALL}, "value"),
        State({"type": "ne-m", "field": ALL}, "id"),
        State("ne-m-initial", "data"),
        State("ne-grid", "rowData"),
        prevent_initial_call=True,
    )
    app.callback(
        Output("ne-district", "options"),
        Output("ne-district-label", "children"),
        Input("ne-period", "value"),
        prevent_initial_call=True,
    )(picker_for_period)
    # Switching district or period.
    app.callback(
        Output("ne-target", "data"),
        Output("ne-district", "value"),
        Output("ne-period", "value"),
        Output("ne-switch-modal", "is_open"),
        Output("ne-switch-body", "children"),
        Output("ne-switch-to", "data"),
        Input("ne-district", "value"),
        Input("ne-period", "value"),
        State("ne-target", "data"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        prevent_initial_call=True,
    )(switch_view)
    app.callback(
        Output("ne-target", "data", allow_duplicate=True),
        Output("ne-district", "value", allow_duplicate=True),
        Output("ne-period", "value", allow_duplicate=True),
        Output("ne-switch-modal", "is_open", allow_duplicate=True),
        Input("ne-switch-discard", "n_clicks"),
        State("ne-switch-to", "data"),
        prevent_initial_call=True,
    )(switch_discard)
    app.clientside_callback(
        ClientsideFunction(namespace="ntm_entry", function_name="close"),
        Output("ne-switch-modal", "is_open", allow_duplicate=True),
        Input("ne-switch-stay", "n_clicks"),
        prevent_initial_call=True,
    )
    # Report transitions: a button opens the dialog, its confirm button transitions.
    dialog = (
        Output("ne-confirm-modal", "is_open"),
        Output("ne-confirm-title", "children"),
        Output("ne-confirm-body", "children"),
        Output("ne-confirm-ok", "children"),
        Output("ne-confirm-ok", "color"),
        Output("ne-confirm", "data"),
        Output("ne-wf-msg", "children"),
    )
    app.callback(
        *dialog,
        Input("ne-submit", "n_clicks"),
        State("ne-target", "data"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        prevent_initial_call=True,
    )(ask_submit)
    app.callback(
        *(Output(o.component_id, o.component_property, allow_duplicate=True) for o in dialog),
        Output("ne-reason", "invalid"),
        Input("ne-approve", "n_clicks"),
        Input("ne-return", "n_clicks"),
        Input("ne-reopen", "n_clicks"),
        State("ne-target", "data"),
        State("ne-reason", "value"),
        State("ne-grid", "rowData"),
        State("ne-columns", "data"),
        prevent_initial_call=True,
    )(ask_decide)
    app.callback(
        Output("ne-wf-msg", "children", allow_duplicate=True),
        Output("ne-reload", "data", allow_duplicate=True),
        Output("ne-confirm-modal", "is_open", allow_duplicate=True),
        Input("ne-confirm-ok", "n_clicks"),
        State("ne-confirm", "data"),
        State("ne-seen-status", "data"),
        State("ne-reload", "data"),
        prevent_initial_call=True,
    )(confirm)
    app.clientside_callback(
        ClientsideFunction(namespace="ntm_entry", function_name="close"),
        Output("ne-confirm-modal", "is_open", allow_duplicate=True),
        Input("ne-confirm-cancel", "n_clicks"),
        prevent_initial_call=True,
    )
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
        Input("ne-target", "data"),
        State({"type": "reg-district", "name": ALL}, "id"),
        prevent_initial_call=True,
    )(registries_follow_district)
