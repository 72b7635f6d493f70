"""Embedded charts in headless Chromium, framed by portal pages of other origins.

Three servers on three ports (three origins): the application, with `EMBED_ALLOWED_ORIGINS`
naming the first portal; the allowlisted portal; a second portal that is not allowlisted. A
portal page frames the URL it is given and includes the application's `portal.js`, as the
provincial portal would; it also records every message it receives. The portal pages of the
module's tests are pages of one browser context, not logged in (the embeds need no login).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

import pytest
from sqlalchemy import orm as so
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from dashboard.db import make_engine
from dashboard.models import EmbedChart, EmbedLink
from dashboard.services import embeds as svc
from tests import test_browser as shared
from tests.conftest import make_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms
FRAME_HEIGHT = 150  # the portal's iframe height before any resize message
EXPIRES_IN = 3600  # seconds: a signed link's lifetime in the expiry test
# Chromium's console message when it refuses to frame a page.
REFUSAL = re.compile(
    r"violates the following Content Security Policy directive: \"frame-ancestors"
    r"|Refused to (display|frame)"
)


# --- servers -----------------------------------------------------------------------------------


def _serve(wsgi_app) -> tuple[str, object, threading.Thread]:
    server = make_server(
        "127.0.0.1", 0, wsgi_app, threaded=True, request_handler=shared.QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server, thread


PORTAL_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử tỉnh</title></head>
<body style="margin:0">
<h1 style="font-size:16px">Cổng thông tin điện tử tỉnh (thử nghiệm)</h1>
<script>
window.__messages = [];
window.addEventListener("message", function (e) {{
  window.__messages.push({{origin: e.origin, data: e.data}});
}});
</script>
<iframe id="embed" src="{src}" title="Biểu đồ" style="width:100%;border:0"
  height="{height}"></iframe>
{extra}
<script src="{app}/nhung/static/portal.js" defer></script>
</body></html>
"""
# A page of another origin that claims, to its parent, to be an embed 999 px tall.
IMPOSTOR_PAGE = """<!doctype html><html><body><p>impostor</p><script>
setInterval(function () {
  parent.postMessage({type: "ntm-embed:resize", chart: "tong-quan-xep-hang", height: 999}, "*");
}, 100);
</script></body></html>"""


def portal_app(app_url: str):
    """`/?src=<url>[&impostor=<url>]`: a portal page framing `src` (and `impostor`)."""

    @Request.application
    def application(request: Request) -> Response:
        if request.path == "/impostor":
            return Response(IMPOSTOR_PAGE, mimetype="text/html")
        impostor = request.args.get("impostor")
        extra = (
            f'<iframe id="impostor" src="{escape(impostor)}" style="border:0" '
            f'height="{FRAME_HEIGHT}"></iframe>'
            if impostor
            else ""
        )
        page = PORTAL_PAGE.format(
            src=escape(request.args.get("src", "")),
            height=FRAME_HEIGHT,
            extra=extra,
            app=escape(app_url),
        )
        return Response(page, mimetype="text/html")

    return application


@dataclass
class Servers:
    app_url: str
    portal_url: str  # allowlisted
    other_url: str  # not allowlisted
    database_url: str
    app: object


@pytest.fixture(scope="module")
def servers(template_url, tmp_path_factory, static_compression_cache) -> Iterator[Servers]:
    if not template_url.startswith("sqlite"):
        pytest.skip("browser tests write to their database: they run on SQLite only")
    path = tmp_path_factory.mktemp("embed") / "live.sqlite"
    shutil.copy(template_url.split("///", 1)[1], path)
    database_url = f"sqlite:///{path}"
    # The portals need the application's URL and the application the portal's origin: the
    # portals read the application's URL from a holder filled in once it runs.
    holder: dict[str, str] = {}

    def lazy_portal(environ, start_response):
        return portal_app(holder["app"])(environ, start_response)

    portal_url, portal, portal_thread = _serve(lazy_portal)
    other_url, other, other_thread = _serve(lazy_portal)
    app = make_app(database_url, EMBED_ALLOWED_ORIGINS=portal_url)
    shared.share_static_cache(app, static_compression_cache)
    app_url, server, thread = _serve(app)
    holder["app"] = app_url
    try:
        yield Servers(app_url, portal_url, other_url, database_url, app)
    finally:
        for srv, th in ((server, thread), (portal, portal_thread), (other, other_thread)):
            srv.shutdown()
            srv.server_close()
            th.join(timeout=5)
        app.extensions["db"].dispose()


@pytest.fixture(scope="module")
def db(servers) -> Iterator[so.Session]:
    engine = make_engine(servers.database_url)
    with so.Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@dataclass
class Portal:
    page: object
    console: list[str]

    def messages(self) -> list[dict]:
        return self.page.evaluate("window.__messages")

    def frame_height(self, selector: str = "#embed") -> float:
        return self.page.evaluate(
            "(s) => document.querySelector(s).getBoundingClientRect().height", selector
        )


