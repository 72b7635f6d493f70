"""The printable period report: `GET /bao-cao/ky/<period>.<pdf|xlsx>` and the `/bao-cao` page's
callback. The PDF's pages are read back with pypdf, the workbook with openpyxl; the expected
figures come from the services (`indicators.summary`, `workflow.completeness`), and a few are
pinned literally (the province's reported end-2023 status)."""

from __future__ import annotations

import base64
import io
import re

import openpyxl
import pypdf
import pytest
import sqlalchemy as sa

from dashboard.i18n import fmt_datetime
from dashboard.models import IndicatorValue, User
from dashboard.services import indicators as svc
from dashboard.services import period_report, report_pdf, workflow

pytestmark = pytest.mark.db

# Figures of the demo 2023 province, as the province reported them (README).
ARTICLE_FIGURES_2023 = {
    "GOV-PLAN": "17/17 huyện (100%)",
    "GOV-FIBRE": "182/182 xã (100%)",
    "GOV-C8_4": "95/182 xã (52,2%)",
    "GOV-ADV15_2": "182/182 xã (100%)",
    "GOV-D9_5": "17/17 huyện (100%)",
}
TITLE_2023 = "Báo cáo kết quả chuyển đổi số trong xây dựng nông thôn mới tỉnh Gia Lai — Kỳ 2023"
MARKER = 987_654_321  # a distinctive number no approved figure contains
NOT_APPROVED_HEADING = "Các huyện chưa được phê duyệt báo cáo"


@pytest.fixture
def viewer(client, auth):
    auth.login("viewer")
    return client


def pdf_pages(payload: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (a cell's line breaks become spaces)."""
    reader = pypdf.PdfReader(io.BytesIO(payload))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def workbook(payload: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(payload))


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def approve(session, code: str, period: str = "2023") -> None:
    workflow.transition(session, user(session, f"editor-{code}"), "submit", code, period)
    workflow.transition(session, user(session, "admin"), "approve", code, period)


def plant_marker(session, district_code: str = "633") -> None:
    """Give an (unapproved) district's own 2023 dossier counts a distinctive number."""
    ind = svc.get_indicator(session, "GOV-DOSSIER-DIST")
    period = svc.get_period(session, "2023")
    district = svc.district_by_code(session, district_code)
    value = session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.period_id == period.id,
            IndicatorValue.unit_id == district.id,
        )
    )
    value.numerator = MARKER
    value.denominator = MARKER + 1
    session.commit()


def digits_of(text: str) -> str:
    return re.sub(r"[.,\s ]", "", text)


def xlsx_values(payload: bytes) -> list:
    book = workbook(payload)
    return [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]


# --- the PDF ---------------------------------------------------------------------------------


def test_pdf_of_2023_has_every_indicator_against_target(viewer, session):
    """Catches a report that recounts figures its own way, drops an indicator or a column,
    or writes Vietnamese the font cannot show: every indicator's value, target, gap, status and
    coverage from `indicators.summary` must be on the pages, and the province's reported
    end-2023 figures literally."""
    response = viewer.get("/bao-cao/ky/2023.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="bao-cao-2023-toan-tinh.pdf"'
    )
    text = " ".join(pdf_pages(response.get_data()))
    for code, display in ARTICLE_FIGURES_2023.items():
        assert display in text, code
    rows = svc.summary(session, svc.get_period(session, "2023"))
    assert {ind.pillar for ind, _p, _f in rows} == {"government", "economy", "society", "pilot"}
    for ind, prog, _figures in rows:
        fig = prog.figure
        assert ind.code in text
        assert fig.display in text, ind.code
        assert fig.coverage in text, ind.code
        assert svc.target_text(ind, prog) in text, ind.code
        assert svc.gap_text(prog) in text, ind.code
        assert svc.status_text(prog) in text, ind.code
    for title in ("Chính quyền số", "Kinh tế số", "Xã hội số", "Mô hình thí điểm"):
        assert title in text


