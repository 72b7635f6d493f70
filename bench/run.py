"""The benchmark: the application on gunicorn (2 workers) against a floor on the same machine.

Run from the repository root:

    python -m bench.run [--scales provincial,national] [--databases sqlite,postgresql]
        [--requests 30] [--viewers 50] [--duration 60] [--quick]

For each scale (`provincial`: `ntm-dashboard init-db` + `load-demo`; `national`:
`bench.generate.generate(url, structure="old")`) and each database (a SQLite file in a
temporary folder; the PostgreSQL databases `bench_prov` / `bench_nat` on 127.0.0.1, dropped
and created again), the database is prepared (then `ANALYZE`d) and gunicorn is started twice
with `-c gunicorn.conf.py`, `WEB_CONCURRENCY=2` and `bench.wsgi_bench` (the application at `/`,
a minimal Dash app at `/_floor/`, a bare Flask app at `/_bare/`):

1. cold: `FIGURE_CACHE=off` (every callback computes its figures);
2. warm: `FIGURE_CACHE=on`, the shared cache in Redis (`REDIS_URL`, db 11, emptied first).

In each, one client logged in as the demo viewer through `/login` replays each page's main
callbacks (the table `CALLBACKS`, bodies built as the browser builds them from
`/_dash-dependencies` and the page's layout, period 2023, whole province) and the floor's
callback: `--warmup` untimed requests each (the first must answer 200 with its output, else the
run stops), then `--requests` timed rounds, one request of each per round, one at a time.
p50/p95 in ms and the p95 as a multiple of the floor's p95. Then (warm only) `--viewers`
viewers for `--duration` seconds, each logged in and looping over page views (the page, the
Dash layout, the page's callbacks) and the exports of scripts/loadtest.py: requests/s, p50,
p95, errors. Then `/api/v1/kpis` against the bare app serving the same bytes, `--api-clients`
concurrent clients for `--api-duration` s each: requests/s and their ratio. Last, the peak RSS
(VmHWM) of each worker.

It prints one table (a row per configuration and measurement, with the target and PASS/MISS)
and writes `bench/RESULTS.md`: date, machine, command, the verdict of each target and the
table. Timings are shown, never asserted: the exit status is 2 only when the run could not be
done, 0 otherwise. A setup failure (database, gunicorn, login, the floor) stops the run and
writes no RESULTS.md; a main callback that does not answer 200 with its output is left out of
the timings, shown as NOT ANSWERED (a missed target), and the run goes on, then exits with 2.
Only 127.0.0.1 is contacted, on the ports 8300-8349; Redis db 11 (cache) and 12 (rate limits)
are emptied before each gunicorn run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import math
import os
import platform
import random
import secrets
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` as well as `python -m bench.run`
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import floor  # noqa: E402
from scripts import loadtest as lt  # noqa: E402

SetupError = lt.SetupError

PERIOD = "2023"
PAGE_QUERY = f"?period={PERIOD}"
DASH_PATH = "/_dash-update-component"
FLOOR_PATH = "/_floor/_dash-update-component"
API_PATH = f"/api/v1/kpis?period={PERIOD}"
BARE_PATH = "/_bare" + API_PATH
PORTS = range(8300, 8350)
REDIS_CACHE_URL = "redis://127.0.0.1:6379/11"
REDIS_LIMITS_URL = "redis://127.0.0.1:6379/12"
POSTGRESQL_URLS = {
    "provincial": "postgresql+psycopg://postgres@127.0.0.1:5432/bench_prov",
    "national": "postgresql+psycopg://postgres@127.0.0.1:5432/bench_nat",
}
SCALES = ("provincial", "national")
DATABASES = ("sqlite", "postgresql")
CACHES = ("cold", "warm")  # FIGURE_CACHE=off, FIGURE_CACHE=on
FIGURE_CACHE = {"cold": "off", "warm": "on"}
RESULTS_PATH = ROOT / "bench" / "RESULTS.md"
REQUEST_TIMEOUT = 65.0  # above gunicorn's 60 s: a slow callback is timed, not dropped
QUICK_NATIONAL = {"provinces": 3}
APP_FACTORY = "bench.wsgi_bench:create_application()"

# --- what is measured ----------------------------------------------------------------------------

# The pages of the issue, and each page's main callbacks: the callback is named by its first
# output as in `/_dash-dependencies`; `match` gives the values of its MATCH wildcards; `clicks`
# the properties a click sets (the trigger). Without clicks the callback runs when the page
# loads, and is replayed as the browser sends it then.
PAGES = (
    "/",
    "/chinh-quyen-so",
    "/kinh-te-so",
    "/xa-hoi-so",
    "/mo-hinh-thi-diem",
    "/dao-tao",
    "/tien-do-bao-cao",
    "/bao-cao",
)
REGISTRY_GRID = '{"name":["MATCH"],"type":"reg-grid"}.columnDefs'


@dataclass(frozen=True)
class MainCallback:
    """`download`: the callback makes a file on a click (the period report), like an export;
    it is timed and shown, without the page callbacks' target."""

    page: str
    label: str
    output: str
    match: tuple[tuple[str, str], ...] = ()
    clicks: tuple[tuple[str, int], ...] = ()
    download: bool = False


