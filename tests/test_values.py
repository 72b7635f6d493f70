"""Writing values: bad input gets a Vietnamese message at its field and changes nothing."""

import pytest
import sqlalchemy as sa

from dashboard.errors import Conflict, ValidationError
from dashboard.models import AuditLog, IndicatorValue, OrgUnit, Period, User
from dashboard.services import indicators as svc
from dashboard.services import values

pytestmark = pytest.mark.db


@pytest.fixture
def editor(session):
    return session.scalar(sa.select(User).where(User.username == "editor-622"))


@pytest.fixture
def tan_son(session):
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))


@pytest.fixture
def pleiku(session):
    return svc.district_by_code(session, "622")


def snapshot(session):
    rows = session.execute(
        sa.select(
            IndicatorValue.id,
            IndicatorValue.value_bool,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.value_num,
        )
    ).all()
    return sorted(rows), session.scalar(sa.select(sa.func.count(AuditLog.id)))


def stored(session, code, unit_id, period="2023"):
    ind = svc.get_indicator(session, code)
    per = svc.get_period(session, period)
    return session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.unit_id == unit_id,
            IndicatorValue.period_id == per.id,
        )
    )


def test_editor_sets_a_commune_value_and_it_is_audited(session, editor, tan_son):
    before = stored(session, "GOV-C8_4", tan_son.id).value_bool
    value = values.set_value(
        session,
        editor,
        indicator_code="GOV-C8_4",
        unit_id=tan_son.id,
        period_code="2023",
        raw={"value": "true"},
    )
    assert value.value_bool is True and before is False
    assert value.updated_by_id == editor.id and value.updated_at is not None
    entry = session.scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
    assert (entry.username, entry.unit_id, entry.indicator_code, entry.period_code) == (
        "editor-622",
        tan_son.id,
        "GOV-C8_4",
        "2023",
    )
    assert '"value_bool": false' in entry.before and '"value_bool": true' in entry.after


@pytest.mark.parametrize(
    ("code", "raw", "field", "message"),
    [
        (
            "GOV-DOSSIER-COMM",
            {"numerator": "nhiều", "denominator": "100"},
            "numerator",
            "phải là số",
        ),
        (
            "GOV-DOSSIER-COMM",
            {"numerator": "-5", "denominator": "100"},
            "numerator",
            "không được âm",
        ),
        (
            "GOV-DOSSIER-COMM",
            {"numerator": "120", "denominator": "100"},
            "numerator",
            "không được lớn hơn tổng số hồ sơ",
        ),
        ("GOV-DOSSIER-COMM", {"numerator": "1,5", "denominator": "100"}, "numerator", "số nguyên"),
        ("GOV-DOSSIER-COMM", {"numerator": "", "denominator": "100"}, "numerator", "Vui lòng nhập"),
        ("GOV-C8_4", {"value": "có lẽ"}, "value", "không hợp lệ"),
    ],
)
def test_bad_input_is_refused_at_its_field(session, editor, tan_son, code, raw, field, message):
    before = snapshot(session)
    with pytest.raises(ValidationError) as err:
        values.set_value(
            session, editor, indicator_code=code, unit_id=tan_son.id, period_code="2023", raw=raw
        )
    assert message in err.value.errors[field]
    session.rollback()
    assert snapshot(session) == before


def test_share_above_100_percent_is_refused(session, editor, pleiku):
    with pytest.raises(ValidationError) as err:
        values.set_value(
            session,
            editor,
            indicator_code="GOV-TRAINING",
            unit_id=pleiku.id,
            period_code="2023",
            raw={"numerator": "90", "denominator": "80"},
        )
    assert "100%" in err.value.errors["numerator"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"indicator_code": "NOPE"}, "indicator", "Không tìm thấy chỉ tiêu"),
        ({"indicator_code": "ECO-COOP"}, "indicator", "sổ theo dõi"),
        ({"period_code": "2019"}, "period", "không thuộc chương trình"),
        ({"period_code": "abc"}, "period", "không thuộc chương trình"),
        ({"unit_id": 999999}, "unit", "Không tìm thấy đơn vị"),
        ({"unit_id": "x"}, "unit", "Không tìm thấy đơn vị"),
    ],
)
def test_unknown_references_are_refused(session, editor, tan_son, changes, field, message):
    args = {
        "indicator_code": "GOV-C8_4",
        "unit_id": tan_son.id,
        "period_code": "2023",
        "raw": {"value": "true"},
    }
    args.update(changes)
    before = snapshot(session)
    with pytest.raises(ValidationError) as err:
        values.set_value(session, editor, **args)
    assert message in err.value.errors[field]
    session.rollback()
    assert snapshot(session) == before


def test_period_outside_programme_is_refused(session, editor, tan_son):
    import datetime as dt

    session.add(
        Period(
            code="2026",
            kind="year",
            year=2026,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
    )
    session.commit()
    with pytest.raises(ValidationError) as err:
        values.set_value(
            session,
            editor,
            indicator_code="GOV-C8_4",
            unit_id=tan_son.id,
            period_code="2026",
            raw={"value": "true"},
        )
    assert "2021-2025" in err.value.errors["period"]


def test_unit_must_exist_in_the_period_and_fit_the_level(session, editor, tan_son, pleiku):
    with pytest.raises(ValidationError) as err:  # Tân Sơn was merged into Biển Hồ in 2024
        values.set_value(
            session,
            editor,
            indicator_code="GOV-C8_4",
            unit_id=tan_son.id,
            period_code="2025",
            raw={"value": "true"},
        )
    assert "không tồn tại" in err.value.errors["unit"]
    with pytest.raises(ValidationError) as err:  # 8.4 is a commune indicator
        values.set_value(
            session,
            editor,
            indicator_code="GOV-C8_4",
            unit_id=pleiku.id,
            period_code="2023",
            raw={"value": "true"},
        )
    assert "cấp" in err.value.errors["unit"]


def test_stale_version_is_a_conflict(session, editor, tan_son):
    current = stored(session, "GOV-C8_4", tan_son.id)
    with pytest.raises(Conflict):
        values.set_value(
            session,
            editor,
            indicator_code="GOV-C8_4",
            unit_id=tan_son.id,
            period_code="2023",
            raw={"value": "true"},
            expected_version=current.version + 1,
        )
    session.rollback()
    assert stored(session, "GOV-C8_4", tan_son.id).value_bool is False


def test_vietnamese_number_formats_are_understood(session, editor, tan_son):
    value = values.set_value(
        session,
        editor,
        indicator_code="GOV-DOSSIER-COMM",
        unit_id=tan_son.id,
        period_code="2023",
        raw={"numerator": "1.200", "denominator": "2.000"},
    )
    assert (value.numerator, value.denominator) == (1200, 2000)
