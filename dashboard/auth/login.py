"""Flask-Login and Flask-Limiter set-up, the login/logout routes and the login guard.

Every path except `/login`, `/healthz` and static assets requires a logged-in user. The guard
runs before every request, so Dash's own endpoints (`/_dash-update-component` included) are
covered too: an anonymous callback request gets 401, never data.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from dashboard.auth.forms import LoginForm
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"

bp = Blueprint("auth", __name__)

PUBLIC_PREFIXES = ("/login", "/healthz", "/assets/", "/_favicon.ico", "/favicon.ico")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = get_session().get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or (user.is_demo and not current_app.config["DEMO_MODE"]):
        return None
    return user


def safe_next(target: str | None) -> str:
    """Only local paths are followed after login; anything else goes to the overview."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target


def _login_key() -> str:
    username = (request.form.get("username") or "").strip().lower()
    return f"{get_remote_address()}|{username}"


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            session = get_session()
            user = session.scalar(sa.select(User).where(User.username == form.username.data))
            allowed = (
                user is not None
                and user.active
                and (not user.is_demo or current_app.config["DEMO_MODE"])
                and check_password_hash(user.password_hash, form.password.data)
            )
            if allowed:
                user.last_login_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                session.commit()
                login_user(user)
                return redirect(safe_next(request.args.get("next")))
            error = _("login.failed")
            status = 401
        elif form.csrf_token.errors:
            error = _("login.csrf")
            status = 400
        else:
            status = 400
    return (
        render_template(
            "login.html",
            form=form,
            error=error,
            notice=_("logout.done") if request.args.get("logged_out") else None,
            _=_,
            demo=current_app.config["DEMO_MODE"],
        ),
        status,
    )


@bp.route("/logout")
def logout():
    logout_user()
    return redirect(url_for("auth.login", logged_out=1))


def _guard():
    path = request.path
    if path.startswith(PUBLIC_PREFIXES):
        return None
    if current_user.is_authenticated:
        return None
    if path.startswith("/_dash") or request.method != "GET":
        return jsonify({"error": _("auth.not_logged_in")}), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _too_many(_exc):
    form = LoginForm()
    return (
        render_template(
            "login.html",
            form=form,
            error=_("login.throttled"),
            notice=None,
            _=_,
            demo=current_app.config["DEMO_MODE"],
        ),
        429,
    )


def init_app(app: Flask) -> None:
    """Attach login, the login guard and a login throttle (one limiter per application, its
    counters in `RATELIMIT_STORAGE_URI`: memory for one process, Redis for several workers)."""
    login_manager.init_app(app)
    app.register_blueprint(bp)
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "ntm-login"),
        default_limits=[],
        strategy="fixed-window",
    )
    app.extensions["login_limiter"] = limiter
    app.view_functions["auth.login"] = limiter.limit(
        app.config["LOGIN_RATE_LIMIT"],
        key_func=_login_key,
        methods=["POST"],
        deduct_when=_failed,
    )(login)
    app.before_request(_guard)
    app.register_error_handler(429, _too_many)