CALLBACKS: tuple[MainCallback, ...] = (
    # page                label                   first output
    MainCallback("/", "overview", "ov-progress.children"),
    MainCallback("/chinh-quyen-so", "government", "pl-summary.children"),
    MainCallback("/kinh-te-so", "economy", "pl-summary.children"),
    MainCallback("/xa-hoi-so", "society", "pl-summary.children"),
    MainCallback("/mo-hinh-thi-diem", "pilot charts", "pi-status.figure"),
    MainCallback(
        "/mo-hinh-thi-diem", "pilot registry", REGISTRY_GRID, match=(("name", "pilot_models"),)
    ),
    MainCallback("/dao-tao", "training charts", "tr-audience.figure"),
    MainCallback(
        "/dao-tao", "training registry", REGISTRY_GRID, match=(("name", "training_events"),)
    ),
    MainCallback("/tien-do-bao-cao", "reporting progress", "pr-summary.children"),
    MainCallback(
        "/bao-cao",
        "period report PDF (download)",
        "rp-download.data",
        clicks=(("rp-pdf.n_clicks", 1),),
        download=True,
    ),
    MainCallback(
        "/bao-cao",
        "period report Excel (download)",
        "rp-download.data",
        clicks=(("rp-xlsx.n_clicks", 1),),
        download=True,
    ),
)


@dataclass(frozen=True)
class Target:
    """A target of the issue: `measure` at `scale`, the value at most (`upper`) or at least
    `limit`."""

    measure: str
    scale: str
    limit: float
    upper: bool
    text: str
    title: str


TARGETS: tuple[Target, ...] = (
    Target("callback-cold", "provincial", 7, True, "p95 ≤ 7× floor", "main callbacks, cold"),
    Target("callback-cold", "national", 20, True, "p95 ≤ 20× floor", "main callbacks, cold"),
    Target("callback-warm", "provincial", 2, True, "p95 ≤ 2× floor", "main callbacks, warm"),
    Target("callback-warm", "national", 2, True, "p95 ≤ 2× floor", "main callbacks, warm"),
    Target("load-errors", "provincial", 0, True, "0 errors", "concurrent viewers, errors"),
    Target("load-p95", "provincial", 1000, True, "p95 ≤ 1000 ms", "concurrent viewers, p95"),
    Target("api", "provincial", 0.7, False, "≥ 0.7× bare Flask", "/api/v1/kpis throughput"),
    Target("api", "national", 0.5, False, "≥ 0.5× bare Flask", "/api/v1/kpis throughput"),
    Target("rss", "national", 300, True, "≤ 300 MB", "peak RSS per worker"),
)


def target_for(measure: str, scale: str) -> Target | None:
    return next((t for t in TARGETS if t.measure == measure and t.scale == scale), None)


# --- figures -------------------------------------------------------------------------------------


def percentile(values: Iterable[float], share: float) -> float:
    """Nearest-rank percentile (scripts/loadtest.py's); NaN for no values."""
    values = list(values)
    return lt.percentile(values, share) if values else math.nan


@dataclass
class Timing:
    """Sequential requests to one callback: the times of those that answered 200, in ms."""

    label: str
    samples_ms: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 0.95)


@dataclass
class LoadResult:
    viewers: int
    duration: float  # asked for
    seconds: float  # from the start to the end of the last request
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Throughput:
    path: str
    clients: int
    seconds: float
    ok: int
    errors: int

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0


@dataclass
class ApiResult:
    api: Throughput
    bare: Throughput

    @property
    def ratio(self) -> float:
        return self.api.rps / self.bare.rps if self.bare.rps > 0 else math.nan


@dataclass
class RunResult:
    """One gunicorn run: a scale, a database and a cache state."""

    scale: str
    database: str
    cache: str
    floor: Timing
    callbacks: list[tuple[MainCallback, Timing]]
    load: LoadResult | None = None
    api: ApiResult | None = None
    rss_mb: dict[int, float] = field(default_factory=dict)
    # main callbacks that did not answer 200 with their output: (callback, what they answered)
    unanswered: list[tuple[MainCallback, str]] = field(default_factory=list)

    def ratio(self, timing: Timing) -> float:
        return timing.p95 / self.floor.p95 if self.floor.p95 > 0 else math.nan


# --- verdicts ------------------------------------------------------------------------------------


@dataclass
class Verdict:
    ok: bool
    missed_by: str = ""  # how far from the target, when missed

    @property
    def text(self) -> str:
        return "PASS" if self.ok else f"MISS ({self.missed_by})"


def judge(value: float, target: Target) -> Verdict:
    """Whether `value` meets `target`, and by how much it misses: a share of the limit, or the
    excess itself when the limit is 0 (errors). A value that could not be measured misses."""
    if value is None or math.isnan(value):
        return Verdict(False, "not measured")
    if target.upper:
        if value <= target.limit:
            return Verdict(True)
        if target.limit == 0:
            return Verdict(False, f"by {value:g}")
        return Verdict(False, f"by {_share(value / target.limit - 1)}")
    if value >= target.limit:
        return Verdict(True)
    return Verdict(False, f"by {_share(1 - value / target.limit)}")


def _share(share: float) -> str:
    return "<1%" if share < 0.01 else f"{share:.0%}"


