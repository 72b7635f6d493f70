"""Accessibility (WCAG 2.1 AA) of every page for every role, in headless Chromium with axe-core.

Every page registered with Dash (`dash.page_registry`: pages added later are checked without
touching this file), an unknown path (the 404 page), the login page and the server's error page
are opened as each role that can reach them — anonymous (login and error pages), `viewer`,
`editor-622` and `admin` — and checked by axe-core (bundled with axe-playwright-python) at
1440 px and then 390 px wide, once Dash's callbacks have settled. Any violation of impact
`critical` or `serious` fails the role's test, listed as rule, impact, page, role, width and
the CSS selectors of the elements.

One browser, one logged-in context per role, each page loaded once for both widths.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash
import pytest

from tests import test_browser as tb

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

# The fixtures of tests/test_browser.py, shared as they are (this module's own server).
live_server = tb.live_server
browser = tb.browser
open_tab = tb.open_tab

pytestmark = pytest.mark.browser

ROLES = ("viewer", "editor-622", "admin")
WIDTHS = (1440, 390)
BLOCKING = ("critical", "serious")
NOT_FOUND_PATH = "/khong-ton-tai"  # any unknown path shows the 404 page
ERROR_PAGE_PATH = "/assets/khong-ton-tai.css"  # Flask's 404: the Vietnamese error template
ANONYMOUS_PATHS = ("/login", ERROR_PAGE_PATH)

# Findings in files owned by others, reported to their owners with the fix; each entry lets
# exactly one rule on one element of one page pass until that fix lands. The lead removes the
# entry with the fix: keep this empty.
#   (rule id, page path, CSS selector as axe reports it): the reported fix
ALLOWED: dict[tuple[str, str, str], str] = {}

# Waits for a11y.js's repairs (run once per animation frame after a change of the page).
TWO_FRAMES = """() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


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


def page_paths() -> list[str]:
    """Every page Dash knows, the 404 page through an unknown path. A page whose path has
    variables (none yet) would need a value to be checked: the test says so."""
    paths = []
    for page in dash.page_registry.values():
        if page.get("path_template"):
            pytest.fail(f"{page['module']}: give a sample path for {page['path_template']}")
        paths.append(NOT_FOUND_PATH if page["path"] == "/404" else page["path"])
    return sorted(set(paths))


@pytest.fixture(scope="module")
def axe():
    return axe_sync.Axe()


def settle(tab: tb.Tab) -> None:
    """Dash's callbacks done (when Dash renders the page), then a11y.js's repairs."""
    if tab.page.locator("#react-entry-point").count():
        tb.wait_for_dash(tab, "#main-content")
    tab.page.wait_for_function(TWO_FRAMES)


def findings(axe, tab: tb.Tab, path: str, role: str, width: int) -> list[Finding]:
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
                    path=path,
                    role=role,
                    width=width,
                    target=" ".join(str(t) for t in node["target"]),
                    summary=(node.get("failureSummary") or violation["help"]).replace("\n", " "),
                )
            )
    return found


def check_pages(axe, tab: tb.Tab, paths, role: str) -> list[Finding]:
    found: list[Finding] = []
    for path in paths:
        tab.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        tab.goto(path)
        for width in WIDTHS:
            tab.page.set_viewport_size({"width": width, "height": 900})
            settle(tab)
            found += findings(axe, tab, path, role, width)
    return found


def report(found: list[Finding]) -> str:
    blocking = [f for f in found if not f.allowed()]
    lines = [f"{len(blocking)} critical or serious axe-core violations:"]
    lines += [f"  - {f}" for f in blocking]
    return "\n".join(lines)


