"""Faults degrade clearly: a database outage answers a readable 503, malformed requests 400,
anything else a 500 in Vietnamese; `/healthz` reports each dependency."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa
from dash import Input, Output

from dashboard.db import Database
from dashboard.models import AuditLog
from dashboard.services import indicators as indicators_svc
from tests.conftest import PASSWORD, csrf_token

pytestmark = pytest.mark.db

DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/x"
DOWN_TITLE = "Tạm thời không truy cập được cơ sở dữ liệu"
OVERVIEW = (
    "..ov-progress.children...ov-cards.children...ov-trend.figure...ov-ranking.figure"
    "...ov-map.figure...ov-map-attribution.children...ov-link.href...ov-export-cards-csv.href"
    "...ov-export-cards-xlsx.href...ov-export-trend-csv.href...ov-export-trend-xlsx.href"
    "...ov-export-ranking-csv.href...ov-export-ranking-xlsx.href...ov-indicator-info.children"
    "...ov-trend-title.children...ov-ranking-title.children...ov-map-title.children.."
)


def overview_body(**changes) -> dict:
    """A well-formed request for the overview's callback (17 outputs, 4 inputs)."""
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in OVERVIEW.strip(".").split("...")
    ]
    body = {
        "output": OVERVIEW,
        "outputs": outputs,
        "inputs": [
            {"id": "ov-period", "property": "value", "value": "2023"},
            {"id": "ov-district", "property": "value", "value": None},
            {"id": "ov-indicator", "property": "value", "value": None},
            {"id": "data-mode", "property": "value", "value": "all"},
        ],
        "state": [],
        "changedPropIds": ["ov-period.value"],
    }
    body.update(changes)
    return body


def raw_utf8(response) -> str:
    return response.get_data().decode("utf-8")


def break_database(app) -> None:
    """Point the application at a database server that refuses connections."""
    app.extensions["db"].dispose()
    app.extensions["db"] = Database(DOWN_URL)


# --- database outage ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/chinh-quyen-so?period=2023", "/quan-tri", "/nhat-ky"])
def test_pages_answer_a_readable_503_when_the_database_is_down(app, client, auth, path):
    """Catches a database outage shown as a bare 500 (or escaped JSON) on a page: the login
    guard loads the user from the database before anything else runs."""
    auth.login("admin")
    break_database(app)
    response = client.get(path)
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    html = raw_utf8(response)
    assert DOWN_TITLE in html and "Không có dữ liệu nào bị thay đổi" in html
    assert "<script" not in html and "/assets/vendor/bootstrap.min.css" in html


@pytest.mark.parametrize(
    "method,path",
    [
        ("post", "/_dash-update-component"),
        ("get", "/_dash-layout"),
        ("get", "/_dash-dependencies"),
        ("get", "/xuat/summary.csv?period=2023"),
        ("get", "/nhap-lieu/mau.xlsx?district=622&period=2024"),
    ],
)
def test_api_paths_answer_utf8_json_503_when_the_database_is_down(app, client, auth, method, path):
    """Catches JSON answers with `\\u` escapes, or HTML, or 500, for callbacks and downloads
    during a database outage."""
    auth.login("admin")
    break_database(app)
    kwargs = {"json": overview_body()} if method == "post" else {}
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    text = raw_utf8(response)
    assert "\\u" not in text and "cơ sở dữ liệu" in text
    assert response.get_json()["error"].startswith("Hệ thống tạm thời không kết nối")


def test_login_post_answers_503_on_an_unreachable_postgresql(app_factory):
    """Catches the login form crashing with a 500 when PostgreSQL refuses connections (the
    application is built on a server that is down from the start)."""
    app = app_factory(DOWN_URL)
    client = app.test_client()
    page = client.get("/login")
    assert page.status_code == 200  # the form itself needs no database
    token = csrf_token(page.get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "admin", "password": "x" * 12, "csrf_token": token}
    )
    assert response.status_code == 503
    assert DOWN_TITLE in raw_utf8(response)


