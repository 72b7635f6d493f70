"""Targets that mean what they say: a target has a scope (one unit or one commune group) and a
year; a figure is compared with the target of its own scope (`services.targets.target_for`),
never with the province's; one target per scope and year."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import make_engine
from dashboard.migrate import upgrade
from dashboard.models import Indicator, Level, OrgUnit, Target, UnitGroup
from dashboard.services import indicators as svc
from dashboard.services import period_report, targets
from tests.conftest import add_unit_targets

pytestmark = pytest.mark.db

PLEIKU, AN_KHE = "622", "623"


def unit(session, code: str, year: int = 2024) -> OrgUnit:
    day = dt.date(year, 1, 1)
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.valid_on(day)))


def test_a_district_is_compared_with_its_own_target_or_none(session):
    """Catches the province's target (97% of its communes) applied unchanged to one district,
    and a district's own target ignored."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    province = targets.target_for(ind, None, 2023)
    assert province is not None and province.target_value == 97
    assert province.scope_unit.gso_code == "64" and province.level.code == "province"
    assert targets.target_for(ind, unit(session, PLEIKU), 2023) is None

    add_unit_targets(session, "GOV-C8_4", 2025, {PLEIKU: 80})
    session.commit()
    session.expire(ind, ["targets"])
    own = targets.target_for(ind, unit(session, PLEIKU), 2023)
    assert own is not None and own.target_value == 80
    assert targets.target_for(ind, unit(session, AN_KHE), 2023) is None
    assert targets.target_for(ind, None, 2023).target_value == 97  # the province's unchanged


def test_the_district_summary_states_its_own_target(session):
    """Catches the district view showing the province's target and status as the district's:
    without its own target it says so and has no status; with one, gap and status follow it."""
    period = svc.get_period(session, "2023")
    pleiku = unit(session, PLEIKU)
    rows = {ind.code: (ind, prog) for ind, prog, _f in svc.summary(session, period, pleiku.id)}
    ind, prog = rows["GOV-C8_4"]
    assert prog.target is None and prog.own_scope
    assert svc.target_text(ind, prog) == "Chưa có mục tiêu riêng"
    assert svc.status_text(prog) == "" and svc.gap_text(prog) == ""

    value = prog.figure.value
    add_unit_targets(session, "GOV-C8_4", 2025, {PLEIKU: value + 5})
    session.commit()
    session.expire_all()
    rows = {ind.code: (ind, prog) for ind, prog, _f in svc.summary(session, period, pleiku.id)}
    ind, prog = rows["GOV-C8_4"]
    assert prog.target.target_value == pytest.approx(value + 5)
    assert svc.gap_text(prog).startswith("Còn thiếu 5")
    # the province's summary keeps the province's target
    province = {i.code: p for i, p, _f in svc.summary(session, period)}["GOV-C8_4"]
    assert province.target.target_value == 97


