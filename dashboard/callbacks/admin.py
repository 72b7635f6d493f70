"""Administration page: user, period, target and commune-group forms; every write goes through
services.admin (which checks the user may administer)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, no_update
from flask_login import current_user

from dashboard.auth import policy
from dashboard.auth.login import keep_current_session
from dashboard.callbacks.client_state import bump, records
from dashboard.components.grids import grid_data
from dashboard.db import get_session
from dashboard.errors import ServiceError, ValidationError
from dashboard.i18n import _
from dashboard.services import admin


def _error(exc: ServiceError):
    return dbc.Alert(exc.message, color="danger", className="py-2 mb-0")


def _ok():
    return dbc.Alert(_("admin.done"), color="success", className="py-2 mb-0", duration=6000)


def load_tables(_refresh):
    if not policy.can_administer(current_user):
        return ([], []) * 4
    session = get_session()
    users_cols, users_rows = grid_data(admin.users_frame(session), frozenset({"id"}))
    for row in users_rows:
        row["id"] = row.pop("c0")
    users_cols[0]["field"] = "id"
    return (
        users_cols,
        users_rows,
        *grid_data(admin.periods_frame(session)),
        *grid_data(admin.targets_frame(session), frozenset({"id"})),
        *grid_data(admin.groups_frame(session)),
    )


def select_user(selected):
    if not selected:
        return (no_update,) * 6
    try:
        values = admin.user_form_values(get_session(), current_user, selected[0]["id"])
    except ServiceError:
        return (no_update,) * 6
    return (
        values["username"],
        values["full_name"],
        values["role"],
        values["district"],
        values["active"],
        values["email"],
    )


def user_action(
    create,
    update,
    reset,
    username,
    full_name,
    role,
    district,
    password,
    active,
    selected,
    refresh,
    email,
):
    trigger = ctx.triggered_id
    if trigger is None:
        return no_update, no_update
    session = get_session()
    try:
        if trigger == "ad-create":
            admin.create_user(
                session,
                current_user,
                username=username,
                role=role,
                district_code=district,
                full_name=full_name or "",
                password=password,
                email=email,
            )
        elif not selected:
            raise ValidationError({"user": _("admin.select_user_hint")})
        elif trigger == "ad-update":
            admin.update_user(
                session,
                current_user,
                selected[0]["id"],
                role=role,
                district_code=district,
                active=bool(active),
                full_name=full_name,
                email=email,
            )
        else:
            user = admin.reset_password(session, current_user, selected[0]["id"], password)
            keep_current_session(user)  # the other sessions end; this one goes on
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update
    return _ok(), bump(refresh)


def period_action(n, code, kind, start, end, deadline, refresh):
    if not n:
        return no_update, no_update
    session = get_session()
    try:
        admin.set_period(
            session, current_user, code=code, kind=kind, start=start, end=end, deadline=deadline
        )
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update
    return _ok(), bump(refresh)


def _selected_id(selected):
    """The id of the grid's selected row, or None."""
    rows = records(selected, "id")
    return rows[0]["id"] if rows else None


def select_target(selected):
    """Fill the targets form with the selected target (to change or delete it)."""
    try:
        target_id = _selected_id(selected)
        if target_id is None:
            return (no_update,) * 5
        values = admin.target_form_values(get_session(), current_user, target_id)
    except ServiceError:
        return (no_update,) * 5
    return (
        values["indicator"],
        values["scope"],
        values["year"],
        values["value"],
        values["milestones"],
    )


def target_action(n, indicator, scope_choice, year, value, milestones, refresh):
    if not n:
        return no_update, no_update
    session = get_session()
    try:
        scope_code, group = admin.parse_scope_choice(scope_choice)
        admin.set_target(
            session,
            current_user,
            indicator_code=indicator,
            value=value,
            year=year,
            scope_code=scope_code,
            group=group,
            milestones=milestones,
        )
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update
    return _ok(), bump(refresh)


def ask_delete_target(n, selected):
    """Ask before deleting the selected target, naming it."""
    if not n:
        return no_update, no_update, no_update
    try:
        target_id = _selected_id(selected)
        if target_id is None:
            raise ValidationError({"target": _("targets_admin.select_first")})
        about = admin.target_description(get_session(), current_user, target_id)
    except ServiceError as exc:
        return False, no_update, _error(exc)
    return True, _("targets_admin.delete_confirm", **about), None


