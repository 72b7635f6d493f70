"""Excel uploads that are bounded and honest: limits that fail fast and name themselves, every
cell outside the template reported, problems that name the unit, versions per cell, inert
template text and the page's answer to a file above the size limit."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa
from openpyxl.worksheet import _reader

from dashboard.models import Indicator, OrgUnit
from dashboard.services import excel, excel_upload, values
from dashboard.services import indicators as svc
from tests.conftest import PASSWORD
from tests.test_excel import (
    BIEN_HO,
    DATA,
    TAN_SON,
    coord,
    edit,
    load,
    meta_map,
    save,
    snapshot,
    stored,
    user,
)

pytestmark = pytest.mark.db

MB = 1024 * 1024


@pytest.fixture
def editor(session):
    return user(session, "editor-622")


@pytest.fixture
def template(session, editor):
    return excel.build_template(session, editor, "622", "2023")


def sheet_path(data: bytes, title: str) -> str:
    """The archive member holding the sheet called `title`."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return wb[title]._worksheet_path
    finally:
        wb.close()


def with_sheet_xml(data: bytes, extra_rows: str, title: str = DATA, **zip_args) -> bytes:
    """The file with `extra_rows` (raw `<row>` XML) added at the end of a sheet's data."""
    path = sheet_path(data, title)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", **zip_args) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == path:
                body = body.replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
            dst.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def refused(session, editor, data, **kwargs) -> excel.UploadError:
    """The `UploadError` of importing `data`; checks that nothing was written."""
    before = snapshot(session)
    with pytest.raises(excel.UploadError) as err:
        excel.import_upload(session, editor, data, kwargs.get("max_bytes", 5 * MB))
    session.rollback()
    assert snapshot(session) == before
    return err.value


@pytest.fixture
def parsed_cells(monkeypatch):
    """Counts the cells openpyxl's parser decodes (to see that reading stops at a limit)."""
    counter = {"n": 0}
    original = _reader.WorkSheetParser.parse_cell

    def counting(self, element):
        counter["n"] += 1
        return original(self, element)

    monkeypatch.setattr(_reader.WorkSheetParser, "parse_cell", counting)
    return counter


# --- limits ----------------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_unpacking_naming_the_limit(
    session, editor, template, parsed_cells
):
    """Bug: a 0.2 MB file unpacking to 45 MB of repeated rows was loaded (twice, fully) and
    accepted; now the archive's directory is checked first and nothing is parsed."""
    row = '<row r="{0}"><c r="E{0}"><v>1</v></c></row>'
    bomb = with_sheet_xml(template, "".join(row.format(60) for _ in range(1_100_000)))
    assert len(bomb) < MB  # small on the wire
    error = refused(session, editor, bomb)
    [problem] = error.problems
    assert "giới hạn 10 MB dữ liệu giải nén" in problem.reason
    assert parsed_cells["n"] == 0


def test_highly_compressed_member_is_refused_naming_the_ratio_limit(session, editor, template):
    """Bug: only the total size was bounded, so a member compressed 1000:1 was unpacked."""
    row = '<row r="{0}"><c r="E{0}"><v>1</v></c></row>'
    bomb = with_sheet_xml(template, "".join(row.format(60) for _ in range(200_000)))
    error = refused(session, editor, bomb)
    assert "vượt quá giới hạn tỷ lệ nén 100:1" in error.problems[0].reason


def test_too_many_rows_stop_reading_at_the_limit(session, editor, template, parsed_cells):
    """Bug: rows far past the template were read to the end (or ignored); now reading stops
    as soon as the row limit is passed, with a message naming it."""
    rows = len(meta_map(load(template))[1])
    limit = excel.FIRST_DATA_ROW + rows + excel.MAX_EXTRA_ROWS
    extra = "".join(f'<row r="{n}"><c r="E{n}"><v>{n}</v></c></row>' for n in range(100, 6000))
    error = refused(session, editor, with_sheet_xml(template, extra))
    [problem] = error.problems
    assert problem.sheet == DATA
    assert f"vượt quá giới hạn {limit:,}".replace(",", ".") + " dòng" in problem.reason
    assert parsed_cells["n"] < limit * 2 + 10_000  # not the 5 900 extra rows' worth and more
    assert parsed_cells["n"] < 5900 + 3000


def test_too_many_cells_in_a_row_are_refused_naming_the_limit(session, editor, template):
    """Bug: a row of thousands of cells was padded and read whole."""
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(c)}100"><v>1</v></c>' for c in range(1, 400)
    )
    error = refused(session, editor, with_sheet_xml(template, f'<row r="100">{cells}</row>'))
    assert "Dòng 100 của trang “Số liệu” có quá nhiều ô: vượt quá giới hạn 200 ô" in (
        error.problems[0].reason
    )


