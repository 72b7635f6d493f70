"""A unit's figures over time on today's units (history re-based through the crosswalk) and as
reported (`services.rebase`), and the unit page's table of them (`callbacks.unit_trends`)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.models import (
    DistrictReport,
    Indicator,
    IndicatorValue,
    Level,
    OrgUnit,
    Period,
    Programme,
)
from dashboard.services import rebase
from tests.test_unit_page import find, render, text

pytestmark = pytest.mark.db

REFORM = dt.date(2025, 7, 1)
# The new Biển Hồ (from 1/7/2025) took over the old Biển Hồ, Hà Bầu, Chư Đăng Ya and Nghĩa Hưng
# (and, through the old Biển Hồ, Tân Sơn, merged into it on 1/11/2024).
PREDECESSORS_2023 = {"23590": True, "23593": True, "23692": False, "23746": True, "23761": False}


def unit(session, code, on):
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.valid_on(on)))


def period(session, code):
    return session.scalar(sa.select(Period).where(Period.code == code))


@pytest.fixture
def met(session):
    """A commune indicator over both programmes (met / not met), with 2023 values for the five
    communes that are today's Biển Hồ and a 2026 value for the new Biển Hồ."""
    commune = session.scalar(sa.select(Level).where(Level.code == "commune"))
    first = session.scalar(sa.select(Programme).order_by(Programme.start_date))
    ind = Indicator(
        code="T-REBASE",
        name_vi="Xã có điểm truy cập số (thử)",
        name_en="Commune with a digital access point (test)",
        short_vi="Điểm truy cập (thử)",
        pillar="society",
        level=commune,
        unit_kinds="xa",
        value_type="boolean",
        rollup="share_meeting",
        source="values",
        programme=first,
        valid_from=dt.date(2021, 1, 1),
        display_order=-1,
    )
    session.add(ind)
    session.flush()
    p2023 = period(session, "2023")
    for code, value in PREDECESSORS_2023.items():
        session.add(
            IndicatorValue(
                indicator=ind,
                unit_id=unit(session, code, dt.date(2023, 12, 31)).id,
                period=p2023,
                value_bool=value,
            )
        )
    session.add(
        IndicatorValue(
            indicator=ind,
            unit_id=unit(session, "23590", REFORM).id,
            period=period(session, "2026"),
            value_bool=True,
        )
    )
    session.commit()
    return ind


def figures(session, code, on, mode, ind, **kw):
    found = rebase.series(session, unit(session, code, on), mode, **kw)
    series = next(s for s in found if s.indicator.id == ind.id)
    rows = zip(series.periods, series.figures, series.rebased, strict=True)
    return {p.code: (f, r) for p, f, r in rows}


def test_new_bien_ho_2023_on_todays_units_counts_its_five_predecessors(session, met):
    # Catches the crosswalk not followed (no 2023 figure for the new commune), followed one step
    # only (Tân Sơn, merged into the old Biển Hồ in 2024, left out), or the wrong units counted.
    by_period = figures(session, "23590", REFORM, rebase.TODAY, met)
    fig, rebased = by_period["2023"]
    assert (fig.numerator, fig.denominator, fig.expected) == (3.0, 5.0, 5)
    assert rebased is True
    fig, rebased = by_period["2026"]
    assert (fig.numerator, fig.denominator, rebased) == (1.0, 1.0, False)


def test_as_reported_the_new_commune_has_no_figure_before_it_began(session, met):
    # Catches "as reported" silently re-basing (the two modes the same) or counting predecessors.
    by_period = figures(session, "23590", REFORM, rebase.REPORTED, met)
    fig, rebased = by_period["2023"]
    assert (fig.expected, fig.reported, fig.value, rebased) == (0, 0, None, False)
    assert by_period["2026"][0].value == 100.0


def test_an_ended_commune_shows_its_own_figures_and_nothing_after_it_ended(session, met):
    # Catches an old commune credited with figures counted after its records passed on.
    by_period = figures(session, "23692", dt.date(2023, 1, 1), rebase.TODAY, met)
    assert by_period["2023"][0].value == 0.0
    assert by_period["2026"][0] is None
    assert rebase.has_rebased_history(session, unit(session, "23692", dt.date(2023, 1, 1))) is False


