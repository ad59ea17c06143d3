#!/usr/bin/env bash
# Run every benchmark (quick mode) and print name=value lines; record the figures in
# benchmarks/RESULTS.md with the date and machine.
#   core: as-at lookup, landscape, lineage vs hand-written SQL on a national-scale registry
#   import: every file in ../shared/data/real vs sqlite3 .import of the same files
#   extract: accuracy on the gold annotations, and throughput vs spaCy's bare tokenizer
#   export: a national export at a date in every format vs a plain SELECT dump (needs the
#           demo registry: bash scripts/demo.sh --no-serve)
#   serving: the organisation endpoint under load vs the same call in Python, and the app's
#           own cost a request, short way vs FastAPI's routing (the demo registry too)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
echo "== core";    "$PY" benchmarks/run.py --quick
echo "== import";  "$PY" benchmarks/import_bench.py
echo "== extract accuracy";   "$PY" benchmarks/extract_eval.py
echo "== extract throughput"; "$PY" benchmarks/extract_throughput.py
if [ -f nhsgraph-demo.db ]; then
  echo "== export"; "$PY" benchmarks/export_bench.py
  echo "== serving"; "$PY" benchmarks/serve_load.py --db nhsgraph-demo.db --seconds 5
  echo "== app cost a request"; "$PY" benchmarks/asgi_overhead.py --db nhsgraph-demo.db
else
  echo "== export, serving: skipped, no nhsgraph-demo.db (bash scripts/demo.sh --no-serve builds it)"
fi
