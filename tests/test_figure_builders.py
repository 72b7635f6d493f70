"""The figure builders draw exactly the figures they drew before they were made faster.

The builders used to update a `go.Figure` step by step (`update_layout`, `update_xaxes`,
`add_vline`, `add_trace`…); they now build each figure in one step from its traces and one
layout dict. The `reference_*` functions below are a frozen copy of the step-by-step builders;
every test compares the JSON of both (parsed back, so key order does not matter) over many
inputs, in Vietnamese and in English. A builder whose figure is meant to change must change its
reference here too.
"""

from __future__ import annotations

import json
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from flask import g

from dashboard.components import figures, maps
from dashboard.components.figures import (
    FONT,
    MET,
    NOT_MET,
    PRIMARY,
    TARGET,
    separators,
    target_status,
)
from dashboard.i18n import D3_NUMBER, _, fmt_number, fmt_value

# No database: the builders are pure (the read-only app gives them a request's language only),
# so these are not among the tests run again on PostgreSQL.

# --- the reference: the builders as they were, updating a figure step by step -----------------


def reference_base(fig: go.Figure, title: str = "", height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        font={"family": FONT, "size": 12},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=separators(),
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(automargin=True, gridcolor="#eee")
    fig.update_yaxes(automargin=True, gridcolor="#eee")
    return fig


def reference_empty_figure(message: str | None = None, height: int = 300) -> go.Figure:
    fig = go.Figure()
    # Changed on purpose since the copy was frozen: long messages are broken into lines.
    text = "<br>".join(textwrap.wrap(message or _("common.none"), figures.EMPTY_LINE_CHARS))
    fig.add_annotation(text=text, showarrow=False, font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return reference_base(fig, height=height)


def reference_legend_entry(name: str, color: str) -> go.Scatter:
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={"symbol": "square", "size": 12, "color": color},
        name=name,
        showlegend=True,
        hoverinfo="skip",
    )


def reference_district_bar(
    frame: pd.DataFrame,
    *,
    percent: bool,
    target: float | None,
    title: str = "",
    sort: bool = False,
    highlight: str | None = None,
) -> go.Figure:
    if frame.empty or frame["value"].isna().all():
        return reference_empty_figure()
    data = frame.sort_values("value", ascending=True) if sort else frame.iloc[::-1]
    colors = [
        PRIMARY if target is None or pd.isna(v) else (MET if v >= target else NOT_MET)
        for v in data["value"]
    ]
    status = [target_status(v, target) for v in data["value"]]
    custom = pd.DataFrame({"code": data["district_code"].to_numpy(), "status": status})
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=data["district"],
            orientation="h",
            marker_color=colors,
            marker_line_color=[
                "#111" if c == highlight else "white" for c in data["district_code"]
            ],
            marker_line_width=[3 if c == highlight else 0 for c in data["district_code"]],
            text=data["display"],
            textposition="auto",
            customdata=custom.to_numpy(),
            hovertemplate="<b>%{y}</b><br>%{text}<br>%{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    if target is not None:
        label = fmt_value(target, percent=percent)
        fig.add_vline(
            x=target,
            line_dash="dash",
            line_color=TARGET,
            annotation_text=_("chart.target_line", value=label),
            annotation_position="top left",
        )
        fig.add_trace(reference_legend_entry(_("meaning.legend.met"), MET))
        fig.add_trace(reference_legend_entry(_("meaning.legend.not_met"), NOT_MET))
        fig.update_layout(
            showlegend=True,
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
            },
        )
    fig.update_xaxes(tickformat=D3_NUMBER)
    if percent:
        fig.update_xaxes(range=[0, 105], ticksuffix="%")
    fig = reference_base(fig, title, height=max(340, 26 * len(data) + 110))
    if target is not None:
        fig.update_layout(margin={"b": 50})
    return fig