def test_approved_only_counts_only_predecessors_whose_district_report_is_approved(session, met):
    # Catches the re-based history leaking figures the public may not see yet.
    p2023 = period(session, "2023")
    pleiku = unit(session, "23590", dt.date(2023, 12, 31)).parent
    session.execute(sa.delete(DistrictReport).where(DistrictReport.period_id == p2023.id))
    session.add(DistrictReport(district_id=pleiku.id, period_id=p2023.id, status="approved"))
    session.commit()
    fig = figures(session, "23590", REFORM, rebase.TODAY, met, approved_only=True)["2023"][0]
    in_pleiku = {
        code
        for code in PREDECESSORS_2023
        if unit(session, code, dt.date(2023, 12, 31)).parent_id == pleiku.id
    }
    assert fig.approved == len(in_pleiku)
    assert fig.numerator == sum(PREDECESSORS_2023[c] for c in in_pleiku)
    assert len(in_pleiku) < len(PREDECESSORS_2023)  # the test means something


def test_a_split_off_unit_that_is_not_heir_has_no_rebased_history(session):
    # Catches a split counting its predecessor's records twice (for heir and non-heir).
    nghia_an = unit(session, "23662", dt.date(2025, 1, 1))
    kong_bo_la = unit(session, "23674", dt.date(2025, 1, 1))
    assert rebase.record_sources(session, nghia_an) == {nghia_an.id}
    assert len(rebase.record_sources(session, kong_bo_la)) > 1


def test_unknown_mode_is_refused(session):
    # Catches a typo'd mode silently treated as one of the two.
    with pytest.raises(ValueError):
        rebase.sources_for(session, unit(session, "23590", REFORM), "hom-nay")


def trend_body(dash_caller, mode, data_mode="all", key=None):
    response = dash_caller.post(
        "unit-trend-body.children",
        inputs=[
            {"id": "unit-trend-mode", "property": "value", "value": mode},
            {"id": "data-mode", "property": "value", "value": data_mode},
        ],
        state=[
            {
                "id": "unit-trend-key",
                "property": "data",
                "value": key or {"code": "23590", "from": "2025-07-01"},
            }
        ],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]["unit-trend-body"]["children"]


def test_unit_page_offers_both_modes_and_marks_rebased_cells(client, auth, dash_caller, met):
    # Catches the page computing its own figures (not the service's), the rebased cells unmarked,
    # or the predecessors not named.
    auth.login("viewer")
    page = render(dash_caller, "?ma=23590&tu=2025-07-01")
    assert find(page, "unit-trend-mode")["value"] == rebase.TODAY
    assert "d-none" not in find(page, "unit-trend-choice")["className"]
    today = trend_body(dash_caller, rebase.TODAY)
    shown = text(today)
    assert "Điểm truy cập (thử)" in shown
    assert "3/5 xã (60%)" in shown and "*" in shown
    for name in ("Xã Hà Bầu", "Xã Chư Đăng Ya", "Xã Nghĩa Hưng", "Xã Tân Sơn"):
        assert name in shown
    reported = text(trend_body(dash_caller, rebase.REPORTED))
    assert "3/5" not in reported and "Chưa thành lập" in reported
    assert "1/1 xã (100%)" in reported


def test_unit_page_without_predecessors_hides_the_choice(client, auth, dash_caller, session):
    # Catches a new unit of the former Bình Định area offered a re-based history it cannot have.
    auth.login("viewer")
    page = render(dash_caller, "?ma=21583&tu=2025-07-01")  # Phường Quy Nhơn
    assert find(page, "unit-trend-mode")["value"] == rebase.REPORTED
    assert "d-none" in find(page, "unit-trend-choice")["className"]


def test_unit_trend_callback_with_an_unknown_unit_says_so(client, auth, dash_caller):
    # Catches a replayed callback with a forged key answering 500.
    auth.login("viewer")
    body = trend_body(dash_caller, rebase.TODAY, key={"code": "99999", "from": "x"})
    assert "Không tìm thấy đơn vị" in text(body)
