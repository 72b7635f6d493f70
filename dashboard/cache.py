"""The figure cache: what a page's callback returned, kept and reused until the data changes.

Keys are (figure, its inputs, language, the user's role and scope, the day in Vietnam, the
data version). The data version (`services.aggregates.version`) grows in the transaction of
every change to the data behind a figure — a value, a registry row, an import, an approval, a
reopening, reference data — so a key is never read after such a change: the cache is never
stale, whichever worker or instance made the change and whichever serves the next request.
Nothing has to be deleted; old entries expire (`FIGURE_CACHE_SECONDS`).

With `REDIS_URL` set the entries live in Redis and every worker and instance shares them;
otherwise each worker keeps its own (still never stale: the version is read from the
database). `FIGURE_CACHE=off` computes every time. When Redis does not answer, figures are
computed directly and the cache is not asked again for `RETRY_SECONDS` (a warning is logged),
so a stopped Redis costs neither errors nor a connection timeout per request.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from dash import no_update
from flask import Flask, current_app
from flask_caching import Cache
from flask_login import current_user
from plotly.io.json import to_json_plotly

from dashboard.db import get_session

log = logging.getLogger(__name__)

cache = Cache()
RETRY_SECONDS = 30.0
_MISS = object()
_down = {"until": 0.0}
_down_lock = threading.Lock()


def settings(config: dict) -> dict:
    """Flask-Caching settings for the app's configuration (with the cache on)."""
    timeout = int(config.get("FIGURE_CACHE_SECONDS") or 3600)
    redis_url = config.get("REDIS_URL")
    if redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": "ntm:figure:",
            "CACHE_DEFAULT_TIMEOUT": timeout,
            # A Redis that does not answer must not hold requests: fail fast, compute instead.
            "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": timeout, "CACHE_THRESHOLD": 2000}


def init_app(server: Flask) -> None:
    server.extensions["figure_recent"] = _Recent()
    if server.config.get("FIGURE_CACHE", True):
        cache.init_app(server, config=settings(server.config))


def enabled() -> bool:
    return bool(current_app.config.get("FIGURE_CACHE", True))


def _viewer() -> tuple:
    """What of the user may change a page: role and scope (None when anonymous)."""
    if not getattr(current_user, "is_authenticated", False):
        return (None, None)
    return (current_user.role, current_user.unit_id)


def key(name: str, args: tuple) -> str:
    """The cache key of figure `name` for `args` in the current request."""
    from dashboard.i18n import current_lang
    from dashboard.services import aggregates
    from dashboard.services.workflow import today_in_vietnam

    parts = (
        name,
        aggregates.version(get_session()),
        current_lang(),
        _viewer(),
        today_in_vietnam().isoformat(),
        args,
    )
    return f"{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:40]}"


def _available() -> bool:
    return time.monotonic() >= _down["until"]


def _failed(exc: Exception) -> None:
    with _down_lock:
        if _available():
            log.warning(
                "Figure cache unavailable (%s); computing figures directly for %.0f s.",
                exc,
                RETRY_SECONDS,
            )
        _down["until"] = time.monotonic() + RETRY_SECONDS


class _Recent:
    """The worker's last `size` entries in memory, in front of the shared cache: a hot figure
    is served without a round trip to Redis or unpickling. Keys carry the data version, so an
    entry here is as current as the shared one."""

    def __init__(self, size: int = 64):
        self.size = size
        self.items: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, cache_key: str):
        with self.lock:
            found = self.items.get(cache_key, _MISS)
            if found is not _MISS:
                self.items.move_to_end(cache_key)
            return found

    def put(self, cache_key: str, value) -> None:
        with self.lock:
            self.items[cache_key] = value
            self.items.move_to_end(cache_key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def _recent() -> _Recent:
    return current_app.extensions["figure_recent"]


def get(cache_key: str):
    found = _recent().get(cache_key)
    if found is not _MISS or not _available():
        return found
    try:
        found = cache.get(cache_key)
    except Exception as exc:  # the backend's own errors (redis.ConnectionError, timeouts…)
        _failed(exc)
        return _MISS
    if found is None:
        return _MISS
    _recent().put(cache_key, found)
    return found


def put(cache_key: str, value) -> None:
    _recent().put(cache_key, value)
    if not _available():
        return
    try:
        cache.set(cache_key, value)
    except Exception as exc:
        _failed(exc)


def _storable(value):
    """What is kept: the plain JSON structure Dash would send (figures and components as
    dicts), which loads and serialises again at C speed; None when the result must not be
    kept (it leaves an output unchanged, which only the live `no_update` object means)."""
    values = value if isinstance(value, tuple | list) else (value,)
    if any(isinstance(v, type(no_update)) for v in values):
        return None
    plain = json.loads(to_json_plotly(value))
    return tuple(plain) if isinstance(value, tuple) else plain


def remembered(name: str, args: tuple, compute: Callable[[], object]):
    """`compute()`, or what it returned before for `name` and `args` in the same data version,
    language, role and scope, and day (the value must pickle)."""
    if not enabled():
        return compute()
    cache_key = key(name, args)
    found = get(cache_key)
    if found is not _MISS:
        return found
    value = compute()
    put(cache_key, value)
    return value


def figures(name: str) -> Callable:
    """Decorator for a callback (or any function of plain arguments) whose result depends only
    on its arguments, the data, the language, the user's role and scope and the day. What is
    kept is the result's JSON structure (`_storable`)."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args):
            if not enabled():
                return fn(*args)
            cache_key = key(name, args)
            found = get(cache_key)
            if found is not _MISS:
                return found
            result = fn(*args)
            stored = _storable(result)
            if stored is not None:
                put(cache_key, stored)
            return result

        return wrapper

    return decorate
