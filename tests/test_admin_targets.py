"""The office sets targets by scope (the province, a unit, a commune group) with milestones,
and the communes' groups over time: admins only, validated, audited, and used by `target_for`."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from dashboard import scope
from dashboard.errors import NotFound, PermissionDenied, ValidationError
from dashboard.models import AuditLog, Indicator, Level, OrgUnit, Target, UnitGroup, User
from dashboard.services import admin
from dashboard.services.targets import group_of, target_for

pytestmark = pytest.mark.db

COMMUNE_IND = "GOV-C8_4"  # a share over communes (province target 97 in 2025)
DISTRICT_IND = "GOV-D9_5"  # a share over districts


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def indicator(session, code=COMMUNE_IND) -> Indicator:
    return session.scalar(sa.select(Indicator).where(Indicator.code == code))


def targets(session, code=COMMUNE_IND) -> list[tuple]:
    """Every stored target of an indicator as (scope_key, year, value, milestones)."""
    rows = session.scalars(
        sa.select(Target)
        .join(Indicator)
        .where(Indicator.code == code)
        .order_by(Target.scope_key, Target.target_year)
    )
    return [(t.scope_key, t.target_year, t.target_value, t.milestones_json) for t in rows]


def audit_rows(session, action) -> list[AuditLog]:
    return list(
        session.scalars(sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
    )


def commune_valid_on(session, day: dt.date, district_code: str | None = None) -> OrgUnit:
    """A rural commune (kind `xa`) in force on `day`, optionally of a district."""
    stmt = (
        sa.select(OrgUnit)
        .join(Level, Level.id == OrgUnit.level_id)
        .where(Level.code == "commune", OrgUnit.kind == "xa", OrgUnit.valid_on(day))
        .order_by(OrgUnit.gso_code)
    )
    if district_code:
        district = scope.find_district(session, district_code, day)
        stmt = stmt.where(OrgUnit.parent_id == district.id)
    return session.scalar(stmt.limit(1))


# --- targets by scope --------------------------------------------------------------------------


def test_one_target_per_scope_and_year_and_a_second_save_updates(session):
    """Bug: saving a target of a scope and year again added a second row (two targets, one
    chosen at random) instead of updating it, or a district's save overwrote the province's."""
    actor = user(session, "admin")
    before = targets(session)
    province = admin.set_target(session, actor, indicator_code=COMMUNE_IND, value="80", year=2024)
    district = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="70", year=2024, scope_code="633"
    )
    group = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="65", year=2024, group="1"
    )
    again = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="72,5", year=2024, scope_code="633"
    )
    assert again.id == district.id and again.target_value == 72.5
    after = targets(session)
    assert len(after) == len(before) + 3
    keys = [(key, year) for key, year, _v, _m in after]
    assert len(keys) == len(set(keys))
    chu_se = scope.find_district(session, "633", dt.date(2024, 1, 1))
    assert district.scope_unit_id == chu_se.id and district.level.code == "district"
    assert province.scope_unit.parent_id is None and province.level.code == "province"
    assert group.scope_unit_id is None and group.commune_group == "1"
    assert group.level.code == "commune"
    assert session.get(Target, province.id).target_value == 80


def test_province_of_the_year_and_unit_versions_of_the_year(session):
    """Bug: "Toàn tỉnh" bound a 2024 target to the province of the two-tier structure (or a
    district's 2025 target to nothing, the district having ended mid-year), so no figure was
    ever compared with it."""
    actor = user(session, "admin")
    old_province = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="90", year=2024
    )
    assert old_province.scope_unit.is_valid_on(dt.date(2024, 1, 1))
    district_2025 = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="60", year=2025, scope_code="622"
    )
    assert district_2025.scope_unit.gso_code == "622"
    assert district_2025.scope_unit.is_valid_on(dt.date(2025, 1, 1))


def test_a_district_target_is_the_districts_own_and_the_province_keeps_its_own(session):
    """Bug: a target saved for a district was not the one its figures were compared with
    (they kept the province's), or saving it changed the province's target."""
    actor = user(session, "admin")
    ind = indicator(session)
    province_before = target_for(ind, None, 2024).target_value
    admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="42", year=2024, scope_code="633"
    )
    session.expire_all()
    ind = indicator(session)
    district = scope.find_district(session, "633", dt.date(2024, 12, 31))
    assert target_for(ind, district, 2024).target_value == 42
    assert target_for(ind, None, 2024).target_value == province_before == 97
    other = scope.find_district(session, "622", dt.date(2024, 12, 31))
    assert target_for(ind, other, 2024) is None


def test_a_group_target_is_the_target_of_the_communes_of_the_group(session):
    """Bug: a commune-group target was stored but a commune of the group was not compared
    with it (scope or level stored wrong)."""
    actor = user(session, "admin")
    commune = commune_valid_on(session, dt.date(2025, 1, 1), "633")
    admin.set_unit_group(
        session, actor, unit_code=commune.gso_code, group="1", valid_from="2024-01-01"
    )
    admin.set_target(session, actor, indicator_code=COMMUNE_IND, value="55", year=2025, group="1")
    session.expire_all()
    ind = indicator(session)
    commune = session.get(OrgUnit, commune.id)
    assert target_for(ind, commune, 2025).target_value == 55
    outsider = commune_valid_on(session, dt.date(2025, 1, 1), "622")
    assert target_for(ind, outsider, 2025) is None


def test_group_target_refused_for_a_district_level_indicator(session):
    """Bug: a commune-group target was accepted for an indicator counted over districts, a
    target no figure can ever be compared with."""
    before = targets(session, DISTRICT_IND)
    with pytest.raises(ValidationError) as err:
        admin.set_target(
            session,
            user(session, "admin"),
            indicator_code=DISTRICT_IND,
            value="50",
            year=2024,
            group="1",
        )
    assert "cấp xã" in err.value.errors["scope"] and "cấp huyện" in err.value.errors["scope"]
    session.rollback()
    assert targets(session, DISTRICT_IND) == before


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"year": 2036}, "year", "không thuộc chương trình"),
        ({"year": 2019}, "year", "không thuộc chương trình"),
        ({"year": "năm sau"}, "year", "số"),
        ({"year": 2026, "scope_code": "633"}, "scope", "không tồn tại trong năm 2026"),
        ({"year": 2024, "scope_code": "99999"}, "scope", "Không tìm thấy"),
        ({"year": 2024, "scope_code": "633", "group": "1"}, "scope", "không chọn cả hai"),
        ({"year": 2024, "group": "nhóm một"}, "scope", "Mã nhóm"),
        ({"year": 2024, "value": "120"}, "value", "100%"),
    ],
)
def test_bad_year_or_scope_is_refused_and_nothing_changes(session, kwargs, field, fragment):
    """Bug: a target for a year outside every programme (or a unit not in force that year,
    an unknown unit, a unit and a group at once, a bad group code) was stored."""
    before = targets(session)
    arguments = {"indicator_code": COMMUNE_IND, "value": "80", **kwargs}
    with pytest.raises(ValidationError) as err:
        admin.set_target(session, user(session, "admin"), **arguments)
    assert fragment in err.value.errors[field]
    session.rollback()
    assert targets(session) == before


def test_a_commune_target_of_a_district_indicator_is_refused(session):
    """Bug: a target was accepted for a commune of an indicator counted over districts (no
    such figure exists)."""
    commune = commune_valid_on(session, dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as err:
        admin.set_target(
            session,
            user(session, "admin"),
            indicator_code=DISTRICT_IND,
            value="50",
            year=2024,
            scope_code=commune.gso_code,
        )
    assert commune.name in err.value.errors["scope"]


def test_milestones_are_stored_and_read_back(session):
    """Bug: milestones were lost, misread (decimal comma) or not offered by `milestone`."""
    actor = user(session, "admin")
    target = admin.set_target(
        session,
        actor,
        indicator_code=COMMUNE_IND,
        value="90",
        year=2025,
        scope_code="633",
        milestones="2023: 60; 2024: 75,5",
    )
    assert target.milestones == {2023: 60.0, 2024: 75.5}
    assert target.milestone(2024) == 75.5 and target.milestone(2025) == 90
    assert admin.milestones_text(target) == "2023: 60; 2024: 75,5"
    as_dict = admin.set_target(
        session,
        actor,
        indicator_code=COMMUNE_IND,
        value="90",
        year=2025,
        scope_code="633",
        milestones={2022: 40},
    )
    assert as_dict.id == target.id and as_dict.milestones == {2022: 40.0}
    cleared = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="90", year=2025, scope_code="633"
    )
    assert cleared.milestones == {} and cleared.milestones_json is None


@pytest.mark.parametrize(
    ("milestones", "fragment"),
    [
        ("2023 60", "Không đọc được"),
        ("2025: 80", "phải trước năm mục tiêu"),
        ("2026: 80", "phải trước năm mục tiêu"),
        ("2020: 10", "từ năm 2021"),
        ("2023: 120", "100%"),
        ("2023: nhiều", "phải là số"),
        ("2023: -5", "không được âm"),
        ("2023: 50; 2023: 60", "hai mốc"),
        ({"hai nghìn": 5}, "Không đọc được"),
    ],
)
def test_bad_milestones_are_refused_and_nothing_changes(session, milestones, fragment):
    """Bug: a milestone after the target year, before the programme, over 100% for a share,
    unreadable or given twice was stored, or the refused save still changed the target."""
    actor = user(session, "admin")
    admin.set_target(
        session,
        actor,
        indicator_code=COMMUNE_IND,
        value="90",
        year=2025,
        scope_code="633",
        milestones="2024: 70",
    )
    before = targets(session)
    with pytest.raises(ValidationError) as err:
        admin.set_target(
            session,
            actor,
            indicator_code=COMMUNE_IND,
            value="95",
            year=2025,
            scope_code="633",
            milestones=milestones,
        )
    assert fragment in err.value.errors["milestones"]
    session.rollback()
    assert targets(session) == before


def test_delete_removes_the_target_and_is_audited(session):
    """Bug: a wrong target could not be removed, or its removal left no trace."""
    actor = user(session, "admin")
    target = admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="42", year=2024, scope_code="633"
    )
    target_id = target.id
    admin.delete_target(session, actor, target_id)
    session.expire_all()
    assert session.get(Target, target_id) is None
    district = scope.find_district(session, "633", dt.date(2024, 12, 31))
    assert target_for(indicator(session), district, 2024) is None
    [entry] = audit_rows(session, "target.delete")
    assert entry.entity_id == target_id and entry.after is None
    assert json.loads(entry.before)["value"] == 42
    with pytest.raises(NotFound):
        admin.delete_target(session, actor, target_id)


def test_target_changes_are_audited_with_scope_and_milestones(session):
    """Bug: the audit row of a target change lacked its scope or milestones, or the value it
    had before, so a wrong change could not be traced."""
    actor = user(session, "admin")
    admin.set_target(
        session,
        actor,
        indicator_code=COMMUNE_IND,
        value="70",
        year=2025,
        scope_code="633",
        milestones="2024: 50",
    )
    admin.set_target(
        session, actor, indicator_code=COMMUNE_IND, value="75", year=2025, scope_code="633"
    )
    admin.set_target(session, actor, indicator_code=COMMUNE_IND, value="60", year=2025, group="2")
    first, second, third = audit_rows(session, "target.set")
    chu_se = scope.find_district(session, "633", dt.date(2025, 1, 1))
    assert first.before is None and first.unit_id == chu_se.id
    assert json.loads(first.after) == {
        "unit_id": chu_se.id,
        "group": None,
        "value": 70.0,
        "year": 2025,
        "milestones": {"2024": 50.0},
    }
    assert json.loads(second.before)["milestones"] == {"2024": 50.0}
    assert json.loads(second.after)["value"] == 75.0
    assert json.loads(second.after)["milestones"] is None
    assert json.loads(third.after)["group"] == "2" and third.indicator_code == COMMUNE_IND


@pytest.mark.parametrize("name", ["viewer", "editor-622", "approver"])
def test_only_admins_set_targets_and_groups(session, name):
    """Bug: a non-administrator could set or delete a target or a commune's group by calling
    the service directly."""
    actor = user(session, name)
    if actor is None:
        pytest.skip(f"no {name} account in the demo")
    target_id = session.scalar(sa.select(Target.id).limit(1))
    with pytest.raises(PermissionDenied):
        admin.set_target(session, actor, indicator_code=COMMUNE_IND, value="10", year=2025)
    with pytest.raises(PermissionDenied):
        admin.delete_target(session, actor, target_id)
    with pytest.raises(PermissionDenied):
        admin.target_form_values(session, actor, target_id)
    with pytest.raises(PermissionDenied):
        admin.set_unit_group(session, actor, unit_code="633", group="1", valid_from="2026-01-01")


def test_targets_table_names_scope_level_and_milestones(session):
    """Bug: the targets table showed every target as the indicator's (no scope), so the
    province's, a district's and a group's targets of a year looked alike."""
    actor = user(session, "admin")
    admin.set_target(
        session,
        actor,
        indicator_code=COMMUNE_IND,
        value="70",
        year=2025,
        scope_code="633",
        milestones="2023: 50; 2024: 62,5",
    )
    admin.set_target(session, actor, indicator_code=COMMUNE_IND, value="60", year=2025, group="1")
    frame = admin.targets_frame(session)
    rows = frame[frame["Mã"] == COMMUNE_IND].set_index("Phạm vi")
    assert rows.loc["Huyện Chư Sê", "Cấp"] == "Cấp huyện"
    assert rows.loc["Huyện Chư Sê", "Mốc theo năm"] == "2023: 50; 2024: 62,5"
    assert rows.loc["Nhóm 1", "Cấp"] == "Cấp xã" and rows.loc["Nhóm 1", "Mục tiêu"] == 60
    assert rows.loc["Tỉnh Gia Lai", "Mục tiêu"] == 97


# --- commune groups ----------------------------------------------------------------------------


def test_a_new_group_closes_the_previous_one_the_day_before(session):
    """Bug: a commune's new group left the previous one open, so on a day two groups
    overlapped (and the commune was compared with either group's target)."""
    actor = user(session, "admin")
    commune = commune_valid_on(session, dt.date(2026, 1, 1))
    first = admin.set_unit_group(
        session, actor, unit_code=commune.gso_code, group="1", valid_from="2025-07-01"
    )
    second = admin.set_unit_group(
        session,
        actor,
        unit_code=commune.gso_code,
        group="2",
        valid_from="2027-01-01",
        legal_basis="Quyết định 12/QĐ-UBND",
    )
    session.expire_all()
    first = session.get(UnitGroup, first.id)
    assert first.valid_to == dt.date(2026, 12, 31)
    assert session.get(UnitGroup, second.id).valid_to is None
    assert group_of(session, commune, dt.date(2026, 12, 31)) == "1"
    assert group_of(session, commune, dt.date(2027, 1, 1)) == "2"
    entries = audit_rows(session, "unit_group.set")
    closing = [e for e in entries if e.entity_id == first.id][-1]
    assert json.loads(closing.before)["end"] is None
    assert json.loads(closing.after)["end"] == "2026-12-31"
    assert json.loads(entries[-1].after)["legal_basis"] == "Quyết định 12/QĐ-UBND"
    frame = admin.groups_frame(session)
    assert list(frame["Đến ngày (không bắt buộc)"]) == ["31/12/2026", ""]


def test_a_group_overlapping_a_later_one_is_refused(session):
    """Bug: a group set from an earlier day ran over the commune's later group (two groups
    on the same days), or the refused save still closed the earlier row."""
    actor = user(session, "admin")
    commune = commune_valid_on(session, dt.date(2026, 1, 1))
    admin.set_unit_group(
        session, actor, unit_code=commune.gso_code, group="1", valid_from="2026-01-01"
    )
    admin.set_unit_group(
        session, actor, unit_code=commune.gso_code, group="2", valid_from="2028-01-01"
    )
    before = session.execute(
        sa.select(UnitGroup.group_code, UnitGroup.valid_from, UnitGroup.valid_to)
        .where(UnitGroup.unit_id == commune.id)
        .order_by(UnitGroup.valid_from)
    ).all()
    with pytest.raises(ValidationError) as err:
        admin.set_unit_group(
            session, actor, unit_code=commune.gso_code, group="3", valid_from="2027-01-01"
        )
    assert "01/01/2028" in err.value.errors["valid_to"]
    session.rollback()
    after = session.execute(
        sa.select(UnitGroup.group_code, UnitGroup.valid_from, UnitGroup.valid_to)
        .where(UnitGroup.unit_id == commune.id)
        .order_by(UnitGroup.valid_from)
    ).all()
    assert after == before
    bounded = admin.set_unit_group(
        session,
        actor,
        unit_code=commune.gso_code,
        group="3",
        valid_from="2027-01-01",
        valid_to="2027-12-31",
    )
    assert bounded.valid_to == dt.date(2027, 12, 31)
    assert group_of(session, commune, dt.date(2026, 12, 31)) == "1"
    assert group_of(session, commune, dt.date(2027, 6, 1)) == "3"
    assert group_of(session, commune, dt.date(2028, 6, 1)) == "2"


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"unit_code": "633"}, "unit", "Chỉ đơn vị cấp xã"),
        ({"unit_code": "99999"}, "unit", "Không tìm thấy"),
        ({"group": ""}, "group", "Mã nhóm"),
        ({"group": "nhóm-123456"}, "group", "Mã nhóm"),
        ({"valid_from": "31/02/2026"}, "valid_from", "ngày hợp lệ"),
        ({"valid_to": "2025-12-31"}, "valid_to", "sau ngày bắt đầu"),
    ],
)
def test_bad_group_input_is_refused(session, kwargs, field, fragment):
    """Bug: a group was set for a district, an unknown unit, with a bad code or dates."""
    commune = commune_valid_on(session, dt.date(2026, 1, 1))
    arguments = {
        "unit_code": commune.gso_code,
        "group": "1",
        "valid_from": "2026-01-01",
        **kwargs,
    }
    with pytest.raises(ValidationError) as err:
        admin.set_unit_group(session, user(session, "admin"), **arguments)
    assert fragment in err.value.errors[field]
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(UnitGroup.id))) == 0


