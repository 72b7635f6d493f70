"""What a figure counts, pinned on a small hand-made province (two districts, eight communes).

Each test names the bug it catches. The data, for criterion "X" (rural communes, boolean):

    district A (report approved in 2023): A1 met, A2 met, A3 met, A4 not met
    district B (report draft in 2023):    B1 met, B2 not met, B3 not met, B4 not reported

2021 and 2022: every commune reported (complete years), both districts approved.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import make_engine
from dashboard.migrate import upgrade
from dashboard.models import (
    Cooperative,
    DistrictReport,
    Indicator,
    IndicatorValue,
    OrgUnit,
    Period,
    Programme,
    Target,
)
from dashboard.services import indicators as svc
from dashboard.services import lineage
from dashboard.services.reference import seed_levels

START = dt.date(2021, 1, 1)
MET_2023 = {"A1": True, "A2": True, "A3": True, "A4": False, "B1": True, "B2": False, "B3": False}
# 2021 and 2022: complete; the share rises 25% → 50%.
MET_BY_YEAR = {
    2021: {"A1": True, "B1": True},
    2022: {"A1": True, "A2": True, "B1": True, "B2": True},
}


pytestmark = pytest.mark.db


def _empty_database(tmp_path) -> str:
    """A new empty database: a SQLite file, or on PostgreSQL (`TEST_DATABASE_URL`) a database
    beside the test database, created afresh."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'tiny.db'}"
    url = sa.engine.make_url(base)
    name = f"{url.database}_tiny"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def tiny(tmp_path):
    url = _empty_database(tmp_path)
    upgrade(url)
    engine = make_engine(url)
    with so.Session(engine) as session:
        levels = seed_levels(session)
        province = OrgUnit(
            level=levels["province"], gso_code="99", name="Tỉnh T", kind="tinh", valid_from=START
        )
        session.add(province)
        units: dict[str, OrgUnit] = {}
        for d in ("A", "B"):
            district = OrgUnit(
                level=levels["district"],
                parent=province,
                gso_code=f"9{ord(d) - 64}",
                name=f"Huyện {d}",
                kind="huyen",
                valid_from=START,
            )
            units[d] = district
            for i in range(1, 5):
                units[f"{d}{i}"] = OrgUnit(
                    level=levels["commune"],
                    parent=district,
                    gso_code=f"9{ord(d) - 64}{i}",
                    name=f"Xã {d}{i}",
                    kind="xa",
                    valid_from=START,
                )
        session.add_all(units.values())
        session.flush()
        lineage.rebuild(session)  # which unit each registry row counts for
        programme = Programme(
            code="P",
            name_vi="Chương trình thử",
            name_en="Test programme",
            legal_basis="",
            start_date=dt.date(2021, 1, 1),
            end_date=dt.date(2025, 12, 31),
            reporting_level=levels["district"],
        )
        session.add(programme)
        periods = {}
        for year in (2021, 2022, 2023):
            periods[year] = Period(
                code=str(year),
                kind="year",
                year=year,
                start_date=dt.date(year, 1, 1),
                end_date=dt.date(year, 12, 31),
                programme=programme,
            )
        session.add_all(periods.values())

        def indicator(code, rollup, value_type, **kw):
            ind = Indicator(
                code=code,
                name_vi=code,
                name_en=code,
                short_vi=code,
                pillar="government",
                level=levels["commune"],
                unit_kinds="xa",
                value_type=value_type,
                rollup=rollup,
                valid_from=START,
                **kw,
            )
            session.add(ind)
            return ind

        share = indicator("X", "share_meeting", "boolean")
        strict = indicator("X-ALL", "share_meeting", "boolean", denominator_rule="expected")
        ratio = indicator("R", "ratio_of_sums", "ratio", unit="hồ sơ")
        indicator("C", "share_with_rows", "boolean", source="cooperatives")
        indicator("N", "count_rows", "count", source="cooperatives")
        total = indicator("S", "sum", "count")
        session.flush()
        for ind in (share, strict):
            session.add(
                Target(
                    indicator=ind,
                    level=levels["province"],
                    scope_unit=province,
                    scope_key=Target.key_for(province.id, None),
                    target_value=60.0,
                    target_year=2025,
                )
            )
        for year, period in periods.items():
            met = MET_2023 if year == 2023 else MET_BY_YEAR[year]
            names = MET_2023 if year == 2023 else [f"{d}{i}" for d in "AB" for i in range(1, 5)]
            for name in names:
                for ind in (share, strict):
                    session.add(
                        IndicatorValue(
                            indicator=ind,
                            unit_id=units[name].id,
                            period_id=period.id,
                            value_bool=met.get(name, False),
                        )
                    )
        # Ratio: A1 10/20, A2 5/10, B1 9/10; the rest did not report.
        for name, (num, den) in {"A1": (10, 20), "A2": (5, 10), "B1": (9, 10)}.items():
            session.add(
                IndicatorValue(
                    indicator=ratio,
                    unit_id=units[name].id,
                    period_id=periods[2023].id,
                    numerator=num,
                    denominator=den,
                )
            )
        # A sum: A1 reports 7, B2 reports 5.
        for name, number in {"A1": 7, "B2": 5}.items():
            session.add(
                IndicatorValue(
                    indicator=total,
                    unit_id=units[name].id,
                    period_id=periods[2023].id,
                    value_num=number,
                )
            )
        # Cooperatives: A1 and B1 have one; nobody else has a row.
        for name in ("A1", "B1"):
            session.add(
                Cooperative(unit_id=units[name].id, name=f"HTX {name}", established_on=START)
            )
        for year in (2021, 2022):
            for d in "AB":
                session.add(
                    DistrictReport(
                        district_id=units[d].id, period_id=periods[year].id, status="approved"
                    )
                )
        session.add(
            DistrictReport(
                district_id=units["A"].id,
                period_id=periods[2023].id,
                status="approved",
                decided_at=dt.datetime(2024, 1, 20, 3, 0),
            )
        )
        session.commit()
        ids = {name: u.id for name, u in units.items()}
    with so.Session(engine) as session:
        yield session, ids
    engine.dispose()


