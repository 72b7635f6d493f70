"""Two people saving the same thing at once: one winner, a conflict message for the other, never
a 500 and never a lost update.

Each race is made deterministic: the first request is paused right after it has read what it
is about to change, the second runs to its commit in its own session (its own connection), and
then the first goes on. A last test sends real simultaneous requests from threads.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.errors import Conflict, ServiceError
from dashboard.models import AuditLog, Cooperative, DistrictReport, IndicatorValue, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import registries, values, workflow

pytestmark = pytest.mark.db

CELL = ("GOV-DOSSIER-COMM", "2024")


def other_session(app) -> so.Session:
    """A second user's session: its own connection, outside the request's scoped session."""
    return so.Session(app.extensions["db"].engine, expire_on_commit=False)


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def empty_commune(session) -> OrgUnit:
    """A Pleiku commune with no value for the cell yet."""
    ind = svc.get_indicator(session, CELL[0])
    period = svc.get_period(session, CELL[1])
    pleiku = svc.district_by_code(session, "622")
    for unit in session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.parent_id == pleiku.id, OrgUnit.valid_on(dt.date(2025, 6, 30)))
        .order_by(OrgUnit.gso_code)
    ):
        if values.stored(session, ind.id, unit.id, period.id) is None:
            return unit
    session.execute(
        sa.delete(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id, IndicatorValue.period_id == period.id
        )
    )
    session.commit()
    return empty_commune(session)


def pause_after(monkeypatch, module, name, then):
    """Run `then()` once, right after the first call of `module.name` returns."""
    original = getattr(module, name)
    state = {"done": False}

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if not state["done"]:
            state["done"] = True
            then()
        return result

    monkeypatch.setattr(module, name, wrapper)


def test_two_first_saves_of_the_same_empty_cell(app, session, monkeypatch):
    """Catches the HTTP 500 (IntegrityError on the unique cell) when two editors save the
    same empty cell at once; the loser is told the winner's value and who saved it."""
    unit = empty_commune(session)
    editor, admin = user(session, "editor-622"), user(session, "admin")

    def rival():
        with other_session(app) as other:
            values.set_value(
                other,
                user(other, "admin"),
                indicator_code=CELL[0],
                unit_id=unit.id,
                period_code=CELL[1],
                raw={"numerator": "7", "denominator": "10"},
                expected_version=0,
            )

    pause_after(monkeypatch, values, "_prepare", rival)
    with pytest.raises(Conflict) as err:
        values.set_value(
            session,
            editor,
            indicator_code=CELL[0],
            unit_id=unit.id,
            period_code=CELL[1],
            raw={"numerator": "3", "denominator": "10"},
            expected_version=0,
        )
    assert "7/10" in err.value.message and (admin.full_name or admin.username) in err.value.message
    ind = svc.get_indicator(session, CELL[0])
    stored = values.stored(session, ind.id, unit.id, svc.get_period(session, CELL[1]).id)
    assert (stored.numerator, stored.version) == (7, 1)


def test_two_updates_of_the_same_registry_row(app, session, monkeypatch):
    """Catches a 500 (StaleDataError raised by the flush, outside the conflict handling) and
    a lost update when two editors change the same cooperative at once."""
    editor = user(session, "editor-622")
    commune = empty_commune(session)
    row = registries.create_row(
        session, editor, "cooperatives", commune.id, {"name": "HTX", "established_on": "2024-01-01"}
    )

    def rival():
        with other_session(app) as other:
            registries.update_row(
                other,
                user(other, "admin"),
                "cooperatives",
                row.id,
                commune.id,
                {"name": "HTX của văn phòng", "established_on": "2024-01-01"},
                expected_version=1,
            )

    pause_after(monkeypatch, registries, "_raise_for_stale", rival)
    with pytest.raises(Conflict) as err:
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            commune.id,
            {"name": "HTX của huyện", "established_on": "2024-01-01"},
            expected_version=1,
        )
    assert "HTX của văn phòng" in err.value.message
    session.expire_all()
    assert session.get(Cooperative, row.id).name == "HTX của văn phòng"


def test_registry_delete_of_a_row_changed_meanwhile(app, session, monkeypatch):
    """Catches a delete that removes a row someone has just changed."""
    editor = user(session, "editor-622")
    commune = empty_commune(session)
    row = registries.create_row(
        session, editor, "cooperatives", commune.id, {"name": "HTX", "established_on": "2024-01-01"}
    )

    def rival():
        with other_session(app) as other:
            registries.update_row(
                other,
                user(other, "admin"),
                "cooperatives",
                row.id,
                commune.id,
                {"name": "HTX đổi tên", "established_on": "2024-01-01"},
                expected_version=1,
            )

    pause_after(monkeypatch, registries, "_raise_for_stale", rival)
    with pytest.raises(Conflict):
        registries.delete_row(session, editor, "cooperatives", row.id, 1)
    session.expire_all()
    assert session.get(Cooperative, row.id).name == "HTX đổi tên"


def test_double_clicked_submit(app, session, monkeypatch):
    """Catches the 500 (IntegrityError on the district-period report) of a double submit:
    one submission is recorded and audited, the other is told the report is submitted."""

    def rival():
        with other_session(app) as other:
            workflow.transition(other, user(other, "editor-622"), "submit", "622", "2024")

    pause_after(monkeypatch, workflow, "get_report", rival)
    with pytest.raises(Conflict) as err:
        workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")
    assert "Đã gửi" in err.value.message
    session.expire_all()
    reports = session.scalars(
        sa.select(DistrictReport).where(
            DistrictReport.district_id == svc.district_by_code(session, "622").id,
            DistrictReport.period_id == svc.get_period(session, "2024").id,
        )
    ).all()
    assert [r.status for r in reports] == ["submitted"]
    audits = session.scalars(
        sa.select(AuditLog).where(
            AuditLog.action == "report.submit", AuditLog.period_code == "2024"
        )
    ).all()
    assert len(audits) == 1


def test_approve_and_return_at_once(app, session, monkeypatch):
    """Catches two decisions on one submitted report both being accepted (or a 500): the
    first wins, the second is told the new status."""
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")

    def rival():
        with other_session(app) as other:
            workflow.transition(other, user(other, "admin"), "approve", "622", "2024")

    pause_after(monkeypatch, workflow, "get_report", rival)
    with pytest.raises(Conflict) as err:
        workflow.transition(
            session, user(session, "admin"), "return", "622", "2024", reason="Thiếu số liệu"
        )
    assert "phê duyệt" in err.value.message.lower()
    session.expire_all()
    pleiku = svc.district_by_code(session, "622")
    assert workflow.status_of(session, pleiku.id, svc.get_period(session, "2024").id) == "approved"


def test_simultaneous_first_saves_from_threads_end_in_one_winner(app):
    """Catches any 500-class error under real concurrency: four threads save the same empty
    cell at once; exactly one succeeds and every other gets a `Conflict`."""
    with app.app_context():
        session = app.extensions["db"].session()
        unit_id = empty_commune(session).id
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        with other_session(app) as own:
            editor = user(own, "editor-622")
            barrier.wait()
            try:
                values.set_value(
                    own,
                    editor,
                    indicator_code=CELL[0],
                    unit_id=unit_id,
                    period_code=CELL[1],
                    raw={"numerator": str(n), "denominator": "10"},
                    expected_version=0,
                )
                result = "saved"
            except Conflict:
                result = "conflict"
            except ServiceError as exc:  # pragma: no cover - shown in the failure
                result = f"other: {exc.message}"
            except Exception as exc:  # pragma: no cover - shown in the failure
                result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"], outcomes
