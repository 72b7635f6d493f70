"""Administration page: user, period and target forms; every write goes through services.admin."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, no_update
from flask_login import current_user

from dashboard.auth import policy
from dashboard.auth.login import keep_current_session
from dashboard.callbacks.client_state import bump
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
        return ([], []) * 3
    session = get_session()
    users_cols, users_rows = grid_data(admin.users_frame(session), frozenset({"id"}))
    for row in users_rows:
        row["id"] = row.pop("c0")
    users_cols[0]["field"] = "id"
    return (
        users_cols,
        users_rows,
        *grid_data(admin.periods_frame(session)),
        *grid_data(admin.targets_frame(session)),
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


def target_action(n, indicator, value, year, refresh):
    if not n:
        return no_update, no_update
    session = get_session()
    try:
        admin.set_target(session, current_user, indicator_code=indicator, value=value, year=year)
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
        Output("ad-target-msg", "children"),
        Output("ad-refresh", "data", allow_duplicate=True),
        Input("ad-target-save", "n_clicks"),
        State("ad-target-indicator", "value"),
        State("ad-target-value", "value"),
        State("ad-target-year", "value"),
        State("ad-refresh", "data"),
        prevent_initial_call=True,
    )(target_action)
