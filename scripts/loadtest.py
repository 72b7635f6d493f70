"""Load and fault test of the multi-worker deployment: gunicorn (2 workers), PostgreSQL, Redis.

Run from the repository root:

    .venv/bin/python scripts/loadtest.py [--viewers 50] [--editors 4] [--duration 30]
        [--kill | --no-kill] [--database-url URL] [--redis-url URL] [--port PORT]

What it does, in order:

1. Prepares the PostgreSQL database of `--database-url` (default
   `postgresql+psycopg://postgres@127.0.0.1:5432/ntm_load`): it is DROPPED if it exists and
   created again through a connection to the `postgres` database, then `ntm-dashboard init-db`
   and `ntm-dashboard load-demo` run with `APP_MODE=demo`. The databases `postgres`, `test`
   and the templates are refused, and so is any host other than 127.0.0.1/localhost.
2. Starts `gunicorn --workers 2 --timeout 60` on 127.0.0.1 (with `-c gunicorn.conf.py` when the
   repository has one) and waits for `/healthz`.
3. Runs the viewers and editors concurrently for `--duration` seconds, each in its own thread
   with its own cookies, after logging in through `/login` (form, CSRF token, POST). Viewers
   read pages, the Dash layout and CSV downloads in a loop. Editors write the commune values of
   `GOV-DOSSIER-COMM` (numerator, a number that increases with every attempt) of their own
   district in the open periods 2024 and 2025, through the pillar page's Dash callbacks exactly
   as the browser does: the edit form (which units may I write), the prefill (the stored value
   and its version) and the save. A write is ACKNOWLEDGED when the save answers 200 with the
   success alert (`pl-edit-ok`, "Đã lưu ...").
4. At half the duration (`--kill`, the default) one gunicorn worker gets SIGKILL; the master
   starts a new one and the load goes on.
5. Stops gunicorn and checks in the database that every cell holds its last acknowledged value.
   A cell may instead hold a value whose save failed at the kill (the request died after the
   commit): that is "in doubt", not lost. Anything else is a lost write.

Every request has a 10 s timeout and only 127.0.0.1 is contacted. A request "in the killed
request" is one whose interval contains the kill moment; a 5xx, a connection error, a timeout
or any unexpected status outside that is an error. The exit status is 1 on any error outside
the kill, any lost write, any read of a cell not showing its last acknowledged value (checked
before each save), any save refused by the server (each editor alone writes its cells, so none
should be) or no acknowledged write at all; 2 when the run could not be set up; 0 otherwise.
The figures are printed, never asserted here: latency is shown, not checked.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.models import Indicator, IndicatorValue, OrgUnit, Period, User

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PROTECTED_DATABASES = {"postgres", "test", "template0", "template1"}
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ntm_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
DEMO_PASSWORD = "demo-ntm-2025"
TIMEOUT = 10.0
STOP_TIMEOUT = 30.0
START_TIMEOUT = 90.0

VIEWER_PATHS = [
    ("page", "/"),
    ("page", "/chinh-quyen-so?period=2023"),
    ("page", "/kinh-te-so"),
    ("page", "/xa-hoi-so"),
    ("layout", "/_dash-layout"),
    ("download", "/xuat/summary.csv?period=2023"),
    ("download", "/xuat/by-district.csv?indicator=GOV-C8_4&period=2023"),
]
INDICATOR = "GOV-DOSSIER-COMM"  # a ratio (numerator/denominator) entered for every commune
PERIODS = ("2024", "2025")  # open rounds in the demo data
DENOMINATOR = 1_000_000
UNITS_PER_PERIOD = 2  # cells per editor: this many communes in each period
SAVED_ID = "pl-edit-ok"  # the success alert of the pillar page's save
SAVED_TEXT = "Đã lưu"  # its message ("Đã lưu {indicator} của {unit}, kỳ {period}.")


class SetupError(RuntimeError):
    """The run could not be prepared (database, gunicorn, login): no figures to show."""


# --- recording ---------------------------------------------------------------------------------


@dataclass
class Record:
    """One HTTP request: what, when (monotonic seconds) and how it ended."""

    kind: str
    method: str
    path: str
    start: float
    end: float
    status: int | None
    error: str = ""
    expected: tuple[int, ...] = (200,)

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500 or self.status not in self.expected

    def spans(self, moment: float | None) -> bool:
        return moment is not None and self.start <= moment <= self.end


class Recorder:
    """Thread-safe list of every request made during the run."""

    def __init__(self):
        self._lock = threading.Lock()
        self.records: list[Record] = []

    def add(self, record: Record) -> None:
        with self._lock:
            self.records.append(record)


@dataclass
class Response:
    status: int | None
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


# --- an HTTP client with its own cookies -------------------------------------------------------


class Browser:
    """One user: its cookies, a fresh connection per request to 127.0.0.1, every request
    timed and recorded; network failures become a `Response` with status None."""

    def __init__(self, port: int, recorder: Recorder):
        self.port = port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        expected: tuple[int, ...] = (200,),
    ) -> Response:
        headers = {"User-Agent": "ntm-loadtest", "Accept": "*/*"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        start = time.monotonic()
        try:
            response = self._send(method, path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            response = Response(None)
            error = type(exc).__name__
        else:
            error = ""
            self._keep_cookies(response.headers)
        self.recorder.add(
            Record(kind, method, path, start, time.monotonic(), response.status, error, expected)
        )
        return response

    def _send(self, method, path, body, headers) -> Response:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            return Response(raw.status, raw.read(), raw.getheaders())
        finally:
            connection.close()

    def _keep_cookies(self, headers: list[tuple[str, str]]) -> None:
        for name, value in headers:
            if name.lower() != "set-cookie":
                continue
            jar = SimpleCookie()
            jar.load(value)
            for key, morsel in jar.items():
                if morsel.value == "":  # Flask clears a cookie with an empty value
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value

    def get(self, kind: str, path: str, expected: tuple[int, ...] = (200,)) -> Response:
        return self.request(kind, "GET", path, expected=expected)

    def post_json(self, kind: str, path: str, payload) -> Response:
        body = json.dumps(payload).encode()
        return self.request(kind, "POST", path, body, "application/json")

    def login(self, username: str, password: str) -> bool:
        """Log in through the form, as a browser does: GET it, read the CSRF token, POST."""
        form = self.get("login", "/login")
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text())
        if form.status != 200 or match is None:
            return False
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrf_token": match.group(1)}
        ).encode()
        response = self.request(
            "login", "POST", "/login", data, "application/x-www-form-urlencoded", expected=(302,)
        )
        return response.status == 302


# --- Dash callbacks ----------------------------------------------------------------------------


class DashCallbacks:
    """Builds `POST /_dash-update-component` bodies from the callback map the browser loads
    (`/_dash-dependencies`), like tests/conftest.py's DashCaller."""

    def __init__(self, dependencies: list[dict]):
        self.keys = [d["output"] for d in dependencies]

    def key(self, first_output: str) -> str:
        """The callback whose first output is `first_output` (a `@hash` suffix ignored)."""
        for key in self.keys:
            first = key.strip(".").split("...")[0]
            if first.split("@")[0] == first_output:
                return key
        raise KeyError(first_output)

    def body(self, first_output: str, inputs: list, state: list | None = None) -> dict:
        key = self.key(first_output)
        outputs = []
        for out in key.strip(".").split("..."):
            component, prop = out.rsplit(".", 1)
            outputs.append({"id": component, "property": prop.split("@")[0]})
        return {
            "output": key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs,
            "state": state or [],
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
        }