def test_too_many_cells_are_refused_naming_the_limit(session, editor, template, monkeypatch):
    """Bug: the number of cells of the data sheet was not bounded."""
    monkeypatch.setattr(excel_upload, "MAX_CELLS", 3000)
    rows = "".join(
        f'<row r="{n}">' + "".join(f'<c r="{c}{n}"/>' for c in "ABCDEFGHIJ") + "</row>"
        for n in range(100, 400)
    )
    error = refused(session, editor, with_sheet_xml(template, rows))
    assert "vượt quá giới hạn 3.000 ô" in error.problems[0].reason


def test_entity_expansion_in_a_sheet_is_refused(session, editor, template):
    """Bug: an XML "billion laughs" inside a sheet would expand in memory."""
    path = sheet_path(template, DATA)
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == path:
                body = doctype.encode() + body.split(b"?>", 1)[-1]
                laugh = b'<row r="99"><c r="A99" t="inlineStr"><is><t>&b;</t></is></c></row>'
                body = body.replace(b"</sheetData>", laugh + b"</sheetData>")
            dst.writestr(info.filename, body)
    error = refused(session, editor, out.getvalue())
    assert ".xlsx" in error.problems[0].reason


def test_a_file_over_the_size_limit_gets_the_readable_message_on_the_page(
    app, auth, dash_caller, template
):
    """Bug: a file above the limit got a bare error and the page showed nothing."""
    auth.login("editor-622", PASSWORD)
    limit = app.config["UPLOAD_MAX_BYTES"]
    big = template + b"\0" * (limit + 1 - len(template))
    contents = "data:application/octet-stream;base64," + base64.b64encode(big).decode()
    response = dash_caller.post(
        "ne-upload-msg.children",
        inputs=[{"id": "ne-upload", "property": "contents", "value": contents}],
        state=[
            {"id": "ne-upload", "property": "filename", "value": "to.xlsx"},
            {"id": "ne-reload", "property": "data", "value": 0},
        ],
    )
    assert response.status_code == 200
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "Không nhập tệp to.xlsx: 1 lỗi." in text
    assert "vượt quá giới hạn 5 MB" in text


# --- stray cells and units ---------------------------------------------------------------------


def test_cells_far_outside_the_template_are_reported_with_their_unit(session, editor, template):
    """Bug: input more than 50 rows or columns past the template was ignored and the upload
    said it succeeded; a stray row stopped at its first cell."""
    wb = load(template)
    rows = meta_map(wb)[1]
    ws = wb[DATA]
    ws.cell(10_000, 5).value = 7
    ws.cell(10_000, 9).value = 8
    ws[f"ZZ{rows[BIEN_HO]}"] = "ghi chú"
    error = refused(session, editor, save(wb))
    found = {(p.row, p.column, p.unit) for p in error.problems}
    assert found == {(10_000, "E", None), (10_000, "I", None), (rows[BIEN_HO], "ZZ", "Xã Biển Hồ")}
    assert all("không có trong mẫu" in p.reason for p in error.problems)


def test_problems_name_the_commune(session, editor, template):
    """Bug: problems named only the row number, not the commune."""
    data = edit(template, {(BIEN_HO, "GOV-DOSSIER-COMM", "numerator"): "nhiều"})
    error = refused(session, editor, data)
    [problem] = error.problems
    at = coord(load(data), BIEN_HO, "GOV-DOSSIER-COMM", "numerator")
    assert str(problem).startswith(f"{DATA}!{at} (Xã Biển Hồ): ")
    assert problem.unit == "Xã Biển Hồ"


