"""Embed builder (`/quan-tri/nhung`): choose a chart and its parameters, preview the embed at
portal widths, copy the iframe snippet, create / edit / revoke signed links, set each chart
private or lock its public parameters.

Every write goes through `dashboard.services.embed_admin`, which checks the policy again. The
link being edited (`ea-link`: id and version) and the chart setting's version
(`ea-chart-version`) are read back from the browser only after a shape check (a forged shape is
a 400); the service then compares the version with the stored row. Tokens are signed only for
administrators, by `dashboard.services.embeds`.
"""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, html, no_update
from flask import current_app, request
from flask_login import current_user

from dashboard import charts, scope
from dashboard.auth import policy
from dashboard.callbacks.client_state import bump, records
from dashboard.components import unit_picker
from dashboard.components.shell import page_label
from dashboard.db import get_session
from dashboard.errors import Conflict, MalformedRequest, ServiceError
from dashboard.i18n import LANGUAGES, VIETNAM_TIME, _, fmt_date, fmt_datetime, fmt_number
from dashboard.services import embed_admin as service
from dashboard.services import embeds

PARAMS = ("period", "district", "indicator")
WIDTHS = (320, 480, 768)
DEFAULT_WIDTH = 480
PREVIEW_HEIGHT = 560
SNIPPET_HEIGHT = 420
HIDDEN = {"display": "none"}
WRAP = {"wrapText": True, "autoHeight": True, "cellStyle": {"lineHeight": "1.4", "padding": "6px"}}
BLANK = "about:blank"


# --- labels shared with the page -------------------------------------------------------------


def page_name(path: str) -> str:
    """The navigation name of the dashboard page at `path`, in the request's language."""
    for page in dash.page_registry.values():
        if page.get("path") == path:
            return page_label(page)
    return path


def chart_label(chart_id: str) -> str:
    """A chart's title and the page it comes from (several pages have a "trend" chart)."""
    spec = charts.CHARTS.get(chart_id)
    if spec is None:
        return chart_id
    return f"{_(spec.title_key)} — {page_name(spec.page)}"


def chart_options() -> list[dict]:
    return [{"label": chart_label(chart_id), "value": chart_id} for chart_id in charts.CHARTS]


def indicator_options(session, spec: charts.ChartSpec) -> list[dict]:
    return [
        {"label": f"{i.short_name} ({i.code})", "value": i.code}
        for i in charts.indicators_for(session, spec)
    ]


def expiry_input_value(expires_at: dt.datetime | None) -> str | None:
    """A stored expiry (the end of a day in Vietnam time, naive UTC) as the date picker's
    `YYYY-MM-DD`: the day it is the end of."""
    if expires_at is None:
        return None
    local = expires_at.replace(tzinfo=dt.UTC).astimezone(VIETNAM_TIME)
    return (local - dt.timedelta(microseconds=1)).date().isoformat()


def expiry_text(expires_at: dt.datetime | None) -> str:
    """`Hết ngày 29/11/2027` (the day chosen in the date picker)."""
    day = expiry_input_value(expires_at)
    if day is None:
        return "–"
    return _("embed_admin.until", date=fmt_date(dt.date.fromisoformat(day)))


def default_expiry() -> str:
    """One year from today (Vietnam time), the date picker's default."""
    today = dt.datetime.now(VIETNAM_TIME).date()
    return (today + dt.timedelta(days=365)).isoformat()


# --- browser state ---------------------------------------------------------------------------


def _int_state(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def link_state(value) -> dict | None:
    """The link being edited as the page keeps it (`{"id": …, "version": …}` or None)."""
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or set(value) != {"id", "version"}
        or not (_int_state(value["id"]) and _int_state(value["version"]))
    ):
        raise MalformedRequest(_("faults.bad_callback", part="ea-link"))
    return value


def version_state(value) -> int | None:
    """The chart setting's version the page showed (None: the defaults, nothing saved)."""
    if value is None:
        return None
    if not _int_state(value):
        raise MalformedRequest(_("faults.bad_callback", part="ea-chart-version"))
    return value


def _lang(value) -> str:
    return value if value in LANGUAGES else LANGUAGES[0]


