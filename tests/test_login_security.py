"""Login hardening: equal work for unknown accounts, throttling per address across usernames,
in-memory fallback when Redis is down, the generated secret key, the password policy."""

from __future__ import annotations

import logging
import os
import stat
import uuid

import pytest
import sqlalchemy as sa

from dashboard.auth import login as login_module
from dashboard.auth import passwords
from dashboard.auth.passwords import check_password
from dashboard.config import ConfigError, finalize, instance_secret_key, load_config
from dashboard.models import User
from tests.conftest import PASSWORD, csrf_token

REDIS_DOWN = "redis://127.0.0.1:1/0"


def attempt(client, username, password="sai-mat-khau-1"):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    ).status_code


# --- password policy (no database) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "username", "fragment"),
    [
        ("12345678", "canbo", "ít nhất 10 ký tự"),
        ("abc", "canbo", "ít nhất 10 ký tự"),
        (None, "canbo", "ít nhất 10 ký tự"),
        ("1234567890", "canbo", "phổ biến"),
        ("QwertyUiop", "canbo", "phổ biến"),
        ("password123", "canbo", "phổ biến"),
        ("canbo.chuse", "canbo.chuse", "tên đăng nhập"),
        ("Canbo.Chuse-2025", "canbo.chuse", "tên đăng nhập"),
        ("x" * 201, "canbo", "tối đa 200"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(password, username, fragment):
    """Bug: short, common or username-based passwords were accepted (`12345678` was)."""
    problems = check_password(password, username)
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("password", "username"),
    [(PASSWORD, "viewer"), ("demo-ntm-2025", "editor-622"), ("mat-khau-moi-2025", "admin")],
)
def test_reasonable_passwords_pass(password, username):
    """Bug: the policy refused the passwords the tests and the demo loader use."""
    assert check_password(password, username) == []


# --- secret key ----------------------------------------------------------------------------


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    """Bug: without SECRET_KEY the demo used the constant `insecure-demo-key`, so anyone could
    forge a session cookie; a new key on every start would log everybody out."""
    monkeypatch.chdir(tmp_path)
    env = {"APP_MODE": "demo"}
    first = finalize(load_config(env))["SECRET_KEY"]
    again = finalize(load_config(env))["SECRET_KEY"]
    path = tmp_path / "instance" / "secret_key"
    assert first == again == path.read_text().strip()
    assert len(first) >= 64 and "insecure" not in first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_each_installation_gets_its_own_key(tmp_path):
    """Bug: the key was the same on every installation (a constant or a fixed seed)."""
    assert instance_secret_key(tmp_path / "a") != instance_secret_key(tmp_path / "b")
    assert not list((tmp_path / "a").glob(".secret_key.*"))  # no leftovers of the write


def test_an_unusable_key_file_is_refused(tmp_path):
    """Bug: an empty key file (say, a crash while writing) silently gave an empty key."""
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(ConfigError, match="secret_key"):
        instance_secret_key(tmp_path)


def test_production_still_requires_secret_key(tmp_path, monkeypatch):
    """Bug: production quietly used a generated key instead of refusing to start."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        finalize(load_config({"APP_MODE": "production"}))
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_bad_session_lifetimes_are_refused(value):
    """Bug: a typo in SESSION_IDLE_MINUTES gave a traceback or a session that never expires."""
    with pytest.raises(ConfigError, match="SESSION_IDLE_MINUTES"):
        load_config({"SESSION_IDLE_MINUTES": value})


def test_session_lifetimes_come_from_the_environment():
    """Bug: the lifetimes were fixed (31 days) whatever the settings said."""
    config = load_config({"SESSION_IDLE_MINUTES": "15", "SESSION_MAX_HOURS": "8"})
    assert (config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"]) == (15, 8)
    defaults = load_config({})
    assert (defaults["SESSION_IDLE_MINUTES"], defaults["SESSION_MAX_HOURS"]) == (30, 12)
    assert defaults["LOGIN_RATE_LIMIT_PER_ADDRESS"] == "20 per minute"
    custom = load_config({"LOGIN_RATE_LIMIT_PER_ADDRESS": "7 per hour"})
    assert custom["LOGIN_RATE_LIMIT_PER_ADDRESS"] == "7 per hour"


def test_passwords_are_stored_with_scrypt(monkeypatch):
    """Catches a server storing passwords with a weaker method than scrypt (the suite itself
    hashes fast, `tests/conftest.py`), and a check that accepts a wrong password."""
    assert passwords.DEFAULT_HASH_METHOD == "scrypt"
    monkeypatch.setattr(passwords, "HASH_METHOD", passwords.DEFAULT_HASH_METHOD)
    stored = passwords.hash_password("mat-khau-rat-dai-1")
    assert stored.startswith("scrypt:32768:8:1$")
    assert passwords.password_matches(stored, "mat-khau-rat-dai-1")
    assert not passwords.password_matches(stored, "mat-khau-rat-dai-2")


# --- login (database) ----------------------------------------------------------------------


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password hash the login checks, in order."""
    seen: list[str] = []
    real = passwords.password_matches

    def spy(stored, password):
        seen.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "password_matches", spy)
    return seen


