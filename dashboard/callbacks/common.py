"""Helpers shared by callbacks: the summary table (stacked cards on phones) and query-string
links."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.charts import PILLAR_PAGES
from dashboard.components.controls import view_link
from dashboard.components.indicator_info import info_button
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


def _cell(label: str, content, class_name: str = "") -> html.Td:
    """A cell that names its column (`data-label`), so that on phones the row can show as a
    card of labelled lines (assets/summary.css); the content is wrapped in one block."""
    return html.Td(html.Div(content), className=class_name, **{"data-label": label})


def summary_table(
    rows, period_code: str, district: str | None, table_id: str, unapproved: bool = False
) -> dbc.Table:
    """Each indicator against its target: figure and coverage, target, gap, projection, status,
    with an "i" explanation per row. Below 576 px wide each row shows as a card
    (assets/summary.css); one DOM for both."""
    labels = {
        "indicator": _("filter.indicator"),
        "level": _("common.level"),
        "current": _("common.current"),
        "target": _("common.target"),
        "gap": _("common.gap"),
        "projection": _("common.projection", year=2025),
        "status": _("common.status"),
        "records": _("common.records"),
    }
    head = html.Thead(
        html.Tr(
            [
                *(html.Th(labels[k], scope="col") for k in list(labels)[:-1]),
                html.Th(html.Span(labels["records"], className="visually-hidden"), scope="col"),
            ]
        )
    )
    body = []
    for ind, prog, _figures in rows:
        fig = prog.figure
        path = PILLAR_PAGES.get(ind.pillar, "/mo-hinh-thi-diem")
        if prog.target is not None:
            labels["projection"] = _("common.projection", year=prog.target.target_year)
        body.append(
            html.Tr(
                [
                    html.Th(
                        [
                            html.Div(
                                [ind.short_name, info_button(ind, table_id, prog)],
                                className="fw-semibold summary-name",
                            ),
                            html.Div(ind.legal_basis, className="small text-muted"),
                        ],
                        scope="row",
                        className="summary-indicator",
                        **{"data-label": labels["indicator"]},
                    ),
                    _cell(labels["level"], svc.level_text(ind), "small"),
                    _cell(
                        labels["current"],
                        [
                            html.Span(
                                fig.display,
                                className="figure-value",
                                **{"data-indicator": ind.code},
                            ),
                            approval_badge() if unapproved else None,
                            html.Div(fig.detail, className="small text-muted"),
                            html.Div(fig.coverage, className="small text-muted figure-coverage"),
                        ],
                    ),
                    _cell(labels["target"], svc.target_text(ind, prog), "small"),
                    _cell(labels["gap"], svc.gap_text(prog), "small"),
                    _cell(labels["projection"], svc.projected_text(prog), "small"),
                    _cell(
                        labels["status"],
                        [
                            status_badge(prog),
                            html.Div(prog.basis, className="small text-muted figure-basis"),
                        ]
                        if prog.target is not None
                        else None,
                        "summary-status",
                    ),
                    _cell(
                        labels["records"],
                        html.A(
                            _("common.records"),
                            className="small",
                            href=view_link(
                                path, period=period_code, district=district, indicator=ind.code
                            )
                            + "#pl-records-card",
                        ),
                        "summary-records",
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
