"""Every page in headless Chromium, each opened once per account and checked for everything
at that one load: it renders (charts and grids drawn, no console error), it runs under the
Content-Security-Policy the server sends, it is no wider than a phone, and axe-core finds no
critical or serious WCAG 2.1 AA violation.

The pages are those registered with Dash (`dash.page_registry`: pages added later are checked
without touching this file) and an unknown path (the 404 page), each opened at 390 px wide as
every account:

- `admin`, who sees the most of every page;
- `viewer` and `editor-622`, whose pages lack the admin's controls or show others (the data
  entry page's locked district, the report page's note instead of the data-mode choice, the
  refusal of a page they may not open);

and, for a visitor who is not logged in, the login page, the server's error page and a public
embedded chart.

axe-core checks each page once, at 390 px and again at 1440 px, with the account that sees the
most of it — `admin` — and also with the accounts that see different components on it
(`AXE_ALSO`, and the refusal of every page a viewer may not open), and the anonymous pages.

The checks run in one pass over the pages (`sweep`, once for the module): the tests below
then each assert one kind of finding, naming the account, page and width.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import dash
import pytest

from tests import test_browser as tb

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

# The live server and the browser context of tests/test_browser.py (this module's own).
live_server = tb.live_server
module_context = tb.module_context
open_tab = tb.open_tab

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 900}
DESKTOP = {"width": 1440, "height": 900}
BLOCKING = ("critical", "serious")
ANONYMOUS = "anonymous"
NOT_FOUND_PATH = "/khong-ton-tai"  # any unknown path shows the 404 page
ERROR_PAGE_PATH = "/assets/khong-ton-tai.css"  # Flask's 404: the Vietnamese error template
EMBED_PATH = "/nhung/tong-quan-xep-hang"  # a public chart, as the provincial portal frames it
ANONYMOUS_PATHS = ("/login", ERROR_PAGE_PATH, EMBED_PATH)
STATUS = {NOT_FOUND_PATH: 404, ERROR_PAGE_PATH: 404}
NOT_FOUND_NOISE = ("Failed to load resource: the server responded with a status of 404",)

# What a page's access (`access=` of `dash.register_page`) lets each account open.
ACCOUNTS = {
    "admin": {None, "write", "administer"},
    "viewer": {None},
    "editor-622": {None, "write"},
}
# Pages where an account sees components the admin does not: axe-core checks them as that
# account too (the refusal of a page a viewer may not open is added by `visits`).
AXE_ALSO = {
    "/nhap-lieu": ("editor-622",),  # the district picker locked, no reason field
    "/bao-cao": ("editor-622",),  # a note instead of the data-mode choice (hidden radios)
}

# At 390 px: what shows that the page is there (then every Dash callback must have settled).
READY = {
    "/": "#ov-cards .card-figure",
    "/chinh-quyen-so": "#pl-summary-table",
    "/kinh-te-so": "#pl-summary-table",
    "/xa-hoi-so": "#pl-summary-table",
    "/mo-hinh-thi-diem": "#pi-status .js-plotly-plot",
    "/dao-tao": "#tr-audience .js-plotly-plot",
    "/tien-do-bao-cao": "#pr-grid",
    "/nhat-ky": "#au-count",
    "/quan-tri": "#ad-users-grid",
    "/nhap-lieu": "#ne-m-form input",  # a phone gets one unit's form instead of the grid
    "/bao-cao": "#rp-pdf",
    NOT_FOUND_PATH: "#not-found-title",
}
REFUSED = "#main-content .alert"  # a page the account may not open says so
# Charts whose figure must have data (at 390 px).
GRAPHS = {
    "/": ("ov-trend",),
    "/chinh-quyen-so": ("pl-trend", "pl-by-district"),
    "/kinh-te-so": ("pl-trend",),
    "/xa-hoi-so": ("pl-trend",),
    "/mo-hinh-thi-diem": ("pi-status",),
    "/dao-tao": ("tr-audience",),
}
# Grids that must be drawn, rows and header, once the page is 1440 px wide (None: any grid).
GRIDS = {
    "/xa-hoi-so": None,
    "/nhap-lieu": "#ne-grid",
    "/tien-do-bao-cao": "#pr-grid",
    "/nhat-ky": None,  # the log may be empty: its grid's header
    "/quan-tri": "#ad-users-grid",
}
GRID_DRAWN = """(sel) => [...document.querySelectorAll(sel ? sel + ' .ag-root-wrapper'
        : '.ag-root-wrapper')].some((g) => g.offsetParent !== null
        && !!g.querySelector('.ag-header-cell') && (!sel || !!g.querySelector('.ag-row')))"""

# Records violations in the page itself; Playwright runs it outside the page's CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""
# Waits for a11y.js's repairs (run once per animation frame after a change of the page).
TWO_FRAMES = """() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""
# Elements sticking out to the right of the screen (for the failure message).
WIDER_THAN = """(width) => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1
        && e.getBoundingClientRect().width > 0)
    .slice(-5)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.className && e.className.baseVal === undefined
            ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
        + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""

# Findings in files owned by others, reported to their owners with the fix; each entry lets
# exactly one rule on one element of one page pass until that fix lands. The lead removes the
# entry with the fix: keep this empty.
#   (rule id, page path, CSS selector as axe reports it): the reported fix
ALLOWED: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class Visit:
    account: str  # a username, or ANONYMOUS
    path: str
    access: str | None = None  # what the page needs (`access=` of its registration)
    axe: bool = False

    @property
    def refused(self) -> bool:
        return self.account != ANONYMOUS and self.access not in ACCOUNTS[self.account]

    def __str__(self) -> str:
        return f"{self.path} as {self.account}"


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    path: str
    role: str
    width: int
    target: str
    summary: str

    def allowed(self) -> bool:
        return (self.rule, self.path, self.target) in ALLOWED

    def __str__(self) -> str:
        return (
            f"{self.rule} ({self.impact}) on {self.path} as {self.role} at {self.width} px: "
            f"{self.target}\n      {self.summary}"
        )


@dataclass
class Sweep:
    """What the pass over the pages found, by visit."""

    visits: list[Visit] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # not answered, rendered or drawn
    errors: dict[str, list[str]] = field(default_factory=dict)  # console errors, exceptions
    csp: dict[str, list[str]] = field(default_factory=dict)  # CSP messages and violations
    policies: dict[str, str] = field(default_factory=dict)  # the CSP header of Dash pages
    too_wide: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # axe-core, both widths
    axe_runs: set[tuple[str, int]] = field(default_factory=set)  # (visit, width) checked


def dash_pages() -> list[tuple[str, str | None]]:
    """(path, access) of every page Dash knows, the 404 page through an unknown path. A page
    whose path has variables (none yet) would need a value to be checked: the test says so."""
    pages = {}
    for page in dash.page_registry.values():
        if page.get("path_template"):
            pytest.fail(f"{page['module']}: give a sample path for {page['path_template']}")
        path = NOT_FOUND_PATH if page["path"] == "/404" else page["path"]
        pages[path] = page.get("access")
    return sorted(pages.items())


def visits() -> list[Visit]:
    """Every Dash page as every account (axe-core where `admin` or `AXE_ALSO` says, and on a
    viewer's refusals), then the anonymous pages."""
    found = []
    for account in ACCOUNTS:
        for path, access in dash_pages():
            refused = access not in ACCOUNTS[account]
            axe = (
                account == "admin"
                or account in AXE_ALSO.get(path, ())
                or (account == "viewer" and refused)
            )
            found.append(Visit(account, path, access, axe))
    found += [Visit(ANONYMOUS, path, axe=True) for path in ANONYMOUS_PATHS]
    return found


def settle(tab: tb.Tab) -> None:
    """Dash's callbacks done (when Dash renders the page), then a11y.js's repairs."""
    if tab.page.locator("#react-entry-point").count():
        tb.wait_for_dash(tab, "#main-content")
    tab.page.wait_for_function(TWO_FRAMES)


def axe_findings(axe, tab: tb.Tab, visit: Visit, width: int) -> list[Finding]:
    results = axe.run(tab.page).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            found.append(
                Finding(
                    rule=violation["id"],
                    impact=violation["impact"],
                    path=visit.path,
                    role=visit.account,
                    width=width,
                    target=" ".join(str(t) for t in node["target"]),
                    summary=(node.get("failureSummary") or violation["help"]).replace("\n", " "),
                )
            )
    return found


def csp_problems(tab: tb.Tab, console: list[str]) -> list[str]:
    messages = [m for m in console if "content security policy" in m.lower()]
    events = tab.page.evaluate("() => window.__cspViolations || []")
    return messages + [f"violation: {v}" for v in events]


def render(tab: tb.Tab, visit: Visit) -> None:
    """Wait until the page opened for `visit` is rendered, its charts drawn (at 390 px)."""
    if visit.account == ANONYMOUS:
        if visit.path == EMBED_PATH:
            tb.expect(tab.page.locator("#chart .main-svg").first).to_be_visible()
        return
    if visit.refused:
        tb.wait_for_dash(tab, REFUSED)
        tb.expect(tab.page.locator(REFUSED).first).to_be_visible()
        return
    tb.wait_for_dash(tab, READY.get(visit.path, "#main-content"))
    for graph in GRAPHS.get(visit.path, ()):
        tb.wait_for_graph(tab, graph)


def check(axe, tab: tb.Tab, visit: Visit, console: list[str], sweep: Sweep) -> None:
    """Open the page of `visit` at 390 px, then 1440 px, and note everything found."""
    key = str(visit)
    tab.clear_errors()
    console.clear()
    tab.page.set_viewport_size(PHONE)
    try:
        response = tab.goto(visit.path)
        status = response.status if response is not None else None
        if status != STATUS.get(visit.path, 200):
            sweep.broken[key] = f"status {status}"
        render(tab, visit)
    except tb.sync_api.Error as exc:
        sweep.broken[key] = f"not rendered: {exc.message.splitlines()[0]}"
        note_messages(tab, visit, console, sweep)
        return
    if visit.account != ANONYMOUS and tab.page.locator("#react-entry-point").count():
        sweep.policies[key] = response.headers.get("content-security-policy", "")
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        sweep.too_wide[key] = (width, tab.page.evaluate(WIDER_THAN, PHONE["width"]))
    if visit.axe:
        settle(tab)
        sweep.findings += axe_findings(axe, tab, visit, PHONE["width"])
        sweep.axe_runs.add((key, PHONE["width"]))
        tab.page.set_viewport_size(DESKTOP)
        settle(tab)
        if visit.path in GRIDS and not visit.refused:
            try:
                tab.page.wait_for_function(GRID_DRAWN, arg=GRIDS[visit.path])
            except tb.sync_api.Error:
                sweep.broken[key] = f"no grid drawn at 1440 px ({GRIDS[visit.path] or 'any'})"
        sweep.findings += axe_findings(axe, tab, visit, DESKTOP["width"])
        sweep.axe_runs.add((key, DESKTOP["width"]))
    note_messages(tab, visit, console, sweep)


def note_messages(tab: tb.Tab, visit: Visit, console: list[str], sweep: Sweep) -> None:
    ignore = NOT_FOUND_NOISE if visit.path in STATUS else ()
    sweep.errors[str(visit)] = tab.errors(ignore=ignore)
    sweep.csp[str(visit)] = csp_problems(tab, console)


@pytest.fixture(scope="module")
def recording(module_context) -> tb.ModuleContext:
    """The module's context, its pages recording CSP violations (`RECORD_VIOLATIONS`)."""
    module_context.context.add_init_script(RECORD_VIOLATIONS)
    return module_context


@pytest.fixture(scope="module")
def sweep(recording) -> Sweep:
    """Every visit of `visits()`, account after account, one page of the module's context per
    account reused from page to page."""
    axe = axe_sync.Axe()
    result = Sweep(visits())
    tab, account = None, None
    try:
        for visit in result.visits:
            if tab is None or visit.account != account:
                if tab is not None:
                    tab.page.close()
                account = visit.account
                tab = recording.tab(None if account == ANONYMOUS else account)
                console: list[str] = []  # every message: CSP reports are warnings too
                tab.page.on("console", lambda msg, seen=console: seen.append(msg.text))
            check(axe, tab, visit, console, result)
    finally:
        if tab is not None:
            tab.page.close()
    return result


def test_every_page_renders_for_every_account(sweep):
    """Catches a page that does not open (an error answer, a layout that raises) or opens
    without its content for an account — the cards, tables, charts (a figure with data) and
    grids (header and rows) not drawn, or a refusal not shown on a page the account may not
    open — and any console error or uncaught exception: a callback whose input the account's
    page lacks (a viewer has no edit panel), a component prop of the wrong type, a missing
    asset. The 404 page must answer 404 and show its title."""
    assert not sweep.broken, f"pages not rendered: {sweep.broken}"
    errors = {key: found for key, found in sweep.errors.items() if found}
    assert not errors, f"console errors: {errors}"


def test_every_page_runs_under_the_content_security_policy(sweep):
    """Catches a policy that blocks what a page needs — Dash's inline renderer script or a
    clientside callback (missing hash), Plotly's or AG Grid's injected styles, data: images,
    anything needing `unsafe-eval` — shown as a console message or a
    `securitypolicyviolation` event; and a Dash page whose policy allows `unsafe-eval` or has
    no script hashes. A page blocked so that it is not drawn fails
    `test_every_page_renders_for_every_account` too."""
    problems = {key: found for key, found in sweep.csp.items() if found}
    assert not problems, f"CSP problems: {problems}; pages not rendered: {sweep.broken}"
    assert sweep.policies, "no Dash page answered"
    weak = {
        key: policy
        for key, policy in sweep.policies.items()
        if "script-src 'self' 'sha256-" not in policy or "unsafe-eval" in policy
    }
    assert not weak, f"pages whose script-src is not 'self' and hashes only: {weak}"


def test_no_page_is_wider_than_a_phone(sweep):
    """Catches a page that scrolls sideways at 390 px (a table, grid, chart or filter row wider
    than the screen pushes columns and buttons out of reach), for any account."""
    assert not sweep.too_wide, f"pages wider than {PHONE['width']} px: {sweep.too_wide}"


def report(found: list[Finding]) -> str:
    blocking = [f for f in found if not f.allowed()]
    lines = [f"{len(blocking)} critical or serious axe-core violations:"]
    lines += [f"  - {f}" for f in blocking]
    return "\n".join(lines)


def test_every_page_has_no_serious_accessibility_violation(sweep):
    """Catches any critical or serious axe-core violation on any page, at desktop and phone
    width: labels whose `for` does not match the rendered id (the registry forms'
    pattern-matching ids), invalid ARIA on tabs, navigation links below 4.5:1 contrast,
    focusable elements hidden from assistive technology in drop-downs, buttons and inputs
    without a name; the report page's unlabelled inputs or radio group without a name (as the
    admin, and as an editor, who gets a note instead); the login page or the error page (Jinja
    templates) with an unlabelled field, text below 4.5:1 contrast or a missing language, and
    the public embedded chart, for a visitor who is not logged in. Pages a viewer may not open
    show their refusal, which is checked too."""
    unchecked = [
        f"{visit} at {width} px"
        for visit in sweep.visits
        if visit.axe
        for width in (PHONE["width"], DESKTOP["width"])
        if (str(visit), width) not in sweep.axe_runs
    ]
    blocking = [f for f in sweep.findings if not f.allowed()]
    assert not unchecked and not blocking, (
        f"{report(sweep.findings)}\nnot checked (not rendered: {sweep.broken}): {unchecked}"
    )


def test_the_allowlist_names_only_findings_that_still_occur(sweep):
    """Catches an allowlist entry left behind after its fix (it would hide a regression)."""
    seen = {(f.rule, f.path, f.target) for f in sweep.findings}
    stale = [key for key in ALLOWED if key not in seen]
    assert not stale, f"fixed, remove from ALLOWED: {stale}"


def test_login_page_works_under_the_policy(recording, open_tab):
    """Catches an inline script or style in the login template that the CSP blocks, or a CSP
    whose form-action stops the login form from posting, or a login page that may be framed."""
    tab = open_tab()
    console: list[str] = []
    tab.page.on("console", lambda msg: console.append(msg.text))
    response = tab.goto("/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    tab.page.fill("#username", "admin")
    tab.page.fill("#password", tb.PASSWORD)
    with tab.page.expect_navigation(timeout=tb.TIMEOUT):
        tab.page.click("#login-submit")
    assert urlsplit(tab.page.url).path == "/", f"login as admin failed: {tab.page.url}"
    assert csp_problems(tab, console) == []
