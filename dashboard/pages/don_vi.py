"""Unit page: one administrative unit (`?ma=<GSO code>&tu=<first day of a version>`) — its
details and the other versions of its code, its lineage (predecessors, successors, who took over
its records) and its records (indicator values stored for it, registry rows counted for it,
its predecessors' from the day they passed). Without a code: a lookup by code."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.controls import loading
from dashboard.db import get_session
from dashboard.i18n import _, fmt_date, fmt_number
from dashboard.services import rebase, workflow
from dashboard.services import unit_profile as svc
from dashboard.services import values as values_svc
from dashboard.services.registries import row_to_display

PATH = "/don-vi"

dash.register_page(
    __name__,
    path=PATH,
    name=_("unit_page.title"),
    name_key="unit_page.title",
    title=lambda **_kw: _("unit_page.title"),
    order=20,
    nav=False,
)

MAX_CODE_LENGTH = 16
COLUMN_REM = 8  # the narrowest a column of the page's tables gets before they scroll


def unit_href(unit) -> str:
    """The address of a unit's page, for that version of its code."""
    return f"{PATH}?ma={unit.gso_code}&tu={unit.valid_from.isoformat()}"


def unit_link(unit, text: str | None = None) -> dcc.Link:
    return dcc.Link(text or unit.name, href=unit_href(unit))


def _section(title: str, body, card_id: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(title, className="h5 mb-0")),
            dbc.CardBody(body),
        ],
        className="mb-3 shadow-sm",
        id=card_id,
    )


def table(header: list[str], rows: list, table_id: str, label: str) -> html.Div:
    """A small table that scrolls sideways on narrow screens rather than squeezing its columns
    (its scroll box a named region the keyboard can reach); the first cell of each row heads
    it."""
    head = html.Thead(html.Tr([html.Th(text, scope="col") for text in header]))
    body = [
        html.Tr(
            [
                html.Th(first, scope="row", className="fw-normal"),
                *(html.Td(cell) for cell in rest),
            ]
        )
        for first, *rest in rows
    ]
    table = dbc.Table(
        [head, html.Tbody(body)],
        size="sm",
        hover=True,
        className="mb-0 align-middle",
        id=table_id,
        style={"minWidth": f"{COLUMN_REM * len(header)}rem"},
    )
    return html.Div(
        table, className="table-responsive", tabIndex=0, role="region", **{"aria-label": label}
    )


# --- lookup and unknown code ------------------------------------------------------------------


def _lookup(session, code: str = "") -> html.Form:
    options = [html.Option(value=code, label=label) for code, label in svc.lookup_options(session)]
    return html.Form(
        [
            dbc.Label(_("unit_page.lookup.label"), html_for="unit-lookup-code"),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Input(
                            id="unit-lookup-code",
                            name="ma",
                            type="text",
                            value=code,
                            list="unit-lookup-options",
                            autoComplete="off",
                            required=True,
                            maxLength=MAX_CODE_LENGTH,
                            inputMode="numeric",
                        ),
                        xs=12,
                        sm=8,
                        md=5,
                        lg=4,
                    ),
                    dbc.Col(
                        html.Button(
                            _("unit_page.lookup.submit"),
                            type="submit",
                            className="btn btn-primary",
                            id="unit-lookup-submit",
                        ),
                        xs="auto",
                    ),
                ],
                className="g-2 align-items-center",
            ),
            html.Div(_("unit_page.lookup.hint"), id="unit-lookup-hint", className="form-text"),
            html.Datalist(options, id="unit-lookup-options"),
        ],
        method="GET",
        action=PATH,
        id="unit-lookup",
        className="mb-3",
    )


def _frame(children: list) -> html.Div:
    return html.Div(
        [
            html.H1(_("unit_page.title"), className="h3"),
            html.P(_("unit_page.intro"), className="text-muted"),
            *children,
        ],
        id="unit-page",
    )


# --- the unit -------------------------------------------------------------------------------


def _state_badge(unit) -> dbc.Badge:
    today = workflow.today_in_vietnam()
    if unit.is_valid_on(today):
        return dbc.Badge(_("unit_page.current"), color="success", className="ms-2")
    if unit.valid_from > today:
        return dbc.Badge(_("unit_page.not_yet"), color="info", className="ms-2")
    return dbc.Badge(_("unit_page.ended"), color="secondary", className="ms-2")


def _fact(label: str, value, value_id: str | None = None) -> list:
    kwargs = {"id": value_id} if value_id else {}
    return [
        html.Dt(label, className="col-sm-4 col-lg-3"),
        html.Dd(value, className="col-sm-8 col-lg-9", **kwargs),
    ]