def compute(session, code, year=2023, district=None, approved_only=False):
    ind = svc.get_indicator(session, code)
    period = svc.get_period(session, str(year))
    return svc.compute(session, ind, period, district, approved_only)


def test_a_missing_value_is_not_reported_not_not_met(tiny):
    """Bug: B4's missing value counted as "not met" (4/8) and the reporting rate was hidden."""
    session, _ids = tiny
    fig = compute(session, "X")
    assert (fig.numerator, fig.denominator) == (4, 7)
    assert (fig.expected, fig.reported) == (8, 7)
    assert fig.display == "4/7 xã (57,1%)"
    assert fig.coverage == "7/8 xã đã báo cáo (87,5%)"
    assert not fig.complete


def test_full_denominator_when_the_definition_requires_it(tiny):
    """Bug: an indicator whose definition counts every unit dropped the missing ones silently,
    or counted them without saying so."""
    session, _ids = tiny
    fig = compute(session, "X-ALL")
    assert (fig.numerator, fig.denominator) == (4, 8)
    assert fig.display == "4/8 xã (50%)"
    assert "1 xã chưa báo cáo được tính là chưa đạt" in fig.coverage


def test_approved_only_counts_approved_units_in_numerator_and_denominator(tiny):
    """Bug: the approved-only province figure kept every commune in the denominator (3/8)."""
    session, _ids = tiny
    fig = compute(session, "X", approved_only=True)
    assert (fig.numerator, fig.denominator) == (3, 4)
    assert (fig.expected, fig.approved, fig.reported) == (8, 4, 4)
    assert fig.display == "3/4 xã (75%)"
    assert fig.coverage == "1/2 huyện đã phê duyệt · 4/4 xã đã báo cáo (100%)"


def test_no_approved_unit_means_no_published_figure_never_zero(tiny):
    """Bug: with no district approved the figure read 0/8 (0%) and "off track"."""
    session, ids = tiny
    fig = compute(session, "X", district=ids["B"], approved_only=True)
    assert fig.value is None and not fig.published
    assert fig.display == "Chưa có số liệu được phê duyệt"
    assert fig.coverage == "0/1 huyện đã phê duyệt"
    ind = svc.get_indicator(session, "X")
    prog, _figures = svc.progress(
        session, ind, svc.get_period(session, "2023"), ids["B"], approved_only=True
    )
    assert prog.met is None and prog.gap is None


def test_ratio_of_sums_adds_only_reported_units(tiny):
    """Bug: the ratio counted missing units or their expected count wrongly."""
    session, _ids = tiny
    fig = compute(session, "R")
    assert (fig.numerator, fig.denominator) == (24, 40)
    assert fig.value == pytest.approx(60.0)
    assert (fig.expected, fig.reported) == (8, 3)
    published = compute(session, "R", approved_only=True)
    assert (published.numerator, published.denominator) == (15, 30)
    assert published.reported == 2 and published.approved == 4


