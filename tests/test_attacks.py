"""Adversarial review of issue 6: replayed callbacks, hostile files and odd input.

Each test names the defect it catches; the tests that fail on the current main are defects
found in review and are kept failing until the application is fixed."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from dashboard.models import AuditLog, Cooperative, IndicatorValue
from dashboard.services import excel
from tests.test_callbacks import FIELDS, commune_of, registry_request, version_of
from tests.test_excel import snapshot, user

pytestmark = pytest.mark.db


def body(response) -> str:
    """The answer as text, non-ASCII characters of a JSON answer unescaped."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data().decode("utf-8")


def counts(app) -> tuple[int, int, int]:
    """Cooperatives, values and audit rows: what a refused request must leave unchanged."""
    with app.app_context():
        session = app.extensions["db"].session()
        return (
            session.scalar(sa.select(sa.func.count(Cooperative.id))),
            session.scalar(sa.select(sa.func.count(IndicatorValue.id))),
            session.scalar(sa.select(sa.func.count(AuditLog.id))),
        )


# --- registry input that the database cannot hold --------------------------------------------


def test_registry_member_count_beyond_the_column_is_a_message_not_a_500(app, auth, dash_caller):
    """Bug: a cooperative's member count is parsed without an upper bound, so `1e20` reaches
    the database (SQLite: OverflowError; PostgreSQL: integer out of range) and the replayed
    registry save answers HTTP 500 instead of a Vietnamese field message."""
    auth.login("editor-622")
    before = counts(app)
    fields = {**FIELDS, "members": "100000000000000000000"}
    response = registry_request(dash_caller, "add", commune_of(app, "622"), fields)
    assert response.status_code == 200, body(response)[:300]
    assert "Số thành viên" in body(response) or "members" in body(response)
    assert counts(app) == before


def test_registry_text_with_a_nul_character_is_a_message_not_a_500(app, auth, dash_caller):
    """Bug: text fields accept a NUL character, which PostgreSQL refuses ("cannot contain NUL
    characters") with HTTP 500 instead of a Vietnamese field message."""
    auth.login("editor-622")
    before = counts(app)
    fields = {**FIELDS, "name": "HTX\x00thử"}
    response = registry_request(dash_caller, "add", commune_of(app, "622"), fields)
    assert response.status_code == 200, body(response)[:300]
    assert counts(app)[0] in (before[0], before[0] + 1)


# --- callback values of the wrong type ---------------------------------------------------------


