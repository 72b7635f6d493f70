"""Flask-Login and Flask-Limiter set-up, the login/logout routes, sessions and the login guard.

Every path except `/login`, `/logout`, `/healthz` and static assets requires a logged-in user.
The guard runs before every request, so Dash's own endpoints (`/_dash-update-component`
included) are covered too: an anonymous callback request gets 401, never data.

A session holds the account's session version (`User.session_version`), its login time and
its last activity. It is logged out when the version no longer matches (logout anywhere, a
password reset, a change of role, scope or active flag), after `SESSION_IDLE_MINUTES` without
a request or `SESSION_MAX_HOURS` after login. Flask-Login's remember-me cookie is never set, and
a session it would restore carries no version, so it is refused.

Failed logins are throttled per (address, username) and per address across usernames. With a
shared storage (Redis) that is down, counting goes on in the process's memory (logged as
degraded) instead of refusing every login.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from functools import cache
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user

from dashboard.auth import passwords
from dashboard.auth.forms import LoginForm
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"

bp = Blueprint("auth", __name__)

PUBLIC_PREFIXES = (
    "/login",
    "/logout",
    "/healthz",
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/favicon.ico",
    "/ngon-ngu/",  # the language switch, also on the login page
    "/nhung/",  # public embeds: approved figures only (dashboard.embeds)
    "/api/v1/",  # open data: approved figures only (dashboard.api)
    "/ban-do/",  # the map's boundaries (public data)
)
# Paths whose requests neither end nor prolong a session.
UNCHECKED_PREFIXES = (
    "/logout",
    "/healthz",
    "/assets/",
    "/_favicon.ico",
    "/favicon.ico",
    "/nhung/",  # public: a view neither prolongs a session nor sends its cookie
    "/api/v1/",
    "/ban-do/",
)

# Public, cacheable paths: their answers never carry the session cookie.
# Public, static or cacheable answers: never a session cookie (nor `Vary: Cookie`).
COOKIELESS_PREFIXES = (
    "/nhung/",
    "/api/v1/",
    "/assets/",
    "/_dash-component-suites/",
    "/ban-do/",
)


class PublicPathsSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that answers under `COOKIELESS_PREFIXES` never
    set or refresh the cookie (a shared cache must not keep a signed-in visitor's session)."""

    def save_session(self, app, session, response) -> None:
        if request.path.startswith(COOKIELESS_PREFIXES):
            return
        super().save_session(app, session, response)


# Keys of the session (a signed cookie) besides Flask-Login's own.
SESSION_VERSION = "sv"
LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
END_REASONS = ("idle", "expired", "revoked")

# Rate-limit storage over the network: a dead server must not hold a login (or /healthz) long.
STORAGE_TIMEOUT_SECONDS = 0.5


def _now() -> float:
    """Seconds since the epoch (one place, so tests can move the clock)."""
    return time.time()


def may_sign_in(user: User) -> bool:
    """Whether the account may hold a session in this application: active, and a demo account
    only in demo/test mode."""
    return bool(user.active) and (not user.is_demo or current_app.config["DEMO_MODE"])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user, or None when the account is unknown, may not sign in, or the
    session's version is not the account's current one."""
    try:
        user = get_session().get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not may_sign_in(user):
        return None
    if session.get(SESSION_VERSION) != user.session_version:
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


# --- passwords -----------------------------------------------------------------------------


@cache
def dummy_password_hash() -> str:
    """A hash of a random password made the same way as real ones, so that checking a password
    for an unknown account costs as much as for a known one."""
    return passwords.hash_password(secrets.token_urlsafe(24))


def authenticate(username: str, password: str) -> User | None:
    """The account if `password` is right and the account may sign in; None otherwise. One
    password hash is checked in every case (a dummy one when there is no eligible account),
    so the answer takes as long whether or not the username exists."""
    user = get_session().scalar(sa.select(User).where(User.username == username))
    eligible = user is not None and may_sign_in(user)
    stored = user.password_hash if eligible else dummy_password_hash()
    matches = passwords.password_matches(stored, password)
    return user if eligible and matches else None


# --- sessions ------------------------------------------------------------------------------


def start_session(user: User) -> None:
    """Log `user` in: a fresh session holding the account's version, login time and activity."""
    session.clear()
    login_user(user, remember=False)
    now = int(_now())
    session[SESSION_VERSION] = user.session_version
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session.permanent = True


