"""Reporting rounds: transitions, who may make them, locks, lost updates, completeness."""

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.errors import Conflict, PermissionDenied, ValidationError
from dashboard.models import AuditLog, Cooperative, DistrictReport, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import registries, values, workflow

pytestmark = pytest.mark.db


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def commune(session, code="23593"):
    """The commune with this code in the district structure (its first version)."""
    return session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == code).order_by(OrgUnit.valid_from).limit(1)
    )


def test_full_round_submit_return_submit_approve_reopen(session):
    editor, admin = user(session, "editor-622"), user(session, "admin")
    assert (
        workflow.status_of(
            session, svc.district_by_code(session, "622").id, svc.get_period(session, "2023").id
        )
        == "draft"
    )
    assert workflow.transition(session, editor, "submit", "622", "2023").status == "submitted"
    report = workflow.transition(session, admin, "return", "622", "2023", reason="Thiếu số liệu")
    assert (report.status, report.reason) == ("returned", "Thiếu số liệu")
    assert workflow.transition(session, editor, "submit", "622", "2023").status == "submitted"
    assert workflow.transition(session, admin, "approve", "622", "2023").status == "approved"
    assert (
        workflow.transition(session, admin, "reopen", "622", "2023", reason="Điều chỉnh").status
        == "draft"
    )
    actions = session.scalars(
        sa.select(AuditLog.action).where(AuditLog.entity == "district_report").order_by(AuditLog.id)
    ).all()
    assert actions == [
        "report.submit",
        "report.return",
        "report.submit",
        "report.approve",
        "report.reopen",
    ]


@pytest.mark.parametrize(
    ("username", "action", "district"),
    [
        ("viewer", "submit", "622"),
        ("editor-622", "submit", "633"),
        ("editor-622", "approve", "622"),
        ("editor-622", "return", "622"),
        ("editor-622", "reopen", "622"),
        ("viewer", "approve", "622"),
    ],
)
def test_who_may_make_a_transition(session, username, action, district):
    if action != "submit":
        workflow.transition(
            session, user(session, f"editor-{district}"), "submit", district, "2023"
        )
    with pytest.raises(PermissionDenied):
        workflow.transition(session, user(session, username), action, district, "2023", reason="x")


@pytest.mark.parametrize(
    ("action", "field"),
    [("approve", "status"), ("return", "status"), ("reopen", "status")],
)
def test_transitions_follow_the_state_machine(session, action, field):
    before = session.scalar(sa.select(sa.func.count(DistrictReport.id)))
    with pytest.raises(ValidationError) as err:  # a draft cannot be approved, returned, reopened
        workflow.transition(session, user(session, "admin"), action, "622", "2023", reason="x")
    assert field in err.value.errors
    assert session.scalar(sa.select(sa.func.count(DistrictReport.id))) == before


def test_return_and_reopen_need_a_reason(session):
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2023")
    with pytest.raises(ValidationError) as err:
        workflow.transition(session, user(session, "admin"), "return", "622", "2023", reason=" ")
    assert "lý do" in err.value.errors["reason"]


def test_expected_status_guards_against_lost_updates(session):
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2023")
    with pytest.raises(Conflict):
        workflow.transition(
            session, user(session, "admin"), "approve", "622", "2023", expected_status="draft"
        )


def test_unknown_district_or_period(session):
    with pytest.raises(ValidationError):
        workflow.transition(session, user(session, "admin"), "approve", "999", "2023")
    with pytest.raises(ValidationError):
        workflow.transition(session, user(session, "admin"), "approve", "622", "2099")


def test_submitted_period_is_locked_for_editors_not_for_admin(session):
    editor, admin = user(session, "editor-622"), user(session, "admin")
    unit = commune(session)
    workflow.transition(session, editor, "submit", "622", "2023")
    with pytest.raises(PermissionDenied) as err:
        values.set_value(
            session,
            editor,
            indicator_code="GOV-C8_4",
            unit_id=unit.id,
            period_code="2023",
            raw={"value": "true"},
        )
    assert "đã khóa" in err.value.message
    # Other open periods stay open (2024: Tân Sơn had merged into Biển Hồ by then).
    values.set_value(
        session,
        editor,
        indicator_code="GOV-C8_4",
        unit_id=commune(session, "23590").id,
        period_code="2024",
        raw={"value": "true"},
    )
    # The closed 2021 and 2022 rounds (approved in the demo data) are locked too.
    with pytest.raises(PermissionDenied):
        values.set_value(
            session,
            editor,
            indicator_code="GOV-C8_4",
            unit_id=unit.id,
            period_code="2022",
            raw={"value": "true"},
        )
    # The province office may still correct.
    values.set_value(
        session,
        admin,
        indicator_code="GOV-C8_4",
        unit_id=unit.id,
        period_code="2023",
        raw={"value": "true"},
    )


