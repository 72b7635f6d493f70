"""Phones (390 px) in headless Chromium: no page wider than the screen, and the navigation bar
used by keyboard alone — skip link, toggler, Escape, menu groups — with a visible focus ring.
Also paper: a page printed to PDF (A4) without the screen's controls, charts within the page.

The server, the browser and the tabs are the fixtures of `tests/test_browser.py`; the pages are
those registered with Dash (`dash.page_registry`), so new pages are checked too.
"""

from __future__ import annotations

import io
import re

import dash
import pytest
from pypdf import PdfReader

from tests import test_browser as tb

live_server = tb.live_server
browser = tb.browser
open_tab = tb.open_tab

expect = tb.sync_api.Expect()
expect.set_options(timeout=tb.TIMEOUT)

pytestmark = pytest.mark.browser

PHONE = 390
SKIP_TEXT = "Bỏ qua đến nội dung chính"
SHOWN = re.compile(r"(^|\s)show(\s|$)")
ACTIVE = """() => { const e = document.activeElement;
    return {id: e.id, tag: e.tagName, text: (e.textContent || '').trim()}; }"""
# Elements sticking out to the right of the screen (for the failure message).
WIDER_THAN = """(width) => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1
        && e.getBoundingClientRect().width > 0)
    .slice(-5)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.className && e.className.baseVal === undefined
            ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
        + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""
OUTLINE = """() => { const s = getComputedStyle(document.activeElement);
    return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"""


def phone_tab(open_tab, username: str, path: str = "/") -> tb.Tab:
    tab = open_tab()
    tab.page.set_viewport_size({"width": PHONE, "height": 800})
    tb.login(tab, username, land=path)
    tb.wait_for_dash(tab, "#main-content")
    return tab


def page_paths() -> list[str]:
    return sorted(
        "/khong-ton-tai" if page["path"] == "/404" else page["path"]
        for page in dash.page_registry.values()
    )


def rgb(color: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", color)[:3])


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    def luminance(c):
        channels = [v / 255 for v in c]
        linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("username", ["viewer", "editor-622"])
def test_no_page_is_wider_than_a_phone(open_tab, username):
    """Catches a page that scrolls sideways at 390 px (a table, grid, chart or filter row wider
    than the screen pushes columns and buttons out of reach)."""
    tab = phone_tab(open_tab, username)
    too_wide = {}
    for path in page_paths():
        tab.goto(path)
        tb.wait_for_dash(tab, "#main-content")
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = (width, tab.page.evaluate(WIDER_THAN, PHONE))
    assert not too_wide, f"pages wider than {PHONE} px as {username}: {too_wide}"


def test_skip_link_is_the_first_stop_and_moves_to_the_main_content(open_tab):
    """Catches a missing or hidden skip link (keyboard users tab through the whole bar on every
    page), and one that jumps nowhere or changes the address (Dash would take a #hash for a
    new view)."""
    tab = phone_tab(open_tab, "viewer")
    page = tab.page
    address = page.url
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == {"id": "skip-link", "tag": "A", "text": SKIP_TEXT}
    box = page.locator("#skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0, "skip link off screen"
    assert page.evaluate(OUTLINE)["style"] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)["id"] == "main-content"
    assert page.url == address
    page.keyboard.press("Tab")  # the next stop is inside the page, not back in the navbar
    inside = page.evaluate(
        "() => document.getElementById('main-content').contains(document.activeElement)"
    )
    assert inside


def test_toggler_opens_with_enter_and_escape_closes_it(open_tab):
    """Catches a toggler that is not a button announcing what it controls and whether it is
    open, a folded menu the keyboard cannot reach, and Escape not closing it (focus stuck in a
    menu covering the page)."""
    tab = phone_tab(open_tab, "editor-622")
    page = tab.page
    toggler = page.locator("#nav-toggler")
    expect(toggler).to_have_attribute("aria-controls", "nav-collapse")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    assert toggler.get_attribute("aria-label")
    assert toggler.evaluate("(e) => e.tagName") == "BUTTON"
    toggler.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nav-collapse")).to_have_class(SHOWN)
    expect(toggler).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["text"] == "Tổng quan"  # the first link of the open menu
    page.keyboard.press("Escape")
    expect(page.locator("#nav-collapse")).not_to_have_class(SHOWN)
    expect(toggler).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(ACTIVE)["id"] == "nav-toggler"
    assert tab.errors() == []


def test_menu_group_is_operable_by_keyboard(open_tab):
    """Catches a menu group (Báo cáo) that Enter does not open, whose entries the arrow keys do
    not reach, or where Escape closes the whole menu instead of the group first."""
    tab = phone_tab(open_tab, "editor-622")
    page = tab.page
    page.locator("#nav-toggler").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nav-collapse")).to_have_class(SHOWN)
    group = page.locator("#nav-collapse .dropdown-toggle", has_text="Báo cáo")
    for _ in range(12):  # Tab to the group
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["text"] == "Báo cáo":
            break
    assert page.evaluate(ACTIVE)["text"] == "Báo cáo", "the group is not reachable by Tab"
    page.keyboard.press("Enter")
    expect(group).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE)["text"] == "Nhập liệu"
    page.keyboard.press("Escape")
    expect(group).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#nav-collapse")).to_have_class(SHOWN)
    page.keyboard.press("Escape")
    expect(page.locator("#nav-collapse")).not_to_have_class(SHOWN)


def test_focus_ring_is_visible_in_the_navbar_and_on_the_page(open_tab):
    """Catches Bootstrap's `outline: 0` winning again: an invisible focus ring on the dark bar
    (links, toggler, language switch) or on the page's buttons and fields. The ring must be at
    least 2 px and stand out 3:1 against the bar."""
    tab = phone_tab(open_tab, "viewer")
    page = tab.page
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
        assert outline["style"] != "none" and outline["width"] >= 2, (active, outline)
        assert contrast(rgb(outline["color"]), bar) >= 3, (active, outline)
        seen.add(active["id"] or active["text"])
    assert {"lang-switch-en", "nav-toggler", "Chính quyền số"} <= seen, seen
    page.keyboard.press("Escape")
    field = page.locator("#main-content input, #main-content button").first
    field.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate(OUTLINE)
    assert outline["style"] != "none" and outline["width"] >= 2, outline


A4_WIDTH_PX = 720  # 190 mm at 96 px per inch: A4 less print.css's side margins


def test_printed_page_has_no_controls_and_charts_fit_a4(open_tab):
    """Catches a printout with the navigation bar, download buttons or Plotly's toolbar on
    paper, charts wider than the page (cut off), no trace of which view was printed (address
    with its period), or charts left at print size back on screen."""
    tab = open_tab()
    tb.login(tab, "viewer")
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
