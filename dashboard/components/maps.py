"""District map: polygons from the GeoJSON named by `BOUNDARIES_GEOJSON`, or a tile grid.

Polygons are drawn as filled scatter traces on plain axes, so the map needs no tile server and
no base-map download: it works on an intranet. Without a usable boundary file the page shows a
grid of the 17 districts instead, so it never breaks.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard.components.figures import _base, empty_figure
from dashboard.i18n import _

log = logging.getLogger(__name__)
COLORSCALE = "Blues"
NO_DATA = "#e0e0e0"


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, list[list[tuple[float, float]]]]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    shapes: dict[str, list] = {}
    for feature in data.get("features", []):
        code = str(feature.get("properties", {}).get("gso_code", ""))
        geom = feature.get("geometry") or {}
        polygons = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polygons = [polygons]
        elif geom.get("type") != "MultiPolygon":
            continue
        shapes[code] = [poly[0] for poly in polygons if poly]
    return shapes


def load_boundaries(path: str | None) -> dict[str, list] | None:
    """District outer rings by GSO code, or None when the file is missing or unreadable."""
    if not path:
        return None
    file = Path(path)
    try:
        shapes = _load(str(file), file.stat().st_mtime)
    except (OSError, ValueError) as exc:
        log.warning("Boundary file %s not usable: %s", path, exc)
        return None
    return shapes or None


def _colors(values: pd.Series, vmax: float) -> list[str]:
    out = []
    for v in values:
        if pd.isna(v):
            out.append(NO_DATA)
        else:
            out.append(sample_colorscale(COLORSCALE, [0.15 + 0.85 * min(1.0, v / vmax)])[0])
    return out


def district_map(frame: pd.DataFrame, boundaries: dict | None, *, percent: bool) -> go.Figure:
    """`frame` has district_code, district, value, display."""
    if frame.empty:
        return empty_figure()
    vmax = 100.0 if percent else max(1.0, float(frame["value"].max(skipna=True) or 1))
    colors = dict(zip(frame["district_code"], _colors(frame["value"], vmax), strict=True))
    if boundaries:
        return _polygons(frame, boundaries, colors)
    return _tiles(frame, colors, vmax)


def _polygons(frame: pd.DataFrame, boundaries: dict, colors: dict) -> go.Figure:
    fig = go.Figure()
    label_x, label_y, label_text, codes, hover = [], [], [], [], []
    for row in frame.itertuples():
        rings = boundaries.get(row.district_code)
        if not rings:
            continue
        xs: list = []
        ys: list = []
        for ring in rings:
            xs += [pt[0] for pt in ring] + [None]
            ys += [pt[1] for pt in ring] + [None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                mode="lines",
                line={"color": "white", "width": 1},
                fillcolor=colors[row.district_code],
                hoverinfo="skip",
                showlegend=False,
            )
        )
        ring = max(rings, key=len)
        label_x.append(sum(p[0] for p in ring) / len(ring))
        label_y.append(sum(p[1] for p in ring) / len(ring))
        label_text.append(_short_name(row.district))
        codes.append(row.district_code)
        hover.append(f"{row.district}: {row.display}")
    fig.add_trace(
        go.Scatter(
            x=label_x,
            y=label_y,
            mode="markers+text",
            text=label_text,
            marker={"size": 14, "opacity": 0},
            textfont={"size": 10, "color": "#222"},
            customdata=[[c] for c in codes],
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.0)
    return _base(fig, height=520)


def _short_name(name: str) -> str:
    for prefix in ("Thành phố ", "Thị xã ", "Huyện "):
        name = name.removeprefix(prefix)
    return name


def _text_color(value, vmax: float) -> str:
    return "white" if not pd.isna(value) and value / vmax > 0.45 else "#1a1a1a"


def _tiles(frame: pd.DataFrame, colors: dict, vmax: float) -> go.Figure:
    columns = 5
    rows = list(frame.itertuples())
    xs = [i % columns for i in range(len(rows))]
    ys = [-(i // columns) for i in range(len(rows))]
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            marker={
                "symbol": "square",
                "size": 96,
                "color": [colors[r.district_code] for r in rows],
                "line": {"color": "white", "width": 2},
            },
            text=[f"<b>{_short_name(r.district)}</b><br>{r.display}" for r in rows],
            textfont={"size": 11, "color": [_text_color(r.value, vmax) for r in rows]},
            customdata=[[r.district_code] for r in rows],
            hovertext=[f"{r.district}: {r.display}" for r in rows],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, range=[-0.6, columns - 0.4])
    fig.update_yaxes(visible=False, range=[ys[-1] - 0.6, 0.6])
    fig.add_annotation(
        text=_("overview.tile_grid_note"),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.05,
        showarrow=False,
        font={"size": 11, "color": "#666"},
    )
    return _base(fig, height=560)
