"""Publishing attacked from outside and from each role: public embeds `/nhung/<chart-id>`, the
embed builder's callbacks, the open-data API `/api/v1/...` and the language switch.

Each test names the attack it replays. Some pin guarantees that hold (guards); the others
describe a weakness found in review and fail until it is fixed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from urllib.parse import urlsplit

import plotly
import pytest
import sqlalchemy as sa

from dashboard.db import Database
from dashboard.embeds import asset_version
from dashboard.models import AuditLog, EmbedChart, EmbedLink, IndicatorValue, OrgUnit, User
from dashboard.services import embed_admin as admin_svc
from dashboard.services import embeds as embed_svc
from dashboard.services import indicators as ind_svc
from dashboard.services import workflow

pytestmark = pytest.mark.db

DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/x"
CHART = "tong-quan-xu-huong"
SECRET_LABEL = "Nhãn nội bộ XYZ-7731"
ORIGINS = "https://portal.gialai.gov.vn"


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def break_database(app) -> None:
    """Point the application at a database server that refuses connections."""
    app.extensions["db"].dispose()
    app.extensions["db"] = Database(DOWN_URL)


def session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def make_link(app) -> tuple[int, str]:
    """A signed link made by the administrator: its id and token."""
    with app.app_context():
        session = app.extensions["db"].session()
        expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        link = admin_svc.create_link(
            session, user(session, "admin"), CHART, {"period": "2022"}, SECRET_LABEL, expires
        )
        return link.id, embed_svc.sign_token(link)


def post_callback(app, client, key_part: str, inputs: list, state: list | None = None):
    """Replay the callback whose key contains `key_part` (its outputs as Dash declares them)."""
    keys = [k for k in app.extensions["dash_app"].callback_map if key_part in k]
    assert len(keys) == 1, keys
    key = keys[0]
    outputs = []
    for out in key.strip(".").split("..."):
        component, prop = out.rsplit(".", 1)
        outputs.append({"id": component, "property": prop.split("@")[0]})
    body = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body)


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        session = app.extensions["db"].session()
        return tuple(
            session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (EmbedLink, EmbedChart, AuditLog)
        )


# --- findings: caching and the session cookie ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/kpis?period=2022",
        "/api/v1/indicators",
        "/api/v1/openapi.json",
        "/nhung/static/embed.js",
        f"/nhung/static/plotly.min.js?v={plotly.__version__}",
    ],
)
def test_publicly_cacheable_answers_never_carry_a_session_cookie(client, auth, path):
    """Attack: a signed-in administrator (or viewer) opens the open data or an embed asset
    through a shared cache (the portal's proxy). The answer says `Cache-Control: public` (a
    year and `immutable` for Plotly's bundle) and also re-sends `Set-Cookie: session=...`: a
    cache that keeps it hands the administrator's session to the next visitor. `login.py`
    promises that `/nhung/` and `/api/v1/` never send the session cookie."""
    auth.login("admin")
    if "embed.js" in path:
        path += f"?v={asset_version('embed.js')}"
    with client.get(path) as response:
        assert response.status_code == 200
        public = "public" in response.headers.get("Cache-Control", "")
        cookies = session_cookies(response)
    assert public, "the answer is meant to be publicly cacheable"
    assert not cookies, f"{path}: public cache answer re-sends the session cookie {cookies[0][:40]}"


# --- findings: a stopped database -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"), [(f"/nhung/{CHART}?period=2022", 503), ("/nhung/khong-ton-tai", 404)]
)
def test_embeds_answer_a_small_page_to_a_signed_in_visitor_when_the_database_is_down(
    app, client, auth, path, status
):
    """Attack: the database stops while a signed-in user (the builder's preview, or a user
    who opens an embed link) views an embed. The embed's error page is rendered with the
    context processors, so Flask-Login loads the user from the stopped database inside the
    error handler: a bare 500 (an unhandled OperationalError), even for an unknown chart."""
    auth.login("viewer")
    break_database(app)
    try:
        response = client.get(path)
    except sa.exc.SQLAlchemyError as exc:
        pytest.fail(f"{path}: unhandled {type(exc).__name__} (a bare 500) instead of {status}")
    assert response.status_code == status
    assert 'id="embed-error-message"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


# --- findings: parameters ---------------------------------------------------------------------


def test_api_district_with_a_nul_byte_is_a_400_not_a_500(client):
    """Attack: `district=62%002`. PostgreSQL refuses text with a NUL byte, so the raw value
    sent to the database raises a DataError: an anonymous 500 (and an error log entry) on
    demand. (SQLite accepts it; this fails when run on PostgreSQL.)"""
    response = client.get("/api/v1/kpis?period=2022&district=62%002")
    assert response.status_code == 400
    assert response.get_json()["field"] == "district"


def test_embed_parameter_with_a_trailing_newline_is_refused(client):
    """Attack: `district=622%0A`. `PARAM_VALUE` ends with `$`, which also matches before a
    final newline, so the value passes the "codes only" check and reaches the database (and
    each such variant is a new public cache entry)."""
    for query in ("district=622%0A", "indicator=GOV-C8_4%0A"):
        response = client.get(f"/nhung/{CHART}?{query}")
        assert response.status_code == 400, query


def test_unknown_api_path_is_a_json_404(client):
    """Attack: a client probing `/api/v1/<anything>` gets the dashboard's HTML page (Dash's
    catch-all) instead of the API's JSON error, without the CORS header API clients read."""
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.headers.get("Access-Control-Allow-Origin") == "*"


