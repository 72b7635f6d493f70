"""The navigation bar below the `xl` breakpoint (1200 px): the toggler opens and closes the
collapsed menu, and moving to another page closes it. Runs in the browser (a clientside
callback: no round trip, no inline script)."""

from __future__ import annotations

from dash import Dash, Input, Output, State

TOGGLE_NAV = """
function (clicks, pathname, isOpen) {
    const triggered = (window.dash_clientside.callback_context.triggered || [])
        .map(function (t) { return t.prop_id; });
    if (triggered.indexOf("nav-toggler.n_clicks") !== -1) {
        return !isOpen;
    }
    return false;
}
"""


def register(app: Dash) -> None:
    """The toggler flips `nav-collapse.is_open`; a change of page closes the menu."""
    app.clientside_callback(
        TOGGLE_NAV,
        Output("nav-collapse", "is_open"),
        Input("nav-toggler", "n_clicks"),
        Input("url", "pathname"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