@dataclass
class Check:
    """One measurement of one run, with the target it is held to (if any)."""

    configuration: str
    measurement: str
    shown: str
    value: float
    target: Target | None = None
    database: str = ""

    @property
    def verdict(self) -> Verdict | None:
        return judge(self.value, self.target) if self.target else None

    def row(self) -> list[str]:
        verdict = self.verdict
        return [
            self.configuration,
            self.measurement,
            self.shown,
            self.target.text if self.target else "—",
            verdict.text if verdict else "—",
        ]


def ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def checks_of(run: RunResult) -> list[Check]:
    """The rows of one run: floor, callbacks (ratio to the floor), load, API, RSS."""
    config = f"{run.scale} · {run.database} · {run.cache}"
    rows = [
        Check(
            config,
            "floor: minimal Dash callback",
            f"p50 {ms(run.floor.p50)}, p95 {ms(run.floor.p95)}" + _errors(run.floor.errors),
            run.floor.p95,
            database=run.database,
        )
    ]
    target = target_for(f"callback-{run.cache}", run.scale)
    for spec, timing in run.callbacks:
        ratio = run.ratio(timing)
        rows.append(
            Check(
                config,
                f"{spec.label} ({spec.page})",
                f"p50 {ms(timing.p50)}, p95 {ms(timing.p95)} = {ratio:.1f}× floor"
                + _errors(timing.errors),
                ratio,
                None if spec.download else target,
                run.database,
            )
        )
    for spec, message in run.unanswered:
        rows.append(
            Check(
                config,
                f"{spec.label} ({spec.page})",
                f"NOT ANSWERED: {message.split(':', 1)[0]}",
                math.nan,
                target,
                run.database,
            )
        )
    if run.load is not None:
        load = run.load
        what = f"{load.viewers} viewers × {load.duration:g} s"
        rows.append(
            Check(
                config,
                f"{what}: errors",
                f"{load.errors} of {load.requests} requests"
                + (f" ({_statuses(load.statuses)})" if load.errors else ""),
                load.errors,
                target_for("load-errors", run.scale),
                run.database,
            )
        )
        rows.append(
            Check(
                config,
                f"{what}: per request",
                f"{load.rps:.1f} req/s, p50 {ms(load.p50_ms)}, p95 {ms(load.p95_ms)}",
                load.p95_ms,
                target_for("load-p95", run.scale),
                run.database,
            )
        )
    if run.api is not None:
        api = run.api
        rows.append(
            Check(
                config,
                f"/api/v1/kpis vs bare Flask ({api.api.clients} clients)",
                f"{api.api.rps:.0f} vs {api.bare.rps:.0f} req/s = {api.ratio:.2f}×"
                + _errors(api.api.errors + api.bare.errors),
                api.ratio,
                target_for("api", run.scale),
                run.database,
            )
        )
    if run.rss_mb:
        rows.append(
            Check(
                config,
                "peak RSS per worker",
                ", ".join(f"{mb:.0f} MB" for mb in run.rss_mb.values()),
                max(run.rss_mb.values()),
                target_for("rss", run.scale),
                run.database,
            )
        )
    return rows


def _errors(count: int) -> str:
    return f", {count} errors" if count else ""


def _statuses(statuses: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))


@dataclass
class Summary:
    """A target on one database (all its measurements there): met or not, the worst value."""

    target: Target
    database: str
    checks: list[Check]

    @property
    def worst(self) -> Check:
        key = (lambda c: c.value) if self.target.upper else (lambda c: -c.value)
        measured = [c for c in self.checks if not math.isnan(c.value)]
        return max(measured, key=key) if measured else self.checks[0]

    @property
    def unmeasured(self) -> list[Check]:
        return [c for c in self.checks if math.isnan(c.value)]

    @property
    def verdict(self) -> Verdict:
        if self.unmeasured:
            return Verdict(False, f"({len(self.unmeasured)} not measured)")
        return judge(self.worst.value, self.target)

    @property
    def missed(self) -> int:
        return sum(1 for c in self.checks if not c.verdict.ok)

    def line(self) -> str:
        worst, verdict = self.worst, self.verdict
        where = f"{self.target.title}, {self.target.scale}, {self.database}"
        count = f"{len(self.checks) - self.missed} of {len(self.checks)} met"
        state = "met" if verdict.ok else f"MISSED {verdict.missed_by}"
        text = f"{where} — target {self.target.text}: {state}; "
        if not math.isnan(worst.value):
            text += f"worst {worst.measurement}: {worst.shown} ({count})"
        if self.unmeasured:
            names = ", ".join(c.measurement for c in self.unmeasured)
            text += f"{'; ' if not math.isnan(worst.value) else ''}not answered: {names}"
        return text


def summaries(checks: list[Check]) -> list[Summary]:
    out = []
    for target in TARGETS:
        for database in DATABASES:
            held = [c for c in checks if c.target is target and c.database == database]
            if held:
                out.append(Summary(target, database, held))
    return out


# --- output --------------------------------------------------------------------------------------

HEADERS = ["configuration", "measurement", "value", "target", "verdict"]


def text_table(rows: list[list[str]], headers: list[str] = HEADERS) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(rows: list[list[str]], headers: list[str] = HEADERS) -> str:
    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *map(line, rows)])