def pillar_save(dash_caller, unit_id, value, version, refresh):
    return dash_caller.post(
        "pl-edit-feedback.children",
        inputs=[{"id": "pl-edit-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "pl-edit-unit", "property": "value", "value": unit_id},
            {"id": "pl-indicator", "property": "value", "value": "GOV-C8_4"},
            {"id": "pl-period", "property": "value", "value": "2023"},
            {"id": "pl-edit-bool", "property": "value", "value": value},
            {"id": "pl-edit-value", "property": "value", "value": ""},
            {"id": "pl-edit-num", "property": "value", "value": ""},
            {"id": "pl-edit-den", "property": "value", "value": ""},
            {"id": "pl-refresh", "property": "data", "value": refresh},
            {"id": "pl-edit-version", "property": "data", "value": version},
        ],
    )


def test_pillar_save_with_a_malformed_refresh_counter_is_not_a_500_after_saving(
    app, auth, dash_caller
):
    """Bug: the pillar page's save adds 1 to the client-supplied `pl-refresh` after the value
    is committed; a replayed body with a text counter answers HTTP 500 although the value was
    saved (the user is told the save failed while it happened)."""
    unit_id = commune_of(app, "622")
    auth.login("editor-622")
    before = counts(app)
    version = version_of(app, "GOV-C8_4", unit_id)
    response = pillar_save(dash_caller, unit_id, "false", version, refresh="x")
    saved = counts(app) != before
    assert response.status_code < 500, f"HTTP {response.status_code}, value saved: {saved}"


def test_registry_write_with_malformed_selected_rows_is_400_not_500(app, auth, dash_caller):
    """Bug: the registry form reads `selectedRows[0]["id"]` from the request without checking
    its shape; a replayed body whose selected row is a number answers HTTP 500, where a
    malformed callback body must get 400 (issue 6, point 8)."""
    auth.login("editor-622")
    before = counts(app)
    response = registry_request(dash_caller, "delete", None, FIELDS, selected=[1])
    assert response.status_code < 500, body(response)[:300]
    assert counts(app) == before


def test_grid_save_with_malformed_rows_is_400_not_500(app, auth, dash_caller):
    """Bug: the data-entry grid's save reads each row of `rowData` as a dict; a replayed body
    whose rows are strings answers HTTP 500 instead of 400."""
    auth.login("editor-622")
    before = counts(app)
    response = dash_caller.post(
        "ne-save-msg.children",
        inputs=[{"id": "ne-save", "property": "n_clicks", "value": 1}],
        state=[
            {"id": "ne-grid", "property": "rowData", "value": ["x"]},
            {"id": "ne-columns", "property": "data", "value": [{"field": "f0"}]},
            {"id": "ne-district", "property": "value", "value": "622"},
            {"id": "ne-period", "property": "value", "value": "2023"},
            {"id": "ne-reload", "property": "data", "value": 0},
        ],
    )
    assert response.status_code < 500, body(response)[:300]
    assert counts(app) == before


# --- hostile templates -------------------------------------------------------------------------


@pytest.fixture
def editor(session):
    return user(session, "editor-622")


@pytest.fixture
def template(session, editor):
    return excel.build_template(session, editor, "622", "2023")


def with_meta_number(data: bytes, kind: str, column: int, number: str) -> bytes:
    """The file with the value in `column` (1-based) of the first `_mau` record of `kind`
    replaced by the raw XML number `number` (e.g. `1E999`, which openpyxl reads as infinity)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    meta = wb[excel.META_SHEET]
    marker = 987654321
    for row in meta.iter_rows():
        if row[0].value == kind:
            row[column - 1].value = marker
            break
    out = io.BytesIO()
    wb.save(out)
    path = None
    reader = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    path = reader[excel.META_SHEET]._worksheet_path
    reader.close()
    patched = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(out.getvalue())) as src,
        zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == path.lstrip("/"):
                content = content.replace(f"<v>{marker}</v>".encode(), f"<v>{number}</v>".encode())
            dst.writestr(info.filename, content)
    return patched.getvalue()


@pytest.mark.parametrize(
    ("kind", "column", "number"),
    [("cell", 3, "1E999"), ("row", 2, "1E999"), ("row", 3, "1E30")],
    ids=["cell-version-infinite", "row-number-infinite", "row-unit-id-huge"],
)
def test_a_hostile_number_in_the_hidden_sheet_is_an_upload_problem(
    session, editor, template, kind, column, number
):
    """Bug: `_mau` records are converted with `int()` catching only TypeError and ValueError;
    a number such as `1E999` (read as infinity, `int()` raises OverflowError) or a unit id
    beyond 64 bits (SQLite OverflowError on lookup) escapes as an unhandled error (HTTP 500
    on the page) instead of "the template's hidden sheet is damaged"."""
    data = with_meta_number(template, kind, column, number)
    before = snapshot(session)
    with pytest.raises(excel.UploadError):
        excel.import_upload(session, editor, data)
    session.rollback()
    assert snapshot(session) == before


# --- error pages -------------------------------------------------------------------------------


def test_a_missing_asset_gets_a_vietnamese_404(client, auth):
    """Bug: a path under /assets/ that does not exist answers Werkzeug's English "404 Not
    Found" page (`lang=en`); every error answer must be Vietnamese like the other fault
    pages (there is no 404 handler)."""
    auth.login("viewer")
    response = client.get("/assets/khong-ton-tai.css")
    assert response.status_code == 404
    text = body(response)
    assert "Not Found" not in text and "The requested URL" not in text


# --- attacks that hold (not covered elsewhere) -------------------------------------------------


@pytest.mark.parametrize("username", ["viewer", None])
def test_replayed_registry_add_by_viewer_or_anonymous_changes_nothing(
    app, auth, dash_caller, username
):
    """Catches a registry write path that trusts the page instead of checking the account: a
    viewer's replayed add is refused in Vietnamese, an anonymous one gets 401."""
    if username:
        auth.login(username)
    before = counts(app)
    response = registry_request(dash_caller, "add", commune_of(app, "622"), FIELDS)
    if username:
        assert "chỉ có quyền xem" in body(response)
    else:
        assert response.status_code == 401
    assert counts(app) == before
