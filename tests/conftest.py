"""Fixtures: an application on a database in the demo state, clients, logging in, callbacks.

The database is SQLite by default. Set `TEST_DATABASE_URL` (e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/test`) to run the same tests on PostgreSQL.
Each test gets the demo state afresh: on SQLite a copy of a prepared file; on PostgreSQL, after
a test that wrote, every table is restored from a copy taken once the demo was loaded.
Under pytest-xdist each PostgreSQL worker has its own database beside the given one
(`test_gw0`, `test_gw1`…).
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import create_app
from dashboard.auth import passwords
from dashboard.db import Base, make_engine
from dashboard.migrate import upgrade
from dashboard.models import Indicator, User
from dashboard.services.demo import load_demo
from dashboard.services.reference import (
    seed_reference,
)

PASSWORD = "test-password-1"

# Passwords hashed fast (as Django's test settings do): a server's scrypt costs ~0.1 s per hash,
# and the suite logs in and loads demo accounts thousands of times. Servers started as separate
# processes (gunicorn) keep scrypt; `test_passwords_are_stored_with_scrypt` pins the default.
passwords.HASH_METHOD = "pbkdf2:sha256:1000"


def _worker_url(url: str) -> str:
    """Under pytest-xdist, a PostgreSQL database of the worker's own beside the given one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url.startswith("postgresql") or not worker:
        return url
    parsed = sa.engine.make_url(url)
    if parsed.database.endswith(f"_{worker}"):  # this module imported a second time
        return url
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


TEST_DATABASE_URL = _worker_url(os.environ.get("TEST_DATABASE_URL", ""))
if TEST_DATABASE_URL:  # tests that make databases beside it read the worker's own
    os.environ["TEST_DATABASE_URL"] = TEST_DATABASE_URL


def _create_database(url: str) -> None:
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        ).first()
        if exists is None:
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


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


class PgSnapshot:
    """Every table's rows and every sequence of a PostgreSQL database, kept in memory.

    `restore` puts them back in one transaction: all tables emptied, the rows copied in,
    the sequences set. Foreign keys are not checked while copying (the rows were consistent
    when taken), so the order of the tables does not matter."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self.tables = [table.name for table in Base.metadata.sorted_tables]
        self.rows: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for name in self.tables:
                with cursor.copy(f'COPY "{name}" TO STDOUT (FORMAT binary)') as copy:
                    self.rows[name] = b"".join(bytes(block) for block in copy)
            self.sequences = conn.execute(
                sa.text(
                    "SELECT format('%I.%I', schemaname, sequencename), last_value "
                    "FROM pg_sequences WHERE schemaname = current_schema()"
                )
            ).all()

    def restore(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            names = ", ".join(f'"{name}"' for name in self.tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            cursor = conn.connection.driver_connection.cursor()
            for name in self.tables:
                if self.rows[name]:
                    with cursor.copy(f'COPY "{name}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(self.rows[name])
            for sequence, last_value in self.sequences:
                if last_value is None:
                    conn.execute(sa.text("SELECT setval(:s, 1, false)"), {"s": sequence})
                else:
                    conn.execute(sa.text("SELECT setval(:s, :v)"), {"s": sequence, "v": last_value})

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture(scope="session")
def template_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        if TEST_DATABASE_URL.startswith("postgresql"):
            _create_database(TEST_DATABASE_URL)
        _prepare(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    url = f"sqlite:///{path}"
    _prepare(url)
    return url


@pytest.fixture(scope="session")
def demo_snapshot(template_url):
    """The demo state of a shared (PostgreSQL) test database, to restore after writes."""
    if template_url.startswith("sqlite"):
        yield None
        return
    snapshot = PgSnapshot(template_url)
    yield snapshot
    snapshot.dispose()


@pytest.fixture
def database_url(template_url, demo_snapshot, tmp_path) -> str:
    if template_url.startswith("sqlite"):
        path = tmp_path / "test.sqlite"
        shutil.copy(template_url.split("///", 1)[1], path)
        return f"sqlite:///{path}"
    if _state["dirty"]:  # PostgreSQL: the same database, restored after writes
        demo_snapshot.restore()
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


def add_unit_targets(session, code: str, year: int, values: dict[str, float]) -> None:
    """Targets of indicator `code` for `year`, one per unit (GSO code -> value; the unit
    version in force on 1 January), added straight to the database; the caller commits."""
    import datetime as dt

    from dashboard.models import OrgUnit, Target

    ind = session.scalar(sa.select(Indicator).where(Indicator.code == code))
    day = dt.date(year, 1, 1)
    for gso, value in values.items():
        unit = session.scalar(
            sa.select(OrgUnit).where(OrgUnit.gso_code == gso, OrgUnit.valid_on(day))
        )
        session.add(
            Target(
                indicator=ind,
                level=unit.level,
                scope_unit=unit,
                scope_key=Target.key_for(unit.id, None),
                target_value=float(value),
                target_year=year,
                source="test",
            )
        )


# --- browser tests: Chromium and what the live servers share -----------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class SharedChromium:
    """The system's Chromium (Debian's `chromium`), headless, kept running from one browser
    test module to the next, so that each module does not start its own.

    Only one Playwright (sync API) may run at a time: before a test that does not use it (a
    module that starts Playwright itself, or any other test) it is stopped, and the next
    module that needs it starts it again."""

    def __init__(self) -> None:
        self.playwright = None
        self.chromium = None

    def get(self, executable: str):
        if self.chromium is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.chromium = self.playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        return self.chromium

    def stop(self) -> None:
        chromium, playwright = self.chromium, self.playwright
        self.chromium = self.playwright = None
        try:
            if chromium is not None:
                chromium.close()
        finally:
            if playwright is not None:
                playwright.stop()


_chromium = SharedChromium()


@pytest.fixture(scope="module")
def browser():
    """Chromium for the module's browser tests (`SharedChromium`). Without it the browser
    tests are skipped, unless `CI` is set, where it is a failure."""
    executable = shutil.which("chromium")
    if executable is None:
        message = "Chromium not found on PATH (Debian package `chromium`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")
    return _chromium.get(executable)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if "browser" not in item.fixturenames:
        _chromium.stop()


def pytest_sessionfinish(session):
    _chromium.stop()


@pytest.fixture(scope="session")
def static_compression_cache():
    """One cache of compressed static files for every live server of the session.

    Each application compresses Dash's bundles once (Brotli, several seconds for plotly.min.js
    alone) and keeps them; the live servers of the browser test modules are separate
    applications on the same files, so they share what the first one compressed."""
    from dashboard.delivery import StaticCompressionCache

    return StaticCompressionCache()
