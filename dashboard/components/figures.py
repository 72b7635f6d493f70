"""Figure builders: pure functions from DataFrames or figures to Plotly figures.

Every number a chart shows goes through `dashboard.i18n`: labels and hover texts are
pre-formatted strings (`fmt_number`, `fmt_pct`, a figure's `display`), axes use the d3 patterns
`D3_NUMBER` with the figure's `separators`, so a Vietnamese chart reads `2.710` and `52,2%`,
never `2710.0` or `2.0`.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import D3_NUMBER, _, figure_separators, fmt_number, fmt_value

PRIMARY = "#0b5394"
MET = "#2e7d32"
NOT_MET = "#c62828"
TARGET = "#ef6c00"
# An empty chart's message is broken into lines of at most this many characters (fits 320 px).
EMPTY_LINE_CHARS = 40
# The labels of horizontal bars too, so a long field name does not push the bars off a phone.
BAR_LABEL_CHARS = 24
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def separators() -> str:
    """Number separators of charts in the request's language: `12.345,6` (vi), `12,345.6` (en)."""
    return figure_separators()


def base_layout(
    title: str = "",
    height: int = 360,
    *,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    margin: dict | None = None,
    **extra,
) -> dict:
    """The complete layout of a chart as one dict (the common look, with the axes'
    own settings in `xaxis`/`yaxis`, `margin` overriding some sides): the builders pass it to
    `go.Figure(data=..., layout=...)` at once, which is several times faster than updating a
    figure step by step (each `update_*`/`add_*` goes through Plotly's relayout machinery)."""
    out = {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10, **(margin or {})},
        "font": {"family": FONT, "size": 12},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "separators": separators(),
        "hoverlabel": {"font": {"family": FONT}},
        "xaxis": {**(xaxis or {}), "automargin": True, "gridcolor": "#eee"},
        "yaxis": {**(yaxis or {}), "automargin": True, "gridcolor": "#eee"},
    }
    out.update(extra)
    return out


def _target_vline(x: float, text: str) -> tuple[dict, dict]:
    """The shape and the annotation of `fig.add_vline(x=x, line_dash="dash",
    line_color=TARGET, annotation_text=text, annotation_position="top left")`, written out so
    a figure is built in one step: the label sits left of the line, at the top."""
    shape = {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": {"color": TARGET, "dash": "dash"},
    }
    note = {
        "text": text,
        "showarrow": False,
        "x": x,
        "xref": "x",
        "xanchor": "right",
        "y": 1,
        "yref": "y domain",
        "yanchor": "top",
    }
    return shape, note


def _target_hline(y: float, text: str) -> tuple[dict, dict]:
    """The shape and the annotation of `fig.add_hline(y=y, line_dash="dash",
    line_color=TARGET, annotation_text=text, annotation_position="bottom right")`: the label
    sits under the line, at the right."""
    shape = {
        "type": "line",
        "x0": 0,
        "x1": 1,
        "xref": "x domain",
        "y0": y,
        "y1": y,
        "yref": "y",
        "line": {"color": TARGET, "dash": "dash"},
    }
    note = {
        "text": text,
        "showarrow": False,
        "x": 1,
        "xref": "x domain",
        "xanchor": "right",
        "y": y,
        "yref": "y",
        "yanchor": "top",
    }
    return shape, note


def empty_figure(message: str | None = None, height: int = 300) -> go.Figure:
    """A chart with only a message (by default "no data") and no axes; a long message is
    broken into lines (a chart's annotation does not wrap, and phones are narrow)."""
    text = "<br>".join(textwrap.wrap(message or _("common.none"), EMPTY_LINE_CHARS))
    return go.Figure(
        layout=base_layout(
            height=height,
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[{"text": text, "showarrow": False, "font": {"size": 14}}],
        )
    )


def target_status(value, target: float | None) -> str:
    """ "Đạt mục tiêu" / "Chưa đạt mục tiêu" for a value against a target; empty without either."""
    if target is None or value is None or pd.isna(value):
        return ""
    return _("meaning.legend.met") if value >= target else _("meaning.legend.not_met")