def test_locked_period_locks_registry_rows_dated_in_it(session):
    editor = user(session, "editor-622")
    unit = commune(session)
    workflow.transition(session, editor, "submit", "622", "2023")
    with pytest.raises(PermissionDenied):
        registries.create_row(
            session,
            editor,
            "cooperatives",
            unit.id,
            {"name": "HTX", "established_on": "2023-05-01"},
        )
    row = registries.create_row(
        session, editor, "cooperatives", unit.id, {"name": "HTX", "established_on": "2024-05-01"}
    )
    with pytest.raises(PermissionDenied):  # moving it into the locked year is refused too
        registries.update_row(
            session,
            editor,
            "cooperatives",
            row.id,
            unit.id,
            {"name": "HTX", "established_on": "2023-05-01"},
            expected_version=row.version,
        )
    session.rollback()
    assert session.get(Cooperative, row.id).established_on == dt.date(2024, 5, 1)


def test_batch_save_is_all_or_nothing(session):
    editor = user(session, "editor-622")
    a, b = commune(session, "23590"), commune(session, "23593")
    before = [
        values.display_value(svc.get_indicator(session, "GOV-DOSSIER-COMM"), _stored(session, u.id))
        for u in (a, b)
    ]
    cells = [
        values.Cell("GOV-DOSSIER-COMM", a.id, {"numerator": "10", "denominator": "20"}, key="A"),
        values.Cell("GOV-DOSSIER-COMM", b.id, {"numerator": "30", "denominator": "20"}, key="B"),
    ]
    with pytest.raises(values.BatchError) as err:
        values.save_values(session, editor, "2023", cells)
    assert [(e.key, e.field) for e in err.value.cell_errors] == [("B", "numerator")]
    after = [
        values.display_value(svc.get_indicator(session, "GOV-DOSSIER-COMM"), _stored(session, u.id))
        for u in (a, b)
    ]
    assert after == before


def _stored(session, unit_id, code="GOV-DOSSIER-COMM", period="2023"):
    from dashboard.models import IndicatorValue

    ind, per = svc.get_indicator(session, code), svc.get_period(session, period)
    return session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.unit_id == unit_id,
            IndicatorValue.period_id == per.id,
        )
    )


def test_batch_save_twice_changes_nothing_the_second_time(session):
    editor = user(session, "editor-622")
    unit = commune(session)
    cells = [values.Cell("GOV-DOSSIER-COMM", unit.id, {"numerator": "11", "denominator": "22"})]
    assert values.save_values(session, editor, "2023", cells) == {"written": 1, "unchanged": 0}
    audits = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    assert values.save_values(session, editor, "2023", cells) == {"written": 0, "unchanged": 1}
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == audits


def test_two_editors_on_the_same_value_one_conflict_nothing_overwritten(session):
    first, second = user(session, "editor-622"), user(session, "admin")
    unit = commune(session)
    loaded = _stored(session, unit.id).version  # both loaded the same version
    values.save_values(
        session,
        first,
        "2023",
        [values.Cell("GOV-DOSSIER-COMM", unit.id, {"numerator": "5", "denominator": "10"}, loaded)],
    )
    with pytest.raises(values.BatchError) as err:
        values.save_values(
            session,
            second,
            "2023",
            [
                values.Cell(
                    "GOV-DOSSIER-COMM", unit.id, {"numerator": "7", "denominator": "10"}, loaded
                )
            ],
        )
    message = err.value.cell_errors[0].message
    assert "đã thay đổi dữ liệu này" in message and "5/10" in message
    stored = _stored(session, unit.id)
    assert (stored.numerator, stored.denominator) == (5, 10)


def test_completeness_per_district(session):
    editor = user(session, "editor-622")
    period = svc.get_period(session, "2023")
    workflow.transition(session, editor, "submit", "622", "2023")
    rows = {r.district_code: r for r in workflow.completeness(session, period)}
    assert len(rows) == 17
    pleiku = rows["622"]
    assert pleiku.status == "submitted" and pleiku.submitted_at is not None
    assert pleiku.on_time is False  # submitted now, long after 15 Jan 2024
    assert rows["633"].status == "draft" and rows["633"].on_time is None
    # The demo data fills every expected value.
    assert pleiku.expected > 0 and pleiku.filled == pleiku.expected
    assert period.deadline == dt.date(2024, 1, 15)