def test_database_error_inside_a_callback_answers_503_json(client, auth, monkeypatch):
    """Catches an OperationalError raised in a callback's body (not in the login guard) being
    turned into a 400 by the callback guard, or into a bare 500."""
    auth.login("viewer")

    def lost_connection(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(indicators_svc, "summary", lost_connection)
    response = client.post("/_dash-update-component", json=overview_body())
    assert response.status_code == 503
    assert "cơ sở dữ liệu" in raw_utf8(response)


# --- server errors ---------------------------------------------------------------------------


def test_unexpected_error_gives_html_500_for_browsers_and_rolls_back(app, client, auth):
    """Catches a 500 answered as JSON to a browser, in English, or with the failed transaction
    left open (the handler must roll the session back)."""
    rollbacks = []
    db = app.extensions["db"]

    def boom():
        db.session.rollback = lambda: rollbacks.append(True)
        raise RuntimeError("unexpected")

    app.add_url_rule("/thu-loi", "boom", boom)
    auth.login("viewer")
    response = client.get("/thu-loi")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "Đã xảy ra lỗi hệ thống" in raw_utf8(response)
    assert rollbacks == [True]


def test_unexpected_error_in_a_callback_body_stays_a_500_json(app, client, auth):
    """Catches the callback guard calling a bug in a callback's own code (a KeyError raised by
    the body) a malformed request: that is a server fault, 500, not the client's 400."""
    dash_app = app.extensions["dash_app"]

    @dash_app.callback(Output("test-out", "children"), Input("test-in", "value"))
    def failing(_value):
        return {}["missing"]

    auth.login("viewer")
    response = client.post(
        "/_dash-update-component",
        json={
            "output": "test-out.children",
            "outputs": {"id": "test-out", "property": "children"},
            "inputs": [{"id": "test-in", "property": "value", "value": 1}],
            "changedPropIds": ["test-in.value"],
        },
    )
    assert response.status_code == 500
    assert response.get_json() == {"error": "Đã xảy ra lỗi hệ thống. Vui lòng thử lại."}


# --- malformed callback requests -------------------------------------------------------------

MALFORMED = {
    "not json": {"data": "{output: 1", "content_type": "application/json"},
    "empty body": {"data": "", "content_type": "application/json"},
    "json list": {"json": [overview_body()]},
    "json string": {"json": "output"},
    "json null": {"data": "null", "content_type": "application/json"},
    "not declared as json": {"data": json.dumps(overview_body()), "content_type": "text/plain"},
    "output missing": {"json": {k: v for k, v in overview_body().items() if k != "output"}},
    "output not a string": {"json": overview_body(output=["ov-cards.children"])},
    "unknown output": {"json": overview_body(output="nope.children")},
    "outputs missing": {"json": {k: v for k, v in overview_body().items() if k != "outputs"}},
    "outputs a string": {"json": overview_body(outputs="ov-cards.children")},
    "outputs too few": {"json": overview_body(outputs=overview_body()["outputs"][:2])},
    "outputs of another component": {
        "json": overview_body(
            outputs=[{"id": "pl-summary", "property": "children"}, *overview_body()["outputs"][1:]]
        )
    },
    "inputs missing": {"json": {k: v for k, v in overview_body().items() if k != "inputs"}},
    "inputs not a list": {"json": overview_body(inputs={"id": "ov-period", "value": "2023"})},
    "input items not objects": {"json": overview_body(inputs=["2023", None, None, "all"])},
    "input without property": {
        "json": overview_body(inputs=[{"id": "ov-period", "value": "2023"}] * 4)
    },
    "input id a number": {
        "json": overview_body(inputs=[{"id": 5, "property": "value", "value": 1}] * 4)
    },
    "wrong number of inputs": {"json": overview_body(inputs=overview_body()["inputs"][:1])},
    "state not a list": {"json": overview_body(state="x")},
    "extra state": {"json": overview_body(state=[{"id": "a", "property": "b", "value": 1}])},
    "changedPropIds not a list": {"json": overview_body(changedPropIds="ov-period.value")},
    "changedPropIds of numbers": {"json": overview_body(changedPropIds=[1, 2])},
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_callback_bodies_get_a_vietnamese_400(client, auth, case):
    """Catches a malformed `/_dash-update-component` body reaching Dash's dispatch and failing
    there with a 500 (wrong JSON, wrong types, unknown output, counts that do not match)."""
    auth.login("viewer")
    response = client.post("/_dash-update-component", **MALFORMED[case])
    assert response.status_code == 400, raw_utf8(response)
    assert response.mimetype == "application/json"
    message = response.get_json()["error"]
    assert "không hợp lệ" in message or "không đúng định dạng JSON" in message
    assert "\\u" not in raw_utf8(response)


def test_a_well_formed_callback_body_still_answers(client, auth):
    """Catches a callback shape check so strict that the application's own requests fail."""
    auth.login("viewer")
    response = client.post("/_dash-update-component", json=overview_body())
    assert response.status_code == 200
    assert "ov-cards" in response.get_json()["response"]


def test_malformed_write_callback_changes_nothing(app, client, auth):
    """Catches a malformed save request that is refused only after writing (an audit row or a
    value): the refusal must come before the callback runs."""

    def audit_rows() -> int:
        with app.app_context():
            return app.extensions["db"].session().scalar(sa.select(sa.func.count(AuditLog.id)))

    before = audit_rows()
    auth.login("admin")
    response = client.post(
        "/_dash-update-component",
        json={
            "output": "pl-edit-feedback.children",
            "outputs": {"id": "pl-edit-feedback", "property": "children"},
            "inputs": [{"id": "pl-edit-save", "property": "n_clicks", "value": 1}],
            "state": [{"id": "pl-edit-unit", "property": "value", "value": 1}],
            "changedPropIds": ["pl-edit-save.n_clicks"],
        },
    )
    assert response.status_code == 400
    assert audit_rows() == before


def test_anonymous_malformed_callback_still_gets_401(client):
    """Catches the shape check running before the login guard (which would tell an anonymous
    client about the application's callbacks)."""
    response = client.post("/_dash-update-component", json={"output": "nope"})
    assert response.status_code == 401


def test_oversized_callback_body_gets_a_vietnamese_413(app_factory, database_url):
    """Catches a body over MAX_CONTENT_LENGTH answered with werkzeug's English page or a 500."""
    app = app_factory(database_url, MAX_CONTENT_LENGTH=64 * 1024)
    client = app.test_client()
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    response = client.post(
        "/_dash-update-component", json=overview_body(padding="x" * (128 * 1024))
    )
    assert response.status_code == 413
    assert "quá lớn (tối đa 0,1 MB)" in response.get_json()["error"]


# --- other requests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "{", "content_type": "application/json"},
        {"json": [1, 2]},
        {"json": "viewer"},
        {"json": {"username": 1, "password": 2, "csrf_token": 3}},
        {"json": {"username": {"a": 1}, "password": [1, 2]}},
    ],
    ids=["bad json", "list", "string", "numbers", "nested"],
)
def test_bad_json_to_the_login_form_gets_400(client, kwargs):
    """Catches JSON bodies that Flask-WTF reads as form data crashing the login view (500)."""
    response = client.post("/login", **kwargs)
    assert response.status_code == 400
    assert "\\u" not in raw_utf8(response)


