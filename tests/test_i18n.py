"""English beside Vietnamese: the message keys (every key used exists in both languages, none is
unused), the request's language (`lang` parameter, `lang` cookie, Vietnamese by default), the
switch `/ngon-ngu/<lang>`, number formats, and the navbar in English in a browser."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from flask import Flask, g
from werkzeug.serving import WSGIRequestHandler, make_server

from dashboard import i18n, i18n_tools
from dashboard.components import figures
from dashboard.i18n import _, fmt_datetime, fmt_number, fmt_pct, lazy_
from tests.conftest import PASSWORD, make_app

# --- the catalogue and the key check ---------------------------------------------------------


def test_every_key_used_exists_and_none_is_unused(capsys):
    """Catches a `_("key")` with no text, a key no code uses any more, an f-string key not
    declared in the tool, and a call that does not pass a placeholder its text needs."""
    report = i18n_tools.check()
    assert report.missing == {}, "keys used but not defined"
    assert report.undeclared == {}, "dynamic keys to declare in i18n_tools.DYNAMIC_KEYS"
    assert report.unmatched_dynamic == {}, "dynamic keys with no text"
    assert report.missing_params == []
    assert report.unused == {}, "keys defined but unused"
    assert i18n_tools.main(["check"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_placeholders_are_the_same_in_both_languages():
    """Catches an English text that drops or renames a `{placeholder}` (a KeyError, or a value
    missing from the English text)."""
    differ = {
        key: (vi, en)
        for key, (vi, en) in i18n.MESSAGES.items()
        if i18n_tools.placeholders(vi) != i18n_tools.placeholders(en)
    }
    assert differ == {}


def test_every_text_is_written_in_both_languages():
    empty = [k for k, (vi, en) in i18n.MESSAGES.items() if not vi.strip() or not en.strip()]
    assert empty == []
    assert all(isinstance(v, tuple) and len(v) == 2 for v in i18n.MESSAGES.values())


def test_the_check_finds_missing_unused_and_undeclared_keys(tmp_path):
    """The tool itself: each kind of problem in a small tree is reported (and `check` would
    exit with 1)."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<p>{{ _("t.page") }}</p>')
    (tmp_path / "mod.py").write_text(
        "from dashboard.i18n import _\n"
        "def render(key):\n"
        '    _("a.one", name="x")\n'
        '    _("a.two")\n'
        '    _("a.missing")\n'
        "    label = f\"{_('a.nested')}\"\n"
        '    key = "a.indirect"\n'
        '    _(f"b.{key}")\n'
        '    _(f"c.{key}")\n'
        'TITLE = _("a.one", name="at import")\n'
    )
    messages = {
        "a.one": ("{name} một", "{name} one"),
        "a.two": ("{n} hai", "two"),
        "a.nested": ("lồng", "nested"),
        "a.indirect": ("gián tiếp", "indirect"),
        "b.x": ("bê", "bee"),
        "c.x": ("xê", "see"),
        "t.page": ("trang", "page"),
        "z.unused": ("không dùng", "unused"),
    }
    report = i18n_tools.check(tmp_path, messages, dynamic={"b.*": "test"})
    assert set(report.missing) == {"a.missing"}
    assert set(report.unused) == {"c.x", "z.unused"}  # c.x: its f-string is not declared
    assert set(report.undeclared) == {"c.*"}
    assert set(report.placeholder_mismatch) == {"a.two"}
    assert report.missing_params == ["mod.py:4: a.two needs n"]
    assert report.import_time == ["mod.py:10: a.one"]
    assert report.errors == 6