def reference_trend_line(
    points: list[tuple[str, float | None, str]],
    *,
    percent: bool,
    target: float | None,
    target_year: int | None,
    title: str = "",
    series_name: str | None = None,
) -> go.Figure:
    if not points or all(v is None for _p, v, _t in points):
        return reference_empty_figure()
    fig = go.Figure(
        go.Scatter(
            x=[p for p, _v, _t in points],
            y=[v for _p, v, _t in points],
            text=[t for _p, _v, t in points],
            mode="lines+markers+text",
            textposition=[
                "top right" if i == 0 else "top left" if i == len(points) - 1 else "top center"
                for i in range(len(points))
            ],
            name=series_name or _("chart.province"),
            line={"color": PRIMARY, "width": 3},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    if target is not None:
        label = fmt_value(target, percent=percent)
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color=TARGET,
            annotation_text=_("chart.target_line", value=label)
            + (f" ({target_year})" if target_year else ""),
            annotation_position="bottom right",
        )
    fig.update_xaxes(type="category")
    fig.update_traces(cliponaxis=False)
    if percent:
        ticks = [0, 20, 40, 60, 80, 100]
        fig.update_yaxes(
            range=[0, 112], tickvals=ticks, ticktext=[fmt_value(v, percent=True) for v in ticks]
        )
    else:
        fig.update_yaxes(tickformat=D3_NUMBER, rangemode="tozero")
    fig.update_layout(showlegend=False)
    return reference_base(fig, title)


def reference_count_bar(
    labels: list[str], values: list[float], title: str = "", horizontal: bool = False
) -> go.Figure:
    if not values or not any(values):
        return reference_empty_figure()
    text = [fmt_number(v) for v in values]
    labels = [str(label) for label in labels]
    if horizontal:
        # Changed on purpose since the copy was frozen: long labels are broken into lines.
        wrap = figures.BAR_LABEL_CHARS
        labels = ["<br>".join(textwrap.wrap(label, wrap)) or label for label in labels]
        bar = go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=PRIMARY,
            text=text,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    else:
        bar = go.Bar(
            x=labels,
            y=values,
            marker_color=PRIMARY,
            text=text,
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    fig = go.Figure(bar)
    fig.update_traces(textposition="auto")
    value_axis, label_axis = (fig.update_xaxes, fig.update_yaxes)
    if not horizontal:
        value_axis, label_axis = label_axis, value_axis
    value_axis(tickformat=D3_NUMBER, rangemode="tozero")
    label_axis(type="category")
    return reference_base(fig, title)


def reference_district_map(
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
    if boundaries is None:
        return reference_empty_figure(_("meaning.map.no_boundaries"), height=360)
    if frame.empty:
        return reference_empty_figure()
    known = {f["id"] for f in boundaries["features"]}
    frame = frame[frame["district_code"].astype(str).isin(known)]
    if frame.empty:
        return reference_empty_figure(_("meaning.map.no_match"), height=360)
    with_value = frame[frame["value"].notna()]
    without = frame[frame["value"].isna()]
    top = float(with_value["value"].max()) if not with_value.empty else 1.0
    zmax = 100.0 if percent else max(1.0, top, target or 0.0)
    tickvals, ticktext = maps._ticks(target, zmax, percent)
    unit_label = _("meaning.map.unit_percent") if percent else (unit or _("meaning.map.unit_count"))
    bar_title = unit_label
    if target is not None:
        bar_title = _(
            "meaning.map.colorbar_target",
            unit=unit_label,
            target=fmt_value(target, percent=percent),
        )

    def shapes(rows: pd.DataFrame) -> dict | str:
        if geojson_url:
            return geojson_url
        codes = set(rows["district_code"].astype(str))
        features = [f for f in boundaries["features"] if f["id"] in codes]
        return {"type": "FeatureCollection", "features": features}

    def lines(rows: pd.DataFrame) -> dict:
        codes = rows["district_code"].astype(str)
        return {
            "color": [maps.HIGHLIGHT if c == highlight else maps.LINE for c in codes],
            "width": [3 if c == highlight else 1 for c in codes],
        }

    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=shapes(with_value),
            featureidkey=maps.FEATURE_KEY,
            locations=with_value["district_code"].astype(str).tolist(),
            z=with_value["value"].astype(float).tolist(),
            zmin=0.0,
            zmax=zmax,
            colorscale=maps._colorscale(target, zmax),
            marker={"line": lines(with_value)},
            customdata=maps._customdata(with_value, target),
            hovertemplate=maps.HOVER,
            name="",
            colorbar={
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
        )
    )
    if not without.empty:
        fig.add_trace(
            go.Choropleth(
                geojson=shapes(without),
                featureidkey=maps.FEATURE_KEY,
                locations=without["district_code"].astype(str).tolist(),
                z=[0.0] * len(without),
                colorscale=[[0, maps.NO_DATA], [1, maps.NO_DATA]],
                showscale=False,
                marker={"line": lines(without)},
                customdata=maps._customdata(without, None),
                hovertemplate=maps.HOVER,
                name=_("meaning.map.no_data"),
            )
        )
    fig.update_geos(
        visible=False,
        fitbounds="locations",
        projection_type="mercator",
        bgcolor="white",
    )
    fig = reference_base(fig, title, height=maps.MAP_HEIGHT)
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 70}, dragmode=False, showlegend=False
    )
    return fig


