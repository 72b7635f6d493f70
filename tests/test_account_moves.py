"""Moving accounts to the units of the two-tier structure: proposals from the lineage, the
all-or-nothing move (administrators only, audited, roles kept, records untouched), the page's
callbacks replayed, and the `move-accounts` command."""

from __future__ import annotations

import datetime as dt
import json

import dash
import pytest
import sqlalchemy as sa
from flask_login import login_user
from sqlalchemy import orm as so

from dashboard.auth import policy
from dashboard.callbacks import account_moves as callbacks
from dashboard.errors import PermissionDenied, ValidationError
from dashboard.models import AuditLog, IndicatorValue, OrgUnit, UnitChange, User
from dashboard.services import account_moves as service
from tests.conftest import get_user

pytestmark = pytest.mark.db

REFORM = dt.date(2025, 7, 1)
IN_2026 = dt.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def _callbacks_registered(app):
    """The page's callbacks on the test application (once the callbacks package registers
    them itself, this finds them there)."""
    dash_app = app.extensions["dash_app"]
    if not any(key.startswith("..cm-grid.rowData") for key in dash_app.callback_map):
        callbacks.register(dash_app)
    yield
    so.close_all_sessions()


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def unit(session, code, on=REFORM) -> OrgUnit:
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == code, OrgUnit.valid_on(on)))


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def state(session) -> list[tuple]:
    """Every account's unit, role and active flag, and the number of audit rows."""
    rows = session.execute(
        sa.select(User.username, User.unit_id, User.role, User.active).order_by(User.username)
    ).all()
    return [*map(tuple, rows), count(session, AuditLog)]


def add_editor(session, username, code, on) -> User:
    """An editor limited to the unit with `code` as it was on `on` (the demo has none of a
    commune that ended)."""
    account = User(
        username=username, full_name="Cán bộ", role="editor", password_hash="x", active=True
    )
    account.unit = unit(session, code, on)
    session.add(account)
    session.commit()
    return account


def by_user(found, name) -> service.Proposal:
    return next(p for p in found if p.user.username == name)


# --- proposals --------------------------------------------------------------------------------


def test_district_editor_gets_the_communes_in_force_that_took_its_communes(session):
    """Catches proposals that list units not in force after 1/7/2025 (the old communes), miss
    the successors of the district's communes, or preselect one of several communes."""
    found = service.proposals(session, REFORM)
    pleiku = by_user(found, "editor-622")
    district = unit(session, "622", dt.date(2025, 6, 30))
    assert pleiku.unit.id == district.id and pleiku.proposed is None
    codes = [c.unit.gso_code for c in pleiku.candidates]
    # Phường Pleiku takes over the records of five of Pleiku's communes: the heir, first.
    assert codes[0] == "23575" and pleiku.candidates[0].inherits == 5
    assert {"23563", "23584", "23586", "23602", "23590"} <= set(codes)
    assert len(codes) == len(set(codes))
    communes = set(session.scalars(sa.select(OrgUnit.id).where(OrgUnit.parent_id == district.id)))
    for candidate in pleiku.candidates:
        assert candidate.unit.is_valid_on(REFORM) and candidate.unit.level.code == "commune"
        # each one has a predecessor among the district's communes
        predecessors = set(
            session.scalars(
                sa.select(UnitChange.predecessor_id).where(
                    UnitChange.successor_id == candidate.unit.id
                )
            )
        )
        assert predecessors & communes
    # Every district editor is listed; the commune editors of the new communes are not.
    names = {p.user.username for p in found}
    assert "editor-633" in names and "editor-23590" not in names and "admin" not in names
    assert len(found) == 17


def test_no_proposals_while_the_units_are_in_force(session):
    """Catches listing accounts whose unit still exists, or accounts of units yet to begin
    (the new communes' editors before 1/7/2025)."""
    assert service.proposals(session, dt.date(2025, 6, 30)) == []


