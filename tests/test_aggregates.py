"""Pre-aggregated figure cells: the same figures as the direct path, current after every
change, in the change's transaction, with the data version increased there too.

`indicators.aggregate_direct` (figures computed from the unit-level records) is the reference.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import (
    Cooperative,
    DataVersion,
    DistrictReport,
    FigureCell,
    Indicator,
    IndicatorValue,
    OrgUnit,
    Period,
    User,
)
from dashboard.scope import indicator_applies
from dashboard.services import aggregates, registries, values, workflow
from dashboard.services import indicators as svc
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.db


def cells(session) -> set[tuple]:
    rows = session.execute(
        sa.select(
            FigureCell.indicator_id,
            FigureCell.period_id,
            FigureCell.district_key,
            FigureCell.expected,
            FigureCell.reported,
            FigureCell.num,
            FigureCell.den,
            FigureCell.den_all,
        )
    ).all()
    return {tuple(round(x, 6) if isinstance(x, float) else x for x in r) for r in rows}


def rebuilt(session) -> set[tuple]:
    """The cells a full rebuild gives (in a transaction rolled back afterwards)."""
    nested = session.begin_nested()
    aggregates.rebuild(session)
    fresh = cells(session)
    nested.rollback()
    return fresh


def assert_current(session) -> None:
    """The stored cells are exactly what a rebuild from the records gives."""
    session.expire_all()
    assert cells(session) == rebuilt(session)


def every_figure(session, direct: bool) -> list:
    """Every figure the pages can ask for: each indicator × yearly period, province-wide, per
    district and by district, all data and approved only."""
    periods = svc.list_periods(session)
    districts = [None, *(d.id for d in svc.list_districts(session))]
    run = svc.aggregate_direct if direct else svc.aggregate
    out = []
    for ind in svc.list_indicators(session):
        for approved_only in (False, True):
            for district_id in districts:
                out.append(
                    run(
                        session,
                        ind,
                        periods,
                        district_id=district_id,
                        approved_only=approved_only,
                    )
                )
            by = run(session, ind, periods, by_district=True, approved_only=approved_only)
            out.append(sorted(by, key=lambda pair: (pair[1].period, pair[0] or 0)))
    return out


def scramble(session, rng: random.Random) -> None:
    """Random changes of every kind a figure depends on: values set, changed and cleared,
    registry rows added and removed, district reports in every status."""
    periods = svc.list_periods(session)
    inds = [i for i in svc.list_indicators(session) if i.source == "values"]
    units = list(session.scalars(sa.select(OrgUnit)))
    for _ in range(120):
        ind, period, unit = rng.choice(inds), rng.choice(periods), rng.choice(units)
        if not indicator_applies(ind, unit) or not unit.is_valid_on(period.end_date):
            continue
        value = session.scalar(
            sa.select(IndicatorValue).filter_by(
                indicator_id=ind.id, unit_id=unit.id, period_id=period.id
            )
        )
        if value is not None and rng.random() < 0.3:
            session.delete(value)
            continue
        if value is None:
            value = IndicatorValue(indicator_id=ind.id, unit_id=unit.id, period_id=period.id)
            session.add(value)
        if ind.rollup == "share_meeting":
            value.value_bool = rng.choice([True, False, None])
        elif ind.rollup == "ratio_of_sums":
            value.denominator = float(rng.randint(0, 50))
            value.numerator = float(rng.randint(0, int(value.denominator)))
        else:
            value.value_num = float(rng.randint(0, 9))
    communes = [u for u in units if u.level.code == "commune"]
    for row in session.scalars(sa.select(Cooperative)).all()[:40]:
        if rng.random() < 0.4:
            session.delete(row)
    for _ in range(25):
        session.add(
            Cooperative(
                unit_id=rng.choice(communes).id,
                name=f"HTX {rng.randint(1, 10**6)}",
                established_on=dt.date(rng.randint(2021, 2025), 6, 1),
            )
        )
    for report in session.scalars(sa.select(DistrictReport)):
        report.status = rng.choice(["draft", "submitted", "returned", "approved"])
    session.commit()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cells_give_the_direct_figures_on_random_data(session, seed):
    """Any change the cells miss, or a cell sum that differs from the engine's rule (the
    approved-only base, "expected" denominators, registries counted once a report is sent),
    makes a figure differ from the direct path's."""
    scramble(session, random.Random(seed))
    assert aggregates.usable(session)
    assert every_figure(session, direct=False) == every_figure(session, direct=True)
    assert_current(session)


