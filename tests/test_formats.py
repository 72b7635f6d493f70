"""Vietnamese formats everywhere: charts, grids and downloads show `2.710`, `52,2%`, never
`2710.0` or `2.0`; downloads carry title rows and keep numbers as numbers; gaps read as
sentences."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import plotly.io as pio
import pytest

from dashboard import charts
from dashboard.components import grids
from dashboard.i18n import D3_NUMBER, fmt_datetime, fmt_number, fmt_pct, number_digits
from dashboard.models import Target
from dashboard.services import indicators as svc
from tests.conftest import add_unit_targets
from tests.test_exports import read_csv, read_xlsx, split_csv

pytestmark = pytest.mark.db

ARTEFACT = re.compile(r"\d\.0(?!\d)")  # `2710.0`, `2.0`: a float shown as Python prints it


def _texts(fig) -> list[str]:
    """Every text a figure shows: labels, hover templates, annotations, tick labels."""
    data = fig.to_plotly_json()
    out = []
    for trace in data["data"]:
        for key in ("text", "hovertext", "hovertemplate", "texttemplate", "name"):
            value = trace.get(key)
            if isinstance(value, str):
                out.append(value)
            elif value is not None:
                out += [str(v) for v in value]
    for annotation in data["layout"].get("annotations", []):
        out.append(str(annotation.get("text", "")))
    for axis in ("xaxis", "yaxis"):
        out += [str(t) for t in data["layout"].get(axis, {}).get("ticktext", []) or []]
    return out


@pytest.fixture
def ctx(ro_app):
    with ro_app.test_request_context():
        yield ro_app.extensions["db"].session()


def query(session, code: str, period: str = "2023", **kwargs) -> charts.ChartQuery:
    return charts.ChartQuery(
        svc.get_period(session, period), None, svc.get_indicator(session, code), **kwargs
    )


def test_number_formatting_in_both_languages(ro_app):
    """Catches floats shown as Python prints them (`2710.0`) or with English separators in
    Vietnamese."""
    with ro_app.test_request_context("/?lang=vi"):
        from flask import g

        g.lang = "vi"
        assert fmt_number(2710.0) == "2.710"
        assert fmt_number(2.0) == "2"
        assert fmt_number(15085) == "15.085"
        assert fmt_pct(52.197) == "52,2%" and fmt_pct(100.0) == "100%"
        assert fmt_number(float("nan")) == "–" and fmt_pct(None) == "–"
        g.lang = "en"
        assert fmt_number(2710.0) == "2,710" and fmt_pct(52.197) == "52.2%"


def test_number_digits_tells_counts_decimals_and_text_apart():
    """Catches a column of whole floats (`95.0`) exported or shown with decimals, or a boolean
    or text column taken for numbers."""
    assert number_digits([95.0, None, 182.0]) == 0
    assert number_digits([52.197, float("nan")]) == 1
    assert number_digits([True, False]) is None
    assert number_digits(["622", "623"]) is None
    assert number_digits([None, pd.NA]) is None


def test_training_chart_shows_counts_the_vietnamese_way(ctx):
    """Bug: the participants-by-year chart showed `2710.0`; labels are formatted text, the
    value axis uses the d3 pattern with the figure's vi separators, years stay categories
    (not `2.021`)."""
    fig = charts.training_year_chart(ctx)
    bar = fig.data[0]
    assert fig.layout.separators == ",."
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.yaxis.tickformat == D3_NUMBER
    assert list(bar.text) == [fmt_number(v) for v in bar.y]
    assert any("." in t for t in bar.text), "the demo has a year with more than 999 people"
    assert "%{text}" in bar.hovertemplate
    assert not [t for t in _texts(fig) if ARTEFACT.search(t)]


@pytest.mark.parametrize(
    "build",
    [
        charts.pilot_status_chart,
        charts.pilot_field_chart,
        charts.training_audience_chart,
    ],
)
def test_registry_charts_have_no_float_artefacts(ctx, build):
    """Bug: count bars showed `2.0`; every label and hover text is formatted text."""
    fig = build(ctx)
    assert not [t for t in _texts(fig) if ARTEFACT.search(t)]
    assert all(isinstance(t, str) for t in fig.data[0].text)


def test_district_bar_labels_hover_and_legend(ctx):
    """Catches red and green bars without a legend, hover texts that are not the page's
    figures, or a value axis without the vi number format."""
    q = query(ctx, "GOV-C8_4")
    units = svc.reporting_units(ctx, q.period)
    own = {u.gso_code: 97.0 for u in units[1:]}  # the first district has no target of its own
    add_unit_targets(ctx, "GOV-C8_4", 2025, own)
    ctx.flush()  # never committed: the shared read-only database is left as it was
    try:
        ctx.expire(q.indicator, ["targets"])
        fig = charts.by_district_chart(ctx, q)
        frame = svc.by_district(ctx, q.indicator, q.period)
    finally:
        ctx.rollback()
    bars = fig.data[0]
    displays = dict(zip(frame["district"], frame["display"], strict=True))
    assert {y: t for y, t in zip(bars.y, bars.text, strict=True)} == displays
    assert "%{text}" in bars.hovertemplate and "%{customdata[1]}" in bars.hovertemplate
    for value, (code, status) in zip(bars.x, bars.customdata, strict=True):
        assert code in set(frame["district_code"])
        if code not in own:
            assert status == "Chưa có mục tiêu riêng"
        else:
            assert status == ("Đạt mục tiêu" if value >= own[code] else "Chưa đạt mục tiêu")
    legend = [t.name for t in fig.data[1:] if t.showlegend]
    assert legend == ["Đạt mục tiêu", "Chưa đạt mục tiêu", "Chưa có mục tiêu riêng"]
    assert fig.layout.xaxis.tickformat == D3_NUMBER and fig.layout.xaxis.ticksuffix == "%"
    assert not [t for t in _texts(fig) if ARTEFACT.search(t)]


def test_count_trend_has_no_float_artefacts(ctx):
    """Bug: the pilot count trend read `1.0`; its axis uses the vi number pattern."""
    ind = svc.get_indicator(ctx, "PILOT-SMART")
    figures = svc.trend(ctx, ind)
    fig = charts.trend_figure(ind, figures, None, ind.short_name)
    assert fig.layout.yaxis.tickformat == D3_NUMBER
    assert list(fig.data[0].text) == [f.display for f in figures]
    assert not [t for t in _texts(fig) if ARTEFACT.search(t)]
    assert "%{text}" in fig.data[0].hovertemplate


def test_percent_trend_ticks_are_vietnamese_percents(ctx):
    """Catches tick labels built with `str()` rather than the formatting module."""
    q = query(ctx, "GOV-DOSSIER-COMM")
    fig = charts.trend_chart(ctx, q)
    assert list(fig.layout.yaxis.ticktext) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert all(re.fullmatch(r"[\d,]+%", t) for t in fig.data[0].text)


def test_chart_json_in_english_uses_english_separators(ro_app):
    """Catches charts that keep the Vietnamese separators in English."""
    with ro_app.test_request_context("/?lang=en"):
        from flask import g

        g.lang = "en"
        session = ro_app.extensions["db"].session()
        fig = charts.training_year_chart(session)
    assert fig.layout.separators == ".,"
    assert any("," in t for t in fig.data[0].text)
    assert '"separators":".,"' in pio.to_json(fig)


# --- gaps to the target ----------------------------------------------------------------------


def _progress(value_num, value_den, target, *, rollup="share_meeting", unit="") -> svc.Progress:
    fig = svc.Figure(
        indicator="X",
        period="2023",
        numerator=value_num,
        denominator=value_den,
        expected=10,
        reported=10,
        rollup=rollup,
        unit=unit,
    )
    return svc.Progress(fig, Target(target_value=target, target_year=2025), None)


@pytest.mark.parametrize(
    ("prog", "text"),
    [
        (_progress(95, 182, 97), "Còn thiếu 44,8 điểm phần trăm"),
        (_progress(1, 2, 60), "Còn thiếu 10 điểm phần trăm"),
        (_progress(97, 100, 97), "Đã đạt mục tiêu"),
        (_progress(99, 100, 97), "Đã vượt mục tiêu"),
        (_progress(0, None, 1, rollup="count_rows", unit="mô hình"), "Còn thiếu 1 mô hình"),
    ],
)
def test_gap_reads_as_a_sentence(ro_app, prog, text):
    """Bug: the gap read "Còn thiếu: Đã đạt" and "12,3 điểm %"."""
    with ro_app.test_request_context():
        assert svc.gap_text(prog) == text


# --- grids -----------------------------------------------------------------------------------


def test_records_grid_keeps_numbers_and_formats_them(ctx):
    """Bug: the grid showed `15085`: numeric columns are numbers (numeric sort) with a vi
    formatter; codes and text stay text."""
    q = query(ctx, "GOV-DOSSIER-COMM")
    frame = svc.records(ctx, q.indicator, q.period, svc.district_by_code(ctx, "622").id)
    columns, rows = grids.grid_data(frame)
    by_label = {c["headerName"]: c for c in columns}
    numerator = by_label["Tử số"]
    assert numerator["valueFormatter"] == {"function": "viNumber(params.value, 0)"}
    assert numerator["filter"] == "agNumberColumnFilter"
    field = numerator["field"]
    assert all(isinstance(r[field], int | float) for r in rows)
    assert [r[field] for r in rows] == frame["Tử số"].tolist()
    assert "valueFormatter" not in by_label["Mã"]  # GSO codes are text
    assert all(isinstance(r[by_label["Mã"]["field"]], str) for r in rows)


def test_grid_years_and_ids_are_not_grouped():
    """Catches a year shown `2.025` or an id `1.234` because it is a number."""
    frame = pd.DataFrame({"id": [1234, 7], "Năm": [2025, 2024], "Số": [15085.0, None]})
    columns, rows = grids.grid_data(frame)
    assert "valueFormatter" not in columns[0] and "valueFormatter" not in columns[1]
    assert columns[2]["valueFormatter"] == {"function": "viNumber(params.value, 0)"}
    assert rows[1]["c2"] is None  # a gap is empty, not NaN
    percent = grids.grid_data(pd.DataFrame({"p": [52.19]}), percent=frozenset({"p"}))[0]
    assert percent[0]["valueFormatter"] == {"function": "viPercent(params.value, 1)"}


# --- downloads -------------------------------------------------------------------------------


@pytest.fixture
def viewer(client, auth):
    auth.login("viewer")
    return client


NOW = re.compile(r"\d{2}:\d{2} \d{2}/\d{2}/\d{4}")


def test_csv_download_has_title_rows_then_the_table(viewer):
    """Catches downloads that do not say which indicator, district, period and mode they
    cover, or when they were made."""
    text = viewer.get("/xuat/records.csv?indicator=GOV-C8_4&period=2023&district=622")
    title, rows = split_csv(text.get_data().decode("utf-8-sig"))
    assert title["Bảng"] == "Bản ghi nguồn"
    assert title["Chỉ tiêu"].startswith("GOV-C8_4 — Xã đạt chỉ tiêu 8.4")
    assert title["Phạm vi"] == "Thành phố Pleiku"
    assert title["Kỳ báo cáo"] == "2023"
    assert title["Số liệu"] == "Tất cả số liệu (gồm số liệu chưa phê duyệt)"
    assert NOW.fullmatch(title["Thời điểm xuất"])
    assert rows and {r["Huyện"] for r in rows} == {"Thành phố Pleiku"}

    approved, _rows = split_csv(
        viewer.get("/xuat/summary.csv?period=2023&mode=approved").get_data().decode("utf-8-sig")
    )
    assert approved["Số liệu"] == "Chỉ số liệu đã phê duyệt"
    assert approved["Phạm vi"] == "Toàn tỉnh"


def test_csv_columns_have_one_style_each(viewer, session):
    """Bug: a CSV mixed `23.076923076923077` with `23,1%`: percents are rounded to 1 decimal in
    a `(%)` column beside the page's text, counts have no `.0`, and the values match the
    page's figures."""
    rows = read_csv(viewer.get("/xuat/by-district.csv?indicator=GOV-C8_4&period=2023"))
    frame = svc.by_district(
        session, svc.get_indicator(session, "GOV-C8_4"), svc.get_period(session, "2023")
    )
    expected = frame.set_index("district_code")
    for row in rows:
        page = expected.loc[row["Mã"]]
        assert row["Đạt/Tổng"] == page["display"]
        assert row["Giá trị (%)"] == str(round(page["value"], 1))
        assert row["Tử số"] == str(round(page["numerator"]))
        assert not ARTEFACT.search(row["Tử số"] + row["Mẫu số"])
        assert re.fullmatch(r"\d+(\.\d)?", row["Giá trị (%)"])
    summary = {r["Mã"]: r for r in read_csv(viewer.get("/xuat/summary.csv?period=2023"))}
    assert summary["GOV-C8_4"]["Tử số"] == "95" and summary["GOV-C8_4"]["Mẫu số"] == "182"


