"""Dated pilot statuses: a period's figures, charts and tables count the status in force on its
count date; decisions are recorded through one service, authorized, validated and audited;
the figure cells follow them; the migration gives existing pilots a history."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.db import make_engine
from dashboard.errors import PermissionDenied, ValidationError
from dashboard.migrate import alembic_config, upgrade
from dashboard.models import AuditLog, OrgUnit, PilotModel, PilotStatus, User
from dashboard.services import aggregates, audit, pilot_status, registries, workflow
from dashboard.services import indicators as svc
from tests.test_aggregates import assert_current

pytestmark = pytest.mark.db

BIEN_HO_PILOT = "Xã nông thôn mới thông minh Biển Hồ"


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def bien_ho(session) -> PilotModel:
    return session.scalar(sa.select(PilotModel).where(PilotModel.name == BIEN_HO_PILOT))


def figure(session, code: str, period: str, district_id=None):
    ind = svc.get_indicator(session, code)
    return svc.compute(session, ind, svc.get_period(session, period), district_id)


def pleiku_commune(session, name: str = "Xã Biển Hồ") -> OrgUnit:
    return session.scalar(
        sa.select(OrgUnit).where(OrgUnit.name == name, OrgUnit.valid_on(dt.date(2023, 12, 31)))
    )


def new_smart_commune(session, actor: User, unit: OrgUnit, proposed_on: str) -> PilotModel:
    return registries.create_row(
        session,
        actor,
        "pilot_models",
        unit.id,
        {
            "name": f"Xã NTM thông minh {unit.name}",
            "model_type": "smart_commune",
            "field": "tourism",
            "proposed_on": proposed_on,
        },
    )


def state(session, pilot_id: int) -> tuple:
    """What a refused decision must leave alone: the decisions, the pilot's status copy and
    version, the audit trail and the data version."""
    session.rollback()
    session.expire_all()
    pilot = session.get(PilotModel, pilot_id)
    decisions = [(d.status, d.decided_on, d.decision_number) for d in pilot.decisions]
    trail = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    return decisions, pilot.status, pilot.version, trail, aggregates.version(session)


# --- the rule -----------------------------------------------------------------------------------


def test_a_year_counts_the_status_in_force_on_its_count_date_not_todays(session):
    """Catches the approved-smart-commune figure reading today's status: a commune proposed in
    2022 and approved in 2024 would count in 2022 and 2023 too, and Biển Hồ (proposed in
    November 2022, approved in April 2023) in 2022."""
    admin = user(session, "admin")
    pilot = new_smart_commune(session, admin, pleiku_commune(session, "Xã Gào"), "2022-03-01")
    pilot_status.record_status(
        session, admin, pilot.id, "approved", "2024-02-01", "12/QĐ-UBND", "Phê duyệt"
    )
    session.expire_all()
    assert session.get(PilotModel, pilot.id).status == "approved"  # today's status
    assert figure(session, "PILOT-SMART", "2022").value == 0  # both only proposed then
    assert figure(session, "PILOT-SMART", "2023").value == 1  # Biển Hồ only
    assert figure(session, "PILOT-SMART", "2024").value == 2


def test_the_records_behind_a_years_figure_are_the_pilots_approved_then(session):
    """Catches the records table under the 2023 figure listing a commune approved in 2024
    (its condition read on another period's count date)."""
    admin = user(session, "admin")
    pilot = new_smart_commune(session, admin, pleiku_commune(session, "Xã Gào"), "2022-03-01")
    pilot_status.record_status(session, admin, pilot.id, "approved", "2024-02-01", "12/QĐ")
    ind = svc.get_indicator(session, "PILOT-SMART")
    frame = svc.records(session, ind, svc.get_period(session, "2023"))
    assert list(frame["Đơn vị"]) == ["Xã Biển Hồ"]
    assert len(svc.records(session, ind, svc.get_period(session, "2024"))) == 2


def test_the_sql_rule_and_its_python_twin_agree_on_every_pilot_and_day(session):
    """Catches the two copies of "the status on a day" drifting apart (the grid and the
    unit page read the Python twin, figures and charts the SQL)."""
    days = [p.count_date for p in svc.list_periods(session)]
    days += [dt.date(2022, 11, 14), dt.date(2023, 4, 12), dt.date(2024, 1, 14)]
    pilots = session.scalars(sa.select(PilotModel)).all()
    assert pilots
    for pilot in pilots:
        for day in days:
            expected = pilot_status.status_of(pilot.decisions, day)
            assert pilot_status.status_on(session, pilot, day) == expected, (pilot.name, day)
    assert pilot_status.status_on(session, bien_ho(session), dt.date(2022, 11, 14)) is None
    assert pilot_status.status_on(session, bien_ho(session), dt.date(2023, 12, 31)) == "approved"


def test_the_status_counts_are_those_of_the_periods_count_date(session):
    """Catches the "by status" counts grouping by today's status (or counting pilots proposed
    after the count date): Biển Hồ was "proposed" at the end of 2022 and "approved" at the
    end of 2023, "implementing" today."""
    counts = {
        code: dict(registries.counts_by(session, "pilot_models", "status", period=period))
        for code in ("2022", "2023")
        if (period := svc.get_period(session, code))
    }
    assert counts == {"2022": {"proposed": 1.0}, "2023": {"approved": 1.0}}
    today = dict(registries.counts_by(session, "pilot_models", "status"))
    assert today["implementing"] >= 1 and "proposed" in today


def test_the_registry_lists_todays_status_and_every_decision(session):
    """Catches a grid that shows no history, or a status other than today's."""
    frame = registries.list_rows(session, "pilot_models")
    row = frame[frame["Tên"] == BIEN_HO_PILOT].iloc[0]
    assert row["Trạng thái"] == "Đang triển khai"
    history = row["Quyết định về trạng thái"]
    assert "Đã phê duyệt: Quyết định số 245/QĐ-UBND ngày 12/04/2023" in history
    assert history.startswith("Đề xuất: ngày 15/11/2022")


# --- recording a decision -----------------------------------------------------------------------


def test_the_pilots_editor_records_a_decision_audited_and_in_step(session):
    """Catches a decision that is not audited, leaves the pilot's status copy behind, or keeps
    the pilot marked as demo data (a reset would then delete the user's decision)."""
    editor = user(session, "editor-622")
    pilot = bien_ho(session)
    before = len(pilot.decisions)
    decision = pilot_status.record_status(
        session, editor, pilot.id, "evaluated", "2025-03-01", " 77/QĐ-UBND ", ""
    )
    session.expire_all()
    pilot = session.get(PilotModel, pilot.id)
    assert len(pilot.decisions) == before + 1
    assert (decision.decision_number, decision.note) == ("77/QĐ-UBND", None)
    assert (pilot.status, pilot.is_demo, pilot.updated_by_id) == ("evaluated", False, editor.id)
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == pilot_status.AUDIT_ACTION))
    assert (entry.entity, entry.entity_id, entry.unit_id) == (
        "pilot_models",
        pilot.id,
        pilot.unit_id,
    )
    assert audit.action_label(entry.action) == "Ghi quyết định trạng thái mô hình thí điểm"
    assert json.loads(entry.after)["decided_on"] == "2025-03-01"


