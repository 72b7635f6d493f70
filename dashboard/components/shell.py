"""The frame around every page: skip link, navigation bar from page metadata, language switch,
user menu, demo banner, data mode, and the `<main>` landmark holding the page.

Below the `xl` breakpoint (1200 px) the links and the user menu fold into `nav-collapse`, which
the `nav-toggler` button opens (dashboard/callbacks/navigation.py keeps its `aria-expanded`;
assets/a11y.js closes it with Escape). The language switch, and `extra_items` given to
`navbar()` (the notification bell), stay outside it, visible at every width. The first
focusable element is the skip link to `#main-content`."""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import parse_qs, urlsplit

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html
from flask import current_app, request
from flask_login import current_user

from dashboard import i18n
from dashboard.auth import policy
from dashboard.components.notifications import bell
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
            items.append(html.Span("|", className="lang-sep mx-1", **{"aria-hidden": "true"}))
        items.append(
            html.A(
                link["code"],
                href=link["href"],
                id=f"lang-switch-{link['lang']}",
                lang=link["lang"],
                hrefLang=link["lang"],
                title=link["title"],
                className="lang-link px-1 "
                + ("fw-bold" if link["current"] else "text-decoration-none"),
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


MAIN_ID = "main-content"


def skip_link() -> html.A:
    """The first focusable element: jumps over the navigation to the page (`#main-content`).
    Hidden until it has the keyboard focus."""
    return html.A(
        _("shell.skip_to_main"), href=f"#{MAIN_ID}", id="skip-link", className="skip-link"
    )


def nav_toggler() -> html.Button:
    """Opens and closes the folded menu below `xl`; says which element it controls and
    whether it is open (`aria-expanded`, kept by dashboard/callbacks/navigation.py)."""
    return html.Button(
        html.Span(className="navbar-toggler-icon"),
        id="nav-toggler",
        type="button",
        className="navbar-toggler",
        title=_("shell.menu"),
        **{
            "aria-label": _("shell.menu"),
            "aria-controls": "nav-collapse",
            "aria-expanded": "false",
        },
    )


def _page_links() -> list:
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
    return links


def _user_menu() -> list:
    if not (current_user and current_user.is_authenticated):
        return []
    return [
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


def navbar(extra_items: list | None = None) -> dbc.Navbar:
    """The bar: brand, language switch, `extra_items` (shown at every width, before the
    toggler: the notification bell goes here), toggler, and the folded links and user menu."""
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(_("app.brand"), href="/"),
                language_switch(),
                *(item for item in extra_items or [] if item is not None),
                nav_toggler(),
                dbc.Collapse(
                    [
                        html.Nav(
                            dbc.Nav(_page_links(), navbar=True, className="flex-wrap"),
                            id="nav-main",
                            className="me-auto",
                            **{"aria-label": _("shell.main_nav")},
                        ),
                        # In a navbar Nav too, so below `xl` the user menu (logout) opens inside
                        # the collapsed menu like the other groups, not over the page.
                        dbc.Nav(_user_menu(), navbar=True, id="nav-user-nav"),
                    ],
                    id="nav-collapse",
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        dark=True,
        color=None,
        expand="xl",
        tag="div",
        role=None,  # the links are in a labelled <nav> of their own (`nav-main`)
        class_name="navbar-ntm mb-3",
    )


def data_mode_picker() -> html.Div:
    """Viewers and admins choose between all data and approved data only (kept for the browser
    session). Editors always see all data: the control is there but hidden."""
    visible = policy.can_choose_data_mode(current_user)
    # A pasted address with `mode=approved` opens in that mode (views are addresses).
    query = parse_qs(urlsplit(current_page_path()).query)
    mode = "approved" if visible and query.get("mode") == ["approved"] else "all"
    return html.Div(
        [
            html.Span(_("approval.mode") + ":", className="me-2 small", id="data-mode-label"),
            dbc.RadioItems(
                id="data-mode",
                options=[
                    {"label": _("approval.mode_all"), "value": "all"},
                    {"label": _("approval.mode_approved"), "value": "approved"},
                ],
                value=mode,
                inline=True,
                persistence=True,
                persistence_type="session",
                className="d-inline-block small",
            ),
        ],
        role="group",
        className="data-mode text-end px-3",
        style={} if visible else {"display": "none"},
        **{"aria-labelledby": "data-mode-label"},
    )


def print_header() -> html.Div:
    """Shown on paper only (assets/print.css): the address of the view printed, which carries
    its period and filters (kept by dashboard/callbacks/navigation.py)."""
    return html.Div(
        [
            html.Div(_("app.brand"), className="print-brand"),
            html.Div([html.Span(_("shell.print_source")), " ", html.Span(id="print-url")]),
        ],
        className="print-header",
        **{"aria-hidden": "true"},
    )


def shell_layout():
    """Evaluated per request, so the navbar shows the logged-in user."""
    banner = None
    if current_app.config.get("DEMO_MODE"):
        banner = html.Div(_("demo.banner"), className="demo-banner", id="demo-banner")
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            print_header(),
            html.Header(
                [
                    skip_link(),
                    navbar(extra_items=[bell()]),
                    banner,
                    data_mode_picker(),
                ]
            ),
            html.Main(
                dbc.Container(dash.page_container, fluid=True, className="pb-5"),
                id=MAIN_ID,
                tabIndex="-1",
            ),
            control_texts(),
        ]
    )


# The English accessible names Dash's date pickers carry, and the keys that replace them
# (`assets/a11y.js` reads the texts from `#control-texts`).
CONTROL_TEXTS = {
    "Clear Dates": "controls.clear_dates",
    "Clear date": "controls.clear_date",
    "Close calendar": "controls.close_calendar",
    "Next month": "controls.next_month",
    "Previous month": "controls.previous_month",
    "Decrease value": "controls.decrease",
    "Increase value": "controls.increase",
}


def control_texts() -> html.Div:
    """The page language's names for the controls of Dash components that only know English."""
    pairs = {english: _(key) for english, key in CONTROL_TEXTS.items()}
    return html.Div(id="control-texts", hidden=True, **{"data-texts": json.dumps(pairs)})
