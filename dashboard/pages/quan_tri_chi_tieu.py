"""Indicator sets (administrators): a programme's indicators (code, name, criterion, pillar,
level, validity, values stored) and the form that adds, changes or ends one
(`services.indicator_admin`). The 2026-2035 commune criteria are the programme's; the office
adds their indicators here and their thresholds per commune group in /quan-tri ("Mục tiêu")."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.indicator_admin import BLANK, FORM_IDS
from dashboard.components.controls import card, loading
from dashboard.components.grids import grid_locale
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import indicator_admin as service
from dashboard.services import workflow

dash.register_page(
    __name__,
    path="/quan-tri/chi-tieu",
    name=_("indicator_admin.nav"),
    name_key="indicator_admin.nav",
    title=lambda **_kw: _("indicator_admin.title"),
    order=13,
    nav=True,
    group="admin",
    access="administer",
)


def _field(name: str, control, *, md: int = 4, hint: str | None = None):
    """A labelled control of the form (full width on a phone)."""
    children = [dbc.Label(service.label(name), html_for=FORM_IDS[name]), control]
    if hint:
        children.append(dbc.FormText(hint))
    return dbc.Col(children, xs=12, md=md)


def _input(name: str, **kwargs):
    return dbc.Input(id=FORM_IDS[name], value="", **kwargs)


def _select(name: str, options: list[dict], **kwargs):
    return dbc.Select(id=FORM_IDS[name], options=options, value=BLANK.get(name), **kwargs)


def _text_area(name: str):
    return dbc.Textarea(id=FORM_IDS[name], value="", rows=3, maxLength=1200)


def indicators_grid() -> dag.AgGrid:
    """One row per indicator of the programme; a click chooses it for the form."""
    return dag.AgGrid(
        id="ia-grid",
        rowData=[],
        columnDefs=[],
        getRowId="params.data.code",
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 110},
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
            "pagination": True,
            "paginationPageSize": 20,
            "localeText": grid_locale(),
            "tooltipShowDelay": 300,
        },
        style={"height": "420px"},
    )


def _form(options: dict):
    levels = options["level"]
    what = [
        _field("code", _input("code", maxLength=40, placeholder="NTM26-C7_1"), md=3),
        _field(
            "criterion",
            dcc.Dropdown(id=FORM_IDS["criterion"], options=[], value=None),
            md=5,
        ),
        _field("pillar", _select("pillar", options["pillar"]), md=4),
        _field("name_vi", _input("name_vi", maxLength=300), md=6),
        _field("name_en", _input("name_en", maxLength=300), md=6),
        _field("short_vi", _input("short_vi", maxLength=120), md=6),
        _field("short_en", _input("short_en", maxLength=120), md=6),
        _field(
            "legal_basis",
            _input("legal_basis", maxLength=200),
            md=8,
            hint=_("indicator_admin.legal_basis_hint"),
        ),
        _field("unit", _input("unit", maxLength=40), md=4, hint=_("indicator_admin.unit_hint")),
        _field("valid_from", _input("valid_from", type="date"), md=3),
        _field(
            "valid_to",
            _input("valid_to", type="date"),
            md=3,
            hint=_("indicator_admin.valid_to_hint"),
        ),
    ]
    counting = [
        _field("level", _select("level", levels), md=3),
        _field(
            "extra_level",
            _select(
                "extra_level", [{"label": _("indicator_admin.none_level"), "value": ""}, *levels]
            ),
            md=3,
        ),
        _field(
            "unit_kinds",
            dcc.Dropdown(
                id=FORM_IDS["unit_kinds"],
                options=options["unit_kinds"],
                value=BLANK["unit_kinds"],
                multi=True,
            ),
            md=6,
            hint=_("indicator_admin.unit_kinds_hint"),
        ),
        _field("value_type", _select("value_type", options["value_type"]), md=3),
        _field("rollup", _select("rollup", options["rollup"]), md=3),
        _field("source", _select("source", options["source"]), md=3),
        _field("denominator_rule", _select("denominator_rule", options["denominator_rule"]), md=3),
        _field(
            "source_filter",
            _input("source_filter", maxLength=64),
            md=6,
            hint=_("indicator_admin.source_filter_hint"),
        ),
    ]
    meaning = [
        _field("definition_vi", _text_area("definition_vi"), md=6),
        _field("definition_en", _text_area("definition_en"), md=6),
        _field("method_vi", _text_area("method_vi"), md=6),
        _field("method_en", _text_area("method_en"), md=6),
    ]
    return [
        html.Div(id="ia-mode", role="status", className="mb-2"),
        html.H3(_("indicator_admin.section.what"), className="h6 mt-2"),
        dbc.Row(what, className="g-2"),
        html.H3(_("indicator_admin.section.counting"), className="h6 mt-3"),
        html.P(_("indicator_admin.counting_hint"), className="small text-muted mb-1"),
        dbc.Row(counting, className="g-2"),
        html.H3(_("indicator_admin.section.meaning"), className="h6 mt-3"),
        dbc.Row(meaning, className="g-2"),
        html.Div(
            [
                dbc.Button(
                    _("indicator_admin.create"),
                    id="ia-create",
                    color="primary",
                    className="me-2 mb-2",
                ),
                dbc.Button(
                    _("indicator_admin.update"),
                    id="ia-update",
                    color="secondary",
                    className="me-2 mb-2",
                    disabled=True,
                ),
                dbc.Button(
                    _("indicator_admin.new"),
                    id="ia-new",
                    color="secondary",
                    outline=True,
                    className="mb-2",
                ),
            ],
            className="mt-3 d-flex flex-wrap",
        ),
        loading(html.Div(id="ia-msg", className="mt-2", role="status")),
    ]


def _end():
    return [
        html.P(_("indicator_admin.end_hint"), className="small text-muted"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label(_("indicator_admin.end_date"), html_for="ia-end-date"),
                        dbc.Input(id="ia-end-date", type="date", value=""),
                    ],
                    xs=12,
                    md=4,
                ),
                dbc.Col(
                    dbc.Button(
                        _("indicator_admin.end"),
                        id="ia-end",
                        color="danger",
                        outline=True,
                        disabled=True,
                    ),
                    xs=12,
                    md="auto",
                    className="d-flex align-items-end",
                ),
            ],
            className="g-2",
        ),
        dcc.ConfirmDialog(id="ia-end-confirm", message=""),
    ]


def layout(**_query):
    if not policy.can_administer(current_user):
        return dbc.Alert(_("error.403"), color="warning", id="ia-forbidden")
    session = get_session()
    chosen = service.default_programme(session, workflow.today_in_vietnam())
    programmes = [{"label": p.name, "value": p.code} for p in service.programmes(session)]
    return html.Div(
        [
            dcc.Store(id="ia-refresh", data=0),
            # The indicator the form changes ({"code", "locked"}), None: a new one.
            dcc.Store(id="ia-chosen", data=None),
            html.H1(_("indicator_admin.title"), className="h3"),
            html.P(_("indicator_admin.intro"), className="text-muted"),
            html.P(_("indicator_admin.groups_hint"), className="small text-muted"),
            dbc.Row(
                dbc.Col(
                    [
                        dbc.Label(_("indicator_admin.programme"), html_for="ia-programme"),
                        dbc.Select(
                            id="ia-programme",
                            options=programmes,
                            value=chosen.code if chosen is not None else None,
                        ),
                    ],
                    xs=12,
                    lg=8,
                ),
                className="g-2 mb-2",
            ),
            html.P(_("indicator_admin.select_hint"), className="small text-muted mb-1"),
            loading(html.Div([indicators_grid(), html.Div(id="ia-grid-msg", role="status")])),
            card(_("indicator_admin.form_title"), _form(service.choice_options())),
            card(_("indicator_admin.end_title"), _end()),
        ]
    )
