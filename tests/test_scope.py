"""The scope rules are written once (`dashboard.scope`) with a SQL and a Python twin; these tests
pin that the twins agree on every unit and indicator, and the figures and views that rely on
them: the audit filter, approved-only records, registry end dates and completeness."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard import scope
from dashboard.models import Indicator, IndicatorValue, Level, OrgUnit, User
from dashboard.services import audit, registries, values, workflow
from dashboard.services import indicators as svc

pytestmark = pytest.mark.db


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def test_in_district_twins_agree_for_every_unit_and_district(session):
    """Catches the SQL and the Python form of "unit within district" drifting apart (the bug
    class of six hand-written copies): for every district, the same set of units."""
    units = list(session.scalars(sa.select(OrgUnit)))
    districts = [u for u in units if u.level.code == "district"]
    assert len(districts) == 17
    for district in districts:
        by_sql = set(
            session.scalars(sa.select(OrgUnit.id).where(scope.within_district(district.id)))
        )
        by_python = {u.id for u in units if scope.in_district(u, district)}
        assert by_sql == by_python, district.name
        assert district.id in by_python and len(by_python) > 1


def test_indicator_applies_twins_agree(session):
    """Catches the engine, the grid, the template and the completeness count disagreeing on
    which units an indicator is counted over (levels, kinds, the extra level)."""
    units = list(session.scalars(sa.select(OrgUnit)))
    for ind in session.scalars(sa.select(Indicator)):
        by_python = {u.id for u in units if scope.indicator_applies(ind, u)}
        by_clause = set(session.scalars(sa.select(OrgUnit.id).where(scope.applies_clause(ind))))
        by_join = set(
            session.scalars(
                sa.select(OrgUnit.id)
                .join(Indicator, scope.applies_join())
                .where(Indicator.id == ind.id)
            )
        )
        assert by_python == by_clause == by_join, ind.code
        assert by_python, ind.code


def test_indicator_kinds_match_whole_names(session):
    """Catches a substring match of unit kinds (`xa` inside `thi_xa`)."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    assert ind.kinds == ("xa",)
    kinds = set(
        session.scalars(
            sa.select(OrgUnit.kind)
            .join(Indicator, scope.applies_join())
            .where(Indicator.id == ind.id)
        )
    )
    assert kinds == {"xa"}


def test_find_district_by_code_and_date(session):
    """Catches a district lookup that ignores the date or the level."""
    assert scope.find_district(session, "622").name == "Thành phố Pleiku"
    assert scope.find_district(session, " 622 ", on=dt.date(2023, 12, 31)).gso_code == "622"
    assert scope.find_district(session, "622", on=dt.date(2019, 1, 1)) is None
    assert scope.find_district(session, "23596") is None  # a commune's code
    assert scope.find_district(session, "") is None and scope.find_district(session, None) is None


def test_audit_filter_by_district_includes_its_communes(session):
    """Catches the audit view's district filter dropping the district's communes (or taking
    another district's)."""
    editor = user(session, "editor-622")
    pleiku = scope.find_district(session, "622")
    commune = scope.units_in_district(session, pleiku, dt.date(2023, 12, 31))[1]
    values.set_value(
        session,
        editor,
        indicator_code="GOV-DOSSIER-COMM",
        unit_id=commune.id,
        period_code="2023",
        raw={"numerator": "4", "denominator": "9"},
    )
    mine = audit.log_frame(session, unit_id=pleiku.id)
    assert commune.name in set(mine["Đơn vị"])
    other = audit.log_frame(session, unit_id=scope.find_district(session, "633").id)
    assert commune.name not in set(other["Đơn vị"])


def test_records_honour_approved_only(session):
    """Catches `records()` showing values of districts whose report is not approved when the
    page is switched to approved data only."""
    ind, period = svc.get_indicator(session, "GOV-C8_4"), svc.get_period(session, "2023")
    pleiku = scope.find_district(session, "622")
    all_rows = svc.records(session, ind, period, pleiku.id)
    approved_rows = svc.records(session, ind, period, pleiku.id, approved_only=True)
    assert len(all_rows) > 0
    assert approved_rows.empty  # 2023 is not approved in the demo: no unit is published
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2023")
    workflow.transition(session, user(session, "admin"), "approve", "622", "2023")
    after = svc.records(session, ind, period, pleiku.id, approved_only=True)
    assert list(after["Giá trị"]) == list(all_rows["Giá trị"])