def test_api_lang_is_either_applied_or_refused(client):
    """Attack: `lang=en%20`. `_params` strips the value and accepts it as English, while
    `_request_lang` compares the raw value and answers in Vietnamese: an accepted parameter
    that is silently not applied."""
    response = client.get("/api/v1/indicators?lang=en%20")
    if response.status_code == 200:
        row = next(r for r in response.get_json()["data"] if r["code"] == "GOV-C8_4")
        assert row["name"] == row["name_en"], "accepted lang=en but answered in Vietnamese"
    else:
        assert response.status_code == 400 and response.get_json()["field"] == "lang"


def test_api_csv_stays_inert_where_the_list_separator_is_a_semicolon(client, session):
    """Attack: a unit name `Xã A;=cmd|' /C calc'!A0;x`. Excel with Vietnamese regional
    settings (decimal comma, list separator `;`) splits the CSV line at `;`, so the cell
    after it is exactly `=cmd|...` and runs as a formula; the leading-character check never
    sees it, as the text does not start with `=` (OWASP: also quote every cell)."""
    commune = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23590").order_by(OrgUnit.valid_from)
    )
    commune.name = "Xã A;=cmd|' /C calc'!A0;x"
    session.commit()
    text = client.get("/api/v1/units?period=2023&format=csv").get_data().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert any("calc" in cell for cell in cells)
    assert not [c for c in cells if c.lstrip().startswith(("=", "+", "@"))]


# --- guards: the embed builder's callbacks -------------------------------------------------


