"""In headless Chromium at 390 and 1440 px: the pillar summary table becomes stacked cards on a
phone without horizontal scrolling, the indicator explanation opens from the keyboard and shows
the definition, the district map is a choropleth drawn without any internet request, and grids
show numbers the Vietnamese way.

The server, the browser and the tabs are the fixtures of `tests/test_browser.py`, except that
this module's server is given the shared district boundaries (`BOUNDARIES_GEOJSON`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.services.reference import data_text
from tests import test_browser as tb

TIMEOUT = tb.TIMEOUT
expect = tb.sync_api.Expect()
expect.set_options(timeout=TIMEOUT)

module_context = tb.module_context
logged_in = tb.logged_in

pytestmark = pytest.mark.browser

GEOJSON = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / ("gia_lai_districts_2021_2025.geojson")
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
META = {i["code"]: i["meta"] for i in json.loads(data_text("indicators.json"))["indicators"]}


@pytest.fixture(scope="module")
def live_server(
    template_url, tmp_path_factory, static_compression_cache
) -> Iterator[tb.LiveServer]:
    if not GEOJSON.exists():
        pytest.skip("shared boundary file not present")
    with tb.serving(
        template_url,
        tmp_path_factory,
        "browser-formats",
        static_cache=static_compression_cache,
        BOUNDARIES_GEOJSON=str(GEOJSON),
    ) as server:
        yield server


shot = tb.shot


def no_horizontal_scroll(tab: tb.Tab) -> bool:
    return tab.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def open_summary(logged_in, viewport: dict) -> tb.Tab:
    tab = logged_in("viewer")
    tab.page.set_viewport_size(viewport)
    tab.goto("/chinh-quyen-so?period=2023")
    tb.wait_for_dash(tab, "#pl-summary-table")
    return tab


def check_explanation(tab: tb.Tab, viewport: dict) -> None:
    """The explanation of criterion 8.4, opened and closed with the keyboard."""
    button = tab.page.get_by_role(
        "button", name=re.compile(r"^Giải thích chỉ tiêu Xã đạt chỉ tiêu 8\.4$")
    )
    expect(button, "no explanation button named for the indicator").to_have_count(1)
    button.focus()
    tab.page.keyboard.press("Enter")
    popover = tab.page.locator(".popover.indicator-info")
    expect(popover, "Enter does not open the explanation").to_be_visible()
    expect(popover).to_contain_text("Định nghĩa")
    expect(popover).to_contain_text(META["GOV-C8_4"]["vi"]["definition"])
    expect(popover).to_contain_text("Cách tính dự báo 2025")
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, (
        f"the explanation lies off screen: {box}"
    )
    shot(tab, f"popover-{viewport['width']}.png")
    button.focus()  # where the keyboard still is (the filled-in explanation may re-render)
    tab.page.keyboard.press("Enter")  # the same key closes it again
    expect(popover, "Enter does not close the explanation").to_have_count(0)


def test_summary_table_is_stacked_cards_on_a_phone_and_explained(logged_in):
    """Catches (1) at 390 px the summary table squeezing indicator names to a word a line and
    pushing the status off screen (each row must be a card: name on its own line, every value
    labelled, the status visible, no horizontal page scroll); (2) an indicator explanation
    that a keyboard cannot open, that has no accessible name, that lies off screen on a phone,
    or that does not show the definition and the projection method."""
    tab = open_summary(logged_in, PHONE)
    # (1) stacked cards
    row = tab.page.locator('#pl-summary-table tbody tr:has([data-indicator="GOV-C8_4"])')
    expect(row).to_be_visible()
    assert tab.page.locator("#pl-summary-table thead").bounding_box()["height"] <= 1, (
        "(1) the table's header is shown on a phone"
    )
    name = row.locator("th.summary-indicator")
    name_box, row_box = name.bounding_box(), row.bounding_box()
    assert name_box["width"] >= row_box["width"] * 0.8, "(1) the name does not span the card"
    assert name_box["height"] < 80, "(1) the name is not a readable line or two"
    status = row.locator("td.summary-status .status-badge")
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "(1) status off screen"
    label = tab.page.evaluate(
        """(el) => getComputedStyle(el, '::before').content""",
        row.locator("td.summary-status").element_handle(),
    )
    assert label == '"Trạng thái"', f"(1) the status is not labelled: {label}"
    assert no_horizontal_scroll(tab), "(1) the page scrolls sideways"
    row.scroll_into_view_if_needed()
    shot(tab, "summary-390.png")
    # (2) the explanation
    check_explanation(tab, PHONE)
    assert tab.errors() == []


def test_summary_table_is_a_table_on_a_desktop_and_explained(logged_in):
    """Catches (1) the phone layout of the summary table leaking to wide screens; (2) an
    indicator explanation that a keyboard cannot open, that has no accessible name, that lies
    off screen, or that does not show the definition and the projection method."""
    tab = open_summary(logged_in, DESKTOP)
    # (1) a table
    assert tab.page.locator("#pl-summary-table thead").bounding_box()["height"] > 20, (
        "(1) no table header on a desktop"
    )
    display = tab.page.evaluate(
        "() => getComputedStyle(document.querySelector('#pl-summary-table tbody tr')).display"
    )
    assert display == "table-row", f"(1) rows are shown as {display}"
    assert no_horizontal_scroll(tab), "(1) the page scrolls sideways"
    shot(tab, "summary-1440.png")
    # (2) the explanation
    check_explanation(tab, DESKTOP)
    assert tab.errors() == []


MAP_DRAWN = "() => document.querySelectorAll('#ov-map .choroplethlocation').length === 17"


def open_map(logged_in, viewport: dict) -> tuple[tb.Tab, list[str]]:
    """The overview's map of 2023 (criterion 8.4), with every URL the page requested."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(viewport)
    requests: list[str] = []
    tab.page.on("request", lambda r: requests.append(r.url))
    tab.goto("/?period=2023&indicator=GOV-C8_4")
    tb.wait_for_graph(tab, "ov-map")
    tab.page.wait_for_function(MAP_DRAWN, timeout=TIMEOUT)
    return tab, requests


