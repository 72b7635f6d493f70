"""The unit picker of the pages that follow a period: the whole province, or one of the units
that report in that period (the districts for 2021-2025, the communes and wards after the
two-tier reform of 1/7/2025: `periods.reporting_level`), named for what they are.

`unit_dropdown` lays it out for the period a page opens on; `register(app, prefix)` keeps its
choices, label and value in step when the page's period (`{prefix}-period`) changes: a unit that
does not report in the new period falls back to the whole province.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from sqlalchemy import orm as so

from dashboard import scope
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.models import OrgUnit, Period
from dashboard.services import indicators as svc
from dashboard.services import periods as periods_svc

ALL = ""


def label(period: Period | None) -> str:
    """ "Huyện, thị xã, thành phố" for a period reported by districts, "Xã, phường" after."""
    code = periods_svc.reporting_code(period) if period is not None else "district"
    return _(f"filter.unit.{code}")


def options(session: so.Session, period: Period | None) -> list[dict]:
    """The whole province, then every unit reporting in `period` (name and GSO code)."""
    out = [{"label": _("filter.all_units"), "value": ALL}]
    if period is None:
        return out
    for unit in svc.reporting_units(session, period):
        out.append({"label": f"{unit.name} ({unit.gso_code})", "value": unit.gso_code})
    return out


def resolve(session: so.Session, period: Period | None, code) -> OrgUnit | None:
    """The unit with GSO code `code` that reports in `period`, or None (the whole province):
    the one lookup every page, export and embed uses for its unit parameter."""
    if period is None or not code:
        return None
    return scope.find_reporting_unit(session, period, code)


def unit_dropdown(component_id: str, period: Period | None, selected: str | None) -> html.Div:
    session = get_session()
    opts = options(session, period)
    value = selected if selected and resolve(session, period, selected) is not None else ALL
    return html.Div(
        [
            dbc.Label(label(period), html_for=component_id, id=f"{component_id}-label"),
            dcc.Dropdown(id=component_id, options=opts, value=value, clearable=False),
        ]
    )


def follow_period(period_code, current):
    """Choices, label and value of the picker for the period chosen."""
    session = get_session()
    period = svc.get_period(session, period_code) or svc.latest_period(session)
    value = current if current and resolve(session, period, current) is not None else ALL
    return options(session, period), label(period), value


def register(app: Dash, prefix: str) -> None:
    app.callback(
        Output(f"{prefix}-district", "options"),
        Output(f"{prefix}-district-label", "children"),
        Output(f"{prefix}-district", "value", allow_duplicate=True),
        Input(f"{prefix}-period", "value"),
        State(f"{prefix}-district", "value"),
        prevent_initial_call=True,
    )(follow_period)
