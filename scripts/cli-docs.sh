#!/usr/bin/env bash
# Regenerate docs/cli.md from the commands' own help (tests/test_docs.py checks it is current).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" -m typer nhsgraph.cli utils docs --name nhsgraph --title "nhsgraph command reference" --output docs/cli.md