def keep_current_session(user: User) -> None:
    """After a change that ended `user`'s sessions, keep the current one if it is `user`'s own
    (an administrator resetting their own password stays logged in here, nowhere else)."""
    if current_user.is_authenticated and current_user.get_id() == user.get_id():
        get_session().refresh(user)
        session[SESSION_VERSION] = user.session_version


def _end_reason() -> str | None:
    """Why the current session must end now (`idle`, `expired`, `revoked`), or None."""
    config = current_app.config
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return "revoked"
    now = _now()
    if now - login_at > config["SESSION_MAX_HOURS"] * 3600:
        return "expired"
    if now - seen_at > config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    if not current_user.is_authenticated:
        return "revoked"
    return None


def _check_session():
    """Before every request: end a session that is too old, idle or revoked (noting why for the
    login page), else record the activity."""
    if request.path.startswith(UNCHECKED_PREFIXES) or "_user_id" not in session:
        return None
    reason = _end_reason()
    if reason is None:
        session[SEEN_AT] = int(_now())
        return None
    logout_user()
    session.clear()
    g.session_ended = reason
    return None


def _end_reason_message(reason: str | None) -> str | None:
    config = current_app.config
    if reason == "idle":
        return _("authsec.ended.idle", n=config["SESSION_IDLE_MINUTES"])
    if reason == "expired":
        return _("authsec.ended.expired", n=config["SESSION_MAX_HOURS"])
    if reason == "revoked":
        return _("authsec.ended.revoked")
    return None


def _end_all_sessions_of_this_one() -> None:
    """Raise the version of the account this (genuine, signed) session belongs to, if the
    session still holds the current version: every copy of the cookie dies with it."""
    user_id, version = session.get("_user_id"), session.get(SESSION_VERSION)
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return
    if not isinstance(version, int):
        return
    db = get_session()
    db.execute(
        sa.update(User)
        .where(User.id == user_id, User.session_version == version)
        .values(session_version=User.session_version + 1)
    )
    db.commit()


# --- routes --------------------------------------------------------------------------------


def _login_key() -> str:
    username = (request.form.get("username") or "").strip().lower()
    return f"{get_remote_address()}|{username}"


def _failed(response) -> bool:
    return response.status_code == 401