@pytest.fixture(scope="module")
def visitor(browser, servers):
    """The browser context of the portals' visitor (not logged in), for the module's tests."""
    context = shared.new_context(browser)
    yield context
    context.close()


@pytest.fixture
def open_portal(visitor, servers):
    pages = []

    def _open(base: str, src: str, width: int = 800, **extra: str) -> Portal:
        page = visitor.new_page()
        pages.append(page)
        page.set_viewport_size({"width": width, "height": 900})
        console: list[str] = []
        page.on("console", lambda msg: console.append(msg.text))
        page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
        query = f"src={quote(src, safe='')}" + "".join(
            f"&{k}={quote(v, safe='')}" for k, v in extra.items()
        )
        page.goto(f"{base}/?{query}", timeout=TIMEOUT)
        return Portal(page, console)

    yield _open
    for page in pages:
        page.close()


# Resolves after two animation frames (anything a message handler scheduled has been drawn).
TWO_FRAMES = """() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


def impostor_messages(portal: Portal, origin: str) -> int:
    """How many resize messages claiming 999 px the portal has received from `origin`."""
    return portal.page.evaluate(
        """(origin) => window.__messages.filter(
            (m) => m.origin === origin && m.data && m.data.height === 999).length""",
        origin,
    )


def embed_frame(portal: Portal):
    return portal.page.frame_locator("#embed")


def wait_for_chart(portal: Portal) -> None:
    expect(embed_frame(portal).locator("#chart .main-svg").first).to_be_visible()


def wait_for_refusal(portal: Portal) -> str:
    """The browser's console message refusing to frame the page (CSP or X-Frame-Options)."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while time.monotonic() < deadline:
        refusals = [m for m in portal.console if REFUSAL.search(m)]
        if refusals:
            return refusals[0]
        portal.page.wait_for_timeout(100)
    pytest.fail(f"the browser did not refuse the frame; console: {portal.console}")


def child_frame_url(portal: Portal) -> str:
    """The URL the portal's frame shows: Chromium's error page when it refused the framing."""
    (frame,) = [f for f in portal.page.frames if f != portal.page.main_frame]
    return frame.url


def csp_errors(portal: Portal) -> list[str]:
    return [m for m in portal.console if "Content Security Policy" in m or "pageerror" in m]


def add_link(db, chart_id: str, params: dict | None = None, **fields) -> EmbedLink:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    link = EmbedLink(chart_id=chart_id, params=json.dumps(params or {}), created_at=now, **fields)
    db.add(link)
    db.commit()
    return link


def signed_url(servers: Servers, link: EmbedLink) -> str:
    with servers.app.app_context():
        return servers.app_url + svc.embed_url(link.chart_id, token=svc.sign_token(link))


# --- framing -----------------------------------------------------------------------------------


def test_allowlisted_portal_shows_the_chart_and_resizes_it(open_portal, servers):
    """Catches an embed the allowlisted portal cannot frame, a chart not drawn under the CSP,
    no resize message (or one of another shape), or `portal.js` not resizing the iframe to
    the embed's height."""
    src = f"{servers.app_url}/nhung/tong-quan-xep-hang?period=2022"
    portal = open_portal(servers.portal_url, src)
    wait_for_chart(portal)
    portal.page.wait_for_function(
        "(h) => document.querySelector('#embed').getBoundingClientRect().height > h + 200",
        arg=FRAME_HEIGHT,
    )
    content = (
        embed_frame(portal)
        .locator("html")
        .evaluate("(el) => Math.ceil(el.getBoundingClientRect().height)")
    )
    assert abs(portal.frame_height() - content) <= 2
    resizes = [m for m in portal.messages() if m["data"].get("type") == "ntm-embed:resize"]
    assert resizes, "no resize message received"
    last = resizes[-1]
    assert last["origin"] == servers.app_url
    assert last["data"] == {
        "type": "ntm-embed:resize",
        "chart": "tong-quan-xep-hang",
        "height": content,
    }
    expect(embed_frame(portal).locator("#embed-as-of")).to_contain_text("Kỳ báo cáo 2022")
    assert not csp_errors(portal), portal.console


def test_portal_script_ignores_other_origins(open_portal, servers):
    """Catches `portal.js` obeying resize messages from a frame of another origin (any page
    could then resize the portal's frames)."""
    src = f"{servers.app_url}/nhung/dao-tao-theo-nam"
    portal = open_portal(servers.portal_url, src, impostor=f"{servers.other_url}/impostor")
    wait_for_chart(portal)
    portal.page.wait_for_function(
        """(origin) => window.__messages.some(
            (m) => m.origin === origin && m.data && m.data.height === 999)""",
        arg=servers.other_url,
    )
    # Three more of its messages (one every 100 ms), then two frames for any resize to show.
    portal.page.wait_for_function(
        """([origin, seen]) => window.__messages.filter(
            (m) => m.origin === origin && m.data && m.data.height === 999).length >= seen + 3""",
        arg=[servers.other_url, impostor_messages(portal, servers.other_url)],
    )
    portal.page.evaluate(TWO_FRAMES)
    assert portal.frame_height("#impostor") == FRAME_HEIGHT
    assert portal.frame_height("#embed") != 999