def _details(session, prof: svc.Profile) -> dbc.Card:
    unit = prof.unit
    parent = (
        [unit_link(unit.parent), html.Span(f" ({svc.validity_text(session, unit.parent)})")]
        if unit.parent is not None
        else _("unit_page.no_parent")
    )
    facts = [
        *_fact(_("unit_page.name"), unit.name),
        *_fact(_("unit_page.kind"), _(f"kind.{unit.kind}")),
        *_fact(_("unit_page.level"), _(f"level.{unit.level.code}")),
        *_fact(_("unit_page.parent"), parent, "unit-parent"),
        *_fact(_("unit_page.code"), unit.gso_code, "unit-code"),
        *_fact(_("unit_page.validity"), prof.validity, "unit-validity"),
    ]
    others = [v for v in prof.versions if v.id != unit.id]
    if others:
        facts += _fact(
            _("unit_page.versions"),
            html.Ul(
                [
                    html.Li([unit_link(v), html.Span(f" ({svc.validity_text(session, v)})")])
                    for v in others
                ],
                className="list-unstyled mb-0",
            ),
            "unit-versions",
        )
    return _section(_("unit_page.details"), html.Dl(facts, className="row mb-0"), "unit-details")


# --- lineage --------------------------------------------------------------------------------


def _links_table(links, table_id: str, label: str, with_heir: bool):
    header = [
        _("unit_page.col.unit"),
        _("unit_page.code"),
        _("unit_page.col.date"),
        _("unit_page.col.change"),
        _("unit_page.col.legal_basis"),
    ]
    if with_heir:
        header.append(_("unit_page.col.heir"))
    rows = []
    for link in links:
        cells = [
            unit_link(link.unit),
            link.unit.gso_code,
            fmt_date(link.date),
            svc.change_kind(link.kind),
            link.legal_basis or "–",
        ]
        if with_heir:
            cells.append(_("unit_page.heir.yes") if link.heir else _("unit_page.heir.no"))
        rows.append(cells)
    return table(header, rows, table_id, label)


def _lineage(prof: svc.Profile) -> dbc.Card:
    unit = prof.unit
    body: list = []
    if prof.new_without_history:
        key = "unit_page.new_unit_new_province" if prof.with_new_province else "unit_page.new_unit"
        body.append(
            dbc.Alert(
                _(key, date=fmt_date(unit.valid_from)),
                color="info",
                id="unit-new-notice",
                className="py-2",
            )
        )
    body.append(html.H3(_("unit_page.predecessors"), className="h6"))
    if prof.predecessors:
        body += [
            html.P(_("unit_page.predecessors.intro"), className="small text-muted mb-1"),
            _links_table(
                prof.predecessors, "unit-predecessors", _("unit_page.predecessors"), False
            ),
        ]
    elif not prof.new_without_history:  # the notice above says it
        body.append(html.P(_("unit_page.no_predecessors"), className="text-muted"))
    body.append(html.H3(_("unit_page.successors"), className="h6 mt-3"))
    if prof.successors:
        body += [
            html.P(_("unit_page.successors.intro"), className="small text-muted mb-1"),
            _links_table(prof.successors, "unit-successors", _("unit_page.successors"), True),
        ]
    elif unit.valid_to is None:
        body.append(html.P(_("unit_page.no_successors"), className="text-muted mb-0"))
    if unit.valid_to is not None:
        after = fmt_date(unit.valid_to + svc.ONE_DAY)
        if prof.records_went_to is not None:
            body.append(
                html.P(
                    [
                        _("unit_page.records_went_to", date=after),
                        " ",
                        unit_link(prof.records_went_to),
                        ".",
                    ],
                    className="mt-2 mb-0",
                    id="unit-records-went-to",
                )
            )
        else:
            body.append(
                html.P(
                    _("unit_page.ended_without_heir", date=after),
                    className="mt-2 mb-0",
                    id="unit-records-went-to",
                )
            )
    return _section(_("unit_page.lineage"), body, "unit-lineage")


# --- records --------------------------------------------------------------------------------


def _values(prof: svc.Profile) -> list:
    if not prof.values:
        return [html.P(_("unit_page.values.none"), className="text-muted", id="unit-values")]
    periods: dict[str, object] = {}
    by_indicator: dict[int, tuple] = {}
    for item in prof.values:
        periods.setdefault(item.period.code, item.period)
        ind = item.indicator
        entry = by_indicator.setdefault(ind.id, (ind, {}))
        entry[1][item.period.code] = values_svc.display_value(ind, item.value)
    ordered = sorted(by_indicator.values(), key=lambda e: (e[0].display_order, e[0].code))
    header = [_("unit_page.values.indicator"), *periods]
    rows = [
        [
            html.Span(ind.short_name, title=ind.name),
            *(cells.get(code, "–") for code in periods),
        ]
        for ind, cells in ordered
    ]
    return [
        html.P(_("unit_page.values.intro"), className="small text-muted mb-1"),
        table(header, rows, "unit-values", _("unit_page.values")),
    ]


