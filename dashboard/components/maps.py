"""District map: a choropleth on the boundaries of the GeoJSON named by `BOUNDARIES_GEOJSON`.

Plotly's `Choropleth` draws the district polygons itself, with the base map switched off
(`geo.visible=False`): no tile server, no base-map download, so the map works on an intranet.
The colour scale is centred on the target (reds below it, greens from it up) with a colour bar
that names the unit and the target; hover says the district, its figure and whether it meets
the target. Each location's `customdata` is `[GSO code, district name, figure, status]`, so a
click can drill down to the district (`clickData["points"][0]["customdata"][0]`, also
`["location"]`).

Without a usable boundary file the chart says so in Vietnamese (and the server logs it once);
it never draws a made-up map.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from flask import Response, abort, current_app, request

from dashboard.components.figures import base_layout, empty_figure, target_status
from dashboard.i18n import _, fmt_value

log = logging.getLogger(__name__)
FEATURE_KEY = "properties.gso_code"
NO_DATA = "#d9d9d9"
LINE = "white"
HIGHLIGHT = "#111111"
# Below the target: light to dark red with the distance; from the target up: light to dark green.
BELOW = ("#b71c1c", "#f4c7c3")
ABOVE = ("#c8e6c9", "#1b5e20")
SEQUENTIAL = "Blues"  # no target: one hue, darker is more
MAP_HEIGHT = 480
TARGET_MARK = "▲"  # before the target's value on the colour bar (the title names the target)

_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


class BoundaryError(ValueError):
    """The boundary file cannot be used (missing, not JSON, not district polygons)."""


def _warn_once(path: str, reason: str) -> None:
    """Log that the boundary file is not usable, once per file and reason (not per request)."""
    with _warned_lock:
        if (path, reason) in _warned:
            return
        _warned.add((path, reason))
    log.warning("District map disabled: boundary file %s not usable: %s", path, reason)


def _signed_area(ring) -> float:
    """Twice the planar signed area of a ring of (lon, lat): > 0 when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_a), (x1, y1, *_b) in pairwise(ring))


def _d3_polygon(rings: list) -> list:
    """A polygon's rings in the winding d3-geo (Plotly) needs: the exterior clockwise, holes
    counter-clockwise. GeoJSON (RFC 7946) winds them the other way, which d3 reads as "the
    whole globe except this district" and paints the map's whole frame."""
    out = []
    for i, ring in enumerate(rings):
        clockwise = _signed_area(ring) < 0
        want_clockwise = i == 0
        out.append(list(ring) if clockwise == want_clockwise else list(reversed(ring)))
    return out


def _d3_geometry(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _d3_polygon(geometry["coordinates"])}
    return {
        "type": "MultiPolygon",
        "coordinates": [_d3_polygon(p) for p in geometry["coordinates"] if p],
    }


