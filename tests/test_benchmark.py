"""The benchmark script keeps working (its figures are printed, never asserted)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_once(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "POST /_dash-update-component (overview)" in result.stdout
