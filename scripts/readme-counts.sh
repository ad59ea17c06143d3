#!/usr/bin/env bash
# Rewrite README.md's national counts table (between <!-- counts:start --> and
# <!-- counts:end -->) from a registry built as scripts/demo.sh builds it:
#   bash scripts/readme-counts.sh [DB]     (default: $NHSGRAPH_DB, else nhsgraph-demo.db)
# tests/test_era_counts.py checks the table against such a registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DB=${1:-${NHSGRAPH_DB:-nhsgraph-demo.db}}
types=(sha pct care_trust pct_cluster ccg icb nhs_trust foundation_trust)
dates=(2005-01-01 2007-01-01 2011-11-29 2012-01-01 2013-04-01 2019-06-01 2022-07-01 2026-06-01)
args=()
for t in "${types[@]}"; do args+=(--type "$t"); done
for d in "${dates[@]}"; do args+=(--at "$d"); done
table=$(PYTHONPATH=src "$PY" -m nhsgraph --db "$DB" counts --markdown "${args[@]}")
TABLE="$table" "$PY" - <<'PY'
import os, pathlib, re
readme = pathlib.Path("README.md")
text = readme.read_text()
new, n = re.subn(r"(<!-- counts:start -->\n).*?(\n<!-- counts:end -->)",
                 lambda m: m.group(1) + os.environ["TABLE"] + m.group(2), text, flags=re.S)
if n != 1:
    raise SystemExit("README.md: expected one counts table between <!-- counts:start --> "
                     "and <!-- counts:end -->")
readme.write_text(new)
print("README.md: counts table rewritten")
PY
