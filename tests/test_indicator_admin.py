"""The office's indicator sets: the 2026-2035 criteria as data, indicators created, changed and
ended by the office only (validated, audited, counted by the engine within their validity),
and a seed that never overwrites what the office did."""

from __future__ import annotations

import copy
import datetime as dt
import json

import dash
import pytest
import sqlalchemy as sa
from flask_login import login_user

from dashboard.callbacks.indicator_admin import FORM, FORM_IDS
from dashboard.errors import PermissionDenied, ValidationError
from dashboard.models import AuditLog, Indicator, IndicatorValue, Level, OrgUnit, User
from dashboard.services import admin, aggregates, metadata, reference, values
from dashboard.services import indicator_admin as service
from dashboard.services import indicators as svc
from dashboard.services.audit import log_frame
from dashboard.services.reference import data_text
from dashboard.services.registry_specs import REGISTRIES
from tests.conftest import get_user

NEW = "mtqg-2026-2035"
OLD = "cds-ntm-2021-2025"
CODE = "TEST-C7_1"  # an indicator made up for the tests (criterion 7's are not shipped)
FIRST_DAY = dt.date(2026, 1, 1)


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def fields(**changes) -> dict:
    """A criterion-7 indicator of 2026-2035: a share of rural communes meeting it."""
    base = {
        "code": CODE,
        "programme": NEW,
        "criterion": "7",
        "pillar": "government",
        "name_vi": "Chỉ tiêu thử nghiệm của tiêu chí 7",
        "name_en": "Test indicator of criterion 7",
        "short_vi": "Thử nghiệm 7",
        "level": "commune",
        "unit_kinds": "xa",
        "value_type": "boolean",
        "rollup": "share_meeting",
        "definition_vi": "Xã đạt chỉ tiêu thử nghiệm.",
    }
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def communes(session, day: dt.date, count: int) -> list[OrgUnit]:
    """The first rural communes (kind `xa`) in force on `day`, by GSO code."""
    return list(
        session.scalars(
            sa.select(OrgUnit)
            .join(Level, Level.id == OrgUnit.level_id)
            .where(Level.code == "commune", OrgUnit.kind == "xa", OrgUnit.valid_on(day))
            .order_by(OrgUnit.gso_code)
            .limit(count)
        )
    )


def state(session) -> tuple:
    """Everything these commands may change: indicators (all columns) and audit rows."""
    session.expire_all()
    inds = session.execute(
        sa.select(*Indicator.__table__.columns).order_by(Indicator.__table__.c.code)
    ).all()
    return tuple(map(tuple, inds)), session.scalar(sa.select(sa.func.count(AuditLog.id)))