def _legend_entry(name: str, color: str) -> dict:
    """A legend line with no data (a square of `color`), for colours set per bar: a scatter
    trace as a dict for `go.Figure(data=...)`, which validates it."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "marker": {"symbol": "square", "size": 12, "color": color},
        "name": name,
        "showlegend": True,
        "hoverinfo": "skip",
    }


def district_bar(
    frame: pd.DataFrame,
    *,
    percent: bool,
    target: float | None,
    title: str = "",
    sort: bool = False,
    highlight: str | None = None,
) -> go.Figure:
    """Bars per unit (`district`, `value`, `display` columns; `target`: each unit's own target,
    else `target` for all). Green bars meet their target, red ones do not, blue ones have none
    (a legend says so); `target` draws a line. The unit `highlight` (GSO code) is outlined.
    The bars are the first trace; `customdata` rows are [GSO code, status]."""
    if frame.empty or frame["value"].isna().all():
        return empty_figure()
    data = frame.sort_values("value", ascending=True) if sort else frame.iloc[::-1]
    codes = data["district_code"].tolist()
    values = data["value"].tolist()
    own = data["target"].tolist() if "target" in data else [target] * len(data)
    own = [None if t is None or pd.isna(t) else float(t) for t in own]
    colors = [
        PRIMARY if t is None or pd.isna(v) else (MET if v >= t else NOT_MET)
        for v, t in zip(values, own, strict=True)
    ]
    none = _("target_scope.none_own") if "target" in data else ""
    status = [
        target_status(v, t) or ("" if pd.isna(v) else none)
        for v, t in zip(values, own, strict=True)
    ]
    custom = pd.DataFrame({"code": data["district_code"].to_numpy(), "status": status})
    # Traces as dicts: `go.Figure` validates them once (a `go.Bar` would be built twice).
    traces = [
        {
            "type": "bar",
            "x": data["value"].to_numpy(),
            "y": data["district"].to_numpy(),
            "orientation": "h",
            "marker": {
                "color": colors,
                "line": {
                    "color": ["#111" if c == highlight else "white" for c in codes],
                    "width": [3 if c == highlight else 0 for c in codes],
                },
            },
            "text": data["display"].to_numpy(),
            "textposition": "auto",
            "customdata": custom.to_numpy(),
            "hovertemplate": "<b>%{y}</b><br>%{text}<br>%{customdata[1]}<extra></extra>",
            "showlegend": False,
        }
    ]
    xaxis: dict = {"tickformat": D3_NUMBER}
    if percent:
        xaxis.update(range=[0, 105], ticksuffix="%")
    extra: dict = {}
    if any(t is not None for t in own):
        traces += [
            _legend_entry(_("meaning.legend.met"), MET),
            _legend_entry(_("meaning.legend.not_met"), NOT_MET),
        ]
        if any(t is None for t in own):
            traces.append(_legend_entry(none, PRIMARY))
        extra = {
            "showlegend": True,
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
            },
            "margin": {"b": 50},
        }
    if target is not None:
        label = fmt_value(target, percent=percent)
        # left of the line: a target near 100% keeps its label inside narrow charts
        shape, note = _target_vline(target, _("chart.target_line", value=label))
        extra.update(shapes=[shape], annotations=[note])
    return go.Figure(
        data=traces,
        layout=base_layout(title, height=max(340, 26 * len(data) + 110), xaxis=xaxis, **extra),
    )


def trend_line(
    points: list[tuple[str, float | None, str]],
    *,
    percent: bool,
    target: float | None,
    target_year: int | None,
    title: str = "",
    series_name: str | None = None,
) -> go.Figure:
    """Trend over periods: `points` are (period code, value, display text)."""
    if not points or all(v is None for _p, v, _t in points):
        return empty_figure()
    trace = {
        "type": "scatter",
        "x": [p for p, _v, _t in points],
        "y": [v for _p, v, _t in points],
        "text": [t for _p, _v, t in points],
        "mode": "lines+markers+text",
        # The end labels lean inwards so narrow charts (embeds at 320 px) do not cut them.
        "textposition": [
            "top right" if i == 0 else "top left" if i == len(points) - 1 else "top center"
            for i in range(len(points))
        ],
        "name": series_name or _("chart.province"),
        "line": {"color": PRIMARY, "width": 3},
        "hovertemplate": "%{x}: %{text}<extra></extra>",
        "cliponaxis": False,
    }
    extra: dict = {}
    if target is not None:
        label = fmt_value(target, percent=percent)
        text = _("chart.target_line", value=label) + (f" ({target_year})" if target_year else "")
        shape, note = _target_hline(target, text)
        extra = {"shapes": [shape], "annotations": [note]}
    if percent:
        ticks = [0, 20, 40, 60, 80, 100]
        yaxis = {
            "range": [0, 112],
            "tickvals": ticks,
            "ticktext": [fmt_value(v, percent=True) for v in ticks],
        }
    else:
        yaxis = {"tickformat": D3_NUMBER, "rangemode": "tozero"}
    return go.Figure(
        data=[trace],
        layout=base_layout(
            title, xaxis={"type": "category"}, yaxis=yaxis, showlegend=False, **extra
        ),
    )


def count_bar(
    labels: list[str], values: list[float], title: str = "", horizontal: bool = False
) -> go.Figure:
    """Bars of counts (rows, participants): labels as categories, values shown `2.710`."""
    if not values or not any(values):
        return empty_figure()
    text = [fmt_number(v) for v in values]
    labels = [str(label) for label in labels]
    if horizontal:
        labels = ["<br>".join(textwrap.wrap(label, BAR_LABEL_CHARS)) or label for label in labels]
    value_axis = {"tickformat": D3_NUMBER, "rangemode": "tozero"}
    label_axis = {"type": "category"}
    bar = {"type": "bar", "marker": {"color": PRIMARY}, "text": text, "textposition": "auto"}
    if horizontal:
        bar.update(
            x=values, y=labels, orientation="h", hovertemplate="%{y}: %{text}<extra></extra>"
        )
        axes = {"xaxis": value_axis, "yaxis": label_axis}
    else:
        bar.update(x=labels, y=values, hovertemplate="%{x}: %{text}<extra></extra>")
        axes = {"xaxis": label_axis, "yaxis": value_axis}
    return go.Figure(data=[bar], layout=base_layout(title, **axes))