@dataclass
class Machine:
    cpu: str
    cores: int
    ram_gb: float
    os: str
    python: str
    postgresql: str
    redis: str
    sqlite: str = sqlite3.sqlite_version

    def rows(self) -> list[list[str]]:
        return [
            ["CPU", f"{self.cpu} ({self.cores} cores)"],
            ["RAM", f"{self.ram_gb:.1f} GB"],
            ["OS", self.os],
            ["Python", self.python],
            ["PostgreSQL", self.postgresql],
            ["SQLite", self.sqlite],
            ["Redis", self.redis],
        ]


@dataclass
class Prepared:
    """A database ready for the runs: how long it took, how big it is."""

    scale: str
    database: str
    seconds: float
    units: int
    values: int


def render_results(
    machine: Machine,
    command: str,
    runs: list[RunResult],
    databases: list[Prepared],
    settings: dict[str, str],
    when: dt.datetime | None = None,
) -> str:
    """The text of bench/RESULTS.md."""
    when = when or dt.datetime.now(dt.UTC)
    checks = [c for run in runs for c in checks_of(run)]
    lines = [
        "# Benchmark results",
        "",
        f"Date: {when:%Y-%m-%d %H:%M} UTC",
        "",
        "Command (from the repository root):",
        "",
        "```",
        command,
        "```",
        "",
        "## Machine",
        "",
        markdown_table(machine.rows(), ["", ""]),
        "",
        "## Settings",
        "",
        markdown_table([[k, v] for k, v in settings.items()], ["setting", "value"]),
        "",
        "## Databases",
        "",
        markdown_table(
            [
                [p.scale, p.database, f"{p.units:,}", f"{p.values:,}", f"{p.seconds:.1f} s"]
                for p in databases
            ],
            ["scale", "database", "units", "indicator values", "prepared in"],
        ),
        "",
        "## Targets",
        "",
    ]
    found = summaries(checks)
    lines += [f"- {s.line()}" for s in found] or ["- no target was measured"]
    lines += [
        "",
        "## Measurements",
        "",
        "Callback rows: p50/p95 of sequential requests from one logged-in viewer, and the p95 "
        "as a multiple of the floor's p95 in the same run (same gunicorn, same workers). "
        "Cold: `FIGURE_CACHE=off`; warm: `FIGURE_CACHE=on`, after warm-up requests.",
        "",
        markdown_table([c.row() for c in checks]),
        "",
    ]
    return "\n".join(lines)


def print_report(runs: list[RunResult]) -> None:
    checks = [c for run in runs for c in checks_of(run)]
    print()
    print(text_table([c.row() for c in checks]))
    print()
    for summary in summaries(checks):
        print(f"* {summary.line()}")


# --- replaying the browser's callback requests ---------------------------------------------------

# (method, path, JSON body or None) -> (status, decoded JSON or None)
Call = Callable[[str, str, dict | None], tuple[int | None, object]]


def browser_call(browser: lt.Browser) -> Call:
    def call(method: str, path: str, payload: dict | None = None):
        if method == "GET":
            response = browser.get("setup", path)
        else:
            response = browser.post_json("setup", path, payload)
        return response.status, response.json()

    return call


