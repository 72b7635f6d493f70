"""Several instances behind one PostgreSQL and one Redis, as the README deploys them: two
gunicorn instances of two workers each, sharing the figure cache and the login throttle
through Redis and the sessions through the secret key. An edit saved through one instance is
shown at once by the other, whose cached figures it makes obsolete.

Runs in the PostgreSQL pass of the suite (`TEST_DATABASE_URL=postgresql…`) with Redis at
127.0.0.1:6379 (database 13, emptied first); skipped elsewhere, and failing under `CI=true`
when Redis does not answer.
"""

from __future__ import annotations

import json
import os
import secrets

import pytest
import redis

from scripts import loadtest as lt
from tests.conftest import PASSWORD, TEST_DATABASE_URL

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        not TEST_DATABASE_URL.startswith("postgresql"), reason="several instances: PostgreSQL"
    ),
]

REDIS_URL = "redis://127.0.0.1:6379/13"
INDICATOR = "GOV-DOSSIER-COMM"
PERIOD = "2024"
DOSSIERS = 876_543  # a numerator no demo value has


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379: CI requires it.")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def instances(database_url, shared_redis, tmp_path):
    """Two gunicorn instances (2 workers each) on the test database and the shared Redis."""
    env = {
        **os.environ,
        "APP_MODE": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "instances-" + secrets.token_hex(16),
        "DEMO_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
    }
    started: list[tuple] = []
    try:
        for name in ("a", "b"):
            port = lt.free_port()
            master = lt.start_gunicorn(env, port, tmp_path / f"gunicorn-{name}.log")
            started.append((master, port))
            lt.wait_ready(master, port, workers=2)
        yield [port for _master, port in started]
    finally:
        for master, _port in started:
            lt.stop_gunicorn(master)


def browser(port: int, username: str) -> lt.Browser:
    user = lt.Browser(port, lt.Recorder())
    assert user.login(username, PASSWORD), f"{username} could not log in"
    return user


def callbacks(user: lt.Browser) -> lt.DashCallbacks:
    answer = user.get("layout", "/_dash-dependencies")
    assert answer.status == 200
    return lt.DashCallbacks(answer.json())


def records(user: lt.Browser, calls: lt.DashCallbacks) -> str:
    """The government page for Pleiku, 2024, GOV-DOSSIER-COMM: summary, charts, records."""
    body = calls.body(
        "pl-summary.children",
        [
            lt.prop("pl-period", "value", PERIOD),
            lt.prop("pl-district", "value", "622"),
            lt.prop("pl-indicator", "value", INDICATOR),
            lt.prop("pl-refresh", "data", 0),
            lt.prop("data-mode", "value", "all"),
        ],
        [lt.prop("pl-pillar", "data", "government")],
    )
    answer = user.post_json("read", "/_dash-update-component", body)
    assert answer.status == 200, answer.text()[:500]
    return json.dumps(answer.json(), ensure_ascii=False)


def test_an_edit_through_one_instance_is_visible_at_once_through_the_other(instances, shared_redis):
    """Catches a per-process cache (or one keyed without the data version) serving the figures
    from before the edit, and a cache that is not shared (no entry in Redis)."""
    port_a, port_b = instances
    viewer = browser(port_b, "viewer")
    calls = callbacks(viewer)
    before = records(viewer, calls)
    assert str(DOSSIERS) not in before
    assert records(viewer, calls) == before  # now from the cache, whichever worker answers
    assert shared_redis.keys("ntm:figure:pillar:*"), "no figure in the shared cache"

    editor = lt.Editor(browser(port_a, "editor-622"), calls, lt.EditorStats("editor-622"))
    unit = editor.writable_units(PERIOD)[0]
    cell = lt.Cell(PERIOD, unit)
    version, _shown = editor.prefill(cell)
    saved = editor.save(cell, version, DOSSIERS)
    assert saved.status == 200 and lt.SAVED_ID in saved.text()

    for _ in range(4):  # every worker of instance b, whatever it had cached
        assert str(DOSSIERS) in records(viewer, calls)
    # The login throttle counts in the same Redis for both instances.
    intruder = lt.Browser(port_a, lt.Recorder())
    assert not intruder.login("viewer", "wrong-password-1")
    assert any(b"LIMITER" in key.upper() for key in shared_redis.keys("*"))
