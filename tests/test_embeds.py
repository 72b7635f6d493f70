"""Embedded charts `/nhung/<chart-id>`: every chart, parameters, signed links, private charts,
framing headers, caching, English, view counts, and that unapproved data never leaks."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import numpy as np
import plotly
import pytest
import sqlalchemy as sa
from flask import g
from itsdangerous import URLSafeSerializer
from sqlalchemy import orm as so

from dashboard import charts
from dashboard.config import ConfigError, parse_origins
from dashboard.embeds import _figure_json
from dashboard.models import EmbedChart, EmbedLink, IndicatorValue, TrainingEvent, User
from dashboard.services import embeds as svc
from dashboard.services import indicators as ind_svc
from dashboard.services import workflow
from tests.conftest import make_app

pytestmark = pytest.mark.db

CHART_DATA = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)
ERROR_MESSAGE = re.compile(r'<p id="embed-error-message">(.*?)</p>', re.S)
ORIGINS = "https://portal.gialai.gov.vn http://10.0.0.5:8080"


@pytest.fixture
def session(app):
    """A session of its own on the application's database (not the requests' scoped session,
    which every request closes): on PostgreSQL a transaction left open by a closed-and-reused
    scoped session would block the next test's reset."""
    with app.app_context(), so.Session(app.extensions["db"].engine, expire_on_commit=False) as own:
        yield own


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def figure_of(response) -> dict:
    match = CHART_DATA.search(response.get_data(as_text=True))
    assert match, "no chart data in the page"
    return json.loads(match.group(1))


def error_of(response) -> str:
    match = ERROR_MESSAGE.search(response.get_data(as_text=True))
    assert match, "not the embed error page"
    return match.group(1)


def csp(response) -> dict[str, str]:
    parts = (p.strip() for p in response.headers["Content-Security-Policy"].split(";"))
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] if " " in p else "" for p in parts if p}


def add_link(session, chart_id: str, params: dict | None = None, **fields) -> EmbedLink:
    link = EmbedLink(
        chart_id=chart_id,
        label="Cổng thông tin điện tử tỉnh",
        params=json.dumps(params or {}),
        created_at=_now(),
        **fields,
    )
    session.add(link)
    session.commit()
    return link


def update_link(session, link_id: int, **values) -> None:
    """Change a stored link as the administration pages would (the request's session is the
    test's, closed after each request: the row is changed by id, not through the object)."""
    session.execute(sa.update(EmbedLink).where(EmbedLink.id == link_id).values(**values))
    session.commit()


def set_chart(session, chart_id: str, *, private: bool = False, locked: dict | None = None):
    session.add(
        EmbedChart(chart_id=chart_id, private=private, locked_params=json.dumps(locked or {}))
    )
    session.commit()


def token_of(app, link: EmbedLink) -> str:
    with app.app_context():
        return svc.sign_token(link)


# --- every chart, parameters -------------------------------------------------------------------


def test_every_chart_answers_with_its_figure(client):
    """Catches a chart id of the catalogue that the embed route cannot show, a page without
    its figure, title, "as of" line, link back or source, or a login demanded of the public."""
    assert charts.CHARTS, "no charts to embed"
    for chart_id, spec in charts.CHARTS.items():
        response = client.get(f"/nhung/{chart_id}")
        assert response.status_code == 200, chart_id
        html = response.get_data(as_text=True)
        figure = figure_of(response)
        assert "data" in figure and "layout" in figure, chart_id
        assert 'id="embed-heading"' in html
        assert "Nguồn: Văn phòng Điều phối NTM tỉnh Gia Lai" in html
        assert f'href="{spec.page}' in html and 'target="_blank" rel="noopener"' in html
        assert "Chỉ gồm số liệu đã được phê duyệt." in html
        if "period" in spec.params:
            assert "Kỳ báo cáo" in html, chart_id
        assert 'src="/nhung/static/embed.js?v=' in html
        assert f'src="/nhung/static/plotly.min.js?v={plotly.__version__}"' in html