def test_other_portal_is_refused_by_the_browser(open_portal, servers):
    """Catches an embed framable by an origin not in `EMBED_ALLOWED_ORIGINS`."""
    src = f"{servers.app_url}/nhung/tong-quan-xep-hang?period=2022"
    portal = open_portal(servers.other_url, src)
    refusal = wait_for_refusal(portal)
    assert "frame-ancestors" in refusal
    assert embed_frame(portal).locator("#chart").count() == 0
    assert not child_frame_url(portal).startswith(servers.app_url)
    assert portal.frame_height() == FRAME_HEIGHT
    assert not [m for m in portal.messages() if m["origin"] == servers.app_url]


@pytest.mark.parametrize("path", ["/login", "/", "/nhung/static/embed.js"])
def test_main_pages_refuse_framing_even_for_the_allowlisted_portal(open_portal, servers, path):
    """Catches the dashboard (login page, pages) framable by the embeds' allowed origins:
    clickjacking of the login form."""
    portal = open_portal(servers.portal_url, servers.app_url + path)
    wait_for_refusal(portal)
    assert embed_frame(portal).locator("form, #username, #login-submit").count() == 0
    assert not child_frame_url(portal).startswith(servers.app_url)


# --- signed links ------------------------------------------------------------------------------


def test_signed_link_works_until_it_expires(open_portal, servers, db, monkeypatch):
    """Catches a private chart shown without a link, or a signed link shown after its expiry
    (the portal then shows the Vietnamese refusal, small, in the frame). The server's clock is
    moved past the expiry rather than waited for."""
    db.add(EmbedChart(chart_id="mo-hinh-thi-diem-linh-vuc", private=True, locked_params="{}"))
    db.commit()
    public = open_portal(servers.portal_url, f"{servers.app_url}/nhung/mo-hinh-thi-diem-linh-vuc")
    expect(embed_frame(public).locator("#embed-error-message")).to_contain_text(
        "chỉ được xem qua liên kết nhúng"
    )
    expires = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=EXPIRES_IN)
    link = add_link(db, "mo-hinh-thi-diem-linh-vuc", {"period": "2022"}, expires_at=expires)
    portal = open_portal(servers.portal_url, signed_url(servers, link))
    wait_for_chart(portal)
    after_expiry = expires + dt.timedelta(seconds=1)
    monkeypatch.setattr(svc, "_now", lambda: after_expiry)  # the live server's clock
    portal.page.reload()
    message = embed_frame(portal).locator("#embed-error-message")
    expect(message).to_contain_text("Liên kết nhúng đã hết hạn")
    assert embed_frame(portal).locator("#chart").count() == 0
    # The small error page is resized too.
    portal.page.wait_for_function(
        "(h) => document.querySelector('#embed').getBoundingClientRect().height !== h",
        arg=FRAME_HEIGHT,
    )
    assert portal.frame_height() < 300


def _tampered(url: str) -> str:
    token_at = url.index("t=") + 2
    i = token_at + (len(url) - token_at) // 3
    return url[:i] + ("A" if url[i] != "A" else "B") + url[i + 1 :]


def test_tampered_or_revoked_link_is_refused(open_portal, servers, db):
    """Catches a signed link accepted with one character changed, or after revocation."""
    link = add_link(db, "mo-hinh-thi-diem-trang-thai", {"period": "2022"})
    url = signed_url(servers, link)
    portal = open_portal(servers.portal_url, url)
    wait_for_chart(portal)
    tampered = open_portal(servers.portal_url, _tampered(url))
    expect(embed_frame(tampered).locator("#embed-error-message")).to_contain_text(
        "Liên kết nhúng không hợp lệ"
    )
    link.revoked_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    db.commit()
    portal.page.reload()
    expect(embed_frame(portal).locator("#embed-error-message")).to_contain_text(
        "Liên kết nhúng đã bị thu hồi"
    )


# --- narrow screens ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [320, 800])
def test_embed_is_readable_at_portal_widths(visitor, servers, width):
    """Catches an embed that overflows a phone's width (horizontal scrolling), a chart wider
    than its frame, or a console error (a script blocked by the CSP)."""
    page = visitor.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for chart_id in ("tong-quan-xep-hang", "chinh-quyen-so-xu-huong", "dao-tao-doi-tuong"):
            page.goto(f"{servers.app_url}/nhung/{chart_id}?period=2022", timeout=TIMEOUT)
            expect(page.locator("#chart .main-svg").first).to_be_visible()
            shared.shot(page, f"embed-{chart_id}-{width}.png", full=True)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{chart_id} at {width}px overflows by {overflow}px"
            chart_width = page.evaluate(
                "() => document.querySelector('#chart .main-svg').getBoundingClientRect().width"
            )
            assert 0 < chart_width <= width
            assert page.locator("#embed-heading").is_visible()
            assert page.locator("#embed-full").is_visible()
        assert not errors, errors
    finally:
        page.close()