def _form_params(spec: charts.ChartSpec, period, district, indicator) -> dict:
    """The pickers' values for the parameters the chart reads (empty ones left out)."""
    chosen = {"period": period, "district": district, "indicator": indicator}
    return {k: chosen[k] for k in spec.params if isinstance(chosen[k], str) and chosen[k]}


def _base_url() -> str:
    """The address portals reach the application at (`PUBLIC_BASE_URL` when set, else the
    address of this request)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return str(base).rstrip("/")


def _alert(text: str, color: str) -> dbc.Alert:
    kwargs = {"duration": 8000} if color == "success" else {}
    return dbc.Alert(text, color=color, className="py-2 mb-0", **kwargs)


def _link_or_none(session, state: dict | None):
    if state is None:
        return None
    try:
        return service.get_link(session, state["id"])
    except ServiceError:
        return None


# --- tables ----------------------------------------------------------------------------------


def _district_names(session) -> dict[str, str]:
    return {u.gso_code: u.name for u in scope.list_scope_units(session)}


def params_text(params: dict, districts: dict[str, str] | None = None) -> str:
    """`Kỳ báo cáo: 2024 · Huyện…: Chư Sê (633)`; no parameter: the defaults."""
    parts = []
    for key in PARAMS:
        value = params.get(key)
        if not value:
            continue
        if key == "district" and districts and value in districts:
            value = f"{districts[value]} ({value})"
        parts.append(f"{service.param_label(key)}: {value}")
    return " · ".join(parts) or _("embed_admin.params_default")


def links_table(session) -> tuple[list[dict], list[dict]]:
    districts = _district_names(session)
    columns = [
        {"field": "id", "hide": True},
        {"field": "version", "hide": True},
        {"field": "chart", "headerName": _("embed_admin.col.chart"), "minWidth": 200, **WRAP},
        {"field": "label", "headerName": _("embed_admin.col.label"), "minWidth": 160, **WRAP},
        {"field": "params", "headerName": _("embed_admin.col.params"), "minWidth": 240, **WRAP},
        {"field": "created", "headerName": _("embed_admin.col.created"), "minWidth": 150, **WRAP},
        {"field": "expires", "headerName": _("embed_admin.col.expires"), "minWidth": 150, **WRAP},
        {"field": "status", "headerName": _("embed_admin.col.status"), "minWidth": 140, **WRAP},
        {"field": "viewed", "headerName": _("embed_admin.col.last_viewed")},
        {
            "field": "views",
            "headerName": _("embed_admin.col.views"),
            "type": "rightAligned",
            "minWidth": 90,
        },
    ]
    rows = [
        {
            "id": row.id,
            "version": row.version,
            "chart": chart_label(row.chart_id),
            "label": row.label,
            "params": params_text(row.params, districts),
            "created": f"{row.created_by} · {fmt_datetime(row.created_at)}",
            "expires": expiry_text(row.expires_at),
            "status": service.status_label(row.status)
            + (f" ({row.revoked_by} · {fmt_datetime(row.revoked_at)})" if row.revoked_at else ""),
            "viewed": fmt_datetime(row.last_viewed_at),
            "views": fmt_number(row.view_count),
        }
        for row in service.list_links(session)
    ]
    return columns, rows


def chart_setting_text(row: service.ChartRow, districts: dict[str, str] | None = None) -> str:
    access = _("embed_admin.private_on") if row.private else _("embed_admin.private_off")
    locked = (
        _("embed_admin.locked", params=params_text(row.locked_params, districts))
        if row.locked_params
        else _("embed_admin.unlocked")
    )
    return f"{access} · {locked}"


def charts_table(session) -> tuple[list[dict], list[dict]]:
    districts = _district_names(session)
    columns = [
        {"field": "chart_id", "headerName": _("embed_admin.col.chart_id"), "minWidth": 200},
        {"field": "chart", "headerName": _("embed_admin.col.chart"), "minWidth": 200},
        {"field": "setting", "headerName": _("embed_admin.col.setting"), "minWidth": 240, **WRAP},
        {"field": "updated", "headerName": _("embed_admin.col.updated")},
    ]
    rows = [
        {
            "chart_id": row.chart_id,
            "chart": chart_label(row.chart_id),
            "setting": chart_setting_text(row, districts),
            "updated": f"{row.updated_by} · {fmt_datetime(row.updated_at)}" if row.version else "–",
        }
        for row in service.list_charts(session)
    ]
    return columns, rows


def load_tables(_refresh):
    if not policy.can_administer(current_user):
        return [], [], [], []
    session = get_session()
    return (*links_table(session), *charts_table(session))


# --- the chosen chart ------------------------------------------------------------------------


def chart_form(chart_id, _refresh, indicator):
    """Show the pickers the chart reads, its indicators, and its saved setting."""
    spec = charts.CHARTS.get(chart_id)
    if spec is None or not policy.can_administer(current_user):
        return (no_update,) * 10
    session = get_session()
    styles = [None if key in spec.params else HIDDEN for key in PARAMS]
    options = indicator_options(session, spec)
    codes = [o["value"] for o in options]
    if codes and indicator not in codes:
        indicator = codes[0]
    elif not codes:
        indicator = no_update
    row = service.get_chart(session, chart_id)
    lock_options = [{"label": service.param_label(key), "value": key} for key in spec.params]
    state = chart_setting_text(row, _district_names(session))
    if row.version:
        state += " · " + _(
            "embed_admin.updated_by", user=row.updated_by, at=fmt_datetime(row.updated_at)
        )
    return (
        *styles,
        options,
        indicator,
        row.private,
        lock_options,
        sorted(row.locked_params, key=PARAMS.index),
        row.version,
        state,
    )


def select_chart_row(selected):
    selected = records(selected, "chart_id")
    if not selected or selected[0]["chart_id"] not in charts.CHARTS:
        return no_update
    return selected[0]["chart_id"]


def kind_fields(kind):
    return None if kind == "signed" else HIDDEN


def set_width(*_clicks):
    """The preview frame at the chosen portal width; the chosen button is filled."""
    trigger = ctx.triggered_id
    widths = {f"ea-w-{w}": w for w in WIDTHS}
    width = widths.get(trigger, DEFAULT_WIDTH) if isinstance(trigger, str) else DEFAULT_WIDTH
    style = {
        "width": f"{width}px",
        "maxWidth": "none",
        "height": f"{PREVIEW_HEIGHT}px",
        "border": "1px solid var(--bs-border-color, #dee2e6)",
        "background": "#fff",
        "display": "block",
    }
    return style, *(w != width for w in WIDTHS)


# --- links: choose, create, edit, revoke -----------------------------------------------------


def select_link(selected):
    """Fill the form from the chosen link (read again from the database)."""
    selected = records(selected, "id", "version")
    if not selected or not policy.can_administer(current_user):
        return (no_update,) * 8
    session = get_session()
    try:
        link = service.get_link(session, selected[0]["id"])
    except ServiceError:
        return (no_update,) * 8
    params = embeds.link_params(link)
    return (
        {"id": link.id, "version": link.version},
        link.chart_id,
        params.get("period", no_update),
        params.get("district", ""),
        params.get("indicator", no_update),
        link.label,
        expiry_input_value(link.expires_at),
        "signed",
    )


def new_link(n_clicks):
    if not n_clicks:
        return (no_update,) * 4
    return None, [], "", default_expiry()


def link_buttons(state):
    """Edit and revoke work on the chosen link; say which one it is."""
    state = link_state(state)
    if state is None or not policy.can_administer(current_user):
        return True, True, _("embed_admin.no_link_chosen")
    link = _link_or_none(get_session(), state)
    if link is None:
        return True, True, _("embed_admin.no_link_chosen")
    status = service.link_status(link)
    text = _(
        "embed_admin.editing",
        id=link.id,
        label=link.label or "–",
        status=service.status_label(status),
    )
    revoked = status == "revoked"
    return revoked, revoked, text


def write_link(
    create, update, chart_id, period, district, indicator, label, expires, state, refresh
):
    trigger = ctx.triggered_id
    if trigger not in ("ea-create", "ea-update") or not (create or update):
        return (no_update,) * 4
    state = link_state(state)
    session = get_session()
    spec = charts.CHARTS.get(chart_id) if isinstance(chart_id, str) else None
    params = _form_params(spec, period, district, indicator) if spec else {}
    try:
        policy.raise_for_administer(current_user)  # before reading any link (the service again)
        if trigger == "ea-create":
            link = service.create_link(
                session, current_user, chart_id, params, label, expires or None
            )
            done = _("embed_admin.created", id=link.id)
        else:
            if state is None:
                return _alert(_("embed_admin.no_link_chosen"), "warning"), *(no_update,) * 3
            stored = service.get_link(session, state["id"])
            if stored.chart_id != chart_id:
                return _alert(_("embed_admin.chart_fixed"), "warning"), *(no_update,) * 3
            link = service.update_link(
                session,
                current_user,
                state["id"],
                state["version"],
                params=params,
                label=label,
                expires_at=expires or None,
            )
            done = _("embed_admin.updated", id=link.id)
    except Conflict as exc:
        session.rollback()
        return _alert(exc.message, "danger"), bump(refresh), None, []
    except ServiceError as exc:
        session.rollback()
        return _alert(exc.message, "danger"), *(no_update,) * 3
    return (
        _alert(done, "success"),
        bump(refresh),
        {"id": link.id, "version": link.version},
        no_update,
    )


def ask_revoke(n_clicks, state):
    state = link_state(state)
    if not n_clicks or state is None or not policy.can_administer(current_user):
        return no_update, no_update
    link = _link_or_none(get_session(), state)
    label = (link.label if link else "") or f"#{state['id']}"
    return True, _("embed_admin.revoke_confirm", label=label)


def revoke(submitted, state, refresh):
    state = link_state(state)
    if not submitted or state is None:
        return (no_update,) * 4
    session = get_session()
    try:
        link = service.revoke_link(session, current_user, state["id"], state["version"])
    except Conflict as exc:
        session.rollback()
        return _alert(exc.message, "danger"), bump(refresh), None, []
    except ServiceError as exc:
        session.rollback()
        return _alert(exc.message, "danger"), *(no_update,) * 3
    done = _("embed_admin.revoked", id=link.id)
    return _alert(done, "success"), bump(refresh), None, []


# --- chart settings --------------------------------------------------------------------------


def save_chart(n_clicks, chart_id, private, locked, period, district, indicator, version, refresh):
    if not n_clicks:
        return no_update, no_update
    version = version_state(version)
    if locked is not None and (
        not isinstance(locked, list) or not all(isinstance(k, str) for k in locked)
    ):
        raise MalformedRequest(_("faults.bad_callback", part="ea-lock"))
    chosen = {"period": period, "district": district, "indicator": indicator}
    locked_params = {k: chosen.get(k) for k in locked or []}
    session = get_session()
    try:
        service.set_chart(session, current_user, chart_id, bool(private), locked_params, version)
    except ServiceError as exc:
        session.rollback()
        return _alert(exc.message, "danger"), bump(refresh) if isinstance(
            exc, Conflict
        ) else no_update
    return _alert(_("embed_admin.chart_saved"), "success"), bump(refresh)


# --- preview and snippet ---------------------------------------------------------------------


def preview(chart_id, period, district, indicator, lang, kind, state, _refresh):
    """The embed's URL in the preview frame, its iframe snippet and what to know about it."""
    empty = (BLANK, "", [], None, "", "", "")
    spec = charts.CHARTS.get(chart_id) if isinstance(chart_id, str) else None
    state = link_state(state)
    if spec is None or not policy.can_administer(current_user):
        return empty
    session = get_session()
    lang = _lang(lang)
    title = chart_label(spec.chart_id)
    params = _form_params(spec, period, district, indicator)
    setting = service.get_chart(session, spec.chart_id)
    notes = []
    url = None
    shareable = True
    if kind == "signed":
        link = _link_or_none(session, state)
        if link is not None and link.chart_id == spec.chart_id:
            url = embeds.embed_url(link.chart_id, token=embeds.sign_token(link), lang=lang)
            status = service.link_status(link)
            if status != "active":
                notes.append(
                    _("embed_admin.note.link_revoked")
                    if status == "revoked"
                    else _("embed_admin.note.link_expired")
                )
                shareable = False
            if embeds.link_params(link) != params:
                notes.append(_("embed_admin.note.unsaved"))
        else:
            shareable = False
            notes.append(_("embed_admin.note.create_first"))
            if setting.private:
                notes.append(_("embed_admin.note.private_no_preview"))
            else:
                url = embeds.embed_url(spec.chart_id, params, lang=lang)
    else:
        url = embeds.embed_url(spec.chart_id, params, lang=lang)
        if setting.private:
            notes.append(_("embed_admin.note.private_public_refused"))
            shareable = False
        locked = {k: v for k, v in setting.locked_params.items() if params.get(k) != v}
        if locked:
            districts = _district_names(session)
            notes.append(_("embed_admin.note.locked", params=params_text(locked, districts)))
    absolute = f"{_base_url()}{url}" if url else ""
    snippet = embeds.iframe_snippet(absolute, title, SNIPPET_HEIGHT) if shareable and url else ""
    note = [html.Div(n) for n in notes]
    # The preview frames the embed from the app itself, which only administrators' previews
    # may do (`preview=1`; see `policy.may_preview_embeds`); it does not count as a view.
    preview = f"{url}{'&' if '?' in url else '?'}preview=1" if url else BLANK
    return preview, title, note, url, absolute if shareable else "", snippet, ""


