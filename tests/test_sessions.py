"""Sessions: versions (logout and account changes end the other sessions), idle and absolute
lifetimes, remember-me cookies, demo sessions outside demo mode, the session_version migration."""

from __future__ import annotations

import datetime as dt
import email.utils
import json

import pytest
import sqlalchemy as sa

from dashboard.auth import login as login_module
from dashboard.models import User
from dashboard.services import admin
from tests.conftest import PASSWORD, AuthActions, csrf_token

pytestmark = pytest.mark.db


class Clock:
    """A movable clock for the session checks (`dashboard.auth.login._now`)."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(login_module, "_now", fake)
    return fake


def copy_cookie(source, target) -> None:
    """Give `target` the session cookie `source` holds now (a stolen or copied cookie)."""
    target.set_cookie("session", source.get_cookie("session").value)


def logged_in_client(app, username: str):
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def is_logged_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def ended_reason(client) -> str | None:
    """The `ended=` reason of the redirect to the login page, or None if still logged in."""
    response = client.get("/")
    if response.status_code == 200:
        return None
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?")
    return location.split("ended=")[1].split("&")[0] if "ended=" in location else ""


def db_user(app, username):
    session = app.extensions["db"].session()
    return session.scalar(sa.select(User).where(User.username == username))


# --- session versions ----------------------------------------------------------------------


def test_cookie_copied_before_logout_no_longer_works(app):
    """Bug: logout only dropped the browser's cookie; a copy made before logout stayed valid."""
    owner = logged_in_client(app, "viewer")
    thief = app.test_client()
    copy_cookie(owner, thief)
    assert is_logged_in(thief)
    owner.get("/logout")
    assert ended_reason(thief) == "revoked"
    assert not is_logged_in(owner)
    # The account itself still works: a new login is fine.
    assert is_logged_in(logged_in_client(app, "viewer"))


def test_anonymous_logout_goes_to_the_login_page_without_next(client):
    """Bug: /logout without a session sent to /login?next=/logout, so the next login ended at
    once."""
    response = client.get("/logout")
    assert response.status_code == 302
    assert "next=" not in response.headers["Location"]
    assert "logged_out=1" in response.headers["Location"]


def test_logout_ends_the_accounts_other_sessions_only(app):
    """Bug: logging out left the account's session on another device open (or logged out other
    accounts too)."""
    laptop = logged_in_client(app, "viewer")
    phone = logged_in_client(app, "viewer")
    other = logged_in_client(app, "editor-622")
    laptop.get("/logout")
    assert not is_logged_in(phone)
    assert is_logged_in(other)


def test_version_is_stored_at_login_and_a_changed_version_logs_out(app):
    """Bug: the session version was not checked on load, so raising it changed nothing."""
    client = logged_in_client(app, "viewer")
    with app.app_context():
        session = app.extensions["db"].session()
        db_user(app, "viewer").end_sessions()
        session.commit()
    assert ended_reason(client) == "revoked"


def test_password_reset_ends_the_accounts_sessions(app):
    """Bug: a session opened before an administrator reset the password stayed open."""
    client = logged_in_client(app, "editor-633")
    with app.app_context():
        session = app.extensions["db"].session()
        target = db_user(app, "editor-633")
        admin.reset_password(session, db_user(app, "admin"), target.id, "mat-khau-moi-2025")
    assert ended_reason(client) == "revoked"
    page = client.get("/login?ended=revoked").get_data(as_text=True)
    assert "Phiên đăng nhập đã kết thúc" in page
    assert AuthActions(client).login("editor-633", "mat-khau-moi-2025").status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("username", "change"),
    [
        ("viewer", {"role": "editor", "district_code": "622"}),
        ("editor-622", {"role": "editor", "district_code": "633"}),
        ("editor-622", {"role": "editor", "district_code": "622", "active": False}),
    ],
    ids=["role", "scope", "deactivated"],
)
def test_role_scope_and_deactivation_end_sessions(app, username, change):
    """Bug: after a change of role, scope or active flag the old session kept its old rights."""
    client = logged_in_client(app, username)
    with app.app_context():
        session = app.extensions["db"].session()
        target = db_user(app, username)
        admin.update_user(session, db_user(app, "admin"), target.id, **change)
    assert ended_reason(client) == "revoked"


def test_a_name_change_keeps_sessions(app):
    """Bug: every edit of an account, even of its display name, logged its user out."""
    client = logged_in_client(app, "editor-622")
    with app.app_context():
        session = app.extensions["db"].session()
        target = db_user(app, "editor-622")
        admin.update_user(
            session,
            db_user(app, "admin"),
            target.id,
            role="editor",
            district_code="622",
            full_name="Tên mới",
        )
    assert is_logged_in(client)


def reset_own_password(dash_caller, admin_id: int, password: str):
    return dash_caller.post(
        "ad-user-msg.children",
        inputs=[
            {"id": "ad-create", "property": "n_clicks", "value": None},
            {"id": "ad-update", "property": "n_clicks", "value": None},
            {"id": "ad-reset", "property": "n_clicks", "value": 1},
        ],
        state=[
            {"id": "ad-username", "property": "value", "value": "admin"},
            {"id": "ad-fullname", "property": "value", "value": ""},
            {"id": "ad-role", "property": "value", "value": "admin"},
            {"id": "ad-district", "property": "value", "value": None},
            {"id": "ad-password", "property": "value", "value": password},
            {"id": "ad-active", "property": "value", "value": True},
            {"id": "ad-users-grid", "property": "selectedRows", "value": [{"id": admin_id}]},
            {"id": "ad-refresh", "property": "data", "value": 0},
            {"id": "ad-email", "property": "value", "value": ""},
        ],
        changed=["ad-reset.n_clicks"],
    )


