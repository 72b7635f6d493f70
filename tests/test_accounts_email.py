"""Users' e-mail addresses, where notifications are also sent when SMTP is configured."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from dashboard.errors import ValidationError
from dashboard.models import AuditLog, User
from dashboard.services import admin

pytestmark = pytest.mark.db


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


def test_address_is_stored_trimmed_and_audited(session):
    """Catches an address dropped on the way to the account (notifications never e-mailed) or
    changed without a trace in the audit log."""
    actor = user(session, "admin")
    created = admin.create_user(
        session,
        actor,
        username="canbo.mail",
        role="editor",
        district_code="633",
        password="mat-khau-can-bo-1",
        email="  canbo@chuse.gialai.gov.vn ",
    )
    assert created.email == "canbo@chuse.gialai.gov.vn"
    admin.update_user(
        session, actor, created.id, role="editor", district_code="633", email="moi@gialai.gov.vn"
    )
    entry = session.scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
    assert json.loads(entry.before)["email"] == "canbo@chuse.gialai.gov.vn"
    assert json.loads(entry.after)["email"] == "moi@gialai.gov.vn"
    # Omitting the address keeps it; an empty one clears it.
    admin.update_user(session, actor, created.id, role="editor", district_code="633")
    assert user(session, "canbo.mail").email == "moi@gialai.gov.vn"
    admin.update_user(session, actor, created.id, role="editor", district_code="633", email="")
    assert user(session, "canbo.mail").email is None


@pytest.mark.parametrize("bad", ["khong-co-a-cong", "a@b", "hai @cach.vn", "x" * 250 + "@a.vn"])
def test_malformed_address_is_refused_and_changes_nothing(session, bad):
    """Catches a malformed address accepted (mail to it fails on every notification) or an
    account half-created before the refusal."""
    actor = user(session, "admin")
    with pytest.raises(ValidationError) as refused:
        admin.create_user(
            session,
            actor,
            username="canbo.sai",
            role="viewer",
            password="mat-khau-can-bo-1",
            email=bad,
        )
    assert "thư điện tử" in refused.value.errors["email"]
    session.rollback()
    assert user(session, "canbo.sai") is None
    viewer = user(session, "viewer")
    with pytest.raises(ValidationError):
        admin.update_user(session, actor, viewer.id, role="viewer", email=bad)
    session.rollback()
    assert user(session, "viewer").email is None


def test_admin_page_saves_the_address_through_the_callback(app, auth, dash_caller):
    """Catches an address field on the admin page that never reaches the account (the callback
    dropping its state) or that the page's answer does not confirm."""
    auth.login("admin")
    response = dash_caller.post(
        "ad-user-msg.children",
        inputs=[
            {"id": "ad-create", "property": "n_clicks", "value": 1},
            {"id": "ad-update", "property": "n_clicks", "value": None},
            {"id": "ad-reset", "property": "n_clicks", "value": None},
        ],
        state=[
            {"id": "ad-username", "property": "value", "value": "canbo.thu"},
            {"id": "ad-fullname", "property": "value", "value": "Cán bộ"},
            {"id": "ad-role", "property": "value", "value": "viewer"},
            {"id": "ad-district", "property": "value", "value": None},
            {"id": "ad-password", "property": "value", "value": "mat-khau-can-bo-1"},
            {"id": "ad-active", "property": "value", "value": True},
            {"id": "ad-users-grid", "property": "selectedRows", "value": None},
            {"id": "ad-refresh", "property": "data", "value": 0},
            {"id": "ad-email", "property": "value", "value": "thu@gialai.gov.vn"},
        ],
        changed=["ad-create.n_clicks"],
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        session = app.extensions["db"].session()
        assert user(session, "canbo.thu").email == "thu@gialai.gov.vn"
