"""Keyboard use in headless Chromium: the drop-downs reached and opened by the keyboard, the
admin page's tabs following the ARIA tabs pattern.

axe-core's check of every page (WCAG 2.1 AA, at 390 and 1440 px) is in
`tests/test_browser_pages.py`, with the other checks made at each page's one load.
"""

from __future__ import annotations

import pytest

from tests import test_browser as tb

# The live server and the browser context of tests/test_browser.py (this module's own).
live_server = tb.live_server
module_context = tb.module_context
logged_in = tb.logged_in

pytestmark = pytest.mark.browser

# Waits for a11y.js's repairs (run once per animation frame after a change of the page).
TWO_FRAMES = """() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


ACTIVE_ID = "() => document.activeElement.id"


def tab_until(tab: tb.Tab, element_id: str, presses: int = 40) -> bool:
    for _ in range(presses):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate(ACTIVE_ID) == element_id:
            return True
    return False


def test_drop_downs_are_reached_and_opened_by_keyboard(logged_in):
    """Catches a drop-down the Tab key skips (Dash 4 makes a hidden input its tab stop; with
    that input out of the tab order the button itself must be one) or that the keyboard
    cannot open."""
    tab = logged_in("viewer")
    tab.goto("/")
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


def test_admin_tabs_follow_the_aria_tabs_pattern(logged_in):
    """Catches dbc.Tabs as rendered by dash-bootstrap-components 2.0.4: every tab with one id,
    aria-controls naming no element, none reachable by Tab; the arrow keys must move to and
    show the next tab's panel."""
    tab = logged_in("admin")
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