COPY_SNIPPET = """
function (clicks, texts) {
    if (!clicks) { return window.dash_clientside.no_update; }
    var area = document.getElementById("ea-snippet");
    if (!area || !area.value) { return texts.empty; }
    function fallback() {
        area.focus();
        area.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        return ok ? texts.copied : texts.failed;
    }
    if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(area.value).then(
            function () { return texts.copied; }, fallback);
    }
    return fallback();
}
"""


# The preview frame follows the height its embed posts (the message `embed.js` sends to the
# portal), accepted only from this application's own origin and from the preview frame.
LISTEN_RESIZE = """
function (frameId) {
    if (!window.__ntmPreviewResize) {
        window.__ntmPreviewResize = true;
        window.addEventListener("message", function (event) {
            var frame = document.getElementById("ea-preview");
            var data = event.data;
            if (!frame || event.origin !== window.location.origin
                || event.source !== frame.contentWindow || !data
                || data.type !== "ntm-embed:resize") { return; }
            var height = Number(data.height);
            if (height > 0 && height < 5000) { frame.style.height = Math.ceil(height) + "px"; }
        });
    }
    return true;
}
"""


def register(app: Dash) -> None:
    app.callback(
        Output("ea-links-grid", "columnDefs"),
        Output("ea-links-grid", "rowData"),
        Output("ea-charts-grid", "columnDefs"),
        Output("ea-charts-grid", "rowData"),
        Input("ea-refresh", "data"),
    )(load_tables)
    app.callback(
        Output("ea-period-field", "style"),
        Output("ea-district-field", "style"),
        Output("ea-indicator-field", "style"),
        Output("ea-indicator", "options"),
        Output("ea-indicator", "value"),
        Output("ea-private", "value"),
        Output("ea-lock", "options"),
        Output("ea-lock", "value"),
        Output("ea-chart-version", "data"),
        Output("ea-chart-state", "children"),
        Input("ea-chart", "value"),
        Input("ea-refresh", "data"),
        State("ea-indicator", "value"),
    )(chart_form)
    app.callback(
        Output("ea-chart", "value", allow_duplicate=True),
        Input("ea-charts-grid", "selectedRows"),
        prevent_initial_call=True,
    )(select_chart_row)
    app.callback(Output("ea-signed-fields", "style"), Input("ea-kind", "value"))(kind_fields)
    app.callback(
        Output("ea-preview", "style"),
        *(Output(f"ea-w-{w}", "outline") for w in WIDTHS),
        *(Input(f"ea-w-{w}", "n_clicks") for w in WIDTHS),
    )(set_width)
    app.callback(
        Output("ea-link", "data", allow_duplicate=True),
        Output("ea-chart", "value", allow_duplicate=True),
        Output("ea-period", "value", allow_duplicate=True),
        Output("ea-district", "value", allow_duplicate=True),
        Output("ea-indicator", "value", allow_duplicate=True),
        Output("ea-label", "value", allow_duplicate=True),
        Output("ea-expires", "value", allow_duplicate=True),
        Output("ea-kind", "value", allow_duplicate=True),
        Input("ea-links-grid", "selectedRows"),
        prevent_initial_call=True,
    )(select_link)
    app.callback(
        Output("ea-link", "data", allow_duplicate=True),
        Output("ea-links-grid", "selectedRows", allow_duplicate=True),
        Output("ea-label", "value", allow_duplicate=True),
        Output("ea-expires", "value", allow_duplicate=True),
        Input("ea-new", "n_clicks"),
        prevent_initial_call=True,
    )(new_link)
    app.callback(
        Output("ea-update", "disabled"),
        Output("ea-revoke", "disabled"),
        Output("ea-editing", "children"),
        Input("ea-link", "data"),
        Input("ea-refresh", "data"),
    )(lambda state, _refresh: link_buttons(state))
    app.callback(
        Output("ea-msg", "children"),
        Output("ea-refresh", "data", allow_duplicate=True),
        Output("ea-link", "data", allow_duplicate=True),
        Output("ea-links-grid", "selectedRows", allow_duplicate=True),
        Input("ea-create", "n_clicks"),
        Input("ea-update", "n_clicks"),
        State("ea-chart", "value"),
        State("ea-period", "value"),
        State("ea-district", "value"),
        State("ea-indicator", "value"),
        State("ea-label", "value"),
        State("ea-expires", "value"),
        State("ea-link", "data"),
        State("ea-refresh", "data"),
        prevent_initial_call=True,
    )(write_link)
    app.callback(
        Output("ea-revoke-confirm", "displayed"),
        Output("ea-revoke-confirm", "message"),
        Input("ea-revoke", "n_clicks"),
        State("ea-link", "data"),
        prevent_initial_call=True,
    )(ask_revoke)
    app.callback(
        Output("ea-msg", "children", allow_duplicate=True),
        Output("ea-refresh", "data", allow_duplicate=True),
        Output("ea-link", "data", allow_duplicate=True),
        Output("ea-links-grid", "selectedRows", allow_duplicate=True),
        Input("ea-revoke-confirm", "submit_n_clicks"),
        State("ea-link", "data"),
        State("ea-refresh", "data"),
        prevent_initial_call=True,
    )(revoke)
    app.callback(
        Output("ea-chart-msg", "children"),
        Output("ea-refresh", "data", allow_duplicate=True),
        Input("ea-chart-save", "n_clicks"),
        State("ea-chart", "value"),
        State("ea-private", "value"),
        State("ea-lock", "value"),
        State("ea-period", "value"),
        State("ea-district", "value"),
        State("ea-indicator", "value"),
        State("ea-chart-version", "data"),
        State("ea-refresh", "data"),
        prevent_initial_call=True,
    )(save_chart)
    app.callback(
        Output("ea-preview", "src"),
        Output("ea-preview", "title"),
        Output("ea-preview-note", "children"),
        Output("ea-open", "href"),
        Output("ea-url", "children"),
        Output("ea-snippet", "value"),
        Output("ea-copy-status", "children"),
        Input("ea-chart", "value"),
        Input("ea-period", "value"),
        Input("ea-district", "value"),
        Input("ea-indicator", "value"),
        Input("ea-lang", "value"),
        Input("ea-kind", "value"),
        Input("ea-link", "data"),
        Input("ea-refresh", "data"),
    )(preview)
    app.clientside_callback(
        LISTEN_RESIZE, Output("ea-resize-ready", "data"), Input("ea-preview", "id")
    )
    app.clientside_callback(
        COPY_SNIPPET,
        Output("ea-copy-status", "children", allow_duplicate=True),
        Input("ea-copy", "n_clicks"),
        State("ea-copy-texts", "data"),
        prevent_initial_call=True,
    )
    unit_picker.register(app, "ea")
