"""End-to-end tests in headless Chromium (Playwright, sync API) against a live server, and the
browser fixtures and helpers the other `tests/test_browser_*.py` modules share.

The application runs on a werkzeug server in a daemon thread, on a copy of the demo database
made once for the module. Tests that write put the database back as it was, so the module's
tests do not depend on their order.

Chromium is shared by the browser test modules (`browser` in tests/conftest.py); each module
keeps one browser context (`module_context`), logged in as the account a test asks for
(`logged_in`; `open_tab`: not logged in). Every test gets new pages in it: the login and
Chromium's cache of Dash's files carry over from test to test, page state (history,
`sessionStorage`) does not. Chromium comes from the system (`/usr/bin/chromium`); without it
the module is skipped, unless `CI` is set, where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so
from werkzeug.serving import WSGIRequestHandler, make_server

from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period
from tests.conftest import PASSWORD, csrf_token, make_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms, for anything that waits on the server or on Dash callbacks
LOADING_TITLE = "Đang tải…"  # Dash's `update_title` while callbacks run
FIGURE_RE = re.compile(r"(\d+)/(\d+) (?:\w+ )?\(([\d.,]+)%\)$")
ARTICLE_FIGURES_2023 = {
    "GOV-PLAN": "17/17 huyện (100%)",
    "GOV-FIBRE": "182/182 xã (100%)",
    "GOV-C8_4": "95/182 xã (52,2%)",
    "GOV-ADV15_2": "182/182 xã (100%)",
    "GOV-D9_5": "17/17 huyện (100%)",
}
# Screenshots for a person to look at, only when `SHOTS_DIR` names a folder for them.
SHOTS_DIR = os.environ.get("SHOTS_DIR")


# --- server and browser ----------------------------------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # no access log in the test output
        pass


@dataclass
class LiveServer:
    url: str
    database_url: str


def share_static_cache(app, cache) -> None:
    """Let `app` use the session's compressed static files (see `static_compression_cache`)."""
    if cache is not None:
        app.extensions["delivery"].static_cache = cache


@contextmanager
def serving(
    template_url: str, tmp_path_factory, name: str = "browser", static_cache=None, **overrides
):
    """The application on its own copy of the test database (`overrides`: settings), served by
    werkzeug on a free port in a daemon thread, for one module's browser tests. `static_cache`:
    the session's compressed static files, shared with the other live servers."""
    if not template_url.startswith("sqlite"):
        pytest.skip("browser tests write to their database: they run on SQLite only")
    path = tmp_path_factory.mktemp(name) / "live.sqlite"
    shutil.copy(template_url.split("///", 1)[1], path)
    database_url = f"sqlite:///{path}"
    app = make_app(database_url, **overrides)
    share_static_cache(app, static_cache)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", database_url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.extensions["db"].dispose()


@pytest.fixture(scope="module")
def live_server(template_url, tmp_path_factory, static_compression_cache) -> Iterator[LiveServer]:
    with serving(template_url, tmp_path_factory, static_cache=static_compression_cache) as server:
        yield server