def dash_value(payload, component: str, prop: str):
    """One output's value from a callback answer (None when absent)."""
    try:
        return payload["response"][component][prop]
    except (TypeError, KeyError):
        return None


def prop(component: str, name: str, value) -> dict:
    return {"id": component, "property": name, "value": value}


# --- viewers and editors -----------------------------------------------------------------------


@dataclass
class Cell:
    """One value an editor writes, and what it learnt about it: the last acknowledged numerator
    and the numerators of failed saves since then (they may or may not have been committed)."""

    period: str
    unit_id: int
    last_ack: float | None = None
    in_doubt: list[float] = field(default_factory=list)
    acks: int = 0


@dataclass
class EditorStats:
    username: str
    cells: list[Cell] = field(default_factory=list)
    attempts: int = 0
    acknowledged: int = 0
    refused: list[str] = field(default_factory=list)
    stale_reads: list[str] = field(default_factory=list)


def viewer_loop(browser: Browser, deadline: float, think: float) -> None:
    """Read pages, the layout and downloads in a random order until the deadline."""
    rng = random.Random()
    while time.monotonic() < deadline:
        kind, path = rng.choice(VIEWER_PATHS)
        browser.get(kind, path)
        if think:
            time.sleep(rng.uniform(0, 2 * think))


class Editor:
    """Writes its district's commune values through the pillar page's callbacks."""

    def __init__(self, browser: Browser, callbacks: DashCallbacks, stats: EditorStats):
        self.browser = browser
        self.callbacks = callbacks
        self.stats = stats
        self.counter = 0

    def call(self, kind: str, first_output: str, inputs: list, state: list | None = None):
        body = self.callbacks.body(first_output, inputs, state)
        return self.browser.post_json(kind, "/_dash-update-component", body)

    def writable_units(self, period: str) -> list[int]:
        """The units the edit form offers for the indicator in `period` (the server decides)."""
        response = self.call(
            "dash-read",
            "pl-edit-unit.options",
            [prop("pl-indicator", "value", INDICATOR), prop("pl-period", "value", period)],
        )
        options = dash_value(response.json(), "pl-edit-unit", "options") or []
        return [int(o["value"]) for o in options]

    def choose_cells(self) -> None:
        for period in PERIODS:
            units = self.writable_units(period)[:UNITS_PER_PERIOD]
            self.stats.cells += [Cell(period, unit_id) for unit_id in units]

    def prefill(self, cell: Cell) -> tuple[int | None, float | None]:
        """The stored version and numerator of the cell, as the edit panel loads them."""
        response = self.call(
            "dash-read",
            "pl-edit-bool.value",
            [
                prop("pl-edit-unit", "value", cell.unit_id),
                prop("pl-indicator", "value", INDICATOR),
                prop("pl-period", "value", cell.period),
                prop("pl-refresh", "data", 0),
            ],
        )
        payload = response.json()
        version = dash_value(payload, "pl-edit-version", "data")
        numerator = dash_value(payload, "pl-edit-num", "value")
        try:
            number = float(numerator) if numerator not in (None, "") else None
        except ValueError:
            number = None
        return (version if isinstance(version, int) else None), number

    def save(self, cell: Cell, version: int, numerator: int) -> Response:
        return self.call(
            "dash-write",
            "pl-edit-feedback.children",
            [prop("pl-edit-save", "n_clicks", 1)],
            [
                prop("pl-edit-unit", "value", cell.unit_id),
                prop("pl-indicator", "value", INDICATOR),
                prop("pl-period", "value", cell.period),
                prop("pl-edit-bool", "value", None),
                prop("pl-edit-value", "value", ""),
                prop("pl-edit-num", "value", str(numerator)),
                prop("pl-edit-den", "value", str(DENOMINATOR)),
                prop("pl-refresh", "data", 0),
                prop("pl-edit-version", "data", version),
            ],
        )

    def write_once(self, cell: Cell) -> None:
        """Load the cell, check it shows the last acknowledged value, save the next number."""
        version, shown = self.prefill(cell)
        if version is None:
            return  # the read failed; it is counted with the requests
        if cell.last_ack is not None and not cell.in_doubt and shown != cell.last_ack:
            self.stats.stale_reads.append(
                f"{cell.period}/unit {cell.unit_id}: shows {shown}, acknowledged {cell.last_ack}"
            )
        self.counter += 1
        numerator = self.counter
        self.stats.attempts += 1
        response = self.save(cell, version, numerator)
        if response.status is None or response.status >= 500:
            cell.in_doubt.append(float(numerator))
            return
        text = json.dumps(response.json(), ensure_ascii=False)
        if response.status == 200 and SAVED_ID in text and SAVED_TEXT in text:
            cell.last_ack, cell.in_doubt = float(numerator), []
            cell.acks += 1
            self.stats.acknowledged += 1
        else:
            self.stats.refused.append(f"{response.status}: {text[:300]}")

    def run(self, deadline: float) -> None:
        index = 0
        while time.monotonic() < deadline and self.stats.cells:
            self.write_once(self.stats.cells[index % len(self.stats.cells)])
            index += 1


