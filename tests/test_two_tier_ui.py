"""Pages after the two-tier reform: the unit picker follows the period (districts for 2021-2025,
communes and wards from 1/7/2025), the overview ranks and maps the units that report in the
period and names them, and embeds look units up in the period they show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_login import login_user

from dashboard import charts
from dashboard.callbacks import overview
from dashboard.components import unit_picker
from dashboard.errors import ValidationError
from dashboard.models import Indicator, IndicatorValue, Level, OrgUnit, Programme
from dashboard.services import indicators as svc
from tests.conftest import get_user
from tests.test_callbacks import texts

pytestmark = pytest.mark.db

REFORM = dt.date(2025, 7, 1)
GEOJSON = Path(__file__).resolve().parents[2] / "shared" / "data"
GEOJSON = GEOJSON / "gia_lai_districts_2021_2025.geojson"


@pytest.fixture
def ind_2026(app):
    """A commune indicator of the 2026-2035 programme with values for three new communes (two
    met, one not)."""
    session = app.extensions["db"].session()
    programme = session.scalar(sa.select(Programme).where(Programme.code == "mtqg-2026-2035"))
    commune = session.scalar(sa.select(Level).where(Level.code == "commune"))
    ind = Indicator(
        code="T-2026-UI",
        name_vi="Xã có nền tảng số (thử)",
        name_en="Commune with a digital platform (test)",
        short_vi="Nền tảng số (thử)",
        pillar="government",
        level=commune,
        value_type="boolean",
        rollup="share_meeting",
        source="values",
        programme=programme,
        valid_from=programme.start_date,
        valid_to=programme.end_date,
        display_order=-1,
    )
    session.add(ind)
    session.flush()
    period = svc.get_period(session, "2026")
    for code, met in (("23590", True), ("21583", True), ("21553", False)):
        unit = session.scalar(
            sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.valid_on(REFORM))
        )
        session.add(IndicatorValue(indicator=ind, unit_id=unit.id, period=period, value_bool=met))
    session.commit()
    session.close()
    return "T-2026-UI"


def test_picker_lists_districts_in_2023_and_the_135_communes_in_2026(app):
    # Catches the picker offering the 17 former districts for a period reported by communes.
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        opts_2026, label_2026, value = unit_picker.follow_period("2026", "622")
        opts_2023, label_2023, kept = unit_picker.follow_period("2023", "622")
    assert len(opts_2026) == 1 + 135 and label_2026 == "Xã, phường"
    assert value == ""  # Pleiku (a district) does not report in 2026: back to the province
    assert len(opts_2023) == 1 + 17 and label_2023 == "Huyện, thị xã, thành phố"
    assert kept == "622"
    assert {"label": "Xã Biển Hồ (23590)", "value": "23590"} in opts_2026


def test_overview_2026_ranks_the_communes_and_names_them(app, ind_2026):
    # Catches the ranking still headed "các huyện", or counting districts, in a commune period.
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = overview.update_overview("2026", "", ind_2026)
    cards, ranking, title_trend, title_ranking, title_map = out[1], out[3], *out[-3:]
    assert "2/3 đơn vị cấp xã (66,7%)" in texts(cards)
    assert title_ranking == "Xếp hạng các xã, phường" and title_map == "Bản đồ các xã, phường"
    assert title_trend == "Xu hướng 2026"
    assert len(ranking.data[0].y) == 135


def test_overview_2026_drills_down_to_one_commune(app, ind_2026):
    # Catches a commune code looked up as a district (no drill-down after the reform).
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = overview.update_overview("2026", "21553", ind_2026)
    assert "0/1 đơn vị cấp xã (0%)" in texts(out[1])
    assert "district=21553" in out[6]


def test_overview_2023_keeps_the_districts(app):
    # Catches the reform's wording leaking into 2021-2025.
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = overview.update_overview("2023", "622", "GOV-C8_4")
    assert out[-2:] == ("Xếp hạng các huyện", "Bản đồ các huyện")
    assert out[-3] == "Xu hướng 2021-2025"


def test_map_says_it_has_no_boundaries_for_the_new_communes(database_url, app_factory, ind_2026):
    # Catches an empty choropleth (nothing matched) drawn without a word for 2026.
    if not GEOJSON.exists():
        pytest.skip("boundary file not available beside the project")
    app = app_factory(database_url, BOUNDARIES_GEOJSON=str(GEOJSON))
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out_2026 = overview.update_overview("2026", "", ind_2026)
        out_2023 = overview.update_overview("2023", "", "GOV-C8_4")
    message = out_2026[4].layout.annotations[0].text.replace("<br>", " ")
    assert "không có ranh giới của các xã, phường" in message
    assert out_2023[4].data[0].type == "choropleth"


def test_embed_looks_units_up_in_the_period_it_shows(app, ind_2026):
    # Catches an embed of 2026 refusing a commune, or accepting a former district.
    spec = (
        charts.CHARTS["trend"]
        if "trend" in charts.CHARTS
        else next(
            s for s in charts.CHARTS.values() if "district" in s.params and "period" in s.params
        )
    )
    with app.test_request_context():
        session = app.extensions["db"].session()
        q = charts.resolve(
            session, spec, {"period": "2026", "district": "23590"}, approved_only=True
        )
        assert q.district.gso_code == "23590" and q.district.valid_from == REFORM
        with pytest.raises(ValidationError) as err:
            charts.resolve(session, spec, {"period": "2026", "district": "622"}, approved_only=True)
        assert "district" in err.value.errors
        session.close()


def dropdown_value(layout, component_id):
    """The value of the component `component_id` in a layout tree."""
    found = []

    def walk(node):
        if getattr(node, "id", None) == component_id:
            found.append(node.value)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if hasattr(child, "to_plotly_json"):
                walk(child)

    walk(layout)
    return found[0]


def test_period_report_page_offers_the_units_of_its_period(app):
    # Catches the report page offering (or keeping) a former district for a 2026 report.
    from dashboard.pages import bao_cao

    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        page_2026 = bao_cao.layout(period="2026", district="23590")
        page_former = bao_cao.layout(period="2026", district="622")
        page_2023 = bao_cao.layout(period="2023", district="622")
    assert dropdown_value(page_2026, "rp-district") == "23590"
    assert "Xã, phường" in texts(page_2026)
    assert dropdown_value(page_former, "rp-district") == ""
    assert dropdown_value(page_2023, "rp-district") == "622"
    assert "Huyện, thị xã, thành phố" in texts(page_2023)


def test_data_entry_grid_of_a_commune_editor_in_2026(app, ind_2026, monkeypatch):
    # Catches the grid looking the commune up as a district (an empty grid after the reform).
    from dashboard.callbacks import data_entry

    monkeypatch.setattr(data_entry, "ctx", SimpleNamespace(triggered_id="ne-target"))
    with app.test_request_context():
        login_user(get_user(app, "editor-23590"))
        out = data_entry.load({"district": "23590", "period": "2026"}, 0, None)
    rows = out[1]
    assert [r["code"] for r in rows] == ["23590"]
    assert [c["indicator"] for c in out[2]] == ["T-2026-UI"]


def test_data_entry_says_a_former_district_does_not_report_in_2026(app, monkeypatch):
    # Catches a silent empty grid for a district after the reform.
    from dashboard.callbacks import data_entry

    monkeypatch.setattr(data_entry, "ctx", SimpleNamespace(triggered_id="ne-target"))
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        out = data_entry.load({"district": "622", "period": "2026"}, 0, None)
    assert out[1] == [] and "không báo cáo trong kỳ 2026" in texts(out[3])


def test_data_entry_picker_follows_the_period_for_the_office(app):
    # Catches the office offered the former districts to enter 2026 records.
    from dashboard.callbacks import data_entry

    with app.test_request_context():
        login_user(get_user(app, "admin"))
        options_2026, label_2026 = data_entry.picker_for_period("2026")
        options_2023, label_2023 = data_entry.picker_for_period("2023")
        login_user(get_user(app, "editor-23590"))
        own, _label = data_entry.picker_for_period("2023")
    assert len(options_2026) == 135 and label_2026 == "Xã, phường"
    assert len(options_2023) == 17 and label_2023 == "Huyện, thị xã, thành phố"
    assert [o["value"] for o in own] == ["23590"]


def test_period_report_of_2026_names_the_communes_not_the_districts(app, ind_2026):
    # Catches the printed report of a commune period headed "Theo huyện".
    import io

    from openpyxl import load_workbook

    from dashboard.reports import make_report

    with app.test_request_context():
        viewer = get_user(app, "viewer")
        login_user(viewer)
        made_2026 = make_report(viewer, "xlsx", "2026", "", "all")
        made_2023 = make_report(viewer, "xlsx", "2023", "", "all")
    sheets_2026 = load_workbook(io.BytesIO(made_2026.payload)).sheetnames
    sheets_2023 = load_workbook(io.BytesIO(made_2023.payload)).sheetnames
    assert "Theo xã, phường" in sheets_2026 and "Theo huyện" not in sheets_2026
    assert "Theo huyện" in sheets_2023


def test_data_entry_registries_of_a_commune_list_its_rows_only(app):
    # Catches the registry under a 2026 commune's data entry listing the whole province's rows
    # (its code not found as a district, so no filter).
    from dashboard.callbacks.registry import load_grid
    from dashboard.services import registries

    session = app.extensions["db"].session()
    bien_ho = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23590", OrgUnit.valid_on(REFORM))
    )
    registries.create_row(
        session,
        get_user(app, "admin"),
        "cooperatives",
        bien_ho.id,
        {"name": "HTX Biển Hồ mới", "established_on": "2026-03-01", "members": "12"},
    )
    session.commit()
    session.close()
    with app.test_request_context():
        login_user(get_user(app, "editor-23590"))
        _cols, rows = load_grid(0, "23590", {"name": "cooperatives"})
        _cols, every = load_grid(0, "", {"name": "cooperatives"})
    assert [r["c4"] for r in rows] == ["Xã Biển Hồ"]
    assert len(every) > len(rows)


def test_pillar_page_of_2026_drills_down_to_a_commune(app, ind_2026):
    # Catches the pillar page looking a commune up as a district (province-wide figures under
    # a commune's name) and its chart still headed by district.
    from dashboard.callbacks import pillar

    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = pillar.update_view("2026", "23590", ind_2026, 0, "all", "government")
        province = pillar.update_view("2026", "", ind_2026, 0, "all", "government")
    assert "Xã Biển Hồ" in out[5] and "1/1 đơn vị cấp xã (100%)" in out[5]
    assert "2/3 đơn vị cấp xã (66,7%)" in province[5]
    assert out[-1] == "Theo xã, phường"


def test_downloads_of_a_2026_commune(client, auth, ind_2026):
    # Catches the downloads refusing a commune code after the reform (400 "unknown unit").
    auth.login("viewer")
    ok = client.get(f"/xuat/records.csv?period=2026&district=23590&indicator={ind_2026}")
    assert ok.status_code == 200 and "Xã Biển Hồ" in ok.get_data(as_text=True)
    former = client.get(f"/xuat/records.csv?period=2026&district=622&indicator={ind_2026}")
    assert former.status_code == 400


def test_a_commune_code_in_a_period_reported_by_districts_is_known_not_unknown(client):
    # Catches a commune code answered "unknown unit" for 2023 (it exists; it does not report
    # then), the district-only lookup of codes.
    response = client.get("/api/v1/kpis?period=2023&district=23590")
    assert response.status_code == 400
    assert "không báo cáo trong kỳ 2023" in response.get_json()["error"]


def test_records_of_2026_head_the_reporting_unit_column_for_communes(app, ind_2026):
    # Catches the records under a 2026 figure with a "Huyện" column (holding commune names),
    # and registry lists naming the province as a 2026 commune's district.
    from dashboard.services import registries

    session = app.extensions["db"].session()
    bien_ho = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == "23590", OrgUnit.valid_on(REFORM))
    )
    registries.create_row(
        session,
        get_user(app, "admin"),
        "cooperatives",
        bien_ho.id,
        {"name": "HTX Biển Hồ 2026", "established_on": "2026-02-01", "members": "9"},
    )
    session.commit()
    with app.test_request_context():
        ind = svc.get_indicator(session, ind_2026)
        frame_2026 = svc.records(session, ind, svc.get_period(session, "2026"))
        frame_2023 = svc.records(
            session, svc.get_indicator(session, "GOV-C8_4"), svc.get_period(session, "2023")
        )
        coops = registries.list_rows(session, "cooperatives")
    session.close()
    assert "Xã, phường" in frame_2026.columns and "Huyện" not in frame_2026.columns
    assert "Huyện" in frame_2023.columns
    new_row = coops[coops["Tên"] == "HTX Biển Hồ 2026"]
    assert list(new_row["Huyện"]) == [""]


def test_pillar_page_of_a_period_without_indicators_says_so(app):
    # Catches an empty pillar page in 2026 (no indicator of the new programme yet) without a
    # word on why or where the office adds them.
    from dashboard.callbacks import pillar

    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = pillar.update_view("2026", "", None, 0, "all", "government")
    assert "chưa có chỉ tiêu nào đang có hiệu lực" in texts(out[0])
    assert "/quan-tri/chi-tieu" in texts(out[0])
