"""Administration commands: only for admins, validated, audited."""

import datetime as dt

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from dashboard.errors import PermissionDenied, ValidationError
from dashboard.models import AuditLog, Period, User
from dashboard.services import admin
from dashboard.services import indicators as svc

pytestmark = pytest.mark.db


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def last_audit(session):
    return session.scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))


def test_admin_creates_an_editor(session):
    actor = user(session, "admin")
    created = admin.create_user(
        session,
        actor,
        username="canbo.chuse",
        role="editor",
        district_code="633",
        full_name="Cán bộ",
        password="mat-khau-can-bo-1",
    )
    assert created.unit.gso_code == "633" and created.active
    entry = last_audit(session)
    assert entry.action == "user.create" and "password" not in (entry.after or "")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "Có Dấu", "role": "viewer", "password": "mat-khau-hop-le-1"}, "username"),
        ({"username": "viewer", "role": "viewer", "password": "mat-khau-hop-le-1"}, "username"),
        ({"username": "abc", "role": "boss", "password": "mat-khau-hop-le-1"}, "role"),
        ({"username": "abc", "role": "editor", "password": "mat-khau-hop-le-1"}, "district"),
        ({"username": "abc", "role": "viewer", "password": "short"}, "password"),
    ],
)
def test_bad_user_input(session, kwargs, field):
    before = session.scalar(sa.select(sa.func.count(User.id)))
    with pytest.raises(ValidationError) as err:
        admin.create_user(session, user(session, "admin"), **kwargs)
    assert field in err.value.errors
    assert session.scalar(sa.select(sa.func.count(User.id))) == before


@pytest.mark.parametrize("name", ["viewer", "editor-622"])
def test_only_admins_administer(session, name):
    actor = user(session, name)
    target = user(session, "editor-633")
    with pytest.raises(PermissionDenied):
        admin.create_user(
            session, actor, username="x123", role="viewer", password="mat-khau-hop-le-1"
        )
    with pytest.raises(PermissionDenied):
        admin.update_user(session, actor, target.id, role="admin")
    with pytest.raises(PermissionDenied):
        admin.reset_password(session, actor, target.id, "mat-khau-hop-le-1")
    with pytest.raises(PermissionDenied):
        admin.set_period(session, actor, code="2023", deadline="2024-02-01")
    with pytest.raises(PermissionDenied):
        admin.set_target(session, actor, indicator_code="GOV-C8_4", value=90, year=2025)


def test_deactivate_and_reset_password(session):
    actor = user(session, "admin")
    target = user(session, "editor-633")
    admin.update_user(session, actor, target.id, role="editor", district_code="633", active=False)
    assert not user(session, "editor-633").active
    admin.reset_password(session, actor, target.id, "mat-khau-moi-1")
    assert check_password_hash(user(session, "editor-633").password_hash, "mat-khau-moi-1")
    assert last_audit(session).action == "user.reset_password"


def test_admin_cannot_lock_themselves_out(session):
    actor = user(session, "admin")
    with pytest.raises(ValidationError):
        admin.update_user(session, actor, actor.id, role="viewer")
    with pytest.raises(ValidationError):
        admin.update_user(session, actor, actor.id, role="admin", active=False)


def test_deadline_and_new_quarter(session):
    actor = user(session, "admin")
    admin.set_period(session, actor, code="2023", deadline="2024-02-29")
    assert svc.get_period(session, "2023").deadline == dt.date(2024, 2, 29)
    with pytest.raises(ValidationError) as err:
        admin.set_period(session, actor, code="2023", deadline="2023-06-01")
    assert "sau ngày kết thúc" in err.value.errors["deadline"]
    quarter = admin.set_period(
        session,
        actor,
        code="2024-Q3",
        kind="quarter",
        start="2024-07-01",
        end="2024-09-30",
        deadline="2024-10-15",
    )
    assert quarter.year == 2024 and session.get(Period, quarter.id).kind == "quarter"
    with pytest.raises(ValidationError):  # outside every programme (2021-2035)
        admin.set_period(
            session,
            actor,
            code="2036",
            kind="year",
            start="2036-01-01",
            end="2036-12-31",
            deadline="2037-01-15",
        )


def test_target_changes_progress(session):
    actor = user(session, "admin")
    admin.set_target(session, actor, indicator_code="GOV-C8_4", value="60", year=2025)
    ind = svc.get_indicator(session, "GOV-C8_4")
    assert svc.target_for(ind).target_value == 60
    with pytest.raises(ValidationError) as err:
        admin.set_target(session, actor, indicator_code="GOV-C8_4", value="120", year=2025)
    assert "100%" in err.value.errors["value"]
    with pytest.raises(ValidationError):
        admin.set_target(session, actor, indicator_code="NOPE", value="10", year=2025)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("12345678", "ít nhất 10 ký tự"),
        ("1234567890", "phổ biến"),
        ("canbo.moi-2025", "tên đăng nhập"),
    ],
)
def test_admin_set_passwords_follow_the_policy(session, password, fragment):
    """Bug: an administrator could create an account with `12345678` (or its own username) as
    the password; nothing may be created then."""
    before = session.scalar(sa.select(sa.func.count(User.id)))
    with pytest.raises(ValidationError) as err:
        admin.create_user(
            session, user(session, "admin"), username="canbo.moi", role="viewer", password=password
        )
    assert fragment in err.value.errors["password"]
    assert session.scalar(sa.select(sa.func.count(User.id))) == before


@pytest.mark.parametrize("password", ["12345678", "qwertyuiop", "editor-633-mk-moi"])
def test_password_reset_follows_the_policy(session, password):
    """Bug: a reset accepted a weak password (or one containing the username) and changed the
    hash anyway."""
    target = user(session, "editor-633")
    old_hash, old_version = target.password_hash, target.session_version
    with pytest.raises(ValidationError) as err:
        admin.reset_password(session, user(session, "admin"), target.id, password)
    assert "password" in err.value.errors
    session.rollback()
    target = user(session, "editor-633")
    assert (target.password_hash, target.session_version) == (old_hash, old_version)


def test_reset_and_access_changes_raise_the_session_version(session):
    """Bug: a password reset or a change of role, scope or active flag left the account's
    session version alone, so its open sessions kept working."""
    actor = user(session, "admin")
    target = user(session, "editor-633")
    versions = [target.session_version]
    admin.reset_password(session, actor, target.id, "mat-khau-moi-2025")
    versions.append(user(session, "editor-633").session_version)
    admin.update_user(session, actor, target.id, role="editor", district_code="622")
    versions.append(user(session, "editor-633").session_version)
    admin.update_user(session, actor, target.id, role="viewer")
    versions.append(user(session, "editor-633").session_version)
    admin.update_user(session, actor, target.id, role="viewer", active=False)
    versions.append(user(session, "editor-633").session_version)
    admin.update_user(session, actor, target.id, role="viewer", active=False, full_name="X")
    versions.append(user(session, "editor-633").session_version)
    assert versions == [0, 1, 2, 3, 4, 4]


def test_users_table_shows_last_login_in_vietnam_time(session):
    """Catches the last login shown as the stored UTC time (seven hours early) instead of
    Vietnam time, as every other time in the application."""
    viewer = user(session, "viewer")
    viewer.last_login_at = dt.datetime(2026, 1, 15, 2, 30)
    session.commit()
    frame = admin.users_frame(session)
    row = frame[frame["Tên đăng nhập"] == "viewer"].iloc[0]
    assert row["Đăng nhập lần cuối"] == "09:30 15/01/2026"