def test_the_embed_shows_the_figure_the_chart_builder_makes(client, app):
    """Catches an embed that computes its own figure (or all data) instead of the page's
    builder on approved figures."""
    url = "/nhung/chinh-quyen-so-theo-huyen?period=2022&indicator=GOV-C8_4&district=622"
    shown = figure_of(client.get(url))
    with app.test_request_context(url):
        session = app.extensions["db"].session()
        spec = charts.CHARTS["chinh-quyen-so-theo-huyen"]
        params = {"period": "2022", "indicator": "GOV-C8_4", "district": "622"}
        query = charts.resolve(session, spec, params, approved_only=True)
        expected = json.loads(spec.build(session, query).to_json())
    assert shown["data"] == expected["data"]
    assert shown["data"][0]["y"], "no districts in the chart"


def test_the_page_names_period_approval_and_coverage(client, session):
    """Catches an "as of" line without the period or the last approval date, or a figure
    shown without the coverage of approved units."""
    html = client.get("/nhung/chinh-quyen-so-xu-huong?period=2022&indicator=GOV-C8_4").get_data(
        as_text=True
    )
    stamp = workflow.as_of(session, ind_svc.get_period(session, "2022"))
    assert stamp.approved_at is not None
    as_of = re.search(r'id="embed-as-of">(.*?)</p>', html).group(1)
    assert "Kỳ báo cáo 2022" in as_of and "phê duyệt lần cuối" in as_of
    figure = ind_svc.compute(
        session,
        ind_svc.get_indicator(session, "GOV-C8_4"),
        ind_svc.get_period(session, "2022"),
        approved_only=True,
    )
    assert figure.coverage and figure.coverage in html
    pending = client.get("/nhung/chinh-quyen-so-xu-huong?period=2024").get_data(as_text=True)
    assert "chưa có báo cáo nào được phê duyệt" in pending


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("period=1999", "period"),
        ("period=abc", "period"),
        ("district=999", "district"),
        ("district=%3Cscript%3E", "district"),
        ("district=62%002", "district"),
        ("indicator=NOPE", "indicator"),
        ("indicator=ECO-COOP", "indicator"),  # an indicator of another pillar
        ("lang=fr", "lang"),
        ("period=" + "9" * 200, "period"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, name):
    """Catches a bad parameter answered with a default chart, a 500 or an English message."""
    response = client.get(f"/nhung/chinh-quyen-so-theo-huyen?{query}")
    assert response.status_code == 400
    message = error_of(response)
    assert f"Tham số “{name}”" in message
    assert "<script>" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_parameters_a_chart_does_not_read_are_ignored(client):
    """Catches a refusal of a portal link that carries parameters the chart has no use for."""
    assert client.get("/nhung/dao-tao-theo-nam?period=bogus&district=x").status_code == 200
    assert client.get("/nhung/tong-quan-xu-huong?utm_source=portal").status_code == 200


def test_an_unknown_chart_is_a_small_404(client):
    """Catches an unknown id answered with a chart, a 500 or the dashboard's page."""
    response = client.get("/nhung/khong-ton-tai")
    assert response.status_code == 404
    assert "khong-ton-tai" in error_of(response)
    html = response.get_data(as_text=True)
    assert "bootstrap" not in html and "navbar" not in html


# --- approved figures only -------------------------------------------------------------------

RATIO = (777_777, 1_000_000)  # Chư Păh's own 2023 dossier ratio: 77.7777 %
MARKERS = ("77.7777", "77,7777", "987654", "987.654", "987,654")


def _plant_unapproved_values(session) -> None:
    """Approve Pleiku's (622) 2023 report; give Chư Păh (633, not approved) a distinctive 2023
    district dossier ratio, and a 2023 training event with 987 654 participants while every
    other 2023 event has none."""

    def user(name):
        return session.scalar(sa.select(User).where(User.username == name))

    workflow.transition(session, user("editor-622"), "submit", "622", "2023")
    workflow.transition(session, user("admin"), "approve", "622", "2023")
    period = ind_svc.get_period(session, "2023")
    chu_pah = ind_svc.district_by_code(session, "633")
    ind = ind_svc.get_indicator(session, "GOV-DOSSIER-DIST")
    value = session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.period_id == period.id,
            IndicatorValue.unit_id == chu_pah.id,
        )
    )
    if value is None:
        value = IndicatorValue(indicator_id=ind.id, period_id=period.id, unit_id=chu_pah.id)
        session.add(value)
    value.numerator, value.denominator = RATIO
    events = list(
        session.scalars(
            sa.select(TrainingEvent).where(
                TrainingEvent.held_on.between(period.start_date, period.end_date)
            )
        )
    )
    assert events, "no 2023 training events in the demo data"
    session.execute(sa.update(TrainingEvent).values(participants=0))  # counts are cumulative
    session.refresh(events[0])
    events[0].unit_id = chu_pah.id
    events[0].participants = 987_654
    session.commit()


