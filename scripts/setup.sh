#!/usr/bin/env bash
# Set up a fresh machine: system packages (PostgreSQL, Chromium, Graphviz, npm), a virtualenv
# in .venv, and the page assets vendored from npm (scripts/vendor-assets.sh).
# Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need_apt=()
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)   # lays out the lineage graph
command -v npm >/dev/null 2>&1 || need_apt+=(npm)        # fetches nhsuk-frontend, axe-core
if [ "${#need_apt[@]}" -gt 0 ] && [ "${NHSGRAPH_SKIP_APT:-0}" != 1 ]; then
  echo "== installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_apt[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
echo "== installing nhsgraph and its test dependencies into .venv"
# (pip warns about local mirror folders that this machine may not have: not an error)
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
.venv/bin/python -m pip install -q -e ".[test]" 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import nhsgraph, spacy, sqlalchemy, fastapi, playwright, psycopg" \
  || { echo "setup failed: dependencies missing from .venv" >&2; exit 1; }
# The pages' NHS.UK stylesheet and the tests' axe-core come from npm; without them the pages
# still render (with a note) and the accessibility test skips, so this is not fatal.
bash scripts/vendor-assets.sh || echo "setup: page assets not vendored (see above); pages use nhsgraph's own styles" >&2
