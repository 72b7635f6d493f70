"""Figure builders: pure functions from DataFrames or figures to Plotly figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import _, current_lang, fmt_number, fmt_pct

PRIMARY = "#0b5394"
MET = "#2e7d32"
NOT_MET = "#c62828"
TARGET = "#ef6c00"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Plotly's `separators`: the decimal mark, then the thousands separator.
SEPARATORS = {"vi": ",.", "en": ".,"}


def separators() -> str:
    """Number separators of charts in the request's language: `12.345,6` (vi), `12,345.6` (en)."""
    return SEPARATORS[current_lang()]


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


def district_bar(
    frame: pd.DataFrame,
    *,
    percent: bool,
    target: float | None,
    title: str = "",
    sort: bool = False,
    highlight: str | None = None,
) -> go.Figure:
    """Bars per district (`district`, `value`, `display` columns) with a target line; the
    district `highlight` (GSO code) is outlined."""
    if frame.empty or frame["value"].isna().all():
        return empty_figure()
    data = frame.sort_values("value", ascending=True) if sort else frame.iloc[::-1]
    colors = [
        PRIMARY if target is None or pd.isna(v) else (MET if v >= target else NOT_MET)
        for v in data["value"]
    ]
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
            customdata=data[["district_code"]].to_numpy(),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    if target is not None:
        label = fmt_pct(target) if percent else fmt_number(target)
        fig.add_vline(
            x=target,
            line_dash="dash",
            line_color=TARGET,
            annotation_text=_("chart.target_line", value=label),
            annotation_position="top",
        )
    if percent:
        fig.update_xaxes(range=[0, 105], ticksuffix="%")
    return _base(fig, title, height=max(320, 26 * len(data) + 80))


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
        label = fmt_pct(target) if percent else fmt_number(target)
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
        fig.update_yaxes(
            range=[0, 112],
            tickvals=[0, 20, 40, 60, 80, 100],
            ticktext=[f"{v}%" for v in (0, 20, 40, 60, 80, 100)],
        )
    fig.update_layout(showlegend=False)
    return _base(fig, title)


def count_bar(
    labels: list[str], values: list[float], title: str = "", horizontal: bool = False
) -> go.Figure:
    if not values or not any(values):
        return empty_figure()
    bar = (
        go.Bar(x=values, y=labels, orientation="h", marker_color=PRIMARY, text=values)
        if horizontal
        else go.Bar(x=labels, y=values, marker_color=PRIMARY, text=values)
    )
    fig = go.Figure(bar)
    fig.update_traces(textposition="auto")
    return _base(fig, title)