# --- database and processes --------------------------------------------------------------------


def check_local(url: sa.URL | urllib.parse.SplitResult, what: str) -> None:
    host = url.host if isinstance(url, sa.URL) else url.hostname
    if host not in LOCAL_HOSTS:
        raise SetupError(f"{what} must be on 127.0.0.1 (got host {host!r}).")


def recreate_database(url: str) -> None:
    """DROP (if present) and CREATE the database named in `url`, through `postgres`."""
    target = sa.make_url(url)
    check_local(target, "The database")
    if not target.drivername.startswith("postgresql") or not target.database:
        raise SetupError("--database-url must be a PostgreSQL URL with a database name.")
    if target.database.lower() in PROTECTED_DATABASES:
        raise SetupError(f"Refusing to use the database {target.database!r}: pick another name.")
    engine = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            name = conn.dialect.identifier_preparer.quote(target.database)
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.OperationalError as exc:
        raise SetupError(f"PostgreSQL is not reachable: {exc.orig}") from exc
    finally:
        engine.dispose()


def app_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "APP_MODE": "demo",
            "DATABASE_URL": args.database_url,
            "RATELIMIT_STORAGE_URI": args.redis_url,
            "SECRET_KEY": "loadtest-" + secrets.token_hex(16),
            "DEMO_PASSWORD": args.password,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        raise SetupError(f"{name} is not installed next to {sys.executable}.")
    return str(path)


