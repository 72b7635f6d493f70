"""The benchmark harness (bench/run.py, bench/floor.py, bench/wsgi_bench.py): its pure parts,
the floor and bare apps through Flask's test client, and the replayed callback requests against
the demo application. No gunicorn and no timing is asserted here: the harness prints figures."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from flask import Flask
from werkzeug.test import Client

from bench import floor, run, wsgi_bench
from tests.conftest import AuthActions


def timing(label: str, *samples: float, errors: int = 0) -> run.Timing:
    return run.Timing(label, list(samples), errors)


def spec(label: str, page: str = "/") -> run.MainCallback:
    return run.MainCallback(page, label, f"{label}.children")


def fake_run(scale="provincial", cache="cold", database="sqlite", floor_ms=10.0, **extra):
    """A run whose floor p95 is `floor_ms` and whose two callbacks have p95 of 5× and 30× it."""
    return run.RunResult(
        scale=scale,
        database=database,
        cache=cache,
        floor=timing("floor", floor_ms / 2, floor_ms),
        callbacks=[
            (spec("fast"), timing("fast", 5 * floor_ms)),
            (spec("slow", "/bao-cao"), timing("slow", 30 * floor_ms)),
        ],
        **extra,
    )


# --- figures and verdicts ------------------------------------------------------------------------


def test_percentiles_are_nearest_rank_and_empty_is_not_a_number():
    """Catches an off-by-one percentile (p95 of 20 samples must be the 19th, not the 20th or an
    interpolation) and a crash when every request of a callback failed (no samples)."""
    values = [float(v) for v in range(1, 21)]
    assert run.percentile(values, 0.95) == 19.0
    assert run.percentile(values, 0.50) == 10.0
    assert run.percentile(reversed(values), 0.95) == 19.0  # order does not matter
    assert math.isnan(run.percentile([], 0.95))
    assert math.isnan(timing("x", errors=3).p95)


def test_judge_at_most_at_least_and_zero_limits():
    """Catches an inverted verdict for "at least" targets (API throughput), a 0-errors target
    passed with errors, a miss reported by the wrong amount, and an unmeasured value passing."""
    at_most = run.target_for("callback-cold", "provincial")  # ≤ 7
    assert run.judge(7.0, at_most).ok and run.judge(3.0, at_most).ok
    missed = run.judge(10.5, at_most)
    assert not missed.ok and missed.missed_by == "by 50%" and missed.text == "MISS (by 50%)"
    at_least = run.target_for("api", "national")  # ≥ 0.5
    assert run.judge(0.5, at_least).ok and run.judge(0.9, at_least).ok
    assert run.judge(0.4, at_least).missed_by == "by 20%"
    errors = run.target_for("load-errors", "provincial")  # 0 errors
    assert run.judge(0, errors).ok
    assert run.judge(3, errors).missed_by == "by 3"
    assert not run.judge(math.nan, at_most).ok


def test_targets_are_the_issues():
    """Catches a target typed wrong or held at the wrong scale (the issue's numbers: 7× and 20×
    cold, 2× warm, 0 errors and 1 s for viewers at provincial scale, API 0.7× and 0.5×, RSS
    300 MB at national scale)."""
    expected = {
        ("callback-cold", "provincial"): (7, True),
        ("callback-cold", "national"): (20, True),
        ("callback-warm", "provincial"): (2, True),
        ("callback-warm", "national"): (2, True),
        ("load-errors", "provincial"): (0, True),
        ("load-p95", "provincial"): (1000, True),
        ("api", "provincial"): (0.7, False),
        ("api", "national"): (0.5, False),
        ("rss", "national"): (300, True),
    }
    assert {(t.measure, t.scale): (t.limit, t.upper) for t in run.TARGETS} == expected
    assert run.target_for("rss", "provincial") is None
    assert run.target_for("load-p95", "national") is None


def test_callback_ratio_is_to_the_floor_of_the_same_run_and_the_scales_target():
    """Catches a ratio taken to another run's floor (or to the p50), and a callback held to the
    provincial target at national scale or to the cold target when warm."""
    cold = run.checks_of(fake_run("national", "cold", floor_ms=8.0))
    rows = {c.measurement: c for c in cold}
    assert rows["fast (/)"].value == pytest.approx(5.0)
    assert rows["slow (/bao-cao)"].value == pytest.approx(30.0)
    assert rows["fast (/)"].target.limit == 20 and rows["fast (/)"].verdict.ok
    assert not rows["slow (/bao-cao)"].verdict.ok
    assert rows["floor: minimal Dash callback"].target is None
    warm = {c.measurement: c for c in run.checks_of(fake_run("provincial", "warm"))}
    assert warm["fast (/)"].target.limit == 2 and not warm["fast (/)"].verdict.ok


def test_load_api_and_rss_rows():
    """Catches the load, API or RSS figures missing from the table, their targets applied at the
    wrong scale (RSS has none at provincial scale) or the API ratio inverted."""
    load = run.LoadResult(50, 60.0, 60.0, 3000, 2, 120.0, 900.0, {"500": 2})
    api = run.ApiResult(
        run.Throughput(run.API_PATH, 8, 10.0, 600, 0),
        run.Throughput(run.BARE_PATH, 8, 10.0, 1000, 0),
    )
    rss = {101: 180.0, 102: 320.0}
    rows = run.checks_of(fake_run("provincial", "warm", load=load, api=api, rss_mb=rss))
    by_measure = {c.target.measure if c.target else c.measurement: c for c in rows}
    assert by_measure["load-errors"].value == 2 and not by_measure["load-errors"].verdict.ok
    assert "500: 2" in by_measure["load-errors"].shown
    assert by_measure["load-p95"].value == 900.0 and by_measure["load-p95"].verdict.ok
    assert by_measure["api"].value == pytest.approx(0.6) and not by_measure["api"].verdict.ok
    assert by_measure["peak RSS per worker"].value == 320.0
    assert by_measure["peak RSS per worker"].target is None
    national = run.checks_of(fake_run("national", "warm", rss_mb=rss))
    assert not next(c for c in national if c.measurement == "peak RSS per worker").verdict.ok


def test_summary_reports_the_worst_measurement_and_the_miss():
    """Catches a summary that reports the best callback (or the first) instead of the worst, or
    counts misses wrong."""
    checks = run.checks_of(fake_run("provincial", "cold"))
    [summary] = [s for s in run.summaries(checks) if s.target.measure == "callback-cold"]
    assert summary.worst.measurement == "slow (/bao-cao)"
    assert not summary.verdict.ok and summary.missed == 1
    assert "MISSED by 329%" in summary.line() and "1 of 2 met" in summary.line()


def test_a_callback_that_did_not_answer_is_a_miss_not_a_pass():
    """Catches a main callback that failed (e.g. the report raising at national scale) dropped
    silently from the table, or its target reported as met on the other callbacks alone."""
    result = fake_run("national", "cold")
    result.callbacks = result.callbacks[:1]  # the fast one only: 5× floor, under 20×
    result.unanswered = [(spec("report", "/bao-cao"), "answered 500 without rp-download")]
    rows = {c.measurement: c for c in run.checks_of(result)}
    row = rows["report (/bao-cao)"].row()
    assert row[2].startswith("NOT ANSWERED: answered 500") and row[4].startswith("MISS")
    [summary] = [s for s in run.summaries(list(rows.values())) if s.target.measure != "rss"]
    assert not summary.verdict.ok
    assert "not answered: report (/bao-cao)" in summary.line()


def test_results_markdown_has_machine_command_targets_and_table():
    """Catches a RESULTS.md without the command to reproduce it, the machine, a target's
    verdict or a measurement row (e.g. a configuration dropped)."""
    machine = run.Machine("Test CPU", 2, 8.0, "Test OS", "3.11.0", "15.2", "7.0.0")
    runs = [fake_run("provincial", "cold"), fake_run("national", "warm", database="postgresql")]
    prepared = [run.Prepared("provincial", "sqlite", 3.5, 239, 5150)]
    text = run.render_results(
        machine,
        "python -m bench.run --quick",
        runs,
        prepared,
        {"period": "2023"},
        dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC),
    )
    assert "Date: 2025-01-02 03:04 UTC" in text
    assert "```\npython -m bench.run --quick\n```" in text
    for cell in ("Test CPU (2 cores)", "8.0 GB", "Test OS", "| PostgreSQL | 15.2 |", "7.0.0"):
        assert cell in text
    assert "| provincial | sqlite | 239 | 5,150 | 3.5 s |" in text
    assert "main callbacks, cold, provincial, sqlite — target p95 ≤ 7× floor: MISSED" in text
    assert "main callbacks, warm, national, postgresql — target p95 ≤ 2× floor: MISSED" in text
    assert "| national · postgresql · warm | slow (/bao-cao) |" in text
    assert text.count("| provincial · sqlite · cold |") == 3  # floor and two callbacks


def test_text_and_markdown_tables_keep_columns():
    """Catches a table whose rows are not aligned with the header, and a `|` in a value
    breaking the markdown table."""
    rows = [["a", "b|c", "1", "—", "PASS"]]
    text = run.text_table(rows).splitlines()
    assert text[0].startswith("configuration") and text[2].startswith("a ")
    assert "b\\|c" in run.markdown_table(rows)


# --- options and safety --------------------------------------------------------------------------


def test_quick_sets_small_numbers_but_explicit_options_win():
    """Catches --quick overriding what was asked explicitly, or defaults not the issue's (30
    requests, 50 viewers, 60 s)."""
    full = run.parse_args([])
    assert (full.requests, full.viewers, full.duration) == (30, 50, 60.0)
    assert full.scales == ["provincial", "national"]
    assert full.databases == ["sqlite", "postgresql"]
    quick = run.parse_args(["--quick", "--requests", "7", "--databases", "sqlite"])
    assert quick.requests == 7 and quick.duration == 5.0 and quick.databases == ["sqlite"]
    with pytest.raises(SystemExit):
        run.parse_args(["--port", "8050"])  # outside 8300-8349
    with pytest.raises(SystemExit):
        run.parse_args(["--databases", "mysql"])


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@10.0.0.5:5432/bench_prov",
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://postgres@127.0.0.1:5432/template_bench",
    ],
)
def test_only_local_bench_databases_are_dropped(url):
    """Catches the harness dropping a database it does not own: another host, postgres, test
    or a template."""
    with pytest.raises(run.SetupError):
        run.check_postgresql_url(url)
    run.check_postgresql_url(run.POSTGRESQL_URLS["national"])  # its own is accepted


# --- the floor and the bare app ------------------------------------------------------------------


def test_floor_callback_answers_a_17_bar_figure():
    """Catches a floor that does not answer (every ratio would then divide by an error's time)
    or that does less than a chart callback (no figure, not 17 bars)."""
    app = floor.create_floor_app()
    response = app.server.test_client().post("/_dash-update-component", json=floor.request_body(4))
    assert response.status_code == 200
    figure = response.get_json()["response"][floor.GRAPH_ID]["figure"]
    [bars] = figure["data"]
    assert bars["type"] == "bar" and len(bars["x"]) == floor.BARS == 17
    assert bars["y"] != floor.bars(5)[1]  # built from the input


def test_bare_app_serves_the_files_bytes_and_content_type(tmp_path):
    """Catches a bare baseline that re-encodes the API's answer (other bytes, other size),
    drops its content type, or keeps serving an older file."""
    path = tmp_path / "kpis.json"
    client = wsgi_bench.create_bare_app(path).test_client()
    assert client.get("/api/v1/kpis").status_code == 503  # not written yet
    body = '{"data": [{"name": "Tỷ lệ hồ sơ"}]}'.encode()
    path.write_bytes(body)
    (tmp_path / ("kpis.json" + wsgi_bench.CONTENT_TYPE_SUFFIX)).write_text("application/json")
    response = client.get("/api/v1/kpis?period=2023")
    assert response.status_code == 200 and response.data == body
    assert response.headers["Content-Type"] == "application/json"
    path.write_bytes(body + b" ")
    assert client.get("/api/v1/kpis").data == body + b" "


def test_dispatcher_mounts_floor_and_bare_where_the_harness_calls_them(tmp_path):
    """Catches the harness's paths (`/_floor/_dash-update-component`, `/_bare/api/v1/kpis`)
    falling through to the application, or the application losing `/`."""
    main = Flask("stub")
    main.add_url_rule("/", "index", lambda: "main")
    main.add_url_rule("/api/v1/kpis", "kpis", lambda: "real api")
    (tmp_path / "kpis.json").write_bytes(b"{}")
    client = Client(wsgi_bench.build(lambda: main, tmp_path / "kpis.json"))
    assert client.get("/").get_data() == b"main"
    assert client.get(run.API_PATH).get_data() == b"real api"
    assert client.get(run.BARE_PATH).get_data() == b"{}"
    response = client.post(run.FLOOR_PATH, json=floor.request_body())
    assert response.status_code == 200 and floor.GRAPH_ID in response.get_json()["response"]


# --- the replayed requests -----------------------------------------------------------------------


def test_callback_table_covers_every_page_of_the_issue():
    """Catches a page of the issue left out of the callback table (or a page not in the issue
    added), and two rows measuring the same request."""
    assert {c.page for c in run.CALLBACKS} == set(run.PAGES)
    assert len(run.PAGES) == 8
    keys = [(c.output, c.match, c.clicks, c.page) for c in run.CALLBACKS]
    assert len(set(keys)) == len(keys)


def test_pattern_ids_and_clicks_are_sent_as_the_browser_sends_them():
    """Catches a MATCH id sent as its pattern (Dash answers 500), a prop absent from the layout
    sent as null instead of without a value, and a click not named as the trigger."""
    dependency = {
        "output": '..{"name":["MATCH"],"type":"g"}.rowData...x.children..',
        "inputs": [
            {"id": '{"name":["MATCH"],"type":"r"}', "property": "data"},
            {"id": "btn", "property": "n_clicks"},
        ],
        "state": [{"id": "other", "property": "value"}],
    }
    components = {'{"name":"a","type":"r"}': {"data": 3}, "btn": {}, "other": {}}
    body = run.callback_body(dependency, components, {"name": "a"}, {"btn.n_clicks": 1})
    assert body["outputs"][0] == {"id": {"name": "a", "type": "g"}, "property": "rowData"}
    assert body["inputs"][0] == {"id": {"name": "a", "type": "r"}, "property": "data", "value": 3}
    assert body["inputs"][1]["value"] == 1 and body["changedPropIds"] == ["btn.n_clicks"]
    assert body["state"] == [{"id": "other", "property": "value"}]
    with pytest.raises(run.SetupError):
        run.callback_body(dependency, {}, {"name": "a"})  # not in the page's layout
    with pytest.raises(run.SetupError):
        run.resolve_id('{"name":["ALL"],"type":"r"}', {})


def test_every_main_callback_answers_the_replayed_request(app):
    """Catches a row of the table that no longer names a callback (an output renamed), a body
    the server refuses (400/500) or answers without its output (e.g. the report failing), so
    that the harness would stop; built exactly as the harness builds them, as the viewer."""
    client = app.test_client()
    AuthActions(client).login("viewer")

    def call(method, path, payload=None):
        response = client.get(path) if method == "GET" else client.post(path, json=payload)
        return response.status_code, response.get_json(silent=True)

    requests = run.prepare_requests(call)
    assert [r.spec for r in requests] == list(run.CALLBACKS)
    for request in requests:
        status, payload = call("POST", run.DASH_PATH, request.body)
        assert status == 200, request.spec.label
        assert run.answered(payload, request.first_output), request.spec.label
    choices = run.viewer_choices(requests)
    views = {path: bodies for kind, path, bodies in choices if kind == "view"}
    assert len(views["/?period=2023"]) == 1 and views["/bao-cao?period=2023"] == []
