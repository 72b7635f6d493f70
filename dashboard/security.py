"""HTTP security headers, readable fault pages and the shape check of Dash callback requests.

- `init_app(server)` sends on every response, through Flask-Talisman: `nosniff`, a
  Referrer-Policy, a Content-Security-Policy that Dash, Plotly and AG Grid work with (no inline
  script except Dash's own, allowed by hash), no framing (`frame-ancestors 'none'` and
  `X-Frame-Options: DENY`) except for the embedded chart pages `/nhung/<chart-id>`, which the
  origins in `EMBED_ALLOWED_ORIGINS` may frame (none by default), and HSTS only when
  `SESSION_COOKIE_SECURE` is on. No HTTPS redirect: the proxy in front terminates TLS.
- `init_fault_handlers(server)` answers a database outage with 503, malformed requests with 400,
  413 and 405, and any other failure with 500: a Vietnamese HTML page for browsers, UTF-8 JSON
  for API paths, downloads and Dash's own endpoints. The session is rolled back first.
- `init_request_checks(server, dash_app)` refuses unreadable JSON bodies and malformed
  `POST /_dash-update-component` bodies with 400 before Dash dispatches them, and turns whatever
  Dash raises while reading a request (before the callback body runs) into 400 as well.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable

import dash
import sqlalchemy as sa
from dash import _callback as dash_callback
from dash.exceptions import DashException, PreventUpdate
from flask import Flask, current_app, jsonify, make_response, request
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.serving import WSGIRequestHandler

from dashboard.auth.login import safe_next
from dashboard.errors import MalformedRequest
from dashboard.i18n import _, fmt_number

log = logging.getLogger(__name__)

# --- headers -------------------------------------------------------------------------------

BASE_CSP: dict[str, str | list[str]] = {
    "default-src": "'self'",
    "script-src": ["'self'"],  # Dash's inline renderer script is added by hash
    # Plotly and AG Grid inject <style> elements at run time.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = {
    "browsing-topics": "()",
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
}
REFERRER_POLICY = "strict-origin-when-cross-origin"


def init_app(server: Flask) -> Talisman:
    """Send the security headers on every response of `server`.

    Settings read from `server.config`: `SESSION_COOKIE_SECURE` (HSTS on or off) and
    `EMBED_ALLOWED_ORIGINS` (the origins that may frame the embedded charts; checked by
    `config.finalize`, default none).
    """
    # Registered before Talisman so that it runs after Talisman's header hook.
    server.after_request(_allow_framing_of_embeds)
    secure = bool(server.config.get("SESSION_COOKIE_SECURE"))
    talisman = Talisman(
        server,
        force_https=False,
        frame_options="DENY",
        strict_transport_security=secure,
        strict_transport_security_include_subdomains=False,
        content_security_policy=dict(BASE_CSP),
        permissions_policy=PERMISSIONS_POLICY,
        referrer_policy=REFERRER_POLICY,
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite=server.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        x_content_type_options=True,
        x_xss_protection=False,
    )
    server.extensions["talisman"] = talisman
    # Registered after Talisman so that it runs before Talisman's header hook.
    server.after_request(_add_dash_script_hashes)
    server.after_request(_no_shared_caching_of_cookies)
    return talisman


def _add_dash_script_hashes(response):
    """Allow Dash's inline scripts (its renderer, clientside callbacks) by hash, computed once
    the Dash application is set up."""
    server = current_app
    dash_app = server.extensions.get("dash_app")
    talisman = server.extensions.get("talisman")
    if dash_app is None or talisman is None or server.extensions.get("csp_hashed"):
        return response
    talisman.content_security_policy["script-src"] = ["'self'", *dash_app.csp_hashes()]
    server.extensions["csp_hashed"] = True
    return response


# The embedded chart pages (and their error pages), not the embeds' scripts and styles.
EMBED_PAGE = re.compile(r"^/nhung/(?!static/)[^/]+$")


def frame_ancestors_for(path: str, origins: tuple[str, ...] | list[str]) -> str:
    """The `frame-ancestors` sources of a path: the allowed origins for an embedded chart page
    when some are configured, else `'none'`."""
    if origins and EMBED_PAGE.match(path):
        return " ".join(origins)
    return "'none'"


def _no_shared_caching_of_cookies(response):
    """An answer that sets a cookie is never for a shared cache, whatever the view said."""
    if "Set-Cookie" in response.headers and "public" in (response.cache_control.to_header()):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _allow_framing_of_embeds(response):
    """On an embedded chart page, let the allowed origins (and only them) frame it; the embed
    builder's preview (`preview=1`, administrators) may also frame it from the app itself."""
    origins = tuple(current_app.config.get("EMBED_ALLOWED_ORIGINS") or ())
    if request.args.get("preview") == "1" and EMBED_PAGE.match(request.path):
        from flask_login import current_user

        from dashboard.auth import policy

        if policy.may_preview_embeds(current_user):
            origins = ("'self'", *origins)
    ancestors = frame_ancestors_for(request.path, origins)
    if ancestors == "'none'":
        return response
    response.headers.pop("X-Frame-Options", None)
    policy = response.headers.get("Content-Security-Policy")
    if policy:
        response.headers["Content-Security-Policy"] = _replace_directive(
            policy, "frame-ancestors", ancestors
        )
    return response


