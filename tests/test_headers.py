"""Security headers on every response, no server version banner, the gunicorn settings."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.security import QuietRequestHandler

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_CSP = [
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[0]


def assert_protected(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "same-origin"}
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    for directive in REQUIRED_CSP:
        assert directive in policy, directive
    assert "unsafe-eval" not in policy
    assert "'unsafe-inline'" not in csp(response)["script-src"]


def test_every_kind_of_response_carries_the_headers(client, auth):
    """Catches a response without anti-framing, nosniff, Referrer-Policy or CSP: the login page,
    redirects, Dash pages, callbacks, assets, downloads, health check and error answers."""
    assert_protected(client.get("/login"))
    assert_protected(client.get("/"))  # redirect to the login page
    assert_protected(client.get("/healthz"))
    assert_protected(client.post("/_dash-update-component", json={}))  # 401
    auth.login("viewer")
    for path in ["/", "/kinh-te-so", "/assets/app.css", "/_dash-layout", "/khong-ton-tai"]:
        with client.get(path) as response:
            assert_protected(response)
    assert_protected(client.get("/xuat/summary.csv?period=2023"))
    assert_protected(client.post("/_dash-update-component", json=[1]))  # 400


def test_csp_allows_exactly_the_inline_scripts_of_the_dash_page(client, auth):
    """Catches a CSP without the hash of one of Dash's inline scripts (the renderer or a
    clientside callback): the page would stay blank in the browser. JSON data blocks are not
    scripts and need no hash."""
    auth.login("viewer")
    response = client.get("/")
    html = HTML_COMMENT.sub("", response.get_data(as_text=True))  # never run
    allowed = csp(response)["script-src"].split()
    scripts = [
        body
        for attrs, body in INLINE_SCRIPT.findall(html)
        if "application/json" not in attrs and body.strip()
    ]
    assert scripts, "the Dash page has no inline script: the test would check nothing"
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]


def test_no_hsts_and_no_https_redirect_by_default(client):
    """Catches HSTS sent on a plain-HTTP intranet deployment, a forced HTTPS redirect, or the
    session cookie made Secure while `SESSION_COOKIE_SECURE` is off (the login would break)."""
    plain = client.get("/login")
    assert plain.status_code == 200
    assert "Secure" not in session_cookie(plain)
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_session_cookies_are_secure(app_factory, database_url):
    """Catches HSTS missing behind HTTPS when `SESSION_COOKIE_SECURE` is on, or an HTTPS
    redirect of plain requests (the proxy terminates TLS)."""
    app = app_factory(database_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in session_cookie(secure)
    assert client.get("/login").status_code == 200


def test_framing_is_allowed_for_embedded_charts_only(app_factory, database_url):
    """Catches `EMBED_ALLOWED_ORIGINS` not lifting the framing ban on the embedded chart pages,
    or lifting it anywhere else (more cases in `tests/test_embeds.py`)."""
    app = app_factory(database_url, EMBED_ALLOWED_ORIGINS="https://portal.gialai.gov.vn")
    client = app.test_client()
    embed = client.get("/nhung/tong-quan-xu-huong")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers
    assert csp(embed)["frame-ancestors"] == "https://portal.gialai.gov.vn"
    other = client.get("/login")
    assert other.headers["X-Frame-Options"] == "DENY"
    assert csp(other)["frame-ancestors"] == "'none'"


def test_development_server_hides_its_versions(app):
    """Catches the development server advertising `Werkzeug/x Python/y`."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz") as reply:
            banner = reply.headers["Server"]
    finally:
        server.shutdown()
        server.server_close()
    assert "Werkzeug" not in banner and "Python" not in banner


def test_gunicorn_settings_read_the_environment(monkeypatch):
    """Catches a gunicorn configuration without a worker timeout or that ignores `PORT` and
    `WEB_CONCURRENCY`."""
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["bind"].endswith(":9123")
    assert settings["workers"] == 3
    assert settings["worker_class"] == "sync"
    assert 0 < settings["timeout"] <= 120 and settings["graceful_timeout"] > 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_when_up(url: str, process: subprocess.Popen, attempts: int = 150):
    for _ in range(attempts):
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {process.stdout.read()}")
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer")


@pytest.fixture
def gunicorn_server(template_url, tmp_path):
    """The application under gunicorn (one worker, production's configuration) on a copy of the
    test database: its base URL once `/healthz` answers."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None or not template_url.startswith("sqlite"):
        pytest.skip("gunicorn not installed, or not on SQLite")
    database = tmp_path / "gunicorn.sqlite"
    shutil.copy(template_url.split("///", 1)[1], database)
    port = _free_port()
    env = {
        **os.environ,
        "APP_MODE": "test",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{database}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    process = subprocess.Popen(
        [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _get_when_up(f"{base}/healthz", process).close()
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


def test_gunicorn_sends_no_version_banner(gunicorn_server):
    """Catches the production server advertising its version in `Server`, and checks that the
    application's security headers pass through gunicorn."""
    with urllib.request.urlopen(f"{gunicorn_server}/healthz", timeout=10) as reply:
        headers = reply.headers
    assert headers["Server"] == "gunicorn"
    assert headers["X-Frame-Options"] == "DENY"