# --- inputs -----------------------------------------------------------------------------------

CODES = ["622", "623", "624", "625", "626", "627"]
NAMES = ["Pleiku", "An Khê", "Ayun Pa", "KBang", "Đak Đoa", "Chư Păh"]
NAN = math.nan


def district_frame(values: list[float | None], percent: bool = True) -> pd.DataFrame:
    """A frame as `svc.by_district` returns it: one row per district, gaps as None/NaN."""
    rows = []
    for code, name, value in zip(CODES, NAMES, values, strict=False):
        present = value is not None and not (isinstance(value, float) and math.isnan(value))
        rows.append(
            {
                "district_code": code,
                "district": name,
                "numerator": value if present else None,
                "denominator": 100 if present else None,
                "value": value,
                "display": fmt_value(value, percent=percent) if present else "–",
                "expected": 10,
                "reported": 10 if present else 0,
            }
        )
    return pd.DataFrame(rows)


def boundaries() -> dict:
    """District polygons as `maps.load_boundaries` gives them (one a MultiPolygon, one more
    district than any frame has, a feature no frame names)."""
    features = []
    for i, code in enumerate([*CODES, "699"]):
        square = [[i, 0], [i, 1], [i + 1, 1], [i + 1, 0], [i, 0]]
        geometry = (
            {"type": "MultiPolygon", "coordinates": [[square]]}
            if i == 2
            else {"type": "Polygon", "coordinates": [square]}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"gso_code": code, "name": f"D{i}"},
                "geometry": geometry,
            }
        )
    return maps._check({"type": "FeatureCollection", "features": features})


PERCENTS = [97.5, 40.0, 100.0, 12.3, 0.0, 66.7]
COUNTS = [12.0, 3.0, 0.0, 7.0, 25.0, 1.0]
GAPS = [80.0, None, 55.5, NAN, 97.0, None]

DISTRICT_BAR_CASES = {
    "percent-target": (lambda: district_frame(PERCENTS), {"percent": True, "target": 97}),
    "percent-target-sorted-highlight": (
        lambda: district_frame(PERCENTS),
        {"percent": True, "target": 66.7, "sort": True, "highlight": "624", "title": "T — 2023"},
    ),
    "count-target": (
        lambda: district_frame(COUNTS, percent=False),
        {"percent": False, "target": 5, "title": "Số mô hình"},
    ),
    "count-no-target-sorted": (
        lambda: district_frame(COUNTS, percent=False),
        {"percent": False, "target": None, "sort": True},
    ),
    "percent-no-target-highlight": (
        lambda: district_frame(PERCENTS),
        {"percent": True, "target": None, "highlight": "622", "title": "x"},
    ),
    "gaps-target": (lambda: district_frame(GAPS), {"percent": True, "target": 80.0}),
    "gaps-sorted-highlight-missing": (
        lambda: district_frame(GAPS),
        {"percent": True, "target": 60, "sort": True, "highlight": "623"},
    ),
    "target-zero": (lambda: district_frame(PERCENTS), {"percent": True, "target": 0}),
    "one-district": (lambda: district_frame([42.0]), {"percent": True, "target": 50}),
    "all-gaps": (lambda: district_frame([None, NAN, None]), {"percent": True, "target": 50}),
    "empty-frame": (pd.DataFrame, {"percent": True, "target": 50}),
}

