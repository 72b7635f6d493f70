"""Every page path answers with the Dash shell; layouts read the query string."""

import json

import pytest
from flask_login import login_user

from tests.conftest import get_user

pytestmark = pytest.mark.db

PAGES = ["/", "/chinh-quyen-so", "/kinh-te-so", "/xa-hoi-so", "/mo-hinh-thi-diem", "/dao-tao"]


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_200_when_logged_in(client, auth, path):
    auth.login("viewer")
    response = client.get(path + "?period=2023&district=622")
    assert response.status_code == 200
    assert "Giám sát chuyển đổi số" in response.get_data(as_text=True)


def test_no_cdn_in_the_page(client, auth):
    auth.login("viewer")
    html = client.get("/").get_data(as_text=True)
    assert "cdn" not in html.lower() and "https://" not in html
    assert '<html lang="vi">' in html


def render_page(app, module: str, username: str, **query):
    import dash

    with app.test_request_context():
        login_user(get_user(app, username))
        page = next(p for p in dash.page_registry.values() if p["module"].endswith(module))
        layout = page["layout"](**query)
    return json.loads(json.dumps(layout, default=lambda c: c.to_plotly_json()))


def find(tree, component_id):
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return props
        for value in props.values():
            found = find(value, component_id) if isinstance(value, dict | list) else None
            if found:
                return found
    elif isinstance(tree, list):
        for item in tree:
            found = find(item, component_id)
            if found:
                return found
    return None


def test_pillar_layout_takes_period_district_indicator_from_query(app):
    tree = render_page(
        app, "chinh_quyen_so", "viewer", period="2023", district="633", indicator="GOV-D9_5"
    )
    assert find(tree, "pl-period")["value"] == "2023"
    assert find(tree, "pl-district")["value"] == "633"
    assert find(tree, "pl-indicator")["value"] == "GOV-D9_5"


def test_viewer_layout_has_no_edit_controls(app):
    tree = render_page(app, "chinh_quyen_so", "viewer")
    assert find(tree, "pl-edit-card") is None
    assert find(tree, {"type": "reg-add", "name": "district_plans"}) is None


def test_editor_layout_has_edit_controls(app):
    tree = render_page(app, "kinh_te_so", "editor-622")
    assert find(tree, "pl-edit-card") is not None
    assert find(tree, {"type": "reg-add", "name": "cooperatives"}) is not None


def test_unknown_period_falls_back_to_latest(app):
    tree = render_page(app, "overview", "viewer", period="1990")
    assert find(tree, "ov-period")["value"] == "2025"