def test_problem_list_is_capped_with_a_count_of_the_rest(session, editor, template):
    """Bug: a file with thousands of problems produced a list of thousands of rows."""
    wb = load(template)
    for n in range(300):
        wb[DATA].cell(1000 + n // 100, 5 + n % 100).value = n
    error = refused(session, editor, save(wb))
    assert len(error.problems) == excel.MAX_PROBLEMS
    assert error.more == 100
    assert error.errors["more"] == "… và 100 lỗi khác."


# --- versions --------------------------------------------------------------------------------


def test_template_records_the_version_of_every_prefilled_cell(session, editor, template):
    """Bug: the template did not say which version a cell was prefilled from."""
    wb = load(template)
    versions = {
        r[1]: r[2] for r in wb[excel.META_SHEET].iter_rows(values_only=True) if r[0] == "cell"
    }
    assert versions[coord(wb, TAN_SON, "GOV-C8_4")] == stored(session, "GOV-C8_4", TAN_SON).version
    assert versions[coord(wb, "622", "GOV-D9_5")] >= 0
    assert coord(wb, "622", "GOV-C8_4") not in versions  # grey: not an input


def test_a_stale_template_cell_is_refused_and_nothing_is_saved(session, editor, template):
    """Bug ("lost update"): a template downloaded before someone else's edit overwrote it."""
    admin = user(session, "admin")
    bien_ho = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == BIEN_HO).order_by(OrgUnit.valid_from)
    )
    values.set_value(
        session,
        admin,
        indicator_code="GOV-DOSSIER-COMM",
        unit_id=bien_ho.id,
        period_code="2023",
        raw={"numerator": 1234, "denominator": 2000},
    )
    data = edit(
        template,
        {
            (BIEN_HO, "GOV-DOSSIER-COMM", "numerator"): 1500,
            (BIEN_HO, "GOV-DOSSIER-COMM", "denominator"): 2000,
            (TAN_SON, "GOV-C8_4", "value"): "Đạt",  # a good change: not saved either
        },
    )
    error = refused(session, editor, data)
    [problem] = error.problems
    wb = load(data)
    assert problem.where == f"{DATA}!{coord(wb, BIEN_HO, 'GOV-DOSSIER-COMM', 'numerator')}"
    assert problem.unit == "Xã Biển Hồ"
    assert admin.full_name in problem.reason and "1.234/2.000" in problem.reason
    assert stored(session, "GOV-C8_4", TAN_SON).value_bool is False
    dossier = stored(session, "GOV-DOSSIER-COMM", BIEN_HO)
    assert (dossier.numerator, dossier.denominator) == (1234, 2000)


def test_a_changed_cell_equal_to_the_stored_value_is_not_a_conflict(session, editor, template):
    """Bug: after someone else saved the same value, the file was refused as stale."""
    admin = user(session, "admin")
    tan_son = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == TAN_SON).order_by(OrgUnit.valid_from)
    )
    values.set_value(
        session,
        admin,
        indicator_code="GOV-C8_4",
        unit_id=tan_son.id,
        period_code="2023",
        raw={"value": "Đạt"},
    )
    data = edit(template, {(TAN_SON, "GOV-C8_4", "value"): "Đạt"})
    result = excel.import_upload(session, editor, data, 5 * MB)
    assert result["written"] == 0
    again = excel.import_upload(session, editor, data, 5 * MB)
    assert again["written"] == 0


def test_an_old_template_version_is_refused(session, editor, template):
    """Bug: a template made before versions were recorded would import without any check."""
    wb = load(template)
    wb[excel.META_SHEET]["B1"] = "NTM-NHAP-LIEU-1"
    wb[DATA][coord(wb, TAN_SON, "GOV-C8_4")] = "Đạt"
    error = refused(session, editor, save(wb))
    [problem] = error.problems
    assert "NTM-NHAP-LIEU-1" in problem.reason and "Hãy tải mẫu mới" in problem.reason
    assert excel.TEMPLATE_VERSION == "NTM-NHAP-LIEU-2"


# --- inert template text -------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_round_trips_as_text(session, editor):
    """Bug: a category value or unit name starting with `=` became a live formula."""
    session.add(
        Indicator(
            code="TEST-CATEGORY",
            name_vi="Chỉ tiêu thử",
            name_en="Test",
            short_vi="Thử",
            pillar="society",
            level_id=svc.level_id(session, "district"),
            value_type="category",
            rollup="sum",
            source="values",
            valid_from=dt.date(2021, 1, 1),
            display_order=99,
        )
    )
    bien_ho = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == BIEN_HO).order_by(OrgUnit.valid_from)
    )
    bien_ho.name = "=1+1"
    session.commit()
    pleiku = svc.district_by_code(session, "622")
    link = '=HYPERLINK("http://example.invalid","bấm")'
    values.set_value(
        session,
        editor,
        indicator_code="TEST-CATEGORY",
        unit_id=pleiku.id,
        period_code="2023",
        raw={"value": link},
    )
    data = excel.build_template(session, editor, "622", "2023")
    wb = load(data)
    at = coord(wb, "622", "TEST-CATEGORY")
    assert (wb[DATA][at].value, wb[DATA][at].data_type) == (link, "s")
    name = wb[DATA].cell(meta_map(wb)[1][BIEN_HO], 2)
    assert (name.value, name.data_type) == ("=1+1", "s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(
            re.search(rb"<f[ >]", archive.read(n)) for n in archive.namelist() if "sheet" in n
        )
    result = excel.import_upload(session, editor, data, 5 * MB)
    assert result["written"] == 0
    assert stored(session, "TEST-CATEGORY", "622").value_text == link