def test_login_and_error_pages_have_no_serious_violation(open_tab, axe):
    """Catches the login page or the error page (Jinja templates) with an unlabelled field,
    text below 4.5:1 contrast, or a missing language, for a visitor who is not logged in."""
    tab = open_tab()
    found = check_pages(axe, tab, ANONYMOUS_PATHS, "anonymous")
    assert not [f for f in found if not f.allowed()], report(found)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_serious_violation_for_the_role(open_tab, axe, role):
    """Catches any critical or serious axe-core violation on any page as this role, at desktop
    and phone width: labels whose `for` does not match the rendered id (the registry forms'
    pattern-matching ids), invalid ARIA on tabs, navigation links below 4.5:1 contrast,
    focusable elements hidden from assistive technology in drop-downs, buttons and inputs
    without a name. Pages the role may not open show their refusal, which is checked too."""
    tab = open_tab()
    tb.login(tab, role)
    found = check_pages(axe, tab, page_paths(), role)
    assert not [f for f in found if not f.allowed()], report(found)


def test_the_allowlist_names_only_findings_that_still_occur(open_tab, axe):
    """Catches an allowlist entry left behind after its fix (it would hide a regression)."""
    if not ALLOWED:
        return
    tab = open_tab()
    tb.login(tab, "admin")
    seen = set()
    for path in sorted({path for _rule, path, _target in ALLOWED}):
        seen |= {(f.rule, f.path, f.target) for f in check_pages(axe, tab, [path], "admin")}
    stale = [key for key in ALLOWED if key not in seen]
    assert not stale, f"fixed, remove from ALLOWED: {stale}"


ACTIVE_ID = "() => document.activeElement.id"


def tab_until(tab: tb.Tab, element_id: str, presses: int = 40) -> bool:
    for _ in range(presses):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate(ACTIVE_ID) == element_id:
            return True
    return False


def test_drop_downs_are_reached_and_opened_by_keyboard(open_tab):
    """Catches a drop-down the Tab key skips (Dash 4 makes a hidden input its tab stop; with
    that input out of the tab order the button itself must be one) or that the keyboard
    cannot open."""
    tab = open_tab()
    tb.login(tab, "viewer", land="/")
    tb.wait_for_dash(tab, "#ov-period")
    tab.page.locator("#skip-link").focus()
    tab.page.keyboard.press("Enter")
    assert tab_until(tab, "ov-period"), "the period drop-down is not reachable by Tab"
    tab.page.keyboard.press("Enter")
    content = tab.page.locator(".dash-dropdown-content[data-state='open']")
    tb.expect(content).to_be_visible()
    tab.page.keyboard.press("Escape")
    tb.expect(content).to_have_count(0)
    assert tab_until(tab, "ov-district", presses=3), "Tab does not go on to the next field"


def test_admin_tabs_follow_the_aria_tabs_pattern(open_tab):
    """Catches dbc.Tabs as rendered by dash-bootstrap-components 2.0.4: every tab with one id,
    aria-controls naming no element, none reachable by Tab; the arrow keys must move to and
    show the next tab's panel."""
    tab = open_tab()
    tb.login(tab, "admin")
    tab.goto("/quan-tri")
    tb.wait_for_dash(tab, "#ad-users-grid")
    tab.page.wait_for_function(TWO_FRAMES)
    tabs = tab.page.locator("[role='tab']")
    ids = tabs.evaluate_all("(ts) => ts.map((t) => t.id)")
    count = len(ids)  # users, periods, targets, commune groups
    assert count >= 3 and len(set(ids)) == count, ids
    for i in range(count):
        controlled = tabs.nth(i).get_attribute("aria-controls")
        assert tab.page.locator(f"[id='{controlled}'][role='tabpanel']").count() == 1
    assert tabs.evaluate_all("(ts) => ts.map((t) => t.tabIndex)") == [0] + [-1] * (count - 1)
    tabs.nth(0).focus()
    tab.page.keyboard.press("ArrowRight")
    tb.expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    assert tab.page.evaluate(ACTIVE_ID) == ids[1]
    panel = tabs.nth(1).get_attribute("aria-controls")
    tb.expect(tab.page.locator(f"[id='{panel}']")).to_be_visible()
    tb.expect(tab.page.locator("#ad-period-code")).to_be_visible()
