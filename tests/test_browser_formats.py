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

browser = tb.browser
open_tab = tb.open_tab
logged_in = tb.logged_in

pytestmark = pytest.mark.browser

GEOJSON = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / ("gia_lai_districts_2021_2025.geojson")
)
SHOTS = Path("/tmp/shots/b")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
META = {i["code"]: i["meta"] for i in json.loads(data_text("indicators.json"))["indicators"]}


@pytest.fixture(scope="module")
def live_server(template_url, tmp_path_factory) -> Iterator[tb.LiveServer]:
    if not GEOJSON.exists():
        pytest.skip("shared boundary file not present")
    with tb.serving(
        template_url, tmp_path_factory, "browser-formats", BOUNDARIES_GEOJSON=str(GEOJSON)
    ) as server:
        yield server


def shot(tab: tb.Tab, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SHOTS / name), full_page=full)


def no_horizontal_scroll(tab: tb.Tab) -> bool:
    return tab.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_summary_table_is_stacked_cards_on_a_phone(logged_in):
    """Bug: at 390 px the summary table squeezed indicator names to a word a line and pushed
    the status off screen. Each row is now a card: name on its own line, every value labelled,
    the status visible, no horizontal page scroll."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(PHONE)
    tab.goto("/chinh-quyen-so?period=2023")
    tb.wait_for_dash(tab, "#pl-summary-table")
    row = tab.page.locator('#pl-summary-table tbody tr:has([data-indicator="GOV-C8_4"])')
    expect(row).to_be_visible()
    assert tab.page.locator("#pl-summary-table thead").bounding_box()["height"] <= 1
    name = row.locator("th.summary-indicator")
    name_box, row_box = name.bounding_box(), row.bounding_box()
    assert name_box["width"] >= row_box["width"] * 0.8  # the name spans the card
    assert name_box["height"] < 80  # a readable line or two, not a word a line
    status = row.locator("td.summary-status .status-badge")
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    label = tab.page.evaluate(
        """(el) => getComputedStyle(el, '::before').content""",
        row.locator("td.summary-status").element_handle(),
    )
    assert label == '"Trạng thái"'
    assert no_horizontal_scroll(tab)
    row.scroll_into_view_if_needed()
    shot(tab, "summary-390.png")
    assert tab.errors() == []


def test_summary_table_is_a_table_on_a_desktop(logged_in):
    """Catches the phone layout leaking to wide screens."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(DESKTOP)
    tab.goto("/chinh-quyen-so?period=2023")
    tb.wait_for_dash(tab, "#pl-summary-table")
    assert tab.page.locator("#pl-summary-table thead").bounding_box()["height"] > 20
    display = tab.page.evaluate(
        "() => getComputedStyle(document.querySelector('#pl-summary-table tbody tr')).display"
    )
    assert display == "table-row"
    assert no_horizontal_scroll(tab)
    shot(tab, "summary-1440.png")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1440"])
def test_indicator_explanation_opens_by_keyboard(logged_in, viewport):
    """Catches an explanation that a keyboard cannot open, that has no accessible name, that
    lies off screen on a phone, or that does not show the definition and the projection
    method."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(viewport)
    tab.goto("/chinh-quyen-so?period=2023")
    tb.wait_for_dash(tab, "#pl-summary-table")
    button = tab.page.get_by_role(
        "button", name=re.compile(r"^Giải thích chỉ tiêu Xã đạt chỉ tiêu 8\.4$")
    )
    expect(button).to_have_count(1)
    button.focus()
    tab.page.keyboard.press("Enter")
    popover = tab.page.locator(".popover.indicator-info")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Định nghĩa")
    expect(popover).to_contain_text(META["GOV-C8_4"]["vi"]["definition"])
    expect(popover).to_contain_text("Cách tính dự báo 2025")
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
    shot(tab, f"popover-{viewport['width']}.png")
    tab.page.keyboard.press("Enter")  # the same key closes it again
    expect(popover).to_have_count(0)
    assert tab.errors() == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1440"])
def test_map_is_a_choropleth_drawn_without_the_internet(logged_in, viewport):
    """Catches a map that needs a tile server or Plotly's world map from cdn.plot.ly (refused
    by the CSP: the chart would not draw), or that draws no district."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(viewport)
    requests: list[str] = []
    tab.page.on("request", lambda r: requests.append(r.url))
    tab.goto("/?period=2023&indicator=GOV-C8_4")
    tb.wait_for_graph(tab, "ov-map")
    tab.page.wait_for_function(
        "() => document.querySelectorAll('#ov-map .choroplethlocation').length === 17",
        timeout=TIMEOUT,
    )
    trace = tab.page.evaluate(
        """() => { const gd = document.querySelector('#ov-map .js-plotly-plot');
            return {type: gd.data[0].type, n: gd.data[0].locations.length,
                    code: gd.data[0].customdata[0][0], loc: gd.data[0].locations[0]}; }"""
    )
    assert trace["type"] == "choropleth" and trace["n"] == 17
    assert trace["code"] == trace["loc"]
    expect(tab.page.locator("#ov-map .colorbar")).to_have_count(1)
    assert not [u for u in requests if not u.startswith(tab.base_url)]
    assert no_horizontal_scroll(tab)
    tab.page.locator("#ov-map").scroll_into_view_if_needed()
    shot(tab, f"map-{viewport['width']}.png")
    assert tab.errors() == []


def test_clicking_a_district_on_the_map_drills_into_it(logged_in):
    """Catches a map whose click does nothing (no drill-down to the district) or drills without
    putting the district in the address."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(DESKTOP)
    tab.goto("/?period=2023&indicator=GOV-C8_4")
    tab.page.wait_for_function(
        "() => document.querySelectorAll('#ov-map .choroplethlocation').length === 17",
        timeout=TIMEOUT,
    )
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
    expect(tab.page).to_have_url(re.compile(r"district=\d{3}"), timeout=TIMEOUT)
    chosen = re.search(r"district=(\d{3})", tab.page.url).group(1)
    expect(tab.page.locator("#ov-district")).to_contain_text(f"({chosen})")
    assert code  # the trace carries the codes the click returns
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
