"""The period report at a scale beyond one province: a chart by district with more bars than a
page holds is drawn in parts, so the PDF is made instead of failing (reportlab cannot lay out
one drawing taller than a page)."""

from __future__ import annotations

import io

import pypdf
import pytest

from bench.generate import generate
from dashboard.services import report_pdf
from dashboard.services.period_report import Bar, Chart
from tests.conftest import AuthActions, make_app

PASSWORD = "demo-ntm-2025"  # the generator's demo accounts


def test_a_long_chart_is_cut_into_parts_of_a_page():
    """Catches a chart drawn whole (7,000 pt for 700 districts) and parts that lose or repeat
    a bar."""
    bars = [Bar(f"{i:03}", f"Huyện {i}", float(i % 100), f"{i % 100}%") for i in range(130)]
    parts = report_pdf.chart_parts(Chart(title="C8.4 — 2023", bars=bars, percent=True))
    assert [p.title for p in parts] == [f"C8.4 — 2023 ({n}/3)" for n in (1, 2, 3)]
    assert [b for p in parts for b in p.bars] == bars
    assert all(len(p.bars) <= report_pdf.MAX_BARS for p in parts)


@pytest.mark.db
def test_the_pdf_of_a_country_of_districts_is_made(tmp_path):
    """Bug found by the benchmark at national scale: with ~700 districts the PDF answered 500
    (LayoutError: a chart taller than the page). With 81 districts it must be made, with its
    district charts in parts."""
    url = f"sqlite:///{tmp_path / 'country.sqlite'}"
    generate(url, structure="old", provinces=8, districts=8, communes=2)
    app = make_app(url, DEMO_PASSWORD=PASSWORD)
    client = app.test_client()
    assert AuthActions(client).login("viewer", PASSWORD).status_code == 302
    answer = client.get("/bao-cao/ky/2023.pdf")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(answer.data)).pages)
    assert "(1/2)" in text and "(2/2)" in text
    app.extensions["db"].dispose()