def test_demo_closed_rounds_are_approved(session):
    period = svc.get_period(session, "2022")
    rows = workflow.completeness(session, period)
    assert {r.status for r in rows} == {"approved"} and len(rows) == 17
    assert any(r.on_time is False for r in rows) and any(r.on_time for r in rows)


def test_approved_only_counts_approved_districts(session):
    ind = svc.get_indicator(session, "GOV-C8_4")
    p2023 = svc.get_period(session, "2023")
    assert svc.compute(session, ind, p2023).display == "95/182 xã (52,2%)"
    # No 2023 report is approved yet: there is no published figure (never 0%).
    nothing = svc.compute(session, ind, p2023, approved_only=True)
    assert nothing.value is None and not nothing.published
    assert nothing.display == "Chưa có số liệu được phê duyệt"
    assert nothing.coverage == "0/17 huyện đã phê duyệt"
    state = workflow.approval(session, p2023)
    assert (state.approved, state.total, state.includes_unapproved) == (0, 17, True)
    editor, admin = user(session, "editor-622"), user(session, "admin")
    workflow.transition(session, editor, "submit", "622", "2023")
    workflow.transition(session, admin, "approve", "622", "2023")
    pleiku = svc.district_by_code(session, "622")
    pleiku_figure = svc.compute(session, ind, p2023, pleiku.id)
    published = svc.compute(session, ind, p2023, approved_only=True)
    # Numerator and denominator over the approved district's communes only.
    assert (published.numerator, published.denominator) == (
        pleiku_figure.numerator,
        pleiku_figure.denominator,
    )
    assert published.display == pleiku_figure.display
    assert published.coverage.startswith("1/17 huyện đã phê duyệt · ")
    frame = svc.by_district(session, ind, p2023, approved_only=True).set_index("district_code")
    assert frame.loc["622", "numerator"] == pleiku_figure.numerator
    assert (
        frame.loc["633", "value"] is None or frame.loc["633", "value"] != frame.loc["633", "value"]
    )
    assert frame.loc["633", "display"] == "Chưa có số liệu được phê duyệt"
    assert "1/17" in workflow.approval(session, p2023, approved_only=True).note
    # The closed 2022 round is fully published.
    p2022 = svc.get_period(session, "2022")
    assert (
        svc.compute(session, ind, p2022, approved_only=True).display
        == svc.compute(session, ind, p2022).display
    )
    # Registry figures too: plans of unapproved districts do not count in 2023.
    plans = svc.get_indicator(session, "GOV-PLAN")
    plans_published = svc.compute(session, plans, p2023, approved_only=True)
    assert plans_published.display == "1/1 huyện (100%)"
    assert plans_published.coverage.startswith("1/17 huyện đã phê duyệt")


# --- deadlines: overdue, days late, in Vietnam time ---------------------------------------------


def _submit_at(session, district: str, period: str, moment: dt.datetime) -> None:
    """Submit the district's report, then set its submission time (stored as naive UTC)."""
    report = workflow.transition(
        session, user(session, f"editor-{district}"), "submit", district, period
    )
    report.submitted_at = moment
    session.commit()