def audit_rows(session, action) -> list[AuditLog]:
    return list(session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


# --- the criteria of 2026-2035 as data ---------------------------------------------------------


def test_the_programme_criteria_are_read_from_structure():
    """Catches criteria hard-coded beside structure.json, or a programme given another's."""
    found = reference.criteria(NEW)
    assert [c.number for c in found] == list(range(1, 11))
    assert found[6].name_vi == "Khoa học, công nghệ và chuyển đổi số"
    assert {c.legal_basis for c in found} == {"Quyết định 51/2025/QĐ-TTg, Phụ lục I"}
    assert reference.criteria(OLD) == () and reference.criteria("nope") == ()
    assert reference.criterion(NEW, 7).label == "7. Khoa học, công nghệ và chuyển đổi số"


# --- creating, counting, comparing with the group's target -------------------------------------


@pytest.mark.db
def test_a_criterion_7_indicator_counts_a_communes_2026_value_against_its_groups_target(session):
    """Catches an office indicator that the engine does not count in 2026, or a commune
    compared with another group's threshold (or the province's) instead of its own group's."""
    actor = user(session, "admin")
    ind = service.create_indicator(session, actor, **fields())
    assert ind.programme.code == NEW and metadata.criterion_of(ind) == 7
    assert (ind.valid_from, ind.valid_to) == (FIRST_DAY, dt.date(2035, 12, 31))
    assert ind.legal_basis == "Quyết định 51/2025/QĐ-TTg, Phụ lục I"  # the criterion's
    assert metadata.edited_by_office(ind)
    assert metadata.texts(ind, "en")["definition"] == "Xã đạt chỉ tiêu thử nghiệm."

    first, second = communes(session, FIRST_DAY, 2)
    admin.set_unit_group(
        session, actor, unit_code=first.gso_code, group="1", valid_from="2026-01-01"
    )
    admin.set_unit_group(
        session, actor, unit_code=second.gso_code, group="3", valid_from="2026-01-01"
    )
    admin.set_target(session, actor, indicator_code=CODE, value="100", year=2030, group="1")
    admin.set_target(session, actor, indicator_code=CODE, value="50", year=2030, group="3")
    for unit, met in ((first, "có"), (second, "không")):
        values.set_value(
            session,
            actor,
            indicator_code=CODE,
            unit_id=unit.id,
            period_code="2026",
            raw={"value": met},
        )

    period = svc.get_period(session, "2026")
    ind = svc.get_indicator(session, CODE)
    whole = svc.compute(session, ind, period)
    assert (whole.numerator, whole.reported) == (1, 2)
    own, _figures = svc.progress(session, ind, period, district_id=first.id)
    assert own.figure.value == 100 and own.target.commune_group == "1"
    assert own.target.target_value == 100 and own.met is True
    other, _figures = svc.progress(session, ind, period, district_id=second.id)
    assert other.figure.value == 0 and other.target.commune_group == "3"
    assert other.target.target_value == 50 and other.met is False


# --- who may write -----------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize("name", ["viewer", "editor-622", "editor-23590", "approver", None])
def test_only_the_office_creates_changes_or_ends_indicators(session, name):
    """Catches a service that trusts the page to hide its forms: a viewer, an editor, an
    approver or nobody calling it directly changes nothing."""
    before = state(session)
    actor = user(session, name) if name else None
    for call in (
        lambda: service.create_indicator(session, actor, **fields()),
        lambda: service.update_indicator(session, actor, "GOV-C8_4", name_vi="Đã đổi"),
        lambda: service.end_indicator(session, actor, "GOV-C8_4", "2025-06-30"),
        lambda: service.rows(session, actor, NEW),
        lambda: service.form_values(session, actor, "GOV-C8_4"),
    ):
        with pytest.raises(PermissionDenied):
            call()
        session.rollback()
    assert state(session) == before


def form_state(values: dict) -> list[dict]:
    return [
        {"id": FORM_IDS[name], "property": "value", "value": values.get(name, "")} for name in FORM
    ]


def replay_save(dash_caller, button: str, chosen=None, **changes):
    """The form's save as the browser sends it: `ia-create` or `ia-update` clicked."""
    return dash_caller.post(
        "ia-msg.children",
        inputs=[
            {"id": "ia-create", "property": "n_clicks", "value": 1 if button == "create" else None},
            {"id": "ia-update", "property": "n_clicks", "value": 1 if button == "update" else None},
        ],
        state=[
            {"id": "ia-programme", "property": "value", "value": NEW},
            {"id": "ia-chosen", "property": "data", "value": chosen},
            {"id": "ia-refresh", "property": "data", "value": 0},
            *form_state(fields(**changes)),
        ],
        changed=[f"ia-{button}.n_clicks"],
    )


def replay_end(dash_caller, code: str, day: str):
    return dash_caller.post(
        "ia-msg.children@",
        inputs=[{"id": "ia-end-confirm", "property": "submit_n_clicks", "value": 1}],
        state=[
            {"id": "ia-chosen", "property": "data", "value": {"code": code, "locked": True}},
            {"id": "ia-end-date", "property": "value", "value": day},
            {"id": "ia-refresh", "property": "data", "value": 0},
        ],
    )


def body(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(response.get_json(), ensure_ascii=False)


def app_state(app) -> tuple:
    with app.app_context():
        return state(app.extensions["db"].session())


@pytest.mark.db
@pytest.mark.parametrize("name", ["viewer", "editor-622", "editor-23590"])
def test_replayed_callbacks_are_refused_to_editors_and_viewers(app, auth, dash_caller, name):
    """Catches the page's callbacks, replayed by a non-administrator, creating, changing or
    ending an indicator (the page is hidden from them; the server must refuse too)."""
    before = app_state(app)
    auth.login(name)
    chosen = {"code": "GOV-C8_4", "locked": True}
    for response in (
        replay_save(dash_caller, "create"),
        replay_save(dash_caller, "update", chosen, code="GOV-C8_4", name_vi="Đã đổi"),
        replay_end(dash_caller, "GOV-C8_4", "2025-06-30"),
    ):
        assert "không có quyền" in body(response)
    assert app_state(app) == before


@pytest.mark.db
def test_the_office_adds_changes_and_ends_through_the_page(app, auth, dash_caller):
    """Catches a form that does not reach the services with what the office typed (the
    programme shown, the criterion, the kinds chosen as a list, the indicator chosen)."""
    auth.login("admin")
    created = body(replay_save(dash_caller, "create", unit_kinds=["xa"]))
    assert f"Đã thêm chỉ tiêu {CODE}" in created
    chosen = {"code": CODE, "locked": False}
    changed = body(replay_save(dash_caller, "update", chosen, name_vi="Tên mới", criterion=7))
    assert f"Đã lưu chỉ tiêu {CODE}" in changed
    assert f"Đã kết thúc chỉ tiêu {CODE}" in body(replay_end(dash_caller, CODE, "2030-12-31"))
    with app.app_context():
        ind = svc.get_indicator(app.extensions["db"].session(), CODE)
        assert ind.programme.code == NEW and ind.kinds == ("xa",)
        assert ind.name_vi == "Tên mới" and ind.valid_to == dt.date(2030, 12, 31)
    listed = dash_caller.post(
        "ia-grid.rowData",
        inputs=[
            {"id": "ia-programme", "property": "value", "value": NEW},
            {"id": "ia-refresh", "property": "data", "value": 1},
        ],
    )
    rows = response_of(listed)["ia-grid"]["rowData"]
    assert [r["code"] for r in rows] == [CODE]
    assert rows[0]["criterion"].startswith("7. ") and rows[0]["values"] == 0
    assert rows[0]["validity"] == "01/01/2026 – 31/12/2030"


@pytest.mark.db
def test_choosing_a_row_fills_the_form_and_locks_what_is_counted(app, auth, dash_caller):
    """Catches a form that is not filled with the chosen indicator (saving it would then blank
    its fields), or that lets the office edit a locked field it will be refused."""
    auth.login("admin")
    chosen = response_of(
        dash_caller.post(
            "ia-chosen.data",
            inputs=[{"id": "ia-grid", "property": "selectedRows", "value": [{"code": "GOV-C8_4"}]}],
        )
    )
    assert chosen["ia-chosen"]["data"] == {"code": "GOV-C8_4", "locked": True}
    assert chosen["ia-unit-kinds"]["value"] == ["xa"]
    assert chosen["ia-valid-to"]["value"] == "2025-12-31"
    assert chosen["ia-definition-vi"]["value"].startswith("Xã đạt chỉ tiêu 8.4")
    shown = response_of(
        dash_caller.post(
            "ia-mode.children",
            inputs=[{"id": "ia-chosen", "property": "data", "value": chosen["ia-chosen"]["data"]}],
        )
    )
    assert shown["ia-code"]["disabled"] and shown["ia-rollup"]["disabled"]
    assert not shown["ia-update"]["disabled"] and "GOV-C8_4" in json.dumps(
        shown, ensure_ascii=False
    )
    old = response_of(
        dash_caller.post(
            "ia-grid.rowData",
            inputs=[
                {"id": "ia-programme", "property": "value", "value": OLD},
                {"id": "ia-refresh", "property": "data", "value": 0},
            ],
        )
    )
    assert old["ia-criterion"] == {"options": [], "disabled": True}
    assert {r["code"] for r in old["ia-grid"]["rowData"]} >= {"GOV-C8_4", "PILOT-SMART"}
    auth.logout()
    auth.login("viewer")
    refused = dash_caller.post(
        "ia-chosen.data",
        inputs=[{"id": "ia-grid", "property": "selectedRows", "value": [{"code": "GOV-C8_4"}]}],
    )
    assert "Xã đạt chỉ tiêu 8.4" not in refused.get_data(as_text=True)


def response_of(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def render(app, username: str, path: str) -> str:
    with app.test_request_context():
        login_user(get_user(app, username))
        page = next(p for p in dash.page_registry.values() if p["path"] == path)
        layout = page["layout"]()
    return json.dumps(layout, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


@pytest.mark.db
def test_the_page_is_the_offices_and_linked_from_the_admin_page(app):
    """Catches the form shown to non-administrators, or a page nobody can find."""
    text = render(app, "admin", "/quan-tri/chi-tieu")
    for component in ("ia-grid", "ia-programme", "ia-create", "ia-end-confirm", *FORM_IDS.values()):
        assert f'"{component}"' in text, component
    assert f'"value": "{NEW}"' in text  # the programme in force today, else the latest
    for name in ("viewer", "editor-622"):
        text = render(app, name, "/quan-tri/chi-tieu")
        assert '"ia-forbidden"' in text and '"ia-grid"' not in text
    assert '"/quan-tri/chi-tieu"' in render(app, "admin", "/quan-tri")


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"code": "c7 một"}, "code", "chữ in hoa"),
        ({"code": "GOV-C8_4"}, "code", "Đã có chỉ tiêu mã GOV-C8_4"),
        ({"code": ""}, "code", "Vui lòng nhập Mã chỉ tiêu"),
        ({"programme": "2026-2030"}, "programme", "Không tìm thấy chương trình"),
        ({"pillar": "culture"}, "pillar", "Trụ cột"),
        ({"name_vi": "  "}, "name_vi", "Vui lòng nhập Tên chỉ tiêu (tiếng Việt)"),
        ({"name_vi": "x" * 301}, "name_vi", "300"),
        ({"criterion": "11"}, "criterion", "Tiêu chí không thuộc chương trình"),
        ({"programme": OLD, "criterion": "7"}, "criterion", "Tiêu chí không thuộc chương trình"),
        ({"valid_from": "2025-12-31"}, "valid_from", "nằm trong chương trình"),
        ({"valid_to": "2036-01-01"}, "valid_to", "nằm trong chương trình"),
        ({"valid_from": "2027-01-01", "valid_to": "2026-12-31"}, "valid_to", "sau ngày bắt đầu"),
        ({"valid_from": "31/02/2026"}, "valid_from", "ngày hợp lệ"),
        ({"level": "district"}, "level", "Cấp huyện không còn tồn tại"),
        ({"level": "hamlet"}, "level", "Cấp đơn vị được tính"),
        ({"unit_kinds": "huyen"}, "unit_kinds", "Không có đơn vị loại “Huyện” ở Cấp xã"),
        ({"unit_kinds": "village"}, "unit_kinds", "Loại đơn vị “village”"),
        ({"value_type": "ratio"}, "value_type", "cần kiểu giá trị “Có/Không"),
        ({"rollup": "share_with_rows"}, "rollup", "không tổng hợp được"),
        ({"source_filter": "digital"}, "source_filter", "không có điều kiện bản ghi"),
        (
            {"source": "cooperatives", "rollup": "share_with_rows", "source_filter": "vip"},
            "source_filter",
            "các điều kiện có: digital",
        ),
        (
            {"source": "linkage_models", "rollup": "share_with_rows"},
            "level",
            "không có bản ghi của đơn vị Cấp xã",
        ),
        ({"criterion": None}, "legal_basis", "chọn tiêu chí để dùng căn cứ của tiêu chí"),
        ({"definition_vi": "x" * 1201}, "definition_vi", "1200"),
        ({"name_en": "tab\x00"}, "name_en", "ký tự điều khiển"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(session, changes, field, fragment):
    """Catches an indicator saved with a field the engine cannot count (or counts nothing
    with), outside its programme, with an unknown criterion, or refused without saying which
    field and why."""
    before = state(session)
    with pytest.raises(ValidationError) as err:
        service.create_indicator(session, user(session, "admin"), **fields(**changes))
    session.rollback()
    assert field in err.value.errors, err.value.errors
    assert fragment in err.value.errors[field], err.value.errors[field]
    assert state(session) == before


@pytest.mark.db
def test_a_registry_indicator_of_the_new_programme_is_accepted(session):
    """Catches rules that refuse what the engine can count (the shipped file's own shapes)."""
    actor = user(session, "admin")
    ind = service.create_indicator(
        session,
        actor,
        **fields(
            value_type="boolean",
            rollup="share_with_rows",
            source="cooperatives",
            source_filter="digital",
            denominator_rule="expected",
            criterion="3",
            legal_basis="Quyết định 51/2025/QĐ-TTg, Phụ lục I, tiêu chí 3",
        ),
    )
    assert (ind.source, ind.source_filter, ind.denominator_rule) == (
        "cooperatives",
        "digital",
        "expected",
    )
    assert ind.legal_basis.endswith("tiêu chí 3")


def test_the_file_is_checked_by_the_same_rules():
    """Catches two copies of the rules: the file's check must refuse what the office's form
    refuses (a rollup that reads another value type, an unknown unit kind, a filter the
    registry does not have, a criterion its programme does not have)."""
    spec = json.loads(data_text("indicators.json"))
    sources = frozenset({"values", *REGISTRIES})

    def refused(change) -> metadata.IndicatorSpecError:
        bad = copy.deepcopy(spec)
        change(next(i for i in bad["indicators"] if i["code"] == "GOV-C8_4"))
        with pytest.raises(metadata.IndicatorSpecError) as err:
            metadata.validate_spec(bad, sources, OLD)
        return err.value

    assert refused(lambda i: i.update(value_type="ratio")).field == "value_type"
    assert refused(lambda i: i.update(unit_kinds="xa,village")).field == "unit_kinds"
    assert refused(lambda i: i.update(source_filter="digital")).field == "source_filter"
    assert refused(lambda i: i.update(code="gov c8")).field == "code"
    assert refused(lambda i: i["meta"].update(criterion=7)).field == "meta.criterion"
    ok = copy.deepcopy(spec)
    item = next(i for i in ok["indicators"] if i["code"] == "GOV-C8_4")
    item.update(programme=NEW)
    item["meta"]["criterion"] = 7
    checked = {i["code"]: i for i in metadata.validate_spec(ok, sources, OLD)}
    assert checked["GOV-C8_4"]["meta"]["criterion"] == 7


# --- what may change once values exist -----------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rollup": "sum", "value_type": "count"}, "rollup"),
        ({"unit_kinds": ""}, "unit_kinds"),
        ({"level": "district"}, "level"),
        ({"denominator_rule": "expected"}, "denominator_rule"),
        ({"source": "cooperatives", "rollup": "share_with_rows"}, "source"),
        ({"programme": NEW}, "programme"),
    ],
)
def test_what_is_counted_is_locked_once_values_exist(session, changes, field):
    """Catches a change of what an indicator counts after values were entered under the old
    rule (the stored values would be read by another rule, silently)."""
    before = state(session)
    with pytest.raises(ValidationError) as err:
        service.update_indicator(session, user(session, "admin"), "GOV-C8_4", **changes)
    session.rollback()
    assert "kết thúc chỉ tiêu này và tạo chỉ tiêu mới" in err.value.errors[field]
    assert state(session) == before


@pytest.mark.db
def test_names_legal_basis_and_end_may_change_once_values_exist(session):
    """Catches a lock so wide the office cannot correct a name or end an indicator, or an
    unchanged counted field (the whole form is sent back) taken for a change."""
    actor = user(session, "admin")
    current = service.form_values(session, actor, "GOV-C8_4")
    assert current["locked"] is True
    unchanged = {name: current[name] for name in service.LOCKED}
    ind = service.update_indicator(
        session,
        actor,
        "GOV-C8_4",
        **unchanged,
        name_vi="Xã đạt chỉ tiêu 8.4 (đã sửa)",
        legal_basis="Quyết định 318/QĐ-TTg (2022), sửa",
    )
    assert ind.name_vi.endswith("(đã sửa)") and ind.legal_basis.endswith("sửa")
    ended = service.end_indicator(session, actor, "GOV-C8_4", "2025-06-30")
    assert ended.valid_to == dt.date(2025, 6, 30)


@pytest.mark.db
def test_a_target_alone_locks_what_is_counted(session):
    """Catches a lock that looks at values only: a target set on the old rule would be read
    against another."""
    actor = user(session, "admin")
    service.create_indicator(session, actor, **fields())
    changed = service.update_indicator(
        session, actor, CODE, value_type="ratio", rollup="ratio_of_sums"
    )
    assert changed.rollup == "ratio_of_sums"  # nothing stored yet: free to change
    admin.set_target(session, actor, indicator_code=CODE, value="50", year=2030, group="1")
    with pytest.raises(ValidationError) as err:
        service.update_indicator(session, actor, CODE, value_type="boolean", rollup="share_meeting")
    session.rollback()
    assert {"value_type", "rollup"} <= set(err.value.errors)


@pytest.mark.db
def test_validity_must_keep_stored_values_and_targets_in_force(session):
    """Catches an end (or a later start) that silently drops periods with values or years with
    targets from the figures."""
    actor = user(session, "admin")
    with pytest.raises(ValidationError) as err:
        service.end_indicator(session, actor, "GOV-C8_4", "2024-12-31")
    session.rollback()
    assert "Kỳ 2025 đã có số liệu" in err.value.errors["valid_to"]
    with pytest.raises(ValidationError) as err:
        service.update_indicator(session, actor, "GOV-C8_4", valid_from="2022-01-01")
    session.rollback()
    assert "Kỳ 2021" in err.value.errors["valid_from"]
    service.create_indicator(session, actor, **fields())
    admin.set_target(session, actor, indicator_code=CODE, value="50", year=2030, group="1")
    with pytest.raises(ValidationError) as err:
        service.end_indicator(session, actor, CODE, "2029-12-31")
    session.rollback()
    assert "mục tiêu năm 2030" in err.value.errors["valid_to"]


# --- validity and the engine ----------------------------------------------------------------------


@pytest.mark.db
def test_a_value_outside_the_validity_is_not_counted_until_the_validity_covers_it(session):
    """Catches the engine counting a value of a period the indicator is not in force in, or
    figure cells not rebuilt when the office changes the validity."""
    actor = user(session, "admin")
    service.create_indicator(session, actor, **fields(valid_from="2027-01-01"))
    ind = svc.get_indicator(session, CODE)
    [commune] = communes(session, FIRST_DAY, 1)
    with pytest.raises(ValidationError):  # the entry paths refuse it
        values.set_value(
            session,
            actor,
            indicator_code=CODE,
            unit_id=commune.id,
            period_code="2026",
            raw={"value": "có"},
        )
    session.rollback()
    period = svc.get_period(session, "2026")
    # A value stored all the same (a bulk load, an earlier validity): not counted.
    session.add(
        IndicatorValue(
            indicator_id=ind.id, unit_id=commune.id, period_id=period.id, value_bool=True
        )
    )
    session.commit()
    assert aggregates.usable(session)  # read from the figure cells
    figure = svc.compute(session, ind, period)
    assert (figure.expected, figure.reported, figure.value) == (0, 0, None)
    assert CODE not in {i.code for i, _p, _f in svc.summary(session, period)}

    service.update_indicator(session, actor, CODE, valid_from="2026-02-15")
    assert aggregates.usable(session)
    ind = svc.get_indicator(session, CODE)
    figure = svc.compute(session, ind, period)
    assert (figure.reported, figure.numerator) == (1, 1)
    direct = svc.aggregate_direct(session, ind, [period])[0]
    assert (direct.expected, direct.reported) == (figure.expected, figure.reported)
    assert CODE in {i.code for i, _p, _f in svc.summary(session, period)}


# --- the seed and the office -------------------------------------------------------------------


@pytest.mark.db
def test_the_seed_does_not_overwrite_what_the_office_did(session):
    """Catches a seed (every start-up and init-db) that writes the shipped file over an office
    edit, an office end, the office's own indicators, or stops repairing shipped ones."""
    actor = user(session, "admin")
    service.update_indicator(
        session, actor, "GOV-C8_4", name_vi="Tên do Văn phòng sửa", definition_vi="Định nghĩa mới"
    )
    service.end_indicator(session, actor, "GOV-D9_5", "2025-06-30")
    created = service.create_indicator(session, actor, **fields())
    order = created.display_order
    province_target = svc.get_indicator(session, "GOV-D9_5").targets[0]
    province_target.target_value = 61.0  # the office's target of its indicator
    # A shipped indicator the office never touched, drifted from the file: repaired.
    session.execute(
        sa.update(Indicator).where(Indicator.code == "GOV-FIBRE").values(name_vi="Trôi")
    )
    session.commit()

    reference.seed_reference(session)
    session.commit()
    session.expire_all()
    c84 = svc.get_indicator(session, "GOV-C8_4")
    assert c84.name_vi == "Tên do Văn phòng sửa"
    assert metadata.texts(c84, "vi")["definition"] == "Định nghĩa mới"
    assert metadata.texts(c84, "vi")["method"]  # the rest of its meaning kept
    d95 = svc.get_indicator(session, "GOV-D9_5")
    assert d95.valid_to == dt.date(2025, 6, 30) and d95.targets[0].target_value == 61.0
    mine = svc.get_indicator(session, CODE)
    assert mine is not None and mine.display_order == order and metadata.criterion_of(mine) == 7
    assert svc.get_indicator(session, "GOV-FIBRE").name_vi != "Trôi"


# --- the audit trail -----------------------------------------------------------------------------


@pytest.mark.db
def test_every_change_is_audited_with_before_and_after(session):
    """Catches an indicator change without an audit row, without what it was before, or read
    in the log as an unknown action."""
    actor = user(session, "admin")
    service.create_indicator(session, actor, **fields())
    service.update_indicator(session, actor, CODE, name_vi="Tên mới")
    service.end_indicator(session, actor, CODE, "2030-12-31")
    [created] = audit_rows(session, "indicator.indicator_create")
    [updated] = audit_rows(session, "indicator.indicator_update")
    [ended] = audit_rows(session, "indicator.indicator_end")
    assert created.before is None and json.loads(created.after)["criterion"] == 7
    assert created.indicator_code == CODE and created.username == "admin"
    assert json.loads(updated.before)["name_vi"] == "Chỉ tiêu thử nghiệm của tiêu chí 7"
    assert json.loads(updated.after)["name_vi"] == "Tên mới"
    assert json.loads(ended.before)["end"] == "2035-12-31"
    assert json.loads(ended.after)["end"] == "2030-12-31"
    actions = set(log_frame(session, indicator_code=CODE).iloc[:, 2])
    assert actions == {"Thêm chỉ tiêu", "Sửa chỉ tiêu", "Kết thúc chỉ tiêu"}


@pytest.mark.db
def test_nothing_is_audited_or_marked_when_refused(session):
    """Catches an audit row or an office mark left by a refused change."""
    actor = user(session, "admin")
    with pytest.raises(ValidationError):
        service.update_indicator(session, actor, "GOV-FIBRE", name_vi="")
    session.rollback()
    assert not metadata.edited_by_office(svc.get_indicator(session, "GOV-FIBRE"))
    indicator_rows = sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.action.like("indicator.%")
    )
    assert session.scalar(indicator_rows) == 0
