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


# --- pages, data mode, scope and locks: each decided by policy alone ------------------------

ACCESS = [
    # username, page access, may open
    ("viewer", None, True),
    ("viewer", "write", False),
    ("viewer", "administer", False),
    ("editor-622", None, True),
    ("editor-622", "write", True),
    ("editor-622", "administer", False),
    ("admin", "write", True),
    ("admin", "administer", True),
    ("admin", "no-such-access", False),
]


@pytest.mark.parametrize(("username", "access", "allowed"), ACCESS)
def test_page_access_is_decided_by_policy(session, username, access, allowed):
    """Catches a page shown to (or navigation offering it to) a role that may not use it, and
    an unknown access level opening by default."""
    assert policy.can_open(user(session, username), access) is allowed


def test_anonymous_and_inactive_accounts_open_nothing(session):
    """Catches pages or write controls offered to a deactivated account."""
    account = user(session, "admin")
    account.active = False
    assert not policy.can_open(account, None) and not policy.can_open(account, "administer")
    assert not policy.can_bypass_locks(account) and policy.scope_unit(account) is None
    assert not policy.can_open(None, None)


def test_data_mode_scope_and_lock_bypass_by_role(session):
    """Catches editors switched to approved-only data, a province-wide scope for an editor,
    or an editor bypassing locks."""
    viewer, editor, admin = (user(session, n) for n in ("viewer", "editor-622", "admin"))
    assert [policy.can_choose_data_mode(u) for u in (viewer, editor, admin)] == [
        True,
        False,
        True,
    ]
    assert policy.scope_unit(editor).gso_code == "622"
    assert policy.scope_unit(admin) is None and policy.scope_unit(viewer) is None
    assert [policy.can_bypass_locks(u) for u in (viewer, editor, admin)] == [False, False, True]
    lock = policy.Lock("Thành phố Pleiku", "2021", "approved")
    with pytest.raises(PermissionDenied) as err:
        policy.raise_for_locks(editor, [lock])
    assert "2021" in err.value.message and "Thành phố Pleiku" in err.value.message
    policy.raise_for_locks(admin, [lock])
    policy.raise_for_locks(editor, [])
    assert policy.can_edit_under(editor, "draft") and policy.can_edit_under(editor, "returned")
    assert not policy.can_edit_under(editor, "submitted")
    assert policy.can_edit_under(admin, "approved")