def test_commune_account_gets_its_heir_preselected_following_changes_up_to_the_day(session):
    """Catches not following a split (both successors listed, the heir proposed) and
    following changes dated after the day (units of 1/7/2025 proposed in December 2024)."""
    add_editor(session, "canbo-dakhlo", "23674", dt.date(2024, 10, 31))  # Xã Đăk HLơ
    december = dt.date(2024, 12, 1)
    found = by_user(service.proposals(session, december), "canbo-dakhlo")
    heir = unit(session, "23674", december)  # Xã Kông Bơ La (1/11/2024 - 30/6/2025)
    assert found.proposed is not None and found.proposed.id == heir.id
    assert [c.unit.gso_code for c in found.candidates] == ["23674", "23662"]
    assert all(c.unit.valid_to == dt.date(2025, 6, 30) for c in found.candidates)
    later = by_user(service.proposals(session, REFORM), "canbo-dakhlo")
    assert later.proposed.id == unit(session, "23674").id  # the heir of the heir
    assert all(c.unit.is_valid_on(REFORM) for c in later.candidates)


# --- moving ----------------------------------------------------------------------------------


def test_moved_district_editor_writes_its_commune_in_2026_and_no_other(session):
    """Catches a move that leaves the account on the district (2026 records refused), moves it
    province-wide (other communes writable), changes its role, or rewrites the records'
    units."""
    commune, other = unit(session, "23575"), unit(session, "23563")
    district = unit(session, "622", dt.date(2025, 6, 30))
    editor = user(session, "editor-622")
    assert not policy.can_write_unit(editor, commune, IN_2026)
    within = sa.or_(IndicatorValue.unit_id == district.id, OrgUnit.parent_id == district.id)
    values_before = session.scalar(
        sa.select(sa.func.count(IndicatorValue.id)).join(OrgUnit).where(within)
    )
    version = editor.session_version

    [moved] = service.move(session, user(session, "admin"), [("editor-622", "23575")], REFORM)

    session.expire_all()
    editor = user(session, "editor-622")
    assert moved.before.id == district.id and moved.after.id == commune.id
    assert editor.unit_id == commune.id and editor.role == "editor" and editor.active
    assert editor.session_version == version + 1  # logged out of its sessions
    assert policy.can_write_unit(editor, commune, IN_2026)
    assert not policy.can_write_unit(editor, other, IN_2026)
    assert not policy.can_write_unit(editor, district, dt.date(2024, 12, 31))
    # the 2021-2025 records are still the district's and its communes'
    assert values_before > 0
    assert values_before == session.scalar(
        sa.select(sa.func.count(IndicatorValue.id)).join(OrgUnit).where(within)
    )


def test_each_move_and_deactivation_is_audited(session):
    """Catches moves without an audit row, or rows that do not say the unit before and after."""
    admin = user(session, "admin")
    district = user(session, "editor-622").unit_id
    service.move(
        session, admin, [("editor-622", "23575"), ("editor-623", service.DEACTIVATE)], REFORM
    )
    session.expire_all()
    [moved] = session.scalars(sa.select(AuditLog).where(AuditLog.action == "user.move_unit"))
    before, after = json.loads(moved.before), json.loads(moved.after)
    assert moved.username == "admin" and moved.entity_id == user(session, "editor-622").id
    assert before["unit_id"] == district and after["unit_id"] == unit(session, "23575").id
    assert before["role"] == after["role"] == "editor"
    [gone] = session.scalars(sa.select(AuditLog).where(AuditLog.action == "user.deactivate"))
    assert json.loads(gone.before)["active"] is True and json.loads(gone.after)["active"] is False
    deactivated = user(session, "editor-623")
    assert not deactivated.active and deactivated.unit.gso_code == "623"
    assert "editor-623" not in {p.user.username for p in service.proposals(session, REFORM)}


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (("editor-623", "99999"), "99999"),
        (("editor-623", "622"), "622"),  # the district: ended on 30/6/2025
        (("editor-623", "52"), "52"),  # the province: no editor is limited to it
        (("editor-623", ""), "chưa chọn"),
        (("khong-co-ai", "23575"), "không có tài khoản"),
        (("viewer", "23575"), "không gắn với đơn vị"),
        (("editor-622", "23563"), "đã có ở dòng 1"),
        (("editor-623",), "không hợp lệ"),
    ],
)
def test_a_bad_row_refuses_the_whole_batch_and_changes_nothing(session, row, words):
    """Catches a batch applied up to the bad row (or around it), and a refusal that does not
    name the row."""
    before = state(session)
    moves = [("editor-622", "23575"), row, ("editor-624", "24044")]
    with pytest.raises(ValidationError) as caught:
        service.move(session, user(session, "admin"), moves, REFORM)
    assert list(caught.value.errors) == ["row2"]
    assert "Dòng 2" in caught.value.message and words in caught.value.message
    session.rollback()
    session.expire_all()
    assert state(session) == before


