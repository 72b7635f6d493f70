"""Writing values: bad input gets a Vietnamese message at its field and changes nothing."""

import pytest
import sqlalchemy as sa

from dashboard.errors import Conflict, PermissionDenied, ValidationError
from dashboard.models import AuditLog, IndicatorValue, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import values, workflow

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


def test_indicator_outside_its_validity_is_refused(session, tan_son):
    # Catches: a 2021-2025 indicator written for a 2026 period (the engine enforcing validity),
    # even by the office, which writes everywhere.
    office = session.scalar(sa.select(User).where(User.username == "admin"))
    with pytest.raises(ValidationError) as err:
        values.set_value(
            session,
            office,
            indicator_code="GOV-C8_4",
            unit_id=tan_son.id,
            period_code="2026",
            raw={"value": "true"},
        )
    assert "không áp dụng cho kỳ 2026" in err.value.errors["period"]


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


def test_decimal_comma_after_grouped_thousands_is_understood():
    """Catches `1.234,5` (a Vietnamese number with both separators) refused as "not a number",
    and `15.085` read as fifteen point something."""
    from dashboard.services.parsing import parse_number

    assert parse_number("1.234,5", "x") == 1234.5
    assert parse_number("15.085", "x", integer=True) == 15085
    assert parse_number("12,5", "x") == 12.5
    assert parse_number("1.234.567", "x", integer=True) == 1234567


# --- 0/0 ---------------------------------------------------------------------------------------


def test_zero_denominator_is_refused_with_a_clear_message(session, editor, tan_son):
    """Catches a ratio accepted as 0/0 (a share of nothing, which the figures then divide by):
    the denominator field gets a Vietnamese message and nothing is written."""
    before = snapshot(session)
    for raw in ({"numerator": "0", "denominator": "0"}, {"numerator": "", "denominator": "0"}):
        with pytest.raises(ValidationError) as err:
            values.set_value(
                session,
                editor,
                indicator_code="GOV-DOSSIER-COMM",
                unit_id=tan_son.id,
                period_code="2023",
                raw=raw,
            )
        assert "phải lớn hơn 0" in err.value.errors["denominator"]
        session.rollback()
    assert snapshot(session) == before


def test_zero_denominator_is_refused_in_a_batch(session, editor, tan_son):
    """Catches the grid's path (`save_values`, all or nothing) letting 0/0 through."""
    version = stored(session, "GOV-DOSSIER-COMM", tan_son.id).version
    before = snapshot(session)
    cell = values.Cell(
        "GOV-DOSSIER-COMM", tan_son.id, {"numerator": 0, "denominator": 0}, version, key="1:f5"
    )
    with pytest.raises(values.BatchError) as err:
        values.save_values(session, editor, "2023", [cell], require_versions=True)
    [problem] = err.value.cell_errors
    assert (problem.key, problem.field) == ("1:f5", "denominator")
    assert "phải lớn hơn 0" in problem.message
    assert snapshot(session) == before


# --- clearing a value --------------------------------------------------------------------------


def clear(session, user, unit_id, version, code="GOV-C8_4", period="2023"):
    return values.clear_value(
        session,
        user,
        indicator_code=code,
        unit_id=unit_id,
        period_code=period,
        expected_version=version,
    )