def test_registry_unit_without_rows_is_not_reported_until_its_district_reports(tiny):
    """Bug: a commune without a registry row counted as "has none" before anyone said so."""
    session, ids = tiny
    fig = compute(session, "C")
    # A's report is approved (its registry declared complete): A1 has one, A2-A4 have none.
    # B's is a draft: only B1 (a row) counts as reported.
    assert (fig.numerator, fig.denominator, fig.reported) == (2, 5, 5)
    report = DistrictReport(
        district_id=ids["B"], period_id=svc.get_period(session, "2023").id, status="submitted"
    )
    session.add(report)
    session.commit()
    fig = compute(session, "C")
    assert (fig.numerator, fig.denominator, fig.reported) == (2, 8, 8)


def test_projection_stands_on_complete_years_only_and_says_which(tiny):
    """Bug: the projection ran through an incomplete year (or a year with nothing approved)
    and the status did not say what it stood on."""
    session, _ids = tiny
    ind = svc.get_indicator(session, "X")
    prog, figures = svc.progress(session, ind, svc.get_period(session, "2023"))
    assert [f.complete for f in figures] == [True, True, False]
    assert prog.basis_years == ("2021", "2022")
    # 25% → 50%: +25 points a year, from 2022 to 2025 capped at 100.
    assert prog.projected == pytest.approx(100.0)
    assert prog.basis == "Dự báo từ số liệu đầy đủ các năm 2021, 2022"
    # Approved-only: 2023 is half approved, so only 2021 and 2022 count again.
    prog_pub, _f = svc.progress(session, ind, svc.get_period(session, "2023"), approved_only=True)
    assert prog_pub.basis_years == ("2021", "2022")
    assert prog_pub.basis.startswith("Dự báo từ số liệu đã phê duyệt đầy đủ")


def test_on_track_is_unknown_without_a_complete_year(tiny):
    """Bug: "on track" was claimed from a partial figure when no year was complete."""
    session, ids = tiny
    session.execute(sa.delete(IndicatorValue).where(IndicatorValue.unit_id == ids["B4"]))
    session.execute(
        sa.delete(IndicatorValue).where(
            IndicatorValue.unit_id == ids["B3"],
            IndicatorValue.period_id.in_(
                sa.select(Period.id).where(Period.code.in_(("2021", "2022")))
            ),
        )
    )
    session.commit()
    ind = svc.get_indicator(session, "X")
    prog, _figures = svc.progress(session, ind, svc.get_period(session, "2023"))
    assert prog.basis_years == ()
    assert prog.projected is None and prog.on_track is None
    assert svc.status_text(prog) == "Chưa đủ số liệu để dự báo"


def test_by_district_and_records_follow_the_same_rule(tiny):
    """Bug: the table by district or the records behind a figure counted differently from the
    figure, or showed unapproved units in approved-only mode."""
    session, ids = tiny
    ind = svc.get_indicator(session, "X")
    period = svc.get_period(session, "2023")
    frame = svc.by_district(session, ind, period).set_index("district_code")
    assert frame.loc["92", "display"] == "1/3 xã (33,3%)"
    assert frame.loc["92", "coverage"] == "3/4 xã đã báo cáo (75%)"
    records = svc.records(session, ind, period, ids["B"])
    assert list(records["Giá trị"]) == ["Đạt", "Không đạt", "Không đạt", "Chưa báo cáo"]
    published = svc.records(session, ind, period, approved_only=True)
    assert set(published["Mã"]) == {"911", "912", "913", "914"}
    pub_frame = svc.by_district(session, ind, period, approved_only=True).set_index("district_code")
    assert pub_frame.loc["92", "display"] == "Chưa có số liệu được phê duyệt"
    assert pub_frame.loc["91", "display"] == "3/4 xã (75%)"


def test_counts_and_sums_follow_the_approved_rule(tiny):
    """Bug: counts of registry rows and sums of values counted unapproved districts in
    approved-only mode (or failed on PostgreSQL over untyped nulls)."""
    session, _ids = tiny
    assert compute(session, "N").value == 2
    assert compute(session, "N", approved_only=True).value == 1
    assert compute(session, "S").value == 12
    published = compute(session, "S", approved_only=True)
    assert published.value == 7 and published.reported == 1
    assert published.display == "7"
