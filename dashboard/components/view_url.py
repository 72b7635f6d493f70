"""Views are URLs: a page's filters are mirrored in its query string.

A change of filter (or a drill-down that sets one) pushes a history entry, so a copied link
shares the view on screen and Back returns to the previous view; the first render only
normalises the address (`replaceState`). Each page's layout reads the same parameters, so a
pasted address restores the exact view. Back and Forward within a page set the filters from the
address (`assets/view_url.js`) instead of rebuilding the page; between pages Dash's own router
rebuilds it.

The parameters of each page are declared once, in `VIEWS`; the page puts `view_store(prefix,
path)` in its layout and `register(app)` wires every declared page.
"""

from __future__ import annotations

from dataclasses import dataclass

from dash import ClientsideFunction, Dash, Input, Output, State, dcc


@dataclass(frozen=True)
class ViewParam:
    name: str  # the query parameter
    component: str  # the id of the component holding it
    prop: str = "value"
    empty: object = None  # the component's value when the parameter is absent
    integer: bool = False  # the component holds a number (the address holds its digits)
    key: str | None = None  # the value is this key of the property (a dict)


MODE = ViewParam("mode", "data-mode", empty="all")  # the data-mode switch in the page frame

# The filters of each page, by the id prefix of its components.
VIEWS: dict[str, tuple[ViewParam, ...]] = {
    "ov": (
        ViewParam("period", "ov-period"),
        ViewParam("district", "ov-district", empty=""),
        ViewParam("indicator", "ov-indicator"),
        MODE,
    ),
    "pl": (
        ViewParam("period", "pl-period"),
        ViewParam("district", "pl-district", empty=""),
        ViewParam("indicator", "pl-indicator"),
        MODE,
    ),
    "pi": (ViewParam("period", "pi-period"), MODE),
    "tr": (MODE,),
    "pr": (ViewParam("period", "pr-period"),),
    "rp": (
        ViewParam("period", "rp-period"),
        ViewParam("district", "rp-district", empty=""),
        ViewParam("mode", "rp-mode", empty="all"),
    ),
    "au": (
        ViewParam("user", "au-user"),
        ViewParam("unit", "au-unit", integer=True),
        ViewParam("indicator", "au-indicator"),
        ViewParam("start", "au-dates", "start_date"),
        ViewParam("end", "au-dates", "end_date"),
    ),
    # Data entry: the district and period the grid shows (the pickers may be put back by the
    # unsaved-edits guard). Back and Forward reload the page, so the guard asks first.
    "ne": (
        ViewParam("district", "ne-target", "data", key="district"),
        ViewParam("period", "ne-target", "data", key="period"),
    ),
}

# Pages whose Back and Forward reload instead of setting the filters in place.
RELOAD = frozenset({"ne"})


def store_id(prefix: str) -> str:
    return f"{prefix}-view"


def view_store(prefix: str, path: str) -> dcc.Store:
    """The page's view description for the browser: its path and parameters."""
    inputs = _inputs(VIEWS[prefix])
    params = [
        [
            p.name,
            p.component,
            p.prop,
            p.empty,
            p.integer,
            p.key,
            inputs.index((p.component, p.prop)),
        ]
        for p in VIEWS[prefix]
    ]
    data = {"path": path, "params": params, "reload": prefix in RELOAD}
    return dcc.Store(id=store_id(prefix), data=data)


def _inputs(params: tuple[ViewParam, ...]) -> list[tuple[str, str]]:
    """The component properties the parameters are read from, each once, in order."""
    return list(dict.fromkeys((p.component, p.prop) for p in params))


def register(app: Dash) -> None:
    for prefix, params in VIEWS.items():
        app.clientside_callback(
            ClientsideFunction(namespace="ntm_view", function_name="sync"),
            Output(store_id(prefix), "data"),
            [Input(component, prop) for component, prop in _inputs(params)],
            State(store_id(prefix), "data"),
        )
