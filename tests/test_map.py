"""The district map: a Plotly choropleth on the shared district boundaries (no tile server), a
colour bar with the unit and the target, hover with the district and its figure against the
target, the GSO code in `customdata` for drill-down; a Vietnamese message, logged once, when
the boundary file is missing or invalid."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts
from dashboard.components import maps
from dashboard.services import indicators as svc
from tests.conftest import add_unit_targets

GEOJSON = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / ("gia_lai_districts_2021_2025.geojson")
)
CODES = {str(c) for c in [*range(622, 636), 637, 638, 639]}

needs_file = pytest.mark.skipif(not GEOJSON.exists(), reason="shared boundary file not present")


@pytest.fixture
def map_app(database_url, app_factory):
    return app_factory(database_url, BOUNDARIES_GEOJSON=str(GEOJSON))


def district_targets(app, values: dict[str, float], code="GOV-C8_4", year=2025) -> None:
    with app.app_context():
        session = app.extensions["db"].session()
        add_unit_targets(session, code, year, values)
        session.commit()


def build(app, code="GOV-C8_4", period="2023", district=None, approved_only=False):
    with app.test_request_context():
        session = app.extensions["db"].session()
        q = charts.ChartQuery(
            svc.get_period(session, period),
            svc.district_by_code(session, district) if district else None,
            svc.get_indicator(session, code),
            approved_only,
        )
        fig = charts.map_chart(session, q)
        frame = svc.by_district(session, q.indicator, q.period, approved_only)
        target = svc.target_for(q.indicator)
    return fig, frame, target


@needs_file
@pytest.mark.db
def test_the_province_target_colours_no_district(map_app):
    """Catches the province's target (97% of the province's communes) applied unchanged to
    each district: without targets of their own the districts have no status and the map no
    target in its legend."""
    fig, _frame, target = build(map_app)
    assert target is not None and target.target_value == 97  # the province has one
    assert "mục tiêu" not in fig.data[0].colorbar.title.text
    statuses = {c[3] for c in fig.data[0].customdata}
    assert statuses == {"Chưa có mục tiêu riêng"}


@needs_file
def test_boundaries_load_one_polygon_per_district():
    """Catches a loader that drops districts or keys them by anything but the GSO code."""
    geo = maps.load_boundaries(str(GEOJSON))
    assert {f["id"] for f in geo["features"]} == CODES
    assert all(f["properties"]["gso_code"] == f["id"] for f in geo["features"])


@needs_file
def test_rings_are_wound_for_plotly():
    """Bug: GeoJSON's counter-clockwise outer rings made Plotly paint the whole frame (d3 reads
    them as "everything but the district"); outer rings are clockwise once loaded."""
    geo = maps.load_boundaries(str(GEOJSON))
    for feature in geo["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for rings in polygons:
            assert maps._signed_area(rings[0]) < 0, feature["id"]


@needs_file
@pytest.mark.db
def test_map_is_a_choropleth_of_the_17_districts(map_app):
    """Catches the old scatter/tile map, a base map that needs a tile server, or values that
    are not the page's figures."""
    fig, frame, _target = build(map_app)
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert trace.type == "choropleth"
    assert trace.featureidkey == "properties.gso_code"
    # The figure names the boundaries' URL (fetched once, kept a year) instead of carrying them.
    assert trace.geojson == maps.boundaries_url(str(GEOJSON))
    assert sorted(trace.locations) == sorted(CODES)
    values = frame.set_index("district_code")["value"]
    assert list(trace.z) == pytest.approx([values[c] for c in trace.locations])
    geo = fig.layout.geo
    assert geo.visible is False and geo.fitbounds == "locations"
    assert "mapbox" not in fig.to_plotly_json()["layout"]


@needs_file
@pytest.mark.db
def test_map_legend_names_the_unit_and_the_target(map_app):
    """Catches a map without a legend or without the target the districts share."""
    district_targets(map_app, dict.fromkeys(CODES, 97))
    fig, _frame, target = build(map_app)
    bar = fig.data[0].colorbar
    assert "Tỷ lệ (%)" in bar.title.text and "mục tiêu 97%" in bar.title.text
    assert "▲97%" in bar.ticktext
    assert fig.data[0].zmin == 0 and fig.data[0].zmax == 100
    # diverging at the target: the colour jumps where the target is met
    stops = [s for s, _c in fig.data[0].colorscale]
    assert stops.count(pytest.approx(target.target_value / 100)) == 2


@needs_file
@pytest.mark.db
def test_hover_and_customdata_carry_code_name_figure_and_status(map_app):
    """Catches a map whose click cannot drill down (no GSO code) or whose hover does not say
    the district, the formatted figure and whether it meets its own target (districts with
    different targets, one without)."""
    own = {code: (50 if int(code) % 2 else 99) for code in sorted(CODES)[1:]}
    district_targets(map_app, own)
    fig, frame, _target = build(map_app)
    trace = fig.data[0]
    rows = frame.set_index("district_code")
    for location, custom in zip(trace.locations, trace.customdata, strict=True):
        code, name, display, status = custom
        assert code == location
        assert name == rows.loc[code, "district"] and display == rows.loc[code, "display"]
        if code not in own:
            assert status == "Chưa có mục tiêu riêng"
            continue
        met = rows.loc[code, "value"] >= own[code]
        assert status == ("Đạt mục tiêu" if met else "Chưa đạt mục tiêu")
    assert "mục tiêu" not in trace.colorbar.title.text  # no one target to draw
    assert "%{customdata[1]}" in trace.hovertemplate
    assert "%{customdata[3]}" in trace.hovertemplate


