"""Half-years and quarters: trends of a period's own kind, projections on the periods' ends,
the pillar page, downloads and the open-data API answering for a half-year or a quarter, and
yearly figures and projections left as they were."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa
from flask_login import login_user

from dashboard import api, scope
from dashboard.callbacks import pillar
from dashboard.components.pillar import pillar_layout
from dashboard.models import Indicator, Level, Programme, User
from dashboard.services import admin, period_kinds, values
from dashboard.services import indicators as svc
from tests.conftest import add_unit_targets, get_user

pytestmark = pytest.mark.db

CODE = "T-SUB"
# Dossiers handled online (numerator of 100) at the province, per period.
NUMERATORS = {"2026": 45, "2026-H1": 40, "2026-H2": 50, "2026-Q1": 30, "2026-Q2": 36}
# kind, first day, last day, deadline
SPANS = {
    "2026-H1": ("half", "2026-01-01", "2026-06-30", "2026-07-15"),
    "2026-H2": ("half", "2026-07-01", "2026-12-31", "2027-01-15"),
    "2026-Q1": ("quarter", "2026-01-01", "2026-03-31", "2026-04-15"),
    "2026-Q2": ("quarter", "2026-04-01", "2026-06-30", "2026-07-15"),
}


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def create_periods(session, codes=tuple(SPANS)) -> None:
    office = user(session, "admin")
    for code in codes:
        kind, start, end, deadline = SPANS[code]
        admin.set_period(
            session, office, code=code, kind=kind, start=start, end=end, deadline=deadline
        )


@pytest.fixture
def subyear(session):
    """A province-level share of the 2026-2035 programme (dossiers handled online) with
    values for the year 2026, its halves and its first two quarters, and a province target
    of 70% for 2027."""
    programme = session.scalar(sa.select(Programme).where(Programme.code == "mtqg-2026-2035"))
    province = session.scalar(sa.select(Level).where(Level.code == "province"))
    session.add(
        Indicator(
            code=CODE,
            name_vi="Tỷ lệ hồ sơ trực tuyến cấp tỉnh (thử)",
            name_en="Online dossiers, province (test)",
            short_vi="Hồ sơ trực tuyến (thử)",
            pillar="government",
            level=province,
            value_type="ratio",
            rollup="ratio_of_sums",
            source="values",
            unit="hồ sơ",
            programme=programme,
            valid_from=programme.start_date,
            valid_to=programme.end_date,
        )
    )
    session.commit()
    create_periods(session)
    office = user(session, "admin")
    the_province = scope.province_on(session, dt.date(2026, 1, 1))
    for period_code, numerator in NUMERATORS.items():
        values.set_value(
            session,
            office,
            indicator_code=CODE,
            unit_id=the_province.id,
            period_code=period_code,
            raw={"numerator": str(numerator), "denominator": "100"},
        )
    add_unit_targets(session, CODE, 2027, {the_province.gso_code: 70})
    session.commit()
    return svc.get_indicator(session, CODE)


def figure_of(figures, code):
    return next(f for f in figures if f.period == code)


# --- the engine ------------------------------------------------------------------------------


def test_names_kinds_and_ends_of_period_codes():
    """Catches a half-year or quarter placed on the wrong day of the time axis (H2 at mid-year,
    a quarter as a half) or a year moved off its end (2026 must end at 2027.0)."""
    assert period_kinds.end_of("2026") == 2027.0
    assert period_kinds.end_of("2026-H1") == 2026.5
    assert period_kinds.end_of("2026-H2") == 2027.0
    assert period_kinds.end_of("2026-Q1") == 2026.25
    assert period_kinds.end_of("2026-Q3") == 2026.75
    assert [period_kinds.kind_of(c) for c in ("2026", "2026-H2", "2026-Q4")] == [
        "year",
        "half",
        "quarter",
    ]
    assert period_kinds.parse("2026-H3") is None and period_kinds.end_of("abc") is None


def test_half_year_trend_has_both_halves_in_order(session, subyear):
    """Catches `trend` taking the years whatever the kind asked (the half-years collapsing onto
    2026), or the halves listed out of order."""
    halves = svc.trend(session, subyear, kind="half")
    assert [f.period for f in halves] == ["2026-H1", "2026-H2"]
    assert [f.value for f in halves] == [pytest.approx(40.0), pytest.approx(50.0)]
    quarters = svc.trend(session, subyear, kind="quarter")
    assert [f.period for f in quarters] == ["2026-Q1", "2026-Q2"]
    assert [f.period for f in svc.trend(session, subyear)] == ["2026"]


def test_projection_from_the_halves_is_linear_on_their_ends(session, subyear):
    """Catches a projection on `int(period[:4])` (both halves at x = 2026: a division by zero
    or no pace), the halves placed at the wrong day, or the year mixed into the halves."""
    h2 = svc.get_period(session, "2026-H2")
    prog, figures = svc.progress(session, subyear, h2)
    # By hand: 40% at the end of H1 (2026.5), 50% at the end of H2 (2027.0): 20 points a year;
    # the end of 2027 (the target's year) is 2028.0, a year after the last point: 50 + 20.
    assert prog.target.target_value == 70 and prog.target.target_year == 2027
    assert prog.basis_years == ("2026-H1", "2026-H2")
    assert prog.projected == pytest.approx(70.0)
    assert prog.on_track is True
    assert [f.period for f in figures] == ["2026-H1", "2026-H2"]
    # The same line from the figures alone, to the end of 2030: 50 + 20 × 4 = 130, capped.
    assert svc.project(figures, "2026-H2", 2030) == 100.0
    # From H1 alone (the only half-year that ends by then): its own value.
    h1 = svc.get_period(session, "2026-H1")
    prog_h1, _figures = svc.progress(session, subyear, h1)
    assert prog_h1.basis_years == ("2026-H1",) and prog_h1.projected == pytest.approx(40.0)


def test_quarter_projection_and_the_year_kept_apart(session, subyear):
    """Catches quarters projected from the halves or the year, and the year 2026 projected
    from its halves or quarters."""
    q2 = svc.get_period(session, "2026-Q2")
    prog, quarters = svc.progress(session, subyear, q2)
    # 30% at 2026.25, 36% at 2026.5: 24 points a year; end of 2027 = 2028.0: 36 + 24 × 1.5.
    assert prog.basis_years == ("2026-Q1", "2026-Q2")
    assert prog.projected == pytest.approx(72.0)
    year = svc.get_period(session, "2026")
    prog_year, figures = svc.progress(session, subyear, year)
    assert [f.period for f in figures] == ["2026"]
    assert prog_year.basis_years == ("2026",) and prog_year.projected == pytest.approx(45.0)
    # Figures of another kind handed over (H1 ends with Q2) are not mixed into the projection.
    halves = svc.trend(session, subyear, kind="half")
    mixed = svc.progress_of(subyear, q2, prog.figure, [*halves, *quarters])
    assert mixed.basis_years == ("2026-Q1", "2026-Q2")
    assert mixed.projected == pytest.approx(72.0)


def test_yearly_figures_and_projections_are_unchanged(session):
    """Catches a yearly projection moved by the new time axis (x at the year's end) or yearly
    trends that take in half-years and quarters once they exist."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    period = svc.get_period(session, "2023")
    before, figures_before = svc.progress(session, ind, period)
    create_periods(session)
    after, figures_after = svc.progress(session, ind, period)
    assert [f.period for f in figures_after] == ["2021", "2022", "2023", "2024", "2025"]
    assert figures_after == figures_before
    assert after.projected == before.projected and after.basis_years == before.basis_years
    # By hand, on years: 10, 20, 30 → 50 in 2025; 10, 60 → capped at 100.

    def make(period, numerator):
        return svc.Figure("X", period, numerator, 100, expected=1, reported=1)

    three = [make("2021", 10), make("2022", 20), make("2023", 30)]
    assert svc.project(three, 2023, 2025) == pytest.approx(50.0)
    assert svc.project(three, 2022, 2025) == pytest.approx(50.0)  # 2021-2022 only: 20 + 30
    assert svc.project([make("2021", 10), make("2022", 60)], 2022, 2025) == 100.0
    assert svc.list_periods(session)[-1].code == "2026"
    every = [p.code for p in svc.list_periods(session, kind=None)]
    assert every[-4:] == ["2026-H1", "2026-H2", "2026-Q1", "2026-Q2"]


# --- the pillar page -------------------------------------------------------------------------


def texts(component) -> str:
    found = []

    def walk(node):
        if isinstance(node, str | int | float):
            found.append(str(node))
            return
        if isinstance(node, list | tuple):
            for item in node:
                walk(item)
            return
        children = getattr(node, "children", None)
        if children is not None:
            walk(children)

    walk(component)
    return " ".join(found)


def test_pillar_view_of_a_half_year(app, session, subyear):
    """Catches the pillar page answering a half-year with the year's figure, drawing the yearly
    trend for it, or its downloads not following the half-year."""
    h1 = svc.compute(session, subyear, svc.get_period(session, "2026-H1"))
    assert h1.display == "40%"
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = pillar.update_view("2026-H1", "", CODE, 0, "all", "government")
    assert "40%" in texts(out[0]) and "45%" not in texts(out[0])
    trend = out[2]
    assert list(trend.data[0].x) == ["2026-H1", "2026-H2"]
    assert list(trend.data[0].y) == [pytest.approx(40.0), pytest.approx(50.0)]
    assert "theo 6 tháng" in trend.layout.title.text
    assert out[5].endswith(": 40%") and "6 tháng đầu năm 2026" in out[5]
    assert "period=2026-H1" in out[11] and "period=2026-H1" in out[7]  # trend, summary CSV
    # A year still draws the years.
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        yearly = pillar.update_view("2023", "", "GOV-C8_4", 0, "all", "government")
    assert list(yearly[2].data[0].x) == ["2021", "2022", "2023", "2024", "2025"]
    assert "theo" not in yearly[2].layout.title.text


def test_pillar_period_picker_lists_half_years_and_quarters(app, session):
    """Catches the picker offering years only once half-years and quarters exist, or naming
    them by code instead of "6 tháng đầu năm 2026", "Quý 1/2026"."""
    create_periods(session)
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        layout = pillar_layout("government", "2026-Q1", "", None)
    found = []

    def walk(node):
        if getattr(node, "id", None) == "pl-period":
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(layout)
    (dropdown,) = found
    labels = {o["value"]: o["label"] for o in dropdown.options if not o.get("disabled")}
    assert labels["2023"] == "2023" and labels["2025"] == "2025 (tính đến 30/06/2025)"
    assert labels["2026-H1"] == "6 tháng đầu năm 2026"
    assert labels["2026-H2"] == "6 tháng cuối năm 2026"
    assert labels["2026-Q1"] == "Quý 1/2026"
    headings = [o["label"] for o in dropdown.options if o.get("disabled")]
    assert headings == ["Năm", "6 tháng", "Quý"]
    assert dropdown.value == "2026-Q1"


# --- downloads and the API -------------------------------------------------------------------


def split_csv(text: str) -> tuple[dict[str, str], list[dict]]:
    lines = text.splitlines(keepends=True)
    blank = next(i for i, line in enumerate(lines) if not line.strip())
    title = dict(csv.reader(io.StringIO("".join(lines[:blank]))))
    return title, list(csv.DictReader(io.StringIO("".join(lines[blank + 1 :]))))


def test_downloads_of_a_quarter(client, auth, session, subyear):
    """Catches a download that ignores a quarter (the year's figure, the yearly trend) or names
    it by code only."""
    auth.login("viewer")
    response = client.get("/xuat/summary.csv?period=2026-Q1&pillar=government")
    assert response.status_code == 200
    title, rows = split_csv(response.get_data().decode("utf-8-sig"))
    assert title["Kỳ báo cáo"] == "Quý 1/2026"
    row = next(r for r in rows if r["Mã"] == CODE)
    assert row["Hiện tại"] == "30%" and row["Kỳ báo cáo"] == "2026-Q1"

    response = client.get(f"/xuat/trend.csv?indicator={CODE}&period=2026-Q1")
    assert response.headers["Content-Disposition"].endswith(f'{CODE}-xu-huong-quy.csv"')
    title, rows = split_csv(response.get_data().decode("utf-8-sig"))
    assert [r["Kỳ báo cáo"] for r in rows] == ["2026-Q1", "2026-Q2"]
    assert [r["Hiện tại"] for r in rows] == ["30%", "36%"]
    assert title["Kỳ báo cáo"] == "Quý 1/2026 – Quý 2/2026"

    _title, records = split_csv(
        client.get(f"/xuat/records.csv?indicator={CODE}&period=2026-Q1")
        .get_data()
        .decode("utf-8-sig")
    )
    assert [r["Giá trị"] for r in records] == ["30%"]
    # Without a period, the trend is the years', as before.
    _title, yearly = split_csv(
        client.get(f"/xuat/trend.csv?indicator={CODE}").get_data().decode("utf-8-sig")
    )
    assert [r["Kỳ báo cáo"] for r in yearly] == ["2026"]


def test_api_answers_for_a_quarter(client, session, subyear):
    """Catches the API refusing a quarter, answering it with the year's figure, or not saying
    which kind of period and which days the answer covers."""
    payload = client.get("/api/v1/kpis?period=2026-Q1").get_json()
    assert payload["period"] == "2026-Q1"
    assert (payload["period_kind"], payload["period_start"], payload["period_end"]) == (
        "quarter",
        "2026-01-01",
        "2026-03-31",
    )
    assert payload["period_name"] == "Quý 1/2026"
    row = next(r for r in payload["data"] if r["code"] == CODE)
    assert list(row) == list(api.KPI_FIELDS)
    assert row["value"] == 30 and (row["numerator"], row["denominator"]) == (30, 100)
    assert row["period_kind"] == "quarter" and row["target"] == 70
    english = client.get("/api/v1/kpis?period=2026-H1&lang=en").get_json()
    assert english["period_name"] == "First half of 2026"
    assert next(r for r in english["data"] if r["code"] == CODE)["value"] == 40
    units = client.get("/api/v1/units?period=2026-H2").get_json()
    assert units["period_kind"] == "half" and units["period_end"] == "2026-12-31"
    yearly = client.get("/api/v1/kpis?period=2023").get_json()
    assert yearly["period_kind"] == "year" and yearly["period_name"] == "2023"

    missing = client.get("/api/v1/kpis?period=2026-Q4")
    assert missing.status_code == 400
    error = missing.get_json()
    assert error["field"] == "period"
    assert error["error"].startswith("Không có kỳ báo cáo “2026-Q4”")
    assert "2026-Q1, 2026-Q2" in error["error"]
    english = client.get("/api/v1/kpis?period=2026-Q4&lang=en").get_json()["error"]
    assert english.startswith("There is no reporting period “2026-Q4”")


def test_openapi_document_describes_sub_year_periods(client, subyear):
    """Catches a document whose period pattern refuses "2026-H1", or whose schemas leave out
    the period's kind and days that the answers carry."""
    doc = client.get("/api/v1/openapi.json").get_json()
    pattern = doc["components"]["parameters"]["period"]["schema"]["pattern"]
    for code in ("2024", "2026-H1", "2026-Q3"):
        assert re.fullmatch(pattern.strip("^$"), code)
    assert not re.fullmatch(pattern.strip("^$"), "2026-H3")
    schemas = doc["components"]["schemas"]
    assert list(schemas["Kpi"]["properties"]) == list(api.KPI_FIELDS)
    answer = client.get("/api/v1/kpis?period=2026-Q1").get_json()
    assert set(answer) == set(schemas["KpiList"]["properties"])
    assert schemas["Kpi"]["properties"]["period_kind"]["enum"] == ["year", "half", "quarter"]
    units = client.get("/api/v1/units?period=2026-H1").get_json()
    assert set(units) == set(schemas["UnitList"]["properties"])


def test_summary_of_a_half_year_projects_from_the_halves(session, subyear):
    """Catches the summary (cards, tables, the API's rows) handing a half-year the yearly
    trend, so it shows no projection, and its basis read as years."""
    h2 = svc.get_period(session, "2026-H2")
    rows = {ind.code: (prog, figures) for ind, prog, figures in svc.summary(session, h2)}
    prog, figures = rows[CODE]
    assert [f.period for f in figures] == ["2026-H1", "2026-H2"]
    assert prog.projected == pytest.approx(70.0)
    assert prog.basis == "Dự báo từ số liệu đầy đủ các kỳ 2026-H1, 2026-H2"


def test_every_place_names_a_half_year_by_the_one_rule(session, subyear):
    """Catches a second naming rule: `periods.label` names half-years and quarters in words."""
    from dashboard.services import periods

    assert periods.label(svc.get_period(session, "2026-H1")) == "6 tháng đầu năm 2026"
    assert periods.label(svc.get_period(session, "2026-Q2")) == "Quý 2/2026"
    assert periods.label(svc.get_period(session, "2026")) == "2026"


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "field"),
    [
        ("2027-H1", "quarter", "2027-01-01", "2027-06-30", "kind"),
        ("2027-H1", "half", "2027-01-01", "2027-05-31", "start"),
        ("2027-Q2", "quarter", "2027-01-01", "2027-03-31", "start"),
        ("2027", "year", "2027-01-01", "2027-06-30", "start"),
    ],
)
def test_a_period_code_must_match_its_kind_and_days(session, code, kind, start, end, field):
    """Catches 2027-H1 stored as a quarter or over the wrong months: projections place a
    period by its code, names read it, so a code that lies about its span misplaces figures."""
    from dashboard.errors import ValidationError
    from dashboard.models import Period

    with pytest.raises(ValidationError) as err:
        admin.set_period(
            session, user(session, "admin"), code=code, kind=kind, start=start, end=end
        )
    assert field in err.value.errors
    assert session.scalar(sa.select(Period).where(Period.code == code)) is None