def _replace_directive(policy: str, name: str, value: str) -> str:
    """`policy` with directive `name` set to `value` (added when absent)."""
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    kept = [p for p in parts if p.split(" ", 1)[0] != name]
    return "; ".join([*kept, f"{name} {value}"])


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug development server handler that does not advertise its versions."""

    def version_string(self) -> str:
        return "ntm-dashboard"


# --- fault pages -----------------------------------------------------------------------------

JSON_PATH_PREFIXES = ("/_dash", "/xuat/", "/api/", "/healthz", "/_reload-hash")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf")
DATABASE_DOWN_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
# Query-string values that reach the database on public routes (embeds, open data) are codes:
# `2023`, `GOV-C8_4`, `764`, `csv`. Used with `fullmatch`; nothing else (a NUL byte, a newline).
PLAIN_QUERY_VALUE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def database_down(exc: Exception) -> bool:
    """Whether a database error means the database is unreachable (503) rather than a bug."""
    return isinstance(exc, DATABASE_DOWN_ERRORS) or bool(
        getattr(exc, "connection_invalidated", False)
    )


def _navigating() -> bool:
    """A browser following a link: its Accept header names HTML (scripts and tools do not)."""
    return "text/html" in request.headers.get("Accept", "")


def wants_json() -> bool:
    """True when the current request should get a JSON error rather than an HTML page: API
    paths, downloads, Dash's endpoints, JSON requests and clients that prefer JSON."""
    path = request.path
    if path.endswith(DOWNLOAD_SUFFIXES) and _navigating():
        return False  # a download link followed in the browser: the page, not raw JSON
    if path.startswith(JSON_PATH_PREFIXES) or path.endswith(DOWNLOAD_SUFFIXES):
        return True
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, message: str, title: str | None = None):
    """A Vietnamese error answer with `status`: JSON `{"error": message}` or the HTML page."""
    if wants_json():
        response = jsonify({"error": message})
        response.status_code = status
        return response
    # Rendered without the context processors: Flask-Login's would load the user from the
    # database, which may be what is down.
    html = current_app.jinja_env.get_template("error.html").render(
        status=status,
        title=title or _("faults.bad_request.title"),
        message=message,
        retry_url=safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None,
        _=_,
    )
    return make_response(html, status)


def rollback_request() -> None:
    """Roll the request's session back; an unreachable database is not a second error."""
    db = current_app.extensions.get("db")
    if db is None:
        return
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        log.warning("rollback failed after an error", exc_info=True)


def _database_unavailable(exc: Exception):
    log.error("database unavailable on %s %s: %s", request.method, request.path, exc)
    rollback_request()
    return error_response(503, _("faults.db_down.body"), _("faults.db_down.title"))


def _database_error(exc: sa.exc.DBAPIError):
    """A lost connection is an outage (503); any other driver error is a server error."""
    if database_down(exc):
        return _database_unavailable(exc)
    return _server_error(exc)


def _server_error(exc: Exception):
    if not isinstance(exc, InternalServerError):  # Flask has logged those already
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    rollback_request()
    return error_response(500, _("error.500"), _("faults.server_error.title"))


def _bad_request(exc: HTTPException):
    if isinstance(exc, CSRFError):
        return error_response(400, _("faults.csrf"))
    if request.is_json and request.method not in {"GET", "HEAD"}:
        return error_response(400, _("faults.bad_json"))
    return error_response(400, _("error.bad_request"))


def _too_large(_exc: HTTPException):
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return error_response(413, _("faults.too_large", mb=fmt_number(limit / 1024 / 1024, 1)))


def _not_found(_exc: HTTPException):
    """Paths outside the pages (a missing asset, an unknown download): the Vietnamese 404.
    Unknown page paths are answered by Dash's 404 page instead."""
    return error_response(404, _("error.404.body"), title=_("error.404.title"))


def _method_not_allowed(exc: HTTPException):
    response = error_response(405, _("faults.method_not_allowed"))
    allowed = getattr(exc, "valid_methods", None)
    if allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def init_fault_handlers(server: Flask) -> None:
    """Readable answers for outages and bad requests; UTF-8 JSON (no `\\u` escapes)."""
    server.json.ensure_ascii = False
    for error in DATABASE_DOWN_ERRORS:
        server.register_error_handler(error, _database_unavailable)
    server.register_error_handler(sa.exc.DBAPIError, _database_error)
    server.register_error_handler(400, _bad_request)
    server.register_error_handler(404, _not_found)
    server.register_error_handler(405, _method_not_allowed)
    server.register_error_handler(413, _too_large)
    server.register_error_handler(500, _server_error)


