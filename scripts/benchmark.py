"""Benchmark of the indicator engine and the HTTP endpoints: speed, memory and SQL statements.

Run from the repository root:

    .venv/bin/python scripts/benchmark.py [--database-url URL] [--repeat N] [--analyze]

Without `--database-url` the database is a fresh SQLite file in a temporary folder. Any other
URL (e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/postgres`) is prepared exactly like
`tests/conftest.py` does it: the application's tables are DROPPED and recreated, then the
reference data and the demo data are loaded. Never point it at a database whose data matters.
`--analyze` then refreshes the planner statistics: a freshly loaded PostgreSQL database has none
until autovacuum gets to it, and its plans for the indicator queries are much slower then.

What is measured (wall-clock, `time.perf_counter_ns`):

* once: the Alembic migration, `seed_reference()` and `load_demo()`;
* N times each, after one untimed warm-up run, in a fresh SQLAlchemy session per run (so lazy
  loads of indicators, levels and targets are counted, as in a request):
  `summary()` for 2023 province-wide (what the overview page computes), `by_district()` and
  `records()` for GOV-C8_4 in 2023, and `summary()` for 2023 in one district;
* N full HTTP round trips each through the Flask test client, logged in as the demo `viewer`:
  `/healthz`, the summary CSV export, the records Excel export and the overview's Dash callback
  (`POST /_dash-update-component`). The warm-up request must answer 200, and so must every
  timed one, else the script stops with a non-zero exit status.

Each timed row shows the median and the 95th percentile (nearest rank) in milliseconds, and the
number of SQL statements one run sent to the database (counted with a `before_cursor_execute`
event on the engine; for HTTP rows this includes loading the logged-in user). Then: the
`tracemalloc` peak during one overview callback, the SQL statements of that callback and the
process's maximum resident set size at the end.

This script only prints figures; it asserts nothing about time. Speed and memory are shown here,
never checked by timed tests.
"""

from __future__ import annotations

import argparse
import math
import platform
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dash
import flask
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard import create_app
from dashboard.db import Base, make_engine
from dashboard.migrate import upgrade
from dashboard.models import IndicatorValue
from dashboard.services import indicators as svc
from dashboard.services.demo import load_demo
from dashboard.services.reference import seed_reference

PASSWORD = "benchmark-password-1"
PERIOD = "2023"
INDICATOR = "GOV-C8_4"
OVERVIEW_OUTPUT = "ov-cards.children"
OVERVIEW_INPUTS = {
    "ov-period.value": PERIOD,
    "ov-district.value": "",
    "ov-indicator.value": INDICATOR,
    "data-mode.value": "all",
}


class BenchmarkError(RuntimeError):
    """A request or a step did not give the expected answer; the figures would be meaningless."""


class StatementCounter:
    """Counts the SQL statements sent through one engine."""

    def __init__(self, engine: sa.Engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_args) -> None:
        self.count += 1


@dataclass
class Row:
    label: str
    times_ns: list[int]
    statements: int | None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ns) / 1e6

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times_ns)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] / 1e6


# A run returns its elapsed time in nanoseconds and the SQL statements it issued.
Run = Callable[[], tuple[int, int]]


def measure(label: str, run: Run, repeat: int) -> Row:
    """One untimed warm-up run (it also validates the answer), then `repeat` timed runs."""
    run()
    times: list[int] = []
    statements = 0
    for _ in range(repeat):
        elapsed, statements = run()
        times.append(elapsed)
    return Row(label, times, statements)


# --- the database ----------------------------------------------------------------------------


def prepare(url: str, analyze: bool) -> list[Row]:
    """Prepare the database as tests/conftest.py `_prepare` does, timing each step once; with
    `analyze`, then refresh the planner statistics (`ANALYZE`), which `_prepare` does not do."""
    engine = make_engine(url)
    counter = StatementCounter(engine)
    if not url.startswith("sqlite"):
        with engine.begin() as conn:  # start from an empty schema every run
            Base.metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    rows = []
    start = time.perf_counter_ns()
    upgrade(url)  # Alembic uses its own engine: its statements are not counted
    rows.append(Row("migrate (alembic upgrade head)", [time.perf_counter_ns() - start], None))
    with so.Session(engine) as session:
        before, start = counter.count, time.perf_counter_ns()
        seed_reference(session)
        session.commit()
        elapsed = time.perf_counter_ns() - start
        rows.append(Row("seed_reference()", [elapsed], counter.count - before))
        before, start = counter.count, time.perf_counter_ns()
        load_demo(session, PASSWORD)
        elapsed = time.perf_counter_ns() - start
        rows.append(Row("load_demo()", [elapsed], counter.count - before))
    total = sum(r.times_ns[0] for r in rows)
    statements = sum(r.statements or 0 for r in rows)
    rows.append(Row("prepare total (migrate + seed + demo)", [total], statements))
    if analyze:
        before, start = counter.count, time.perf_counter_ns()
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        elapsed = time.perf_counter_ns() - start
        rows.append(Row("ANALYZE (--analyze)", [elapsed], counter.count - before))
    engine.dispose()
    return rows


