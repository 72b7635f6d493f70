"""The navigation bar below the `xl` breakpoint (1200 px): the toggler opens and closes the
collapsed menu and says so (`aria-expanded`), and moving to another page closes it. Also the
address shown on printed pages. Runs in the browser (clientside callbacks: no round trip, no
inline script); Escape closes the menu in assets/a11y.js."""

from __future__ import annotations

from dash import Dash, Input, Output, State

TOGGLE_NAV = """
function (clicks, pathname, isOpen) {
    const triggered = (window.dash_clientside.callback_context.triggered || [])
        .map(function (t) { return t.prop_id; });
    const open = triggered.indexOf("nav-toggler.n_clicks") !== -1 ? !isOpen : false;
    return [open, open ? "true" : "false"];
}
"""

PRINT_URL = """
function (href) {
    return href || window.location.href;
}
"""


def register(app: Dash) -> None:
    """The toggler flips `nav-collapse.is_open`; a change of page closes the menu. The print
    header follows the address (filters and drill-downs are in its query string)."""
    app.clientside_callback(
        TOGGLE_NAV,
        Output("nav-collapse", "is_open"),
        Output("nav-toggler", "aria-expanded"),
        Input("nav-toggler", "n_clicks"),
        Input("url", "pathname"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    app.clientside_callback(PRINT_URL, Output("print-url", "children"), Input("url", "href"))