def test_anonymous_replayed_builder_writes_get_401_and_change_nothing(app, client):
    """Guard: an anonymous caller replaying the create, revoke and chart-setting callbacks is
    refused before any callback runs; nothing is written."""
    link_id, _token = make_link(app)
    before = counts(app)
    state = {"id": link_id, "version": 1}
    create = post_callback(
        app,
        client,
        "..ea-msg.children...",
        inputs=[
            {"id": "ea-create", "property": "n_clicks", "value": 1},
            {"id": "ea-update", "property": "n_clicks", "value": None},
        ],
        state=[
            {"id": "ea-chart", "property": "value", "value": CHART},
            {"id": "ea-period", "property": "value", "value": "2022"},
            {"id": "ea-district", "property": "value", "value": ""},
            {"id": "ea-indicator", "property": "value", "value": "GOV-C8_4"},
            {"id": "ea-label", "property": "value", "value": "x"},
            {"id": "ea-expires", "property": "value", "value": "2030-01-01"},
            {"id": "ea-link", "property": "data", "value": None},
            {"id": "ea-refresh", "property": "data", "value": 0},
        ],
    )
    revoke = post_callback(
        app,
        client,
        "..ea-msg.children@",
        inputs=[{"id": "ea-revoke-confirm", "property": "submit_n_clicks", "value": 1}],
        state=[
            {"id": "ea-link", "property": "data", "value": state},
            {"id": "ea-refresh", "property": "data", "value": 0},
        ],
    )
    chart = post_callback(
        app,
        client,
        "..ea-chart-msg.children...",
        inputs=[{"id": "ea-chart-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ea-chart", "property": "value", "value": CHART},
            {"id": "ea-private", "property": "value", "value": True},
            {"id": "ea-lock", "property": "value", "value": []},
            {"id": "ea-period", "property": "value", "value": "2022"},
            {"id": "ea-district", "property": "value", "value": ""},
            {"id": "ea-indicator", "property": "value", "value": "GOV-C8_4"},
            {"id": "ea-chart-version", "property": "data", "value": None},
            {"id": "ea-refresh", "property": "data", "value": 0},
        ],
    )
    for response in (create, revoke, chart):
        assert response.status_code == 401, response.get_data(as_text=True)[:200]
    assert counts(app) == before
    with app.app_context():
        assert app.extensions["db"].session().get(EmbedLink, link_id).revoked_at is None


@pytest.mark.parametrize("name", [None, "viewer", "editor-622", "admin"])
def test_builder_read_callbacks_reveal_no_link_to_non_admins(app, client, auth, name):
    """Guard: replaying the builder's read callbacks (choose a link, preview, chart form,
    link buttons) as anyone but an administrator reveals no label and no token; the
    administrator does get both (the check can see them)."""
    link_id, token = make_link(app)
    if name:
        auth.login(name)
    state = {"id": link_id, "version": 1}
    replies = [
        post_callback(
            app,
            client,
            "ea-kind.value@",
            inputs=[{"id": "ea-links-grid", "property": "selectedRows", "value": [state]}],
        ),
        post_callback(
            app,
            client,
            "..ea-preview.src...",
            inputs=[
                {"id": "ea-chart", "property": "value", "value": CHART},
                {"id": "ea-period", "property": "value", "value": "2022"},
                {"id": "ea-district", "property": "value", "value": ""},
                {"id": "ea-indicator", "property": "value", "value": "GOV-C8_4"},
                {"id": "ea-lang", "property": "value", "value": "vi"},
                {"id": "ea-kind", "property": "value", "value": "signed"},
                {"id": "ea-link", "property": "data", "value": state},
                {"id": "ea-refresh", "property": "data", "value": 0},
            ],
        ),
        post_callback(
            app,
            client,
            "..ea-update.disabled...",
            inputs=[
                {"id": "ea-link", "property": "data", "value": state},
                {"id": "ea-refresh", "property": "data", "value": 0},
            ],
        ),
        post_callback(
            app,
            client,
            "..ea-period-field.style...",
            inputs=[
                {"id": "ea-chart", "property": "value", "value": CHART},
                {"id": "ea-refresh", "property": "data", "value": 0},
            ],
            state=[{"id": "ea-indicator", "property": "value", "value": None}],
        ),
    ]
    texts = []
    for reply in replies:
        assert reply.status_code in (200, 204, 401), reply.get_data(as_text=True)[:200]
        texts.append(json.dumps(reply.get_json(silent=True), ensure_ascii=False))
    seen = " ".join(texts)
    if name == "admin":
        assert SECRET_LABEL in seen and token in seen
    else:
        assert SECRET_LABEL not in seen and token not in seen


# --- guards: outages, framing, reflection, redirects ------------------------------------------