def test_cells_are_read_when_current_and_the_records_when_stale(session):
    """The cells are the path pages use (one query for a whole summary), and marking them
    stale falls back to the records instead of showing what they hold."""
    period = svc.get_period(session, "2023")
    statements = []
    engine = session.get_bind()
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        rows = svc.summary(session, period)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert len(rows) == 20  # every indicator of the 2021-2025 programme
    assert sum("figure_cell" in s for s in statements) == 1
    assert not any("indicator_value" in s for s in statements)

    c84 = svc.get_indicator(session, "GOV-C8_4")
    session.execute(sa.update(FigureCell).where(FigureCell.indicator_id == c84.id).values(num=0))
    session.execute(sa.update(DataVersion).values(cells_stale=True))
    session.commit()
    assert not aggregates.usable(session)
    assert svc.compute(session, c84, period).display == "95/182 xã (52,2%)"
    assert aggregates.rebuild_if_stale(session)
    session.commit()
    assert aggregates.usable(session)
    assert svc.compute(session, c84, period).display == "95/182 xã (52,2%)"


def _user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def _commune(session, district_code="622") -> OrgUnit:
    district = svc.district_by_code(session, district_code)
    return session.scalars(
        sa.select(OrgUnit)
        .where(
            OrgUnit.parent_id == district.id,
            OrgUnit.valid_on(dt.date(2025, 6, 30)),
            OrgUnit.kind == "xa",
        )
        .order_by(OrgUnit.gso_code)
    ).first()


def test_every_write_path_keeps_the_cells_current_and_bumps_the_version(session):
    """A write path whose change the hooks do not see (a value, a cleared value, a registry
    row created and deleted, a report submitted and approved) leaves a stale cell, or leaves
    the version unchanged so a cached page would be served stale."""
    admin = _user(session, "admin")
    unit = _commune(session)
    seen = [aggregates.version(session)]

    def step():
        session.expire_all()
        assert_current(session)
        seen.append(aggregates.version(session))
        assert seen[-1] > seen[-2]

    cell = {"indicator_code": "GOV-C8_4", "unit_id": unit.id, "period_code": "2024"}
    saved = values.set_value(session, admin, raw={"value": "0"}, **cell)
    step()
    values.clear_value(session, admin, expected_version=saved.version, **cell)
    step()
    row = registries.create_row(
        session, admin, "cooperatives", unit.id, {"name": "HTX Thử", "established_on": "2022-03-01"}
    )
    step()
    registries.delete_row(session, admin, "cooperatives", row.id, row.version)
    step()
    period = svc.get_period(session, "2024")
    district = svc.district_by_code(session, "622")
    workflow.transition(session, _user(session, "editor-622"), "submit", district.id, period.code)
    step()
    workflow.transition(session, admin, "approve", district.id, period.code)
    step()


def test_a_rolled_back_change_leaves_cells_and_version_alone(session):
    """Marks of a rolled-back flush carried into the next commit would recompute (harmless)
    but also bump the version for nothing; a cell written outside the transaction would be
    wrong. Neither may happen."""
    before = (aggregates.version(session), cells(session))
    value = session.scalars(sa.select(IndicatorValue).where(IndicatorValue.value_bool)).first()
    value.value_bool = False
    session.flush()
    session.rollback()
    session.commit()
    assert (aggregates.version(session), cells(session)) == before


def test_bulk_statements_mark_everything(session):
    """A bulk `delete` or `insert` (as the demo loader's) reports no rows to the flush hooks:
    without the statement hook the figures would still count the deleted values."""
    ind = svc.get_indicator(session, "GOV-ADV15_2")
    period = svc.get_period(session, "2021")
    where = [IndicatorValue.indicator_id == ind.id, IndicatorValue.period_id == period.id]
    rows = [
        {c: getattr(v, c) for c in ("indicator_id", "unit_id", "period_id", "value_bool")}
        for v in session.scalars(sa.select(IndicatorValue).where(*where))
    ]
    assert rows and svc.compute(session, ind, period).reported == len(rows)
    session.execute(sa.delete(IndicatorValue).where(*where))
    session.commit()
    assert_current(session)
    assert svc.compute(session, ind, period).reported == 0
    session.execute(sa.insert(IndicatorValue), rows[:10])
    session.commit()
    assert_current(session)
    assert svc.compute(session, ind, period).reported == 10


