"""Login, the login guard, throttling, cookies, safe redirects, configuration checks."""

import pytest

from dashboard.config import ConfigError
from tests.conftest import PASSWORD, csrf_token

pytestmark = pytest.mark.db

PROTECTED = [
    "/",
    "/chinh-quyen-so",
    "/kinh-te-so",
    "/xa-hoi-so",
    "/mo-hinh-thi-diem",
    "/dao-tao",
    "/xuat/summary.csv",
]


@pytest.mark.parametrize("path", PROTECTED)
def test_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_dash_endpoints_refuse_anonymous_requests(client):
    assert client.get("/_dash-layout").status_code == 401
    response = client.post("/_dash-update-component", json={"output": "x"})
    assert response.status_code == 401
    assert "đăng nhập" in response.get_json()["error"]


def test_login_page_and_healthz_are_public(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<label class="form-label" for="username">Tên đăng nhập</label>' in html
    assert 'name="csrf_token"' in html
    health = client.get("/healthz").get_json()
    assert (health["status"], health["database"]) == ("ok", "ok")


def test_login_and_logout(client, auth):
    response = auth.login("viewer")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_in_vietnamese(auth):
    response = auth.login("viewer", "wrong-password")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert response.status_code == 400
    assert "Phiên biểu mẫu đã hết hạn" in response.get_data(as_text=True)


def test_login_is_throttled_after_five_failures(client, auth):
    for _ in range(5):
        assert auth.login("viewer", "wrong").status_code == 401
    response = auth.login("viewer", "wrong")
    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in response.get_data(as_text=True)
    assert auth.login("viewer").status_code == 429  # even the right password, for a minute
    # Another username from the same address is not blocked.
    assert auth.login("admin").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/kinh-te-so?period=2023", "/kinh-te-so?period=2023"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_next_redirect_stays_on_site(auth, target, expected):
    response = auth.login("viewer", next_url=target)
    assert response.headers["Location"] == expected


def test_session_cookie_flags(app, auth):
    response = auth.login("viewer")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookie_when_configured(database_url, app_factory):
    app = app_factory(database_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token}
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_secret_key_is_required_in_production(database_url, app_factory):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        app_factory(database_url, APP_MODE="production", SECRET_KEY=None)


def test_demo_accounts_do_not_work_outside_demo_mode(database_url, app_factory):
    app = app_factory(database_url, APP_MODE="production", SECRET_KEY="prod-secret")
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 401


def test_inactive_user_cannot_log_in(app, auth):
    import sqlalchemy as sa

    from dashboard.models import User

    with app.app_context():
        session = app.extensions["db"].session()
        session.scalar(sa.select(User).where(User.username == "viewer")).active = False
        session.commit()
    assert auth.login("viewer").status_code == 401


def test_healthz_reports_an_unreachable_database(tmp_path, app_factory):
    app = app_factory(f"sqlite:///{tmp_path}/x.sqlite")
    app.extensions["db"].engine.dispose()
    from dashboard.db import Database

    broken = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    app.extensions["db"] = broken
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_unknown_path_shows_404_page(client, auth):
    auth.login("viewer")
    response = client.get("/khong-ton-tai")
    assert response.status_code == 404


def test_throttle_is_shared_by_workers_through_redis(database_url, app_factory):
    """Two application instances (as two gunicorn workers) count failures together."""
    import os
    import uuid

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis not reachable at {url}")
    prefix = f"test-{uuid.uuid4().hex}"
    workers = [
        app_factory(database_url, RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix)
        for _ in range(2)
    ]
    clients = [w.test_client() for w in workers]

    def attempt(client, password):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        return client.post(
            "/login", data={"username": "viewer", "password": password, "csrf_token": token}
        ).status_code

    for i in range(5):
        assert attempt(clients[i % 2], "wrong") == 401
    assert attempt(clients[0], "wrong") == 429
    assert attempt(clients[1], PASSWORD) == 429
