"""The policy as a role × action × unit matrix, and the same answer from the writing services."""

import pytest
import sqlalchemy as sa

from dashboard.auth import policy
from dashboard.errors import PermissionDenied
from dashboard.models import OrgUnit, User
from dashboard.services import registries, values

pytestmark = pytest.mark.db


def unit(session, code: str) -> OrgUnit:
    return session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == code).order_by(OrgUnit.valid_from)
    )


def user(session, username: str) -> User:
    return session.scalar(sa.select(User).where(User.username == username))


# units: province 64, Pleiku 622, a Pleiku commune (Biển Hồ 23590), Chư Sê 633 and one of its
# communes (Xã Ia Blang 23929 is not assumed: the first Chư Sê commune is looked up).
CASES = [
    # role/user,     unit key,          may write
    ("admin", "province", True),
    ("admin", "pleiku", True),
    ("admin", "pleiku_commune", True),
    ("admin", "chu_se_commune", True),
    ("viewer", "province", False),
    ("viewer", "pleiku", False),
    ("viewer", "pleiku_commune", False),
    ("editor-622", "province", False),
    ("editor-622", "pleiku", True),
    ("editor-622", "pleiku_commune", True),
    ("editor-622", "chu_se", False),
    ("editor-622", "chu_se_commune", False),
    ("editor-633", "chu_se_commune", True),
    ("editor-633", "pleiku_commune", False),
]


@pytest.fixture
def units(session):
    chu_se = unit(session, "633")
    chu_se_commune = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.parent_id == chu_se.id).order_by(OrgUnit.gso_code)
    )
    return {
        "province": unit(session, "64"),
        "pleiku": unit(session, "622"),
        "pleiku_commune": unit(session, "23590"),
        "chu_se": chu_se,
        "chu_se_commune": chu_se_commune,
    }


@pytest.mark.parametrize(("username", "unit_key", "allowed"), CASES)
def test_write_matrix(session, units, username, unit_key, allowed):
    account = user(session, username)
    assert policy.can_write_unit(account, units[unit_key]) is allowed
    if allowed:
        policy.raise_for_write_unit(account, units[unit_key])
    else:
        with pytest.raises(PermissionDenied):
            policy.raise_for_write_unit(account, units[unit_key])


@pytest.mark.parametrize(
    ("username", "read", "edit", "administer"),
    [
        ("admin", True, True, True),
        ("viewer", True, False, False),
        ("editor-622", True, True, False),
    ],
)
def test_read_edit_administer(session, username, read, edit, administer):
    account = user(session, username)
    assert policy.can_read(account) is read
    assert policy.can_edit_anything(account) is edit
    assert policy.can_administer(account) is administer


def test_inactive_and_anonymous_users_may_do_nothing(session, units):
    account = user(session, "editor-622")
    account.active = False
    assert not policy.can_read(account)
    assert not policy.can_write_unit(account, units["pleiku"])
    assert not policy.can_write_unit(None, units["pleiku"])
    with pytest.raises(PermissionDenied):
        policy.raise_for_write(None)


def test_writable_units_of_an_editor_are_the_district_and_its_communes(session, units):
    account = user(session, "editor-622")
    found = policy.writable_units(session, account)
    assert units["pleiku"] in found
    assert all(u.id == units["pleiku"].id or u.parent_id == units["pleiku"].id for u in found)
    assert policy.writable_units(session, user(session, "viewer")) == []


@pytest.mark.parametrize("username", ["viewer", "editor-622"])
def test_services_check_the_policy_again(session, units, username):
    """Calling the services directly (as an import or a CLI would) is refused the same way."""
    account = user(session, username)
    target = units["chu_se_commune"]
    with pytest.raises(PermissionDenied):
        values.set_value(
            session,
            account,
            indicator_code="GOV-C8_4",
            unit_id=target.id,
            period_code="2023",
            raw={"value": "true"},
        )
    with pytest.raises(PermissionDenied):
        registries.create_row(
            session,
            account,
            "cooperatives",
            target.id,
            {"name": "HTX", "established_on": "2023-01-01"},
        )
