"""Embedded charts: `GET /nhung/<chart-id>` shows one chart of `dashboard.charts.CHARTS`, alone,
for a page of another site to frame (the provincial e-government portal). No login.

- Approved figures only, always: the chart is built by `charts.resolve(..., approved_only=True)`
  and the chart's own builder, the same figure the dashboard page shows.
- Parameters from the query string: `period`, `district`, `indicator` (those the chart reads),
  `lang` (`vi` or `en`) and `t` (a signed embed link's token). Parameters an administrator
  locked (the chart's settings, or a signed link's own) win over the query string; a signed
  link shows exactly its own parameters.
- A private chart is shown only through a valid signed link; a tampered, expired, revoked or
  deleted link gets a small Vietnamese 403 page saying which.
- The figure is sent as JSON in `<script type="application/json" id="chart-data">` and drawn by
  `embed.js`, which also posts the document's height to the parent window
  (`{"type": "ntm-embed:resize", "chart": <id>, "height": <px>}`); a portal page includes
  `/nhung/static/portal.js` to resize its iframes from those messages.
- Which sites may frame these pages: `EMBED_ALLOWED_ORIGINS` (see `dashboard.security`).
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import plotly
import plotly.graph_objects as go
import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    send_file,
)
from markupsafe import Markup

from dashboard import charts
from dashboard.auth import policy
from dashboard.db import get_session
from dashboard.errors import PermissionDenied, ValidationError
from dashboard.i18n import LANGUAGES, _, fmt_datetime, fmt_number, use_language
from dashboard.security import PLAIN_QUERY_VALUE, database_down, rollback_request
from dashboard.services import embeds as svc
from dashboard.services import indicators as ind_svc
from dashboard.services import periods, workflow

log = logging.getLogger(__name__)

bp = Blueprint("embeds", __name__, url_prefix="/nhung")

STATIC_DIR = Path(__file__).resolve().parent / "static_embed"
OWN_ASSETS = {
    "embed.js": "text/javascript",
    "portal.js": "text/javascript",
    "embed.css": "text/css",
}
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
ASSET_MAX_AGE = 3600  # seconds; portal pages include portal.js without a version
VERSIONED_MAX_AGE = 365 * 24 * 3600
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-store"
PAGE_NAMES = {
    "/": "nav.overview",
    "/chinh-quyen-so": "nav.government",
    "/kinh-te-so": "nav.economy",
    "/xa-hoi-so": "nav.society",
    "/mo-hinh-thi-diem": "nav.pilots",
    "/dao-tao": "nav.training",
}
# "<" would let a value close the script element that carries the JSON.
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# --- assets ----------------------------------------------------------------------------------


@cache
def asset_version(name: str) -> str:
    """A short hash of an own asset's content, put in its URL so a change is fetched anew."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    if name == "plotly.min.js":
        return f"/nhung/static/plotly.min.js?v={plotly.__version__}"
    return f"/nhung/static/{name}?v={asset_version(name)}"


