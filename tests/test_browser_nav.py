"""The navigation bar below the `xl` breakpoint (1200 px), in headless Chromium: the toggler
opens the folded menu, its links and the user menu (logout) are reachable, and following a
link changes the page and folds the menu again."""

from __future__ import annotations

import re

import pytest

from tests import test_browser as shared
from tests.test_browser import TIMEOUT, Tab, expect, wait_for_dash

# The live server and the browser context of the main browser module (this module's own).
live_server = shared.live_server
module_context = shared.module_context
logged_in = shared.logged_in

pytestmark = pytest.mark.browser

SHOWN = re.compile(r"(^|\s)show(\s|$)")
# The bar is the same on every page: the tests open light ones (a form, one chart).
START = "/bao-cao"
LINK, LINK_PATH = "Mô hình thí điểm", "/mo-hinh-thi-diem"


def narrow_tab(logged_in, width: int) -> Tab:
    """A tab `width` px wide, logged in as Pleiku's editor, on the period report's page."""
    tab = logged_in("editor-622")
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.goto(START)
    wait_for_dash(tab, "#nav-toggler")
    return tab


@pytest.mark.parametrize("width", [390, 1024, 1199])
def test_toggler_opens_links_and_logout_and_a_link_closes_it(logged_in, width):
    """Catches a toggler that opens nothing below 1200 px (navigation and logout unreachable),
    and a menu that stays open over the new page after following a link."""
    tab = narrow_tab(logged_in, width)
    page = tab.page
    link = page.locator("#nav-collapse").get_by_role("link", name=LINK)
    expect(page.locator("#nav-toggler")).to_be_visible()
    expect(link).to_be_hidden()

    page.click("#nav-toggler")
    expect(page.locator("#nav-collapse")).to_have_class(SHOWN)
    expect(link).to_be_visible()
    page.click("#nav-user-menu")
    expect(page.locator("#nav-logout")).to_be_visible()
    expect(page.locator("#nav-logout")).to_have_attribute("href", "/logout")

    link.click()
    # The page then writes its view (period, indicator) into the address.
    page.wait_for_url(re.compile(rf"{LINK_PATH}(\?.*)?$"), timeout=TIMEOUT)
    expect(page.locator("#nav-collapse")).not_to_have_class(SHOWN)
    expect(link).to_be_hidden()

    page.click("#nav-toggler")
    expect(link).to_be_visible()
    page.click("#nav-toggler")  # the toggler closes what it opened
    expect(page.locator("#nav-collapse")).not_to_have_class(SHOWN)
    assert tab.errors() == []


def test_wide_screen_shows_the_links_without_a_toggler(logged_in):
    """Catches a change that folds the navigation at desktop widths too."""
    tab = narrow_tab(logged_in, 1440)
    expect(tab.page.locator("#nav-toggler")).to_be_hidden()
    link = tab.page.locator("#nav-collapse").get_by_role("link", name=LINK)
    expect(link).to_be_visible()
    expect(tab.page.locator("#nav-user-menu")).to_be_visible()