TREND_POINTS = [("2021", 25.0, "25%"), ("2022", 50.0, "50%"), ("2023", 62.5, "62,5%")]
TREND_CASES = {
    "percent-target-year": (
        TREND_POINTS,
        {"percent": True, "target": 97, "target_year": 2025, "title": "A — Tỉnh"},
    ),
    "percent-target-no-year": (
        TREND_POINTS,
        {"percent": True, "target": 80.5, "target_year": None},
    ),
    "percent-no-target": (
        TREND_POINTS,
        {"percent": True, "target": None, "target_year": None, "series_name": "Pleiku"},
    ),
    "count-target": (
        [("2021", 3.0, "3"), ("2022", 2710.0, "2.710")],
        {"percent": False, "target": 3000, "target_year": 2025, "series_name": "An Khê"},
    ),
    "count-no-target": (
        [("2021", 0.0, "0"), ("2022", 4.0, "4"), ("2023", 9.0, "9"), ("2024", 12.0, "12")],
        {"percent": False, "target": None, "target_year": None, "title": "Đếm"},
    ),
    "one-point": ([("2023", 40.0, "40%")], {"percent": True, "target": 50, "target_year": 2025}),
    "gaps": (
        [("2021", None, "–"), ("2022", 30.0, "30%"), ("2023", None, "–")],
        {"percent": True, "target": 60, "target_year": 2025},
    ),
    "all-gaps": (
        [("2021", None, "–"), ("2022", None, "–")],
        {"percent": True, "target": 60, "target_year": 2025},
    ),
    "no-points": ([], {"percent": False, "target": None, "target_year": None}),
}

COUNT_CASES = {
    "vertical": (["a", "b", "c"], [3, 2710, 0], {}),
    "vertical-title-years": ([2021, 2022, 2023], [120.0, 0.0, 45.5], {"title": "Người"}),
    "horizontal": (["Nông nghiệp", "Du lịch"], [5, 1], {"horizontal": True}),
    "horizontal-title": (["x"], [7.0], {"horizontal": True, "title": "Lĩnh vực"}),
    "horizontal-long-label": (
        ["Tổ chức sản xuất, phát triển kinh tế nông thôn", "Y tế"],
        [1, 2],
        {"horizontal": True},
    ),
    "zeros": (["a", "b"], [0, 0], {}),
    "zeros-horizontal": (["a"], [0], {"horizontal": True}),
    "empty": ([], [], {"title": "t"}),
}

EMPTY_CASES = {
    "default": ((), {}),
    "message": (("Không có dữ liệu cho kỳ này",), {}),
    "message-height": (("x",), {"height": 360}),
    "empty-message": (("",), {"height": 200}),
}

URL = "/ban-do/ranh-gioi.geojson?v=0123456789abcdef"
MAP_CASES = {
    "percent-target": (lambda: district_frame(PERCENTS), {"percent": True, "target": 97}),
    "percent-target-url": (
        lambda: district_frame(PERCENTS),
        {"percent": True, "target": 60, "geojson_url": URL},
    ),
    "percent-no-target-title": (
        lambda: district_frame(PERCENTS),
        {"percent": True, "title": "Bản đồ"},
    ),
    "gaps-highlight": (
        lambda: district_frame(GAPS),
        {"percent": True, "target": 80, "highlight": "623"},
    ),
    "gaps-highlight-url-title": (
        lambda: district_frame(GAPS),
        {"percent": True, "target": 80, "highlight": "622", "title": "t", "geojson_url": URL},
    ),
    "count-unit-target": (
        lambda: district_frame(COUNTS, percent=False),
        {"percent": False, "target": 40, "unit": "mô hình", "highlight": "625"},
    ),
    "count-no-unit": (lambda: district_frame(COUNTS, percent=False), {"percent": False}),
    "all-gaps": (
        lambda: district_frame([None, NAN, None]),
        {"percent": True, "target": 50, "geojson_url": URL},
    ),
    "unmatched-codes": (
        lambda: district_frame([10.0]).assign(district_code="999"),
        {"percent": True, "target": 50},
    ),
    "empty-frame": (pd.DataFrame, {"percent": False}),
}


# --- comparisons ------------------------------------------------------------------------------


def as_json(fig: go.Figure) -> dict:
    """The figure as the browser receives it (parsed back: key order does not matter)."""
    return json.loads(pio.to_json(fig))


@pytest.fixture(params=["vi", "en"])
def lang(request, ro_app):
    """Each comparison in both languages: texts and separators come from `dashboard.i18n`."""
    with ro_app.test_request_context(f"/?lang={request.param}"):
        g.lang = request.param
        yield request.param


