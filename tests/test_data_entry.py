"""Data-entry grid, report actions, progress, audit and administration pages: callbacks called
directly and replayed over HTTP, and authorization on every new write path."""

import base64
import json
import re

import pytest
import sqlalchemy as sa
from dash import no_update
from flask_login import login_user

from dashboard.callbacks import audit as audit_callbacks
from dashboard.callbacks import data_entry as cb
from dashboard.callbacks import reporting
from dashboard.models import AuditLog, IndicatorValue, OrgUnit, User
from dashboard.services import data_entry as model
from dashboard.services import excel, workflow
from dashboard.services import indicators as svc
from tests.conftest import get_user

pytestmark = pytest.mark.db


def body(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def target(district="622", period="2023") -> dict:
    """The `ne-target` store: the district and period whose grid is shown."""
    return {"district": district, "period": period}


TARGET = target()


def grid(app, district="622", period="2023"):
    with app.app_context():
        session = app.extensions["db"].session()
        columns, rows = model.grid_model(
            session, svc.district_by_code(session, district), svc.get_period(session, period)
        )
        return [c.__dict__ for c in columns], rows


def stored(app, unit_id, code="GOV-DOSSIER-COMM", period="2023"):
    with app.app_context():
        session = app.extensions["db"].session()
        ind, per = svc.get_indicator(session, code), svc.get_period(session, period)
        value = session.scalar(
            sa.select(IndicatorValue).where(
                IndicatorValue.indicator_id == ind.id,
                IndicatorValue.unit_id == unit_id,
                IndicatorValue.period_id == per.id,
            )
        )
        return (value.numerator, value.denominator) if value else None


def field_of(columns, indicator, part):
    return next(c["field"] for c in columns if c["indicator"] == indicator and c["part"] == part)


def test_grid_model_lists_units_and_applicable_inputs(app):
    columns, rows = grid(app)
    assert rows[0]["code"] == "622" and len(rows) > 10
    assert all(r["code"] != "622" for r in rows[1:])
    indicators = {c["indicator"] for c in columns}
    assert "GOV-DOSSIER-PROV" not in indicators  # applies to no unit of a district
    assert {"GOV-C8_4", "GOV-DOSSIER-COMM", "GOV-D9_5"} <= indicators
    c84 = field_of(columns, "GOV-C8_4", "value")
    district_row, commune_row = rows[0], next(r for r in rows if r["code"] == "23593")
    assert c84 not in district_row["_app"] and c84 in commune_row["_app"]
    assert commune_row[c84] == "Không đạt"


def edit(rows, code, field, value):
    row = next(r for r in rows if r["code"] == code)
    row[field] = value
    return row


def test_grid_save_writes_all_changes_at_once(app):
    columns, rows = grid(app)
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    a = edit(rows, "23590", num, "100")
    b = edit(rows, "23593", num, "200")
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        alert, _rows, reload, _unit = cb.save(1, rows, columns, TARGET, 0, None)
    assert reload == 1 and "Đã lưu 2 giá trị" in json.dumps(
        alert.to_plotly_json(), default=str, ensure_ascii=False
    )
    assert stored(app, a["unit_id"])[0] == 100 and stored(app, b["unit_id"])[0] == 200


def test_grid_save_with_one_bad_cell_saves_nothing_and_marks_the_cell(app):
    columns, rows = grid(app)
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    good = edit(rows, "23590", num, "100")
    bad = edit(rows, "23593", num, "nhiều")
    before = stored(app, good["unit_id"])
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        _alert, new_rows, reload, _unit = cb.save(1, rows, columns, TARGET, 0, None)
    assert reload is not None and not isinstance(reload, int)  # no reload: edits stay
    marked = next(r for r in new_rows if r["unit_id"] == bad["unit_id"])
    assert "phải là số" in marked["_err"][num]
    assert stored(app, good["unit_id"]) == before


def test_check_cell_marks_errors_as_you_type(app):
    columns, rows = grid(app)
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    row = edit(rows, "23593", num, "999999")
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        new_rows = cb.check_cell([{"rowId": str(row["unit_id"]), "colId": num}], rows, columns)
    marked = next(r for r in new_rows if r["unit_id"] == row["unit_id"])
    assert "không được lớn hơn" in marked["_err"][num]
    assert model.count_changes(cb._columns(columns), new_rows) == (1, 0)


def test_grid_save_without_the_seen_versions_is_refused(app):
    """Catches a replayed grid save that drops the versions (`_ver`) to skip the lost-update
    check: every changed cell must carry the version its editor saw."""
    columns, rows = grid(app)
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    row = edit(rows, "23590", num, "3")
    row.pop("_ver")
    before = stored(app, row["unit_id"])
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        alert, _rows, reload, _unit = cb.save(1, rows, columns, TARGET, 0, None)
    text = json.dumps(alert.to_plotly_json(), default=str, ensure_ascii=False)
    assert "phiên bản" in text and reload is no_update
    assert stored(app, row["unit_id"]) == before


def test_concurrent_grid_saves_one_conflict_shows_current_value(app):
    columns, rows_a = grid(app)
    _columns, rows_b = grid(app)  # two editors loaded the same values
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    den = field_of(columns, "GOV-DOSSIER-COMM", "denominator")
    edit(rows_a, "23590", num, "1")
    edit(rows_a, "23590", den, "10")
    target = edit(rows_b, "23590", num, "2")
    edit(rows_b, "23590", den, "10")
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        cb.save(1, rows_a, columns, TARGET, 0, None)
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        alert, _rows, _reload, _unit = cb.save(1, rows_b, columns, TARGET, 0, None)
    text = json.dumps(alert.to_plotly_json(), default=str, ensure_ascii=False)
    assert "đã thay đổi dữ liệu này" in text and "1/10" in text
    assert stored(app, target["unit_id"]) == (1, 10)


def replay_save(dash_caller, rows, columns, district="622"):
    return dash_caller.post(
        "ne-save-msg.children",
        inputs=[{"id": "ne-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ne-grid", "property": "rowData", "value": rows},
            {"id": "ne-columns", "property": "data", "value": columns},
            {"id": "ne-target", "property": "data", "value": target(district)},
            {"id": "ne-reload", "property": "data", "value": 0},
            {"id": "ne-m-unit", "property": "value", "value": None},
        ],
    )


def test_replayed_grid_save_with_chu_se_rows_is_refused(app, auth, dash_caller):
    columns, rows = grid(app, "633")  # rows of Chư Sê, sent by Pleiku's editor
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    row = rows[1]
    row[num] = "1"
    before = stored(app, row["unit_id"])
    auth.login("editor-622")
    response = replay_save(dash_caller, rows, columns, district="633")
    assert response.status_code == 200 and "không có quyền" in body(response)
    assert stored(app, row["unit_id"]) == before


@pytest.mark.parametrize("username", ["viewer", None])
def test_replayed_grid_save_by_viewer_or_anonymous(app, auth, dash_caller, username):
    columns, rows = grid(app)
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    row = rows[1]
    row[num] = "1"
    before = stored(app, row["unit_id"])
    if username:
        auth.login(username)
    response = replay_save(dash_caller, rows, columns)
    if username:
        assert "chỉ có quyền xem" in body(response)
    else:
        assert response.status_code == 401
    assert stored(app, row["unit_id"]) == before


def replay_action(dash_caller, button, district="622", reason=None, seen=None):
    """The transition a dialog's confirm button sends (`ne-confirm` holds what the dialog
    described), as a replayed request with any content."""
    action = {"ne-submit": "submit", "ne-approve": "approve", "ne-return": "return"}.get(
        button, "reopen"
    )
    pending = {"action": action, "district": district, "period": "2023", "reason": reason}
    return dash_caller.post(
        "ne-wf-msg.children",
        inputs=[{"id": "ne-confirm-ok", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ne-confirm", "property": "data", "value": pending},
            {"id": "ne-seen-status", "property": "data", "value": seen},
            {"id": "ne-reload", "property": "data", "value": 0},
        ],
    )


def report_status(app, district="622"):
    with app.app_context():
        session = app.extensions["db"].session()
        return workflow.status_of(
            session, svc.district_by_code(session, district).id, svc.get_period(session, "2023").id
        )


def test_replayed_workflow_actions_respect_roles(app, client, auth, dash_caller):
    auth.login("editor-622")
    assert "không có quyền" in body(replay_action(dash_caller, "ne-submit", "633"))
    assert report_status(app, "633") == "draft"
    assert "Đã gửi báo cáo" in body(replay_action(dash_caller, "ne-submit", seen="draft"))
    assert report_status(app) == "submitted"
    for button in ("ne-approve", "ne-return", "ne-reopen"):
        assert "không có quyền" in body(replay_action(dash_caller, button, reason="x"))
    assert report_status(app) == "submitted"
    auth.logout()
    auth.login("admin")
    refused = body(replay_action(dash_caller, "ne-return", reason=""))
    assert "lý do" in refused and report_status(app) == "submitted"
    assert "Đã phê duyệt" in body(replay_action(dash_caller, "ne-approve", seen="submitted"))
    assert report_status(app) == "approved"
    assert "Đã mở lại" in body(
        replay_action(dash_caller, "ne-reopen", reason="Sửa số liệu", seen="approved")
    )
    assert report_status(app) == "draft"


def template_bytes(app, username, district="622"):
    with app.app_context():
        session = app.extensions["db"].session()
        user = session.scalar(sa.select(User).where(User.username == username))
        return excel.build_template(session, user, district, "2023")


def test_template_route_is_scoped(client, auth):
    auth.login("editor-622")
    ok = client.get("/nhap-lieu/mau.xlsx?district=622&period=2023")
    assert ok.status_code == 200 and ok.data[:2] == b"PK"
    refused = client.get("/nhap-lieu/mau.xlsx?district=633&period=2023")
    assert refused.status_code == 403 and "không có quyền" in refused.get_json()["error"]
    assert client.get("/nhap-lieu/mau.xlsx?district=622&period=1999").status_code == 400
    auth.logout()
    auth.login("viewer")
    assert client.get("/nhap-lieu/mau.xlsx?district=622&period=2023").status_code == 403


def replay_upload(dash_caller, data: bytes, name="mau.xlsx"):
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    return dash_caller.post(
        "ne-upload-msg.children",
        inputs=[{"id": "ne-upload", "property": "contents", "value": contents}],
        state=[
            {"id": "ne-upload", "property": "filename", "value": name},
            {"id": "ne-reload", "property": "data", "value": 0},
        ],
    )


def test_replayed_upload_of_another_district_is_refused(app, auth, dash_caller):
    data = template_bytes(app, "admin", "633")
    auth.login("editor-622")
    response = replay_upload(dash_caller, data)
    assert "không có quyền" in body(response)


def test_replayed_upload_of_a_bad_file_lists_the_problem(app, auth, dash_caller):
    auth.login("editor-622")
    response = replay_upload(dash_caller, b"a,b\n1,2", "so-lieu.csv")
    text = body(response)
    assert "Không nhập tệp so-lieu.csv" in text and "ne-upload-problems" in text


def test_replayed_upload_of_the_own_template_is_accepted(app, auth, dash_caller):
    auth.login("editor-622")
    response = replay_upload(dash_caller, template_bytes(app, "editor-622"))
    assert "Đã nhập tệp mau.xlsx: 0 giá trị được ghi" in body(response)


def test_progress_page_lists_17_districts(app):
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        summary, _columns, rows, csv_href, _xlsx = reporting.update_progress("2023")
    assert "0/17 huyện đã gửi" in summary and len(rows) == 17
    assert csv_href == "/xuat/progress.csv?period=2023"


def test_audit_page_and_export_are_for_admins(app, client, auth):
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        assert audit_callbacks.update_audit(None, None, None, None, None)[2] == []
    auth.login("editor-622")
    assert client.get("/xuat/audit.csv").status_code == 403
    auth.logout()
    auth.login("admin")
    with app.app_context():
        session = app.extensions["db"].session()
        workflow.transition(
            session,
            session.scalar(sa.select(User).where(User.username == "editor-622")),
            "submit",
            "622",
            "2023",
        )
    response = client.get("/xuat/audit.csv?user=editor-622")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    assert "Gửi báo cáo" in text and "editor-622" in text


def replay_admin_create(dash_caller, username="moi.taikhoan"):
    return dash_caller.post(
        "ad-user-msg.children",
        inputs=[
            {"id": "ad-create", "property": "n_clicks", "value": 1},
            {"id": "ad-update", "property": "n_clicks", "value": None},
            {"id": "ad-reset", "property": "n_clicks", "value": None},
        ],
        state=[
            {"id": "ad-username", "property": "value", "value": username},
            {"id": "ad-fullname", "property": "value", "value": ""},
            {"id": "ad-role", "property": "value", "value": "admin"},
            {"id": "ad-district", "property": "value", "value": None},
            {"id": "ad-password", "property": "value", "value": "mat-khau-moi-2025"},
            {"id": "ad-active", "property": "value", "value": True},
            {"id": "ad-users-grid", "property": "selectedRows", "value": None},
            {"id": "ad-refresh", "property": "data", "value": 0},
            {"id": "ad-email", "property": "value", "value": ""},
        ],
        changed=["ad-create.n_clicks"],
    )


def user_exists(app, username) -> bool:
    with app.app_context():
        return (
            app.extensions["db"]
            .session()
            .scalar(sa.select(sa.func.count(User.id)).where(User.username == username))
            == 1
        )


def test_replayed_admin_actions_are_refused_to_editors(app, auth, dash_caller):
    auth.login("editor-622")
    response = replay_admin_create(dash_caller)
    assert "không có quyền" in body(response) and not user_exists(app, "moi.taikhoan")
    auth.logout()
    auth.login("admin")
    assert "Đã lưu" in body(replay_admin_create(dash_caller))
    assert user_exists(app, "moi.taikhoan")
    with app.app_context():
        entry = (
            app.extensions["db"].session().scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
        )
        assert entry.action == "user.create"


def test_admin_and_audit_pages_hidden_from_editors(client, auth):
    auth.login("editor-622")
    text = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    hrefs = set(re.findall(r'"href": "(/[^"]*)"', text))
    assert "/nhap-lieu" in hrefs
    assert "/quan-tri" not in hrefs and "/nhat-ky" not in hrefs


def test_data_entry_page_for_viewer_is_read_only(app):
    import dash

    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        page = next(p for p in dash.page_registry.values() if p["path"] == "/nhap-lieu")
        layout = page["layout"]()
    assert layout.id == "ne-read-only"


def test_registry_rows_of_the_district_follow_the_picker(app):
    from dashboard.callbacks.registry import load_grid

    with app.test_request_context():
        login_user(get_user(app, "admin"))
        _cols, rows = load_grid(0, "633", {"name": "cooperatives"})
        session = app.extensions["db"].session()
        chu_se = svc.district_by_code(session, "633")
        names = set(session.scalars(sa.select(OrgUnit.name).where(OrgUnit.parent_id == chu_se.id)))
    assert rows and all(r["c4"] in names for r in rows)


def test_replayed_grid_save_into_a_submitted_period_is_refused(app, auth, dash_caller):
    columns, rows = grid(app)
    with app.app_context():
        session = app.extensions["db"].session()
        editor = session.scalar(sa.select(User).where(User.username == "editor-622"))
        workflow.transition(session, editor, "submit", "622", "2023")
    num = field_of(columns, "GOV-DOSSIER-COMM", "numerator")
    row = rows[1]
    row[num] = "1"
    before = stored(app, row["unit_id"])
    auth.login("editor-622")
    response = replay_save(dash_caller, rows, columns)
    assert "đã khóa" in body(response)
    assert stored(app, row["unit_id"]) == before


def test_replayed_period_and_target_changes_are_refused_to_editors(app, auth, dash_caller):
    auth.login("editor-622")
    period = dash_caller.post(
        "ad-period-msg.children",
        inputs=[{"id": "ad-period-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ad-period-code", "property": "value", "value": "2023"},
            {"id": "ad-period-kind", "property": "value", "value": "year"},
            {"id": "ad-period-start", "property": "value", "value": None},
            {"id": "ad-period-end", "property": "value", "value": None},
            {"id": "ad-period-deadline", "property": "value", "value": "2030-01-01"},
            {"id": "ad-refresh", "property": "data", "value": 0},
        ],
    )
    target = dash_caller.post(
        "ad-target-msg.children",
        inputs=[{"id": "ad-target-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ad-target-indicator", "property": "value", "value": "GOV-C8_4"},
            {"id": "ad-target-scope", "property": "value", "value": "province"},
            {"id": "ad-target-year", "property": "value", "value": "2025"},
            {"id": "ad-target-value", "property": "value", "value": "10"},
            {"id": "ad-target-milestones", "property": "value", "value": ""},
            {"id": "ad-refresh", "property": "data", "value": 0},
        ],
    )
    assert "không có quyền" in body(period) and "không có quyền" in body(target)
    with app.app_context():
        session = app.extensions["db"].session()
        assert svc.get_period(session, "2023").deadline.year == 2024
        assert svc.target_for(svc.get_indicator(session, "GOV-C8_4")).target_value == 97


def test_a_refused_download_followed_in_the_browser_gets_the_vietnamese_page(client, auth):
    """Bug: following a forbidden template or download link in the browser showed raw,
    escaped JSON (`{"error": "B\\u1ea1n ..."}`) instead of a page a person can read."""
    auth.login("editor-622")
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    refused = client.get("/nhap-lieu/mau.xlsx?district=633&period=2023", headers=browser)
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    page = refused.get_data(as_text=True)
    assert "Không có quyền truy cập" in page and "không có quyền" in page
    bad = client.get("/xuat/summary.csv?period=1999", headers=browser)
    assert bad.status_code == 400 and bad.mimetype == "text/html"
    assert "Kỳ báo cáo không thuộc chương trình" in bad.get_data(as_text=True)
    # Scripts and tools still get JSON.
    assert client.get("/xuat/summary.csv?period=1999").get_json()["error"]
