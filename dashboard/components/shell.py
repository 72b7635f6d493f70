"""The frame around every page: navigation bar from page metadata, language switch, user menu,
demo banner.

Below the `xl` breakpoint (1200 px) the links and the user menu fold into `nav-collapse`, which
`nav-toggler` opens (dashboard/callbacks/navigation.py). The language switch stays outside it,
visible at every width."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html
from flask import current_app, request
from flask_login import current_user

from dashboard import i18n
from dashboard.auth import policy
from dashboard.i18n import _

# Keeps the switch's `next` on the page shown now: pages change in the browser without the navbar
# being rendered again. Runs in the browser (a clientside callback); the server drops `lang`
# from `next` and refuses anything but a local path.
UPDATE_SWITCH_LINKS = """
function (href) {
    var url = new URL(href || window.location.href, window.location.href);
    var next = encodeURIComponent(url.pathname + url.search);
    return ["/ngon-ngu/vi?next=" + next, "/ngon-ngu/en?next=" + next];
}
"""


def install_language_switch(hooks) -> None:
    """Register `UPDATE_SWITCH_LINKS` for every Dash application built afterwards (`dash.hooks`;
    called once by `dashboard.i18n.init_app`)."""
    hooks.clientside_callback(
        UPDATE_SWITCH_LINKS,
        Output("lang-switch-vi", "href"),
        Output("lang-switch-en", "href"),
        Input("url", "href"),
    )


def current_page_path() -> str:
    """The path and query of the page being shown. The navbar is rendered for Dash's layout
    request, whose page is the referring one (same origin only)."""
    if not request.path.startswith("/_dash"):
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return "/"
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def language_switch() -> html.Nav:
    """`VI | EN`: links to `/ngon-ngu/<lang>?next=<this page>`; the current one is marked."""
    items = []
    for link in i18n.switch_links(current_page_path()):
        if items:
            items.append(html.Span("|", className="text-white-50 mx-1", **{"aria-hidden": "true"}))
        items.append(
            html.A(
                link["code"],
                href=link["href"],
                id=f"lang-switch-{link['lang']}",
                lang=link["lang"],
                hrefLang=link["lang"],
                title=link["title"],
                className="link-light px-1 "
                + ("fw-bold" if link["current"] else "text-decoration-none opacity-75"),
                **({"aria-current": "true"} if link["current"] else {}),
            )
        )
    return html.Nav(
        items,
        id="lang-switch",
        className="lang-switch d-flex align-items-center small ms-auto me-2",
        **{"aria-label": _("lang.switch")},
    )


def role_label(user) -> str:
    scope = policy.scope_unit(user)
    return _(f"role.{user.role}", unit=scope.name if scope is not None else "").strip()


def page_label(page: dict) -> str:
    """A page's name in the request's language. `register_page(name=_(...))` is evaluated
    once, in Vietnamese, at import: the key is the page's `name_key` if it gives one, else the
    key whose Vietnamese text is that name (navigation keys first)."""
    key = page.get("name_key") or _keys_by_vietnamese_text().get(page["name"])
    return _(key) if key else page["name"]


@cache
def _keys_by_vietnamese_text() -> dict[str, str]:
    def rank(key: str) -> tuple[int, str]:
        return (0 if key.startswith("nav.") and not key.startswith("nav.group.") else 1, key)

    found: dict[str, str] = {}
    for key in sorted(i18n.MESSAGES, key=rank):
        found.setdefault(i18n.MESSAGES[key][0], key)
    return found


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
                dbc.NavItem(dbc.NavLink(page_label(p), href=p["relative_path"], active="exact"))
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
        groups[group].append(dbc.DropdownMenuItem(page_label(p), href=p["relative_path"]))
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
                language_switch(),
                dbc.NavbarToggler(id="nav-toggler"),
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="me-auto flex-wrap"),
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
