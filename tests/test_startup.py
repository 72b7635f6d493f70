"""The application is ready before it serves: Dash's first-request work is done while it is
built, so two first requests at once cannot race over Dash's callbacks."""

from __future__ import annotations

import threading

import pytest

pytestmark = pytest.mark.db


def test_dash_is_set_up_before_the_first_request(app_factory, database_url):
    """Catches the race seen as a 500 "dictionary changed size during iteration" when a portal
    page framed two charts of a fresh server: Dash's server setup walking the callbacks while
    its pages router added its own, each on its first request, in two threads."""
    app = app_factory(database_url)
    dash_app = app.extensions["dash_app"]
    assert dash_app._got_first_request["setup_server"] is True
    assert dash_app._got_first_request["pages"] is True
    assert any(
        key.startswith("..._pages_content") or "_pages_content" in key
        for key in dash_app.callback_map
    )


def test_first_requests_at_once_all_answer(app_factory, database_url):
    """Catches a first-request race on any path the portal frames at once."""
    app = app_factory(database_url)
    statuses: list[int] = []

    def get(path: str) -> None:
        with app.test_client() as client:
            statuses.append(client.get(path).status_code)

    paths = ["/nhung/tong-quan-xep-hang?period=2022", "/nhung/tong-quan-xu-huong", "/login"] * 3
    threads = [threading.Thread(target=get, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(statuses) == len(paths) and 500 not in statuses, statuses
