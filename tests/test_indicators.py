"""Figures are computed from unit-level records, with denominators from the units of the period."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.models import DistrictPlan, IndicatorValue, OrgUnit
from dashboard.services import indicators as svc

pytestmark = pytest.mark.db


def figure(session, code: str, period: str, district: str | None = None):
    ind = svc.get_indicator(session, code)
    district_id = svc.district_by_code(session, district).id if district else None
    return svc.compute(session, ind, svc.get_period(session, period), district_id)


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("GOV-PLAN", "17/17 huyện (100%)"),
        ("GOV-FIBRE", "182/182 xã (100%)"),
        ("GOV-C8_4", "95/182 xã (52,2%)"),
        ("GOV-ADV15_2", "182/182 xã (100%)"),
        ("GOV-D9_5", "17/17 huyện (100%)"),
    ],
)
def test_end_2023_figures_of_the_article(session, code, display):
    assert figure(session, code, "2023").display == display


def test_denominators_follow_the_units_valid_in_the_period(session):
    assert figure(session, "GOV-C8_4", "2023").denominator == 182
    assert figure(session, "GOV-C8_4", "2024").denominator == 180
    assert figure(session, "GOV-C8_4", "2025").denominator == 180
    # Communes and districts together: 220 + 17 in 2023, 218 + 17 in 2025.
    assert figure(session, "SOC-ESSENTIAL", "2023").expected == 237
    assert figure(session, "SOC-ESSENTIAL", "2025").expected == 235


def test_share_counts_the_records_that_meet(session):
    ind = svc.get_indicator(session, "GOV-C8_4")
    period = svc.get_period(session, "2023")
    met = session.scalar(
        sa.select(sa.func.count(IndicatorValue.id)).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.period_id == period.id,
            IndicatorValue.value_bool.is_(True),
        )
    )
    assert met == 95
    value = session.scalar(
        sa.select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.period_id == period.id,
            IndicatorValue.value_bool.is_(False),
        )
        .limit(1)
    )
    value.value_bool = True
    session.commit()
    assert figure(session, "GOV-C8_4", "2023").display == "96/182 xã (52,7%)"


def test_ratio_of_sums_adds_numerators_and_denominators(session):
    ind = svc.get_indicator(session, "GOV-DOSSIER-COMM")
    period = svc.get_period(session, "2023")
    num, den = session.execute(
        sa.select(
            sa.func.sum(IndicatorValue.numerator), sa.func.sum(IndicatorValue.denominator)
        ).where(IndicatorValue.indicator_id == ind.id, IndicatorValue.period_id == period.id)
    ).one()
    fig = figure(session, "GOV-DOSSIER-COMM", "2023")
    assert (fig.numerator, fig.denominator) == (num, den)
    assert fig.value == pytest.approx(100 * num / den)
    assert fig.expected == 220 and fig.reported == 220


def test_registry_figure_follows_registry_rows(session):
    pleiku = svc.district_by_code(session, "622")
    plan = session.scalar(sa.select(DistrictPlan).where(DistrictPlan.unit_id == pleiku.id))
    session.delete(plan)
    session.commit()
    assert figure(session, "GOV-PLAN", "2023").display == "16/17 huyện (94,1%)"
    # A plan issued in 2024 counts from 2024 on, not in 2023.
    session.add(
        DistrictPlan(
            unit_id=pleiku.id,
            document_number="1/KH-UBND",
            issued_on=dt.date(2024, 3, 1),
            title="Kế hoạch",
        )
    )
    session.commit()
    assert figure(session, "GOV-PLAN", "2023").display == "16/17 huyện (94,1%)"
    assert figure(session, "GOV-PLAN", "2024").display == "17/17 huyện (100%)"


def test_by_district_adds_up_to_the_province(session):
    ind = svc.get_indicator(session, "GOV-C8_4")
    frame = svc.by_district(session, ind, svc.get_period(session, "2023"))
    assert len(frame) == 17
    assert frame["numerator"].sum() == 95
    assert frame["denominator"].sum() == 182
    pleiku = frame.set_index("district_code").loc["622"]
    assert pleiku["display"] == figure(session, "GOV-C8_4", "2023", "622").display


def test_records_list_every_commune_of_the_district(session):
    ind = svc.get_indicator(session, "GOV-C8_4")
    pleiku = svc.district_by_code(session, "622")
    frame = svc.records(session, ind, svc.get_period(session, "2023"), pleiku.id)
    xa_2023 = session.scalar(
        sa.select(sa.func.count(OrgUnit.id)).where(
            OrgUnit.parent_id == pleiku.id,
            OrgUnit.kind == "xa",
            OrgUnit.valid_on(dt.date(2023, 12, 31)),
        )
    )
    assert len(frame) == xa_2023
    assert "Xã Biển Hồ" in set(frame["Đơn vị"])
    met = (frame["Giá trị"] == "Đạt").sum()
    assert f"{met}/{xa_2023}" in figure(session, "GOV-C8_4", "2023", "622").display


def test_share_of_rows_counts_linkage_models_on_raw_material_areas(session):
    from dashboard.models import LinkageModel

    end = dt.date(2023, 12, 31)
    rows = session.scalars(sa.select(LinkageModel).where(LinkageModel.started_on <= end)).all()
    on_area = [r for r in rows if r.raw_material_area]
    digital = [r for r in on_area if r.applies_digital]
    fig = figure(session, "ECO-DIGITAL-LINKAGE", "2023")
    assert (fig.numerator, fig.denominator) == (len(digital), len(on_area))


def test_projection_is_linear_and_capped():
    def make(period, numerator, denominator):
        return svc.Figure(
            "X", period, numerator, denominator, expected=100, reported=100, rollup="share_meeting"
        )

    figures = [make("2021", 10, 100), make("2022", 20, 100), make("2023", 30, 100)]
    assert svc.project(figures, 2023, 2025) == pytest.approx(50.0)
    steep = [make("2021", 10, 100), make("2022", 60, 100)]
    assert svc.project(steep, 2022, 2025) == 100.0
    assert svc.project(figures[:1], 2021, 2025) == pytest.approx(10.0)
    assert svc.project([], 2023, 2025) is None


def test_progress_against_target(session):
    ind = svc.get_indicator(session, "GOV-C8_4")
    prog, figures = svc.progress(session, ind, svc.get_period(session, "2023"))
    assert prog.target.target_value == 97 and prog.target.target_year == 2025
    assert prog.gap == pytest.approx(97 - 100 * 95 / 182)
    assert prog.on_track is (prog.projected >= 97)
    assert [f.period for f in figures] == ["2021", "2022", "2023", "2024", "2025"]


def test_every_domain_target_is_seeded(session):
    expected = {
        "GOV-DOSSIER-PROV": 90,
        "GOV-DOSSIER-DIST": 80,
        "GOV-DOSSIER-COMM": 60,
        "GOV-C8_4": 97,
        "GOV-ADV8_4": 50,
        "GOV-ADV15_2": 50,
        "GOV-D9_5": 60,
        "GOV-ADVD6_5": 25,
        "GOV-ADVD9_2": 25,
        "GOV-TRAINING": 100,
        "ECO-COOP": 70,
        "ECO-LINKAGE": 70,
        "ECO-DIGITAL-LINKAGE": 50,
        "SOC-ESSENTIAL": 40,
        "PILOT-SMART": 1,
    }
    for code, value in expected.items():
        target = svc.target_for(svc.get_indicator(session, code))
        assert (target.target_value, target.target_year) == (value, 2025), code


def test_biển_hồ_is_the_smart_commune_pilot(session):
    assert figure(session, "PILOT-SMART", "2023").display == "1"
    frame = svc.records(
        session, svc.get_indicator(session, "PILOT-SMART"), svc.get_period(session, "2023")
    )
    assert list(frame["Đơn vị"]) == ["Xã Biển Hồ"]
