"""Helpers shared by callbacks: the summary table and query-string links."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.charts import PILLAR_PAGES
from dashboard.components.controls import view_link
from dashboard.i18n import _
from dashboard.services import indicators as svc


def status_badge(prog) -> html.Span | None:
    text = svc.status_text(prog)
    if not text:
        return None
    color = {True: "success", False: "danger"}.get(prog.on_track, "secondary")
    return dbc.Badge(text, color=color, className="status-badge", title=prog.basis)


def approval_badge() -> dbc.Badge:
    return dbc.Badge(
        _("approval.badge"), color="warning", text_color="dark", className="ms-1 approval-badge"
    )


def summary_table(
    rows, period_code: str, district: str | None, table_id: str, unapproved: bool = False
) -> dbc.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th(_("filter.indicator")),
                html.Th(_("common.level")),
                html.Th(_("common.current")),
                html.Th(_("common.target")),
                html.Th(_("common.gap")),
                html.Th(_("common.projection", year=2025)),
                html.Th(_("common.status")),
                html.Th(""),
            ]
        )
    )
    body = []
    for ind, prog, _figures in rows:
        fig = prog.figure
        path = PILLAR_PAGES.get(ind.pillar, "/mo-hinh-thi-diem")
        body.append(
            html.Tr(
                [
                    html.Td(
                        [
                            html.Div(ind.short_name, className="fw-semibold"),
                            html.Div(ind.legal_basis, className="small text-muted"),
                        ]
                    ),
                    html.Td(svc.level_label(ind), className="small"),
                    html.Td(
                        [
                            html.Span(
                                fig.display,
                                className="figure-value",
                                **{"data-indicator": ind.code},
                            ),
                            approval_badge() if unapproved else None,
                            html.Div(fig.detail, className="small text-muted"),
                            html.Div(fig.coverage, className="small text-muted figure-coverage"),
                        ]
                    ),
                    html.Td(svc.target_text(ind), className="small"),
                    html.Td(svc.gap_text(prog), className="small"),
                    html.Td(svc.projected_text(prog), className="small"),
                    html.Td(
                        [
                            status_badge(prog),
                            html.Div(prog.basis, className="small text-muted figure-basis"),
                        ]
                    ),
                    html.Td(
                        html.A(
                            _("common.records"),
                            className="small",
                            href=view_link(
                                path, period=period_code, district=district, indicator=ind.code
                            )
                            + "#pl-records-card",
                        )
                    ),
                ],
                id={"type": f"{table_id}-row", "code": ind.code},
            )
        )
    return dbc.Table(
        [head, html.Tbody(body)],
        hover=True,
        responsive=True,
        size="sm",
        className="summary-table mb-0",
        id=table_id,
    )
