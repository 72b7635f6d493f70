"""The reporting round on the data-entry page and the pillar pages' panel: confirmation dialogs,
clearing a value, 0/0 on every path, locks shown before typing, switching view with unsaved
edits, the phone form. Callbacks called directly and replayed over HTTP as other accounts (a
callback is an open endpoint: the dialogs are only user experience, the services decide)."""

import json

import pytest
import sqlalchemy as sa
from dash import no_update
from flask_login import login_user

from dashboard.callbacks import data_entry as cb
from dashboard.callbacks import pillar_edit
from dashboard.models import AuditLog, IndicatorValue, OrgUnit, User
from dashboard.services import data_entry as model
from dashboard.services import excel, workflow
from dashboard.services import indicators as svc
from dashboard.services import values as values_svc
from tests.conftest import get_user
from tests.test_excel import DATA, YEN_DO, coord, edit, load, meta_map

pytestmark = pytest.mark.db

CODE = "GOV-DOSSIER-COMM"
TARGET = {"district": "622", "period": "2023"}


def text_of(component) -> str:
    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
        ensure_ascii=False,
    )


def body(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def grid(app, district="622", period="2023"):
    with app.app_context():
        session = app.extensions["db"].session()
        columns, rows = model.grid_model(
            session, svc.district_by_code(session, district), svc.get_period(session, period)
        )
        return [c.__dict__ for c in columns], rows


def field_of(columns, part, code=CODE):
    return next(c["field"] for c in columns if c["indicator"] == code and c["part"] == part)


def stored(app, unit_id, code=CODE, period="2023"):
    with app.app_context():
        session = app.extensions["db"].session()
        ind, per = svc.get_indicator(session, code), svc.get_period(session, period)
        return session.scalar(
            sa.select(IndicatorValue).where(
                IndicatorValue.indicator_id == ind.id,
                IndicatorValue.unit_id == unit_id,
                IndicatorValue.period_id == per.id,
            )
        )


def status(app, district="622"):
    with app.app_context():
        session = app.extensions["db"].session()
        return workflow.status_of(
            session, svc.district_by_code(session, district).id, svc.get_period(session, "2023").id
        )


def submit_as(app, username="editor-622", district="622"):
    with app.app_context():
        session = app.extensions["db"].session()
        workflow.transition(session, get_user(app, username), "submit", district, "2023")


def audit_count(app) -> int:
    with app.app_context():
        return app.extensions["db"].session().scalar(sa.select(sa.func.count(AuditLog.id)))


def commune_row(rows, columns):
    """A commune row of the grid with a stored ratio."""
    num = field_of(columns, "numerator")
    return next(r for r in rows if num in r["_app"] and r[num] != "")


# --- confirmation dialogs ----------------------------------------------------------------------


def test_submit_button_only_opens_the_dialog_with_the_consequence(app):
    """Catches a submit button that still transitions at once (no confirmation), or a dialog
    that does not say what submitting means for the district."""
    columns, rows = grid(app)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        is_open, title, dialog, button, _color, pending, _msg = cb.ask_submit(
            1, TARGET, rows, columns
        )
    assert is_open is True and "2023" in title and button == "Gửi báo cáo"
    assert "không sửa được số liệu kỳ này cho đến khi văn phòng trả lại" in text_of(dialog)
    assert pending == {"action": "submit", "district": "622", "period": "2023", "reason": None}
    assert status(app) == "draft"


def test_the_dialog_warns_that_unsaved_edits_would_be_lost(app):
    """Catches a submit that silently drops the grid's unsaved edits (the grid reloads)."""
    columns, rows = grid(app)
    commune_row(rows, columns)[field_of(columns, "numerator")] = 1
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        _open, _title, dialog, *_rest = cb.ask_submit(1, TARGET, rows, columns)
    assert "1 ô thay đổi chưa lưu" in text_of(dialog)


@pytest.mark.parametrize("button", ["ne-return", "ne-reopen"])
def test_return_or_reopen_without_a_reason_changes_nothing_and_says_why(app, button):
    """Catches a return or reopen whose dialog opens (or that transitions) without a reason."""
    submit_as(app)
    columns, rows = grid(app)
    with app.test_request_context(), _triggered(button):
        login_user(get_user(app, "admin"))
        out = cb.ask_decide(None, 1, None, TARGET, "   ", rows, columns)
    is_open, _title, _body, _button, _color, pending, message, invalid = out
    assert is_open is False and pending is None and invalid is True
    assert "Vui lòng nhập lý do" in text_of(message)
    assert status(app) == "submitted"


def test_return_dialog_shows_the_reason_and_confirming_returns_with_it(app, auth, dash_caller):
    """Catches a dialog that does not show the reason it will record, or a confirm that
    records another one."""
    submit_as(app)
    columns, rows = grid(app)
    with app.test_request_context(), _triggered("ne-return"):
        login_user(get_user(app, "admin"))
        out = cb.ask_decide(None, 1, None, TARGET, " Thiếu số liệu ", rows, columns)
    is_open, title, dialog, button, _color, pending, _message, invalid = out
    assert is_open is True and invalid is False and button == "Trả lại"
    assert "Trả lại báo cáo kỳ 2023 của Thành phố Pleiku" in title
    assert "Lý do: Thiếu số liệu" in text_of(dialog)
    auth.login("admin")
    response = confirm_request(dash_caller, pending, seen="submitted")
    assert "Đã trả lại báo cáo" in body(response)
    with app.app_context():
        session = app.extensions["db"].session()
        report = workflow.get_report(
            session, svc.district_by_code(session, "622").id, svc.get_period(session, "2023").id
        )
        assert (report.status, report.reason) == ("returned", "Thiếu số liệu")


class _triggered:
    """Dash's callback context for a direct call, as if `button` had been clicked."""

    def __init__(self, button: str):
        from dash._callback_context import context_value

        self.context_value = context_value
        self.button = button

    def __enter__(self):
        from dash._utils import AttributeDict

        self.token = self.context_value.set(
            AttributeDict(
                triggered_inputs=[{"prop_id": f"{self.button}.n_clicks", "value": 1}],
                inputs_list=[],
                states_list=[],
                outputs_list=[],
            )
        )
        return self

    def __exit__(self, *exc):
        self.context_value.reset(self.token)


def confirm_request(dash_caller, pending, seen=None):
    return dash_caller.post(
        "ne-wf-msg.children",
        inputs=[{"id": "ne-confirm-ok", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ne-confirm", "property": "data", "value": pending},
            {"id": "ne-seen-status", "property": "data", "value": seen},
            {"id": "ne-reload", "property": "data", "value": 0},
        ],
    )


def test_replayed_confirm_as_another_districts_editor_is_refused(app, auth, dash_caller):
    """Catches a transition trusted because it comes from the dialog: Chư Sê's editor
    replaying the confirm with Pleiku's report, or approving it, changes nothing."""
    auth.login("editor-633")
    before = audit_count(app)
    submit = {"action": "submit", "district": "622", "period": "2023", "reason": None}
    assert "không có quyền" in body(confirm_request(dash_caller, submit, seen="draft"))
    assert status(app) == "draft"
    submit_as(app)
    approve = {"action": "approve", "district": "622", "period": "2023", "reason": None}
    assert "không có quyền" in body(confirm_request(dash_caller, approve, seen="submitted"))
    assert status(app) == "submitted"
    assert audit_count(app) == before + 1  # only the submission made here


@pytest.mark.parametrize("username", ["viewer", None])
def test_replayed_confirm_by_viewer_or_anonymous_is_refused(app, auth, dash_caller, username):
    if username:
        auth.login(username)
    pending = {"action": "submit", "district": "622", "period": "2023", "reason": None}
    response = confirm_request(dash_caller, pending, seen="draft")
    if username:
        assert "chỉ có quyền xem" in body(response)
    else:
        assert response.status_code == 401
    assert status(app) == "draft"


def test_replayed_confirm_with_a_malformed_dialog_state_changes_nothing(app, auth, dash_caller):
    """Catches a confirm that trusts the dialog's store: an unknown action or a non-object is
    no transition and no 500."""
    auth.login("admin")
    for pending in ({"action": "delete", "district": "622", "period": "2023"}, "submit", None):
        response = confirm_request(dash_caller, pending)
        assert response.status_code < 500
    assert status(app) == "draft"


# --- clearing a value in the grid ----------------------------------------------------------------


def test_grid_cells_emptied_and_saved_clear_the_value(app):
    """Catches an emptied grid cell read as "unchanged" or refused as missing: emptying both
    inputs of a ratio and saving deletes the value, audited, and says so."""
    columns, rows = grid(app)
    row = commune_row(rows, columns)
    row[field_of(columns, "numerator")] = ""
    row[field_of(columns, "denominator")] = " "
    cells = model.changed_cells(cb._columns(columns), rows)
    assert [c.clear for c in cells] == [True]
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        alert, _rows, reload, _unit = cb.save(1, rows, columns, TARGET, 0, None)
    assert reload == 1
    assert "xóa 1 giá trị" in text_of(alert)
    assert stored(app, row["unit_id"]) is None
    with app.app_context():
        entry = (
            app.extensions["db"]
            .session()
            .scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
        )
        assert (entry.action, entry.unit_id, entry.indicator_code) == (
            "value.clear",
            row["unit_id"],
            CODE,
        )


def test_one_input_of_a_ratio_emptied_is_refused_not_cleared(app):
    """Catches a half-emptied ratio taken as "clear": only both inputs empty clear it."""
    columns, rows = grid(app)
    row = commune_row(rows, columns)
    row[field_of(columns, "numerator")] = ""
    before = stored(app, row["unit_id"]).numerator
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        alert, _rows, _reload, _unit = cb.save(1, rows, columns, TARGET, 0, None)
    assert "Vui lòng nhập" in text_of(alert)
    assert stored(app, row["unit_id"]).numerator == before


def replay_save(dash_caller, rows, columns, district):
    return dash_caller.post(
        "ne-save-msg.children",
        inputs=[{"id": "ne-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ne-grid", "property": "rowData", "value": rows},
            {"id": "ne-columns", "property": "data", "value": columns},
            {"id": "ne-target", "property": "data", "value": {**TARGET, "district": district}},
            {"id": "ne-reload", "property": "data", "value": 0},
            {"id": "ne-m-unit", "property": "value", "value": None},
        ],
    )


def test_replayed_grid_clear_of_another_district_is_refused(app, auth, dash_caller):
    """Catches the clear path skipping the scope check: Pleiku's editor replaying Chư Sê's
    rows with a ratio emptied deletes nothing."""
    columns, rows = grid(app, "633")
    row = commune_row(rows, columns)
    row[field_of(columns, "numerator")] = ""
    row[field_of(columns, "denominator")] = ""
    auth.login("editor-622")
    before = audit_count(app)
    response = replay_save(dash_caller, rows, columns, "633")
    assert response.status_code == 200 and "không có quyền" in body(response)
    assert stored(app, row["unit_id"]) is not None
    assert audit_count(app) == before


def test_replayed_grid_clear_in_a_submitted_period_is_refused(app, auth, dash_caller):
    columns, rows = grid(app)
    submit_as(app)
    row = commune_row(rows, columns)
    row[field_of(columns, "numerator")] = ""
    row[field_of(columns, "denominator")] = ""
    auth.login("editor-622")
    response = replay_save(dash_caller, rows, columns, "622")
    assert "đã khóa" in body(response)
    assert stored(app, row["unit_id"]) is not None


# --- 0/0 on every path -------------------------------------------------------------------------


def test_zero_denominator_refused_in_the_grid_as_you_type_and_on_save(app):
    """Catches 0/0 accepted by the grid (checked as typed, then refused on save)."""
    columns, rows = grid(app)
    row = commune_row(rows, columns)
    num, den = field_of(columns, "numerator"), field_of(columns, "denominator")
    row[num], row[den] = "0", "0"
    before = stored(app, row["unit_id"]).denominator
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        checked = cb.check_cell([{"rowId": row["row_id"], "colId": den}], rows, columns)
        marked = next(r for r in checked if r["unit_id"] == row["unit_id"])
        assert "phải lớn hơn 0" in marked["_err"][den]
        alert, _rows, reload, _unit = cb.save(1, rows, columns, TARGET, 0, None)
    assert reload is no_update and "phải lớn hơn 0" in text_of(alert)
    assert stored(app, row["unit_id"]).denominator == before


def test_zero_denominator_refused_in_the_excel_upload(session):
    """Catches the Excel path parsing ratios with its own rules (0/0 let through)."""
    editor = session.scalar(sa.select(User).where(User.username == "editor-622"))
    data = excel.build_template(session, editor, "622", "2023")
    changed = edit(data, {(YEN_DO, CODE, "numerator"): 0, (YEN_DO, CODE, "denominator"): 0})
    with pytest.raises(excel.UploadError) as err:
        excel.import_upload(session, editor, changed, 5 * 1024 * 1024)
    columns, rows, _other = meta_map(load(changed))
    [problem] = err.value.problems
    assert (problem.sheet, problem.row, problem.column) == (
        DATA,
        rows[YEN_DO],
        columns[(CODE, "denominator")],
    )
    assert "phải lớn hơn 0" in problem.reason
    assert coord(load(changed), YEN_DO, CODE, "denominator") in str(problem)


def test_zero_denominator_refused_in_the_pillar_panel(app):
    """Catches the pillar page's panel accepting 0/0: the message is at the denominator."""
    with app.app_context():
        session = app.extensions["db"].session()
        unit = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == YEN_DO))
        unit_id = unit.id
    value = stored(app, unit_id)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        out = pillar_edit.save_value(1, unit_id, CODE, "2023", None, "", "0", "0", 0, value.version)
    assert out[6] is True and "phải lớn hơn 0" in out[7]
    assert out[1] is no_update
    assert stored(app, unit_id).denominator == value.denominator