@pytest.mark.parametrize("case", DISTRICT_BAR_CASES)
def test_district_bar_is_unchanged(lang, case):
    """Catches a one-step district bar that differs from the old one: a target line or its
    label anchored differently (xref/yref, left/right), a lost legend or bottom margin, axis
    settings (range, `%` suffix, number format) dropped, bars in another order or colour."""
    make, kwargs = DISTRICT_BAR_CASES[case]
    assert as_json(figures.district_bar(make(), **kwargs)) == as_json(
        reference_district_bar(make(), **kwargs)
    )


@pytest.mark.parametrize("case", TREND_CASES)
def test_trend_line_is_unchanged(lang, case):
    """Catches a one-step trend that differs from the old one: the target line's shape or label
    (`add_hline`'s "x domain" and "bottom right" anchors), the year after the target, tick
    labels, `cliponaxis`, the category axis or the series name."""
    points, kwargs = TREND_CASES[case]
    assert as_json(figures.trend_line(list(points), **kwargs)) == as_json(
        reference_trend_line(list(points), **kwargs)
    )


@pytest.mark.parametrize("case", COUNT_CASES)
def test_count_bar_is_unchanged(lang, case):
    """Catches the value and label axes swapped for horizontal bars, a lost `textposition`, or
    a count bar without the vi number format."""
    labels, values, kwargs = COUNT_CASES[case]
    assert as_json(figures.count_bar(list(labels), list(values), **kwargs)) == as_json(
        reference_count_bar(list(labels), list(values), **kwargs)
    )


@pytest.mark.parametrize("case", EMPTY_CASES)
def test_empty_figure_is_unchanged(lang, case):
    """Catches a message figure that shows its axes, loses its message's font or height, or
    gains a title margin."""
    args, kwargs = EMPTY_CASES[case]
    assert as_json(figures.empty_figure(*args, **kwargs)) == as_json(
        reference_empty_figure(*args, **kwargs)
    )


@pytest.mark.parametrize("case", MAP_CASES)
def test_district_map_is_unchanged(lang, case):
    """Catches a one-step map that differs from the old one: the geo settings (no base map,
    fit to the districts, Mercator), the map's own margins, drag switched back on, a legend,
    or the axes' settings the old `_base` left in the layout."""
    make, kwargs = MAP_CASES[case]
    geo = boundaries()
    assert as_json(maps.district_map(make(), geo, **kwargs)) == as_json(
        reference_district_map(make(), geo, **kwargs)
    )


def test_district_map_without_boundaries_is_unchanged(lang):
    """Catches the "no boundary file" message figure changing (text, height)."""
    assert as_json(maps.district_map(pd.DataFrame(), None, percent=False)) == as_json(
        reference_district_map(pd.DataFrame(), None, percent=False)
    )


def test_the_cases_cover_target_lines_legends_and_messages(lang):
    """Catches this file comparing too little: the cases must draw target lines (shapes and
    annotations from `add_vline`/`add_hline`), legends, both map traces and message figures,
    and the comparison must see a difference when there is one."""
    make, kwargs = DISTRICT_BAR_CASES["percent-target"]
    bar = as_json(reference_district_bar(make(), **kwargs))
    assert bar["layout"]["shapes"][0]["yref"] == "y domain"
    assert bar["layout"]["annotations"][0]["xanchor"] == "right"
    assert bar["layout"]["showlegend"] is True and len(bar["data"]) == 3
    points, kwargs = TREND_CASES["percent-target-year"]
    trend = as_json(reference_trend_line(points, **kwargs))
    assert trend["layout"]["shapes"][0]["xref"] == "x domain"
    assert "(2025)" in trend["layout"]["annotations"][0]["text"]
    make, kwargs = MAP_CASES["gaps-highlight"]
    assert len(as_json(reference_district_map(make(), boundaries(), **kwargs))["data"]) == 2
    assert as_json(reference_district_map(pd.DataFrame(), None, percent=False))["data"] == []
    other = as_json(reference_district_bar(make(), percent=True, target=None))
    assert other != as_json(reference_district_bar(make(), percent=True, target=80))


def test_long_bar_labels_are_broken_into_lines(lang):
    """Catches a long field name drawn on one line, which pushes the bars off a phone."""
    fig = figures.count_bar(
        ["Tổ chức sản xuất, phát triển kinh tế nông thôn"], [1], horizontal=True
    )
    label = fig.data[0].y[0]
    assert "<br>" in label
    assert max(len(line) for line in label.split("<br>")) <= figures.BAR_LABEL_CHARS
