"""The period report: choose a period, the whole province or one district, and the data mode,
then make the PDF or the Excel workbook to attach to a report of the People's Committee.

Every reader may make every report (figures are open to every logged-in account); viewers and
admins choose the data mode, editors work on all data as on every other page. The files are
made on the server (`dashboard.reports.make_report`) by the callbacks of
`dashboard/callbacks/period_report.py`; `GET /bao-cao/ky/<period>.<pdf|xlsx>` gives the same
files to scripts. `?period=2023&district=622&mode=approved` preselects the choices."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from dashboard.auth import policy
from dashboard.components import unit_picker
from dashboard.components.controls import card, period_dropdown, resolve_period
from dashboard.components.unit_picker import unit_dropdown
from dashboard.components.view_url import view_store
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.security import PLAIN_QUERY_VALUE
from dashboard.services.period_report import MODES

dash.register_page(
    __name__,
    path="/bao-cao",
    name=_("period_report.nav"),
    name_key="period_report.nav",
    title=lambda **_kw: _("period_report.page_title"),
    order=8.5,
    nav=True,
    group="reporting",
)


def _plain(value) -> bool:
    """A query value that may reach the database (a code; not a NUL byte or a newline)."""
    return isinstance(value, str) and PLAIN_QUERY_VALUE.fullmatch(value) is not None


def mode_choice(mode: str) -> html.Div:
    """The data mode: a choice for viewers and admins, a note for editors."""
    options = [
        {"label": _("approval.mode_all"), "value": "all"},
        {"label": _("approval.mode_approved"), "value": "approved"},
    ]
    if not policy.can_choose_data_mode(current_user):
        return html.Div(
            [
                html.Div(
                    dbc.RadioItems(id="rp-mode", options=options, value="all"),
                    style={"display": "none"},
                ),
                html.P(_("period_report.editor_mode"), className="small text-muted mb-0"),
            ]
        )
    return html.Fieldset(
        [
            html.Legend(_("period_report.mode_label"), className="form-label fs-6 mb-1"),
            dbc.RadioItems(id="rp-mode", options=options, value=mode, inline=True),
        ]
    )


def layout(period=None, district=None, mode=None, **_query):
    period_obj = resolve_period(period if _plain(period) else None)
    code = district if _plain(district) else ""
    if code and unit_picker.resolve(get_session(), period_obj, code) is None:
        code = ""
    chosen_mode = mode if mode in MODES else "all"
    return html.Div(
        [
            view_store("rp", "/bao-cao"),
            html.H1(_("period_report.page_title"), className="h3"),
            html.P(_("period_report.intro"), className="text-muted"),
            card(
                _("period_report.options"),
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                period_dropdown(
                                    "rp-period", period_obj.code if period_obj else None
                                ),
                                md=4,
                                className="mb-3",
                            ),
                            dbc.Col(
                                unit_dropdown("rp-district", period_obj, code),
                                md=8,
                                className="mb-3",
                            ),
                        ]
                    ),
                    html.Div(mode_choice(chosen_mode), className="mb-3"),
                    dcc.Store(id="rp-mode-param", data=mode if mode in MODES else None),
                    html.Div(
                        [
                            dbc.Button(
                                _("period_report.make_pdf"),
                                id="rp-pdf",
                                color="primary",
                                className="me-2 mb-2",
                            ),
                            dbc.Button(
                                _("period_report.make_xlsx"),
                                id="rp-xlsx",
                                color="primary",
                                outline=True,
                                className="mb-2",
                            ),
                        ],
                        className="report-actions",
                    ),
                    html.P(_("period_report.hint"), className="small text-muted mb-2"),
                    html.Div(
                        [
                            html.Span(
                                className="spinner-border spinner-border-sm me-2",
                                **{"aria-hidden": "true"},
                            ),
                            _("period_report.building"),
                        ],
                        id="rp-progress",
                        className="d-none",
                        role="status",
                    ),
                    html.Div(id="rp-status", **{"aria-live": "polite"}),
                    dcc.Download(id="rp-download"),
                ],
            ),
        ],
        className="period-report-page",
    )