def test_clearing_deletes_the_value_audited_and_the_unit_counts_as_not_reported(
    session, editor, tan_son
):
    """Catches a clear that leaves the row (or a null row counted as reported), or that
    writes no audit row with what the value was."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    period = svc.get_period(session, "2023")
    figure = svc.compute(session, ind, period)
    value = stored(session, "GOV-C8_4", tan_son.id)
    assert value is not None and value.value_bool is False
    value_id = value.id
    audits = session.scalar(sa.select(sa.func.count(AuditLog.id)))

    assert clear(session, editor, tan_son.id, value.version) is True

    session.expire_all()
    assert stored(session, "GOV-C8_4", tan_son.id) is None
    after = svc.compute(session, ind, period)
    assert after.reported == figure.reported - 1
    assert after.expected == figure.expected
    assert after.numerator == figure.numerator  # it did not meet 8.4: the numerator stays
    assert after.denominator == figure.denominator - 1
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == audits + 1
    entry = session.scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
    assert (entry.action, entry.entity_id, entry.username) == (
        "value.clear",
        value_id,
        "editor-622",
    )
    assert (entry.unit_id, entry.indicator_code, entry.period_code) == (
        tan_son.id,
        "GOV-C8_4",
        "2023",
    )
    assert '"value_bool": false' in entry.before
    assert entry.after in (None, "null")


def test_clearing_nothing_changes_nothing(session, editor, tan_son):
    """Catches a clear of an empty cell (nothing stored, nothing seen) that writes an audit
    row or fails."""
    session.delete(stored(session, "GOV-C8_4", tan_son.id))
    session.commit()
    before = snapshot(session)
    assert clear(session, editor, tan_son.id, 0) is False
    assert snapshot(session) == before


def test_clearing_another_districts_value_is_refused(session, editor):
    """Catches a clear that skips the scope check set_value makes (Pleiku's editor clearing a
    Chư Sê commune's value)."""
    chu_se = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23944"))
    value = stored(session, "GOV-C8_4", chu_se.id)
    before = snapshot(session)
    with pytest.raises(PermissionDenied) as err:
        clear(session, editor, chu_se.id, value.version)
    assert "không có quyền" in err.value.message
    session.rollback()
    assert snapshot(session) == before


def test_clearing_in_a_submitted_period_is_refused_to_the_editor_not_the_admin(
    session, editor, tan_son
):
    """Catches a clear that skips the lock (a submitted report's values deleted by the
    district), and an admin wrongly refused (the office may, audited)."""
    workflow.transition(session, editor, "submit", "622", "2023")
    value = stored(session, "GOV-C8_4", tan_son.id)
    before = snapshot(session)
    with pytest.raises(PermissionDenied) as err:
        clear(session, editor, tan_son.id, value.version)
    assert "đã khóa" in err.value.message
    session.rollback()
    assert snapshot(session) == before
    admin = session.scalar(sa.select(User).where(User.username == "admin"))
    assert clear(session, admin, tan_son.id, value.version) is True
    assert stored(session, "GOV-C8_4", tan_son.id) is None


@pytest.mark.parametrize("version", [None, "1", -1, "stale"])
def test_clearing_needs_the_version_seen(session, editor, tan_son, version):
    """Catches a clear without the version its user saw (or an old one) deleting a value
    someone else changed meanwhile: a missing version is refused, a stale one is a conflict
    naming the current value."""
    value = stored(session, "GOV-C8_4", tan_son.id)
    if version == "stale":
        version = value.version - 1 if value.version > 1 else value.version + 1
    before = snapshot(session)
    expected = Conflict if isinstance(version, int) and version >= 0 else ValidationError
    with pytest.raises(expected) as err:
        clear(session, editor, tan_son.id, version)
    if expected is Conflict:
        assert "đã thay đổi dữ liệu này" in err.value.message
        assert "Không đạt" in err.value.message
    session.rollback()
    assert snapshot(session) == before


def test_clearing_and_setting_in_one_batch(session, editor, tan_son, pleiku):
    """Catches a batch with a clear that writes the other cells but not the clear (or the
    reverse): both happen, one audit row each."""
    c84 = stored(session, "GOV-C8_4", tan_son.id)
    training = stored(session, "GOV-TRAINING", pleiku.id)
    cells = [
        values.Cell("GOV-C8_4", tan_son.id, {}, c84.version, key="a", clear=True),
        values.Cell(
            "GOV-TRAINING",
            pleiku.id,
            {"numerator": "1", "denominator": training.denominator},
            training.version,
            key="b",
        ),
    ]
    audits = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    counts = values.save_values(session, editor, "2023", cells, require_versions=True)
    assert counts == {"written": 2, "unchanged": 0}
    assert stored(session, "GOV-C8_4", tan_son.id) is None
    assert stored(session, "GOV-TRAINING", pleiku.id).numerator == 1
    actions = session.scalars(
        sa.select(AuditLog.action).order_by(AuditLog.id.desc()).limit(2)
    ).all()
    assert sorted(actions) == ["value.clear", "value.set"]
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == audits + 2


def test_clear_racing_a_change_of_the_same_value_is_a_conflict(
    app, session, editor, tan_son, monkeypatch
):
    """Catches a clear that deletes a value someone changed at the same moment (after the
    clear read it): the delete is checked against the version read, so the clear loses with
    the winner's value, not a 500 and not a lost update."""
    from sqlalchemy import orm as so

    value = stored(session, "GOV-C8_4", tan_son.id)
    seen = value.version

    def rival():
        with so.Session(app.extensions["db"].engine, expire_on_commit=False) as other:
            admin = other.scalar(sa.select(User).where(User.username == "admin"))
            values.set_value(
                other,
                admin,
                indicator_code="GOV-C8_4",
                unit_id=tan_son.id,
                period_code="2023",
                raw={"value": "true"},
                expected_version=seen,
            )

    original = values._prepare
    state = {"done": False}

    def prepare_then_rival(*args, **kwargs):
        result = original(*args, **kwargs)
        if not state["done"]:
            state["done"] = True
            rival()
        return result

    monkeypatch.setattr(values, "_prepare", prepare_then_rival)
    with pytest.raises(Conflict) as err:
        clear(session, editor, tan_son.id, seen)
    assert "Đạt" in err.value.message
    session.expire_all()
    after = stored(session, "GOV-C8_4", tan_son.id)
    assert after is not None and after.value_bool is True and after.version == seen + 1
    assert session.scalar(sa.select(AuditLog).where(AuditLog.action == "value.clear")) is None