# --- the pillar panel: locks and clearing ------------------------------------------------------


def yen_do(app) -> int:
    with app.app_context():
        session = app.extensions["db"].session()
        return session.scalar(sa.select(OrgUnit.id).where(OrgUnit.gso_code == YEN_DO))


def test_pillar_panel_is_disabled_for_the_editor_of_a_submitted_period(app):
    """Catches the panel staying editable after the report is submitted (the service refuses,
    but only after the editor typed): the lock is shown before a unit is even chosen."""
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        assert pillar_edit.lock_state(CODE, "2023", None, None) == (False, None, True)
    submit_as(app)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        disabled, message, clear_disabled = pillar_edit.lock_state(CODE, "2023", None, None)
        assert disabled is True and clear_disabled is True
        assert "Thành phố Pleiku" in text_of(message) and "đã khóa" in text_of(message)
        version = stored(app, yen_do(app)).version
        assert pillar_edit.lock_state(CODE, "2023", yen_do(app), version)[0] is True
        assert pillar_edit.lock_state(CODE, "2024", yen_do(app), version) == (False, None, False)


def test_pillar_panel_stays_open_for_the_admin_and_says_the_report_is_locked(app):
    submit_as(app)
    version = stored(app, yen_do(app)).version
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        disabled, message, clear_disabled = pillar_edit.lock_state(
            CODE, "2023", yen_do(app), version
        )
    assert disabled is False and clear_disabled is False
    assert "quyền Văn phòng Điều phối" in text_of(message)