def test_xlsx_keeps_numbers_with_display_formats(viewer, session):
    """Catches an XLSX whose numbers are text, lack a display format, or whose percents do not
    match the page (52,2% is stored 0.522 with `0.0%`); the header is bold and frozen."""
    payload = viewer.get("/xuat/by-district.xlsx?indicator=GOV-C8_4&period=2023").get_data()
    title, header, rows = read_xlsx(payload)
    assert title["Chỉ tiêu"].startswith("GOV-C8_4") and title["Phạm vi"] == "Toàn tỉnh"
    frame = svc.by_district(
        session, svc.get_indicator(session, "GOV-C8_4"), svc.get_period(session, "2023")
    ).set_index("district_code")
    value_col, num_col = header.index("Giá trị (%)"), header.index("Tử số")
    for row in rows:
        assert row[value_col] == pytest.approx(frame.loc[row[0], "value"] / 100)
        assert row[num_col] == frame.loc[row[0], "numerator"] and isinstance(row[num_col], int)

    sheet = openpyxl.load_workbook(io.BytesIO(payload)).active
    header_row = len(title) + 2
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert all(c.font.bold for c in sheet[header_row] if c.value)
    first = sheet[header_row + 1]
    assert first[value_col].number_format == "0.0%" and first[value_col].data_type == "n"
    assert first[num_col].number_format == "#,##0"
    assert sheet.column_dimensions["B"].width >= len("Huyện Chư Prông")


