"""End-to-end tests of the data-entry page (`/nhap-lieu`) in headless Chromium.

The server, the browser and the logged-in tabs are the fixtures of `tests/test_browser.py`
(a werkzeug server on a copy of the demo database for this module, system Chromium, one browser
context for the module, logged in as each test asks, and new pages in it for each test).
Every test that writes puts the database back as it was, so the tests do not depend on their
order.

All tests work as `editor-622` (Pleiku) on period 2024, on the numerator and denominator of
`GOV-DOSSIER-COMM` (dossiers of communes processed online), whose grid columns and Excel columns
are looked up from the application's own model rather than hard-coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest
import sqlalchemy as sa
from openpyxl.utils import get_column_letter
from sqlalchemy import orm as so

from dashboard.catalogue.entry import MESSAGES as ENTRY_MESSAGES
from dashboard.models import DistrictReport, Indicator, IndicatorValue, OrgUnit, Period
from dashboard.services import data_entry as model
from dashboard.services.excel import (
    CODE_ROW,
    DATA_SHEET,
    FIRST_DATA_ROW,
    FIRST_INPUT_COLUMN,
    META_SHEET,
)
from tests import test_browser as tb

TIMEOUT = tb.TIMEOUT
expect = tb.sync_api.Expect()  # this module's own, so that its timeout stays here
expect.set_options(timeout=TIMEOUT)

# The fixtures of tests/test_browser.py, made available to this module (pytest only shares
# fixtures of conftest files); the server and the browser context are this module's own.
live_server = tb.live_server
module_context = tb.module_context
logged_in = tb.logged_in

pytestmark = pytest.mark.browser

EDITOR = "editor-622"
DISTRICT = "622"
PERIOD = "2024"
CODE = "GOV-DOSSIER-COMM"
NUMERATOR_HEADER = "Hồ sơ cấp xã xử lý trên mạng — tử số"
NOT_A_NUMBER = "nhiều"
REPORT_COLUMNS = (
    "status",
    "submitted_at",
    "submitted_by_id",
    "decided_at",
    "decided_by_id",
    "reason",
)


# --- the database ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A commune's GOV-DOSSIER-COMM cell in the grid: row id, fields and stored numbers."""

    unit_id: int
    name: str
    num_field: str  # grid col-id of the numerator
    den_field: str
    numerator: int
    denominator: int

    @property
    def row_id(self) -> str:
        return str(self.unit_id)

    def other_numerator(self) -> int:
        """A different numerator that is still a valid input (0 ≤ n ≤ denominator)."""
        assert self.denominator >= 1, f"{self.name}: the denominator leaves no other numerator"
        return self.numerator - 1 if self.numerator > 0 else self.numerator + 1


def _session(url: str):
    return tb.db_session(url)


def targets(url: str) -> list[Target]:
    """The district's communes with a stored GOV-DOSSIER-COMM ratio, as the grid shows them."""
    with _session(url) as session:
        district = model.district_for(session, DISTRICT)
        period = session.scalar(sa.select(Period).where(Period.code == PERIOD))
        columns, rows = model.grid_model(session, district, period)
        session.get_bind().dispose()
    fields = {c.part: c.field for c in columns if c.indicator == CODE}
    assert set(fields) == {"numerator", "denominator"}, f"no {CODE} columns: {columns}"
    found = []
    for row in rows:
        num, den = row[fields["numerator"]], row[fields["denominator"]]
        if fields["numerator"] in row["_app"] and num and den and int(den) >= 2:
            found.append(
                Target(
                    row["unit_id"],
                    row["name"],
                    fields["numerator"],
                    fields["denominator"],
                    int(num),
                    int(den),
                )
            )
    assert len(found) >= 2, f"the demo data has too few Pleiku communes with {CODE} in {PERIOD}"
    return found


def _value_query(code: str, unit_id: int):
    return (
        sa.select(IndicatorValue)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Period, Period.id == IndicatorValue.period_id)
        .where(Indicator.code == code, Period.code == PERIOD, IndicatorValue.unit_id == unit_id)
    )


def stored_ratio(url: str, unit_id: int, code: str = CODE) -> tuple[float, float] | None:
    with _session(url) as session:
        value = session.scalar(_value_query(code, unit_id))
        result = None if value is None else (value.numerator, value.denominator)
        session.get_bind().dispose()
        return result


def restore_ratio(url: str, target: Target) -> None:
    """Put the stored numerator and denominator back as they were before the test."""
    with _session(url) as session:
        value = session.scalar(_value_query(CODE, target.unit_id))
        if (value.numerator, value.denominator) != (target.numerator, target.denominator):
            value.numerator, value.denominator = target.numerator, target.denominator
            session.commit()
        session.get_bind().dispose()


