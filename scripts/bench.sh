#!/usr/bin/env bash
# Run every benchmark (quick mode) and print name=value lines; record the figures in
# benchmarks/RESULTS.md with the date and machine.
#   core: as-at lookup, landscape, lineage vs hand-written SQL on a national-scale registry
#   import: every file in ../shared/data/real vs sqlite3 .import of the same files
#   extract: accuracy on the gold annotations, and throughput vs spaCy's bare tokenizer
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
echo "== core";    "$PY" benchmarks/run.py --quick
echo "== import";  "$PY" benchmarks/import_bench.py
echo "== extract accuracy";   "$PY" benchmarks/extract_eval.py
echo "== extract throughput"; "$PY" benchmarks/extract_throughput.py