# --- the indicator engine --------------------------------------------------------------------


def service_run(
    engine: sa.Engine,
    counter: StatementCounter,
    lookup: Callable[[so.Session], tuple],
    call: Callable[..., object],
) -> Run:
    """Time `call(session, *lookup(session))` in a fresh session; the lookup is not timed."""

    def run() -> tuple[int, int]:
        with so.Session(engine) as session:
            args = lookup(session)
            before, start = counter.count, time.perf_counter_ns()
            result = call(session, *args)
            elapsed = time.perf_counter_ns() - start
            if result is None or (isinstance(result, pd.DataFrame | list) and len(result) == 0):
                raise BenchmarkError(f"{call.__name__}() returned nothing")
            return elapsed, counter.count - before

    return run


def service_rows(engine: sa.Engine, counter: StatementCounter, repeat: int) -> list[Row]:
    with so.Session(engine) as session:
        period = svc.get_period(session, PERIOD)
        if period is None or svc.get_indicator(session, INDICATOR) is None:
            raise BenchmarkError(f"period {PERIOD} or indicator {INDICATOR} is missing")
        district = svc.list_districts(session, period.end_date)[0]
        district_label = f"{district.gso_code} {district.name}"
        n_indicators = len(svc.summary(session, period))
        n_district = len(svc.summary(session, period, district.id))

    def period_only(session):
        return (svc.get_period(session, PERIOD),)

    def indicator_period(session):
        return svc.get_indicator(session, INDICATOR), svc.get_period(session, PERIOD)

    def period_district(session):
        return svc.get_period(session, PERIOD), svc.district_by_code(session, district.gso_code).id

    return [
        measure(
            f"summary() {PERIOD} province ({n_indicators} indicators)",
            service_run(engine, counter, period_only, svc.summary),
            repeat,
        ),
        measure(
            f"by_district() {INDICATOR} {PERIOD}",
            service_run(engine, counter, indicator_period, svc.by_district),
            repeat,
        ),
        measure(
            f"records() {INDICATOR} {PERIOD}",
            service_run(engine, counter, indicator_period, svc.records),
            repeat,
        ),
        measure(
            f"summary() {PERIOD} district {district_label} ({n_district})",
            service_run(engine, counter, period_district, svc.summary),
            repeat,
        ),
    ]


# --- HTTP round trips ------------------------------------------------------------------------


def login(client, username: str) -> None:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(True))
    if page.status_code != 200 or match is None:
        raise BenchmarkError(f"GET /login answered {page.status_code} without a CSRF token")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
    )
    if response.status_code != 302:
        raise BenchmarkError(f"logging in as {username!r} answered {response.status_code}")