def clear_request(dash_caller, pending):
    return dash_caller.post(
        "pl-edit-feedback.children@",
        inputs=[{"id": "pl-clear-ok", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "pl-clear-pending", "property": "data", "value": pending},
            {"id": "pl-refresh", "property": "data", "value": 0},
        ],
    )


def test_pillar_clear_asks_then_deletes_through_the_service(app, auth, dash_caller):
    """Catches a clear button that deletes without asking, or a dialog that does not name the
    value and the consequence."""
    unit_id = yen_do(app)
    value = stored(app, unit_id)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        is_open, dialog, pending, _feedback = pillar_edit.ask_clear(
            1, unit_id, CODE, "2023", value.version
        )
    assert is_open is True and stored(app, unit_id) is not None
    shown = values_svc.display_value(svc_indicator(app), value)
    assert shown in dialog and "chưa báo cáo" in dialog
    auth.login("editor-622")
    response = clear_request(dash_caller, pending)
    assert "Đã xóa" in body(response)
    assert stored(app, unit_id) is None


def svc_indicator(app):
    with app.app_context():
        return svc.get_indicator(app.extensions["db"].session(), CODE)


@pytest.mark.parametrize(
    ("username", "district", "message"),
    [
        ("editor-633", "622", "không có quyền"),  # another district's editor
        ("viewer", "622", "chỉ có quyền xem"),
    ],
)
def test_replayed_pillar_clear_out_of_scope_is_refused(
    app, auth, dash_caller, username, district, message
):
    unit_id = yen_do(app)
    value = stored(app, unit_id)
    pending = {"unit": unit_id, "indicator": CODE, "period": "2023", "version": value.version}
    auth.login(username)
    before = audit_count(app)
    assert message in body(clear_request(dash_caller, pending))
    assert stored(app, unit_id) is not None and audit_count(app) == before