def _variants(session, spec: charts.ChartSpec) -> list[dict]:
    out = [{}, {"period": "2023"}, {"period": "2023", "district": "633"}]
    if any(i.code == "GOV-DOSSIER-DIST" for i in charts.indicators_for(session, spec)):
        for params in list(out):
            out.append({**params, "indicator": "GOV-DOSSIER-DIST"})
    return out


def _decoded(node):
    """A figure's JSON with Plotly's binary arrays (`{"dtype", "bdata"}`) as plain lists, so
    that the numbers in them can be searched as text."""
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"]).tolist()
        return {k: _decoded(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decoded(v) for v in node]
    return node


def _has_marker(figure_json: str) -> bool:
    text = json.dumps(_decoded(json.loads(figure_json)), ensure_ascii=False)
    return any(m in text for m in MARKERS)


def test_the_marker_search_sees_binary_arrays():
    """Catches a leak check blind to Plotly's binary-encoded arrays."""
    import plotly.graph_objects as go

    hidden = go.Figure(go.Bar(x=np.array([1.0, 100 * RATIO[0] / RATIO[1]]), y=["a", "b"]))
    assert "bdata" in hidden.to_json()
    assert _has_marker(hidden.to_json())


def test_an_unapproved_value_never_appears_in_an_embed(client, app, session):
    """Catches an embed built on all data, or leaking an unapproved district's value through a
    district bar, a map, a trend, a total or a registry chart. The same charts built on all
    data do show the planted values: the check can see them."""
    _plant_unapproved_values(session)
    seen_in_all_data = set()
    checked = 0
    for chart_id, spec in charts.CHARTS.items():
        for params in _variants(session, spec):
            query = "&".join(f"{k}={v}" for k, v in params.items())
            response = client.get(f"/nhung/{chart_id}?{query}")
            assert response.status_code == 200, (chart_id, params)
            html = response.get_data(as_text=True)
            assert not _has_marker(CHART_DATA.search(html).group(1)), (chart_id, params)
            assert not any(m in CHART_DATA.sub("", html) for m in MARKERS), (chart_id, params)
            checked += 1
            with app.test_request_context():
                db = app.extensions["db"].session()
                everything = charts.resolve(db, spec, params, approved_only=False)
                if _has_marker(spec.build(db, everything).to_json()):
                    seen_in_all_data.add(chart_id)
    assert checked > 30
    assert {
        "tong-quan-xep-hang",
        "chinh-quyen-so-theo-huyen",
        "chinh-quyen-so-xu-huong",
        "dao-tao-doi-tuong",
        "dao-tao-theo-nam",
    } <= seen_in_all_data


def test_the_figure_json_cannot_close_its_script_element():
    """Catches a district name or label that ends the JSON's script element early (script
    injection into the embed page)."""
    import plotly.graph_objects as go

    hostile = "</script><script>alert(1)</script><!--"
    text = str(_figure_json(go.Figure(go.Bar(x=[hostile], y=[1]), layout={"title": "t"})))
    assert "<" not in text and ">" not in text
    assert json.loads(text)["data"][0]["x"] == [hostile]
    assert "title" not in json.loads(text)["layout"] or not json.loads(text)["layout"]["title"]


# --- private charts, signed links -------------------------------------------------------------


def test_private_chart_needs_a_valid_link(app, client, session):
    """Catches a private chart shown to anyone, or refused with a valid signed link."""
    set_chart(session, "tong-quan-xep-hang", private=True)
    refused = client.get("/nhung/tong-quan-xep-hang")
    assert refused.status_code == 403
    assert "chỉ được xem qua liên kết nhúng" in error_of(refused)
    assert refused.headers["Cache-Control"] == "private, no-store"
    link = add_link(session, "tong-quan-xep-hang", {"period": "2022"})
    shown = client.get(svc.embed_url("tong-quan-xep-hang", token=token_of(app, link)))
    assert shown.status_code == 200
    figure_of(shown)
    assert shown.headers["Cache-Control"] == "private, no-store"
    # Other charts stay public.
    assert client.get("/nhung/tong-quan-ban-do").status_code == 200


def test_token_names_the_link_chart_parameters_and_expiry(app, session):
    """Catches a token without the fields the builder and readers rely on, or one signed
    without the embed salt (a session cookie's signature must not pass for a link's)."""
    expiry = dt.datetime(2030, 1, 2, 3, 4, 5)
    link = add_link(session, "dao-tao-doi-tuong", {"period": "2022"}, expires_at=expiry)
    token = token_of(app, link)
    data = URLSafeSerializer("test-secret", salt="ntm-embed").loads(token)
    assert data == {
        "e": link.id,
        "c": "dao-tao-doi-tuong",
        "p": {"period": "2022"},
        "x": int(expiry.replace(tzinfo=dt.UTC).timestamp()),
    }
    with app.app_context():
        assert svc.verify_token(session, "dao-tao-doi-tuong", token).id == link.id


def _tamper(token: str) -> str:
    i = len(token) // 3  # inside the payload, away from base64's unused last bits
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


def test_tampered_forged_and_misdirected_tokens_are_refused(app, client, session):
    """Catches a token accepted after one character changed, signed with another key or salt,
    used on another chart, or naming a deleted link; each says why in Vietnamese."""
    link = add_link(session, "dao-tao-doi-tuong")
    token = token_of(app, link)
    payload = {"e": link.id, "c": "dao-tao-doi-tuong", "p": {}, "x": None}
    cases = {
        _tamper(token): "không hợp lệ",
        "": "không hợp lệ",
        "x" * 5000: "không hợp lệ",
        URLSafeSerializer("other-secret", salt="ntm-embed").dumps(payload): "không hợp lệ",
        URLSafeSerializer("test-secret", salt="other").dumps(payload): "không hợp lệ",
        URLSafeSerializer("test-secret", salt="ntm-embed").dumps([1, 2]): "không hợp lệ",
        URLSafeSerializer("test-secret", salt="ntm-embed").dumps({**payload, "e": True}): (
            "không hợp lệ"
        ),
        URLSafeSerializer("test-secret", salt="ntm-embed").dumps({**payload, "e": 99999}): (
            "không còn tồn tại"
        ),
    }
    for bad, why in cases.items():
        response = client.get(f"/nhung/dao-tao-doi-tuong?t={bad}")
        assert response.status_code == 403, bad[:40]
        assert why in error_of(response), bad[:40]
    other_chart = client.get(f"/nhung/dao-tao-theo-nam?t={token}")
    assert other_chart.status_code == 403
    assert "không dành cho biểu đồ này" in error_of(other_chart)
    assert client.get(f"/nhung/dao-tao-doi-tuong?t={token}").status_code == 200
    session.execute(sa.delete(EmbedLink).where(EmbedLink.id == link.id))
    session.commit()
    gone = client.get(f"/nhung/dao-tao-doi-tuong?t={token}")
    assert gone.status_code == 403 and "không còn tồn tại" in error_of(gone)


def test_a_link_works_until_it_expires(app, client, session, monkeypatch):
    """Catches an expired link still shown, or a link refused before its expiry; the stored
    row decides (an expiry the administrator moved counts, not the token's copy)."""
    start = _now()
    link = add_link(session, "dao-tao-doi-tuong", expires_at=start + dt.timedelta(hours=1))
    url = svc.embed_url("dao-tao-doi-tuong", token=token_of(app, link))
    assert client.get(url).status_code == 200
    monkeypatch.setattr(svc, "_now", lambda: start + dt.timedelta(hours=1, seconds=1))
    expired = client.get(url)
    assert expired.status_code == 403
    assert "Liên kết nhúng đã hết hạn" in error_of(expired)
    update_link(session, link.id, expires_at=start + dt.timedelta(days=2))
    assert client.get(url).status_code == 200


def test_a_revoked_link_is_refused(app, client, session):
    """Catches a revoked link still shown (the row is the authority, not the signature)."""
    link = add_link(session, "dao-tao-doi-tuong")
    url = svc.embed_url("dao-tao-doi-tuong", token=token_of(app, link))
    assert client.get(url).status_code == 200
    update_link(session, link.id, revoked_at=_now())
    response = client.get(url)
    assert response.status_code == 403
    assert "Liên kết nhúng đã bị thu hồi" in error_of(response)


def test_a_signed_link_shows_its_own_parameters(app, client, session):
    """Catches a query string that changes what a signed link shows (its period, district or
    indicator): the link's stored parameters win, whatever the token or the URL say."""
    link = add_link(session, "chinh-quyen-so-xu-huong", {"period": "2022", "indicator": "GOV-C8_4"})
    token = token_of(app, link)
    url = f"/nhung/chinh-quyen-so-xu-huong?period=2023&indicator=GOV-FIBRE&district=999&t={token}"
    html = client.get(url).get_data(as_text=True)
    assert "Kỳ báo cáo 2022" in html
    assert "indicator=GOV-C8_4" in html and "GOV-FIBRE" not in html
    update_link(session, link.id, params=json.dumps({"period": "2021"}))  # after the token
    assert "Kỳ báo cáo 2021" in client.get(url).get_data(as_text=True)


def test_locked_parameters_of_a_public_chart_win(client, session):
    """Catches a public chart whose locked parameters the query string overrides."""
    set_chart(session, "dao-tao-doi-tuong", locked={"period": "2022"})
    html = client.get("/nhung/dao-tao-doi-tuong?period=2023").get_data(as_text=True)
    assert "Kỳ báo cáo 2022" in html
    # A locked parameter's value in the query string is not even read.
    assert client.get("/nhung/dao-tao-doi-tuong?period=%3Cx%3E").status_code == 200
    # Unlocked parameters still come from the query string.
    set_chart(session, "tong-quan-xu-huong", locked={"indicator": "GOV-C8_4"})
    html = client.get("/nhung/tong-quan-xu-huong?period=2021&indicator=GOV-FIBRE").get_data(
        as_text=True
    )
    assert "Kỳ báo cáo 2021" in html and "indicator=GOV-C8_4" in html


def test_views_of_a_link_are_counted_without_a_new_version(app, client, session):
    """Catches views not recorded, or recorded through the ORM (raising the row's version,
    so that an administrator editing the link would be refused as a conflict)."""
    link = add_link(session, "dao-tao-doi-tuong")
    version = link.version
    url = svc.embed_url("dao-tao-doi-tuong", token=token_of(app, link))
    before = _now()
    for _ in range(2):
        assert client.get(url).status_code == 200
    session.expire_all()
    row = session.get(EmbedLink, link.id)
    assert row.view_count == 2
    assert row.last_viewed_at is not None and row.last_viewed_at >= before.replace(microsecond=0)
    assert row.version == version
    # A refused view is not counted.
    client.get(url.replace("dao-tao-doi-tuong?", "dao-tao-theo-nam?"))
    session.expire_all()
    assert session.get(EmbedLink, link.id).view_count == 2


def test_an_administrators_preview_is_not_a_view(app, client, auth, session):
    """Catches the embed builder's preview counting as a portal view ("last viewed" would only
    say when the admin last looked)."""
    link = add_link(session, "dao-tao-doi-tuong")
    url = svc.embed_url("dao-tao-doi-tuong", token=token_of(app, link)) + "&preview=1"
    auth.login("admin")
    assert client.get(url).status_code == 200
    auth.logout()
    assert client.get(url).status_code == 200  # not an admin: `preview=1` changes nothing
    session.expire_all()
    assert session.get(EmbedLink, link.id).view_count == 1


def test_a_failed_view_count_does_not_fail_the_view(app, client, session, monkeypatch):
    """Catches an embed that answers 500 because its view could not be written."""
    link = add_link(session, "dao-tao-doi-tuong")
    url = svc.embed_url("dao-tao-doi-tuong", token=token_of(app, link))

    def locked():
        raise sa.exc.OperationalError("UPDATE embed_link", {}, Exception("database is locked"))

    monkeypatch.setattr(svc, "_now", locked)
    assert client.get(url).status_code == 200
    session.expire_all()
    assert session.get(EmbedLink, link.id).view_count == 0


# --- headers, caching, language, assets --------------------------------------------------------


def test_framing_is_allowed_on_chart_pages_for_the_listed_origins_only(app_factory, database_url):
    """Catches the allowed origins missing from an embed (the portal could not frame it),
    framing allowed elsewhere (the dashboard, login, the embeds' scripts), or X-Frame-Options
    left on an embed (old browsers would refuse it)."""
    client = app_factory(database_url, EMBED_ALLOWED_ORIGINS=ORIGINS).test_client()
    for path in [
        "/nhung/tong-quan-xu-huong",
        "/nhung/khong-ton-tai",
        "/nhung/tong-quan-xu-huong?period=1999",
        "/nhung/tong-quan-xu-huong?t=x",
    ]:
        response = client.get(path)
        assert csp(response)["frame-ancestors"] == ORIGINS, path
        assert "X-Frame-Options" not in response.headers, path
    for path in ["/", "/login", "/healthz", "/nhung/static/embed.js", "/nhung/a/b", "/nhungx"]:
        with client.get(path) as response:
            assert response.headers["X-Frame-Options"] == "DENY", path
            assert csp(response)["frame-ancestors"] == "'none'", path


def test_no_framing_at_all_by_default(client):
    """Catches embeds framable by anyone when no origin is configured."""
    response = client.get("/nhung/tong-quan-xu-huong")
    assert response.status_code == 200
    assert csp(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "https://*.gialai.gov.vn",
        "https://portal.gialai.gov.vn/trang",
        "https://portal.gialai.gov.vn/",
        "portal.gialai.gov.vn",
        "ftp://portal.gialai.gov.vn",
        "'self'",
        "'none'",
        "https://portal.gialai.gov.vn:70000",
        "https://cổng.gialai.gov.vn",
        "https://ok.gov.vn https://user@bad.gov.vn",
    ],
)
def test_bad_allowed_origins_stop_the_start(database_url, value):
    """Catches a path, a wildcard, a keyword or a malformed origin accepted into the framing
    policy (it would widen or silently break it)."""
    with pytest.raises(ConfigError, match="EMBED_ALLOWED_ORIGINS"):
        make_app(database_url, EMBED_ALLOWED_ORIGINS=value)


