"""Compressed answers and long-lived caching of versioned static files.

`init_app(server)` (called by `create_app`, right after `security.init_app`) adds two
`after_request` hooks:

- **Caching.** A static file whose URL names its version is kept for a year without asking
  again (`max-age=31536000, immutable`): Dash's fingerprinted `/_dash-component-suites/...` files
  (`name.v4_4_1m1795947969.js`), `/assets/...?m=<mtime>` when `m` is the file's current
  modification time (Dash writes it; another value is not a version), Dash's
  `/_favicon.ico?v=<Dash's version>`, and the embeds' `/nhung/static/...?v=` (which set their
  own header). The cache is `public` only on paths whose
  answers never carry the session cookie (`auth.login.COOKIELESS_PREFIXES`), else `private`: a
  shared cache must never keep a signed-in visitor's cookie. Every other answer that names no
  caching of its own (pages, Dash's callbacks and layout, downloads, redirects) gets
  `private, no-store`: they hold one account's data. `security._no_shared_caching_of_cookies`
  still turns any `public` answer that sets a cookie into `private, no-store`.
- **Compression**: Brotli or gzip, as the browser asks (`Accept-Encoding`, negotiated by
  werkzeug: `q=0` refuses), for HTML, CSS, JavaScript, JSON (Dash's `_dash-update-component`
  answers are large) and SVG of at least `COMPRESS_MIN_SIZE` bytes; `Vary: Accept-Encoding` on
  every answer. Pages, callbacks and downloads go through Flask-Compress, at a fast level, each
  time, never cached (they are one account's). Nothing is compressed as a stream
  (`COMPRESS_STREAMS` off: streamed compression ran outside the request context on Dash's
  4.8 MB plotly.min.js). Static files (`/assets/`, `/_dash-component-suites/`,
  `/nhung/static/`, the icon) are read whole, compressed once per process at a higher level
  and kept in memory (`StaticCompressionCache`, least recently used dropped beyond 64 MB), keyed by
  algorithm and URL for versioned files, URL and ETag for the others; their ETag names the
  encoding, so `If-None-Match` still answers 304. Partial (206), 304 and error answers are
  left alone.
"""

from __future__ import annotations

import gzip
import os
import threading
from collections import OrderedDict

import brotli
import dash
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
IMMUTABLE = f"max-age={YEAR}, immutable"
NO_STORE = "private, no-store"
SUITES_PREFIX = "/_dash-component-suites/"
ASSETS_PREFIX = "/assets/"
EMBED_STATIC_PREFIX = "/nhung/static/"
FAVICON = "/_favicon.ico"  # Dash's own icon, `?v=<Dash's version>`
STATIC_PREFIXES = (SUITES_PREFIX, ASSETS_PREFIX, EMBED_STATIC_PREFIX, FAVICON)
COMPRESSED_MIMETYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
]
SETTINGS = {
    "COMPRESS_MIMETYPES": COMPRESSED_MIMETYPES,
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_LEVEL": 6,  # gzip
    "COMPRESS_BR_LEVEL": 4,  # fast enough for every callback answer
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_STREAMS": False,
    "COMPRESS_REGISTER": False,  # `Delivery.compress` calls it, for dynamic answers only
}
# Static files are compressed once per process: spend more time on them (plotly.min.js,
# 4.8 MB: Brotli 9 takes about half a second and gives 1.2 MB; Brotli 11 would take ten).
STATIC_BROTLI_QUALITY = 9
STATIC_GZIP_LEVEL = 9
STATIC_CACHE_BYTES = 64 * 1024 * 1024


class StaticCompressionCache:
    """Compressed static files in memory, least recently used dropped beyond `max_bytes`."""

    def __init__(self, max_bytes: int = STATIC_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._size -= len(old)
            if len(value) > self.max_bytes:
                return
            self._data[key] = value
            self._size += len(value)
            while self._size > self.max_bytes:
                _key, dropped = self._data.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._data)


def is_static(path: str) -> bool:
    return path.startswith(STATIC_PREFIXES)


def _asset_version_is_current(path: str, version: str) -> bool:
    """Whether `?m=` is the modification time of the asset file (as Dash writes it)."""
    dash_app = current_app.extensions.get("dash_app")
    if dash_app is None:
        return False
    file = safe_join(dash_app.config.assets_folder, path[len(ASSETS_PREFIX) :])
    try:
        return file is not None and str(os.stat(file).st_mtime) == version
    except OSError:
        return False


