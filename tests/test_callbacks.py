"""Callbacks called directly, and replayed as HTTP requests (a callback is an open endpoint)."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask_login import login_user

from dashboard.callbacks import overview, pillar, pillar_edit
from dashboard.models import IndicatorValue, OrgUnit
from dashboard.services import indicators as svc
from dashboard.services import values as values_svc
from tests.conftest import get_user

pytestmark = pytest.mark.db


def value_of(app, code, unit_id, period="2023"):
    with app.app_context():
        session = app.extensions["db"].session()
        ind = svc.get_indicator(session, code)
        per = svc.get_period(session, period)
        return session.scalar(
            sa.select(IndicatorValue.value_bool).where(
                IndicatorValue.indicator_id == ind.id,
                IndicatorValue.unit_id == unit_id,
                IndicatorValue.period_id == per.id,
            )
        )


def version_of(app, code, unit_id, period="2023") -> int:
    """The version of the stored value (0 when none), as the edit panel keeps it."""
    with app.app_context():
        session = app.extensions["db"].session()
        ind = svc.get_indicator(session, code)
        per = svc.get_period(session, period)
        value = values_svc.stored(session, ind.id, unit_id, per.id)
        return value.version if value is not None else 0


def commune_of(app, district_code: str) -> int:
    with app.app_context():
        session = app.extensions["db"].session()
        district = svc.district_by_code(session, district_code)
        return session.scalar(
            sa.select(OrgUnit.id)
            .where(
                OrgUnit.parent_id == district.id,
                OrgUnit.kind == "xa",
                OrgUnit.valid_on(dt.date(2025, 6, 30)),
            )
            .order_by(OrgUnit.gso_code)
        )


def texts(component) -> str:
    return json.dumps(
        component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False
    )


def figure_text(component, code: str) -> str:
    """The text of the figure element marked `data-indicator=code` in a component tree."""
    found = []

    def walk(node):
        if hasattr(node, "to_plotly_json"):
            node = node.to_plotly_json()
        if isinstance(node, dict):
            props = node.get("props", node)
            if props.get("data-indicator") == code:
                found.append(props.get("children"))
            for value in props.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(component)
    assert len(found) == 1, found
    return found[0]


def test_pillar_view_shows_2023_figures(app):
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = pillar.update_view("2023", "", "GOV-C8_4", 0, "all", "government")
    table = texts(out[0])
    for text in ("17/17 huyện (100%)", "182/182 xã (100%)", "95/182 xã (52,2%)"):
        assert text in table
    by_district = out[1]
    assert sorted(by_district.data[0].customdata[:, 0]) == sorted(
        str(c) for c in [*range(622, 636), 637, 638, 639]
    )
    assert out[5].endswith("95/182 xã (52,2%)")  # records title
    assert len(out[4]) == 182  # records grid rows: every rural commune of 2023
    assert out[6] == "/chinh-quyen-so?period=2023&indicator=GOV-C8_4"


def test_pillar_view_drills_down_to_a_district(app):
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = pillar.update_view("2023", "622", "GOV-C8_4", 0, "all", "government")
        session = app.extensions["db"].session()
        expected = svc.compute(
            session,
            svc.get_indicator(session, "GOV-C8_4"),
            svc.get_period(session, "2023"),
            svc.district_by_code(session, "622").id,
        )
    assert out[5].endswith(expected.display)
    assert {row["c0"] for row in out[4]} == {"Thành phố Pleiku"}
    assert "district=622" in out[13]  # records CSV link keeps the drill-down


def test_overview_cards_show_2023_figures(app):
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        progress, *out = overview.update_overview("2023", "", "GOV-C8_4")
    assert "0/17 huyện đã gửi" in texts(progress)
    cards = texts(out[0])
    for text in ("17/17 huyện (100%)", "182/182 xã (100%)", "95/182 xã (52,2%)"):
        assert text in cards
    assert out[1].data[0].y[2] == pytest.approx(100 * 95 / 182)  # trend 2023 point
    assert len(out[2].data[0].y) == 17  # ranking
    # Without a boundary file the map says so instead of drawing anything.
    assert "BOUNDARIES_GEOJSON" in out[3].layout.annotations[0].text


def test_overview_map_uses_boundaries_when_configured(database_url, app_factory):
    from pathlib import Path

    geojson = (
        Path(__file__).resolve().parents[2]
        / "shared"
        / "data"
        / ("gia_lai_districts_2021_2025.geojson")
    )
    if not geojson.exists():
        pytest.skip("boundary file not available beside the project")
    app = app_factory(database_url, BOUNDARIES_GEOJSON=str(geojson))
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        _progress, *out = overview.update_overview("2023", "", "GOV-C8_4")
    assert out[3].data[0].type == "choropleth" and len(out[3].data[0].locations) == 17
    assert "CC BY-SA 4.0" in out[4]


def test_save_callback_writes_for_own_district(app):
    unit_id = commune_of(app, "622")
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        out = pillar_edit.save_value(
            1,
            unit_id,
            "GOV-DOSSIER-COMM",
            "2023",
            None,
            "",
            "50",
            "100",
            3,
            version_of(app, "GOV-DOSSIER-COMM", unit_id),
        )
    assert out[1] == 4  # refresh counter bumped: charts recompute
    assert "Đã lưu" in texts(out[0])


def test_save_callback_shows_field_errors(app):
    unit_id = commune_of(app, "622")
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        out = pillar_edit.save_value(
            1,
            unit_id,
            "GOV-DOSSIER-COMM",
            "2023",
            None,
            "",
            "150",
            "100",
            3,
            version_of(app, "GOV-DOSSIER-COMM", unit_id),
        )
    assert out[4] is True and "không được lớn hơn" in out[5]
    assert out[1] is not None and not isinstance(out[1], int)  # no refresh


def test_save_callback_refuses_other_district(app):
    unit_id = commune_of(app, "633")
    before = value_of(app, "GOV-C8_4", unit_id)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        out = pillar_edit.save_value(
            1,
            unit_id,
            "GOV-C8_4",
            "2023",
            str(not before).lower(),
            "",
            "",
            "",
            0,
            version_of(app, "GOV-C8_4", unit_id),
        )
    assert "không có quyền" in texts(out[0])
    assert value_of(app, "GOV-C8_4", unit_id) == before


# --- replayed requests through the Flask test client ---------------------------------------


def body(response) -> str:
    """The callback response as text, non-ASCII characters unescaped."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def save_request(dash_caller, unit_id, value="true", indicator="GOV-C8_4", version=None):
    return dash_caller.post(
        "pl-edit-feedback.children",
        inputs=[{"id": "pl-edit-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "pl-edit-unit", "property": "value", "value": unit_id},
            {"id": "pl-indicator", "property": "value", "value": indicator},
            {"id": "pl-period", "property": "value", "value": "2023"},
            {"id": "pl-edit-bool", "property": "value", "value": value},
            {"id": "pl-edit-value", "property": "value", "value": ""},
            {"id": "pl-edit-num", "property": "value", "value": ""},
            {"id": "pl-edit-den", "property": "value", "value": ""},
            {"id": "pl-refresh", "property": "data", "value": 0},
            {"id": "pl-edit-version", "property": "data", "value": version},
        ],
    )


def test_replayed_save_for_own_district_is_accepted(app, auth, dash_caller):
    unit_id = commune_of(app, "622")
    auth.login("editor-622")
    version = version_of(app, "GOV-C8_4", unit_id)
    response = save_request(dash_caller, unit_id, "false", version=version)
    assert response.status_code == 200
    assert "Đã lưu" in body(response)
    assert value_of(app, "GOV-C8_4", unit_id) is False


def test_replayed_save_without_the_seen_version_is_refused(app, auth, dash_caller):
    """Catches a pillar-page save that skips the version check (a lost update): a request
    without the version the editor saw, or with an old one, changes nothing."""
    unit_id = commune_of(app, "622")
    before = value_of(app, "GOV-C8_4", unit_id)
    auth.login("editor-622")
    response = save_request(dash_caller, unit_id, str(not before).lower())
    assert "phiên bản" in body(response)
    stale = version_of(app, "GOV-C8_4", unit_id) - 1
    response = save_request(dash_caller, unit_id, str(not before).lower(), version=stale)
    assert "đã thay đổi dữ liệu này" in body(response)
    assert value_of(app, "GOV-C8_4", unit_id) == before


def test_replayed_save_for_chu_se_is_refused(app, auth, dash_caller):
    unit_id = commune_of(app, "633")
    before = value_of(app, "GOV-C8_4", unit_id)
    auth.login("editor-622")
    response = save_request(dash_caller, unit_id, str(not before).lower())
    assert response.status_code == 200  # Dash shows the refusal in the page
    assert "không có quyền" in body(response)
    assert value_of(app, "GOV-C8_4", unit_id) == before


def test_replayed_save_as_viewer_is_refused(app, auth, dash_caller):
    unit_id = commune_of(app, "622")
    before = value_of(app, "GOV-C8_4", unit_id)
    auth.login("viewer")
    response = save_request(dash_caller, unit_id, str(not before).lower())
    assert "chỉ có quyền xem" in body(response)
    assert value_of(app, "GOV-C8_4", unit_id) == before


def test_replayed_save_without_login_is_401(app, dash_caller):
    unit_id = commune_of(app, "622")
    before = value_of(app, "GOV-C8_4", unit_id)
    response = save_request(dash_caller, unit_id, str(not before).lower())
    assert response.status_code == 401
    assert value_of(app, "GOV-C8_4", unit_id) == before


def test_replayed_pillar_save_of_zero_over_zero_is_refused(app, auth, dash_caller):
    """Catches the pillar panel accepting 0/0 for a ratio: refused at the denominator with a
    Vietnamese message, nothing saved."""
    unit_id = commune_of(app, "622")
    auth.login("editor-622")
    version = version_of(app, "GOV-DOSSIER-COMM", unit_id)
    response = dash_caller.post(
        "pl-edit-feedback.children",
        inputs=[{"id": "pl-edit-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "pl-edit-unit", "property": "value", "value": unit_id},
            {"id": "pl-indicator", "property": "value", "value": "GOV-DOSSIER-COMM"},
            {"id": "pl-period", "property": "value", "value": "2023"},
            {"id": "pl-edit-bool", "property": "value", "value": None},
            {"id": "pl-edit-value", "property": "value", "value": ""},
            {"id": "pl-edit-num", "property": "value", "value": "0"},
            {"id": "pl-edit-den", "property": "value", "value": "0"},
            {"id": "pl-refresh", "property": "data", "value": 0},
            {"id": "pl-edit-version", "property": "data", "value": version},
        ],
    )
    assert response.status_code == 200
    assert "Tổng số hồ sơ phải lớn hơn 0" in body(response)
    assert version_of(app, "GOV-DOSSIER-COMM", unit_id) == version


def test_prefill_shows_large_numbers_in_full(app):
    """Catches the panel prefilling 1234567 as `1.23457e+06` (Python's `:g`), which saves a
    different number when the editor corrects another field."""
    unit_id = commune_of(app, "622")
    with app.app_context():
        session = app.extensions["db"].session()
        ind = svc.get_indicator(session, "GOV-DOSSIER-COMM")
        value = values_svc.stored(session, ind.id, unit_id, svc.get_period(session, "2023").id)
        value.numerator, value.denominator = 1234567.0, 2345678.0
        session.commit()
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        _bool, _plain, num, den, _version = pillar_edit.prefill(
            unit_id, "GOV-DOSSIER-COMM", "2023", 0
        )
    assert (num, den) == ("1234567", "2345678")


def registry_request(dash_caller, action, unit_id, fields, selected=None):
    name = "cooperatives"
    field_ids = [{"type": "reg-field", "name": name, "field": f} for f in fields]
    return dash_caller.post(
        '"reg-msg"}.children',
        outputs=[
            {"id": {"type": "reg-msg", "name": name}, "property": "children"},
            {"id": {"type": "reg-refresh", "name": name}, "property": "data"},
            [{"id": fid, "property": "invalid"} for fid in field_ids],
            [{"id": {**fid, "type": "reg-feedback"}, "property": "children"} for fid in field_ids],
        ],
        inputs=[
            {
                "id": {"type": "reg-add", "name": name},
                "property": "n_clicks",
                "value": 1 if action == "add" else None,
            },
            {
                "id": {"type": "reg-update", "name": name},
                "property": "n_clicks",
                "value": 1 if action == "update" else None,
            },
            {
                "id": {"type": "reg-delete", "name": name},
                "property": "n_clicks",
                "value": 1 if action == "delete" else None,
            },
        ],
        state=[
            {"id": {"type": "reg-unit", "name": name}, "property": "value", "value": unit_id},
            [
                {"id": fid, "property": "value", "value": v}
                for fid, v in zip(field_ids, fields.values(), strict=True)
            ],
            [{"id": fid, "property": "id", "value": fid} for fid in field_ids],
            {
                "id": {"type": "reg-grid", "name": name},
                "property": "selectedRows",
                "value": selected,
            },
            {"id": {"type": "reg-refresh", "name": name}, "property": "data", "value": 0},
        ],
        changed=[
            json.dumps({"name": name, "type": f"reg-{action}"}, separators=(",", ":")) + ".n_clicks"
        ],
    )


def coop_count(app):
    from dashboard.models import Cooperative

    with app.app_context():
        return app.extensions["db"].session().scalar(sa.select(sa.func.count(Cooperative.id)))


FIELDS = {"name": "HTX thử", "established_on": "2023-02-01", "dissolved_on": "", "members": "9"}


def test_replayed_registry_add_in_scope_and_out_of_scope(app, auth, dash_caller):
    auth.login("editor-622")
    before = coop_count(app)
    ok = registry_request(dash_caller, "add", commune_of(app, "622"), FIELDS)
    assert ok.status_code == 200 and "Đã lưu" in body(ok)
    assert coop_count(app) == before + 1
    refused = registry_request(dash_caller, "add", commune_of(app, "633"), FIELDS)
    assert "không có quyền" in body(refused)
    assert coop_count(app) == before + 1


def test_replayed_registry_delete_of_other_district_is_refused(app, auth, dash_caller):
    from dashboard.models import Cooperative

    with app.app_context():
        session = app.extensions["db"].session()
        chu_se = svc.district_by_code(session, "633")
        row = session.scalar(
            sa.select(Cooperative).join(OrgUnit).where(OrgUnit.parent_id == chu_se.id).limit(1)
        )
        row_id, version = row.id, row.version
    auth.login("editor-622")
    before = coop_count(app)
    response = registry_request(
        dash_caller, "delete", None, FIELDS, selected=[{"id": row_id, "version": version}]
    )
    assert "không có quyền" in body(response)
    assert coop_count(app) == before


def test_overview_says_whether_figures_include_unapproved_data(app):
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        _p, cards_all, *_rest = overview.update_overview("2023", "", "GOV-C8_4", "all")
        _p, cards_pub, *_rest = overview.update_overview("2023", "", "GOV-C8_4", "approved")
        _p, cards_2022, *_rest = overview.update_overview("2022", "", "GOV-C8_4", "all")
    all_text, pub_text, text_2022 = texts(cards_all), texts(cards_pub), texts(cards_2022)
    assert "95/182 xã (52,2%)" in all_text and "Gồm số liệu chưa duyệt" in all_text
    assert "17/17 huyện chưa được phê duyệt" in all_text
    # No district approved 2023: no published figure, never "0/182 (0%)".
    assert figure_text(cards_pub, "GOV-C8_4") == "Chưa có số liệu được phê duyệt"
    assert "Chỉ gồm số liệu đã phê duyệt (0/17" in pub_text
    assert "Gồm số liệu chưa duyệt" not in text_2022  # the 2022 round is approved


def test_pillar_view_in_approved_mode(app):
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        out = pillar.update_view("2022", "", "GOV-C8_4", 0, "approved", "government")
    assert "Chỉ gồm số liệu đã phê duyệt (17/17" in texts(out[0])


def test_an_unapproved_value_never_appears_on_an_approved_only_page(app):
    """Catches a page in approved-only mode that shows an unapproved district's value in a
    card, the summary table, a chart (bars, trend, map) or the records grid."""
    from tests.test_exports import MARKER, _plant_unapproved_value

    with app.app_context():
        _plant_unapproved_value(app.extensions["db"].session())

    def seen(outputs) -> bool:
        text = json.dumps(
            [o.to_plotly_json() if hasattr(o, "to_plotly_json") else o for o in outputs],
            default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
            ensure_ascii=False,
        )
        digits = text.replace(".", "").replace(",", "").replace(" ", "")
        return str(MARKER) in digits or str(MARKER + 1) in digits

    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        for district in ("", "633"):
            args = ("2023", district, "GOV-DOSSIER-COMM", 0)
            assert not seen(pillar.update_view(*args, "approved", "government")), district
            assert not seen(
                overview.update_overview("2023", district, "GOV-DOSSIER-COMM", "approved")
            )
        # All data does show it (the check can see the value).
        assert seen(pillar.update_view("2023", "633", "GOV-DOSSIER-COMM", 0, "all", "government"))
