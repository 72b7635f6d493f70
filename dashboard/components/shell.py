"""The frame around every page: navigation bar from page metadata, user menu, demo banner.

Below the `xl` breakpoint (1200 px) the links and the user menu fold into `nav-collapse`, which
`nav-toggler` opens (dashboard/callbacks/navigation.py)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import current_app
from flask_login import current_user

from dashboard.auth import policy
from dashboard.i18n import _


def role_label(user) -> str:
    scope = policy.scope_unit(user)
    return _(f"role.{user.role}", unit=scope.name if scope is not None else "").strip()


def navbar() -> dbc.Navbar:
    pages = sorted(
        (
            p
            for p in dash.page_registry.values()
            if p.get("nav") and policy.can_open(current_user, p.get("access"))
        ),
        key=lambda p: p.get("order", 99),
    )
    links = []
    groups: dict[str, list] = {}
    for p in pages:
        group = p.get("group")
        if group is None:
            links.append(
                dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="exact"))
            )
            continue
        if group not in groups:
            groups[group] = []
            links.append(
                dbc.DropdownMenu(
                    groups[group],
                    label=_(f"nav.group.{group}"),
                    nav=True,
                    in_navbar=True,
                    id=f"nav-group-{group}",
                )
            )
        groups[group].append(dbc.DropdownMenuItem(p["name"], href=p["relative_path"]))
    user_items = []
    if current_user and current_user.is_authenticated:
        user_items = [
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(
                        _(
                            "nav.signed_in_as",
                            user=current_user.username,
                            role=role_label(current_user),
                        ),
                        header=True,
                        id="nav-user",
                    ),
                    dbc.DropdownMenuItem(divider=True),
                    dbc.DropdownMenuItem(
                        _("nav.logout"), href="/logout", external_link=True, id="nav-logout"
                    ),
                ],
                label=current_user.username,
                nav=True,
                align_end=True,
                in_navbar=True,
                id="nav-user-menu",
            )
        ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(_("app.brand"), href="/"),
                dbc.NavbarToggler(id="nav-toggler"),
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="me-auto"),
                        # In a navbar Nav too, so below `xl` the user menu (logout) opens inside
                        # the collapsed menu like the other groups, not over the page.
                        dbc.Nav(user_items, navbar=True, id="nav-user-nav"),
                    ],
                    id="nav-collapse",
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        expand="xl",
        className="mb-3",
    )


def data_mode_picker() -> html.Div:
    """Viewers and admins choose between all data and approved data only (kept for the browser
    session). Editors always see all data: the control is there but hidden."""
    visible = policy.can_choose_data_mode(current_user)
    return html.Div(
        [
            html.Span(_("approval.mode") + ":", className="me-2 small"),
            dbc.RadioItems(
                id="data-mode",
                options=[
                    {"label": _("approval.mode_all"), "value": "all"},
                    {"label": _("approval.mode_approved"), "value": "approved"},
                ],
                value="all",
                inline=True,
                persistence=True,
                persistence_type="session",
                className="d-inline-block small",
            ),
        ],
        className="data-mode text-end px-3",
        style={} if visible else {"display": "none"},
    )


def shell_layout():
    """Evaluated per request, so the navbar shows the logged-in user."""
    banner = None
    if current_app.config.get("DEMO_MODE"):
        banner = html.Div(_("demo.banner"), className="demo-banner", id="demo-banner")
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            navbar(),
            banner,
            data_mode_picker(),
            dbc.Container(dash.page_container, fluid=True, className="pb-5"),
        ]
    )