def test_an_empty_batch_is_refused(session):
    """Catches a "move" of nothing reported as done."""
    with pytest.raises(ValidationError):
        service.move(session, user(session, "admin"), [], REFORM)


@pytest.mark.parametrize("name", ["viewer", "approver", "editor-622", "editor-23590", None])
def test_non_admins_are_refused_by_the_service(session, name):
    """Catches a move that does not ask the policy (anyone could move any account)."""
    before = state(session)
    actor = user(session, name) if name else None
    with pytest.raises(PermissionDenied):
        service.move(session, actor, [("editor-622", "23575")], REFORM)
    session.rollback()
    session.expire_all()
    assert state(session) == before


# --- the page and its callbacks ----------------------------------------------------------------


def render(app, username):
    with app.test_request_context():
        login_user(get_user(app, username))
        page = next(
            p for p in dash.page_registry.values() if p["path"] == "/quan-tri/chuyen-tai-khoan"
        )
        layout = page["layout"]()
    return json.dumps(layout, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def test_page_for_the_admin_only(app):
    """Catches the page's controls shown to non-administrators."""
    text = render(app, "admin")
    assert '"cm-grid"' in text and '"cm-move"' in text and '"cm-confirm-modal"' in text
    for name in ("viewer", "editor-622"):
        text = render(app, name)
        assert '"cm-forbidden"' in text and '"cm-grid"' not in text


def answer(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def test_grid_lists_proposals_with_choices_for_the_admin_only(app, auth, dash_caller):
    """Catches a grid without the district editors, without the candidates first among the
    choices, or served to a non-administrator."""
    inputs = [
        {"id": "cm-on", "property": "value", "value": "2025-07-01"},
        {"id": "cm-refresh", "property": "data", "value": 0},
    ]
    auth.login("admin")
    rows = answer(dash_caller.post("cm-grid.rowData", inputs))["cm-grid"]["rowData"]
    pleiku = next(r for r in rows if r["username"] == "editor-622")
    assert pleiku["old_unit"] == "Thành phố Pleiku (622), đến 30/06/2025"
    assert pleiku["target"] == "" and pleiku["role"] == "Biên tập"
    choices = pleiku["_editor"]["values"]
    assert choices[:2] == ["", "Phường Pleiku (23575)"]
    assert "— Ngừng hoạt động tài khoản —" in choices and "Xã Ia Le (23986)" in choices
    auth.logout()
    auth.login("viewer")
    assert answer(dash_caller.post("cm-grid.rowData", inputs))["cm-grid"]["rowData"] == []


def ask_request(dash_caller, rows, ticked):
    return dash_caller.post(
        "cm-confirm-modal.is_open",
        inputs=[{"id": "cm-move", "property": "n_clicks", "value": 1}],
        state=[
            {
                "id": "cm-grid",
                "property": "selectedRows",
                "value": [{"username": u} for u in ticked],
            },
            {"id": "cm-grid", "property": "rowData", "value": rows},
            {"id": "cm-on", "property": "value", "value": "2025-07-01"},
        ],
    )


def test_the_button_asks_with_the_chosen_units_and_names_a_row_without_one(auth, dash_caller):
    """Catches labels chosen in the grid not turned into unit codes, deactivation not offered,
    and a ticked row without a unit opening the dialog."""
    rows = [
        {"username": "editor-622", "target": "Phường Pleiku (23575)", "old_unit": "Pleiku"},
        {"username": "editor-623", "target": "— Ngừng hoạt động tài khoản —", "old_unit": "x"},
        {"username": "editor-624", "target": "", "old_unit": "Ayun Pa"},
    ]
    auth.login("admin")
    out = answer(ask_request(dash_caller, rows, ["editor-622", "editor-623"]))
    assert out["cm-confirm-modal"]["is_open"] is True
    assert out["cm-pending"]["data"] == {
        "on": "2025-07-01",
        "moves": [["editor-622", "23575"], ["editor-623", service.DEACTIVATE]],
    }
    out = answer(ask_request(dash_caller, rows, ["editor-622", "editor-624"]))
    assert out["cm-confirm-modal"]["is_open"] is False
    assert "Dòng 3" in json.dumps(out["cm-msg"], ensure_ascii=False)


def confirm_request(dash_caller, moves):
    return dash_caller.post(
        "cm-msg.children",
        inputs=[{"id": "cm-confirm-ok", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "cm-pending", "property": "data", "value": {"on": "2025-07-01", "moves": moves}},
            {"id": "cm-refresh", "property": "data", "value": 0},
        ],
    )


@pytest.mark.parametrize("name", ["viewer", "editor-622", "approver"])
def test_a_replayed_confirm_is_refused_to_non_admins(app, auth, dash_caller, name):
    """Catches a callback that trusts the page (hidden from non-admins) instead of the policy;
    the same request from the administrator moves the account."""
    auth.login(name)
    out = answer(confirm_request(dash_caller, [["editor-622", "23575"]]))
    assert "không có quyền" in json.dumps(out["cm-msg"], ensure_ascii=False)
    assert get_user(app, "editor-622").unit.gso_code == "622"
    auth.logout()
    auth.login("admin")
    out = answer(confirm_request(dash_caller, [["editor-622", "23575"]]))
    assert "Đã chuyển 1 tài khoản" in json.dumps(out["cm-msg"], ensure_ascii=False)
    assert get_user(app, "editor-622").unit.gso_code == "23575"


def test_a_replayed_confirm_with_a_bad_row_changes_nothing(app, auth, dash_caller):
    """Catches the callback applying the good rows of a batch with a bad one."""
    auth.login("admin")
    out = answer(confirm_request(dash_caller, [["editor-622", "23575"], ["editor-623", "1"]]))
    assert "Dòng 2" in json.dumps(out["cm-msg"], ensure_ascii=False)
    assert get_user(app, "editor-622").unit.gso_code == "622"


# --- command line ----------------------------------------------------------------------------


def test_cli_prints_proposals_and_changes_nothing_without_apply(app, runner, session):
    """Catches a listing that moves accounts, or that does not show the candidates."""
    before = state(session)
    result = runner.invoke(args=["move-accounts", "--on", "2025-07-01"])
    assert result.exit_code == 0, result.output
    assert "17 accounts" in result.output
    assert "editor-622" in result.output and "Phường Pleiku (23575)" in result.output
    assert "đến 30/06/2025" in result.output
    session.expire_all()
    assert state(session) == before


def test_cli_applies_the_map_and_the_obvious_moves_as_an_admin(app, runner, session):
    """Catches --apply ignoring --map, leaving out an obvious proposal, or not checking the
    actor through the policy."""
    add_editor(session, "canbo-tayson", "23575", dt.date(2025, 6, 30))  # Phường Tây Sơn
    before = state(session)
    audited = count(session, AuditLog, AuditLog.action.like("user.%"))
    args = ["move-accounts", "--on", "2025-07-01", "--apply", "--map", "editor-622=23575"]
    refused = runner.invoke(args=[*args, "--actor", "viewer"])
    assert refused.exit_code != 0 and "không có quyền" in refused.output
    session.expire_all()
    assert state(session) == before
    result = runner.invoke(args=[*args, "--map", "editor-623=deactivate", "--actor", "admin"])
    assert result.exit_code == 0, result.output
    assert "Moved editor-622" in result.output and "Deactivated editor-623" in result.output
    session.expire_all()
    new_pleiku = unit(session, "23575")
    assert user(session, "editor-622").unit_id == new_pleiku.id
    assert user(session, "canbo-tayson").unit_id == new_pleiku.id  # its heir, obvious
    assert not user(session, "editor-623").active
    assert user(session, "editor-624").unit.gso_code == "624"  # needs a choice: left
    assert count(session, AuditLog, AuditLog.action.like("user.%")) == audited + 3


def test_cli_with_a_bad_map_changes_nothing(runner, session):
    """Catches the command applying part of the batch."""
    before = state(session)
    result = runner.invoke(
        args=[
            "move-accounts",
            "--on",
            "2025-07-01",
            "--apply",
            "--actor",
            "admin",
            "--map",
            "editor-622=23575",
            "--map",
            "editor-623=99999",
        ]
    )
    assert result.exit_code != 0 and "99999" in result.output
    session.expire_all()
    assert state(session) == before