def delete_target_action(submitted, selected, refresh):
    if not submitted:
        return no_update, no_update
    session = get_session()
    try:
        target_id = _selected_id(selected)
        if target_id is None:
            raise ValidationError({"target": _("targets_admin.select_first")})
        admin.delete_target(session, current_user, target_id)
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update
    return dbc.Alert(
        _("targets_admin.deleted"), color="success", className="py-2 mb-0", duration=6000
    ), bump(refresh)


def group_action(n, unit_code, group, valid_from, valid_to, legal_basis, refresh):
    if not n:
        return no_update, no_update
    session = get_session()
    try:
        admin.set_unit_group(
            session,
            current_user,
            unit_code=unit_code,
            group=group,
            valid_from=valid_from,
            valid_to=valid_to or None,
            legal_basis=legal_basis or "",
        )
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update
    return _ok(), bump(refresh)


def register(app: Dash) -> None:
    app.callback(
        Output("ad-users-grid", "columnDefs"),
        Output("ad-users-grid", "rowData"),
        Output("ad-periods-grid", "columnDefs"),
        Output("ad-periods-grid", "rowData"),
        Output("ad-targets-grid", "columnDefs"),
        Output("ad-targets-grid", "rowData"),
        Output("ad-groups-grid", "columnDefs"),
        Output("ad-groups-grid", "rowData"),
        Input("ad-refresh", "data"),
    )(load_tables)
    app.callback(
        Output("ad-username", "value"),
        Output("ad-fullname", "value"),
        Output("ad-role", "value"),
        Output("ad-district", "value"),
        Output("ad-active", "value"),
        Output("ad-email", "value"),
        Input("ad-users-grid", "selectedRows"),
        prevent_initial_call=True,
    )(select_user)
    app.callback(
        Output("ad-user-msg", "children"),
        Output("ad-refresh", "data", allow_duplicate=True),
        Input("ad-create", "n_clicks"),
        Input("ad-update", "n_clicks"),
        Input("ad-reset", "n_clicks"),
        State("ad-username", "value"),
        State("ad-fullname", "value"),
        State("ad-role", "value"),
        State("ad-district", "value"),
        State("ad-password", "value"),
        State("ad-active", "value"),
        State("ad-users-grid", "selectedRows"),
        State("ad-refresh", "data"),
        State("ad-email", "value"),
        prevent_initial_call=True,
    )(user_action)
    app.callback(
        Output("ad-period-msg", "children"),
        Output("ad-refresh", "data", allow_duplicate=True),
        Input("ad-period-save", "n_clicks"),
        State("ad-period-code", "value"),
        State("ad-period-kind", "value"),
        State("ad-period-start", "value"),
        State("ad-period-end", "value"),
        State("ad-period-deadline", "value"),
        State("ad-refresh", "data"),
        prevent_initial_call=True,
    )(period_action)
    app.callback(
        Output("ad-target-indicator", "value"),
        Output("ad-target-scope", "value"),
        Output("ad-target-year", "value"),
        Output("ad-target-value", "value"),
        Output("ad-target-milestones", "value"),
        Input("ad-targets-grid", "selectedRows"),
        prevent_initial_call=True,
    )(select_target)
    app.callback(
        Output("ad-target-msg", "children"),
        Output("ad-refresh", "data", allow_duplicate=True),
        Input("ad-target-save", "n_clicks"),
        State("ad-target-indicator", "value"),
        State("ad-target-scope", "value"),
        State("ad-target-year", "value"),
        State("ad-target-value", "value"),
        State("ad-target-milestones", "value"),
        State("ad-refresh", "data"),
        prevent_initial_call=True,
    )(target_action)
    app.callback(
        Output("ad-target-delete-confirm", "displayed"),
        Output("ad-target-delete-confirm", "message"),
        Output("ad-target-msg", "children", allow_duplicate=True),
        Input("ad-target-delete", "n_clicks"),
        State("ad-targets-grid", "selectedRows"),
        prevent_initial_call=True,
    )(ask_delete_target)
    app.callback(
        Output("ad-target-msg", "children", allow_duplicate=True),
        Output("ad-refresh", "data", allow_duplicate=True),
        Input("ad-target-delete-confirm", "submit_n_clicks"),
        State("ad-targets-grid", "selectedRows"),
        State("ad-refresh", "data"),
        prevent_initial_call=True,
    )(delete_target_action)
    app.callback(
        Output("ad-group-msg", "children"),
        Output("ad-refresh", "data", allow_duplicate=True),
        Input("ad-group-save", "n_clicks"),
        State("ad-group-unit", "value"),
        State("ad-group-code", "value"),
        State("ad-group-from", "value"),
        State("ad-group-to", "value"),
        State("ad-group-basis", "value"),
        State("ad-refresh", "data"),
        prevent_initial_call=True,
    )(group_action)