def test_a_year_takes_the_first_target_of_its_scope_at_or_after_it(session):
    """Catches a 2030 target applied to 2023 (or a 2025 one to 2027), and a milestone that is
    not shown for its year."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    pleiku = unit(session, PLEIKU)
    add_unit_targets(session, "GOV-C8_4", 2025, {PLEIKU: 80})
    session.commit()
    target = targets.target_for(ind, pleiku, 2023)
    target.milestones = {2023: 60, 2024: 70}
    session.commit()
    session.expire_all()
    ind = svc.get_indicator(session, "GOV-C8_4")
    target = targets.target_for(ind, pleiku, 2023)
    assert target.milestones == {2023: 60.0, 2024: 70.0}
    assert target.milestone(2023) == 60 and target.milestone(2025) == 80
    assert target.milestone(2022) is None
    assert targets.target_for(ind, pleiku, 2026) is None  # the 2025 target has passed
    period = svc.get_period(session, "2023")
    prog = {i.code: p for i, p, _f in svc.summary(session, period, pleiku.id)}["GOV-C8_4"]
    assert svc.target_text(ind, prog) == "≥ 80% (2025); mốc 2023: ≥ 60%"


def test_one_target_per_scope_and_year(session):
    """Catches a second target for the same scope and year (two answers to "which target")."""
    add_unit_targets(session, "GOV-C8_4", 2025, {PLEIKU: 80})
    session.commit()
    add_unit_targets(session, "GOV-C8_4", 2025, {PLEIKU: 85})
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()


def _group_target(session, code: str, group: str, year: int, value: float) -> None:
    ind = svc.get_indicator(session, code)
    level = session.scalar(sa.select(Level).where(Level.code == "commune"))
    session.add(
        Target(
            indicator=ind,
            level=level,
            commune_group=group,
            scope_key=Target.key_for(None, group),
            target_value=value,
            target_year=year,
        )
    )


def test_a_commune_takes_the_target_of_its_group_in_the_year(session):
    """Catches a commune group target applied to a commune of another group, or of the group
    in a year it was not in it (the group is a time-bounded attribute)."""
    commune = session.scalar(
        sa.select(OrgUnit)
        .join(Level, Level.id == OrgUnit.level_id)
        .where(Level.code == "commune", OrgUnit.valid_on(dt.date(2026, 1, 1)))
        .order_by(OrgUnit.gso_code)
        .limit(1)
    )
    session.add(
        UnitGroup(
            unit=commune,
            group_code="2",
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2027, 12, 31),
        )
    )
    session.add(UnitGroup(unit=commune, group_code="1", valid_from=dt.date(2028, 1, 1)))
    _group_target(session, "GOV-C8_4", "2", 2027, 70)
    _group_target(session, "GOV-C8_4", "2", 2030, 90)
    _group_target(session, "GOV-C8_4", "1", 2030, 95)
    session.commit()
    ind = svc.get_indicator(session, "GOV-C8_4")
    assert targets.group_of(session, commune, dt.date(2026, 6, 30)) == "2"
    assert targets.target_for(ind, commune, 2026).target_value == 70
    assert targets.target_for(ind, commune, 2029).target_value == 95  # group 1 from 2028
    other = session.scalar(
        sa.select(OrgUnit)
        .join(Level, Level.id == OrgUnit.level_id)
        .where(
            Level.code == "commune",
            OrgUnit.valid_on(dt.date(2026, 1, 1)),
            OrgUnit.id != commune.id,
        )
        .limit(1)
    )
    assert targets.target_for(ind, other, 2026) is None  # no group: no target


def test_the_printed_report_colours_each_district_by_its_own_target(session):
    """Catches the printed report's bars coloured against the province's target line."""
    period = svc.get_period(session, "2023")
    add_unit_targets(session, "GOV-C8_4", 2025, {PLEIKU: 10})
    session.commit()
    session.expire_all()
    report = period_report.build(
        session, period_report.ReportQuery(svc.get_period(session, "2023"), None, False)
    )
    chart = next(
        c
        for section in report.sections
        for c in section.charts
        if c.title.startswith(svc.get_indicator(session, "GOV-C8_4").short_name)
    )
    own = {bar.key: bar.target for bar in chart.bars}
    assert own[PLEIKU] == 10 and own[AN_KHE] is None
    assert chart.target is None  # no line: the districts do not share one target
    assert period.code == "2023"


def test_migration_scopes_the_stored_targets_to_the_province(tmp_path):
    """Catches the 0008 migration losing the targets stored before it, or leaving them
    without a scope (they were the province's)."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0007")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO level (id, code, name_vi, rank) VALUES "
                "(1, 'province', 'Tỉnh', 1), (3, 'commune', 'Xã', 3)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO org_unit (id, level_id, gso_code, name, kind, valid_from) VALUES "
                "(1, 1, '64', 'Tỉnh Gia Lai', 'tinh', '2020-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO indicator (id, code, name_vi, name_en, short_vi, short_en, pillar, "
                "level_id, unit_kinds, value_type, unit, legal_basis, rollup, source, "
                "source_filter, denominator_rule, meta, display_order, valid_from) VALUES "
                "(1, 'X', 'X', 'X', 'X', '', 'government', 3, 'xa', 'boolean', '', '', "
                "'share_meeting', 'values', '', 'reported', '{}', 0, '2021-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO target (indicator_id, level_id, target_value, comparator, "
                "target_year, source) VALUES (1, 3, 90, '>=', 2025, 's')"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with so.Session(engine) as session:
        target = session.scalar(sa.select(Target))
        assert (target.scope_unit_id, target.level_id, target.scope_key) == (1, 1, "unit:1")
        assert session.get(Indicator, 1).targets == [target]
    engine.dispose()
