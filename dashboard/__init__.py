"""Gia Lai NTM digital-transformation monitor: `create_app()` builds the Flask server with the
Dash application mounted on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import dash
from flask import Flask, jsonify, request

from dashboard import delivery, security
from dashboard.config import finalize, load_config
from dashboard.db import Database, get_db
from dashboard.i18n import _
from dashboard.services import aggregates as _aggregates  # noqa: F401 (keeps figure cells current)

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR.parent / "assets"


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides the settings read from the environment."""
    settings = load_config()
    if config:
        settings.update(config)
    settings = finalize(settings)

    server = Flask(__name__, template_folder=str(PACKAGE_DIR / "templates"), static_folder=None)
    server.config.update(settings)
    if settings.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings["TRUSTED_PROXIES"]  # client address and scheme as the proxy saw them
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    security.init_app(server)
    delivery.init_app(server)
    security.init_fault_handlers(server)

    Database(settings["DATABASE_URL"]).init_app(server)
    from dashboard import cache

    cache.init_app(server)

    from dashboard.auth import login

    login.init_app(server)

    from dashboard import api, cli, embeds, exports, i18n, reports
    from dashboard.components import maps

    i18n.init_app(server)
    cli.init_app(server)
    server.register_blueprint(exports.bp)
    embeds.init_app(server)
    api.init_app(server)
    reports.init_app(server)
    maps.init_app(server)
    _register_operations(server)

    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(PACKAGE_DIR / "pages"),
        assets_folder=str(ASSETS_DIR),
        title=_("app.title"),
        update_title=_("common.loading"),
        suppress_callback_exceptions=True,
        serve_locally=True,
        external_stylesheets=[],
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="vi">', 1)

    from dashboard.callbacks import register_callbacks
    from dashboard.components.shell import shell_layout

    app.layout = shell_layout
    register_callbacks(app)
    server.extensions["dash_app"] = app
    security.init_request_checks(server, app)
    _mark_unknown_paths_404(server)
    _set_up_dash_now(server)
    return server


# Dash's work on its first request: its server setup (which walks the callbacks) and the pages
# router (which adds its callbacks). Two first requests at once (a portal page framing two
# charts) ran them in two threads: "dictionary changed size during iteration", a 500.
DASH_FIRST_REQUEST_HOOKS = ("_setup_server", "router_sync")


def _set_up_dash_now(server: Flask) -> None:
    """Run Dash's first-request hooks once while the application is built, before any thread
    serves it (each hook does its work once and then returns at once)."""
    hooks = [
        hook
        for hook in server.before_request_funcs.get(None, [])
        if getattr(hook, "__name__", "") in DASH_FIRST_REQUEST_HOOKS
    ]
    with server.test_request_context("/"):
        for hook in hooks:
            hook()


HEALTH_CHECK_TIMEOUT_SECONDS = 1.5


def run_checks(checks: dict[str, Callable[[], bool]], seconds: float) -> dict[str, bool]:
    """Run the checks at once, each in a daemon thread, and return within about `seconds`: a
    check that raises or has not answered by then is False (a dependency that hangs cannot
    hold the request, nor the process at exit)."""
    results: dict[str, bool] = {}

    def run(name: str, check: Callable[[], bool]) -> None:
        try:
            results[name] = bool(check())
        except Exception:  # whatever the driver raised, the dependency is unreachable
            results[name] = False

    threads = [
        threading.Thread(target=run, args=item, name=f"healthz-{item[0]}", daemon=True)
        for item in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, False) for name in checks}


def health_report(server: Flask) -> tuple[dict, int]:
    """Each dependency's state and the HTTP status: 503 when a required one is down. The
    database is always required; the rate-limit storage when it is not in memory, unless
    `HEALTHZ_REQUIRE_RATE_LIMIT_STORAGE` is false. Answers within the check timeout."""
    from dashboard.auth import login

    timeout = float(server.config.get("HEALTHZ_TIMEOUT_SECONDS", HEALTH_CHECK_TIMEOUT_SECONDS))
    in_memory = server.config["RATELIMIT_STORAGE_URI"].startswith("memory://")
    checks = {"database": get_db().ping}
    if not in_memory:
        checks["rate_limit_storage"] = lambda: login.rate_limit_storage_ok(server)
    report = {
        name: "ok" if up else "unreachable" for name, up in run_checks(checks, timeout).items()
    }
    required = ["database"]
    if in_memory:
        report["rate_limit_storage"] = "memory"
    elif server.config["HEALTHZ_REQUIRE_RATE_LIMIT_STORAGE"]:
        required.append("rate_limit_storage")
    healthy = all(report[name] == "ok" for name in required)
    return {"status": "ok" if healthy else "error", **report}, 200 if healthy else 503


def _register_operations(server: Flask) -> None:
    @server.get("/healthz")
    def healthz():
        report, status = health_report(server)
        return jsonify(report), status


def _mark_unknown_paths_404(server: Flask) -> None:
    """Dash answers every path with its single page; an unknown path still shows the 404 page
    but now also carries the HTTP status 404."""

    @server.after_request
    def _status_for_unknown(response):
        rule = request.url_rule.rule if request.url_rule is not None else ""
        if request.method != "GET" or response.status_code != 200 or "<path:" not in rule:
            return response
        if response.mimetype != "text/html" or request.path.startswith(("/_", "/assets")):
            return response
        known = {page["path"] for page in dash.page_registry.values()}
        if request.path.rstrip("/") not in {p.rstrip("/") for p in known} and request.path != "/":
            response.status_code = 404
        return response


__all__ = ["create_app"]