def _check(data) -> dict:
    """The GeoJSON with only its district polygons, each with `properties.gso_code` as text;
    `BoundaryError` when there are none."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError("not a GeoJSON FeatureCollection")
    features = []
    if not isinstance(data.get("features"), list):
        raise BoundaryError("no list of features")
    for feature in data["features"]:
        if not isinstance(feature, dict):
            continue
        code = str((feature.get("properties") or {}).get("gso_code") or "").strip()
        geometry = feature.get("geometry") or {}
        if not code or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        if not geometry.get("coordinates"):
            continue
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"gso_code": code, "name": feature["properties"].get("name", "")},
                "geometry": _d3_geometry(geometry),
            }
        )
    if not features:
        raise BoundaryError("no feature with a gso_code and a Polygon or MultiPolygon geometry")
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        try:
            data = json.load(fh)
        except ValueError as exc:
            raise BoundaryError(f"not JSON ({exc})") from exc
    return _check(data)


def load_boundaries(path: str | None) -> dict | None:
    """The district polygons (a GeoJSON FeatureCollection keyed by `properties.gso_code`), or
    None when no file is configured or it is missing or invalid (logged once)."""
    if not path:
        return None
    file = Path(path)
    try:
        return _load(str(file), file.stat().st_mtime)
    except BoundaryError as exc:
        _warn_once(str(path), str(exc))
    except OSError as exc:
        _warn_once(str(path), exc.strerror or type(exc).__name__)
    return None


BOUNDARIES_PATH = "/ban-do/ranh-gioi.geojson"
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=4)
def _served(path: str, mtime: float) -> tuple[bytes, str]:
    """The checked boundaries as the bytes the map fetches, and their digest (the URL's `v`)."""
    body = json.dumps(_load(path, mtime), ensure_ascii=False, separators=(",", ":")).encode()
    return body, hashlib.sha256(body).hexdigest()[:16]


def _served_now(path: str | None) -> tuple[bytes, str] | None:
    if load_boundaries(path) is None:
        return None
    file = Path(path)
    return _served(str(file), file.stat().st_mtime)


def boundaries_url(path: str | None) -> str | None:
    """Where the browser fetches the boundaries (once: the URL names their version and the
    answer may be kept a year); None without usable boundaries. Charts name this URL instead
    of carrying the polygons in every answer."""
    served = _served_now(path)
    return f"{BOUNDARIES_PATH}?v={served[1]}" if served else None


def boundaries_view():
    """The boundaries for the map (public data, CC BY-SA: no login, no cookie)."""
    served = _served_now(current_app.config.get("BOUNDARIES_GEOJSON"))
    if served is None:
        abort(404)
    body, digest = served
    response = Response(body, mimetype="application/geo+json")
    current = request.args.get("v") == digest
    response.headers["Cache-Control"] = (
        f"public, max-age={YEAR}, immutable" if current else "public, max-age=300"
    )
    return response


def init_app(server) -> None:
    server.add_url_rule(BOUNDARIES_PATH, "map_boundaries", boundaries_view)


def _colorscale(target: float | None, zmax: float) -> list | str:
    """Diverging at the target: the colour jumps from red to green where the target is met."""
    if target is None or zmax <= 0:
        return SEQUENTIAL
    at = min(max(target / zmax, 0.0), 1.0)
    if at <= 0:
        return [[0.0, ABOVE[0]], [1.0, ABOVE[1]]]
    if at >= 1:
        return [[0.0, BELOW[0]], [1.0, BELOW[1]]]
    return [[0.0, BELOW[0]], [at, BELOW[1]], [at, ABOVE[0]], [1.0, ABOVE[1]]]


def _ticks(target: float | None, zmax: float, percent: bool) -> tuple[list, list]:
    """Colour-bar ticks: 0, a few steps, the maximum, and the target (labelled as such)."""
    if percent:
        values = [0.0, 25.0, 50.0, 75.0, 100.0]
    else:
        step = max(1.0, round(zmax / 4))
        values = [step * i for i in range(5) if step * i <= zmax] or [0.0]
    if target is not None:
        values = [v for v in values if abs(v - target) > (zmax * 0.08)] + [target]
    values = sorted(values)
    labels = [
        TARGET_MARK + fmt_value(v, percent=percent)
        if target is not None and v == target
        else fmt_value(v, percent=percent)
        for v in values
    ]
    return values, labels


def _customdata(rows: pd.DataFrame, target: float | None) -> list[list[str]]:
    """[GSO code, name, figure as the pages show it, met or not] per district."""

    none = _("target_scope.none_own") if "target" in rows else _("common.no_target")

    def status(value, own) -> str:
        if pd.isna(value):
            return ""
        return target_status(value, own) or none

    owns = rows["target"].tolist() if "target" in rows else [target] * len(rows)
    owns = [None if t is None or pd.isna(t) else float(t) for t in owns]
    return [
        [str(r.district_code), str(r.district), str(r.display), status(r.value, own)]
        for r, own in zip(rows.itertuples(), owns, strict=True)
    ]


HOVER = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"


def district_map(
    frame: pd.DataFrame,
    boundaries: dict | None,
    *,
    percent: bool,
    target: float | None = None,
    unit: str = "",
    highlight: str | None = None,
    title: str = "",
    geojson_url: str | None = None,
) -> go.Figure:
    """`frame` has district_code, district, value, display (one row per district). The first
    trace colours the districts with a figure, a second one (grey) those without. With
    `geojson_url` the traces name the boundaries' URL (`boundaries_url`) instead of carrying
    the polygons."""
    if boundaries is None:
        return empty_figure(_("meaning.map.no_boundaries"), height=360)
    if frame.empty:
        return empty_figure()
    known = {f["id"] for f in boundaries["features"]}
    frame = frame[frame["district_code"].astype(str).isin(known)]
    if frame.empty:
        return empty_figure(_("meaning.map.no_match"), height=360)
    with_value = frame[frame["value"].notna()]
    without = frame[frame["value"].isna()]
    top = float(with_value["value"].max()) if not with_value.empty else 1.0
    zmax = 100.0 if percent else max(1.0, top, target or 0.0)
    tickvals, ticktext = _ticks(target, zmax, percent)
    unit_label = _("meaning.map.unit_percent") if percent else (unit or _("meaning.map.unit_count"))
    bar_title = unit_label
    if target is not None:
        bar_title = _(
            "meaning.map.colorbar_target",
            unit=unit_label,
            target=fmt_value(target, percent=percent),
        )

    def shapes(rows: pd.DataFrame) -> dict | str:
        """The boundaries' URL, or the boundaries of `rows` only (each trace carries its own
        districts, not all 17)."""
        if geojson_url:
            return geojson_url
        codes = set(rows["district_code"].astype(str))
        features = [f for f in boundaries["features"] if f["id"] in codes]
        return {"type": "FeatureCollection", "features": features}

    def lines(rows: pd.DataFrame) -> dict:
        codes = rows["district_code"].astype(str)
        return {
            "color": [HIGHLIGHT if c == highlight else LINE for c in codes],
            "width": [3 if c == highlight else 1 for c in codes],
        }

    # Traces as dicts: `go.Figure` validates them once (a `go.Choropleth` would be built twice).
    traces = [
        {
            "type": "choropleth",
            "geojson": shapes(with_value),
            "featureidkey": FEATURE_KEY,
            "locations": with_value["district_code"].astype(str).tolist(),
            "z": with_value["value"].astype(float).tolist(),
            "zmin": 0.0,
            "zmax": zmax,
            "colorscale": _colorscale(target, zmax),
            "marker": {"line": lines(with_value)},
            "customdata": _customdata(with_value, target),
            "hovertemplate": HOVER,
            "name": "",
            "colorbar": {
                "title": {"text": bar_title, "side": "top"},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
                "len": 0.9,
                "thickness": 12,
                "tickvals": tickvals,
                "ticktext": ticktext,
                "outlinewidth": 0,
            },
        }
    ]
    if not without.empty:
        traces.append(
            {
                "type": "choropleth",
                "geojson": shapes(without),
                "featureidkey": FEATURE_KEY,
                "locations": without["district_code"].astype(str).tolist(),
                "z": [0.0] * len(without),
                "colorscale": [[0, NO_DATA], [1, NO_DATA]],
                "showscale": False,
                "marker": {"line": lines(without)},
                "customdata": _customdata(without, None),
                "hovertemplate": HOVER,
                "name": _("meaning.map.no_data"),
            }
        )
    # One step (traces and the whole layout), not update_geos/update_layout on a figure:
    # Plotly's relayout machinery made that several times slower.
    return go.Figure(
        data=traces,
        layout=base_layout(
            title,
            height=MAP_HEIGHT,
            geo={
                "visible": False,
                "fitbounds": "locations",
                "projection": {"type": "mercator"},
                "bgcolor": "white",
            },
            margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 70},
            dragmode=False,
            showlegend=False,
        ),
    )