# --- Dash callback requests -----------------------------------------------------------------

# Frames that mean the callback body has run (or returned): errors from there are real faults.
_CALLBACK_BODY_CODES = frozenset(
    fn.__code__
    for name in ("_invoke_callback", "_async_invoke_callback", "_prepare_response")
    if (fn := getattr(dash_callback, name, None)) is not None
)
_REQUEST_PARSE_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError, DashException)


def _malformed(part: str) -> MalformedRequest:
    return MalformedRequest(_("faults.bad_callback", part=part))


def _refuse(exc: MalformedRequest):
    response = jsonify({"error": exc.message})
    response.status_code = 400
    return response


def _is_prop(item) -> bool:
    """A `{"id": ..., "property": ...}` reference to a component property."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | dict)
        and isinstance(item.get("property"), str)
    )


def _check_props(items, part: str, expected: int | None) -> None:
    """`items` is a list of property references (or of lists of them, for pattern-matching
    `ALL` wildcards), `expected` long when given."""
    if not isinstance(items, list):
        raise _malformed(part)
    if expected is not None and len(items) != expected:
        raise _malformed(part)
    for item in items:
        group = item if isinstance(item, list) else [item]
        if not all(_is_prop(ref) for ref in group):
            raise _malformed(part)


def _check_outputs(outputs, spec: dict) -> None:
    declared = spec.get("output")
    if spec.get("no_output"):
        if not isinstance(outputs, list | dict):
            raise _malformed("outputs")
        return
    if isinstance(declared, list | tuple):
        _check_props(outputs, "outputs", len(declared))
    elif isinstance(outputs, list):
        _check_props(outputs, "outputs", None)
    elif not _is_prop(outputs):
        raise _malformed("outputs")


def check_callback_body(body, callback_map: dict) -> None:
    """Raise `MalformedRequest` unless `body` has the shape Dash's dispatch reads: an object
    with a known `output`, `outputs`, `inputs` and (when present) `state` matching the
    callback's declaration, and `changedPropIds` a list of strings."""
    if not isinstance(body, dict):
        raise _malformed("body")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise _malformed("output")
    spec = callback_map[output]
    _check_outputs(body.get("outputs"), spec)
    _check_props(body.get("inputs"), "inputs", len(spec.get("inputs", [])))
    _check_props(body.get("state", []), "state", len(spec.get("state", [])))
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise _malformed("changedPropIds")


def _raised_by_callback_body(exc: BaseException) -> bool:
    """True when the traceback passes through the callback body (or Dash's check of what it
    returned): then the error is the server's, not the request's."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in _CALLBACK_BODY_CODES:
            return True
        tb = tb.tb_next
    return False


def _guard_dispatch(view: Callable) -> Callable:
    @functools.wraps(view)
    def dispatch(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except PreventUpdate:
            raise
        except MalformedRequest as exc:  # raised by a callback reading forged state
            log.warning("malformed callback state refused: %s", exc.message)
            return _refuse(exc)
        except _REQUEST_PARSE_ERRORS as exc:
            if _raised_by_callback_body(exc):
                raise
            log.warning("malformed callback request refused: %r", exc)
            return _refuse(_malformed(type(exc).__name__))

    return dispatch


def _is_form_shaped(body) -> bool:
    return isinstance(body, dict) and all(isinstance(v, str) for v in body.values())


def _check_json_body():
    """A JSON body must parse; outside Dash's endpoints and `/api/` (where routes are HTML
    forms, which Flask-WTF reads JSON into) it must be an object of strings."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or not request.is_json:
        return None
    body = request.get_json(silent=True)
    if body is None:
        return error_response(400, _("faults.bad_json"))
    if request.path.startswith(("/_dash", "/api/")) or _is_form_shaped(body):
        return None
    return error_response(400, _("faults.json_form"))


def init_request_checks(server: Flask, dash_app: dash.Dash) -> None:
    """Check JSON bodies, and callback request bodies before Dash dispatches them. Call after
    the login guard is registered, so that anonymous requests still get 401 first."""
    path = dash_app.config.routes_pathname_prefix + "_dash-update-component"
    server.before_request(_check_json_body)

    @server.before_request
    def _check_callback_request():
        if request.path != path or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        try:
            check_callback_body(body, dash_app.callback_map)
        except MalformedRequest as exc:
            return _refuse(exc)
        return None

    server.view_functions[path] = _guard_dispatch(server.view_functions[path])