def test_anonymous_embed_and_api_answer_503_when_the_database_is_down(app, client):
    """Guard: a stopped database gives the public a clear 503 (the embed's small page, JSON
    for the API), never a trace, and nothing a shared cache would keep."""
    break_database(app)
    embed = client.get(f"/nhung/{CHART}?period=2022")
    assert embed.status_code == 503
    html = embed.get_data(as_text=True)
    assert 'id="embed-error-message"' in html and "Traceback" not in html
    assert "OperationalError" not in html and "127.0.0.1" not in html
    assert embed.headers["Cache-Control"] == "private, no-store"
    for path in ("/api/v1/kpis?period=2022", "/api/v1/units?period=2022&format=csv"):
        api = client.get(path)
        assert api.status_code == 503, path
        assert api.mimetype == "application/json"
        assert "cơ sở dữ liệu" in api.get_json()["error"]
        assert "public" not in api.headers.get("Cache-Control", "")
        assert "127.0.0.1" not in api.get_data(as_text=True)


def test_every_path_outside_the_chart_pages_refuses_framing(app_factory, database_url):
    """Guard: with portal origins allowed, the API (answers, errors, 405), the embeds' missing
    assets and the language switch still refuse every framing."""
    client = app_factory(database_url, EMBED_ALLOWED_ORIGINS=ORIGINS).test_client()
    responses = [
        client.get("/api/v1/kpis?period=2022"),
        client.get("/api/v1/kpis"),
        client.post("/api/v1/kpis?period=2022"),
        client.get("/nhung/static/khong-co.js"),
        client.get("/nhung/static/..%2F..%2Fconfig.py"),
        client.get("/ngon-ngu/en?next=/"),
    ]
    for response in responses:
        assert response.headers["X-Frame-Options"] == "DENY", response.request.path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "chart_id",
    ['x"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>", "{{7*7}}"],
)
def test_a_chart_id_reflected_in_the_404_is_escaped(client, chart_id):
    """Guard: an unknown chart id is quoted in the 404 as text, never as markup or template."""
    from urllib.parse import quote

    response = client.get("/nhung/" + quote(chart_id, safe=""))
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<img" not in html and "<svg" not in html
    if chart_id == "{{7*7}}":
        assert "{{7*7}}" in html


@pytest.mark.parametrize(
    "target", ["/%0d%0aX-Evil:1", "%5C%5Cevil.example", "https:/evil.example", " //evil.example"]
)
def test_switch_follows_local_paths_only(client, target):
    """Guard: more redirect tricks on `/ngon-ngu/<lang>?next=` (header injection, encoded
    backslashes, a scheme without slashes, a leading space) stay on the application."""
    response = client.get(f"/ngon-ngu/en?next={target}")
    assert response.status_code == 303
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//")
    assert not parts.scheme and not parts.netloc and "\\" not in location
    assert "X-Evil" not in response.headers


# --- guards: the figure rule --------------------------------------------------------------------


def test_data_updated_at_ignores_an_unapproved_districts_later_edit(client, session):
    """Guard: an edit in a district whose report is not approved moves neither the API's
    `data_updated_at` nor the embed's "as of" line (the time itself tells the public that
    unpublished work happened)."""
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2023")
    workflow.transition(session, user(session, "admin"), "approve", "622", "2023")
    period = ind_svc.get_period(session, "2023")
    an_khe = ind_svc.district_by_code(session, "623")
    late = dt.datetime(2031, 7, 4, 5, 6, 7)
    edited = session.scalars(
        sa.select(IndicatorValue)
        .join(OrgUnit, OrgUnit.id == IndicatorValue.unit_id)
        .where(IndicatorValue.period_id == period.id, OrgUnit.parent_id == an_khe.id)
    ).first()
    assert edited is not None, "no An Khê values in 2023"
    edited.updated_at = late
    session.commit()
    for query in ("period=2023", "period=2023&district=623", "period=2023&district=622"):
        payload = client.get(f"/api/v1/kpis?{query}").get_json()
        assert payload["data_updated_at"] != "2031-07-04T05:06:07Z", query
    html = client.get(f"/nhung/{CHART}?period=2023&indicator=GOV-C8_4").get_data(as_text=True)
    assert "2031" not in html
