"""Every page works in headless Chromium under the Content-Security-Policy the server sends.

The application runs on a werkzeug server in a daemon thread, on a copy of the demo database
(the approach of tests/test_browser.py). Each page is opened as the admin; the test fails on any
console message about the Content Security Policy and on any `securitypolicyviolation` event,
and checks that charts (Plotly) and grids (AG Grid) are drawn.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import test_browser as shared
from tests.conftest import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms
LOADING_TITLE = "Đang tải…"
# Records violations in the page itself; Playwright runs it outside the page's CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""
# page -> (selector that shows the page rendered, what is drawn there: "chart" or "grid")
PAGES = {
    "/": ("#ov-cards .card-figure", "chart"),
    "/chinh-quyen-so?period=2023": ("#pl-summary-table", "chart"),
    "/kinh-te-so": ("#pl-summary-table", "chart"),
    "/xa-hoi-so": ("#pl-summary-table", "grid"),
    "/nhap-lieu?district=633&period=2024": ("#ne-grid .ag-row", "grid"),
    "/tien-do-bao-cao": ("#pr-grid .ag-row", "grid"),
    "/nhat-ky": ("#au-count", "grid"),
    "/quan-tri": ("#ad-users-grid .ag-row", "grid"),
    "/mo-hinh-thi-diem": ("#pi-status .js-plotly-plot", "chart"),
    "/dao-tao": ("#tr-audience .js-plotly-plot", "chart"),
}


# The live server and Chromium of the main browser module, shared as they are.
browser = shared.browser
live_server = shared.live_server


@pytest.fixture(scope="module")
def base_url(live_server) -> str:
    return live_server.url


def open_page(browser, base_url):
    """A page in a new context that records console messages and CSP violations."""
    context = browser.new_context(locale="vi-VN", base_url=base_url)
    context.set_default_timeout(TIMEOUT)
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    tab.console_messages_seen = []
    tab.on("console", lambda msg: tab.console_messages_seen.append(msg.text))
    return tab


def log_in(tab, username: str) -> None:
    tab.goto("/login")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    with tab.expect_navigation(timeout=TIMEOUT):
        tab.click("#login-submit")
    assert urlsplit(tab.url).path == "/", f"login as {username} failed: {tab.url}"


@pytest.fixture
def page(browser, base_url):
    tab = open_page(browser, base_url)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def admin_page(browser, base_url):
    tab = open_page(browser, base_url)
    log_in(tab, "admin")
    yield tab
    tab.context.close()


def csp_problems(tab) -> list[str]:
    console = [m for m in tab.console_messages_seen if "content security policy" in m.lower()]
    events = tab.evaluate("() => window.__cspViolations || []")
    return console + [f"violation: {v}" for v in events]


def wait_for_dash(tab, selector: str) -> None:
    tab.wait_for_selector(selector, state="attached", timeout=TIMEOUT)
    tab.wait_for_function(
        """(loading) => document.querySelector('._dash-loading') === null
            && document.querySelector('[data-dash-is-loading="true"]') === null
            && document.title !== loading""",
        arg=LOADING_TITLE,
        timeout=TIMEOUT,
    )


def wait_for_drawing(tab, kind: str) -> None:
    if kind == "chart":
        tab.wait_for_function(
            """() => [...document.querySelectorAll('.js-plotly-plot')]
                .some((gd) => gd.data && gd.data.length > 0 && gd.querySelector('.main-svg'))""",
            timeout=TIMEOUT,
        )
    else:
        expect(tab.locator(".ag-root-wrapper").first).to_be_visible()
        expect(tab.locator(".ag-header-cell").first).to_be_visible()


def test_login_page_works_under_the_policy(page):
    """Catches an inline script or style in the login template that the CSP blocks, or a CSP
    whose form-action stops the login form from posting."""
    response = page.goto("/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    log_in(page, "admin")
    assert csp_problems(page) == []


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_with_no_csp_violation(admin_page, path):
    """Catches a policy that blocks what a page needs: Dash's inline renderer script or a
    clientside callback (missing hash), Plotly's or AG Grid's injected styles, data: images,
    or anything needing `unsafe-eval`. The chart or grid must be drawn, not just the shell."""
    admin_page.console_messages_seen.clear()
    response = admin_page.goto(path)
    assert response is not None and response.status == 200, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    selector, kind = PAGES[path]
    try:
        wait_for_dash(admin_page, selector)
        wait_for_drawing(admin_page, kind)
    except sync_api.Error as exc:
        pytest.fail(f"{path} not drawn ({exc.message}); CSP problems: {csp_problems(admin_page)}")
    assert csp_problems(admin_page) == [], f"CSP problems on {path}"
