"""The notification bell of the navigation bar and its panel (pure layout: the list and the
count are filled in by `dashboard/callbacks/notifications.py`).

`bell()` is a button (its accessible name says how many are unread, a badge shows the number)
that opens an off-canvas panel listing the user's notifications, newest first, each with its
time, a link to the page concerned and "mark as read"; "mark all as read" at the top."""

from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.i18n import _, fmt_number

REFRESH_MS = 120_000  # the unread count is refreshed on every page change and this often

# A bell outline (white strokes), as an image: no icon font, no inline script.
_BELL_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='white' "
    "stroke-width='2' stroke-linecap='round' stroke-linejoin='round'>"
    "<path d='M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9'/>"
    "<path d='M13.73 21a2 2 0 0 1-3.46 0'/></svg>"
)
BELL_IMAGE = "data:image/svg+xml," + quote(_BELL_SVG)
HIDDEN = {"display": "none"}


def bell_label(unread: int) -> str:
    """The bell's accessible name: how many notifications are unread."""
    if unread:
        return _("notify.bell_unread", count=fmt_number(unread))
    return _("notify.bell")


def badge_text(unread: int) -> str:
    return fmt_number(unread) if unread < 100 else "99+"


def bell():
    """The bell and its panel, for the navbar (nothing for a visitor who is not logged in)."""
    if not policy.can_read(current_user):
        return None
    return html.Div(
        [
            html.Button(
                [
                    html.Img(src=BELL_IMAGE, alt="", width=22, height=22),
                    html.Span(
                        "",
                        id="notif-count",
                        className="notif-count badge rounded-pill bg-danger position-absolute "
                        "top-0 start-100 translate-middle",
                        style=HIDDEN,
                        **{"aria-hidden": "true"},
                    ),
                ],
                id="notif-bell",
                type="button",
                className="btn btn-link position-relative p-1 me-3 lh-1",
                title=bell_label(0),
                **{"aria-label": bell_label(0), "aria-haspopup": "dialog"},
            ),
            dbc.Offcanvas(
                [
                    html.H2(_("notify.title"), id="notif-title", className="h5 mb-3"),
                    html.Div(
                        [
                            html.Button(
                                _("notify.mark_all"),
                                id="notif-mark-all",
                                type="button",
                                className="btn btn-outline-primary btn-sm",
                                disabled=True,
                            ),
                            html.Button(
                                _("notify.close"),
                                id="notif-close",
                                type="button",
                                className="btn btn-outline-secondary btn-sm",
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 mb-3",
                    ),
                    html.Div(id="notif-list", role="status", **{"aria-live": "polite"}),
                ],
                id="notif-panel",
                labelledby="notif-title",
                placement="end",
                is_open=False,
                close_button=False,
                scrollable=True,
            ),
            dcc.Interval(id="notif-tick", interval=REFRESH_MS),
            dcc.Store(id="notif-changed", data=0),
        ],
        className="notif d-flex align-items-center",
    )


def notification_item(item) -> html.Li:
    """One notification (`services.notifications.Shown`): text, time, link, mark as read."""
    actions = [
        html.Small(item.at, className="text-muted me-3"),
        dcc.Link(_("notify.open"), href=item.href, className="small me-3"),
    ]
    if item.unread:
        actions.append(
            html.Button(
                _("notify.mark_read"),
                id={"type": "notif-read", "index": item.id},
                type="button",
                className="btn btn-link btn-sm p-0 align-baseline",
                **{"aria-describedby": f"notif-text-{item.id}"},
            )
        )
    marker = (
        [html.Span(_("notify.unread"), className="badge text-bg-primary me-2")]
        if item.unread
        else []
    )
    return html.Li(
        [
            html.P(
                [*marker, item.text], className="mb-1" + (" fw-semibold" if item.unread else "")
            ),
            html.Div(actions, className="d-flex flex-wrap align-items-baseline"),
        ],
        className="notif-item border-bottom py-2",
        id=f"notif-item-{item.id}",
    )


def notification_list(items) -> html.Ul | html.P:
    if not items:
        return html.P(_("notify.none"), className="text-muted")
    return html.Ul([notification_item(i) for i in items], className="list-unstyled mb-0")
