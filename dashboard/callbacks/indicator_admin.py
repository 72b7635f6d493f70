"""Indicator sets page (`/quan-tri/chi-tieu`): the grid of a programme's indicators, the form
that adds, changes or ends one. Every write goes through `services.indicator_admin`, which
checks again that the user administers and validates the input."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, html, no_update
from flask_login import current_user

from dashboard.auth import policy
from dashboard.callbacks.client_state import bump, records
from dashboard.db import get_session
from dashboard.errors import ServiceError, ValidationError
from dashboard.i18n import _, fmt_date
from dashboard.services import indicator_admin as service
from dashboard.services.parsing import FieldError, parse_date

# The form's controls: the service's field → the control's id (its `value`).
FORM_IDS = {
    "code": "ia-code",
    "criterion": "ia-criterion",
    "pillar": "ia-pillar",
    "name_vi": "ia-name-vi",
    "name_en": "ia-name-en",
    "short_vi": "ia-short-vi",
    "short_en": "ia-short-en",
    "level": "ia-level",
    "extra_level": "ia-extra-level",
    "unit_kinds": "ia-unit-kinds",
    "value_type": "ia-value-type",
    "rollup": "ia-rollup",
    "source": "ia-source",
    "source_filter": "ia-source-filter",
    "denominator_rule": "ia-denominator",
    "unit": "ia-unit",
    "legal_basis": "ia-legal-basis",
    "valid_from": "ia-valid-from",
    "valid_to": "ia-valid-to",
    "definition_vi": "ia-definition-vi",
    "definition_en": "ia-definition-en",
    "method_vi": "ia-method-vi",
    "method_en": "ia-method-en",
}
FORM = tuple(FORM_IDS)
# A new indicator's form: what the lists start on.
BLANK = {
    "pillar": "government",
    "level": "commune",
    "extra_level": "",
    "unit_kinds": ["xa"],
    "value_type": "boolean",
    "rollup": "share_meeting",
    "source": "values",
    "denominator_rule": "reported",
}


def _alert(message, color: str, alert_id: str, **kwargs):
    return dbc.Alert(message, color=color, className="py-2 mb-0", id=alert_id, **kwargs)


def _error(exc: ServiceError):
    """The refusal; each field's problem on a line of its own."""
    problems = list(exc.errors.values()) if isinstance(exc, ValidationError) else []
    if len(problems) > 1:
        body = [html.P(_("indicator_admin.problems"), className="mb-1")]
        body.append(html.Ul([html.Li(p) for p in problems], className="mb-0"))
        return _alert(body, "danger", "ia-error")
    return _alert(exc.message, "danger", "ia-error")


def column_defs() -> list[dict]:
    def col(field, key, **more):
        return {"field": field, "headerName": _(key), **more}

    return [
        col("code", "indicator_admin.col.code", minWidth=150, pinned="left"),
        col("name", "indicator_admin.col.name", minWidth=260, tooltipField="name"),
        col("criterion", "indicator_admin.col.criterion", minWidth=200, tooltipField="criterion"),
        col("pillar", "indicator_admin.col.pillar"),
        col("level", "indicator_admin.col.level", minWidth=150),
        col("validity", "indicator_admin.col.validity", minWidth=200),
        col("values", "indicator_admin.col.values", type="rightAligned", maxWidth=130),
        col("targets", "indicator_admin.col.targets", type="rightAligned", maxWidth=130),
        col("office", "indicator_admin.col.office", maxWidth=150),
    ]


def load(programme, _refresh):
    """The programme's indicators, the grid's columns and the programme's criteria (none: the
    criterion cannot be chosen)."""
    if not policy.can_administer(current_user):
        return [], [], [], True, None
    session = get_session()
    try:
        rows = service.rows(session, current_user, programme)
    except ServiceError as exc:
        return [], column_defs(), [], True, _error(exc)
    note = None if rows else _alert(_("indicator_admin.none"), "info", "ia-none")
    criteria = service.criterion_options(programme)
    return rows, column_defs(), criteria, not criteria, note


def _form(values: dict) -> list:
    return [values.get(name, "") for name in FORM]


def select(selected):
    """A row chosen in the grid fills the form with its indicator, to change or end it."""
    try:
        rows = records(selected, "code")
        if not rows:
            return (no_update,) * (2 + len(FORM))
        values = service.form_values(get_session(), current_user, rows[0]["code"])
    except ServiceError:
        return (no_update,) * (2 + len(FORM))
    chosen = {"code": values["code"], "locked": bool(values["locked"])}
    return chosen, values["valid_to"], *_form(values)


def new_form(_n, _programme):
    """ "Thêm mới" (or another programme): an empty form for a new indicator."""
    values = {name: "" for name in FORM}
    values.update(BLANK)
    values["criterion"] = None
    return None, "", *_form(values)


def mode(chosen):
    """Says what the form does, and locks what may not change: the code of an existing
    indicator; what it counts once values or targets exist (the service refuses it too)."""
    editing = isinstance(chosen, dict) and isinstance(chosen.get("code"), str)
    locked = editing and bool(chosen.get("locked"))
    if not editing:
        text = _alert(_("indicator_admin.mode_new"), "light", "ia-mode-new")
    else:
        parts = [_("indicator_admin.mode_edit", code=chosen["code"])]
        if locked:
            parts.append(_("indicator_admin.locked_note"))
        text = _alert(" ".join(parts), "secondary", "ia-mode-edit")
    return (
        text,
        editing,  # the code
        not editing,  # update
        not editing,  # end
        *(locked for _name in service.LOCKED if _name in FORM_IDS),
    )