def test_pdf_cover_header_footer_and_page_numbers(viewer, session):
    """Catches a cover without its period, scope, mode, time and "as of" stamp, and pages
    without the running header or "Trang x/y"."""
    approve(session, "622")
    period = svc.get_period(session, "2023")
    stamp = workflow.as_of(session, period)
    pages = pdf_pages(viewer.get("/bao-cao/ky/2023.pdf").get_data())
    cover = pages[0]
    assert TITLE_2023 in cover
    assert "2023 (từ 01/01/2023 đến 31/12/2023)" in cover
    assert "Phạm vi Toàn tỉnh" in cover
    assert "Tất cả số liệu (gồm số liệu chưa phê duyệt)" in cover
    assert "Thời điểm lập báo cáo" in cover
    assert workflow.progress_summary(session, period) in cover
    assert "Gồm số liệu chưa phê duyệt (16/17 huyện chưa được phê duyệt báo cáo)." in cover
    assert "Dữ liệu minh họa (demo)" in cover
    as_of = f"Số liệu tính đến: kỳ 2023, phê duyệt lần cuối {fmt_datetime(stamp.approved_at)}"
    total = len(pages)
    assert total >= 5
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{total}" in page
        assert as_of in page
        if number > 1:
            assert "Toàn tỉnh · Tất cả số liệu" in page, number


def test_pdf_not_approved_list_matches_the_workflow(viewer, session):
    """Catches a list of districts "not yet approved" that is not the reporting round's: after
    Pleiku and Chư Sê are approved, the list has the other 15, as `workflow.completeness`."""
    approve(session, "622")
    approve(session, "633")
    period = svc.get_period(session, "2023")
    rows = workflow.completeness(session, period)
    pending = [r.district for r in rows if r.status != "approved"]
    done = [r.district for r in rows if r.status == "approved"]
    assert len(pending) == 15 and len(done) == 2
    text = " ".join(pdf_pages(viewer.get("/bao-cao/ky/2023.pdf").get_data()))
    tail = text[text.rindex(NOT_APPROVED_HEADING) :]
    assert "15/17 huyện chưa được phê duyệt báo cáo kỳ này" in tail
    for name in pending:
        assert name in tail
    for name in done:
        assert name not in tail
    # the reporting table names both approvals
    assert text.count("Đã phê duyệt") >= 2


def test_pdf_of_one_district(viewer, session):
    """Catches `district=` ignored: the report of Pleiku has Pleiku's own figures and says so
    on the cover, in the header and in the file name."""
    response = viewer.get("/bao-cao/ky/2023.pdf?district=622")
    assert response.status_code == 200
    assert 'filename="bao-cao-2023-622.pdf"' in response.headers["Content-Disposition"]
    pages = pdf_pages(response.get_data())
    assert "Phạm vi Thành phố Pleiku (622)" in pages[0]
    assert "Thành phố Pleiku (622) · Tất cả số liệu" in pages[1]
    text = " ".join(pages)
    period = svc.get_period(session, "2023")
    pleiku = svc.district_by_code(session, "622")
    c84 = svc.compute(session, svc.get_indicator(session, "GOV-C8_4"), period, pleiku.id)
    assert c84.display == "2/8 xã (25%)"
    assert "Xã đạt chỉ tiêu 8.4 GOV-C8_4 · Cấp xã" in text
    assert c84.display in text
    # province-level indicators are not a district's
    assert "GOV-DOSSIER-PROV" not in text


