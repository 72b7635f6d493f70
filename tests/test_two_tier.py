"""After 1 July 2025: 2025 counted on the district structure to 30/6, periods of the 2026-2035
programme reported by communes, commune editors and province approvers, district editors kept
to their 2021-2025 records, lineage used by the figures."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.errors import PermissionDenied, ValidationError
from dashboard.models import Cooperative, Indicator, Level, OrgUnit, Programme, User
from dashboard.services import admin, periods, registries, values, workflow
from dashboard.services import indicators as svc

pytestmark = pytest.mark.db

TWO_TIER = dt.date(2025, 7, 1)


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def unit(session, code, on):
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.valid_on(on)))


@pytest.fixture
def ind_2026(session):
    """A commune indicator of the 2026-2035 programme (values, met / not met)."""
    programme = session.scalar(sa.select(Programme).where(Programme.code == "mtqg-2026-2035"))
    commune = session.scalar(sa.select(Level).where(Level.code == "commune"))
    ind = Indicator(
        code="T-2026",
        name_vi="Chỉ tiêu thử 2026",
        name_en="Test indicator 2026",
        short_vi="Thử 2026",
        pillar="government",
        level=commune,
        value_type="boolean",
        rollup="share_meeting",
        source="values",
        programme=programme,
        valid_from=programme.start_date,
        valid_to=programme.end_date,
    )
    session.add(ind)
    session.commit()
    return ind


def test_2025_is_counted_on_the_district_structure_to_30_june(session):
    # Catches: 2025 counted at 31/12/2025, when no district existed (0 districts) or on the
    # 135 new communes instead of the 180 xã the programme closed on.
    period = svc.get_period(session, "2025")
    assert period.counted_on == dt.date(2025, 6, 30) and period.cut_short
    assert periods.label(period) == "2025 (tính đến 30/06/2025)"
    assert len(svc.reporting_units(session, period)) == 17
    c8_4 = svc.aggregate(session, svc.get_indicator(session, "GOV-C8_4"), [period])[0]
    assert c8_4.expected == 180
    d9_5 = svc.aggregate(session, svc.get_indicator(session, "GOV-D9_5"), [period])[0]
    assert d9_5.expected == 17
    # Earlier years are counted on their last day.
    assert svc.get_period(session, "2024").count_date == dt.date(2024, 12, 31)


def test_periods_of_the_new_programme_are_reported_by_communes(session):
    # Catches: the reporting level assumed to be "district" (2026 would have no reporting unit)
    # or 2021-2025 indicators still counted after their programme ended.
    period = svc.get_period(session, "2026")
    assert period.programme.code == "mtqg-2026-2035"
    assert periods.reporting_level(session, period).code == "commune"
    reporting = svc.reporting_units(session, period)
    assert len(reporting) == 135
    assert {u.parent.gso_code for u in reporting} == {"52"}
    old = svc.aggregate(session, svc.get_indicator(session, "GOV-C8_4"), [period])[0]
    assert old.expected == 0 and old.value is None


def test_admin_creates_2027_and_half_years_but_not_outside_programmes(session):
    # Catches: periods refused after 2025 (the old 2021-2025 bound) or a period accepted with no
    # programme, or a half-year of 2025 after the district level had ended.
    office = user(session, "admin")
    p = admin.set_period(
        session,
        office,
        code="2027",
        kind="year",
        start="2027-01-01",
        end="2027-12-31",
        deadline="2028-01-15",
    )
    assert p.programme.code == "mtqg-2026-2035" and p.counted_on is None
    h1 = admin.set_period(
        session,
        office,
        code="2026-H1",
        kind="half",
        start="2026-01-01",
        end="2026-06-30",
        deadline="2026-07-15",
    )
    assert h1.programme.code == "mtqg-2026-2035"
    with pytest.raises(ValidationError) as err:
        admin.set_period(
            session,
            office,
            code="2036",
            kind="year",
            start="2036-01-01",
            end="2036-12-31",
            deadline="2037-01-15",
        )
    assert "chương trình" in str(err.value.errors)
    with pytest.raises(ValidationError) as err:
        admin.set_period(
            session,
            office,
            code="2025-H2",
            kind="half",
            start="2025-07-01",
            end="2025-12-31",
            deadline="2026-01-15",
        )
    assert "kết thúc" in str(err.value.errors)


def test_commune_editor_writes_only_its_commune_after_the_reform(session, ind_2026):
    # Catches: commune editors scoped like district editors (writing neighbours) or refused
    # their own commune.
    editor = user(session, "editor-23590")
    assert editor.unit.valid_from == TWO_TIER
    bien_ho = unit(session, "23590", TWO_TIER)
    values.set_value(
        session,
        editor,
        indicator_code="T-2026",
        unit_id=bien_ho.id,
        period_code="2026",
        raw={"value": "true"},
    )
    other = unit(session, "21583", TWO_TIER)  # Phường Quy Nhơn
    with pytest.raises(PermissionDenied):
        values.set_value(
            session,
            editor,
            indicator_code="T-2026",
            unit_id=other.id,
            period_code="2026",
            raw={"value": "true"},
        )
    # Its 2026 figure counts it; the province figure counts the 135 units.
    fig = svc.aggregate(session, ind_2026, [svc.get_period(session, "2026")])[0]
    assert (fig.numerator, fig.expected, fig.reported) == (1, 135, 1)


def test_former_district_editor_cannot_write_2026_records(session, ind_2026):
    # Catches: a district account keeping write access after its district ceased to exist.
    editor = user(session, "editor-622")  # Thành phố Pleiku, ended 30/6/2025
    old_commune = unit(session, "23590", dt.date(2025, 6, 30))
    new_commune = unit(session, "23590", TWO_TIER)
    with pytest.raises(PermissionDenied):
        values.set_value(
            session,
            editor,
            indicator_code="T-2026",
            unit_id=new_commune.id,
            period_code="2026",
            raw={"value": "true"},
        )
    # Its 2021-2025 records stay writable (2024: no report locks it in the demo).
    values.set_value(
        session,
        editor,
        indicator_code="GOV-C8_4",
        unit_id=old_commune.id,
        period_code="2024",
        raw={"value": "false"},
    )
    # A registry row of the old commune dated after its end is refused.
    with pytest.raises(ValidationError):
        registries.create_row(
            session,
            editor,
            "cooperatives",
            old_commune.id,
            {
                "name": "HTX thử",
                "established_on": "2026-02-01",
                "dissolved_on": "",
                "members": "12",
            },
        )


def test_commune_submits_and_province_approver_approves(session, ind_2026):
    # Catches: reports for 2026 still requiring a district, or the approver role unable to
    # decide (or able to write records).
    editor, approver = user(session, "editor-23590"), user(session, "approver")
    report = workflow.transition(session, editor, "submit", "23590", "2026")
    assert report.district.gso_code == "23590" and report.status == "submitted"
    assert workflow.transition(session, approver, "approve", "23590", "2026").status == "approved"
    with pytest.raises(PermissionDenied):
        workflow.transition(session, approver, "reopen", "23590", "2026", reason="x")
    with pytest.raises(PermissionDenied):
        values.set_value(
            session,
            approver,
            indicator_code="T-2026",
            unit_id=unit(session, "23590", TWO_TIER).id,
            period_code="2026",
            raw={"value": "true"},
        )
    # A district cannot report for 2026, and a new commune cannot report for 2025.
    with pytest.raises(ValidationError):
        workflow.transition(session, user(session, "admin"), "submit", "622", "2026")
    with pytest.raises(ValidationError):
        workflow.transition(session, user(session, "admin"), "submit", "23590", "2025")


def test_merged_units_registry_rows_count_for_the_successor(session):
    # Catches: rows of a merged commune vanishing from later figures (Tân Sơn's cooperative
    # after 1/11/2024, then the old Biển Hồ's after 1/7/2025), or counted twice.
    commune = session.scalar(sa.select(Level).where(Level.code == "commune"))
    counter = Indicator(
        code="T-COOPS",
        name_vi="Số hợp tác xã (thử)",
        name_en="Cooperatives (test)",
        short_vi="HTX (thử)",
        pillar="economy",
        level=commune,
        value_type="count",
        rollup="count_rows",
        source="cooperatives",
        valid_from=dt.date(2021, 1, 1),
    )
    session.add(counter)
    session.commit()

    def counted(period_code):
        period = svc.get_period(session, period_code)
        return {
            key: fig.numerator
            for key, fig in svc.aggregate(session, counter, [period], by_district=True)
        }

    tan_son = unit(session, "23593", dt.date(2024, 1, 1))
    old_bien_ho = unit(session, "23590", dt.date(2025, 6, 30))
    new_bien_ho = unit(session, "23590", TWO_TIER)
    before = {code: counted(code) for code in ("2023", "2025", "2026")}
    office = user(session, "admin")
    row = registries.create_row(
        session,
        office,
        "cooperatives",
        tan_son.id,
        {
            "name": "HTX Tân Sơn thử",
            "established_on": "2022-03-01",
            "dissolved_on": "",
            "members": "20",
        },
    )
    session.commit()
    after = {code: counted(code) for code in ("2023", "2025", "2026")}
    pleiku = old_bien_ho.parent.id
    # 2023 and 2025: in Pleiku (under Tân Sơn, then under the old Biển Hồ).
    assert after["2023"][pleiku] == before["2023"][pleiku] + 1
    assert after["2025"][pleiku] == before["2025"][pleiku] + 1
    # 2026: communes report; the row counts for the new Biển Hồ only.
    assert after["2026"][new_bien_ho.id] == (before["2026"].get(new_bien_ho.id) or 0) + 1
    changed = {k for k in after["2026"] if after["2026"][k] != before["2026"].get(k)}
    assert changed == {new_bien_ho.id}
    # The records list it under the unit it counts for, and it stays stored as reported.
    frame = svc.records(session, counter, svc.get_period(session, "2025"))
    listed = frame[frame.apply(lambda r: "HTX Tân Sơn thử" in r.astype(str).to_list(), axis=1)]
    assert set(listed.iloc[:, 2]) == {"Xã Biển Hồ"}
    assert session.get(Cooperative, row.id).unit_id == tan_son.id


def test_a_units_report_locks_its_records_only(session, ind_2026):
    # Catches: a lock read off any unit's report of the period instead of the reporting unit's
    # own (one commune's submission locking every commune).
    bien_ho, quy_nhon = user(session, "editor-23590"), user(session, "editor-21583")
    workflow.transition(session, bien_ho, "submit", "23590", "2026")
    values.set_value(
        session,
        quy_nhon,
        indicator_code="T-2026",
        unit_id=unit(session, "21583", TWO_TIER).id,
        period_code="2026",
        raw={"value": "true"},
    )
    with pytest.raises(PermissionDenied) as err:
        values.set_value(
            session,
            bien_ho,
            indicator_code="T-2026",
            unit_id=unit(session, "23590", TWO_TIER).id,
            period_code="2026",
            raw={"value": "true"},
        )
    assert "Xã Biển Hồ" in err.value.message


def test_sentences_about_reports_name_the_units_that_report(session):
    """Catches "0/135 huyện đã gửi" for 2026, when the communes and wards report, and the
    2021-2025 sentences losing their districts."""
    p2026 = svc.get_period(session, "2026")
    p2024 = svc.get_period(session, "2024")
    assert workflow.approval(session, p2026).note == (
        "Gồm số liệu chưa phê duyệt (135/135 xã, phường chưa được phê duyệt báo cáo)."
    )
    assert "0/135 xã, phường đã gửi" in workflow.progress_summary(session, p2026)
    assert "/17 huyện đã gửi" in workflow.progress_summary(session, p2024)
    ind = svc.get_indicator(session, "GOV-C8_4")
    figure = svc.compute(session, ind, p2024, approved_only=True)
    assert " huyện đã phê duyệt" in figure.coverage
