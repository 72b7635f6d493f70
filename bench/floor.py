"""The floor of the benchmark: the smallest useful Dash callback, served by the same gunicorn as
the application (`bench/wsgi_bench.py` mounts it at `/_floor/`).

One `dcc.Graph` and one callback that builds a 17-bar plotly figure (one bar per district of
the province) from its input. No database, no login, no cache: the time it takes is what Dash,
Flask, plotly's JSON encoding and gunicorn cost on this machine, and the application's
callbacks are reported as multiples of it.
"""

from __future__ import annotations

import dash
import plotly.graph_objects as go
from dash import Input, Output, dcc, html

GRAPH_ID = "floor-graph"
INPUT_ID = "floor-input"
OUTPUT = f"{GRAPH_ID}.figure"
BARS = 17
PREFIX = "/_floor/"


def bars(value) -> tuple[list[str], list[int]]:
    """The bars' labels and heights for an input value (any number; None is 0)."""
    try:
        seed = int(value or 0)
    except (TypeError, ValueError):
        seed = 0
    labels = [f"D{i + 1:02d}" for i in range(BARS)]
    heights = [(seed * 31 + i * 17) % 101 for i in range(BARS)]
    return labels, heights


def figure(value) -> go.Figure:
    labels, heights = bars(value)
    fig = go.Figure(go.Bar(x=labels, y=heights))
    fig.update_layout(margin={"l": 40, "r": 10, "t": 10, "b": 40}, height=320)
    return fig


def create_floor_app(requests_prefix: str = PREFIX) -> dash.Dash:
    """The floor app. Mounted under `/_floor` by werkzeug's DispatcherMiddleware, which strips
    the mount point: Dash routes at `/` and tells the browser to request `requests_prefix`."""
    app = dash.Dash(
        "bench_floor",
        use_pages=False,
        requests_pathname_prefix=requests_prefix,
        routes_pathname_prefix="/",
        serve_locally=True,
        include_assets_files=False,
        title="floor",
    )
    app.layout = html.Div([dcc.Input(id=INPUT_ID, type="number", value=1), dcc.Graph(id=GRAPH_ID)])
    app.callback(Output(GRAPH_ID, "figure"), Input(INPUT_ID, "value"))(figure)
    return app


def request_body(value=1) -> dict:
    """The JSON body the browser posts for the floor callback."""
    return {
        "output": OUTPUT,
        "outputs": {"id": GRAPH_ID, "property": "figure"},
        "inputs": [{"id": INPUT_ID, "property": "value", "value": value}],
        "state": [],
        "changedPropIds": [f"{INPUT_ID}.value"],
    }