def _report_query():
    district = so.aliased(OrgUnit)
    return (
        sa.select(DistrictReport)
        .join(district, district.id == DistrictReport.district_id)
        .join(Period, Period.id == DistrictReport.period_id)
        .where(district.gso_code == DISTRICT, Period.code == PERIOD)
    )


def report_state(url: str) -> dict | None:
    """The district's report for the period as plain columns, or None (a draft, no row)."""
    with _session(url) as session:
        report = session.scalar(_report_query())
        state = None
        if report is not None:
            state = {key: getattr(report, key) for key in REPORT_COLUMNS}
        session.get_bind().dispose()
        return state


def set_report(url: str, status: str) -> None:
    """The district's report for the period put in `status` directly (as if transitioned)."""
    with _session(url) as session:
        report = session.scalar(_report_query())
        if report is None:
            district = model.district_for(session, DISTRICT)
            period = session.scalar(sa.select(Period).where(Period.code == PERIOD))
            report = DistrictReport(district_id=district.id, period_id=period.id)
            session.add(report)
        report.status = status
        session.commit()
        session.get_bind().dispose()


def put_back_ratio(url: str, target: Target) -> None:
    """The target's value as before the test, created again if the test deleted it."""
    with _session(url) as session:
        if session.scalar(_value_query(CODE, target.unit_id)) is None:
            session.add(
                IndicatorValue(
                    indicator_id=session.scalar(
                        sa.select(Indicator.id).where(Indicator.code == CODE)
                    ),
                    unit_id=target.unit_id,
                    period_id=session.scalar(sa.select(Period.id).where(Period.code == PERIOD)),
                    numerator=target.numerator,
                    denominator=target.denominator,
                )
            )
            session.commit()
        session.get_bind().dispose()
    restore_ratio(url, target)


def restore_report(url: str, state: dict | None) -> None:
    with _session(url) as session:
        report = session.scalar(_report_query())
        if report is not None:
            if state is None:
                session.delete(report)
            else:
                for key, item in state.items():
                    setattr(report, key, item)
            session.commit()
        session.get_bind().dispose()


# --- the page ------------------------------------------------------------------------------------


def open_entry(tab: tb.Tab, period: str = PERIOD) -> None:
    """The data-entry page for `period` (and Pleiku), with the grid loaded and every callback
    done."""
    response = tab.goto(f"/nhap-lieu?period={period}&district={DISTRICT}")
    assert response is not None and response.status == 200
    tb.wait_for_dash(tab, "#ne-grid")
    expect(tab.page.locator("#ne-period")).to_contain_text(period)
    expect(tab.page.locator("#ne-district")).to_contain_text(f"({DISTRICT})")
    expect(tab.page.locator("#ne-status-badge")).to_be_visible()
    expect(tab.page.locator("#ne-grid .ag-row").first).to_be_visible()
    expect(tab.page.locator("#ne-changes")).to_have_text("Không có thay đổi chưa lưu.")
    tb.wait_for_dash(tab, "#ne-grid")


def cell(tab: tb.Tab, row_id: str, col_id: str):
    return tab.page.locator(f'#ne-grid .ag-row[row-id="{row_id}"] .ag-cell[col-id="{col_id}"]')


def header(tab: tb.Tab, col_id: str):
    return tab.page.locator(f'#ne-grid .ag-header-cell[col-id="{col_id}"]')


def show_cell(tab: tb.Tab, row_id: str, col_id: str) -> None:
    """Scroll the grid so that the cell is rendered (AG Grid virtualises rows and columns)."""
    tab.page.wait_for_function(
        """([rowId, colId]) => {
            const api = window.dash_ag_grid && dash_ag_grid.getApi('ne-grid');
            const node = api && api.getRowNode(rowId);
            if (!node) return false;
            api.ensureColumnVisible(colId);
            api.ensureNodeVisible(node);
            return true;
        }""",
        arg=[row_id, col_id],
        timeout=TIMEOUT,
    )
    expect(cell(tab, row_id, col_id)).to_be_visible()


def vi(number: int) -> str:
    """A whole number as the grid shows it in Vietnamese: 15085 → `15.085`."""
    return f"{number:,}".replace(",", ".")


def edit_cell(tab: tb.Tab, row_id: str, col_id: str, text: str, shown: str | None = None) -> None:
    """Click a cell (single-click editing), replace its content with `text`, press Enter; the
    cell then shows `shown` (by default `text`; a number typed is shown in Vietnamese once the
    server has checked it)."""
    show_cell(tab, row_id, col_id)
    target = cell(tab, row_id, col_id)
    target.click()
    editor = target.locator("input")
    expect(editor).to_be_visible()
    editor.fill(text)
    editor.press("Enter")
    expect(target.locator("input")).to_have_count(0)
    expect(target).to_have_text(text if shown is None else shown)


