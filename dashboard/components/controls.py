"""Filters shared by pages: period and indicator pickers, export links (the unit picker that
follows the period: `components.unit_picker`)."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicators as svc
from dashboard.services import periods as periods_svc


def resolve_period(code: str | None):
    """The requested period, or the latest period with data."""
    session = get_session()
    return svc.get_period(session, code) or svc.latest_period(session)


def period_dropdown(component_id: str, selected: str | None, sub_year: bool = False) -> html.Div:
    """The period picker: the years; with `sub_year`, also the half-years and quarters that
    exist, each kind under its heading ("6 tháng", "Quý"), named by `periods.label`
    ("6 tháng đầu năm 2026", "Quý 3/2026")."""
    from dashboard.services import period_kinds

    if not sub_year:
        periods = svc.list_periods(get_session())
        options = [{"label": periods_svc.label(p), "value": p.code} for p in periods]
    else:
        options = []
        periods = svc.list_periods(get_session(), kind=None)
        kinds = [k for k in period_kinds.KIND_ORDER if any(p.kind == k for p in periods)]
        for kind in kinds:
            if len(kinds) > 1:  # a heading, not a choice
                heading = {"label": _(f"period_kind.{kind}"), "value": f"-{kind}"}
                options.append({**heading, "disabled": True})
            options += [
                {"label": periods_svc.label(p), "value": p.code} for p in periods if p.kind == kind
            ]
    return html.Div(
        [
            dbc.Label(_("filter.period"), html_for=component_id),
            dcc.Dropdown(
                id=component_id,
                options=options,
                value=selected,
                clearable=False,
            ),
        ]
    )


def indicator_dropdown(component_id: str, indicators, selected: str | None) -> html.Div:
    return html.Div(
        [
            dbc.Label(_("filter.indicator"), html_for=component_id),
            dcc.Dropdown(
                id=component_id,
                options=[
                    {"label": f"{i.short_name} ({i.code})", "value": i.code} for i in indicators
                ],
                value=selected,
                clearable=False,
                optionHeight=48,
            ),
        ]
    )


def view_link(path: str, **params) -> str:
    """`path` with the non-empty `params` as its query string (bookmarkable views, downloads)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return path + (f"?{query}" if query else "")


def mode_param(mode: str | None) -> str | None:
    """The data mode as a download parameter: `approved`, or nothing for all data."""
    return "approved" if mode == "approved" else None


def export_href(dataset: str, fmt: str, **params) -> str:
    return view_link(f"/xuat/{dataset}.{fmt}", **params)


def export_links(id_prefix: str) -> html.Div:
    """Two download links whose href a callback fills in."""
    return html.Div(
        [
            html.A(
                _("common.download_csv"),
                id=f"{id_prefix}-csv",
                href="#",
                className="btn btn-outline-secondary btn-sm me-1",
            ),
            html.A(
                _("common.download_xlsx"),
                id=f"{id_prefix}-xlsx",
                href="#",
                className="btn btn-outline-secondary btn-sm",
            ),
        ],
        className="export-links",
    )


def card(title: str, body, *, actions=None, card_id: str | None = None) -> dbc.Card:
    header = dbc.CardHeader(
        html.Div(
            [html.H2(title, className="h6 mb-0"), actions],
            className="d-flex justify-content-between align-items-center gap-2",
        )
    )
    kwargs = {"id": card_id} if card_id else {}
    return dbc.Card([header, dbc.CardBody(body)], className="mb-3 shadow-sm", **kwargs)


def graph_card(title: str, graph_id: str, export_prefix: str | None = None) -> dbc.Card:
    """A card with a chart (spinner while it computes) and, optionally, its data's downloads."""
    graph = dcc.Graph(id=graph_id, config={"displaylogo": False})
    actions = export_links(export_prefix) if export_prefix else None
    return card(title, loading(graph), actions=actions)


def dialog(prefix: str, buttons: list, title: str | None = None) -> dbc.Modal:
    """A centred dialog `{prefix}-modal`, closed at first: its title `{prefix}-title` (`title`,
    or filled in by the callback that opens it) names it for screen readers, its body
    `{prefix}-body` is filled in by that callback, `buttons` go in the footer."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(title, id=f"{prefix}-title")),
            dbc.ModalBody(id=f"{prefix}-body"),
            dbc.ModalFooter(buttons),
        ],
        id=f"{prefix}-modal",
        is_open=False,
        centered=True,
        labelledby=f"{prefix}-title",
    )


def loading(child) -> dcc.Loading:
    return dcc.Loading(child, type="default", delay_show=300)