def _cell_text(value) -> str:
    return fmt_number(value) if isinstance(value, int) else str(value)


def _registry_table(name: str, rows: list[svc.RegistryRow], unit) -> html.Div:
    spec = rows[0].spec
    labels = [_(f"field.{f.name}") for f in spec.fields]
    table_rows = []
    for item in rows:
        cells = [_cell_text(v) for v in row_to_display(spec, item.row).values()]
        first: list = [cells[0]]
        if item.inherited:
            key = (
                "unit_page.registries.from_earlier"
                if item.source.name == unit.name
                else "unit_page.registries.from"
            )
            first += [
                " ",
                dcc.Link(
                    _(key, name=item.source.name),
                    href=unit_href(item.source),
                    className="unit-row-source",
                ),
                html.Div(
                    _("unit_page.registries.counts_from", date=fmt_date(item.counts_from)),
                    className="small text-muted",
                ),
            ]
        periods = ", ".join(item.periods) or _("unit_page.registries.no_period")
        table_rows.append([first, *cells[1:], periods])
    title = _(f"registry.{name}")
    return html.Div(
        [
            html.H3(title, className="h6 mt-3"),
            table(
                [*labels, _("unit_page.registries.periods")],
                table_rows,
                f"unit-registry-{name}",
                title,
            ),
        ]
    )


def _records(prof: svc.Profile) -> dbc.Card:
    if prof.registries:
        registries = [
            html.P(_("unit_page.registries.intro"), className="small text-muted mb-1"),
            *(_registry_table(name, rows, prof.unit) for name, rows in prof.registries.items()),
        ]
    else:
        registries = [html.P(_("unit_page.registries.none"), className="text-muted mb-0")]
    body = [
        html.H3(_("unit_page.values"), className="h6"),
        *_values(prof),
        html.H3(_("unit_page.registries"), className="h6 mt-4"),
        html.Div(registries, id="unit-registries"),
    ]
    return _section(_("unit_page.records"), body, "unit-records")


# --- figures over time ------------------------------------------------------------------------


def _trends(session, prof: svc.Profile) -> dbc.Card:
    """The unit's figures period by period; for a unit that took over others' records, a choice
    between its history re-based on today's units and its figures as reported (the table is
    filled by `callbacks.unit_trends`)."""
    unit = prof.unit
    rebased = rebase.has_rebased_history(session, unit)
    choice = html.Div(
        [
            html.Span(_("unit_trends.mode") + ":", className="me-2 small", id="unit-trend-label"),
            dbc.RadioItems(
                id="unit-trend-mode",
                options=[
                    {"label": _("unit_trends.mode.today"), "value": rebase.TODAY},
                    {"label": _("unit_trends.mode.reported"), "value": rebase.REPORTED},
                ],
                value=rebase.TODAY if rebased else rebase.REPORTED,
                inline=True,
                className="d-inline-block small",
            ),
        ],
        role="group",
        id="unit-trend-choice",
        className="mb-2" if rebased else "d-none",
        **{"aria-labelledby": "unit-trend-label"},
    )
    body = [
        html.P(
            _("unit_trends.intro_rebased") if rebased else _("unit_trends.intro"),
            className="small text-muted mb-2",
        ),
        choice,
        dcc.Store(
            id="unit-trend-key",
            data={"code": unit.gso_code, "from": unit.valid_from.isoformat()},
        ),
        loading(html.Div(id="unit-trend-body")),
    ]
    return _section(_("unit_trends.title"), body, "unit-trends")


def layout(ma=None, tu=None, **_query):
    session = get_session()
    code = str(ma or "").strip()[:MAX_CODE_LENGTH]
    if not code:
        return _frame([_lookup(session)])
    prof = svc.profile(session, code, tu)
    if prof is None:
        return _frame(
            [
                dbc.Alert(
                    _("unit_page.unknown", code=code),
                    color="warning",
                    id="unit-unknown",
                ),
                _lookup(session, code),
            ]
        )
    unit = prof.unit
    kind, level = _(f"kind.{unit.kind}"), _(f"level.{unit.level.code}")
    return html.Div(
        [
            html.P(dcc.Link(_("unit_page.title"), href=PATH), className="small mb-1"),
            html.H1(
                [html.Span(unit.name, id="unit-name"), _state_badge(unit)],
                className="h3",
            ),
            html.P(
                f"{kind} · {level} · {unit.gso_code} · {prof.validity}",
                className="text-muted",
            ),
            _details(session, prof),
            _lineage(prof),
            _trends(session, prof),
            _records(prof),
        ],
        id="unit-page",
    )