def test_allowed_origins_are_read_from_text_or_a_list():
    """Catches commas, several spaces, upper case or duplicates not understood."""
    text = " HTTPS://Portal.GiaLai.gov.vn,  http://10.0.0.5:8080 https://portal.gialai.gov.vn "
    assert parse_origins(text) == ("https://portal.gialai.gov.vn", "http://10.0.0.5:8080")
    assert parse_origins(["http://[::1]:8443"]) == ("http://[::1]:8443",)
    assert parse_origins("") == () and parse_origins(None) == ()


def test_public_embeds_are_cached_briefly_and_revalidated(client):
    """Catches a public embed without its short public cache (every portal visitor would hit
    the database) or without an ETag."""
    response = client.get("/nhung/tong-quan-xu-huong")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    again = client.get("/nhung/tong-quan-xu-huong", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_a_signed_in_visitors_embed_is_not_publicly_cacheable(client, auth):
    """Catches a public cache header on an answer that may set a user's session cookie (a
    shared cache could hand that session to the next visitor)."""
    auth.login("viewer")
    response = client.get("/nhung/tong-quan-xu-huong")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_lang_en_renders_in_english(client, session):
    """Catches `lang=en` ignored (Vietnamese page, Vietnamese indicator name, Vietnamese
    numbers), or the English choice lost on the link back."""
    response = client.get("/nhung/chinh-quyen-so-xu-huong?period=2022&indicator=GOV-C8_4&lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Approved figures only." in html and "Source: Gia Lai NTM Coordination Office" in html
    assert "Period 2022" in html and "Kỳ báo cáo" not in html
    with client.application.test_request_context():
        g.lang = "en"
        name = ind_svc.get_indicator(session, "GOV-C8_4").short_name
        g.lang = "vi"
        assert ind_svc.get_indicator(session, "GOV-C8_4").short_name != name
    assert name and f'id="embed-heading">{name}<' in html
    assert "lang=en" in re.search(r'id="embed-full"[^>]*|href="[^"]*"[^>]*id="embed-full"', html)[0]
    vietnamese = client.get("/nhung/chinh-quyen-so-xu-huong?period=2022&indicator=GOV-C8_4")
    assert '<html lang="vi">' in vietnamese.get_data(as_text=True)


def test_the_embed_ignores_the_visitors_language_cookie(client):
    """Catches a public (cached) embed whose language follows a visitor's cookie."""
    client.set_cookie("lang", "en")
    html = client.get("/nhung/tong-quan-xu-huong").get_data(as_text=True)
    assert '<html lang="vi">' in html


def test_assets_are_served_with_their_caching(client):
    """Catches the embed scripts or Plotly's bundle missing (no CDN on the intranet), served
    with a wrong type, or Plotly not cached for long under its versioned URL."""
    plotly_js = client.get(f"/nhung/static/plotly.min.js?v={plotly.__version__}")
    assert plotly_js.status_code == 200 and plotly_js.mimetype == "text/javascript"
    assert len(plotly_js.get_data()) > 1_000_000
    assert plotly_js.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    unversioned = client.get("/nhung/static/plotly.min.js")
    assert "immutable" not in unversioned.headers["Cache-Control"]
    plotly_js.close()
    unversioned.close()
    for name in ("embed.js", "portal.js", "embed.css"):
        response = client.get(f"/nhung/static/{name}")
        assert response.status_code == 200, name
        assert response.headers["Cache-Control"].startswith("public"), name
        response.close()
    with client.get("/nhung/static/embed.js") as response:
        embed_js = response.get_data(as_text=True)
    assert '"ntm-embed:resize"' in embed_js and "ResizeObserver" in embed_js
    assert "displaylogo: false" in embed_js and "responsive: true" in embed_js
    with client.get("/nhung/static/portal.js") as response:
        portal_js = response.get_data(as_text=True)
    assert "event.origin !== origin" in portal_js and "contentWindow === event.source" in portal_js
    assert client.get("/nhung/static/../embeds.py").status_code == 404
    assert client.get("/nhung/static/secret.txt").status_code == 404


def test_embed_url_and_snippet():
    """Catches a snippet that lets a title break out of its attribute, or URLs that drop the
    language or the token."""
    url = svc.embed_url("tong-quan-xu-huong", {"period": "2023", "x": "y"}, token="abc", lang="en")
    assert url == "/nhung/tong-quan-xu-huong?period=2023&lang=en&t=abc"
    assert svc.embed_url("dao-tao-theo-nam") == "/nhung/dao-tao-theo-nam"
    snippet = svc.iframe_snippet("https://ntm.gialai.gov.vn" + url, 'Tỷ lệ "A" <b>', 500)
    assert 'title="Tỷ lệ &#34;A&#34; &lt;b&gt;"' in snippet
    assert 'height="500"' in snippet and "&amp;lang=en&amp;t=abc" in snippet
    assert '<script src="https://ntm.gialai.gov.vn/nhung/static/portal.js" defer>' in snippet


def test_only_an_administrators_preview_may_be_framed_by_the_app_itself(app, client, auth):
    """Catches the builder's preview being blocked (frame-ancestors 'none' for the app's own
    page) or `preview=1` opening framing to anyone who adds it to the URL."""
    url = "/nhung/tong-quan-xu-huong?period=2022&preview=1"
    anonymous = client.get(url).headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in anonymous
    auth.login("viewer")
    assert "frame-ancestors 'none'" in client.get(url).headers["Content-Security-Policy"]
    auth.logout()
    auth.login("admin")
    response = client.get(url)
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    plain = client.get("/nhung/tong-quan-xu-huong?period=2022")
    assert "frame-ancestors 'none'" in plain.headers["Content-Security-Policy"]
