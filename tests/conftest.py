"""Fixtures: an application on a database in the demo state, clients, logging in, callbacks.

The database is SQLite by default. Set `TEST_DATABASE_URL` (e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/test`) to run the same tests on PostgreSQL.
Each test gets the demo state afresh: on SQLite a copy of a prepared file, elsewhere the tables
are emptied and the demo data loaded again.
"""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import create_app
from dashboard.db import Base, make_engine
from dashboard.migrate import upgrade
from dashboard.models import Indicator, Period, Target, User
from dashboard.services.demo import load_demo
from dashboard.services.reference import (
    PROGRAMME_YEARS,
    data_text,
    default_deadline,
    seed_reference,
)
from dashboard.services.registry_specs import REGISTRIES

PASSWORD = "test-password-1"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def _prepare(url: str) -> None:
    engine = make_engine(url)
    if not url.startswith("sqlite"):
        with engine.begin() as conn:  # start from an empty schema every run
            Base.metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(url)
    with so.Session(engine) as session:
        seed_reference(session)
        session.commit()
        load_demo(session, PASSWORD)
    engine.dispose()


_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE", "DROP", "ALTER")
_state = {"dirty": True}


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _note_writes(_conn, _cursor, statement, *_args):
    """Any statement that may change data marks the shared database for a reset."""
    if statement.lstrip()[:8].upper().startswith(_WRITE_VERBS):
        _state["dirty"] = True


def reset_to_demo(url: str) -> None:
    """Remove everything tests may have written, then load the demo data again."""
    engine = make_engine(url)
    written = [
        "district_report",
        "audit_log",
        "embed_link",
        "embed_chart",
        "indicator_value",
        *(spec.model.__tablename__ for spec in REGISTRIES.values()),
        "user_account",
    ]
    with so.Session(engine) as session:
        session.execute(sa.text(f"TRUNCATE {', '.join(written)} RESTART IDENTITY CASCADE"))
        session.execute(
            sa.delete(Period).where(Period.code.not_in([str(y) for y in PROGRAMME_YEARS]))
        )
        # Reference data tests may have changed: extra indicators, targets, deadlines.
        seeded = [i["code"] for i in json.loads(data_text("indicators.json"))["indicators"]]
        extra = sa.select(Indicator.id).where(Indicator.code.not_in(seeded))
        session.execute(sa.delete(Target).where(Target.indicator_id.in_(extra)))
        session.execute(sa.delete(Indicator).where(Indicator.code.not_in(seeded)))
        session.execute(sa.delete(Target).where(Target.target_year != 2025))
        for period in session.scalars(sa.select(Period)):
            period.deadline = default_deadline(period.end_date)
        seed_reference(session)
        session.commit()
        load_demo(session, PASSWORD)
    engine.dispose()


@pytest.fixture(scope="session")
def template_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        _prepare(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    url = f"sqlite:///{path}"
    _prepare(url)
    return url


@pytest.fixture
def database_url(template_url, tmp_path) -> str:
    if template_url.startswith("sqlite"):
        path = tmp_path / "test.sqlite"
        shutil.copy(template_url.split("///", 1)[1], path)
        return f"sqlite:///{path}"
    if _state["dirty"]:  # PostgreSQL: the same database, emptied and reloaded after writes
        reset_to_demo(template_url)
        _state["dirty"] = False
    return template_url


def make_app(url: str, **overrides):
    config = {
        "APP_MODE": "test",
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret",
        "DEMO_PASSWORD": PASSWORD,
        "BOUNDARIES_GEOJSON": None,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_factory():
    """Builds extra applications (other settings, a second worker) and disposes of them."""
    created = []

    def factory(url: str, **overrides):
        application = make_app(url, **overrides)
        created.append(application)
        return application

    yield factory
    for application in created:
        application.extensions["db"].dispose()


@pytest.fixture
def app(database_url):
    application = make_app(database_url)
    yield application
    application.extensions["db"].dispose()


@pytest.fixture(scope="session")
def ro_app(template_url):
    """An application for tests that only read (the demo state is never changed through it)."""
    application = make_app(template_url)
    yield application
    application.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with app.app_context():
        yield app.extensions["db"].session()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if match is None:
        match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the login form"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD, next_url: str | None = None):
        page = self.client.get("/login")
        token = csrf_token(page.get_data(as_text=True))
        url = "/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(
            url, data={"username": username, "password": password, "csrf_token": token}
        )

    def logout(self):
        return self.client.get("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def get_user(app, username: str) -> User:
    with app.app_context():
        session = app.extensions["db"].session()
        return session.scalar(sa.select(User).where(User.username == username))


class DashCaller:
    """Replays Dash callback requests (`POST /_dash-update-component`) as a browser sends them."""

    def __init__(self, app, client):
        self.dash = app.extensions["dash_app"]
        self.client = client

    def _callback(self, first_output: str) -> tuple[str, dict]:
        """The callback whose first output is `first_output` exactly, else the first whose first
        output contains it (pattern-matching ids, `@hash` suffixes of duplicate outputs)."""
        keys = list(self.dash.callback_map)
        firsts = [key.strip(".").split("...")[0] for key in keys]
        for key, first in zip(keys, firsts, strict=True):
            if first == first_output:
                return key, self.dash.callback_map[key]
        for key, first in zip(keys, firsts, strict=True):
            if first_output in first:
                return key, self.dash.callback_map[key]
        raise KeyError(first_output)

    def post(
        self,
        first_output: str,
        inputs: list,
        state: list | None = None,
        changed: list[str] | None = None,
        outputs: list | None = None,
    ):
        """`first_output` is a piece of the callback's first output (`pl-edit-feedback.children`,
        `"reg-msg"`); pattern-matching callbacks pass their concrete `outputs`."""
        key, _spec = self._callback(first_output)
        if outputs is None:
            outputs = []
            for out in key.strip(".").split("..."):
                component, prop = out.rsplit(".", 1)
                outputs.append({"id": component, "property": prop.split("@")[0]})
        body = {
            "output": key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs,
            "state": state or [],
            "changedPropIds": changed or [f"{inputs[0]['id']}.{inputs[0]['property']}"],
        }
        return self.client.post("/_dash-update-component", json=body)


@pytest.fixture
def dash_caller(app, client):
    return DashCaller(app, client)
