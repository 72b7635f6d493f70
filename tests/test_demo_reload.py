"""`load-demo` can run again on a database that has been used: it keeps what users did (and the
audit trail of it), resets the demo accounts, and `reset=True` rebuilds the demo rows cleanly."""

import pytest
import sqlalchemy as sa

from dashboard.auth.passwords import hash_password, password_matches
from dashboard.models import AuditLog, Cooperative, DistrictReport, IndicatorValue, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import registries, values, workflow
from dashboard.services.demo import DemoNotAllowed, load_demo
from tests.conftest import PASSWORD

pytestmark = pytest.mark.db

CELL = {"indicator_code": "GOV-C8_4", "period_code": "2023"}


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def commune(session) -> OrgUnit:
    """A Pleiku rural commune (Tân Sơn, GSO 23593)."""
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))


def flip_value(session, editor: User) -> IndicatorValue:
    """The editor saves the opposite of the commune's 2023 criterion-8.4 status (audited)."""
    unit = commune(session)
    ind, period = svc.get_indicator(session, "GOV-C8_4"), svc.get_period(session, "2023")
    current = values.stored(session, ind.id, unit.id, period.id)
    raw = {"value": "false" if current.value_bool else "true"}
    return values.set_value(session, editor, unit_id=unit.id, raw=raw, **CELL)


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit_ids(session, entity: str, entity_id: int) -> list[int]:
    return session.scalars(
        sa.select(AuditLog.id).where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
    ).all()


def test_load_demo_twice_keeps_user_changes_and_their_audit(tmp_path, app_factory):
    """Catches `load-demo` failing the second time (FOREIGN KEY constraint failed deleting the
    demo users that audit rows and reports reference), or wiping what users saved."""
    app = app_factory(f"sqlite:///{tmp_path}/demo.sqlite", APP_MODE="demo")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load-demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        session = app.extensions["db"].session()
        editor = user(session, "editor-622")
        value = flip_value(session, editor)
        saved = (value.id, value.value_bool)
        report = workflow.transition(session, editor, "submit", "622", "2023")
        trail = audit_ids(session, "indicator_value", value.id)
        trail += audit_ids(session, "district_report", report.id)
        other = user(session, "editor-633")
        other.password_hash = hash_password("changed-by-someone")
        other.active = False
        session.commit()
        demo_values = count(session, IndicatorValue, IndicatorValue.is_demo.is_(True))
        last_id = session.scalar(sa.select(sa.func.max(IndicatorValue.id)))
        accounts = {u.username: u.id for u in session.scalars(sa.select(User))}
    assert len(trail) == 2

    second = runner.invoke(args=["load-demo"])
    assert second.exit_code == 0, second.output
    assert second.exception is None
    with app.app_context():
        session = app.extensions["db"].session()
        kept = session.get(IndicatorValue, saved[0])
        assert (kept.id, kept.value_bool, kept.is_demo) == (*saved, False)
        assert kept.updated_by_id == accounts["editor-622"]
        assert session.get(DistrictReport, report.id).status == "submitted"
        assert count(session, AuditLog, AuditLog.id.in_(trail)) == 2
        # The demo data was left as it was, not rebuilt.
        assert count(session, IndicatorValue, IndicatorValue.is_demo.is_(True)) == demo_values
        assert session.scalar(sa.select(sa.func.max(IndicatorValue.id))) == last_id
        # The demo accounts are the same rows, back to the demo password and active.
        assert {u.username: u.id for u in session.scalars(sa.select(User))} == accounts
        other = user(session, "editor-633")
        assert other.active and password_matches(other.password_hash, PASSWORD)


def test_reset_rebuilds_demo_rows_and_keeps_what_users_did(session):
    """Catches a rebuild that deletes users' rows or their audit rows, leaves audit rows of
    deleted demo rows behind, or overwrites a user's value with the demo's."""
    editor, admin = user(session, "editor-622"), user(session, "admin")
    value = flip_value(session, editor)
    saved = (value.id, value.value_bool)
    coop = registries.create_row(
        session,
        editor,
        "cooperatives",
        commune(session).id,
        {"name": "HTX của người dùng", "established_on": "2024-03-01", "members": "9"},
    )
    # The admin reopens a closed demo round: an audit row about a demo-marked report.
    reopened = workflow.transition(session, admin, "reopen", "622", "2021", reason="Sửa số liệu")
    assert reopened.is_demo
    kept_trail = audit_ids(session, "indicator_value", value.id)
    kept_trail += audit_ids(session, "cooperatives", coop.id)
    demo_trail = audit_ids(session, "district_report", reopened.id)
    assert len(kept_trail) == 2 and len(demo_trail) == 1
    demo_values = count(session, IndicatorValue, IndicatorValue.is_demo.is_(True))
    demo_coops = count(session, Cooperative, Cooperative.is_demo.is_(True))
    accounts = {u.username: u.id for u in session.scalars(sa.select(User))}

    counts = load_demo(session, PASSWORD, reset=True)
    session.expire_all()

    assert counts["kept"] == 0 and counts["values"] == demo_values
    kept = session.get(IndicatorValue, saved[0])
    assert (kept.value_bool, kept.is_demo) == (saved[1], False)
    assert session.get(Cooperative, coop.id) is not None
    assert count(session, AuditLog, AuditLog.id.in_(kept_trail)) == 2
    assert count(session, AuditLog, AuditLog.id.in_(demo_trail)) == 0
    assert count(session, IndicatorValue, IndicatorValue.is_demo.is_(True)) == demo_values
    assert count(session, Cooperative, Cooperative.is_demo.is_(True)) == demo_coops
    assert workflow.status_of(session, editor.unit_id, reopened.period_id) == "approved"
    assert {u.username: u.id for u in session.scalars(sa.select(User))} == accounts
    # Every audit row about a report describes a report that exists.
    orphans = sa.select(AuditLog.id).where(
        AuditLog.entity == "district_report",
        AuditLog.entity_id.not_in(sa.select(DistrictReport.id)),
    )
    assert session.scalars(orphans).all() == []


def test_a_real_account_with_a_demo_name_stops_the_load(session):
    """Catches `load-demo` taking over (or crashing on) a real account named like a demo one."""
    real = user(session, "viewer")
    real.is_demo = False
    real.password_hash = hash_password("real-password-1")
    session.commit()
    before = count(session, IndicatorValue)
    with pytest.raises(DemoNotAllowed, match="viewer"):
        load_demo(session, PASSWORD, reset=True)
    session.expire_all()
    assert password_matches(user(session, "viewer").password_hash, "real-password-1")
    assert count(session, IndicatorValue) == before
