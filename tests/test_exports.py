"""Every table and chart's data downloads as CSV and Excel; bad parameters get a 400."""

import csv
import io

import openpyxl
import pytest

pytestmark = pytest.mark.db


@pytest.fixture
def viewer(client, auth):
    auth.login("viewer")
    return client


def split_csv(text: str) -> tuple[dict[str, str], list[dict]]:
    """A download's title rows (label → value) and its table (rows by header), split at the
    first blank line; a file without title rows is all table."""
    lines = text.splitlines(keepends=True)
    if "" in (line.strip() for line in lines):
        blank = next(i for i, line in enumerate(lines) if not line.strip())
        title = dict(csv.reader(io.StringIO("".join(lines[:blank]))))
        body = "".join(lines[blank + 1 :])
    else:
        title, body = {}, text
    return title, list(csv.DictReader(io.StringIO(body)))


def read_csv(response) -> list[dict]:
    return split_csv(response.get_data().decode("utf-8-sig"))[1]


def read_xlsx(payload: bytes) -> tuple[dict, list, list[tuple]]:
    """An XLSX download's title rows, header row and data rows (cells as values)."""
    sheet = openpyxl.load_workbook(io.BytesIO(payload)).active
    rows = list(sheet.iter_rows(values_only=True))
    blank = next(i for i, row in enumerate(rows) if all(v is None for v in row))
    title = {row[0]: row[1] for row in rows[:blank]}
    return title, list(rows[blank + 1]), rows[blank + 2 :]


def test_summary_csv_has_the_2023_figures(viewer):
    response = viewer.get("/xuat/summary.csv?period=2023&pillar=government")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('tong-hop-2023.csv"')
    rows = {r["Mã"]: r for r in read_csv(response)}
    assert rows["GOV-C8_4"]["Hiện tại"] == "95/182 xã (52,2%)"
    assert rows["GOV-PLAN"]["Hiện tại"] == "17/17 huyện (100%)"
    assert rows["GOV-D9_5"]["Hiện tại"] == "17/17 huyện (100%)"


def test_by_district_xlsx(viewer):
    response = viewer.get("/xuat/by-district.xlsx?indicator=GOV-C8_4&period=2023")
    assert response.status_code == 200
    _title, header, rows = read_xlsx(response.get_data())
    assert header[:2] == ["Mã", "Huyện"]
    assert len(rows) == 17
    assert sum(r[2] for r in rows) == 95


def test_records_csv_of_a_district(viewer):
    response = viewer.get("/xuat/records.csv?indicator=GOV-C8_4&period=2023&district=622")
    rows = read_csv(response)
    assert rows and {r["Huyện"] for r in rows} == {"Thành phố Pleiku"}


def test_trend_and_registry_exports(viewer):
    trend = read_csv(viewer.get("/xuat/trend.csv?indicator=GOV-C8_4"))
    assert [r["Kỳ báo cáo"] for r in trend] == ["2021", "2022", "2023", "2024", "2025"]
    assert trend[2]["Hiện tại"] == "95/182 xã (52,2%)"
    plans = read_csv(viewer.get("/xuat/registry.csv?name=district_plans"))
    assert len(plans) == 17 and "id" in plans[0] and "unit_id" not in plans[0]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/xuat/records.csv?indicator=NOPE&period=2023", "Không tìm thấy chỉ tiêu"),
        ("/xuat/records.csv?indicator=GOV-C8_4&period=1999", "không thuộc chương trình"),
        ("/xuat/records.csv?indicator=GOV-C8_4&period=2023&district=999", "đơn vị"),
        ("/xuat/registry.csv?name=nope", "sổ theo dõi"),
        ("/xuat/nope.csv", "không hợp lệ"),
        ("/xuat/summary.pdf", "không hợp lệ"),
    ],
)
def test_bad_parameters_are_a_400_in_vietnamese(viewer, url, message):
    response = viewer.get(url)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def _frame_rows(frame) -> list[dict]:
    """A frame's rows as the CSV download spells them (every cell as text, blanks empty)."""
    from dashboard.exports import Download, csv_table

    text = csv_table(Download(frame, "x")).to_csv(index=False)
    return list(csv.DictReader(io.StringIO(text)))


def test_summary_export_honours_the_district(viewer, session):
    """Catches a summary download that ignores `?district=` and returns the province figures."""
    from dashboard.services import indicators as svc

    period = svc.get_period(session, "2023")
    district = svc.district_by_code(session, "622")
    expected = _frame_rows(svc.summary_frame(svc.summary(session, period, district.id, None)))
    province = _frame_rows(svc.summary_frame(svc.summary(session, period, None, None)))
    got = read_csv(viewer.get("/xuat/summary.csv?period=2023&district=622"))
    assert got == expected
    assert any(g != p for g, p in zip(got, province, strict=True))