@needs_file
@pytest.mark.db
def test_districts_without_a_figure_are_grey_and_the_chosen_one_outlined(map_app):
    """Catches districts without a figure coloured as 0% (not met) rather than "no figure",
    and a chosen district that is not marked."""
    fig, _frame, _target = build(map_app, period="2024", approved_only=True, district="622")
    grey = [t for t in fig.data if t.showscale is False]
    assert len(grey) == 1 and sorted(grey[0].locations) == sorted(CODES)
    assert grey[0].geojson == fig.data[0].geojson == maps.boundaries_url(str(GEOJSON))
    assert all(c[3] == "" for c in grey[0].customdata)
    widths = dict(zip(grey[0].locations, grey[0].marker.line.width, strict=True))
    assert widths["622"] > widths["623"]


@needs_file
@pytest.mark.db
def test_boundaries_are_served_once_for_every_map(map_app, database_url, app_factory):
    """Catches boundaries shipped in every callback answer (105 KB each time) instead of one
    public URL the browser keeps, a URL that does not change when the file does (a stale map
    for a year), and a map that needs a login or sets a cookie (embeds are public)."""
    client = map_app.test_client()
    url = maps.boundaries_url(str(GEOJSON))
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.mimetype == "application/geo+json"
    assert "immutable" in answer.headers["Cache-Control"]
    assert "Set-Cookie" not in answer.headers
    assert json.loads(answer.get_data()) == maps.load_boundaries(str(GEOJSON))
    stale = client.get(maps.BOUNDARIES_PATH + "?v=old")
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]
    assert app_factory(database_url).test_client().get(url).status_code == 404


@pytest.mark.db
@pytest.mark.parametrize("content", [None, "{not json", '{"type": "FeatureCollection"}'])
def test_missing_or_invalid_file_gives_a_message_logged_once(
    database_url, app_factory, tmp_path, caplog, content
):
    """Catches a broken map (or the old tile grid) when the boundary file is missing or
    invalid, and a warning repeated on every request."""
    path = tmp_path / "ranh-gioi.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    maps._warned.clear()
    app = app_factory(database_url, BOUNDARIES_GEOJSON=str(path))
    with caplog.at_level(logging.WARNING, logger="dashboard.components.maps"):
        fig, _frame, _target = build(app)
        build(app)
    assert fig.data == ()
    text = fig.layout.annotations[0].text
    assert "Không hiển thị được bản đồ" in text and "BOUNDARIES_GEOJSON" in text
    warnings = [r for r in caplog.records if str(path) in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.db
def test_no_file_configured_gives_the_message(app):
    """Catches a map that pretends to draw districts without any boundary file."""
    with app.test_request_context():
        session = app.extensions["db"].session()
        q = charts.ChartQuery(
            svc.get_period(session, "2023"), None, svc.get_indicator(session, "GOV-C8_4")
        )
        fig = charts.map_chart(session, q)
    assert "BOUNDARIES_GEOJSON" in fig.layout.annotations[0].text


def test_unmatched_codes_say_so():
    """Catches an empty map drawn when the file's codes match no district."""
    geo = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"gso_code": "999"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
            }
        ],
    }
    frame = pd.DataFrame(
        {"district_code": ["622"], "district": ["Pleiku"], "value": [50.0], "display": ["50%"]}
    )
    fig = maps.district_map(frame, maps._check(geo), percent=True, target=60)
    assert "không có huyện nào khớp" in fig.layout.annotations[0].text


@needs_file
@pytest.mark.db
def test_the_map_embed_is_the_choropleth(map_app):
    """Catches the embed `tong-quan-ban-do` breaking with the new map: it shows the same
    choropleth, on approved figures."""
    client = map_app.test_client()
    response = client.get("/nhung/tong-quan-ban-do?period=2022&indicator=GOV-C8_4")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.index('id="chart-data">') + len('id="chart-data">')
    figure = json.loads(html[start : html.index("</script>", start)])
    assert figure["data"][0]["type"] == "choropleth"
    assert len(figure["data"][0]["locations"]) == 17


@pytest.mark.db
def test_district_bar_has_a_legend_for_its_colours(app):
    """Bug: red and green bars had no legend (districts with targets of their own)."""
    with app.app_context():
        session = app.extensions["db"].session()
        add_unit_targets(session, "GOV-D9_5", 2025, dict.fromkeys(CODES, 60))
        session.commit()
    with app.test_request_context():
        session = app.extensions["db"].session()
        q = charts.ChartQuery(
            svc.get_period(session, "2023"), None, svc.get_indicator(session, "GOV-D9_5")
        )
        fig = charts.by_district_chart(session, q)
    names = [t.name for t in fig.data if t.showlegend]
    assert names == ["Đạt mục tiêu", "Chưa đạt mục tiêu"]
    assert fig.layout.showlegend is True
    assert fig.data[0].showlegend is False  # the bars themselves are not a legend entry