def test_approved_only_report_leaks_no_unapproved_value(viewer, session):
    """Catches a report that ignores `mode=approved` anywhere (a total, the district table, a
    chart, the workbook): a distinctive number planted in an unapproved district is absent
    from the approved-only PDF and XLSX and present in the all-data ones."""
    approve(session, "622")
    plant_marker(session, "633")
    approved_pdf = viewer.get("/bao-cao/ky/2023.pdf?mode=approved")
    assert approved_pdf.status_code == 200
    assert (
        'filename="bao-cao-2023-toan-tinh-da-phe-duyet.pdf"'
        in (approved_pdf.headers["Content-Disposition"])
    )
    text = " ".join(pdf_pages(approved_pdf.get_data()))
    assert str(MARKER) not in digits_of(text)
    assert "Chỉ số liệu đã phê duyệt" in text
    assert "1/17 huyện đã phê duyệt" in text
    # Pleiku's approved figure is the province's published one
    period = svc.get_period(session, "2023")
    c84 = svc.compute(session, svc.get_indicator(session, "GOV-C8_4"), period, approved_only=True)
    assert c84.display == "2/8 xã (25%)" and c84.display in text

    everything = " ".join(pdf_pages(viewer.get("/bao-cao/ky/2023.pdf").get_data()))
    assert str(MARKER) in digits_of(everything)

    approved_xlsx = viewer.get("/bao-cao/ky/2023.xlsx?mode=approved").get_data()
    values = xlsx_values(approved_xlsx)
    assert MARKER not in values and MARKER + 1 not in values
    assert str(MARKER) not in digits_of(" ".join(str(v) for v in values if v is not None))
    all_values = xlsx_values(viewer.get("/bao-cao/ky/2023.xlsx").get_data())
    assert MARKER in all_values


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/bao-cao/ky/1999.pdf", "Kỳ báo cáo"),
        ("/bao-cao/ky/2023.pdf?district=999", "Không tìm thấy đơn vị hành chính"),
        ("/bao-cao/ky/2023.xlsx?district=62%002", "Không tìm thấy đơn vị hành chính"),
        ("/bao-cao/ky/2023.pdf?mode=draft", "Chế độ số liệu không hợp lệ"),
        ("/bao-cao/ky/2023.xlsx?district=622&district=633", "chỉ được ghi một lần"),
        ("/bao-cao/ky/20%0A23.pdf", "Kỳ báo cáo"),
    ],
)
def test_bad_parameters_are_a_400_in_vietnamese_and_nothing_is_made(
    viewer, monkeypatch, url, message
):
    """Catches an unknown period, district or mode answered with a 500, a file of the wrong
    scope, or an English message; and work done before the parameters are checked."""

    def boom(*_args, **_kwargs):
        raise AssertionError("the report was built for bad parameters")

    monkeypatch.setattr(period_report, "build", boom)
    as_json = viewer.get(url, headers={"Accept": "application/json"})
    assert as_json.status_code == 400
    assert message in as_json.get_json()["error"]
    page = viewer.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert page.mimetype == "text/html"
    assert message in page.get_data(as_text=True)
    assert "Content-Disposition" not in page.headers


def test_unknown_format_is_a_404(viewer):
    """Catches `/bao-cao/ky/2023.docx` answered with a file or a 500."""
    assert viewer.get("/bao-cao/ky/2023.docx").status_code == 404


def test_anonymous_is_sent_to_login(client, dash_caller):
    """Catches the report route or its callback open to anonymous visitors."""
    response = client.get("/bao-cao/ky/2023.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/bao-cao/ky/2023.pdf")
    assert client.get("/bao-cao").status_code == 302
    callback = dash_caller.post(
        "rp-download.data",
        [{"id": "rp-pdf", "property": "n_clicks", "value": 1},
         {"id": "rp-xlsx", "property": "n_clicks", "value": None}],
        [{"id": "rp-period", "property": "value", "value": "2023"},
         {"id": "rp-district", "property": "value", "value": ""},
         {"id": "rp-mode", "property": "value", "value": "all"}],
    )  # fmt: skip
    assert callback.status_code == 401