def canonical_id(component_id) -> str:
    """A component id as Dash writes it in keys: the string, or the dict as sorted JSON."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def resolve_id(text: str, match: dict[str, str]):
    """An id of `/_dash-dependencies`: a plain id, or a pattern whose MATCH wildcards take the
    values of `match` (the browser sends the concrete dict)."""
    if not text.startswith("{"):
        return text
    pattern = json.loads(text)
    concrete = {}
    for key, value in pattern.items():
        if value == ["MATCH"]:
            if key not in match:
                raise SetupError(f"no value given for the wildcard {key!r} of {text}")
            concrete[key] = match[key]
        elif isinstance(value, list):
            raise SetupError(f"only MATCH wildcards are replayed, not {text}")
        else:
            concrete[key] = value
    return concrete


def split_key(key: str) -> list[tuple[str, str]]:
    """The (component, property) outputs of a callback key, `@hash` suffixes dropped."""
    outputs = []
    for out in key.strip(".").split("..."):
        component, prop = out.rsplit(".", 1)
        outputs.append((component, prop.split("@")[0]))
    return outputs


def find_dependency(dependencies: list[dict], first_output: str) -> dict:
    for dependency in dependencies:
        component, prop = split_key(dependency["output"])[0]
        if f"{component}.{prop}" == first_output:
            return dependency
    raise SetupError(f"no callback has the first output {first_output} (renamed?)")


def collect_components(layout, found: dict[str, dict] | None = None) -> dict[str, dict]:
    """Every component with an id in a layout (Dash's JSON): canonical id -> its props."""
    found = {} if found is None else found
    if isinstance(layout, list):
        for item in layout:
            collect_components(item, found)
    elif isinstance(layout, dict):
        props = layout.get("props") if "type" in layout else None
        if isinstance(props, dict):
            if "id" in props:
                found[canonical_id(props["id"])] = props
            for value in props.values():
                collect_components(value, found)
        else:
            for value in layout.values():
                collect_components(value, found)
    return found


def callback_body(
    dependency: dict,
    components: dict[str, dict],
    match: dict[str, str] | None = None,
    clicks: dict[str, object] | None = None,
) -> dict:
    """The body the browser posts: the props' current values from the layout (absent ones are
    sent without a value, as the browser does), the clicked props set and named as changed."""
    match, clicks = match or {}, clicks or {}
    outputs = [
        {"id": resolve_id(c, match), "property": p} for c, p in split_key(dependency["output"])
    ]

    def props(specs: list[dict]) -> list[dict]:
        out = []
        for spec in specs:
            component = resolve_id(spec["id"], match)
            name = f"{canonical_id(component)}.{spec['property']}"
            if canonical_id(component) not in components:
                raise SetupError(f"{canonical_id(component)} is not in the page's layout")
            entry = {"id": component, "property": spec["property"]}
            current = components[canonical_id(component)]
            if name in clicks:
                entry["value"] = clicks[name]
            elif spec["property"] in current:
                entry["value"] = current[spec["property"]]
            out.append(entry)
        return out

    return {
        "output": dependency["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": props(dependency["inputs"]),
        "state": props(dependency.get("state", [])),
        "changedPropIds": list(clicks),
    }


def page_components(call: Call, dependencies: list[dict], page: str) -> dict[str, dict]:
    """The page's layout as the browser gets it (Dash pages' own callback), period 2023."""
    dependency = find_dependency(dependencies, "_pages_content.children")
    values = {"_pages_location.pathname": page, "_pages_location.search": PAGE_QUERY}
    inputs = []
    for spec in dependency["inputs"]:
        entry = {"id": spec["id"], "property": spec["property"]}
        name = f"{spec['id']}.{spec['property']}"
        if name in values:
            entry["value"] = values[name]
        inputs.append(entry)
    body = {
        "output": dependency["output"],
        "outputs": [{"id": c, "property": p} for c, p in split_key(dependency["output"])],
        "inputs": inputs,
        "state": [],
        "changedPropIds": ["_pages_location.pathname"],
    }
    status, payload = call("POST", DASH_PATH, body)
    try:
        layout = payload["response"]["_pages_content"]["children"]
    except (TypeError, KeyError):
        raise SetupError(f"the layout of {page} did not come back (status {status})") from None
    return collect_components(layout)


@dataclass
class Request:
    spec: MainCallback
    body: dict

    @property
    def first_output(self) -> str:
        first = self.body["outputs"]
        first = first[0] if isinstance(first, list) else first
        return canonical_id(first["id"])


def prepare_requests(call: Call, callbacks: Iterable[MainCallback] = CALLBACKS) -> list[Request]:
    """Each main callback's request body, built from the callback map, the frame's layout and
    its page's layout; every period input must be 2023 (the page was opened for it)."""
    status, dependencies = call("GET", "/_dash-dependencies", None)
    if status != 200 or not isinstance(dependencies, list):
        raise SetupError(f"/_dash-dependencies answered {status}")
    status, shell = call("GET", "/_dash-layout", None)
    if status != 200:
        raise SetupError(f"/_dash-layout answered {status}")
    frame = collect_components(shell)
    pages: dict[str, dict[str, dict]] = {}
    requests = []
    for spec in callbacks:
        if spec.page not in pages:
            pages[spec.page] = {**frame, **page_components(call, dependencies, spec.page)}
        dependency = find_dependency(dependencies, spec.output)
        body = callback_body(dependency, pages[spec.page], dict(spec.match), dict(spec.clicks))
        for entry in body["inputs"] + body["state"]:
            if str(entry["id"]).endswith("-period") and entry.get("value") != PERIOD:
                raise SetupError(f"{spec.label}: {entry['id']} is {entry.get('value')!r}")
        requests.append(Request(spec, body))
    return requests


def answered(payload, first_output: str) -> bool:
    return isinstance(payload, dict) and first_output in (payload.get("response") or {})


def check_requests(
    call: Call, requests: list[Request]
) -> tuple[list[Request], list[tuple[MainCallback, str]]]:
    """The replayed requests that answer 200 with their first output, and what the others
    answered (they are reported, not timed; the run's exit status will be 2). The floor must
    answer, else the run stops."""
    good, bad = [], []
    for request in requests:
        status, payload = call("POST", DASH_PATH, request.body)
        if status == 200 and answered(payload, request.first_output):
            good.append(request)
            continue
        text = json.dumps(payload, ensure_ascii=False)[:200] if payload else ""
        bad.append((request.spec, f"answered {status} without {request.first_output}: {text}"))
    status, payload = call("POST", FLOOR_PATH, floor.request_body())
    if status != 200 or not answered(payload, floor.GRAPH_ID):
        raise SetupError(f"the floor callback answered {status}")
    return good, bad


# --- timed requests ------------------------------------------------------------------------------


def timed_post(browser: lt.Browser, path: str, body: dict) -> tuple[float, bool]:
    """One POST; its time in ms and whether it answered 200."""
    start = time.perf_counter()
    response = browser.post_json("timed", path, body)
    return 1000 * (time.perf_counter() - start), response.status == 200


def time_callbacks(
    browser: lt.Browser, requests: list[Request], rounds: int, warmup: int
) -> tuple[Timing, list[tuple[MainCallback, Timing]]]:
    """`warmup` untimed requests each, then `rounds` rounds of one request to the floor and one
    to each callback, so that noise on a shared machine falls on all of them alike."""
    jobs = [(FLOOR_PATH, floor.request_body(), Timing("floor"))]
    jobs += [(DASH_PATH, r.body, Timing(r.spec.label)) for r in requests]
    for path, body, _timing in jobs:
        for _ in range(warmup):
            timed_post(browser, path, body)
    for _ in range(rounds):
        for path, body, timing in jobs:
            elapsed, ok = timed_post(browser, path, body)
            if ok:
                timing.samples_ms.append(elapsed)
            else:
                timing.errors += 1
    return jobs[0][2], [(r.spec, job[2]) for r, job in zip(requests, jobs[1:], strict=True)]


def viewer_choices(requests: list[Request]) -> list[tuple[str, str, list[dict]]]:
    """What a viewer does next: open a page (the page, the Dash layout, the callbacks it runs
    on load) or download one of scripts/loadtest.py's exports."""
    choices = []
    for page in PAGES:
        bodies = [r.body for r in requests if r.spec.page == page and not r.spec.clicks]
        choices.append(("view", page + PAGE_QUERY, bodies))
    choices += [("download", path, []) for kind, path in lt.VIEWER_PATHS if kind == "download"]
    return choices


def viewer_loop(browser: lt.Browser, choices, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        kind, path, bodies = rng.choice(choices)
        if kind == "download":
            browser.get("download", path)
            continue
        browser.get("page", path)
        browser.get("layout", "/_dash-layout")
        for body in bodies:
            if time.monotonic() >= deadline:
                break
            browser.post_json("callback", DASH_PATH, body)


def load_result(
    records: list[lt.Record], viewers: int, duration: float, started: float
) -> LoadResult:
    times = [1000 * (r.end - r.start) for r in records]
    seconds = max((r.end for r in records), default=started) - started
    statuses = Counter(lt.status_label(r) for r in records if r.failed)
    return LoadResult(
        viewers,
        duration,
        seconds,
        len(records),
        sum(r.failed for r in records),
        percentile(times, 0.50),
        percentile(times, 0.95),
        dict(statuses),
    )


def run_viewers(port: int, password: str, requests: list[Request], viewers: int, seconds: float):
    recorder = lt.Recorder()
    browsers = []
    for _ in range(viewers):
        browser = lt.Browser(port, lt.Recorder())  # logins are not counted
        if not browser.login("viewer", password):
            raise SetupError("the demo viewer could not log in")
        browser.recorder = recorder
        browsers.append(browser)
    choices = viewer_choices(requests)
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=viewer_loop, args=(b, choices, deadline, i), daemon=True)
        for i, b in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * REQUEST_TIMEOUT)
    return load_result(list(recorder.records), viewers, seconds, started)


def throughput(port: int, path: str, clients: int, seconds: float) -> Throughput:
    """`clients` threads GET `path` back to back for `seconds`; answers 200 per second."""
    recorder = lt.Recorder()
    started = time.monotonic()
    deadline = started + seconds

    def client():
        browser = lt.Browser(port, recorder)
        while time.monotonic() < deadline:
            browser.get("api", path)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * REQUEST_TIMEOUT)
    records = list(recorder.records)
    elapsed = max((r.end for r in records), default=deadline) - started
    failed = sum(r.failed for r in records)
    return Throughput(path, clients, elapsed, len(records) - failed, failed)


