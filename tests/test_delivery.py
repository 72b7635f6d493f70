"""Compressed answers and cache headers (dashboard/delivery.py), through the Flask test client
and through gunicorn: Brotli or gzip when the browser asks, never otherwise; a year of caching
for versioned static files only; pages and callbacks never kept by a cache."""

from __future__ import annotations

import gzip
import os
import re
import urllib.request

import brotli
import dash
import pytest

from dashboard import delivery
from tests import test_headers
from tests.test_headers import ROOT, assert_protected

# The gunicorn fixture of the headers tests, shared as it is.
gunicorn_server = test_headers.gunicorn_server

PLOTLY_SUITE = "/_dash-component-suites/plotly/package_data/plotly.min.js"
YEAR = "max-age=31536000"
SCRIPT_OR_STYLE = re.compile(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"')


def decode(response) -> bytes:
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(data)
    if encoding == "gzip":
        return gzip.decompress(data)
    assert encoding is None, encoding
    return data


def get(client, path: str, encoding: str | None = None, **headers):
    """The answer, read whole and closed (static files are open files until then)."""
    if encoding is not None:
        headers["Accept-Encoding"] = encoding
    response = client.get(path, headers=headers)
    response.get_data()
    response.close()
    return response


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",")}


def page_resources(client) -> list[str]:
    return SCRIPT_OR_STYLE.findall(client.get("/").get_data(as_text=True))


@pytest.fixture
def viewer(client, auth):
    auth.login("viewer")
    return client


def test_the_application_is_wired(app):
    """Catches `create_app` not calling `delivery.init_app` (nothing below would hold)."""
    assert isinstance(app.extensions.get("delivery"), delivery.Delivery)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br, zstd", "br"), ("br;q=0.5, gzip", "gzip")],
)
def test_pages_are_compressed_as_the_browser_asks(viewer, accept, expected):
    """Catches HTML sent uncompressed to a browser that accepts Brotli or gzip (the first load
    of a page is then several times larger), or compressed with what it did not ask for."""
    plain = get(viewer, "/")
    packed = get(viewer, "/", accept)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == expected
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    page = decode(packed)  # the same page (Dash puts a random token in each)
    assert len(page) == len(plain.get_data()) and b'id="react-entry-point"' in page
    assert "accept-encoding" in vary(packed)
    assert_protected(packed)  # the security headers survive compression


@pytest.mark.parametrize("accept", [None, "", "identity", "gzip;q=0, br;q=0"])
def test_nothing_is_compressed_for_a_client_that_does_not_ask(viewer, accept):
    """Catches compressed bytes sent to a client that cannot read them (scripts, old tools),
    or a missing `Vary: Accept-Encoding` (a proxy would hand one client's encoding to all)."""
    for path in ["/", "/login", page_resources(viewer)[0]]:
        response = get(viewer, path, accept)
        assert "Content-Encoding" not in response.headers, path
        assert "accept-encoding" in vary(response), path


def _callback_body(dash_app, first_output: str, values: dict) -> dict:
    """The request body of the callback whose first output is `first_output`, its inputs and
    states given `values` by component id (others None), as the browser sends it."""
    key = next(k for k in dash_app.callback_map if k.strip(".").startswith(first_output))
    spec = dash_app.callback_map[key]

    def props(items):
        return [{**item, "value": values.get(item["id"])} for item in items]

    outputs = []
    for out in key.strip(".").split("..."):
        component, prop = out.rsplit(".", 1)
        outputs.append({"id": component, "property": prop.split("@")[0]})
    return {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": props(spec["inputs"]),
        "state": props(spec.get("state", [])),
        "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
    }


def test_callback_answers_are_compressed_and_never_stored(app, viewer):
    """Catches Dash's callback answers (the overview's cards and charts: tens of kB of JSON on
    every filter change) sent uncompressed, or marked cacheable although they hold one
    account's view of the data."""
    body = _callback_body(
        app.extensions["dash_app"],
        "ov-progress.children",
        {"ov-period": "2023", "ov-district": "", "ov-indicator": "GOV-C8_4", "data-mode": "all"},
    )
    plain = viewer.post("/_dash-update-component", json=body)
    packed = viewer.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "br"})
    assert plain.status_code == packed.status_code == 200, plain.get_data(as_text=True)[:300]
    assert len(plain.get_data()) > 10_000
    assert packed.headers["Content-Encoding"] == "br"
    assert len(packed.get_data()) < len(plain.get_data()) / 3
    assert decode(packed) == plain.get_data()
    for response in (plain, packed):
        assert "no-store" in response.headers["Cache-Control"]
        assert "public" not in response.headers["Cache-Control"]


