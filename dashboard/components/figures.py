"""Figure builders: pure functions from DataFrames or figures to Plotly figures.

Every number a chart shows goes through `dashboard.i18n`: labels and hover texts are
pre-formatted strings (`fmt_number`, `fmt_pct`, a figure's `display`), axes use the d3 patterns
`D3_NUMBER` with the figure's `separators`, so a Vietnamese chart reads `2.710` and `52,2%`,
never `2710.0` or `2.0`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import D3_NUMBER, _, figure_separators, fmt_number, fmt_value

PRIMARY = "#0b5394"
MET = "#2e7d32"
NOT_MET = "#c62828"
TARGET = "#ef6c00"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def separators() -> str:
    """Number separators of charts in the request's language: `12.345,6` (vi), `12,345.6` (en)."""
    return figure_separators()


def _base(fig: go.Figure, title: str = "", height: int = 360) -> go.Figure:
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


def empty_figure(message: str | None = None, height: int = 300) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message or _("common.none"), showarrow=False, font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base(fig, height=height)


def target_status(value, target: float | None) -> str:
    """ "Đạt mục tiêu" / "Chưa đạt mục tiêu" for a value against a target; empty without either."""
    if target is None or value is None or pd.isna(value):
        return ""
    return _("meaning.legend.met") if value >= target else _("meaning.legend.not_met")


def _legend_entry(name: str, color: str) -> go.Scatter:
    """A legend line with no data (a square of `color`), for colours set per bar."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={"symbol": "square", "size": 12, "color": color},
        name=name,
        showlegend=True,
        hoverinfo="skip",
    )


def district_bar(
    frame: pd.DataFrame,
    *,
    percent: bool,
    target: float | None,
    title: str = "",
    sort: bool = False,
    highlight: str | None = None,
) -> go.Figure:
    """Bars per district (`district`, `value`, `display` columns) with a target line; green
    bars meet the target, red ones do not (a legend says so); the district `highlight` (GSO
    code) is outlined. The bars are the first trace; `customdata` rows are [GSO code, status]."""
    if frame.empty or frame["value"].isna().all():
        return empty_figure()
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
            # left of the line: a target near 100% keeps its label inside narrow charts
            annotation_position="top left",
        )
        fig.add_trace(_legend_entry(_("meaning.legend.met"), MET))
        fig.add_trace(_legend_entry(_("meaning.legend.not_met"), NOT_MET))
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
    fig = _base(fig, title, height=max(340, 26 * len(data) + 110))
    if target is not None:
        fig.update_layout(margin={"b": 50})
    return fig


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
    fig = go.Figure(
        go.Scatter(
            x=[p for p, _v, _t in points],
            y=[v for _p, v, _t in points],
            text=[t for _p, _v, t in points],
            mode="lines+markers+text",
            # The end labels lean inwards so narrow charts (embeds at 320 px) do not cut them.
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
    return _base(fig, title)


def count_bar(
    labels: list[str], values: list[float], title: str = "", horizontal: bool = False
) -> go.Figure:
    """Bars of counts (rows, participants): labels as categories, values shown `2.710`."""
    if not values or not any(values):
        return empty_figure()
    text = [fmt_number(v) for v in values]
    labels = [str(label) for label in labels]
    if horizontal:
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
    return _base(fig, title)