def write_api_answer(port: int, kpis_file: Path) -> None:
    """Fetch the real API's answer and write its bytes (and content type) for the bare app;
    check the bare app serves them."""
    browser = lt.Browser(port, lt.Recorder())
    response = browser.get("api", API_PATH)
    if response.status != 200:
        raise SetupError(f"{API_PATH} answered {response.status}: {response.text()[:300]}")
    content_type = dict((k.lower(), v) for k, v in response.headers).get("content-type", "")
    from bench.wsgi_bench import CONTENT_TYPE_SUFFIX

    kpis_file.with_name(kpis_file.name + CONTENT_TYPE_SUFFIX).write_text(content_type)
    partial = kpis_file.with_name(kpis_file.name + ".partial")
    partial.write_bytes(response.body)
    partial.replace(kpis_file)
    bare = browser.get("api", BARE_PATH)
    if bare.status != 200 or bare.body != response.body:
        raise SetupError(f"{BARE_PATH} did not serve the API's bytes (status {bare.status})")


def compare_api(port: int, kpis_file: Path, clients: int, seconds: float) -> ApiResult:
    write_api_answer(port, kpis_file)
    for path in (API_PATH, BARE_PATH):  # a few untimed requests each
        throughput(port, path, clients, min(1.0, seconds))
    return ApiResult(
        throughput(port, API_PATH, clients, seconds), throughput(port, BARE_PATH, clients, seconds)
    )


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) of a process, MB; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def workers_rss(master_pid: int) -> dict[int, float]:
    out = {}
    for pid in lt.worker_pids(master_pid):
        value = peak_rss_mb(pid)
        if value is not None:
            out[pid] = value
    return out


# --- databases, Redis, gunicorn ------------------------------------------------------------------


def check_postgresql_url(url: str) -> None:
    """Only local databases, never postgres, test or a template."""
    target = sa.make_url(url)
    lt.check_local(target, "The database")
    name = (target.database or "").lower()
    if not name or name in lt.PROTECTED_DATABASES or name.startswith("template"):
        raise SetupError(f"refusing to use the database {target.database!r}")


