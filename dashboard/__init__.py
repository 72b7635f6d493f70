"""Gia Lai NTM digital-transformation monitor: `create_app()` builds the Flask server with the
Dash application mounted on it."""

from __future__ import annotations

from pathlib import Path

import dash
from flask import Flask, jsonify, request

from dashboard.config import finalize, load_config
from dashboard.db import Database, get_db
from dashboard.i18n import _

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

    Database(settings["DATABASE_URL"]).init_app(server)

    from dashboard.auth import login

    login.init_app(server)

    from dashboard import cli, exports

    cli.init_app(server)
    server.register_blueprint(exports.bp)
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
    _mark_unknown_paths_404(server)
    return server


def _register_operations(server: Flask) -> None:
    @server.get("/healthz")
    def healthz():
        if get_db().ping():
            return jsonify({"status": "ok", "database": "ok"})
        return jsonify({"status": "error", "database": "unreachable"}), 503

    @server.errorhandler(500)
    def server_error(_exc):
        get_db().session.rollback()
        return jsonify({"error": _("error.500")}), 500


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
