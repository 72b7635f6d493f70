"""Excel round trip: the template a district fills in, and uploads checked cell by cell."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from dashboard.errors import PermissionDenied, ValidationError
from dashboard.models import AuditLog, Indicator, IndicatorValue, OrgUnit, User
from dashboard.services import excel, values, workflow
from dashboard.services import indicators as svc

pytestmark = pytest.mark.db

DATA = excel.DATA_SHEET
TAN_SON, BIEN_HO, YEN_DO, CHU_SE_COMMUNE = "23593", "23590", "23557", "23944"


def user(session, name):
    return session.scalar(sa.select(User).where(User.username == name))


@pytest.fixture
def editor(session):
    return user(session, "editor-622")


@pytest.fixture
def template(session, editor):
    return excel.build_template(session, editor, "622", "2023")


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def meta_map(wb):
    """(columns: (indicator code, field) -> letter, rows: GSO code -> row, other records)."""
    columns, rows, other = {}, {}, {}
    for record in wb[excel.META_SHEET].iter_rows(values_only=True):
        if record[0] == "column":
            columns[(record[2], record[3])] = record[1]
        elif record[0] == "row":
            rows[record[3]] = record[1]
        elif record[0] in ("version", "district", "period"):
            other[record[0]] = record[1]
    return columns, rows, other


def coord(wb, gso, code, field="value"):
    columns, rows, _other = meta_map(wb)
    return f"{columns[(code, field)]}{rows[gso]}"


def edit(data, changes: dict) -> bytes:
    """The file with `{(gso, indicator, field): value}` written into the data sheet."""
    wb = load(data)
    for (gso, code, field), value in changes.items():
        wb[DATA][coord(wb, gso, code, field)] = value
    return save(wb)


def stored(session, code, gso, period="2023"):
    ind = svc.get_indicator(session, code)
    per = svc.get_period(session, period)
    unit = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == gso).order_by(OrgUnit.valid_from)
    )
    return session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.unit_id == unit.id,
            IndicatorValue.period_id == per.id,
        )
    )


def snapshot(session):
    rows = session.execute(
        sa.select(
            IndicatorValue.id,
            IndicatorValue.value_bool,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.value_num,
            IndicatorValue.value_text,
        )
    ).all()
    return sorted(rows), session.scalar(sa.select(sa.func.count(AuditLog.id)))


def expected_units(session, period_code):
    pleiku = svc.district_by_code(session, "622")
    end = svc.get_period(session, period_code).count_date  # 2025: 30/6/2025
    communes = session.scalars(
        sa.select(OrgUnit.gso_code)
        .where(OrgUnit.parent_id == pleiku.id, OrgUnit.valid_on(end))
        .order_by(OrgUnit.gso_code)
    ).all()
    return ["622", *communes]


# --- the template ------------------------------------------------------------------------------


@pytest.mark.parametrize(("period", "has_tan_son"), [("2023", True), ("2025", False)])
def test_template_lists_the_district_then_its_communes_valid_at_the_period_end(
    session, editor, period, has_tan_son
):
    wb = load(excel.build_template(session, editor, "622", period))
    ws = wb[DATA]
    codes = [ws.cell(r, 1).value for r in range(excel.FIRST_DATA_ROW, ws.max_row + 1)]
    assert codes == expected_units(session, period)
    assert (TAN_SON in codes) is has_tan_son
    assert len(codes) > 20
    names = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)}
    kinds = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(4, ws.max_row + 1)}
    assert names["622"] == "Thành phố Pleiku" and kinds["622"] == "Thành phố"
    assert names[BIEN_HO] == "Xã Biển Hồ" and kinds[YEN_DO] == "Phường"
    assert "Thành phố Pleiku" in ws["A1"].value and period in ws["A1"].value
    _columns, rows, other = meta_map(wb)
    assert other == {"version": excel.TEMPLATE_VERSION, "district": "622", "period": period}
    assert list(rows) == codes


def test_template_has_a_column_per_input_of_each_value_indicator(session, editor, template):
    wb = load(template)
    ws = wb[DATA]
    columns, _rows, _other = meta_map(wb)
    codes = [c for c, _f in columns]
    value_codes = [
        i.code
        for i in svc.list_indicators(session)
        if i.source == "values" and i.level.code in ("district", "commune")
    ]
    assert list(dict.fromkeys(codes)) == value_codes  # in display order, province level left out
    assert "ECO-COOP" not in codes  # registry indicators are not typed in
    assert [f for c, f in columns if c == "GOV-DOSSIER-COMM"] == ["numerator", "denominator"]
    numerator = ws[f"{columns[('GOV-DOSSIER-COMM', 'numerator')]}{excel.HEADER_ROW}"]
    assert numerator.value.endswith("số hồ sơ trên mạng") and numerator.comment is not None
    assert ws[f"{columns[('GOV-C8_4', 'value')]}{excel.CODE_ROW}"].value == "GOV-C8_4"
    assert ws.freeze_panes == "D4"
    assert excel.HELP_SHEET in wb.sheetnames
    assert wb.active.title == DATA


def test_template_is_prefilled_with_the_stored_values(session, editor, template):
    wb = load(template)
    ws = wb[DATA]
    columns, rows, _other = meta_map(wb)
    units = {u.id: u.gso_code for u in session.scalars(sa.select(OrgUnit))}
    period = svc.get_period(session, "2023")
    checked = 0
    for value in session.scalars(
        sa.select(IndicatorValue).where(IndicatorValue.period_id == period.id)
    ):
        gso, code = units[value.unit_id], value.indicator.code
        if gso not in rows or not any(c == code for c, _f in columns):
            continue
        row = rows[gso]
        if value.indicator.value_type == "boolean":
            cell = ws[f"{columns[(code, 'value')]}{row}"].value
            assert cell == ("Đạt" if value.value_bool else "Không đạt"), (gso, code)
        else:
            assert ws[f"{columns[(code, 'numerator')]}{row}"].value == value.numerator
            assert ws[f"{columns[(code, 'denominator')]}{row}"].value == value.denominator
        checked += 1
    assert checked > 50
    assert ws[coord(wb, TAN_SON, "GOV-C8_4")].value == "Không đạt"  # stored False


def test_template_protects_everything_but_the_input_cells(session, editor, template):
    wb = load(template)
    ws = wb[DATA]
    assert ws.protection.sheet is True
    open_cell = ws[coord(wb, TAN_SON, "GOV-C8_4")]
    ratio_cell = ws[coord(wb, YEN_DO, "GOV-DOSSIER-COMM", "denominator")]
    assert open_cell.protection.locked is False and ratio_cell.protection.locked is False
    for cell in (
        ws[coord(wb, "622", "GOV-C8_4")],  # commune indicator on the district row
        ws[coord(wb, YEN_DO, "GOV-C8_4")],  # rural-commune indicator on a ward
        ws[coord(wb, BIEN_HO, "GOV-D9_5")],  # district indicator on a commune row
    ):
        assert cell.protection.locked is True
        assert cell.fill.fgColor.rgb.endswith("D9D9D9")
        assert cell.value is None
    rows = meta_map(wb)[1]
    assert ws.cell(rows[TAN_SON], 1).protection.locked is True  # codes
    assert ws.cell(excel.HEADER_ROW, 5).protection.locked is True  # headers

    def rules(coordinate):
        return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]

    [boolean] = rules(open_cell.coordinate)
    assert (boolean.type, boolean.formula1) == ("list", '"Đạt,Không đạt"')
    [whole] = rules(ratio_cell.coordinate)
    assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert rules(coord(wb, "622", "GOV-C8_4")) == []

    meta = wb[excel.META_SHEET]
    assert meta.sheet_state == "veryHidden" and meta.protection.sheet is True
    assert (meta["B1"].value, meta["B2"].value, meta["B3"].value) == (
        excel.TEMPLATE_VERSION,
        "622",
        "2023",
    )


@pytest.mark.parametrize(
    ("username", "district", "period", "error", "message"),
    [
        ("viewer", "622", "2023", PermissionDenied, "chỉ có quyền xem"),
        ("editor-622", "633", "2023", PermissionDenied, "Chư Sê"),
        ("editor-622", "999", "2023", ValidationError, "Không tìm thấy đơn vị"),
        ("editor-622", "622", "2019", ValidationError, "không thuộc chương trình"),
        ("editor-622", "622", "abc", ValidationError, "không thuộc chương trình"),
    ],
)
def test_template_is_refused_to_who_may_not_write_and_for_unknown_input(
    session, username, district, period, error, message
):
    with pytest.raises(error) as err:
        excel.build_template(session, user(session, username), district, period)
    assert message in err.value.message


# --- importing ---------------------------------------------------------------------------------


def test_round_trip_writes_the_changed_cells_with_audit_and_twice_writes_nothing(
    session, editor, template
):
    assert stored(session, "GOV-C8_4", TAN_SON).value_bool is False
    audits = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    data = edit(
        template,
        {
            (TAN_SON, "GOV-C8_4", "value"): "Đạt",
            (BIEN_HO, "GOV-DOSSIER-COMM", "numerator"): 1800,
            (BIEN_HO, "GOV-DOSSIER-COMM", "denominator"): "2.500",  # Vietnamese grouping
            ("622", "GOV-TRAINING", "numerator"): 60,
        },
    )
    upload = excel.parse_upload(session, editor, data)
    wb = load(data)
    key = f"{DATA}!{coord(wb, TAN_SON, 'GOV-C8_4')}"
    [cell] = [c for c in upload.cells if c.key == key]
    assert (cell.indicator_code, cell.raw) == ("GOV-C8_4", {"value": "Đạt"})
    assert len(upload.changed) == 3
    total = len(upload.cells)

    result = excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    assert result == {"written": 3, "unchanged": total - 3, "district": "622", "period": "2023"}
    assert stored(session, "GOV-C8_4", TAN_SON).value_bool is True
    dossier = stored(session, "GOV-DOSSIER-COMM", BIEN_HO)
    assert (dossier.numerator, dossier.denominator) == (1800, 2500)
    assert stored(session, "GOV-TRAINING", "622").numerator == 60
    entries = session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "value.set").order_by(AuditLog.id)
    ).all()
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == audits + 3
    assert {e.indicator_code for e in entries[-3:]} == {
        "GOV-C8_4",
        "GOV-DOSSIER-COMM",
        "GOV-TRAINING",
    }
    assert {(e.username, e.period_code) for e in entries[-3:]} == {("editor-622", "2023")}

    before = snapshot(session)
    again = excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    assert again["written"] == 0 and again["unchanged"] == total
    assert snapshot(session) == before


def test_an_old_template_does_not_undo_changes_made_since(session, editor, template):
    tan_son = session.scalar(
        sa.select(OrgUnit).where(OrgUnit.gso_code == TAN_SON).order_by(OrgUnit.valid_from)
    )
    values.set_value(  # changed in the application after the template was downloaded
        session,
        editor,
        indicator_code="GOV-C8_4",
        unit_id=tan_son.id,
        period_code="2023",
        raw={"value": "Đạt"},
    )
    data = edit(template, {(TAN_SON, "GOV-ADV8_4", "value"): "Đạt"})
    result = excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    assert result["written"] == 1
    assert stored(session, "GOV-C8_4", TAN_SON).value_bool is True  # not reset to the template
    assert stored(session, "GOV-ADV8_4", TAN_SON).value_bool is True


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"numerator": "nhiều"}, "numerator", "phải là số"),
        ({"numerator": 3000, "denominator": 2000}, "numerator", "không được lớn hơn"),
        ({"numerator": None}, "numerator", "Vui lòng nhập"),
        ({"denominator": 12.5}, "denominator", "số nguyên"),
    ],
)
def test_one_bad_cell_refuses_the_whole_file(session, editor, template, bad, field, message):
    changes = {(TAN_SON, "GOV-C8_4", "value"): "Đạt"}  # a good change
    changes.update({(YEN_DO, "GOV-DOSSIER-COMM", f): v for f, v in bad.items()})
    data = edit(template, changes)
    before = snapshot(session)
    with pytest.raises(excel.UploadError) as err:
        excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    wb = load(data)
    columns, rows, _other = meta_map(wb)
    [problem] = err.value.problems
    assert (problem.sheet, problem.row, problem.column) == (
        DATA,
        rows[YEN_DO],
        columns[("GOV-DOSSIER-COMM", field)],
    )
    assert message in problem.reason
    assert str(problem).startswith(f"{DATA}!{columns[('GOV-DOSSIER-COMM', field)]}")
    session.rollback()
    assert snapshot(session) == before
    assert stored(session, "GOV-C8_4", TAN_SON).value_bool is False


def test_every_problem_is_listed(session, editor, template):
    data = edit(
        template,
        {
            (YEN_DO, "GOV-DOSSIER-COMM", "numerator"): "nhiều",
            (BIEN_HO, "GOV-DOSSIER-COMM", "denominator"): "ít",
            (TAN_SON, "GOV-C8_4", "value"): "có lẽ",
        },
    )
    with pytest.raises(excel.UploadError) as err:
        excel.parse_upload(session, editor, data)
    wb = load(data)
    assert {p.where for p in err.value.problems} == {
        f"{DATA}!{coord(wb, YEN_DO, 'GOV-DOSSIER-COMM', 'numerator')}",
        f"{DATA}!{coord(wb, BIEN_HO, 'GOV-DOSSIER-COMM', 'denominator')}",
        f"{DATA}!{coord(wb, TAN_SON, 'GOV-C8_4')}",
    }
    assert len(err.value.errors) == 3  # as a ValidationError, one message per cell


def _version(wb):
    wb[excel.META_SHEET]["B1"] = "NTM-NHAP-LIEU-0"
    return (excel.META_SHEET, 1, "B", "phiên bản")


def _no_meta(wb):
    del wb[excel.META_SHEET]
    return ("", None, None, "mẫu cũ")


def _period(wb):
    wb[excel.META_SHEET]["B3"] = "2019"
    return (excel.META_SHEET, 3, "B", "không thuộc chương trình")


def _other_district_unit(wb):
    row = meta_map(wb)[1][BIEN_HO]
    wb[DATA].cell(row, 1).value = CHU_SE_COMMUNE
    return (DATA, row, "A", "không thuộc Thành phố Pleiku")


def _changed_code(wb):
    row = meta_map(wb)[1][BIEN_HO]
    wb[DATA].cell(row, 1).value = TAN_SON
    return (DATA, row, "A", "không khớp với mẫu")


def _text(wb):
    wb[DATA][coord(wb, "622", "GOV-TRAINING", "denominator")] = "nhiều"
    return (DATA, meta_map(wb)[1]["622"], meta_map(wb)[0][("GOV-TRAINING", "denominator")], "số")


def _error_value(wb):
    at = coord(wb, BIEN_HO, "GOV-DOSSIER-COMM", "numerator")
    wb[DATA][at] = "#DIV/0!"  # openpyxl stores it as an error cell, as Excel would
    assert wb[DATA][at].data_type == "e"
    return (DATA, meta_map(wb)[1][BIEN_HO], at.rstrip("0123456789"), "#DIV/0!")


def _formula(wb):
    """Any formula in an input cell is refused (a read-only stream cannot check its result)."""
    at = coord(wb, BIEN_HO, "GOV-DOSSIER-COMM", "numerator")
    wb[DATA][at] = "=1/0"  # saved as a formula without a cached result
    return (DATA, meta_map(wb)[1][BIEN_HO], at.rstrip("0123456789"), "không nhập công thức")


def _grey_cell(wb):
    at = coord(wb, YEN_DO, "GOV-C8_4")
    wb[DATA][at] = "Đạt"
    return (DATA, meta_map(wb)[1][YEN_DO], at.rstrip("0123456789"), "không áp dụng")


def _extra_row(wb):
    row = max(meta_map(wb)[1].values()) + 2
    wb[DATA].cell(row, 5).value = 10
    return (DATA, row, "E", "không có trong mẫu")


def _extra_column(wb):
    row = meta_map(wb)[1][BIEN_HO]
    column = max(openpyxl.utils.column_index_from_string(c) for c in meta_map(wb)[0].values())
    wb[DATA].cell(row, column + 1).value = "ghi chú"
    return (DATA, row, openpyxl.utils.get_column_letter(column + 1), "không có trong mẫu")


def _moved_column(wb):
    letter = meta_map(wb)[0][("GOV-C8_4", "value")]
    wb[DATA][f"{letter}{excel.CODE_ROW}"] = "GOV-ADV8_4"
    return (DATA, excel.CODE_ROW, letter, "GOV-C8_4")


@pytest.mark.parametrize(
    "damage",
    [
        _version,
        _no_meta,
        _period,
        _other_district_unit,
        _changed_code,
        _text,
        _error_value,
        _formula,
        _grey_cell,
        _extra_row,
        _extra_column,
        _moved_column,
    ],
)
def test_a_bad_template_is_refused_at_the_problem(session, editor, template, damage):
    wb = load(template)
    sheet, row, column, message = damage(wb)
    data = save(wb)
    before = snapshot(session)
    with pytest.raises(excel.UploadError) as err:
        excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    assert [(p.sheet, p.row, p.column) for p in err.value.problems] == [(sheet, row, column)]
    assert message in err.value.problems[0].reason
    assert snapshot(session) == before


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"a,b\n1,2", b"", _zip_without_workbook(), b"PK\x03\x04 truncated"],
    ids=["csv", "empty", "zip", "broken-zip"],
)
def test_a_file_that_is_not_xlsx_is_refused(session, editor, data):
    with pytest.raises(excel.UploadError) as err:
        excel.parse_upload(session, editor, data)
    [problem] = err.value.problems
    assert problem.sheet == "" and ".xlsx" in problem.reason


def test_a_file_above_the_size_limit_is_refused(session, editor, template):
    with pytest.raises(excel.UploadError) as err:
        excel.parse_upload(session, editor, template, max_bytes=1024)
    [problem] = err.value.problems
    assert "vượt quá giới hạn 0,001 MB" in problem.reason
    big = b"x" * (5 * 1024 * 1024 + 1)
    with pytest.raises(excel.UploadError) as err:
        excel.parse_upload(session, editor, big)
    assert "giới hạn 5 MB" in err.value.problems[0].reason


def test_another_districts_template_is_refused(session, editor):
    chu_se = excel.build_template(session, user(session, "editor-633"), "633", "2023")
    wb = load(chu_se)
    wb[DATA][coord(wb, CHU_SE_COMMUNE, "GOV-C8_4")] = "Đạt"
    before = snapshot(session)
    with pytest.raises(PermissionDenied) as err:
        excel.import_upload(session, editor, save(wb), 5 * 1024 * 1024)
    assert "Chư Sê" in err.value.message
    assert snapshot(session) == before


def test_a_viewer_cannot_upload(session, template):
    with pytest.raises(PermissionDenied) as err:
        excel.import_upload(session, user(session, "viewer"), template, 5 * 1024 * 1024)
    assert "chỉ có quyền xem" in err.value.message


def test_a_submitted_period_is_locked_for_the_editor_not_for_the_admin(session, editor, template):
    workflow.transition(session, editor, "submit", "622", "2023")
    data = edit(template, {(TAN_SON, "GOV-C8_4", "value"): "Đạt"})
    before = snapshot(session)
    with pytest.raises(PermissionDenied) as err:
        excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    assert err.value.message == (
        "Báo cáo kỳ 2023 của Thành phố Pleiku Đã gửi: số liệu đã khóa, không thể sửa."
    )
    assert snapshot(session) == before
    result = excel.import_upload(session, user(session, "admin"), data, 5 * 1024 * 1024)
    assert result["written"] == 1


def test_refusals_from_save_values_point_at_their_cells(session, editor, template, monkeypatch):
    data = edit(template, {(BIEN_HO, "GOV-DOSSIER-COMM", "denominator"): 9999})
    wb = load(data)
    key = f"{DATA}!{coord(wb, BIEN_HO, 'GOV-DOSSIER-COMM', 'numerator')}"

    def refuse(session, user, period_code, cells, require_versions=False):
        assert require_versions  # the Excel path always checks versions
        assert [c.key for c in cells] == [key]
        raise values.BatchError([values.CellError(key, "denominator", "Bị từ chối.")])

    monkeypatch.setattr(values, "save_values", refuse)
    with pytest.raises(excel.UploadError) as err:
        excel.import_upload(session, editor, data, 5 * 1024 * 1024)
    [problem] = err.value.problems
    assert problem.where == f"{DATA}!{coord(wb, BIEN_HO, 'GOV-DOSSIER-COMM', 'denominator')}"
    assert problem.reason == "Bị từ chối."


def test_count_and_category_indicators_round_trip(session, editor):
    for code, level, value_type, order in (
        ("TEST-COUNT", "commune", "count", 90),
        ("TEST-CATEGORY", "district", "category", 91),
    ):
        session.add(
            Indicator(
                code=code,
                name_vi=f"Chỉ tiêu thử {code}",
                name_en=code,
                short_vi=f"Thử {code}",
                pillar="society",
                level_id=svc.level_id(session, level),
                value_type=value_type,
                rollup="sum",
                source="values",
                valid_from=dt.date(2021, 1, 1),
                display_order=order,
            )
        )
    session.commit()
    wb = load(excel.build_template(session, editor, "622", "2023"))
    ws = wb[DATA]
    count_at, text_at = coord(wb, YEN_DO, "TEST-COUNT"), coord(wb, "622", "TEST-CATEGORY")
    assert ws[count_at].protection.locked is False and ws[text_at].protection.locked is False
    assert ws[coord(wb, "622", "TEST-COUNT")].protection.locked is True
    kinds = {dv.type for dv in ws.data_validations.dataValidation if count_at in dv.sqref}
    assert kinds == {"whole"}
    kinds = {dv.type for dv in ws.data_validations.dataValidation if text_at in dv.sqref}
    assert kinds == {"textLength"}
    ws[count_at], ws[text_at] = 7, "  Khá  "
    result = excel.import_upload(session, editor, save(wb), 5 * 1024 * 1024)
    assert result["written"] == 2
    assert stored(session, "TEST-COUNT", YEN_DO).value_num == 7
    assert stored(session, "TEST-CATEGORY", "622").value_text == "Khá"
    wb = load(excel.build_template(session, editor, "622", "2023"))
    assert (wb[DATA][count_at].value, wb[DATA][text_at].value) == (7, "Khá")
