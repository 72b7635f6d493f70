"""Account moves page: the proposals grid, the dialog confirming the chosen moves and the move
itself, made (and checked again: administrators only, units in force) by
`services.account_moves.move`."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html, no_update
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.client_state import bump, records
from dashboard.db import get_session
from dashboard.errors import MalformedRequest, ServiceError, ValidationError
from dashboard.i18n import _
from dashboard.services import account_moves as service


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def _alert(message, color: str, alert_id: str, **kwargs):
    return dbc.Alert(message, color=color, className="py-2 mb-0", id=alert_id, **kwargs)


def column_defs() -> list[dict]:
    return [
        {"field": "username", "headerName": _("account_moves.col.username"), "minWidth": 150},
        {"field": "full_name", "headerName": _("account_moves.col.full_name"), "minWidth": 200},
        {"field": "role", "headerName": _("account_moves.col.role")},
        {
            "field": "old_unit",
            "headerName": _("account_moves.col.old_unit"),
            "tooltipField": "old_unit",
            "minWidth": 240,
        },
        {
            "field": "target",
            "headerName": _("account_moves.col.target"),
            "editable": True,
            "cellEditor": "agSelectCellEditor",
            # each row's own choices: its candidates first, then every unit in force
            "cellEditorParams": {"function": "params.data._editor"},
            "minWidth": 260,
        },
        {
            "field": "note",
            "headerName": _("account_moves.col.note"),
            "tooltipField": "note",
            "minWidth": 220,
        },
    ]


def _note(proposal: service.Proposal) -> str:
    if proposal.proposed is not None:
        inherited = any(
            c.unit.id == proposal.proposed.id and c.inherits for c in proposal.candidates
        )
        return _("account_moves.note.heir") if inherited else _("account_moves.note.only")
    if proposal.candidates:
        return _("account_moves.note.choose", count=len(proposal.candidates))
    return _("account_moves.note.none")


def grid_rows(session, on: dt.date) -> tuple[list[dict], list[str]]:
    """The grid's rows (one per proposal) and the usernames of those with an obvious unit."""
    found = service.proposals(session, on)
    everything = [service.unit_label(u) for u in service.units_in_force(session, on)]
    deactivate = _("account_moves.deactivate")
    rows, obvious = [], []
    for p in found:
        first = [service.unit_label(c.unit) for c in p.candidates]
        rest = [label for label in everything if label not in set(first)]
        rows.append(
            {
                "username": p.user.username,
                "full_name": p.user.full_name,
                "role": _(f"role.{p.user.role}", unit="").strip(),
                "old_unit": service.old_unit_label(p.unit),
                "target": service.unit_label(p.proposed) if p.proposed else "",
                "note": _note(p),
                "_editor": {"values": ["", *first, deactivate, *rest]},
            }
        )
        if p.proposed is not None:
            obvious.append(p.user.username)
    return rows, obvious


def load(on_value, _refresh):
    """The proposals for the chosen day; the rows with an obvious unit ticked."""
    if not policy.can_administer(current_user):
        return [], [], {"ids": []}, None
    on = _day(on_value)
    if on is None:
        return (
            [],
            column_defs(),
            {"ids": []},
            _alert(_("account_moves.bad_on"), "danger", "cm-summary-error"),
        )
    rows, obvious = grid_rows(get_session(), on)
    summary = None if rows else _alert(_("account_moves.none_left"), "info", "cm-none-left")
    return rows, column_defs(), {"ids": obvious}, summary


def _choices(session, on: dt.date) -> dict[str, str]:
    """The labels a row's select shows → the code `move` takes."""
    labels = {service.unit_label(u): u.gso_code for u in service.units_in_force(session, on)}
    labels[_("account_moves.deactivate")] = service.DEACTIVATE
    return labels


def ask(n_clicks, selected, rows, on_value):
    """The button opens the dialog listing the ticked rows' moves; nothing is changed. A row
    without a unit chosen is named in a message instead."""
    if not n_clicks:
        return (no_update,) * 4
    try:
        policy.raise_for_administer(current_user)
        on = _day(on_value)
        if on is None:
            raise ValidationError({"on": _("account_moves.bad_on")})
        ticked = {str(row["username"]) for row in records(selected, "username")}
        chosen = [
            (number, row)
            for number, row in enumerate(records(rows, "username", "target"), start=1)
            if str(row["username"]) in ticked
        ]
        if not chosen:
            raise ValidationError({"moves": _("account_moves.nothing_chosen")})
        labels = _choices(get_session(), on)
        moves, lines, errors = [], [], {}
        for number, row in chosen:
            username, label = str(row["username"]), row["target"]
            code = labels.get(label) if isinstance(label, str) else None
            if code is None:
                errors[username] = _("account_moves.no_unit", row=number, username=username)
                continue
            moves.append([username, code])
            after = label if code != service.DEACTIVATE else _("account_moves.deactivate")
            lines.append(html.Li(f"{username}: {row.get('old_unit', '')} → {after}"))
        if errors:
            raise ValidationError(errors)
    except MalformedRequest:
        raise
    except ServiceError as exc:
        return False, no_update, None, _alert(exc.message, "danger", "cm-error")
    body = [html.P(_("account_moves.confirm_body")), html.Ul(lines, id="cm-confirm-list")]
    return True, body, {"on": on.isoformat(), "moves": moves}, None


def confirm(n_clicks, pending, refresh):
    """The dialog's confirm button: the moves it listed, checked again by the service."""
    if not n_clicks:
        return no_update, no_update, no_update
    if not isinstance(pending, dict) or not isinstance(pending.get("moves"), list):
        return no_update, no_update, False
    session = get_session()
    try:
        done = service.move(session, current_user, pending["moves"], pending.get("on"))
    except ServiceError as exc:
        session.rollback()
        return _alert(exc.message, "danger", "cm-error"), no_update, False
    moved = sum(1 for m in done if m.after is not None)
    message = _("account_moves.done", moved=moved, deactivated=len(done) - moved)
    return _alert(message, "success", "cm-ok", duration=8000), bump(refresh), False


def cancel(n_clicks):
    return False if n_clicks else no_update


def register(app: Dash) -> None:
    app.callback(
        Output("cm-grid", "rowData"),
        Output("cm-grid", "columnDefs"),
        Output("cm-grid", "selectedRows"),
        Output("cm-summary", "children"),
        Input("cm-on", "value"),
        Input("cm-refresh", "data"),
    )(load)
    app.callback(
        Output("cm-confirm-modal", "is_open"),
        Output("cm-confirm-body", "children"),
        Output("cm-pending", "data"),
        Output("cm-msg", "children"),
        Input("cm-move", "n_clicks"),
        State("cm-grid", "selectedRows"),
        State("cm-grid", "rowData"),
        State("cm-on", "value"),
        prevent_initial_call=True,
    )(ask)
    app.callback(
        Output("cm-msg", "children", allow_duplicate=True),
        Output("cm-refresh", "data", allow_duplicate=True),
        Output("cm-confirm-modal", "is_open", allow_duplicate=True),
        Input("cm-confirm-ok", "n_clicks"),
        State("cm-pending", "data"),
        State("cm-refresh", "data"),
        prevent_initial_call=True,
    )(confirm)
    app.callback(
        Output("cm-confirm-modal", "is_open", allow_duplicate=True),
        Input("cm-confirm-cancel", "n_clicks"),
        prevent_initial_call=True,
    )(cancel)
