"""Unit page: the unit's figures period by period, on today's units or as reported
(`services.rebase`), in the data mode chosen (all data, or approved only)."""

from __future__ import annotations

from dash import Dash, Input, Output, State, html

from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.pages.don_vi import table, unit_link
from dashboard.services import periods as periods_svc
from dashboard.services import rebase
from dashboard.services import unit_profile as profile_svc


def _cell(series: rebase.Series, index: int, unit, mode: str):
    period = series.periods[index]
    fig = series.figures[index]
    if fig is None:
        return "–"
    if mode == rebase.REPORTED and period.count_date < unit.valid_from:
        return html.Span(_("unit_trends.not_yet"), className="text-muted")
    if series.rebased[index]:
        return html.Span(
            [fig.display, html.Sup("*", className="ms-1")],
            className="unit-trend-rebased",
            title=_("unit_trends.rebased_cell"),
        )
    return fig.display


def trend_table(session, unit, mode: str, approved_only: bool) -> list:
    """The table of the unit's figures in `mode` (and the note on re-based cells)."""
    found = rebase.series(session, unit, mode, approved_only=approved_only)
    if not found:
        return [html.P(_("unit_trends.none"), className="text-muted mb-0", id="unit-trend-none")]
    periods = found[0].periods
    header = [_("unit_page.values.indicator"), *(periods_svc.label(p) for p in periods)]
    rows = [
        [
            html.Span(s.indicator.short_name, title=s.indicator.name),
            *(_cell(s, i, unit, mode) for i in range(len(periods))),
        ]
        for s in found
    ]
    out = [table(header, rows, "unit-trend-table", _("unit_trends.title"))]
    if any(any(s.rebased) for s in found):
        names = rebase.predecessors_named(session, unit)
        note: list = [_("unit_trends.rebased_note"), " "]
        for i, other in enumerate(names):
            note += [", " if i else "", unit_link(other)]
        out.append(html.P([html.Sup("*"), " ", *note, "."], className="small mt-2 mb-0"))
    if approved_only:
        out.append(html.P(_("unit_trends.approved_only"), className="small text-muted mb-0"))
    return out


def update(mode, data_mode, key):
    key = key if isinstance(key, dict) else {}
    session = get_session()
    unit = profile_svc.find_unit(session, str(key.get("code") or "")[:16], key.get("from"))
    if unit is None:
        return html.P(_("unit_trends.unknown"), className="text-danger mb-0")
    if mode not in rebase.MODES:
        mode = rebase.REPORTED
    return trend_table(session, unit, mode, data_mode == "approved")


def register(app: Dash) -> None:
    app.callback(
        Output("unit-trend-body", "children"),
        Input("unit-trend-mode", "value"),
        Input("data-mode", "value"),
        State("unit-trend-key", "data"),
    )(update)