def run_cli(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(
        [tool("ntm-dashboard"), *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise SetupError(f"ntm-dashboard {' '.join(command)} failed:\n{result.stderr[-3000:]}")
    print(f"  ntm-dashboard {' '.join(command)}: {result.stdout.strip()}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _gunicorn_help() -> str:
    result = subprocess.run(
        [tool("gunicorn"), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    command = [tool("gunicorn")]
    if (ROOT / "gunicorn.conf.py").exists():
        command += ["-c", "gunicorn.conf.py"]
    command += ["--workers", "2", "--timeout", "60", "--bind", f"{HOST}:{port}"]
    if "--no-control-socket" in _gunicorn_help():  # gunicorn 25+: one socket per user
        command.append("--no-control-socket")  # is shared by every instance otherwise
    command += ["wsgi:application"]
    print(f"  {' '.join(command[1:])} (log: {log_path})")
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


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def wait_ready(master: subprocess.Popen, port: int, workers: int = 2) -> None:
    """Until /healthz answers and every worker is up (or the master dies, or 90 s pass)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise SetupError(f"gunicorn exited with status {master.returncode}.")
        if healthy(port) and len(worker_pids(master.pid)) >= workers:
            return
        time.sleep(0.3)
    raise SetupError("gunicorn did not answer /healthz in time.")


def worker_pids(master_pid: int) -> list[int]:
    """The processes whose parent is the gunicorn master (its workers), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master_pid:
            pids.append(int(entry.name))
    return sorted(pids)


def stop_gunicorn(master: subprocess.Popen) -> None:
    """SIGTERM to the master (graceful), SIGKILL to its process group if it hangs."""
    if master.poll() is not None:
        return
    master.send_signal(signal.SIGTERM)
    try:
        master.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()


@dataclass
class Kill:
    at: float | None = None
    pid: int | None = None
    respawned: int | None = None
    respawn_seconds: float | None = None


def kill_one_worker(master: subprocess.Popen, when: float, stop: float, kill: Kill) -> None:
    """At `when`, SIGKILL the first worker; then note the worker the master starts instead."""
    time.sleep(max(0.0, when - time.monotonic()))
    before = worker_pids(master.pid)
    if not before:
        return
    kill.pid = before[0]
    kill.at = time.monotonic()
    os.kill(kill.pid, signal.SIGKILL)
    while time.monotonic() < stop + START_TIMEOUT:
        new = set(worker_pids(master.pid)) - set(before)
        if new:
            kill.respawned = min(new)
            kill.respawn_seconds = time.monotonic() - kill.at
            return
        time.sleep(0.1)


def demo_editors(url: str, count: int) -> list[str]:
    """The first `count` demo editor accounts (Pleiku and Chư Sê first)."""
    engine = sa.create_engine(url)
    try:
        with so.Session(engine) as session:
            names = session.scalars(
                sa.select(User.username).where(User.role == "editor", User.is_demo.is_(True))
            ).all()
    finally:
        engine.dispose()
    preferred = [n for n in ("editor-622", "editor-633") if n in names]
    return (preferred + sorted(set(names) - set(preferred)))[:count]


@dataclass
class Verdict:
    verified: int = 0
    in_doubt: int = 0
    lost: list[str] = field(default_factory=list)


def verify(url: str, editors: list[EditorStats]) -> Verdict:
    """Compare every acknowledged cell with what the database holds now."""
    verdict = Verdict()
    engine = sa.create_engine(url)
    try:
        with so.Session(engine) as session:
            for stats in editors:
                for cell in stats.cells:
                    if cell.last_ack is None and not cell.in_doubt:
                        continue
                    stored = stored_numerator(session, cell)
                    _classify(verdict, stats.username, cell, stored)
    finally:
        engine.dispose()
    return verdict


def stored_numerator(session: so.Session, cell: Cell) -> float | None:
    return session.scalar(
        sa.select(IndicatorValue.numerator)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Period, Period.id == IndicatorValue.period_id)
        .join(OrgUnit, OrgUnit.id == IndicatorValue.unit_id)
        .where(
            Indicator.code == INDICATOR,
            Period.code == cell.period,
            OrgUnit.id == cell.unit_id,
        )
    )


def _classify(verdict: Verdict, username: str, cell: Cell, stored: float | None) -> None:
    if stored in cell.in_doubt:
        verdict.in_doubt += 1
    elif cell.last_ack is None:
        return  # only unacknowledged saves, none of which was committed: nothing to check
    elif stored == cell.last_ack:
        verdict.verified += 1
    else:
        verdict.lost.append(
            f"{username} {cell.period}/unit {cell.unit_id}: stored {stored}, "
            f"last acknowledged {cell.last_ack}"
        )


# --- the report --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def split_failures(records: list[Record], kill_at: float | None):
    """The failed requests in flight at the kill (excused), and every other failed one."""
    failures = [r for r in records if r.failed]
    return [r for r in failures if r.spans(kill_at)], [r for r in failures if not r.spans(kill_at)]


def status_label(record: Record) -> str:
    return str(record.status) if record.status is not None else f"conn:{record.error}"


def print_table(records: list[Record], started: float) -> None:
    kinds = sorted({r.kind for r in records})
    print(f"\n{'kind':<11}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for kind in [*kinds, "all"]:
        rows = [r for r in records if kind in ("all", r.kind)]
        times = [1000 * (r.end - r.start) for r in rows]
        statuses = Counter(status_label(r) for r in rows)
        print(
            f"{kind:<11}{len(rows):>9}{sum(r.failed for r in rows):>8}"
            f"{percentile(times, 0.5):>9.0f}{percentile(times, 0.95):>9.0f}  "
            + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        )
    duration = max(r.end for r in records) - started
    print(f"throughput: {len(records) / duration:.1f} requests/s over {duration:.1f} s")


def report(records, started, kill: Kill, editors: list[EditorStats], verdict: Verdict) -> bool:
    """Print the figures; True when nothing was lost and nothing failed outside the kill."""
    print_table(records, started)
    in_kill, outside = split_failures(records, kill.at)
    if kill.at is not None:
        respawn = f"{kill.respawn_seconds:.1f} s" if kill.respawn_seconds else "not seen"
        print(
            f"\nkill: worker {kill.pid} got SIGKILL at t={kill.at - started:.1f} s; "
            f"new worker {kill.respawned} after {respawn}; "
            f"failed requests in flight at the kill: {len(in_kill)}"
        )
    else:
        print("\nkill: none")
    print(f"errors outside the kill: {len(outside)}")
    for r in outside[:20]:
        print(
            f"  {r.kind} {r.method} {r.path} -> {status_label(r)} "
            f"(t={r.start - started:.2f}..{r.end - started:.2f} s)"
        )
    attempts = sum(e.attempts for e in editors)
    acked = sum(e.acknowledged for e in editors)
    cells = sum(1 for e in editors for c in e.cells if c.acks)
    print(
        f"writes attempted: {attempts}; writes acknowledged: {acked} in {cells} cells; "
        f"cells verified: {verdict.verified}; in doubt (save failed at the kill, committed): "
        f"{verdict.in_doubt}; lost: {len(verdict.lost)}"
    )
    refused = [m for e in editors for m in e.refused]
    stale = [m for e in editors for m in e.stale_reads]
    print(
        f"saves refused by the server: {len(refused)}; reads not showing the last ack: {len(stale)}"
    )
    for line in (verdict.lost + stale + refused)[:20]:
        print(f"  {line}")
    idle = bool(editors) and acked == 0  # a run where no save went through proves nothing
    if idle:
        print("  no write was acknowledged")
    ok = not outside and not verdict.lost and not stale and not refused and not idle
    print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
    return ok


# --- the run -----------------------------------------------------------------------------------


def log_in_all(port, recorder, viewers: int, editors: list[str], password: str):
    viewer_browsers = []
    for _ in range(viewers):
        browser = Browser(port, recorder)
        if not browser.login("viewer", password):
            raise SetupError("The demo viewer could not log in.")
        viewer_browsers.append(browser)
    editor_objects = []
    for username in editors:
        browser = Browser(port, recorder)
        if not browser.login(username, password):
            raise SetupError(f"{username} could not log in.")
        dependencies = browser.get("dash-read", "/_dash-dependencies").json()
        if not isinstance(dependencies, list):
            raise SetupError("/_dash-dependencies did not answer the callback map.")
        editor = Editor(browser, DashCallbacks(dependencies), EditorStats(username))
        editor.choose_cells()
        if not editor.stats.cells:
            raise SetupError(f"{username} is offered no unit to write {INDICATOR} for.")
        editor_objects.append(editor)
    return viewer_browsers, editor_objects


def run_load(args, master: subprocess.Popen, editors: list[str]):
    recorder = Recorder()
    viewers, editor_objects = log_in_all(args.port, recorder, args.viewers, editors, args.password)
    started = time.monotonic()
    deadline = started + args.duration
    threads = [
        threading.Thread(target=viewer_loop, args=(b, deadline, args.think), daemon=True)
        for b in viewers
    ]
    threads += [
        threading.Thread(target=e.run, args=(deadline,), daemon=True) for e in editor_objects
    ]
    kill = Kill()
    if args.kill:
        killer = threading.Thread(
            target=kill_one_worker,
            args=(master, started + args.duration / 2, deadline, kill),
            daemon=True,
        )
        threads.append(killer)
    print(f"  {len(viewers)} viewers and {len(editor_objects)} editors for {args.duration:g} s")
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.duration + 2 * TIMEOUT + START_TIMEOUT)
    return recorder.records, started, kill, [e.stats for e in editor_objects]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument(
        "--kill",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="SIGKILL one worker at half the duration (default: yes)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="viewers' mean pause between requests, seconds (default 0)",
    )
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD)
    parser.add_argument("--log", type=Path, default=None, help="gunicorn's log file")
    args = parser.parse_args(argv)
    if args.viewers < 0 or args.editors < 0 or args.duration <= 0:
        parser.error("--viewers and --editors must be >= 0 and --duration > 0")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    args.port = args.port or free_port()
    log_path = args.log or Path(f"/tmp/ntm-loadtest-gunicorn-{os.getpid()}.log")
    try:
        check_local(urllib.parse.urlsplit(args.redis_url), "Redis")
        print(f"Preparing {sa.make_url(args.database_url).render_as_string(hide_password=True)}")
        recreate_database(args.database_url)
        env = app_env(args)
        run_cli(env, "init-db")
        run_cli(env, "load-demo")
        editors = demo_editors(args.database_url, args.editors)
        master = start_gunicorn(env, args.port, log_path)
    except SetupError as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        return 2
    try:
        wait_ready(master, args.port)
        print(f"  gunicorn master {master.pid}, workers {worker_pids(master.pid)}")
        records, started, kill, stats = run_load(args, master, editors)
    except SetupError as exc:
        print(f"setup failed: {exc} (gunicorn log: {log_path})", file=sys.stderr)
        return 2
    finally:
        stop_gunicorn(master)
    verdict = verify(args.database_url, stats)
    ok = report(records, started, kill, stats, verdict)
    print(f"gunicorn log: {log_path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
