"""Command line: init-db, load-demo (demo only), create-user."""

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from dashboard.models import AuditLog, IndicatorValue, OrgUnit, User

pytestmark = pytest.mark.db


def test_init_db_on_an_empty_database_then_load_demo(tmp_path, app_factory):
    app = app_factory(f"sqlite:///{tmp_path}/fresh.sqlite", APP_MODE="demo")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = app.extensions["db"].session()
        assert session.scalar(sa.select(sa.func.count(OrgUnit.id))) == 239 + 136
        assert session.scalar(sa.select(sa.func.count(User.id))) == 0
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    with app.app_context():
        session = app.extensions["db"].session()
        names = set(session.scalars(sa.select(User.username)))
        assert {"admin", "viewer", "approver", "editor-622", "editor-633", "editor-23590"} <= names
        # admin, viewer, approver, 17 district editors, 2 commune editors of the two-tier units
        assert len(names) == 22
    # Loading twice gives the same data, not twice as much.
    with app.app_context():
        first = app.extensions["db"].session().scalar(sa.select(sa.func.count(IndicatorValue.id)))
    runner.invoke(args=["load-demo"])
    with app.app_context():
        again = app.extensions["db"].session().scalar(sa.select(sa.func.count(IndicatorValue.id)))
    assert first == again


def test_load_demo_is_refused_in_production(tmp_path, app_factory):
    app = app_factory(f"sqlite:///{tmp_path}/prod.sqlite", APP_MODE="production", SECRET_KEY="prod")
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code != 0
    assert "APP_MODE=demo" in result.output


def test_create_user(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "canbo-chuse",
            "--role",
            "editor",
            "--district",
            "633",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = (
            app.extensions["db"]
            .session()
            .scalar(sa.select(User).where(User.username == "canbo-chuse"))
        )
        assert user.role == "editor" and user.unit.gso_code == "633" and not user.is_demo
        assert check_password_hash(user.password_hash, "mat-khau-dai")
        entry = (
            app.extensions["db"].session().scalar(sa.select(AuditLog).order_by(AuditLog.id.desc()))
        )
        assert (entry.action, entry.username, entry.entity_id) == ("user.create", "system", user.id)
        assert "mat-khau" not in entry.after


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["create-user", "viewer", "--role", "viewer", "--password", "mat-khau-hop-le-1"],
            "exists",
        ),
        (
            ["create-user", "x11", "--role", "editor", "--password", "mat-khau-hop-le-1"],
            "--district",
        ),
        (
            [
                "create-user",
                "x22",
                "--role",
                "editor",
                "--district",
                "999",
                "--password",
                "mat-khau-hop-le-1",
            ],
            "No district",
        ),
        (["create-user", "x33", "--role", "viewer", "--password", "short"], "ít nhất 10 ký tự"),
    ],
)
def test_create_user_errors(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("canbo-moi", "12345678", "ít nhất 10 ký tự"),
        ("canbo-moi", "1234567890", "phổ biến"),
        ("canbo-moi", "canbo-moi-2025", "tên đăng nhập"),
        ("Có Dấu", "mat-khau-hop-le-1", "lower-case"),
    ],
)
def test_create_user_refuses_weak_passwords_and_bad_names(app, runner, name, password, message):
    """Bug: `ntm-dashboard create-user` accepted `12345678` (only 8 characters were required)
    and any username; nothing may be created then."""
    result = runner.invoke(args=["create-user", name, "--role", "viewer", "--password", password])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        session = app.extensions["db"].session()
        assert session.scalar(sa.select(User).where(User.username == name.lower())) is None