def test_admin_resetting_own_password_stays_logged_in_here_only(app, auth, client, dash_caller):
    """Bug: resetting one's own password logged the administrator out of the page they were
    using (or left their other sessions open)."""
    elsewhere = logged_in_client(app, "admin")
    auth.login("admin")
    with app.app_context():
        admin_id = db_user(app, "admin").id
    response = reset_own_password(dash_caller, admin_id, "mat-khau-quan-tri-2025")
    assert response.status_code == 200 and "Đã lưu" in json.dumps(
        response.get_json(), ensure_ascii=False
    )
    assert is_logged_in(client)
    assert ended_reason(elsewhere) == "revoked"


def test_remember_me_cookie_does_not_restore_a_session(app):
    """Bug: a Flask-Login remember-me cookie (signed with the app's key) logged its holder in
    without a session, bypassing logout, versions and lifetimes."""
    from flask_login.utils import encode_cookie

    with app.app_context():
        user_id = db_user(app, "viewer").id
    with app.test_request_context():
        token = encode_cookie(str(user_id))
    client = app.test_client()
    client.set_cookie("remember_token", token)
    assert client.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_demo_session_is_refused_outside_demo_mode(database_url, app, app_factory):
    """Bug: a demo account's session cookie made in demo mode worked in a production app that
    shares the secret key and the database (load_user must refuse demo users there)."""
    demo_client = logged_in_client(app, "admin")
    production = app_factory(database_url, APP_MODE="production", SECRET_KEY="test-secret")
    client = production.test_client()
    copy_cookie(demo_client, client)
    assert client.get("/").status_code == 302
    response = client.post("/_dash-update-component", json={"output": "x"})
    assert response.status_code == 401


# --- lifetimes -----------------------------------------------------------------------------


def test_idle_session_is_logged_out_with_a_notice(app, clock):
    """Bug: a session left idle stayed open (cookies lived 31 days)."""
    client = logged_in_client(app, "viewer")
    clock.advance(31)
    response = client.get("/kinh-te-so")
    assert response.status_code == 302
    assert "ended=idle" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không hoạt động quá 30 phút" in page
    assert not is_logged_in(client)


def test_activity_keeps_a_session_open(app, clock):
    """Bug: the idle clock ran from login instead of from the last request."""
    client = logged_in_client(app, "viewer")
    for _ in range(3):
        clock.advance(20)
        assert is_logged_in(client)


def test_session_ends_after_the_absolute_lifetime(database_url, app_factory, clock):
    """Bug: an active session lasted for ever (only the idle time was checked)."""
    app = app_factory(database_url, SESSION_MAX_HOURS=1, SESSION_IDLE_MINUTES=30)
    client = logged_in_client(app, "viewer")
    clock.advance(25)
    assert is_logged_in(client)
    clock.advance(25)
    assert is_logged_in(client)
    clock.advance(25)  # 75 minutes after login, 25 after the last request
    assert ended_reason(client) == "expired"
    page = client.get("/login?ended=expired").get_data(as_text=True)
    assert "quá 1 giờ" in page


def test_expired_dash_request_gets_401_with_the_reason(app, clock):
    """Bug: a Dash callback after expiry still ran (or answered 500 / a generic message)."""
    client = logged_in_client(app, "viewer")
    clock.advance(45)
    response = client.post("/_dash-update-component", json={"output": "x"})
    assert response.status_code == 401
    assert "không hoạt động" in response.get_json()["error"]


def test_cookie_lifetime_is_the_absolute_session_lifetime(app, clock):
    """Bug: the session cookie was kept by the browser for 31 days."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token}
    )
    expires = response.headers["Set-Cookie"].split("Expires=")[1].split(";")[0]
    lifetime = email.utils.parsedate_to_datetime(expires) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=11) < lifetime <= dt.timedelta(hours=12, minutes=1)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(hours=12)


def test_session_without_login_time_is_refused(app):
    """Bug: a session from before this version (no login time, no version) stayed valid."""
    client = logged_in_client(app, "viewer")
    with client.session_transaction() as sess:
        sess.pop("login_at")
    assert ended_reason(client) == "revoked"


# --- migration -----------------------------------------------------------------------------


def test_migration_0003_adds_session_version_with_zero_for_existing_accounts(tmp_path):
    """Bug: the new column was missing from the migrations, or NULL for existing rows."""
    from dashboard.db import make_engine
    from dashboard.migrate import alembic_config, upgrade

    url = f"sqlite:///{tmp_path}/m.sqlite"
    upgrade(url, "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO user_account (username, full_name, password_hash, role, active, "
                "is_demo, created_at) VALUES ('u1', '', 'x', 'viewer', 1, 0, '2024-01-01')"
            )
        )
    upgrade(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT session_version FROM user_account")).scalar() == 0
    from alembic import command

    command.downgrade(alembic_config(url), "0002")
    engine.dispose()
    engine = make_engine(url)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("user_account")}
    assert "session_version" not in columns
    engine.dispose()
