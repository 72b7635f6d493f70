#!/usr/bin/env bash
# Developer entry point, used by the README's quick start and by CI.
#   bash scripts/dev.sh run    install, load the demo data into SQLite, serve on PORT (8050)
#   bash scripts/dev.sh test   install (with Chromium for browser tests), lint, run all tests
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY=${PYTHON:-python3}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root to run: $*" >&2; return 1; fi
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
      echo "Installing python3-venv (Debian splits venv out of python3)…"
      rm -rf "$VENV"
      as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv
      "$PY" -m venv "$VENV"
    fi
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e "$1"
}

ensure_fonts() {
  # DejaVu Sans: Vietnamese glyphs for the period report's PDF.
  if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -z "${REPORT_FONT_DIR:-}" ]; then
    echo "Installing fonts-dejavu-core for the PDF period report…"
    as_root apt-get update -qq && as_root apt-get install -y -qq fonts-dejavu-core || true
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    echo "Installing Debian's Chromium for the browser tests…"
    as_root apt-get update -qq && as_root apt-get install -y -qq chromium
  fi
}

postgres_url() {
  echo "${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
}

postgres_up() {
  "$VENV/bin/python" - "$(postgres_url)" <<'PY' >/dev/null 2>&1
import sys
import sqlalchemy as sa
sa.create_engine(sys.argv[1]).connect().close()
PY
}

case "${1:-}" in
  run)
    ensure_venv "."
    ensure_fonts
    export APP_MODE=${APP_MODE:-demo}
    "$VENV/bin/ntm-dashboard" load-demo
    exec "$VENV/bin/ntm-dashboard" serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8050}"
    ;;
  test)
    ensure_venv ".[test]"
    ensure_chromium
    ensure_fonts
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    # The database tests on PostgreSQL run beside the whole suite on SQLite (they share no
    # database); their output follows the SQLite run's. Both spread their test files over
    # worker processes (pytest-xdist; on PostgreSQL each worker has its own database).
    workers=${TEST_WORKERS:-2}
    pg_pid=""
    pg_log=$(mktemp)
    if postgres_up; then
      TEST_DATABASE_URL="$(postgres_url)" "$VENV/bin/pytest" -q -p no:cacheprovider \
        -n "$workers" --dist loadfile -m "db and not browser" >"$pg_log" 2>&1 &
      pg_pid=$!
    elif [ "${CI:-}" = "true" ]; then
      echo "PostgreSQL is not reachable at $(postgres_url): CI requires it." >&2
      exit 1
    fi
    echo "== Whole suite on SQLite =="
    sqlite_rc=0
    "$VENV/bin/pytest" -q -p no:cacheprovider -n "$workers" --dist loadfile || sqlite_rc=$?
    pg_rc=0
    if [ -n "$pg_pid" ]; then
      wait "$pg_pid" || pg_rc=$?
      echo "== Database tests on PostgreSQL ($(postgres_url)) =="
      cat "$pg_log"
    else
      echo "PostgreSQL not reachable at $(postgres_url): skipped the PostgreSQL run."
    fi
    rm -f "$pg_log"
    if [ "$sqlite_rc" != 0 ] || [ "$pg_rc" != 0 ]; then
      exit 1
    fi
    ;;
  *)
    echo "usage: bash scripts/dev.sh run|test" >&2
    exit 2
    ;;
esac