@pytest.mark.db
def test_unknown_inactive_and_demo_accounts_cost_one_hash_check(
    database_url, app, app_factory, hash_checks
):
    """Bug: a wrong password for an existing account took ~170 ms and for an unknown one
    ~10 ms (no hash was checked), which told an attacker which usernames exist."""
    client = app.test_client()
    assert attempt(client, "viewer") == 401
    real_method = hash_checks[-1].split("$")[0]
    assert attempt(client, "khong-ton-tai") == 401
    assert len(hash_checks) == 2
    assert hash_checks[-1].split("$")[0] == real_method
    assert hash_checks[-1] == login_module.dummy_password_hash()
    # A demo account outside demo mode, even with the right password.
    production = app_factory(database_url, APP_MODE="production", SECRET_KEY="x" * 40)
    assert attempt(production.test_client(), "viewer", PASSWORD) == 401
    assert len(hash_checks) == 3
    assert hash_checks[-1] == login_module.dummy_password_hash()


@pytest.mark.db
def test_inactive_account_costs_a_dummy_hash_check(app, hash_checks):
    """Bug: an inactive account answered at once, without checking a hash."""
    with app.app_context():
        session = app.extensions["db"].session()
        session.execute(sa.update(User).where(User.username == "viewer").values(active=False))
        session.commit()
    assert attempt(app.test_client(), "viewer", PASSWORD) == 401
    assert hash_checks == [login_module.dummy_password_hash()]


@pytest.mark.db
def test_password_spraying_from_one_address_is_throttled(app):
    """Bug: the limit key was address|username, so 30 usernames sprayed from one address never
    reached a limit."""
    client = app.test_client()
    for i in range(20):
        assert attempt(client, f"ten-{i}") == 401
    assert attempt(client, "ten-20") == 429
    response_page = client.get("/login")
    assert response_page.status_code == 200  # the form itself is not throttled
    assert attempt(client, "viewer", PASSWORD) == 429  # even a right password, for a while


@pytest.mark.db
def test_address_limit_is_configurable_and_counts_only_failures(database_url, app_factory):
    """Bug: the per-address limit ignored LOGIN_RATE_LIMIT_PER_ADDRESS, or counted successful
    logins too (an office behind one address could not log in)."""
    app = app_factory(database_url, LOGIN_RATE_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    for _ in range(4):
        assert attempt(client, "viewer", PASSWORD) == 302
        client.get("/logout")
    for name in ("a-1", "a-2", "a-3"):
        assert attempt(client, name) == 401
    assert attempt(client, "a-4") == 429


@pytest.mark.db
def test_login_works_and_is_throttled_in_memory_with_redis_down(database_url, app_factory, caplog):
    """Bug: with Redis unreachable nobody could log in (500), and the fallback was silent."""
    app = app_factory(
        database_url, RATELIMIT_STORAGE_URI=REDIS_DOWN, RATELIMIT_KEY_PREFIX=uuid.uuid4().hex
    )
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        assert attempt(client, "viewer", PASSWORD) == 302
    degraded = [
        r for r in caplog.records if r.name == app.logger.name and r.levelno == logging.WARNING
    ]
    assert len(degraded) == 1 and "degraded" in degraded[0].getMessage()
    assert login_module.login_throttle_degraded(app)
    client.get("/logout")
    for _ in range(5):
        assert attempt(client, "viewer") == 401
    assert attempt(client, "viewer", PASSWORD) == 429


@pytest.mark.db
def test_storage_failure_while_counting_a_failure_is_not_a_500(app, monkeypatch):
    """Bug: when the storage failed while a failed login was being counted (after the view),
    the user got a 500 instead of the login page."""
    storage = app.extensions["login_limiter"].storage

    def broken(*_args, **_kwargs):
        raise ConnectionError("storage went away")

    monkeypatch.setattr(storage, "incr", broken)
    assert attempt(app.test_client(), "viewer") == 401


@pytest.mark.db
def test_rate_limit_storage_ok_reports_the_storage(database_url, app, app_factory):
    """Bug: /healthz could not tell a dead rate-limit storage from a live one."""
    assert login_module.rate_limit_storage_ok(app) is True  # memory
    down = app_factory(database_url, RATELIMIT_STORAGE_URI=REDIS_DOWN)
    assert login_module.rate_limit_storage_ok(down) is False


@pytest.mark.db
def test_rate_limit_storage_ok_with_a_live_redis(database_url, app_factory):
    """Bug: a reachable Redis was reported as down (wrong options or database)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis not reachable at {url}")
    app = app_factory(database_url, RATELIMIT_STORAGE_URI=url)
    assert login_module.rate_limit_storage_ok(app) is True


@pytest.mark.db
def test_login_with_the_right_password_still_works(auth, client):
    """Bug: the dummy-hash path refused real accounts too."""
    assert auth.login("viewer").status_code == 302
    assert client.get("/").status_code == 200
