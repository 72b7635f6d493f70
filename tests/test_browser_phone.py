"""Phones (390 px) in headless Chromium: the navigation bar used by keyboard alone — skip
link, toggler, Escape, menu groups — with a visible focus ring. Also paper: a page printed to
PDF (A4) without the screen's controls, charts within the page.

That no page is wider than a phone is checked by `tests/test_browser_pages.py`, at each page's
one load. The server and the browser context are the fixtures of `tests/test_browser.py`.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests import test_browser as tb

live_server = tb.live_server
module_context = tb.module_context
logged_in = tb.logged_in

expect = tb.sync_api.Expect()
expect.set_options(timeout=tb.TIMEOUT)

pytestmark = pytest.mark.browser

PHONE = 390
SKIP_TEXT = "Bỏ qua đến nội dung chính"
SHOWN = re.compile(r"(^|\s)show(\s|$)")
ACTIVE = """() => { const e = document.activeElement;
    return {id: e.id, tag: e.tagName, text: (e.textContent || '').trim()}; }"""
OUTLINE = """() => { const s = getComputedStyle(document.activeElement);
    return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"""


def phone_tab(logged_in, username: str, path: str = "/bao-cao") -> tb.Tab:
    """A new page of `username`'s context, 390 px wide, on `path`: by default a light page (a
    form; the navigation bar is the same on every page)."""
    tab = logged_in(username)
    tab.page.set_viewport_size({"width": PHONE, "height": 800})
    tab.goto(path)
    tb.wait_for_dash(tab, "#main-content")
    return tab


def rgb(color: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", color)[:3])


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    def luminance(c):
        channels = [v / 255 for v in c]
        linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_skip_link_and_focus_ring_by_keyboard(logged_in):
    """Catches (1) a missing or hidden skip link (keyboard users tab through the whole bar on
    every page), and one that jumps nowhere or changes the address (Dash would take a #hash
    for a new view); (2) Bootstrap's `outline: 0` winning again: an invisible focus ring on the
    dark bar (links, toggler, language switch) or on the page's buttons and fields. The ring
    must be at least 2 px and stand out 3:1 against the bar."""
    tab = phone_tab(logged_in, "viewer")
    page = tab.page
    # (1) the skip link: the first stop, then into the main content
    address = page.url
    page.keyboard.press("Tab")
    active = page.evaluate(ACTIVE)
    assert active == {"id": "skip-link", "tag": "A", "text": SKIP_TEXT}, f"(1) {active}"
    box = page.locator("#skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0, "(1) skip link off screen"
    assert page.evaluate(OUTLINE)["style"] != "none", "(1) the skip link shows no focus"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)["id"] == "main-content", "(1) the skip link jumps nowhere"
    assert page.url == address, "(1) the skip link changed the address"
    page.keyboard.press("Tab")  # the next stop is inside the page, not back in the navbar
    inside = page.evaluate(
        "() => document.getElementById('main-content').contains(document.activeElement)"
    )
    assert inside, "(1) the stop after the skip link is not in the main content"

    # (2) the focus ring, in the open menu of the bar and on the page
    bar = rgb(page.evaluate("getComputedStyle(document.querySelector('.navbar')).backgroundColor"))
    page.locator("#nav-toggler").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nav-collapse")).to_have_class(SHOWN)
    seen = set()
    page.locator("#skip-link").focus()
    for _ in range(14):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if not page.evaluate("() => !!document.activeElement.closest('.navbar')"):
            break
        outline = page.evaluate(OUTLINE)
        assert outline["style"] != "none" and outline["width"] >= 2, ("(2)", active, outline)
        assert contrast(rgb(outline["color"]), bar) >= 3, ("(2)", active, outline)
        seen.add(active["id"] or active["text"])
    assert {"lang-switch-en", "nav-toggler", "Chính quyền số"} <= seen, ("(2)", seen)
    page.keyboard.press("Escape")
    field = page.locator("#main-content input, #main-content button").first
    field.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate(OUTLINE)
    assert outline["style"] != "none" and outline["width"] >= 2, ("(2) on the page", outline)


def test_toggler_and_menu_group_by_keyboard(logged_in):
    """Catches (1) a toggler that is not a button announcing what it controls and whether it is
    open, a folded menu the keyboard cannot reach, and Escape not closing it (focus stuck in a
    menu covering the page); (2) a menu group (Báo cáo) that Enter does not open, whose entries
    the arrow keys do not reach, or where Escape closes the whole menu instead of the group
    first."""
    tab = phone_tab(logged_in, "editor-622")
    page = tab.page
    menu = page.locator("#nav-collapse")
    # (1) the toggler
    toggler = page.locator("#nav-toggler")
    expect(toggler, "(1) aria-controls").to_have_attribute("aria-controls", "nav-collapse")
    expect(toggler, "(1) aria-expanded").to_have_attribute("aria-expanded", "false")
    assert toggler.get_attribute("aria-label"), "(1) the toggler has no name"
    assert toggler.evaluate("(e) => e.tagName") == "BUTTON", "(1) the toggler is no button"
    toggler.focus()
    page.keyboard.press("Enter")
    expect(menu, "(1) Enter does not open the menu").to_have_class(SHOWN)
    expect(toggler, "(1) aria-expanded").to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)["text"]
    assert first == "Tổng quan", f"(1) the first stop in the open menu is {first!r}"
    page.keyboard.press("Escape")
    expect(menu, "(1) Escape does not close the menu").not_to_have_class(SHOWN)
    expect(toggler, "(1) aria-expanded").to_have_attribute("aria-expanded", "false")
    assert page.evaluate(ACTIVE)["id"] == "nav-toggler", "(1) the focus is not back on the toggler"

    # (2) a menu group
    toggler.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_class(SHOWN)
    group = page.locator("#nav-collapse .dropdown-toggle", has_text="Báo cáo")
    for _ in range(12):  # Tab to the group
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["text"] == "Báo cáo":
            break
    assert page.evaluate(ACTIVE)["text"] == "Báo cáo", "(2) the group is not reachable by Tab"
    page.keyboard.press("Enter")
    expect(group, "(2) Enter does not open the group").to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE)["text"] == "Nhập liệu", "(2) ArrowDown does not reach it"
    page.keyboard.press("Escape")
    expect(group, "(2) Escape leaves the group open").to_have_attribute("aria-expanded", "false")
    tb.wait_for_dash(tab, "#nav-collapse")  # the menu's own callback, had it been asked to close
    expect(menu, "(2) Escape closed the whole menu first").to_have_class(SHOWN)
    page.keyboard.press("Escape")
    expect(menu, "(2) the second Escape does not close the menu").not_to_have_class(SHOWN)
    assert tab.errors() == []


A4_WIDTH_PX = 720  # 190 mm at 96 px per inch: A4 less print.css's side margins


def test_printed_page_has_no_controls_and_charts_fit_a4(logged_in):
    """Catches a printout with the navigation bar, download buttons or Plotly's toolbar on
    paper, charts wider than the page (cut off), no trace of which view was printed (address
    with its period), or charts left at print size back on screen."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size({"width": 1440, "height": 900})
    tab.goto("/kinh-te-so?period=2023")
    tb.wait_for_dash(tab, "#main-content")
    tab.page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2"
    )
    widths = "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)"
    on_screen = tab.page.evaluate(widths)
    tab.page.emulate_media(media="print")
    for hidden in [".navbar", ".export-links", "#skip-link"]:
        expect(tab.page.locator(hidden).first).to_be_hidden()
    expect(tab.page.locator(".print-header")).to_be_visible()
    expect(tab.page.locator("#print-url")).to_contain_text("/kinh-te-so?period=2023")
    tab.page.wait_for_function(f"() => ({widths})().every((w) => w <= {A4_WIDTH_PX})")
    pdf = PdfReader(io.BytesIO(tab.page.pdf(format="A4")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Kinh tế số" in text and "period=2023" in text
    assert "Tải CSV" not in text and "Đăng xuất" not in text
    tab.page.emulate_media(media="screen")
    tab.page.wait_for_function(
        f"(before) => JSON.stringify(({widths})()) === JSON.stringify(before)", arg=on_screen
    )
