"""Embed administration: signed links (create, edit, revoke) and chart settings are for
administrators only, validated, versioned and audited; the builder page and its callbacks."""

from __future__ import annotations

import datetime as dt
import json
import re

import dash
import pytest
import sqlalchemy as sa
from flask_login import login_user
from sqlalchemy import orm as so

from dashboard.callbacks import embed_admin as callbacks
from dashboard.errors import Conflict, NotFound, PermissionDenied, ValidationError
from dashboard.models import AuditLog, User
from dashboard.models.embeds import EmbedChart, EmbedLink
from dashboard.services import embed_admin as service
from dashboard.services import embeds
from tests.conftest import get_user

pytestmark = pytest.mark.db

CHART = "tong-quan-xu-huong"
PARAMS = {"period": "2024", "district": "622", "indicator": "GOV-C8_4"}


def in_a_year() -> str:
    return (dt.date.today() + dt.timedelta(days=365)).isoformat()


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def audits(session, action):
    return list(
        session.scalars(sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
    )


def make_link(session, label="Cổng tỉnh", params=PARAMS, chart=CHART):
    return service.create_link(session, user(session, "admin"), chart, params, label, in_a_year())


@pytest.fixture(autouse=True)
def _callbacks_registered(app):
    """The builder's callbacks on the test application (once the callbacks package registers
    them itself, this finds them there)."""
    dash_app = app.extensions["dash_app"]
    if not any("ea-msg.children" in key for key in dash_app.callback_map):
        callbacks.register(dash_app)
    yield
    # A request context ends the thread's session; a test that goes on with the `session`
    # fixture afterwards holds a transaction PostgreSQL's next reset would wait for.
    so.close_all_sessions()


# --- service: links --------------------------------------------------------------------------


def test_admin_creates_a_signed_link_that_verifies_and_is_audited(app, session):
    link = make_link(session)
    assert link.version == 1 and link.created_by_id == user(session, "admin").id
    assert json.loads(link.params) == PARAMS
    local_end = link.expires_at.replace(tzinfo=dt.UTC).astimezone(
        dt.timezone(dt.timedelta(hours=7))
    )
    assert local_end.time() == dt.time(0, 0)  # the end of the chosen day, Vietnam time
    with app.test_request_context():
        token = embeds.sign_token(link)
        assert embeds.verify_token(session, CHART, token).id == link.id
    [entry] = audits(session, "embed.create")
    assert entry.entity == "embed_link" and entry.entity_id == link.id
    assert entry.period_code == "2024" and json.loads(entry.after)["params"] == PARAMS


def test_default_parameters_are_left_out(session):
    link = make_link(session, params={"period": "", "district": "", "indicator": None})
    assert json.loads(link.params) == {}


ADMIN_ONLY = ["viewer", "editor-622", None]


@pytest.mark.parametrize("name", ADMIN_ONLY)
def test_non_admins_are_refused_on_every_write(session, name):
    link = make_link(session)
    actor = user(session, name) if name else None
    before = (count(session, EmbedLink), count(session, EmbedChart), count(session, AuditLog))
    with pytest.raises(PermissionDenied):
        service.create_link(session, actor, CHART, PARAMS, "x", in_a_year())
    with pytest.raises(PermissionDenied):
        service.update_link(session, actor, link.id, link.version, label="x")
    with pytest.raises(PermissionDenied):
        service.revoke_link(session, actor, link.id, link.version)
    with pytest.raises(PermissionDenied):
        service.set_chart(session, actor, CHART, True, {}, None)
    session.expire_all()
    after = (count(session, EmbedLink), count(session, EmbedChart), count(session, AuditLog))
    assert after == before
    assert session.get(EmbedLink, link.id).revoked_at is None


@pytest.mark.parametrize(
    ("chart", "params", "label", "expires", "field"),
    [
        ("khong-co", {}, "", None, "chart"),
        (CHART, {**PARAMS, "period": "1990"}, "", None, "period"),
        (CHART, {**PARAMS, "district": "999"}, "", None, "district"),
        (CHART, {**PARAMS, "indicator": "KHONG-CO"}, "", None, "indicator"),
        ("kinh-te-so-xu-huong", {"indicator": "GOV-C8_4"}, "", None, "indicator"),
        ("dao-tao-theo-nam", {"period": "2024"}, "", None, "params"),
        (CHART, {"district": ["622"]}, "", None, "district"),
        (CHART, "period=2024", "", None, "params"),
        (CHART, PARAMS, "x" * 201, None, "label"),
        (CHART, PARAMS, "Cổng\x00tỉnh", None, "label"),
        (CHART, PARAMS, "", "2020-01-01", "expires_at"),
        (
            CHART,
            PARAMS,
            "",
            (dt.date.today() + dt.timedelta(days=4 * 365)).isoformat(),
            "expires_at",
        ),
        (CHART, PARAMS, "", "ngày mai", "expires_at"),
        (CHART, PARAMS, "", "9999-12-31", "expires_at"),
        (CHART, PARAMS, "", "", "expires_at"),
    ],
)
def test_bad_link_input_is_refused_and_nothing_is_written(
    session, chart, params, label, expires, field
):
    before = (count(session, EmbedLink), count(session, AuditLog))
    with pytest.raises(ValidationError) as err:
        expiry = in_a_year() if expires is None else expires
        service.create_link(session, user(session, "admin"), chart, params, label, expiry)
    assert field in err.value.errors, err.value.errors
    assert all(message and " " in message for message in err.value.errors.values())
    assert (count(session, EmbedLink), count(session, AuditLog)) == before


def test_expiry_is_the_end_of_the_day_in_vietnam_and_at_most_three_years():
    now = dt.datetime(2026, 11, 29, 8, 0)
    assert service.parse_expiry("2027-01-31", now) == dt.datetime(2027, 1, 31, 17, 0)
    assert service.parse_expiry("31/01/2027", now) == dt.datetime(2027, 1, 31, 17, 0)
    # today still counts (its end lies ahead); yesterday does not
    assert service.parse_expiry("2026-11-29", now) == dt.datetime(2026, 11, 29, 17, 0)
    with pytest.raises(ValueError, match="tương lai"):
        service.parse_expiry("2026-11-28", now)
    with pytest.raises(ValueError, match="3 năm"):
        service.parse_expiry("2029-12-31", now)


def test_update_changes_a_link_and_a_stale_version_is_a_conflict(session):
    link = make_link(session)
    admin = user(session, "admin")
    updated = service.update_link(
        session, admin, link.id, 1, params={"period": "2023"}, label="Trang NTM"
    )
    assert updated.version == 2 and json.loads(updated.params) == {"period": "2023"}
    assert updated.label == "Trang NTM"
    entry = audits(session, "embed.update")[-1]
    assert json.loads(entry.before)["label"] == "Cổng tỉnh"
    assert json.loads(entry.after)["label"] == "Trang NTM"
    with pytest.raises(Conflict) as err:  # someone else's change came after version 1
        service.update_link(session, admin, link.id, 1, label="Ghi đè")
    assert "đã thay đổi liên kết này" in err.value.message
    assert "Chưa lưu gì" in err.value.message
    with pytest.raises(ValidationError) as missing:
        service.update_link(session, admin, link.id, None, label="Ghi đè")
    assert "version" in missing.value.errors
    for unknown in (10_000, 2**63, "1 OR 1=1", None):
        with pytest.raises(NotFound):
            service.update_link(session, admin, unknown, 1, label="x")
    session.expire_all()
    assert session.get(EmbedLink, link.id).label == "Trang NTM"
    assert len(audits(session, "embed.update")) == 1


def test_unchanged_fields_are_kept_and_an_expired_link_can_be_extended(session):
    link = make_link(session)
    link.expires_at = dt.datetime(2020, 1, 1)
    session.commit()
    assert service.list_links(session)[0].status == "expired"
    service.update_link(
        session, user(session, "admin"), link.id, link.version, expires_at=in_a_year()
    )
    row = service.list_links(session)[0]
    assert row.status == "active" and row.params == PARAMS and row.label == "Cổng tỉnh"


def test_revoking_one_link_leaves_the_other_working(app, session):
    first = make_link(session, label="Trang chủ")
    second = make_link(session, label="Trang NTM")
    with app.test_request_context():
        tokens = {link.id: embeds.sign_token(link) for link in (first, second)}
    service.revoke_link(session, user(session, "admin"), first.id, first.version)
    with app.test_request_context():
        with pytest.raises(PermissionDenied, match="thu hồi"):
            embeds.verify_token(session, CHART, tokens[first.id])
        assert embeds.verify_token(session, CHART, tokens[second.id]).id == second.id
    statuses = {row.id: (row.status, row.revoked_by) for row in service.list_links(session)}
    assert statuses == {first.id: ("revoked", "admin"), second.id: ("active", "")}
    [entry] = audits(session, "embed.revoke")
    assert entry.entity_id == first.id and json.loads(entry.after)["revoked_at"]
    revoked = session.get(EmbedLink, first.id)
    with pytest.raises(Conflict, match="đã bị thu hồi"):
        service.revoke_link(session, user(session, "admin"), first.id, revoked.version)
    with pytest.raises(Conflict, match="đã bị thu hồi"):
        service.update_link(session, user(session, "admin"), first.id, revoked.version, label="x")


def test_views_do_not_make_the_administrators_version_stale(session):
    link = make_link(session)
    embeds.record_view(session, link)
    session.expire_all()
    viewed = session.get(EmbedLink, link.id)
    assert viewed.view_count == 1 and viewed.version == 1
    service.update_link(session, user(session, "admin"), link.id, 1, label="Sau lượt xem")
    row = service.list_links(session)[0]
    assert row.view_count == 1 and row.last_viewed_at is not None


# --- service: chart settings -----------------------------------------------------------------


def test_every_chart_is_listed_with_defaults(session):
    rows = service.list_charts(session)
    assert [r.chart_id for r in rows] == list(embeds_charts())
    assert all(not r.private and r.locked_params == {} and r.version is None for r in rows)


def embeds_charts():
    from dashboard.charts import CHARTS

    return CHARTS


def test_set_chart_private_and_locked_with_versions(session):
    admin = user(session, "admin")
    setting = service.set_chart(session, admin, CHART, True, {"period": "2024"}, None)
    assert setting.version == 1
    row = service.get_chart(session, CHART)
    assert row.private and row.locked_params == {"period": "2024"} and row.version == 1
    assert embeds.is_private(embeds.chart_setting(session, CHART))
    assert embeds.locked_params(embeds.chart_setting(session, CHART)) == {"period": "2024"}
    # saw the defaults, but a setting exists now
    with pytest.raises(Conflict, match="đã thay đổi thiết lập"):
        service.set_chart(session, admin, CHART, False, {}, None)
    with pytest.raises(Conflict):
        service.set_chart(session, admin, CHART, False, {}, 7)
    service.set_chart(session, admin, CHART, False, {"district": "622"}, 1)
    row = service.get_chart(session, CHART)
    assert not row.private and row.locked_params == {"district": "622"} and row.version == 2
    entries = audits(session, "embed.chart")
    assert len(entries) == 2 and json.loads(entries[1].before)["private"] is True


@pytest.mark.parametrize(
    ("chart", "private", "locked", "field"),
    [
        ("dao-tao-theo-nam", False, {"period": "2024"}, "params"),
        ("mo-hinh-thi-diem-trang-thai", False, {"district": "622"}, "params"),
        (CHART, False, {"district": ""}, "district"),
        (CHART, False, {"indicator": "KHONG-CO"}, "indicator"),
        (CHART, "có lẽ", {}, "private"),
        ("khong-co", False, {}, "chart"),
    ],
)
def test_bad_chart_setting_is_refused(session, chart, private, locked, field):
    with pytest.raises(ValidationError) as err:
        service.set_chart(session, user(session, "admin"), chart, private, locked, None)
    assert field in err.value.errors
    assert count(session, EmbedChart) == 0 and not audits(session, "embed.chart")


def test_audit_page_names_the_embed_actions(session):
    from dashboard.services.audit import log_frame

    link = make_link(session)
    service.revoke_link(session, user(session, "admin"), link.id, link.version)
    service.set_chart(session, user(session, "admin"), CHART, True, {}, None)
    actions = set(log_frame(session).iloc[:, 2])
    assert "Thu hồi liên kết nhúng" in actions and "(embed.revoke)" not in actions
    assert "Thiết lập biểu đồ nhúng" in actions and "(embed.chart)" not in actions


# --- the page --------------------------------------------------------------------------------


def render(app, username):
    with app.test_request_context():
        login_user(get_user(app, username))
        page = next(p for p in dash.page_registry.values() if p["path"] == "/quan-tri/nhung")
        layout = page["layout"]()
    return json.dumps(layout, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


@pytest.mark.parametrize("name", ["viewer", "editor-622"])
def test_page_is_forbidden_to_non_admins(app, name):
    text = render(app, name)
    assert '"ea-forbidden"' in text and "không có quyền" in text and '"ea-chart"' not in text


def test_page_for_the_admin_and_in_the_admin_menu(app, client, auth):
    text = render(app, "admin")
    for component in ("ea-chart", "ea-preview", "ea-snippet", "ea-links-grid", "ea-private"):
        assert f'"{component}"' in text
    auth.login("admin")
    assert "/quan-tri/nhung" in json.dumps(client.get("/_dash-layout").get_json())
    auth.logout()
    auth.login("editor-622")
    assert "/quan-tri/nhung" not in json.dumps(client.get("/_dash-layout").get_json())


# --- callbacks replayed ----------------------------------------------------------------------


def body(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def replay_write(dash_caller, trigger="ea-create", state=None, label="Cổng tỉnh", chart=CHART):
    return dash_caller.post(
        "ea-msg.children",
        inputs=[
            {
                "id": "ea-create",
                "property": "n_clicks",
                "value": 1 if trigger == "ea-create" else None,
            },
            {
                "id": "ea-update",
                "property": "n_clicks",
                "value": 1 if trigger == "ea-update" else None,
            },
        ],
        state=[
            {"id": "ea-chart", "property": "value", "value": chart},
            {"id": "ea-period", "property": "value", "value": "2024"},
            {"id": "ea-district", "property": "value", "value": "622"},
            {"id": "ea-indicator", "property": "value", "value": "GOV-C8_4"},
            {"id": "ea-label", "property": "value", "value": label},
            {"id": "ea-expires", "property": "value", "value": in_a_year()},
            {"id": "ea-link", "property": "data", "value": state},
            {"id": "ea-refresh", "property": "data", "value": 0},
        ],
        changed=[f"{trigger}.n_clicks"],
    )


def replay_revoke(dash_caller, state):
    return dash_caller.post(
        "ea-msg.children@",
        inputs=[{"id": "ea-revoke-confirm", "property": "submit_n_clicks", "value": 1}],
        state=[
            {"id": "ea-link", "property": "data", "value": state},
            {"id": "ea-refresh", "property": "data", "value": 0},
        ],
    )


def replay_chart_save(dash_caller, version=None, locked=("period",)):
    return dash_caller.post(
        "ea-chart-msg.children",
        inputs=[{"id": "ea-chart-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ea-chart", "property": "value", "value": CHART},
            {"id": "ea-private", "property": "value", "value": True},
            {"id": "ea-lock", "property": "value", "value": list(locked)},
            {"id": "ea-period", "property": "value", "value": "2024"},
            {"id": "ea-district", "property": "value", "value": ""},
            {"id": "ea-indicator", "property": "value", "value": "GOV-C8_4"},
            {"id": "ea-chart-version", "property": "data", "value": version},
            {"id": "ea-refresh", "property": "data", "value": 0},
        ],
    )


def db_counts(app):
    with app.app_context():
        session = app.extensions["db"].session()
        return count(session, EmbedLink), count(session, EmbedChart)


def stored_link(app, link_id):
    with app.app_context():
        session = app.extensions["db"].session()
        link = session.get(EmbedLink, link_id)
        session.expunge(link)
        return link


def test_revoke_callback_is_the_revoke_output(app):
    """`replay_revoke` reaches the revoke callback (its first output is a duplicate)."""
    keys = [
        k for k in app.extensions["dash_app"].callback_map if k.startswith("..ea-msg.children@")
    ]
    assert len(keys) == 1 and "ea-link.data" in keys[0]


@pytest.mark.parametrize("name", ["viewer", "editor-622"])
def test_replayed_writes_are_refused_to_non_admins(app, auth, dash_caller, name):
    with app.app_context():
        session = app.extensions["db"].session()
        link = make_link(session)
        state = {"id": link.id, "version": link.version}
    auth.login(name)
    for response in (
        replay_write(dash_caller),
        replay_write(dash_caller, "ea-update", state, label="Đổi tên"),
        replay_revoke(dash_caller, state),
        replay_write(dash_caller, "ea-update", state, chart="tong-quan-ban-do"),
        replay_chart_save(dash_caller),
    ):
        assert response.status_code == 200 and "không có quyền" in body(response)
    confirm = dash_caller.post(
        "ea-revoke-confirm.displayed",
        inputs=[{"id": "ea-revoke", "property": "n_clicks", "value": 1}],
        state=[{"id": "ea-link", "property": "data", "value": state}],
    )
    assert "Cổng tỉnh" not in confirm.get_data(as_text=True)  # no label for non-admins
    assert db_counts(app) == (1, 0)
    stored = stored_link(app, state["id"])
    assert stored.revoked_at is None and stored.label == "Cổng tỉnh" and stored.version == 1


def test_admin_creates_edits_and_revokes_through_the_page(app, auth, dash_caller):
    auth.login("admin")
    created = replay_write(dash_caller)
    assert "Đã tạo liên kết số 1" in body(created)
    state = created.get_json()["response"]["ea-link"]["data"]
    assert state == {"id": 1, "version": 1}
    updated = replay_write(dash_caller, "ea-update", state, label="Trang NTM")
    assert "Đã lưu liên kết số 1" in body(updated)
    assert updated.get_json()["response"]["ea-link"]["data"] == {"id": 1, "version": 2}
    stale = replay_write(dash_caller, "ea-update", state, label="Ghi đè")
    assert "Chưa lưu gì" in body(stale)
    assert stale.get_json()["response"]["ea-link"]["data"] is None  # choose it again
    other_chart = replay_write(
        dash_caller, "ea-update", {"id": 1, "version": 2}, chart="tong-quan-ban-do"
    )
    assert "tạo liên kết mới" in body(other_chart)
    confirm = dash_caller.post(
        "ea-revoke-confirm.displayed",
        inputs=[{"id": "ea-revoke", "property": "n_clicks", "value": 1}],
        state=[{"id": "ea-link", "property": "data", "value": {"id": 1, "version": 2}}],
    )
    assert "Thu hồi liên kết “Trang NTM”?" in body(confirm)
    revoked = replay_revoke(dash_caller, {"id": 1, "version": 2})
    assert "Đã thu hồi liên kết số 1" in body(revoked)
    link = stored_link(app, 1)
    assert link.label == "Trang NTM" and link.revoked_at is not None


def test_admin_saves_a_chart_setting_and_a_stale_one_conflicts(app, auth, dash_caller):
    auth.login("admin")
    assert "Đã lưu thiết lập" in body(replay_chart_save(dash_caller))
    assert "Chưa lưu gì" in body(replay_chart_save(dash_caller, version=None))
    assert "trước khi khóa" in body(replay_chart_save(dash_caller, version=1, locked=("district",)))
    with app.app_context():
        row = service.get_chart(app.extensions["db"].session(), CHART)
    assert row.private and row.locked_params == {"period": "2024"} and row.version == 1


@pytest.mark.parametrize(
    "state", [{"id": "1 OR 1=1", "version": 1}, {"id": 1}, [1, 1], {"id": 1, "version": True}]
)
def test_forged_link_state_is_400(app, auth, dash_caller, state):
    auth.login("admin")
    assert replay_write(dash_caller, "ea-update", state).status_code == 400
    assert replay_revoke(dash_caller, state).status_code == 400
    assert db_counts(app) == (0, 0)


def test_forged_chart_version_is_400(auth, dash_caller):
    auth.login("admin")
    assert replay_chart_save(dash_caller, version="1; DROP").status_code == 400
    assert replay_chart_save(dash_caller, version=[1]).status_code == 400


def test_preview_gives_the_signed_snippet_to_admins_only(app, session):
    link = make_link(session)
    state = {"id": link.id, "version": link.version}
    args = (CHART, "2024", "622", "GOV-C8_4", "en", "signed", state, 0)
    with app.test_request_context(base_url="https://ntm.gialai.gov.vn"):
        login_user(get_user(app, "admin"))
        src, _title, notes, _href, url, snippet, _status = callbacks.preview(*args)
        token = embeds.sign_token(session.get(EmbedLink, link.id))
    assert src == f"/nhung/{CHART}?lang=en&t={token}&preview=1" and notes == []
    assert url == f"https://ntm.gialai.gov.vn/nhung/{CHART}?lang=en&t={token}"
    assert 'src="https://ntm.gialai.gov.vn/nhung/tong-quan-xu-huong?lang=en&amp;t=' in snippet
    assert "https://ntm.gialai.gov.vn/nhung/static/portal.js" in snippet
    with app.test_request_context():
        login_user(get_user(app, "viewer"))
        assert callbacks.preview(*args)[5] == "" and token not in json.dumps(
            callbacks.preview(*args), default=str
        )


def test_public_preview_of_a_private_chart_warns_and_gives_no_snippet(app, session):
    service.set_chart(session, user(session, "admin"), CHART, True, {}, None)
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        public = callbacks.preview(CHART, "2024", "", "GOV-C8_4", "vi", "public", None, 0)
        signed = callbacks.preview(CHART, "2024", "", "GOV-C8_4", "vi", "signed", None, 0)
    assert public[0] == f"/nhung/{CHART}?period=2024&indicator=GOV-C8_4&preview=1"
    assert public[5] == ""
    assert "riêng tư" in json.dumps(
        public[2], default=lambda c: c.to_plotly_json(), ensure_ascii=False
    )
    assert signed[0] == callbacks.BLANK and signed[5] == ""


def test_public_preview_names_locked_parameters(app, session):
    service.set_chart(session, user(session, "admin"), CHART, False, {"period": "2023"}, None)
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        out = callbacks.preview(CHART, "2024", "", "GOV-C8_4", "vi", "public", None, 0)
    notes = json.dumps(out[2], default=lambda c: c.to_plotly_json(), ensure_ascii=False)
    assert "Kỳ báo cáo: 2023" in notes and out[5].startswith("<iframe")


def test_links_table_lists_status_views_and_creator(app, session):
    first = make_link(session, label="Trang chủ")
    make_link(session, label="Trang NTM", params={})
    service.revoke_link(session, user(session, "admin"), first.id, first.version)
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        _cols, rows, _ccols, chart_rows = callbacks.load_tables(0)
        login_user(get_user(app, "viewer"))
        assert callbacks.load_tables(0) == ([], [], [], [])
    by_label = {row["label"]: row for row in rows}
    assert by_label["Trang chủ"]["status"].startswith("Đã thu hồi (admin")
    assert by_label["Trang NTM"]["status"] == "Đang hiệu lực"
    assert by_label["Trang NTM"]["params"].startswith("Mặc định")
    assert "Ia Grai" in by_label["Trang chủ"]["params"] or "622" in by_label["Trang chủ"]["params"]
    assert by_label["Trang chủ"]["created"].startswith("admin · ")
    assert by_label["Trang chủ"]["views"] == "0" and by_label["Trang chủ"]["viewed"] == "–"
    assert len(chart_rows) == len(embeds_charts())


def test_choosing_a_link_fills_the_form(app, session):
    link = make_link(session)
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        out = callbacks.select_link([{"id": link.id, "version": 99}])
        buttons = callbacks.link_buttons(out[0])
    assert out[0] == {"id": link.id, "version": 1}  # the stored version, not the browser's
    assert out[1:5] == (CHART, "2024", "622", "GOV-C8_4")
    assert out[5] == "Cổng tỉnh" and out[6] == in_a_year() and out[7] == "signed"
    assert buttons[:2] == (False, False) and "Cổng tỉnh" in buttons[2]


def test_chart_form_shows_the_pickers_the_chart_reads(app, session):
    with app.test_request_context():
        login_user(get_user(app, "admin"))
        trend = callbacks.chart_form(CHART, 0, None)
        year = callbacks.chart_form("dao-tao-theo-nam", 0, "GOV-C8_4")
        pilots = callbacks.chart_form("mo-hinh-thi-diem-trang-thai", 0, None)
    assert trend[:3] == (None, None, None) and trend[4] == trend[3][0]["value"]
    assert year[:3] == (callbacks.HIDDEN,) * 3 and year[6] == []
    assert pilots[:3] == (None, callbacks.HIDDEN, callbacks.HIDDEN)
    assert [o["value"] for o in pilots[6]] == ["period"]


# --- in Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builder_server(template_url, tmp_path_factory):
    """The application on a copy of the demo database, served on a free port; its own origin may
    frame the embeds (the builder's preview is a frame of this origin)."""
    import shutil
    import threading

    from werkzeug.serving import make_server

    from tests.conftest import make_app
    from tests.test_browser import QuietHandler

    if not template_url.startswith("sqlite"):
        pytest.skip("browser tests write to their database: they run on SQLite only")
    path = tmp_path_factory.mktemp("embed-builder") / "live.sqlite"
    shutil.copy(template_url.split("///", 1)[1], path)
    application = make_app(f"sqlite:///{path}")
    dash_app = application.extensions["dash_app"]
    if not any("ea-msg.children" in key for key in dash_app.callback_map):
        callbacks.register(dash_app)
    server = make_server("127.0.0.1", 0, application, threaded=True, request_handler=QuietHandler)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield application, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        application.extensions["db"].dispose()


@pytest.fixture(scope="module")
def chromium():
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium not found on PATH")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def admin_page(chromium, base, width):
    from tests.conftest import PASSWORD

    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(base + "/quan-tri/nhung")
    page.wait_for_selector("#ea-chart")
    return context, page, errors


@pytest.mark.browser
def test_builder_creates_previews_copies_and_revokes_in_chromium(builder_server, chromium):
    from playwright.sync_api import expect

    application, base = builder_server
    context, page, errors = admin_page(chromium, base, 1440)
    try:
        page.locator("#ea-kind label", has_text="Có chữ ký").click()
        for label in ("Trang chủ", "Trang NTM"):
            page.fill("#ea-label", label)
            page.click("#ea-create")
            expect(page.locator("#ea-editing")).to_contain_text(label)
        snippet = page.locator("#ea-snippet")
        expect(snippet).to_have_value(re.compile(r"/nhung/tong-quan-xu-huong\?t=[\w.-]+\""))
        assert f'<script src="{base}/nhung/static/portal.js" defer></script>' in (
            snippet.input_value()
        )
        page.click("#ea-copy")
        expect(page.locator("#ea-copy-status")).to_have_text("Đã sao chép.")
        # the preview shows the signed embed and takes the height it posts
        frame = page.frame_locator("#ea-preview")
        expect(frame.locator("#embed-heading")).to_be_visible()
        expect(page.locator("#ea-preview")).not_to_have_attribute(
            "style", re.compile(r"height: 560px"), timeout=15_000
        )
        page.click("#ea-w-320")
        expect(page.locator("#ea-preview")).to_have_attribute("style", re.compile("width: 320px"))
        rows = page.locator("#ea-links-grid .ag-center-cols-container .ag-row")
        expect(rows).to_have_count(2)
        rows.filter(has_text="Trang chủ").click()
        expect(page.locator("#ea-label")).to_have_value("Trang chủ")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#ea-revoke")
        expect(page.locator("#ea-msg")).to_contain_text("Đã thu hồi")
        expect(rows.filter(has_text="Trang chủ")).to_contain_text("Đã thu hồi")
        expect(rows.filter(has_text="Trang NTM")).to_contain_text("Đang hiệu lực")
        assert errors == []
    finally:
        context.close()
    with application.app_context():
        session = application.extensions["db"].session()
        links = {link.label: link for link in session.scalars(sa.select(EmbedLink))}
    assert links["Trang chủ"].revoked_at is not None and links["Trang NTM"].revoked_at is None


@pytest.mark.browser
def test_builder_fits_a_phone(builder_server, chromium):
    from playwright.sync_api import expect

    _application, base = builder_server
    context, page, errors = admin_page(chromium, base, 390)
    try:
        expect(page.locator("#ea-preview")).to_have_attribute("src", re.compile("^/nhung/"))
        # the preview has rendered its chart: the page around it has its final width
        expect(page.frame_locator("#ea-preview").locator("#embed-heading")).to_be_visible()
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0 and errors == []
    finally:
        context.close()