def check_choropleth(tab: tb.Tab, requests: list[str], viewport: dict) -> None:
    trace = tab.page.evaluate(
        """() => { const gd = document.querySelector('#ov-map .js-plotly-plot');
            return {type: gd.data[0].type, n: gd.data[0].locations.length,
                    code: gd.data[0].customdata[0][0], loc: gd.data[0].locations[0]}; }"""
    )
    assert trace["type"] == "choropleth" and trace["n"] == 17, trace
    assert trace["code"] == trace["loc"], trace
    expect(tab.page.locator("#ov-map .colorbar")).to_have_count(1)
    outside = [u for u in requests if not u.startswith(tab.base_url)]
    assert not outside, f"requests outside the application: {outside}"
    assert no_horizontal_scroll(tab), "the page scrolls sideways"
    tab.page.locator("#ov-map").scroll_into_view_if_needed()
    shot(tab, f"map-{viewport['width']}.png")


def test_map_is_a_choropleth_drawn_without_the_internet_on_a_phone(logged_in):
    """Catches, at 390 px, a map that needs a tile server or Plotly's world map from
    cdn.plot.ly (refused by the CSP: the chart would not draw), or that draws no district."""
    tab, requests = open_map(logged_in, PHONE)
    check_choropleth(tab, requests, PHONE)
    assert tab.errors() == []


def test_map_on_a_desktop_is_drawn_and_clicking_a_district_drills_into_it(logged_in):
    """Catches (1) at 1440 px, a map that needs a tile server or Plotly's world map from
    cdn.plot.ly (refused by the CSP: the chart would not draw), or that draws no district;
    (2) a map whose click does nothing (no drill-down to the district) or drills without
    putting the district in the address."""
    tab, requests = open_map(logged_in, DESKTOP)
    # (1) the choropleth
    check_choropleth(tab, requests, DESKTOP)
    # (2) a click on a district
    tb.wait_for_dash(tab, "#ov-map")
    code = tab.page.evaluate(
        "() => document.querySelector('#ov-map .js-plotly-plot').data[0].customdata[0][0]"
    )
    tab.page.locator("#ov-map").scroll_into_view_if_needed()
    box = tab.page.locator("#ov-map .choroplethlocation").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.page.mouse.move(x - 5, y - 5)
    tab.page.mouse.move(x, y, steps=5)  # Plotly's geo click needs the hover it starts from
    expect(tab.page.locator("#ov-map .hoverlayer .hovertext")).to_have_count(1)
    tab.page.mouse.down()
    tab.page.mouse.up()
    expect(tab.page, "(2) the click put no district in the address").to_have_url(
        re.compile(r"district=\d{3}"), timeout=TIMEOUT
    )
    chosen = re.search(r"district=(\d{3})", tab.page.url).group(1)
    expect(tab.page.locator("#ov-district"), "(2) no drill-down").to_contain_text(f"({chosen})")
    assert code, "(2) the trace carries no codes for the click to return"
    assert tab.errors() == []


def test_grid_and_chart_numbers_are_vietnamese(logged_in):
    """Bug: the records grid showed `15085`. Numbers show `15.085` and sort as numbers; chart
    axis ticks carry no `.0`."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(DESKTOP)
    tab.goto("/chinh-quyen-so?period=2023&indicator=GOV-DOSSIER-COMM&district=622")
    tb.wait_for_dash(tab, "#pl-records .ag-row")
    header = tab.page.locator("#pl-records .ag-header-cell", has_text="Mẫu số")
    col_id = header.first.get_attribute("col-id")
    cells = tab.page.locator(f"#pl-records .ag-row .ag-cell[col-id='{col_id}']")
    expect(cells.first).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})+$|^\d{1,3}$"))
    texts = cells.all_inner_texts()
    assert any("." in t for t in texts), texts
    header.first.locator(".ag-header-cell-label").click()  # sort ascending, by number
    expect(header.first).to_have_attribute("aria-sort", "ascending")
    shown = tab.page.evaluate(
        """(col) => Array.from(
                document.querySelectorAll('#pl-records .ag-center-cols-container .ag-row'))
            .map(r => [Number(r.getAttribute('row-index')),
                       r.querySelector(`.ag-cell[col-id="${col}"]`).textContent])
            .sort((a, b) => a[0] - b[0]).map(p => p[1])""",
        col_id,
    )
    values = [int(t.replace(".", "")) for t in shown if t]  # in the order shown
    assert len(values) > 5 and values == sorted(values)
    ticks = tab.page.locator("#pl-by-district .xtick text").all_text_contents()
    assert ticks and not [t for t in ticks if re.search(r"\d\.0\b", t)]
    assert tab.errors() == []