def has_class(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def open_excel_tab(tab: tb.Tab):
    tab.page.get_by_role("tab", name="Nhập bằng Excel").click()
    link = tab.page.locator("#ne-template")
    expect(link).to_be_visible()
    expect(link).to_have_attribute(
        "href",
        re.compile(rf"^/nhap-lieu/mau\.xlsx\?(?=.*district={DISTRICT})(?=.*period={PERIOD})"),
    )
    return link


def upload(tab: tb.Tab, path: Path) -> None:
    tab.page.set_input_files("#ne-upload input[type=file]", str(path))


@dataclass(frozen=True)
class TemplateCell:
    """Where a unit's GOV-DOSSIER-COMM inputs are in the template's data sheet."""

    row: int
    num_letter: str
    den_letter: str

    @property
    def numerator(self) -> str:
        return f"{self.num_letter}{self.row}"


def template_cell(workbook, target: Target) -> TemplateCell:
    """Locate the target's inputs through the hidden `_mau` sheet, checked against the data
    sheet's code row and code column."""
    meta = workbook[META_SHEET]
    letters = {}
    row = None
    for item in meta.iter_rows(values_only=True):
        if item[0] == "column" and item[2] == CODE:
            letters[item[3]] = item[1]
        elif item[0] == "row" and int(item[2]) == target.unit_id:
            row = int(item[1])
    assert row is not None and set(letters) == {"numerator", "denominator"}, "not in `_mau`"
    ws = workbook[DATA_SHEET]
    assert row >= FIRST_DATA_ROW
    for letter in letters.values():
        assert openpyxl.utils.column_index_from_string(letter) >= FIRST_INPUT_COLUMN
        assert ws[f"{letter}{CODE_ROW}"].value == CODE
    assert ws.cell(row, 2).value == target.name
    found = TemplateCell(row, letters["numerator"], letters["denominator"])
    assert ws[found.numerator].value == target.numerator, "the template is not prefilled"
    return found


def download_template(tab: tb.Tab, link, dest: Path) -> Path:
    with tab.page.expect_download(timeout=TIMEOUT) as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"nhap-lieu-{DISTRICT}-{PERIOD}.xlsx"
    download.save_as(dest)
    return dest


def fetch_template(tab: tb.Tab, link, dest: Path) -> Path:
    """The template through the page's request context (it carries the login cookie)."""
    response = tab.page.request.get(tab.base_url + link.get_attribute("href"), timeout=TIMEOUT)
    assert response.ok, response.status
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    dest.write_bytes(response.body())
    return dest


# --- tests -----------------------------------------------------------------------------------


def test_grid_edit_and_save_updates_the_database(logged_in, live_server):
    """Catches a grid edit that is not marked as unsaved, a save that stores something else
    or leaves the cell marked, no confirmation after the grid reloads, and a new page that
    does not show the stored value."""
    url = live_server.database_url
    target = targets(url)[0]
    new = target.other_numerator()
    tab = logged_in(EDITOR)
    open_entry(tab)
    expect(header(tab, target.num_field)).to_contain_text(NUMERATOR_HEADER)
    show_cell(tab, target.row_id, target.num_field)
    numerator = cell(tab, target.row_id, target.num_field)
    expect(numerator).to_have_text(vi(target.numerator))
    expect(numerator).not_to_have_class(has_class("ne-changed"))

    try:
        edit_cell(tab, target.row_id, target.num_field, str(new), vi(new))
        expect(numerator).to_have_class(has_class("ne-changed"))
        expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")
        expect(numerator).not_to_have_class(has_class("ne-error"))

        tab.page.click("#ne-save")
        # the grid is loaded again: the saved value is what is stored, nothing left to save
        expect(tab.page.locator("#ne-changes")).to_have_text("Không có thay đổi chưa lưu.")
        tb.wait_for_dash(tab, "#ne-grid")
        expect(tab.page.locator("#ne-save-error")).to_have_count(0)
        assert stored_ratio(url, target.unit_id) == (new, target.denominator)
        expect(numerator).to_have_text(vi(new))
        expect(numerator).not_to_have_class(has_class("ne-changed"))
        # and the confirmation is still there after that reload
        ok = tab.page.locator("#ne-save-ok")
        expect(ok).to_be_visible()
        expect(ok).to_contain_text("Đã lưu 1 giá trị")

        open_entry(tab)  # a new page shows the stored value as unchanged
        show_cell(tab, target.row_id, target.num_field)
        expect(numerator).to_have_text(vi(new))
        expect(numerator).not_to_have_class(has_class("ne-changed"))
        assert tab.errors() == []
    finally:
        restore_ratio(url, target)


def test_grid_bad_cell_is_marked_and_nothing_is_saved(logged_in, live_server):
    """Catches a cell that is not a number not being marked, a save that stores part of the
    edits (it is all or nothing), an error that does not name the unit, and edits lost from
    the screen after a refused save."""
    url = live_server.database_url
    bad, good = targets(url)[:2]
    before = {t.unit_id: stored_ratio(url, t.unit_id) for t in (bad, good)}
    tab = logged_in(EDITOR)
    open_entry(tab)

    try:
        edit_cell(tab, bad.row_id, bad.num_field, NOT_A_NUMBER)
        bad_cell = cell(tab, bad.row_id, bad.num_field)
        expect(bad_cell).to_have_class(has_class("ne-error"))  # checked by the server
        expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")

        new = good.other_numerator()
        edit_cell(tab, good.row_id, good.num_field, str(new), vi(new))
        good_cell = cell(tab, good.row_id, good.num_field)
        expect(tab.page.locator("#ne-changes")).to_have_text("2 ô thay đổi chưa lưu.")
        expect(good_cell).to_have_class(has_class("ne-changed"))
        expect(good_cell).not_to_have_class(has_class("ne-error"))
        expect(bad_cell).to_have_class(has_class("ne-error"))
        expect(bad_cell).to_have_text(NOT_A_NUMBER)

        tab.page.click("#ne-save")
        error = tab.page.locator("#ne-save-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("phải là số")
        expect(error).to_contain_text(bad.name)
        expect(error.locator("li")).to_have_count(1)
        expect(tab.page.locator("#ne-save-ok")).to_have_count(0)
        # nothing saved, both edits kept on screen for correction
        assert stored_ratio(url, bad.unit_id) == before[bad.unit_id]
        assert stored_ratio(url, good.unit_id) == before[good.unit_id]
        expect(bad_cell).to_have_class(has_class("ne-error"))
        expect(good_cell).to_have_class(has_class("ne-changed"))
        expect(tab.page.locator("#ne-changes")).to_have_text("2 ô thay đổi chưa lưu.")
        assert tab.errors() == []
    finally:
        restore_ratio(url, bad)
        restore_ratio(url, good)


def test_excel_download_fill_and_upload(logged_in, live_server, tmp_path):
    """Catches a template that is not prefilled or whose hidden map does not match its
    columns, an upload that is not stored or not shown in the grid, and an unchanged file
    uploaded again that writes values."""
    url = live_server.database_url
    target = targets(url)[0]
    new = target.other_numerator()
    tab = logged_in(EDITOR)
    open_entry(tab)
    link = open_excel_tab(tab)
    template = download_template(tab, link, tmp_path / "mau.xlsx")

    workbook = openpyxl.load_workbook(template)
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    where = template_cell(workbook, target)
    workbook[DATA_SHEET][where.numerator] = new
    filled = tmp_path / "so-lieu-2024.xlsx"
    workbook.save(filled)

    try:
        upload(tab, filled)
        ok = tab.page.locator("#ne-upload-ok")
        expect(ok).to_be_visible()
        expect(ok).to_contain_text("so-lieu-2024.xlsx")
        expect(ok).to_contain_text("1 giá trị được ghi")
        expect(tab.page.locator("#ne-upload-error")).to_have_count(0)
        assert stored_ratio(url, target.unit_id) == (new, target.denominator)
        tb.wait_for_dash(tab, "#ne-upload-ok")

        # the grid was loaded again with the uploaded value
        tab.page.get_by_role("tab", name="Nhập theo bảng").click()
        show_cell(tab, target.row_id, target.num_field)
        expect(cell(tab, target.row_id, target.num_field)).to_have_text(vi(new))
        assert tab.errors() == []

        # the same file once more, on a new page (dcc.Upload does not fire for contents equal
        # to its last ones): the cell equals what is stored now, nothing is written
        open_entry(tab)
        open_excel_tab(tab)
        expect(ok).to_have_count(0)
        upload(tab, filled)
        expect(ok).to_be_visible()
        expect(ok).to_contain_text("so-lieu-2024.xlsx")
        expect(ok).to_contain_text("0 giá trị được ghi")
        assert stored_ratio(url, target.unit_id) == (new, target.denominator)
        assert tab.errors() == []
    finally:
        restore_ratio(url, target)


def test_upload_refuses_a_too_large_file_and_lists_the_problems_of_a_bad_one(
    logged_in, live_server, tmp_path
):
    """Catches (1) a file above the size limit either posted and answered with a bare 413, or
    dropped by dcc.Upload's `max_size` without a word: the page must say why, in Vietnamese,
    and send nothing, and a file of an acceptable size must close that notice; (2) a file that
    is not a workbook, or a workbook with a cell that is not a number, accepted or stored in
    part: the problems must be listed by sheet, row, column and unit."""
    url = live_server.database_url
    bad, good = targets(url)[:2]
    before = {t.unit_id: stored_ratio(url, t.unit_id) for t in (bad, good)}
    tab = logged_in(EDITOR)
    open_entry(tab)
    link = open_excel_tab(tab)
    error = tab.page.locator("#ne-upload-error")
    problems = tab.page.locator("#ne-upload-problems")

    # (1) above the limit: refused in the page, nothing sent
    posted = []
    tab.page.on(
        "request",
        lambda r: (
            posted.append(r.url)
            if "_dash-update-component" in r.url and "ne-upload" in (r.post_data or "")
            else None
        ),
    )
    big = tmp_path / "qua-lon.xlsx"
    big.write_bytes(b"PK" + b"\0" * (5 * 1024 * 1024))  # the test server's limit is 5 MB
    upload(tab, big)
    notice = tab.page.locator("#ne-upload-too-large")
    expect(notice, "(1) no notice for a file above the limit").to_be_visible()
    expect(notice).to_contain_text("qua-lon.xlsx")
    expect(notice).to_contain_text("vượt quá giới hạn 5 MB")
    expect(tab.page.locator("#ne-upload-ok")).to_have_count(0)
    expect(error).to_have_count(0)
    assert posted == [], "(1) the file above the limit was sent"

    # (2) not a workbook (of an acceptable size: the notice goes, the server answers)
    not_xlsx = tmp_path / "so-lieu.xlsx"
    not_xlsx.write_bytes(b"a,b\n1,2")
    upload(tab, not_xlsx)
    expect(error, "(2) no error for a file that is not a workbook").to_be_visible()
    expect(notice, "(1) the notice stays after an acceptable file").to_have_count(0)
    expect(error).to_contain_text("so-lieu.xlsx")
    expect(problems).to_be_visible()
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(tab.page.locator("#ne-upload-ok")).to_have_count(0)

    # (2) a workbook with one cell that is not a number: nothing stored, the cell named
    workbook = openpyxl.load_workbook(fetch_template(tab, link, tmp_path / "mau.xlsx"))
    bad_at = template_cell(workbook, bad)
    good_at = template_cell(workbook, good)
    ws = workbook[DATA_SHEET]
    ws[bad_at.numerator] = NOT_A_NUMBER
    ws[good_at.numerator] = good.other_numerator()  # valid, but the file is all or nothing
    wrong = tmp_path / "so-lieu-loi.xlsx"
    workbook.save(wrong)

    try:
        upload(tab, wrong)
        expect(error).to_contain_text("so-lieu-loi.xlsx")
        expect(problems).to_be_visible()
        rows = problems.locator("tbody tr")
        expect(rows, "(2) not one problem listed").to_have_count(1)
        expect(rows.first.locator("td"), "(2) the problem's sheet, row, column, unit").to_have_text(
            [DATA_SHEET, str(bad_at.row), bad_at.num_letter, bad.name, re.compile("phải là số")]
        )
        expect(tab.page.locator("#ne-upload-ok")).to_have_count(0)
        assert bad_at.num_letter == get_column_letter(ws[bad_at.numerator].column)
        assert stored_ratio(url, bad.unit_id) == before[bad.unit_id], "(2) stored in part"
        assert stored_ratio(url, good.unit_id) == before[good.unit_id], "(2) stored in part"
        assert tab.errors() == []
    finally:
        restore_ratio(url, bad)
        restore_ratio(url, good)


# --- confirmation dialogs, the unsaved-edits guard, clearing, the pillar panel's lock ----------

LEAVE_MESSAGE = ENTRY_MESSAGES["entry.guard.leave"][0]
OVERVIEW_URL = re.compile(r"^https?://[^/]+/(\?.*)?$")  # the overview, with its view in the query


def focus_in(tab: tb.Tab, selector: str) -> bool:
    """Whether the focus is in the dialog `selector` (its `.modal` frame included, which
    react-bootstrap focuses when the dialog opens)."""
    return tab.page.evaluate(
        """(sel) => {
            const el = document.activeElement;
            const dialog = document.querySelector(sel);
            return !!el && !!dialog && (!!el.closest(sel) || el.contains(dialog));
        }""",
        selector,
    )


def test_submit_asks_first_then_locks_the_grid_for_the_editor(logged_in, live_server):
    """Catches (1) submitting at one click, with no word of what it means (the figures are
    locked): the button must open a dialog with the consequence, focus must go into it and
    stay there, Escape and Cancel must change nothing; (2) a submission made before the
    dialog is confirmed, a submitted report whose status, button and grid stay open to the
    editor, and a locked grid that still offers an editor or sends a save."""
    url = live_server.database_url
    target = targets(url)[0]
    before = report_state(url)
    assert before is None or before["status"] in ("draft", "returned")
    tab = logged_in(EDITOR)
    open_entry(tab)
    dialog = tab.page.locator("#ne-confirm-modal")
    submit = tab.page.locator("#ne-submit")
    badge = tab.page.locator("#ne-status-badge")

    # (1) the dialog asks first, by keyboard; Escape and Cancel change nothing
    submit.focus()
    tab.page.keyboard.press("Enter")
    expect(dialog, "(1) Enter on the button opens no dialog").to_be_visible()
    expect(tab.page.locator("#ne-confirm-title")).to_have_text(f"Gửi báo cáo kỳ {PERIOD}?")
    # Named by its title for screen readers (the shared dialog builder links them).
    expect(tab.page.get_by_role("dialog", name=f"Gửi báo cáo kỳ {PERIOD}?")).to_be_visible()
    expect(tab.page.locator("#ne-confirm-body"), "(1) the consequence").to_contain_text(
        "sau khi gửi, đơn vị không sửa được số liệu kỳ này cho đến khi văn phòng trả lại",
        ignore_case=True,
    )
    assert focus_in(tab, "#ne-confirm-modal"), "(1) focus did not go into the dialog"
    for _step in range(4):  # Tab stays within the dialog
        tab.page.keyboard.press("Tab")
        assert focus_in(tab, "#ne-confirm-modal"), "(1) Tab left the dialog"
    tab.page.keyboard.press("Escape")
    expect(dialog, "(1) Escape does not close the dialog").to_have_count(0)

    submit.click()
    expect(dialog).to_be_visible()
    tab.page.locator("#ne-confirm-cancel").click()
    expect(dialog, "(1) Cancel does not close the dialog").to_have_count(0)
    expect(tab.page.locator("#ne-wf-ok"), "(1) Cancel submitted").to_have_count(0)
    expect(badge, "(1) Cancel changed the status").to_have_text("Đang nhập")
    assert report_state(url) == before, "(1) Escape or Cancel changed the report"
    assert tab.errors() == []

    # (2) confirmed: submitted, and the grid locked for the editor
    expect(submit).to_be_enabled()
    try:
        submit.click()
        expect(dialog).to_be_visible()
        assert report_state(url) == before, "(2) submitted before the confirmation"
        dialog.locator("#ne-confirm-ok").click()
        expect(dialog).to_have_count(0)
        expect(tab.page.locator("#ne-wf-ok"), "(2) submitting gave no confirmation").to_be_visible()
        expect(tab.page.locator("#ne-wf-error")).to_have_count(0)
        expect(badge, "(2) the status does not say submitted").to_have_text("Đã gửi")
        expect(submit, "(2) the submit button stays enabled").to_be_disabled()
        assert report_state(url)["status"] == "submitted", "(2) the report is not submitted"
        tb.wait_for_dash(tab, "#ne-grid")

        # The locked grid offers nothing to type in: the cell is greyed and opens no editor.
        expect(tab.page.locator("#ne-workflow")).to_contain_text("đã khóa")
        show_cell(tab, target.row_id, target.num_field)
        locked = cell(tab, target.row_id, target.num_field)
        expect(locked, "(2) the cell is not locked").to_have_class(has_class("ne-na"))
        locked.click()
        expect(locked.locator("input"), "(2) the locked cell opens an editor").to_have_count(0)
        # Nothing reaches the server from the page (replayed saves are refused there: see
        # tests/test_data_entry.py and tests/test_workflow.py).
        tab.page.click("#ne-save")
        expect(tab.page.locator("#ne-save-msg")).to_contain_text("Không có gì để lưu")
        assert stored_ratio(url, target.unit_id) == (target.numerator, target.denominator), (
            "(2) a value was saved into the locked period"
        )
        assert tab.errors() == []
    finally:
        restore_report(url, before)
        restore_ratio(url, target)
    assert report_state(url) == before


def test_admin_return_needs_a_reason_shown_in_the_dialog(logged_in, live_server):
    """Bug: "Trả lại" with an empty reason box went to the server; the office could not see
    what it would send back. Now an empty reason is a message and nothing happens; a reason is
    shown in the dialog and recorded."""
    url = live_server.database_url
    before = report_state(url)
    set_report(url, "submitted")
    tab = logged_in("admin")
    try:
        open_entry(tab)
        expect(tab.page.locator("#ne-status-badge")).to_have_text("Đã gửi")
        tab.page.click("#ne-return")
        error = tab.page.locator("#ne-wf-error")
        expect(error).to_contain_text("Vui lòng nhập lý do")
        expect(tab.page.locator("#ne-confirm-modal")).to_have_count(0)
        expect(tab.page.locator("#ne-reason")).to_have_class(has_class("is-invalid"))
        assert report_state(url)["status"] == "submitted"

        reason = "Thiếu số liệu xã Biển Hồ"
        tab.page.fill("#ne-reason", reason)
        tab.page.click("#ne-return")
        dialog = tab.page.locator("#ne-confirm-modal")
        expect(dialog).to_be_visible()
        expect(tab.page.locator("#ne-confirm-title")).to_contain_text("Trả lại báo cáo kỳ")
        expect(tab.page.locator("#ne-confirm-reason")).to_have_text(f"Lý do: {reason}")
        assert report_state(url)["status"] == "submitted"
        tab.page.click("#ne-confirm-ok")
        expect(tab.page.locator("#ne-wf-ok")).to_contain_text("Đã trả lại")
        expect(tab.page.locator("#ne-status-badge")).to_have_text("Bị trả lại")
        state = report_state(url)
        assert (state["status"], state["reason"]) == ("returned", reason)
        assert tab.errors() == []
    finally:
        restore_report(url, before)


def test_unsaved_edits_guard_on_a_link_in_the_application(logged_in, live_server):
    """Bug: a click on the navigation bar with unsaved grid edits dropped them without a word
    (Dash's page navigation fires no `beforeunload`). Now the page asks; dismissing keeps the
    page and the edits, accepting leaves; without edits nothing is asked."""
    url = live_server.database_url
    target = targets(url)[0]
    new = target.other_numerator()
    tab = logged_in(EDITOR)
    dialogs = []
    answer = {"accept": False}

    def on_dialog(dialog):
        dialogs.append((dialog.type, dialog.message))
        if answer["accept"]:
            dialog.accept()
        else:
            dialog.dismiss()

    tab.page.on("dialog", on_dialog)
    open_entry(tab)
    edit_cell(tab, target.row_id, target.num_field, str(new), vi(new))
    expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")
    overview = tab.page.get_by_role("link", name="Tổng quan", exact=True)

    overview.click()
    expect(tab.page.locator("#ne-grid")).to_be_visible()
    assert dialogs == [("confirm", LEAVE_MESSAGE)]
    assert urlsplit(tab.page.url).path == "/nhap-lieu"
    expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")
    expect(cell(tab, target.row_id, target.num_field)).to_have_class(has_class("ne-changed"))

    answer["accept"] = True
    overview.click()
    expect(tab.page).to_have_url(OVERVIEW_URL)
    assert len(dialogs) == 2
    assert stored_ratio(url, target.unit_id) == (target.numerator, target.denominator)

    open_entry(tab)  # no edits: the link is followed without a question
    tab.page.get_by_role("link", name="Tổng quan", exact=True).click()
    expect(tab.page).to_have_url(OVERVIEW_URL)
    assert len(dialogs) == 2
    assert tab.errors() == []


def test_unsaved_edits_guard_on_closing_the_tab(logged_in, live_server):
    """Bug: closing or reloading the tab with unsaved edits lost them silently; the browser now
    asks (`beforeunload`), and staying keeps them."""
    url = live_server.database_url
    target = targets(url)[0]
    new = target.other_numerator()
    tab = logged_in(EDITOR)
    open_entry(tab)
    edit_cell(tab, target.row_id, target.num_field, str(new), vi(new))
    expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")
    with tab.page.expect_event("dialog") as info:
        tab.page.close(run_before_unload=True)
    assert info.value.type == "beforeunload"
    info.value.dismiss()
    expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")
    assert not tab.page.is_closed()


def pick(tab: tb.Tab, dropdown_id: str, label: str) -> None:
    """Choose an option as a user does (`tb.choose` without its check of the value shown: the
    page may put the picker back at once)."""
    content = tb.open_dropdown(tab, dropdown_id)
    content.locator("input.dash-dropdown-search").fill(label)
    expect(content.get_by_role("option")).to_have_count(1)
    tab.page.keyboard.press("Enter")


def test_switching_district_with_unsaved_edits_asks_and_keeps_them(logged_in, live_server):
    """Bug: choosing another district (or period) reloaded the grid over unsaved edits. The
    picker now goes back and a dialog asks; staying keeps the edits, discarding switches."""
    url = live_server.database_url
    target = targets(url)[0]
    new = target.other_numerator()
    tab = logged_in("admin")
    open_entry(tab)
    edit_cell(tab, target.row_id, target.num_field, str(new), vi(new))
    dialog = tab.page.locator("#ne-switch-modal")

    pick(tab, "ne-district", "Huyện Chư Sê (633)")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 ô thay đổi chưa lưu")
    expect(tab.page.locator("#ne-district")).to_contain_text(f"({DISTRICT})")
    tab.page.click("#ne-switch-stay")
    expect(dialog).to_have_count(0)
    expect(tab.page.locator("#ne-changes")).to_have_text("1 ô thay đổi chưa lưu.")
    expect(cell(tab, target.row_id, target.num_field)).to_have_text(vi(new))

    pick(tab, "ne-district", "Huyện Chư Sê (633)")
    expect(dialog).to_be_visible()
    tab.page.click("#ne-switch-discard")
    expect(dialog).to_have_count(0)
    expect(tab.page.locator("#ne-district")).to_contain_text("(633)")
    expect(tab.page.locator("#ne-changes")).to_have_text("Không có thay đổi chưa lưu.")
    expect(tab.page.locator(f'#ne-grid .ag-row[row-id="{target.row_id}"]')).to_have_count(0)
    assert stored_ratio(url, target.unit_id) == (target.numerator, target.denominator)
    assert tab.errors() == []


def test_emptying_a_ratio_and_saving_clears_the_value(logged_in, live_server):
    """Bug: a stored value could not be removed (an emptied cell was refused as missing). Both
    inputs emptied and saved delete the value; the line and the message say so."""
    url = live_server.database_url
    target = targets(url)[0]
    tab = logged_in(EDITOR)
    open_entry(tab)
    try:
        edit_cell(tab, target.row_id, target.num_field, "")
        edit_cell(tab, target.row_id, target.den_field, "")
        expect(tab.page.locator("#ne-changes")).to_have_text(
            "1 ô thay đổi chưa lưu, trong đó 1 ô sẽ bị xóa giá trị."
        )
        tab.page.click("#ne-save")
        expect(tab.page.locator("#ne-save-ok")).to_contain_text("xóa 1 giá trị")
        expect(tab.page.locator("#ne-changes")).to_have_text("Không có thay đổi chưa lưu.")
        assert stored_ratio(url, target.unit_id) is None
        expect(cell(tab, target.row_id, target.num_field)).to_have_text("")
        assert tab.errors() == []
    finally:
        put_back_ratio(url, target)


def test_pillar_panel_follows_the_lock_before_typing(logged_in, live_server):
    """Bug: the pillar page's value panel stayed editable after the report was submitted (the
    service refused only after the editor typed and saved)."""
    url = live_server.database_url
    before = report_state(url)
    set_report(url, "submitted")
    tab = logged_in(EDITOR)
    try:
        tab.goto(f"/chinh-quyen-so?period={PERIOD}&indicator={CODE}&district={DISTRICT}")
        tb.wait_for_dash(tab, "#pl-edit-card")
        locked = tab.page.locator("#pl-edit-locked")
        expect(locked).to_contain_text("đã khóa")
        expect(locked).to_contain_text("Đã gửi")
        for selector in ("#pl-edit-num", "#pl-edit-den", "#pl-edit-save", "#pl-edit-clear"):
            expect(tab.page.locator(selector)).to_be_disabled()
        assert tab.errors() == []
    finally:
        restore_report(url, before)


def test_pillar_panel_clears_a_value_after_confirming(logged_in, live_server):
    """Bug: the pillar panel could not remove a value. "Xóa giá trị" names the value and the
    consequence in a dialog; cancelling keeps it, confirming deletes it."""
    url = live_server.database_url
    target = targets(url)[0]
    with _session(url) as session:
        code = session.get(OrgUnit, target.unit_id).gso_code
        session.get_bind().dispose()
    tab = logged_in(EDITOR)
    try:
        tab.goto(f"/chinh-quyen-so?period={PERIOD}&indicator={CODE}&district={DISTRICT}")
        tb.wait_for_dash(tab, "#pl-edit-card")
        clear = tab.page.locator("#pl-edit-clear")
        expect(clear).to_be_disabled()  # no unit chosen: nothing to clear
        tb.choose(tab, "pl-edit-unit", f"{target.name} ({code})")
        expect(tab.page.locator("#pl-edit-num")).to_have_value(str(target.numerator))
        expect(clear).to_be_enabled()
        clear.click()
        dialog = tab.page.locator("#pl-clear-modal")
        expect(dialog).to_be_visible()
        shown = f"{vi(target.numerator)}/{vi(target.denominator)}"
        expect(tab.page.locator("#pl-clear-body")).to_contain_text(shown)
        expect(tab.page.locator("#pl-clear-body")).to_contain_text("chưa báo cáo")
        tab.page.click("#pl-clear-cancel")
        expect(dialog).to_have_count(0)
        assert stored_ratio(url, target.unit_id) == (target.numerator, target.denominator)

        clear.click()
        tab.page.click("#pl-clear-ok")
        expect(tab.page.locator("#pl-edit-cleared")).to_contain_text("Đã xóa")
        expect(tab.page.locator("#pl-edit-num")).to_have_value("")
        expect(clear).to_be_disabled()
        assert stored_ratio(url, target.unit_id) is None
        assert tab.errors() == []
    finally:
        put_back_ratio(url, target)