@bp.get("/static/<name>")
def asset(name: str):
    """`embed.js`, `portal.js`, `embed.css`, and Plotly's bundle from the installed package
    (its URL carries Plotly's version, so it may be kept for a year)."""
    if name == "plotly.min.js":
        path, mimetype, version = PLOTLY_JS, "text/javascript", plotly.__version__
    elif name in OWN_ASSETS:
        path, mimetype, version = STATIC_DIR / name, OWN_ASSETS[name], asset_version(name)
    else:
        abort(404)
    if request.args.get("v") != version:
        return send_file(path, mimetype=mimetype, max_age=ASSET_MAX_AGE)
    response = send_file(path, mimetype=mimetype, max_age=VERSIONED_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={VERSIONED_MAX_AGE}, immutable"
    return response


# --- answers ---------------------------------------------------------------------------------


def _error(status: int, title: str, message: str, chart_id: str = ""):
    # Rendered without Flask's context processors: they would load the signed-in user from
    # the database, which may be the very thing that is down.
    html = current_app.jinja_env.get_template("embed_error.html").render(
        status=status,
        title=title,
        message=message,
        chart_id=chart_id,
        lang=g.get("lang", LANGUAGES[0]),
        asset_url=asset_url,
        _=_,
    )
    response = make_response(html, status)
    response.headers["Cache-Control"] = PRIVATE_CACHE
    return response


def _bad_request(errors: dict[str, str], chart_id: str):
    message = " ".join(
        _("embed.bad_param", name=name, message=text) for name, text in errors.items()
    )
    return _error(400, _("embed.bad_request.title"), message, chart_id)


def _set_language() -> dict[str, str]:
    """Set the request's language from `lang` alone: Vietnamese by default, whatever the
    visitor chose in the dashboard (a public embed reads the same to everyone, caches
    included); errors by parameter."""
    g.lang = LANGUAGES[0]
    try:
        use_language(request.args.get("lang"))
    except ValidationError as exc:
        return exc.errors
    return {}


def _query_params(spec: charts.ChartSpec, locked: dict[str, str]) -> tuple[dict, dict]:
    """The chart's parameters: the locked ones, then the query string's for the others."""
    params: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in spec.params:
        if name in locked:
            params[name] = locked[name]
            continue
        value = request.args.get(name)
        if not value:
            continue
        if not PLAIN_QUERY_VALUE.fullmatch(value):
            errors[name] = _("embed.bad_value")
        else:
            params[name] = value
    return params, errors


def _figure_json(figure: go.Figure) -> Markup:
    """The figure as JSON safe inside a `<script type="application/json">` element. The title
    moves to the page's heading (HTML wraps on narrow screens, a Plotly title does not)."""
    figure.update_layout(title=None, autosize=True, width=None)
    figure.update_layout(margin={"t": 24})
    return Markup(figure.to_json().translate(_JSON_ESCAPES))


def _trend(spec: charts.ChartSpec) -> bool:
    """Charts of one scope (province or district) over the years; the others show every
    district (the `district` parameter only highlights one)."""
    return spec.title_key == "chart.title.trend"


def _context(session, spec: charts.ChartSpec, query: charts.ChartQuery) -> dict:
    """What the page says around the chart: heading, the "as of" line, coverage, link back."""
    scope_district = query.district if _trend(spec) else None
    subtitle = [_(spec.title_key)]
    if query.indicator is not None:
        heading = query.indicator.short_name
        if _trend(spec):
            subtitle.append(scope_district.name if scope_district else _("chart.province"))
    else:
        heading = _(PAGE_NAMES.get(spec.page, "app.brand"))
    as_of, coverage = [], ""
    if "period" in spec.params:
        stamp = workflow.as_of(session, query.period, query.district_id if _trend(spec) else None)
        as_of.append(_("embed.as_of.period", period=periods.label(query.period)))
        if stamp.approved_at is None:
            as_of.append(_("embed.as_of.not_approved"))
        else:
            as_of.append(_("embed.as_of.approved", at=fmt_datetime(stamp.approved_at)))
            if stamp.data_updated_at is not None:
                as_of.append(_("embed.as_of.updated", at=fmt_datetime(stamp.data_updated_at)))
        if query.indicator is not None:
            figure = ind_svc.compute(
                session,
                query.indicator,
                query.period,
                scope_district.id if scope_district else None,
                approved_only=True,
            )
            coverage = figure.coverage
        else:
            ap = workflow.approval(session, query.period, None, approved_only=True)
            coverage = _(
                "figure.districts_approved",
                approved=fmt_number(ap.approved),
                total=fmt_number(ap.total),
                unit=ap.unit,
            )
    back = {}
    if "period" in spec.params:
        back["period"] = query.period.code
    if query.district is not None:
        back["district"] = query.district.gso_code
    if query.indicator is not None:
        back["indicator"] = query.indicator.code
    if g.lang != LANGUAGES[0]:
        back["lang"] = g.lang
    return {
        "heading": heading,
        "subtitle": " · ".join(subtitle),
        "as_of": " · ".join(as_of),
        "coverage": coverage,
        "full_url": spec.page + (f"?{urlencode(back)}" if back else ""),
    }


def _is_admin_preview() -> bool:
    """The embed builder's own preview (`preview=1` from an administrator's session)."""
    from flask_login import current_user

    return request.args.get("preview") == "1" and policy.may_preview_embeds(current_user)


@bp.get("/<chart_id>")
def show(chart_id: str):
    errors = _set_language()
    spec = charts.CHARTS.get(chart_id)
    if spec is None:
        shown = chart_id if len(chart_id) <= 64 else chart_id[:64] + "…"
        return _error(404, _("embed.not_found.title"), _("embed.not_found.body", chart=shown))
    if errors:
        return _bad_request(errors, chart_id)
    session = get_session()
    setting = svc.chart_setting(session, chart_id)
    link = None
    if "t" in request.args:
        try:
            link = svc.verify_token(session, chart_id, request.args["t"])
        except PermissionDenied as exc:
            return _error(403, _("embed.denied.title"), exc.message, chart_id)
    if not policy.may_view_chart(svc.is_private(setting), link is not None):
        return _error(403, _("embed.denied.title"), _("embed.private"), chart_id)

    if link is not None:
        params, errors = dict(svc.link_params(link)), {}
    else:
        params, errors = _query_params(spec, svc.locked_params(setting))
    if errors:
        return _bad_request(errors, chart_id)
    try:
        query = charts.resolve(session, spec, params, approved_only=True)
    except ValidationError as exc:
        return _bad_request(exc.errors, chart_id)
    figure = spec.build(session, query)

    html = render_template(
        "embed.html",
        chart_id=chart_id,
        lang=g.lang,
        figure_json=_figure_json(figure),
        signed=link is not None,
        asset_url=asset_url,
        _=_,
        # The boundaries are CC BY-SA: credited wherever the map is shown.
        attribution=_("overview.map_attribution") if spec.build is charts.map_chart else "",
        **_context(session, spec, query),
    )
    response = make_response(html)
    if link is not None:
        response.headers["Cache-Control"] = PRIVATE_CACHE
        response.headers["X-Robots-Tag"] = "noindex"
        if not _is_admin_preview():
            svc.record_view(session, link)
    elif current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        # A signed-in visitor's answer may carry their session cookie: never for a shared cache.
        response.headers["Cache-Control"] = PRIVATE_CACHE
    else:
        response.headers["Cache-Control"] = PUBLIC_CACHE
        response.add_etag()
        response.make_conditional(request)
    return response


# --- faults ----------------------------------------------------------------------------------


@bp.errorhandler(sa.exc.SQLAlchemyError)
def _database_error(exc: sa.exc.SQLAlchemyError):
    """A database fault in an embed: a small page in the frame, not the dashboard's page;
    503 when the database is unreachable."""
    down = database_down(exc)
    log.error("database error on %s: %s", request.path, exc, exc_info=not down)
    rollback_request()
    return _error(503 if down else 500, _("embed.fault.title"), _("embed.fault.body"))


@bp.errorhandler(500)
def _server_error(_exc):
    """Any other failure (Flask has logged it): the small page."""
    rollback_request()
    return _error(500, _("embed.fault.title"), _("embed.fault.body"))