def flush_redis(*urls: str) -> None:
    import redis

    for url in urls:
        lt.check_local(urllib.parse.urlsplit(url), "Redis")
        try:
            client = redis.Redis.from_url(url, socket_timeout=5)
            client.flushdb()
            client.close()
        except redis.RedisError as exc:
            raise SetupError(f"Redis at {url} is not usable: {exc}") from exc


def base_env(url: str, password: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "APP_MODE": "demo",
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "DEMO_PASSWORD": password,
            "RATELIMIT_STORAGE_URI": REDIS_LIMITS_URL,
            "API_RATE_LIMIT": "1000000 per minute",
            "REDIS_URL": REDIS_CACHE_URL,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def database_url(scale: str, database: str, folder: Path) -> str:
    if database == "sqlite":
        return f"sqlite:///{folder / f'{scale}.sqlite'}"
    return POSTGRESQL_URLS[scale]


def prepare_database(scale: str, database: str, folder: Path, args) -> tuple[str, Prepared]:
    """A fresh database at `scale`, analysed; how long it took and how big it is."""
    url = database_url(scale, database, folder)
    print(f"Preparing {scale} · {database}")
    started = time.monotonic()
    if database == "sqlite":
        Path(url.split("///", 1)[1]).unlink(missing_ok=True)
    else:
        check_postgresql_url(url)
        lt.recreate_database(url)
    env = base_env(url, args.password)
    if scale == "provincial":
        lt.run_cli(env, "init-db")
        lt.run_cli(env, "load-demo")
    else:
        generate_national(url, args)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        from dashboard.models import IndicatorValue, OrgUnit

        with engine.connect() as conn:
            units = conn.scalar(sa.select(sa.func.count()).select_from(OrgUnit))
            values = conn.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))
    finally:
        engine.dispose()
    seconds = time.monotonic() - started
    print(f"  {units:,} units, {values:,} indicator values, {seconds:.1f} s")
    return url, Prepared(scale, database, seconds, units, values)


def generate_national(url: str, args) -> None:
    """bench/generate.py's national database (it prepares the schema itself); its demo
    accounts have the default demo password."""
    try:
        from bench.generate import generate
    except ImportError as exc:
        raise SetupError(f"bench.generate is not available: {exc}") from exc
    options = dict(QUICK_NATIONAL) if args.quick else {}
    extra = {}
    if "log" in inspect.signature(generate).parameters:
        extra["log"] = lambda line: print(f"    {line}")
    try:
        result = generate(url, structure="old", **options, **extra)
    except Exception as exc:
        raise SetupError(f"generate(structure='old', {options}) failed: {exc!r}") from exc
    print(f"  generate(structure='old', {options}): {result.get('values', '?')} values")


_HELP: list[str] = []


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    """gunicorn -c gunicorn.conf.py with WEB_CONCURRENCY=2 on 127.0.0.1:`port`, serving the
    application, the floor and the bare app (bench/wsgi_bench.py)."""
    if not _HELP:
        _HELP.append(lt._gunicorn_help())
    command = [lt.tool("gunicorn"), "-c", "gunicorn.conf.py"]
    if "--no-control-socket" in _HELP[0]:  # gunicorn 25+: one socket per user otherwise
        command.append("--no-control-socket")
    command.append(APP_FACTORY)
    env = {**env, "WEB_CONCURRENCY": "2", "HOST": lt.HOST, "PORT": str(port)}
    log = log_path.open("wb")
    try:
        return subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()


def free_port(wanted: int = 0) -> int:
    """`wanted`, or the first port of 8300-8349 nobody listens on."""
    for port in [wanted] if wanted else PORTS:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((lt.HOST, port))
            except OSError:
                continue
            return port
    if wanted:
        raise SetupError(f"port {wanted} is in use")
    raise SetupError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def measure_run(args, scale: str, database: str, url: str, cache: str, folder: Path) -> RunResult:
    """One gunicorn run: callbacks and floor; in the warm run the viewers; API; RSS."""
    flush_redis(REDIS_CACHE_URL, REDIS_LIMITS_URL)
    port = free_port(args.port)
    kpis_file = folder / "kpis.json"
    kpis_file.unlink(missing_ok=True)
    env = {**base_env(url, args.password), "FIGURE_CACHE": FIGURE_CACHE[cache]}
    env["BENCH_KPIS_FILE"] = str(kpis_file)
    log_path = folder / f"gunicorn-{scale}-{database}-{cache}.log"
    print(f"  {cache} (FIGURE_CACHE={FIGURE_CACHE[cache]}): gunicorn on port {port}")
    master = start_server(env, port, log_path)
    try:
        lt.wait_ready(master, port)
        browser = lt.Browser(port, lt.Recorder())
        if not browser.login("viewer", args.password):
            raise SetupError("the demo viewer could not log in")
        requests = prepare_requests(browser_call(browser))
        requests, unanswered = check_requests(browser_call(browser), requests)
        for spec, message in unanswered:
            print(f"    NOT ANSWERED: {spec.label} ({spec.page}) {message}")
        floor_timing, timings = time_callbacks(browser, requests, args.requests, args.warmup)
        run = RunResult(scale, database, cache, floor_timing, timings, unanswered=unanswered)
        if cache == "warm" and args.viewers > 0:
            print(f"    {args.viewers} viewers for {args.duration:g} s")
            run.load = run_viewers(port, args.password, requests, args.viewers, args.duration)
        run.api = compare_api(port, kpis_file, args.api_clients, args.api_duration)
        run.rss_mb = workers_rss(master.pid)
        return run
    except SetupError as exc:
        raise SetupError(f"{exc} (gunicorn log: {log_path})") from exc
    finally:
        lt.stop_gunicorn(master)


