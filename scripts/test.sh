#!/usr/bin/env bash
# Set up and run the whole test suite: once on SQLite (with the browser tests), once on
# PostgreSQL. Fails loudly on the first failing run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PG_URL=$(bash scripts/start-postgres.sh "${NHSGRAPH_TEST_DBNAME:-nhsgraph_test}" | tail -1)

echo "== tests on SQLite"
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 "$@"
echo "== tests on PostgreSQL ($PG_URL)"
NHSGRAPH_TEST_PG="$PG_URL" .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 -m "not browser" "$@"
