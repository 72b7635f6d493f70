"""End-to-end tests of the reporting round's notifications, the progress page's deadlines and the
readable audit log, in headless Chromium at a phone's width (390 px) and a desktop's (1440 px).

The browser and its context are the fixtures of `tests/test_browser.py`; the server
is this module's own (a copy of the demo database). Screenshots go to `SHOTS_DIR`, when it is
set, for a person to look at."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import AuditLog, IndicatorValue, OrgUnit, User
from dashboard.services import indicators as svc
from dashboard.services import values, workflow
from tests import test_browser as tb

TIMEOUT = tb.TIMEOUT
expect = tb.sync_api.Expect()
expect.set_options(timeout=TIMEOUT)

module_context = tb.module_context
logged_in = tb.logged_in

pytestmark = pytest.mark.browser

WIDTHS = {390: "622", 1440: "633"}  # each width works on its own district's 2024 report
NAMES = {"622": "Thành phố Pleiku", "633": "Huyện Chư Sê"}
REASON = "Thiếu số liệu hồ sơ trực tuyến của 3 xã"
CODE = "GOV-DOSSIER-COMM"


@pytest.fixture(scope="module")
def live_server(template_url, tmp_path_factory, static_compression_cache):
    with tb.serving(
        template_url, tmp_path_factory, "browser-reporting", static_compression_cache
    ) as server:
        yield server


@pytest.fixture(scope="module")
def db(live_server):
    engine = sa.create_engine(live_server.database_url)
    yield engine
    engine.dispose()


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def tab_at(logged_in, width: int, username: str, path: str):
    """A new page of `username`'s context, `width` px wide, on `path`."""
    tab = logged_in(username)
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.goto(path)
    return tab


shot = tb.shot


def wait_until_in_view(tab, element_id: str) -> None:
    """Wait for a sliding panel to come to rest inside the window (its whole width shown)."""
    tab.page.wait_for_function(
        """(id) => { const box = document.getElementById(id).getBoundingClientRect();
            return box.left >= 0 && Math.abs(box.right - window.innerWidth) < 1; }""",
        arg=element_id,
        timeout=TIMEOUT,
    )