def test_replayed_pillar_clear_with_a_stale_version_or_locked_is_refused(app, auth, dash_caller):
    unit_id = yen_do(app)
    value = stored(app, unit_id)
    auth.login("editor-622")
    stale = {"unit": unit_id, "indicator": CODE, "period": "2023", "version": value.version + 1}
    assert "đã thay đổi dữ liệu này" in body(clear_request(dash_caller, stale))
    submit_as(app)
    current = {**stale, "version": value.version}
    assert "đã khóa" in body(clear_request(dash_caller, current))
    assert stored(app, unit_id) is not None


# --- switching district or period with unsaved edits -------------------------------------------


def test_switching_period_with_unsaved_edits_keeps_them_and_asks(app):
    """Catches a period change that silently reloads the grid over unsaved edits."""
    columns, rows = grid(app)
    commune_row(rows, columns)[field_of(columns, "numerator")] = 7
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        out = cb.switch_view("622", "2024", TARGET, rows, columns)
    new_target, district, period, is_open, dialog, wanted = out
    assert new_target is no_update  # the grid is not loaded again
    assert (district, period) == ("622", "2023")  # the picker goes back
    assert is_open is True and "1 ô thay đổi chưa lưu" in dialog
    assert wanted == {"district": "622", "period": "2024"}
    assert cb.switch_discard(1, wanted) == (wanted, "622", "2024", False)