@dataclass
class Tab:
    """A page with the errors it logged; its context holds the cookies (the login)."""

    page: object
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def goto(self, path: str):
        return self.page.goto(self.base_url + path, timeout=TIMEOUT)

    def clear_errors(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()

    def errors(self, ignore: tuple[str, ...] = ()) -> list[str]:
        console = [m for m in self.console_errors if not any(s in m for s in ignore)]
        return console + [f"pageerror: {e}" for e in self.page_errors]


def new_context(browser, **options):
    """A browser context as the tests use them: Vietnamese, the tests' timeout."""
    context = browser.new_context(locale="vi-VN", **options)
    context.set_default_timeout(TIMEOUT)
    return context


def new_tab(context, base_url: str) -> Tab:
    """A new page in `context`, recording its console errors and uncaught exceptions."""
    tab = Tab(context.new_page(), base_url)
    tab.page.on(
        "console",
        lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    tab.page.on("pageerror", lambda exc: tab.page_errors.append(str(exc)))
    return tab


@dataclass
class ModuleContext:
    """The module's one browser context, and the account its cookie is logged in as.

    Tests run one at a time, each in new pages: the context changes account when a test asks
    for another (the cookie cleared, then a login by request), and keeps Chromium's cache of
    Dash's files (fingerprinted, kept for a year) from test to test."""

    context: object
    base_url: str
    account: str | None = None  # None: not logged in
    known: bool = True  # False once a test may have logged in or out through the page

    def use(self, username: str | None) -> None:
        if self.known and username == self.account:
            return
        self.context.clear_cookies()
        self.account, self.known = None, True
        if username is not None:
            log_in(self.context, self.base_url, username)
            self.account = username

    def tab(self, username: str | None) -> Tab:
        """A new page, logged in as `username` (None: not logged in)."""
        self.use(username)
        return new_tab(self.context, self.base_url)


@pytest.fixture(scope="module")
def module_context(browser, live_server) -> Iterator[ModuleContext]:
    """The module's browser context (`ModuleContext`), closed after its last test."""
    shared = ModuleContext(new_context(browser), live_server.url)
    yield shared
    shared.context.close()


def close_tabs(tabs: list[Tab]) -> None:
    for tab in tabs:
        if not tab.page.is_closed():
            tab.page.close()


@pytest.fixture
def logged_in(module_context):
    """`logged_in(username)`: a new page of the module's context logged in as `username`,
    closed after the test."""
    tabs: list[Tab] = []

    def _as(username: str) -> Tab:
        tabs.append(module_context.tab(username))
        return tabs[-1]

    yield _as
    close_tabs(tabs)


@pytest.fixture
def open_tab(module_context):
    """`open_tab()`: a new page of the module's context, not logged in, closed after the test
    (which may log in through the login form)."""
    tabs: list[Tab] = []

    def _open() -> Tab:
        tabs.append(module_context.tab(None))
        return tabs[-1]

    yield _open
    close_tabs(tabs)
    module_context.known = False


def shot(tab_or_page, name: str, full: bool = False) -> None:
    """A screenshot into `SHOTS_DIR` when it is set (for a person to look at); else nothing."""
    if not SHOTS_DIR:
        return
    page = getattr(tab_or_page, "page", tab_or_page)
    folder = Path(SHOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=full)


def log_in(context, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log `context` in through the login form's endpoint (its cookies are the context's).

    The form is posted by the context's request client rather than typed into: the page the
    login lands on would otherwise be loaded (a whole Dash page) only to be left. The form in
    the browser is tested by `test_login_page_and_wrong_password`."""
    form = context.request.get(base_url + "/login", timeout=TIMEOUT)
    answer = context.request.post(
        base_url + "/login",
        form={
            "username": username,
            "password": password,
            "csrf_token": csrf_token(form.text()),
        },
        max_redirects=0,
        timeout=TIMEOUT,
    )
    location = answer.headers.get("location", "")
    assert answer.status == 302 and "/login" not in location, f"login as {username} failed"


def login(tab: Tab, username: str, password: str = PASSWORD, land: str | None = None) -> None:
    """Log the tab's context in (`log_in`), then open `land`."""
    log_in(tab.page.context, tab.base_url, username, password)
    if land is not None:
        tab.goto(land)


def wait_for_dash(tab: Tab, selector: str) -> None:
    """Wait for `selector`, then until the renderer and every callback have finished."""
    tab.page.wait_for_selector(selector, state="attached", timeout=TIMEOUT)
    tab.page.wait_for_function(
        """(loading) => document.querySelector('._dash-loading') === null
            && document.querySelector('[data-dash-is-loading="true"]') === null
            && document.title !== loading""",
        arg=LOADING_TITLE,
        timeout=TIMEOUT,
    )


def graph_data(tab: Tab, graph_id: str) -> list[dict]:
    return tab.page.evaluate(
        """(id) => {
            const gd = document.getElementById(id).querySelector('.js-plotly-plot');
            return (gd && gd.data) ? gd.data.map(t => ({x: t.x, y: t.y, text: t.text})) : [];
        }""",
        graph_id,
    )


def wait_for_graph(tab: Tab, graph_id: str) -> None:
    tab.page.wait_for_function(
        """(id) => {
            const el = document.getElementById(id);
            const gd = el && el.querySelector('.js-plotly-plot');
            return !!(gd && gd.data && gd.data.length > 0);
        }""",
        arg=graph_id,
        timeout=TIMEOUT,
    )


def bar_text(tab: Tab, graph_id: str, district: str) -> str:
    trace = graph_data(tab, graph_id)[0]
    assert district in trace["y"], f"{district} not among the bars: {trace['y']}"
    return trace["text"][trace["y"].index(district)]


def open_dropdown(tab: Tab, dropdown_id: str):
    """Open a Dash 4 dropdown; its options are in a popover portalled to <body>."""
    tab.page.click(f"#{dropdown_id}")
    content = tab.page.locator(".dash-dropdown-content[data-state='open']")
    expect(content).to_be_visible()
    return content


def dropdown_labels(tab: Tab, dropdown_id: str) -> list[str]:
    content = open_dropdown(tab, dropdown_id)
    expect(content.get_by_role("option").first).to_be_visible()
    labels = [t.strip() for t in content.get_by_role("option").all_inner_texts()]
    tab.page.keyboard.press("Escape")
    expect(content).to_have_count(0)
    return labels


def choose(tab: Tab, dropdown_id: str, label: str) -> None:
    """Pick an option the way a user does: open, type in the search box, press Enter."""
    content = open_dropdown(tab, dropdown_id)
    content.locator("input.dash-dropdown-search").fill(label)
    expect(content.get_by_role("option")).to_have_count(1)
    tab.page.keyboard.press("Enter")
    expect(tab.page.locator(f"#{dropdown_id}-value")).to_have_text(label)


# --- database helpers -------------------------------------------------------------------------


def db_session(url: str) -> so.Session:
    return so.Session(sa.create_engine(url))


def communes(url: str, district_gso: str, period_code: str = "2023") -> list[OrgUnit]:
    """Rural communes (kind `xa`) of a district valid at the end of the period."""
    with db_session(url) as session:
        period = session.scalar(sa.select(Period).where(Period.code == period_code))
        parent = so.aliased(OrgUnit)
        rows = session.scalars(
            sa.select(OrgUnit)
            .join(parent, parent.id == OrgUnit.parent_id)
            .where(
                parent.gso_code == district_gso,
                OrgUnit.kind == "xa",
                OrgUnit.valid_on(period.end_date),
            )
            .order_by(OrgUnit.gso_code)
        ).all()
        session.expunge_all()
        session.get_bind().dispose()
        return list(rows)


def district_name(url: str, gso_code: str) -> str:
    with db_session(url) as session:
        name = session.scalar(
            sa.select(OrgUnit.name)
            .where(OrgUnit.gso_code == gso_code)
            .order_by(OrgUnit.valid_from.desc())
        )
        session.get_bind().dispose()
        return name


def stored_value(url: str, code: str, unit_id: int, period_code: str = "2023"):
    """(value_bool, version) of a cell, or None when nothing is stored."""
    with db_session(url) as session:
        row = session.execute(
            sa.select(IndicatorValue.value_bool, IndicatorValue.version)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(Period, Period.id == IndicatorValue.period_id)
            .where(
                Indicator.code == code,
                Period.code == period_code,
                IndicatorValue.unit_id == unit_id,
            )
        ).first()
        session.get_bind().dispose()
        return None if row is None else tuple(row)


def restore_value(url: str, code: str, unit_id: int, value: bool, period_code: str = "2023"):
    with db_session(url) as session:
        cell = session.scalar(
            sa.select(IndicatorValue)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(Period, Period.id == IndicatorValue.period_id)
            .where(
                Indicator.code == code,
                Period.code == period_code,
                IndicatorValue.unit_id == unit_id,
            )
        )
        cell.value_bool = value
        session.commit()
        session.get_bind().dispose()


def figure_parts(text: str) -> tuple[int, int]:
    match = FIGURE_RE.search(text.strip())
    assert match, f"no `a/b (p%)` figure at the end of {text!r}"
    return int(match.group(1)), int(match.group(2))


# --- tests ------------------------------------------------------------------------------------


def test_viewer_sees_article_figures_2023_and_no_edit_controls(logged_in):
    """Catches (1) the digital-government figures of 2023 differing from those the province
    reported (17/17 plans, 182/182 fibre, 95/182 criterion 8.4, 182/182 criterion 15.2, 17/17
    criterion 9.5): a change in how a figure is counted; (2) edit controls (value panel, save
    button, registry forms) shown to a viewer, or the records card missing from the viewer's
    pillar page. The overview's cards are checked in
    `test_approved_only_switch_changes_the_figures`."""
    tab = logged_in("viewer")
    tab.goto("/chinh-quyen-so?period=2023")
    wait_for_dash(tab, "#pl-summary-table")
    table = tab.page.locator("#pl-summary-table")
    for code, text in ARTICLE_FIGURES_2023.items():
        expect(
            table.locator(f'span.figure-value[data-indicator="{code}"]'),
            f"(1) the summary table's {code} differs from the article",
        ).to_have_text(text)
    # the page is the full pillar page (records card rendered), only without the edit controls
    expect(tab.page.locator("#pl-records-card"), "(2) no records card").to_be_visible()
    for selector in ("#pl-edit-card", "#pl-edit-save", ".registry-form"):
        expect(tab.page.locator(selector), f"(2) {selector} shown to a viewer").to_have_count(0)
    assert tab.errors() == []


def test_editor_changes_pleiku_commune_and_chart_changes(logged_in, live_server):
    """Catches a value saved from the pillar page that is not stored, or that the records
    title, the district's bar and the province's figure do not follow (a stale cache or a
    figure computed from something else than the stored values)."""
    url = live_server.database_url
    pleiku = district_name(url, "622")
    commune = next(
        (c for c in communes(url, "622") if stored_value(url, "GOV-C8_4", c.id)[0] is False),
        None,
    )
    assert commune is not None, "the demo data has no Pleiku commune failing 8.4 in 2023"
    label = f"{commune.name} ({commune.gso_code})"

    tab = logged_in("editor-622")
    # province-wide figure before the change
    tab.goto("/chinh-quyen-so?period=2023")
    wait_for_dash(tab, "#pl-summary-table")
    province = tab.page.locator('#pl-summary-table span.figure-value[data-indicator="GOV-C8_4"]')
    province_before = figure_parts(province.inner_text())

    tab.goto("/chinh-quyen-so?period=2023&indicator=GOV-C8_4&district=622")
    wait_for_dash(tab, "#pl-edit-card")
    title = tab.page.locator("#pl-records-title")
    expect(title).to_have_text(re.compile(rf"{re.escape(pleiku)}, 2023: \d+/\d+ xã \([\d,]+%\)$"))
    done, total = figure_parts(title.inner_text())
    wait_for_graph(tab, "pl-by-district")
    bar_before = bar_text(tab, "pl-by-district", pleiku)
    assert figure_parts(bar_before) == (done, total)
    # the records grid agrees with the database: the commune does not meet 8.4
    row = tab.page.locator("#pl-records .ag-row", has_text=commune.gso_code)
    expect(row.first).to_contain_text("Không đạt")

    try:
        choose(tab, "pl-edit-unit", label)
        bool_group = tab.page.locator("#pl-edit-bool")
        expect(bool_group.get_by_label("Không đạt", exact=True)).to_be_checked()  # prefilled
        bool_group.get_by_label("Đạt", exact=True).check()
        tab.page.click("#pl-edit-save")
        expect(tab.page.locator("#pl-edit-ok")).to_be_visible()
        expect(tab.page.locator("#pl-edit-error")).to_have_count(0)

        expected = f"{done + 1}/{total}"
        expect(title).to_have_text(re.compile(rf": {expected} xã \([\d,]+%\)$"))
        tab.page.wait_for_function(
            """([name, text]) => {
                const gd = document.getElementById('pl-by-district')
                    .querySelector('.js-plotly-plot');
                const t = gd && gd.data && gd.data[0];
                return !!t && String(t.text[t.y.indexOf(name)]).startsWith(text + ' ');
            }""",
            arg=[pleiku, expected],
            timeout=TIMEOUT,
        )
        assert bar_text(tab, "pl-by-district", pleiku) != bar_before
        assert stored_value(url, "GOV-C8_4", commune.id)[0] is True

        tab.goto("/chinh-quyen-so?period=2023")
        wait_for_dash(tab, "#pl-summary-table")
        expect(province).to_have_text(
            re.compile(rf"^{province_before[0] + 1}/{province_before[1]} xã \([\d,]+%\)$")
        )
        assert tab.errors() == []
    finally:
        restore_value(url, "GOV-C8_4", commune.id, False)


def test_editor_saving_over_a_newer_value_sees_the_conflict(logged_in, live_server):
    """Catches the pillar page's lost update: the editor opens a value, someone else changes
    it, the editor saves; the page must say who changed it and what it is now, and nothing is
    saved over it."""
    url = live_server.database_url
    commune = next(
        c for c in communes(url, "622") if stored_value(url, "GOV-C8_4", c.id)[0] is False
    )
    tab = logged_in("editor-622")
    tab.goto("/chinh-quyen-so?period=2023&indicator=GOV-C8_4&district=622")
    wait_for_dash(tab, "#pl-edit-card")
    try:
        choose(tab, "pl-edit-unit", f"{commune.name} ({commune.gso_code})")
        bool_group = tab.page.locator("#pl-edit-bool")
        expect(bool_group.get_by_label("Không đạt", exact=True)).to_be_checked()
        restore_value(url, "GOV-C8_4", commune.id, True)  # another user's save: a new version
        bool_group.get_by_label("Không đạt", exact=True).check()
        tab.page.click("#pl-edit-save")
        error = tab.page.locator("#pl-edit-error")
        expect(error).to_contain_text("đã thay đổi dữ liệu này")
        expect(error).to_contain_text("Đạt")
        assert stored_value(url, "GOV-C8_4", commune.id)[0] is True
    finally:
        restore_value(url, "GOV-C8_4", commune.id, False)


def test_editor_refused_for_other_district_commune(logged_in, live_server):
    """Catches another district's communes offered to an editor, and a save forged in the
    browser (the unit's id rewritten in the callback request) that the server accepts."""
    url = live_server.database_url
    own = communes(url, "622")
    other = communes(url, "633")
    assert own and other
    target = next(c for c in other if stored_value(url, "GOV-C8_4", c.id) is not None)
    before = stored_value(url, "GOV-C8_4", target.id)

    tab = logged_in("editor-622")
    tab.goto("/chinh-quyen-so?period=2023&indicator=GOV-C8_4")
    wait_for_dash(tab, "#pl-edit-card")

    labels = dropdown_labels(tab, "pl-edit-unit")
    assert labels == [f"{c.name} ({c.gso_code})" for c in own]
    leaked = [lb for lb in labels for c in other if f"({c.gso_code})" in lb or c.name in lb]
    assert leaked == [], "Chư Sê communes offered to Pleiku's editor"

    rewritten = []

    def forge(route, request):
        body = request.post_data_json
        if isinstance(body, dict) and str(body.get("output", "")).startswith(
            "..pl-edit-feedback.children"
        ):
            for item in body["state"]:
                if item["id"] == "pl-edit-unit":
                    item["value"] = target.id
            rewritten.append(body)
            route.continue_(post_data=json.dumps(body))
        else:
            route.continue_()

    tab.page.route(re.compile(r"/_dash-update-component"), forge)
    choose(tab, "pl-edit-unit", f"{own[0].name} ({own[0].gso_code})")
    own_before = stored_value(url, "GOV-C8_4", own[0].id)
    wanted = "Không đạt" if before[0] else "Đạt"  # the opposite of the Chư Sê value
    expect(tab.page.locator("#pl-edit-bool input:checked")).to_have_count(1)  # prefilled
    tab.page.locator("#pl-edit-bool").get_by_label(wanted, exact=True).check()
    tab.page.click("#pl-edit-save")

    error = tab.page.locator("#pl-edit-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("không có quyền")
    expect(tab.page.locator("#pl-edit-ok")).to_have_count(0)
    assert len(rewritten) == 1, "the save request was not intercepted"
    assert stored_value(url, "GOV-C8_4", target.id) == before
    assert stored_value(url, "GOV-C8_4", own[0].id) == own_before
    assert tab.errors() == []


def test_login_page_and_wrong_password(open_tab):
    """Catches the login form accepting a wrong password or not saying so, a page opened
    without login that is shown instead of the login form, and a login that does not go on
    to the page first asked for (`next`)."""
    tab = open_tab()
    tab.goto("/login")
    tab.page.fill("#username", "viewer")
    tab.page.fill("#password", "not-the-password")
    with tab.page.expect_navigation(timeout=TIMEOUT):
        tab.page.click("#login-submit")
    expect(tab.page.locator("#login-error")).to_contain_text("không đúng")
    assert urlsplit(tab.page.url).path == "/login"

    response = tab.goto("/kinh-te-so?period=2023")
    parts = urlsplit(tab.page.url)
    assert parts.path == "/login"
    assert parse_qs(parts.query)["next"] == ["/kinh-te-so?period=2023"]
    assert response is not None and response.status == 200
    expect(tab.page.locator("#login-submit")).to_be_visible()

    # logging in from there goes on to the page first asked for
    tab.page.fill("#username", "viewer")
    tab.page.fill("#password", PASSWORD)
    with tab.page.expect_navigation(timeout=TIMEOUT):
        tab.page.click("#login-submit")
    parts = urlsplit(tab.page.url)
    assert (parts.path, parts.query) == ("/kinh-te-so", "period=2023")
    wait_for_dash(tab, "#pl-summary-table")
    ignore = ("Failed to load resource: the server responded with a status of 401",)
    assert tab.errors(ignore=ignore) == []


def test_approved_only_switch_changes_the_figures(logged_in):
    """Catches (1) the overview's cards of 2023 differing from the figures the province
    reported (see `ARTICLE_FIGURES_2023`); (2) the "approved data only" switch not changing the
    figures (no report of 2023 is approved in the demo data) or the note saying which data is
    shown; (3) the choice not holding for the session (another page opens in all-data mode)."""
    tab = logged_in("viewer")
    tab.goto("/?period=2023")
    wait_for_dash(tab, "#ov-cards .card-figure")
    for code, text in ARTICLE_FIGURES_2023.items():
        expect(
            tab.page.locator(f'.card-figure[data-indicator="{code}"]'),
            f"(1) the overview's {code} card differs from the article",
        ).to_have_text(text)
    figure = tab.page.locator('.card-figure[data-indicator="GOV-C8_4"]')
    expect(tab.page.locator("#ov-approval")).to_contain_text("Gồm số liệu chưa phê duyệt")
    tab.page.get_by_label("Chỉ số liệu đã phê duyệt").check()
    expect(figure).to_have_text("Chưa có số liệu được phê duyệt")
    expect(tab.page.locator("#ov-approval")).to_contain_text("Chỉ gồm số liệu đã phê duyệt")
    # The choice holds for the session: another page opens in the same mode.
    tab.goto("/chinh-quyen-so?period=2023")
    wait_for_dash(tab, "#pl-summary-table")
    expect(tab.page.locator("#pl-approval")).to_contain_text("Chỉ gồm số liệu đã phê duyệt")
    assert tab.errors() == []