def test_share_of_rows_honours_approved_only(session):
    """Catches the share-of-rows rollup (digitally linked models) counting unapproved
    districts' rows in approved-only figures."""
    ind = svc.get_indicator(session, "ECO-DIGITAL-LINKAGE")
    assert ind.rollup == "share_of_rows"
    open_year, closed_year = svc.get_period(session, "2023"), svc.get_period(session, "2021")
    everything = svc.compute(session, ind, open_year)
    approved = svc.compute(session, ind, open_year, approved_only=True)
    assert everything.denominator and not approved.denominator
    closed_approved = svc.compute(session, ind, closed_year, approved_only=True)
    closed_all = svc.compute(session, ind, closed_year)
    assert (closed_approved.numerator, closed_approved.denominator) == (
        closed_all.numerator,
        closed_all.denominator,
    )
    assert closed_approved.display == closed_all.display
    rows = svc.records(session, ind, open_year, approved_only=True)
    assert rows.empty


def coop_count(session, district_code, year):
    frame = svc.by_district(
        session, svc.get_indicator(session, "ECO-COOP-ANY"), svc.get_period(session, str(year))
    )
    return frame.set_index("district_code").loc[district_code, "numerator"]


def test_registry_end_dates_are_respected(session):
    """Catches figures that count a dissolved cooperative after its dissolution (or before it
    was established)."""
    admin = user(session, "admin")
    pleiku = scope.find_district(session, "622")
    end = dt.date(2024, 12, 31)
    with_coop = {
        row.unit_id
        for row in session.scalars(sa.select(registries.REGISTRIES["cooperatives"].model))
    }
    bare = next(
        u
        for u in scope.units_in_district(session, pleiku, end)[1:]
        if u.id not in with_coop and u.kind == "xa"
    )
    before = {year: coop_count(session, "622", year) for year in (2021, 2022, 2023, 2024)}
    registries.create_row(
        session,
        admin,
        "cooperatives",
        bare.id,
        {"name": "HTX tạm", "established_on": "2022-03-01", "dissolved_on": "2023-06-30"},
    )
    after = {year: coop_count(session, "622", year) for year in (2021, 2022, 2023, 2024)}
    assert after == {
        2021: before[2021],
        2022: before[2022] + 1,
        2023: before[2023],
        2024: before[2024],
    }


def test_completeness_counts_filled_values(session):
    """Catches completeness counting values that are not expected (an indicator that does not
    apply to the unit) or not counting new ones."""
    editor = user(session, "editor-622")
    period = svc.get_period(session, "2024")
    pleiku = scope.find_district(session, "622")

    def filled():
        return next(r for r in workflow.completeness(session, period) if r.district_code == "622")

    full = filled()
    ind = svc.get_indicator(session, "GOV-DOSSIER-COMM")
    empty = scope.units_in_district(session, pleiku, period.end_date)[1:3]
    for unit in empty:
        session.delete(values.stored(session, ind.id, unit.id, period.id))
    session.commit()
    start = filled()
    assert start.filled == full.filled - 2
    for unit in empty:
        values.set_value(
            session,
            editor,
            indicator_code=ind.code,
            unit_id=unit.id,
            period_code="2024",
            raw={"numerator": "1", "denominator": "2"},
        )
    after = filled()
    assert (after.filled, after.expected) == (start.filled + 2, start.expected)
    # A stray value of a district indicator stored on a commune is not "filled".
    district_ind = svc.get_indicator(session, "GOV-D9_5")
    session.add(
        IndicatorValue(
            indicator_id=district_ind.id, unit_id=empty[0].id, period_id=period.id, value_bool=True
        )
    )
    session.commit()
    assert filled().filled == after.filled
    assert after.expected == sum(
        1
        for u in scope.units_in_district(session, pleiku, period.end_date)
        for i in session.scalars(sa.select(Indicator).where(Indicator.source == "values"))
        if scope.indicator_applies(i, u)
    )
    assert session.scalar(sa.select(Level.id).where(Level.code == "district"))
