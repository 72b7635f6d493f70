"""The figure cache: a page's figures computed once and reused, never stale after a change made
anywhere (another worker, another instance), separate per language, role and scope, and a
stopped Redis costs neither an error nor a wait."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
import sqlalchemy as sa

from dashboard import cache
from dashboard.models import OrgUnit, User
from dashboard.services import aggregates, values
from dashboard.services import indicators as svc
from tests.conftest import PASSWORD, AuthActions, DashCaller

pytestmark = pytest.mark.db

CELL = {"indicator_code": "GOV-DOSSIER-COMM", "period_code": "2024"}
DOSSIERS = 987_654  # a numerator no demo value has


def login(app, username: str):
    client = app.test_client()
    assert AuthActions(client).login(username, PASSWORD).status_code == 302
    return DashCaller(app, client)


def pillar(caller: DashCaller, district: str = "622", period: str = "2024", mode: str = "all"):
    """The government pillar page's main callback: summary, charts and the records table."""
    answer = caller.post(
        "pl-summary.children",
        [
            {"id": "pl-period", "property": "value", "value": period},
            {"id": "pl-district", "property": "value", "value": district},
            {"id": "pl-indicator", "property": "value", "value": "GOV-DOSSIER-COMM"},
            {"id": "pl-refresh", "property": "data", "value": 0},
            {"id": "data-mode", "property": "value", "value": mode},
        ],
        [{"id": "pl-pillar", "property": "data", "value": "government"}],
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def a_commune(app) -> int:
    """The first commune of Pleiku (editor-622's district)."""
    with app.app_context():
        session = app.extensions["db"].session()
        district = svc.district_by_code(session, "622")
        return session.scalars(
            sa.select(OrgUnit.id)
            .where(OrgUnit.parent_id == district.id, OrgUnit.valid_on(dt.date(2025, 6, 30)))
            .order_by(OrgUnit.gso_code)
        ).first()


def edit(app, unit_id: int, numerator: int = DOSSIERS) -> None:
    """An editor's save through the service every write path uses (its own session)."""
    with app.app_context():
        session = app.extensions["db"].session()
        editor = session.scalar(sa.select(User).where(User.username == "editor-622"))
        stored = values.stored(
            session,
            svc.get_indicator(session, CELL["indicator_code"]).id,
            unit_id,
            svc.get_period(session, CELL["period_code"]).id,
        )
        values.set_value(
            session,
            editor,
            unit_id=unit_id,
            raw={"numerator": str(numerator), "denominator": str(numerator + 1000)},
            expected_version=stored.version if stored else None,
            **CELL,
        )


@pytest.fixture
def counted(monkeypatch):
    """How many times the pillar page's figures were computed (not served from the cache)."""
    calls = []
    original = svc.summary

    def summary(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(svc, "summary", summary)
    return calls


def test_figures_are_computed_once_then_served_from_the_cache(app, counted):
    """Catches a cache that is never read (every request computes) and a cached answer that
    differs from the computed one."""
    viewer = login(app, "viewer")
    first = pillar(viewer)
    second = pillar(viewer)
    assert len(counted) == 1
    assert json.loads(second) == json.loads(first)


def test_an_edit_through_another_worker_is_visible_at_once(database_url, app_factory, counted):
    """Two workers (two applications, each with its own in-process cache, on one database):
    an edit through the first must show through the second's next request, though the second
    had the figures cached. A cache keyed without the data version serves the old figures."""
    reader = app_factory(database_url)
    writer = app_factory(database_url)
    viewer = login(reader, "viewer")
    before = pillar(viewer)
    assert str(DOSSIERS) not in before
    pillar(viewer)
    assert len(counted) == 1  # cached
    edit(writer, a_commune(writer))
    after = pillar(viewer)
    assert str(DOSSIERS) in after
    assert len(counted) == 2


def test_the_data_version_grows_in_the_edits_transaction(app):
    """A version bumped after the commit (or not at all) would let a request between the two
    cache the old figures under the new version."""
    with app.app_context():
        session = app.extensions["db"].session()
        before = aggregates.version(session)
    edit(app, a_commune(app))
    with app.app_context():
        session = app.extensions["db"].session()
        assert aggregates.version(session) == before + 1


def test_entries_are_kept_apart_by_language_role_scope_and_mode(app, counted):
    """A cache keyed only by the inputs would serve the English page to Vietnamese readers,
    a viewer's page to an editor (or the reverse) and approved-only figures as all data."""
    viewer = login(app, "viewer")
    editor = login(app, "editor-622")
    pillar(viewer)
    pillar(editor)
    pillar(viewer, mode="approved")
    english = viewer.client.get("/ngon-ngu/en")
    assert english.status_code == 303
    pillar(viewer)
    assert len(counted) == 4
    pillar(viewer)
    pillar(editor)
    assert len(counted) == 4


def test_no_cache_when_turned_off(database_url, app_factory, counted):
    """`FIGURE_CACHE=off` (the benchmark's cold runs) must compute every time."""
    off = app_factory(database_url, FIGURE_CACHE=False)
    viewer = login(off, "viewer")
    pillar(viewer)
    pillar(viewer)
    assert len(counted) == 2


def test_a_stopped_redis_gives_figures_and_one_warning(
    database_url, app_factory, counted, caplog, monkeypatch
):
    """Redis down: the page must still answer (computed, then kept in the worker's memory),
    the log says so once, and Redis is not asked again at every request (each attempt would
    wait for a timeout)."""
    monkeypatch.setattr(cache, "_down", {"until": 0.0})
    attempts = []
    real_get = cache.cache.get

    def counting_get(*args, **kwargs):
        attempts.append(args)
        return real_get(*args, **kwargs)

    monkeypatch.setattr(cache.cache, "get", counting_get)
    dead = app_factory(
        database_url, REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI="memory://"
    )
    viewer = login(dead, "viewer")
    with caplog.at_level(logging.WARNING, logger="dashboard.cache"):
        first = pillar(viewer)
        second = pillar(viewer)
    assert json.loads(first) == json.loads(second)
    assert len(counted) == 1  # the worker's own recent entries still serve it
    assert len(attempts) == 1
    warnings = [r for r in caplog.records if "Figure cache unavailable" in r.getMessage()]
    assert len(warnings) == 1


def test_a_result_that_leaves_an_output_unchanged_is_not_kept(app):
    """`no_update` stored as its JSON form would later be sent as a value (a dict) and
    overwrite the output instead of leaving it."""
    assert cache._storable(("a", cache.no_update)) is None
    assert cache._storable(("a", 1)) == ("a", 1)
