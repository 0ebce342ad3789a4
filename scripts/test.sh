#!/usr/bin/env bash
# The test command (README, .ci/run): install, start PostgreSQL, find Chromium, lint, run the tests.
#   scripts/test.sh            fast suite (SQLite + PostgreSQL), excludes tests marked slow
#   scripts/test.sh -m slow    the slow tests
# Both run in parallel, one pytest-xdist worker per core (-n auto); the demo that several tests
# read is built once per run, under a file lock (tests/demo_run.py), and its tests share one
# worker (tests/conftest.py). Extra arguments go to pytest, e.g. -n 0 for one process.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$python" -m venv .venv; fi
extras=dev
# the slow suite also tests the sentence-transformers encoder (torch, CPU build)
if [ "${1:-}" = "-m" ] && [ "${2:-}" = "slow" ]; then extras=dev,st; fi
.venv/bin/pip install -q --disable-pip-version-check -e ".[$extras]"

pgdir=$(mktemp -d /tmp/veche-pg.XXXXXX)
port=${VECHE_TEST_PG_PORT:-54329}
cleanup() { scripts/pg.sh stop "$pgdir" || true; rm -rf "$pgdir"; }
trap cleanup EXIT
if url=$(scripts/pg.sh start "$pgdir" "$port"); then
  export VECHE_TEST_PG_URL="$url"
  echo "PostgreSQL test server: $url"
else
  echo "PostgreSQL could not be started: its tests will be skipped" >&2
fi

if chromium=$(bash scripts/browser.sh); then
  export VECHE_TEST_CHROMIUM="$chromium"
  echo "Chromium for the report's browser tests: $chromium"
else
  echo "Chromium is not available: the report's browser tests will be skipped" >&2
fi

.venv/bin/ruff check src tests bench
parallel=(-n auto)
if [ "${1:-}" = "-m" ]; then
  .venv/bin/pytest "${parallel[@]}" -m "$2" "${@:3}"
else
  .venv/bin/pytest "${parallel[@]}" -m "not slow" "$@"
fi