def test_figures_inside_a_writing_transaction_see_its_changes(session):
    """Before the commit recomputes the cells, a figure asked for in the same transaction
    (a notification, a report built right after a save) must come from the records, or it
    would show the figure without the change."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    period = svc.get_period(session, "2023")
    before = svc.compute(session, ind, period)
    value = session.scalar(
        sa.select(IndicatorValue).filter_by(
            indicator_id=ind.id, period_id=period.id, value_bool=True
        )
    )
    value.value_bool = False
    assert not aggregates.usable(session)
    assert svc.compute(session, ind, period).numerator == before.numerator - 1
    session.commit()
    assert svc.compute(session, ind, period).numerator == before.numerator - 1


def test_changing_an_indicator_rebuilds_its_cells(session):
    """A change of what an indicator counts (its unit kinds) changes every cell of it; only a
    rebuild gets that right."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    period = svc.get_period(session, "2023")
    ind.unit_kinds = ""  # count phường and thị trấn too
    session.commit()
    assert_current(session)
    assert svc.compute(session, ind, period).expected > 182


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="row locks: PostgreSQL only"
)
def test_two_writers_of_one_district_at_once_lose_nothing(app, monkeypatch):
    """Two editors of one district save at the same moment. If the cells were recomputed
    before the version row is locked, the second commit would store cells computed without
    the first's value: its figure would stay wrong until the next change."""
    engine = app.extensions["db"].engine
    first, second = so.Session(engine), so.Session(engine)
    ind = first.scalar(sa.select(Indicator).where(Indicator.code == "GOV-C8_4"))
    period = first.scalar(sa.select(Period).where(Period.code == "2024"))
    district = svc.district_by_code(first, "622")
    communes = first.scalars(
        sa.select(OrgUnit.id)
        .where(
            OrgUnit.parent_id == district.id,
            OrgUnit.valid_on(dt.date(2025, 6, 30)),
            OrgUnit.kind == "xa",
        )
        .order_by(OrgUnit.gso_code)
    ).all()[:2]
    for session, unit_id in zip((first, second), communes, strict=True):
        # Through the ORM, as the services write (a bulk statement would rebuild everything).
        cell = {"indicator_id": ind.id, "period_id": period.id, "unit_id": unit_id}
        value = session.scalar(sa.select(IndicatorValue).filter_by(**cell))
        if value is None:
            value = IndicatorValue(**cell)
            session.add(value)
        value.value_bool = not value.value_bool
        session.flush()
        assert not session.info[aggregates.MARKS]["full"]
    refreshed = threading.Event()
    original = aggregates.refresh

    def refresh_then_pause(*args, **kwargs):
        # The first writer has recomputed its cells and not yet committed: hold it there.
        original(*args, **kwargs)
        if threading.current_thread() is worker:
            refreshed.set()
            time.sleep(1.0)

    monkeypatch.setattr(aggregates, "refresh", refresh_then_pause)
    failures = []

    def commit_first():
        try:
            first.commit()
        except Exception as exc:  # reported below, not lost in the thread
            failures.append(exc)

    worker = threading.Thread(target=commit_first)
    worker.start()
    assert refreshed.wait(10)
    second.commit()
    worker.join()
    assert failures == []
    with so.Session(engine) as check:
        assert cells(check) == rebuilt(check)
    first.close()
    second.close()


def test_a_deadline_or_a_name_only_bumps_the_version(session, monkeypatch):
    """Recomputing every cell for a change no figure depends on (a period's deadline, an
    indicator's name) costs seconds at national scale; such a change must still bump the
    version (pages show deadlines and names) but not rebuild."""
    rebuilds = []
    monkeypatch.setattr(aggregates, "rebuild", lambda s: rebuilds.append(s))
    before = aggregates.version(session)
    period = svc.get_period(session, "2024")
    period.deadline = dt.date(2025, 2, 1)
    svc.get_indicator(session, "GOV-C8_4").name_vi = "Tên mới"
    session.commit()
    assert rebuilds == []
    assert aggregates.version(session) == before + 1