def _fields(values: tuple) -> dict:
    return dict(zip(FORM, values, strict=True))


def save(create_n, update_n, programme, chosen, refresh, *values):
    """ "Thêm chỉ tiêu" creates an indicator of the programme shown; "Lưu thay đổi" changes
    the one chosen in the grid."""
    trigger = ctx.triggered_id
    if trigger not in ("ia-create", "ia-update") or not (create_n or update_n):
        return no_update, no_update, no_update
    fields = _fields(values)
    session = get_session()
    try:
        if trigger == "ia-create":
            ind = service.create_indicator(session, current_user, programme=programme, **fields)
        else:
            code = chosen.get("code") if isinstance(chosen, dict) else None
            if not isinstance(code, str):
                policy.raise_for_administer(current_user)
                raise ValidationError({"code": _("indicator_admin.select_first")})
            fields.pop("code")
            ind = service.update_indicator(session, current_user, code, **fields)
        locked = service.stored(session, ind).any
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update, no_update
    done = "indicator_admin.created" if trigger == "ia-create" else "indicator_admin.saved"
    message = _alert(_(done, code=ind.code), "success", "ia-ok", duration=8000)
    return message, bump(refresh), {"code": ind.code, "locked": locked}


def _chosen_code(chosen) -> str | None:
    code = chosen.get("code") if isinstance(chosen, dict) else None
    return code if isinstance(code, str) else None


def ask_end(n, chosen, end_date):
    """Ask before ending the chosen indicator, naming it and the day."""
    if not n:
        return no_update, no_update, no_update
    try:
        policy.raise_for_administer(current_user)
        code = _chosen_code(chosen)
        if code is None:
            raise ValidationError({"code": _("indicator_admin.select_first")})
        try:
            day = parse_date(end_date, _("indicator_admin.end_date"))
        except FieldError as exc:
            raise ValidationError({"valid_to": exc.message}) from None
        ind = service.get(get_session(), code)
    except ServiceError as exc:
        return False, no_update, _error(exc)
    message = _("indicator_admin.end_confirm", code=ind.code, name=ind.name, date=fmt_date(day))
    return True, message, None


def end(submitted, chosen, end_date, refresh):
    """The dialog's confirmation: the indicator ends on the day chosen."""
    if not submitted:
        return no_update, no_update
    session = get_session()
    try:
        code = _chosen_code(chosen)
        if code is None:
            policy.raise_for_administer(current_user)
            raise ValidationError({"code": _("indicator_admin.select_first")})
        ind = service.end_indicator(session, current_user, code, end_date)
    except ServiceError as exc:
        session.rollback()
        return _error(exc), no_update
    message = _alert(_("indicator_admin.ended", code=ind.code), "success", "ia-ok", duration=8000)
    return message, bump(refresh)


def register(app: Dash) -> None:
    form_outputs = [Output(FORM_IDS[name], "value") for name in FORM]
    app.callback(
        Output("ia-grid", "rowData"),
        Output("ia-grid", "columnDefs"),
        Output("ia-criterion", "options"),
        Output("ia-criterion", "disabled"),
        Output("ia-grid-msg", "children"),
        Input("ia-programme", "value"),
        Input("ia-refresh", "data"),
    )(load)
    app.callback(
        Output("ia-chosen", "data"),
        Output("ia-end-date", "value"),
        *form_outputs,
        Input("ia-grid", "selectedRows"),
        prevent_initial_call=True,
    )(select)
    app.callback(
        Output("ia-chosen", "data", allow_duplicate=True),
        Output("ia-end-date", "value", allow_duplicate=True),
        *[Output(o.component_id, o.component_property, allow_duplicate=True) for o in form_outputs],
        Input("ia-new", "n_clicks"),
        Input("ia-programme", "value"),
        prevent_initial_call=True,
    )(new_form)
    app.callback(
        Output("ia-mode", "children"),
        Output("ia-code", "disabled"),
        Output("ia-update", "disabled"),
        Output("ia-end", "disabled"),
        *[Output(FORM_IDS[name], "disabled") for name in service.LOCKED if name in FORM_IDS],
        Input("ia-chosen", "data"),
    )(mode)
    app.callback(
        Output("ia-msg", "children"),
        Output("ia-refresh", "data", allow_duplicate=True),
        Output("ia-chosen", "data", allow_duplicate=True),
        Input("ia-create", "n_clicks"),
        Input("ia-update", "n_clicks"),
        State("ia-programme", "value"),
        State("ia-chosen", "data"),
        State("ia-refresh", "data"),
        *[State(FORM_IDS[name], "value") for name in FORM],
        prevent_initial_call=True,
    )(save)
    app.callback(
        Output("ia-end-confirm", "displayed"),
        Output("ia-end-confirm", "message"),
        Output("ia-msg", "children", allow_duplicate=True),
        Input("ia-end", "n_clicks"),
        State("ia-chosen", "data"),
        State("ia-end-date", "value"),
        prevent_initial_call=True,
    )(ask_end)
    app.callback(
        Output("ia-msg", "children", allow_duplicate=True),
        Output("ia-refresh", "data", allow_duplicate=True),
        Input("ia-end-confirm", "submit_n_clicks"),
        State("ia-chosen", "data"),
        State("ia-end-date", "value"),
        State("ia-refresh", "data"),
        prevent_initial_call=True,
    )(end)
