"""The navigation bar below the `xl` breakpoint (1200 px), in headless Chromium: the toggler
opens the folded menu, its links and the user menu (logout) are reachable, and following a
link changes the page and folds the menu again."""

from __future__ import annotations

import re

import pytest

from tests import test_browser as shared
from tests.test_browser import TIMEOUT, Tab, expect, login, wait_for_dash

# The live server, Chromium and tab fixtures of the main browser module, shared as they are.
browser = shared.browser
live_server = shared.live_server
open_tab = shared.open_tab

pytestmark = pytest.mark.browser

SHOWN = re.compile(r"(^|\s)show(\s|$)")


def narrow_tab(open_tab, width: int) -> Tab:
    """A tab `width` px wide, logged in as Pleiku's editor, on the overview page."""
    tab = open_tab()
    tab.page.set_viewport_size({"width": width, "height": 900})
    login(tab, "editor-622", land="/")
    wait_for_dash(tab, "#nav-toggler")
    return tab


@pytest.mark.parametrize("width", [390, 1024, 1199])
def test_toggler_opens_links_and_logout_and_a_link_closes_it(open_tab, width):
    """Catches a toggler that opens nothing below 1200 px (navigation and logout unreachable),
    and a menu that stays open over the new page after following a link."""
    tab = narrow_tab(open_tab, width)
    page = tab.page
    link = page.locator("#nav-collapse").get_by_role("link", name="Chính quyền số")
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
    page.wait_for_url(re.compile(r"/chinh-quyen-so(\?.*)?$"), timeout=TIMEOUT)
    expect(page.locator("#nav-collapse")).not_to_have_class(SHOWN)
    expect(link).to_be_hidden()

    page.click("#nav-toggler")
    expect(link).to_be_visible()
    page.click("#nav-toggler")  # the toggler closes what it opened
    expect(page.locator("#nav-collapse")).not_to_have_class(SHOWN)
    assert tab.errors() == []


def test_wide_screen_shows_the_links_without_a_toggler(open_tab):
    """Catches a change that folds the navigation at desktop widths too."""
    tab = narrow_tab(open_tab, 1440)
    expect(tab.page.locator("#nav-toggler")).to_be_hidden()
    link = tab.page.locator("#nav-collapse").get_by_role("link", name="Chính quyền số")
    expect(link).to_be_visible()
    expect(tab.page.locator("#nav-user-menu")).to_be_visible()