def axe_violations(tab, selector: str) -> list[str]:
    """Critical and serious axe-core violations inside `selector`."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab.page, context={"include": [[selector]]})
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_editor_sees_the_returned_report_with_its_reason_under_the_bell(db, logged_in, width):
    """Catches an editor left uninformed when the office returns the report: the bell must
    count it (badge and accessible name), the panel must show the reason and link to the data
    entry page, and "mark all as read" must clear the count."""
    district = WIDTHS[width]
    with so.Session(db) as session:
        workflow.transition(
            session, user(session, f"editor-{district}"), "submit", district, "2024"
        )
        workflow.transition(session, user(session, "admin"), "return", district, "2024", REASON)
    tab = tab_at(logged_in, width, f"editor-{district}", "/")
    page = tab.page
    bell = page.locator("#notif-bell")
    expect(bell).to_be_visible()
    expect(bell).to_have_attribute("aria-label", "Thông báo: 1 chưa đọc")
    expect(page.locator("#notif-count")).to_have_text("1")
    shot(tab, f"bell-{width}.png")
    bell.click()
    panel = page.locator("#notif-panel")
    expect(panel).to_be_visible()
    wait_until_in_view(tab, "notif-panel")
    item = panel.locator(".notif-item").first
    expect(item).to_contain_text(f"Báo cáo kỳ 2024 của {NAMES[district]} bị trả lại.")
    expect(item).to_contain_text(f"Lý do: {REASON}")
    expect(item.get_by_role("link", name="Mở trang nhập liệu")).to_have_attribute(
        "href", f"/nhap-lieu?district={district}&period=2024"
    )
    shot(tab, f"bell-panel-{width}.png")
    assert axe_violations(tab, "#notif-panel") == []
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(bell).to_have_attribute("aria-label", "Thông báo: không có thông báo mới")
    expect(page.locator("#notif-count")).to_be_hidden()
    expect(item.locator(".badge")).to_have_count(0)
    page.get_by_role("button", name="Đóng", exact=True).click()
    expect(panel).to_be_hidden()
    assert tab.errors() == []


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_progress_page_flags_overdue_districts_with_their_deadline(logged_in, width):
    """Catches a progress page without the deadline column or the overdue flag (the 2025
    deadline, 15/01/2026, has passed for every district that has not submitted)."""
    tab = tab_at(logged_in, width, "viewer", "/tien-do-bao-cao?period=2025")
    tb.wait_for_dash(tab, "#pr-grid .ag-row")
    page = tab.page
    summary = page.locator("#pr-summary")
    expect(summary).to_contain_text("Hạn nộp 15/01/2026")
    expect(summary).to_contain_text("huyện quá hạn chưa gửi")
    # Every column, also those a phone's width leaves unrendered (scrolled off).
    headers = page.evaluate(
        "() => dash_ag_grid.getApi('pr-grid').getColumnDefs().map(c => c.headerName)"
    )
    assert "Hạn nộp" in headers and "Số ngày trễ" in headers
    cells = page.evaluate(
        """() => { const out = [];
            dash_ag_grid.getApi('pr-grid').forEachNode(n => out.push(...Object.values(n.data)));
            return out; }"""
    )
    assert "Quá hạn" in cells and "15/01/2026" in cells
    shot(tab, f"progress-{width}.png")
    assert tab.errors() == []


def _change_a_value(db) -> tuple[int, int, int]:
    """Pleiku's editor raises a commune's online dossiers of 2024 by one; returns the entry's
    id and the numerator before and after."""
    with so.Session(db) as session:
        district = svc.district_by_code(session, "622")
        unit = next(
            u
            for u in session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == district.id))
            if u.kind == "xa"
        )
        ind, period = svc.get_indicator(session, CODE), svc.get_period(session, "2024")
        cell = session.scalar(
            sa.select(IndicatorValue).where(
                IndicatorValue.indicator_id == ind.id,
                IndicatorValue.unit_id == unit.id,
                IndicatorValue.period_id == period.id,
            )
        )
        before, denominator = int(cell.numerator), int(cell.denominator)
        values.set_value(
            session,
            user(session, "editor-622"),
            indicator_code=CODE,
            unit_id=unit.id,
            period_code="2024",
            raw={"numerator": str(before + 1), "denominator": str(max(denominator, before + 1))},
        )
        return session.scalar(sa.select(sa.func.max(AuditLog.id))), before, before + 1


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_audit_detail_shows_before_and_after_side_by_side(db, logged_in, width):
    """Catches an audit log that shows raw keys and codes, and a row that does not open the
    change's detail with before → after and the changed field marked."""
    _entry, before, after = _change_a_value(db)
    tab = tab_at(logged_in, width, "admin", "/nhat-ky")
    tb.wait_for_dash(tab, "#au-grid .ag-row")
    page = tab.page
    first = page.locator("#au-grid .ag-row[row-index='0']").first
    expect(first).to_contain_text("Sửa giá trị")
    grid_text = page.locator("#au-grid").inner_text()
    assert "value.set" not in grid_text and "numerator" not in grid_text
    expect(page.locator("#au-dates")).to_have_attribute("placeholder", "Từ ngày")
    expect(page.locator("#au-dates-end-date")).to_have_attribute("placeholder", "Đến ngày")
    shot(tab, f"audit-{width}.png")
    first.locator(".ag-cell").nth(1).click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.modal.show')).opacity === '1'"
    )
    expect(page.get_by_role("dialog", name="Chi tiết thay đổi")).to_be_visible()
    numerator = modal.locator("tr", has=page.locator("th", has_text="Tử số"))
    expect(numerator.locator(".au-before")).to_have_text(_number(before))
    expect(numerator.locator(".au-after")).to_have_text(_number(after))
    expect(numerator).to_contain_text("Đã thay đổi")
    expect(numerator).to_have_class("table-warning au-changed")
    denominator = modal.locator("tr", has=page.locator("th", has_text="Mẫu số"))
    expect(denominator).not_to_contain_text("Đã thay đổi")
    shot(tab, f"audit-detail-{width}.png")
    assert axe_violations(tab, ".modal-dialog") == []
    page.locator("#au-detail-close").click()
    expect(modal).to_be_hidden()
    # The same row opens again.
    first.locator(".ag-cell").nth(1).click()
    expect(page.locator(".modal-dialog")).to_be_visible()
    assert tab.errors() == []


def test_audit_date_picker_speaks_vietnamese(logged_in):
    """Catches the date picker's calendar in English ("January", "Mo Tu") on a Vietnamese
    page, and dates not typed as DD/MM/YYYY."""
    tab = tab_at(logged_in, 1440, "admin", "/nhat-ky")
    tb.wait_for_dash(tab, "#au-count")
    page = tab.page
    page.locator("#au-dates").click()
    calendar = page.locator(".dash-datepicker-calendar-container, [role='dialog']").first
    expect(calendar).to_be_visible()
    expect(calendar).to_contain_text("Tháng")
    expect(calendar).to_contain_text("T2")
    # Dash's English-only control names are given in the page's language (screen readers).
    expect(page.locator("[class*='dash-datepicker'] [aria-label='Tháng trước']")).to_have_count(1)
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll(
            "[class*='dash-datepicker'] [aria-label], [class*='dash-datepicker'][aria-label]"))
            .map((el) => el.getAttribute("aria-label"))"""
    )
    assert "Tháng sau" in labels and "Xóa khoảng ngày" in labels, labels
    assert not {"Previous month", "Next month", "Clear Dates", "Decrease value"} & set(labels)
    shot(tab, "audit-datepicker-1440.png")
    page.keyboard.press("Escape")
    page.locator("#au-dates").fill("01/01/2026")
    page.locator("#au-dates").press("Tab")
    tb.wait_for_dash(tab, "#au-count")
    expect(page.locator("#au-dates")).to_have_value("01/01/2026")
    assert tab.errors() == []
