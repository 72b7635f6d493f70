"""The load-and-fault script: how it judges a run, and a small run on gunicorn, PostgreSQL and
Redis (skipped when they are not reachable on 127.0.0.1).

Not marked `db`: the PostgreSQL pass of the suite must not run the smoke run a second time."""

from __future__ import annotations

import importlib.util
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "loadtest.py"
DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ntm_load_test"


def load_script():
    spec = importlib.util.spec_from_file_location("ntm_loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


lt = load_script()


def record(start, end, status, expected=(200,)):
    return lt.Record("page", "GET", "/", start, end, status, "" if status else "X", expected)


def test_only_failures_in_flight_at_the_kill_are_excused():
    """Catches a judge that excuses every failure once a worker was killed (or none): a 5xx or
    a dropped connection is excused only when its request spans the kill moment."""
    spanning = record(9.5, 10.5, None)
    after = record(10.6, 11.0, 500)
    before = record(8.0, 9.9, None)
    ok = record(9.0, 11.0, 200)
    in_kill, outside = lt.split_failures([spanning, after, before, ok], 10.0)
    assert in_kill == [spanning]
    assert outside == [after, before]
    in_kill, outside = lt.split_failures([spanning, after], None)  # --no-kill
    assert in_kill == [] and outside == [spanning, after]


def test_unexpected_statuses_are_failures():
    """Catches a run that counts a login page (401), a redirect or a 404 served to a logged-in
    viewer as success: only the expected statuses pass."""
    assert not record(0, 1, 200).failed
    assert record(0, 1, 401).failed and record(0, 1, 302).failed and record(0, 1, 503).failed
    assert not record(0, 1, 302, expected=(302,)).failed
    assert record(0, 1, 500, expected=(500,)).failed  # a 5xx is never expected


def cell(last_ack, in_doubt=()):
    return lt.Cell("2024", 1, last_ack=last_ack, in_doubt=list(in_doubt))


def classify(c, stored):
    verdict = lt.Verdict()
    lt._classify(verdict, "editor-622", c, stored)
    return verdict


def test_a_cell_must_hold_its_last_acknowledged_value():
    """Catches a verification that accepts an older acknowledged value or a missing row as
    "not lost": only the last acknowledged value, or a value whose save died at the kill
    (committed but never answered), is accepted."""
    assert classify(cell(7.0), 7.0).verified == 1
    assert classify(cell(7.0), 6.0).lost and classify(cell(7.0), None).lost
    doubtful = classify(cell(7.0, [8.0]), 8.0)
    assert doubtful.in_doubt == 1 and not doubtful.lost
    assert classify(cell(7.0, [8.0]), 7.0).verified == 1
    assert classify(cell(7.0, [8.0]), 9.0).lost


def test_callback_bodies_name_outputs_without_duplicate_suffixes():
    """Catches replayed callback requests that Dash rejects: the `@hash` suffix of an
    allow_duplicate output belongs in the `output` key only, not in `outputs`."""
    dependencies = [
        {"output": "..pl-edit-unit.options...pl-edit-feedback.children@abc.."},
        {"output": "pl-edit-save.disabled"},
    ]
    callbacks = lt.DashCallbacks(dependencies)
    body = callbacks.body("pl-edit-unit.options", [lt.prop("pl-indicator", "value", "X")])
    assert body["output"] == "..pl-edit-unit.options...pl-edit-feedback.children@abc.."
    assert body["outputs"][1] == {"id": "pl-edit-feedback", "property": "children"}
    assert body["changedPropIds"] == ["pl-indicator.value"]
    single = callbacks.body("pl-edit-save.disabled", [lt.prop("pl-edit-save", "n_clicks", 1)])
    assert single["outputs"] == {"id": "pl-edit-save", "property": "disabled"}


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    not (reachable(5432) and reachable(6379)), reason="PostgreSQL or Redis not reachable"
)
def test_small_run_with_a_killed_worker_loses_nothing():
    """Catches a multi-worker deployment that loses an acknowledged write or answers 5xx when
    a worker is killed mid-run, and a script that no longer writes (0 writes verified)."""
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--viewers=2",
            "--editors=1",
            "--duration=6",
            "--kill",
            f"--database-url={DATABASE_URL}",
            "--redis-url=redis://127.0.0.1:6379/9",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    verified = re.search(r"cells verified: (\d+)", output)
    acknowledged = re.search(r"writes acknowledged: (\d+)", output)
    assert verified and int(verified.group(1)) > 0, output
    assert acknowledged and int(acknowledged.group(1)) > 0, output
    assert "got SIGKILL" in output and "RESULT: PASS" in output