def test_login_without_csrf_token_gets_400_not_500(client):
    """Catches a missing CSRF token on the login form answered with a server error."""
    response = client.post("/login", data={"username": "viewer", "password": "x"})
    assert response.status_code == 400


def test_wrong_method_gets_a_vietnamese_405(client, auth):
    """Catches werkzeug's English 405 page on a wrong method."""
    auth.login("viewer")
    response = client.post("/_dash-layout", json={})
    assert response.status_code == 405
    assert "không hỗ trợ" in response.get_json()["error"]
    assert "GET" in response.headers["Allow"]


# --- /healthz --------------------------------------------------------------------------------


def test_healthz_reports_each_dependency(client):
    """Catches a health report that omits the rate-limit storage or calls memory storage
    unreachable."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "rate_limit_storage": "memory",
    }


def test_healthz_503_when_redis_is_down(app_factory, database_url):
    """Catches `/healthz` saying ok while the Redis that counts failed logins is unreachable."""
    app = app_factory(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "database": "ok",
        "rate_limit_storage": "unreachable",
    }


def test_healthz_redis_can_be_optional(app_factory, database_url):
    """Catches the `HEALTHZ_REQUIRE_RATE_LIMIT_STORAGE` switch being ignored."""
    app = app_factory(
        database_url,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
        HEALTHZ_REQUIRE_RATE_LIMIT_STORAGE=False,
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["rate_limit_storage"] == "unreachable"


def test_healthz_ok_with_a_live_redis(app_factory, database_url):
    """Catches a health check that cannot see a working Redis."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    app = app_factory(database_url, RATELIMIT_STORAGE_URI=url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["rate_limit_storage"] == "ok"


def test_healthz_503_when_the_database_is_down(app_factory):
    """Catches `/healthz` reporting ok, or failing with 500, when the database is down."""
    app = app_factory(DOWN_URL)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert response.get_json()["status"] == "error"


def test_health_checks_give_up_on_a_hanging_dependency():
    """Catches a check that hangs holding the request: it must count as down after the
    timeout."""
    from dashboard import run_checks

    results = run_checks({"slow": lambda: time.sleep(5) or True, "fast": lambda: True}, 0.2)
    assert results == {"slow": False, "fast": True}