def test_overdue_and_days_late_against_a_fixed_today(session):
    """Catches unsubmitted reports never flagged overdue after the deadline, days counted from
    the wrong end, and a late submission reported as on time (or the reverse)."""
    period = svc.get_period(session, "2025")
    assert period.deadline == dt.date(2026, 1, 15)
    _submit_at(session, "633", "2025", dt.datetime(2026, 1, 20, 3, 0))  # 10:00 on 20/01 in Vietnam
    _submit_at(session, "623", "2025", dt.datetime(2026, 1, 10, 2, 0))  # before the deadline
    workflow.transition(session, user(session, "editor-624"), "submit", "624", "2025")
    workflow.transition(session, user(session, "admin"), "return", "624", "2025", reason="Thiếu")
    rows = {
        r.district_code: r
        for r in workflow.completeness(session, period, today=dt.date(2026, 1, 25))
    }
    draft = rows["622"]
    assert (draft.status, draft.overdue, draft.days_late, draft.on_time) == (
        "draft",
        True,
        10,
        None,
    )
    late = rows["633"]
    assert (late.timing.state, late.days_late, late.overdue, late.on_time) == (
        "late",
        5,
        False,
        False,
    )
    assert (rows["623"].timing.state, rows["623"].days_late) == ("on_time", None)
    # A returned report must be sent again: it is overdue like a draft.
    assert (rows["624"].status, rows["624"].overdue, rows["624"].days_late) == (
        "returned",
        True,
        10,
    )
    assert sum(r.overdue for r in rows.values()) == 15
    # Before the deadline nothing is overdue; the days left are counted.
    early = {
        r.district_code: r
        for r in workflow.completeness(session, period, today=dt.date(2026, 1, 12))
    }
    assert not any(r.overdue for r in early.values())
    assert (early["622"].timing.state, early["622"].timing.days_left) == ("due", 3)
    on_the_day = workflow.completeness(session, period, today=dt.date(2026, 1, 15))
    assert not any(r.overdue for r in on_the_day)


@pytest.mark.parametrize(
    ("utc", "state", "days"),
    [
        (dt.datetime(2026, 1, 15, 16, 30), "on_time", None),  # 23:30 on the 15th in Vietnam
        (dt.datetime(2026, 1, 15, 17, 30), "late", 1),  # 00:30 on the 16th in Vietnam
    ],
)
def test_deadline_day_is_a_day_in_vietnam(session, utc, state, days):
    """Catches the submission day taken in UTC: sent at 00:30 on 16/01 in Vietnam is late
    although it is still the 15th in UTC."""
    _submit_at(session, "622", "2025", utc)
    period = svc.get_period(session, "2025")
    row = next(
        r
        for r in workflow.completeness(session, period, today=dt.date(2026, 2, 1))
        if r.district_code == "622"
    )
    assert (row.timing.state, row.days_late) == (state, days)


def test_today_in_vietnam_is_utc_plus_7():
    """Catches "today" taken from the server's clock or UTC: 18:00 UTC is already tomorrow."""
    assert workflow.today_in_vietnam(dt.datetime(2026, 1, 15, 18, 0, tzinfo=dt.UTC)) == dt.date(
        2026, 1, 16
    )
    assert workflow.today_in_vietnam(dt.datetime(2026, 1, 15, 16, 59, tzinfo=dt.UTC)) == dt.date(
        2026, 1, 15
    )


def test_progress_table_and_summary_show_deadline_overdue_and_days_late(session):
    """Catches a progress table (page and downloads) without the deadline column, the overdue
    flag or the days late, days shown as `10.0`, or a summary that does not count overdue
    districts."""
    period = svc.get_period(session, "2025")
    _submit_at(session, "633", "2025", dt.datetime(2026, 1, 20, 3, 0))
    today = dt.date(2026, 1, 25)
    frame = workflow.progress_frame(session, period, today=today).set_index("Mã")
    assert list(frame.columns) == [
        "Huyện",
        "Trạng thái",
        "Đúng hạn / trễ hạn",
        "Số ngày trễ",
        "Hạn nộp",
        "Thời điểm gửi",
        "Đã nhập",
        "Lý do",
    ]
    assert frame.loc["622", "Hạn nộp"] == "15/01/2026"
    assert frame.loc["622", "Đúng hạn / trễ hạn"] == "Quá hạn"
    assert frame.loc["622", "Số ngày trễ"] == 10 and isinstance(
        frame.loc["622", "Số ngày trễ"], int
    )
    assert frame.loc["633", "Đúng hạn / trễ hạn"] == "Trễ hạn"
    assert frame.loc["633", "Số ngày trễ"] == 5
    assert frame.loc["633", "Thời điểm gửi"] == "10:00 20/01/2026"  # Vietnam time
    summary = workflow.progress_summary(session, period, today=today)
    assert "1/17 huyện đã gửi" in summary
    assert "Hạn nộp 15/01/2026 (tính đến ngày 25/01/2026): 16/17 huyện quá hạn chưa gửi" in summary
    assert "1/17 huyện gửi trễ hạn" in summary
    before = workflow.progress_frame(session, period, today=dt.date(2026, 1, 12)).set_index("Mã")
    assert before.loc["622", "Đúng hạn / trễ hạn"] == "Chưa gửi, còn 3 ngày"
    assert before.loc["622", "Số ngày trễ"] is None
