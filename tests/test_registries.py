"""Registry rows: add, change and delete through the service, validated, authorized, audited."""

import pytest
import sqlalchemy as sa

from dashboard.errors import Conflict, PermissionDenied, ValidationError
from dashboard.models import AuditLog, Cooperative, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import registries

pytestmark = pytest.mark.db


@pytest.fixture
def editor(session):
    return session.scalar(sa.select(User).where(User.username == "editor-622"))


@pytest.fixture
def commune(session):
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))


def coop_count(session):
    return session.scalar(sa.select(sa.func.count(Cooperative.id)))


def test_editor_adds_changes_and_deletes_a_cooperative(session, editor, commune):
    before = coop_count(session)
    row = registries.create_row(
        session,
        editor,
        "cooperatives",
        commune.id,
        {"name": "HTX Tân Sơn", "established_on": "2023-05-01", "members": "12"},
    )
    assert coop_count(session) == before + 1 and row.members == 12
    registries.update_row(
        session,
        editor,
        "cooperatives",
        row.id,
        commune.id,
        {"name": "HTX Tân Sơn mới", "established_on": "01/05/2023"},
        expected_version=row.version,
    )
    assert session.get(Cooperative, row.id).name == "HTX Tân Sơn mới"
    registries.delete_row(session, editor, "cooperatives", row.id, row.version)
    assert coop_count(session) == before
    actions = session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-3:] == ["cooperatives.create", "cooperatives.update", "cooperatives.delete"]


def test_cooperative_makes_a_commune_count(session, editor):
    ind = svc.get_indicator(session, "ECO-COOP")
    period = svc.get_period(session, "2023")
    frame = svc.records(session, ind, period, svc.district_by_code(session, "622").id)
    without = frame[frame["Giá trị"] == "Không đạt"]
    if without.empty:
        pytest.skip("every Pleiku commune already has a cooperative")
    code = without.iloc[0]["Mã"]
    unit = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == code).order_by(OrgUnit.valid_from)
    )
    before = svc.compute(session, ind, period)
    registries.create_row(
        session,
        editor,
        "cooperatives",
        unit.id,
        {"name": "HTX mới", "established_on": "2023-06-01"},
    )
    after = svc.compute(session, ind, period)
    assert after.numerator == before.numerator + 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "established_on": "2023-01-01"}, "name", "Vui lòng nhập"),
        ({"name": "HTX", "established_on": "31/02/2023"}, "established_on", "ngày hợp lệ"),
        (
            {"name": "HTX", "established_on": "2023-01-01", "members": "-3"},
            "members",
            "không được âm",
        ),
        (
            {"name": "HTX", "established_on": "2023-01-01", "members": "mười"},
            "members",
            "phải là số",
        ),
        (
            {"name": "HTX", "established_on": "2023-01-01", "dissolved_on": "2022-01-01"},
            "dissolved_on",
            "sau ngày bắt đầu",
        ),
    ],
)
def test_bad_rows_are_refused(session, editor, commune, data, field, message):
    before = coop_count(session)
    with pytest.raises(ValidationError) as err:
        registries.create_row(session, editor, "cooperatives", commune.id, data)
    assert message in err.value.errors[field]
    session.rollback()
    assert coop_count(session) == before


def test_choice_fields_accept_only_their_choices(session, editor, commune):
    with pytest.raises(ValidationError) as err:
        registries.create_row(
            session,
            editor,
            "digital_services",
            commune.id,
            {"name": "Dịch vụ", "field": "sports", "started_on": "2023-01-01"},
        )
    assert "không hợp lệ" in err.value.errors["field"]


def test_registry_rows_belong_to_the_right_level(session, editor, commune):
    with pytest.raises(ValidationError) as err:  # linkage models belong to districts
        registries.create_row(
            session,
            editor,
            "linkage_models",
            commune.id,
            {"name": "LK", "key_products": "cà phê", "started_on": "2023-01-01"},
        )
    assert "cấp" in err.value.errors["unit_id"]


def test_unknown_registry_and_row(session, editor, commune):
    with pytest.raises(ValidationError):
        registries.create_row(session, editor, "nope", commune.id, {})
    from dashboard.errors import NotFound

    with pytest.raises(NotFound):
        registries.delete_row(session, editor, "cooperatives", 999999, 1)


def test_editor_cannot_touch_another_districts_rows(session, editor):
    chu_se = svc.district_by_code(session, "633")
    row = session.scalar(
        sa.select(Cooperative).join(OrgUnit).where(OrgUnit.parent_id == chu_se.id).limit(1)
    )
    with pytest.raises(PermissionDenied):
        registries.delete_row(session, editor, "cooperatives", row.id, row.version)
    with pytest.raises(PermissionDenied):
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            row.unit_id,
            {"name": "x", "established_on": "2023-01-01"},
            expected_version=row.version,
        )
    session.rollback()
    assert session.get(Cooperative, row.id) is not None


def test_editor_cannot_move_own_row_to_another_district(session, editor, commune):
    row = registries.create_row(
        session, editor, "cooperatives", commune.id, {"name": "HTX", "established_on": "2023-01-01"}
    )
    chu_se = svc.district_by_code(session, "633")
    other = session.scalar(sa.select(OrgUnit).where(OrgUnit.parent_id == chu_se.id).limit(1))
    with pytest.raises(PermissionDenied):
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            other.id,
            {"name": "HTX", "established_on": "2023-01-01"},
            expected_version=row.version,
        )


def test_stale_row_version_is_a_conflict(session, editor, commune):
    row = registries.create_row(
        session, editor, "cooperatives", commune.id, {"name": "HTX", "established_on": "2023-01-01"}
    )
    with pytest.raises(Conflict) as err:
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            commune.id,
            {"name": "HTX 2", "established_on": "2023-01-01"},
            expected_version=row.version + 5,
        )
    assert "Tên: HTX;" in err.value.message and "01/01/2023" in err.value.message
    session.rollback()
    assert session.get(Cooperative, row.id).name == "HTX"


def test_list_rows_filters_by_district(session):
    pleiku = svc.district_by_code(session, "622")
    frame = registries.list_rows(session, "cooperatives", pleiku.id)
    assert not frame.empty
    assert set(frame["Huyện"]) == {"Thành phố Pleiku"}
