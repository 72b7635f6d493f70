"""The audit log in words: every action the services record is named in Vietnamese, fields by
their labels, values formatted (numbers, yes/no, dates, statuses, units), times in Vietnam
time; a change's detail shows before → after with the changed fields marked; the page keeps its
filters in the query string and the downloads read the same words."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_login import login_user
from plotly.utils import PlotlyJSONEncoder

from dashboard.callbacks import audit as audit_callbacks
from dashboard.models import AuditLog, IndicatorValue, OrgUnit, User
from dashboard.services import admin as admin_service
from dashboard.services import audit, registries, values, workflow
from dashboard.services import embed_admin as embed_service
from dashboard.services import indicators as svc
from dashboard.services.registry_specs import REGISTRIES
from tests.conftest import get_user

pytestmark = pytest.mark.db

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"
CODE = "GOV-DOSSIER-COMM"
RAW_MARKS = re.compile(r"\(\w+\.\w+\)|value_bool|value_num|numerator|denominator|None|nan\b")


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def first_commune(session, district="622") -> OrgUnit:
    """The district's first rural commune (by id, the same on every database) with a 2024
    value of `CODE` to change."""
    district_unit = svc.district_by_code(session, district)
    communes = session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == district_unit.id).order_by(OrgUnit.id)
    )
    return next(u for u in communes if u.kind == "xa" and stored(session, u.id) is not None)


def stored(session, unit_id, period="2024") -> IndicatorValue:
    ind, per = svc.get_indicator(session, CODE), svc.get_period(session, period)
    return values.stored(session, ind.id, unit_id, per.id)


def every_action(session) -> None:
    """Make the services record one audit row of each kind."""
    editor, admin = user(session, "editor-622"), user(session, "admin")
    unit = first_commune(session)
    cell = stored(session, unit.id)
    values.set_value(
        session,
        editor,
        indicator_code=CODE,
        unit_id=unit.id,
        period_code="2024",
        raw={"numerator": str(int(cell.numerator) + 1), "denominator": str(cell.denominator)},
    )
    values.clear_value(
        session,
        editor,
        indicator_code=CODE,
        unit_id=unit.id,
        period_code="2024",
        expected_version=stored(session, unit.id).version,
    )
    values.set_value(
        session,
        editor,
        indicator_code=CODE,
        unit_id=unit.id,
        period_code="2024",
        raw={"numerator": "995", "denominator": "1801"},
    )
    row = registries.create_row(
        session,
        editor,
        "cooperatives",
        unit.id,
        {"name": "HTX Ia Kênh", "established_on": "2024-05-01", "members": "1200"},
    )
    row = registries.update_row(
        session,
        editor,
        "cooperatives",
        row.id,
        unit.id,
        {"name": "HTX Ia Kênh", "established_on": "2024-05-01", "members": "1250"},
        expected_version=row.version,
    )
    registries.delete_row(session, editor, "cooperatives", row.id, row.version)
    workflow.transition(session, editor, "submit", "622", "2024")
    workflow.transition(session, admin, "return", "622", "2024", reason="Thiếu số liệu")
    workflow.transition(session, editor, "submit", "622", "2024")
    workflow.transition(session, admin, "approve", "622", "2024")
    workflow.transition(session, admin, "reopen", "622", "2024", reason="Điều chỉnh")
    created = admin_service.create_user(
        session,
        admin,
        username="canbo.chuse",
        role="editor",
        district_code="633",
        full_name="Cán bộ Chư Sê",
        password="mat-khau-can-bo-1",
    )
    admin_service.update_user(
        session, admin, created.id, role="editor", district_code="633", active=False
    )
    admin_service.reset_password(session, admin, created.id, "mat-khau-moi-1")
    admin_service.set_period(session, admin, code="2023", deadline="2024-02-01")
    admin_service.set_target(session, admin, indicator_code="GOV-C8_4", value=90, year=2025)
    in_a_year = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    link = embed_service.create_link(
        session, admin, "tong-quan-xu-huong", {"period": "2024"}, "Cổng tỉnh", in_a_year
    )
    link = embed_service.update_link(session, admin, link.id, link.version, label="Trang NTM")
    embed_service.revoke_link(session, admin, link.id, link.version)
    embed_service.set_chart(session, admin, "tong-quan-xu-huong", True, {}, None)


def recorded_actions() -> set[str]:
    """The actions the code records: literal `audit.record(..., "x.y", ...)` arguments, the
    report transitions and the registries' create/update/delete."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r'audit\.record\(\s*\w+,\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', text))
        found.update(re.findall(r'^\s+"((?:value|report)\.[a-z_]+)",$', text, re.MULTILINE))
    found.update(f"report.{a}" for a in workflow.TRANSITIONS)
    found.update(f"{name}.{verb}" for name in REGISTRIES for verb in ("create", "update", "delete"))
    return found


def test_every_recorded_action_has_a_vietnamese_name():
    """Catches an action recorded somewhere (now or added later) that the log would show as
    "Thao tác khác (x.y)" or with its code."""
    actions = recorded_actions()
    assert {"value.set", "value.clear", "user.reset_password", "embed.chart"} <= actions
    for action in sorted(actions):
        label = audit.action_label(action, {"numerator": 1})
        assert "(" not in label and "." not in label, (action, label)
    assert audit.action_label("value.set", None) == "Nhập giá trị"
    assert audit.action_label("value.set", {"numerator": 5}) == "Sửa giá trị"
    assert audit.action_label("report.approve") == "Phê duyệt báo cáo"
    assert audit.action_label("cooperatives.create") == "Thêm bản ghi: Hợp tác xã"


def test_log_reads_in_words_for_every_action_kind(session):
    """Catches raw keys (`value_bool: ,`), codes `(value.set)`, Python values (None, True,
    2710.0), ISO dates or UTC times in the audit log."""
    every_action(session)
    frame = audit.log_frame(session)
    text = frame.to_csv(index=False)
    assert not RAW_MARKS.search(text), RAW_MARKS.search(text)
    assert "True" not in text and "False" not in text
    actions = list(frame["Thao tác"])
    for label in (
        "Sửa giá trị",
        "Xóa giá trị",
        "Nhập giá trị",
        "Thêm bản ghi: Hợp tác xã",
        "Sửa bản ghi: Hợp tác xã",
        "Xóa bản ghi: Hợp tác xã",
        "Gửi báo cáo",
        "Trả lại báo cáo",
        "Phê duyệt báo cáo",
        "Mở lại báo cáo",
        "Tạo tài khoản",
        "Sửa tài khoản",
        "Đặt lại mật khẩu",
        "Cập nhật kỳ báo cáo, hạn nộp",
        "Cập nhật mục tiêu",
        "Tạo liên kết nhúng",
        "Sửa liên kết nhúng",
        "Thu hồi liên kết nhúng",
        "Thiết lập biểu đồ nhúng",
    ):
        assert label in actions, label
    rows = frame.set_index("Thao tác")
    assert rows.loc["Nhập giá trị", "Sau"] == "Tử số: 995; Mẫu số: 1.801"
    assert rows.loc["Nhập giá trị", "Trước"] == ""
    assert rows.loc["Xóa giá trị", "Sau"] == "" and "Tử số" in rows.loc["Xóa giá trị", "Trước"]
    coop = rows.loc["Thêm bản ghi: Hợp tác xã", "Sau"]
    assert "Tên: HTX Ia Kênh" in coop and "Ngày thành lập: 01/05/2024" in coop
    assert "Số thành viên: 1.200" in coop
    assert rows.loc["Trả lại báo cáo", "Sau"] == "Trạng thái: Bị trả lại; Lý do: Thiếu số liệu"
    account = rows.loc["Sửa tài khoản", "Sau"]
    assert "Đang hoạt động: Không" in account and "Đơn vị: Huyện Chư Sê" in account
    assert "Vai trò: Biên tập" in account
    assert rows.loc["Cập nhật kỳ báo cáo, hạn nộp", "Sau"].endswith("Hạn nộp: 01/02/2024")
    assert rows.loc["Cập nhật mục tiêu", "Sau"] == "Đơn vị: Tỉnh Gia Lai; Mục tiêu: 90; Năm: 2025"
    assert "Kỳ báo cáo: 2024" in rows.loc["Tạo liên kết nhúng", "Sau"]
    # Times in Vietnam time, as the rest of the application shows them.
    newest = session.scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
    local = newest.at + dt.timedelta(hours=7)
    assert frame.iloc[0]["Thời điểm"] == f"{local:%H:%M %d/%m/%Y}"


def test_years_are_not_grouped_like_amounts(session):
    """Catches a target's year shown as `2.025`."""
    admin_service.set_target(
        session, user(session, "admin"), indicator_code="GOV-C8_4", value=90, year=2025
    )
    after = audit.log_frame(session).iloc[0]["Sau"]
    assert "Năm: 2025" in after and "2.025" not in after


def test_detail_shows_before_and_after_with_the_changed_fields_marked(session):
    """Catches a detail view that marks unchanged fields as changed (or misses the change), or
    shows raw values."""
    editor = user(session, "editor-622")
    unit = first_commune(session)
    cell = stored(session, unit.id)
    numerator, denominator = int(cell.numerator), int(cell.denominator)
    values.set_value(
        session,
        editor,
        indicator_code=CODE,
        unit_id=unit.id,
        period_code="2024",
        raw={"numerator": str(numerator + 1), "denominator": str(denominator)},
    )
    entry_id = session.scalar(sa.select(sa.func.max(AuditLog.id)))
    entry, indicator = audit.entry_detail(session, entry_id)
    assert entry.action == "Sửa giá trị" and entry.unit == unit.name
    assert indicator.endswith(f"({CODE})") and len(indicator) > len(CODE) + 3
    changes = {c.label: c for c in entry.changes}
    assert set(changes) == {"Tử số", "Mẫu số"}  # empty on both sides: left out
    assert [c.label for c in entry.changes] == ["Tử số", "Mẫu số"]
    change = changes["Tử số"]
    assert change.changed and int(change.after.replace(".", "")) == numerator + 1
    assert int(change.before.replace(".", "")) == numerator
    assert not changes["Mẫu số"].changed
    assert changes["Mẫu số"].before == changes["Mẫu số"].after
    assert audit.entry_detail(session, "abc") is None
    assert audit.entry_detail(session, 10**9) is None


def test_date_filter_takes_days_in_vietnam_time(session):
    """Catches the date filter comparing UTC days: a change at 01:00 on 16/01 in Vietnam (18:00
    UTC on the 15th) belongs to the 16th."""
    audit.record(session, user(session, "admin"), "target.set", "target", after={"value": 1})
    entry = session.scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
    entry.at = dt.datetime(2026, 1, 15, 18, 0)
    session.commit()
    on_16 = audit.entries(session, date_from=dt.date(2026, 1, 16), date_to=dt.date(2026, 1, 16))
    on_15 = audit.entries(session, date_from=dt.date(2026, 1, 15), date_to=dt.date(2026, 1, 15))
    assert [e.id for e in on_16] == [entry.id] and on_15 == []
    assert on_16[0].at == "01:00 16/01/2026"


def test_values_are_formatted():
    """Catches `2710.0`, `True`, empty values shown as blanks or `None`, ISO dates."""
    assert audit.value_text("indicator_value", "value_num", 2710.0) == "2.710"
    assert audit.value_text("indicator_value", "value_num", 23.5) == "23,5"
    assert audit.value_text("indicator_value", "value_bool", True) == "Đạt"
    assert audit.value_text("user", "active", False) == "Không"
    assert audit.value_text("indicator_value", "value_bool", None) == "–"
    assert audit.value_text("period", "deadline", "2026-01-15") == "15/01/2026"
    assert audit.value_text("district_report", "status", "returned") == "Bị trả lại"
    assert audit.value_text("digital_services", "field", "health") == "Y tế"
    assert audit.value_text("pilot_models", "status", "implementing") == "Đang triển khai"
    assert audit.value_text("embed_link", "expires_at", "2026-12-31 17:00:00") == (
        "00:00 01/01/2027"
    )


# --- page, callbacks, downloads ----------------------------------------------------------------


def test_grid_rows_carry_the_entry_id_in_a_hidden_column(app, session):
    """Catches a grid whose rows cannot open their detail (no id) or that shows the id."""
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")
    newest = session.scalar(sa.select(sa.func.max(AuditLog.id)))
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        _count, columns, rows, csv_href, _xlsx = audit_callbacks.update_audit(
            None, None, None, None, None
        )
    assert (columns[0]["field"], columns[0]["headerName"], columns[0]["hide"]) == ("c0", "id", True)
    assert rows[0]["c0"] == newest and rows[0]["c3"] == "Gửi báo cáo"
    assert csv_href == "/xuat/audit.csv"


def _answer(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def _replay_detail(dash_caller, entry_id):
    return dash_caller.post(
        "au-detail.is_open",
        inputs=[
            {"id": "au-grid", "property": "selectedRows", "value": [{"c0": entry_id}]},
            {"id": "au-detail-close", "property": "n_clicks", "value": None},
            {"id": "au-detail", "property": "is_open", "value": False},
        ],
        changed=["au-grid.selectedRows"],
    )


def test_detail_callback_is_for_administrators(app, auth, dash_caller):
    """Catches the detail callback answering anyone who replays it with an entry id (an
    editor would read other districts' changes and every account's changes)."""
    with app.app_context():
        session = app.extensions["db"].session()
        workflow.transition(session, user(session, "editor-633"), "submit", "633", "2024")
        entry_id = session.scalar(sa.select(sa.func.max(AuditLog.id)))
    auth.login("editor-622")
    text = _answer(_replay_detail(dash_caller, entry_id))
    assert "Bạn không có quyền" in text and "Đang nhập" not in text
    auth.logout()
    auth.login("admin")
    shown = _answer(_replay_detail(dash_caller, entry_id))
    assert "Đang nhập" in shown and "Đã gửi" in shown and "au-changed" in shown
    bad = dash_caller.post(
        "au-detail.is_open",
        inputs=[
            {"id": "au-grid", "property": "selectedRows", "value": "x"},
            {"id": "au-detail-close", "property": "n_clicks", "value": None},
            {"id": "au-detail", "property": "is_open", "value": False},
        ],
        changed=["au-grid.selectedRows"],
    )
    assert bad.status_code == 400


def test_audit_download_reads_like_the_page(client, auth, app):
    """Catches the CSV download keeping raw action codes or raw before/after."""
    with app.app_context():
        session = app.extensions["db"].session()
        workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")
    auth.login("admin")
    response = client.get("/xuat/audit.csv?user=editor-622")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    assert "Gửi báo cáo" in text and "(report.submit)" not in text
    assert "Trạng thái: Đã gửi" in text and "status:" not in text


def _values_of(component, found=None) -> dict:
    """Component id → value / start_date, through a layout tree."""
    found = {} if found is None else found
    props = getattr(component, "__dict__", {})
    if props.get("id"):
        found[props["id"]] = props.get("value", props.get("start_date"))
        if "end_date" in props:
            found[f"{props['id']}-end"] = props.get("end_date")
    children = props.get("children")
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            _values_of(child, found)
    return found


def test_pasted_url_restores_the_audit_filters(app, session):
    """Catches `?user=&unit=&indicator=&start=&end=` ignored by the page (a shared link would
    show another view), and unknown values reaching the filters."""
    from dashboard.pages import nhat_ky

    pleiku = svc.district_by_code(session, "622")
    with app.test_request_context("/nhat-ky"):
        login_user(get_user(app, "admin"))
        page = nhat_ky.layout(
            user="editor-622",
            unit=str(pleiku.id),
            indicator="GOV-C8_4",
            start="2026-01-01",
            end="2026-01-31",
        )
        chosen = _values_of(page)
        odd = _values_of(nhat_ky.layout(user="nobody", unit="x", start="01/2026"))
    assert chosen["au-user"] == "editor-622" and chosen["au-unit"] == pleiku.id
    assert chosen["au-indicator"] == "GOV-C8_4"
    assert (chosen["au-dates"], chosen["au-dates-end"]) == ("2026-01-01", "2026-01-31")
    assert odd["au-user"] is None and odd["au-unit"] is None and odd["au-dates"] is None


def test_filters_are_labelled_and_dates_in_vietnamese(app):
    """Catches filters without a label tied to them, and the date pickers' English
    "Start Date → End Date" placeholders."""
    from dashboard.pages import nhat_ky

    with app.test_request_context("/nhat-ky"):
        login_user(get_user(app, "admin"))
        text = json.dumps(nhat_ky.layout(), cls=PlotlyJSONEncoder, ensure_ascii=False)
    for component_id in ("au-user", "au-unit", "au-indicator", "au-dates"):
        assert f'"html_for": "{component_id}"' in text, component_id
    assert '"start_date_placeholder_text": "Từ ngày"' in text
    assert '"end_date_placeholder_text": "Đến ngày"' in text
    assert '"display_format": "DD/MM/YYYY"' in text


def test_progress_page_keeps_the_period_of_the_url(app):
    """Catches `/tien-do-bao-cao?period=2023` opening on another period."""
    from dashboard.pages import tien_do_bao_cao

    with app.test_request_context("/tien-do-bao-cao"):
        login_user(get_user(app, "viewer"))
        chosen = _values_of(tien_do_bao_cao.layout(period="2023"))
    assert chosen["pr-period"] == "2023"


def test_progress_download_has_the_deadline_columns(client, auth):
    """Catches a progress download (CSV) without the deadline, the overdue flag or the days
    late that the page shows."""
    auth.login("viewer")
    text = client.get("/xuat/progress.csv?period=2025").get_data().decode("utf-8-sig")
    assert "Hạn nộp" in text and "Số ngày trễ" in text
    assert "15/01/2026" in text and "Quá hạn" in text