def test_a_backdated_decision_does_not_change_todays_status(session):
    """Catches the status copy taking the last recorded decision rather than the latest
    dated one."""
    admin = user(session, "admin")
    pilot = bien_ho(session)
    pilot_status.record_status(session, admin, pilot.id, "evaluated", "2023-10-01", "9/QĐ")
    session.expire_all()
    assert session.get(PilotModel, pilot.id).status == "implementing"  # from 15/01/2024
    assert pilot_status.status_on(session, pilot.id, dt.date(2023, 12, 31)) == "evaluated"


@pytest.mark.parametrize(
    ("status", "day", "number", "field", "message"),
    [
        ("finished", "2025-03-01", "1/QĐ", "status", "Trạng thái"),
        ("approved", "2025-03-01", "  ", "decision_number", "số quyết định"),
        ("approved", "2025-02-30", "1/QĐ", "decided_on", "Ngày quyết định"),
        ("approved", "2022-11-14", "1/QĐ", "decided_on", "trước ngày đề xuất"),
        ("approved", "tomorrow", "1/QĐ", "decided_on", "sau ngày hôm nay"),
        ("approved", "2023-04-12", "1/QĐ", "decided_on", "đã có quyết định ngày 12/04/2023"),
        ("approved", "2025-03-01", "x" * 61, "decision_number", "Số quyết định"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(session, status, day, number, field, message):
    """Catches a decision saved with an unknown status, no number, a malformed date, a date
    before the proposal or in the future, a second decision on the same day, or an overlong
    number; each is refused at its field, in Vietnamese, with nothing changed."""
    admin = user(session, "admin")
    pilot_id = bien_ho(session).id
    if day == "tomorrow":
        day = (workflow.today_in_vietnam() + dt.timedelta(days=1)).isoformat()
    before = state(session, pilot_id)
    with pytest.raises(ValidationError) as caught:
        pilot_status.record_status(session, admin, pilot_id, status, day, number, None)
    assert field in caught.value.errors and message in caught.value.errors[field]
    assert state(session, pilot_id) == before


def test_a_proposal_needs_no_number(session):
    """Catches the decision number being required for a proposal too."""
    admin = user(session, "admin")
    pilot = bien_ho(session)
    pilot_status.record_status(session, admin, pilot.id, "proposed", "2025-05-01", "", None)
    assert pilot_status.status_on(session, pilot.id, dt.date(2025, 5, 1)) == "proposed"


def test_a_decision_after_the_units_end_is_refused(session):
    """Catches a decision dated after the pilot's commune was merged away (Tân Sơn, merged
    into Biển Hồ on 1/11/2024)."""
    admin = user(session, "admin")
    tan_son = session.scalar(
        sa.select(OrgUnit).where(
            OrgUnit.name == "Xã Tân Sơn", OrgUnit.valid_to == dt.date(2024, 10, 31)
        )
    )
    pilot = new_smart_commune(session, admin, tan_son, "2023-06-01")
    before = state(session, pilot.id)
    with pytest.raises(ValidationError) as caught:
        pilot_status.record_status(session, admin, pilot.id, "approved", "2024-11-15", "5/QĐ")
    assert "không còn tồn tại" in caught.value.errors["decided_on"]
    assert state(session, pilot.id) == before


@pytest.mark.parametrize("username", ["editor-633", "editor-23590", "viewer", "approver"])
def test_someone_who_may_not_edit_the_pilot_is_refused(session, username):
    """Catches a decision accepted from an editor of another district (Chư Sê) or another
    commune (the new Biển Hồ of 2025, not the old commune's pilot), or from read-only
    accounts."""
    pilot_id = bien_ho(session).id
    before = state(session, pilot_id)
    with pytest.raises(PermissionDenied):
        pilot_status.record_status(
            session, user(session, username), pilot_id, "evaluated", "2025-03-01", "1/QĐ"
        )
    assert state(session, pilot_id) == before


def test_a_decision_counting_in_a_locked_period_is_refused_for_editors(session):
    """Catches a decision that changes the figures of a round already approved (2022) being
    accepted from an editor; the office may, as for registry rows."""
    pilot_id = bien_ho(session).id
    before = state(session, pilot_id)
    with pytest.raises(PermissionDenied) as caught:
        pilot_status.record_status(
            session, user(session, "editor-622"), pilot_id, "approved", "2022-12-01", "1/QĐ"
        )
    assert "2022" in caught.value.message
    assert state(session, pilot_id) == before
    pilot_status.record_status(
        session, user(session, "admin"), pilot_id, "approved", "2022-12-01", "1/QĐ"
    )
    assert figure(session, "PILOT-SMART", "2022").value == 1


# --- the registry row and its decisions ---------------------------------------------------------


def test_a_new_pilot_starts_proposed_and_its_proposal_moves_with_it(session):
    """Catches a new pilot without a history (it would count nowhere, and show no status), a
    status entered in the registry form bypassing the decisions, and a proposal day moved
    after the pilot's decisions."""
    editor = user(session, "editor-622")
    pilot = registries.create_row(
        session,
        editor,
        "pilot_models",
        pleiku_commune(session, "Xã Gào").id,
        {
            "name": "Thôn thông minh Gào",
            "model_type": "smart_village",
            "field": "tourism",
            "status": "evaluated",  # not a field of the form: ignored
            "proposed_on": "2024-02-01",
        },
    )
    assert pilot.status == "proposed"
    assert [(d.status, d.decided_on) for d in pilot.decisions] == [
        ("proposed", dt.date(2024, 2, 1))
    ]
    form = {"name": pilot.name, "model_type": "smart_village", "field": "tourism"}
    pilot = registries.update_row(
        session,
        editor,
        "pilot_models",
        pilot.id,
        pilot.unit_id,
        {**form, "proposed_on": "2024-01-10"},
        pilot.version,
    )
    assert [d.decided_on for d in pilot.decisions] == [dt.date(2024, 1, 10)]
    pilot_status.record_status(session, editor, pilot.id, "approved", "2024-03-01", "3/QĐ")
    with pytest.raises(ValidationError) as caught:
        registries.update_row(
            session,
            editor,
            "pilot_models",
            pilot.id,
            pilot.unit_id,
            {**form, "proposed_on": "2024-03-01"},
            pilot.version,
        )
    assert "proposed_on" in caught.value.errors
    session.rollback()
    registries.delete_row(session, editor, "pilot_models", pilot.id, pilot.version)
    assert (
        session.scalar(
            sa.select(sa.func.count(PilotStatus.id)).where(PilotStatus.pilot_id == pilot.id)
        )
        == 0
    )


# --- figure cells -------------------------------------------------------------------------------


def test_a_decision_keeps_the_cells_equal_to_the_direct_figures(session):
    """Catches a status decision that the pre-aggregated cells miss: the pages would keep
    showing the old count (PilotStatus not watched, or its pilot's unit not marked)."""
    admin = user(session, "admin")
    ind = svc.get_indicator(session, "PILOT-SMART")
    periods = svc.list_periods(session)
    version = aggregates.version(session)
    pilot = new_smart_commune(session, admin, pleiku_commune(session, "Xã Gào"), "2022-03-01")
    pilot_status.record_status(session, admin, pilot.id, "approved", "2023-05-01", "4/QĐ")
    session.expire_all()
    assert aggregates.version(session) > version + 1
    assert aggregates.usable(session)
    for kwargs in ({}, {"by_district": True}, {"approved_only": True}):
        cells = svc.aggregate(session, ind, periods, **kwargs)
        direct = svc.aggregate_direct(session, ind, periods, **kwargs)
        if kwargs.get("by_district"):  # pairs (district id, figure), in no particular order
            cells, direct = set(cells), set(direct)
        assert cells == direct, kwargs
    assert figure(session, "PILOT-SMART", "2023").value == 2
    assert_current(session)


def test_a_decision_changed_alone_keeps_the_cells_current(session):
    """Catches cells that follow a decision only when its pilot's row changes too: a decision
    re-dated on its own (Biển Hồ's approval moved from 2023 to 2024) must recount 2023."""
    approval = next(d for d in bien_ho(session).decisions if d.status == "approved")
    approval.decided_on = dt.date(2024, 1, 10)
    session.commit()
    session.expire_all()
    assert aggregates.usable(session)
    # no approved smart commune then, and the 2023 reports are not sent: nothing reported
    assert figure(session, "PILOT-SMART", "2023").value is None
    assert_current(session)


# --- the page -----------------------------------------------------------------------------------


def chart_request(dash_caller, period: str, mode: str = "all"):
    return dash_caller.post(
        "pi-status.figure",
        inputs=[
            {"id": {"type": "reg-refresh", "name": "pilot_models"}, "property": "data", "value": 0},
            {"id": "pi-period", "property": "value", "value": period},
            {"id": "data-mode", "property": "value", "value": mode},
        ],
    )


def bars(response) -> dict:
    bar = response.get_json()["response"]["pi-status"]["figure"]["data"][0]
    return dict(zip(bar["x"], bar["y"], strict=True))


def test_the_pilots_page_shows_each_pilots_status_on_the_periods_count_date(auth, dash_caller):
    """Catches the "by status" chart showing today's statuses whatever the period chosen."""
    auth.login("viewer")
    in_2023 = chart_request(dash_caller, "2023")
    assert in_2023.status_code == 200
    assert bars(in_2023) == {"Đã phê duyệt": 1}
    day = in_2023.get_json()["response"]["pi-status-day"]["children"]
    assert "31/12/2023" in day and "2023" in day
    in_2024 = bars(chart_request(dash_caller, "2024"))
    in_2025 = bars(chart_request(dash_caller, "2025"))
    assert in_2024 == {"Đã phê duyệt": 2, "Đang triển khai": 3, "Đề xuất": 2}
    assert in_2025["Đã đánh giá"] == 1 and in_2024 != in_2025


def status_save_request(dash_caller, pilot_id, values: dict):
    name = "pilot_models"
    field_ids = [{"type": "reg-ps-field", "name": name, "field": f} for f in values]
    return dash_caller.post(
        '"reg-ps-msg"}.children',
        outputs=[
            {"id": {"type": "reg-ps-msg", "name": name}, "property": "children"},
            {"id": {"type": "reg-refresh", "name": name}, "property": "data"},
            [{"id": fid, "property": "invalid"} for fid in field_ids],
            [
                {"id": {**fid, "type": "reg-ps-feedback"}, "property": "children"}
                for fid in field_ids
            ],
            {"id": {"type": "reg-ps-history", "name": name}, "property": "children"},
        ],
        inputs=[{"id": {"type": "reg-ps-save", "name": name}, "property": "n_clicks", "value": 1}],
        state=[
            {"id": {"type": "reg-ps-pilot", "name": name}, "property": "data", "value": pilot_id},
            [
                {"id": fid, "property": "value", "value": v}
                for fid, v in zip(field_ids, values.values(), strict=True)
            ],
            [{"id": fid, "property": "id", "value": fid} for fid in field_ids],
            {"id": {"type": "reg-refresh", "name": name}, "property": "data", "value": 4},
        ],
        changed=[
            json.dumps({"name": name, "type": "reg-ps-save"}, separators=(",", ":")) + ".n_clicks"
        ],
    )


def test_the_decision_dialog_saves_or_shows_each_error_at_its_field(app, auth, dash_caller):
    """Catches a dialog that saves without the service's checks, hides which field is wrong,
    or does not reload the registry and the charts after a decision."""
    with app.app_context():
        pilot_id = bien_ho(app.extensions["db"].session()).id
    auth.login("editor-622")
    fields = {"status": "evaluated", "decided_on": "2025-03-01", "decision_number": "", "note": ""}
    refused = status_save_request(dash_caller, pilot_id, fields).get_json()["response"]
    number = next(v for k, v in refused.items() if '"decision_number"' in k)
    assert number == {"invalid": True} or "số quyết định" in json.dumps(number, ensure_ascii=False)
    feedback = [v for k, v in refused.items() if "reg-ps-feedback" in k and "decision_number" in k]
    assert "số quyết định" in json.dumps(feedback, ensure_ascii=False)
    assert not any("reg-refresh" in k for k in refused)  # nothing saved, nothing to reload
    saved = status_save_request(dash_caller, pilot_id, {**fields, "decision_number": "8/QĐ"})
    response = saved.get_json()["response"]
    text = json.dumps(response, ensure_ascii=False)
    assert "Đã ghi quyết định" in text and "Quyết định số 8/QĐ ngày 01/03/2025" in text
    assert next(v for k, v in response.items() if "reg-refresh" in k) == {"data": 5}


# --- the migration ------------------------------------------------------------------------------


def test_the_migration_gives_each_pilot_its_current_status_from_its_proposal(tmp_path):
    """Catches the 0010 migration leaving existing pilots without a history (they would count
    in no period) or dating it elsewhere than their proposal; and a downgrade that fails."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0009")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO level (id, code, name_vi, rank) VALUES (3, 'commune', 'Xã', 3)")
        )
        conn.execute(
            sa.text(
                "INSERT INTO org_unit (id, level_id, gso_code, name, kind, valid_from) VALUES "
                "(1, 3, '23593', 'Xã Biển Hồ', 'xa', '2020-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO pilot_model (id, unit_id, name, model_type, field, status, "
                "proposed_on, is_demo, version) VALUES "
                "(7, 1, 'P', 'smart_commune', 'tourism', 'implementing', '2022-11-15', 1, 1), "
                "(8, 1, 'Q', 'smart_village', 'culture', 'proposed', '2024-02-01', 0, 1)"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with so.Session(engine) as session:
        rows = session.execute(
            sa.select(
                PilotStatus.pilot_id,
                PilotStatus.status,
                PilotStatus.decided_on,
                PilotStatus.decision_number,
                PilotStatus.is_demo,
            ).order_by(PilotStatus.pilot_id)
        ).all()
        assert rows == [
            (7, "implementing", dt.date(2022, 11, 15), "", True),
            (8, "proposed", dt.date(2024, 2, 1), "", False),
        ]
    engine.dispose()
    from alembic import command

    command.downgrade(alembic_config(url), "0009")
    engine = make_engine(url)
    assert "pilot_status" not in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_the_pilots_page_takes_its_period_and_offers_the_dialog_to_editors_only(app):
    """Catches a pilots page without a period (its charts could only show today's statuses),
    or a decision dialog offered to read-only accounts."""
    from tests.test_pages import find, render_page

    dialog = {"type": "reg-ps-open", "name": "pilot_models"}
    viewer = render_page(app, "mo_hinh_thi_diem", "viewer", period="2023")
    assert find(viewer, "pi-period")["value"] == "2023"
    assert find(viewer, dialog) is None
    editor = render_page(app, "mo_hinh_thi_diem", "editor-622")
    assert find(editor, "pi-period")["value"] == "2025"
    assert find(editor, dialog) is not None
    assert find(editor, {"type": "reg-ps-modal", "name": "pilot_models"})["fullscreen"] == "sm-down"


def test_the_dialog_opens_on_the_selected_pilot_with_its_decisions(app, auth, dash_caller):
    """Catches a dialog that opens on no pilot (the decision would go nowhere) or hides the
    pilot's decisions so far."""
    with app.app_context():
        pilot_id = bien_ho(app.extensions["db"].session()).id
    auth.login("editor-622")
    name = "pilot_models"
    field_ids = [
        {"type": "reg-ps-field", "name": name, "field": f}
        for f in ("status", "decided_on", "decision_number", "note")
    ]

    def open_request(selected):
        return dash_caller.post(
            '"reg-ps-modal"}.is_open',
            outputs=[
                {"id": {"type": f"reg-ps-{part}", "name": name}, "property": prop}
                for part, prop in (
                    ("modal", "is_open"),
                    ("pilot", "data"),
                    ("title", "children"),
                    ("msg", "children"),
                    ("history", "children"),
                    ("save", "disabled"),
                )
            ]
            + [
                [{"id": fid, "property": "invalid"} for fid in field_ids],
                [
                    {"id": {**fid, "type": "reg-ps-feedback"}, "property": "children"}
                    for fid in field_ids
                ],
            ],
            inputs=[
                {"id": {"type": "reg-ps-open", "name": name}, "property": "n_clicks", "value": 1},
                {
                    "id": {"type": "reg-ps-cancel", "name": name},
                    "property": "n_clicks",
                    "value": None,
                },
            ],
            state=[
                {
                    "id": {"type": "reg-grid", "name": name},
                    "property": "selectedRows",
                    "value": selected,
                },
                [{"id": fid, "property": "id", "value": fid} for fid in field_ids],
            ],
            changed=[
                json.dumps({"name": name, "type": "reg-ps-open"}, separators=(",", ":"))
                + ".n_clicks"
            ],
        ).get_json()["response"]

    def part(response, kind):
        return next(v for k, v in response.items() if f'"reg-ps-{kind}"' in k)

    opened = open_request([{"id": pilot_id, "version": 1}])
    assert part(opened, "pilot") == {"data": pilot_id}
    assert part(opened, "save") == {"disabled": False}
    text = json.dumps(part(opened, "history"), ensure_ascii=False)
    assert "Quyết định số 245/QĐ-UBND ngày 12/04/2023" in text
    nothing = open_request([])
    assert part(nothing, "pilot") == {"data": None}
    assert part(nothing, "save") == {"disabled": True}
    assert "chọn một mô hình" in json.dumps(part(nothing, "msg"), ensure_ascii=False)


def test_a_demo_reset_keeps_a_pilot_whose_status_a_user_recorded(session):
    """Catches a demo reset that deletes a user's decision (or the pilot it belongs to), or
    leaves the demo pilots without their decisions."""
    from dashboard.services.demo import load_demo
    from tests.conftest import PASSWORD

    demo_decisions = session.scalar(
        sa.select(sa.func.count(PilotStatus.id)).where(PilotStatus.is_demo.is_(True))
    )
    village = session.scalar(
        sa.select(PilotModel).where(PilotModel.status == "proposed").order_by(PilotModel.id)
    )
    pilot_status.record_status(
        session, user(session, "admin"), village.id, "approved", "2025-02-01", "6/QĐ"
    )
    load_demo(session, PASSWORD, reset=True)
    session.expire_all()
    kept = session.get(PilotModel, village.id)
    assert kept is not None and [d.status for d in kept.decisions] == ["proposed", "approved"]
    assert kept.status == "approved"
    restored = session.scalar(
        sa.select(sa.func.count(PilotStatus.id))
        .join(PilotModel)
        .where(PilotModel.is_demo.is_(True))
    )
    assert restored == demo_decisions
