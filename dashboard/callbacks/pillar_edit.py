"""Value entry on the pillar pages: which inputs an indicator needs, the stored value and its
version, whether the period is locked for the account, the save and the clearing of a value
(the service checks the policy, locks and version again)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, no_update
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.client_state import bump
from dashboard.db import get_session
from dashboard.errors import ServiceError, ValidationError
from dashboard.i18n import _
from dashboard.models import OrgUnit
from dashboard.scope import indicator_applies
from dashboard.services import indicators as svc
from dashboard.services import values as values_svc
from dashboard.services import workflow
from dashboard.services.data_entry import input_text

HIDE = {"display": "none"}
SHOW = {}


def edit_form(indicator_code, period_code):
    """Which inputs the chosen indicator needs, and the units the user may write for it."""
    session = get_session()
    ind = svc.get_indicator(session, indicator_code)
    period = svc.get_period(session, period_code)
    if ind is None or period is None or ind.source != "values":
        message = dbc.Alert(_("validation.not_editable"), color="info", className="py-2 mb-0")
        return [], HIDE, HIDE, HIDE, HIDE, True, message if ind is not None else None
    units = [
        u
        for u in policy.writable_units(session, current_user)
        if u.is_valid_on(period.count_date) and indicator_applies(ind, u)
    ]
    options = [{"label": f"{u.name} ({u.gso_code})", "value": u.id} for u in units]
    bool_style = SHOW if ind.value_type == "boolean" else HIDE
    ratio_style = SHOW if ind.value_type == "ratio" else HIDE
    value_style = SHOW if ind.value_type in {"count", "category"} else HIDE
    return options, SHOW, bool_style, value_style, ratio_style, False, None


def prefill(unit_id, indicator_code, period_code, _refresh):
    """Show the stored value of the chosen unit so the editor corrects rather than retypes,
    and keep its version: the save is refused if someone changes the value meanwhile."""
    session = get_session()
    ind = svc.get_indicator(session, indicator_code)
    period = svc.get_period(session, period_code)
    if not unit_id or ind is None or period is None:
        return None, "", "", "", None
    try:
        value = values_svc.stored(session, ind.id, int(unit_id), period.id)
    except (TypeError, ValueError):
        return None, "", "", "", None
    if value is None:
        return None, "", "", "", 0
    bool_value = None if value.value_bool is None else str(value.value_bool).lower()
    plain = input_text(value.value_num) if value.value_num is not None else value.value_text
    return (
        bool_value,
        plain or "",
        input_text(value.numerator),
        input_text(value.denominator),
        value.version,
    )


def _unit(session, unit_id) -> OrgUnit | None:
    try:
        return session.get(OrgUnit, int(unit_id)) if unit_id not in (None, "") else None
    except (TypeError, ValueError):
        return None


def lock_state(indicator_code, period_code, unit_id, version):
    """Whether the account may change the chosen unit's value in the period, said before it
    types: an editor whose district's report is submitted or approved sees why and gets no
    input (the same rule as the grid, `policy.can_edit_under`); an admin is told the report is
    locked for the district. The clear button needs a stored value."""
    no_value = not (isinstance(version, int) and not isinstance(version, bool) and version > 0)
    session = get_session()
    period = svc.get_period(session, period_code)
    unit = _unit(session, unit_id)
    district = None
    if period is not None:
        district = (
            workflow.reporting_unit(session, unit, period)
            if unit is not None
            else policy.scope_unit(current_user)
        )
    if period is None or district is None:
        return False, None, no_value
    status = workflow.status_of(session, district.id, period.id)
    if not policy.is_locking(status):
        return False, None, no_value
    names = {"period": period.code, "district": district.name, "status": _(f"status.{status}")}
    if policy.can_edit_under(current_user, status):
        note = dbc.Alert(
            _("edit.locked_admin", **names), color="info", className="py-2", id="pl-edit-locked"
        )
        return False, note, no_value
    alert = dbc.Alert(
        _("edit.locked", **names), color="warning", className="py-2", id="pl-edit-locked"
    )
    return True, alert, True


def ask_clear(n_clicks, unit_id, indicator_code, period_code, version):
    """The clear button opens the dialog naming the value to delete and the consequence."""
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    session = get_session()
    ind = svc.get_indicator(session, indicator_code)
    period = svc.get_period(session, period_code)
    unit = _unit(session, unit_id)
    value = None
    if ind is not None and period is not None and unit is not None:
        value = values_svc.stored(session, ind.id, unit.id, period.id)
    if value is None:
        alert = dbc.Alert(
            _("edit.nothing_to_clear"), color="info", className="py-2 mb-0", id="pl-edit-error"
        )
        return False, no_update, None, alert
    body = _(
        "edit.clear_body",
        indicator=ind.short_name,
        unit=unit.name,
        period=period.code,
        value=values_svc.display_value(ind, value),
    )
    pending = {
        "unit": unit.id,
        "indicator": ind.code,
        "period": period.code,
        "version": version,
    }
    return True, body, pending, None


def confirm_clear(n_clicks, pending, refresh):
    """Delete the value the dialog named, through the service (policy, scope, lock and the
    version seen are checked again)."""
    if not n_clicks:
        return no_update, no_update, no_update
    if not isinstance(pending, dict):
        return no_update, no_update, False
    session = get_session()
    try:
        values_svc.clear_value(
            session,
            current_user,
            indicator_code=pending.get("indicator"),
            unit_id=pending.get("unit"),
            period_code=pending.get("period"),
            expected_version=pending.get("version"),
        )
    except ServiceError as exc:
        session.rollback()
        alert = dbc.Alert(exc.message, color="danger", className="py-2 mb-0", id="pl-edit-error")
        return alert, no_update, False
    unit = _unit(session, pending.get("unit"))
    ind = svc.get_indicator(session, pending.get("indicator"))
    message = _(
        "edit.cleared",
        indicator=ind.short_name,
        unit=unit.name,
        period=pending.get("period"),
    )
    alert = dbc.Alert(
        message, color="success", className="py-2 mb-0", id="pl-edit-cleared", duration=8000
    )
    return alert, bump(refresh), False


def save_value(
    n_clicks,
    unit_id,
    indicator_code,
    period_code,
    bool_value,
    value,
    numerator,
    denominator,
    refresh,
    version,
):
    """Write through the service (which checks the policy and the version again) and report
    per field."""
    if not n_clicks:
        return (no_update,) * 9
    session = get_session()
    raw = {
        "value": bool_value if bool_value is not None else value,
        "numerator": numerator,
        "denominator": denominator,
    }
    ind = svc.get_indicator(session, indicator_code)
    if ind is not None and ind.value_type == "boolean":
        raw["value"] = bool_value
    flags = {"value": False, "numerator": False, "denominator": False}
    texts = {"value": "", "numerator": "", "denominator": ""}
    try:
        saved = values_svc.set_value(
            session,
            current_user,
            indicator_code=indicator_code,
            unit_id=unit_id,
            period_code=period_code,
            raw=raw,
            expected_version=version,
            require_version=True,
        )
    except ValidationError as exc:
        session.rollback()
        for key, message in exc.errors.items():
            if key in flags:
                flags[key] = True
                texts[key] = message
        alert = dbc.Alert(exc.message, color="danger", className="py-2 mb-0", id="pl-edit-error")
        return (
            alert,
            no_update,
            flags["value"] and ind is not None and ind.value_type != "boolean",
            texts["value"],
            flags["numerator"],
            texts["numerator"],
            flags["denominator"],
            texts["denominator"],
            texts["value"] if ind is not None and ind.value_type == "boolean" else "",
        )
    except ServiceError as exc:
        session.rollback()
        alert = dbc.Alert(exc.message, color="danger", className="py-2 mb-0", id="pl-edit-error")
        return alert, no_update, False, "", False, "", False, "", ""
    message = _(
        "edit.saved",
        indicator=saved.indicator.short_name,
        unit=saved.unit.name,
        period=saved.period.code,
    )
    alert = dbc.Alert(
        message, color="success", className="py-2 mb-0", id="pl-edit-ok", duration=8000
    )
    return alert, bump(refresh), False, "", False, "", False, "", ""


def register(app: Dash) -> None:
    app.callback(
        Output("pl-edit-unit", "options"),
        Output("pl-edit-unit-wrap", "style"),
        Output("pl-edit-bool-wrap", "style"),
        Output("pl-edit-value-wrap", "style"),
        Output("pl-edit-ratio-wrap", "style"),
        Output("pl-edit-save", "disabled"),
        Output("pl-edit-feedback", "children", allow_duplicate=True),
        Input("pl-indicator", "value"),
        Input("pl-period", "value"),
        prevent_initial_call="initial_duplicate",
    )(edit_form)
    app.callback(
        Output("pl-edit-bool", "value"),
        Output("pl-edit-value", "value"),
        Output("pl-edit-num", "value"),
        Output("pl-edit-den", "value"),
        Output("pl-edit-version", "data"),
        Input("pl-edit-unit", "value"),
        Input("pl-indicator", "value"),
        Input("pl-period", "value"),
        Input("pl-refresh", "data"),
    )(prefill)
    app.callback(
        Output("pl-edit-feedback", "children"),
        Output("pl-refresh", "data"),
        Output("pl-edit-value", "invalid"),
        Output("pl-edit-value-feedback", "children"),
        Output("pl-edit-num", "invalid"),
        Output("pl-edit-num-feedback", "children"),
        Output("pl-edit-den", "invalid"),
        Output("pl-edit-den-feedback", "children"),
        Output("pl-edit-bool-feedback", "children"),
        Input("pl-edit-save", "n_clicks"),
        State("pl-edit-unit", "value"),
        State("pl-indicator", "value"),
        State("pl-period", "value"),
        State("pl-edit-bool", "value"),
        State("pl-edit-value", "value"),
        State("pl-edit-num", "value"),
        State("pl-edit-den", "value"),
        State("pl-refresh", "data"),
        State("pl-edit-version", "data"),
        prevent_initial_call=True,
    )(save_value)
    app.callback(
        Output("pl-edit-fields", "disabled"),
        Output("pl-edit-lock", "children"),
        Output("pl-edit-clear", "disabled"),
        Input("pl-indicator", "value"),
        Input("pl-period", "value"),
        Input("pl-edit-unit", "value"),
        Input("pl-edit-version", "data"),
    )(lock_state)
    app.callback(
        Output("pl-clear-modal", "is_open"),
        Output("pl-clear-body", "children"),
        Output("pl-clear-pending", "data"),
        Output("pl-edit-feedback", "children", allow_duplicate=True),
        Input("pl-edit-clear", "n_clicks"),
        State("pl-edit-unit", "value"),
        State("pl-indicator", "value"),
        State("pl-period", "value"),
        State("pl-edit-version", "data"),
        prevent_initial_call=True,
    )(ask_clear)
    app.callback(
        Output("pl-edit-feedback", "children", allow_duplicate=True),
        Output("pl-refresh", "data", allow_duplicate=True),
        Output("pl-clear-modal", "is_open", allow_duplicate=True),
        Input("pl-clear-ok", "n_clicks"),
        State("pl-clear-pending", "data"),
        State("pl-refresh", "data"),
        prevent_initial_call=True,
    )(confirm_clear)
    app.clientside_callback(
        ClientsideFunction(namespace="ntm_entry", function_name="close"),
        Output("pl-clear-modal", "is_open", allow_duplicate=True),
        Input("pl-clear-cancel", "n_clicks"),
        prevent_initial_call=True,
    )