def test_a_commune_that_ended_before_the_day_is_refused(session):
    """Bug: a group was given to a commune version that no longer existed on its first day."""
    old = session.scalar(
        sa.select(OrgUnit)
        .join(Level, Level.id == OrgUnit.level_id)
        .where(Level.code == "commune", OrgUnit.valid_to == dt.date(2024, 10, 31))
        .limit(1)
    )
    with pytest.raises(ValidationError) as err:
        admin.set_unit_group(
            session,
            user(session, "admin"),
            unit_code=old.gso_code,
            group="1",
            valid_from="2026-01-01",
        )
    assert "không tồn tại vào ngày 01/01/2026" in err.value.errors["unit"]


# --- the page's callbacks, replayed ---------------------------------------------------------


def body(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def replay_save(dash_caller, scope_choice="unit:633", value="64", milestones="2023: 40"):
    return dash_caller.post(
        "ad-target-msg.children",
        inputs=[{"id": "ad-target-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ad-target-indicator", "property": "value", "value": COMMUNE_IND},
            {"id": "ad-target-scope", "property": "value", "value": scope_choice},
            {"id": "ad-target-year", "property": "value", "value": "2024"},
            {"id": "ad-target-value", "property": "value", "value": value},
            {"id": "ad-target-milestones", "property": "value", "value": milestones},
            {"id": "ad-refresh", "property": "data", "value": 0},
        ],
    )


def replay_delete(dash_caller, target_id):
    return dash_caller.post(
        "ad-target-msg.children@",
        inputs=[{"id": "ad-target-delete-confirm", "property": "submit_n_clicks", "value": 1}],
        state=[
            {"id": "ad-targets-grid", "property": "selectedRows", "value": [{"id": target_id}]},
            {"id": "ad-refresh", "property": "data", "value": 0},
        ],
    )


def replay_group(dash_caller, unit_code):
    return dash_caller.post(
        "ad-group-msg.children",
        inputs=[{"id": "ad-group-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ad-group-unit", "property": "value", "value": unit_code},
            {"id": "ad-group-code", "property": "value", "value": "1"},
            {"id": "ad-group-from", "property": "value", "value": "2026-01-01"},
            {"id": "ad-group-to", "property": "value", "value": ""},
            {"id": "ad-group-basis", "property": "value", "value": ""},
            {"id": "ad-refresh", "property": "data", "value": 0},
        ],
    )


def stored_state(app) -> tuple:
    with app.app_context():
        session = app.extensions["db"].session()
        return (
            tuple(session.execute(sa.select(Target.id, Target.scope_key, Target.target_value))),
            session.scalar(sa.select(sa.func.count(UnitGroup.id))),
        )


def a_commune_code(app) -> str:
    with app.app_context():
        return commune_valid_on(app.extensions["db"].session(), dt.date(2026, 1, 1)).gso_code


def a_target_id(app) -> int:
    with app.app_context():
        return app.extensions["db"].session().scalar(sa.select(sa.func.min(Target.id)))


def test_delete_callback_is_the_delete_output(app):
    """`replay_delete` reaches the delete callback (its first output is a duplicate)."""
    keys = [
        k
        for k in app.extensions["dash_app"].callback_map
        if k.startswith("..ad-target-msg.children@")
    ]
    assert len(keys) == 1 and "ad-refresh.data" in keys[0]


@pytest.mark.parametrize("name", ["viewer", "editor-622"])
def test_replayed_target_and_group_writes_are_refused_to_non_admins(app, auth, dash_caller, name):
    """Bug: the targets or commune-group forms' callbacks, replayed by a non-administrator,
    changed targets or groups (the page hides the forms, the server must refuse)."""
    before = stored_state(app)
    commune = a_commune_code(app)
    target_id = a_target_id(app)
    auth.login(name)
    for response in (
        replay_save(dash_caller),
        replay_save(dash_caller, "province", value="5"),
        replay_delete(dash_caller, target_id),
        replay_group(dash_caller, commune),
    ):
        assert response.status_code == 200 and "không có quyền" in body(response)
    assert stored_state(app) == before


def test_admin_saves_and_deletes_targets_and_groups_through_the_page(app, auth, dash_caller):
    """Bug: the page's forms did not reach the services with the scope, milestones or group
    the administrator chose."""
    commune = a_commune_code(app)
    auth.login("admin")
    assert "Đã lưu" in body(replay_save(dash_caller))
    assert "Mã nhóm" in body(replay_save(dash_caller, "group:nhóm một"))
    assert "Đã lưu" in body(replay_group(dash_caller, commune))
    with app.app_context():
        session = app.extensions["db"].session()
        saved = session.scalar(
            sa.select(Target).where(Target.scope_unit_id.is_not(None)).order_by(Target.id.desc())
        )
        assert saved.scope_unit.gso_code == "633" and saved.milestones == {2023: 40.0}
        assert saved.target_value == 64
        saved_id = saved.id
        assert session.scalar(sa.select(UnitGroup.group_code)) == "1"
    assert "Đã xóa mục tiêu" in body(replay_delete(dash_caller, saved_id))
    with app.app_context():
        assert app.extensions["db"].session().get(Target, saved_id) is None


def test_the_seed_keeps_a_province_target_the_office_changed(session):
    """Catches the seed (every start-up and init-db) writing the shipped 90% back over the
    office's province target of an indicator the office did not otherwise change."""
    from dashboard.services import reference

    actor = session.scalar(sa.select(User).where(User.username == "admin"))
    admin.set_target(
        session, actor, indicator_code="GOV-DOSSIER-PROV", value="85", year=2025, scope_code="64"
    )
    reference.seed_reference(session)
    session.commit()
    session.expire_all()
    assert [row[1:3] for row in targets(session, "GOV-DOSSIER-PROV")] == [(2025, 85.0)]
