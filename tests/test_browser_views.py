"""Views are URLs, in headless Chromium: changing a filter or drilling down puts the view in
the query string as a new history entry, Back and Forward restore the previous views (filters
and figures), and a pasted address opens exactly that view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import Indicator, OrgUnit, Period
from dashboard.services import indicators as svc
from tests import test_browser as shared
from tests.conftest import make_app
from tests.test_browser import TIMEOUT, expect, wait_for_dash

# The live server and the browser context of tests/test_browser.py (this module's own).
live_server = shared.live_server
module_context = shared.module_context
logged_in = shared.logged_in

pytestmark = pytest.mark.browser

CARD = '.card-figure[data-indicator="GOV-C8_4"]'


def query(tab) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(tab.page.url).query).items()}


def expected_display(database_url: str, district_code: str | None) -> str:
    """The 2023 GOV-C8_4 figure as the service computes it (province or one district)."""
    app = make_app(database_url)
    try:
        with app.app_context(), so.Session(app.extensions["db"].engine) as session:
            ind = session.scalar(sa.select(Indicator).where(Indicator.code == "GOV-C8_4"))
            period = session.scalar(sa.select(Period).where(Period.code == "2023"))
            district_id = None
            if district_code:
                district_id = session.scalar(
                    sa.select(OrgUnit.id).where(OrgUnit.gso_code == district_code)
                )
            return svc.compute(session, ind, period, district_id).display
    finally:
        app.extensions["db"].dispose()


def choose(tab, dropdown: str, text: str) -> None:
    """Open `dropdown` and click the option whose label contains `text`."""
    tab.page.click(f"#{dropdown}")
    tab.page.get_by_role("option", name=re.compile(re.escape(text))).first.click()
    wait_for_dash(tab, f"#{dropdown}")


def test_filters_are_history_entries_that_back_and_forward_restore(logged_in, live_server):
    """Catches filters that leave the address on the old view (a copied link shares the wrong
    view), a change that replaces instead of pushing (Back leaves the page), and a Back that
    changes the address but leaves the filters and figures of the later view on screen."""
    tab = logged_in("viewer")
    tab.goto("/")
    wait_for_dash(tab, CARD)
    first = query(tab)
    assert first["indicator"] == "GOV-C8_4" and "period" in first, first
    history = tab.page.evaluate("history.length")

    choose(tab, "ov-period", "2023")
    expect(tab.page).to_have_url(re.compile(r"[?&]period=2023"), timeout=TIMEOUT)
    province = expected_display(live_server.database_url, None)
    expect(tab.page.locator(CARD)).to_have_text(province)

    choose(tab, "ov-district", "Pleiku")
    expect(tab.page).to_have_url(re.compile(r"[?&]district=622"), timeout=TIMEOUT)
    pleiku = expected_display(live_server.database_url, "622")
    assert pleiku != province
    expect(tab.page.locator(CARD)).to_have_text(pleiku)
    assert tab.page.evaluate("history.length") == history + 2

    tab.page.go_back()
    expect(tab.page).not_to_have_url(re.compile(r"district="), timeout=TIMEOUT)
    expect(tab.page.locator("#ov-district")).to_contain_text("Toàn tỉnh")
    expect(tab.page.locator(CARD)).to_have_text(province)

    tab.page.go_back()
    assert query(tab).get("period") == first["period"]
    expect(tab.page.locator("#ov-period")).to_contain_text(first["period"])

    tab.page.go_forward()
    # The view of that entry first (its filters sync the address), then the next one.
    expect(tab.page).to_have_url(re.compile(r"[?&]period=2023"), timeout=TIMEOUT)
    expect(tab.page.locator(CARD)).to_have_text(province)
    wait_for_dash(tab, CARD)
    tab.page.go_forward()
    expect(tab.page).to_have_url(re.compile(r"district=622"), timeout=TIMEOUT)
    expect(tab.page.locator("#ov-district")).to_contain_text("Pleiku")
    expect(tab.page.locator(CARD)).to_have_text(pleiku)
    assert not tab.errors()


@pytest.mark.parametrize("width", [390, 1440])
def test_pasted_address_opens_that_view_and_back_returns_across_pages(logged_in, width):
    """Catches a layout that ignores the query string (a shared link opens the default view)
    and a Back from another page that lands on the default filters instead of the view left."""
    tab = logged_in("viewer")
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.goto("/chinh-quyen-so?period=2023&district=622&indicator=GOV-C8_4")
    wait_for_dash(tab, "#pl-records-title")
    expect(tab.page.locator("#pl-period")).to_contain_text("2023")
    expect(tab.page.locator("#pl-district")).to_contain_text("Pleiku")
    expect(tab.page.locator("#pl-records-title")).to_contain_text("Thành phố Pleiku, 2023")
    assert query(tab) == {"period": "2023", "district": "622", "indicator": "GOV-C8_4"}

    tab.goto("/")
    wait_for_dash(tab, CARD)
    tab.page.go_back()
    expect(tab.page).to_have_url(re.compile(r"/chinh-quyen-so\?"), timeout=TIMEOUT)
    wait_for_dash(tab, "#pl-records-title")
    expect(tab.page.locator("#pl-district")).to_contain_text("Pleiku")
    expect(tab.page.locator("#pl-records-title")).to_contain_text("Thành phố Pleiku, 2023")


def test_drilling_into_a_district_is_in_the_address(logged_in):
    """Catches a drill-down (click on a district's bar) that changes the view but not the
    address, so Back cannot return to the province."""
    tab = logged_in("viewer")
    tab.goto("/chinh-quyen-so?period=2023&indicator=GOV-C8_4")
    shared.wait_for_graph(tab, "pl-by-district")
    wait_for_dash(tab, "#pl-by-district")
    tab.page.locator("#pl-by-district .bars path").first.click(force=True)
    expect(tab.page).to_have_url(re.compile(r"district=\d{3}"), timeout=TIMEOUT)
    district = query(tab)["district"]
    expect(tab.page.locator("#pl-district")).to_contain_text(f"({district})")
    tab.page.go_back()
    expect(tab.page).not_to_have_url(re.compile(r"district="), timeout=TIMEOUT)
    expect(tab.page.locator("#pl-district")).to_contain_text("Toàn tỉnh")


def test_back_to_the_address_the_page_was_opened_with(logged_in):
    """Catches a Back to the very address the page was opened with that changes the address but
    not the view: Dash's router compares with the address it last saw, which is that one, and
    rebuilds nothing unless the page sets its filters from the address itself."""
    tab = logged_in("viewer")
    tab.goto("/?period=2024&indicator=GOV-C8_4")
    wait_for_dash(tab, CARD)
    choose(tab, "ov-period", "2023")
    expect(tab.page).to_have_url(re.compile(r"period=2023"), timeout=TIMEOUT)
    tab.page.go_back()
    expect(tab.page).to_have_url(re.compile(r"period=2024"), timeout=TIMEOUT)
    expect(tab.page.locator("#ov-period")).to_contain_text("2024")


def test_progress_report_and_audit_filters_are_in_the_address(logged_in):
    """Catches the reporting-progress, period-report and audit pages keeping their filters out
    of the address (a shared link opens other filters) or a Back that does not restore them —
    the audit unit filter holds a number the address carries as digits."""
    tab = logged_in("admin")
    tab.goto("/tien-do-bao-cao?period=2023")
    wait_for_dash(tab, "#pr-summary")
    choose(tab, "pr-period", "2024")
    expect(tab.page).to_have_url(re.compile(r"/tien-do-bao-cao\?period=2024$"), timeout=TIMEOUT)
    tab.page.go_back()
    expect(tab.page.locator("#pr-period")).to_contain_text("2023")

    tab.goto("/bao-cao?period=2023&district=622&mode=approved")
    wait_for_dash(tab, "#rp-period")
    expect(tab.page.locator("#rp-district")).to_contain_text("Pleiku")
    expect(tab.page.locator("#rp-mode input[value='approved']")).to_be_checked()
    choose(tab, "rp-district", "Chư Sê")
    expect(tab.page).to_have_url(re.compile(r"district=633"), timeout=TIMEOUT)
    assert query(tab) == {"period": "2023", "district": "633", "mode": "approved"}

    tab.goto("/nhat-ky")
    wait_for_dash(tab, "#au-unit")
    choose(tab, "au-unit", "Pleiku")
    expect(tab.page).to_have_url(re.compile(r"[?&]unit=\d+"), timeout=TIMEOUT)
    unit = query(tab)["unit"]
    choose(tab, "au-user", "editor-622")
    expect(tab.page).to_have_url(re.compile(r"user=editor-622"), timeout=TIMEOUT)
    tab.page.go_back()
    expect(tab.page).not_to_have_url(re.compile(r"user="), timeout=TIMEOUT)
    expect(tab.page.locator("#au-unit")).to_contain_text("Pleiku")
    tab.goto(f"/nhat-ky?unit={unit}&user=editor-622")
    wait_for_dash(tab, "#au-unit")
    expect(tab.page.locator("#au-unit")).to_contain_text("Pleiku")
    expect(tab.page.locator("#au-user")).to_contain_text("editor-622")
    assert not tab.errors()


def test_data_entry_district_and_period_are_in_the_address(logged_in):
    """Catches the data-entry page keeping its district and period out of the address, and a
    Back that changes the address without showing that district's grid."""
    tab = logged_in("admin")
    tab.goto("/nhap-lieu?district=622&period=2023")
    wait_for_dash(tab, "#ne-district")
    expect(tab.page.locator("#ne-district")).to_contain_text("Pleiku")
    choose(tab, "ne-district", "Chư Sê")
    expect(tab.page).to_have_url(re.compile(r"district=633"), timeout=TIMEOUT)
    assert query(tab) == {"district": "633", "period": "2023"}
    tab.page.go_back()
    expect(tab.page).to_have_url(re.compile(r"district=622"), timeout=TIMEOUT)
    wait_for_dash(tab, "#ne-district")
    expect(tab.page.locator("#ne-district")).to_contain_text("Pleiku")