def test_trend_export_honours_the_district(viewer, session):
    """Catches a trend download that ignores `?district=` and returns the province trend."""
    from dashboard.services import indicators as svc

    ind = svc.get_indicator(session, "GOV-C8_4")
    district = svc.district_by_code(session, "622")
    figures = svc.trend(session, ind, district.id)
    got = read_csv(viewer.get("/xuat/trend.csv?indicator=GOV-C8_4&district=622"))
    assert [r["Kỳ báo cáo"] for r in got] == [f.period for f in figures]
    assert [r["Hiện tại"] for r in got] == [f.display for f in figures]
    assert [r["Tử số"] for r in got] == [str(round(f.numerator)) for f in figures]
    province = read_csv(viewer.get("/xuat/trend.csv?indicator=GOV-C8_4"))
    assert any(g["Hiện tại"] != p["Hiện tại"] for g, p in zip(got, province, strict=True))


MARKER = 987_654_321  # a distinctive number no approved figure contains


def _plant_unapproved_value(session):
    """Approve Pleiku's 2023 report, then give a commune of Chư Păh (633, not approved) a
    distinctive dossier count."""
    import sqlalchemy as sa

    from dashboard.models import IndicatorValue, OrgUnit, User
    from dashboard.services import indicators as svc
    from dashboard.services import workflow

    def user(name):
        return session.scalar(sa.select(User).where(User.username == name))

    workflow.transition(session, user("editor-622"), "submit", "622", "2023")
    workflow.transition(session, user("admin"), "approve", "622", "2023")
    ind = svc.get_indicator(session, "GOV-DOSSIER-COMM")
    period = svc.get_period(session, "2023")
    chu_pah = svc.district_by_code(session, "633")
    value = session.scalar(
        sa.select(IndicatorValue)
        .join(OrgUnit, OrgUnit.id == IndicatorValue.unit_id)
        .where(
            IndicatorValue.indicator_id == ind.id,
            IndicatorValue.period_id == period.id,
            OrgUnit.parent_id == chu_pah.id,
        )
        .limit(1)
    )
    value.numerator = MARKER
    value.denominator = MARKER + 1
    session.commit()


def _marker_in(payload: bytes, fmt: str) -> bool:
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True)
        cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
        text = " ".join(str(c) for c in cells if c is not None)
    else:
        text = payload.decode("utf-8-sig")
    digits = text.replace(".", "").replace(",", "").replace(" ", "")
    return str(MARKER) in digits or str(MARKER + 1) in digits


APPROVED_DOWNLOADS = [
    "/xuat/summary.{fmt}?period=2023&mode=approved",
    "/xuat/summary.{fmt}?period=2023&district=633&mode=approved",
    "/xuat/by-district.{fmt}?period=2023&indicator=GOV-DOSSIER-COMM&mode=approved",
    "/xuat/trend.{fmt}?indicator=GOV-DOSSIER-COMM&mode=approved",
    "/xuat/trend.{fmt}?indicator=GOV-DOSSIER-COMM&district=633&mode=approved",
    "/xuat/records.{fmt}?period=2023&indicator=GOV-DOSSIER-COMM&mode=approved",
    "/xuat/records.{fmt}?period=2023&indicator=GOV-DOSSIER-COMM&district=633&mode=approved",
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unapproved_value_never_appears_in_an_approved_only_download(viewer, session, fmt):
    """Catches downloads that ignore the approved-only switch (they once never passed it on),
    or that leak an unapproved district's value through a total, a trend or a record."""
    _plant_unapproved_value(session)
    for url in APPROVED_DOWNLOADS:
        response = viewer.get(url.format(fmt=fmt))
        assert response.status_code == 200, url
        assert "da-phe-duyet" in response.headers["Content-Disposition"], url
        assert not _marker_in(response.get_data(), fmt), url
    # The same downloads with all data do contain it: the check can see the value.
    everything = viewer.get(
        f"/xuat/records.{fmt}?period=2023&indicator=GOV-DOSSIER-COMM&district=633"
    )
    assert _marker_in(everything.get_data(), fmt)


def test_approved_only_download_counts_the_approved_units(viewer, session):
    """Catches an approved-only total computed over every unit (the old 7/180 instead of 7/8)."""
    from dashboard.services import indicators as svc

    _plant_unapproved_value(session)
    rows = {r["Mã"]: r for r in read_csv(viewer.get("/xuat/summary.csv?period=2023&mode=approved"))}
    pleiku = svc.compute(
        session,
        svc.get_indicator(session, "GOV-C8_4"),
        svc.get_period(session, "2023"),
        svc.district_by_code(session, "622").id,
    )
    assert rows["GOV-C8_4"]["Hiện tại"] == pleiku.display
    assert rows["GOV-C8_4"]["Phạm vi số liệu"].startswith("1/17 huyện đã phê duyệt")


def test_bad_mode_is_refused(viewer):
    response = viewer.get("/xuat/summary.csv?period=2023&mode=draft")
    assert response.status_code == 400
    assert "Chế độ số liệu không hợp lệ" in response.get_json()["error"]