# --- the machine ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except (OSError, ValueError):
        pass
    return math.nan


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.platform()


def _postgresql_version() -> str:
    url = sa.make_url(POSTGRESQL_URLS["provincial"]).set(database="postgres")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("SHOW server_version").scalar())
    except sa.exc.SQLAlchemyError:
        return "not reachable"
    finally:
        engine.dispose()


def _redis_version() -> str:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_CACHE_URL, socket_timeout=5)
        version = client.info("server").get("redis_version", "?")
        client.close()
        return str(version)
    except redis.RedisError:
        return "not reachable"


def machine_info(postgresql: bool) -> Machine:
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 0,
        ram_gb=_ram_gb(),
        os=_os_name(),
        python=platform.python_version(),
        postgresql=_postgresql_version() if postgresql else "not used",
        redis=_redis_version(),
    )


# --- main ----------------------------------------------------------------------------------------


def _names(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{option}: choose among {', '.join(allowed)}")
    return names


QUICK = {"requests": 5, "warmup": 1, "viewers": 10, "duration": 5.0, "api_duration": 2.0}
DEFAULTS = {"requests": 30, "warmup": 2, "viewers": 50, "duration": 60.0, "api_duration": 10.0}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--scales",
        type=lambda t: _names(t, SCALES, "--scales"),
        default=list(SCALES),
        help="provincial,national (default: both)",
    )
    parser.add_argument(
        "--databases",
        type=lambda t: _names(t, DATABASES, "--databases"),
        default=list(DATABASES),
        help="sqlite,postgresql (default: both)",
    )
    parser.add_argument("--requests", type=int, help="timed requests per callback (30)")
    parser.add_argument("--warmup", type=int, help="untimed requests per callback first (2)")
    parser.add_argument("--viewers", type=int, help="concurrent viewers, warm runs (50)")
    parser.add_argument("--duration", type=float, help="seconds of the viewers' load (60)")
    parser.add_argument("--api-clients", type=int, default=8, help="API clients (8)")
    parser.add_argument("--api-duration", type=float, help="seconds per API test (10)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 5 requests, 10 viewers for 5 s, national scale on 3 provinces",
    )
    parser.add_argument("--port", type=int, default=0, help="default: the first free of 8300-8349")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD") or lt.DEMO_PASSWORD)
    parser.add_argument("--results", type=Path, default=RESULTS_PATH, help="bench/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args(argv)
    for name, default in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, QUICK[name] if args.quick else default)
    if args.requests < 1 or args.warmup < 1 or args.viewers < 0 or args.duration <= 0:
        parser.error("--requests and --warmup must be >= 1, --viewers >= 0, --duration > 0")
    if args.api_clients < 1 or args.api_duration <= 0:
        parser.error("--api-clients must be >= 1 and --api-duration > 0")
    if args.port and args.port not in PORTS:
        parser.error(f"--port must be in {PORTS.start}-{PORTS.stop - 1}")
    return args


def settings_of(args, boundaries: bool) -> dict[str, str]:
    return {
        "gunicorn": "`-c gunicorn.conf.py`, WEB_CONCURRENCY=2 (sync workers)",
        "timed requests": f"{args.requests} per callback, after {args.warmup} untimed",
        "viewers": f"{args.viewers} for {args.duration:g} s (warm runs)",
        "API": f"{args.api_clients} clients for {args.api_duration:g} s, each path",
        "period": f"{PERIOD}, whole province",
        "national scale": "generate(structure='old'" + (", provinces=3)" if args.quick else ")"),
        "district boundaries (map)": "yes" if boundaries else "no (BOUNDARIES_GEOJSON unset)",
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    lt.TIMEOUT = REQUEST_TIMEOUT  # the loadtest client's per-request timeout
    command = shlex.join(["python", "-m", "bench.run", *argv])
    folder = Path(tempfile.mkdtemp(prefix="ntm-bench-"))
    runs: list[RunResult] = []
    prepared: list[Prepared] = []
    failed = False
    try:
        machine = machine_info("postgresql" in args.databases)
        for scale in args.scales:
            for database in args.databases:
                url, ready = prepare_database(scale, database, folder, args)
                prepared.append(ready)
                for cache in CACHES:
                    runs.append(measure_run(args, scale, database, url, cache, folder))
    except SetupError as exc:
        failed = True
        print(f"\nthe benchmark could not be run: {exc}", file=sys.stderr)
    finally:
        if failed or args.keep:
            print(f"logs and databases kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if runs:
        print_report(runs)
    if failed:
        return 2
    text = render_results(
        machine,
        command,
        runs,
        prepared,
        settings_of(args, bool(os.environ.get("BOUNDARIES_GEOJSON"))),
    )
    args.results.write_text(text, encoding="utf-8")
    shown = args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results
    print(f"\nwritten: {shown}")
    unanswered = [(run, spec) for run in runs for spec, _message in run.unanswered]
    if unanswered:
        print(
            f"\n{len(unanswered)} main callback requests did not answer 200 with their output "
            "(see NOT ANSWERED above): the run is incomplete.",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