def is_versioned(path: str) -> bool:
    """Whether the URL of the current request names its file's version, so that the answer
    may be kept without asking again."""
    if path.startswith(SUITES_PREFIX):
        return check_fingerprint(path)[1]
    if path.startswith(ASSETS_PREFIX):
        version = request.args.get("m")
        return bool(version) and _asset_version_is_current(path, version)
    if path == FAVICON:
        return request.args.get("v") == dash.__version__
    return False


def _cookieless(path: str) -> bool:
    from dashboard.auth.login import COOKIELESS_PREFIXES

    return path.startswith(COOKIELESS_PREFIXES)


def cache_headers(response: Response) -> Response:
    """A year for versioned static files; `private, no-store` for what names no caching."""
    path = request.path
    if request.method not in {"GET", "HEAD"}:
        response.headers.setdefault("Cache-Control", NO_STORE)
        return response
    if is_static(path) and response.status_code in {200, 304}:
        if is_versioned(path):
            scope = "public" if _cookieless(path) else "private"
            response.headers["Cache-Control"] = f"{scope}, {IMMUTABLE}"
            response.headers.pop("Expires", None)  # send_file dates it now: max-age rules
        return response  # other static files: as served (revalidated by their ETag)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = NO_STORE
    return response


def _compress_bytes(data: bytes, algorithm: str) -> bytes:
    if algorithm == "br":
        return brotli.compress(data, quality=STATIC_BROTLI_QUALITY)
    return gzip.compress(data, STATIC_GZIP_LEVEL, mtime=0)


class Delivery:
    """Flask-Compress for dynamic answers; static files compressed once and kept."""

    def __init__(self, server: Flask) -> None:
        for key, value in SETTINGS.items():
            server.config.setdefault(key, value)
        self.dynamic = Compress()
        self.dynamic.init_app(server)
        self.algorithms = list(server.config["COMPRESS_ALGORITHM"])
        self.mimetypes = frozenset(server.config["COMPRESS_MIMETYPES"])
        self.min_size = server.config["COMPRESS_MIN_SIZE"]
        self.static_cache = StaticCompressionCache()

    def compress(self, response: Response) -> Response:
        if is_static(request.path) and response.status_code == 200:
            return self._compress_static(response)
        algorithm = request.accept_encodings.best_match(self.algorithms)
        if response.status_code != 200 or algorithm is None:
            # 206 parts, 304, redirects and errors stay as they are; so does everything for a
            # client that accepts neither (`identity`, `br;q=0, gzip;q=0`).
            response.vary.add("Accept-Encoding")
            return response
        # Flask-Compress reads `q=0` as a (low) preference: it is given werkzeug's choice.
        environ = request.environ
        asked = environ.get("HTTP_ACCEPT_ENCODING")
        environ["HTTP_ACCEPT_ENCODING"] = algorithm
        try:
            return self.dynamic.after_request(response)
        finally:
            if asked is None:
                environ.pop("HTTP_ACCEPT_ENCODING", None)
            else:
                environ["HTTP_ACCEPT_ENCODING"] = asked

    def _static_key(self, response: Response) -> str | None:
        """Versioned files by their URL; others by URL and the ETag of what is sent now."""
        if response.headers.get("Cache-Control", "").endswith("immutable"):
            return request.full_path
        etag, _weak = response.get_etag()
        return f"{request.full_path}|{etag}" if etag else None

    def _compress_static(self, response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        algorithm = request.accept_encodings.best_match(self.algorithms)
        if (
            algorithm is None
            or response.mimetype not in self.mimetypes
            or "Content-Encoding" in response.headers
            or (response.content_length is not None and response.content_length < self.min_size)
        ):
            return response
        if response.is_streamed:
            # A file: read it whole (plotly.min.js, 4.8 MB, is the largest) and compress it
            # in one piece, within the request.
            response.direct_passthrough = False
            response.make_sequence()
        key = self._static_key(response)
        compressed = self.static_cache.get(f"{algorithm};{key}") if key else None
        if compressed is None:
            compressed = _compress_bytes(response.get_data(), algorithm)
            if key:
                self.static_cache.set(f"{algorithm};{key}", compressed)
        response.set_data(compressed)
        response.headers["Content-Encoding"] = algorithm
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-{algorithm}", weak=weak)
            response.make_conditional(request)
        return response


def init_app(server: Flask) -> Delivery:
    """Compress and set the caching of every answer of `server`. Call right after
    `security.init_app`: the hooks then run after the views' and the login's hooks and before
    security's check that no public answer sets a cookie."""
    delivery = Delivery(server)
    server.extensions["delivery"] = delivery
    # after_request hooks run last-registered first: caching is decided, then compression.
    server.after_request(delivery.compress)
    server.after_request(cache_headers)
    return delivery


__all__ = ["Delivery", "StaticCompressionCache", "cache_headers", "init_app", "is_versioned"]