def test_switching_without_unsaved_edits_loads_the_view(app):
    columns, rows = grid(app)
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        out = cb.switch_view("633", "2023", TARGET, rows, columns)
    assert out[0] == {"district": "633", "period": "2023"} and out[3] is False


# --- the phone form ----------------------------------------------------------------------------


def _walk(node):
    if hasattr(node, "to_plotly_json"):
        node = node.to_plotly_json()
    if isinstance(node, dict) and "props" in node:
        yield node
        for value in node["props"].values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)


def test_phone_form_labels_every_input_and_keeps_the_stored_inputs(app):
    """Catches phone inputs without a label naming them (`for` = the id Dash renders), and
    initial texts that differ from the stored values (which would count as edits)."""
    columns, rows = grid(app)
    row = commune_row(rows, columns)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        form, initial = cb.phone_form(row["row_id"], rows, columns, "draft")
    nodes = list(_walk(form))
    inputs = [n["props"]["id"] for n in nodes if isinstance(n["props"].get("id"), dict)]
    labels = [n["props"].get("html_for") for n in nodes if n.get("type") == "Label"]
    assert inputs and sorted(labels) == sorted(cb._dash_id(i) for i in inputs)
    num = field_of(columns, "numerator")
    assert initial["unit"] == row["row_id"]
    assert initial["texts"][num] == str(row["_orig"][num])


def test_phone_form_is_read_only_when_locked(app):
    columns, rows = grid(app)
    row = commune_row(rows, columns)
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        form, initial = cb.phone_form(row["row_id"], rows, columns, "submitted")
    assert initial == {} and "đã khóa" in text_of(form)
    assert not [n for n in _walk(form) if n.get("type") in ("Input", "Select")]