def test_export_writes_po_files_for_translators(tmp_path):
    written = i18n_tools.export(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        "messages.pot",
        "vi/LC_MESSAGES/messages.po",
        "en/LC_MESSAGES/messages.po",
    }
    with (tmp_path / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        english = read_po(handle)
    with (tmp_path / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        vietnamese = read_po(handle)
    assert english["nav.overview"].string == "Overview"
    assert vietnamese["nav.overview"].string == "Tổng quan"
    assert len(english) == len(i18n.MESSAGES)


# --- formats follow the language --------------------------------------------------------------


@pytest.fixture
def in_lang():
    """Run with `g.lang` set, as a request would."""
    app = Flask(__name__)

    def run(lang, fn):
        with app.test_request_context():
            g.lang = lang
            return fn()

    return run


def test_numbers_follow_the_language(in_lang):
    assert in_lang("vi", lambda: fmt_number(12345.6, 1)) == "12.345,6"
    assert in_lang("en", lambda: fmt_number(12345.6, 1)) == "12,345.6"
    assert in_lang("vi", lambda: fmt_pct(52.197)) == "52,2%"
    assert in_lang("en", lambda: fmt_pct(52.197)) == "52.2%"
    assert fmt_number(12345.6, 1) == "12.345,6"  # outside a request: Vietnamese


def test_times_follow_the_language(in_lang):
    at = dt.datetime(2026, 11, 29, 7, 5)  # stored in UTC: 14:05 in Vietnam
    assert in_lang("vi", lambda: fmt_datetime(at)) == "14:05 29/11/2026"
    assert in_lang("en", lambda: fmt_datetime(at)) == "29 Nov 2026, 14:05"


def test_chart_separators_follow_the_language(in_lang):
    """Catches charts that keep the Vietnamese decimal comma in English."""
    assert in_lang("vi", lambda: figures.empty_figure().layout.separators) == ",."
    assert in_lang("en", lambda: figures.empty_figure().layout.separators) == ".,"


def test_lazy_text_is_translated_when_shown(in_lang):
    label = lazy_("login.field_required", field=lambda: _("login.username").lower())
    assert in_lang("vi", lambda: str(label)) == "Vui lòng nhập tên đăng nhập."
    assert in_lang("en", lambda: str(label)) == "Please enter username."
    too_long = lazy_("validation.too_long", field="Username", max=64)
    assert in_lang("en", lambda: too_long % {"max": 64, "min": -1, "length": 70}) == (
        "Username is too long (at most 64 characters)."
    )


def test_html_lang_of_the_dash_index(in_lang):
    page = '<!DOCTYPE html>\n<html lang="vi" class="x">\n<head></head></html>'
    assert '<html lang="en" class="x">' in in_lang("en", lambda: i18n.html_lang(page))
    assert '<html lang="vi">' in in_lang("vi", lambda: i18n.html_lang("<html><body>"))


# --- the request's language and the switch ----------------------------------------------------


def layout_text(client, query: str = "") -> str:
    response = client.get("/_dash-layout" + query)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def current_language_of_switch(text: str) -> str:
    layout = json.loads(text)
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if str(props.get("id", "")).startswith("lang-switch-") and props.get("aria-current"):
                found.append(props["lang"])
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(layout)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.db
def test_navbar_is_vietnamese_by_default_and_english_with_lang_en(client, auth):
    """Catches navbar labels fixed at import (page names) and a switch that marks the wrong
    language."""
    auth.login("viewer")
    vietnamese = layout_text(client)
    assert "Tổng quan" in vietnamese and "Chính quyền số" in vietnamese
    assert current_language_of_switch(vietnamese) == "vi"
    english = layout_text(client, "?lang=en")
    for label in ("Overview", "Digital government", "Training & outreach", "Reporting"):
        assert label in english
    assert "Tổng quan" not in english and "Đăng xuất" not in english
    assert current_language_of_switch(english) == "en"
    assert "/ngon-ngu/vi?next=" in english


@pytest.mark.db
def test_lang_en_renders_the_overview_page_in_english(client, auth, dash_caller):
    """`/?lang=en`: the index declares English, remembers it, and the page content rendered
    next (Dash's router callback) is English."""
    auth.login("viewer")
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "lang=en" in response.headers.get("Set-Cookie", "")
    content = dash_caller.post(
        "_pages_content.children",
        inputs=[
            {"id": "_pages_location", "property": "pathname", "value": "/"},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
    )
    assert content.status_code == 200
    text = content.get_data(as_text=True)
    assert "Programme overview" in text and "Tổng quan chương trình" not in text
    assert '<html lang="vi">' in client.get("/?lang=vi").get_data(as_text=True)


@pytest.mark.db
def test_switch_sets_the_cookie_and_the_next_page_is_english(client, auth):
    auth.login("viewer")
    response = client.get("/ngon-ngu/en?next=/kinh-te-so%3Fperiod%3D2023")
    assert response.status_code == 303
    assert response.headers["Location"] == "/kinh-te-so?period=2023"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;")
    for flag in ("Max-Age=31536000", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Secure" not in cookie
    assert "Digital economy" in layout_text(client)
    assert '<html lang="en">' in client.get("/kinh-te-so").get_data(as_text=True)
    client.get("/ngon-ngu/vi?next=/")
    assert "Kinh tế số" in layout_text(client)


@pytest.mark.db
@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%09/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_switch_refuses_an_open_redirect(client, auth, target):
    auth.login("viewer")
    response = client.get(f"/ngon-ngu/en?next={target}")
    assert response.status_code == 303
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//")
    assert not parts.scheme and not parts.netloc
    assert location == "/"


@pytest.mark.db
def test_switch_drops_the_old_lang_parameter_from_next(client, auth):
    """Else `next=/?lang=vi` would undo the switch to English on arrival."""
    auth.login("viewer")
    response = client.get("/ngon-ngu/en?next=/%3Flang%3Dvi%26period%3D2023")
    assert response.headers["Location"] == "/?period=2023"


@pytest.mark.db
def test_switch_refuses_an_unknown_language(client, auth):
    auth.login("viewer")
    response = client.get("/ngon-ngu/fr?next=/")
    assert response.status_code == 400
    assert "vi (tiếng Việt) hoặc en (tiếng Anh)" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


@pytest.mark.db
def test_switch_works_before_logging_in(client):
    """The login page offers the switch: the route must be public (the login guard's list)."""
    response = client.get("/ngon-ngu/en?next=/login")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Username" in page


@pytest.mark.db
def test_language_cookie_is_secure_when_the_session_cookie_is(database_url, app_factory):
    app = app_factory(database_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.get("/login?lang=en")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.db
def test_order_of_language_sources(client, auth):
    """Parameter over cookie over Vietnamese; values other than vi/en are ignored on pages."""
    auth.login("viewer")
    client.set_cookie("lang", "en")
    assert "Overview" in layout_text(client)
    assert "Tổng quan" in layout_text(client, "?lang=vi")
    assert "Overview" in layout_text(client, "?lang=fr")
    client.set_cookie("lang", "fr")
    assert "Tổng quan" in layout_text(client)


@pytest.mark.db
def test_only_pages_remember_a_lang_parameter(app, client, auth):
    """A page opened with `?lang=en` keeps English for what follows; embeds (framed by other
    sites), open data and Dash's own requests answer in the asked language without storing it."""
    app.add_url_rule("/nhung/i18n-probe", "i18n_probe", lambda: f"<p>{_('nav.overview')}</p>")
    auth.login("viewer")
    embed = client.get("/nhung/i18n-probe?lang=en")
    assert embed.get_data(as_text=True) == "<p>Overview</p>"
    assert "lang=" not in embed.headers.get("Set-Cookie", "")
    response = client.get("/_dash-layout?lang=en")
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert "Tổng quan" in layout_text(client)
    page = client.get("/kinh-te-so?lang=en")
    assert page.headers["Set-Cookie"].startswith("lang=en;")
    assert "Overview" in layout_text(client)


@pytest.mark.db
def test_login_and_error_pages_in_english(client):
    default = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in default and "Tên đăng nhập" in default
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Username" in page and "Password" in page and "Log in" in page
    assert 'id="lang-switch-en"' in page and 'aria-current="true"' in page
    missing = client.get("/assets/missing.css", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    text = missing.get_data(as_text=True)
    assert '<html lang="en">' in text and "Page not found" in text


@pytest.mark.db
def test_login_guard_answers_in_the_chosen_language(client):
    """The language is set before the login guard runs: its 401 is English too."""
    client.set_cookie("lang", "en")
    response = client.post("/_dash-update-component", json={})
    assert response.status_code == 401
    assert response.get_json()["error"] == "Your session expired. Log in again."


# --- in a browser -------------------------------------------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="module")
def live_url(template_url, tmp_path_factory):
    if not template_url.startswith("sqlite"):
        pytest.skip("browser tests run on SQLite only")
    path = tmp_path_factory.mktemp("i18n-browser") / "live.sqlite"
    shutil.copy(template_url.split("///", 1)[1], path)
    app = make_app(f"sqlite:///{path}")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    app.extensions["db"].dispose()


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium not found on PATH")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


# Dash has rendered the page and no callback is running.
DASH_IDLE = """() => document.querySelector('._dash-loading') === null
    && document.querySelector('[data-dash-is-loading="true"]') === null"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
def test_switch_in_the_browser_returns_to_the_page_shown(live_url, chromium, width):
    """After moving to another page in the browser (the navbar is not rendered again), EN leads
    back to that page, now in English; the switch is visible without opening the menu; the
    English navbar does not push the page wider than the window."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{live_url}/login")
        page.fill("#username", "viewer")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("#login-submit")
        page.wait_for_selector("#lang-switch-en")
        page.wait_for_function(DASH_IDLE)  # the overview's first callbacks done
        assert page.evaluate("document.documentElement.lang") == "vi"
        if width < 1200:
            page.click("#nav-toggler")
            # Opened, not still sliding: a link clicked mid-animation can leave the point
            # where the click lands (CI once timed out waiting for the address to change).
            page.wait_for_selector("#nav-collapse.show:not(.collapsing)")
        page.click("#nav-collapse a[href='/kinh-te-so']")
        page.wait_for_url(lambda url: urlsplit(url).path == "/kinh-te-so")
        page.wait_for_function(
            "() => document.getElementById('lang-switch-en').getAttribute('href')"
            ".includes('kinh-te-so')"
        )
        assert page.is_visible("#lang-switch-en")
        with page.expect_navigation():
            page.click("#lang-switch-en")
        page.wait_for_selector("#lang-switch-en[aria-current='true']")
        assert urlsplit(page.url).path == "/kinh-te-so"
        assert page.evaluate("document.documentElement.lang") == "en"
        page.wait_for_selector("h1:has-text('Digital economy')")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert errors == []
    finally:
        context.close()