def _render_login(form, error=None, status=200):
    notice, notice_level = None, "info"
    reason = request.args.get("ended") or g.get("session_ended")
    if _end_reason_message(reason):
        notice, notice_level = _end_reason_message(reason), "warning"
    elif request.args.get("logged_out"):
        notice = _("logout.done")
    return (
        render_template(
            "login.html",
            form=form,
            error=error,
            notice=notice,
            notice_level=notice_level,
            _=_,
            demo=current_app.config["DEMO_MODE"],
        ),
        status,
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method != "POST":
        return _render_login(form)
    _note_limiter_state()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            return _render_login(form, _("login.failed"), 401)
        user.last_login_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        get_session().commit()
        start_session(user)
        return redirect(safe_next(request.args.get("next")))
    if form.csrf_token.errors:
        return _render_login(form, _("login.csrf"), 400)
    return _render_login(form, None, 400)


@bp.route("/logout")
def logout():
    """End this session and every copy of it (and the account's other sessions)."""
    _end_all_sessions_of_this_one()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", logged_out=1))


def _guard():
    path = request.path
    if path.startswith(PUBLIC_PREFIXES):
        return None
    if current_user.is_authenticated:
        return None
    reason = g.get("session_ended")
    if path.startswith("/_dash") or request.method != "GET":
        message = _end_reason_message(reason) or _("auth.not_logged_in")
        return jsonify({"error": message}), 401
    params = {"next": request.full_path.rstrip("?")}
    if reason:
        params["ended"] = reason
    return redirect(url_for("auth.login", **params))


def _too_many(_exc):
    _note_limiter_state()
    return _render_login(LoginForm(), _("login.throttled"), 429)


# --- throttling ----------------------------------------------------------------------------


def _storage_options(uri: str) -> dict:
    if uri.startswith(("redis://", "rediss://", "redis+")):
        return {
            "socket_timeout": STORAGE_TIMEOUT_SECONDS,
            "socket_connect_timeout": STORAGE_TIMEOUT_SECONDS,
        }
    return {}


def _make_limiter(app: Flask) -> Limiter:
    uri = app.config["RATELIMIT_STORAGE_URI"]
    return Limiter(
        get_remote_address,
        app=app,
        storage_uri=uri,
        storage_options=_storage_options(uri),
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "ntm-login"),
        default_limits=[],
        strategy="fixed-window",
        # Shared storage down: count in this process's memory rather than refuse every login.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )


def _throttle(limiter: Limiter, view, config: dict):
    """`view` with its failed POSTs counted per (address, username) and per address across
    usernames; either limit reached answers 429."""
    per_user = limiter.limit(
        config["LOGIN_RATE_LIMIT"], key_func=_login_key, methods=["POST"], deduct_when=_failed
    )
    per_address = limiter.shared_limit(
        config["LOGIN_RATE_LIMIT_PER_ADDRESS"],
        scope="login-address",
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_failed,
    )
    return per_address(per_user(view))


def login_throttle_degraded(app: Flask) -> bool:
    """True while the limiter counts in memory because its shared storage failed."""
    limiter = app.extensions.get("login_limiter")
    return bool(getattr(limiter, "_storage_dead", False))


def _note_limiter_state() -> None:
    """Log (WARNING, application logger) when login throttling falls back to memory, and when
    it is back on its shared storage."""
    app = current_app._get_current_object()
    degraded = login_throttle_degraded(app)
    state = app.extensions.setdefault("login_limiter_state", {"degraded": False})
    if degraded == state["degraded"]:
        return
    state["degraded"] = degraded
    if degraded:
        app.logger.warning(
            "Login throttling degraded: rate-limit storage %s is unreachable; failed logins are "
            "counted in this process only.",
            _redacted(app.config["RATELIMIT_STORAGE_URI"]),
        )
    else:
        app.logger.warning("Login throttling storage reachable again.")


def _redacted(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password:
        return uri.replace(parts.password, "***", 1)
    return uri


def rate_limit_storage_ok(app: Flask) -> bool:
    """Whether the login throttle's storage answers now (memory: always). Bounded by the
    storage's socket timeout, so a dead Redis answers False within about a second."""
    limiter = app.extensions.get("login_limiter")
    if limiter is None:
        return False
    try:
        return bool(limiter.storage.check())
    except Exception:  # any failure of the storage is "not ok", never an error page
        return False


def init_app(app: Flask) -> None:
    """Attach login, sessions checks, the login guard and the login throttle (one limiter per
    application, its counters in `RATELIMIT_STORAGE_URI`: memory for one process, Redis for
    several workers)."""
    login_manager.init_app(app)
    app.session_interface = PublicPathsSessionInterface()
    app.register_blueprint(bp)
    limiter = _make_limiter(app)
    app.extensions["login_limiter"] = limiter
    app.view_functions["auth.login"] = _throttle(limiter, login, app.config)
    app.before_request(_check_session)
    app.before_request(_guard)
    app.register_error_handler(429, _too_many)
