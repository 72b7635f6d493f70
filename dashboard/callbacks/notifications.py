"""The notification bell: the panel opens and closes in the browser; the unread count and the list
come from the server on every page change, every few minutes and when the panel opens; marking
read changes only the current user's own notifications (checked on the server by
`current_user.id`, whatever id a replayed request carries)."""

from __future__ import annotations

import time

from dash import ALL, Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components.notifications import (
    HIDDEN,
    badge_text,
    bell_label,
    notification_list,
)
from dashboard.db import get_session
from dashboard.errors import MalformedRequest
from dashboard.i18n import _
from dashboard.services import notifications, workflow

# Opens on the bell, closes on "Đóng" or when another page is shown.
TOGGLE_PANEL = """
function (bellClicks, closeClicks, pathname, isOpen) {
    const triggered = (window.dash_clientside.callback_context.triggered || [])
        .map(function (t) { return t.prop_id; });
    if (triggered.indexOf("notif-bell.n_clicks") !== -1) {
        return !isOpen;
    }
    return false;
}
"""


def refresh(_pathname, _tick, _is_open, _changed):
    """The unread count (badge and the bell's name) and the list. An editor's "deadline
    approaching" reminders are created here, when they are due (once each)."""
    if not policy.can_read(current_user):
        raise PreventUpdate
    session = get_session()
    notifications.remind(session, current_user, workflow.today_in_vietnam())
    unread = notifications.unread_count(session, current_user)
    items = [notifications.shown(n) for n in notifications.for_user(session, current_user)]
    label = bell_label(unread)
    return (
        badge_text(unread) if unread else "",
        {} if unread else HIDDEN,
        label,
        label,
        notification_list(items),
        unread == 0,
    )


def _notification_id(trigger) -> int:
    try:
        return int(trigger["index"])
    except (KeyError, TypeError, ValueError):
        raise MalformedRequest(_("faults.bad_callback", part="notif-read")) from None


def mark(mark_all, _item_clicks):
    """Mark all, or the clicked one, of the current user's notifications read. A click on a
    button just rendered (no click yet) and an id that is not the user's change nothing."""
    trigger = ctx.triggered_id
    if trigger is None or not ctx.triggered[0]["value"]:
        raise PreventUpdate
    if not policy.can_read(current_user):
        raise PreventUpdate
    ids = None if trigger == "notif-mark-all" else [_notification_id(trigger)]
    if notifications.mark_read(get_session(), current_user, ids) == 0:
        raise PreventUpdate
    return time.time()


def register(app: Dash) -> None:
    app.clientside_callback(
        TOGGLE_PANEL,
        Output("notif-panel", "is_open"),
        Input("notif-bell", "n_clicks"),
        Input("notif-close", "n_clicks"),
        Input("url", "pathname"),
        State("notif-panel", "is_open"),
        prevent_initial_call=True,
    )
    app.callback(
        Output("notif-count", "children"),
        Output("notif-count", "style"),
        Output("notif-bell", "aria-label"),
        Output("notif-bell", "title"),
        Output("notif-list", "children"),
        Output("notif-mark-all", "disabled"),
        Input("url", "pathname"),
        Input("notif-tick", "n_intervals"),
        Input("notif-panel", "is_open"),
        Input("notif-changed", "data"),
    )(refresh)
    app.callback(
        Output("notif-changed", "data"),
        Input("notif-mark-all", "n_clicks"),
        Input({"type": "notif-read", "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(mark)