def test_pages_and_downloads_are_never_stored(viewer):
    """Catches a page, Dash's layout or a download (one account's data) without
    `Cache-Control: no-store`, and the open data API losing its own public caching."""
    for path in ["/", "/kinh-te-so", "/_dash-layout", "/xuat/summary.csv?period=2023", "/login"]:
        response = get(viewer, path, "br")
        assert response.headers["Cache-Control"] == "private, no-store", path
    api = get(viewer, "/api/v1/indicators", "br")
    assert api.headers["Cache-Control"] == "public, max-age=300"


def test_versioned_static_files_are_kept_for_a_year(viewer):
    """Catches Dash's fingerprinted scripts and `/assets/...?m=` files revalidated on every
    page (a round trip each, 20 per page), a year's caching given to a URL without the file's
    version (a changed file would never reach the browser), or `public` caching of an answer
    that carries the session cookie (a shared cache would hand it to the next visitor)."""
    resources = page_resources(viewer)
    suites = [r for r in resources if r.startswith("/_dash-component-suites/")]
    assets = [r for r in resources if r.startswith("/assets/") and "?m=" in r]
    assert suites and assets
    for path in [*suites, *assets, f"/_favicon.ico?v={dash.__version__}"]:
        response = get(viewer, path, "br")
        assert response.status_code == 200, path
        cache = response.headers["Cache-Control"]
        assert YEAR in cache and "immutable" in cache, (path, cache)
        if response.headers.get("Set-Cookie"):
            assert "public" not in cache, (path, cache)
    css = next(a for a in assets if a.startswith("/assets/app.css?m="))
    for unversioned in ["/assets/app.css", "/assets/app.css?m=1", PLOTLY_SUITE, "/_favicon.ico"]:
        cache = get(viewer, unversioned, "br").headers.get("Cache-Control", "")
        assert "immutable" not in cache and YEAR not in cache, (unversioned, cache)
    assert get(viewer, css, "br").headers["Content-Encoding"] == "br"


def test_plotly_bundle_is_compressed_once_and_served_whole(app, viewer, monkeypatch):
    """Catches the 4.8 MB plotly.min.js breaking through the test client (streamed
    compression ran outside the request context), sent uncompressed, compressed again on every
    request, or cut short."""
    calls = []
    real = delivery._compress_bytes
    monkeypatch.setattr(
        delivery, "_compress_bytes", lambda data, algo: calls.append(algo) or real(data, algo)
    )
    plain = get(viewer, PLOTLY_SUITE)
    assert plain.status_code == 200 and len(plain.get_data()) > 4_000_000
    for encoding in ("br", "gzip", "br", "gzip"):
        packed = get(viewer, PLOTLY_SUITE, encoding)
        assert packed.headers["Content-Encoding"] == encoding
        assert len(packed.get_data()) < len(plain.get_data()) / 3
        assert decode(packed) == plain.get_data()
    assert calls == ["br", "gzip"], "each encoding is compressed once, then kept"


def test_conditional_and_partial_requests_of_static_files(viewer):
    """Catches a compressed file that cannot be revalidated (the ETag of the compressed bytes
    must answer 304) and a byte range cut from compressed bytes (a 206 stays as it is)."""
    first = get(viewer, PLOTLY_SUITE, "br")
    etag = first.headers["ETag"]
    assert etag.endswith('-br"')
    again = get(viewer, PLOTLY_SUITE, "br", **{"If-None-Match": etag})
    assert again.status_code == 304
    part = get(viewer, "/assets/vendor/bootstrap.min.css", "br", Range="bytes=0-99")
    assert part.status_code == 206 and "Content-Encoding" not in part.headers
    assert len(part.get_data()) == 100


def test_compression_cache_drops_the_least_recently_used():
    """Catches the in-memory cache of compressed files growing without bound."""
    cache = delivery.StaticCompressionCache(max_bytes=10)
    cache.set("a", b"12345")
    cache.set("b", b"12345")
    assert cache.get("a") == b"12345"  # now the most recent
    cache.set("c", b"123")
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.set("huge", b"x" * 11)
    assert cache.get("huge") is None


def test_gunicorn_serves_compressed_answers(gunicorn_server):
    """Catches compression or caching that works under the Flask test client only: through
    gunicorn (production) the login page comes gzip-compressed and a versioned asset with a
    year's caching."""
    base = gunicorn_server
    request = urllib.request.Request(f"{base}/login", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        login_encoding, login_html = reply.headers["Content-Encoding"], reply.read()
    mtime = str(os.stat(ROOT / "assets" / "app.css").st_mtime)
    request = urllib.request.Request(
        f"{base}/assets/app.css?m={mtime}", headers={"Accept-Encoding": "br"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        css_encoding, css_cache = (
            reply.headers["Content-Encoding"],
            reply.headers["Cache-Control"],
        )
        css = brotli.decompress(reply.read())
    assert login_encoding == "gzip"
    assert b'id="login-submit"' in gzip.decompress(login_html)
    assert css_encoding == "br" and YEAR in css_cache and "immutable" in css_cache
    assert css == (ROOT / "assets" / "app.css").read_bytes()
