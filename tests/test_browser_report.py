"""The period report page (`/bao-cao`) in headless Chromium, at a phone's and a desktop's width:
a viewer picks the period, clicks "Tạo PDF" or "Tạo Excel", sees that the report is being made,
and gets the file as a download whose content has the expected figures.

The browser and its context are those of `tests/test_browser.py`; the live server
is this module's own (the same set-up), with a gate in front of `period_report.build` so that
the test can look at the page while the report is being made, without timing anything. The
page's accessibility (axe-core, as the admin and as an editor, at both widths) is checked
with every other page in `tests/test_browser_pages.py`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pypdf
import pytest

from dashboard.services import period_report
from tests import test_browser as tb
from tests.test_period_report import ARTICLE_FIGURES_2023, TITLE_2023

TIMEOUT = tb.TIMEOUT
expect = tb.sync_api.Expect()
expect.set_options(timeout=TIMEOUT)

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "desktop": (1440, 900)}


class Gate:
    """Holds `period_report.build` until the test opens it (when closed)."""

    def __init__(self) -> None:
        self.closed = False
        self.entered = threading.Event()
        self.opened = threading.Event()

    def wait(self) -> None:
        if self.closed:
            self.entered.set()
            self.opened.wait(timeout=60)

    def close(self) -> None:
        self.closed = True
        self.entered.clear()
        self.opened.clear()

    def open(self) -> None:
        self.closed = False
        self.opened.set()


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


@pytest.fixture(scope="module")
def live_server(
    template_url, tmp_path_factory, static_compression_cache, gate
) -> Iterator[tb.LiveServer]:
    """The application, its report builder waiting at `gate` (so a test can see the page while
    the file is being built)."""
    real_build = period_report.build

    def gated_build(*args, **kwargs):
        gate.wait()
        return real_build(*args, **kwargs)

    period_report.build = gated_build
    try:
        with tb.serving(
            template_url, tmp_path_factory, "browser-report", static_compression_cache
        ) as server:
            yield server
    finally:
        period_report.build = real_build


module_context = tb.module_context
logged_in = tb.logged_in


def pdf_text(path: str) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_viewer_makes_the_pdf_and_sees_progress(logged_in, gate, width):
    """Catches a button that downloads nothing, a file of another period, no sign of work
    while the report is made (the buttons stay clickable), and a page unusable on a phone."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    tab.goto("/bao-cao?period=2023")
    tb.wait_for_dash(tab, "#rp-pdf")
    page = tab.page
    expect(page.locator("#rp-period")).to_contain_text("2023")
    expect(page.get_by_role("button", name="Tạo PDF")).to_be_visible()
    tb.shot(page, f"bao-cao-{width}.png", full=True)
    # no horizontal scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]

    gate.close()
    try:
        with page.expect_download(timeout=TIMEOUT) as download_info:
            page.get_by_role("button", name="Tạo PDF").click()
            assert gate.entered.wait(timeout=TIMEOUT / 1000)
            expect(page.locator("#rp-progress")).to_be_visible()
            expect(page.locator("#rp-progress")).to_contain_text("Đang tạo báo cáo…")
            expect(page.locator("#rp-pdf")).to_be_disabled()
            tb.shot(page, f"bao-cao-{width}-building.png")
            gate.open()
    finally:
        gate.open()
    download = download_info.value
    assert download.suggested_filename == "bao-cao-2023-toan-tinh.pdf"
    text = pdf_text(download.path())
    assert TITLE_2023 in text
    for code, display in ARTICLE_FIGURES_2023.items():
        assert display in text, code
    expect(page.locator("#rp-progress")).to_be_hidden()
    expect(page.locator("#rp-status")).to_contain_text("bao-cao-2023-toan-tinh.pdf")
    expect(page.locator("#rp-pdf")).to_be_enabled()
    tb.shot(page, f"bao-cao-{width}-done.png", full=True)
    assert tab.errors() == []


def test_viewer_makes_the_approved_only_workbook_of_a_district(logged_in):
    """Catches the district and mode choices not reaching the file."""
    tab = logged_in("viewer")
    tab.goto("/bao-cao?period=2023&district=622&mode=approved")
    tb.wait_for_dash(tab, "#rp-xlsx")
    page = tab.page
    mode = page.locator("#rp-mode")
    expect(mode.get_by_label("Chỉ số liệu đã phê duyệt")).to_be_checked()
    with page.expect_download(timeout=TIMEOUT) as download_info:
        page.get_by_role("button", name="Tạo Excel").click()
    download = download_info.value
    assert download.suggested_filename == "bao-cao-2023-622-da-phe-duyet.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    cover = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert "Thành phố Pleiku (622)" in cover
    assert "Chỉ số liệu đã phê duyệt" in cover
    assert tab.errors() == []


def test_editor_sees_no_mode_choice_but_makes_reports(logged_in):
    """Catches the data-mode choice offered to editors (who work on all data), or the page
    closed to them."""
    tab = logged_in("editor-622")
    tab.goto("/bao-cao?period=2023")
    tb.wait_for_dash(tab, "#rp-pdf")
    page = tab.page
    expect(page.locator("#rp-mode")).to_be_hidden()
    expect(page.get_by_text("Cán bộ nhập liệu tạo báo cáo trên toàn bộ số liệu")).to_be_visible()
    with page.expect_download(timeout=TIMEOUT) as download_info:
        page.get_by_role("button", name="Tạo Excel").click()
    assert download_info.value.suggested_filename == "bao-cao-2023-toan-tinh.xlsx"
    assert tab.errors() == []


def test_report_mode_follows_the_data_shown_switch(logged_in):
    """Catches a report made on all data while the viewer reads approved figures only (the
    switch at the top of every page), unless the address says otherwise."""
    tab = logged_in("viewer")
    tab.goto("/bao-cao?period=2023")
    tb.wait_for_dash(tab, "#rp-pdf")
    page = tab.page
    report_mode = page.locator("#rp-mode")
    expect(report_mode.get_by_label("Tất cả")).to_be_checked()
    page.locator("#data-mode").get_by_label("Chỉ số liệu đã phê duyệt").check()
    expect(report_mode.get_by_label("Chỉ số liệu đã phê duyệt")).to_be_checked()
    tab.goto("/bao-cao?period=2023&mode=all")
    tb.wait_for_dash(tab, "#rp-pdf")
    expect(page.locator("#data-mode").get_by_label("Chỉ số liệu đã phê duyệt")).to_be_checked()
    expect(page.locator("#rp-mode").get_by_label("Tất cả")).to_be_checked()
    assert tab.errors() == []