def overview_body(app: flask.Flask) -> dict:
    """The JSON body the browser posts for the overview callback."""
    dash_app = app.extensions["dash_app"]
    key = next((k for k in dash_app.callback_map if OVERVIEW_OUTPUT in k), None)
    if key is None:
        raise BenchmarkError(f"no callback with the output {OVERVIEW_OUTPUT}")
    outputs = []
    for out in key.strip(".").split("..."):
        component, prop = out.rsplit(".", 1)
        outputs.append({"id": component, "property": prop.split("@")[0]})
    inputs = []
    for spec in dash_app.callback_map[key]["inputs"]:
        name = f"{spec['id']}.{spec['property']}"
        if name not in OVERVIEW_INPUTS:
            raise BenchmarkError(f"unexpected overview input {name}")
        inputs.append(
            {"id": spec["id"], "property": spec["property"], "value": OVERVIEW_INPUTS[name]}
        )
    return {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": [],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


def check_overview(response) -> None:
    payload = response.get_json(silent=True) or {}
    if "ov-cards" not in payload.get("response", {}):
        raise BenchmarkError("the overview callback answered without the cards")


def check_body(response) -> None:
    if not response.data:
        raise BenchmarkError(f"{response.request.path} answered an empty body")


def http_run(
    client,
    counter: StatementCounter,
    send: Callable[[], object],
    label: str,
    check: Callable[[object], None] = check_body,
) -> Run:
    def run() -> tuple[int, int]:
        before, start = counter.count, time.perf_counter_ns()
        response = send()
        elapsed = time.perf_counter_ns() - start
        if response.status_code != 200:
            raise BenchmarkError(f"{label} answered {response.status_code}, expected 200")
        check(response)
        return elapsed, counter.count - before

    return run


def http_rows(app: flask.Flask, counter: StatementCounter, repeat: int) -> tuple[list[Row], Run]:
    client = app.test_client()
    login(client, "viewer")
    body = overview_body(app)
    summary_url = f"/xuat/summary.csv?period={PERIOD}"
    records_url = f"/xuat/records.xlsx?indicator={INDICATOR}&period={PERIOD}"
    overview = http_run(
        client,
        counter,
        lambda: client.post("/_dash-update-component", json=body),
        "POST /_dash-update-component (overview)",
        check_overview,
    )
    rows = [
        measure(
            "GET /healthz",
            http_run(client, counter, lambda: client.get("/healthz"), "GET /healthz"),
            repeat,
        ),
        measure(
            f"GET {summary_url}",
            http_run(client, counter, lambda: client.get(summary_url), summary_url),
            repeat,
        ),
        measure(
            f"GET {records_url}",
            http_run(client, counter, lambda: client.get(records_url), records_url),
            repeat,
        ),
        measure("POST /_dash-update-component (overview)", overview, repeat),
    ]
    return rows, overview


def traced_peak(run: Run) -> int:
    """The `tracemalloc` peak (bytes) of Python allocations during one run."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


# --- output ----------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    width = max(len(r.label) for r in rows)
    print(f"{'measurement':<{width}}  {'n':>3}  {'median ms':>10}  {'p95 ms':>10}  {'SQL':>5}")
    print("-" * (width + 36))
    for r in rows:
        sql = "-" if r.statements is None else str(r.statements)
        print(
            f"{r.label:<{width}}  {len(r.times_ns):>3}  {r.median_ms:>10.1f}  "
            f"{r.p95_ms:>10.1f}  {sql:>5}"
        )


def environment_line(engine: sa.Engine) -> str:
    with so.Session(engine) as session:
        values = session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))
        server = engine.dialect.server_version_info
    version = ".".join(str(part) for part in server) if server else "?"
    return (
        f"Python {platform.python_version()} | SQLAlchemy {sa.__version__} | "
        f"Dash {dash.__version__} | database {engine.dialect.name} {version} "
        f"({engine.dialect.driver}) | {values:,} values rows"
    )


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


# --- main ------------------------------------------------------------------------------------


def benchmark(url: str, repeat: int, analyze: bool) -> None:
    rows = prepare(url, analyze)
    app = create_app(
        {
            "APP_MODE": "test",
            "DATABASE_URL": url,
            "SECRET_KEY": "benchmark-secret",
            "DEMO_PASSWORD": PASSWORD,
            "BOUNDARIES_GEOJSON": None,
        }
    )
    db = app.extensions["db"]
    try:
        counter = StatementCounter(db.engine)
        print(environment_line(db.engine))
        print(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
        print(f"Repeats: {repeat} timed runs per measurement, after one warm-up run")
        print(f"Planner statistics: {'refreshed (ANALYZE)' if analyze else 'as loaded'}\n")
        rows += service_rows(db.engine, counter, repeat)
        http, overview = http_rows(app, counter, repeat)
        rows += http
        print_table(rows)
        before = counter.count
        overview()
        statements = counter.count - before
        peak = traced_peak(overview)
        print()
        print(f"Overview callback: tracemalloc peak {mib(peak)}, {statements} SQL statements")
        print(f"Process max RSS at the end: {mib(max_rss_bytes())}")
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="database to benchmark; its tables are dropped and recreated "
        "(default: a fresh SQLite file in a temporary folder)",
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="timed runs per measurement (default: 20)"
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE after loading the demo data (not done by tests/conftest.py)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        if args.database_url:
            benchmark(args.database_url, args.repeat, args.analyze)
        else:
            with tempfile.TemporaryDirectory(prefix="ntm-benchmark-") as folder:
                url = f"sqlite:///{Path(folder) / 'benchmark.sqlite'}"
                benchmark(url, args.repeat, args.analyze)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
