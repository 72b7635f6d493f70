"""The data-entry page on a phone (390 px wide) in headless Chromium: one unit at a time in a
vertical form instead of the grid, saved by the same button, service and versions; nothing wider
than the screen.

The server, the browser and the helpers are those of `tests/test_browser.py` and
`tests/test_browser_entry.py` (the same demo data, `editor-622` on 2024, `GOV-DOSSIER-COMM`).
Every test that writes puts the database back as it was.
"""

from __future__ import annotations

import pytest

from dashboard.models import OrgUnit
from tests import test_browser as tb
from tests import test_browser_entry as te

expect = te.expect
live_server = tb.live_server

pytestmark = pytest.mark.browser

WIDTH = 390
TAP = 44  # px: the smallest comfortable touch target


def tap_height(locator) -> int:
    """The control's layout height in CSS px. A bounding box is measured through transforms, so
    a dialog still sliding in reads 43.99997 for a 44 px button."""
    return locator.evaluate("element => element.offsetHeight")


@pytest.fixture(scope="module")
def phone_context(browser, live_server):
    """A phone's browser context (390 px wide, touch), logged in as `editor-622` once for the
    module."""
    context = tb.new_context(browser, viewport={"width": WIDTH, "height": 844}, has_touch=True)
    tb.log_in(context, live_server.url, te.EDITOR)
    yield context
    context.close()


@pytest.fixture
def phone(phone_context, live_server):
    """A new page in the phone's context, as `editor-622`."""
    tab = tb.new_tab(phone_context, live_server.url)
    yield tab
    if not tab.page.is_closed():
        tab.page.close()


def open_phone_entry(tab: tb.Tab) -> None:
    response = tab.goto(f"/nhap-lieu?period={te.PERIOD}")
    assert response is not None and response.status == 200
    tb.wait_for_dash(tab, "#ne-m-form input")
    expect(tab.page.locator("#ne-changes")).to_have_text("Không có thay đổi chưa lưu.")


def page_width(tab: tb.Tab) -> int:
    return tab.page.evaluate("document.documentElement.scrollWidth")


def pick_unit(tab: tb.Tab, label: str) -> None:
    """Choose a unit in the phone view's picker by tapping its option (no search box: a phone
    would open its keyboard)."""
    content = tb.open_dropdown(tab, "ne-m-unit")
    content.get_by_role("option", name=label, exact=True).click()
    expect(tab.page.locator("#ne-m-unit")).to_contain_text(label)
    tb.wait_for_dash(tab, "#ne-m-form input")


def unit_label(url: str, target: te.Target) -> str:
    with te._session(url) as session:
        code = session.get(OrgUnit, target.unit_id).gso_code
        session.get_bind().dispose()
    return f"{target.name} ({code})"


def test_phone_view_enters_and_saves_one_value(phone, live_server):
    """Bug: on a phone the grid showed one data column and could not be used. Below the md
    breakpoint the page shows one unit at a time: pick it, type, save; the value is stored
    with the same save (versions) and edits survive switching units."""
    url = live_server.database_url
    first, second = te.targets(url)[:2]
    new = first.other_numerator()
    tab = phone
    open_phone_entry(tab)
    expect(tab.page.locator("#ne-grid")).to_be_hidden()
    expect(tab.page.locator("#ne-phone")).to_be_visible()
    assert page_width(tab) <= WIDTH

    try:
        pick_unit(tab, unit_label(url, first))
        form = tab.page.locator("#ne-m-form")
        numerator = form.get_by_label("Tử số", exact=True)
        expect(numerator).to_have_value(str(first.numerator))
        expect(form.get_by_label("Mẫu số", exact=True)).to_have_value(str(first.denominator))
        numerator.fill(str(new))
        expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")

        pick_unit(tab, unit_label(url, second))  # another unit, then back: the edit is kept
        expect(form.get_by_label("Tử số", exact=True)).to_have_value(str(second.numerator))
        pick_unit(tab, unit_label(url, first))
        expect(form.get_by_label("Tử số", exact=True)).to_have_value(str(new))
        expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")

        save = tab.page.locator("#ne-save")
        box = save.bounding_box()
        assert box is not None and tap_height(save) >= TAP and box["width"] >= WIDTH / 2
        save.click()
        expect(tab.page.locator("#ne-save-ok")).to_contain_text("Đã lưu 1 giá trị")
        expect(tab.page.locator("#ne-changes")).to_have_text("Không có thay đổi chưa lưu.")
        assert te.stored_ratio(url, first.unit_id) == (new, first.denominator)
        expect(form.get_by_label("Tử số", exact=True)).to_have_value(str(new))
        assert page_width(tab) <= WIDTH
        assert tab.errors() == []
    finally:
        te.restore_ratio(url, first)


def test_phone_save_over_a_newer_value_is_refused(phone, live_server):
    """Catches a phone save that skips the version (a lost update): someone else changes the
    value after the form was loaded; the save says so and stores nothing."""
    url = live_server.database_url
    target = te.targets(url)[0]
    tab = phone
    open_phone_entry(tab)
    try:
        pick_unit(tab, unit_label(url, target))
        tab.page.locator("#ne-m-form").get_by_label("Tử số", exact=True).fill("1")
        other = te.Target(
            target.unit_id,
            target.name,
            target.num_field,
            target.den_field,
            target.other_numerator(),
            target.denominator,
        )
        te.restore_ratio(url, other)  # another user's save: a new version
        tab.page.click("#ne-save")
        error = tab.page.locator("#ne-save-error")
        expect(error).to_contain_text("đã thay đổi dữ liệu này")
        assert te.stored_ratio(url, target.unit_id) == (other.numerator, other.denominator)
        assert page_width(tab) <= WIDTH
    finally:
        te.restore_ratio(url, target)


def test_phone_page_is_never_wider_than_the_screen(phone, live_server):
    """Catches anything on the data-entry page (tabs, the Excel upload, the registries, the
    submit dialog) pushing the page sideways on a phone."""
    tab = phone
    open_phone_entry(tab)
    assert page_width(tab) <= WIDTH
    for name in ("Nhập bằng Excel", "Sổ theo dõi", "Nhập theo bảng"):
        tab.page.get_by_role("tab", name=name).click()
        tb.wait_for_dash(tab, "#ne-tabs")
        assert page_width(tab) <= WIDTH, name
    tab.page.click("#ne-submit")
    dialog = tab.page.locator("#ne-confirm-modal")
    expect(dialog).to_be_visible()
    assert tap_height(tab.page.locator("#ne-confirm-ok")) >= TAP
    assert page_width(tab) <= WIDTH
    tab.page.click("#ne-confirm-cancel")
    expect(dialog).to_have_count(0)
    assert tab.errors() == []