def test_every_download_has_title_rows(client, auth):
    """Catches a dataset that forgot its title rows (progress and audit included)."""
    auth.login("admin")
    urls = [
        "/xuat/summary.{f}?period=2023&pillar=economy",
        "/xuat/by-district.{f}?indicator=ECO-COOP&period=2023&mode=approved",
        "/xuat/trend.{f}?indicator=ECO-COOP&district=633",
        "/xuat/records.{f}?indicator=ECO-COOP&period=2023",
        "/xuat/registry.{f}?name=cooperatives&district=622",
        "/xuat/progress.{f}?period=2023",
        "/xuat/audit.{f}",
    ]
    for url in urls:
        csv_title, _rows = split_csv(client.get(url.format(f="csv")).get_data().decode("utf-8-sig"))
        xlsx_title, header, _r = read_xlsx(client.get(url.format(f="xlsx")).get_data())
        assert csv_title.keys() == xlsx_title.keys(), url
        assert "Bảng" in csv_title and "Thời điểm xuất" in csv_title, url
        assert header[0], url
    trend, _rows = split_csv(
        client.get("/xuat/trend.csv?indicator=ECO-COOP&district=633").get_data().decode()
    )
    assert trend["Phạm vi"] == "Huyện Chư Sê" and trend["Kỳ báo cáo"] == "2021-2025"


def test_generated_at_is_vietnam_time(ro_app):
    """Catches a generated-at stamp in UTC or in English format in a Vietnamese file."""
    import datetime as dt

    with ro_app.test_request_context():
        assert fmt_datetime(dt.datetime(2026, 1, 15, 2, 30)) == "09:30 15/01/2026"