def test_missing_font_is_a_503_with_what_to_install(
    app_factory, database_url, tmp_path, monkeypatch
):
    """Catches a server without the Vietnamese font answering with a 500 (or a PDF of empty
    boxes): the answer is 503 with the package to install, nothing is computed, and the
    workbook still works."""
    app = app_factory(database_url, REPORT_FONT_DIR=str(tmp_path))
    client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(client).login("viewer")
    built = []
    real_build = period_report.build
    monkeypatch.setattr(
        period_report, "build", lambda *a, **k: built.append(1) or real_build(*a, **k)
    )
    page = client.get("/bao-cao/ky/2023.pdf", headers={"Accept": "text/html"})
    assert page.status_code == 503
    body = page.get_data(as_text=True)
    assert "phông chữ tiếng Việt" in body and "fonts-dejavu-core" in body
    as_json = client.get("/bao-cao/ky/2023.pdf", headers={"Accept": "application/json"})
    assert as_json.status_code == 503 and "REPORT_FONT_DIR" in as_json.get_json()["error"]
    assert built == []
    assert client.get("/bao-cao/ky/2023.xlsx").status_code == 200
    with pytest.raises(report_pdf.FontUnavailable):
        report_pdf.find_font_files(str(tmp_path))


def test_unreadable_font_file_is_a_503_too(app_factory, database_url, tmp_path):
    """Catches a broken font file (not a TrueType font) ending in a 500."""
    for name in report_pdf.FONT_FILES:
        (tmp_path / name).write_bytes(b"not a font")
    app = app_factory(database_url, REPORT_FONT_DIR=str(tmp_path))
    client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(client).login("admin")
    response = client.get("/bao-cao/ky/2023.pdf", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "fonts-dejavu-core" in response.get_json()["error"]


# --- the workbook ----------------------------------------------------------------------------


def test_xlsx_keeps_numbers_as_numbers_with_display_formats(viewer, session):
    """Catches numbers written as text (`52,2%`) or without a display format, headers that
    are not bold or frozen, and sheets missing from the workbook."""
    response = viewer.get("/bao-cao/ky/2023.xlsx")
    assert response.status_code == 200
    assert 'filename="bao-cao-2023-toan-tinh.xlsx"' in response.headers["Content-Disposition"]
    book = workbook(response.get_data())
    assert book.sheetnames == [
        "Bìa",
        "Chính quyền số",
        "Kinh tế số",
        "Xã hội số",
        "Mô hình thí điểm",
        "Theo huyện",
        "Chi tiết theo huyện",
        "Thí điểm, đào tạo",
        "Chưa phê duyệt",
    ]
    cover = [c for row in book["Bìa"].iter_rows(values_only=True) for c in row if c]
    assert TITLE_2023 in cover and "Toàn tỉnh" in cover

    gov = book["Chính quyền số"]
    assert gov["A1"].value == TITLE_2023
    header = next(r for r in gov.iter_rows() if r[0].value == "Mã")
    assert all(c.font.bold for c in header if c.value)
    assert gov.freeze_panes == f"B{header[0].row + 1}"
    rows = {r[0].value: r for r in gov.iter_rows(min_row=header[0].row + 1)}
    columns = {c.value: i for i, c in enumerate(header)}
    c84 = rows["GOV-C8_4"]
    value = c84[columns["Giá trị"]]
    assert isinstance(value.value, float) and value.value == pytest.approx(100 * 95 / 182)
    assert value.number_format == '0.0"%"'
    assert c84[columns["Tử số"]].value == 95 and c84[columns["Tử số"]].number_format == "#,##0"
    assert c84[columns["Mẫu số"]].value == 182
    assert c84[columns["Mục tiêu"]].value == 97
    assert c84[columns["Kết quả (như hiển thị)"]].value == "95/182 xã (52,2%)"
    assert rows["GOV-PLAN"][columns["Kết quả (như hiển thị)"]].value == "17/17 huyện (100%)"

    districts = book["Theo huyện"]
    head = next(r for r in districts.iter_rows() if r[0].value == "Mã")
    col = next(i for i, c in enumerate(head) if c.value and "(GOV-C8_4)" in c.value)
    body = [r for r in districts.iter_rows(min_row=head[0].row + 1) if r[0].value]
    assert len(body) == 17
    frame = svc.by_district(
        session, svc.get_indicator(session, "GOV-C8_4"), svc.get_period(session, "2023")
    )
    for row, expected in zip(body, frame.itertuples(), strict=True):
        assert row[0].value == expected.district_code
        assert row[col].value == pytest.approx(expected.value)
        assert row[col].number_format == '0.0"%"'


def test_xlsx_not_approved_sheet_matches_the_workflow(viewer, session):
    """Catches a not-approved sheet that lists approved districts or misses one."""
    approve(session, "622")
    book = workbook(viewer.get("/bao-cao/ky/2023.xlsx").get_data())
    sheet = book["Chưa phê duyệt"]
    codes = [
        r[0]
        for r in sheet.iter_rows(values_only=True)
        if r[0] and re.fullmatch(r"\d{3}", str(r[0]))
    ]
    expected = [
        r.district_code
        for r in workflow.completeness(session, svc.get_period(session, "2023"))
        if r.status != "approved"
    ]
    assert codes == expected and "622" not in codes and len(codes) == 16


# --- the page's callback ---------------------------------------------------------------------


def _click(dash_caller, button: str, period="2023", district="", mode="all"):
    return dash_caller.post(
        "rp-download.data",
        [{"id": "rp-pdf", "property": "n_clicks", "value": 1 if button == "rp-pdf" else None},
         {"id": "rp-xlsx", "property": "n_clicks", "value": 1 if button == "rp-xlsx" else None}],
        [{"id": "rp-period", "property": "value", "value": period},
         {"id": "rp-district", "property": "value", "value": district},
         {"id": "rp-mode", "property": "value", "value": mode}],
        changed=[f"{button}.n_clicks"],
    )  # fmt: skip


def test_page_callback_sends_the_file(viewer, dash_caller):
    """Catches the buttons making nothing, or a file other than the route's."""
    response = _click(dash_caller, "rp-pdf", district="622", mode="approved")
    assert response.status_code == 200
    data = response.get_json()["response"]["rp-download"]["data"]
    assert data["filename"] == "bao-cao-2023-622-da-phe-duyet.pdf"
    pages = pdf_pages(base64.b64decode(data["content"]))
    assert "Phạm vi Thành phố Pleiku (622)" in pages[0]
    xlsx = _click(dash_caller, "rp-xlsx").get_json()["response"]["rp-download"]["data"]
    assert xlsx["filename"] == "bao-cao-2023-toan-tinh.xlsx"
    assert workbook(base64.b64decode(xlsx["content"]))["Bìa"]["A2"].value == TITLE_2023


def test_page_callback_refuses_bad_input_with_a_message(viewer, dash_caller):
    """Catches a replayed callback with a forged period answered with a 500 or a file."""
    response = _click(dash_caller, "rp-pdf", period="1999")
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert "rp-download" not in body
    assert "Kỳ báo cáo" in str(body["rp-status"])


def test_editor_report_is_on_all_data(client, auth, dash_caller):
    """Catches an editor's report in a mode the policy does not give editors (they work on
    all data): a replayed `mode=approved` still makes the all-data report."""
    auth.login("editor-622")
    data = _click(dash_caller, "rp-xlsx", mode="approved").get_json()["response"]
    assert data["rp-download"]["data"]["filename"] == "bao-cao-2023-toan-tinh.xlsx"


def test_page_renders_with_query_parameters(viewer):
    """Catches `/bao-cao?period=&district=&mode=` not preselecting the choices (or failing
    on a bad value)."""
    layout = viewer.get("/_dash-layout")
    assert layout.status_code == 200
    from dashboard.pages import bao_cao

    with viewer.application.test_request_context("/bao-cao"):
        from flask_login import login_user

        from dashboard.db import get_session

        login_user(get_session().scalar(sa.select(User).where(User.username == "viewer")))
        tree = str(bao_cao.layout(period="2022", district="622", mode="approved"))
        assert "'2022'" in tree and "'622'" in tree and "'approved'" in tree
        bad = str(bao_cao.layout(period="nope", district="999", mode="x"))
        assert "'all'" in bad and "'999'" not in bad
